"""The early warning 重大行政处罚决定逾期未备案, registered with the alerts app (which imports
no app beside it): a major penalty decision still unfiled this many days after its filing
deadline (``filings.file`` of core.time_limits, with its source).

The rule runs in full every time, not incrementally: its measure (days past the deadline) grows
every day on every firing warning, so every warning changes each day and a run that examined
only what changed would leave their days behind. What it reads is cheap instead: the major test
runs in SQL (``selectors.major_q``) and only the columns a warning names are read."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from zhifa.alerts.rules import Fact, Finding, Rule, RuleSetting, fires
from zhifa.core.time_limits import time_limit

from .selectors import Overdue, decisions_overdue_everywhere

CODE = "filing_overdue"


def evaluate(rows: Iterable[Overdue], *, setting: RuleSetting) -> list[Finding]:
    """A finding per decision overdue by at least the threshold (days past the deadline)."""
    out = []
    for u in rows:
        days = -u.remaining
        if days <= 0 or not fires(days, setting, "at_least"):
            continue
        out.append(
            Finding(
                subject=f"case:{u.case_id}",
                agency_id=u.agency_id,
                division_code=u.division_code,
                title=f"{u.number}：重大行政处罚决定逾期{days}日未备案",
                measure=Decimal(days),
                facts=(Fact("case", u.case_id, u.number, f"备案期限{u.due_on.isoformat()}"),),
            )
        )
    return out


def collect(setting: RuleSetting, today: date) -> Iterable[Finding]:
    return evaluate(decisions_overdue_everywhere(today), setting=setting)


def rule() -> Rule:
    source = time_limit("filings.file").source
    return Rule(
        code=CODE,
        label="重大行政处罚决定逾期未备案",
        article=source,
        measure_label="逾期天数",
        default=RuleSetting(enabled=True, threshold=Decimal(1), period=0, source=source),
        collect=collect,
        order=60,
    )
