"""The filings on the to-do lists: an agency's head and publisher see the filing of the last
finished quarter and, until its deadline has long passed, last year's annual report, while
not submitted, and any filing returned to them; the supervisors see the submissions waiting for
their review."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse

from zhifa.core.identifiers import division_prefix
from zhifa.registry.models import Account
from zhifa.todos.items import Todo

from .filing_rules import PREPARERS
from .models import Filing
from .periods import Period, period_of
from .selectors_filings import FROZEN, due_on, due_source

KIND = "statistics"
KIND_LABEL = "统计报送"


def filings_from() -> date:
    """The first day of the first period whose filing zhifa asks for: the deployment's start
    (setting ``ZHIFA_STATISTICS_FILINGS_FROM``, ISO date; periods before it were filed on
    paper)."""
    value = getattr(settings, "ZHIFA_STATISTICS_FILINGS_FROM", "2026-01-01")
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def open_periods(today: date) -> list[Period]:
    """The last finished quarter, and last year's annual report until 90 days after its
    deadline — from the deployment's first period on."""
    q = (today.month - 1) // 3  # quarters finished this year
    last = period_of(today.year, q) if q else period_of(today.year - 1, 4)
    out = [last]
    annual = period_of(today.year - 1, 0)
    if today <= due_on(annual) + timedelta(days=90):
        out.append(annual)
    start = filings_from()
    return [p for p in out if p.start >= start]


def agency_todos(account: Account, today: date) -> Iterator[Todo]:
    if account.role not in PREPARERS or account.agency_id is None:
        return
    filings = {(f.year, f.quarter): f for f in Filing.objects.filter(agency_id=account.agency_id)}
    for period in open_periods(today):
        f = filings.get((period.year, period.quarter))
        if f is not None and f.state in FROZEN:
            continue
        due = due_on(period)
        url = (
            reverse("statistics_filing", args=[f.pk])
            if f is not None
            else reverse("statistics_filings") + f"?year={period.year}&quarter={period.quarter}"
        )
        yield Todo(
            key=f"statistics.filing:{account.agency_id}:{period.year}:{period.quarter}",
            kind=KIND,
            kind_label=KIND_LABEL,
            what=f"报送{period.label}行政执法统计"
            + ("（已退回，请修改）" if f and f.state == "returned" else ""),
            url=url,
            due_on=due,
            remaining=(due - today).days,
            unit="日",
            article=due_source(period.quarter),
            deadline_name="报送期限",
        )


def supervisor_todos(account: Account, today: date) -> Iterator[Todo]:
    if account.role != Account.Role.SUPERVISOR or not account.region_code:
        return
    prefix = division_prefix(account.region_code)
    waiting = Filing.objects.filter(
        state=Filing.State.SUBMITTED, agency__division_code__startswith=prefix
    ).select_related("agency")
    for f in waiting.order_by("submitted_on", "pk")[:200]:
        yield Todo(
            key=f"statistics.review:{f.pk}:{f.submitted_on}",
            kind=KIND,
            kind_label=KIND_LABEL,
            what=f"审查{f}",
            url=reverse("statistics_filing", args=[f.pk]),
        )
