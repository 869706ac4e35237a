"""Reads of cases. Every list an account sees comes from ``cases_visible_to``.

Scope: an agency's accounts see the agency's cases; a supervisor (or a regional admin) every
case of the agencies in its region; the system administrator all. Parties' personal fields are
only ever read through these scoped querysets.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from zhifa.core.calendar import counted, current_calendar
from zhifa.core.exceptions import CalendarUnknown
from zhifa.law import coercion, licensing, penalty
from zhifa.law.periods import Unit
from zhifa.record.models import Entry, EvidenceFile, EvidenceRef, EvidenceUpload
from zhifa.record.upload_limits import is_audio_video
from zhifa.record.verification import Problem
from zhifa.registry.models import Account, Certificate, Domain, Officer
from zhifa.registry.selectors import is_system_admin, officer_may_act, region_of, system_of

from . import transitions
from .models import Case, CaseOfficer, CaseStep, Extension, Party, PaymentItem

S = Case.State

# States in which the 第六十条 decision limit runs.
DECISION_PENDING = (
    S.REGISTERED,
    S.INVESTIGATING,
    S.CASE_REVIEW,
    S.NOTIFIED,
    S.HEARING_REQUESTED,
    S.HEARING_HELD,
    S.STATEMENT,
)
SEIZURE_RUNNING = (S.EXECUTED, S.EXTENDED, S.EMERGENCY_EXECUTED)
# States in which the fine's payment period (第六十七条) runs; a simple-procedure case is paid
# after it is filed too.
PAYMENT_RUNNING = (S.SERVED, S.EXECUTING, S.FILED)


def cases_visible_to(account: Account) -> QuerySet[Case]:
    """The cases ``account`` may see (none for anonymous or inactive accounts)."""
    qs = Case.objects.all()
    if not account.is_authenticated or not account.is_active:
        return qs.none()
    if is_system_admin(account):
        return qs
    prefix = region_of(account)
    if prefix is not None:
        return qs.filter(agency__division_code__startswith=prefix)
    system = system_of(account)  # a department supervising its own system (条例第四十二条)
    if system is not None:
        return qs.filter(agency_id__in=system)
    if account.agency_id is None:
        return qs.none()
    return qs.filter(agency_id=account.agency_id)


def cases_assigned_to(account: Account) -> QuerySet[Case]:
    """我的案件: the visible cases ``account``'s officer is assigned to (主办 or 协办)."""
    if account.officer_id is None:
        return Case.objects.none()
    assigned = CaseOfficer.objects.filter(officer_id=account.officer_id).values("case_id")
    return cases_visible_to(account).filter(pk__in=assigned)


def cases_with_provisional_deadlines() -> QuerySet[Case]:
    """Cases, archived ones aside, whose deadlines reach a year whose holidays were not yet
    published (counted by the weekday rule): ``case_deadlines_recount`` counts them again."""
    return Case.objects.filter(deadlines_provisional=True).exclude(state=S.ARCHIVED)


def cases_overdue(account: Account, today: date) -> QuerySet[Case]:
    """Visible cases with a deadline passed before ``today``: the decision limit (第六十条),
    service (第六十一条), the hearing-request / statement window with no step taken since,
    payment (第六十七条), filing of an on-the-spot decision (第五十二条), the re-check of a
    rectification, the seizure limit (第二十五条) and the 24-hour emergency approval (第十九条)."""
    start_of_today = datetime.combine(today, time(0), tzinfo=coercion.LOCAL_TIME)
    overdue = (
        Q(state__in=DECISION_PENDING, decision_deadline__lt=today)
        | Q(kind=Case.Kind.PENALTY_GENERAL, state=S.DECIDED, service_deadline__lt=today)
        | Q(state=S.NOTIFIED, hearing_request_deadline__lt=today)
        | Q(state=S.NOTIFIED, statement_deadline__lt=today)
        | Q(
            state__in=PAYMENT_RUNNING,
            payment_due_on__lt=today,
            fine__gt=F("paid_amount"),
            court_applied_on__isnull=True,
        )
        | Q(kind=Case.Kind.PENALTY_SIMPLE, state=S.SERVED, filing_deadline__lt=today)
        | Q(state=S.FINDINGS, inspection_outcome="rectify", rectification_due_on__lt=today)
        | Q(state__in=(S.EXECUTED, S.EXTENDED), seizure_deadline__lt=today)
        | Q(state=S.EMERGENCY_EXECUTED, seized_at__lt=start_of_today - timedelta(hours=24))
    )
    return (
        cases_visible_to(account)
        .filter(overdue)
        .select_related("agency")
        .order_by("agency_id", "id")
    )


