"""The efficiency evaluation's JSON API, mounted at /api/v1/evaluation/ by config/api.py: schemes
(with their indicators and weights), the indicator check, computing, results, surveys.

As thin as the pages: lists from the ``*_visible_to`` selectors, one object through its gate
(missing and not-yours answer the same 404), one service per operation, dated today (Beijing).
A refusal answers 409 with the rule — the fines rule (第七十四条) for a fine-based indicator.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, cast

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict, StrictStr

from zhifa.core.api_errors import responses
from zhifa.core.api_types import MAX_ID
from zhifa.registry.models import Account
from zhifa.registry.schemas import PageParams

from . import indicators as ind
from . import selectors_efficiency as sel
from . import services_efficiency as svc
from .models import EfficiencyResult, EfficiencyScheme, Survey

router = Router(tags=["行政执法效能评价"])

SchemeId = Annotated[int, Path(ge=1, le=MAX_ID, description="效能评价编号（内部）")]
ResultId = Annotated[int, Path(ge=1, le=MAX_ID, description="评价结果编号（内部）")]
SurveyId = Annotated[int, Path(ge=1, le=MAX_ID, description="问卷编号（内部）")]
Short = Annotated[StrictStr, Field(max_length=200, pattern=r"^[^\x00]*$")]
Weight = Annotated[float, Field(ge=0, le=100)]
ERR = (400, 401, 404, 409, 422)


def _account(request: HttpRequest) -> Account:
    return cast(Account, request.auth)  # type: ignore[attr-defined]


def _today() -> date:
    return timezone.localdate()


# -- schemas -----------------------------------------------------------------------------------


class IndicatorIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: Annotated[StrictStr, Field(min_length=1, max_length=16, pattern=r"^[^\x00]*$")]
    component: Literal["quality", "duty", "satisfaction"]
    name: Annotated[StrictStr, Field(min_length=1, max_length=100, pattern=r"^[^\x00]*$")]
    formula: Annotated[StrictStr, Field(min_length=1, max_length=300, pattern=r"^[^\x00]*$")]
    unit: Literal["rate", "points"] = "rate"
    better: Literal["higher", "lower"] = "higher"
    weight: Annotated[float, Field(gt=0, le=100)] = 1


class EfficiencyIndicatorOut(Schema):
    code: str
    component: str
    component_label: str
    name: str
    formula: str
    formula_text: str = Field(description="计算公式（中文）")
    unit: str
    better: str
    weight: str
    unconnected: bool = Field(description="读取的数据尚未接入（不计分）")


class WeightsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    quality: Weight
    duty: Weight
    satisfaction: Weight


class SchemeOut(Schema):
    id: int
    body: str
    year: int
    name: str
    state: str
    state_label: str
    weights: dict[str, str]
    weights_source: str
    computed_on: date | None
    published_on: date | None
    indicators: list[EfficiencyIndicatorOut]


class SchemeCreateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    year: Annotated[int, Field(ge=2000, le=2100)]
    name: Short = ""


class SchemeIndicatorsIn(Schema):
    model_config = ConfigDict(extra="forbid")

    indicators: Annotated[list[IndicatorIn], Field(min_length=1, max_length=60)]
    weights: WeightsIn
    weights_source: Short = ""


class IndicatorCheckOut(Schema):
    ok: bool
    formula_text: str


class ValueOut(Schema):
    value: str | None
    numerator: str | None
    denominator: str | None
    score: str | None
    unconnected: bool


class ResultOut(Schema):
    id: int
    agency_id: int
    agency: str
    rank: int | None
    total: str | None
    quality: str | None
    duty: str | None
    satisfaction: str | None
    values: dict[str, ValueOut]


class ResultPage(Schema):
    count: int
    page: int
    results: list[ResultOut]


class SurveyOut(Schema):
    id: int
    title: str
    agency_id: int
    agency: str
    year: int
    mode: str
    opens_on: date
    closes_on: date
    questions: list[dict[str, str]]
    answers: int
    mean: str | None
    tokens: int
    tokens_used: int


def _d(v: Any) -> str | None:
    return None if v is None else str(v)


def _indicator_out(raw: dict[str, Any]) -> EfficiencyIndicatorOut:
    i = ind.indicator_check(raw)
    return EfficiencyIndicatorOut(
        code=i.code,
        component=i.component,
        component_label=ind.COMPONENTS[i.component],
        name=i.name,
        formula=i.formula,
        formula_text=ind.formula_text(i.formula),
        unit=i.unit,
        better=i.better,
        weight=str(i.weight),
        unconnected=i.unconnected,
    )


def _scheme_out(s: EfficiencyScheme) -> SchemeOut:
    return SchemeOut(
        id=s.pk,
        body=s.body.name,
        year=s.year,
        name=s.name,
        state=s.state,
        state_label=s.get_state_display(),
        weights={k: str(v) for k, v in s.weights().items()},
        weights_source=s.weights_source,
        computed_on=s.computed_on,
        published_on=s.published_on,
        indicators=[_indicator_out(r) for r in s.indicators],
    )


def _result_out(r: EfficiencyResult) -> ResultOut:
    return ResultOut(
        id=r.pk,
        agency_id=r.agency_id,
        agency=r.agency.name,
        rank=r.rank,
        total=_d(r.total),
        quality=_d(r.quality),
        duty=_d(r.duty),
        satisfaction=_d(r.satisfaction),
        values={k: ValueOut(**v) for k, v in r.values.items()},
    )


def _survey_out(s: Survey) -> SurveyOut:
    summary = sel.survey_summary(s)
    return SurveyOut(
        id=s.pk,
        title=s.title,
        agency_id=s.agency_id,
        agency=s.agency.name,
        year=s.year,
        mode=s.mode,
        opens_on=s.opens_on,
        closes_on=s.closes_on,
        questions=s.questions,
        answers=summary.answers,
        mean=_d(summary.mean),
        tokens=summary.tokens,
        tokens_used=summary.tokens_used,
    )


def _owned(account: Account, pk: int) -> EfficiencyScheme:
    scheme = sel.access_scheme(account, pk)
    if not sel.is_body_supervisor(account, scheme.body_id):
        raise HttpError(403, "只有组织该效能评价的监督机构人员可以操作")
    return scheme


# -- operations --------------------------------------------------------------------------------


@router.get(
    "/efficiency/schemes",
    response=responses({200: list[SchemeOut]}, 401, 422),
    summary="效能评价方案列表（监督机构为本行政区域；执法机关为已发布且评价本机关的）",
)
def scheme_list(request: HttpRequest) -> list[SchemeOut]:
    qs = sel.schemes_visible_to(_account(request)).order_by("-year", "pk")[:200]
    return [_scheme_out(s) for s in qs]


@router.post(
    "/efficiency/schemes",
    response=responses({201: SchemeOut}, 403, *ERR),
    summary="新建效能评价方案（默认指标；权重默认30/50/20，为本部署的选择）",
)
def scheme_create(request: HttpRequest, payload: SchemeCreateIn) -> Status[SchemeOut]:
    account = _account(request)
    if account.role != Account.Role.SUPERVISOR:
        raise HttpError(403, "只有执法监督人员可以组织效能评价")
    scheme = svc.scheme_create(actor=account, year=payload.year, name=payload.name, on=_today())
    return Status(201, _scheme_out(scheme))


@router.get(
    "/efficiency/schemes/{scheme_id}",
    response=responses({200: SchemeOut}, 401, 404, 422),
    summary="效能评价方案：权重及其依据、指标及计算公式",
)
def scheme_detail(request: HttpRequest, scheme_id: SchemeId) -> SchemeOut:
    return _scheme_out(sel.access_scheme(_account(request), scheme_id))


@router.post(
    "/efficiency/schemes/{scheme_id}/indicators",
    response=responses({200: SchemeOut}, 403, *ERR),
    summary="设置指标和权重（不得以罚没金额或处罚数量计分：《行政处罚法》第七十四条）",
)
def scheme_indicators(
    request: HttpRequest, scheme_id: SchemeId, payload: SchemeIndicatorsIn
) -> SchemeOut:
    account = _account(request)
    scheme = svc.scheme_indicators_set(
        actor=account,
        scheme=_owned(account, scheme_id),
        indicators=[i.dict() for i in payload.indicators],
        weights=payload.weights.dict(),
        weights_source=payload.weights_source,
        on=_today(),
    )
    return _scheme_out(scheme)


@router.post(
    "/efficiency/indicators/check",
    response=responses({200: IndicatorCheckOut}, *ERR),
    summary="检查一项指标（以罚没金额或处罚数量计分的，答复409并说明依据）",
)
def indicator_check(request: HttpRequest, payload: IndicatorIn) -> IndicatorCheckOut:
    from zhifa.core.exceptions import RuleViolation

    try:
        checked = ind.indicator_check(payload.dict())
    except ind.IndicatorError as exc:
        raise RuleViolation(exc.message, article=exc.article, field="formula") from exc
    return IndicatorCheckOut(ok=True, formula_text=ind.formula_text(checked.formula))


@router.post(
    "/efficiency/schemes/{scheme_id}/compute",
    response=responses({200: SchemeOut}, 403, *ERR),
    summary="计算本行政区域各执法机关的评价结果并排名",
)
def scheme_compute(request: HttpRequest, scheme_id: SchemeId) -> SchemeOut:
    account = _account(request)
    scheme = svc.efficiency_compute(actor=account, scheme=_owned(account, scheme_id), on=_today())
    return _scheme_out(scheme)


@router.post(
    "/efficiency/schemes/{scheme_id}/publish",
    response=responses({200: SchemeOut}, 403, *ERR),
    summary="发布评价结果，评价报告送本机构公开审核（《行政执法监督条例》第十九条）",
)
def scheme_publish(request: HttpRequest, scheme_id: SchemeId) -> SchemeOut:
    account = _account(request)
    scheme = _owned(account, scheme_id)
    svc.scheme_publish(actor=account, scheme=scheme, on=_today())
    scheme.refresh_from_db()
    return _scheme_out(scheme)


@router.get(
    "/efficiency/schemes/{scheme_id}/results",
    response=responses({200: ResultPage}, 401, 404, 422),
    summary="评价结果（按名次；执法机关只见本机关）",
)
def result_list(request: HttpRequest, scheme_id: SchemeId, page: Query[PageParams]) -> ResultPage:
    account = _account(request)
    scheme = sel.access_scheme(account, scheme_id)
    qs = sel.ranked(sel.results_visible_to(account, scheme))
    start = (page.page - 1) * page.page_size
    return ResultPage(
        count=qs.count(),
        page=page.page,
        results=[_result_out(r) for r in qs[start : start + page.page_size]],
    )


@router.get(
    "/efficiency/results/{result_id}",
    response=responses({200: ResultOut}, 401, 404, 422),
    summary="一个执法机关的评价结果：各指标的数值、分子、分母和得分",
)
def result_detail(request: HttpRequest, result_id: ResultId) -> ResultOut:
    return _result_out(sel.access_result(_account(request), result_id))


@router.get(
    "/efficiency/surveys",
    response=responses({200: list[SurveyOut]}, 401, 422),
    summary="满意度问卷及其结果",
)
def survey_list(request: HttpRequest) -> list[SurveyOut]:
    qs = sel.surveys_visible_to(_account(request)).order_by("-year", "pk")[:200]
    return [_survey_out(s) for s in qs]


@router.get(
    "/efficiency/surveys/{survey_id}",
    response=responses({200: SurveyOut}, 401, 404, 422),
    summary="一份满意度问卷的结果（匿名，无作答人信息）",
)
def survey_detail(request: HttpRequest, survey_id: SurveyId) -> SurveyOut:
    return _survey_out(sel.access_survey(_account(request), survey_id))
