"""裁量基准 entries with their statutory range, power items and parent: a lower level refines
only within the upper level's band (国办发〔2022〕27号（五）), refused on save and on import."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import Personas
from zhifa.record.models import Entry
from zhifa.registry import services
from zhifa.registry.exporting import registry_export_rows
from zhifa.registry.importing import registry_import
from zhifa.registry.models import Agency, DiscretionBenchmark, PowerItem
from zhifa.registry.services import Basis, Grade
from zhifa.registry.tabular import write_csv

pytestmark = pytest.mark.django_db
ON = date(2026, 11, 20)


def penalty_item(p: Personas, code: str = "CF-9") -> PowerItem:
    created = services.power_item_create(
        actor=p.admin,
        agency=p.agency_a,
        code=code,
        name=f"事项{code}",
        category="penalty",
        domain=p.domain,
        implementing_level=Agency.Level.COUNTY,
        bases=[Basis("中华人民共和国食品安全法", "第一百二十六条")],
    )
    return services.power_item_publish(actor=p.admin, item=created, on=date(2025, 3, 1))


def city_entry(p: Personas, **extra: Any) -> DiscretionBenchmark:
    b = services.discretion_benchmark_create(
        actor=p.admin,
        agency=p.agency_a,
        issuer="示范市市场监督管理局",
        domain=p.domain,
        violation="未建立进货查验记录",
        basis="《中华人民共和国食品安全法》第一百二十六条",
        violated_provision="《中华人民共和国食品安全法》第五十三条",
        penalty_provision="《中华人民共和国食品安全法》第一百二十六条第一款",
        range_kind="amount",
        range_min=D(5000),
        range_max=D(50000),
        grades=[Grade("lighter", "及时改正", "从轻", D(5000), D(18500))],
        **extra,
    )
    return services.discretion_benchmark_publish(actor=p.admin, benchmark=b, on=ON)


def county_entry(p: Personas, parent: DiscretionBenchmark, grades: list[Grade]) -> Any:
    return services.discretion_benchmark_create(
        actor=p.admin,
        agency=p.agency_a,
        issuer="示范市甲区市场监督管理局",
        domain=p.domain,
        violation="未建立进货查验记录",
        basis="细化",
        range_kind="amount",
        range_min=D(5000),
        range_max=D(50000),
        parent=parent,
        grades=grades,
    )


def test_entry_records_its_range_provisions_and_power_items(personas: Personas) -> None:
    item = penalty_item(personas)
    b = city_entry(personas, power_items=[item], penalty_kinds=["fine", "warning"])
    assert list(b.power_items.all()) == [item]
    create = Entry.objects.filter(action="registry.discretion_benchmark.create").last()
    assert create is not None
    payload = json.loads(create.payload)
    assert payload["range"] == {
        "kind": "amount",
        "min": "5000.00",
        "max": "50000.00",
        "base_name": "",
        "penalty_kinds": ["warning", "fine"],
    }
    assert payload["power_items"][0]["code"] == "CF-9"
    assert payload["violated_provision"].endswith("第五十三条")


def test_multiple_without_its_base_is_refused(personas: Personas) -> None:
    with pytest.raises(RuleViolation, match="倍数罚款另须写明基数"):
        services.discretion_benchmark_create(
            actor=personas.admin,
            agency=personas.agency_a,
            issuer="x",
            domain=personas.domain,
            violation="生产不符合标准的食品",
            basis="b",
            range_kind="multiple",
            range_min=D(1),
            range_max=D(5),
            grades=[Grade("standard", "一般", "一般")],
        )


def test_county_refinement_within_the_city_band_is_accepted(personas: Personas) -> None:
    city = city_entry(personas)
    county = county_entry(personas, city, [Grade("lighter", "及时改正", "从轻", D(5000), D(18500))])
    assert county.parent == city


def test_county_grade_one_yuan_beyond_the_city_band_is_refused(personas: Personas) -> None:
    city = city_entry(personas)
    with pytest.raises(RuleViolation) as exc:
        county_entry(personas, city, [Grade("lighter", "及时改正", "从轻", D(5000), D(18501))])
    assert exc.value.article == "国办发〔2022〕27号（五）"
    assert "超出上级" in str(exc.value)
    assert DiscretionBenchmark.objects.count() == 1


def _csv(rows: list[list[str]]) -> bytes:
    out = io.BytesIO()
    write_csv(out, rows[0], rows[1:])
    return out.getvalue()


def test_import_refuses_an_entry_outside_its_parent_with_its_row_and_saves_nothing(
    personas: Personas,
) -> None:
    city = city_entry(personas)
    schema, _ = registry_export_rows(account=personas.admin, kind="discretion-benchmarks")
    code = personas.agency_a.credit_code

    def row(key: str, parent: str, level: str, low: str, high: str, kinds: str = "") -> list[str]:
        return [key, code, "甲区局", personas.domain.name, "未建立进货查验记录",
                "《食品安全法》第五十三条", "《食品安全法》第一百二十六条", "罚款数额幅度", "5000",
                "50000", "", kinds, parent, "", level, "条件", "标准", low, high]  # fmt: skip

    good = row("1", str(city.pk), "从轻处罚", "5000", "18500", kinds="罚款、警告")
    bad = row("2", str(city.pk), "从重处罚", "30000", "50000")  # 从重 starts at 36,500
    result = registry_import(
        actor=personas.admin,
        kind="discretion-benchmarks",
        content=_csv([schema.headers, good, bad]),
        filename="b.csv",
        today=ON,
    )
    assert not result.ok and result.created == 0
    assert [(e.row, e.column) for e in result.errors] == [(3, "上级裁量基准ID")]
    assert "国办发〔2022〕27号（五）" in str(result.errors[0])
    assert DiscretionBenchmark.objects.count() == 1
    ok = registry_import(
        actor=personas.admin,
        kind="discretion-benchmarks",
        content=_csv([schema.headers, good]),
        filename="b.csv",
        today=ON,
    )
    assert ok.ok and ok.created == 1
    refined = DiscretionBenchmark.objects.get(parent=city)
    assert refined.status == "published"
    assert refined.penalty_kinds == ["warning", "fine"]
    # The export writes the import's columns: the refined entry with its parent's id.
    _, rows = registry_export_rows(account=personas.admin, kind="discretion-benchmarks")
    exported = [r for r in rows if r[12] == str(city.pk)]
    assert exported and exported[0][7:12] == ["罚款数额幅度", "5000", "50000", "", "警告、罚款"]
    # A kind the statute does not name is refused on its row and column.
    wrong = registry_import(
        actor=personas.admin,
        kind="discretion-benchmarks",
        content=_csv([schema.headers, row("3", "", "一般处罚", "", "", kinds="警告、吊销执照")]),
        filename="b.csv",
        today=ON,
    )
    assert [(e.row, e.column) for e in wrong.errors] == [(2, "法定处罚种类")]
    assert "“吊销执照”不是《行政处罚法》第九条规定的处罚种类" in str(wrong.errors[0])


def test_public_page_shows_the_range_the_provisions_and_the_parent(personas: Personas) -> None:
    city = city_entry(personas, penalty_kinds=["warning", "fine"])
    county = county_entry(personas, city, [Grade("lighter", "及时改正", "从轻", D(5000), D(9000))])
    services.discretion_benchmark_publish(actor=personas.admin, benchmark=county, on=ON)
    page = Client().get(reverse("public_discretion")).content.decode()
    assert "警告、罚款" in page
    assert "罚款 5000.00 元至 50000.00 元" in page
    assert "《中华人民共和国食品安全法》第一百二十六条第一款" in page
    assert "细化的上级基准" in page


def test_form_refuses_a_county_entry_outside_the_city_band_and_keeps_the_input(
    personas: Personas,
) -> None:
    city = city_entry(personas)
    client = Client()
    client.force_login(personas.admin)
    data = {
        "agency": str(personas.agency_a.pk),
        "issuer": "示范市甲区市场监督管理局",
        "domain": str(personas.domain.pk),
        "violation": "未建立进货查验记录",
        "penalty_provision": "《中华人民共和国食品安全法》第一百二十六条第一款",
        "range_kind": "amount",
        "range_min": "5000",
        "range_max": "50000",
        "parent": str(city.pk),
        "g_lighter_conditions": "及时改正",
        "g_lighter_standard": "从轻",
        "g_lighter_min": "5000",
        "g_lighter_max": "20000",  # the city's 从轻 ends at 18,500
        "publish": "on",
    }
    url = reverse("registry_discretion_new")
    r = client.post(url, data)
    page = r.content.decode()
    assert r.status_code == 409
    assert "国办发〔2022〕27号（五）" in page and 'value="20000"' in page
    assert DiscretionBenchmark.objects.count() == 1
    r = client.post(url, data | {"g_lighter_max": "18500"})
    assert r.status_code == 302
    assert DiscretionBenchmark.objects.get(parent=city).status == "published"
    assert client.get(reverse("registry_discretion_list")).status_code == 200
    officer = Client()
    officer.force_login(personas.officer)
    assert officer.get(url).status_code == 403
