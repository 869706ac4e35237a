"""Every change to a licence application (行政许可) and to the licence it leads to.

The application is a case of kind ``licensing``: each ``case_licence_<verb>`` service goes
through the cases frame (``cases.services._begin``: lock, archived refused, the move of
``cases.transitions.LICENSING``, who acts, the step's date) and its commit (``_commit``: the
case's state and fields and ONE record entry in the same transaction), with the licensing rows
it changed carried in that entry (``application``, ``pause``, ``licence``: see
``selectors.licensing_replay_check``). The statutory rules are ``licensing.guards`` (each with
its article of 《行政许可法》); periods are ``law.licensing`` in working days (第八十二条).

The licence outlives its case (变更, 延续, 撤回, 撤销, 注销 years later, after the case is
archived): ``licence_<verb>`` services lock the licence row and append a ``licensing.licence_*``
entry of the licence's case, carrying the licence row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction

from zhifa.cases import services as cs
from zhifa.cases.models import Case, CaseOfficer, CaseStep, Extension, Party
from zhifa.cases.numbering import DocumentKind, document_number
from zhifa.core.calendar import counted
from zhifa.core.exceptions import RuleViolation
from zhifa.law import licensing as law
from zhifa.law.periods import Calendar
from zhifa.record.models import EvidenceRef
from zhifa.record.services import record_append
from zhifa.registry.models import Account, Officer
from zhifa.registry.selectors import agency_holds_power, officer_may_act

from . import guards
from .models import Application, ExcludedPeriod, Licence

S = Case.State
T = TypeVar("T")

ACTION_LABELS = {
    "licensing.apply": "登记行政许可申请",
    "licensing.licence_change": "变更行政许可",
    "licensing.licence_renewal_apply": "申请延续行政许可",
    "licensing.licence_renewal_decide": "作出延续决定",
    "licensing.licence_end": "撤回、撤销或注销行政许可",
}


def publish_refusals() -> bool:
    """``ZHIFA_LICENSING_PUBLISH_REFUSALS``: whether a 不予许可 decision is published like a
    grant (default False: 国办发〔2018〕118号 asks for the grants; a deployment may add them)."""
    return bool(getattr(settings, "ZHIFA_LICENSING_PUBLISH_REFUSALS", False))


# -- plain rows for the record --------------------------------------------------------------


def application_plain(app: Application) -> dict[str, Any]:
    fields = [f.attname for f in Application._meta.concrete_fields]
    return cs.plain({name: getattr(app, name) for name in fields})  # type: ignore[no-any-return]


def pause_plain(row: ExcludedPeriod) -> dict[str, Any]:
    fields = [f.attname for f in ExcludedPeriod._meta.concrete_fields]
    return cs.plain({name: getattr(row, name) for name in fields})  # type: ignore[no-any-return]


def licence_plain(row: Licence) -> dict[str, Any]:
    fields = [f.attname for f in Licence._meta.concrete_fields]
    return cs.plain({name: getattr(row, name) for name in fields})  # type: ignore[no-any-return]


# -- helpers ----------------------------------------------------------------------------------


def _counted(count: Callable[[Calendar], T], year: int) -> tuple[T, bool]:
    return counted(count, from_year=year)


def _app(case: Case) -> Application:
    return Application.objects.select_for_update().get(case_id=case.pk)


def _set(app: Application, **changes: Any) -> None:
    for name, value in changes.items():
        setattr(app, name, value)
    app.save(update_fields=list(changes))


def _excluded(app: Application) -> int:
    return sum(p.workdays for p in app.pauses.all() if p.ended_on is not None)


def _deadline(app: Application, case: Case, *, extended: bool | None = None) -> dict[str, Any]:
    """The decision deadline (第四十二条) from acceptance, +10 once extended, plus the working
    days of the ended 第四十五条 periods: the case fields to change."""
    assert app.accepted_on is not None
    if extended is None:
        extended = Extension.objects.filter(
            case_id=case.pk, kind=Extension.Kind.LICENCE_DECISION
        ).exists()
    excluded = _excluded(app)
    on, provisional = _counted(
        lambda cal: law.decision_deadline(
            app.accepted_on,  # type: ignore[arg-type]
            cal,
            extended=bool(extended),
            excluded_workdays=excluded,
        ),
        app.accepted_on.year,
    )
    return {"decision_deadline": on, "deadlines_provisional": provisional}


def _commit(
    actor: Account,
    case: Case,
    move: Any,
    on: date,
    *,
    app: Application,
    changes: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    files: Sequence[EvidenceRef] = (),
) -> Any:
    return cs._commit(
        actor,
        case,
        move,
        when={"on": on},
        changes=changes,
        data={**(data or {}), "application": application_plain(app)},
        files=files,
    )


def _number(case: Case, kind: str, on: date) -> str:
    return document_number(case.agency, kind, on.year)


# -- 申请 ---------------------------------------------------------------------------------------


@transaction.atomic
def licence_apply(
    *,
    actor: Account,
    power_code: str,
    matter: str,
    channel: str,
    on: date,
    applicant: cs.PartyInput,
    materials: Sequence[str] = (),
    officers: Sequence[tuple[Officer, str]] = (),
    verification_required: bool = False,
    hearing_required: bool = False,
    late_reason: str = "",
) -> Case:
    """Register an application received on ``on`` (online or at the window): a case of kind
    licensing whose party is the applicant, on a published 行政许可 item of the agency's power
    list. The 5 working days of 第三十二条 to tell what is missing start the day after."""
    if channel not in Application.Channel.values:
        raise RuleViolation("请选择申请方式（网上申请或窗口申请）", field="channel")
    if not officers and actor.officer is not None and actor.agency is not None:
        # The officer who registers it handles it (主办), where a certificate allows: it is
        # then on their to-do list (我的案件) with its deadlines.
        item = agency_holds_power(actor.agency, power_code.strip())
        if (
            item is not None
            and officer_may_act(
                actor.officer, item.domain, on, region=actor.agency.division_code
            ).allowed
        ):
            officers = [(actor.officer, CaseOfficer.Role.LEAD)]
    case = cs.case_open(
        actor=actor,
        kind=Case.Kind.LICENSING,
        power_code=power_code,
        title=matter,
        on=on,
        parties=[applicant],
        officers=officers,
        late_reason=late_reason,
    )
    deadline_on, _ = _counted(lambda cal: law.completeness_notice_deadline(on, cal), on.year)
    app = Application.objects.create(
        case=case,
        channel=channel,
        received_on=on,
        matter=matter.strip(),
        materials=[m.strip() for m in materials if m.strip()],
        completeness_deadline=deadline_on,
        verification_required=verification_required,
        hearing_required=hearing_required,
    )
    record_append(
        actor_id=actor.pk,
        actor_name=cs._actor_name(actor),
        role=actor.role,
        action="licensing.apply",
        payload={"on": on, "application": application_plain(app)},
        case_id=case.pk,
    )
    return case


# -- 受理 / 补正 / 不予受理 ------------------------------------------------------------------------


@transaction.atomic
def case_licence_correct(
    *, actor: Account, case: Case, on: date, missing: Sequence[str], late_reason: str = ""
) -> Case:
    """补正材料通知: every missing material told at once, within 5 working days (第三十二条)."""
    case, move = cs._begin(
        actor,
        case,
        "case_licence_correct",
        on=on,
        late_reason=late_reason,
        early=lambda locked: guards.correction_once(
            already_notified=_app(locked).correction_notified_on is not None
        ),
    )
    app = _app(case)
    items = [m.strip() for m in missing if m.strip()]
    guards.missing_materials_listed(missing=items)
    received = app.received_on
    _counted(
        lambda cal: guards.correction_in_time(received_on=received, on=on, calendar=cal),
        on.year,
    )
    _set(
        app,
        missing=items,
        correction_notified_on=on,
        correction_number=_number(case, DocumentKind.LICENCE_CORRECTION, on),
    )
    _commit(actor, case, move, on, app=app)
    return case


@transaction.atomic
def case_licence_accept(
    *,
    actor: Account,
    case: Case,
    on: date,
    completed_on: date | None = None,
    late_reason: str = "",
) -> Case:
    """受理: once the materials are complete (after a 补正 notice, ``completed_on`` is the day the
    last one came in). Where the agency answered later than 5 working days after receiving the
    complete materials, the application counts as accepted from that day (第三十二条第一款第四项);
    the decision period of 第四十二条 runs from acceptance."""
    case, move = cs._begin(actor, case, "case_licence_accept", on=on, late_reason=late_reason)
    app = _app(case)
    if app.correction_notified_on is not None:
        guards.materials_complete(missing=app.missing, completed_on=completed_on)
        assert completed_on is not None
        if completed_on > on or completed_on < app.correction_notified_on:
            raise RuleViolation("材料补齐日期应在告知补正之后、受理之前", field="completed_on")
        start = completed_on
    else:
        start = app.received_on
    deemed, _ = _counted(lambda cal: law.acceptance_deemed(start, on, cal), on.year)
    _set(
        app,
        completed_on=completed_on,
        accepted_on=start if deemed else on,
        acceptance_deemed=deemed,
        acceptance_number=_number(case, DocumentKind.LICENCE_ACCEPTANCE, on),
    )
    changes = _deadline(app, case, extended=False)
    _commit(actor, case, move, on, app=app, changes=changes)
    return case


@transaction.atomic
def case_licence_not_accept(
    *, actor: Account, case: Case, on: date, reason: str, late_reason: str = ""
) -> Case:
    """不予受理决定 (the head), with its reasons (第三十二条第一款第二、三项)."""
    case, move = cs._begin(actor, case, "case_licence_not_accept", on=on, late_reason=late_reason)
    app = _app(case)
    guards.reason_given(reason=reason, what="不予受理", article_number="三十二")
    _set(
        app,
        not_accepted_reason=reason.strip(),
        non_acceptance_number=_number(case, DocumentKind.LICENCE_NON_ACCEPTANCE, on),
    )
    _commit(actor, case, move, on, app=app, changes={"end_reason": reason.strip()})
    return case


# -- 审查 -------------------------------------------------------------------------------------


@transaction.atomic
def case_licence_verify(
    *,
    actor: Account,
    case: Case,
    on: date,
    officers: Sequence[Officer],
    summary: str,
    files: Sequence[EvidenceRef] = (),
    late_reason: str = "",
) -> CaseStep:
    """实地核查 by two officers (第三十四条第三款), recorded as an on-site step."""
    case, move = cs._begin(actor, case, "case_licence_verify", on=on, late_reason=late_reason)
    if not summary.strip():
        raise RuleViolation("请填写核查情况", field="summary")
    app = _app(case)
    acting = cs._check_officers(case, officers, on, article=law.article("三十四"))
    step, row = cs._step_create(
        case,
        actor,
        CaseStep.Kind.ON_SITE_INSPECTION,
        on=on,
        summary=summary,
        files=files,
        officers=acting,
    )
    entry = _commit(actor, case, move, on, app=app, data={"step": row}, files=files)
    cs._link(step, entry)
    return step


def _pause_start(app: Application, kind: str, on: date, note: str) -> ExcludedPeriod:
    if app.pauses.filter(ended_on__isnull=True).exists():
        raise RuleViolation(
            "已有尚未结束的不计入期限的程序，请先登记其结束日期", article=law.article("四十五")
        )
    # 第四十五条: the time needed is told to the applicant in writing (特别程序告知书).
    return ExcludedPeriod.objects.create(
        application=app,
        kind=kind,
        started_on=on,
        note=note.strip(),
        notice_number=_number(app.case, DocumentKind.LICENCE_PAUSE, on),
    )


def _pause_end(app: Application, row: ExcludedPeriod, on: date) -> None:
    guards.pause_dates(started_on=row.started_on, ended_on=on)
    row.ended_on = on
    row.workdays, _ = _counted(lambda cal: law.workdays_in(row.started_on, on, cal), on.year)
    row.save(update_fields=["ended_on", "workdays"])


@transaction.atomic
def case_licence_pause(
    *, actor: Account, case: Case, on: date, kind: str, note: str = "", late_reason: str = ""
) -> ExcludedPeriod:
    """A hearing, tender, testing, appraisal or expert review starts: its working days are not
    counted in the decision period (第四十五条)."""
    case, move = cs._begin(actor, case, "case_licence_pause", on=on, late_reason=late_reason)
    if kind not in ExcludedPeriod.Kind.values:
        raise RuleViolation("请选择不计入期限的程序类别", field="kind")
    app = _app(case)
    row = _pause_start(app, kind, on, note)
    _commit(actor, case, move, on, app=app, data={"pause": pause_plain(row)})
    return row


@transaction.atomic
def case_licence_resume(*, actor: Account, case: Case, on: date, late_reason: str = "") -> Case:
    """The excluded period ends on ``on`` (both ends counted): the decision deadline moves by
    its working days (第四十五条)."""
    case, move = cs._begin(actor, case, "case_licence_resume", on=on, late_reason=late_reason)
    app = _app(case)
    row = app.pauses.filter(ended_on__isnull=True).first()
    if row is None:
        raise RuleViolation("没有正在进行的不计入期限的程序", article=law.article("四十五"))
    _pause_end(app, row, on)
    _commit(
        actor,
        case,
        move,
        on,
        app=app,
        changes=_deadline(app, case),
        data={"pause": pause_plain(row)},
    )
    return case


@transaction.atomic
def case_licence_hearing_tell(
    *, actor: Account, case: Case, on: date, late_reason: str = ""
) -> Case:
    """听证告知: the applicant and those concerned are told of their right to a hearing; they
    may ask within 5 working days (第四十七条)."""
    case, move = cs._begin(actor, case, "case_licence_hearing_tell", on=on, late_reason=late_reason)
    if case.hearing_right:
        raise RuleViolation("已告知听证权利", article=law.article("四十七"))
    app = _app(case)
    _set(app, hearing_right_number=_number(case, DocumentKind.LICENCE_HEARING_RIGHT, on))
    last, _ = _counted(lambda cal: law.hearing_request_deadline(on, cal), on.year)
    changes = {"hearing_right": True, "notified_on": on, "hearing_request_deadline": last}
    _commit(actor, case, move, on, app=app, changes=changes)
    return case


@transaction.atomic
def case_licence_hearing_request(
    *, actor: Account, case: Case, on: date, late_reason: str = ""
) -> Case:
    """The applicant asks for a hearing within 5 working days of being told (第四十七条); the
    hearing's time is not counted in the decision period from that day (第四十五条)."""
    case, move = cs._begin(
        actor, case, "case_licence_hearing_request", on=on, late_reason=late_reason
    )
    guards.hearing_told_first(told_on=case.notified_on if case.hearing_right else None)
    told = case.notified_on
    assert told is not None
    _counted(lambda cal: guards.hearing_request_in_time(told_on=told, on=on, calendar=cal), on.year)
    app = _app(case)
    row = _pause_start(app, ExcludedPeriod.Kind.HEARING, on, "申请人申请听证")
    _commit(
        actor,
        case,
        move,
        on,
        app=app,
        changes={"hearing_requested_on": on},
        data={"pause": pause_plain(row)},
    )
    return case


