"""Every change to a case: one service per step of the procedure, each one transaction.

Contract of every ``case_<verb>(*, actor, case, on|at, …)`` service:

- it locks the case row, refuses an archived case, and looks its move up in
  ``transitions.py`` (a step the procedure does not allow from the current state is refused);
- it checks who acts (approvals: the head of the case's agency; steps: an officer of it) and
  runs the statutory guards of ``guards.py``, raising :class:`RuleViolation` with the Chinese
  message and the article;
- it updates the case (and its step, party, officer or extension rows) and appends one record
  entry (``record_append``) in the same transaction, whose payload is
  ``{"from": state, "to": state, "on"/"at": …, "case": {changed fields}, …the step's data}``;
  ``selectors.case_replay_problems`` rebuilds the case from those payloads;
- it is given the day (``on``) or moment (``at``) of the step; no rule reads the clock. The
  service reads it once to check that date (``legal_dates.step_dated``: not after today, not
  before the case's previous step or the floors) and, for a step entered more than the 补录
  window after its date, wants ``late_reason``, which its entry keeps as ``late_entry``.

The services return the updated case (a fresh instance; the one passed in is not updated).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from zhifa.core.calendar import counted, current_calendar
from zhifa.core.exceptions import InvalidIdentifier, RuleViolation
from zhifa.core.identifiers import validate_credit_code, validate_resident_id
from zhifa.law import coercion, penalty
from zhifa.law import history as law_history
from zhifa.law.periods import Period, Unit, deadline
from zhifa.record.canonical import canonical_text
from zhifa.record.evidence_uploads import (
    EvidenceInput,
    ReceivedEvidence,
    evidence_attachable,
    evidence_bind,
    evidence_receive,
)
from zhifa.record.models import Entry, EvidenceRef, EvidenceUpload
from zhifa.record.services import record_append
from zhifa.registry.models import Account, Agency, LenientListItem, Officer, PowerItem
from zhifa.registry.selectors import agency_holds_power, officer_may_act

from . import guards, history, legal_dates, leniency, selectors, statement_review, transitions
from .models import Case, CaseOfficer, CaseStep, Extension, Party, PaymentChannel, PaymentItem
from .numbering import DocumentKind, document_number

S = Case.State
K = Case.Kind
MONEY = Decimal("0.01")

# Investigation steps of the general procedure (第五十四、五十五条).
INVESTIGATION_KINDS = frozenset(
    {CaseStep.Kind.INSPECTION_RECORD, CaseStep.Kind.INTERVIEW_RECORD, CaseStep.Kind.EVIDENCE}
)

# The power-list category a case of each kind must be based on.
POWER_CATEGORY: dict[str, str] = {
    K.PENALTY_GENERAL: PowerItem.Category.PENALTY,
    K.PENALTY_SIMPLE: PowerItem.Category.PENALTY,
    K.INSPECTION: PowerItem.Category.INSPECTION,
    K.SEIZURE: PowerItem.Category.COERCION,
    K.LICENSING: PowerItem.Category.LICENSING,
}

# Case columns carried by the record entries and compared by the replay check.
REPLAYED_FIELDS: tuple[str, ...] = tuple(
    f.attname for f in Case._meta.concrete_fields if f.name not in ("id", "state", "created_at")
)


# -- settings (numbers that differ between provinces or sectors) ---

DEFAULT_LATE_ENTRY_DAYS = 3
DEFAULT_EARLIEST_LEGAL_DATE = date(2021, 7, 15)
EARLIEST_LEGAL_DATE_SOURCE = f"{penalty.article('八十六')}（2021年修订，自2021年7月15日起施行）"


# 第十八条第三款: the domains whose agencies are public security organs, the only ones that may
# decide 行政拘留 (a setting: deployments name their own domain codes).
DEFAULT_DETENTION_DOMAINS = ("public_security",)


def detention_allowed(case: Case) -> bool:
    """Whether the case's agency may decide 行政拘留 (第十八条第三款): its power item's domain is
    one of ZHIFA_DETENTION_DOMAINS."""
    domains = getattr(settings, "ZHIFA_DETENTION_DOMAINS", DEFAULT_DETENTION_DOMAINS)
    return case.domain.code in domains


def penalty_kinds_for(case: Case) -> list[penalty.PenaltyKind]:
    """The penalty kinds offered for ``case`` (第九条, 行政拘留 only under 第十八条第三款)."""
    return penalty.penalty_kinds_open_to(detention_allowed=detention_allowed(case))


def hearing_thresholds() -> penalty.HearingThresholds:
    """第六十三条 "较大数额": ZHIFA_HEARING_THRESHOLD_PERSON / _ORGANISATION (元)."""
    default = penalty.HearingThresholds()
    return penalty.HearingThresholds(
        person=Decimal(getattr(settings, "ZHIFA_HEARING_THRESHOLD_PERSON", default.person)),
        organisation=Decimal(
            getattr(settings, "ZHIFA_HEARING_THRESHOLD_ORGANISATION", default.organisation)
        ),
    )


def statement_period() -> Period:
    """Time for 陈述申辩 after the notice: ZHIFA_STATEMENT_WORKDAYS (market regulation: 5 wd)."""
    days = int(getattr(settings, "ZHIFA_STATEMENT_WORKDAYS", 5))
    return Period(days, Unit.WORKING_DAYS, penalty.article("四十五"), "陈述、申辩")


def filing_period() -> Period:
    """第五十二条 filing of an on-the-spot decision: ZHIFA_ON_THE_SPOT_FILING_WORKDAYS (7 wd)."""
    days = int(
        getattr(
            settings,
            "ZHIFA_ON_THE_SPOT_FILING_WORKDAYS",
            penalty.ON_THE_SPOT_FILING_DEFAULT_WORKDAYS,
        )
    )
    return penalty.on_the_spot_filing_period(days)


def decision_extension_period() -> Period:
    """One extension of the 第六十条 limit: ZHIFA_DECISION_EXTENSION_DAYS (default 30 d)."""
    days = int(getattr(settings, "ZHIFA_DECISION_EXTENSION_DAYS", 30))
    return Period(days, Unit.CALENDAR_DAYS, penalty.article("六十"), "经批准延长作出决定期限")


def late_entry_window() -> int | None:
    """补录: calendar days after a step's date within which it is entered without a reason,
    ZHIFA_LATE_ENTRY_DAYS (default 3: a record made in the field on a Friday is entered on
    Monday; 国办发〔2018〕118号 wants the record kept as enforcement happens, several provinces
    want audio/video uploaded within 24 hours). ``None``: no window (the test suite's default,
    which walks cases through days long past)."""
    days = getattr(settings, "ZHIFA_LATE_ENTRY_DAYS", DEFAULT_LATE_ENTRY_DAYS)
    return None if days is None else int(days)


def earliest_legal_date() -> legal_dates.Floor:
    """The earliest day a step can be dated, ZHIFA_EARLIEST_LEGAL_DATE with its source
    ZHIFA_EARLIEST_LEGAL_DATE_SOURCE (default: 2021-07-15, the day the revised 《行政处罚法》
    came into force, 第八十六条 — the procedure this platform implements is that text's)."""
    on = getattr(settings, "ZHIFA_EARLIEST_LEGAL_DATE", DEFAULT_EARLIEST_LEGAL_DATE)
    return legal_dates.Floor(
        on if isinstance(on, date) else date.fromisoformat(str(on)),
        "本系统受理的最早办案日期",
        str(getattr(settings, "ZHIFA_EARLIEST_LEGAL_DATE_SOURCE", EARLIEST_LEGAL_DATE_SOURCE)),
    )


# -- hooks for the apps that depend on cases ------------------
#
# cases must not import the apps built on it (review ← cases). Those apps register here, from
# their AppConfig.ready, the checks a decision must pass and the listeners told when the
# proposed decision may have changed; cases calls them inside its own transaction.


@dataclass(frozen=True)
class PendingDecision:
    """The decision about to be made: a penalty (its kinds and amounts) or no penalty."""

    penalise: bool
    penalty_kinds: tuple[str, ...] = ()
    fine: Decimal | None = None
    confiscation: Decimal | None = None


DecisionGate = Callable[[Case, PendingDecision, date], None]
StepGate = Callable[[Case, str, date], None]
ProposalListener = Callable[[Account, Case, date, str], None]
DecisionListener = Callable[[Account, Case, date, str], None]
StepListener = Callable[[Account, Case, str, Entry], None]
_decision_gates: list[DecisionGate] = []
_step_listeners: list[StepListener] = []
_proposal_listeners: list[ProposalListener] = []
_decision_listeners: list[DecisionListener] = []
_step_gates: list[StepGate] = []


def register_step_gate(gate: StepGate) -> StepGate:
    """``gate(case, service, day)`` runs when ``service`` is about to move ``case`` (already
    locked, the move found and the actor checked) and raises RuleViolation to refuse it — as
    the inspections app refuses 现场检查 of an enterprise without the head's prior approval.
    Registering twice is harmless."""
    if gate not in _step_gates:
        _step_gates.append(gate)
    return gate


def register_decision_gate(gate: DecisionGate) -> DecisionGate:
    """``gate(case, decision, on)`` runs before a decision (or a decision not to penalise) is
    made and raises RuleViolation to refuse it. Registering twice is harmless."""
    if gate not in _decision_gates:
        _decision_gates.append(gate)
    return gate


def register_proposal_listener(listener: ProposalListener) -> ProposalListener:
    """``listener(actor, case, on, event)`` is told, after the step's entry, that the facts of
    the proposed decision may have changed (event: the service, e.g. ``case_notify``)."""
    if listener not in _proposal_listeners:
        _proposal_listeners.append(listener)
    return listener


def register_decision_listener(listener: DecisionListener) -> DecisionListener:
    """``listener(actor, case, on, event)`` is told, after the step's entry and in the same
    transaction, that a publishable decision was made (event: the service — ``case_decide``,
    ``case_simple_decide``, ``case_findings_record``, ``case_seizure_execute``); ``on`` is the
    decision day. Registering twice is harmless."""
    if listener not in _decision_listeners:
        _decision_listeners.append(listener)
    return listener


def register_step_listener(listener: StepListener) -> StepListener:
    """``listener(actor, case, service, entry)`` is told, after every step's entry and in the
    same transaction, that ``service`` moved ``case`` (already in its new state); the approval
    requests and the reviewers' notifications listen here. Registering twice is harmless."""
    if listener not in _step_listeners:
        _step_listeners.append(listener)
    return listener


def _decision_made(actor: Account, case: Case, on: date, event: str) -> None:
    for listener in _decision_listeners:
        listener(actor, case, on, event)


def _decision_gates_pass(case: Case, decision: PendingDecision, on: date) -> None:
    for gate in _decision_gates:
        gate(case, decision, on)


def _proposal_changed(actor: Account, case: Case, on: date, event: str) -> None:
    for listener in _proposal_listeners:
        listener(actor, case, on, event)


# -- plain values for payloads ------------------------------


def plain(value: Any) -> Any:
    """``value`` as it appears in a record payload after canonical JSON (Decimal → str …)."""
    return json.loads(canonical_text(value))


def _plain_row(value: Mapping[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = plain(value)
    return row


def case_plain(case: Case, fields: Sequence[str] = REPLAYED_FIELDS) -> dict[str, Any]:
    return {name: plain(getattr(case, name)) for name in fields}


def party_plain(party: Party) -> dict[str, Any]:
    return _plain_row(
        {
            "id": party.pk,
            "kind": party.kind,
            "name": party.name,
            "id_number": party.id_number,
            "phone": party.phone,
            "address": party.address,
            "is_minor": party.is_minor,
            "credit_code": party.credit_code,
            "legal_representative": party.legal_representative,
        }
    )


def assignment_plain(row: CaseOfficer) -> dict[str, Any]:
    return _plain_row({"id": row.pk, "officer_id": row.officer_id, "role": row.role})


def step_plain(step: CaseStep, officer_ids: Sequence[int]) -> dict[str, Any]:
    return _plain_row(
        {
            "id": step.pk,
            "kind": step.kind,
            "on": step.on,
            "at": step.at,
            "summary": step.summary,
            "data": step.data,
            "officer_ids": sorted(officer_ids),
            "evidence": [e["sha256"] for e in step.evidence],
        }
    )


def extension_plain(row: Extension) -> dict[str, Any]:
    return _plain_row(
        {
            "id": row.pk,
            "kind": row.kind,
            "approved_by_id": row.approved_by_id,
            "approved_on": row.approved_on,
            "reason": row.reason,
            "collective_discussion": row.collective_discussion,
            "new_deadline": row.new_deadline,
        }
    )


def _money(value: Decimal | int | str | None) -> Decimal | None:
    if value is None:
        return None
    amount = Decimal(value).quantize(MONEY)
    if amount < 0:
        raise RuleViolation("金额不能为负数", field="amount")
    return amount


# -- calendar -----------------------------------------------


@dataclass(frozen=True)
class Due:
    on: date
    provisional: bool


def _due(period: Period, start: date) -> Due:
    """Last day of ``period`` from ``start``; provisional where it reaches an unpublished year."""
    on, provisional = counted(
        lambda calendar: deadline(period, start, calendar), from_year=start.year
    )
    return Due(on, provisional)


def _local_date(at: datetime) -> date:
    if at.tzinfo is None:
        raise ValueError("a timezone-aware datetime is required")
    return at.astimezone(coercion.LOCAL_TIME).date()


# -- the common frame of every service ----------------------


# Record actions of the steps, each carrying its day or moment, with their names.
STEP_ACTIONS: dict[str, str] = {
    **{transitions.action_of(s): label for s, label in transitions.SERVICE_LABELS.items()},
    "case.simple_decide": "当场作出处罚决定",
}


def _previous_step(case: Case) -> legal_dates.PreviousStep | None:
    """The case's latest step, from its record: the day or moment its entry carries."""
    for entry in Entry.objects.filter(case_id=case.pk, action__in=STEP_ACTIONS).order_by("-seq")[
        :5
    ]:
        data = json.loads(entry.payload)
        label = STEP_ACTIONS[entry.action]
        if data.get("at"):
            return legal_dates.PreviousStep(label, datetime.fromisoformat(str(data["at"])))
        if data.get("on"):
            return legal_dates.PreviousStep(label, date.fromisoformat(str(data["on"])))
    return None


def _floors(agency: Agency) -> list[legal_dates.Floor]:
    floors = [earliest_legal_date()]
    if agency.qualification_announced_on is not None:
        floors.append(
            legal_dates.Floor(
                agency.qualification_announced_on,
                f"{agency.name}执法主体资格确认公告的日期",
                penalty.article("十七"),
            )
        )
    return floors


def _dated(
    agency: Agency,
    when: date | datetime,
    late_reason: str,
    *,
    previous: legal_dates.PreviousStep | None,
) -> legal_dates.LateEntry | None:
    """``legal_dates.step_dated`` on the clock's today and now (Beijing time)."""
    if isinstance(when, datetime) and timezone.is_naive(when):
        raise ValueError("a step's moment must be timezone-aware")
    now = timezone.now()
    return legal_dates.step_dated(
        when=when,
        today=legal_dates.local_day(now),
        now=now,
        floors=_floors(agency),
        previous=previous,
        window_days=late_entry_window(),
        late_reason=late_reason,
    )


def _actor_name(actor: Account) -> str:
    return actor.display_name or actor.get_username()


def _check_actor(actor: Account, case: Case, move: transitions.Move) -> None:
    if transitions.HEAD in move.preconditions:
        guards.actor_is_head(
            role=actor.role, actor_agency_id=actor.agency_id, agency_id=case.agency_id
        )
    else:
        guards.actor_is_officer(
            role=actor.role, actor_agency_id=actor.agency_id, agency_id=case.agency_id
        )


@dataclass(frozen=True)
class DatedMove(transitions.Move):
    """The move a step makes, with the late entry (补录) it carries, which ``_commit`` records."""

    late: legal_dates.LateEntry | None = None


def _begin(
    actor: Account,
    case: Case,
    service: str,
    *,
    on: date | None = None,
    at: datetime | None = None,
    late_reason: str = "",
    early: Callable[[Case], None] | None = None,
) -> tuple[Case, DatedMove]:
    """Lock the case, refuse an archived one, find the move, check the actor, and check the
    step's day ``on`` or moment ``at`` (``legal_dates``: not in the future, not before the
    floors or the case's previous step, a reason when entered late)."""
    locked = (
        Case.objects.select_for_update()
        .select_related("agency", "domain", "power_item")
        .get(pk=case.pk)
    )
    guards.not_archived(state=locked.state)
    if early is not None:
        early(locked)
    move = transitions.move_for(locked.kind, locked.state, service)
    if move is None:
        raise RuleViolation(
            f"案件当前处于“{locked.get_state_display()}”阶段，"
            f"不能{transitions.SERVICE_LABELS.get(service, service)}"
        )
    _check_actor(actor, locked, move)
    when = at if at is not None else on
    assert when is not None, "a step has its day or its moment"
    for gate in _step_gates:
        gate(locked, service, legal_dates.local_day(when))
    late = _dated(locked.agency, when, late_reason, previous=_previous_step(locked))
    return locked, DatedMove(move.to, move.service, move.preconditions, late)


def _case_files(case: Case, files: Sequence[EvidenceRef]) -> list[EvidenceRef]:
    """The files as the case knows them: each uploaded for it or already carried by one of its
    entries (``evidence_attachable``, which keeps its uploads locked until the step commits).
    Raises ``EvidenceNotFound`` (a RuleViolation) for any other file — another case's answers
    exactly as one never stored."""
    return evidence_attachable(case_id=case.pk, files=files) if files else []


def _commit(
    actor: Account,
    case: Case,
    move: transitions.Move,
    *,
    when: Mapping[str, date | datetime],
    changes: Mapping[str, Any] | None = None,
    data: Mapping[str, Any] | None = None,
    files: Sequence[EvidenceRef] = (),
    before: str | None = None,
) -> Entry:
    """Apply ``changes`` and the move's state to the case, save it, append the record entry
    (carrying ``files``, which must be the case's own: ``_case_files``)."""
    files = _case_files(case, files)
    changes = dict(changes or {})
    previous = case.state if before is None else before
    for name, value in changes.items():
        setattr(case, name, value)
    case.state = move.to
    case.save(update_fields=[*changes, "state"])
    payload: dict[str, Any] = {
        "from": previous,
        "to": move.to,
        **when,
        **(data or {}),
        "case": case_plain(case, list(changes)),
    }
    if isinstance(move, DatedMove) and move.late is not None:
        payload["late_entry"] = move.late.as_payload()
    entry = record_append(
        actor_id=actor.pk,
        actor_name=_actor_name(actor),
        role=actor.role,
        action=transitions.action_of(move.service),
        payload=payload,
        case_id=case.pk,
        files=files,
    )
    for listener in _step_listeners:
        listener(actor, case, move.service, entry)
    return entry


# -- parties and officers -----------------------------------


@dataclass(frozen=True)
class PartyInput:
    """A party as entered: a natural person (ID number) or an organisation (credit code)."""

    kind: str
    name: str
    id_number: str = ""
    phone: str = ""
    address: str = ""
    credit_code: str = ""
    legal_representative: str = ""
    is_minor: bool | None = None  # None: from the ID number's birth date on the day entered


def _age_on(id_number: str, on: date) -> int | None:
    if len(id_number) != 18:
        return None
    born = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _party_create(case: Case, data: PartyInput, on: date) -> Party:
    name = data.name.strip()
    if not name:
        raise RuleViolation("当事人姓名或名称不能为空", field="name")
    if data.kind == Party.Kind.NATURAL_PERSON:
        if not data.id_number.strip():
            raise RuleViolation("当事人为自然人的，须填写其居民身份证号码", field="id_number")
        try:
            number = validate_resident_id(data.id_number, today=on)
        except InvalidIdentifier as exc:
            raise RuleViolation(exc.message, article=exc.article, field="id_number") from exc
        age = _age_on(number, on)
        minor = data.is_minor if data.is_minor is not None else (age is not None and age < 18)
        return Party.objects.create(
            case=case,
            kind=data.kind,
            name=name,
            id_number=number,
            phone=data.phone.strip(),
            address=data.address.strip(),
            is_minor=minor,
            added_on=on,
        )
    if data.kind == Party.Kind.ORGANISATION:
        if not data.credit_code.strip():
            raise RuleViolation(
                "当事人为法人或其他组织的，须填写其统一社会信用代码", field="credit_code"
            )
        try:
            code = validate_credit_code(data.credit_code)
        except InvalidIdentifier as exc:
            raise RuleViolation(exc.message, article=exc.article, field="credit_code") from exc
        return Party.objects.create(
            case=case,
            kind=data.kind,
            name=name,
            credit_code=code,
            legal_representative=data.legal_representative.strip(),
            phone=data.phone.strip(),
            address=data.address.strip(),
            added_on=on,
        )
    raise RuleViolation(f"当事人类别“{data.kind}”无效", field="kind")


def _assign(case: Case, officer: Officer, role: str, on: date) -> CaseOfficer:
    if officer.agency_id != case.agency_id:
        raise RuleViolation(f"{officer.name}不是本机关的执法人员", field="officer")
    if role not in CaseOfficer.Role.values:
        raise RuleViolation(f"承办角色“{role}”无效", field="role")
    if CaseOfficer.objects.filter(case=case, officer=officer).exists():
        raise RuleViolation(f"{officer.name}已是本案承办人员", field="officer")
    if (
        role == CaseOfficer.Role.LEAD
        and CaseOfficer.objects.filter(case=case, role=CaseOfficer.Role.LEAD).exists()
    ):
        raise RuleViolation("本案已有主办人员", field="role")
    guards.officer_may_be_assigned(
        name=officer.name,
        answer=officer_may_act(officer, case.domain, on, region=case.agency.division_code),
        on=on,
    )
    return CaseOfficer.objects.create(case=case, officer=officer, role=role, assigned_on=on)


def _check_officers(
    case: Case, officers: Sequence[Officer], on: date, *, article: str | None = None
) -> list[Officer]:
    """At least two officers of the agency, each valid on ``on`` for the case's domain."""
    distinct = list({o.pk: o for o in officers}.values())
    own = [o for o in distinct if o.agency_id == case.agency_id]
    answers = [
        (o.name, officer_may_act(o, case.domain, on, region=case.agency.division_code)) for o in own
    ]
    outsiders = [o.name for o in distinct if o.agency_id != case.agency_id]
    if article is None:
        guards.two_officers_may_act(on=on, answers=answers, outsiders=outsiders)
    else:
        guards.two_officers_may_act(on=on, answers=answers, outsiders=outsiders, article=article)
    return distinct


def _step_create(
    case: Case,
    actor: Account,
    kind: str,
    *,
    on: date,
    at: datetime | None = None,
    summary: str = "",
    data: Mapping[str, Any] | None = None,
    files: Sequence[EvidenceRef] = (),
    officers: Sequence[Officer] = (),
) -> tuple[CaseStep, dict[str, Any]]:
    files = _case_files(case, files)
    step = CaseStep.objects.create(
        case=case,
        kind=kind,
        on=on,
        at=at,
        summary=summary.strip(),
        data=plain(dict(data or {})),
        evidence=[ref.as_dict() for ref in files],
        created_by=actor,
    )
    if officers:
        step.officers.set(officers)
    return step, step_plain(step, [o.pk for o in officers])


# -- evidence uploads -----------------------------------------


def case_evidence_upload(
    *,
    actor: Account,
    case: Case,
    uploads: Sequence[EvidenceInput],
    at: datetime | None = None,
) -> list[EvidenceUpload]:
    """Upload evidence files for the case (证据上传), to be carried by its steps; return the
    uploads, in the order given.

    First, outside any transaction, every file is read whole, hashed and checked against its
    kind's size limit (``evidence_receive``): a file too large, or that did not arrive whole,
    is refused before anything is stored. Then one transaction locks the case, refuses an
    archived one and an actor who is not an officer (or the head) of its agency, checks the
    agency's quota and binds every file to the case with one ``evidence.upload`` entry each,
    naming the uploader (``evidence_bind``) — all the files or none. A file the case already
    has is its existing upload.

    Raises ``UploadRefused`` (413: size or quota; 400: incomplete) or ``RuleViolation``.
    """
    now = timezone.now()
    for upload in uploads:
        collected = upload.collection.collected_at if upload.collection else None
        if collected is not None:  # 取证时间: evidence is collected before it is uploaded
            legal_dates.not_after_now(at=collected, now=now, field="collected_at")
    received: list[ReceivedEvidence] = []
    try:
        for upload in uploads:
            received.append(evidence_receive(upload))
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=case.pk)
            guards.not_archived(state=locked.state)
            guards.actor_is_officer(
                role=actor.role, actor_agency_id=actor.agency_id, agency_id=locked.agency_id
            )
            return evidence_bind(
                received,
                case_id=locked.pk,
                agency_id=locked.agency_id,
                actor_id=actor.pk,
                actor_name=_actor_name(actor),
                role=actor.role,
                at=at,
            )
    finally:
        for item in received:
            item.discard()


def _link(step: CaseStep, entry: Entry) -> None:
    step.entry_seq = entry.seq
    step.save(update_fields=["entry_seq"])


def _record_data(
    data: Mapping[str, Any] | None,
    *,
    on: date,
    place: str,
    started_at: time | None,
    ended_at: time | None,
) -> dict[str, Any]:
    """The step's data with the place and the start and end time of its record (笔录): the end
    after the start, neither in the future (``legal_dates.record_times``)."""
    legal_dates.record_times(on=on, started=started_at, ended=ended_at, now=timezone.now())
    out = dict(data or {})
    if place.strip():
        out["place"] = place.strip()
    if started_at is not None:
        out["started_at"] = f"{started_at:%H:%M}"
    if ended_at is not None:
        out["ended_at"] = f"{ended_at:%H:%M}"
    return out


def _officers_step(
    actor: Account,
    case: Case,
    move: transitions.Move,
    kind: str,
    *,
    on: date,
    officers: Sequence[Officer],
    summary: str,
    data: Mapping[str, Any] | None = None,
    files: Sequence[EvidenceRef] = (),
    at: datetime | None = None,
    changes: Mapping[str, Any] | None = None,
) -> CaseStep:
    """A step taken by at least two officers valid on ``on`` (第四十二、五十五条): the step row,
    its officers, and the record entry that moves the case, linked to each other."""
    acting = _check_officers(case, officers, on)
    step, row = _step_create(
        case, actor, kind, on=on, at=at, summary=summary, data=data, files=files, officers=acting
    )
    entry = _commit(
        actor, case, move, when={"on": on}, changes=changes, data={"step": row}, files=files
    )
    _link(step, entry)
    return step


def _power_item(agency: Agency, code: str, kind: str) -> PowerItem:
    item = agency_holds_power(agency, code.strip())
    category = POWER_CATEGORY[kind]
    guards.power_on_list(
        code=code,
        published=item is not None,
        category_label=PowerItem.Category(category).label,
        category_ok=item is not None and item.category == category,
    )
    assert item is not None
    return item


def _opening_agency(actor: Account) -> Agency:
    agency = actor.agency
    if agency is None or actor.role not in (Account.Role.OFFICER, Account.Role.HEAD):
        raise RuleViolation("只有执法机关的执法人员可以登记案件", article=penalty.article("四十二"))
    if agency.status != Agency.Status.ACTIVE:
        raise RuleViolation(
            f"{agency.name}的执法主体资格为“{agency.get_status_display()}”，不能办理新案件",
            article=penalty.article("十七"),
        )
    return agency


def _open_entry(
    actor: Account,
    case: Case,
    *,
    when: Mapping[str, Any],
    parties: Sequence[Party],
    assignments: Sequence[CaseOfficer],
    data: Mapping[str, Any] | None = None,
    files: Sequence[EvidenceRef] = (),
    action: str = "case.open",
) -> Entry:
    case.refresh_from_db()
    files = _case_files(case, files)
    payload: dict[str, Any] = {
        "from": "",
        "to": case.state,
        **when,
        **(data or {}),
        "case": case_plain(case),
        "parties": [party_plain(p) for p in parties],
        "assignments": [assignment_plain(a) for a in assignments],
    }
    return record_append(
        actor_id=actor.pk,
        actor_name=_actor_name(actor),
        role=actor.role,
        action=action,
        payload=payload,
        case_id=case.pk,
        files=files,
    )


@transaction.atomic
def case_open(
    *,
    actor: Account,
    kind: str,
    power_code: str,
    title: str,
    on: date,
    summary: str = "",
    act_ended_on: date | None = None,
    serious: bool = False,
    parties: Sequence[PartyInput] = (),
    officers: Sequence[tuple[Officer, str]] = (),
    origin: Case | None = None,
    late_reason: str = "",
) -> Case:
    """Open a case: a clue (penalty), a planned inspection or a proposed seizure.

    The power must be a published item of the actor's agency's power list, of the category
    the kind needs ("清单之外无权力"). On-the-spot penalties start with ``case_simple_decide``.
    """
    agency = _opening_agency(actor)
    if kind not in transitions.INITIAL_STATE or kind == K.PENALTY_SIMPLE:
        raise RuleViolation(f"案件类别“{kind}”不能以登记方式开始", field="kind")
    late = _dated(agency, on, late_reason, previous=None)
    if act_ended_on is not None:
        # How long ago the act was is 第三十六条's (guards.within_limitation, at 立案).
        legal_dates.not_after_today(
            on=act_ended_on, today=legal_dates.local_day(timezone.now()), field="act_ended_on"
        )
        legal_dates.act_not_after_case(act_ended_on=act_ended_on, on=on)
    item = _power_item(agency, power_code, kind)
    if not title.strip():
        raise RuleViolation("案由不能为空", field="title")
    case = Case.objects.create(
        agency=agency,
        kind=kind,
        power_item=item,
        domain=item.domain,
        origin=origin,
        title=title.strip(),
        summary=summary.strip(),
        state=transitions.INITIAL_STATE[kind],
        clue_on=on,
        act_ended_on=act_ended_on,
        serious=serious,
        created_by=actor,
    )
    if kind == K.INSPECTION:
        case.number = document_number(agency, DocumentKind.INSPECTION, on.year)
        case.save(update_fields=["number"])
    rows = [_party_create(case, p, on) for p in parties]
    assignments = [_assign(case, officer, role, on) for officer, role in officers]
    data: dict[str, Any] = {"origin_id": origin.pk} if origin is not None else {}
    if late is not None:
        data["late_entry"] = late.as_payload()
    _open_entry(actor, case, when={"on": on}, parties=rows, assignments=assignments, data=data)
    return case


@transaction.atomic
def case_party_add(
    *, actor: Account, case: Case, on: date, party: PartyInput, late_reason: str = ""
) -> Party:
    """Add a party (当事人) to the case."""
    case, move = _begin(actor, case, "case_party_add", on=on, late_reason=late_reason)
    row = _party_create(case, party, on)
    _commit(actor, case, move, when={"on": on}, data={"parties": [party_plain(row)]})
    return row


@transaction.atomic
def case_officer_assign(
    *, actor: Account, case: Case, on: date, officer: Officer, role: str, late_reason: str = ""
) -> CaseOfficer:
    """Name an acting officer (承办人员) as lead (主办, one per case) or assistant (协办): one
    who may act on the day (certificate valid for the case's domain, 第四十二条)."""
    case, move = _begin(actor, case, "case_officer_assign", on=on, late_reason=late_reason)
    row = _assign(case, officer, role, on)
    _commit(actor, case, move, when={"on": on}, data={"assignments": [assignment_plain(row)]})
    return row


# -- 行政处罚 普通程序 ----------------------------------------------


def _decision_deadline(case: Case, registered_on: date, extensions: int) -> Due:
    period = penalty.DECISION_LIMIT
    for _ in range(extensions):
        period = period.extended_by(decision_extension_period())
    return _due(period, registered_on)


@transaction.atomic
def case_register(
    *,
    actor: Account,
    case: Case,
    on: date,
    act_ended_on: date | None = None,
    serious: bool | None = None,
    opinion: str = "",
    late_reason: str = "",
) -> Case:
    """立案: the head approves; the power is still on the list; the act is within the
    limitation of 第三十六条; at least two assigned officers hold a certificate valid on the
    day (第四十二条). Numbers the case and starts the 90-day limit of 第六十条."""
    case, move = _begin(actor, case, "case_register", on=on, late_reason=late_reason)
    ended = act_ended_on or case.act_ended_on
    if ended is not None:
        legal_dates.act_not_after_case(act_ended_on=ended, on=on)
    is_serious = case.serious if serious is None else serious
    _power_item(case.agency, case.power_item.code, case.kind)
    guards.within_limitation(act_ended_on=ended, on=on, serious=is_serious)
    assigned = CaseOfficer.objects.filter(case=case).select_related("officer").order_by("id")
    guards.officers_may_register(
        on=on,
        answers=[
            (
                a.officer.name,
                officer_may_act(a.officer, case.domain, on, region=case.agency.division_code),
            )
            for a in assigned
        ],
    )
    due = _decision_deadline(case, on, 0)
    _commit(
        actor,
        case,
        move,
        when={"on": on},
        changes={
            "registered_on": on,
            "act_ended_on": ended,
            "serious": is_serious,
            "number": document_number(case.agency, DocumentKind.CASE_REGISTER, on.year),
            "decision_deadline": due.on,
            "deadlines_provisional": due.provisional,
            "calendar_version": current_calendar().version,
        },
        data={"opinion": opinion},
    )
    return case


@transaction.atomic
def case_not_register(
    *, actor: Account, case: Case, on: date, reason: str, late_reason: str = ""
) -> Case:
    """不予立案: the head decides the clue does not lead to a case."""
    return _end_with_reason(
        actor, case, "case_not_register", on=on, reason=reason, late_reason=late_reason
    )


def _end_with_reason(
    actor: Account, case: Case, service: str, *, on: date, reason: str, late_reason: str = ""
) -> Case:
    """An end the head decides with nothing but a written reason (不予立案, 撤销立案)."""
    case, move = _begin(actor, case, service, on=on, late_reason=late_reason)
    if not reason.strip():
        raise RuleViolation(f"{transitions.SERVICE_LABELS[service]}须写明理由", field="reason")
    _commit(actor, case, move, when={"on": on}, changes={"end_reason": reason.strip()})
    return case


@transaction.atomic
def case_investigate(
    *,
    actor: Account,
    case: Case,
    on: date,
    kind: str,
    officers: Sequence[Officer],
    summary: str,
    data: Mapping[str, Any] | None = None,
    files: Sequence[EvidenceRef] = (),
    at: datetime | None = None,
    place: str = "",
    started_at: time | None = None,
    ended_at: time | None = None,
    late_reason: str = "",
) -> CaseStep:
    """Record an inspection record, interview record or evidence (调查取证).

    Each needs at least two officers valid on ``on`` for the case's domain (第四十二、五十五条);
    the refusal names every officer and their reasons. The first one moves the case to 调查取证.
    A record's place and its start and end time (Beijing time, on ``on``) go into the step's
    data; the end is after the start and neither is in the future (``legal_dates``).
    """
    case, move = _begin(actor, case, "case_investigate", on=on, late_reason=late_reason)
    if kind not in INVESTIGATION_KINDS:
        raise RuleViolation(f"调查取证步骤类别“{kind}”无效", field="kind")
    return _officers_step(
        actor,
        case,
        move,
        kind,
        on=on,
        officers=officers,
        summary=summary,
        data=_record_data(data, on=on, place=place, started_at=started_at, ended_at=ended_at),
        files=files,
        at=at,
    )


@transaction.atomic
def case_submit_review(
    *, actor: Account, case: Case, on: date, report: str = "", late_reason: str = ""
) -> Case:
    """Submit the investigation for 案件审核 (needs at least one investigation record)."""
    case, move = _begin(actor, case, "case_submit_review", on=on, late_reason=late_reason)
    guards.has_investigation_record(
        records=CaseStep.objects.filter(case=case, kind__in=INVESTIGATION_KINDS).count()
    )
    _commit(actor, case, move, when={"on": on}, data={"report": report})
    _proposal_changed(actor, case, on, "case_submit_review")
    return case


def _penalty_kinds(kinds: Sequence[str]) -> list[str]:
    try:
        return sorted({penalty.PenaltyKind(k).value for k in kinds})
    except ValueError as exc:
        raise RuleViolation(f"处罚种类无效：{exc}", article=penalty.article("九")) from exc


@transaction.atomic
def case_notify(
    *,
    actor: Account,
    case: Case,
    on: date,
    facts: str,
    reasons: str,
    basis: str,
    penalty_kinds: Sequence[str],
    fine: Decimal | None = None,
    confiscation: Decimal | None = None,
    confiscated_property: str = "",
    confiscated_property_value: Decimal | None = None,
    late_reason: str = "",
) -> Case:
    """事先告知 (第四十四、四十五条): facts, reasons, basis, the intended penalty — its kinds and
    each amount apart (罚款, 没收违法所得, 没收非法财物 with its estimated value); the right to
    陈述申辩 and, where 第六十三条 gives it, to a hearing, to be asked for within 5 working days
    (第六十四条). Records the notice day and the deadlines."""
    case, move = _begin(actor, case, "case_notify", on=on, late_reason=late_reason)
    parties = list(Party.objects.filter(case=case))
    guards.has_party(parties=len(parties))
    kinds = _penalty_kinds(penalty_kinds)
    amount, confiscated = _money(fine), _money(confiscation)
    property_value = _money(confiscated_property_value)
    guards.notice_complete(
        facts=facts, reasons=reasons, basis=basis, penalty_kinds=kinds, fine=amount
    )
    guards.detention_by_public_security(kinds=kinds, allowed=detention_allowed(case))
    guards.penalty_amounts_stated(
        kinds=kinds,
        fine=amount,
        gains=confiscated,
        property_description=confiscated_property,
        property_value=property_value,
    )
    thresholds = hearing_thresholds()
    right = any(
        penalty.hearing_right(
            penalty.PartyKind(p.kind),
            [penalty.PenaltyKind(k) for k in kinds],
            amount or Decimal(0),
            # 第六十三条 "没收较大数额违法所得、没收较大价值非法财物": both count.
            (confiscated or Decimal(0)) + (property_value or Decimal(0)),
            thresholds,
        )
        for p in parties
    )
    hearing_due = _due(penalty.HEARING_REQUEST, on) if right else None
    statement_due = _due(statement_period(), on)
    _commit(
        actor,
        case,
        move,
        when={"on": on},
        changes={
            "notified_on": on,
            "notice_number": document_number(case.agency, DocumentKind.PENALTY_NOTICE, on.year),
            "notified_penalty_kinds": kinds,
            "notified_fine": amount,
            "notified_confiscation": confiscated,
            "notified_confiscated_property": confiscated_property.strip(),
            "notified_confiscated_property_value": property_value,
            "hearing_right": right,
            "hearing_request_deadline": hearing_due.on if hearing_due else None,
            "statement_deadline": statement_due.on,
            "deadlines_provisional": case.deadlines_provisional
            or statement_due.provisional
            or bool(hearing_due and hearing_due.provisional),
        },
        data={"facts": facts, "reasons": reasons, "basis": basis},
    )
    _proposal_changed(actor, case, on, "case_notify")
    return case


@transaction.atomic
def case_hearing_request(*, actor: Account, case: Case, on: date, late_reason: str = "") -> Case:
    """Record the party's request for a hearing; it must come within 5 working days of the
    notice (第六十四条第一项)."""
    case, move = _begin(actor, case, "case_hearing_request", on=on, late_reason=late_reason)
    guards.hearing_right_told(hearing_right=case.hearing_right)
    assert case.notified_on is not None
    guards.hearing_request_in_time(notified_on=case.notified_on, on=on, calendar=current_calendar())
    _commit(actor, case, move, when={"on": on}, changes={"hearing_requested_on": on})
    return case


def _investigator_ids(case: Case) -> set[int]:
    assigned = set(CaseOfficer.objects.filter(case=case).values_list("officer_id", flat=True))
    stepped = set(
        CaseStep.officers.through.objects.filter(
            casestep__case=case, casestep__kind__in=INVESTIGATION_KINDS
        ).values_list("officer_id", flat=True)
    )
    return assigned | stepped


def _check_presider(case: Case, presider: Officer) -> None:
    if presider.agency_id != case.agency_id:
        raise RuleViolation(f"{presider.name}不是本机关的人员", field="presider")
    guards.presider_not_investigator(
        presider_name=presider.name, is_investigator=presider.pk in _investigator_ids(case)
    )


@transaction.atomic
def case_hearing_notice(
    *,
    actor: Account,
    case: Case,
    on: date,
    hearing_on: date,
    presider: Officer,
    place: str = "",
    late_reason: str = "",
) -> Case:
    """Tell the party when and where the hearing is, at least 7 working days before it; the
    presider is not one of the case's investigators (第六十四条第二、四项)."""
    case, move = _begin(actor, case, "case_hearing_notice", on=on, late_reason=late_reason)
    guards.hearing_notice_in_time(notice_on=on, hearing_on=hearing_on, calendar=current_calendar())
    _check_presider(case, presider)
    step, row = _step_create(
        case,
        actor,
        CaseStep.Kind.HEARING_NOTICE,
        on=on,
        data={"hearing_on": hearing_on, "place": place, "presider_id": presider.pk},
    )
    entry = _commit(
        actor,
        case,
        move,
        when={"on": on},
        changes={
            "hearing_notice_on": on,
            "hearing_on": hearing_on,
            "hearing_presider_id": presider.pk,
        },
        data={
            "step": row,
            "document_number": document_number(case.agency, DocumentKind.HEARING_NOTICE, on.year),
        },
    )
    _link(step, entry)
    return case


def _review_data(data: dict[str, Any], said: bool, adoption: str, reasons: str) -> dict[str, Any]:
    """A statement's or hearing's data with its review (复核) when the party said something."""
    if said:
        data.update(adoption=adoption, adoption_reasons=reasons.strip())
    return data


@transaction.atomic
def case_hearing_hold(
    *,
    actor: Account,
    case: Case,
    on: date,
    record: str,
    party_absent: bool = False,
    adoption: str = "",
    adoption_reasons: str = "",
    files: Sequence[EvidenceRef] = (),
    late_reason: str = "",
) -> Case:
    """Record the hearing (听证笔录). The party's absence is recorded as a waiver; otherwise
    the review of the hearing's opinions (复核: ``adoption`` 采纳/部分采纳/不予采纳, with
    ``adoption_reasons`` unless adopted) is recorded with it (第四十五条第一款), for the
    decision to state."""
    case, move = _begin(actor, case, "case_hearing_hold", on=on, late_reason=late_reason)
    statement_review.review_recorded(
        said=not party_absent, adoption=adoption, reasons=adoption_reasons, what="听证意见"
    )
    if case.hearing_notice_on is None or case.hearing_presider_id is None:
        raise RuleViolation(
            "尚未通知当事人听证的时间、地点", article=f"{penalty.article('六十四')}第二项"
        )
    guards.hearing_notice_in_time(
        notice_on=case.hearing_notice_on, hearing_on=on, calendar=current_calendar()
    )
    presider = Officer.objects.get(pk=case.hearing_presider_id)
    _check_presider(case, presider)
    step, row = _step_create(
        case,
        actor,
        CaseStep.Kind.HEARING_RECORD,
        on=on,
        summary=record,
        data=_review_data(
            {"party_absent": party_absent}, not party_absent, adoption, adoption_reasons
        ),
        files=files,
    )
    _link(
        step,
        _commit(
            actor,
            case,
            move,
            when={"on": on},
            changes={"hearing_on": on},
            data={"step": row},
            files=files,
        ),
    )
    _proposal_changed(actor, case, on, "case_hearing_hold")
    return case


@transaction.atomic
def case_statement_record(
    *,
    actor: Account,
    case: Case,
    on: date,
    content: str,
    waived: bool = False,
    adoption: str = "",
    adoption_reasons: str = "",
    files: Sequence[EvidenceRef] = (),
    late_reason: str = "",
) -> Case:
    """Record the party's statement and defence (陈述申辩), or that the party waived it. A
    statement is recorded with its review (复核: ``adoption`` 采纳/部分采纳/不予采纳, with
    ``adoption_reasons`` unless adopted — 第四十五条第一款), which the decision states."""
    case, move = _begin(actor, case, "case_statement_record", on=on, late_reason=late_reason)
    if not waived and not content.strip():
        raise RuleViolation("请记录陈述申辩的内容，或注明当事人放弃", field="content")
    statement_review.review_recorded(
        said=not waived, adoption=adoption, reasons=adoption_reasons, what="陈述、申辩意见"
    )
    step, row = _step_create(
        case,
        actor,
        CaseStep.Kind.STATEMENT,
        on=on,
        summary=content,
        data=_review_data({"waived": waived}, not waived, adoption, adoption_reasons),
        files=files,
    )
    _link(step, _commit(actor, case, move, when={"on": on}, data={"step": row}, files=files))
    return case


@transaction.atomic
def case_decision_extend(
    *,
    actor: Account,
    case: Case,
    on: date,
    reason: str,
    collective_discussion: bool = False,
    late_reason: str = "",
) -> Extension:
    """Extend the 第六十条 limit (market regulation: 30 days with the head's approval; a
    further extension only by collective discussion). Records an Extension row."""
    case, move = _begin(actor, case, "case_decision_extend", on=on, late_reason=late_reason)
    if not reason.strip():
        raise RuleViolation("延长办案期限须写明理由", field="reason")
    previous = Extension.objects.filter(case=case, kind=Extension.Kind.DECISION).count()
    guards.decision_extension_allowed(
        previous=previous, collective_discussion=collective_discussion
    )
    guards.decision_in_time(on=on, deadline_on=case.decision_deadline, extended=previous > 0)
    assert case.registered_on is not None
    due = _decision_deadline(case, case.registered_on, previous + 1)
    row = Extension.objects.create(
        case=case,
        kind=Extension.Kind.DECISION,
        approved_by=actor,
        approved_on=on,
        reason=reason.strip(),
        collective_discussion=collective_discussion,
        previous_deadline=case.decision_deadline,
        new_deadline=due.on,
    )
    _commit(
        actor,
        case,
        move,
        when={"on": on},
        changes={
            "decision_deadline": due.on,
            "deadlines_provisional": due.provisional,
            "calendar_version": current_calendar().version,
        },
        data={"extension": extension_plain(row)},
    )
    return row


@transaction.atomic
def case_decide(
    *,
    actor: Account,
    case: Case,
    on: date,
    penalty_kinds: Sequence[str],
    fine: Decimal | None = None,
    confiscation: Decimal | None = None,
    confiscated_property: str = "",
    confiscated_property_value: Decimal | None = None,
    complex_or_grave: bool = False,
    collective_discussion: bool = False,
    opinion: str = "",
    late_reason: str = "",
) -> Case:
    """作出行政处罚决定 (head's approval): within the 第六十条 limit (or its approved extension);
    no heavier penalty than notified (第六十二条); collective discussion for complex or grave
    cases (第五十七条第二款); not before the party's hearing window closed when nothing was
    said. Numbers the decision and starts the 7-working-day service period (第六十一条)."""
    case, move = _begin(actor, case, "case_decide", on=on, late_reason=late_reason)
    if "rights_period_elapsed" in move.preconditions:
        guards.rights_period_elapsed(
            on=on,
            deadline_on=max(
                d
                for d in (case.hearing_request_deadline, case.statement_deadline, case.notified_on)
                if d is not None
            ),
        )
    extended = Extension.objects.filter(case=case, kind=Extension.Kind.DECISION).exists()
    guards.decision_in_time(on=on, deadline_on=case.decision_deadline, extended=extended)
    kinds = _penalty_kinds(penalty_kinds)
    if not kinds:
        raise RuleViolation("须写明处罚种类", article=penalty.article("五十九"))
    amount, confiscated = _money(fine), _money(confiscation)
    property_value = _money(confiscated_property_value)
    guards.detention_by_public_security(kinds=kinds, allowed=detention_allowed(case))
    guards.penalty_amounts_stated(
        kinds=kinds,
        fine=amount,
        gains=confiscated,
        property_description=confiscated_property,
        property_value=property_value,
    )
    guards.not_heavier_than_notified(
        notified_kinds=case.notified_penalty_kinds,
        notified_fine=case.notified_fine,
        notified_confiscation=case.notified_confiscation,
        kinds=kinds,
        fine=amount,
        confiscation=confiscated,
    )
    grave = complex_or_grave or case.complex_or_grave
    guards.collective_discussion_held(complex_or_grave=grave, discussed=collective_discussion)
    # 第五十八条: a major decision needs the legal review first (gates registered by review).
    # What is confiscated counts as one value for the review catalog: the gains plus the
    # estimated value of the property (第六十三条's "没收较大数额违法所得、没收较大价值非法财物").
    seized_value = (
        (confiscated or Decimal(0)) + (property_value or Decimal(0))
        if confiscated is not None or property_value is not None
        else None
    )
    _decision_gates_pass(case, PendingDecision(True, tuple(kinds), amount, seized_value), on)
    service_due = _due(penalty.SERVICE, on)
    _commit(
        actor,
        case,
        move,
        when={"on": on},
        changes={
            "decided_on": on,
            "decision_number": document_number(case.agency, DocumentKind.PENALTY_DECISION, on.year),
            "penalty_kinds": kinds,
            "fine": amount,
            "confiscation": confiscated,
            "confiscated_property": confiscated_property.strip(),
            "confiscated_property_value": property_value,
            "complex_or_grave": grave,
            "collective_discussion": collective_discussion,
            "service_deadline": service_due.on,
            "deadlines_provisional": case.deadlines_provisional or service_due.provisional,
        },
        data={"opinion": opinion},
    )
    _decision_made(actor, case, on, "case_decide")
    return case


@transaction.atomic
def case_not_penalise(
    *,
    actor: Account,
    case: Case,
    on: date,
    ground: str,
    reason: str = "",
    late_reason: str = "",
    list_item: int | None = None,
    conditions: Sequence[str] = (),
) -> Case:
    """不予行政处罚 with its ground (第三十三条 首违不罚 etc., or facts not established).

    Under 第三十三条第一款 (轻微不罚, 首违不罚) the decision cites a list entry in force for the
    case's power item with every one of its conditions found (``conditions``: their indexes),
    or — outside the lists — states its reason. 首违不罚 is refused when the party has a
    similar violation on this deployment within the look-back, and needs the recorded
    confirmation of the 国家企业信用信息公示系统 (``case_credit_check_record``). Records what
    was checked; tells the decision listeners (publication) where the deployment publishes
    不予处罚 decisions (``ZHIFA_PUBLISH_NOT_PENALISED``)."""
    case, move = _begin(actor, case, "case_not_penalise", on=on, late_reason=late_reason)
    if ground not in Case.NotPenalisedGround.values:
        raise RuleViolation(f"不予处罚理由“{ground}”无效", field="ground")
    # 第五十八条 reviews "行政处罚的决定", which 第五十七条 lists as including the decision not
    # to penalise: a major case (flagged, heard …) needs the review before ending this way too.
    _decision_gates_pass(case, PendingDecision(False), on)
    checked = _leniency_checked(case, ground, reason, list_item, conditions)
    _commit(
        actor,
        case,
        move,
        when={"on": on},
        changes={
            "decided_on": on,
            "decision_number": document_number(
                case.agency, DocumentKind.NO_PENALTY_DECISION, on.year
            ),
            "end_ground": ground,
            "end_reason": reason.strip(),
        },
        data={"leniency": checked} if checked else None,
    )
    if getattr(settings, "ZHIFA_PUBLISH_NOT_PENALISED", True):
        _decision_made(actor, case, on, "case_not_penalise")
    return case


@transaction.atomic
def case_withdraw(
    *, actor: Account, case: Case, on: date, reason: str, late_reason: str = ""
) -> Case:
    """撤销立案 (the head's approval, with the reason)."""
    return _end_with_reason(
        actor, case, "case_withdraw", on=on, reason=reason, late_reason=late_reason
    )


@transaction.atomic
def case_transfer(
    *, actor: Account, case: Case, on: date, organ: str, reason: str, late_reason: str = ""
) -> Case:
    """移送司法机关 as a suspected crime (第二十七条; 国务院令第310号)."""
    case, move = _begin(actor, case, "case_transfer", on=on, late_reason=late_reason)
    if not organ.strip() or not reason.strip():
        raise RuleViolation("移送须写明接收机关和理由", field="organ")
    _commit(
        actor,
        case,
        move,
        when={"on": on},
        changes={"end_reason": f"移送{organ.strip()}：{reason.strip()}"},
        data={
            "organ": organ.strip(),
            "document_number": document_number(case.agency, DocumentKind.TRANSFER, on.year),
        },
    )
    return case


@transaction.atomic
def case_serve(
    *,
    actor: Account,
    case: Case,
    on: date,
    method: str,
    recipient: str = "",
    electronic_consent: bool = False,
    files: Sequence[EvidenceRef] = (),
    late_reason: str = "",
) -> Case:
    """送达 the decision. General procedure: within 7 working days (第六十一条) — late service is
    recorded and flagged; electronic service only with consent. On-the-spot decisions are
    handed over at once (第五十二条). Starts the 15-day payment period (第六十七条)."""
    case, move = _begin(actor, case, "case_serve", on=on, late_reason=late_reason)
    if method not in Case.ServiceMethod.values:
        raise RuleViolation(f"送达方式“{method}”无效", field="method")
    assert case.decided_on is not None
    if "served_on_the_spot" in move.preconditions:
        guards.served_on_the_spot(decided_on=case.decided_on, served_on=on)
        late = False
    else:
        guards.electronic_service_consented(method=method, consent=electronic_consent)
        if on < case.decided_on:
            raise RuleViolation("送达日期不能早于决定日期", field="on")
        late = not guards.service_in_time(
            decided_on=case.decided_on, served_on=on, calendar=current_calendar()
        )
    payment_due = _due(penalty.PAYMENT, on) if case.fine or case.confiscation else None
    step, row = _step_create(
        case,
        actor,
        CaseStep.Kind.SERVICE,
        on=on,
        data={"method": method, "recipient": recipient, "late": late},
        files=files,
    )
    entry = _commit(
        actor,
        case,
        move,
        when={"on": on},
        changes={
            "served_on": on,
            "service_method": method,
            "service_late": late,
            "payment_due_on": payment_due.on if payment_due else None,
        },
        data={"step": row, "late": late},
        files=files,
    )
    _link(step, entry)
    return case


PAID_FIELD: dict[str, str] = {
    PaymentItem.FINE: "paid_amount",
    PaymentItem.CONFISCATION: "paid_confiscation",
    PaymentItem.LATE_FEE: "paid_late_fee",
}


@transaction.atomic
def case_payment_record(
    *,
    actor: Account,
    case: Case,
    on: date,
    amount: Decimal,
    item: str = PaymentItem.FINE,
    channel: str = PaymentChannel.BANK,
    receipt: str = "",
    ground: str = "",
    late_reason: str = "",
) -> Case:
    """Record one payment against one amount (``item``: 罚款, 没收违法所得 or 加处罚款), with the
    receipt number (专用票据 / 非税收入票据), the channel and the day. Refuses a payment beyond
    what is outstanding of that amount (the message names it), and 当场收缴 except where
    第六十八、六十九条 allow it, with the receipt number (第七十条). Keeps the 第七十二条
    surcharge owed on ``on`` in ``late_fee``."""
    case, move = _begin(actor, case, "case_payment_record", on=on, late_reason=late_reason)
    paid = _money(amount)
    if paid is None or paid <= 0:
        raise RuleViolation("缴款金额须大于0元", article=penalty.article("六十七"), field="amount")
    if item not in PaymentItem.values:
        raise RuleViolation(f"缴款项目“{item}”无效", field="item")
    if channel not in PaymentChannel.values:
        raise RuleViolation(f"缴款方式“{channel}”无效", field="channel")
    money = selectors.case_money(case, on)
    line = money.line(item)
    label = PaymentItem(item).label
    if line is None:
        raise RuleViolation(
            f"本案决定中没有{label}，无需缴纳", article=penalty.article("五十九"), field="item"
        )
    guards.payment_not_over(label=label, outstanding=line.outstanding, amount=paid)
    recorded_ground = ""
    if channel == PaymentChannel.ON_THE_SPOT:
        recorded_ground = guards.on_the_spot_collection(
            simple_procedure=case.kind == K.PENALTY_SIMPLE,
            item=item,
            fine=case.fine,
            ground=ground,
            receipt=receipt,
        )
    late = money.line(PaymentItem.LATE_FEE)
    fee = late.due if late is not None else case.late_fee
    field = PAID_FIELD[item]
    # The line the workspace and the timeline show: what, how much, how, which receipt.
    summary = f"{label}{paid}元，{PaymentChannel(channel).label}" + (
        f"，票据号码{receipt.strip()}" if receipt.strip() else ""
    )
    step, row = _step_create(
        case,
        actor,
        CaseStep.Kind.PAYMENT,
        on=on,
        summary=summary,
        data={
            "item": item,
            "amount": paid,
            "channel": channel,
            "receipt": receipt.strip(),
            "ground": recorded_ground,
            "late_fee": fee,
        },
    )
    _link(
        step,
        _commit(
            actor,
            case,
            move,
            when={"on": on},
            changes={field: (getattr(case, field) + paid).quantize(MONEY), "late_fee": fee},
            data={"step": row},
        ),
    )
    return case


@transaction.atomic
def case_payment_arrange(
    *,
    actor: Account,
    case: Case,
    on: date,
    kind: str,
    reason: str,
    due_on: date,
    instalments: Sequence[tuple[date, Decimal]] = (),
    late_reason: str = "",
) -> Extension:
    """暂缓或分期缴纳罚款 (第六十六条), approved by the head: an Extension row; the payment due
    day becomes ``due_on`` (for instalments, the last instalment's day). The arrangement
    replaces the schedule of the fine still outstanding; the 第七十二条 surcharge already owed
    on ``on`` is carried over, and from then on it runs per instalment
    (``law.penalty.late_fee_owed``)."""
    case, move = _begin(actor, case, "case_payment_arrange", on=on, late_reason=late_reason)
    if kind not in (Extension.Kind.PAYMENT_DEFERRAL, Extension.Kind.PAYMENT_INSTALMENT):
        raise RuleViolation(f"缴款安排类别“{kind}”无效", field="kind")
    if not reason.strip():
        raise RuleViolation("暂缓或分期缴纳须写明理由", article=penalty.article("六十六"))
    outstanding = (case.fine or Decimal(0)) - case.paid_amount
    if outstanding <= 0:
        raise RuleViolation(
            "罚款已全部缴清，无需暂缓或分期缴纳", article=penalty.article("六十六"), field="kind"
        )
    if case.payment_due_on is None or due_on <= case.payment_due_on:
        raise RuleViolation("新的缴款期限须晚于原期限", field="due_on")
    plan = [{"on": d, "amount": _money(a)} for d, a in instalments]
    if kind == Extension.Kind.PAYMENT_INSTALMENT:
        total = sum((_money(a) or Decimal(0) for _, a in instalments), Decimal(0))
        if (
            len(plan) < 2
            or total != outstanding
            or max(d for d, _ in instalments) != due_on
            or min(d for d, _ in instalments) < on
            or any((_money(a) or Decimal(0)) <= 0 for _, a in instalments)
        ):
            raise RuleViolation(
                f"分期计划须至少两期，每期金额大于0元、日期不早于批准日期，合计等于未缴罚款"
                f"{outstanding}元，末期为新的缴款期限",
                article=penalty.article("六十六"),
                field="instalments",
            )
    carried = selectors.case_late_fee(case, on)
    row = Extension.objects.create(
        case=case,
        kind=kind,
        approved_by=actor,
        approved_on=on,
        reason=reason.strip(),
        previous_deadline=case.payment_due_on,
        new_deadline=due_on,
        instalments=plain(plan),
        paid_before=case.paid_amount,
        late_fee_carried=carried,
    )
    _commit(
        actor,
        case,
        move,
        when={"on": on},
        changes={"payment_due_on": due_on},
        data={
            "extension": extension_plain(row),
            "schedule": plain(
                {"instalments": plan, "paid_before": row.paid_before, "late_fee_carried": carried}
            ),
        },
    )
    return row


@transaction.atomic
def case_court_apply(
    *, actor: Account, case: Case, on: date, court: str, late_reason: str = ""
) -> Case:
    """申请人民法院强制执行 (《行政处罚法》第七十二条第一款第四项; 《行政强制法》第五十三条):
    only while an amount is outstanding, once the 复议 (60 days) and 诉讼 (6 months) periods
    after service have passed, and within three months of their end."""
    case, move = _begin(actor, case, "case_court_apply", on=on, late_reason=late_reason)
    if not court.strip():
        raise RuleViolation("须写明受理申请的人民法院", field="court")
    first, last, _provisional = selectors.court_application_window(case)
    guards.court_application_timely(
        on=on,
        outstanding=selectors.case_money(case, on).outstanding,
        first_day=first,
        last_day=last,
    )
    step, row = _step_create(
        case, actor, CaseStep.Kind.COURT_APPLICATION, on=on, data={"court": court.strip()}
    )
    _link(
        step,
        _commit(
            actor, case, move, when={"on": on}, changes={"court_applied_on": on}, data={"step": row}
        ),
    )
    return case


@transaction.atomic
def case_close(
    *, actor: Account, case: Case, on: date, opinion: str = "", late_reason: str = ""
) -> Case:
    """结案 (head's approval): every amount (罚款, 没收违法所得, the 第七十二条 surcharge owed on
    ``on``) is paid in full, or the court was applied to; an inspection with a rectification
    order has been re-checked."""
    case, move = _begin(actor, case, "case_close", on=on, late_reason=late_reason)
    if "execution_complete" in move.preconditions:
        money = selectors.case_money(case, on)
        guards.execution_complete(
            owed=[(line.label, line.outstanding) for line in money.lines],
            court_applied=case.court_applied_on is not None,
        )
    if "inspection_complete" in move.preconditions:
        guards.inspection_complete(outcome=case.inspection_outcome)
    _education_checked(case, move)
    _commit(
        actor, case, move, when={"on": on}, changes={"closed_on": on}, data={"opinion": opinion}
    )
    return case


@transaction.atomic
def case_archive(*, actor: Account, case: Case, on: date, late_reason: str = "") -> Case:
    """归档: the case becomes read-only; every later service refuses it."""
    case, move = _begin(actor, case, "case_archive", on=on, late_reason=late_reason)
    _education_checked(case, move)
    _commit(actor, case, move, when={"on": on}, changes={"archived_on": on})
    return case


# -- 行政处罚 简易程序 ----------------------------------------------


@transaction.atomic
def case_simple_decide(
    *,
    actor: Account,
    power_code: str,
    title: str,
    on: date,
    party: PartyInput,
    penalty_kind: str,
    officers: Sequence[Officer],
    fine: Decimal | None = None,
    facts: str = "",
    basis: str = "",
    evidence: Sequence[ReceivedEvidence] = (),
    place: str = "",
    at: datetime | None = None,
    late_reason: str = "",
) -> Case:
    """当场处罚 (简易程序): a warning, or a fine of at most 200 元 (citizen) / 3,000 元
    (organisation) — 第五十一条; two officers valid on the day (第四十二条). The case starts
    decided and numbered; it must be handed over at once and filed within the filing period.
    The decision states the place (执法地点) and time (第五十二条): ``place`` is required,
    ``at`` (optional) is the moment on ``on``, not in the future.

    ``evidence`` (received with ``evidence_receive`` before this transaction) is uploaded for
    the new case, by the actor, and carried by its opening entry: there is no case to upload
    it to beforehand."""
    agency = _opening_agency(actor)
    late = _dated(agency, on, late_reason, previous=None)
    item = _power_item(agency, power_code, K.PENALTY_SIMPLE)
    amount = _money(fine)
    try:
        kind = penalty.PenaltyKind(penalty_kind)
    except ValueError as exc:
        raise RuleViolation(f"处罚种类“{penalty_kind}”无效", field="penalty_kind") from exc
    if party.kind not in Party.Kind.values:
        raise RuleViolation(f"当事人类别“{party.kind}”无效", field="kind")
    guards.simple_procedure(party_kinds=[party.kind], penalty_kind=kind, fine=amount)
    if not title.strip():
        raise RuleViolation("案由不能为空", field="title")
    guards.simple_decision_placed(place=place, on=on, at=at, now=timezone.now())
    filing_due = _due(filing_period(), on)
    number = document_number(agency, DocumentKind.SIMPLE_DECISION, on.year)
    case = Case.objects.create(
        agency=agency,
        kind=K.PENALTY_SIMPLE,
        power_item=item,
        domain=item.domain,
        title=title.strip(),
        summary=facts.strip(),
        state=transitions.INITIAL_STATE[K.PENALTY_SIMPLE],
        clue_on=on,
        number=number,
        decision_number=number,
        decided_on=on,
        penalty_kinds=[kind.value],
        fine=amount,
        filing_deadline=filing_due.on,
        deadlines_provisional=filing_due.provisional,
        calendar_version=current_calendar().version,
        created_by=actor,
    )
    acting = _check_officers(case, officers, on)
    rows = [_party_create(case, party, on)]
    assignments = [
        _assign(case, officer, CaseOfficer.Role.LEAD if i == 0 else CaseOfficer.Role.ASSISTANT, on)
        for i, officer in enumerate(acting)
    ]
    uploads = (
        evidence_bind(
            evidence,
            case_id=case.pk,
            agency_id=agency.pk,
            actor_id=actor.pk,
            actor_name=_actor_name(actor),
            role=actor.role,
        )
        if evidence
        else []
    )
    _open_entry(
        actor,
        case,
        when={"on": on},
        parties=rows,
        assignments=assignments,
        data={
            "facts": facts,
            "basis": basis,
            "place": place.strip(),
            **({"at": at} if at is not None else {}),
            **({"late_entry": late.as_payload()} if late is not None else {}),
        },
        files=[u.ref for u in uploads],
        action="case.simple_decide",
    )
    _decision_made(actor, case, on, "case_simple_decide")
    return case


@transaction.atomic
def case_file(*, actor: Account, case: Case, on: date, late_reason: str = "") -> Case:
    """File an on-the-spot decision with the agency (第五十二条); late filing is flagged."""
    case, move = _begin(actor, case, "case_file", on=on, late_reason=late_reason)
    assert case.filing_deadline is not None
    late = on > case.filing_deadline
    _commit(
        actor,
        case,
        move,
        when={"on": on},
        changes={"filed_on": on, "filing_late": late},
        data={"late": late},
    )
    return case


# -- 行政检查 ---------------------------------------------------


@transaction.atomic
def case_inspect(
    *,
    actor: Account,
    case: Case,
    on: date,
    officers: Sequence[Officer],
    summary: str,
    data: Mapping[str, Any] | None = None,
    files: Sequence[EvidenceRef] = (),
    place: str = "",
    started_at: time | None = None,
    ended_at: time | None = None,
    late_reason: str = "",
) -> CaseStep:
    """The on-site check (现场检查), by at least two officers valid on the day (第五十五条),
    with the place and the start and end time of its record (as ``case_investigate``)."""
    case, move = _begin(actor, case, "case_inspect", on=on, late_reason=late_reason)
    return _officers_step(
        actor,
        case,
        move,
        CaseStep.Kind.ON_SITE_INSPECTION,
        on=on,
        officers=officers,
        summary=summary,
        data=_record_data(data, on=on, place=place, started_at=started_at, ended_at=ended_at),
        files=files,
        changes={"inspected_on": on},
    )


@transaction.atomic
def case_findings_record(
    *,
    actor: Account,
    case: Case,
    on: date,
    outcome: str,
    findings: str,
    rectification_due_on: date | None = None,
    late_reason: str = "",
) -> Case:
    """The inspection's findings: no problem, or a rectification order with its due day."""
    case, move = _begin(actor, case, "case_findings_record", on=on, late_reason=late_reason)
    if outcome not in Case.InspectionOutcome.values:
        raise RuleViolation(f"检查结论“{outcome}”无效", field="outcome")
    changes: dict[str, Any] = {"inspection_outcome": outcome}
    data: dict[str, Any] = {"findings": findings}
    if outcome == Case.InspectionOutcome.RECTIFY:
        if rectification_due_on is None or rectification_due_on <= on:
            raise RuleViolation(
                "责令整改须写明晚于检查结论日期的整改期限", field="rectification_due_on"
            )
        changes["rectification_due_on"] = rectification_due_on
        data["document_number"] = document_number(
            case.agency, DocumentKind.RECTIFICATION_ORDER, on.year
        )
    _commit(actor, case, move, when={"on": on}, changes=changes, data=data)
    _decision_made(actor, case, on, "case_findings_record")
    return case


@transaction.atomic
def case_recheck(
    *,
    actor: Account,
    case: Case,
    on: date,
    officers: Sequence[Officer],
    rectified: bool,
    summary: str,
    files: Sequence[EvidenceRef] = (),
    place: str = "",
    started_at: time | None = None,
    ended_at: time | None = None,
    late_reason: str = "",
) -> CaseStep:
    """Re-check a rectification (复查), by two valid officers (place and times as
    ``case_investigate``)."""
    case, move = _begin(actor, case, "case_recheck", on=on, late_reason=late_reason)
    guards.rectification_ordered(outcome=case.inspection_outcome)
    return _officers_step(
        actor,
        case,
        move,
        CaseStep.Kind.RECHECK,
        on=on,
        officers=officers,
        summary=summary,
        data=_record_data(
            {"rectified": rectified},
            on=on,
            place=place,
            started_at=started_at,
            ended_at=ended_at,
        ),
        files=files,
        changes={"rechecked_on": on},
    )


@transaction.atomic
def case_penalty_open(
    *,
    actor: Account,
    case: Case,
    on: date,
    power_code: str,
    title: str,
    summary: str = "",
    act_ended_on: date | None = None,
    late_reason: str = "",
) -> Case:
    """Open a penalty case (a clue) from an inspection's findings; the inspection's parties
    are copied. Both cases get a record entry; the new case points back (``origin``)."""
    inspection, move = _begin(actor, case, "case_penalty_open", on=on, late_reason=late_reason)
    parties = [
        PartyInput(
            kind=p.kind,
            name=p.name,
            id_number=p.id_number,
            phone=p.phone,
            address=p.address,
            credit_code=p.credit_code,
            legal_representative=p.legal_representative,
            is_minor=p.is_minor,
        )
        for p in Party.objects.filter(case=inspection)
    ]
    opened = case_open(
        actor=actor,
        kind=K.PENALTY_GENERAL,
        power_code=power_code,
        title=title,
        on=on,
        summary=summary,
        act_ended_on=act_ended_on,
        parties=parties,
        origin=inspection,
        late_reason=late_reason,
    )
    _commit(actor, inspection, move, when={"on": on}, data={"opened_case_id": opened.pk})
    return opened


# -- 行政强制措施（查封、扣押） ------------------------------------------


@transaction.atomic
def case_seizure_approve(
    *, actor: Account, case: Case, at: datetime, opinion: str = "", late_reason: str = ""
) -> Case:
    """The head's prior approval of a 查封/扣押 (《行政强制法》第十八条第一项)."""
    case, move = _begin(actor, case, "case_seizure_approve", at=at, late_reason=late_reason)
    _commit(
        actor,
        case,
        move,
        when={"at": at},
        changes={"seizure_approved_at": at},
        data={"opinion": opinion},
    )
    return case


@dataclass(frozen=True)
class SeizedItem:
    """One line of the 查封、扣押清单 (第二十四条)."""

    name: str
    quantity: str
    note: str = ""


@transaction.atomic
def case_seizure_execute(
    *,
    actor: Account,
    case: Case,
    at: datetime,
    officers: Sequence[Officer],
    measure: str,
    items: Sequence[SeizedItem],
    files: Sequence[EvidenceRef],
    party_signed: bool,
    witness_name: str = "",
    urgent: bool = False,
    urgent_reason: str = "",
    emergency_reason: str = "",
    record: str = "",
    late_reason: str = "",
) -> Case:
    """实施查封、扣押: after approval, or first in an emergency (then approved within 24 hours,
    第十九条). Two valid officers (第十八条); decision and item list (第二十四条); 现场笔录
    signed by the party or a witness; full audio/video attached (国办发〔2018〕118号); not at
    night or on a rest day unless urgent with reasons (第四十三条). Starts the 30-day limit."""
    case, move = _begin(actor, case, "case_seizure_execute", at=at, late_reason=late_reason)
    if measure not in Case.SeizureMeasure.values:
        raise RuleViolation(f"强制措施“{measure}”无效", field="measure")
    if not items or any(not i.name.strip() or not i.quantity.strip() for i in items):
        raise RuleViolation(
            "查封、扣押须当场交付决定书和清单，清单须写明物品名称和数量",
            article=coercion.article("二十四"),
        )
    day = _local_date(at)
    acting = _check_officers(case, officers, day, article=coercion.article("十八"))
    files = _case_files(case, files)  # the media types as uploaded, not as a request says
    guards.audio_video_recorded(media_types=[f.media_type for f in files])
    calendar = current_calendar()
    guards.enforcement_time_allowed(
        at=at, calendar=calendar, urgent=urgent, urgent_reason=urgent_reason
    )
    guards.on_site_record_signed(party_signed=party_signed, witness_name=witness_name)
    emergency = move.to == S.EMERGENCY_EXECUTED
    if emergency and not emergency_reason.strip():
        raise RuleViolation(
            "未经机关负责人事先批准实施查封、扣押的，须写明情况紧急、需要当场实施的理由",
            article=coercion.article("十九"),
        )
    limit = _seizure_due(day, extended=False)
    number = document_number(case.agency, DocumentKind.SEIZURE_DECISION, day.year)
    step, row = _step_create(
        case,
        actor,
        CaseStep.Kind.SEIZURE_RECORD,
        on=day,
        at=at,
        summary=record,
        data={
            "measure": measure,
            "items": [{"name": i.name, "quantity": i.quantity, "note": i.note} for i in items],
            "party_signed": party_signed,
            "witness_name": witness_name,
            "urgent": urgent,
            "urgent_reason": urgent_reason,
            "emergency_reason": emergency_reason,
        },
        files=files,
        officers=acting,
    )
    entry = _commit(
        actor,
        case,
        move,
        when={"at": at},
        changes={
            "number": number,
            "decision_number": number,
            "decided_on": day,
            "seizure_measure": measure,
            "seizure_emergency": emergency,
            "seized_at": at,
            "seizure_deadline": limit.on,
            "deadlines_provisional": limit.provisional,
            "calendar_version": calendar.version,
        },
        data={"step": row},
        files=files,
    )
    _link(step, entry)
    _decision_made(actor, case, day, "case_seizure_execute")
    return case


@transaction.atomic
def case_seizure_ratify(
    *, actor: Account, case: Case, at: datetime, opinion: str = "", late_reason: str = ""
) -> Case:
    """Report an emergency seizure to the head and get the approval afterwards, within 24 hours
    of the seizure (第十九条); later, the measure must be lifted instead."""
    case, move = _begin(actor, case, "case_seizure_ratify", at=at, late_reason=late_reason)
    assert case.seized_at is not None
    guards.emergency_report_in_time(seized_at=case.seized_at, at=at)
    _commit(
        actor,
        case,
        move,
        when={"at": at},
        changes={"seizure_approved_at": at},
        data={"opinion": opinion},
    )
    return case


def _refuse_second_extension(case: Case) -> None:
    guards.seizure_extension_once(extended=case.seizure_extended)


@transaction.atomic
def case_seizure_extend(
    *, actor: Account, case: Case, on: date, reason: str, late_reason: str = ""
) -> Extension:
    """Extend the 查封/扣押 once, by 30 days, with the head's approval (第二十五条)."""
    case, move = _begin(
        actor,
        case,
        "case_seizure_extend",
        on=on,
        late_reason=late_reason,
        early=_refuse_second_extension,
    )
    if not reason.strip():
        raise RuleViolation("延长查封、扣押期限须写明理由", article=coercion.article("二十五"))
    guards.seizure_within_period(on=on, deadline_on=case.seizure_deadline)
    assert case.seized_at is not None
    day = _local_date(case.seized_at)
    new = _seizure_due(day, extended=True)
    row = Extension.objects.create(
        case=case,
        kind=Extension.Kind.SEIZURE,
        approved_by=actor,
        approved_on=on,
        reason=reason.strip(),
        previous_deadline=case.seizure_deadline,
        new_deadline=new.on,
    )
    _commit(
        actor,
        case,
        move,
        when={"on": on},
        changes={
            "seizure_extended": True,
            "seizure_deadline": new.on,
            "deadlines_provisional": new.provisional,
        },
        data={
            "extension": extension_plain(row),
            "document_number": document_number(
                case.agency, DocumentKind.SEIZURE_EXTENSION, on.year
            ),
        },
    )
    return row


@transaction.atomic
def case_seizure_release(
    *, actor: Account, case: Case, on: date, reason: str, late_reason: str = ""
) -> Case:
    """解除查封、扣押 (第二十八条): the measure is lifted and the goods returned."""
    case, move = _begin(actor, case, "case_seizure_release", on=on, late_reason=late_reason)
    if not reason.strip():
        raise RuleViolation("解除查封、扣押须写明理由", article=coercion.article("二十八"))
    _commit(
        actor,
        case,
        move,
        when={"on": on},
        changes={"released_on": on, "end_reason": reason.strip()},
        data={
            "document_number": document_number(case.agency, DocumentKind.SEIZURE_RELEASE, on.year)
        },
    )
    return case


@transaction.atomic
def case_seizure_handle(
    *, actor: Account, case: Case, on: date, outcome: str, reason: str, late_reason: str = ""
) -> Case:
    """The seized goods are dealt with: confiscated by decision, transferred or destroyed."""
    case, move = _begin(actor, case, "case_seizure_handle", on=on, late_reason=late_reason)
    if outcome not in Case.SeizureOutcome.values:
        raise RuleViolation(f"处理结果“{outcome}”无效", field="outcome")
    if not reason.strip():
        raise RuleViolation("须写明处理依据", field="reason")
    _commit(
        actor,
        case,
        move,
        when={"on": on},
        changes={"seizure_outcome": outcome, "released_on": on, "end_reason": reason.strip()},
    )
    return case


# -- provisional deadlines, counted again once a year's holidays are published ------------------

DEADLINES_RECOUNT_ACTION = "case.deadlines_recount"


def _seizure_due(seized_on: date, *, extended: bool) -> Due:
    """Last day of a 查封/扣押 (第二十五条), 30 days or 60 with the extension."""
    on, provisional = counted(
        lambda calendar: coercion.seizure_deadline(seized_on, calendar, extended=extended),
        from_year=seized_on.year,
    )
    return Due(on, provisional)


def _recounted(case: Case) -> dict[str, Due]:
    """Every deadline the case holds, counted again from its start on today's calendar, by the
    same rule the service that set it used."""
    dues: dict[str, Due] = {}
    if case.registered_on and case.decision_deadline:
        extensions = case.extensions.filter(kind=Extension.Kind.DECISION).count()
        dues["decision_deadline"] = _decision_deadline(case, case.registered_on, extensions)
    if case.notified_on and case.statement_deadline:
        dues["statement_deadline"] = _due(statement_period(), case.notified_on)
    if case.notified_on and case.hearing_request_deadline:
        dues["hearing_request_deadline"] = _due(penalty.HEARING_REQUEST, case.notified_on)
    if case.decided_on and case.service_deadline:
        dues["service_deadline"] = _due(penalty.SERVICE, case.decided_on)
    if case.decided_on and case.filing_deadline:
        dues["filing_deadline"] = _due(filing_period(), case.decided_on)
    if case.seized_at and case.seizure_deadline:
        dues["seizure_deadline"] = _seizure_due(
            _local_date(case.seized_at), extended=case.seizure_extended
        )
    return dues


@transaction.atomic
def case_deadlines_recount(*, case: Case, actor: Account | None = None) -> bool:
    """Count a case's provisional deadlines again on the calendar as it is now — after the year's
    holiday notice (国务院办公厅关于放假安排的通知) was entered — and record what changed.

    A deadline counted into a year whose holidays were not yet published was provisional (the
    weekday rule, marked on the case). Guarantees: nothing is written for a case that is not
    provisional or archived; otherwise the changed deadlines, the provisional mark and the
    calendar version are saved and one ``case.deadlines_recount`` entry records them before and
    after (replayed like any step). Whether the case changed.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not locked.deadlines_provisional or locked.state == Case.State.ARCHIVED:
        return False
    dues = _recounted(locked)
    changes: dict[str, Any] = {
        name: due.on for name, due in dues.items() if getattr(locked, name) != due.on
    }
    still = any(due.provisional for due in dues.values())
    if not changes and still:
        return False  # the year the deadlines reach is still unpublished
    changes["deadlines_provisional"] = still
    changes["calendar_version"] = current_calendar().version
    before = case_plain(locked, list(changes))
    for name, value in changes.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(changes))
    record_append(
        actor_id=None if actor is None else actor.pk,
        actor_name="系统" if actor is None else _actor_name(actor),
        role="system" if actor is None else actor.role,
        action=DEADLINES_RECOUNT_ACTION,
        payload={"before": before, "case": case_plain(locked, list(changes))},
        case_id=locked.pk,
    )
    case.refresh_from_db()
    return True


@dataclass(frozen=True)
class DeadlinesRecount:
    """What ``cases_deadlines_recount`` did: provisional cases seen, changed, still provisional."""

    total: int
    changed: int
    left: int

    def __str__(self) -> str:
        return gettext(
            "暂定期限的案件%(total)s件，重新计算后变更%(changed)s件，仍为暂定%(left)s件。"
        ) % {"total": self.total, "changed": self.changed, "left": self.left}


def cases_deadlines_recount(*, actor: Account | None = None) -> DeadlinesRecount:
    """``case_deadlines_recount`` for every case with provisional deadlines (``zhifa
    recount-deadlines`` and the daily job). Each case is its own transaction, so a long run holds
    no lock for long and a failure keeps the cases already recounted (it raises what the failing
    case raised; running again continues where it stopped)."""
    from .selectors import cases_with_provisional_deadlines

    changed = total = 0
    for case in cases_with_provisional_deadlines().order_by("pk").iterator(chunk_size=500):
        total += 1
        changed += case_deadlines_recount(case=case, actor=actor)
    return DeadlinesRecount(total, changed, cases_with_provisional_deadlines().count())


# -- 不予处罚 (《行政处罚法》第三十三条): lists, the party's history, the education --------------


def _leniency_checked(
    case: Case, ground: str, reason: str, list_item: int | None, conditions: Sequence[str]
) -> dict[str, Any]:
    """The 第三十三条第一款 checks of ``case_not_penalise``; what was checked, for the record."""
    if ground not in (
        Case.NotPenalisedGround.FIRST_VIOLATION,
        Case.NotPenalisedGround.MINOR_CORRECTED,
    ):
        return {}
    out: dict[str, Any] = {}
    if ground == Case.NotPenalisedGround.FIRST_VIOLATION:
        checks = history.case_history(case, law_history.FIRST_VIOLATION)
        found = [leniency.violation_line(v) for c in checks for v in c.found]
        guards.first_violation_clear(
            found=found, source=history.lookback(law_history.FIRST_VIOLATION).source
        )
        credit = leniency.credit_check(case)
        guards.credit_check_confirmed(
            confirmed=credit is not None and bool(credit.data.get("none_found"))
        )
        assert credit is not None
        out["history"] = [c.summary for c in checks]
        out["credit_check"] = {"step": credit.pk, "on": credit.on, **credit.data}
    if list_item is None:
        guards.outside_list_reasoned(reason=reason)
        out["list_item"] = None
        return out
    item = LenientListItem.objects.filter(pk=list_item, status="published").first()
    applies = item is not None and item in leniency.list_items_for(case)
    guards.list_item_fits(
        kind=item.kind if item else "",
        ground=ground,
        applies=applies,
        label=item.violation if item else str(list_item),
    )
    assert item is not None
    ticked = {str(c) for c in conditions}
    guards.list_conditions_met(
        missing=[c for i, c in enumerate(item.conditions) if str(i) not in ticked]
    )
    out["list_item"] = leniency.item_plain(item)
    out["conditions"] = list(item.conditions)
    return out


def _education_checked(case: Case, move: transitions.Move) -> None:
    if transitions.EDUCATION in move.preconditions:
        guards.education_given(
            ground=case.end_ground,
            educated=CaseStep.objects.filter(case=case, kind=CaseStep.Kind.EDUCATION).exists(),
        )


@transaction.atomic
def case_credit_check_record(
    *,
    actor: Account,
    case: Case,
    on: date,
    checked_by: str,
    seen: str,
    none_found: bool,
    late_reason: str = "",
) -> Case:
    """Record what the 国家企业信用信息公示系统 showed of the party's record (who looked, on
    which day, what was seen, whether a similar violation was shown): the deployment sees only
    its own cases, so 首违不罚 needs this confirmation (see ``case_not_penalise``)."""
    case, move = _begin(actor, case, "case_credit_check_record", on=on, late_reason=late_reason)
    if not checked_by.strip() or not seen.strip():
        raise RuleViolation("须写明查询人和查询所见内容", field="seen")
    step, row = _step_create(
        case,
        actor,
        CaseStep.Kind.CREDIT_CHECK,
        on=on,
        summary=seen,
        data={"checked_by": checked_by.strip(), "seen": seen.strip(), "none_found": none_found},
    )
    _link(step, _commit(actor, case, move, when={"on": on}, data={"step": row}))
    return case


@transaction.atomic
def case_education_record(
    *,
    actor: Account,
    case: Case,
    on: date,
    method: str,
    content: str,
    late_reason: str = "",
) -> Case:
    """第三十三条第三款: the party not punished is educated — what it was told, when, how."""
    case, move = _begin(actor, case, "case_education_record", on=on, late_reason=late_reason)
    if not method.strip() or not content.strip():
        raise RuleViolation(
            "须写明教育的方式和告知当事人的内容", article=penalty.article("三十三"), field="content"
        )
    step, row = _step_create(
        case,
        actor,
        CaseStep.Kind.EDUCATION,
        on=on,
        summary=content,
        data={"method": method.strip(), "content": content.strip()},
    )
    _link(step, _commit(actor, case, move, when={"on": on}, data={"step": row}))
    return case
