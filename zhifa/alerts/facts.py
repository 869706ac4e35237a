"""The facts the early-warning rules read, for a whole deployment at once.

The account-scoped selectors of the other apps (``cases_visible_to`` …) answer one person's
question; the warning run reads the province for everyone, so its reads are here, each a few
aggregate or narrow queries shaped for a million cases a year (bench/supervision_bench.py).
They read only — supervisors never change an agency's case, register or publication
(《行政执法监督条例》第八条) — and reuse the other apps' own definitions: the states in which
the 第六十条 limit runs (``cases.selectors.DECISION_PENDING``) and the stored deadlines the
cases app computed (``Case.decision_deadline``), the publication due day the publicity app
computed from ``ZHIFA_PUBLICITY_WORKDAYS`` (``Publication.due_on``), the review app's stored
verdicts (``Assessment``) and rounds, the registry's certificate history and training rule.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery

from zhifa.cases.models import Case, CaseStep, Extension, Party
from zhifa.cases.selectors import DECISION_PENDING
from zhifa.publicity.models import Publication
from zhifa.record.models import Entry
from zhifa.registry.eligibility import TrainingRule
from zhifa.registry.models import (
    Agency,
    Certificate,
    CertificateStatusChange,
    Officer,
    PowerItem,
    TrainingRecord,
    TrainingRequirement,
)
from zhifa.review.models import Assessment, Submission

CHUNK = 900  # ids per IN (…): below SQLite's default 999 variables

PENALTY_KINDS = (Case.Kind.PENALTY_GENERAL, Case.Kind.PENALTY_SIMPLE)


def _chunks(ids: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


# -- what changed since a previous run (incremental evaluation) ------------------------------

StepOfficer = CaseStep.officers.through

# Registry entries after which a rule reading officers' or agencies' names, agencies or
# divisions is evaluated in full (they change what every warning of an agency may say).
REGISTRY_WIDE = (
    "registry.agency.",
    "registry.officer.update",
    "registry.officer.leave",
    "registry.rows.load",
    "registry.baseline",
    "registry.demo.load",
)
CERTIFICATE_ACTIONS = (
    "registry.certificate.register",
    "registry.certificate.issue",
    "registry.certificate.status_change",
)


def high_water_marks() -> dict[str, int]:
    """The last record entry and the last row ids of the tables the incremental rules read."""

    def last(model: Any) -> int:
        return int(model.objects.aggregate(m=Max("pk"))["m"] or 0)

    return {
        "seq": last(Entry),
        "step_officer": last(StepOfficer),
        "certificate": last(Certificate),
        "status_change": last(CertificateStatusChange),
        "party": last(Party),
    }


@dataclass(frozen=True)
class Changes:
    """What the record says changed after a mark: the cases touched (any entry of a case), the
    certificates registered, issued or changed, and whether a registry-wide change happened."""

    cases: frozenset[int]
    certificates: frozenset[int]
    registry_wide: bool


def changes_since(marks: dict[str, int]) -> Changes:
    """Record entries after ``marks["seq"]``: every entry is recorded in the transaction of its
    change (nothing changes unrecorded), so these are the changed cases and registry rows."""
    after = Entry.objects.filter(seq__gt=int(marks.get("seq", 0)))
    cases = frozenset(
        int(c or 0)
        for c in after.filter(case_id__isnull=False)
        .values_list("case_id", flat=True)
        .distinct()
        .order_by()
    )
    certificates: set[int] = set()
    wide = False
    for entry in after.filter(action__startswith="registry.").order_by("seq"):
        action = entry.action
        if action.startswith(REGISTRY_WIDE):
            wide = True
        elif action in CERTIFICATE_ACTIONS:
            ident = entry.data.get("id")
            if ident is None:
                wide = True
            else:
                certificates.add(int(ident))
    return Changes(cases, frozenset(certificates), wide)


def officers_on_steps(
    *,
    cases: Sequence[int] = (),
    new_after: int | None = None,
    dated: Sequence[tuple[date, date]] = (),
) -> set[int]:
    """Officers acting on a step of ``cases``, on a step-officer row after ``new_after``, or
    on a step dated in one of the ``dated`` ranges (both days included)."""
    out: set[int] = set()
    for chunk in _chunks(sorted(cases)):
        out.update(
            StepOfficer.objects.filter(casestep__case_id__in=chunk).values_list(
                "officer_id", flat=True
            )
        )
    if new_after is not None:
        out.update(
            StepOfficer.objects.filter(pk__gt=new_after).values_list("officer_id", flat=True)
        )
    for a, b in dated:
        if a <= b:
            out.update(
                StepOfficer.objects.filter(casestep__on__gte=a, casestep__on__lte=b)
                .values_list("officer_id", flat=True)
                .distinct()
                .order_by()
            )
    return out


def officers_of_certificates(
    *, ids: Sequence[int] = (), new_after: int = 0, changes_after: int = 0
) -> set[int]:
    """Holders of the certificates ``ids``, of certificates after ``new_after`` and of
    certificates with a status change after ``changes_after``."""
    wanted = set(ids)
    wanted.update(
        CertificateStatusChange.objects.filter(pk__gt=changes_after).values_list(
            "certificate_id", flat=True
        )
    )
    out = set(Certificate.objects.filter(pk__gt=new_after).values_list("officer_id", flat=True))
    for chunk in _chunks(sorted(wanted)):
        out.update(Certificate.objects.filter(pk__in=chunk).values_list("officer_id", flat=True))
    return out


def cases_decided_in(ranges: Sequence[tuple[date, date]]) -> set[int]:
    out: set[int] = set()
    for a, b in ranges:
        if a <= b:
            out.update(
                Case.objects.filter(decided_on__gte=a, decided_on__lte=b).values_list(
                    "id", flat=True
                )
            )
    return out


def cases_of_new_parties(after: int) -> set[int]:
    return set(Party.objects.filter(pk__gt=after).values_list("case_id", flat=True))


def party_identifiers(cases: Sequence[int]) -> set[str]:
    """The 统一社会信用代码 and 身份证号 of the parties of ``cases``."""
    out: set[str] = set()
    for chunk in _chunks(sorted(cases)):
        for code, ident in Party.objects.filter(case_id__in=chunk).values_list(
            "credit_code", "id_number"
        ):
            out.update(x for x in (code, ident) if x)
    return out


def identifier_titles(identifiers: Sequence[str]) -> set[tuple[str, str]]:
    """Every (identifier, 案由) pair of a party with one of ``identifiers``, any case, any day
    (indexes ``party_credit_code`` and ``party_id_number``)."""
    out: set[tuple[str, str]] = set()
    for chunk in _chunks(sorted(identifiers)):
        for field in ("credit_code", "id_number"):
            out.update(
                Party.objects.filter(**{f"{field}__in": chunk}).values_list(field, "case__title")
            )
    return out


# -- 第六十条: cases past the decision limit ---------------------------------------------------


@dataclass(frozen=True)
class OverdueCase:
    id: int
    agency_id: int
    division_code: str
    label: str
    deadline: date
    extended_to: date | None  # the approved extension's new deadline, if one was approved


def cases_past_decision_limit(today: date) -> list[OverdueCase]:
    """Cases still awaiting their decision whose stored 第六十条 deadline (with any approved
    extension) is before ``today`` (index ``case_state_decision_dl``)."""
    extension = Extension.objects.filter(
        case=OuterRef("pk"), kind=Extension.Kind.DECISION
    ).order_by("-approved_on", "-id")
    rows = (
        Case.objects.filter(state__in=DECISION_PENDING, decision_deadline__lt=today)
        .annotate(extended_to=Subquery(extension.values("new_deadline")[:1]))
        .values_list(
            "id",
            "agency_id",
            "agency__division_code",
            "number",
            "title",
            "decision_deadline",
            "extended_to",
        )
        .order_by()
    )
    return [
        OverdueCase(pk, agency, division, f"{number or '（未编号）'} {title}", deadline, ext)
        for pk, agency, division, number, title, deadline, ext in rows.iterator(chunk_size=5000)
        if deadline is not None
    ]


# -- decisions published late or not at all ---------------------------------------------------


@dataclass(frozen=True)
class LatePublication:
    id: int
    case_id: int
    agency_id: int
    division_code: str
    label: str
    decided_on: date
    due_on: date
    published_on: date | None  # None: not published (a draft past its due day)


def publications_late_or_missing(since: date, today: date) -> list[LatePublication]:
    """Decisions of ``since``..``today`` whose publication is overdue (a draft past its due
    day) or was late (published after its due day), index ``publication_state_decided``."""
    S = Publication.State
    rows = (
        Publication.objects.filter(decided_on__gte=since, decided_on__lte=today)
        .filter(source=Publication.Source.DECISION)  # supervision results: not decisions
        .filter(
            Q(state=S.DRAFT, due_on__lt=today)
            | Q(state__in=(S.PUBLISHED, S.WITHDRAWN, S.EXPIRED), on_time=False)
        )
        .values_list(
            "id",
            "case_id",
            "agency_id",
            "agency__division_code",
            "decision_number",
            "case__title",
            "decided_on",
            "due_on",
            "published_on",
        )
        .order_by()
    )
    return [
        LatePublication(
            pk, case, agency, division, f"{number or '（无文号）'} {title}", d, due, pub
        )
        for pk, case, agency, division, number, title, d, due, pub in rows.iterator(chunk_size=5000)
    ]


# -- 第五十八条: major decisions made without a legal review -----------------------------------


@dataclass(frozen=True)
class UnreviewedDecision:
    id: int
    agency_id: int
    division_code: str
    label: str
    decided_on: date


def major_decisions_without_review(since: date, today: date) -> list[UnreviewedDecision]:
    """Cases decided in ``since``..``today`` that the review catalog last found major
    (the latest ``Assessment``) and that have no concluded review round dated on or before the
    decision. Starts from the major assessments, a small share of the cases."""
    latest_major = Subquery(
        Assessment.objects.filter(case=OuterRef("pk")).order_by("-id").values("major")[:1]
    )
    reviewed = Submission.objects.filter(
        case=OuterRef("pk"),
        state=Submission.State.CONCLUDED,
        concluded_on__lte=OuterRef("decided_on"),
    )
    rows = (
        Case.objects.filter(
            pk__in=Assessment.objects.filter(major=True).values("case_id"),
            decided_on__gte=since,
            decided_on__lte=today,
        )
        .annotate(latest_major=latest_major)
        .filter(latest_major=True)
        .exclude(Exists(reviewed))
        .values_list("id", "agency_id", "agency__division_code", "number", "title", "decided_on")
        .order_by()
    )
    return [
        UnreviewedDecision(pk, agency, division, f"{number or '（未编号）'} {title}", d)
        for pk, agency, division, number, title, d in rows
        if d is not None
    ]


# -- 第四十二条: officers acting without a certificate valid that day -------------------------

Interval = tuple[date, date]  # both days included


def certificate_valid_intervals(
    *,
    issued_on: date | None,
    expires_on: date | None,
    history: Sequence[tuple[date, str]],
    status: str,
    until: date,
) -> list[Interval]:
    """The days a certificate was valid, up to ``until``: from its issue to its expiry (the
    expiry day itself is valid, ``registry.eligibility``), minus the days its status, by the
    status history's ``effective_on`` (sorted), was other than 有效. Without history the stored
    status is taken for all its days. Pure."""
    if issued_on is None:
        return []
    end = min(expires_on, until) if expires_on is not None else until
    if end < issued_on:
        return []
    changes = sorted(history) or [(issued_on, status)]
    out: list[Interval] = []
    for i, (start, to_status) in enumerate(changes):
        stop = changes[i + 1][0] - timedelta(days=1) if i + 1 < len(changes) else end
        a, b = max(start, issued_on), min(stop, end)
        if to_status == Certificate.Status.VALID and a <= b:
            if out and out[-1][1] >= a - timedelta(days=1):
                out[-1] = (out[-1][0], max(out[-1][1], b))
            else:
                out.append((a, b))
    return out


def gaps(valid: Sequence[Interval], since: date, until: date) -> list[Interval]:
    """The days of ``since``..``until`` covered by none of ``valid``. Pure."""
    out: list[Interval] = []
    cursor = since
    for a, b in sorted(valid):
        if b < cursor:
            continue
        if a > until:
            break
        if a > cursor:
            out.append((cursor, min(a - timedelta(days=1), until)))
        cursor = max(cursor, b + timedelta(days=1))
        if cursor > until:
            break
    if cursor <= until:
        out.append((cursor, until))
    return out


def _valid_days_of_officers(
    today: date, officers: Sequence[int] | None = None
) -> dict[int, list[Interval]]:
    """Per officer: the days any of the officer's enforcement certificates was valid, up to
    ``today`` — every officer's, or those of ``officers``. Reads the enforcement certificates
    and their status history once."""
    certs = Certificate.objects.filter(kind=Certificate.Kind.ENFORCEMENT)
    changes = CertificateStatusChange.objects.filter(certificate__kind=Certificate.Kind.ENFORCEMENT)
    if officers is not None:
        chunks = [list(c) for c in _chunks(sorted(officers))]
        cert_rows = [
            row
            for chunk in chunks
            for row in certs.filter(officer_id__in=chunk)
            .values_list("id", "officer_id", "issued_on", "expires_on", "status")
            .order_by()
        ]
        wanted = [row[0] for row in cert_rows]
        change_rows = [
            row
            for chunk in _chunks(sorted(wanted))
            for row in changes.filter(certificate_id__in=chunk)
            .values_list("certificate_id", "effective_on", "to_status")
            .order_by("certificate_id", "effective_on", "changed_at", "id")
        ]
    else:
        cert_rows = list(
            certs.values_list("id", "officer_id", "issued_on", "expires_on", "status")
            .order_by()
            .iterator(chunk_size=10000)
        )
        change_rows = list(
            changes.values_list("certificate_id", "effective_on", "to_status")
            .order_by("certificate_id", "effective_on", "changed_at", "id")
            .iterator(chunk_size=10000)
        )
    history: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for cert_id, on, to_status in change_rows:
        history[cert_id].append((on, to_status))
    valid: dict[int, list[Interval]] = defaultdict(list)
    for cert_id, officer_id, issued, expires, status in cert_rows:
        # The last change of a day wins (a day with two changes keeps the later one).
        by_day = dict(history.get(cert_id, []))
        valid[officer_id].extend(
            certificate_valid_intervals(
                issued_on=issued,
                expires_on=expires,
                history=sorted(by_day.items()),
                status=status,
                until=today,
            )
        )
    return valid


@dataclass(frozen=True)
class ActingStep:
    officer_id: int
    step_id: int
    on: date
    kind: str
    case_id: int
    case_label: str


def _steps_in_gaps(
    gaps_of: dict[int, list[Interval]], since: date, today: date
) -> tuple[list[tuple[int, int, date, str, int]], dict[int, str]]:
    """(officer, step, day, kind, case) of the steps of ``since``..``today`` that fall in one of
    their officer's ``gaps_of`` days — joined in the database through a temporary table of the
    gaps, so that only those steps leave it (a province's 1.2 million step-officer rows read
    into Python took most of the rule's time)."""
    qn = connection.ops.quote_name
    through = qn(StepOfficer._meta.db_table)
    steps = qn(CaseStep._meta.db_table)
    cases = qn(Case._meta.db_table)
    table = qn("alerts_tmp_certificate_gaps")
    rows = [(o, a, b) for o, days in gaps_of.items() for a, b in days]
    out: list[tuple[int, int, date, str, int]] = []
    labels: dict[int, str] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {table} (officer_id bigint NOT NULL, "
            "day_from date NOT NULL, day_to date NOT NULL)"
        )
        try:
            cursor.executemany(
                f"INSERT INTO {table} (officer_id, day_from, day_to) VALUES (%s, %s, %s)",  # noqa: S608
                rows,
            )
            cursor.execute(
                f"SELECT t.officer_id, s.id, s.{qn('on')}, s.kind, s.case_id, "  # noqa: S608
                "c.number, c.title "
                f"FROM {table} g JOIN {through} t ON t.officer_id = g.officer_id "
                f"JOIN {steps} s ON s.id = t.casestep_id JOIN {cases} c ON c.id = s.case_id "
                f"WHERE s.{qn('on')} >= %s AND s.{qn('on')} <= %s "
                f"AND s.{qn('on')} >= g.day_from AND s.{qn('on')} <= g.day_to",
                [since, today],
            )
            for officer, step, on, kind, case, number, title in cursor.fetchall():
                out.append((int(officer), int(step), _day(on), kind, int(case)))
                labels[int(case)] = f"{number or '（未编号）'} {title}"
        finally:
            cursor.execute(f"DROP TABLE {table}")
    return out, labels


def steps_without_valid_certificate(
    since: date, today: date, *, officers: Sequence[int] | None = None
) -> tuple[list[ActingStep], dict[int, list[Interval]]]:
    """The case steps of ``since``..``today`` whose acting officers had, on the step's day, no
    valid enforcement certificate — with those days per officer (the rule checks each step's
    day against them). Every officer's, or those of ``officers`` (an incremental run). The
    cases' labels are read afterwards for the steps kept only."""
    valid = _valid_days_of_officers(today, officers)
    if officers is None:
        acting = set(StepOfficer.objects.values_list("officer_id", flat=True).distinct().order_by())
    else:
        acting = set(officers)
    invalid: dict[int, list[Interval]] = {}
    for officer in acting:
        missing = gaps(valid.get(officer, []), since, today)
        if missing:
            invalid[officer] = missing
    kept: list[tuple[int, int, date, str, int]] = []
    labels: dict[int, str] = {}
    if officers is None:
        kept, labels = _steps_in_gaps(invalid, since, today)
    else:
        for chunk in _chunks(sorted(invalid)):
            for officer, step, on, kind, case in StepOfficer.objects.filter(
                officer_id__in=chunk
            ).values_list(
                "officer_id", "casestep_id", "casestep__on", "casestep__kind", "casestep__case_id"
            ):
                if since <= on <= today and any(a <= on <= b for a, b in invalid[officer]):
                    kept.append((officer, step, on, kind, case))
    for chunk in _chunks(sorted({row[4] for row in kept} - set(labels))):
        for pk, number, title in Case.objects.filter(pk__in=chunk).values_list(
            "id", "number", "title"
        ):
            labels[pk] = f"{number or '（未编号）'} {title}"
    steps = [
        ActingStep(officer, step, on, kind, case, labels.get(case, ""))
        for officer, step, on, kind, case in kept
    ]
    return steps, {o: invalid[o] for o in {s.officer_id for s in steps}}


def officers_brief(officer_ids: Sequence[int]) -> dict[int, tuple[str, int, str]]:
    """Officer id → (name, agency id, agency division code)."""
    out: dict[int, tuple[str, int, str]] = {}
    if len(officer_ids) > 20 * CHUNK:  # many: one pass over the officers beats IN lists
        wanted = set(officer_ids)
        for pk, name, agency, division in (
            Officer.objects.values_list("id", "name", "agency_id", "agency__division_code")
            .order_by()
            .iterator(chunk_size=20000)
        ):
            if pk in wanted:
                out[pk] = (name, agency, division)
        return out
    for chunk in _chunks(sorted(officer_ids)):
        for pk, name, agency, division in Officer.objects.filter(pk__in=chunk).values_list(
            "id", "name", "agency_id", "agency__division_code"
        ):
            out[pk] = (name, agency, division)
    return out


# -- agencies holding penalty powers with no case in a quarter ---------------------------------


def previous_quarter(today: date) -> tuple[date, date, str]:
    """The last complete calendar quarter before ``today``: its first and last days and its
    name ("2026年第3季度")."""
    current = (today.month - 1) // 3  # 0-based quarter of today
    year, q = (today.year, current - 1) if current else (today.year - 1, 3)
    first = date(year, 3 * q + 1, 1)
    last = date(year, 12, 31) if q == 3 else date(year, 3 * q + 4, 1) - timedelta(days=1)
    return first, last, f"{year}年第{q + 1}季度"


@dataclass(frozen=True)
class AgencyActivity:
    id: int
    name: str
    division_code: str
    cases: int


def penalty_agencies_activity(first: date, last: date) -> list[AgencyActivity]:
    """Active agencies holding a published penalty power item (on ``last``) and announced
    before the quarter ended, with their number of penalty cases opened in ``first``..``last``."""
    holders = PowerItem.objects.filter(
        category=PowerItem.Category.PENALTY,
        status=PowerItem.Status.PUBLISHED,
    ).filter(Q(published_on__isnull=True) | Q(published_on__lte=last))
    agencies = (
        Agency.objects.filter(status=Agency.Status.ACTIVE, pk__in=holders.values("agency_id"))
        .filter(
            Q(qualification_announced_on__isnull=True) | Q(qualification_announced_on__lte=last)
        )
        .values_list("id", "name", "division_code")
        .order_by()
    )
    counts = dict(
        Case.objects.filter(kind__in=PENALTY_KINDS, clue_on__gte=first, clue_on__lte=last)
        .values("agency_id")
        .annotate(n=Count("id"))
        .values_list("agency_id", "n")
        .order_by()
    )
    return [AgencyActivity(pk, name, div, counts.get(pk, 0)) for pk, name, div in agencies]


# -- 第二十九条: one party fined by several agencies for the same facts ------------------------


@dataclass(frozen=True)
class FinedParty:
    identifier: str  # 统一社会信用代码 or 身份证号: never shown, only grouped and hashed
    kind: str
    name: str
    case_id: int
    case_label: str
    agency_id: int
    agency_name: str
    division_code: str
    decided_on: date
    title: str


_FinedRow = tuple[str, str, int, int, str, str, str, str, str, date]
# identifier, 案由, agency, case, party kind, party name, case number, agency name, division,
# decision day


def _fined_in_groups(field: str, since: date, today: date) -> list[_FinedRow]:
    """The fined parties of ``since``..``today`` whose (identifier, 案由) was fined by at least
    two agencies in the period, with what the warning shows: the database groups the period's
    fined parties and returns only the rows of those groups (reading a province's 700,000 rows
    into Python to group them there, then the groups' cases by primary key, took most of the
    rule's time)."""
    qn = connection.ops.quote_name
    party, case = qn(Party._meta.db_table), qn(Case._meta.db_table)
    agency = qn(Agency._meta.db_table)
    col = qn(field)  # "credit_code" or "id_number": a column name of the model, not input
    joined = f"FROM {party} p JOIN {case} c ON c.id = p.case_id"
    where = f"WHERE c.decided_on >= %s AND c.decided_on <= %s AND c.fine > 0 AND p.{col} <> ''"
    fined = f"{joined} {where}"
    sql = (
        f"SELECT p.{col}, c.title, c.agency_id, c.id, p.kind, p.name, c.number, a.name, "
        f"a.division_code, c.decided_on {joined} JOIN {agency} a ON a.id = c.agency_id {where} "
        f"AND (p.{col}, c.title) IN (SELECT p.{col}, c.title {fined} "
        f"GROUP BY p.{col}, c.title HAVING COUNT(DISTINCT c.agency_id) >= 2)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [since, today, since, today])
        return [
            (i, t, int(a), int(c), k, n, num or "", an, div, _day(d))
            for i, t, a, c, k, n, num, an, div, d in cursor.fetchall()
        ]


def _day(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def parties_fined_by_several_agencies(
    since: date, today: date, *, identifiers: Sequence[str] | None = None
) -> list[FinedParty]:
    """Parties fined (a fine above zero) in decisions of ``since``..``today`` by at least two
    different agencies under the same 案由: every party's (a full run: grouped in the
    database), or those with one of ``identifiers`` (an incremental run: read by the
    identifier indexes, grouped here). The party shown is the fined party itself."""
    fined = Party.objects.filter(
        case__decided_on__gte=since, case__decided_on__lte=today, case__fine__gt=0
    )
    groups: dict[tuple[str, str], dict[int, _FinedRow]] = defaultdict(dict)  # → {case: row}
    for field in ("credit_code", "id_number"):
        if identifiers is None:
            rows: Iterable[_FinedRow] = _fined_in_groups(field, since, today)
        else:
            qs = fined.exclude(**{field: ""})
            rows = (
                row
                for c in _chunks(sorted(identifiers))
                for row in qs.filter(**{f"{field}__in": c})
                .values_list(
                    field,
                    "case__title",
                    "case__agency_id",
                    "case_id",
                    "kind",
                    "name",
                    "case__number",
                    "case__agency__name",
                    "case__agency__division_code",
                    "case__decided_on",
                )
                .order_by()
            )
        for row in rows:
            groups[(row[0], row[1])][row[3]] = row
    out: list[FinedParty] = []
    for (ident, _title), cases in sorted(groups.items()):
        if len({row[2] for row in cases.values()}) < 2:
            continue
        for case in sorted(cases):
            _i, title, agency, _c, kind, name, number, aname, div, decided = cases[case]
            out.append(
                FinedParty(
                    ident,
                    kind,
                    name,
                    case,
                    f"{number or '（未编号）'} {title}",
                    agency,
                    aname,
                    div,
                    decided,
                    title,
                )
            )
    return out


# -- training hours short at year end ----------------------------------------------------------


@dataclass(frozen=True)
class OfficerTraining:
    id: int
    name: str
    agency_id: int
    division_code: str
    legal: Decimal
    professional: Decimal
    rule: TrainingRule
    basis: str


def _training_rules() -> dict[str, tuple[TrainingRule, str]]:
    return {
        r.region_code: (TrainingRule(r.legal_hours, r.professional_hours), r.basis)
        for r in TrainingRequirement.objects.all()
    }


def training_rule_of(
    division_code: str, rules: dict[str, tuple[TrainingRule, str]]
) -> tuple[TrainingRule, str]:
    """The longest region prefix's rule, as ``registry.selectors.training_rule_for`` reads it
    (6, 4 then 2 digits), without a query per officer."""
    for n in (6, 4, 2):
        found = rules.get(division_code[:n].ljust(6, "0"))
        if found is not None:
            return found
    return TrainingRule(), ""


def officers_training(year: int) -> list[OfficerTraining]:
    """Serving officers holding a 有效 enforcement certificate first issued before ``year``
    (officers first certified during the year are not yet measured against a full year, as in
    ``registry.eligibility``), with their training hours of ``year`` and their region's rule.
    Three narrow passes (certificates, officers, the year's training rows), joined here."""
    start = date(year, 1, 1)
    first_issued: dict[int, date] = {}
    holding: set[int] = set()
    for officer, issued, status in (
        Certificate.objects.filter(kind=Certificate.Kind.ENFORCEMENT, issued_on__isnull=False)
        .values_list("officer_id", "issued_on", "status")
        .order_by()
        .iterator(chunk_size=20000)
    ):
        if issued is not None and (officer not in first_issued or issued < first_issued[officer]):
            first_issued[officer] = issued
        if status == Certificate.Status.VALID:
            holding.add(officer)
    hours: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for officer, kind, h in (
        TrainingRecord.objects.filter(year=year)
        .values_list("officer_id", "kind", "hours")
        .order_by()
        .iterator(chunk_size=20000)
    ):
        hours[officer][kind] += h
    rules = _training_rules()
    out = []
    for pk, name, agency, division in (
        Officer.objects.filter(status=Officer.Status.SERVING)
        .values_list("id", "name", "agency_id", "agency__division_code")
        .order_by()
        .iterator(chunk_size=20000)
    ):
        if pk not in holding or first_issued.get(pk, start) >= start:
            continue
        rule, basis = training_rule_of(division, rules)
        done = hours.get(pk, {})
        out.append(
            OfficerTraining(
                pk,
                name,
                agency,
                division,
                done.get(TrainingRecord.Kind.LEGAL, Decimal(0)),
                done.get(TrainingRecord.Kind.PROFESSIONAL, Decimal(0)),
                rule,
                basis,
            )
        )
    return out


def agencies_names(ids: Sequence[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for chunk in _chunks(sorted(ids)):
        out.update(Agency.objects.filter(pk__in=chunk).values_list("id", "name"))
    return out
