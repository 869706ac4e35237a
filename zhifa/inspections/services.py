"""Writes of the core of the inspections app (涉企行政检查): an inspection is requested, approved
by the head beforehand (or started in an emergency and approved afterwards), refused or
cancelled.

Contract of every service here: one transaction; the inspection row is locked; the rules are
``eligibility`` (who may inspect what, on which day) and the approval checks the other parts of
the app register (caps, quiet periods, warnings: ``register_approval_check``); ONE record entry
on the inspection's case carries the whole row (``inspection``), which
``selectors.inspections_replay_check`` replays for ``zhifa verify``. Each returns the row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhifa.cases import guards
from zhifa.cases import services as cs
from zhifa.cases.models import Case, CaseOfficer, Party
from zhifa.core.exceptions import RuleViolation
from zhifa.core.time_limits import TimeLimit, due_on, register_time_limits
from zhifa.record.services import record_append
from zhifa.registry.models import Account, Agency, Officer, PowerItem

from . import eligibility
from .models import Entity, Ground, Inspection, JointInspection, Plan, RandomTask

ACTION_LABELS: dict[str, str] = {
    "inspection.request": "提请行政检查审批",
    "inspection.approve": "批准行政检查",
    "inspection.refuse": "不予批准行政检查",
    "inspection.emergency": "紧急实施行政检查",
    "inspection.cancel": "取消行政检查",
}

SOURCE_APPROVAL = (
    "国办发〔2024〕54号（五）；司法部《〈国务院办公厅关于严格规范涉企行政检查的意见〉有关问题解答》"
)

TIME_LIMITS = (
    TimeLimit(
        key="inspections.retro_approval",
        label="紧急实施行政检查后补办审批手续",
        count=3,
        unit="workdays",
        source="《重庆市规范涉企行政检查办法》（重庆市人民政府令第375号）第十八条",
    ),
)


@dataclass(frozen=True)
class Notice:
    """A warning the head sees before approving (a cap nearly reached, a repeat inspection …)."""

    rule: str  # a stable key, e.g. "repeat_same_agency"
    message: str  # Chinese, shown as is
    source: str  # the rule it comes from


ApprovalCheck = Callable[[Inspection, date, str], list[Notice]]
_approval_checks: list[ApprovalCheck] = []


def register_approval_check(check: ApprovalCheck) -> ApprovalCheck:
    """``check(inspection, day, stage)`` runs when an inspection is requested (stage
    ``"request"``), approved or emergency-started (``"approve"``); it raises RuleViolation to
    refuse and returns the warnings to show. Registering twice is harmless."""
    if check not in _approval_checks:
        _approval_checks.append(check)
    return check


def approval_notices(inspection: Inspection, on: date, stage: str) -> list[Notice]:
    """Run every registered check; the first refusal propagates."""
    notices: list[Notice] = []
    for check in _approval_checks:
        notices.extend(check(inspection, on, stage))
    return notices


def inspection_plain(row: Inspection) -> dict[str, Any]:
    """The row as its record entries carry it (and the replay compares)."""
    return {
        "id": row.pk,
        "case_id": row.case_id,
        "agency_id": row.agency_id,
        "entity_id": row.entity_id,
        "credit_code": row.entity.credit_code,
        "power_item_id": row.power_item_id,
        "ground": row.ground,
        "ground_reference": row.ground_reference,
        "plan_id": row.plan_id,
        "task_id": row.task_id,
        "joint_id": row.joint_id,
        "planned_on": _iso(row.planned_on),
        "state": row.state,
        "decided_by": row.decided_by_id,
        "decision_note": row.decision_note,
        "emergency_reason": row.emergency_reason,
        "approval_due_on": _iso(row.approval_due_on),
        "quiet_exception": row.quiet_exception,
        "quiet_exception_reason": row.quiet_exception_reason,
        "filed_on": _iso(row.filed_on),
        "cap_override_reason": row.cap_override_reason,
        "counts_toward_cap": row.counts_toward_cap,
        "code": row.code,
        "coded": row.coded,
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _record(
    actor: Account, row: Inspection, action: str, on: date, notices: Sequence[Notice] = ()
) -> None:
    payload: dict[str, Any] = {"on": on, "inspection": inspection_plain(row)}
    if notices:
        payload["notices"] = [{"rule": n.rule, "message": n.message} for n in notices]
    record_append(
        actor_id=actor.pk,
        actor_name=cs._actor_name(actor),
        role=actor.role,
        action=action,
        payload=payload,
        case_id=row.case_id,
    )


# -- the published-item and eligibility gates ---------------------------------------------


def _repealed_on(item: PowerItem) -> date | None:
    # power_item_repeal writes "YYYY-MM-DD 取消：…" into the change note.
    note = item.change_note
    try:
        return date.fromisoformat(note[:10]) if "取消" in note else None
    except ValueError:
        return None


def item_versions(agency: Agency, code: str) -> list[eligibility.ItemVersion]:
    """Every version of the agency's item ``code``, with when each was in force."""
    versions = list(PowerItem.objects.filter(agency=agency, code=code.strip()).order_by("version"))
    out: list[eligibility.ItemVersion] = []
    for i, v in enumerate(versions):
        later = versions[i + 1] if i + 1 < len(versions) else None
        ended: date | None = None
        if v.status == PowerItem.Status.SUPERSEDED and later is not None:
            ended = later.published_on
        elif v.status == PowerItem.Status.REPEALED:
            ended = _repealed_on(v) or v.published_on
        out.append(
            eligibility.ItemVersion(
                category_ok=v.category == PowerItem.Category.INSPECTION,
                published_on=v.published_on if v.status != PowerItem.Status.DRAFT else None,
                ended_on=ended,
            )
        )
    return out


