"""A published decision's heading in lists: its number, its party as published, its title."""

from __future__ import annotations

import pytest

from zhifa.publicity.search.headings import decision_heading


@pytest.mark.parametrize(
    ("number", "subject", "title", "heading"),
    [
        ("甲市监罚〔2026〕2号", "示范市康宁大药房有限公司", "药品零售企业销售假药",
         "甲市监罚〔2026〕2号 · 示范市康宁大药房有限公司 · 药品零售企业销售假药"),
        ("甲市监罚〔2026〕3号", "欧阳某", "行政处罚", "甲市监罚〔2026〕3号 · 欧阳某 · 行政处罚"),
        ("甲市监罚〔2026〕4号", "", "行政处罚", "甲市监罚〔2026〕4号 · 行政处罚"),
        ("甲市监许〔2026〕5号", "好味餐饮店", "好味餐饮店", "甲市监许〔2026〕5号 · 好味餐饮店"),
    ],
)  # fmt: skip
def test_decision_heading(number: str, subject: str, title: str, heading: str) -> None:
    assert decision_heading(decision_number=number, subject=subject, title=title) == heading