@transaction.atomic
def case_licence_hearing_notice(
    *,
    actor: Account,
    case: Case,
    on: date,
    hearing_on: date,
    place: str,
    late_reason: str = "",
) -> Case:
    """听证通知: the time and place told at least 7 working days before (第四十八条)."""
    case, move = cs._begin(
        actor, case, "case_licence_hearing_notice", on=on, late_reason=late_reason
    )
    app = _app(case)
    if not (app.hearing_required or case.hearing_requested_on):
        raise RuleViolation(
            "本申请不属于须听证的情形，申请人也未申请听证", article=law.article("四十六")
        )
    if not place.strip():
        raise RuleViolation("请填写听证地点", field="place")
    _counted(
        lambda cal: guards.hearing_notice_in_time(
            notified_on=on, hearing_on=hearing_on, calendar=cal
        ),
        on.year,
    )
    requested = case.hearing_requested_on
    if requested is not None:
        _counted(
            lambda cal: guards.hearing_within_twenty_days(
                requested_on=requested, hearing_on=hearing_on, calendar=cal
            ),
            on.year,
        )
    data: dict[str, Any] = {"place": place.strip()}
    if not app.pauses.filter(ended_on__isnull=True).exists():
        data["pause"] = pause_plain(
            _pause_start(app, ExcludedPeriod.Kind.HEARING, on, "依法举行听证")
        )
    changes = {"hearing_notice_on": on, "hearing_on": hearing_on}
    _commit(actor, case, move, on, app=app, changes=changes, data=data)
    return case