@dataclass(frozen=True)
class Countdown:
    """One running deadline of a case: ``remaining`` days in ``unit`` (negative: overdue)."""

    name: str
    due_on: date
    remaining: int
    unit: str
    article: str
    provisional: bool = False

    @property
    def overdue(self) -> bool:
        return self.remaining < 0

    def __str__(self) -> str:
        if self.remaining < 0:
            return f"{self.name}已逾期{-self.remaining}{self.unit}（{self.article}）"
        return f"{self.name}还剩{self.remaining}{self.unit}（{self.article}）"


def _countdown(
    name: str, due_on: date, today: date, unit: Unit, article: str, provisional: bool
) -> Countdown:
    if unit is Unit.WORKING_DAYS:
        try:
            remaining = current_calendar().workdays_between(today, due_on)
        except CalendarUnknown:
            remaining, unit, provisional = (due_on - today).days, Unit.CALENDAR_DAYS, True
    else:
        remaining = (due_on - today).days
    return Countdown(name, due_on, remaining, unit.value, article, provisional)


def deadline_countdown(
    name: str, due_on: date, today: date, unit: Unit, article: str, provisional: bool = False
) -> Countdown:
    """The countdown to ``due_on`` on ``today`` in ``unit`` (working days on the statutory
    calendar; a year not yet published counts calendar days, marked provisional)."""
    return _countdown(name, due_on, today, unit, article, provisional)


def case_deadlines(case: Case, today: date) -> list[Countdown]:
    """The deadlines running for ``case`` on ``today``, soonest first."""
    out: list[Countdown] = []
    p = case.deadlines_provisional

    def add(name: str, due: date | None, unit: Unit, article: str) -> None:
        if due is not None:
            out.append(_countdown(name, due, today, unit, article, p))

    if case.state in DECISION_PENDING:
        add("作出处罚决定", case.decision_deadline, Unit.CALENDAR_DAYS, penalty.article("六十"))
    if case.state == S.NOTIFIED:
        add(
            "要求听证",
            case.hearing_request_deadline,
            Unit.WORKING_DAYS,
            penalty.HEARING_REQUEST.article,
        )
        add("陈述、申辩", case.statement_deadline, Unit.WORKING_DAYS, penalty.article("四十五"))
    if case.state == S.HEARING_REQUESTED and case.hearing_on is not None:
        add("举行听证", case.hearing_on, Unit.CALENDAR_DAYS, penalty.article("六十四"))
    if case.kind == Case.Kind.PENALTY_GENERAL and case.state == S.DECIDED:
        add("送达处罚决定书", case.service_deadline, Unit.WORKING_DAYS, penalty.SERVICE.article)
    if (
        case.state in PAYMENT_RUNNING
        and case.fine
        and case.paid_amount < case.fine
        and case.court_applied_on is None
    ):
        add("缴纳罚款", case.payment_due_on, Unit.CALENDAR_DAYS, penalty.PAYMENT.article)
        if case.served_on is not None and case.payment_due_on and case.payment_due_on < today:
            # Unpaid after the deadline: the window to apply to the court, once it is open.
            first, last, provisional = court_application_window(case)
            if today >= first:  # provisional where the three months reach an unpublished year
                out.append(
                    _countdown(
                        "申请人民法院强制执行",
                        last,
                        today,
                        Unit.CALENDAR_DAYS,
                        coercion.article("五十三"),
                        p or provisional,
                    )
                )
    if case.kind == Case.Kind.PENALTY_SIMPLE and case.state == S.SERVED:
        add("当场处罚备案", case.filing_deadline, Unit.WORKING_DAYS, penalty.article("五十二"))
    if case.state == S.FINDINGS and case.inspection_outcome == "rectify":
        add("整改复查", case.rectification_due_on, Unit.CALENDAR_DAYS, penalty.article("二十八"))
    if case.state in SEIZURE_RUNNING:
        add("查封、扣押期限", case.seizure_deadline, Unit.CALENDAR_DAYS, coercion.article("二十五"))
    if case.kind == Case.Kind.LICENSING:  # 《行政许可法》, working days (第八十二条)
        if case.state == S.ACCEPTED:
            add(
                "作出行政许可决定",
                case.decision_deadline,
                Unit.WORKING_DAYS,
                licensing.DECISION.article,
            )
        if case.state in (S.GRANTED, S.REFUSED):
            add(
                "颁发、送达",
                case.service_deadline,
                Unit.WORKING_DAYS,
                licensing.CERTIFICATE.article,
            )
    return sorted(out, key=lambda c: c.due_on)


