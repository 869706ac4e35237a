"""Reads of filings and of the decisions that must be filed.

Scope follows the cases': an agency's accounts see the agency's filings and decisions; a
supervisor every one of the agencies in its region (``cases_visible_to``). A filing is
addressed to one supervisory body — the supervisors whose region is the nearest to cover the
agency (``supervision_region_of``) — and only they review it; upper levels read it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import DecimalField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from zhifa.cases.models import Case, CaseDocument, Party
from zhifa.cases.selectors import cases_assigned_to, cases_visible_to
from zhifa.core.identifiers import division_contains, division_prefix
from zhifa.core.time_limits import due_on, time_limit
from zhifa.law.penalty import PenaltyKind as Penalty
from zhifa.record.models import Entry
from zhifa.record.verification import Problem
from zhifa.registry.models import Account, Agency
from zhifa.registry.selectors import agencies_visible_to, is_system_admin, region_of
from zhifa.todos.items import Todo

from . import deadlines
from .major_penalties import (
    AMOUNT_CRITERIA,
    DEFAULT_ROWS,
    Criterion,
    Decision,
    Reason,
    Row,
    major_reasons,
    rows_from_setting,
)
from .models import Filing
from .package import ITEMS

F = Filing.State
PENALTY_KINDS = (Case.Kind.PENALTY_GENERAL, Case.Kind.PENALTY_SIMPLE)


def major_penalty_rows() -> tuple[Row, ...]:
    """The deployment's test (``ZHIFA_MAJOR_PENALTY_TEST``) or the defaults."""
    setting = getattr(settings, "ZHIFA_MAJOR_PENALTY_TEST", None)
    return DEFAULT_ROWS if setting is None else rows_from_setting(setting)


PARTY_KINDS: tuple[str, ...] = tuple(Party.Kind.values)
# What the lists of unfiled decisions read of a case (and its agency): nothing else is loaded.
UNFILED_FIELDS = (
    "id",
    "number",
    "title",
    "kind",
    "decision_number",
    "decided_on",
    "fine",
    "confiscation",
    "confiscated_property_value",
    "penalty_kinds",
    "agency__id",
    "agency__name",
    "agency__division_code",
)


def _party_kind_flags() -> dict[str, Exists]:
    """Per party kind, whether the case has a party of it (the lists annotate these instead of
    loading every party of tens of thousands of cases)."""
    return {
        f"has_{kind}": Exists(Party.objects.filter(case_id=OuterRef("pk"), kind=kind))
        for kind in PARTY_KINDS
    }


def decision_of(case: Case) -> Decision:
    """What the case's penalty decision says, for the major test."""
    if hasattr(case, f"has_{PARTY_KINDS[0]}"):  # annotated by ``_unfiled``
        kinds = frozenset(k for k in PARTY_KINDS if getattr(case, f"has_{k}"))
    else:
        kinds = frozenset(p.kind for p in case.parties.all())
    taken = None
    if case.confiscation is not None or case.confiscated_property_value is not None:
        taken = (case.confiscation or Decimal(0)) + (case.confiscated_property_value or Decimal(0))
    return Decision(
        party_kinds=kinds,
        penalty_kinds=frozenset(case.penalty_kinds or ()),
        fine=case.fine,
        confiscation=taken,
    )


def case_major_reasons(case: Case) -> tuple[Reason, ...]:
    """Why the case's decision must be filed (empty: not decided, or not major)."""
    if case.kind not in PENALTY_KINDS or case.decided_on is None:
        return ()
    return major_reasons(decision_of(case), major_penalty_rows())


def filing_due(case: Case) -> date:
    """The last day to file the case's decision (``filings.file`` from the decision day)."""
    assert case.decided_on is not None
    return due_on(deadlines.FILE, case.decided_on)[0]


def review_due(filed_on: date) -> date:
    return due_on(deadlines.REVIEW, filed_on)[0]


# -- who supervises whom ---


