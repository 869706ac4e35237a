"""Reads of the outcomes part: a file's deductions with their reasons, a campaign's main
problems, the objection windows, the reports and objections each account may read, the
accountability register and the list of repeated failures (第二十五条)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from zhifa.cases.models import CaseOfficer
from zhifa.core.calendar import counted
from zhifa.core.time_limits import TimeLimit, due_on, time_limit
from zhifa.registry.models import Account
from zhifa.registry.selectors import region_of

from . import scoring
from . import time_limits as tl
from .models import Accountability, Campaign, File, Objection, Report, Scoring
from .objections import is_repeated
from .selectors import FED_BACK, files_visible_to

Role = Account.Role


def _active(account: Account) -> bool:
    return bool(account.is_authenticated and account.is_active)


def spec_of(file: File) -> scoring.Spec:
    return scoring.parse_template(file.template.content, veto_effect=file.template.veto_effect)


def is_failed(file: File) -> bool:
    """The file's standing result is the template's failing grade (不合格)."""
    return bool(file.grade) and file.grade == spec_of(file).failing_grade


# -- a file's deductions and a campaign's main problems (第十三条 "主要问题") ------------------


@dataclass
class Deduction:
    code: str
    text: str
    section: str
    points: Decimal
    reasons: list[str] = field(default_factory=list)


def _marks_of(file: File) -> list[dict[str, Any]]:
    """The marks the standing result rests on: the latest re-check's, else the result's own,
    else every signed scoring's (the reviewers' drafts are never read)."""
    recheck = file.rechecks.order_by("-pk").first()
    if recheck is not None and recheck.marks:
        return [recheck.marks]
    result = file.result or {}
    marks = result.get("marks")
    if not isinstance(marks, dict) and ("items" in result or "vetoes" in result):
        # the leader's reconciliation keeps its marks as the result itself
        marks = {"items": result.get("items") or {}, "vetoes": result.get("vetoes") or {}}
    if isinstance(marks, dict) and marks:
        return [marks]
    return [
        s.marks
        for s in Scoring.objects.filter(file=file, state=Scoring.State.SIGNED).order_by("pk")
        if s.marks
    ]


def file_deductions(file: File) -> tuple[list[Deduction], list[tuple[str, str]]]:
    """The items the file lost points on, with the points (the mean over the marks it rests on)
    and the reasons written; and the veto items hit, as (text, reason)."""
    spec = spec_of(file)
    all_marks = _marks_of(file)
    out: list[Deduction] = []
    for section in spec.sections:
        for item in section.items:
            points: list[Decimal] = []
            reasons: list[str] = []
            for marks in all_marks:
                mark = (marks.get("items") or {}).get(item.code)
                try:
                    d = scoring.item_deduction(item, mark)
                except scoring.MarkError:
                    d = Decimal(0)
                points.append(d)
                reason = str((mark or {}).get("reason") or "").strip()
                if d and reason and reason not in reasons:
                    reasons.append(reason)
            total = sum(points, Decimal(0))
            if total:
                mean = (total / len(points)).quantize(scoring.CENT)
                out.append(Deduction(item.code, item.text, section.name, mean, reasons))
    vetoes: list[tuple[str, str]] = []
    for veto in spec.vetoes:
        for marks in all_marks:
            v = (marks.get("vetoes") or {}).get(veto.code) or {}
            if v.get("hit"):
                vetoes.append((veto.text, str(v.get("reason") or "").strip()))
                break
    return out, vetoes


@dataclass
class Problem:
    text: str
    files: int
    points: Decimal
    reasons: list[str]


def campaign_files(campaign: Campaign) -> QuerySet[File]:
    return (
        File.objects.filter(campaign=campaign)
        .select_related("case", "agency", "template")
        .order_by("agency__name", "pk")
    )


def campaign_problems(campaign: Campaign, *, files: list[File] | None = None) -> list[Problem]:
    """The campaign's main problems: every item and veto the files lost points on, the most
    frequent first, with the number of files, the points and up to three reasons written."""
    found: dict[str, Problem] = {}
    for file in files if files is not None else campaign_files(campaign):
        deductions, vetoes = file_deductions(file)
        for d in deductions:
            p = found.setdefault(d.text, Problem(d.text, 0, Decimal(0), []))
            p.files += 1
            p.points += d.points
            p.reasons += [r for r in d.reasons if r not in p.reasons]
        for text, reason in vetoes:
            p = found.setdefault(f"否决项：{text}", Problem(f"否决项：{text}", 0, Decimal(0), []))
            p.files += 1
            if reason and reason not in p.reasons:
                p.reasons.append(reason)
    problems = sorted(found.values(), key=lambda p: (-p.files, -p.points, p.text))
    for p in problems:
        p.reasons = p.reasons[:3]
    return problems


def grade_counts(files: list[File]) -> list[tuple[str, int]]:
    counts: dict[str, int] = defaultdict(int)
    for f in files:
        counts[f.grade or "未评定"] += 1
    order = ["优秀", "良好", "合格", "不合格"]
    return sorted(counts.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 9)


# -- the feedback and the objection windows -----------------------------------------------------


def feedback_of(file: File) -> Report | None:
    return Report.objects.filter(
        campaign_id=file.campaign_id, agency_id=file.agency_id, kind=Report.Kind.FEEDBACK
    ).first()


@dataclass(frozen=True)
class Window:
    """A time limit running: its start, last day, the row (``limit.text`` names its source) and
    the working days left on ``today`` (negative: overdue)."""

    start: date
    last_day: date
    limit: TimeLimit
    remaining: int
    provisional: bool = False

    @property
    def open(self) -> bool:
        return self.remaining >= 0


def window(key: str, start: date, today: date) -> Window:
    last, provisional = due_on(key, start)
    remaining, _ = counted(lambda cal: cal.workdays_between(today, last), from_year=today.year)
    return Window(start, last, time_limit(key), remaining, provisional)


def objection_window(file: File, today: date) -> Window | None:
    """The agency's window to object to ``file`` (from its feedback), or None before it."""
    feedback = feedback_of(file)
    if feedback is None:
        return None
    return window(tl.OBJECTION_FILE, feedback.issued_on, today)


