"""Import and export of the 包容审慎监管 lists: all rows or none, errors with their row numbers;
an export imports back."""

from __future__ import annotations

import io

from zhifa.core.testing import Personas
from zhifa.registry import services
from zhifa.registry.exporting import registry_export
from zhifa.registry.importing import LENIENT_ITEMS, LENIENT_SCHEMA
from zhifa.registry.models import LenientListItem, PowerItem
from zhifa.registry.tabular import read_table

from .test_importing import TODAY, csv_file, messages, run
from .test_registry_replay import registry_problems


def _item(personas: Personas) -> PowerItem:
    item = services.power_item_create(
        actor=personas.admin,
        agency=personas.agency_a,
        code="330217",
        name="对经营超过保质期食品的行政处罚",
        category="penalty",
        domain=personas.domain,
        implementing_level="county",
        bases=[services.Basis("中华人民共和国食品安全法", "第一百二十四条")],
    )
    return services.power_item_publish(actor=personas.admin, item=item, on=TODAY)


def _row(personas: Personas, **over: str) -> list[str]:
    values = {
        "清单类别": "首违不罚",
        "适用主体统一社会信用代码": personas.agency_a.credit_code,
        "适用区域": "",
        "制定机关": "国家市场监督管理总局",
        "执法领域": personas.domain.name,
        "违法行为": "经营超过保质期的食品",
        "违反条款": "《中华人民共和国食品安全法》第三十四条第十项",
        "处罚依据": "《中华人民共和国食品安全法》第一百二十四条第一款第五项",
        "适用条件": "初次违法；危害后果轻微；及时改正",
        "裁量标准": "不予行政处罚",
        "配套措施": "责令改正、履行召回义务",
        "其他配套措施": "",
        "适用的权责清单事项编码": "330217",
        "来源": "国市监法〔2025〕10号",
        "状态": "已公布",
    } | over
    return [values[h] for h in LENIENT_SCHEMA.headers]


def test_a_list_imports_all_or_nothing_with_row_numbers(personas: Personas) -> None:
    _item(personas)
    bad = csv_file(
        [
            LENIENT_SCHEMA.headers,
            _row(personas),
            _row(personas, 配套措施="罚款"),
            _row(personas, 适用条件="", 适用的权责清单事项编码="999"),
        ]
    )
    result = run(personas.admin, LENIENT_ITEMS, bad)
    assert not result.ok and result.created == 0
    found = messages(result)
    assert any(m.startswith("第3行「配套措施」：“罚款”无效") for m in found)
    assert "第4行「适用条件」：必填项不能为空" in found
    assert "第4行「适用的权责清单事项编码」：未找到已发布的事项：999" in found
    assert not LenientListItem.objects.exists()  # nothing of row 2 either

    good = csv_file(
        [LENIENT_SCHEMA.headers, _row(personas), _row(personas, 清单类别="轻微不罚（不予处罚）")]
    )
    result = run(personas.admin, LENIENT_ITEMS, good)
    assert result.ok and result.created == 2
    first = LenientListItem.objects.get(kind="first_violation")
    assert first.status == "published"
    assert first.conditions == ["初次违法", "危害后果轻微", "及时改正"]
    assert first.measures == ["correct", "recall"]
    assert [p.code for p in first.power_items.all()] == ["330217"]

    out = io.BytesIO()
    registry_export(account=personas.admin, kind=LENIENT_ITEMS, fmt="csv", out=out)
    table = read_table(out.getvalue(), "export.csv")
    assert table.headers == LENIENT_SCHEMA.headers
    exported = [[c.replace("\n", "；") for c in cells] for _n, cells in table.rows]
    assert _row(personas) in exported  # the order of the kinds; conditions one a line


def test_verify_catches_a_list_row_changed_behind_the_logs_back(personas: Personas) -> None:
    item = _item(personas)
    row = services.lenient_item_create(
        actor=personas.admin,
        kind="first_violation",
        agency=personas.agency_a,
        issuer="国家市场监督管理总局",
        domain=personas.domain,
        violation="经营超过保质期的食品",
        basis="《中华人民共和国食品安全法》第一百二十四条",
        conditions="初次违法；及时改正",
        standard="不予行政处罚",
        power_items=[item],
    )
    assert registry_problems() == []
    row.power_items.clear()  # the entry's power items taken away in SQL
    LenientListItem.objects.filter(pk=row.pk).update(conditions=["及时改正"])
    assert [p.kind for p in registry_problems()] == ["registry_row_altered"]