def case_next_services(case: Case) -> list[tuple[str, str]]:
    """The services the procedure allows next, as (service name, Chinese label)."""
    return [
        (m.service, transitions.SERVICE_LABELS.get(m.service, m.service))
        for m in transitions.moves_from(case.kind, case.state)
    ]


def case_parties(case: Case) -> QuerySet[Party]:
    return Party.objects.filter(case=case).order_by("id")


def case_officers(case: Case) -> QuerySet[CaseOfficer]:
    return CaseOfficer.objects.filter(case=case).select_related("officer").order_by("role", "id")


def case_steps(case: Case) -> QuerySet[CaseStep]:
    return CaseStep.objects.filter(case=case).prefetch_related("officers").order_by("on", "id")


def case_extensions(case: Case) -> QuerySet[Extension]:
    return Extension.objects.filter(case=case).order_by("approved_on", "id")


@dataclass(frozen=True)
class CaseFile:
    """An evidence file as one case knows it: the name, media type and recording details of
    its upload for this case (or, for a file the case's entries carry without an upload of
    it — a generated document —, of the first entry and the stored file).

    The attribute names are those of ``EvidenceFile``, which the pages already read."""

    sha256: str
    original_name: str
    size: int
    media_type: str
    late_upload: bool = False
    recording_device: str = ""
    officer_name: str = ""
    started_at: datetime | None = None
    ended_at: datetime | None = None
    uploaded_at: datetime | None = None

    @property
    def ref(self) -> EvidenceRef:
        return EvidenceRef(
            sha256=self.sha256, name=self.original_name, size=self.size, media_type=self.media_type
        )

    @property
    def is_audio_video(self) -> bool:
        return is_audio_video(self.media_type)


def _upload_file(upload: EvidenceUpload) -> CaseFile:
    return CaseFile(
        sha256=upload.sha256,
        original_name=upload.name,
        size=upload.size,
        media_type=upload.media_type,
        late_upload=upload.late_upload,
        recording_device=upload.recording_device,
        officer_name=upload.officer_name,
        started_at=upload.started_at,
        ended_at=upload.ended_at,
        uploaded_at=upload.uploaded_at,
    )


def case_evidence_files(case: Case) -> dict[str, CaseFile]:
    """The case's own evidence files, by SHA-256: its uploads (attached to a step or not yet)
    and every file its entries carry (generated documents, files of earlier steps) — and no
    other, whatever hash a request names (gate the case first: not access-checked). Only
    files whose bytes are in the store."""
    own: dict[str, CaseFile] = {
        u.sha256: _upload_file(u) for u in EvidenceUpload.objects.filter(case_id=case.pk)
    }
    carried: dict[str, EvidenceRef] = {}
    for entry in Entry.objects.filter(case_id=case.pk).only("seq", "leaf"):
        for ref in entry.file_refs:
            if ref.sha256 not in own:
                carried.setdefault(ref.sha256, ref)
    stored = EvidenceFile.objects.filter(sha256__in=[*own, *carried])
    out: dict[str, CaseFile] = {}
    for row in stored:
        if row.sha256 in own:
            out[row.sha256] = own[row.sha256]
            continue
        ref = carried[row.sha256]
        out[row.sha256] = CaseFile(
            sha256=row.sha256,
            original_name=ref.name,
            size=row.size,
            media_type=ref.media_type,
            late_upload=row.late_upload,
            recording_device=row.recording_device,
            officer_name=row.officer_name,
            started_at=row.started_at,
            ended_at=row.ended_at,
            uploaded_at=row.uploaded_at,
        )
    return out


