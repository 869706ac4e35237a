"""Reads of the efficiency evaluation: who sees which scheme, result and survey; the figures
every indicator reads, counted for all agencies of a region at once (one aggregate query per
source, grouped by agency — never a query per agency); and the rows behind each figure (the
drill-down of the report).

Who sees what:
- the supervisors of the evaluating body's region see its schemes, results and surveys;
- an agency's head and staff see their own agency's result once the scheme is published, and
  the surveys about their agency (their results, never who answered — nobody can).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.http import Http404

from zhifa.cases.models import Case
from zhifa.core.identifiers import division_prefix
from zhifa.registry.models import Account, Agency

from . import indicators as ind
from .models import (
    EfficiencyResult,
    EfficiencyScheme,
    File,
    SatisfactionImport,
    Survey,
    SurveyAnswer,
    Template,
)

Role = Account.Role


def _active(account: Account) -> bool:
    return bool(account.is_authenticated and account.is_active)


def is_body_supervisor(account: Account, body: Agency | int) -> bool:
    body_id = body if isinstance(body, int) else body.pk
    return bool(
        _active(account) and account.role == Role.SUPERVISOR and account.agency_id == body_id
    )


def _region_q(account: Account, field: str) -> Q | None:
    if account.role == Role.SUPERVISOR and account.region_code:
        return Q(**{f"{field}__division_code__startswith": division_prefix(account.region_code)})
    return None


def schemes_visible_to(account: Account) -> QuerySet[EfficiencyScheme]:
    qs = EfficiencyScheme.objects.select_related("body")
    if not _active(account):
        return qs.none()
    region = _region_q(account, "body")
    if region is not None:
        return qs.filter(region)
    if account.agency_id is not None:
        # an agency sees the published schemes that evaluated it
        return qs.filter(
            state=EfficiencyScheme.State.PUBLISHED,
            results__agency_id=account.agency_id,
            results__run=F("run"),
        ).distinct()
    return qs.none()


def current_results(scheme: EfficiencyScheme) -> QuerySet[EfficiencyResult]:
    """The results of the scheme's latest computation (earlier runs are kept, not shown)."""
    return EfficiencyResult.objects.filter(scheme=scheme, run=scheme.run).select_related("agency")


def results_visible_to(account: Account, scheme: EfficiencyScheme) -> QuerySet[EfficiencyResult]:
    qs = current_results(scheme)
    if not _active(account):
        return qs.none()
    if _region_q(account, "body") is not None:
        return qs
    return qs.filter(agency_id=account.agency_id or -1)


def surveys_visible_to(account: Account) -> QuerySet[Survey]:
    qs = Survey.objects.select_related("body", "agency")
    if not _active(account):
        return qs.none()
    region = _region_q(account, "body")
    if region is not None:
        return qs.filter(region)
    if account.agency_id is not None and account.role == Role.HEAD:
        return qs.filter(agency_id=account.agency_id)
    return qs.none()


def access_scheme(account: Account, pk: int) -> EfficiencyScheme:
    obj = schemes_visible_to(account).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def results_all_visible_to(account: Account) -> QuerySet[EfficiencyResult]:
    """Every current result (the latest run of its scheme) the account may read: the region's
    supervisors all of their bodies' schemes, an agency its own once the scheme is published."""
    qs = EfficiencyResult.objects.filter(run=F("scheme__run")).select_related("agency", "scheme")
    if not _active(account):
        return qs.none()
    region = _region_q(account, "scheme__body")
    if region is not None:
        return qs.filter(region)
    return qs.filter(
        agency_id=account.agency_id or -1, scheme__state=EfficiencyScheme.State.PUBLISHED
    )


def access_result(account: Account, pk: int) -> EfficiencyResult:
    obj = results_all_visible_to(account).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def access_survey(account: Account, pk: int) -> Survey:
    obj = surveys_visible_to(account).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def survey_public(key: str) -> Survey | None:
    """The survey a public address names: its own key, or one of its printed tokens."""
    from .models import SurveyToken

    if not key or len(key) > 32:
        return None
    survey = Survey.objects.select_related("agency").filter(key=key).first()
    if survey is not None:
        return survey
    token = SurveyToken.objects.select_related("survey__agency").filter(code=key).first()
    return token.survey if token is not None else None