@transaction.atomic
def case_licence_hearing_hold(
    *, actor: Account, case: Case, on: date, summary: str, late_reason: str = ""
) -> CaseStep:
    """The hearing is held on the day announced; the 笔录 is the basis of the decision
    (第四十八条第二款). Its excluded period ends that day (第四十五条)."""
    case, move = cs._begin(actor, case, "case_licence_hearing_hold", on=on, late_reason=late_reason)
    if case.hearing_on is None or case.hearing_notice_on is None:
        raise RuleViolation("尚未通知听证的时间、地点", article=law.article("四十八"))
    if on != case.hearing_on:
        raise RuleViolation("听证应当在通知的日期举行", article=law.article("四十八"), field="on")
    if not summary.strip():
        raise RuleViolation("请填写听证笔录摘要", field="summary")
    app = _app(case)
    step, row = cs._step_create(case, actor, CaseStep.Kind.HEARING_RECORD, on=on, summary=summary)
    data: dict[str, Any] = {"step": row}
    running = app.pauses.filter(ended_on__isnull=True).first()
    changes: dict[str, Any] = {}
    if running is not None:
        _pause_end(app, running, on)
        data["pause"] = pause_plain(running)
        changes = _deadline(app, case)
    entry = _commit(actor, case, move, on, app=app, changes=changes, data=data)
    cs._link(step, entry)
    return step


