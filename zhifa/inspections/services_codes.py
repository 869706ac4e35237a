"""Writes of the inspection code (扫码入企): officers' arrival and departure by scanning, their
late entry (补录) where no code was issued, and the enterprise's anonymous rating.

Every service runs in one transaction, locks the inspection, checks its rules (each refusal a
``RuleViolation`` naming the rule), appends its record entry and returns the row it wrote:

- ``visit_scan`` — ``inspection.visit_scan`` on the inspection's case: an officer named on the
  case, of an approved (coded) inspection, whose certificate is valid today for the item's
  domain, records arrival or departure at ``at`` (the server's clock).
- ``visit_late_record`` — ``inspection.visit_late`` on the case: where no code was issued (an
  emergency start) or scanning failed, the officer enters the moment with a reason within the
  configured period (time limit ``inspections.visit_late_entry``: 10 natural days by default,
  深府规〔2025〕6号).
- ``rating_submit`` — ``inspection.rate`` *without* a case: anonymous (no account, no address,
  the comment only as a keyed digest), so the inspecting agency, which reads its cases'
  timelines, never sees an individual answer; the supervisor reads the rows.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from zhifa.core.exceptions import RuleViolation
from zhifa.core.time_limits import TimeLimit, due_on, register_time_limits, time_limit
from zhifa.record.services import record_append
from zhifa.registry import row_state
from zhifa.registry.models import Account, Officer
from zhifa.registry.selectors import officer_may_act

from . import discipline
from .models import Inspection, Rating, Visit
from .selectors_codes import is_inspection_officer, officer_on_site

LATE_ENTRY = "inspections.visit_late_entry"
LATE_ENTRY_SOURCE = "《深圳市行政执法监督码管理规定》（深府规〔2025〕6号）"
APPROVAL_RULE = "国办发〔2024〕54号第五部分：行政检查须事先经行政执法主体负责人批准"
TIME_LIMITS = (
    TimeLimit(
        key=LATE_ENTRY,
        label="补录入企检查记录",
        count=10,
        unit="days",
        source=LATE_ENTRY_SOURCE,
    ),
)

PUBLIC_ROLE = "public"
PUBLIC_NAME = "匿名企业"
RATING_LABEL = "inspections.rating"

ACTION_LABELS: dict[str, str] = {
    "inspection.visit_scan": "扫码登记入企检查",
    "inspection.visit_late": "补录入企检查记录",
    "inspection.rate": "企业评价行政检查",
}


def register() -> None:
    """Called from the app's ``ready()``: labels, the time limit, documents, the replay check."""
    from zhifa.record.action_labels import register_action_labels
    from zhifa.record.verification import register_replay_checker
    from zhifa.todos.items import register_todo_source

    from .documents_codes import register as register_documents
    from .selectors_codes import visits_replay_check
    from .todo_codes import officer_todos

    register_action_labels(ACTION_LABELS)
    register_time_limits(TIME_LIMITS)
    register_documents()
    register_replay_checker(visits_replay_check)
    register_todo_source((Account.Role.OFFICER,), officer_todos)


def _actor(actor: Account) -> dict[str, Any]:
    return {
        "actor_id": actor.pk,
        "actor_name": actor.display_name or actor.get_username(),
        "role": actor.role,
    }


def _visit_plain(visit: Visit) -> dict[str, Any]:
    return {
        "id": visit.pk,
        "officer": visit.officer_id,
        "kind": visit.kind,
        "at": visit.at,
        "scanned": visit.scanned,
        "late_reason": visit.late_reason,
    }


def _locked(inspection: Inspection) -> Inspection:
    return (
        Inspection.objects.select_for_update()
        .select_related("agency", "domain", "case")
        .get(pk=inspection.pk)
    )


def _officer_of(actor: Account, inspection: Inspection) -> Officer:
    if actor.officer is None or not is_inspection_officer(actor, inspection):
        raise RuleViolation(
            "只有本次检查的执法人员可以登记入企记录",
            article="《中华人民共和国行政处罚法》第四十二条",
        )
    return actor.officer


def _order_checked(inspection: Inspection, officer: Officer, kind: str) -> None:
    here = officer_on_site(inspection, officer.pk)
    if kind == Visit.Kind.ARRIVAL and here:
        raise RuleViolation("已登记到达，尚未登记离开", field="kind")
    if kind == Visit.Kind.DEPARTURE and not here:
        raise RuleViolation("尚未登记到达，不能登记离开", field="kind")


def _record_visit(actor: Account, visit: Visit, action: str, at: datetime) -> None:
    record_append(
        **_actor(actor),
        action=action,
        payload={"inspection": visit.inspection_id, "visit": _visit_plain(visit)},
        case_id=visit.inspection.case_id,
        at=at,
    )


