"""重大执法决定未经法制审核: a decision the review catalog found major, made with no
concluded legal review on or before its day.

《行政处罚法》第五十八条: before a major decision the agency's legal-review body reviews it;
without the review, or where the review did not pass, no decision may be made. The review app
stores the catalog's verdict (its latest ``Assessment``) and the review rounds; the rule looks
at decisions of the last ``period`` days.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal

from zhifa.law import penalty

from .. import facts as f
from . import Fact, Finding, Rule, RuleSetting, fires, register_rule

CODE = "review_missing"
ARTICLE = penalty.article("五十八")


def evaluate(
    rows: Sequence[f.UnreviewedDecision], *, today: date, setting: RuleSetting
) -> list[Finding]:
    """A finding per such decision (the measure is 1: one decision). Pure."""
    return [
        Finding(
            subject=f"case:{r.id}",
            agency_id=r.agency_id,
            division_code=r.division_code,
            title=f"{r.label}：重大执法决定未经法制审核即于{r.decided_on.isoformat()}作出",
            measure=Decimal(1),
            facts=(Fact("case", r.id, r.label, f"决定日期{r.decided_on.isoformat()}"),),
        )
        for r in rows
        if fires(1, setting, "at_least") and (today - r.decided_on).days <= setting.period
    ]


def collect(setting: RuleSetting, today: date) -> Iterable[Finding]:
    rows = f.major_decisions_without_review(today - timedelta(days=setting.period), today)
    return evaluate(rows, today=today, setting=setting)


RULE = register_rule(
    Rule(
        code=CODE,
        label="重大执法决定未经法制审核",
        article=ARTICLE,
        measure_label="决定件数",
        default=RuleSetting(enabled=True, threshold=Decimal(1), period=365, source=ARTICLE),
        collect=collect,
        period_label="检查近若干日作出的决定",
        order=30,
    )
)
