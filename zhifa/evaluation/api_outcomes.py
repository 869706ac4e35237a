"""The outcomes part's JSON API, mounted at /api/v1/evaluation/ by config/api.py: the campaign's
reports, the 复评, the feedback, objections and their re-check, the overall report and 通报 and
their publication, a matter from a failed file, the repeated failures and the accountability
register. As thin as the pages: the same gates and one service per operation, dated today
(Beijing); a refusal answers 409 naming its rule."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, cast

from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StrictBool, StrictInt, StrictStr

from zhifa.core.api_errors import responses
from zhifa.core.api_types import MAX_ID, ObjectId
from zhifa.core.exceptions import InvalidField
from zhifa.registry.models import Account, Officer
from zhifa.registry.schemas import PageParams
from zhifa.registry.selectors import agencies_visible_to

from . import selectors_outcomes as sel
from . import services_outcomes as services
from .access import access_campaign, access_file
from .models import Accountability, Campaign, File, Objection, Report
from .selectors import files_visible_to
from .views_outcomes import file_response

router = Router(tags=["案卷评查结果"])

RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
Text = Annotated[StrictStr, Field(min_length=1, max_length=4000, pattern=r"^[^\x00]*$")]
OptText = Annotated[StrictStr, Field(max_length=4000, pattern=r"^[^\x00]*$")]
Code = Annotated[StrictStr, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_.-]+$")]
ERR = (400, 401, 404, 409, 422, 503)


def _account(request: HttpRequest) -> Account:
    return cast(Account, request.auth)  # type: ignore[attr-defined]


def _today() -> date:
    return timezone.localdate()


# -- schemas -----------------------------------------------------------------------------------


class MarkIn(Schema):
    occurrences: StrictInt = Field(1, ge=0, le=1000, description="处数")
    deduction: Annotated[StrictStr, Field(max_length=12, pattern=r"^[0-9.]*$")] = Field(
        "", description="区间扣分时选择的扣分"
    )
    reason: OptText = Field("", description="扣分理由")


class OutcomeVetoIn(Schema):
    hit: StrictBool = True
    reason: OptText = ""


class OutcomeMarksIn(Schema):
    items: dict[Code, MarkIn] = Field(default_factory=dict, max_length=500)
    vetoes: dict[Code, OutcomeVetoIn] = Field(default_factory=dict, max_length=100)

    def as_marks(self) -> dict[str, Any]:
        items = {}
        for code, m in self.items.items():
            mark: dict[str, Any] = {"occurrences": m.occurrences, "reason": m.reason}
            if m.deduction:
                mark["deduction"] = m.deduction
            items[code] = mark
        vetoes = {c: {"hit": v.hit, "reason": v.reason} for c, v in self.vetoes.items()}
        return {"items": items, "vetoes": vetoes}


class SuggestionsIn(Schema):
    suggestions: OptText = Field("", description="整改建议或下一步工作，每行一条")


class CampaignCloseIn(SuggestionsIn):
    publish: StrictBool = Field(False, description="通报提交公开审核")


class RecheckIn(Schema):
    marks: OutcomeMarksIn
    reasons: Text


class ObjectionIn(Schema):
    reasons: Text


class AnswerIn(Schema):
    upheld: StrictBool
    answer: Text
    marks: OutcomeMarksIn | None = None


class AccountabilityIn(Schema):
    agency_id: ObjectId
    officer_id: ObjectId | None = None
    name: Annotated[StrictStr, Field(max_length=64, pattern=r"^[^\x00]*$")] = ""
    case_id: ObjectId | None = None
    file_id: ObjectId | None = None
    ground: Literal["responsibility", "fault"]
    measure: Literal[
        "criticism",
        "admonition",
        "written_review",
        "notice",
        "retraining",
        "reassignment",
        "disqualification",
        "rectification",
        "other",
    ]
    deciding_body: Annotated[StrictStr, Field(min_length=1, max_length=200, pattern=r"^[^\x00]*$")]
    decided_on: date
    note: OptText = ""


class ReportOut(Schema):
    id: int
    kind: str
    kind_label: str
    number: str
    agency: str
    issued_on: date
    pdf_sha256: str
    docx_sha256: str


class DeductionOut(Schema):
    item: str
    section: str
    points: str
    reasons: list[str]


class WindowOut(Schema):
    last_day: date
    remaining_workdays: int
    limit: str  # the time limit with its source


class OutcomeFileOut(Schema):
    id: int
    campaign_id: int
    campaign: str
    agency: str
    case_number: str
    total: str | None
    grade: str
    vetoes: list[str]
    deductions: list[DeductionOut]
    objection_window: WindowOut | None = None
    objection_id: int | None = None
    objection_outcome: str = ""


class ObjectionOut(Schema):
    id: int
    file_id: int
    reasons: str
    filed_on: date
    due_on: date
    outcome: str
    outcome_label: str
    answer: str
    answered_on: date | None
    late: bool
    new_total: str | None = None


class OutcomesOut(Schema):
    campaign_id: int
    state: str
    state_label: str
    reports: list[ReportOut]
    objections: list[ObjectionOut]
    problems: list[str]


class RepeatedOut(Schema):
    kind: Literal["agency", "officer"]
    id: int
    name: str
    agency: str
    failed: int
    file_ids: list[int]


class RepeatedPage(Schema):
    year: int
    threshold: int
    source: str
    results: list[RepeatedOut]


class AccountabilityOut(Schema):
    id: int
    name: str
    officer_id: int | None
    agency_id: int
    agency: str
    case_id: int | None
    file_id: int | None
    ground: str
    ground_label: str
    measure: str
    measure_label: str
    deciding_body: str
    decided_on: date
    note: str


class AccountabilityPage(Schema):
    count: int
    page: int
    results: list[AccountabilityOut]


class RepeatedFilters(Schema):
    year: int = Field(2026, ge=2000, le=2100)


class AccountabilityFilters(PageParams):
    officer_id: int | None = Field(None, ge=1, le=MAX_ID)


class OutcomeMatterOut(Schema):
    matter_id: int
    number: str


class PublicationOut(Schema):
    publication_id: int
    state: str


# -- converters --------------------------------------------------------------------------------


def _report_out(r: Report) -> ReportOut:
    return ReportOut(
        id=r.pk,
        kind=r.kind,
        kind_label=r.get_kind_display(),
        number=r.number,
        agency=r.agency.name if r.agency else "",
        issued_on=r.issued_on,
        pdf_sha256=r.pdf.sha256 if r.pdf else "",
        docx_sha256=r.docx.sha256 if r.docx else "",
    )


def _objection_out(o: Objection) -> ObjectionOut:
    return ObjectionOut(
        id=o.pk,
        file_id=o.file_id,
        reasons=o.reasons,
        filed_on=o.filed_on,
        due_on=o.due_on,
        outcome=o.outcome,
        outcome_label=o.get_outcome_display(),
        answer=o.answer,
        answered_on=o.answered_on,
        late=o.late,
        new_total=str(o.recheck.new_total) if o.recheck else None,
    )


def _file_out(f: File, today: date) -> OutcomeFileOut:
    deductions, vetoes = sel.file_deductions(f) if f.grade else ([], [])
    objection = Objection.objects.filter(file=f).first()
    running = objection is None and f.campaign.state == Campaign.State.FEEDBACK
    w = sel.objection_window(f, today) if running else None
    return OutcomeFileOut(
        id=f.pk,
        campaign_id=f.campaign_id,
        campaign=f.campaign.name,
        agency=f.agency.name,
        case_number=f.case.number or str(f.case_id),
        total=str(f.total) if f.total is not None else None,
        grade=f.grade,
        vetoes=[t + (f"（{r}）" if r else "") for t, r in vetoes],
        deductions=[
            DeductionOut(item=d.text, section=d.section, points=str(d.points), reasons=d.reasons)
            for d in deductions
        ],
        objection_window=WindowOut(
            last_day=w.last_day, remaining_workdays=w.remaining, limit=w.limit.text
        )
        if w
        else None,
        objection_id=objection.pk if objection else None,
        objection_outcome=objection.outcome if objection else "",
    )


def _accountability_out(a: Accountability) -> AccountabilityOut:
    return AccountabilityOut(
        id=a.pk,
        name=a.name,
        officer_id=a.officer_id,
        agency_id=a.agency_id,
        agency=a.agency.name,
        case_id=a.case_id,
        file_id=a.file_id,
        ground=a.ground,
        ground_label=a.get_ground_display(),
        measure=a.measure,
        measure_label=a.get_measure_display(),
        deciding_body=a.deciding_body,
        decided_on=a.decided_on,
        note=a.note,
    )


def _supervised_campaign(account: Account, campaign_id: int) -> Any:
    campaign = access_campaign(account, campaign_id)
    if account.role != Account.Role.SUPERVISOR and not sel.manages_campaign(account, campaign):
        raise Http404
    return campaign


def _outcomes(account: Account, campaign_id: int) -> OutcomesOut:
    c = _supervised_campaign(account, campaign_id)
    return OutcomesOut(
        campaign_id=c.pk,
        state=c.state,
        state_label=c.get_state_display(),
        reports=[_report_out(r) for r in sel.reports_visible_to(account).filter(campaign=c)],
        objections=[_objection_out(o) for o in sel.objections_of_campaign(c)],
        problems=[f"{p.text}（{p.files}件）" for p in sel.campaign_problems(c)],
    )


def _supervisor_file(account: Account, file_id: int) -> File:
    f = access_file(account, file_id)
    if account.role != Account.Role.SUPERVISOR:
        raise Http404
    return f


# -- the campaign's outcomes (supervisors) ------------------------------------------------------


@router.get(
    "/campaigns/{campaign_id}/outcomes",
    response=responses({200: OutcomesOut}, 401, 404, 422),
    summary="评查活动的报告、异议和文书",
)
def outcomes(request: HttpRequest, campaign_id: RowId) -> OutcomesOut:
    return _outcomes(_account(request), campaign_id)


@router.post(
    "/campaigns/{campaign_id}/team-report",
    response=responses({200: OutcomesOut}, *ERR),
    summary="制作评查小组报告（第十二条第（四）项、第十三条）",
)
def team_report(request: HttpRequest, campaign_id: RowId, payload: SuggestionsIn) -> OutcomesOut:
    account = _account(request)
    services.campaign_report_team(
        actor=account,
        campaign=_supervised_campaign(account, campaign_id),
        on=_today(),
        suggestions=payload.suggestions,
    )
    return _outcomes(account, campaign_id)


@router.post(
    "/campaigns/{campaign_id}/feedback",
    response=responses({200: OutcomesOut}, *ERR),
    summary="向被评查单位反馈评查结果（第十二条第（六）项）",
)
def feedback(request: HttpRequest, campaign_id: RowId) -> OutcomesOut:
    account = _account(request)
    services.campaign_feedback(
        actor=account, campaign=_supervised_campaign(account, campaign_id), on=_today()
    )
    return _outcomes(account, campaign_id)


@router.post(
    "/campaigns/{campaign_id}/close",
    response=responses({200: OutcomesOut}, *ERR),
    summary="制作评查总体报告和通报（第十二条第（八）项）",
)
def close(request: HttpRequest, campaign_id: RowId, payload: CampaignCloseIn) -> OutcomesOut:
    account = _account(request)
    services.campaign_close(
        actor=account,
        campaign=_supervised_campaign(account, campaign_id),
        on=_today(),
        suggestions=payload.suggestions,
        publish=payload.publish,
    )
    return _outcomes(account, campaign_id)


@router.post(
    "/files/{file_id}/recheck",
    response=responses({200: OutcomeFileOut}, *ERR),
    summary="复评不合格案卷（第十二条第（五）项）",
)
def recheck(request: HttpRequest, file_id: RowId, payload: RecheckIn) -> OutcomeFileOut:
    account = _account(request)
    f = _supervisor_file(account, file_id)
    services.file_recheck_failed(
        actor=account, file=f, marks=payload.marks.as_marks(), reasons=payload.reasons, on=_today()
    )
    return _file_out(File.objects.get(pk=f.pk), _today())


@router.post(
    "/files/{file_id}/matter",
    response=responses({201: OutcomeMatterOut}, *ERR),
    summary="就不合格案卷登记监督事项",
)
def matter(request: HttpRequest, file_id: RowId) -> Status[OutcomeMatterOut]:
    account = _account(request)
    m = services.file_matter_open(
        actor=account, file=_supervisor_file(account, file_id), on=_today()
    )
    return Status(201, OutcomeMatterOut(matter_id=m.pk, number=m.number))


@router.post(
    "/objections/{objection_id}/answer",
    response=responses({200: ObjectionOut}, *ERR),
    summary="复核并书面答复异议（第十二条第（七）项）",
)
def answer(request: HttpRequest, objection_id: RowId, payload: AnswerIn) -> ObjectionOut:
    account = _account(request)
    objection = sel.objections_visible_to(account).filter(pk=objection_id).first()
    if objection is None or account.role != Account.Role.SUPERVISOR:
        raise Http404
    done = services.objection_answer(
        actor=account,
        objection=objection,
        upheld=payload.upheld,
        answer=payload.answer,
        marks=payload.marks.as_marks() if payload.marks else None,
        on=_today(),
    )
    return _objection_out(done)


DOCUMENT_MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@router.get(
    "/reports/{report_id}/files/{fmt}",
    response=responses({}, 401, 404, 422),
    summary="下载评查文书（PDF 或 DOCX）",
    openapi_extra={
        "responses": {
            "200": {
                "description": "文书文件",
                "content": {media: {} for media in DOCUMENT_MEDIA.values()},
            }
        }
    },
)
def report_download(
    request: HttpRequest, report_id: RowId, fmt: Literal["pdf", "docx"]
) -> FileResponse:
    r = sel.reports_visible_to(_account(request)).filter(pk=report_id).first()
    if r is None:
        raise Http404
    return file_response(r.pdf if fmt == "pdf" else r.docx)


@router.post(
    "/reports/{report_id}/publish",
    response=responses({200: PublicationOut}, *ERR),
    summary="评查总体报告或通报提交公开审核",
)
def publish(request: HttpRequest, report_id: RowId) -> PublicationOut:
    account = _account(request)
    r = sel.reports_visible_to(account).filter(pk=report_id).first()
    if r is None or account.role != Account.Role.SUPERVISOR:
        raise Http404
    pub = services.report_publication_propose(actor=account, report=r, on=_today())
    return PublicationOut(publication_id=pub.pk, state=pub.state)


@router.get(
    "/repeated-failures",
    response=responses({200: RepeatedPage}, 401, 403, 422),
    summary="不合格案卷较多的单位和执法人员（第二十五条）",
)
def repeated(request: HttpRequest, filters: Query[RepeatedFilters]) -> RepeatedPage:
    account = _account(request)
    if account.role != Account.Role.SUPERVISOR:
        raise HttpError(403, "只有行政执法监督人员可以查看")
    threshold, source = sel.repeated_failures_threshold()
    return RepeatedPage(
        year=filters.year,
        threshold=threshold,
        source=source,
        results=[
            RepeatedOut(
                kind=cast(Literal["agency", "officer"], r.kind),
                id=r.pk,
                name=r.name,
                agency=r.agency,
                failed=r.failed,
                file_ids=[f.pk for f in r.files],
            )
            for r in sel.repeated_failures(account, filters.year)
        ],
    )


# -- the agency's head ------------------------------------------------------------------------


@router.get(
    "/agency/files",
    response=responses({200: list[OutcomeFileOut]}, 401, 403, 422),
    summary="本机关被评查案卷的得分、扣分和异议期限",
)
def agency_files(request: HttpRequest) -> list[OutcomeFileOut]:
    account = _account(request)
    if account.role != Account.Role.HEAD:
        raise HttpError(403, "只有机关负责人可以查看本机关的评查结果")
    today = _today()
    return [_file_out(f, today) for f in sel.agency_files(account)[:500]]


@router.post(
    "/files/{file_id}/objection",
    response=responses({201: ObjectionOut}, *ERR),
    summary="对评查结果提出异议（第十二条第（七）项，反馈之日起10个工作日内）",
)
def objection(request: HttpRequest, file_id: RowId, payload: ObjectionIn) -> Status[ObjectionOut]:
    account = _account(request)
    f = access_file(account, file_id)
    if account.role != Account.Role.HEAD or f.agency_id != account.agency_id:
        raise Http404
    o = services.objection_file(actor=account, file=f, reasons=payload.reasons, on=_today())
    return Status(201, _objection_out(o))


# -- 责任追究 register -------------------------------------------------------------------------


@router.get(
    "/accountability",
    response=responses({200: AccountabilityPage}, 401, 403, 422),
    summary="责任追究记录",
)
def accountability_list(
    request: HttpRequest, filters: Query[AccountabilityFilters]
) -> AccountabilityPage:
    account = _account(request)
    if account.role not in (Account.Role.SUPERVISOR, Account.Role.HEAD):
        raise HttpError(403, "只有行政执法监督人员和机关负责人可以查看责任追究记录")
    qs = sel.accountabilities_visible_to(account)
    if filters.officer_id is not None:
        qs = qs.filter(officer_id=filters.officer_id)
    start = (filters.page - 1) * filters.page_size
    return AccountabilityPage(
        count=qs.count(),
        page=filters.page,
        results=[_accountability_out(a) for a in qs[start : start + filters.page_size]],
    )


@router.get(
    "/accountability/{accountability_id}",
    response=responses({200: AccountabilityOut}, 401, 404, 422),
    summary="责任追究记录详情",
)
def accountability_detail(request: HttpRequest, accountability_id: RowId) -> AccountabilityOut:
    account = _account(request)
    a = sel.accountabilities_visible_to(account).filter(pk=accountability_id).first()
    if a is None or account.role not in (Account.Role.SUPERVISOR, Account.Role.HEAD):
        raise Http404
    return _accountability_out(a)


@router.post(
    "/accountability",
    response=responses({201: AccountabilityOut}, 403, *ERR),
    summary="登记责任追究",
)
def accountability_record(
    request: HttpRequest, payload: AccountabilityIn
) -> Status[AccountabilityOut]:
    account = _account(request)
    if not sel.may_record_accountability(account):
        raise HttpError(403, "只有行政执法监督人员可以登记责任追究")
    agencies = agencies_visible_to(account)
    agency = agencies.filter(pk=payload.agency_id).first()
    if agency is None:
        raise InvalidField("未找到本辖区的该执法机关", field="agency_id")
    officer = None
    if payload.officer_id is not None:
        officer = Officer.objects.filter(pk=payload.officer_id, agency__in=agencies).first()
        if officer is None:
            raise InvalidField("未找到该执法人员", field="officer_id")
    file = None
    if payload.file_id is not None:
        file = files_visible_to(account).filter(pk=payload.file_id).first()
        if file is None:
            raise InvalidField("未找到该评查案卷", field="file_id")
    row = services.accountability_record(
        actor=account,
        agency=agency,
        officer=officer,
        name=payload.name,
        case_id=payload.case_id,
        file=file,
        ground=payload.ground,
        measure=payload.measure,
        deciding_body=payload.deciding_body,
        decided_on=payload.decided_on,
        note=payload.note,
        on=_today(),
    )
    return Status(201, _accountability_out(row))
