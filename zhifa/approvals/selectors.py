"""Reads of approval requests and the head's approval queue (待审批).

The queue holds what genuinely waits for the head: every pending request, and every case whose
next step on the main path is the head's (``cases.selectors.cases_awaiting_head``) — 归档 of an
ended case aside, which is filing work, not a decision (it is counted apart). Each item carries
the deadline the decision runs against, with its legal basis: 立案 the sector's period from the
clue (``deadlines.register_period``, a setting), the others the case's running deadline
(第六十条 decision limit, 第十九条 24 hours, 第二十五条 seizure limit …).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.cases.selectors import (
    APPROVAL_SERVICES,
    Countdown,
    case_deadlines,
    case_next_services,
    cases_awaiting_head,
    cases_visible_to,
    deadline_countdown,
)
from zhifa.core.calendar import counted
from zhifa.law import coercion
from zhifa.law.periods import Unit, deadline
from zhifa.record.models import Entry
from zhifa.record.verification import Problem
from zhifa.registry.models import Account
from zhifa.todos.items import Todo

from .deadlines import DEFAULT_REGISTER_SOURCE, DEFAULT_REGISTER_WORKDAYS, register_period
from .models import ApprovalRequest
from .services import case_label, service_label

R = ApprovalRequest.State
FILING_ONLY = "case_archive"


def approval_requests_visible_to(account: Account) -> QuerySet[ApprovalRequest]:
    return ApprovalRequest.objects.filter(case__in=cases_visible_to(account).values("pk"))


def case_approval_requests(case: Case) -> QuerySet[ApprovalRequest]:
    """Every request of the case, newest first (not access-checked: gate the case first)."""
    return (
        ApprovalRequest.objects.filter(case=case)
        .select_related("requested_by", "answered_by")
        .order_by("-requested_at", "-id")
    )


def approval_deadline(case: Case, service: str, today: date) -> Countdown | None:
    """The deadline the head's ``service`` on ``case`` runs against on ``today``, or None."""
    if service == "case_register":
        period = register_period(
            int(getattr(settings, "ZHIFA_REGISTER_WORKDAYS", DEFAULT_REGISTER_WORKDAYS)),
            str(getattr(settings, "ZHIFA_REGISTER_SOURCE", DEFAULT_REGISTER_SOURCE)),
        )
        due, provisional = counted(
            lambda cal: deadline(period, case.clue_on, cal), from_year=case.clue_on.year
        )
        return deadline_countdown(
            period.name, due, today, Unit.WORKING_DAYS, period.article, provisional
        )
    if service == "case_seizure_ratify" and case.seized_at is not None:
        due_on = timezone.localtime(case.seized_at + timedelta(hours=24)).date()
        return deadline_countdown(
            "补办批准手续", due_on, today, Unit.CALENDAR_DAYS, coercion.article("十九")
        )
    return next(iter(case_deadlines(case, today)), None)


def _todo(
    key: str,
    case: Case,
    service: str,
    what: str,
    today: date,
    note: str = "",
) -> Todo:
    c = approval_deadline(case, service, today)
    return Todo(
        key=key,
        kind=service,
        kind_label=service_label(service),
        what=what,
        url=reverse("case_detail", kwargs={"pk": case.pk}) + f"#action-{service}",
        case_id=case.pk,
        case_label=case_label(case),
        due_on=c.due_on if c else None,
        remaining=c.remaining if c else None,
        unit=c.unit if c else "",
        article=c.article if c else "",
        deadline_name=c.name if c else "",
        note=note,
        provisional=c.provisional if c else False,
    )