def _gates(
    agency: Agency, entity: Entity, code: str, officers: Sequence[Officer], on: date
) -> None:
    eligibility.body_confirmed(
        eligibility.BodyFacts(
            name=agency.name,
            active=agency.status == Agency.Status.ACTIVE,
            status_label=agency.get_status_display(),
            announced_on=agency.qualification_announced_on,
        ),
        on=on,
    )
    eligibility.item_published(
        agency_name=agency.name, code=code, versions=item_versions(agency, code), on=on
    )
    eligibility.enough_officers([o.name for o in officers])
    from .selectors import conflicts_in_force

    eligibility.no_conflicts(
        entity_name=entity.name,
        conflicts=[(c.officer.name, c.reason) for c in conflicts_in_force(entity, officers, on)],
    )


def _officers(row: Inspection) -> list[Officer]:
    return [
        a.officer for a in CaseOfficer.objects.filter(case_id=row.case_id).select_related("officer")
    ]


# -- request --------------------------------------------------------------------------------


@transaction.atomic
def inspection_request(
    *,
    actor: Account,
    entity: Entity,
    power_code: str,
    ground: str,
    planned_on: date,
    officers: Sequence[tuple[Officer, str]],
    on: date,
    ground_reference: str = "",
    plan: Plan | None = None,
    task: RandomTask | None = None,
    joint: JointInspection | None = None,
    quiet_exception: str = "",
    quiet_exception_reason: str = "",
    cap_override_reason: str = "",
    filed_on: date | None = None,
    emergency_reason: str = "",
    late_reason: str = "",
) -> Inspection:
    """Ask the head to approve an inspection of ``entity`` on ``planned_on`` (审批, 54号（五）).

    Opens the inspection case (its party the entity, its officers the named ones, each valid
    for the item's domain on ``on``) and refuses, naming the rule: a body not confirmed and
    announced, an item not published on ``planned_on``, fewer than two officers, an officer to
    be recused, a clue without its reference, and whatever a registered check refuses.

    With ``emergency_reason`` the officers inspect at once (紧急情形, ``planned_on`` is ``on``)
    and the head's approval follows (``inspection_emergency_start``). ``late_reason``: why a
    request is entered after its day (补录), as every case step asks."""
    if ground not in Ground.values:
        raise RuleViolation(
            "请选择检查类型（日常、双随机、专项、个案线索、上级部署或企业申请）", field="ground"
        )
    if ground == Ground.CLUE and not ground_reference.strip():
        raise RuleViolation(
            "个案线索核查须写明线索来源（投诉举报编号、转办交办文号或监测线索）",
            article=SOURCE_APPROVAL,
            field="ground_reference",
        )
    if ground == Ground.SPECIAL and (plan is None or plan.kind != Plan.Kind.SPECIAL):
        raise RuleViolation(
            "专项检查须依据经批准并公布的专项检查计划",
            article="国办发〔2024〕54号（六）",
            field="plan",
        )
    if ground == Ground.RANDOM and task is None:
        raise RuleViolation("双随机抽查须属于一个抽查任务", field="task")
    if planned_on < on:
        raise RuleViolation("计划检查日期不能早于提请审批的日期（事先审批）", field="planned_on")
    agency = actor.agency
    if agency is None:
        raise RuleViolation("只有执法机关的执法人员可以提请行政检查", field="agency")
    if entity.status == Entity.Status.CLOSED:
        raise RuleViolation(f"{entity.name}已注销或被吊销，不能作为检查对象", field="entity")
    _gates(agency, entity, power_code, [o for o, _ in officers], planned_on)
    case = cs.case_open(
        actor=actor,
        kind=Case.Kind.INSPECTION,
        power_code=power_code,
        title=f"对{entity.name}的行政检查",
        on=on,
        parties=[
            cs.PartyInput(
                kind=Party.Kind.ORGANISATION,
                name=entity.name,
                credit_code=entity.credit_code,
                address=entity.address,
                legal_representative=entity.legal_representative,
            )
        ],
        officers=officers,
        late_reason=late_reason,
    )
    row = Inspection(
        case=case,
        agency=agency,
        entity=entity,
        power_item=case.power_item,
        domain=case.domain,
        ground=ground,
        ground_reference=ground_reference.strip(),
        plan=plan,
        task=task,
        joint=joint,
        planned_on=planned_on,
        year=planned_on.year,
        state=Inspection.State.REQUESTED,
        requested_at=timezone.now(),
        quiet_exception=quiet_exception,
        quiet_exception_reason=quiet_exception_reason.strip(),
        cap_override_reason=cap_override_reason.strip(),
        filed_on=filed_on,
    )
    if emergency_reason.strip():
        if planned_on != on:
            raise RuleViolation("紧急实施的检查日期即提请之日", field="planned_on")
        row.save()
        _record(actor, row, "inspection.request", on)
        return inspection_emergency_start(
            actor=actor, inspection=row, on=on, reason=emergency_reason
        )
    notices = approval_notices(row, planned_on, "request")
    row.save()
    _record(actor, row, "inspection.request", on, notices)
    return row


