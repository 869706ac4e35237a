"""The generated first draft of the 情况说明 (the narrative of a filing); pure.

大同市行政执法统计年报制度 art 3: the 年报 is the 行政执法数据 plus a 行政执法情况说明. zhifa writes
the first draft from the figures — the main figures of the period and their change against the
same period of last year — and the agency edits it before submitting. Figures are
``{indicator: {"count": n, "amount": "123.45"|None}}`` as a filing stores them.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

# (indicator, what the sentence says, unit, by amount): the main figures, in the order of the draft.
MAIN: tuple[tuple[str, str, str, bool], ...] = (
    ("penalty.total", "作出行政处罚决定", "件", False),
    ("penalty.amount", "罚没金额", "元", True),
    ("penalty.not_penalised", "作出不予行政处罚决定", "件", False),
    ("penalty.mitigated", "减轻处罚", "件", False),
    ("coercion.measure.seal", "实施查封", "件", False),
    ("coercion.measure.seize", "实施扣押", "件", False),
    ("inspection.count", "开展行政检查", "次", False),
    ("licensing.granted", "作出准予行政许可决定", "件", False),
    ("penalty.reconsidered", "被申请行政复议", "件", False),
    ("penalty.litigated", "被提起行政诉讼", "件", False),
)


def _value(figures: Mapping[str, Any], code: str, by_amount: bool) -> Decimal:
    fig = figures.get(code) or {}
    if by_amount:
        return Decimal(str(fig.get("amount") or 0))
    return Decimal(int(fig.get("count") or 0))


def _num(value: Decimal, unit: str) -> str:
    if unit == "元":
        return f"{value:,.2f}元"
    return f"{int(value)}{unit}"


def change(now: Decimal, before: Decimal, unit: str) -> str:
    """ "比上年同期增加3件（增长50.0%）", "减少…", "与上年同期持平", or, last year 0, the plain
    increase without a rate."""
    if now == before:
        return "与上年同期持平"
    diff = now - before
    word = "增加" if diff > 0 else "减少"
    text = f"比上年同期{word}{_num(abs(diff), unit)}"
    if before:
        rate = abs(diff) * 100 / before
        text += f"（{'增长' if diff > 0 else '下降'}{rate:.1f}%）"
    else:
        text += "（上年同期为0）"
    return text


def draft(
    *,
    agency_name: str,
    period_label: str,
    figures: Mapping[str, Any],
    previous: Mapping[str, Any],
) -> str:
    """The first draft of the 情况说明 of ``agency_name`` for ``period_label``."""
    lines = [f"{agency_name}{period_label}行政执法情况说明（初稿）", ""]
    lines.append(f"一、主要数据。{period_label}，本机关：")
    n = 0
    for code, what, unit, by_amount in MAIN:
        now = _value(figures, code, by_amount)
        before = _value(previous, code, by_amount)
        if not now and not before:
            continue
        n += 1
        lines.append(f"（{n}）{what}{_num(now, unit)}，{change(now, before, unit)}。")
    if n == 0:
        lines.append("本统计期内未作出行政处罚、行政强制、行政检查、行政许可等执法行为。")
    lines += [
        "",
        "二、变化原因分析。（请说明主要数据增减的原因。）",
        "",
        "三、存在的问题和下一步工作。（请填写。）",
    ]
    return "\n".join(lines)