def region_agencies(body: Agency) -> QuerySet[Agency]:
    """The agencies a body evaluates: those of its region, itself and revoked ones excepted."""
    return (
        Agency.objects.filter(division_code__startswith=division_prefix(body.division_code))
        .exclude(pk=body.pk)
        .exclude(status=Agency.Status.REVOKED)
    )


# -- the figures ---


@dataclass(frozen=True)
class Window:
    """The counting window: the evaluated year, up to the day of computation."""

    year: int
    on: date

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        return min(date(self.year, 12, 31), self.on)


def _failing_grades() -> Q:
    """A file failed when its grade is its template's lowest band (广东 第十六条: 不合格)."""
    from . import scoring

    q = Q(grade="不合格")
    for pk, content, veto_effect in Template.objects.values_list("pk", "content", "veto_effect"):
        try:
            grade = scoring.parse_template(content, veto_effect=veto_effect).failing_grade
        except scoring.TemplateError:
            continue
        if grade != "不合格":
            q |= Q(template_id=pk, grade=grade)
    return q


def _files(scope: Q, w: Window) -> QuerySet[File]:
    return File.objects.filter(scope, campaign__year=w.year, state=File.State.SCORED)


def _publications(scope: Q, w: Window) -> Any:
    from zhifa.publicity.models import Publication

    S = Publication.State
    return (
        Publication.objects.filter(
            scope,
            source=Publication.Source.DECISION,
            due_on__gte=w.start,
            due_on__lte=w.end,
        )
        .exclude(state=S.HELD)
        .filter(Q(due_on__lt=w.on) | Q(state__in=(S.PUBLISHED, S.WITHDRAWN, S.EXPIRED)))
    )


def _cases(scope: Q, w: Window) -> QuerySet[Case]:
    return Case.objects.filter(
        scope,
        decision_deadline__isnull=False,
        decided_on__gte=w.start,
        decided_on__lte=w.end,
    )


def _inspections(scope: Q, w: Window) -> Any:
    from zhifa.inspections.models import Inspection

    return Inspection.objects.filter(
        scope, plan__isnull=False, year=w.year, planned_on__lte=w.end
    ).exclude(state=Inspection.State.REFUSED)


def _statistics_quarters_due(w: Window) -> list[int]:
    """The quarters of the year whose filing deadline has passed by the day of evaluation."""
    from zhifa.statistics.periods import period_of
    from zhifa.statistics.selectors_filings import due_on

    return [q for q in (1, 2, 3, 4) if due_on(period_of(w.year, q)) < w.on]


def _statistics_on_time(scope: Q, w: Window, quarters: list[int]) -> Any:
    """The quarterly filings of those quarters submitted by their deadline (statistics app)."""
    from django.db.models import F

    from zhifa.statistics.models import Filing

    return Filing.objects.filter(
        scope,
        year=w.year,
        quarter__in=quarters,
        submitted_on__isnull=False,
        submitted_on__lte=F("due_on"),
    )


def _answers(scope: Q, w: Window) -> QuerySet[SurveyAnswer]:
    return SurveyAnswer.objects.filter(scope, survey__year=w.year)


