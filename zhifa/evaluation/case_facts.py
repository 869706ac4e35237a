"""One case's facts for the record checks (``checks_record.py``), read once per file.

Read only, through the other apps' models and their own definitions: the case row and its
parties, officers, steps (with their acting officers), extensions and documents (cases); the
acting officers' enforcement certificates with their status history and domains (registry); the
case's record entries (record); its review rounds and major-decision assessments (review);
its publication (publicity); its evidence uploads (record). A constant number of queries per
case (about fifteen, whatever the number of entries or documents: ``tests/test_checks_facts``
counts them), so that proposing the scores of a file stays well under the issue's 200 ms.

The days the rules compare with that need the statutory calendar (the 立案 period from the
clue, the 7 working days before a hearing, the archive period after 结案) are counted here, so
that the checks themselves stay pure.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone

from zhifa.alerts.facts import Interval, certificate_valid_intervals
from zhifa.approvals.deadlines import (
    DEFAULT_REGISTER_SOURCE,
    DEFAULT_REGISTER_WORKDAYS,
    register_period,
)
from zhifa.cases.models import Case, CaseDocument, CaseOfficer, CaseStep, Extension, Party
from zhifa.cases.services import hearing_thresholds
from zhifa.core.calendar import counted, current_calendar
from zhifa.core.exceptions import CalendarUnknown
from zhifa.core.time_limits import TimeLimit, time_limit
from zhifa.core.workdays import WorkdayCalendar
from zhifa.law import penalty
from zhifa.law.periods import deadline
from zhifa.publicity.models import Publication
from zhifa.record.models import Entry, EvidenceUpload
from zhifa.record.upload_limits import is_audio_video
from zhifa.registry.models import Certificate, CertificateStatusChange, PowerItem
from zhifa.review.models import Assessment, ReviewDispute, Submission

ARCHIVE_LIMIT = "evaluation.archive_after_close"  # a core.time_limits row (checks_record.ROWS)

# Record actions of a reading of the file (调阅): an evidence file or audio/video opened in the
# case workspace, a supervisor's 调阅 of the file, an evaluation reviewer's opening.
READ_ACTIONS = ("evidence.view", "supervision.matter.case_file_read", "evaluation.file.read")


@dataclass(frozen=True)
class EntryFact:
    seq: int
    action: str
    role: str
    actor_name: str
    on: date | None  # the day the payload states (``on``), else the day it was recorded
    data: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class StepFact:
    id: int
    kind: str
    label: str
    on: date
    entry_seq: int | None
    officer_ids: tuple[int, ...]
    files: int  # attached evidence files
    data: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class CertificateFact:
    officer_id: int
    number: str
    valid: tuple[Interval, ...]  # the days it was 有效 (status history applied), both included
    domain_codes: frozenset[str]


@dataclass(frozen=True)
class DocumentFact:
    id: int
    kind: str
    title: str
    number: str
    version: int
    generated_on: date
    entry_seq: int
    step_id: int | None


@dataclass(frozen=True)
class RoundFact:
    round: int
    state: str
    submitted_on: date
    concluded_on: date | None
    agreed: bool
    outcome_label: str
    accepted: bool  # 同意, or the head's / collective's decision upholding the proposal
    entry_seq: int
    opinion_entry_seq: int | None


@dataclass(frozen=True)
class AssessmentFact:
    on: date
    major: bool
    reasons: tuple[str, ...]
    entry_seq: int


@dataclass(frozen=True)
class ExtensionFact:
    kind: str
    label: str
    approved_on: date
    previous_deadline: date | None
    new_deadline: date
    collective_discussion: bool


@dataclass(frozen=True)
class PublicationFact:
    id: int
    state: str
    state_label: str
    due_on: date
    published_on: date | None
    on_time: bool | None
    hold_reason: str


@dataclass(frozen=True)
class UploadFact:
    name: str
    media_type: str
    ended_at: datetime | None
    uploaded_at: datetime
    late: bool
    entry_seq: int


@dataclass(frozen=True)
class PowerVersionFact:
    version: int
    status: str
    published_on: date | None


@dataclass(frozen=True)
class CaseFacts:
    """What the checks read of one case, as the record stands on ``on``."""

    on: date
    case: Case  # the row, with agency, domain and power_item loaded (read its fields only)
    parties: tuple[tuple[str, str], ...]  # (kind, name)
    officers: dict[int, str]  # officer id -> name (assigned or acting)
    assigned: tuple[int, ...]  # the assigned officers (承办人员)
    certificates: tuple[CertificateFact, ...]  # the enforcement certificates of those officers
    steps: tuple[StepFact, ...]
    entries: tuple[EntryFact, ...]
    documents: tuple[DocumentFact, ...]
    rounds: tuple[RoundFact, ...]
    assessments: tuple[AssessmentFact, ...]
    extensions: tuple[ExtensionFact, ...]
    publication: PublicationFact | None
    uploads: tuple[UploadFact, ...]
    power_versions: tuple[PowerVersionFact, ...]  # every version of the case's power item code
    # days counted on the statutory calendar
    register_due: date | None  # the last day of the 立案 period (from the clue)
    register_period_text: str
    hearing_notice_ok: bool | None  # 第六十四条: the notice 7 working days before the hearing
    hearing_right_due: bool | None  # 第六十三条 applies to the penalty decided (None: undecided)
    archive_due: date | None  # 结案 + the archive period
    archive_limit_text: str
    reads: tuple[EntryFact, ...] = ()  # 调阅 entries

    def first_entry(self, *actions: str) -> EntryFact | None:
        return next((e for e in self.entries if e.action in actions), None)

    def last_entry(self, *actions: str) -> EntryFact | None:
        return next((e for e in reversed(self.entries) if e.action in actions), None)

    def documents_of(self, *kinds: str) -> list[DocumentFact]:
        return [d for d in self.documents if d.kind in kinds]

    def steps_of(self, *kinds: str) -> list[StepFact]:
        return [s for s in self.steps if s.kind in kinds]


def _entry_fact(entry: Entry) -> EntryFact:
    raw = json.loads(bytes(entry.leaf))
    payload = raw.get("payload") or {}
    if not isinstance(payload, dict):
        payload = {}
    on: date | None = None
    value = payload.get("on")
    if isinstance(value, str):
        try:
            on = date.fromisoformat(value[:10])
        except ValueError:
            on = None
    if on is None:
        recorded = raw.get("recorded_at")
        if isinstance(recorded, str):
            on = timezone.localtime(datetime.fromisoformat(recorded)).date()
    return EntryFact(
        seq=int(entry.seq),
        action=entry.action,
        role=str(raw.get("role") or ""),
        actor_name=str(raw.get("actor_name") or ""),
        on=on,
        data=payload,
    )


def _counted(cal: WorkdayCalendar, count: Callable[[WorkdayCalendar], date], year: int) -> date:
    """``count`` on the calendar read once for the file; where it reaches a year whose holidays
    are not entered, the provisional count of ``core.calendar.counted``."""
    try:
        return count(cal)
    except CalendarUnknown:
        return counted(count, from_year=year)[0]


def _register_due(case: Case, cal: WorkdayCalendar) -> tuple[date | None, str]:
    period = register_period(
        int(getattr(settings, "ZHIFA_REGISTER_WORKDAYS", DEFAULT_REGISTER_WORKDAYS)),
        str(getattr(settings, "ZHIFA_REGISTER_SOURCE", DEFAULT_REGISTER_SOURCE)),
    )
    text = f"自线索登记之日起{period.length}个工作日（依据：{period.article}）"
    if case.kind != Case.Kind.PENALTY_GENERAL:
        return None, text
    due = _counted(cal, lambda c: deadline(period, case.clue_on, c), case.clue_on.year)
    return due, text


def _hearing_right_due(
    case: Case, parties: list[Party], thresholds: penalty.HearingThresholds
) -> bool | None:
    if case.decided_on is None or not case.penalty_kinds:
        return None
    kinds = []
    for k in case.penalty_kinds:
        try:
            kinds.append(penalty.PenaltyKind(k))
        except ValueError:
            continue
    seized = (case.confiscation or Decimal(0)) + (case.confiscated_property_value or Decimal(0))
    return any(
        penalty.hearing_right(
            penalty.PartyKind(p.kind), kinds, case.fine or Decimal(0), seized, thresholds
        )
        for p in parties
    )


CHUNK = 500  # cases per batch of reads (IN lists below SQLite's 999 variables)


def _certificates(officer_ids: set[int], on: date) -> dict[int, list[CertificateFact]]:
    """Per officer, the enforcement certificates with the days each was valid up to ``on``."""
    out: dict[int, list[CertificateFact]] = defaultdict(list)
    if not officer_ids:
        return out
    certs = list(
        Certificate.objects.filter(officer_id__in=officer_ids, kind=Certificate.Kind.ENFORCEMENT)
        .prefetch_related("domains")
        .order_by("id")
    )
    history: dict[int, dict[date, str]] = defaultdict(dict)
    for cert_id, effective_on, to_status in (
        CertificateStatusChange.objects.filter(certificate__in=[c.pk for c in certs])
        .values_list("certificate_id", "effective_on", "to_status")
        .order_by("certificate_id", "effective_on", "changed_at", "id")
    ):
        history[cert_id][effective_on] = to_status  # the last change of a day wins
    for c in certs:
        out[c.officer_id].append(
            CertificateFact(
                officer_id=c.officer_id,
                number=c.number,
                valid=tuple(
                    certificate_valid_intervals(
                        issued_on=c.issued_on,
                        expires_on=c.expires_on,
                        history=sorted(history.get(c.pk, {}).items()),
                        status=c.status,
                        until=on,
                    )
                ),
                domain_codes=frozenset(d.code for d in c.domains.all()),
            )
        )
    return out


def case_facts(case_id: int, *, on: date) -> CaseFacts:
    """The facts of case ``case_id`` as the record stands on ``on``: steps, entries,
    documents, review rounds, assessments, extensions and uploads dated after ``on`` are left
    out, so that a file proposed on a day is proposed the same way later; the case row itself
    is read as it stands (its dates say when each step happened)."""
    found = case_facts_many([case_id], on=on)
    if case_id not in found:
        raise Case.DoesNotExist(f"case {case_id} does not exist")
    return found[case_id]


def case_facts_many(case_ids: Iterable[int], *, on: date) -> dict[int, CaseFacts]:
    """The facts of many cases at once (a campaign's files pre-scored): the same reads as for
    one case, each over a batch of ``CHUNK`` cases — about twenty queries a batch."""
    ids = sorted(set(case_ids))
    cal = current_calendar()  # read once: every count of the batch uses it
    thresholds = hearing_thresholds()
    limit = time_limit(ARCHIVE_LIMIT)
    out: dict[int, CaseFacts] = {}
    for i in range(0, len(ids), CHUNK):
        out.update(_gather(ids[i : i + CHUNK], on, cal, thresholds, limit))
    return out


def _by_case(rows: Iterable[Any], key: str = "case_id") -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[getattr(row, key)].append(row)
    return grouped


def _gather(
    ids: list[int],
    on: date,
    cal: WorkdayCalendar,
    thresholds: penalty.HearingThresholds,
    limit: TimeLimit,
) -> dict[int, CaseFacts]:
    cases = list(Case.objects.filter(pk__in=ids).select_related("agency", "domain", "power_item"))
    parties = _by_case(Party.objects.filter(case_id__in=ids).order_by("id"))
    assignments = _by_case(
        CaseOfficer.objects.filter(case_id__in=ids).select_related("officer").order_by("id")
    )
    step_rows = _by_case(
        CaseStep.objects.filter(case_id__in=ids, on__lte=on)
        .prefetch_related("officers")
        .order_by("on", "id")
    )
    entry_rows = _by_case(Entry.objects.filter(case_id__in=ids).order_by("seq"))
    documents = _by_case(
        CaseDocument.objects.filter(case_id__in=ids, generated_on__lte=on).order_by(
            "generated_on", "id"
        )
    )
    round_rows = _by_case(
        Submission.objects.filter(case_id__in=ids, submitted_on__lte=on).order_by("round")
    )
    upheld = set(
        ReviewDispute.objects.filter(
            submission__case_id__in=ids,
            state=ReviewDispute.State.RESOLVED,
            resolution=ReviewDispute.Resolution.PROPOSAL_UPHELD,
        ).values_list("submission_id", flat=True)
    )
    assessments = _by_case(
        Assessment.objects.filter(case_id__in=ids, on__lte=on).order_by("on", "id")
    )
    extensions = _by_case(
        Extension.objects.filter(case_id__in=ids, approved_on__lte=on).order_by("approved_on", "id")
    )
    publications: dict[int, Publication] = {}
    for pub in Publication.objects.filter(
        case_id__in=ids, source=Publication.Source.DECISION
    ).order_by("id"):
        assert pub.case_id is not None
        publications[pub.case_id] = pub  # the latest
    uploads = _by_case(EvidenceUpload.objects.filter(case_id__in=ids).order_by("entry_seq"))
    codes = {(c.power_item.agency_id, c.power_item.code) for c in cases}
    versions: dict[tuple[int, str], list[PowerVersionFact]] = defaultdict(list)
    for agency, code, v, status, published in (
        PowerItem.objects.filter(
            agency_id__in={a for a, _ in codes}, code__in={c for _, c in codes}
        )
        .values_list("agency_id", "code", "version", "status", "published_on")
        .order_by("version")
    ):
        if (agency, code) in codes:
            versions[(agency, code)].append(PowerVersionFact(v, status, published))
    officer_ids = {a.officer_id for rows in assignments.values() for a in rows}
    officer_ids |= {o.pk for rows in step_rows.values() for s in rows for o in s.officers.all()}
    certificates = _certificates(officer_ids, on)
    out: dict[int, CaseFacts] = {}
    for case in cases:
        out[case.pk] = _facts(
            case,
            on,
            cal,
            thresholds,
            limit,
            parties=parties.get(case.pk, []),
            assignments=assignments.get(case.pk, []),
            step_rows=step_rows.get(case.pk, []),
            entry_rows=entry_rows.get(case.pk, []),
            documents=documents.get(case.pk, []),
            round_rows=round_rows.get(case.pk, []),
            upheld=upheld,
            assessments=assessments.get(case.pk, []),
            extensions=extensions.get(case.pk, []),
            publication=publications.get(case.pk),
            uploads=uploads.get(case.pk, []),
            versions=versions.get((case.power_item.agency_id, case.power_item.code), []),
            certificates=certificates,
        )
    return out


def _facts(
    case: Case,
    on: date,
    cal: WorkdayCalendar,
    thresholds: penalty.HearingThresholds,
    limit: TimeLimit,
    *,
    parties: list[Party],
    assignments: list[CaseOfficer],
    step_rows: list[CaseStep],
    entry_rows: list[Entry],
    documents: list[CaseDocument],
    round_rows: list[Submission],
    upheld: set[int],
    assessments: list[Assessment],
    extensions: list[Extension],
    publication: Publication | None,
    uploads: list[EvidenceUpload],
    versions: list[PowerVersionFact],
    certificates: dict[int, list[CertificateFact]],
) -> CaseFacts:
    officers: dict[int, str] = {a.officer_id: a.officer.name for a in assignments}
    steps = []
    for s in step_rows:
        acting = sorted(o.pk for o in s.officers.all())
        for o in s.officers.all():
            officers.setdefault(o.pk, o.name)
        steps.append(
            StepFact(
                id=s.pk,
                kind=s.kind,
                label=s.get_kind_display(),
                on=s.on,
                entry_seq=s.entry_seq,
                officer_ids=tuple(acting),
                files=len(s.evidence or []),
                data=dict(s.data or {}),
            )
        )
    entries = tuple(
        e for e in (_entry_fact(row) for row in entry_rows) if e.on is None or e.on <= on
    )
    pub = publication
    register_due, register_text = _register_due(case, cal)
    hearing_ok: bool | None = None
    if case.hearing_notice_on is not None and case.hearing_on is not None:
        hearing_ok = penalty.hearing_notice_in_time(case.hearing_notice_on, case.hearing_on, cal)
    archive_due: date | None = None
    closed = case.closed_on
    if closed is not None:
        n = limit.count
        if limit.unit == "workdays":
            archive_due = _counted(cal, lambda c: c.add_workdays(closed, n), closed.year)
        else:
            archive_due = _counted(cal, lambda c: c.end_of_calendar_period(closed, n), closed.year)
    return CaseFacts(
        on=on,
        case=case,
        parties=tuple((p.kind, p.name) for p in parties),
        officers=officers,
        assigned=tuple(a.officer_id for a in assignments),
        certificates=tuple(c for o in sorted(officers) for c in certificates.get(o, [])),
        steps=tuple(steps),
        entries=entries,
        documents=tuple(
            DocumentFact(
                d.pk, d.kind, d.title, d.number, d.version, d.generated_on, d.entry_seq, d.step_id
            )
            for d in documents
        ),
        rounds=tuple(
            RoundFact(
                s.round,
                s.state,
                s.submitted_on,
                s.concluded_on,
                s.agreed,
                s.outcome_label,
                s.agreed or s.pk in upheld,
                s.entry_seq,
                s.opinion_entry_seq,
            )
            for s in round_rows
        ),
        assessments=tuple(
            AssessmentFact(
                a.on,
                a.major,
                tuple(str(m.get("reason", "")) for m in (a.matches or []) if isinstance(m, dict)),
                a.entry_seq,
            )
            for a in assessments
        ),
        extensions=tuple(
            ExtensionFact(
                x.kind,
                x.get_kind_display(),
                x.approved_on,
                x.previous_deadline,
                x.new_deadline,
                x.collective_discussion,
            )
            for x in extensions
        ),
        publication=(
            PublicationFact(
                pub.pk,
                pub.state,
                pub.get_state_display(),
                pub.due_on,
                pub.published_on if pub.published_on and pub.published_on <= on else None,
                pub.on_time,
                pub.get_hold_reason_display() if pub.hold_reason else "",
            )
            if pub is not None
            else None
        ),
        uploads=tuple(
            UploadFact(u.name, u.media_type, u.ended_at, u.uploaded_at, u.late_upload, u.entry_seq)
            for u in uploads
            if is_audio_video(u.media_type) and timezone.localtime(u.uploaded_at).date() <= on
        ),
        power_versions=tuple(versions),
        register_due=register_due,
        register_period_text=register_text,
        hearing_notice_ok=hearing_ok,
        hearing_right_due=_hearing_right_due(case, parties, thresholds),
        archive_due=archive_due,
        archive_limit_text=f"结案后{limit.text}",
        reads=tuple(e for e in entries if e.action in READ_ACTIONS),
    )
