"""Every change to a supervision matter: one service per step, each one transaction.

Contract of every service here:

- it locks the matter row and looks its move up in ``transitions.py`` (a step the table does not
  allow from the current state is refused, naming the state);
- it checks who acts (a supervisor of the matter's supervisory body; on the agency's side the
  head of the supervised agency) and runs the guards of ``guards.py``, raising
  :class:`RuleViolation` with the Chinese message and the article;
- it writes its rows and appends one record entry (``record_append``) in the same transaction.
  The payload carries ``matter`` (its id) and ``rows``: for every row written, the fields as now
  stored (``"supervision.document:7": {...}``) — ``selectors.supervision_replay_check`` folds
  them and compares the tables with the replay (``zhifa verify``);
- it is given the day (``on``); no rule reads the clock. Deadlines come from the rows of
  ``core.time_limits`` (``time_limits.py``), counted on the statutory calendar by ``due_on``.

Supervisors never change an agency's case, register or publication (条例第八条): other apps are
read here only through their selectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from zhifa.core.exceptions import RuleViolation
from zhifa.core.time_limits import due_on, time_limit
from zhifa.record.models import Entry, EvidenceRef
from zhifa.record.services import record_append
from zhifa.registry.models import Account, Agency, Certificate
from zhifa.registry.selectors import region_of

from . import escalation, guards, objection_routing, scope, transitions
from . import time_limits as tl
from .documents import check_template, document_text, render_files
from .models import (
    Counter,
    Document,
    DocumentTemplate,
    Escalation,
    Matter,
    MatterSupervisor,
    Objection,
    Step,
)
from .personal_values import personal_values

S = Matter.State
D = Document.Kind

ACTION_LABELS = {
    "supervision.matter.open": "登记监督事项",
    "supervision.matter.accept": "受理监督事项",
    "supervision.matter.refuse": "不予受理监督事项",
    "supervision.matter.transfer": "移送监督事项",
    "supervision.matter.team_join": "加入监督事项",
    "supervision.matter.recuse": "监督人员回避",
    "supervision.matter.measure": "记录监督措施",
    "supervision.matter.explanation_request": "要求说明情况",
    "supervision.matter.explanation_answer": "被监督机关说明情况",
    "supervision.matter.case_file_read": "调阅案卷",
    "supervision.document.issue": "制发监督文书",
    "supervision.document.report": "报送整改情况",
    "supervision.document.check": "验收整改情况",
    "supervision.document.outcome": "登记处理结果",
    "supervision.objection.file": "提出异议",
    "supervision.objection.answer": "答复异议",
    "supervision.matter.terminate": "终止监督事项",
    "supervision.matter.close": "办结监督事项",
    "supervision.template.set": "修改监督文书模板",
    # -- objections routed upward, overdue rectifications escalated --
    "supervision.document.escalate": "整改逾期升级",
    "supervision.document.publish_propose": "提出公开执法监督结果",
    # -- the agency adds files to its answer, objection or report --
    "supervision.agency.attachments_add": "被监督机关补充附件",
}

# 文书代字 of each outcome: 示范市司法局〔2026〕督办3号.
ABBREVIATIONS = {
    "matter": "监",
    D.URGE_LETTER: "督办",
    D.OPINION: "监意",
    D.DECISION: "监决",
    D.NOTICE: "通报",
    D.OFFICER_RECOMMENDATION: "监建",
    D.CLUE_TRANSFER: "线移",
}

OFFICER_MEASURES = {
    "criticism": "批评教育",
    "off_duty_training": "离岗教育",
    "reassignment": "调离执法岗位",
    "disqualification": "取消执法资格",
}

# Fields of each row carried by the entries (and compared by the replay check).
_REPLAYED: dict[type[models.Model], tuple[str, ...]] = {
    Matter: (
        "number",
        "body_id",
        "agency_id",
        "kind",
        "key_method",
        "origin",
        "origin_ref",
        "title",
        "summary",
        "state",
        "opened_on",
        "opened_by_id",
        "decided_on",
        "reason",
        "transfer_to",
        "transfer_due",
        "plan",
        "closed_on",
    ),
    MatterSupervisor: ("matter_id", "account_id", "recused", "recusal_reason"),
    Step: (
        "matter_id",
        "kind",
        "on",
        "text",
        "supervisors",
        "case_id",
        "due_on",
        "answers_id",
        "files",
        "actor_id",
    ),
    Document: (
        "matter_id",
        "kind",
        "number",
        "issued_on",
        "issuer",
        "findings",
        "requirement",
        "fields",
        "due_on",
        "pdf_id",
        "docx_id",
        "template_source",
        "status",
        "report",
        "reported_on",
        "report_files",
        "checked_on",
        "check_note",
        "outcome",
    ),
    Objection: (
        "document_id",
        "filed_on",
        "reasons",
        "files",
        "answer_due",
        "status",
        "answer",
        "answered_on",
        "answer_body_id",
    ),
    Escalation: (
        "matter_id",
        "document_id",
        "on",
        "due_on",
        "overdue_days",
        "unit",
        "basis",
        "proposal",
    ),
}


def row_key(obj: models.Model) -> str:
    return f"{obj._meta.label_lower}:{obj.pk}"


def row_fields(obj: models.Model) -> dict[str, Any]:
    """The replayed fields of ``obj`` as JSON values (dates as ISO text)."""
    out: dict[str, Any] = {}
    for name in _REPLAYED[type(obj)]:
        value = getattr(obj, name)
        out[name] = value.isoformat() if isinstance(value, date) else value
    return out


def _d(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _record(
    actor: Account,
    action: str,
    matter: Matter,
    rows: Sequence[models.Model],
    *,
    files: Sequence[EvidenceRef] = (),
    moved: tuple[str, str] | None = None,
    **data: Any,
) -> Entry:
    if moved is not None:
        data["from"], data["to"] = moved
    payload = {
        "matter": matter.pk,
        "rows": {row_key(r): row_fields(r) for r in rows},
        **{k: (v.isoformat() if isinstance(v, date) else v) for k, v in data.items()},
    }
    entry = record_append(
        actor_id=actor.pk,
        actor_name=actor.display_name or actor.get_username(),
        role=actor.role,
        action=action,
        payload=payload,
        files=files,
    )
    for row in rows:
        type(row)._default_manager.filter(pk=row.pk).update(entry_seq=entry.seq)
        row.entry_seq = entry.seq  # type: ignore[attr-defined]
    return entry


def _serial(body: Agency, kind: str, year: int) -> int:
    """The next serial for (body, kind, year), gap-free in the caller's transaction."""
    counter, _ = Counter.objects.select_for_update().get_or_create(
        body=body, kind=kind, year=year, defaults={"last": 0}
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _number(body: Agency, kind: str, on: date) -> str:
    return f"{body.name}〔{on.year}〕{ABBREVIATIONS[kind]}{_serial(body, kind, on.year)}号"


def _locked(matter: Matter) -> Matter:
    return Matter.objects.select_for_update().select_related("body", "agency").get(pk=matter.pk)


def _move(matter: Matter, service: str) -> transitions.Move:
    move = transitions.move_for(matter.state, service)
    if move is None:
        raise RuleViolation(
            f"监督事项处于“{matter.get_state_display()}”状态，不能{transitions.SERVICE_LABELS[service]}",
            article=guards.article("二十六"),
        )
    return move


def _supervisor(actor: Account, matter: Matter, *, assist_ok: bool = False) -> None:
    """The actor supervises the matter within its scope (``scope.check_acts``: its body's own
    supervisors; a 司法所 assisting the body only where ``assist_ok``, 条例第六条第二款)."""
    scope.check_acts(actor, matter, assist_ok=assist_ok)


def _recused_names(matter: Matter, accounts: Sequence[Account]) -> list[str]:
    ids = set(
        MatterSupervisor.objects.filter(
            matter=matter, recused=True, account__in=[a.pk for a in accounts]
        ).values_list("account_id", flat=True)
    )
    return [_name(a) for a in accounts if a.pk in ids]


def _day_of(value: Any) -> date | None:
    """A date given as ISO text (a plan's or a document's field); None when absent or not one."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _notify_team(matter: Matter, title: str) -> None:
    """Tell the matter's supervisors (not those recused) what the agency did."""
    from zhifa.notifications.services import notification_send

    team = Account.objects.filter(
        pk__in=MatterSupervisor.objects.filter(matter=matter, recused=False).values("account_id")
    )
    notification_send(
        recipients=team, kind="supervision", title=title, url=f"/supervision/matters/{matter.pk}/"
    )


def _name(account: Account) -> str:
    return account.display_name or account.get_username()


def has_valid_supervision_certificate(account: Account, on: date) -> bool:
    """Does ``account`` hold a 行政执法监督证 valid on ``on``?"""
    if account.officer_id is None:
        return False
    return Certificate.objects.filter(
        officer_id=account.officer_id,
        kind=Certificate.Kind.SUPERVISION,
        status=Certificate.Status.VALID,
        issued_on__lte=on,
        expires_on__gte=on,
    ).exists()


def has_valid_supervision_certificate_of(officer: Any, on: date) -> bool:
    """Does ``officer`` hold a 行政执法监督证 valid on ``on``?"""
    return Certificate.objects.filter(
        officer=officer,
        kind=Certificate.Kind.SUPERVISION,
        status=Certificate.Status.VALID,
        issued_on__lte=on,
        expires_on__gte=on,
    ).exists()


def _notify_agency(matter: Matter, title: str, on: date) -> None:
    from zhifa.notifications.services import notification_send

    heads = Account.objects.filter(agency=matter.agency, role=Account.Role.HEAD, is_active=True)
    notification_send(
        recipients=heads,
        kind="supervision",
        title=title,
        url=f"/supervision/inbox/{matter.pk}/",
        key=f"supervision:{matter.pk}:{title}:{on.isoformat()}",
    )


# -- intake ---------------------------------------------------------------------------------


@transaction.atomic
def matter_open(
    *,
    actor: Account,
    agency: Agency,
    origin: str,
    origin_ref: str = "",
    title: str,
    summary: str,
    on: date,
    kind: str = Matter.Kind.ROUTINE,
    key_method: str = "",
    plan: dict[str, str] | None = None,
) -> Matter:
    """Register (登记) a matter about ``agency`` in the actor's supervisory body (the
    supervisor's agency, a 司法局). ``origin`` is one of ``Matter.Origin`` (``origin_ref`` the
    complaint, filing or warning it came from). The actor joins the matter's team.

    Raises RuleViolation when the actor is not a supervisor with a body, the agency is outside
    the actor's scope (``scope.check_may_open``: its region; a department's system,
    条例第四十二条; a 司法所 opens none, 第六条第二款), the kind's conditions fail (重点: a
    method; 专项: 条例第二十一条), or a field is empty. Returns the matter, recorded as
    ``supervision.matter.open``.
    """
    if actor.role != Account.Role.SUPERVISOR or actor.agency_id is None:
        raise RuleViolation(
            "只有行政执法监督机构的监督人员可以登记监督事项", article=guards.article("六")
        )
    scope.check_may_open(actor, agency, kind)
    if origin not in Matter.Origin.values:
        raise RuleViolation("请选择监督事项的来源", article=guards.article("二十"))
    if kind not in Matter.Kind.values:
        raise RuleViolation("请选择监督方式", article=guards.article("十四"))
    if not title.strip() or not summary.strip():
        raise RuleViolation("请填写事项名称和基本情况", article=guards.article("二十六"))
    guards.key_method_given(kind=kind, key_method=key_method)
    plan = dict(plan or {})
    body = Agency.objects.get(pk=actor.agency_id)
    if kind == Matter.Kind.SPECIAL:
        guards.special_supervision_allowed(
            body_level=body.level,
            plan=plan,
            approved_by=str(plan.get("approved_by", "")),
            approved_on=_day_of(plan.get("approved_on")),
        )
    matter = Matter.objects.create(
        number=_number(body, "matter", on),
        body=body,
        agency=agency,
        kind=kind,
        key_method=key_method,
        origin=origin,
        origin_ref=origin_ref.strip(),
        title=title.strip(),
        summary=summary.strip(),
        opened_on=on,
        opened_by=actor,
        plan=plan,
        entry_seq=-1,
    )
    member = MatterSupervisor.objects.create(matter=matter, account=actor, entry_seq=-1)
    _record(actor, "supervision.matter.open", matter, [matter, member], to=S.REGISTERED, on=on)
    return matter


@transaction.atomic
def matter_accept(
    *,
    actor: Account,
    matter: Matter,
    on: date,
    under_review: bool = False,
    under_litigation: bool = False,
) -> Matter:
    """受理. A dispute already under 行政复议 or 行政诉讼 is refused with guidance (条例第三十三条):
    use ``matter_refuse`` with that reason. Recorded as ``supervision.matter.accept``."""
    matter = _locked(matter)
    _move(matter, "matter_accept")
    _supervisor(actor, matter)
    guards.not_under_review_or_litigation(
        under_review=under_review, under_litigation=under_litigation
    )
    old = matter.state
    matter.state, matter.decided_on = S.ACCEPTED, on
    matter.save(update_fields=["state", "decided_on"])
    _record(
        actor,
        "supervision.matter.accept",
        matter,
        [matter],
        moved=(old, matter.state),
        on=on,
    )
    _notify_agency(matter, f"监督事项受理：{matter.title}", on)
    return matter


REFUSAL_REASONS = {
    "review_or_litigation": (
        "该行政争议已经进入行政复议或者行政诉讼程序，不重复监督；"
        "已引导当事人依法参加行政复议或者行政诉讼（《行政执法监督条例》第三十三条）"
    ),
    "not_enforcement": "不属于行政执法监督事项",
    "duplicate": "重复反映，已在办理",
}


@transaction.atomic
def matter_refuse(*, actor: Account, matter: Matter, reason: str, on: date) -> Matter:
    """不予受理 with a reason (a key of ``REFUSAL_REASONS`` is expanded to its wording)."""
    matter = _locked(matter)
    _move(matter, "matter_refuse")
    _supervisor(actor, matter)
    reason = REFUSAL_REASONS.get(reason, reason).strip()
    guards.reason_given(reason=reason)
    old = matter.state
    matter.state, matter.decided_on, matter.reason = S.REFUSED, on, reason
    matter.save(update_fields=["state", "decided_on", "reason"])
    _record(
        actor,
        "supervision.matter.refuse",
        matter,
        [matter],
        moved=(old, matter.state),
        on=on,
    )
    return matter


@transaction.atomic
def matter_transfer(
    *, actor: Account, matter: Matter, transfer_to: str, reason: str, on: date
) -> Matter:
    """移送: not competent — to ``transfer_to`` by the ``supervision.transfer`` limit."""
    matter = _locked(matter)
    _move(matter, "matter_transfer")
    _supervisor(actor, matter)
    guards.reason_given(reason=reason)
    if not transfer_to.strip():
        raise RuleViolation("请填写移送的机关", article=time_limit(tl.TRANSFER).source)
    old = matter.state
    matter.state, matter.decided_on = S.TRANSFERRED, on
    matter.reason, matter.transfer_to = reason.strip(), transfer_to.strip()
    matter.transfer_due = due_on(tl.TRANSFER, matter.opened_on)[0]
    matter.save(update_fields=["state", "decided_on", "reason", "transfer_to", "transfer_due"])
    _record(
        actor,
        "supervision.matter.transfer",
        matter,
        [matter],
        moved=(old, matter.state),
        on=on,
    )
    return matter


# -- the team -------------------------------------------------------------------------------


@transaction.atomic
def matter_team_join(*, actor: Account, matter: Matter, account: Account, on: date) -> Matter:
    """Add a supervisor of the same body to the matter's team."""
    matter = _locked(matter)
    _move(matter, "matter_team_join")
    _supervisor(actor, matter)
    if not scope.may_join_team(account, matter.body_id):
        raise RuleViolation(
            "只能加入本监督机构的监督人员或者协助本机构的司法所监督人员",
            article=guards.article("六"),
        )
    member, created = MatterSupervisor.objects.get_or_create(
        matter=matter, account=account, defaults={"entry_seq": -1}
    )
    if not created:
        raise RuleViolation(f"{_name(account)}已在本监督事项中", article=guards.article("六"))
    _record(actor, "supervision.matter.team_join", matter, [member], on=on)
    return matter


@transaction.atomic
def matter_recuse(
    *, actor: Account, matter: Matter, account: Account, reason: str, on: date
) -> Matter:
    """A supervisor with a declared conflict of interest is recused (回避) and takes no further
    part (the guards ``not_recused`` refuse every later step naming them)."""
    matter = _locked(matter)
    _move(matter, "matter_recuse")
    guards.actor_is_supervisor(
        role=actor.role, actor_body_id=actor.agency_id, body_id=matter.body_id
    )
    if not reason.strip():
        raise RuleViolation("请写明回避的理由", article=guards.RECUSAL_RULE)
    member, _ = MatterSupervisor.objects.get_or_create(
        matter=matter, account=account, defaults={"entry_seq": -1}
    )
    if member.recused:
        raise RuleViolation(f"{_name(account)}已经回避", article=guards.RECUSAL_RULE)
    member.recused, member.recusal_reason = True, reason.strip()
    member.save(update_fields=["recused", "recusal_reason"])
    _record(actor, "supervision.matter.recuse", matter, [member], on=on)
    return matter


# -- measures (条例第二十二条) ----------------------------------------------------------------


def _enter(matter: Matter, move: transitions.Move) -> str:
    old = matter.state
    if move.to != old:
        matter.state = move.to
        matter.save(update_fields=["state"])
    return old


@transaction.atomic
def matter_measure_record(
    *,
    actor: Account,
    matter: Matter,
    kind: str,
    text: str,
    supervisors: Sequence[Account],
    on: date,
    files: Sequence[EvidenceRef] = (),
) -> Step:
    """An investigation measure (检查, 访谈, 暗访, 约谈 with its minutes, 座谈/听证/统计/评估),
    taken by at least two supervisors of the team each holding a 行政执法监督证 valid on ``on``,
    none recused. The first measure moves an accepted matter to 调查."""
    matter = _locked(matter)
    move = _move(matter, "matter_measure_record")
    _supervisor(actor, matter, assist_ok=True)
    allowed = {
        Step.Kind.INSPECTION,
        Step.Kind.INTERVIEW,
        Step.Kind.UNANNOUNCED,
        Step.Kind.TALK,
        Step.Kind.MEETING,
        Step.Kind.NOTE,
    }
    if kind not in allowed:
        raise RuleViolation("请选择监督措施", article=guards.article("二十二"))
    if not text.strip():
        raise RuleViolation("请填写记录内容", article=guards.article("二十二"))
    people = list({a.pk: a for a in supervisors}.values())
    team = set(MatterSupervisor.objects.filter(matter=matter).values_list("account_id", flat=True))
    strangers = [
        _name(a)
        for a in people
        if not (
            (a.role == Account.Role.SUPERVISOR and a.agency_id == matter.body_id)
            # 条例第六条第二款: a 司法所 assisting the body, added to the team
            or (scope.is_assistant_of(a, matter.body_id) and a.pk in team)
        )
    ]
    if strangers:
        raise RuleViolation(
            "、".join(strangers)
            + "不是本监督机构的监督人员或者加入本事项的协助司法所监督人员，不能参加调查",
            article=guards.article("二十二"),
        )
    if scope.is_assistant_of(actor, matter.body_id):
        guards.assistant_takes_part(takes_part=actor.pk in {a.pk for a in people})
    guards.not_recused(recused=_recused_names(matter, people))
    certified = [_name(a) for a in people if has_valid_supervision_certificate(a, on)]
    uncertified = [_name(a) for a in people if _name(a) not in certified]
    guards.two_certified_supervisors(certified=certified, uncertified=uncertified)
    old = _enter(matter, move)
    step = Step.objects.create(
        matter=matter,
        kind=kind,
        on=on,
        text=text.strip(),
        supervisors=[{"id": a.pk, "name": _name(a)} for a in people],
        files=[f.as_dict() for f in files],
        actor=actor,
        entry_seq=-1,
    )
    _record(
        actor,
        "supervision.matter.measure",
        matter,
        [matter, step],
        files=files,
        moved=(old, matter.state),
        on=on,
    )
    return step


@transaction.atomic
def matter_explanation_request(
    *, actor: Account, matter: Matter, text: str, on: date, files: Sequence[EvidenceRef] = ()
) -> Step:
    """要求自查、说明情况: the agency answers by the ``supervision.explanation_answer`` limit."""
    matter = _locked(matter)
    move = _move(matter, "matter_explanation_request")
    _supervisor(actor, matter)
    guards.not_recused(recused=_recused_names(matter, [actor]))
    if not text.strip():
        raise RuleViolation("请写明要求说明的事项", article=guards.article("二十二"))
    old = _enter(matter, move)
    step = Step.objects.create(
        matter=matter,
        kind=Step.Kind.EXPLANATION_REQUEST,
        on=on,
        text=text.strip(),
        supervisors=[{"id": actor.pk, "name": _name(actor)}],
        due_on=due_on(tl.EXPLANATION, on)[0],
        files=[f.as_dict() for f in files],
        actor=actor,
        entry_seq=-1,
    )
    _record(
        actor,
        "supervision.matter.explanation_request",
        matter,
        [matter, step],
        files=files,
        moved=(old, matter.state),
        on=on,
    )
    _notify_agency(matter, f"要求说明情况：{matter.title}", on)
    return step


@transaction.atomic
def matter_explanation_answer(
    *, actor: Account, request: Step, text: str, on: date, files: Sequence[EvidenceRef] = ()
) -> Step:
    """The agency's head answers a request (late answers are accepted and shown as late)."""
    matter = _locked(request.matter)
    guards.actor_is_agency_head(
        role=actor.role, actor_agency_id=actor.agency_id, agency_id=matter.agency_id
    )
    if matter.is_final:
        raise RuleViolation("监督事项已经结束", article=guards.article("二十二"))
    request = Step.objects.select_for_update().get(pk=request.pk)
    if request.kind != Step.Kind.EXPLANATION_REQUEST:
        raise RuleViolation("该记录不是说明情况的要求", article=guards.article("二十二"))
    guards.request_open(answered=request.answered_by.exists())
    if not text.strip():
        raise RuleViolation("请填写说明内容", article=guards.article("二十五"))
    step = Step.objects.create(
        matter=matter,
        kind=Step.Kind.EXPLANATION_ANSWER,
        on=on,
        text=text.strip(),
        answers=request,
        files=[f.as_dict() for f in files],
        actor=actor,
        entry_seq=-1,
    )
    late = request.due_on is not None and on > request.due_on
    _record(
        actor,
        "supervision.matter.explanation_answer",
        matter,
        [step],
        files=files,
        on=on,
        late=late,
    )
    _notify_team(matter, f"被监督机关已说明情况：{matter.title}")
    return step


@transaction.atomic
def matter_case_file_read(*, actor: Account, matter: Matter, case_id: int, on: date) -> Step:
    """调阅 of a case file of the supervised agency (条例第二十二条第四项): the opening is itself
    an entry. The case is read through the cases selectors only (条例第八条); nothing changes."""
    from zhifa.cases.selectors import cases_visible_to

    matter = _locked(matter)
    move = _move(matter, "matter_case_file_read")
    _supervisor(actor, matter)
    guards.not_recused(recused=_recused_names(matter, [actor]))
    case = cases_visible_to(actor).filter(pk=case_id).first()
    if case is None:
        raise RuleViolation("没有找到该案件", article=guards.article("二十二"))
    guards.case_of_agency(case_agency_id=case.agency_id, agency_id=matter.agency_id)
    old = _enter(matter, move)
    step = Step.objects.create(
        matter=matter,
        kind=Step.Kind.CASE_FILE_READ,
        on=on,
        text=f"调阅案卷：{case.number or case.pk}",
        supervisors=[{"id": actor.pk, "name": _name(actor)}],
        case_id=case.pk,
        actor=actor,
        entry_seq=-1,
    )
    _record(
        actor,
        "supervision.matter.case_file_read",
        matter,
        [matter, step],
        case=case.pk,
        moved=(old, matter.state),
        on=on,
    )
    return step


# -- outcomes (条例第二十六条至第三十三条) --------------------------------------------------------


def may_suspend_certificates() -> bool:
    """ZHIFA_SUPERVISION_MAY_SUSPEND: the deployment lets supervisors suspend a certificate
    (e.g. 《辽宁省行政执法监督规定》第三十六条); off by default (条例第三十二条 only recommends)."""
    return bool(getattr(settings, "ZHIFA_SUPERVISION_MAY_SUSPEND", False))


@transaction.atomic
def matter_document_issue(
    *,
    actor: Account,
    matter: Matter,
    kind: str,
    findings: str,
    requirement: str,
    on: date,
    fields: dict[str, Any] | None = None,
) -> Document:
    """Issue an outcome document, numbered ``示范市司法局〔2026〕督办3号``.

    - 督办函 (第二十七条), 意见书 (第二十八条): the agency reports by the kind's limit; the matter
      moves to 整改跟踪.
    - 决定书 (第二十九条): ``fields`` name the government that decided (``approved_by``,
      ``approved_on``) and the ground (``grave`` or an earlier document ignored); the issuer is
      that government; report by ``supervision.decision_report``.
    - 通报 (第三十一条): ``fields["scope"]`` the range it goes to.
    - 执法人员处理建议 (第三十二条): ``fields["officer_id"]``, ``fields["measure"]`` (a key of
      ``OFFICER_MEASURES``), ``fields["to_body"]``; with ``fields["suspend"]`` and the setting
      ZHIFA_SUPERVISION_MAY_SUSPEND the officer's certificates are suspended at once through
      the registry's certificate service, the document's number as reason.
    - 问题线索移送 (第三十三条): ``fields["to_body"]`` (the 纪检监察机关); report-back date by
      ``supervision.clue_report_back``.
    """
    matter = _locked(matter)
    move = _move(matter, "matter_document_issue")
    _supervisor(actor, matter)
    guards.not_recused(recused=_recused_names(matter, [actor]))
    if kind not in D.values:
        raise RuleViolation("请选择文书种类", article=guards.article("二十六"))
    scope.check_outcome(actor, kind)
    if not findings.strip() or not requirement.strip():
        raise RuleViolation("请填写查明的问题和处理意见", article=guards.article("二十六"))
    fields = dict(fields or {})
    issuer = matter.body.name
    if kind == D.DECISION:
        approved = _day_of(fields.get("approved_on"))
        guards.government_approved(
            approved_by=str(fields.get("approved_by", "")), approved_on=approved
        )
        earlier_ignored = (
            Document.objects.filter(
                matter=matter, kind__in=[D.URGE_LETTER, D.OPINION], status=Document.Status.REJECTED
            ).exists()
            or Document.objects.filter(
                matter=matter,
                kind__in=[D.URGE_LETTER, D.OPINION],
                status=Document.Status.ISSUED,
                due_on__lt=on,
            ).exists()
        )
        guards.decision_grounds(grave=bool(fields.get("grave")), earlier_ignored=earlier_ignored)
        issuer = str(fields["approved_by"]).strip()
        fields["proposed_by"] = matter.body.name
    officer = None
    if kind == D.OFFICER_RECOMMENDATION:
        guards.officer_measure_known(
            measure=str(fields.get("measure", "")), allowed=list(OFFICER_MEASURES)
        )
        from zhifa.registry.models import Officer

        officer = Officer.objects.filter(
            pk=int(fields.get("officer_id") or 0), agency=matter.agency
        ).first()
        if officer is None:
            raise RuleViolation("请选择被监督机关的执法人员", article=guards.article("三十二"))
        fields["officer_name"] = officer.name
        fields["measure_label"] = OFFICER_MEASURES[str(fields["measure"])]
        if fields.get("suspend"):
            guards.suspension_allowed(allowed=may_suspend_certificates())
    if (
        kind in (D.OFFICER_RECOMMENDATION, D.CLUE_TRANSFER)
        and not str(fields.get("to_body", "")).strip()
    ):
        raise RuleViolation("请填写接收的有权机关", article=guards.article("三十二条、第三十三"))
    limit = tl.FOR_DOCUMENT.get(kind)
    document = Document.objects.create(
        matter=matter,
        kind=kind,
        number=_number(matter.body, kind, on),
        issued_on=on,
        issuer=issuer,
        findings=findings.strip(),
        requirement=requirement.strip(),
        fields=fields,
        due_on=due_on(limit, on)[0] if limit else None,
        status=Document.Status.ISSUED if limit else Document.Status.DONE,
        entry_seq=-1,
    )
    pdf, docx, source = render_files(document, at=timezone.now())
    document.pdf, document.docx, document.template_source = pdf, docx, source
    document.save(update_fields=["pdf", "docx", "template_source"])
    old = matter.state
    # A document asking the agency to act moves the matter to 整改跟踪; a 通报, recommendation
    # or transfer leaves a rectifying matter where it is, else it goes to 处理.
    rectifying = kind in transitions.RECTIFYING_KINDS or old == S.RECTIFYING
    matter.state = S.RECTIFYING if rectifying else move.to
    matter.save(update_fields=["state"])
    _record(
        actor,
        "supervision.document.issue",
        matter,
        [matter, document],
        files=[pdf.ref, docx.ref],
        moved=(old, matter.state),
        on=on,
        limit=limit or "",
    )
    if officer is not None and fields.get("suspend"):
        _suspend_certificates(actor, officer, document, on)
    if kind == D.NOTICE and fields.get("publish"):
        # 条例第三十一条 "向社会公布": the 通报 goes to the body's publisher's redaction review.
        _publication_propose(actor, matter, document, on)
    if kind in transitions.RECTIFYING_KINDS:
        _notify_agency(matter, f"{document.get_kind_display()}：{document.number}", on)
    return document


def _suspend_certificates(actor: Account, officer: Any, document: Document, on: date) -> None:
    """Suspend the officer's valid enforcement certificates through the registry's recorded
    service (``certificate_status_change``), the document's number as the reason."""
    from zhifa.registry.services import certificate_status_change

    for cert in Certificate.objects.filter(
        officer=officer, kind=Certificate.Kind.ENFORCEMENT, status=Certificate.Status.VALID
    ):
        certificate_status_change(
            actor=actor,
            certificate=cert,
            to_status=Certificate.Status.SUSPENDED,
            reason=f"依{document.number}暂扣",
            effective_on=on,
            by_supervision=True,
        )


@transaction.atomic
def document_outcome_record(
    *, actor: Account, document: Document, outcome: str, on: date
) -> Document:
    """The competent body's outcome of a recommendation (第三十二条) or the 纪检监察机关's
    receipt / report-back of a clue transfer (第三十三条), recorded as received."""
    matter = _locked(document.matter)
    _supervisor(actor, matter)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.kind not in (D.OFFICER_RECOMMENDATION, D.CLUE_TRANSFER):
        raise RuleViolation("该文书没有需要登记的处理结果", article=guards.article("三十二"))
    if not outcome.strip():
        raise RuleViolation("请填写处理结果", article=guards.article("三十二"))
    document.outcome = (
        document.outcome + "\n" if document.outcome else ""
    ) + f"{_d(on)}：{outcome.strip()}"
    document.status = Document.Status.DONE
    document.save(update_fields=["outcome", "status"])
    _record(actor, "supervision.document.outcome", matter, [document], on=on)
    return document


# -- the agency's side: objections and rectification -------------------------------------------


def objections_go_upward() -> bool:
    """ZHIFA_SUPERVISION_OBJECTION_TO_UPPER: objections go to the upper-level supervisory body
    (《广东省行政执法监督条例》第三十三条; off: to the body that issued, 条例第三十条)."""
    return bool(getattr(settings, "ZHIFA_SUPERVISION_OBJECTION_TO_UPPER", False))


def upper_supervisory_body(body: Agency) -> Agency | None:
    """The 司法局 one level up of ``body``: the agency of the upper division that has
    supervisor accounts (its registered ``parent`` first when that is one); None at the top."""
    code = objection_routing.upper_division_code(body.division_code)
    if code is None:
        return None
    # a 司法局: its supervisors have the region scope (not a department's 本系统内部监督 or a
    # 司法所's 协助, 条例第四十二条、第六条第二款)
    region_supervisors = Account.objects.filter(
        role=Account.Role.SUPERVISOR,
        is_active=True,
        supervision_scope=Account.SupervisionScope.REGION,
    )
    bodies = Agency.objects.filter(
        division_code=code, pk__in=region_supervisors.values("agency_id")
    ).order_by("pk")
    if body.parent_id is not None and bodies.filter(pk=body.parent_id).exists():
        return bodies.get(pk=body.parent_id)
    return bodies.first()


def _notify_body(body: Agency, title: str, url: str) -> None:
    """Tell every active supervisor of ``body`` (an objection routed to it)."""
    from zhifa.notifications.services import notification_send

    notification_send(
        recipients=Account.objects.filter(
            role=Account.Role.SUPERVISOR, agency=body, is_active=True
        ),
        kind="supervision",
        title=title,
        url=url,
    )


def objection_last_day(document: Document) -> date:
    return due_on(tl.OBJECTION_FILE, document.issued_on)[0]


def objection_suspends_rectification() -> bool:
    """ZHIFA_SUPERVISION_OBJECTION_SUSPENDS: an objection stops the rectification (off: 条例第三十条
    does not say it does)."""
    return bool(getattr(settings, "ZHIFA_SUPERVISION_OBJECTION_SUSPENDS", False))


@transaction.atomic
def document_objection_file(
    *, actor: Account, document: Document, reasons: str, on: date, files: Sequence[EvidenceRef] = ()
) -> Objection:
    """条例第三十条: the agency's head objects, with reasons, by the ``supervision.objection_file``
    limit; the supervisor answers by ``supervision.objection_answer``."""
    matter = _locked(document.matter)
    guards.actor_is_agency_head(
        role=actor.role, actor_agency_id=actor.agency_id, agency_id=matter.agency_id
    )
    document = Document.objects.select_for_update().get(pk=document.pk)
    guards.objection_allowed(
        kind=document.kind,
        status=document.status,
        pending=document.objections.filter(status=Objection.Status.FILED).exists(),
    )
    guards.objection_in_time(
        filed_on=on,
        last_day=objection_last_day(document),
        source=time_limit(tl.OBJECTION_FILE).source,
    )
    if not reasons.strip():
        raise RuleViolation("请写明异议的理由", article=guards.article("三十"))
    upper = upper_supervisory_body(matter.body) if objections_go_upward() else None
    if objections_go_upward() and upper is None:
        raise RuleViolation(
            "本地规定异议向上一级行政执法监督机构提出，但系统中没有上一级行政执法监督机构，"
            "请联系系统管理员",
            article=f"{guards.article('三十')}；{objection_routing.UPPER_RULE}",
        )
    limit = tl.OBJECTION_ANSWER_UPPER if upper is not None else tl.OBJECTION_ANSWER
    objection = Objection.objects.create(
        document=document,
        filed_on=on,
        reasons=reasons.strip(),
        files=[f.as_dict() for f in files],
        answer_due=due_on(limit, on)[0],
        answer_body=upper,
        entry_seq=-1,
    )
    _record(
        actor,
        "supervision.objection.file",
        matter,
        [objection],
        files=files,
        on=on,
        limit=limit,
        answer_body=upper.name if upper is not None else matter.body.name,
    )
    _notify_team(matter, f"被监督机关对{document.number}提出异议")
    if upper is not None:
        _notify_body(
            upper,
            f"{matter.agency.name}对{document.number}提出异议，请答复",
            f"/supervision/matters/{matter.pk}/",
        )
    return objection


@transaction.atomic
def objection_answer(
    *, actor: Account, objection: Objection, upheld: bool, answer: str, on: date
) -> Objection:
    """The supervisor answers: upheld — the document is withdrawn (its rectification ends);
    dismissed — the rectification stands."""
    matter = _locked(objection.document.matter)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    if objection.answer_body_id is None:
        _supervisor(actor, matter)
    else:
        # Routed upward (ZHIFA_SUPERVISION_OBJECTION_TO_UPPER): the upper-level body answers;
        # the body that issued the document reads the answer only.
        guards.objection_answered_by(
            role=actor.role,
            actor_body_id=actor.agency_id,
            answer_body_id=objection.answer_body_id,
            source=objection_routing.UPPER_RULE,
        )
        guards.agency_in_region(
            division_code=matter.agency.division_code, region_prefix=region_of(actor)
        )
    guards.objection_pending(status=objection.status)
    if not answer.strip():
        raise RuleViolation("请写明答复意见", article=guards.article("三十"))
    objection.status = Objection.Status.UPHELD if upheld else Objection.Status.DISMISSED
    objection.answer, objection.answered_on = answer.strip(), on
    objection.save(update_fields=["status", "answer", "answered_on"])
    rows: list[models.Model] = [objection]
    if upheld:
        document = Document.objects.select_for_update().get(pk=objection.document_id)
        document.status = Document.Status.DONE
        document.check_note = f"异议成立，文书撤回：{answer.strip()}"
        document.checked_on = on
        document.save(update_fields=["status", "check_note", "checked_on"])
        rows.append(document)
    _record(actor, "supervision.objection.answer", matter, rows, on=on)
    if objection.answer_body_id is not None:
        _notify_team(matter, f"上级行政执法监督机构已答复对{objection.document.number}的异议")
        _notify_agency(matter, f"异议答复：{objection.document.number}", on)
    return objection


@transaction.atomic
def document_report(
    *, actor: Account, document: Document, report: str, on: date, files: Sequence[EvidenceRef] = ()
) -> Document:
    """The agency's head reports the rectification (整改情况报告) with its attachments."""
    matter = _locked(document.matter)
    guards.actor_is_agency_head(
        role=actor.role, actor_agency_id=actor.agency_id, agency_id=matter.agency_id
    )
    document = Document.objects.select_for_update().get(pk=document.pk)
    guards.rectification_open(status=document.status, kind=document.kind)
    guards.rectification_suspended(
        suspends=objection_suspends_rectification(),
        objection_pending=document.objections.filter(status=Objection.Status.FILED).exists(),
    )
    if not report.strip():
        raise RuleViolation("请填写整改情况", article=guards.article("二十八"))
    document.status = Document.Status.REPORTED
    document.report, document.reported_on = report.strip(), on
    document.report_files = [f.as_dict() for f in files]
    document.save(update_fields=["status", "report", "reported_on", "report_files"])
    late = document.due_on is not None and on > document.due_on
    _record(actor, "supervision.document.report", matter, [document], files=files, on=on, late=late)
    _notify_team(matter, f"被监督机关已报送{document.number}的整改情况")
    return document


# What the agency's head may add files to after making it (``agency_attachments_add``).
ATTACHMENT_TARGETS = {
    "answer": "书面说明",
    "objection": "异议",
    "report": "整改情况报告",
}


@transaction.atomic
def agency_attachments_add(
    *, actor: Account, matter: Matter, to: str, row_id: int, files: Sequence[EvidenceRef], on: date
) -> Step | Objection | Document:
    """The agency's head adds files to what it already gave on ``matter`` — a written
    explanation (``to="answer"``, the answer's step), an objection (``"objection"``) or a
    rectification report (``"report"``, the document) — as the page's forms take files with
    the text. The files are appended to the row's list (nothing already there changes) and
    carried by the entry ``supervision.agency.attachments_add``; the matter's team is told.

    Raises RuleViolation when the actor is not the supervised agency's head, no file is given,
    the row is not one of the matter's (field ``id``), the matter is over (an answer), the
    objection is answered (第三十条) or the report is no longer waiting for the check
    (第二十八条: a new report is made instead)."""
    matter = _locked(matter)
    guards.actor_is_agency_head(
        role=actor.role, actor_agency_id=actor.agency_id, agency_id=matter.agency_id
    )
    guards.attachments_given(count=len(files))
    if to not in ATTACHMENT_TARGETS:
        raise RuleViolation("请选择补充附件的对象", field="to", article=guards.article("二十五"))
    row: Step | Objection | Document | None
    if to == "answer":
        row = (
            Step.objects.select_for_update()
            .filter(matter=matter, kind=Step.Kind.EXPLANATION_ANSWER, pk=row_id)
            .first()
        )
    elif to == "objection":
        row = (
            Objection.objects.select_for_update().filter(document__matter=matter, pk=row_id).first()
        )
    else:
        row = (
            Document.objects.select_for_update()
            .filter(matter=matter, kind__in=list(transitions.RECTIFYING_KINDS), pk=row_id)
            .first()
        )
    what = ATTACHMENT_TARGETS[to]
    if row is None:
        raise RuleViolation(
            f"本监督事项中没有该{what}", field="id", article=guards.article("二十五")
        )
    if isinstance(row, Step):
        guards.answer_open_for_files(matter_final=matter.is_final)
        row.files = [*row.files, *(f.as_dict() for f in files)]
        row.save(update_fields=["files"])
        number = row.on.isoformat()
    elif isinstance(row, Objection):
        guards.objection_open_for_files(status=row.status)
        row.files = [*row.files, *(f.as_dict() for f in files)]
        row.save(update_fields=["files"])
        number = row.document.number
    else:
        guards.report_open_for_files(status=row.status)
        row.report_files = [*row.report_files, *(f.as_dict() for f in files)]
        row.save(update_fields=["report_files"])
        number = row.number
    _record(
        actor,
        "supervision.agency.attachments_add",
        matter,
        [row],
        files=files,
        on=on,
        to=to,
        count=len(files),
    )
    _notify_team(matter, f"被监督机关为{what}（{number}）补充了{len(files)}个附件")
    return row


@transaction.atomic
def document_check(
    *, actor: Account, document: Document, accepted: bool, note: str, on: date
) -> Document:
    """The supervisor checks the report: accepted, or not (then a further 意见书 or a proposal
    for a 决定书 follows; the document stays open as 整改未通过)."""
    matter = _locked(document.matter)
    _supervisor(actor, matter)
    document = Document.objects.select_for_update().get(pk=document.pk)
    guards.rectification_reported(status=document.status)
    if not note.strip():
        raise RuleViolation("请填写验收意见", article=guards.article("二十八"))
    document.status = Document.Status.ACCEPTED if accepted else Document.Status.REJECTED
    document.check_note, document.checked_on = note.strip(), on
    document.save(update_fields=["status", "check_note", "checked_on"])
    _record(actor, "supervision.document.check", matter, [document], on=on, accepted=accepted)
    return document


# -- the end --------------------------------------------------------------------------------


@transaction.atomic
def matter_terminate(*, actor: Account, matter: Matter, reason: str, on: date) -> Matter:
    """终止: nothing wrong was found (or the matter went away), with the reason."""
    matter = _locked(matter)
    _move(matter, "matter_terminate")
    _supervisor(actor, matter)
    guards.reason_given(reason=reason)
    old = matter.state
    matter.state, matter.reason, matter.closed_on = S.TERMINATED, reason.strip(), on
    matter.save(update_fields=["state", "reason", "closed_on"])
    _record(
        actor,
        "supervision.matter.terminate",
        matter,
        [matter],
        moved=(old, matter.state),
        on=on,
    )
    return matter


def open_rectifications(matter: Matter) -> list[str]:
    """Numbers of the matter's documents whose rectification is not accepted yet."""
    return list(
        Document.objects.filter(
            matter=matter,
            kind__in=list(transitions.RECTIFYING_KINDS),
            status__in=[Document.Status.ISSUED, Document.Status.REPORTED, Document.Status.REJECTED],
        ).values_list("number", flat=True)
    )


@transaction.atomic
def matter_close(*, actor: Account, matter: Matter, reason: str, on: date) -> Matter:
    """办结 once every rectification asked for is accepted."""
    matter = _locked(matter)
    _move(matter, "matter_close")
    _supervisor(actor, matter)
    guards.reason_given(reason=reason)
    guards.nothing_open(open_numbers=open_rectifications(matter))
    old = matter.state
    matter.state, matter.reason, matter.closed_on = S.CLOSED, reason.strip(), on
    matter.save(update_fields=["state", "reason", "closed_on"])
    _record(
        actor,
        "supervision.matter.close",
        matter,
        [matter],
        moved=(old, matter.state),
        on=on,
    )
    return matter


@transaction.atomic
def document_template_set(*, actor: Account, kind: str, text: str) -> DocumentTemplate:
    """Set the actor's supervisory body's own wording of one document kind; the whole text is
    recorded, so every earlier wording stays in the log. Refuses a template that does not
    compile or has no title line."""
    if actor.role != Account.Role.SUPERVISOR or actor.agency_id is None:
        raise RuleViolation("只有行政执法监督机构的监督人员可以修改监督文书模板")
    if kind not in D.values:
        raise RuleViolation("请选择文书种类", field="kind")
    check_template(text, kind)
    row, _ = DocumentTemplate.objects.update_or_create(
        body_id=actor.agency_id, kind=kind, defaults={"text": text, "updated_at": timezone.now()}
    )
    record_append(
        actor_id=actor.pk,
        actor_name=_name(actor),
        role=actor.role,
        action="supervision.template.set",
        payload={"body": actor.agency_id, "kind": kind, "text": text},
    )
    return row


# -- overdue rectifications escalated (the scheduled job ``supervision.escalate``) -------------


def overdue_days(document: Document, today: date) -> int:
    """Days (working days for a working-day row) the report is overdue on ``today``; 0 when
    not overdue. Counted on the statutory calendar in the unit of the kind's row."""
    from .selectors import remaining_days

    if document.due_on is None or not escalation.is_overdue(due_on=document.due_on, today=today):
        return 0
    row = time_limit(tl.FOR_DOCUMENT[document.kind])
    return -remaining_days(document.due_on, today, row.unit)


@transaction.atomic
def rectifications_escalate(*, today: date, at: Any = None) -> list[Escalation]:
    """Escalate every 督办函/意见书/决定书 whose rectification is overdue on ``today`` — not
    reported, or reported and not accepted at the check (``escalation.should_escalate``): one
    ``Escalation`` per document — a document escalated before is never escalated again, so the
    job may run any number of times — each recorded as ``supervision.document.escalate`` by
    the system, the matter's supervisors and the agency's head notified. The proposal
    (条例第二十九条 决定书 / 第二十七条 督办函) becomes a to-do of the supervisors
    (``selectors.supervisor_todos``). Returns the escalations made."""
    suspends = objection_suspends_rectification()
    # No outer join under FOR UPDATE (PostgreSQL refuses one): "not escalated" is a NOT EXISTS.
    escalated = Escalation.objects.filter(document_id=models.OuterRef("pk"))
    candidates = (
        Document.objects.select_for_update()
        .filter(
            kind__in=sorted(escalation.ESCALATED_KINDS),
            status__in=sorted(escalation.OWED_STATUSES),
            due_on__lt=today,
        )
        .exclude(models.Exists(escalated))
        .exclude(matter__state__in=[S.REFUSED, S.TRANSFERRED, S.CLOSED, S.TERMINATED])
        .order_by("pk")
    )
    made: list[Escalation] = []
    for document in candidates:
        pending = document.objections.filter(status=Objection.Status.FILED).exists()
        if not escalation.should_escalate(
            kind=document.kind,
            status=document.status,
            due_on=document.due_on,
            today=today,
            already=False,
            suspended=suspends and pending,
        ):
            continue
        matter = _locked(document.matter)
        assert document.due_on is not None  # should_escalate: overdue means a due day
        row = time_limit(tl.FOR_DOCUMENT[document.kind])
        proposal, article = escalation.proposal_for(
            document.kind, department=scope.body_is_department(matter.body_id)
        )
        days = overdue_days(document, today)
        esc = Escalation.objects.create(
            matter=matter,
            document=document,
            on=today,
            due_on=document.due_on,
            overdue_days=days,
            unit=row.unit,
            basis=row.source,
            proposal=proposal,
            entry_seq=-1,
        )
        entry = record_append(
            actor_id=None,
            actor_name=f"{matter.body.name}（定时任务）",
            role="system",
            action="supervision.document.escalate",
            payload={
                "matter": matter.pk,
                "rows": {row_key(esc): row_fields(esc)},
                "document": document.number,
                "article": article,
                "on": today.isoformat(),
            },
            at=at,
        )
        Escalation.objects.filter(pk=esc.pk).update(entry_seq=entry.seq)
        esc.entry_seq = entry.seq
        late = f"{document.get_kind_display()}{document.number}已逾期{days}{row.unit_label}"
        _notify_team(matter, f"{late}，{esc.get_proposal_display()}")
        _notify_agency_head_overdue(matter, f"{late}，请立即落实并报送整改情况", document, today)
        made.append(esc)
    return made


def _notify_agency_head_overdue(matter: Matter, title: str, document: Document, on: date) -> None:
    from zhifa.notifications.services import notification_send

    heads = Account.objects.filter(agency=matter.agency, role=Account.Role.HEAD, is_active=True)
    notification_send(
        recipients=heads,
        kind="supervision",
        title=title,
        url=f"/supervision/inbox/{matter.pk}/",
        key=f"supervision:escalate:{document.pk}",
    )


# -- publication of results (条例第三十一条) through the publicity app --------------------------

# What may be published: a 通报, and the result of a 督办函/意见书/决定书. Not an officer
# recommendation (a personnel matter for the competent body) nor a clue transfer (监察).
PUBLISHABLE_KINDS = frozenset({D.NOTICE, D.URGE_LETTER, D.OPINION, D.DECISION})


def publication_ref(document: Document) -> str:
    return f"supervision.document:{document.pk}"


def _publication_propose(actor: Account, matter: Matter, document: Document, on: date) -> Any:
    from zhifa.publicity.decision_text import Known
    from zhifa.publicity.services import publication_draft_result

    read = Step.objects.filter(matter=matter, case_id__isnull=False)
    cases = sorted({c for c in read.values_list("case_id", flat=True) if c is not None})
    extra = [Known(value, kind, "", label) for value, kind, label in personal_values(matter)]
    publication = publication_draft_result(
        actor=actor,
        body=matter.body,
        source_ref=publication_ref(document),
        number=document.number,
        issued_on=document.issued_on,
        text=document_text(document),
        fields={
            "agency": matter.body.name,
            "category": document.get_kind_display(),
            "number": document.number,
            "issued_on": document.issued_on.isoformat(),
            "target": matter.agency.name,
            "title": matter.title,
        },
        known_cases=cases,
        known_extra=extra,
    )
    _record(
        actor,
        "supervision.document.publish_propose",
        matter,
        [],
        on=on,
        document=document.number,
        publication=publication.pk,
    )
    from zhifa.notifications.services import notification_send

    notification_send(
        recipients=Account.objects.filter(
            role=Account.Role.PUBLISHER, agency=matter.body, is_active=True
        ),
        kind="publication",
        title=f"待审核公开：{document.get_kind_display()}{document.number}",
        url=f"/publish/{publication.pk}/",
    )
    return publication


@transaction.atomic
def document_publication_propose(*, actor: Account, document: Document, on: date) -> Any:
    """Choose to publish a document's result (条例第三十一条 "向社会公布"): a draft in the
    publicity app owned by the supervisory body, with the document's text, which the body's
    publisher reviews — the redaction review of decisions: personal data of parties and
    complainants removed — and publishes in the portal's 执法监督结果公开 column. Once per
    document (a second call is refused). Records ``supervision.document.publish_propose``.

    Raises RuleViolation when the actor is not a supervisor of the body on the matter's team
    (not recused), when the kind is not publishable, or when it was proposed already."""
    from zhifa.publicity.selectors import publication_of_source

    matter = _locked(document.matter)
    _supervisor(actor, matter)
    guards.not_recused(recused=_recused_names(matter, [actor]))
    document = Document.objects.select_for_update().get(pk=document.pk)
    guards.result_publishable(
        kind=document.kind,
        allowed=sorted(PUBLISHABLE_KINDS),
        proposed=publication_of_source(publication_ref(document)) is not None,
    )
    return _publication_propose(actor, matter, document, on)