def figures_of(
    agencies: QuerySet[Agency], body: Agency, w: Window, names: Iterable[str]
) -> dict[int, dict[str, Decimal | None]]:
    """agency id → figure name → value, for the figures ``names`` only (unconnected ones None).
    One grouped query per source over the whole region."""
    want = set(names)
    ids = agencies.values("pk")
    out: dict[int, dict[str, Decimal | None]] = {
        pk: {} for pk in agencies.values_list("pk", flat=True)
    }

    def put(rows: Iterable[Any], key: str, fields: dict[str, str]) -> None:
        for row in rows:
            target = out.get(row[key])
            if target is None:
                continue
            for name, col in fields.items():
                target[name] = Decimal(row[col] or 0)

    zero = Decimal(0)
    if want & {"files_scored", "file_score_sum", "files_failed", "files_vetoed"}:
        put(
            _files(Q(agency_id__in=ids), w)
            .order_by()
            .values("agency_id")
            .annotate(
                n=Count("id"),
                s=Sum("total"),
                failed=Count("id", filter=_failing_grades()),
                vetoed=Count("id", filter=Q(vetoed=True)),
            ),
            "agency_id",
            {
                "files_scored": "n",
                "file_score_sum": "s",
                "files_failed": "failed",
                "files_vetoed": "vetoed",
            },
        )
    if want & {"publications_due", "publications_on_time"}:
        put(
            _publications(Q(agency_id__in=ids), w)
            .order_by()
            .values("agency_id")
            .annotate(n=Count("id"), ok=Count("id", filter=Q(on_time=True))),
            "agency_id",
            {"publications_due": "n", "publications_on_time": "ok"},
        )
    if want & {"cases_decided", "cases_decided_in_time"}:
        from django.db.models import F

        put(
            _cases(Q(agency_id__in=ids), w)
            .order_by()
            .values("agency_id")
            .annotate(
                n=Count("id"),
                ok=Count("id", filter=Q(decided_on__lte=F("decision_deadline"))),
            ),
            "agency_id",
            {"cases_decided": "n", "cases_decided_in_time": "ok"},
        )
    if want & {"plan_inspections", "plan_inspections_done"}:
        put(
            _inspections(Q(agency_id__in=ids), w)
            .order_by()
            .values("agency_id")
            .annotate(
                n=Count("id"),
                ok=Count("id", filter=Q(ended_on__isnull=False, ended_on__lte=w.end)),
            ),
            "agency_id",
            {"plan_inspections": "n", "plan_inspections_done": "ok"},
        )
    if want & {"statistics_due", "statistics_on_time"}:
        due = _statistics_quarters_due(w)
        for figures in out.values():
            figures["statistics_due"] = Decimal(len(due))
        if due:
            put(
                _statistics_on_time(Q(agency_id__in=ids), w, due)
                .order_by()
                .values("agency_id")
                .annotate(ok=Count("id")),
                "agency_id",
                {"statistics_on_time": "ok"},
            )
    if want & {"survey_answers", "survey_score_sum"}:
        put(
            _answers(Q(survey__agency_id__in=ids), w)
            .order_by()
            .values("survey__agency_id")
            .annotate(n=Count("id"), s=Sum("score")),
            "survey__agency_id",
            {"survey_answers": "n", "survey_score_sum": "s"},
        )
    if want & {"third_party_score", "third_party_count"}:
        latest: dict[int, str] = {}
        for scores in (
            SatisfactionImport.objects.filter(body=body, year=w.year)
            .order_by("pk")
            .values_list("scores", flat=True)
        ):
            latest.update({int(k): v for k, v in scores.items()})
        for pk, score in latest.items():
            if pk in out:
                out[pk]["third_party_score"] = Decimal(score)
                out[pk]["third_party_count"] = Decimal(1)
    for figures in out.values():
        for name in want:
            metric = ind.METRICS.get(name)
            if metric is not None and metric.kind == ind.UNCONNECTED:
                figures[name] = None
            else:
                figures.setdefault(name, zero)
    return out


# -- the rows behind a figure (drill-down) -------------------------------------------------------


@dataclass(frozen=True)
class Behind:
    label: str  # the case number, file, publication …
    detail: str
    counted: bool  # in the numerator (True) or only in the denominator
    url: str = ""


DRILLABLE = {
    "files": ("files_scored", "file_score_sum", "files_failed", "files_vetoed"),
    "publications": ("publications_due", "publications_on_time"),
    "cases": ("cases_decided", "cases_decided_in_time"),
    "inspections": ("plan_inspections", "plan_inspections_done"),
    "surveys": ("survey_answers", "survey_score_sum"),
    "statistics": ("statistics_due", "statistics_on_time"),
}


def source_of(metric: str) -> str | None:
    for source, names in DRILLABLE.items():
        if metric in names:
            return source
    return None