@transaction.atomic
def case_licence_extend(
    *, actor: Account, case: Case, on: date, reason: str, late_reason: str = ""
) -> Extension:
    """The head extends the decision period once by 10 working days, before it runs out; the
    applicant is told the reasons by a 延期通知书 (第四十二条第一款)."""
    case, move = cs._begin(actor, case, "case_licence_extend", on=on, late_reason=late_reason)
    if not reason.strip():
        raise RuleViolation("延长期限须说明理由", article=law.article("四十二"), field="reason")
    app = _app(case)
    extended = Extension.objects.filter(
        case_id=case.pk, kind=Extension.Kind.LICENCE_DECISION
    ).exists()
    guards.extension_once_in_time(extended=extended, on=on, deadline_on=case.decision_deadline)
    changes = _deadline(app, case, extended=True)
    row = Extension.objects.create(
        case=case,
        kind=Extension.Kind.LICENCE_DECISION,
        approved_by=actor,
        approved_on=on,
        reason=reason.strip(),
        previous_deadline=case.decision_deadline,
        new_deadline=changes["decision_deadline"],
    )
    _set(
        app,
        extension_reason=reason.strip(),
        extension_number=_number(case, DocumentKind.LICENCE_EXTENSION, on),
    )
    _commit(
        actor, case, move, on, app=app, changes=changes, data={"extension": cs.extension_plain(row)}
    )
    return row