def supervision_region_of(agency: Agency) -> tuple[str, Agency | None]:
    """The region code of the supervisory body a filing of ``agency`` goes to — the nearest
    supervisors' region covering the agency — and that body (the supervisors' own agency, a
    司法局) when the accounts name one. Without any supervisor covering it, the agency's city."""
    best: tuple[int, str, int | None] | None = None
    for code, body in Account.objects.filter(
        role=Account.Role.SUPERVISOR, is_active=True
    ).values_list("region_code", "agency_id"):
        if not code or not division_contains(code, agency.division_code):
            continue
        depth = len(division_prefix(code))
        if best is None or depth > best[0] or (depth == best[0] and best[2] is None and body):
            best = (depth, code, body)
    if best is None:
        return agency.division_code[:4] + "00", None
    body_agency = Agency.objects.filter(pk=best[2]).first() if best[2] else None
    return best[1], body_agency


def reviews_filing(account: Account, filing: Filing) -> bool:
    """Whether ``account`` is a supervisor of the body the filing is addressed to."""
    return (
        account.is_authenticated
        and account.role == Account.Role.SUPERVISOR
        and bool(account.region_code)
        and division_prefix(account.region_code) == division_prefix(filing.region_code)
    )


# -- the list's agency filter ---

AGENCY_MATCHES = 20


def agency_matches(account: Account, words: str) -> tuple[list[tuple[int, str]], bool]:
    """The bodies visible to ``account`` whose name contains ``words`` (any status: a revoked
    body's decisions may still wait for filing), at most ``AGENCY_MATCHES`` by region and
    name, and whether more match."""
    found = list(
        agencies_visible_to(account)
        .filter(name__contains=words.strip())
        .order_by("division_code", "name", "pk")
        .values_list("pk", "name")[: AGENCY_MATCHES + 1]
    )
    return found[:AGENCY_MATCHES], len(found) > AGENCY_MATCHES


def agency_chosen(account: Account, agency_id: int) -> tuple[int, str] | None:
    """The visible body of that id (the filter's choice), or None."""
    return agencies_visible_to(account).filter(pk=agency_id).values_list("pk", "name").first()


# -- filings ---


def filings_visible_to(account: Account) -> QuerySet[Filing]:
    qs = Filing.objects.select_related("case", "agency", "filed_by", "reviewed_by")
    if not account.is_authenticated or not account.is_active:
        return qs.none()
    if is_system_admin(account):
        return qs
    prefix = region_of(account)
    if prefix is not None:
        return qs.filter(agency__division_code__startswith=prefix)
    if account.agency_id is None:
        return qs.none()
    return qs.filter(agency_id=account.agency_id)


def filings_search(
    account: Account, *, state: str = "", agency: int | None = None, q: str = "", late: str = ""
) -> QuerySet[Filing]:
    qs = filings_visible_to(account)
    if state:
        qs = qs.filter(state=state)
    if agency:
        qs = qs.filter(agency_id=agency)
    if q.strip():
        qs = qs.filter(
            Q(decision_number__icontains=q.strip()) | Q(case__title__icontains=q.strip())
        )
    if late == "1":
        qs = qs.filter(late=True)
    return qs


def filings_awaiting_review(account: Account) -> list[Filing]:
    """Filings addressed to ``account``'s body that wait for its review, the oldest first."""
    return [
        f
        for f in filings_visible_to(account).filter(state=F.SUBMITTED).order_by("review_due_on")
        if reviews_filing(account, f)
    ]


# -- decisions not filed ---


@dataclass(frozen=True)
class Unfiled:
    """A major decision not filed yet: its case, why it is major, and the filing deadline."""

    case: Case
    reasons: tuple[Reason, ...]
    due_on: date
    remaining: int  # calendar days; negative: overdue

    @property
    def overdue(self) -> bool:
        return self.remaining < 0


def _has_party(kind: str) -> Exists:
    return Exists(Party.objects.filter(case_id=OuterRef("pk"), kind=kind))


def _lists(kind: str) -> Q:
    """The decision's penalty kinds (a JSON list of codes) include ``kind``."""
    return Q(penalty_kinds__icontains=f'"{kind}"')