# -- replay: the case tables must equal what the record entries say ---


@dataclass
class Replayed:
    """What a case's entries say it is."""

    state: str = ""
    fields: dict[str, Any] | None = None
    parties: dict[int, Any] | None = None
    assignments: dict[int, Any] | None = None
    steps: dict[int, Any] | None = None
    extensions: dict[int, Any] | None = None


def case_replay(entries: Iterable[Entry]) -> Replayed:
    """Rebuild a case from its entries (in ``seq`` order): state, fields and rows."""
    out = Replayed(fields={}, parties={}, assignments={}, steps={}, extensions={})
    assert out.fields is not None and out.parties is not None and out.assignments is not None
    assert out.steps is not None and out.extensions is not None
    for entry in entries:
        if entry.action not in transitions.CASE_ACTIONS:
            continue
        data = entry.data
        if "to" in data:
            out.state = data["to"]
        out.fields.update(data.get("case", {}))
        for row in data.get("parties", []):
            out.parties[row["id"]] = row
        for row in data.get("assignments", []):
            out.assignments[row["id"]] = row
        if "step" in data:
            out.steps[data["step"]["id"]] = data["step"]
        if "extension" in data:
            out.extensions[data["extension"]["id"]] = data["extension"]
    return out


def _compare(
    case_id: int, what: str, replayed: dict[int, Any], actual: dict[int, Any], seq: int | None
) -> Iterator[Problem]:
    for row_id in sorted(set(replayed) | set(actual)):
        if replayed.get(row_id) != actual.get(row_id):
            yield Problem(
                kind="case_replay_mismatch",
                case_id=case_id,
                seq=seq,
                message=f"案件{case_id}的{what}（编号{row_id}）与全过程记录不一致",
            )


def _case_problems(case_id: int, entries: list[Entry], rows: dict[str, Any]) -> Iterator[Problem]:
    from .services import (
        REPLAYED_FIELDS,
        assignment_plain,
        case_plain,
        extension_plain,
        party_plain,
        step_plain,
    )

    last = entries[-1].seq if entries else None
    replayed = case_replay(entries)
    case: Case | None = rows["cases"].get(case_id)
    if case is None:
        yield Problem(
            kind="case_missing",
            case_id=case_id,
            seq=last,
            message=f"案件{case_id}有全过程记录，但案件表中没有该案件",
        )
        return
    assert replayed.fields is not None
    if replayed.state != case.state:
        yield Problem(
            kind="case_replay_mismatch",
            case_id=case_id,
            seq=last,
            message=f"案件{case_id}的状态为“{case.state}”，按记录重放应为“{replayed.state}”",
        )
    actual = case_plain(case, REPLAYED_FIELDS)
    for name in REPLAYED_FIELDS:
        if name in replayed.fields and replayed.fields[name] != actual[name]:
            yield Problem(
                kind="case_replay_mismatch",
                case_id=case_id,
                seq=last,
                message=(
                    f"案件{case_id}的字段{name}为{actual[name]!r}，"
                    f"按记录重放应为{replayed.fields[name]!r}"
                ),
            )
    assert replayed.parties is not None and replayed.assignments is not None
    assert replayed.steps is not None and replayed.extensions is not None
    yield from _compare(
        case_id,
        "当事人",
        replayed.parties,
        {p.pk: party_plain(p) for p in rows["parties"].get(case_id, [])},
        last,
    )
    yield from _compare(
        case_id,
        "承办人员",
        replayed.assignments,
        {a.pk: assignment_plain(a) for a in rows["assignments"].get(case_id, [])},
        last,
    )
    yield from _compare(
        case_id,
        "办案步骤",
        replayed.steps,
        {
            s.pk: step_plain(s, [o.pk for o in s.officers.all()])
            for s in rows["steps"].get(case_id, [])
        },
        last,
    )
    yield from _compare(
        case_id,
        "期限延长记录",
        replayed.extensions,
        {e.pk: extension_plain(e) for e in rows["extensions"].get(case_id, [])},
        last,
    )