# -- 决定 -------------------------------------------------------------------------------------


def _before_decision(case: Case, app: Application, *, grant: bool) -> None:
    """No decision while an excluded period runs (第四十五条) or before the hearing due
    (第四十六、四十七条); a grant also after the on-site verification required (第三十四条; a
    refusal on the materials alone needs none)."""
    guards.no_pause_running(running=app.pauses.filter(ended_on__isnull=True).count())
    if grant:
        guards.verification_done(
            required=app.verification_required,
            verifications=CaseStep.objects.filter(
                case=case, kind=CaseStep.Kind.ON_SITE_INSPECTION
            ).count(),
        )
    guards.hearing_held_where_due(
        required=app.hearing_required,
        requested=case.hearing_requested_on is not None,
        held=CaseStep.objects.filter(case=case, kind=CaseStep.Kind.HEARING_RECORD).exists(),
    )


def _decide(
    actor: Account,
    case: Case,
    move: Any,
    on: date,
    app: Application,
    *,
    app_changes: dict[str, Any],
    conclusion: str,
) -> None:
    late = case.decision_deadline is not None and on > case.decision_deadline
    _set(app, decision_late=late, **app_changes)
    number = _number(case, DocumentKind.LICENCE_DECISION, on)
    certificate_on, _ = _counted(lambda cal: law.certificate_deadline(on, cal), on.year)
    _commit(
        actor,
        case,
        move,
        on,
        app=app,
        changes={"decided_on": on, "decision_number": number, "service_deadline": certificate_on},
        data={"conclusion": conclusion, "late": late},
    )


