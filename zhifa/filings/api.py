"""The filings JSON API, mounted at /api/v1/filings/ by config/api.py.

As thin as the pages: lists from ``filings_visible_to`` / ``decisions_unfiled``, one filing
through ``access_filing`` (missing and not-yours answer the same 404), one service per write;
a refusal answers 409 with the rule and its source. Writes need a token.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError

from zhifa.cases.access import CaseAction, access_case
from zhifa.core.api_errors import responses
from zhifa.core.api_types import MAX_ID, QUERY_TEXT_PATTERN
from zhifa.registry.models import Account

from . import services
from .access import FilingAction, access_filing
from .models import Filing
from .selectors import agency_matches, decisions_unfiled, filings_search

router = Router(tags=["重大行政处罚决定备案"])

FilingId = Annotated[int, Path(ge=1, le=MAX_ID, description="备案编号")]
CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="案件编号")]


class ReasonOut(Schema):
    text: str
    source: str


class FilingOut(Schema):
    id: int
    case_id: int
    agency_id: int
    agency: str
    region_code: str = Field(description="备案审查机关所在区域")
    decision_number: str
    decided_on: date
    due_on: date = Field(description="备案期限")
    due_basis: str
    filed_on: date
    late: bool
    late_reason: str
    review_due_on: date = Field(description="审查期限")
    review_basis: str
    state: str
    state_label: str
    reasons: list[ReasonOut]
    reviewed_on: date | None
    opinion: str
    transferred_to: str
    matter_id: int | None
    proceeding: str
    proceeding_body: str
    proceeding_on: date | None


class FilingDetailOut(FilingOut):
    report: str
    package: list[dict[str, Any]] = Field(
        description="备案材料：每项引用的文书版本（文件SHA-256）和全过程记录条目（叶哈希）"
    )


class UnfiledOut(Schema):
    case_id: int
    agency: str
    decision_number: str
    decided_on: date
    due_on: date
    overdue: bool
    reasons: list[ReasonOut]


class FilingFilters(Schema):
    state: str = Field("", description="状态", max_length=16)
    agency: int | None = Field(None, ge=1, le=MAX_ID, description="报送机关")
    late: bool = Field(False, description="仅逾期报送的")


class SubmitIn(Schema):
    on: date | None = Field(None, description="报送日期，默认今天")
    report: str = Field("", max_length=4000)
    late_reason: str = Field("", max_length=2000)


class ReviewIn(Schema):
    outcome: str = Field(description="registered 予以备案 / correction 建议纠正 / transferred 移送")
    on: date | None = Field(None, description="审查日期，默认今天")
    opinion: str = Field("", max_length=4000)
    transferred_to: str = Field("", max_length=128)


class CloseIn(Schema):
    proceeding: str = Field(description="reconsideration 行政复议 / litigation 行政诉讼")
    body: str = Field(max_length=128, description="受理的复议机关或人民法院")
    accepted_on: date


def _account(request: HttpRequest) -> Account:
    return cast(Account, request.auth)  # type: ignore[attr-defined]


def _out(f: Filing, detail: bool = False) -> dict[str, Any]:
    out = {
        "id": f.pk,
        "case_id": f.case_id,
        "agency_id": f.agency_id,
        "agency": f.agency.name,
        "state_label": f.get_state_display(),
        **{
            k: getattr(f, k)
            for k in (
                "region_code",
                "decision_number",
                "decided_on",
                "due_on",
                "due_basis",
                "filed_on",
                "late",
                "late_reason",
                "review_due_on",
                "review_basis",
                "state",
                "reasons",
                "reviewed_on",
                "opinion",
                "transferred_to",
                "matter_id",
                "proceeding",
                "proceeding_body",
                "proceeding_on",
            )
        },
    }
    if detail:
        out["report"], out["package"] = f.report, f.package
    return out


def _gate(account: Account, filing_id: int, action: FilingAction) -> Filing:
    try:
        return access_filing(account, filing_id, action)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or _("无权执行此操作")) from None


@router.get(
    "/",
    response=responses({200: list[FilingOut]}, 401, 422),
    summary="已报送的备案（本机关；监督人员为本辖区）",
)
def filing_list(request: HttpRequest, filters: Query[FilingFilters]) -> list[dict[str, Any]]:
    qs = filings_search(
        _account(request),
        state=filters.state,
        agency=filters.agency,
        late="1" if filters.late else "",
    )
    return [_out(f) for f in qs[:500]]


@router.get(
    "/unfiled",
    response=responses({200: list[UnfiledOut]}, 401),
    summary="应报未报的重大行政处罚决定（含逾期）",
)
def unfiled_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "case_id": u.case.pk,
            "agency": u.case.agency.name,
            "decision_number": u.case.decision_number,
            "decided_on": u.case.decided_on,
            "due_on": u.due_on,
            "overdue": u.overdue,
            "reasons": [r.as_dict() for r in u.reasons],
        }
        for u in decisions_unfiled(_account(request), timezone.localdate())
    ]


class FilingAgencyOut(Schema):
    id: int
    name: str = Field(description="执法主体名称")


class FilingAgenciesOut(Schema):
    results: list[FilingAgencyOut]
    more: bool = Field(description="匹配超过返回条数：请输入更多字")


class FilingAgencyLookup(Schema):
    q: str = Field(
        "", max_length=50, pattern=QUERY_TEXT_PATTERN, description="名称中的字词（空：不返回）"
    )


@router.get(
    "/agencies",
    response=responses({200: FilingAgenciesOut}, 401, 422),
    summary="报送机关名称查找（本账号可见的执法主体，含暂停、撤销的）",
    url_name="filing_agency_lookup",
)
def agency_lookup(request: HttpRequest, filters: Query[FilingAgencyLookup]) -> FilingAgenciesOut:
    """The bodies visible to the account whose name contains ``q``, at most 20: the list's
    agency filter (``js/agency-search.js``)."""
    if not filters.q.strip():
        return FilingAgenciesOut(results=[], more=False)
    found, more = agency_matches(_account(request), filters.q)
    return FilingAgenciesOut(
        results=[FilingAgencyOut(id=pk, name=name) for pk, name in found], more=more
    )


@router.get(
    "/{filing_id}",
    response=responses({200: FilingDetailOut}, 401, 404, 422),
    summary="备案详情与备案材料",
)
def filing_detail(request: HttpRequest, filing_id: FilingId) -> dict[str, Any]:
    return _out(_gate(_account(request), filing_id, FilingAction.READ), detail=True)


@router.post(
    "/cases/{case_id}/submit",
    response=responses({201: FilingDetailOut}, 400, 401, 403, 404, 409, 422),
    summary="报送重大行政处罚决定备案（材料从全过程记录汇集）",
)
def filing_submit(
    request: HttpRequest, case_id: CaseId, payload: SubmitIn
) -> Status[FilingDetailOut]:
    account = _account(request)
    case = access_case(account, case_id, CaseAction.READ)
    if account.agency_id != case.agency_id or account.role not in ("officer", "head"):
        raise HttpError(403, _("只有本机关的执法人员或负责人可以报送备案"))
    filing = services.filing_submit(
        actor=account,
        case=case,
        on=payload.on or timezone.localdate(),
        report=payload.report,
        late_reason=payload.late_reason,
    )
    return Status(201, FilingDetailOut(**_out(filing, detail=True)))


@router.post(
    "/{filing_id}/review",
    response=responses({200: FilingDetailOut}, 400, 401, 403, 404, 409, 422),
    summary="审查结论：予以备案、建议纠正（立监督事项）或移送",
)
def filing_review(request: HttpRequest, filing_id: FilingId, payload: ReviewIn) -> dict[str, Any]:
    account = _account(request)
    filing = _gate(account, filing_id, FilingAction.REVIEW)
    row = services.filing_review(
        actor=account,
        filing=filing,
        outcome=payload.outcome,
        on=payload.on or timezone.localdate(),
        opinion=payload.opinion,
        transferred_to=payload.transferred_to,
    )
    return _out(row, detail=True)


@router.post(
    "/{filing_id}/close",
    response=responses({200: FilingDetailOut}, 400, 401, 403, 404, 409, 422),
    summary="终止审查：该决定已进入行政复议或行政诉讼（《行政执法监督条例》第三十三条）",
)
def filing_close(request: HttpRequest, filing_id: FilingId, payload: CloseIn) -> dict[str, Any]:
    account = _account(request)
    filing = _gate(account, filing_id, FilingAction.REVIEW)
    row = services.filing_close(
        actor=account,
        filing=filing,
        proceeding=payload.proceeding,
        body=payload.body,
        accepted_on=payload.accepted_on,
    )
    return _out(row, detail=True)