def recheck_window(objection: Objection, today: date) -> Window:
    return window(tl.RECHECK_ANSWER, objection.filed_on, today)


# -- who reads what ----------------------------------------------------------------------------


def manages_campaign(account: Account, campaign: Campaign) -> bool:
    """The campaign's evaluating body acts on its outcomes: its supervisors, or — evaluating its
    own system (第六条) — its head."""
    if not _active(account) or account.agency_id != campaign.body_id:
        return False
    if account.role == Role.SUPERVISOR:
        return True
    return account.role == Role.HEAD and campaign.self_evaluation


def reports_visible_to(account: Account) -> QuerySet[Report]:
    """Supervisors: the reports of the campaigns they see; the body's staff who run it; an
    agency's head: the feedback and answers addressed to it and the closed campaigns' overall
    report and 通报 naming it."""
    qs = Report.objects.select_related("campaign", "agency", "pdf", "docx")
    if not _active(account):
        return qs.none()
    if account.role == Role.SUPERVISOR:
        prefix = region_of(account)
        if prefix is not None:
            return qs.filter(campaign__body__division_code__startswith=prefix)
        return qs.filter(campaign__body_id=account.agency_id)
    if account.role == Role.HEAD and account.agency_id is not None:
        return qs.filter(
            Q(campaign__body_id=account.agency_id)
            | Q(agency_id=account.agency_id)
            | Q(
                kind__in=(Report.Kind.OVERALL, Report.Kind.NOTICE),
                campaign__agencies=account.agency_id,
                campaign__state=Campaign.State.CLOSED,
            )
        ).distinct()
    return qs.none()


