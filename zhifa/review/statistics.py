"""Reads behind the review pages: the queue's rows (countdown in working days, what the catalog
matched), the review statistics per agency with the reviewer ratio of 国办发〔2018〕118号, and the
catalog editor's "test this rule against past cases" preview.

Every list starts from a ``*_visible_to`` scope; nothing here writes. The rules stay in
``major_decisions`` (the preview evaluates a candidate rule with ``evaluate``) and the time
limits in ``time_limits``; this module only counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from statistics import median
from typing import Any

from zhifa.cases.models import Case
from zhifa.cases.selectors import Countdown, cases_visible_to
from zhifa.cases.services import PendingDecision
from zhifa.core.calendar import current_calendar
from zhifa.core.exceptions import CalendarUnknown
from zhifa.law.periods import Unit
from zhifa.registry.models import Account, Agency, Officer
from zhifa.registry.selectors import agencies_visible_to

from . import time_limits
from .major_decisions import Rule, evaluate
from .models import Assessment, Submission
from .selectors import case_facts, reviews_visible_to

# 国办发〔2018〕118号: 原则上各级行政执法机关的法制审核人员不少于本单位执法人员总数的5%.
REVIEWER_FLOOR = Fraction(5, 100)
REVIEWER_FLOOR_RULE = "国办发〔2018〕118号（法制审核人员原则上不少于执法人员总数的5%）"
PREVIEW_LIMIT = 500  # past decisions a preview evaluates, newest first


def _workdays(a: date, b: date) -> tuple[int, str]:
    """Working days in (a, b] on the statutory calendar; calendar days where it is unknown."""
    try:
        return current_calendar().workdays_between(a, b), Unit.WORKING_DAYS.value
    except CalendarUnknown:
        return (b - a).days, Unit.CALENDAR_DAYS.value


# -- the queue ------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    """A round in a list: its countdown (None while the clock is stopped) and the catalog
    matches in force for its case (each ``{"reason", "source", …}``)."""

    submission: Submission
    due: Countdown | None
    matches: list[dict[str, Any]]


def review_countdown(submission: Submission, today: date) -> Countdown | None:
    """Working days left of the review's time limit on ``today`` (negative: overdue)."""
    if not submission.is_open or submission.state == Submission.State.PAUSED:
        return None
    remaining, unit = _workdays(today, submission.due_on)
    return Countdown(
        "审核期限",
        submission.due_on,
        remaining,
        unit,
        time_limits.RULE,
        submission.due_provisional,
    )


def review_rows(rounds: Iterable[Submission], today: date) -> list[QueueRow]:
    rounds = list(rounds)
    matches: dict[int, list[dict[str, Any]]] = {}
    for case_id, found in (
        Assessment.objects.filter(case_id__in={r.case_id for r in rounds})
        .order_by("case_id", "id")
        .values_list("case_id", "matches")
    ):
        matches[case_id] = list(found)  # the latest row of each case wins
    return [QueueRow(r, review_countdown(r, today), matches.get(r.case_id, [])) for r in rounds]


# -- statistics -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgencyStatistics:
    """The reviews of one agency: rounds, outcomes (label → count), the median working days
    from submission to opinion, rounds overdue now, opinions given late, and its staffing."""

    agency: Agency
    rounds: int
    concluded: int
    outcomes: list[tuple[str, int]]
    median_workdays: Decimal | None
    overdue: int
    late: int
    reviewers: int
    officers: int

    @property
    def ratio(self) -> Fraction | None:
        return Fraction(self.reviewers, self.officers) if self.officers else None

    @property
    def ratio_percent(self) -> Decimal | None:
        ratio = self.ratio
        if ratio is None:
            return None
        return (Decimal(ratio.numerator) * 100 / Decimal(ratio.denominator)).quantize(
            Decimal("0.1")
        )

    @property
    def below_floor(self) -> bool:
        ratio = self.ratio
        return ratio is not None and ratio < REVIEWER_FLOOR


def review_statistics(account: Account, today: date) -> list[AgencyStatistics]:
    """One row per agency ``account`` sees, in division order."""
    agencies = list(agencies_visible_to(account).order_by("division_code", "name"))
    rounds = reviews_visible_to(account).values_list(
        "case__agency_id", "state", "outcome_label", "submitted_on", "concluded_on", "due_on"
    )
    per: dict[int, list[tuple[Any, ...]]] = {a.pk: [] for a in agencies}
    for row in rounds:
        per.setdefault(row[0], []).append(row)
    serving = Officer.objects.filter(status=Officer.Status.SERVING)
    officers = Counter(
        serving.filter(agency__in=agencies).values_list("agency_id", flat=True).iterator()
    )
    reviewers = Counter(
        serving.filter(review_body__agency__in=agencies)
        .values_list("review_body__agency_id", flat=True)
        .iterator()
    )
    out = []
    for agency in agencies:
        rows = per.get(agency.pk, [])
        done = [r for r in rows if r[1] == Submission.State.CONCLUDED]
        days = [_workdays(r[3], r[4])[0] for r in done]
        open_rows = [r for r in rows if r[1] in Submission.OPEN_STATES]
        out.append(
            AgencyStatistics(
                agency=agency,
                rounds=len(rows),
                concluded=len(done),
                outcomes=sorted(Counter(r[2] for r in done).items()),
                median_workdays=Decimal(str(median(days))) if days else None,
                overdue=sum(
                    1 for r in open_rows if r[1] != Submission.State.PAUSED and r[5] < today
                ),
                late=sum(1 for r in done if r[4] > r[5]),
                reviewers=reviewers[agency.pk],
                officers=officers[agency.pk],
            )
        )
    return out


# -- the catalog preview ------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewRow:
    case: Case
    reasons: list[str]


@dataclass(frozen=True)
class Preview:
    """Which of the agency's decided cases ``rule`` would have made major."""

    evaluated: int
    matched: Sequence[PreviewRow]


def catalog_rule_preview(account: Account, agency: Agency, rule: Rule) -> Preview:
    """Evaluate ``rule`` alone against the agency's decided penalty cases (newest
    ``PREVIEW_LIMIT``), on the decision as made."""
    decided = (
        cases_visible_to(account)
        .filter(agency=agency, kind=Case.Kind.PENALTY_GENERAL, decided_on__isnull=False)
        .order_by("-decided_on", "-id")[:PREVIEW_LIMIT]
    )
    matched = []
    evaluated = 0
    for case in decided:
        evaluated += 1
        decision = PendingDecision(
            bool(case.penalty_kinds), tuple(case.penalty_kinds), case.fine, case.confiscation
        )
        verdict = evaluate(case_facts(case, decision), [rule])
        if verdict.major:
            matched.append(PreviewRow(case, verdict.reasons))
    return Preview(evaluated, matched)