def _locked(row: Inspection) -> Inspection:
    return (
        Inspection.objects.select_for_update()
        .select_related("case", "agency", "entity", "power_item")
        .get(pk=row.pk)
    )


def _is_head(actor: Account, row: Inspection) -> None:
    if actor.role != Account.Role.HEAD or actor.agency_id != row.agency_id:
        raise RuleViolation("行政检查须经本机关负责人批准", article=SOURCE_APPROVAL, field="actor")


@transaction.atomic
def inspection_approve(
    *, actor: Account, inspection: Inspection, on: date, note: str = ""
) -> Inspection:
    """The head approves beforehand (REQUESTED → APPROVED, the code is issued for the visit),
    or afterwards an emergency inspection (EMERGENCY → APPROVED, 补办). The gates and checks
    run again on the planned day, so a change since the request (a repealed item, a cap now
    reached, a conflict declared) is caught."""
    row = _locked(inspection)
    _is_head(actor, row)
    if row.state not in (Inspection.State.REQUESTED, Inspection.State.EMERGENCY):
        raise RuleViolation(f"该检查当前为“{row.get_state_display()}”，不能批准")
    officers = _officers(row)
    _gates(row.agency, row.entity, row.power_item.code, officers, row.planned_on)
    notices = approval_notices(row, row.planned_on, "approve")
    if row.state == Inspection.State.REQUESTED:
        row.coded = True  # the code is on the notice before the visit
    row.state = Inspection.State.APPROVED
    row.decided_at = timezone.now()
    row.decided_by = actor
    row.decision_note = note.strip()
    row.save()
    _record(actor, row, "inspection.approve", on, notices)
    return row


@transaction.atomic
def inspection_refuse(
    *, actor: Account, inspection: Inspection, on: date, note: str, late_reason: str = ""
) -> Inspection:
    """The head refuses (with reasons); the inspection case closes without a visit
    (``late_reason``: why this is entered after its day, as the case's 结案 asks)."""
    row = _locked(inspection)
    _is_head(actor, row)
    if row.state != Inspection.State.REQUESTED:
        raise RuleViolation(f"该检查当前为“{row.get_state_display()}”，不能不予批准")
    if not note.strip():
        raise RuleViolation("不予批准须写明理由", field="note")
    row.state = Inspection.State.REFUSED
    row.decided_at = timezone.now()
    row.decided_by = actor
    row.decision_note = note.strip()
    row.save()
    _record(actor, row, "inspection.refuse", on)
    cs.case_close(
        actor=actor,
        case=row.case,
        on=on,
        opinion=f"不予批准行政检查：{note.strip()}",
        late_reason=late_reason,
    )
    return row