def agency_files(account: Account) -> QuerySet[File]:
    """The files of the account's own agency whose results were fed back to it."""
    if not _active(account) or account.agency_id is None:
        return File.objects.none()
    return (
        files_visible_to(account)
        .filter(agency_id=account.agency_id, campaign__state__in=FED_BACK)
        .order_by("-campaign__year", "campaign__name", "pk")
    )


def objections_of_campaign(campaign: Campaign) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(file__campaign=campaign)
        .select_related("file", "file__case", "file__agency", "filed_by")
        .order_by("filed_on", "pk")
    )


def objections_to_answer(account: Account) -> QuerySet[Objection]:
    """Pending objections of the campaigns the account's body runs."""
    if not _active(account) or account.agency_id is None:
        return Objection.objects.none()
    return objections_visible_to(account).filter(
        outcome=Objection.Outcome.PENDING, file__campaign__body_id=account.agency_id
    )


def objections_visible_to(account: Account) -> QuerySet[Objection]:
    files = files_visible_to(account).values("pk")
    return Objection.objects.filter(file__in=files).select_related(
        "file", "file__campaign", "file__case", "file__agency"
    )


def accountabilities_visible_to(account: Account) -> QuerySet[Accountability]:
    """Supervisors: the records about agencies of their region; an agency's staff: their own
    agency's (the case workspace shows them)."""
    qs = Accountability.objects.select_related("agency", "officer", "case", "file")
    if not _active(account):
        return qs.none()
    if account.role == Role.SUPERVISOR:
        prefix = region_of(account)
        if prefix is not None:
            return qs.filter(agency__division_code__startswith=prefix)
    if account.agency_id is not None:
        return qs.filter(agency_id=account.agency_id)
    return qs.none()


def may_record_accountability(account: Account) -> bool:
    """A supervisor with a region records (the agency must lie in it: the service checks)."""
    return _active(account) and account.role == Role.SUPERVISOR and region_of(account) is not None


# -- repeated failures (第二十五条) ------------------------------------------------------------


def repeated_failures_threshold() -> tuple[int, str]:
    return (
        int(getattr(settings, "ZHIFA_EVALUATION_REPEATED_FAILURES", 2)),
        str(getattr(settings, "ZHIFA_EVALUATION_REPEATED_FAILURES_SOURCE", "")),
    )


@dataclass
class Repeated:
    kind: str  # "agency" | "officer"
    pk: int
    name: str
    agency: str
    failed: int
    files: list[File]


def repeated_failures(account: Account, year: int) -> list[Repeated]:
    """Agencies and officers with at least the threshold of failed files in the year's campaigns
    the account sees (the officers: those acting on the failed files' cases)."""
    threshold, _ = repeated_failures_threshold()
    files = [
        f
        for f in files_visible_to(account)
        .filter(campaign__year=year, grade__gt="")
        .exclude(state=File.State.ASSIGNED)
        .order_by("pk")
        if is_failed(f)
    ]
    by_agency: dict[int, list[File]] = defaultdict(list)
    for f in files:
        by_agency[f.agency_id].append(f)
    by_officer: dict[int, list[File]] = defaultdict(list)
    names: dict[int, tuple[str, str]] = {}
    file_of_case = {f.case_id: f for f in files}
    for co in CaseOfficer.objects.filter(case_id__in=list(file_of_case)).select_related(
        "officer", "officer__agency"
    ):
        f = file_of_case[co.case_id]
        if f not in by_officer[co.officer_id]:
            by_officer[co.officer_id].append(f)
        names[co.officer_id] = (co.officer.name, co.officer.agency.name)
    out: list[Repeated] = []
    for agency_files_ in by_agency.values():
        if is_repeated(len(agency_files_), threshold):
            a = agency_files_[0].agency
            out.append(Repeated("agency", a.pk, a.name, a.name, len(agency_files_), agency_files_))
    for officer_id, officer_files in by_officer.items():
        if is_repeated(len(officer_files), threshold):
            name, agency = names[officer_id]
            out.append(
                Repeated("officer", officer_id, name, agency, len(officer_files), officer_files)
            )
    return sorted(out, key=lambda r: (r.kind, -r.failed, r.name))
