"""Import and export of templates: round trip, row errors in Chinese, nothing written on error,
imports make drafts."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from zhifa.core.exceptions import RuleViolation
from zhifa.evaluation import services_templates, template_transfer
from zhifa.evaluation.models import Template
from zhifa.evaluation.standard_templates import standard_templates_install
from zhifa.evaluation.template_transfer import TransferError
from zhifa.evaluation.tests.conftest import publish_template
from zhifa.record.models import Entry
from zhifa.supervision.tests.conftest import Bureau

pytestmark = pytest.mark.django_db
ON = date(2026, 3, 2)


def _xlsx(t: Template) -> bytes:
    out = io.BytesIO()
    template_transfer.export_xlsx(t, out)
    return out.getvalue()


def test_xlsx_and_json_round_trips_give_equal_content(bureau: Bureau) -> None:
    templates = [publish_template(bureau), *standard_templates_install(bureau.sup1, ON)]
    for t in templates:
        for header in (
            template_transfer.import_xlsx(_xlsx(t)),
            template_transfer.import_json(template_transfer.export_json(t)),
        ):
            assert header["content"] == t.content, t.key
            assert (header["key"], header["name"], header["applies_to"]) == (
                t.key,
                t.name,
                t.applies_to,
            )
            assert header["veto_effect"] == t.veto_effect
            assert header["valid_from"] == t.valid_from


def test_the_xlsx_has_the_four_sheets_in_chinese(bureau: Bureau) -> None:
    t = publish_template(bureau)
    wb = load_workbook(io.BytesIO(_xlsx(t)))
    assert wb.sheetnames == ["基本信息", "评查项目", "否决项", "等次"]
    items = list(wb["评查项目"].iter_rows(values_only=True))
    assert items[0][:6] == ("部分编号", "部分名称", "部分分值", "项目编号", "评查内容", "分值")
    assert items[1][6] == "固定扣分"
    assert (
        dict((r[0], r[1]) for r in wb["基本信息"].iter_rows(min_row=2, values_only=True))[
            "适用案卷"
        ]
        == "行政处罚（普通程序）"
    )


def _edited(t: Template, edit: object) -> bytes:
    wb = load_workbook(io.BytesIO(_xlsx(t)))
    edit(wb)  # type: ignore[operator]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_faulty_cells_are_all_reported_with_row_and_column_and_nothing_is_written(
    bureau: Bureau,
) -> None:
    t = publish_template(bureau)
    count = Template.objects.count()
    entries = Entry.objects.count()

    def edit(wb: object) -> None:
        items = wb["评查项目"]  # type: ignore[index]
        items["F3"] = "abc"  # 分值 of the second row
        items["G4"] = "按月扣分"  # 扣分方式 of the third
        wb["基本信息"]["B7"] = "2026年1月1日"  # type: ignore[index]  # 施行日期

    with pytest.raises(TransferError) as exc:
        template_transfer.import_xlsx(_edited(t, edit))
    messages = [str(e) for e in exc.value.errors]
    assert (
        messages[0]
        == "工作表“基本信息”第7行第B列：施行日期“2026年1月1日”不是日期（写作2026-01-01）"
    )
    assert messages[1] == "工作表“评查项目”第3行第F列：“abc”不是数字"
    assert messages[2].startswith("工作表“评查项目”第4行第G列：“按月扣分”不是可选的值")
    assert Template.objects.count() == count and Entry.objects.count() == entries


def test_a_rule_error_is_placed_at_its_items_row(bureau: Bureau) -> None:
    t = publish_template(bureau)

    def edit_range(wb: object) -> None:
        wb["评查项目"]["J4"] = 20  # type: ignore[index]  # B1 range min 20 > max 15

    with pytest.raises(TransferError) as exc:
        template_transfer.import_xlsx(_edited(t, edit_range))
    assert str(exc.value).startswith("工作表“评查项目”第4行：第2部分第1项的扣分区间")


def test_an_import_makes_a_draft_and_never_touches_the_published_version(
    bureau: Bureau,
) -> None:
    t = publish_template(bureau)
    header = template_transfer.import_xlsx(_xlsx(t))
    header["content"]["sections"][0]["name"] = "卷面标准"
    draft = services_templates.template_import(actor=bureau.sup1, header=header, on=ON)
    assert (draft.status, draft.version, draft.previous_id) == ("draft", 2, t.pk)
    t.refresh_from_db()
    assert t.status == "published" and t.content["sections"][0]["name"] == "卷面"
    with pytest.raises(RuleViolation, match="未发布的草稿"):
        services_templates.template_import(actor=bureau.sup1, header=header, on=ON)
    fresh = dict(header, key="NEW-KEY")
    assert services_templates.template_import(actor=bureau.sup1, header=fresh, on=ON).version == 1


def test_a_json_that_is_not_a_template_is_refused_in_chinese() -> None:
    with pytest.raises(TransferError, match="不是有效的JSON"):
        template_transfer.import_json(b"{not json")
    with pytest.raises(TransferError, match="content"):
        template_transfer.import_json(json.dumps({"key": "x"}))
    with pytest.raises(TransferError, match=r"不是有效的\.xlsx"):
        template_transfer.import_xlsx(b"PK not really")


def test_a_json_with_a_bad_number_or_shape_names_it(bureau: Bureau) -> None:
    t = publish_template(bureau)
    data = json.loads(template_transfer.export_json(t))
    data["content"]["sections"][1]["items"][0]["max_points"] = "abc"
    with pytest.raises(TransferError) as exc:
        template_transfer.import_json(json.dumps(data))
    assert str(exc.value) == "第3行第“分值”列：“abc”不是数字"
    data["content"]["sections"][0]["items"] = ["not an item"]
    with pytest.raises(TransferError, match="JSON的评查内容格式不正确"):
        template_transfer.import_json(json.dumps(data))