@transaction.atomic
def inspection_cancel(
    *, actor: Account, inspection: Inspection, on: date, reason: str, late_reason: str = ""
) -> Inspection:
    """The head withdraws an inspection not yet carried out (with the reason)."""
    row = _locked(inspection)
    _is_head(actor, row)
    if row.state not in (Inspection.State.REQUESTED, Inspection.State.APPROVED):
        raise RuleViolation(f"该检查当前为“{row.get_state_display()}”，不能取消")
    if row.case.state != Case.State.PLANNED:
        raise RuleViolation("已实施现场检查的，不能取消", field="state")
    if not reason.strip():
        raise RuleViolation("取消检查须写明理由", field="reason")
    row.state = Inspection.State.CANCELLED
    row.decision_note = reason.strip()
    row.save()
    _record(actor, row, "inspection.cancel", on)
    cs.case_close(
        actor=actor,
        case=row.case,
        on=on,
        opinion=f"取消行政检查：{reason.strip()}",
        late_reason=late_reason,
    )
    return row


@transaction.atomic
def inspection_emergency_start(
    *, actor: Account, inspection: Inspection, on: date, reason: str
) -> Inspection:
    """紧急情形: the officers inspect before approval; the head's approval is 补办 within the
    ``inspections.retro_approval`` time limit (3 working days by default). No code was issued
    before the visit, so the inspection counts as un-coded."""
    row = _locked(inspection)
    if actor.agency_id != row.agency_id or actor.role not in (
        Account.Role.OFFICER,
        Account.Role.HEAD,
    ):
        raise RuleViolation("只有本机关执法人员可以紧急实施检查", field="actor")
    if row.state != Inspection.State.REQUESTED:
        raise RuleViolation(f"该检查当前为“{row.get_state_display()}”，不能紧急实施")
    if not reason.strip():
        raise RuleViolation(
            "紧急实施行政检查须写明紧急情形", article=SOURCE_APPROVAL, field="reason"
        )
    if on != row.planned_on:
        row.planned_on = on
        row.year = on.year
    _gates(row.agency, row.entity, row.power_item.code, _officers(row), on)
    # The checks see the emergency (a 报备 days ahead is not asked of it: checks_rules).
    row.emergency_reason = reason.strip()
    notices = approval_notices(row, on, "approve")
    row.state = Inspection.State.EMERGENCY
    row.approval_due_on, _ = due_on("inspections.retro_approval", on)
    row.save()
    _record(actor, row, "inspection.emergency", on, notices)
    return row


# -- the gate on the case -------------------------------------------------------------------

GATED_STEPS = frozenset({"case_inspect"})


def inspection_step_gate(case: Case, service: str, day: date) -> None:
    """现场检查 of an enterprise needs the head's prior approval (or the emergency path); a
    refused or cancelled inspection ends its case and nothing else."""
    if case.kind != Case.Kind.INSPECTION:
        return
    row = Inspection.objects.filter(case=case).first()
    if service == "case_close" and case.state == Case.State.PLANNED:
        guards.inspection_not_carried_out(
            governed=row is not None,
            ended_before_visit=row is not None
            and row.state in (Inspection.State.REFUSED, Inspection.State.CANCELLED),
        )
        return
    if service not in GATED_STEPS:
        return
    if row is None:
        # An enterprise of the directory (检查对象名录库) is inspected only through the
        # approval; an inspection case opened directly on its credit code is refused here.
        codes = case.parties.filter(kind=Party.Kind.ORGANISATION).values("credit_code")
        if Entity.objects.filter(credit_code__in=codes).exists():
            raise RuleViolation(
                "对检查对象名录库中的企业实施行政检查须经负责人事先批准，请从“涉企行政检查”提请",
                article=SOURCE_APPROVAL,
            )
        return
    if row.state not in (Inspection.State.APPROVED, Inspection.State.EMERGENCY):
        raise RuleViolation(
            f"该检查为“{row.get_state_display()}”，须经负责人批准后方可实施现场检查",
            article=SOURCE_APPROVAL,
        )
    if row.state == Inspection.State.APPROVED and day < row.planned_on:
        raise RuleViolation("不能早于批准的检查日期实施现场检查", field="on")


def register() -> None:
    """Register the inspections' gate, time limits and replay check (AppConfig.ready)."""
    from zhifa.cases.views import register_workspace_panel
    from zhifa.record.verification import register_replay_checker
    from zhifa.todos.items import register_todo_source

    from .selectors import inspections_replay_check
    from .todo_source import head_todos
    from .views_core import workspace_panel

    register_time_limits(TIME_LIMITS)
    register_todo_source((Account.Role.HEAD,), head_todos)
    register_workspace_panel(workspace_panel)
    cs.register_step_gate(inspection_step_gate)
    register_replay_checker(inspections_replay_check)
