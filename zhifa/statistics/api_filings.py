"""The filings' JSON API (季报/年报), mounted at /api/v1/statistics/ by config/api.py: list and
pull any filing the account sees as ``{"tables": [{"code", "name", "columns", "rows": [{"agency",
"values"}]}]}`` for the upper-level platforms, the cases behind a figure, the differences of a
frozen filing, and every step (generate, narrative, special note, submit, accept, return, file
by figures) through its service. One gate (``access_filing``: missing and not-yours are the same
404); a refused step answers 409 with the rule and its article."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, cast

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StrictInt, StrictStr

from zhifa.cases.selectors import cases_visible_to
from zhifa.core.api_errors import responses
from zhifa.core.api_types import MAX_ID, Money
from zhifa.core.exceptions import InvalidField
from zhifa.registry.models import Account, Agency
from zhifa.registry.schemas import PageParams

from . import filing_upload, services_filings
from .access_filings import access_filing
from .catalogue import INDICATORS
from .exporting_filings import filing_json, number_of
from .filing_rules import PREPARERS
from .models import Filing
from .periods import period_of
from .selectors_filings import (
    aggregate,
    coverage,
    due_on,
    filing_differences,
    filings_visible_to,
    supervisor_prefix,
    tables_for,
)

router = Router(tags=["行政执法统计报送"])

FilingId = Annotated[int, Path(ge=1, le=MAX_ID, description="统计报送编号（内部）")]
IndicatorCode = Annotated[str, Path(max_length=64, pattern=r"^[a-z_.]+$", description="指标代码")]
Year = Annotated[StrictInt, Field(ge=2000, le=2999, description="年度")]
Quarter = Annotated[StrictInt, Field(ge=0, le=4, description="季度1–4；0为年报")]
Text = Annotated[StrictStr, Field(max_length=20000, pattern=r"^[^\x00]*$")]
ERR = (400, 401, 404, 409, 422, 503)


def _account(request: HttpRequest) -> Account:
    return cast(Account, request.auth)  # type: ignore[attr-defined]


def _today() -> date:
    return timezone.localdate()


class ColumnOut(Schema):
    code: str
    name: str
    unit: str


class RowOut(Schema):
    agency: str
    agency_id: int
    values: dict[str, float] = Field(description="栏目代码 → 数值（件、次、人、元、%）")
    cases: dict[str, list[int]] | None = Field(None, description="栏目代码 → 计入的案件编号")


class FilingTableOut(Schema):
    code: str
    name: str
    columns: list[ColumnOut]
    rows: list[RowOut]


class FilingMetaOut(Schema):
    id: int
    agency: str
    agency_id: int
    year: int
    quarter: int = Field(description="季度1–4；0为年报")
    state: str
    state_label: str
    origin: str = Field(description="computed：系统生成；filed：填报")
    origin_label: str
    due_on: date
    submitted_on: date | None
    figures_sha256: str = Field(description="报送时固定数据的SHA-256（规范JSON）")


class StatisticsFilingOut(Schema):
    filing: FilingMetaOut
    tables: list[FilingTableOut]
    narrative: str
    special_notes: dict[str, str]
    comments: str


class FilingPage(Schema):
    count: int
    page: int
    results: list[FilingMetaOut]


class DifferenceOut(Schema):
    code: str
    name: str
    frozen_count: int
    live_count: int
    frozen_amount: str | None
    live_amount: str | None
    added: list[int] = Field(description="报送后新计入的案件")
    removed: list[int] = Field(description="报送后不再计入的案件")


class CountedCaseOut(Schema):
    id: int
    number: str
    title: str
    decided_on: date | None


class CoverageRowOut(Schema):
    agency_id: int
    agency: str
    filing_id: int | None
    state: str
    late: bool
    status: str
    frozen: bool = Field(description="true：已报送的固定数据；false：系统实时计算（未报送）")
    values: dict[str, float]


class CoverageOut(Schema):
    year: int
    quarter: int
    due_on: date
    rows: list[CoverageRowOut]
    total: dict[str, float]


class FilingListFilters(PageParams):
    year: int | None = Field(None, ge=2000, le=2999)
    quarter: int | None = Field(None, ge=0, le=4)


class PeriodQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2999, description="年度（默认今年）")
    quarter: int = Field(0, ge=0, le=4)


class GenerateIn(Schema):
    year: Year
    quarter: Quarter


class NarrativeIn(Schema):
    text: Text


class NoteIn(Schema):
    table: Annotated[StrictStr, Field(min_length=1, max_length=64, pattern=r"^[a-z_]+$")]
    text: Text


class CommentsIn(Schema):
    comments: Text = ""


class FigureIn(Schema):
    count: Annotated[StrictInt, Field(ge=0, le=filing_upload.MAX_COUNT)] = 0
    amount: Money | None = None


class FiledIn(Schema):
    year: Year
    quarter: Quarter
    figures: dict[Annotated[str, Field(max_length=64)], FigureIn] = Field(
        description="指标代码 → 数量与金额（元）"
    )


def _meta_of(f: Filing) -> dict[str, Any]:
    return {
        "id": f.pk,
        "agency": f.agency.name,
        "agency_id": f.agency_id,
        "year": f.year,
        "quarter": f.quarter,
        "state": f.state,
        "state_label": f.get_state_display(),
        "origin": f.origin,
        "origin_label": f.get_origin_display(),
        "due_on": f.due_on,
        "submitted_on": f.submitted_on,
        "figures_sha256": f.figures_sha256,
    }


def _out(f: Filing, *, cases: bool = False) -> dict[str, Any]:
    body = filing_json(f, cases=cases)
    return {
        "filing": _meta_of(f),
        "tables": body["tables"],
        "narrative": f.narrative,
        "special_notes": f.special_notes or {},
        "comments": f.comments,
    }


def _preparer(request: HttpRequest) -> tuple[Account, Agency]:
    account = _account(request)
    if account.role not in PREPARERS or account.agency is None:
        raise HttpError(403, "统计报送由本机关负责人或公示管理员编制和报送")
    return account, account.agency


def _filing(request: HttpRequest, filing_id: int) -> Filing:
    return access_filing(_account(request), filing_id)


@router.get(
    "/filings",
    response=responses({200: FilingPage}, 401, 422),
    summary="统计报送列表（本机关；监督人员为本区域）",
)
def filing_list(request: HttpRequest, filters: Query[FilingListFilters]) -> dict[str, Any]:
    qs = filings_visible_to(_account(request)).order_by("-year", "quarter", "pk")
    if filters.year is not None:
        qs = qs.filter(year=filters.year)
    if filters.quarter is not None:
        qs = qs.filter(quarter=filters.quarter)
    start = (filters.page - 1) * filters.page_size
    return {
        "count": qs.count(),
        "page": filters.page,
        "results": [_meta_of(f) for f in qs[start : start + filters.page_size]],
    }


@router.get(
    "/filings/{filing_id}",
    response=responses({200: StatisticsFilingOut}, 401, 404, 422),
    summary="统计报送数据（供上级平台调取）",
)
def filing_get(request: HttpRequest, filing_id: FilingId, cases: bool = False) -> dict[str, Any]:
    return _out(_filing(request, filing_id), cases=cases)


@router.get(
    "/filings/{filing_id}/differences",
    response=responses({200: list[DifferenceOut]}, 401, 404, 422),
    summary="报送后案件变动（固定数据与当前数据的差异）",
)
def filing_diff(request: HttpRequest, filing_id: FilingId) -> list[dict[str, Any]]:
    out = []
    for d in filing_differences(_filing(request, filing_id)):
        out.append(
            {
                **d.__dict__,
                "frozen_amount": None if d.frozen_amount is None else f"{d.frozen_amount:.2f}",
                "live_amount": None if d.live_amount is None else f"{d.live_amount:.2f}",
            }
        )
    return out


@router.get(
    "/filings/{filing_id}/cases/{indicator}",
    response=responses({200: list[CountedCaseOut]}, 401, 404, 422),
    summary="某项数据计入的案件",
)
def filing_cases(
    request: HttpRequest, filing_id: FilingId, indicator: IndicatorCode
) -> list[dict[str, Any]]:
    account = _account(request)
    filing = access_filing(account, filing_id)
    if indicator not in INDICATORS:
        raise Http404
    ids = (filing.counted or {}).get(indicator, [])
    return [
        {"id": c.pk, "number": c.number, "title": c.title, "decided_on": c.decided_on}
        for c in cases_visible_to(account).filter(pk__in=ids).order_by("decided_on", "pk")
    ]


@router.get(
    "/coverage",
    response=responses({200: CoverageOut}, 401, 403, 422),
    summary="本区域报送情况（监督人员）",
)
def filing_coverage(request: HttpRequest, params: Query[PeriodQuery]) -> dict[str, Any]:
    prefix = supervisor_prefix(_account(request))
    if prefix is None:
        raise HttpError(403, "只有执法监督人员可以查看本区域报送情况")
    year = params.year or _today().year
    period = period_of(year, params.quarter)
    rows = coverage(prefix, period, _today())
    codes = list(INDICATORS)
    total = aggregate(rows)
    return {
        "year": year,
        "quarter": params.quarter,
        "due_on": due_on(period),
        "rows": [
            {
                "agency_id": r.agency.pk,
                "agency": r.agency.name,
                "filing_id": r.filing.pk if r.filing else None,
                "state": r.filing.state if r.filing else "",
                "late": r.late,
                "status": r.status,
                "frozen": r.frozen,
                "values": {c: number_of(r.figures, c) for c in codes},
            }
            for r in rows
        ],
        "total": {c: number_of(total, c) for c in codes},
    }


@router.post(
    "/filings",
    response=responses({201: StatisticsFilingOut}, 403, *ERR),
    summary="生成统计报送（机关负责人、公示管理员）",
)
def filing_generate(request: HttpRequest, payload: GenerateIn) -> Status[dict[str, Any]]:
    account, agency = _preparer(request)
    f = services_filings.filing_generate(
        actor=account,
        agency=agency,
        year=payload.year,
        quarter=payload.quarter,
        on=_today(),
    )
    return Status(201, _out(f))


@router.post(
    "/filed-figures",
    response=responses({201: StatisticsFilingOut}, 403, *ERR),
    summary="填报统计数据（案件未在本平台办理的机关）",
)
def filing_filed(request: HttpRequest, payload: FiledIn) -> Status[dict[str, Any]]:
    account, agency = _preparer(request)
    codes = filing_upload.fileable(tables_for(agency))
    rows = [
        (i, [code, "", str(fig.count), "" if fig.amount is None else str(fig.amount)])
        for i, (code, fig) in enumerate(payload.figures.items(), start=1)
    ]
    try:
        figs = filing_upload.figures_of_rows(rows, codes)
    except filing_upload.FilingInvalid as exc:
        raise InvalidField("；".join(exc.errors[:20]), field="figures") from exc
    f = services_filings.filing_file(
        actor=account,
        agency=agency,
        year=payload.year,
        quarter=payload.quarter,
        figures=figs,
        on=_today(),
        how="api",
    )
    return Status(201, _out(f))


@router.post(
    "/filings/{filing_id}/narrative",
    response=responses({200: StatisticsFilingOut}, *ERR),
    summary="保存情况说明",
)
def filing_narrative(
    request: HttpRequest, filing_id: FilingId, payload: NarrativeIn
) -> dict[str, Any]:
    f = services_filings.filing_narrative_save(
        actor=_account(request), filing=_filing(request, filing_id), text=payload.text, on=_today()
    )
    return _out(f)


@router.post(
    "/filings/{filing_id}/special-notes",
    response=responses({200: StatisticsFilingOut}, *ERR),
    summary="保存专项说明",
)
def filing_note(request: HttpRequest, filing_id: FilingId, payload: NoteIn) -> dict[str, Any]:
    f = services_filings.filing_special_note_save(
        actor=_account(request),
        filing=_filing(request, filing_id),
        table=payload.table,
        text=payload.text,
        on=_today(),
    )
    return _out(f)


@router.post(
    "/filings/{filing_id}/submit",
    response=responses({200: StatisticsFilingOut}, *ERR),
    summary="报送（固定数据及计入案件）",
)
def filing_submit(request: HttpRequest, filing_id: FilingId) -> dict[str, Any]:
    f = services_filings.filing_submit(
        actor=_account(request), filing=_filing(request, filing_id), on=_today()
    )
    return _out(f)


@router.post(
    "/filings/{filing_id}/accept",
    response=responses({200: StatisticsFilingOut}, *ERR),
    summary="接收统计报送（监督人员）",
)
def filing_accept(request: HttpRequest, filing_id: FilingId, payload: CommentsIn) -> dict[str, Any]:
    f = services_filings.filing_accept(
        actor=_account(request),
        filing=_filing(request, filing_id),
        comments=payload.comments,
        on=_today(),
    )
    return _out(f)


@router.post(
    "/filings/{filing_id}/return",
    response=responses({200: StatisticsFilingOut}, *ERR),
    summary="退回统计报送（监督人员，须写明意见）",
)
def filing_return(request: HttpRequest, filing_id: FilingId, payload: CommentsIn) -> dict[str, Any]:
    f = services_filings.filing_return(
        actor=_account(request),
        filing=_filing(request, filing_id),
        comments=payload.comments,
        on=_today(),
    )
    return _out(f)