def rows_behind(source: str, agency: Agency, year: int, on: date, limit: int = 500) -> list[Behind]:
    """The files, cases, publications, inspections or surveys a figure counts, for one agency."""
    w = Window(year, on)
    scope = Q(agency_id=agency.pk)
    out: list[Behind] = []
    if source == "files":
        failing = _failing_grades()
        for f in (
            _files(scope, w)
            .select_related("case", "campaign")
            .annotate(failed=Count("id", filter=failing))[:limit]
        ):
            out.append(
                Behind(
                    f"{f.case.number or f.case_id}",
                    f"{f.campaign.name}：{f.total}分，{f.grade}"
                    + ("，触发否决项" if f.vetoed else ""),
                    not f.failed and not f.vetoed,
                    f"/cases/{f.case_id}/",
                )
            )
    elif source == "publications":
        for p in _publications(scope, w).select_related("case")[:limit]:
            out.append(
                Behind(
                    p.decision_number or str(p.case_id),
                    f"公示期限{p.due_on:%Y-%m-%d}，{p.get_state_display()}"
                    + (f"，{p.published_on:%Y-%m-%d}公开" if p.published_on else ""),
                    bool(p.on_time),
                    f"/cases/{p.case_id}/" if p.case_id else "",
                )
            )
    elif source == "cases":
        for c in _cases(scope, w).order_by("decided_on", "pk")[:limit]:
            assert c.decided_on is not None and c.decision_deadline is not None
            out.append(
                Behind(
                    c.number or str(c.pk),
                    f"决定日期{c.decided_on:%Y-%m-%d}，期限{c.decision_deadline:%Y-%m-%d}",
                    c.decided_on <= c.decision_deadline,
                    f"/cases/{c.pk}/",
                )
            )
    elif source == "inspections":
        for i in _inspections(scope, w).select_related("case", "entity")[:limit]:
            done = i.ended_on is not None and i.ended_on <= w.end
            out.append(
                Behind(
                    i.case.number or str(i.case_id),
                    f"计划{i.planned_on:%Y-%m-%d}，"
                    + (f"{i.ended_on:%Y-%m-%d}结束" if i.ended_on else "未实施"),
                    done,
                    f"/cases/{i.case_id}/",
                )
            )
    elif source == "statistics":
        from zhifa.statistics.models import Filing

        on_time = set(
            _statistics_on_time(scope, w, _statistics_quarters_due(w)).values_list("pk", flat=True)
        )
        for filing in Filing.objects.filter(scope, year=year, quarter__gte=1).order_by("quarter"):
            out.append(
                Behind(
                    f"{year}年第{filing.quarter}季度",
                    f"报送期限{filing.due_on:%Y-%m-%d}，{filing.get_state_display()}"
                    + (f"，{filing.submitted_on:%Y-%m-%d}报送" if filing.submitted_on else ""),
                    filing.pk in on_time,
                    f"/statistics/filings/{filing.pk}/",
                )
            )
    elif source == "surveys":
        for s in (
            Survey.objects.filter(agency=agency, year=year)
            .annotate(n=Count("answers"), total=Sum("answers__score"))
            .order_by("pk")[:limit]
        ):
            n = s.n
            mean = (s.total / n).quantize(Decimal("0.01")) if n else None
            out.append(
                Behind(
                    s.title,
                    f"答卷{n}份" + (f"，平均{mean}分" if mean is not None else ""),
                    True,
                    f"/evaluation/efficiency/surveys/{s.pk}/",
                )
            )
    return out


# -- surveys ---


@dataclass(frozen=True)
class SurveySummary:
    answers: int
    mean: Decimal | None
    per_question: list[tuple[str, Decimal | None]]
    tokens: int
    tokens_used: int


def survey_summary(survey: Survey) -> SurveySummary:
    answers = list(survey.answers.values_list("marks", "score"))
    n = len(answers)
    mean = (sum((s for _, s in answers), Decimal(0)) / n).quantize(Decimal("0.01")) if n else None
    per_q: list[tuple[str, Decimal | None]] = []
    for q in survey.questions:
        marks = [Decimal(str(m[q["code"]])) for m, _ in answers if q["code"] in m]
        per_q.append(
            (
                q["text"],
                (sum(marks, Decimal(0)) / len(marks)).quantize(Decimal("0.01")) if marks else None,
            )
        )
    tokens = survey.tokens.exclude(code="")
    return SurveySummary(n, mean, per_q, tokens.count(), tokens.filter(used=True).count())


def survey_is_open(survey: Survey, today: date) -> bool:
    return survey.opens_on <= today <= survey.closes_on


VERIFY_MINUTES = 10  # a phone code stays valid this long


def verify_window() -> timedelta:
    return timedelta(minutes=VERIFY_MINUTES)


def ranked(qs: QuerySet[EfficiencyResult]) -> QuerySet[EfficiencyResult]:
    """Results by rank, those without a total (no data) last, then by division and name."""
    return qs.order_by(F("rank").asc(nulls_last=True), "agency__division_code", "agency__name")