def major_q(rows: tuple[Row, ...]) -> Q:
    """``major_penalties.major_reasons`` as a query: a case meets it exactly when the test finds
    a reason (``tests.test_unfiled_list`` checks the two agree over a grid). Read on a queryset
    annotated by ``_major`` (``taken``: the confiscation and the property's value, as
    ``decision_of``)."""
    found = Q(pk__in=[])
    for row in rows:
        if row.criterion is Criterion.PENALTY_KIND:
            found |= _lists(row.penalty_kind)
            continue
        party, what = AMOUNT_CRITERIA[row.criterion]
        if row.amount is None:
            continue
        if what == "fine":
            met = Q(fine__gte=row.amount) & _lists(Penalty.FINE.value)
        else:
            met = Q(taken__gte=row.amount) & (
                Q(confiscation__isnull=False) | Q(confiscated_property_value__isnull=False)
            )
        found |= met & Q(_has_party(party.value))
    return found


def _major(cases: QuerySet[Case], rows: tuple[Row, ...]) -> QuerySet[Case]:
    """The decided penalty cases without a filing whose decision is major (exactly, in SQL).
    The cheap columns are tested first, the parties (``EXISTS``) only where an amount is met."""
    money = DecimalField(max_digits=16, decimal_places=2)
    return (
        cases.filter(kind__in=PENALTY_KINDS, decided_on__isnull=False)
        .annotate(
            taken=Coalesce("confiscation", Value(0), output_field=money)
            + Coalesce("confiscated_property_value", Value(0), output_field=money)
        )
        .filter(major_q(rows))
        .filter(major_filing__isnull=True)
    )


def _unfiled_cases(account: Account, agency_id: int | None) -> QuerySet[Case]:
    """The visible major decisions not filed. Visibility is ``cases_visible_to``'s, tested last
    on each major decision (``EXISTS`` by the case's id): filtered first, by the agency's
    region, SQLite walks a province's cases agency by agency, several times slower than
    reading the table once."""
    cases = Case.objects.all() if agency_id is None else Case.objects.filter(agency_id=agency_id)
    visible = cases_visible_to(account).filter(pk=OuterRef("pk"))
    return _major(cases, major_penalty_rows()).filter(Exists(visible))


def decisions_unfiled(
    account: Account, today: date, *, agency_id: int | None = None
) -> list[Unfiled]:
    """The visible major decisions not filed (of one agency when given), the most urgent first:
    every one (an agency's list and to-dos; a region's list is paged, ``unfiled_page``)."""
    return _unfiled(_unfiled_cases(account, agency_id), today)


@dataclass(frozen=True)
class UnfiledPage:
    """One page of the unfiled decisions, with the exact counts of the whole list."""

    items: list[Unfiled]
    total: int  # every visible major decision not filed (of the agency, when filtered)
    overdue: int  # those whose filing deadline has passed
    number: int
    per_page: int

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


UNFILED_PER_PAGE = 50