def approval_queue(account: Account, today: date) -> list[Todo]:
    """The head's queue within ``account``'s scope: pending requests, then the cases waiting for
    a head's step without one (归档 aside). Unsorted (``todos.items.urgency`` sorts)."""
    visible = cases_visible_to(account)
    items: list[Todo] = []
    requested: set[tuple[int, str]] = set()
    for row in (
        ApprovalRequest.objects.filter(case__in=visible.values("pk"), state=R.PENDING)
        .select_related("case", "case__agency", "requested_by")
        .order_by("requested_at", "pk")
    ):
        requested.add((row.case_id, row.service))
        who = row.requested_by.display_name or row.requested_by.get_username()
        items.append(
            _todo(
                f"approval:{row.pk}",
                row.case,
                row.service,
                f"{service_label(row.service)}（{who}提请，"
                f"{timezone.localtime(row.requested_at):%m-%d %H:%M}）",
                today,
                note=f"提请说明：{row.note}",
            )
        )
    for case in cases_awaiting_head(visible.select_related("agency"), today):
        for service, label in case_next_services(case):
            if service not in APPROVAL_SERVICES or service == FILING_ONLY:
                continue
            if (case.pk, service) in requested:
                continue
            items.append(
                _todo(f"step:{case.pk}:{service}", case, service, f"{label}（未提请）", today)
            )
    return items


def cases_awaiting_filing(account: Account, today: date) -> int:
    """Cases whose only waiting head's step is 归档 (shown as a count beside the queue)."""
    count = 0
    for case in cases_awaiting_head(cases_visible_to(account), today):
        services = {s for s, _ in case_next_services(case) if s in APPROVAL_SERVICES}
        if services == {FILING_ONLY}:
            count += 1
    return count


def head_todos(account: Account, today: date) -> list[Todo]:
    """The head's to-do source: the approval queue of the head's agency."""
    if account.agency_id is None:
        return []
    return approval_queue(account, today)


def officer_todos(account: Account, today: date) -> list[Todo]:
    """The officer's to-do source: their requests returned in the last 30 days, to redo."""
    since = today - timedelta(days=30)
    out = []
    for row in (
        ApprovalRequest.objects.filter(
            requested_by=account, state=R.RETURNED, answered_at__date__gte=since
        )
        .select_related("case")
        .order_by("pk")
    ):
        if row.case.state != row.from_state:
            continue  # the case moved on since
        out.append(
            _todo(
                f"returned:{row.pk}",
                row.case,
                row.service,
                f"{service_label(row.service)}被退回：{row.reason}",
                today,
            )
        )
    return out


# -- replay: the request rows must equal what the approval.* entries say ---

_REPLAYED_STATE = {
    "approval.request": R.PENDING,
    "approval.return": R.RETURNED,
    "approval.withdraw": R.WITHDRAWN,
    "approval.approve": R.APPROVED,
    "approval.lapse": R.LAPSED,
}


def approvals_replay_check(groups: Iterable[tuple[int, list[Entry]]]) -> Iterator[Problem]:
    """``zhifa verify``: each request's service, note, state and return reason against the
    replay of its case's ``approval.*`` entries; a request row with no entry is reported."""
    seen: set[int] = set()
    for case_id, entries in groups:
        replayed: dict[int, dict[str, str]] = {}
        last: dict[int, int] = {}
        for entry in entries:
            state = _REPLAYED_STATE.get(entry.action)
            if state is None:
                continue
            data = entry.data
            row = replayed.setdefault(int(data["request"]), {"reason": ""})
            row["service"] = data["service"]
            row["state"] = state
            if "note" in data:
                row["note"] = data["note"]
            if "reason" in data:
                row["reason"] = data["reason"]
            last[int(data["request"])] = entry.seq
        if not replayed:
            continue
        actual = {
            r.pk: {"service": r.service, "state": r.state, "note": r.note, "reason": r.reason}
            for r in ApprovalRequest.objects.filter(case_id=case_id)
        }
        for pk in sorted(set(replayed) | set(actual)):
            seen.add(pk)
            if replayed.get(pk) != actual.get(pk):
                yield Problem(
                    kind="approval_replay_mismatch",
                    case_id=case_id,
                    seq=last.get(pk),
                    message=f"案件{case_id}的审批申请{pk}与全过程记录不一致",
                )
    for pk, case_id in ApprovalRequest.objects.order_by("pk").values_list("pk", "case_id"):
        if pk not in seen:
            yield Problem(
                kind="approval_unrecorded",
                case_id=case_id,
                message=f"案件{case_id}的审批申请{pk}没有全过程记录",
            )
