"""Reads of the inspection code (扫码入企) and of the enterprises' ratings.

The code page is public: it shows what the enterprise needs to check the inspection (acting
body, officers with their certificates checked live, item and basis, ground, approval, this
year's count and the cap) and nothing personal. Ratings are read two ways: the supervisor of
the region sees each answer; the inspecting agency sees aggregates only (深圳龙华: 评价匿名，
被检查部门不可见，推送监督机关).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Avg, Count, QuerySet

from zhifa.cases.models import CaseOfficer
from zhifa.record.models import Entry
from zhifa.record.verification import Problem
from zhifa.registry.eligibility import CertificateFacts
from zhifa.registry.models import Account, Certificate, Officer
from zhifa.registry.selectors import region_of

from . import discipline
from .certificate_standing import Standing, certificate_standing
from .models import Inspection, Rating, Visit

# Inspections that happened or will happen: what counts toward this year's number.
COUNTED_STATES = (Inspection.State.APPROVED, Inspection.State.EMERGENCY)


def inspection_by_code(code: str) -> Inspection | None:
    """The inspection a scanned code names (None: no such code)."""
    return (
        Inspection.objects.select_related(
            "agency", "entity", "power_item", "domain", "case", "decided_by"
        )
        .filter(code=code)
        .first()
    )


@dataclass(frozen=True)
class CountAndCap:
    """This agency's inspections of the entity in the inspection's year (this one included
    when it counts), and the yearly cap with its source (None: no cap known)."""

    count: int
    cap: int | None
    cap_source: str = ""

    @property
    def line(self) -> str:
        """The sentence the notice and the code page print."""
        cap = f"年度检查频次上限为{self.cap}次（依据：{self.cap_source}）" if self.cap else ""
        return f"本年度本机关对该单位实施行政检查第{self.count}次" + (
            f"，{cap}" if cap else "，尚未公布年度检查频次上限"
        )


def count_and_cap(inspection: Inspection) -> CountAndCap:
    """How many times this agency has inspected this entity in the inspection's year, and the
    cap (国办发〔2024〕54号（四）: "同一行政机关对同一企业实施行政检查的年度频次上限").

    The cap is the tightest of the rules part's caps that apply to the inspection
    (``selectors_rules.cap_counts_for``; None when none applies, e.g. a 个案 inspection a cap
    does not count). The count is this agency's approved or emergency-started inspections of
    the entity planned in the same year, up to and including this one.
    """
    from .selectors_rules import cap_counts_for

    earlier = Inspection.objects.filter(
        agency_id=inspection.agency_id,
        entity_id=inspection.entity_id,
        year=inspection.year,
        state__in=COUNTED_STATES,
        planned_on__lte=inspection.planned_on,
    ).exclude(pk=inspection.pk)
    before = earlier.exclude(planned_on=inspection.planned_on, pk__gt=inspection.pk).count()
    this = 1 if inspection.state in COUNTED_STATES else 0
    caps = cap_counts_for(inspection)
    if not caps:
        return CountAndCap(count=before + this, cap=None)
    tightest = caps[0].cap  # cap_counts sorts the one with the fewest slots left first
    return CountAndCap(
        count=before + this,
        cap=tightest.limit,
        cap_source=f"{tightest.name}，{tightest.scope_text}；{tightest.source}",
    )


def _facts(officer: Officer) -> list[CertificateFacts]:
    return [
        CertificateFacts(
            number=c.number,
            kind=c.kind,
            status=c.status,
            status_label=c.get_status_display(),
            issued_on=c.issued_on,
            expires_on=c.expires_on,
            domain_codes=frozenset(d.code for d in c.domains.all()),
            region_code=c.region_code,
        )
        for c in Certificate.objects.filter(officer=officer).prefetch_related("domains")
    ]


@dataclass(frozen=True)
class OfficerOnCode:
    officer_id: int
    name: str
    role: str
    standing: Standing


def inspection_officers(inspection: Inspection, on: date) -> list[OfficerOnCode]:
    """The inspection's officers with their certificates' standing on ``on`` (checked live:
    a certificate suspended this morning shows so now)."""
    rows = (
        CaseOfficer.objects.filter(case_id=inspection.case_id)
        .select_related("officer")
        .order_by("role", "id")
    )
    return [
        OfficerOnCode(
            officer_id=row.officer_id,
            name=row.officer.name,
            role=row.get_role_display(),
            standing=certificate_standing(
                _facts(row.officer),
                domain_code=inspection.domain.code,
                domain_name=inspection.domain.name,
                region=inspection.agency.division_code,
                on=on,
            ),
        )
        for row in rows
    ]


def inspection_basis(inspection: Inspection) -> str:
    """The item's legal bases, e.g. 《中华人民共和国食品安全法》第一百一十条."""
    parts = []
    for basis in inspection.power_item.bases.all().order_by("position", "pk"):
        law = basis.law if basis.law.startswith("《") else f"《{basis.law}》"
        parts.append(f"{law}{basis.article}")
    return "、".join(parts)


def is_inspection_officer(account: Account, inspection: Inspection) -> bool:
    """Is ``account`` an officer named on the inspection's case (who may scan its code)?"""
    if not account.is_authenticated or account.officer_id is None:
        return False
    return CaseOfficer.objects.filter(
        case_id=inspection.case_id, officer_id=account.officer_id
    ).exists()


def inspection_visits(inspection: Inspection) -> QuerySet[Visit]:
    return Visit.objects.filter(inspection=inspection).select_related("officer").order_by("at")