@transaction.atomic
def visit_scan(
    *, actor: Account, inspection: Inspection, kind: str, at: datetime | None = None
) -> Visit:
    """The officer scans the inspection's code on arriving or leaving (扫码入企).

    Refuses: an officer not named on the inspection; an inspection not approved (no code was
    issued: 补录 instead); an arrival with a certificate not valid today for the item's domain
    (第四十二条); an arrival while already on site, a departure without an arrival."""
    inspection = _locked(inspection)
    officer = _officer_of(actor, inspection)
    if kind not in Visit.Kind.values:
        raise RuleViolation(f"入企记录类别“{kind}”无效", field="kind")
    if inspection.state == Inspection.State.APPROVED and not inspection.coded:
        raise RuleViolation(
            "本次检查为紧急实施、事后补办审批，检查前未赋码，不能扫码登记；请补录并说明理由",
            article=LATE_ENTRY_SOURCE,
        )
    if inspection.state != Inspection.State.APPROVED:
        raise RuleViolation(
            f"本次检查处于“{inspection.get_state_display()}”状态，未经批准赋码，不能扫码登记；"
            "紧急实施的检查请补录并说明理由",
            article=APPROVAL_RULE,
        )
    now = timezone.now() if at is None else at
    if kind == Visit.Kind.ARRIVAL:
        answer = officer_may_act(
            officer,
            inspection.domain,
            timezone.localdate(now),
            region=inspection.agency.division_code,
        )
        if not answer.allowed:
            raise RuleViolation("；".join(answer.reasons))
    _order_checked(inspection, officer, kind)
    visit = Visit.objects.create(
        inspection=inspection, officer=officer, kind=kind, at=now, scanned=True
    )
    _record_visit(actor, visit, "inspection.visit_scan", now)
    return visit


def late_entry_due(visited_on: date) -> date:
    """The last day a visit of ``visited_on`` may be entered late (the time limit's row)."""
    last, _provisional = due_on(LATE_ENTRY, visited_on)
    return last


@transaction.atomic
def visit_late_record(
    *,
    actor: Account,
    inspection: Inspection,
    kind: str,
    visited_at: datetime,
    reason: str,
    at: datetime | None = None,
) -> Visit:
    """The officer enters an arrival or departure late (补录), with the reason no scan was
    made. Only within the configured period from the visit's day (``inspections.visit_late_
    entry``); only for an inspection approved or emergency-started; never a future moment."""
    inspection = _locked(inspection)
    officer = _officer_of(actor, inspection)
    if kind not in Visit.Kind.values:
        raise RuleViolation(f"入企记录类别“{kind}”无效", field="kind")
    if inspection.state not in (Inspection.State.APPROVED, Inspection.State.EMERGENCY):
        raise RuleViolation(
            f"本次检查处于“{inspection.get_state_display()}”状态，不能补录入企记录",
            article=APPROVAL_RULE,
        )
    if not reason.strip():
        raise RuleViolation(
            "补录入企记录须说明未扫码的理由", article=LATE_ENTRY_SOURCE, field="reason"
        )
    now = timezone.now() if at is None else at
    if visited_at > now:
        raise RuleViolation("入企时间不能晚于现在", field="visited_at")
    visited_on = timezone.localdate(visited_at)
    last = late_entry_due(visited_on)
    today = timezone.localdate(now)
    if today > last:
        row = time_limit(LATE_ENTRY)
        raise RuleViolation(
            f"{visited_on.year}年{visited_on.month}月{visited_on.day}日的入企记录须在"
            f"{last.year}年{last.month}月{last.day}日前补录（{row.count}{row.unit_label}），已超过补录期限",
            article=row.source,
            field="visited_at",
        )
    _order_checked(inspection, officer, kind)
    visit = Visit.objects.create(
        inspection=inspection,
        officer=officer,
        kind=kind,
        at=visited_at,
        scanned=False,
        late_reason=reason.strip(),
    )
    _record_visit(actor, visit, "inspection.visit_late", now)
    return visit


# -- the enterprise's rating ---------------------------------------------------------------------


def _digest_key(secret: Any = None) -> bytes:
    return row_state.digest_key(secret if secret is not None else settings.SECRET_KEY)


def rating_digest(rating: Rating, secret: Any = None) -> str:
    """The keyed digest of the rating's comment (the entry carries no free text: whatever an
    enterprise typed, names included, stays out of the log that cannot be erased)."""
    raw = row_state.state_digest(_digest_key(secret), RATING_LABEL, [rating.comment])
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def rating_digest_matches(rating: Rating, recorded: str) -> bool:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(rating_digest(rating, s) == recorded for s in secrets)


def ratable(inspection: Inspection) -> bool:
    """May the enterprise rate it: approved or emergency-started (the visit is or was due)."""
    return inspection.state in (Inspection.State.APPROVED, Inspection.State.EMERGENCY)


@transaction.atomic
def rating_submit(
    *,
    inspection: Inspection,
    score: int,
    breaches: list[str],
    comment: str = "",
    at: datetime | None = None,
) -> Rating:
    """The enterprise rates the inspection 1–5 and names any breach of "五个严禁、八个不得",
    anonymously: no account, no address, nothing identifying in the entry (``inspection.rate``
    has no case, so the inspecting agency's case timeline never shows it)."""
    inspection = _locked(inspection)
    if not ratable(inspection):
        raise RuleViolation(
            f"本次检查处于“{inspection.get_state_display()}”状态，不能评价",
            article=APPROVAL_RULE,
        )
    if not 1 <= int(score) <= 5:
        raise RuleViolation("评分须为1至5分", field="score")
    unknown = discipline.breaches_valid(breaches)
    if unknown:
        raise RuleViolation(f"违反检查纪律情形“{'、'.join(unknown)}”无效", field="breaches")
    ordered = [p.code for p in discipline.PROHIBITIONS if p.code in breaches]
    now = timezone.now() if at is None else at
    rating = Rating.objects.create(
        inspection=inspection, score=int(score), breaches=ordered, comment=comment.strip()
    )
    Rating.objects.filter(pk=rating.pk).update(submitted_at=now)
    rating.submitted_at = now
    record_append(
        actor_id=None,
        actor_name=PUBLIC_NAME,
        role=PUBLIC_ROLE,
        action="inspection.rate",
        payload={
            "rating": rating.pk,
            "inspection": inspection.pk,
            "score": rating.score,
            "breaches": ordered,
            "comment": rating_digest(rating),
        },
        at=now,
    )
    return rating