@transaction.atomic
def case_licence_grant(
    *,
    actor: Account,
    case: Case,
    on: date,
    content: str,
    valid_from: date,
    valid_until: date,
    late_reason: str = "",
) -> Case:
    """准予行政许可 (the head; 第三十八条第一款): after the verification and the hearing due, with
    no excluded period still running; its validity stated (第三十九条). Made after the deadline
    of 第四十二条 it is flagged late (the applicant still gets a decision). The decision is
    published in full (国办发〔2018〕118号) through the decision listeners."""
    case, move = cs._begin(actor, case, "case_licence_grant", on=on, late_reason=late_reason)
    app = _app(case)
    _before_decision(case, app, grant=True)
    guards.validity_given(valid_from=valid_from, valid_until=valid_until)
    if not content.strip():
        raise RuleViolation("请写明准予许可的内容（范围）", field="content")
    _decide(
        actor,
        case,
        move,
        on,
        app,
        app_changes={
            "outcome": Application.Outcome.GRANTED,
            "content": content.strip(),
            "valid_from": valid_from,
            "valid_until": valid_until,
        },
        conclusion=(
            f"准予行政许可：{content.strip()}；有效期自{_zh(valid_from)}至{_zh(valid_until)}"
        ),
    )
    cs._decision_made(actor, case, on, "case_licence_grant")
    return case


@transaction.atomic
def case_licence_refuse(
    *, actor: Account, case: Case, on: date, reasons: str, late_reason: str = ""
) -> Case:
    """不予行政许可 (the head) with its reasons; the document tells the applicant of 复议 and
    诉讼 (第三十八条第二款). Published only where ``ZHIFA_LICENSING_PUBLISH_REFUSALS`` says."""
    case, move = cs._begin(actor, case, "case_licence_refuse", on=on, late_reason=late_reason)
    app = _app(case)
    _before_decision(case, app, grant=False)
    guards.reason_given(reason=reasons, what="不予行政许可", article_number="三十八")
    _decide(
        actor,
        case,
        move,
        on,
        app,
        app_changes={"outcome": Application.Outcome.REFUSED, "reasons": reasons.strip()},
        conclusion=f"不予行政许可。理由：{reasons.strip()}",
    )
    if publish_refusals():
        cs._decision_made(actor, case, on, "case_licence_refuse")
    return case