def officer_on_site(inspection: Inspection, officer_id: int) -> bool:
    """Has the officer arrived and not yet left (their latest visit row is an arrival)?"""
    last = (
        Visit.objects.filter(inspection=inspection, officer_id=officer_id)
        .order_by("-at", "-pk")
        .first()
    )
    return last is not None and last.kind == Visit.Kind.ARRIVAL


# -- ratings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingSummary:
    """What the inspecting agency may see: counts and the average, never an answer."""

    count: int
    average: float | None
    breaches: list[tuple[str, int]]  # (严禁 title, number of ratings reporting it)


def ratings_summary(ratings: QuerySet[Rating]) -> RatingSummary:
    totals = ratings.aggregate(n=Count("pk"), avg=Avg("score"))
    counter: Counter[str] = Counter()
    for breaches in ratings.values_list("breaches", flat=True):
        counter.update(str(code) for code in breaches)
    return RatingSummary(
        count=int(totals["n"] or 0),
        average=round(float(totals["avg"]), 2) if totals["avg"] is not None else None,
        breaches=[(p.title, counter[p.code]) for p in discipline.PROHIBITIONS if counter[p.code]],
    )


def ratings_of_agency(agency_id: int) -> QuerySet[Rating]:
    """Every rating of the agency's inspections — for its aggregates only (no view lists it)."""
    return Rating.objects.filter(inspection__agency_id=agency_id)


def ratings_visible_to(account: Account) -> QuerySet[Rating]:
    """The individual ratings ``account`` may read: a supervisor's region's, nobody else's
    (the inspecting agency sees ``ratings_summary`` of its own only)."""
    prefix = region_of(account)
    if account.role != Account.Role.SUPERVISOR or not account.is_active or prefix is None:
        return Rating.objects.none()
    return (
        Rating.objects.filter(inspection__agency__division_code__startswith=prefix)
        .select_related("inspection__agency", "inspection__entity", "inspection__case")
        .order_by("-submitted_at", "-pk")
    )


# -- zhifa verify ---------------------------------------------------------------------------------


def visits_replay_check(groups: Iterable[tuple[int, list[Entry]]]) -> Iterator[Problem]:
    """``zhifa verify``: each visit row against its case's ``inspection.visit_*`` entries;
    a visit with no entry is reported."""
    seen: set[int] = set()
    for case_id, entries in groups:
        replayed: dict[int, tuple[int, str, str, bool, str]] = {}
        last: dict[int, int] = {}
        for entry in entries:
            if entry.action not in ("inspection.visit_scan", "inspection.visit_late"):
                continue
            v = entry.data["visit"]
            replayed[int(v["id"])] = (
                int(v["officer"]),
                str(v["kind"]),
                str(v["at"]),
                bool(v["scanned"]),
                str(v["late_reason"]),
            )
            last[int(v["id"])] = entry.seq
        if not replayed:
            continue
        actual = {
            row.pk: (row.officer_id, row.kind, row.at.isoformat(), row.scanned, row.late_reason)
            for row in Visit.objects.filter(inspection__case_id=case_id)
        }
        for pk in sorted(set(replayed) | set(actual)):
            seen.add(pk)
            if _visit_differs(replayed.get(pk), actual.get(pk)):
                yield Problem(
                    kind="inspection_visit_mismatch",
                    case_id=case_id,
                    seq=last.get(pk),
                    message=f"案件{case_id}的入企记录{pk}与全过程记录不一致",
                )
    for pk, case_id in Visit.objects.order_by("pk").values_list("pk", "inspection__case_id"):
        if pk not in seen:
            yield Problem(
                kind="inspection_visit_unrecorded",
                case_id=case_id,
                message=f"案件{case_id}的入企记录{pk}没有全过程记录",
            )
    yield from ratings_replay_check()


def ratings_replay_check() -> Iterator[Problem]:
    """Each rating against its ``inspection.rate`` entry (score, breaches, the comment's keyed
    digest); a rating with no entry, or an entry with no rating, is reported."""
    from .services_codes import rating_digest_matches

    recorded: dict[int, tuple[int, dict[str, object]]] = {}
    for entry in Entry.objects.filter(case_id__isnull=True, action="inspection.rate").order_by(
        "seq"
    ):
        data = entry.data
        recorded[int(data["rating"])] = (entry.seq, data)
    for rating in Rating.objects.order_by("pk"):
        found = recorded.pop(rating.pk, None)
        if found is None:
            yield Problem(
                kind="inspection_rating_unrecorded",
                message=f"企业评价{rating.pk}没有全过程记录",
            )
            continue
        seq, data = found
        if (
            data.get("inspection") != rating.inspection_id
            or data.get("score") != rating.score
            or data.get("breaches") != rating.breaches
            or not rating_digest_matches(rating, str(data.get("comment", "")))
        ):
            yield Problem(
                kind="inspection_rating_mismatch",
                seq=seq,
                message=f"企业评价{rating.pk}与全过程记录不一致",
            )
    for pk, (seq, _data) in recorded.items():
        yield Problem(
            kind="inspection_rating_missing",
            seq=seq,
            message=f"全过程记录中的企业评价{pk}已不存在",
        )


def _visit_differs(
    recorded: tuple[int, str, str, bool, str] | None,
    actual: tuple[int, str, str, bool, str] | None,
) -> bool:
    if recorded is None or actual is None:
        return True
    same_moment = datetime.fromisoformat(recorded[2]) == datetime.fromisoformat(actual[2])
    return not same_moment or recorded[:2] != actual[:2] or recorded[3:] != actual[3:]
