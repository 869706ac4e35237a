"""Writes of approval requests. Each one transaction, each recorded on the case's record
(``approval.*`` entries) — a request, its return, withdrawal, approval or lapse is part of the
case's procedure — and each tells whom it concerns (``notifications``; not the record).

- ``approval_request``: an officer of the case's agency asks for a step that is the head's in
  the case's current stage (transition table: ``actor_is_head``), with a note; one pending
  request per step; the agency's heads are notified.
- ``approval_return``: the head of the agency returns a pending request with a reason; the
  requester is notified.
- ``approval_withdraw``: the requester withdraws their pending request.
- ``approval_on_step`` (registered with ``cases.services``): when the head takes the requested
  step the request is approved; when the case moves where the step is no longer possible, it
  lapses. The requester is notified either way.

Raises ``RuleViolation`` (with its article) for every refusal.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhifa.cases import guards, transitions
from zhifa.cases.models import Case
from zhifa.core.exceptions import RuleViolation
from zhifa.law import penalty
from zhifa.notifications.models import Notification
from zhifa.notifications.services import notification_send
from zhifa.record.models import Entry
from zhifa.record.services import record_append
from zhifa.registry.models import Account

from .models import ApprovalRequest

R = ApprovalRequest.State

ACTION_LABELS = {
    "approval.request": "提请负责人审批",
    "approval.return": "负责人退回审批申请",
    "approval.withdraw": "撤回审批申请",
    "approval.approve": "审批申请已批准",
    "approval.lapse": "审批申请失效",
}

# 《行政处罚法》第五十七条 (the head decides), 《行政强制法》第十八条 (prior approval).
HEAD_ARTICLE = f"{penalty.article('五十七')}、《中华人民共和国行政强制法》第十八条"


def service_label(service: str) -> str:
    return transitions.SERVICE_LABELS.get(service, service)


def case_label(case: Case) -> str:
    return f"{case.number or '（未编号）'} {case.title}"


def workspace_url(case: Case) -> str:
    return reverse("case_detail", kwargs={"pk": case.pk}) + "#approval-requests"


def _name(actor: Account) -> str:
    return actor.display_name or actor.get_username()


def _record(actor: Account, row: ApprovalRequest, action: str, **extra: Any) -> Entry:
    return record_append(
        actor_id=actor.pk,
        actor_name=_name(actor),
        role=actor.role,
        action=action,
        payload={
            "request": row.pk,
            "service": row.service,
            "service_label": service_label(row.service),
            **extra,
        },
        case_id=row.case_id,
    )


def heads_of(case: Case) -> list[Account]:
    return list(
        Account.objects.filter(agency_id=case.agency_id, role=Account.Role.HEAD, is_active=True)
    )


def _lock_request(row: ApprovalRequest) -> ApprovalRequest:
    return (
        ApprovalRequest.objects.select_for_update()
        .select_related("case", "requested_by")
        .get(pk=row.pk)
    )


def _pending(row: ApprovalRequest) -> None:
    if row.state != R.PENDING:
        raise RuleViolation(
            f"该审批申请{row.get_state_display()}，不能再处理", article=HEAD_ARTICLE
        )


@transaction.atomic
def approval_request(
    *, actor: Account, case: Case, service: str, note: str, at: datetime | None = None
) -> ApprovalRequest:
    """Ask the head to take ``service`` on ``case``; returns the pending request."""
    at = at or timezone.now()
    locked = Case.objects.select_for_update().select_related("agency").get(pk=case.pk)
    guards.not_archived(state=locked.state)
    guards.actor_is_officer(
        role=actor.role, actor_agency_id=actor.agency_id, agency_id=locked.agency_id
    )
    move = transitions.move_for(locked.kind, locked.state, service)
    if move is None or transitions.HEAD not in move.preconditions:
        raise RuleViolation(
            f"案件当前处于“{locked.get_state_display()}”阶段，"
            f"“{service_label(service)}”不是此阶段须经负责人审批的事项",
            article=HEAD_ARTICLE,
            field="service",
        )
    note = note.strip()
    if not note:
        raise RuleViolation("请写明提请审批的事项和理由", article=HEAD_ARTICLE, field="note")
    if ApprovalRequest.objects.filter(case=locked, service=service, state=R.PENDING).exists():
        raise RuleViolation(
            f"本案“{service_label(service)}”已提请审批，正在等待负责人处理",
            article=HEAD_ARTICLE,
        )
    row = ApprovalRequest.objects.create(
        case=locked,
        service=service,
        from_state=locked.state,
        note=note,
        requested_by=actor,
        requested_at=at,
    )
    _record(actor, row, "approval.request", state=locked.state, note=note)
    notification_send(
        recipients=heads_of(locked),
        kind=Notification.Kind.APPROVAL_REQUESTED,
        title=f"{_name(actor)}提请{service_label(service)}：{case_label(locked)}",
        body=note,
        url=workspace_url(locked),
        case_id=locked.pk,
        at=at,
    )
    return row


@transaction.atomic
def approval_return(
    *, actor: Account, request: ApprovalRequest, reason: str, at: datetime | None = None
) -> ApprovalRequest:
    """The head returns a pending request with ``reason``; the requester is told."""
    at = at or timezone.now()
    row = _lock_request(request)
    guards.actor_is_head(
        role=actor.role, actor_agency_id=actor.agency_id, agency_id=row.case.agency_id
    )
    _pending(row)
    reason = reason.strip()
    if not reason:
        raise RuleViolation("退回审批申请须写明理由", article=HEAD_ARTICLE, field="reason")
    row.state, row.answered_by, row.answered_at, row.reason = R.RETURNED, actor, at, reason
    row.save(update_fields=["state", "answered_by", "answered_at", "reason"])
    _record(actor, row, "approval.return", reason=reason)
    notification_send(
        recipients=[row.requested_by],
        kind=Notification.Kind.APPROVAL_ANSWERED,
        title=f"{service_label(row.service)}被退回：{case_label(row.case)}",
        body=f"退回理由：{reason}",
        url=workspace_url(row.case),
        case_id=row.case_id,
        at=at,
    )
    return row


@transaction.atomic
def approval_withdraw(
    *, actor: Account, request: ApprovalRequest, at: datetime | None = None
) -> ApprovalRequest:
    """The requester withdraws their pending request."""
    at = at or timezone.now()
    row = _lock_request(request)
    if row.requested_by_id != actor.pk:
        raise RuleViolation("只有提请人可以撤回审批申请", article=HEAD_ARTICLE)
    _pending(row)
    row.state, row.answered_at = R.WITHDRAWN, at
    row.save(update_fields=["state", "answered_at"])
    _record(actor, row, "approval.withdraw")
    return row


def approval_on_step(actor: Account, case: Case, service: str, entry: Entry) -> None:
    """Step listener (inside the step's transaction): the step approves the pending request
    for it; any other pending request whose step the case's new stage no longer allows lapses.
    The requester is told."""
    at = timezone.now()
    for row in (
        ApprovalRequest.objects.select_for_update()
        .select_related("requested_by")
        .filter(case_id=case.pk, state=R.PENDING)
        .order_by("pk")
    ):
        if row.service == service:
            row.state, row.answered_by, row.answered_at = R.APPROVED, actor, at
            row.save(update_fields=["state", "answered_by", "answered_at"])
            _record(actor, row, "approval.approve", step_seq=entry.seq)
            title = f"{service_label(service)}已批准：{case_label(case)}"
        elif transitions.move_for(case.kind, case.state, row.service) is None:
            row.state, row.answered_at = R.LAPSED, at
            row.save(update_fields=["state", "answered_at"])
            _record(actor, row, "approval.lapse", state=case.state, step_seq=entry.seq)
            title = (
                f"{service_label(row.service)}申请已失效（案件已{service_label(service)}）："
                f"{case_label(case)}"
            )
        else:
            continue
        notification_send(
            recipients=[row.requested_by],
            kind=Notification.Kind.APPROVAL_ANSWERED,
            title=title,
            url=workspace_url(case),
            case_id=case.pk,
            at=at,
        )
