"""The services behind the portal's listings: their rules, versions and record entries."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import Personas
from zhifa.record.models import Entry
from zhifa.registry import demo, demo_public, selectors, services
from zhifa.registry.models import (
    Account,
    Agency,
    DiscretionBenchmark,
    LenientListItem,
    PowerItem,
    RandomInspectionItem,
)
from zhifa.registry.services import Basis, Grade

pytestmark = pytest.mark.django_db

ON = date(2026, 11, 20)


def last_entry() -> tuple[str, dict[str, Any]]:
    entry = Entry.objects.order_by("-seq").first()
    assert entry is not None
    return entry.action, json.loads(entry.payload)


def item(p: Personas, code: str, category: str, *, agency: Agency | None = None) -> PowerItem:
    created = services.power_item_create(
        actor=p.admin,
        agency=agency or p.agency_a,
        code=code,
        name=f"事项{code}",
        category=category,
        domain=p.domain,
        implementing_level=Agency.Level.COUNTY,
        bases=[Basis("中华人民共和国食品安全法", "第一百一十条")],
    )
    return services.power_item_publish(actor=p.admin, item=created, on=date(2025, 3, 1))


def inspection_row(p: Personas, power: PowerItem, **overrides: Any) -> RandomInspectionItem:
    fields: dict[str, Any] = {
        "actor": p.admin,
        "agency": p.agency_a,
        "power_item": power,
        "category": "general",
        "subjects": "食品经营者",
        "content": "进货查验",
        "method": "双随机抽查",
        "basis": "《中华人民共和国食品安全法》第一百一十条",
    }
    return services.inspection_item_create(**(fields | overrides))


GRADES = [
    Grade("mitigated", "主动消除危害后果", "处五千元以下罚款", Decimal(0), Decimal(4999)),
    Grade("lighter", "及时改正", "从轻", Decimal(5000), Decimal(18500)),
    Grade("standard", "一般情节", "一般", Decimal(18500), Decimal(36500)),
]


def benchmark(p: Personas, grades: list[Grade] = GRADES, **overrides: Any) -> DiscretionBenchmark:
    fields: dict[str, Any] = {
        "actor": p.admin,
        "agency": p.agency_a,
        "issuer": p.agency_a.name,
        "domain": p.domain,
        "violation": "未建立进货查验记录",
        "basis": "《中华人民共和国食品安全法》第一百二十六条",
        "grades": grades,
    }
    return services.discretion_benchmark_create(**(fields | overrides))


# -- agency public facts --------------------------------------------------------------------


def test_agency_public_info_set_stores_the_facts_and_records_from_and_to(
    personas: Personas,
) -> None:
    agency = services.agency_public_info_set(
        actor=personas.admin,
        agency=personas.agency_a,
        authority_basis="《食品安全法》第六条",
        supervision="接受司法局监督",
        reconsideration_body="示范市甲区人民政府",
        litigation_court="示范市甲区人民法院",
        complaint_channels="12315",
    )
    assert agency.reconsideration_body == "示范市甲区人民政府"
    action, payload = last_entry()
    assert action == "registry.agency.public_info_set"
    assert payload["from"]["supervision"] == "" and payload["to"]["supervision"] == "接受司法局监督"


def test_agency_public_info_set_refuses_missing_remedies(personas: Personas) -> None:
    with pytest.raises(RuleViolation) as exc:
        services.agency_public_info_set(
            actor=personas.admin,
            agency=personas.agency_a,
            authority_basis="",
            supervision="接受监督",
            reconsideration_body=" ",
            litigation_court="法院",
            complaint_channels="12315",
        )
    assert exc.value.field == "reconsideration_body"


def test_agency_public_info_set_refuses_an_admin_of_another_agency(personas: Personas) -> None:
    admin_b = services.account_create(
        actor=personas.admin,
        username="admin_b",
        password="x" * 12,
        role=Account.Role.ADMIN,
        agency=personas.agency_b,
    )
    with pytest.raises(RuleViolation):
        services.agency_public_info_set(
            actor=admin_b,
            agency=personas.agency_a,
            authority_basis="",
            supervision="s",
            reconsideration_body="r",
            litigation_court="c",
            complaint_channels="c",
        )


# -- 随机抽查事项 ---------------------------------------------------------------------------------


def test_inspection_item_must_name_a_published_inspection_power_of_the_same_agency(
    personas: Personas,
) -> None:
    penalty = item(personas, "CF-1", "penalty")
    other = item(personas, "JC-B", "inspection", agency=personas.agency_b)
    draft = services.power_item_create(
        actor=personas.admin,
        agency=personas.agency_a,
        code="JC-D",
        name="草稿检查",
        category="inspection",
        domain=personas.domain,
        implementing_level=Agency.Level.COUNTY,
        bases=[Basis("法", "第一条")],
    )
    for power in (penalty, other, draft):
        with pytest.raises(RuleViolation) as exc:
            inspection_row(personas, power)
        assert exc.value.article == "国办发〔2024〕54号"
        assert "未公布的检查事项不得检查" in str(exc.value)
    assert not RandomInspectionItem.objects.exists()


def test_inspection_item_create_records_a_draft(personas: Personas) -> None:
    row = inspection_row(personas, item(personas, "JC-1", "inspection"))
    assert row.status == RandomInspectionItem.Status.DRAFT
    action, payload = last_entry()
    assert action == "registry.inspection_item.create"
    assert payload["power_item"]["code"] == "JC-1" and payload["content"] == "进货查验"


def test_inspection_item_publish_refuses_when_its_power_was_repealed_meanwhile(
    personas: Personas,
) -> None:
    power = item(personas, "JC-1", "inspection")
    row = inspection_row(personas, power)
    services.power_item_repeal(actor=personas.admin, item=power, reason="取消", on=ON)
    with pytest.raises(RuleViolation) as exc:
        services.inspection_item_publish(actor=personas.admin, item=row, on=ON)
    assert exc.value.article == "国办发〔2024〕54号"


def test_a_revision_supersedes_the_published_version_when_published(personas: Personas) -> None:
    row = services.inspection_item_publish(
        actor=personas.admin,
        item=inspection_row(personas, item(personas, "JC-1", "inspection")),
        on=date(2025, 3, 1),
    )
    draft = services.inspection_item_revise(
        actor=personas.admin, item=row, change_note="提高比例", ratio_frequency="10%"
    )
    assert (draft.version, draft.previous_id, draft.status) == (2, row.pk, "draft")
    with pytest.raises(RuleViolation):  # one pending revision at a time
        services.inspection_item_revise(actor=personas.admin, item=row, change_note="再改")
    services.inspection_item_publish(actor=personas.admin, item=draft, on=ON)
    row.refresh_from_db()
    assert row.status == RandomInspectionItem.Status.SUPERSEDED
    action, payload = last_entry()
    assert action == "registry.inspection_item.publish"
    assert payload["superseded"] == {"id": row.pk, "version": 1}
    assert [v.version for v in selectors.listing_versions(draft)] == [2, 1]


def test_withdrawal_keeps_the_row_with_its_date_and_reason_and_is_final(
    personas: Personas,
) -> None:
    row = services.inspection_item_publish(
        actor=personas.admin,
        item=inspection_row(personas, item(personas, "JC-1", "inspection")),
        on=date(2025, 3, 1),
    )
    services.inspection_item_withdraw(actor=personas.admin, item=row, reason="合并", on=ON)
    row.refresh_from_db()
    assert (row.status, row.withdrawn_on, row.withdrawal_reason) == ("withdrawn", ON, "合并")
    action, payload = last_entry()
    assert action == "registry.inspection_item.withdraw"
    assert payload["from"] == "published" and payload["reason"] == "合并"
    with pytest.raises(RuleViolation):
        services.inspection_item_publish(actor=personas.admin, item=row, on=ON)
    with pytest.raises(RuleViolation):
        services.inspection_item_withdraw(actor=personas.admin, item=row, reason="再撤", on=ON)


def test_withdrawal_needs_a_reason(personas: Personas) -> None:
    row = inspection_row(personas, item(personas, "JC-1", "inspection"))
    with pytest.raises(RuleViolation) as exc:
        services.inspection_item_withdraw(actor=personas.admin, item=row, reason=" ", on=ON)
    assert exc.value.field == "reason"


# -- 裁量基准 ---------------------------------------------------------------------------------


def test_discretion_benchmark_create_stores_grades_in_order_and_records_them(
    personas: Personas,
) -> None:
    b = benchmark(personas, power_item=item(personas, "CF-1", "penalty"))
    assert [g.level for g in b.grades.all()] == ["mitigated", "lighter", "standard"]
    action, payload = last_entry()
    assert action == "registry.discretion_benchmark.create"
    assert payload["grades"][1]["max_amount"] == "18500.00"


def test_mitigated_penalty_must_lie_below_the_statutory_minimum(personas: Personas) -> None:
    grades = [
        Grade("mitigated", "情节", "减轻", Decimal(0), Decimal(6000)),
        Grade("lighter", "情节", "从轻", Decimal(5000), Decimal(18500)),
    ]
    with pytest.raises(RuleViolation) as exc:
        benchmark(personas, grades)
    assert exc.value.article == "《行政处罚法》第三十二条"


@pytest.mark.parametrize(
    ("grades", "message"),
    [
        ([], "至少列明一个裁量阶次"),
        ([Grade("lighter", "a", "b"), Grade("lighter", "c", "d")], "重复"),
        ([Grade("lighter", "a", "b", Decimal(10), Decimal(5))], "上限低于下限"),
        ([Grade("lighter", "", "b")], "适用条件不能为空"),
        ([Grade("harsh", "a", "b")], "无效"),
    ],
)
def test_discretion_benchmark_refuses_bad_grades(
    personas: Personas, grades: list[Grade], message: str
) -> None:
    with pytest.raises(RuleViolation, match=message):
        benchmark(personas, grades)


def test_discretion_benchmark_power_item_must_be_a_published_penalty(personas: Personas) -> None:
    with pytest.raises(RuleViolation) as exc:
        benchmark(personas, power_item=item(personas, "JC-1", "inspection"))
    assert exc.value.article == "国办发〔2022〕27号"


def test_discretion_benchmark_revision_keeps_or_replaces_the_grades(personas: Personas) -> None:
    b = services.discretion_benchmark_publish(
        actor=personas.admin, benchmark=benchmark(personas), on=date(2025, 3, 1)
    )
    same = services.discretion_benchmark_revise(
        actor=personas.admin, benchmark=b, change_note="改依据", basis="新依据"
    )
    assert [g.level for g in same.grades.all()] == ["mitigated", "lighter", "standard"]
    assert b.grades.count() == 3  # the published version keeps its own rows
    services.discretion_benchmark_withdraw(
        actor=personas.admin, benchmark=same, reason="作废", on=ON
    )
    new = services.discretion_benchmark_revise(
        actor=personas.admin,
        benchmark=b,
        change_note="只留一般",
        grades=[Grade("standard", "一般", "一般")],
    )
    assert [g.level for g in new.grades.all()] == ["standard"]
    action, payload = last_entry()
    assert action == "registry.discretion_benchmark.revise"
    assert payload["previous"] == {"id": b.pk, "version": 1}


# -- 免罚轻罚清单 and region scope -------------------------------------------------------


def lenient(p: Personas, actor: Account, **overrides: Any) -> LenientListItem:
    fields: dict[str, Any] = {
        "actor": actor,
        "kind": "no_penalty",
        "region_code": "130300",
        "issuer": "示范市市场监督管理局",
        "domain": p.domain,
        "violation": "未公示营业执照",
        "basis": "《行政处罚法》第三十三条",
        "conditions": "首次违法",
        "standard": "不予处罚",
    }
    return services.lenient_item_create(**(fields | overrides))


def test_lenient_item_lifecycle_is_recorded(personas: Personas) -> None:
    row = lenient(personas, personas.admin)
    assert last_entry()[0] == "registry.lenient_item.create"
    services.lenient_item_publish(actor=personas.admin, item=row, on=ON)
    assert last_entry()[0] == "registry.lenient_item.publish"
    new = services.lenient_item_revise(
        actor=personas.admin, item=row, change_note="明确条件", conditions="首次违法且及时改正"
    )
    assert last_entry()[0] == "registry.lenient_item.revise"
    services.lenient_item_withdraw(actor=personas.admin, item=new, reason="放弃", on=ON)
    assert last_entry()[0] == "registry.lenient_item.withdraw"


def test_lenient_item_refuses_an_unknown_kind(personas: Personas) -> None:
    with pytest.raises(RuleViolation, match="清单类别"):
        lenient(personas, personas.admin, kind="amnesty")


def test_a_region_list_needs_an_admin_whose_region_covers_it(personas: Personas) -> None:
    city_admin = services.account_create(
        actor=personas.admin,
        username="city_admin",
        password="x" * 12,
        role=Account.Role.ADMIN,
        region_code="130300",
    )
    assert lenient(personas, city_admin, region_code="130302").region_code == "130302"
    with pytest.raises(RuleViolation, match="区域"):
        lenient(personas, city_admin, region_code="140000")
    agency_admin = services.account_create(
        actor=personas.admin,
        username="agency_admin",
        password="x" * 12,
        role=Account.Role.ADMIN,
        agency=personas.agency_a,
    )
    with pytest.raises(RuleViolation):
        lenient(personas, agency_admin)
    with pytest.raises(RuleViolation):  # not an administrator at all
        lenient(personas, personas.officer)


def test_listings_of_an_agency_are_visible_to_its_accounts_only(personas: Personas) -> None:
    row = inspection_row(personas, item(personas, "JC-1", "inspection"))
    assert list(selectors.inspection_items_visible_to(personas.officer)) == [row]
    assert not selectors.inspection_items_visible_to(personas.officer_b).exists()
    assert list(selectors.inspection_items_visible_to(personas.supervisor)) == [row]


# -- the demo -------------------------------------------------------------------------------


def test_city_public_load_fills_every_list_once(db: None) -> None:
    demo.city_load()
    first = demo_public.city_public_load()
    assert not first.already
    assert first.counts["agencies"] == Agency.objects.count()
    assert first.counts["inspection_items"] > 10
    assert DiscretionBenchmark.objects.filter(status="published").count() == 4
    assert LenientListItem.objects.filter(status="published").count() == 9
    # The SAMR 2025 entries with their source, tied to the city's power items.
    samr = LenientListItem.objects.filter(source__contains="国市监法〔2025〕10号")
    assert samr.count() == 4 and all(i.power_items.exists() for i in samr)
    assert not Agency.objects.filter(supervision="").exists()
    again = demo_public.city_public_load()
    assert again.already and not again.counts