def unfiled_page(
    account: Account,
    today: date,
    *,
    agency_id: int | None = None,
    number: int = 1,
    per_page: int = UNFILED_PER_PAGE,
) -> UnfiledPage:
    """A page of the visible major decisions not filed, the most urgent first (the earliest
    decision day: the deadline never comes earlier for a later day; then the case's id). The
    test runs in SQL (``major_q``): the counts are exact and only the page's cases are read."""
    cases = _unfiled_cases(account, agency_id)
    due_of = _DueDays()
    cutoff = due_of.last_overdue_decision_day(today)
    # One read of the list's ids and days (a province's tens of thousands of pairs): the counts
    # and the page's ids come from it; then only the page's cases are read.
    listed = list(cases.order_by("decided_on", "pk").values_list("pk", "decided_on"))
    total = len(listed)
    overdue = bisect_right([day for _pk, day in listed if day is not None], cutoff)
    pages = max(1, -(-total // per_page))
    number = min(max(1, number), pages)
    start = (number - 1) * per_page
    wanted = [pk for pk, _day in listed[start : start + per_page]]
    items = _unfiled_rows(Case.objects.filter(pk__in=wanted), today, due_of, sort=False)
    place = {pk: n for n, pk in enumerate(wanted)}
    return UnfiledPage(
        items=sorted(items, key=lambda u: place[u.case.pk]),
        total=total,
        overdue=overdue,
        number=number,
        per_page=per_page,
    )


@dataclass(frozen=True)
class Overdue:
    """A major decision whose filing deadline has passed (what the early warning reads)."""

    case_id: int
    number: str
    agency_id: int
    division_code: str
    due_on: date
    remaining: int  # calendar days; negative


def decisions_overdue_everywhere(today: date) -> Iterator[Overdue]:
    """Every agency's major decisions not filed whose deadline is before ``today`` (the
    province-wide early-warning run): tested in SQL, only the columns the warning names."""
    due_of = _DueDays()
    cutoff = due_of.last_overdue_decision_day(today)
    read = (
        _major(Case.objects.all(), major_penalty_rows())
        .filter(decided_on__lte=cutoff)
        .order_by()
        .values_list("pk", "number", "agency_id", "decided_on")
    )
    # The agencies' regions apart (joined, SQLite would read the cases agency by agency).
    division = dict(Agency.objects.values_list("pk", "division_code"))
    for pk, number, agency_id, decided_on in read.iterator(chunk_size=5000):
        assert decided_on is not None  # filtered on
        due = due_of(decided_on)
        yield Overdue(pk, number, agency_id, division[agency_id], due, (due - today).days)


class _DueDays:
    """The filing deadline of each decision day, counted once per day (a province's lists hold
    tens of thousands of decisions over a few hundred days; each count reads the calendar)."""

    def __init__(self) -> None:
        self._due: dict[date, date] = {}

    def __call__(self, decided_on: date) -> date:
        due = self._due.get(decided_on)
        if due is None:
            due = self._due[decided_on] = due_on(deadlines.FILE, decided_on)[0]
        return due

    def last_overdue_decision_day(self, today: date) -> date:
        """The latest decision day whose filing deadline is before ``today`` (the deadline
        never comes earlier for a later decision day)."""
        day = today
        while self(day) >= today:
            day -= timedelta(days=1)
        return day


def _unfiled(cases: QuerySet[Case], today: date) -> list[Unfiled]:
    return _unfiled_rows(cases, today, _DueDays(), sort=True)


def _unfiled_rows(
    cases: QuerySet[Case], today: date, due_of: _DueDays, *, sort: bool
) -> list[Unfiled]:
    """The cases (already found major in SQL) with why (the exact test) and their deadline."""
    rows = major_penalty_rows()
    out = []
    read = cases.select_related("agency").only(*UNFILED_FIELDS)
    for case in read.annotate(**_party_kind_flags()):
        assert case.decided_on is not None
        due = due_of(case.decided_on)
        out.append(Unfiled(case, major_reasons(decision_of(case), rows), due, (due - today).days))
    if not sort:
        return out
    # The page's order (``unfiled_page``): by deadline; on one deadline (a deadline moved past
    # a holiday) the earlier decision first.
    return sorted(out, key=lambda u: (u.due_on, u.case.decided_on, u.case.pk))


# -- the package ---


def _entry_ref(entry: Entry) -> dict[str, Any]:
    return {"seq": entry.seq, "action": entry.action, "leaf_sha256": entry.leaf_hash_hex}


def _document_ref(doc: CaseDocument) -> dict[str, Any]:
    return {
        "id": doc.pk,
        "kind": doc.kind,
        "title": doc.title,
        "number": doc.number,
        "version": doc.version,
        "pdf_sha256": doc.pdf.sha256,
        "docx_sha256": doc.docx.sha256,
        "entry_seq": doc.entry_seq,
    }


def case_package(case: Case) -> list[dict[str, Any]]:
    """The filing's package read from the record: per item of ``package.ITEMS`` the latest
    version of each of its documents and every entry with one of its actions (not
    access-checked: gate the case first)."""
    latest: dict[tuple[str, int | None], CaseDocument] = {}
    for doc in (
        CaseDocument.objects.filter(case=case).select_related("pdf", "docx").order_by("version")
    ):
        latest[(doc.kind, doc.step_id)] = doc  # the highest version of each document wins
    by_kind: dict[str, list[CaseDocument]] = {}
    for (kind, _), doc in sorted(latest.items(), key=lambda kv: kv[1].pk):
        by_kind.setdefault(kind, []).append(doc)
    actions = {a for item in ITEMS for a in item.actions}
    entries: dict[str, list[Entry]] = {}
    for entry in Entry.objects.filter(case_id=case.pk, action__in=actions).order_by("seq"):
        entries.setdefault(entry.action, []).append(entry)
    out: list[dict[str, Any]] = []
    for item in ITEMS:
        docs = [_document_ref(d) for k in item.documents for d in by_kind.get(k, [])]
        refs = [_entry_ref(e) for a in item.actions for e in entries.get(a, [])]
        out.append(
            {
                "item": item.key,
                "label": item.label,
                "documents": docs,
                "entries": sorted(refs, key=lambda r: r["seq"]),
            }
        )
    return out


def package_missing(package: Iterable[dict[str, Any]]) -> list[str]:
    """The labels of the items that hold nothing."""
    return [p["label"] for p in package if not p["documents"] and not p["entries"]]


# -- to-dos ---


def _todo_unfiled(u: Unfiled, key: str, kind: str, kind_label: str) -> Todo:
    row = time_limit(deadlines.FILE)
    case = u.case
    return Todo(
        key=f"{key}:{case.pk}",
        kind=kind,
        kind_label=kind_label,
        what=f"重大行政处罚决定报送备案（{case.agency.name}，{case.decided_on}作出）",
        url=reverse("case_detail", kwargs={"pk": case.pk}) + "#major-filing",
        case_id=case.pk,
        case_label=f"{case.number or '（未编号）'} {case.title}",
        due_on=u.due_on,
        remaining=u.remaining,
        unit="日",
        article=row.source,
        deadline_name="备案期限",
        note=f"期限：{row.text}",
    )


def agency_todos(account: Account, today: date) -> list[Todo]:
    """Heads' source: their agency's major decisions not filed yet; officers': those of
    their own cases (主办 or 协办)."""
    if account.agency_id is None:
        return []
    items = decisions_unfiled(account, today)
    if account.role == Account.Role.OFFICER:
        mine = set(cases_assigned_to(account).values_list("pk", flat=True))
        items = [u for u in items if u.case.pk in mine]
    return [_todo_unfiled(u, "major_filing", "major_filing", "重大处罚备案") for u in items]


def supervisor_todos(account: Account, today: date) -> list[Todo]:
    """Supervisors' source: filings to review, and the region's overdue unfiled decisions."""
    row = time_limit(deadlines.REVIEW)
    out = [
        Todo(
            key=f"filing_review:{f.pk}",
            kind="filing_review",
            kind_label="备案审查",
            what=f"审查{f.agency.name}报送的重大行政处罚决定备案",
            url=reverse("filing_detail", kwargs={"pk": f.pk}),
            case_id=f.case_id,
            case_label=f"{f.decision_number or f.case.number} {f.case.title}",
            due_on=f.review_due_on,
            remaining=(f.review_due_on - today).days,
            unit="日",
            article=row.source,
            deadline_name="审查期限",
            note=f"期限：{f.review_basis}",
        )
        for f in filings_awaiting_review(account)
    ]
    out += _unfiled_per_agency(account)
    return out


def _unfiled_per_agency(account: Account) -> list[Todo]:
    """One item per agency with major decisions overdue for filing, from the warnings of the
    rule 重大行政处罚决定逾期未备案 (the daily job's ``filing_overdue``, its per-agency counts):
    a province holds tens of thousands of such decisions, counted once a day, not on every
    page; the agency's list, with each decision's days, is one click away. A warning the
    supervisor dismissed (排除) is not counted."""
    from zhifa.alerts.selectors import open_per_agency

    from .alert_rule import CODE

    row = time_limit(deadlines.FILE)
    counts = tuple(open_per_agency(account, CODE))
    base = reverse("filing_list")
    key = (row, base, counts)
    kept = _PER_AGENCY.get(key)
    if kept is not None:  # the same counts as an earlier request: the same items
        return list(kept)
    items = [
        Todo(
            key=f"major_unfiled:{agency_id}",
            kind="major_unfiled",
            kind_label="逾期未备案",
            what=f"{name}有{n}件重大行政处罚决定逾期未报送备案",
            url=f"{base}?agency={agency_id}#unfiled",
            remaining=-1,  # overdue; each decision's days are on the agency's list
            article=row.source,
            deadline_name="备案期限",
            note=f"期限：{row.text}",
        )
        for agency_id, name, n in counts
    ]
    if len(_PER_AGENCY) >= 64:
        _PER_AGENCY.clear()
    _PER_AGENCY[key] = tuple(items)  # Todo is frozen: the items are shared, never changed
    return items


# Per process: the supervisor's per-agency items by the counts they are made of (a province's
# are thousands; building them on every dashboard request cost more than reading the counts).
_PER_AGENCY: dict[tuple[Any, ...], tuple[Todo, ...]] = {}


# -- replay: the filing rows must equal what the filing.* entries say ---


def filings_replay_check(groups: Iterable[tuple[int, list[Entry]]]) -> Iterator[Problem]:
    """``zhifa verify``: each filing row against the last ``filing.*`` entry of its case, and
    every reference of its package against the record (an entry's leaf hash, a document's
    files): a row with no entry, a changed row or a reference that no longer holds is
    reported."""
    from .services import FILING_ACTIONS, filing_plain

    seen: set[int] = set()
    for case_id, entries in groups:
        last: dict[int, Entry] = {}
        for entry in entries:
            if entry.action in FILING_ACTIONS:
                last[int(entry.data["filing"]["id"])] = entry
        if not last:
            continue
        actual = {f.pk: f for f in Filing.objects.filter(case_id=case_id)}
        for pk in sorted(set(last) | set(actual)):
            seen.add(pk)
            recorded = last.get(pk)
            row = actual.get(pk)
            if row is None or recorded is None or filing_plain(row) != recorded.data["filing"]:
                yield Problem(
                    kind="filing_replay_mismatch",
                    case_id=case_id,
                    seq=recorded.seq if recorded else None,
                    message=f"案件{case_id}的重大行政处罚决定备案{pk}与全过程记录不一致",
                )
                continue
            yield from _package_problems(case_id, row)
    for pk, case_id in Filing.objects.order_by("pk").values_list("pk", "case_id"):
        if pk not in seen:
            yield Problem(
                kind="filing_unrecorded",
                case_id=case_id,
                message=f"案件{case_id}的重大行政处罚决定备案{pk}没有全过程记录",
            )


def _package_problems(case_id: int, filing: Filing) -> Iterator[Problem]:
    items = filing.package
    seqs = {e["seq"]: e for p in items for e in p["entries"]}
    for entry in Entry.objects.filter(seq__in=list(seqs)):
        if entry.leaf_hash_hex != seqs.pop(entry.seq)["leaf_sha256"] or entry.case_id != case_id:
            yield Problem(
                kind="filing_reference_changed",
                case_id=case_id,
                seq=entry.seq,
                message=f"备案{filing.pk}引用的第{entry.seq}条记录已与报送时不同",
            )
    for seq in seqs:
        yield Problem(
            kind="filing_reference_missing",
            case_id=case_id,
            seq=seq,
            message=f"备案{filing.pk}引用的第{seq}条记录已不存在",
        )
    docs = {d["id"]: d for p in items for d in p["documents"]}
    found = CaseDocument.objects.filter(pk__in=list(docs)).select_related("pdf", "docx")
    for doc in found:
        ref = docs.pop(doc.pk)
        if (doc.pdf.sha256, doc.docx.sha256, doc.case_id) != (
            ref["pdf_sha256"],
            ref["docx_sha256"],
            case_id,
        ):
            yield Problem(
                kind="filing_reference_changed",
                case_id=case_id,
                message=f"备案{filing.pk}引用的文书“{ref['title']}”已与报送时不同",
            )
    for ref in docs.values():
        yield Problem(
            kind="filing_reference_missing",
            case_id=case_id,
            message=f"备案{filing.pk}引用的文书“{ref['title']}”已不存在",
        )


def filed_case_values(matter: Any) -> list[tuple[str, str, str]]:
    """The personal values of the filed decision's case, for a supervision matter opened from a
    filing (its title names the case): removed where the matter is read without personal data
    and from a published result (``supervision.personal_values``)."""
    from zhifa.publicity.decision_text import known_values

    if getattr(matter, "origin", "") != "major_filing" or not str(matter.origin_ref).isdigit():
        return []
    filing = Filing.objects.select_related("case").filter(pk=int(matter.origin_ref)).first()
    if filing is None:
        return []
    return [(k.value, k.kind, k.label) for k in known_values(filing.case, "hidden")]
