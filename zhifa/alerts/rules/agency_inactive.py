"""有处罚权无执法案件: an agency holding published penalty powers that opened no more than
``threshold`` penalty cases in the last complete quarter.

《行政执法监督条例》第十一条第二款第（四）项 (执法不作为) and 第三十七条 (预警); the quarterly
statistics of 《天津市行政执法监督规定》第二十六条 and its 第十七条 专项说明 for an agency that
made no decision. "In a quarter": the last complete calendar quarter (the period setting is
unused).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal

from .. import facts as f
from . import Fact, Finding, Rule, RuleSetting, fires, register_rule

CODE = "agency_inactive"
ARTICLE = "《行政执法监督条例》第十一条、第三十七条；《天津市行政执法监督规定》第十七条、第二十六条"


def evaluate(
    rows: Sequence[f.AgencyActivity], *, quarter: str, setting: RuleSetting
) -> list[Finding]:
    """A finding per agency whose case count is at most ``threshold``. Pure."""
    return [
        Finding(
            subject=f"agency:{a.id}",
            agency_id=a.id,
            division_code=a.division_code,
            title=f"{a.name}：{quarter}立行政处罚案件{a.cases}件",
            measure=Decimal(a.cases),
            facts=(
                Fact(
                    "agency",
                    a.id,
                    a.name,
                    f"{quarter}行政处罚案件{a.cases}件，持有行政处罚权力事项",
                ),
            ),
        )
        for a in rows
        if fires(a.cases, setting, "at_most")
    ]


def collect(setting: RuleSetting, today: date) -> Iterable[Finding]:
    first, last, quarter = f.previous_quarter(today)
    return evaluate(f.penalty_agencies_activity(first, last), quarter=quarter, setting=setting)


RULE = register_rule(
    Rule(
        code=CODE,
        label="持有行政处罚权但季度内无处罚案件",
        article=ARTICLE,
        measure_label="上一季度行政处罚案件数（不超过阈值即预警）",
        default=RuleSetting(enabled=True, threshold=Decimal(0), period=0, source=ARTICLE),
        collect=collect,
        direction="at_most",
        order=50,
    )
)
