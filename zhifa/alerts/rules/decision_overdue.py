"""案件超过办案期限未作出决定: a case still awaiting its decision past the 第六十条 limit.

《行政处罚法》第六十条: the decision is made within 90 days of 立案 (longer where a law, rule or
an approved extension allows). The limit is the one the cases app stored (``decision_deadline``,
extension included); the rule fires once the case is ``threshold`` calendar days past it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from zhifa.law import penalty

from .. import facts as f
from . import Fact, Finding, Rule, RuleSetting, fires, register_rule

CODE = "decision_overdue"
ARTICLE = penalty.article("六十")


def evaluate(cases: Sequence[f.OverdueCase], *, today: date, setting: RuleSetting) -> list[Finding]:
    """A finding per case at least ``threshold`` days past its deadline. Pure."""
    out = []
    for c in cases:
        days = (today - c.deadline).days
        if not fires(days, setting, "at_least"):
            continue
        note = f"办案期限{c.deadline.isoformat()}" + (
            f"（已批准延长至{c.extended_to.isoformat()}）" if c.extended_to else "（未批准延长）"
        )
        out.append(
            Finding(
                subject=f"case:{c.id}",
                agency_id=c.agency_id,
                division_code=c.division_code,
                title=f"{c.label}：超过办案期限{days}日未作出决定",
                measure=Decimal(days),
                facts=(Fact("case", c.id, c.label, note),),
            )
        )
    return out


def collect(setting: RuleSetting, today: date) -> Iterable[Finding]:
    return evaluate(f.cases_past_decision_limit(today), today=today, setting=setting)


RULE = register_rule(
    Rule(
        code=CODE,
        label="案件超过办案期限未作出决定",
        article=ARTICLE,
        measure_label="超过期限天数",
        default=RuleSetting(enabled=True, threshold=Decimal(1), period=0, source=ARTICLE),
        collect=collect,
        order=10,
    )
)