def _group(rows: Iterable[Any]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    for row in rows:
        out.setdefault(row.case_id, []).append(row)
    return out


def cases_replay_check(groups: Iterable[tuple[int, list[Entry]]]) -> Iterator[Problem]:
    """The replay checker of ``zhifa verify``: each case's rows against its entries.

    Reads the cases of ``chunk`` groups at a time (five queries per chunk), then reports every
    case row that has no entry at all (a case created behind the log's back).
    """
    seen: set[int] = set()
    iterator = iter(groups)
    while True:
        chunk = list(islice(iterator, 500))
        if not chunk:
            break
        ids = [case_id for case_id, _ in chunk]
        rows: dict[str, Any] = {
            "cases": Case.objects.in_bulk(ids),
            "parties": _group(Party.objects.filter(case_id__in=ids)),
            "assignments": _group(CaseOfficer.objects.filter(case_id__in=ids)),
            "steps": _group(CaseStep.objects.filter(case_id__in=ids).prefetch_related("officers")),
            "extensions": _group(Extension.objects.filter(case_id__in=ids)),
        }
        for case_id, entries in chunk:
            ours = [e for e in entries if e.action in transitions.CASE_ACTIONS]
            if ours:
                seen.add(case_id)
                yield from _case_problems(case_id, ours, rows)
    for case_id in Case.objects.values_list("id", flat=True).iterator(chunk_size=5000):
        if case_id not in seen:
            yield Problem(
                kind="case_unrecorded",
                case_id=case_id,
                message=f"案件{case_id}没有任何全过程记录",
            )


# The head's approvals that move a case along its main path; a case waits in the head's queue
# in any state from which one of them is allowed (see ``cases_awaiting_head``).
APPROVAL_SERVICES = (
    "case_register",
    "case_decide",
    "case_close",
    "case_archive",
    "case_seizure_approve",
    "case_seizure_ratify",
)


def _awaiting_head(today: date) -> Q:
    """Cases whose next step on the main path is a head's approval (APPROVAL_SERVICES), in a
    state from which the transition table allows it; a notified case only once the party's
    periods have run, a served one once the fine is settled, an inspection only without an
    open rectification order."""
    waiting = Q(pk__in=[])
    for kind in transitions.TRANSITIONS:
        states = set().union(*(transitions.states_where(kind, s) for s in APPROVAL_SERVICES))
        if states:
            waiting |= Q(kind=kind, state__in=sorted(states))
    waiting &= ~Q(state=Case.State.NOTIFIED) | (
        Q(statement_deadline__lt=today)
        & (Q(hearing_request_deadline__isnull=True) | Q(hearing_request_deadline__lt=today))
    )
    waiting &= ~Q(
        state__in=(Case.State.SERVED, Case.State.EXECUTING), kind=Case.Kind.PENALTY_GENERAL
    ) | (
        (
            (Q(fine__isnull=True) | Q(paid_amount__gte=F("fine")))
            & Q(paid_late_fee__gte=F("late_fee"))
            & (Q(confiscation__isnull=True) | Q(paid_confiscation__gte=F("confiscation")))
        )
        | Q(court_applied_on__isnull=False)
    )
    waiting &= ~Q(state=Case.State.FINDINGS) | ~Q(inspection_outcome=Case.InspectionOutcome.RECTIFY)
    return waiting


def cases_awaiting_head(qs: QuerySet[Case], today: date) -> QuerySet[Case]:
    """The head's approval queue within ``qs`` (a visible queryset), oldest clue first."""
    return qs.filter(_awaiting_head(today)).order_by("clue_on", "id")


def cases_search(
    qs: QuerySet[Case], *, q: str = "", kind: str = "", state: str = ""
) -> QuerySet[Case]:
    """Narrow a visible queryset: number or title (contains) or a party's name (contains)."""
    if q:
        party = Party.objects.filter(case=OuterRef("pk"), name__icontains=q)
        qs = qs.filter(Q(number__icontains=q) | Q(title__icontains=q) | Exists(party))
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    return qs


# -- officers who may not act ------------------------------------------------------------------


def officers_unable_to_act(
    officers: Iterable[Officer], on: date, *, domain: Domain | None = None, region: str = ""
) -> dict[int, str]:
    """For each of ``officers`` who may not act on ``on`` (《行政处罚法》第四十二条), why — in
    ``domain`` when the case's is known (``officer_may_act``: certificate, scope, training),
    else whether any certificate is valid that day (the new-case form, before the power item
    says the domain). The pickers and the workspace warn with it; the services refuse."""
    officers = list(officers)
    if domain is not None:
        out: dict[int, str] = {}
        for officer in officers:
            answer = officer_may_act(officer, domain, on, region=region or None)
            if not answer.allowed:
                out[officer.pk] = "；".join(answer.reasons)
        return out
    certificates: dict[int, list[Certificate]] = {}
    for c in Certificate.objects.filter(officer__in=officers).order_by("-expires_on", "pk"):
        certificates.setdefault(c.officer_id, []).append(c)
    out = {}
    for officer in officers:
        held = certificates.get(officer.pk, [])
        if any(
            c.status == Certificate.Status.VALID
            and (c.issued_on is None or c.issued_on <= on)
            and (c.expires_on is None or on <= c.expires_on)
            for c in held
        ):
            continue
        expired = [c for c in held if c.expires_on is not None and c.expires_on < on]
        out[officer.pk] = (
            f"执法证已于{expired[0].expires_on:%Y-%m-%d}过期" if expired else "无有效执法证"
        )
    return out


# -- money: the amounts decided, what was paid of each, the 第七十二条 surcharge ---------


FEN = Decimal("0.01")


@dataclass(frozen=True)
class MoneyLine:
    """One amount of a decision: what is due, what was paid, what is still outstanding."""

    item: str  # a PaymentItem value
    label: str
    due: Decimal
    paid: Decimal

    @property
    def outstanding(self) -> Decimal:
        return max(Decimal(0), self.due - self.paid).quantize(FEN)


@dataclass(frozen=True)
class ScheduledPart:
    """One instalment of the fine's schedule and how much of it is paid (earliest first)."""

    due_on: date
    amount: Decimal
    paid: Decimal

    @property
    def outstanding(self) -> Decimal:
        return max(Decimal(0), self.amount - self.paid).quantize(FEN)


@dataclass(frozen=True)
class CaseMoney:
    """The money of a case on a day: one line per payable amount (罚款, 没收违法所得,
    加处罚款 counted to that day), the confiscated property (not paid: handed over), and the
    schedule of the fine (one part, or the approved deferral or instalments)."""

    lines: tuple[MoneyLine, ...]
    property_description: str
    property_value: Decimal | None
    schedule: tuple[ScheduledPart, ...]
    on: date

    def line(self, item: str) -> MoneyLine | None:
        return next((line for line in self.lines if line.item == item), None)

    @property
    def outstanding(self) -> Decimal:
        return sum((line.outstanding for line in self.lines), Decimal(0))

    @property
    def any(self) -> bool:
        return bool(self.lines or self.property_description)


def _payment_steps(case: Case) -> list[CaseStep]:
    return list(CaseStep.objects.filter(case=case, kind=CaseStep.Kind.PAYMENT).order_by("on", "id"))


def _fine_payments(steps: Iterable[CaseStep]) -> list[tuple[date, Decimal]]:
    # A payment recorded before amounts were kept apart carries no item: it was the fine's.
    return [
        (s.on, Decimal(str(s.data.get("amount", 0))))
        for s in steps
        if s.data.get("item", PaymentItem.FINE) == PaymentItem.FINE
    ]


def _payment_arrangement(case: Case) -> Extension | None:
    return (
        Extension.objects.filter(
            case=case,
            kind__in=(Extension.Kind.PAYMENT_DEFERRAL, Extension.Kind.PAYMENT_INSTALMENT),
        )
        .order_by("-approved_on", "-id")
        .first()
    )


def _fine_schedule(
    case: Case, steps: Iterable[CaseStep]
) -> tuple[list[penalty.Instalment], list[tuple[date, Decimal]], Decimal]:
    """The fine's instalments, the payments that count against them and the surcharge carried
    from before the latest arrangement (第六十六条)."""
    fine = case.fine or Decimal(0)
    payments = _fine_payments(steps)
    arrangement = _payment_arrangement(case)
    if arrangement is None:
        if case.payment_due_on is None:
            return [], payments, Decimal(0)
        return [penalty.Instalment(case.payment_due_on, fine)], payments, Decimal(0)
    skip = arrangement.paid_before  # paid before the arrangement: not part of its schedule
    later: list[tuple[date, Decimal]] = []
    for on, amount in payments:
        used = min(skip, amount)
        skip -= used
        if amount > used:
            later.append((on, amount - used))
    if arrangement.kind == Extension.Kind.PAYMENT_INSTALMENT and arrangement.instalments:
        parts = [
            penalty.Instalment(date.fromisoformat(str(p["on"])), Decimal(str(p["amount"])))
            for p in arrangement.instalments
        ]
    else:
        parts = [penalty.Instalment(arrangement.new_deadline, fine - arrangement.paid_before)]
    return parts, later, arrangement.late_fee_carried


def case_late_fee(case: Case, today: date) -> Decimal:
    """加处罚款 owed on ``today`` (第七十二条), whether or not it was paid
    (``law.penalty.late_fee_owed`` over the fine's schedule)."""
    if not case.fine:
        return Decimal(0)
    parts, payments, carried = _fine_schedule(case, _payment_steps(case))
    if not parts:
        return carried
    return penalty.late_fee_owed(case.fine, parts, payments, today, carried=carried)


def case_money(case: Case, today: date) -> CaseMoney:
    """The amounts of ``case`` on ``today``: due, paid and outstanding for each."""
    steps = _payment_steps(case)
    lines: list[MoneyLine] = []
    if case.fine:
        lines.append(
            MoneyLine(PaymentItem.FINE, PaymentItem.FINE.label, case.fine, case.paid_amount)
        )
    if case.confiscation:
        lines.append(
            MoneyLine(
                PaymentItem.CONFISCATION,
                PaymentItem.CONFISCATION.label,
                case.confiscation,
                case.paid_confiscation,
            )
        )
    schedule: list[ScheduledPart] = []
    if case.fine:
        parts, payments, carried = _fine_schedule(case, steps)
        fee = (
            penalty.late_fee_owed(case.fine, parts, payments, today, carried=carried)
            if parts
            else carried
        )
        if fee or case.paid_late_fee:
            lines.append(
                MoneyLine(PaymentItem.LATE_FEE, PaymentItem.LATE_FEE.label, fee, case.paid_late_fee)
            )
        left = sum((a for _, a in payments), Decimal(0))
        for part in sorted(parts, key=lambda p: p.due_on):
            paid = min(left, part.amount)
            left -= paid
            schedule.append(
                ScheduledPart(part.due_on, part.amount.quantize(FEN), paid.quantize(FEN))
            )
    return CaseMoney(
        tuple(lines),
        case.confiscated_property,
        case.confiscated_property_value,
        tuple(schedule) if len(schedule) > 1 or _payment_arrangement(case) else (),
        today,
    )


def court_application_window(case: Case) -> tuple[date, date, bool]:
    """First and last day to apply to the court (《行政强制法》第五十三条), counted from
    service, and whether the count is provisional (a year whose holidays are unpublished)."""
    assert case.served_on is not None
    served = case.served_on
    (first, last), provisional = counted(
        lambda calendar: coercion.court_application_window(served, calendar),
        from_year=served.year,
    )
    return first, last, provisional


# Steps about money, offered only while an amount is outstanding.
_MONEY_SERVICES = ("case_payment_record", "case_payment_arrange", "case_court_apply")


@dataclass(frozen=True)
class OfferedStep:
    """A step the workspace offers: ``unavailable`` says why it cannot be taken yet."""

    service: str
    label: str
    unavailable: str = ""


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def case_offered_steps(case: Case, today: date) -> list[OfferedStep]:
    """The next steps worth offering on ``today``: the transition table's, without 登记缴款
    or 暂缓、分期 once everything is paid, and with 申请人民法院强制执行 only while something is
    unpaid — marked unavailable, with the day it opens, until the 复议 and 诉讼 periods have
    passed (《行政强制法》第五十三条). The services refuse the same with the article."""
    steps = case_next_services(case)
    if not any(service in _MONEY_SERVICES for service, _ in steps) and not (
        case.kind in (Case.Kind.PENALTY_GENERAL, Case.Kind.PENALTY_SIMPLE)
        and any(service == "case_close" for service, _ in steps)
    ):
        return [OfferedStep(service, label) for service, label in steps]
    money = case_money(case, today)
    fine_line = money.line(PaymentItem.FINE)
    out: list[OfferedStep] = []
    for service, label in steps:
        if service in _MONEY_SERVICES and money.outstanding <= 0:
            continue
        if service == "case_payment_arrange" and (fine_line is None or fine_line.outstanding <= 0):
            continue
        unavailable = ""
        if service == "case_close" and money.outstanding > 0 and case.court_applied_on is None:
            owed = "、".join(
                f"{line.label}尚欠{line.outstanding}元" for line in money.lines if line.outstanding
            )
            unavailable = (
                f"{owed}：缴清或者申请人民法院强制执行后才能结案"
                f"（{penalty.article('六十七')}、第七十二条）"
            )
        if service == "case_court_apply" and case.served_on is not None:
            first, last, _ = court_application_window(case)
            if today < first:
                unavailable = (
                    f"复议（六十日）、诉讼（六个月）期限届满后仍未履行的，自{_day(first)}起"
                    f"至{_day(last)}可以申请（{coercion.article('五十三')}）"
                )
            elif today > last:
                unavailable = f"申请期限已于{_day(last)}届满（{coercion.article('五十三')}）"
        out.append(OfferedStep(service, label, unavailable))
    return out


def hearings_scheduled(*, region_prefix: str, since: date) -> QuerySet[Case]:
    """Hearings set for ``since`` or later in the agencies of a region, for those who may
    observe them (听证公开举行, 《行政处罚法》第六十四条第三项). Callers show the agency, the case
    number and the day only — never a party or the case's text."""
    return (
        Case.objects.filter(
            state=S.HEARING_REQUESTED,
            hearing_on__gte=since,
            agency__division_code__startswith=region_prefix,
        )
        .select_related("agency")
        .only("pk", "number", "hearing_on", "agency__name", "agency__division_code")
        .order_by("hearing_on", "pk")
    )


# -- case-file evaluation (evaluation app, 《广东省行政执法案卷评查办法》第八条) -----------------

# The states in which an inspection is concluded: its findings are made (or it was rechecked,
# closed, archived); a planned or only inspected case is not yet a file to evaluate.
INSPECTION_CONCLUDED = (S.FINDINGS, S.RECHECKED, S.CLOSED, S.ARCHIVED)


def cases_concluded_between(
    *, agency_ids: Iterable[int], kinds: Iterable[str], start: date, end: date
) -> QuerySet[Case]:
    """The case files an evaluation campaign may take: of ``agency_ids`` and ``kinds``, decided
    between ``start`` and ``end`` (both included) — a penalty or a licence by its decision day,
    an inspection by its inspection day once its findings are made, a seizure by the day it
    was lifted or the goods were dealt with."""
    kinds = list(kinds)
    decided = Q(
        kind__in=[
            k
            for k in kinds
            if k in (Case.Kind.PENALTY_GENERAL, Case.Kind.PENALTY_SIMPLE, Case.Kind.LICENSING)
        ],
        decided_on__gte=start,
        decided_on__lte=end,
    )
    inspected = Q(
        kind=Case.Kind.INSPECTION,
        state__in=INSPECTION_CONCLUDED,
        inspected_on__gte=start,
        inspected_on__lte=end,
    )
    released = Q(kind=Case.Kind.SEIZURE, released_on__gte=start, released_on__lte=end)
    wanted = decided
    if Case.Kind.INSPECTION in kinds:
        wanted |= inspected
    if Case.Kind.SEIZURE in kinds:
        wanted |= released
    return Case.objects.filter(wanted, agency_id__in=list(agency_ids)).order_by("agency_id", "id")