def _zh(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# -- 颁发、送达 --------------------------------------------------------------------------------


@transaction.atomic
def case_licence_issue(*, actor: Account, case: Case, on: date, late_reason: str = "") -> Licence:
    """颁发、送达 the licence within 10 working days of the decision (第四十四条; later it is
    flagged late). The licence takes its number and an unguessable token for its public
    verification page."""
    case, move = cs._begin(actor, case, "case_licence_issue", on=on, late_reason=late_reason)
    app = _app(case)
    holder = Party.objects.filter(case=case).order_by("id").first()
    if holder is None:
        raise RuleViolation("申请人尚未登记", field="party")
    assert app.valid_from is not None and app.valid_until is not None
    licence = Licence.objects.create(
        application=app,
        case=case,
        number=_number(case, DocumentKind.LICENCE, on),
        holder=holder.name,
        holder_is_person=holder.kind == Party.Kind.NATURAL_PERSON,
        item=case.power_item.name,
        content=app.content,
        issued_on=on,
        valid_from=app.valid_from,
        valid_until=app.valid_until,
    )
    late = case.service_deadline is not None and on > case.service_deadline
    _commit(
        actor,
        case,
        move,
        on,
        app=app,
        changes={"served_on": on, "service_late": late},
        data={"licence": licence_plain(licence)},
    )
    return licence


@transaction.atomic
def case_licence_serve(
    *, actor: Account, case: Case, on: date, method: str = "direct", late_reason: str = ""
) -> Case:
    """The refusal (or its document) is served on the applicant (第四十四条 by analogy: within
    10 working days; later it is flagged)."""
    case, move = cs._begin(actor, case, "case_licence_serve", on=on, late_reason=late_reason)
    if method not in Case.ServiceMethod.values:
        raise RuleViolation("请选择送达方式", field="method")
    app = _app(case)
    late = case.service_deadline is not None and on > case.service_deadline
    _commit(
        actor,
        case,
        move,
        on,
        app=app,
        changes={"served_on": on, "service_method": method, "service_late": late},
    )
    return case


# -- the licence after its case: 变更 / 延续 / 撤回 / 撤销 / 注销 ----------------------------------


def _licence(licence: Licence) -> Licence:
    return Licence.objects.select_for_update().select_related("case").get(pk=licence.pk)


def _agency_actor(actor: Account, licence: Licence, *, head: bool) -> None:
    from zhifa.cases import guards as case_guards

    check = case_guards.actor_is_head if head else case_guards.actor_is_officer
    check(role=actor.role, actor_agency_id=actor.agency_id, agency_id=licence.case.agency_id)


def _record(actor: Account, licence: Licence, action: str, on: date, **data: Any) -> None:
    record_append(
        actor_id=actor.pk,
        actor_name=cs._actor_name(actor),
        role=actor.role,
        action=action,
        payload={"on": on, **data, "licence": licence_plain(licence)},
        case_id=licence.case_id,
    )


@transaction.atomic
def licence_change(
    *, actor: Account, licence: Licence, on: date, content: str, reason: str
) -> Licence:
    """变更 (第四十九条): the holder applied, the agency agrees; the new content is recorded."""
    licence = _licence(licence)
    _agency_actor(actor, licence, head=True)
    guards.licence_valid(state=licence.state, label=licence.get_state_display())
    if not content.strip():
        raise RuleViolation("请写明变更后的许可内容", field="content")
    licence.changes = [
        *licence.changes,
        {"on": on.isoformat(), "from": licence.content, "to": content.strip(), "reason": reason},
    ]
    licence.content = content.strip()
    licence.save(update_fields=["changes", "content"])
    _record(actor, licence, "licensing.licence_change", on)
    return licence


@transaction.atomic
def licence_renewal_apply(*, actor: Account, licence: Licence, on: date) -> Licence:
    """延续 applied for at least 30 days before the expiry (第五十条第一款)."""
    licence = _licence(licence)
    _agency_actor(actor, licence, head=False)
    guards.licence_valid(state=licence.state, label=licence.get_state_display())
    if licence.renewal_applied_on is not None and licence.renewal_decided_on is None:
        raise RuleViolation("已有尚未决定的延续申请", article=law.article("五十"))
    guards.renewal_in_time(applied_on=on, expires_on=licence.valid_until)
    licence.renewal_applied_on, licence.renewal_decided_on = on, None
    licence.renewal_granted = None
    licence.save(update_fields=["renewal_applied_on", "renewal_decided_on", "renewal_granted"])
    _record(actor, licence, "licensing.licence_renewal_apply", on)
    return licence


@transaction.atomic
def licence_renewal_decide(
    *, actor: Account, licence: Licence, on: date, grant: bool, valid_until: date | None = None
) -> Licence:
    """The decision on a renewal, before the expiry (第五十条第二款; after it the renewal is
    deemed granted — ``selectors.licence_status`` — and a refusal is refused)."""
    licence = _licence(licence)
    _agency_actor(actor, licence, head=True)
    if licence.renewal_applied_on is None or licence.renewal_decided_on is not None:
        raise RuleViolation("没有待决定的延续申请", article=law.article("五十"))
    guards.renewal_decided_before_expiry(on=on, expires_on=licence.valid_until)
    fields = ["renewal_decided_on", "renewal_granted"]
    if grant:
        guards.validity_given(valid_from=licence.valid_until, valid_until=valid_until)
        assert valid_until is not None
        licence.valid_until = valid_until
        fields.append("valid_until")
    licence.renewal_decided_on, licence.renewal_granted = on, grant
    licence.save(update_fields=fields)
    _record(actor, licence, "licensing.licence_renewal_decide", on, grant=grant)
    return licence


END_ARTICLES: dict[str, str] = {
    Licence.State.WITHDRAWN: "八",
    Licence.State.REVOKED: "六十九",
    Licence.State.CANCELLED: "七十",
}


@transaction.atomic
def licence_end(*, actor: Account, licence: Licence, on: date, state: str, reason: str) -> Licence:
    """撤回 (第八条), 撤销 (第六十九条) or 注销 (第七十条) by the head, with the reason."""
    licence = _licence(licence)
    _agency_actor(actor, licence, head=True)
    if state not in END_ARTICLES:
        raise RuleViolation("请选择撤回、撤销或注销", field="state")
    guards.licence_valid(state=licence.state, label=licence.get_state_display())
    guards.reason_given(
        reason=reason, what=Licence.State(state).label, article_number=END_ARTICLES[state]
    )
    licence.state, licence.ended_on, licence.end_reason = state, on, reason.strip()
    licence.save(update_fields=["state", "ended_on", "end_reason"])
    _record(actor, licence, "licensing.licence_end", on)
    return licence
