"""Typographic rules of documents (cases/typography.py): pure, table-driven."""

from __future__ import annotations

import pytest

from zhifa.cases.rendering.markup import Block, BlockKind
from zhifa.cases.typography import (
    block_tidy,
    line_units,
    tidy,
    without_doubled_lead_in,
    without_doubled_punctuation,
    wrap,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("经查，经查，当事人销售过期牛奶", "经查，当事人销售过期牛奶"),
        ("经查，经查明，当事人销售过期牛奶", "经查明，当事人销售过期牛奶"),
        ("经查，经本局调查，当事人销售过期牛奶", "经本局调查，当事人销售过期牛奶"),
        ("经查，经查当事人销售过期牛奶", "经查当事人销售过期牛奶"),
        ("经查：经查，当事人", "经查，当事人"),
        # Not a lead-in: 查封, 查处 are other words; a single lead-in stays.
        ("经查，经查封的物品共12件", "经查，经查封的物品共12件"),
        ("经查，当事人经查处后仍继续经营", "经查，当事人经查处后仍继续经营"),
        ("经查，经营者未公示许可证", "经查，经营者未公示许可证"),
    ],
)
def test_a_doubled_lead_in_keeps_the_officer_s_own(text: str, expected: str) -> None:
    assert without_doubled_lead_in(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("销售过期牛奶12盒。。", "销售过期牛奶12盒。"),
        ("销售过期牛奶12盒。。。上述事实", "销售过期牛奶12盒。上述事实"),
        ("岂能如此！。", "岂能如此！"),
        ("是否属实？。", "是否属实？"),
        ("当事人称系店员疏忽；。本机关", "当事人称系店员疏忽。本机关"),
        ("当事人称系店员疏忽，。", "当事人称系店员疏忽。"),
        ("警告，，罚款", "警告，罚款"),
        ("罚款30000.00元。", "罚款30000.00元。"),
        ("（见附件。）。", "（见附件。）。"),  # a full stop after a bracket is not doubled
        ("此后……。", "此后……。"),  # the ellipsis is not a doubled full stop
    ],
)
def test_no_doubled_punctuation(text: str, expected: str) -> None:
    assert without_doubled_punctuation(text) == expected


def test_tidy_applies_both_rules_to_block_text_and_table_cells() -> None:
    assert tidy("经查，经查，当事人销售过期牛奶。。") == "经查，当事人销售过期牛奶。"
    block = block_tidy(Block(BlockKind.TABLE, rows=(("说明", "经查，经查明，属实。。"),)))
    assert block.rows == (("说明", "经查明，属实。"),)
    assert block_tidy(Block(BlockKind.PARAGRAPH, "属实；。")).text == "属实。"


@pytest.mark.parametrize(
    ("text", "units"),
    [
        ("罚款30000.00元", ["罚", "款", "30000.00元"]),
        ("于2026-06-30日", ["于", "2026-06-30", "日"]),
        ("人民币12,000.50元整", ["人", "民", "币", "12,000.50元", "整"]),
        ("（大写：叁万元整）。", ["（大", "写：", "叁", "万", "元", "整）。"]),
        ("示范市监罚〔2026〕12号", ["示", "范", "市", "监", "罚", "〔2026〕", "12", "号"]),
        ("A&B <测试>", ["A", "&", "B", " ", "<", "测", "试", ">"]),
    ],
)
def test_line_units_keep_numbers_and_marks_with_their_text(text: str, units: list[str]) -> None:
    assert line_units(text) == units
    assert "".join(units) == text


def _width(text: str) -> float:
    return float(len(text))  # one unit per character


def test_wrap_never_splits_a_number_that_fits_on_a_line() -> None:
    for lead in range(12):
        text = "甲" * lead + "罚款人民币30000.00元（大写：叁万元整）"
        lines = wrap(text, _width, 10)
        assert all(len(line) <= 10 for line in lines)
        assert "".join(lines) == text
        assert any("30000.00元" in line for line in lines), lines
        assert not any(line[0] in "，。）：" for line in lines), lines


def test_wrap_splits_only_a_unit_wider_than_a_line() -> None:
    assert wrap("号码1234567890123", _width, 8) == ["号码", "12345678", "90123"]
    assert wrap("", _width, 8) == [""]
    assert wrap("甲乙 丙丁", _width, 3) == ["甲乙", "丙丁"]
