"""The campaigns JSON API, mounted at /api/v1/evaluation/ by config/api.py.

As thin as the pages: lists from ``campaigns_visible_to``, one campaign or file through the
gates of ``access.py`` (missing and not-yours answer the same 404), one service per operation,
dated today (Beijing). A refused step answers 409 with the rule and its article. A reviewer
reads only their own scoring of a file until every reviewer of it has signed (第十条 独立评分).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Any, cast

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import StrictBool, StrictStr

from zhifa.core.api_errors import responses
from zhifa.core.api_types import MAX_ID, LegalDate, ObjectId
from zhifa.core.exceptions import InvalidField
from zhifa.registry.models import Account
from zhifa.registry.schemas import PageParams

from . import selectors_campaigns as sel
from . import services_campaigns as services
from .access import access_campaign, access_file
from .models import Campaign, File, Scoring
from .selectors import campaigns_visible_to, may_run_campaigns

router = Router(tags=["案卷评查活动"])

CampaignId = Annotated[int, Path(ge=1, le=MAX_ID, description="评查活动编号（内部）")]
FileId = Annotated[int, Path(ge=1, le=MAX_ID, description="评查案卷编号（内部）")]
Text = Annotated[StrictStr, Field(max_length=4000, pattern=r"^[^\x00]*$")]
Short = Annotated[StrictStr, Field(max_length=1000, pattern=r"^[^\x00]*$")]
Code = Annotated[StrictStr, Field(min_length=1, max_length=64, pattern=r"^[^\x00]*$")]
Points = Annotated[
    StrictStr, Field(pattern=r"^\d{1,3}(\.\d{1,2})?$", description="分值，如 7.5（最多两位小数）")
]

ERR = (400, 401, 404, 409, 422)


def _account(request: HttpRequest) -> Account:
    return cast(Account, request.auth)  # type: ignore[attr-defined]


def _today() -> date:
    return timezone.localdate()


# -- schemas -----------------------------------------------------------------------------------


class CampaignIn(Schema):
    name: Annotated[StrictStr, Field(min_length=1, max_length=200, pattern=r"^[^\x00]*$")]
    agency_ids: list[ObjectId] = Field(..., min_length=1, max_length=5000)
    kinds: list[Code] = Field(..., min_length=1, max_length=10, description="案件类别代码")
    decided_from: LegalDate
    decided_to: LegalDate
    starts_on: LegalDate
    ends_on: LegalDate
    sampling: Code = Field(
        ..., description="census（普查）/ random（随机抽查）/ submitted（自行选送）"
    )
    sample_ratio: Points | None = Field(None, description="抽取比例（%），与件数二选一")
    sample_count: int | None = Field(None, ge=1, le=100000, description="每个机关抽取件数")
    reviewers_per_file: int | None = Field(None, ge=1, le=9, description="每卷评查人数；不填用设置")
    difference_threshold: Points | None = Field(None, description="分差阈值（分）；不填用设置")
    steps: Text = ""
    requirements: Text = ""


class MemberIn(Schema):
    kind: Code = Field(..., description="supervisor / officer / npc / cppcc / expert / monitor")
    account_id: ObjectId | None = None
    name: Annotated[StrictStr, Field(max_length=64, pattern=r"^[^\x00]*$")] = ""
    home_agency_id: ObjectId | None = None
    is_leader: StrictBool = False


class DrawIn(Schema):
    seed: Annotated[StrictStr, Field(max_length=128, pattern=r"^[^\x00]*$")] = Field(
        "", description="随机种子；不填由系统生成。抽取前与案卷总体一并记入全过程记录"
    )


class CampaignSubmitIn(Schema):
    case_id: ObjectId


class ItemMarkIn(Schema):
    occurrences: int = Field(0, ge=0, le=10000, description="扣分处数（固定、区间扣分为0或1）")
    deduction: Points | None = Field(None, description="区间扣分项选择的扣分")
    reason: Short = ""
    override_reason: Short = Field("", description="不采纳系统预评的理由")


class VetoMarkIn(Schema):
    hit: StrictBool = False
    reason: Short = ""
    override_reason: Short = ""


class CampaignMarksIn(Schema):
    items: dict[Code, ItemMarkIn] = Field(default_factory=dict, max_length=1000)
    vetoes: dict[Code, VetoMarkIn] = Field(default_factory=dict, max_length=200)


class ReconcileIn(CampaignMarksIn):
    reason: Annotated[StrictStr, Field(min_length=1, max_length=4000, pattern=r"^[^\x00]*$")]


class MemberOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    account_id: int | None
    home_agency_id: int | None
    is_leader: bool


class CampaignFileOut(Schema):
    id: int
    case_id: int
    case_number: str
    agency_id: int
    agency: str
    template_id: int
    origin: str
    rank: int | None
    state: str
    state_label: str
    total: Decimal | None
    grade: str
    vetoed: bool
    result_basis: str


class CampaignOut(Schema):
    id: int
    number: str
    name: str
    body_id: int
    body: str
    self_evaluation: bool
    year: int
    kinds: list[str]
    agency_ids: list[int]
    template_ids: list[int]
    decided_from: date
    decided_to: date
    starts_on: date
    ends_on: date
    sampling: str
    sample_ratio: Decimal | None
    sample_count: int | None
    reviewers_per_file: int
    difference_threshold: Decimal
    state: str
    state_label: str
    seed: str
    population_sha256: str
    population_entry_seq: int | None = Field(None, description="记录案卷总体和种子的记录序号")
    drawn_on: date | None


class CampaignDetailOut(CampaignOut):
    steps: str
    requirements: str
    members: list[MemberOut]
    files: list[CampaignFileOut]


class CampaignPage(Schema):
    count: int
    page: int
    results: list[CampaignOut]


class ScoringOut(Schema):
    id: int
    reviewer: str
    mine: bool
    state: str
    marks: dict[str, Any]
    total: Decimal | None
    grade: str
    vetoed: bool
    signed_on: date | None


class FileDetailOut(CampaignFileOut):
    campaign_id: int
    proposals: dict[str, Any] = Field(description="系统预评：评查项、否决项编号 → 检查结论及证据")
    proposed_marks: dict[str, Any]
    template_content: dict[str, Any]
    scorings: list[ScoringOut] = Field(description="可见的评分：全部签名前只有本人的")
    result: dict[str, Any]
    result_reason: str


class CampaignEntryOut(Schema):
    seq: int
    actor: str
    action_label: str


class CaseReadOut(Schema):
    case_id: int
    number: str
    title: str
    kind: str
    state: str
    registered_on: date | None
    decided_on: date | None
    decision_number: str
    steps: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    entries: list[CampaignEntryOut]


# -- mapping ---------------------------------------------------------------------------------


def _file_out(f: File) -> dict[str, Any]:
    return {
        "id": f.pk,
        "case_id": f.case_id,
        "case_number": f.case.number,
        "agency_id": f.agency_id,
        "agency": f.agency.name,
        "template_id": f.template_id,
        "origin": f.origin,
        "rank": f.rank,
        "state": f.state,
        "state_label": f.get_state_display(),
        "total": f.total,
        "grade": f.grade,
        "vetoed": f.vetoed,
        "result_basis": f.result_basis,
    }


def _campaign_out(c: Campaign) -> dict[str, Any]:
    entry = sel.campaign_population_entry(c) if c.seed else None
    return {
        "id": c.pk,
        "number": c.number,
        "name": c.name,
        "body_id": c.body_id,
        "body": c.body.name,
        "self_evaluation": c.self_evaluation,
        "year": c.year,
        "kinds": list(c.kinds),
        "agency_ids": sorted(c.agencies.values_list("pk", flat=True)),
        "template_ids": sorted(c.templates.values_list("pk", flat=True)),
        "decided_from": c.decided_from,
        "decided_to": c.decided_to,
        "starts_on": c.starts_on,
        "ends_on": c.ends_on,
        "sampling": c.sampling,
        "sample_ratio": c.sample_ratio,
        "sample_count": c.sample_count,
        "reviewers_per_file": c.reviewers_per_file,
        "difference_threshold": c.difference_threshold,
        "state": c.state,
        "state_label": c.get_state_display(),
        "seed": c.seed,
        "population_sha256": c.population_sha256,
        "population_entry_seq": entry.seq if entry else None,
        "drawn_on": c.drawn_on,
    }


def _detail(c: Campaign) -> CampaignDetailOut:
    return CampaignDetailOut(
        **_campaign_out(c),
        steps=c.steps,
        requirements=c.requirements,
        members=[
            MemberOut(
                id=m.pk,
                name=m.name,
                kind=m.kind,
                kind_label=m.get_kind_display(),
                account_id=m.account_id,
                home_agency_id=m.home_agency_id,
                is_leader=m.is_leader,
            )
            for m in sel.campaign_members(c)
        ],
        files=[CampaignFileOut(**_file_out(f)) for f in sel.campaign_files(c)],
    )


def _file_detail(account: Account, f: File) -> FileDetailOut:
    scorings = sel.visible_scorings(account, f)
    return FileDetailOut(
        **_file_out(f),
        campaign_id=f.campaign_id,
        proposals=f.proposals or {},
        proposed_marks=services.proposals_of(f),
        template_content=f.template.content,
        scorings=[
            ScoringOut(
                id=s.pk,
                reviewer=s.reviewer.name,
                mine=s.reviewer.account_id == account.pk,
                state=s.state,
                marks=s.marks,
                total=s.total,
                grade=s.grade,
                vetoed=s.vetoed,
                signed_on=s.signed_on,
            )
            for s in scorings
        ],
        result=f.result or {},
        result_reason=f.result_reason,
    )


def _marks(payload: CampaignMarksIn) -> dict[str, Any]:
    return {
        "items": {k: v.dict() for k, v in payload.items.items()},
        "vetoes": {k: v.dict() for k, v in payload.vetoes.items()},
    }


# -- operations ------------------------------------------------------------------------------


@router.get(
    "/campaigns", response=responses({200: CampaignPage}, 401, 422), summary="案卷评查活动列表"
)
def campaign_list(request: HttpRequest, filters: Query[PageParams]) -> CampaignPage:
    qs = campaigns_visible_to(_account(request)).order_by("-starts_on", "-pk")
    start = (filters.page - 1) * filters.page_size
    return CampaignPage(
        count=qs.count(),
        page=filters.page,
        results=[CampaignOut(**_campaign_out(c)) for c in qs[start : start + filters.page_size]],
    )


@router.post(
    "/campaigns",
    response=responses({201: CampaignDetailOut}, 403, *ERR),
    summary="制定评查工作方案（《广东省行政执法案卷评查办法》第十二条第（一）项）",
)
def campaign_plan(request: HttpRequest, payload: CampaignIn) -> Status[CampaignDetailOut]:
    account = _account(request)
    if not may_run_campaigns(account):
        raise HttpError(
            403,
            "只有执法监督机构的人员或者执法部门负责人可以组织案卷评查（《广东省行政执法案卷评查办法》第四条、第六条）",
        )
    choices = sel.campaign_agency_choices(account)
    agencies = list(choices.filter(pk__in=payload.agency_ids))
    if len(agencies) != len(set(payload.agency_ids)):
        raise InvalidField("评查对象中有本辖区以外或不存在的机关", field="agency_ids")
    c = services.campaign_plan(
        actor=account,
        name=payload.name,
        agencies=agencies,
        kinds=payload.kinds,
        decided_from=payload.decided_from,
        decided_to=payload.decided_to,
        starts_on=payload.starts_on,
        ends_on=payload.ends_on,
        sampling_mode=payload.sampling,
        sample_ratio=Decimal(payload.sample_ratio) if payload.sample_ratio else None,
        sample_count=payload.sample_count,
        reviewers_per_file=payload.reviewers_per_file,
        difference_threshold=(
            Decimal(payload.difference_threshold) if payload.difference_threshold else None
        ),
        steps=payload.steps,
        requirements=payload.requirements,
        on=_today(),
    )
    return Status(201, _detail(c))


@router.get(
    "/campaigns/{campaign_id}",
    response=responses({200: CampaignDetailOut}, 401, 404, 422),
    summary="评查活动详情（工作方案、评查小组、抽取记录、案卷）",
)
def campaign_detail(request: HttpRequest, campaign_id: CampaignId) -> CampaignDetailOut:
    return _detail(access_campaign(_account(request), campaign_id))


@router.post(
    "/campaigns/{campaign_id}/members",
    response=responses({200: CampaignDetailOut}, 403, *ERR),
    summary="加入评查小组成员（第九条；回避本单位案卷，第十条）",
)
def member_add(
    request: HttpRequest, campaign_id: CampaignId, payload: MemberIn
) -> CampaignDetailOut:
    account = _account(request)
    c = access_campaign(account, campaign_id)
    if not services.may_manage(account, c):
        raise HttpError(
            403, "只有组织本次评查的机构可以调整评查小组（《广东省行政执法案卷评查办法》第九条）"
        )
    member_account = None
    if payload.account_id is not None:
        member_account = sel.team_candidates(account).filter(pk=payload.account_id).first()
        if member_account is None:
            raise InvalidField("未找到可以加入评查小组的该账号", field="account_id")
    home = None
    if payload.home_agency_id is not None:
        home = sel.campaign_agency_choices(account).filter(pk=payload.home_agency_id).first()
        if home is None:
            raise InvalidField("未找到该单位", field="home_agency_id")
    services.campaign_member_add(
        actor=account,
        campaign=c,
        kind=payload.kind,
        account=member_account,
        name=payload.name,
        home_agency=home,
        is_leader=payload.is_leader,
        on=_today(),
    )
    return _detail(access_campaign(account, campaign_id))


@router.post(
    "/campaigns/{campaign_id}/draw",
    response=responses({200: CampaignDetailOut}, 403, *ERR),
    summary="抽取案卷并分配评查人员（随机抽查先记录案卷总体及种子）",
)
def campaign_draw(
    request: HttpRequest, campaign_id: CampaignId, payload: DrawIn
) -> CampaignDetailOut:
    account = _account(request)
    c = access_campaign(account, campaign_id)
    if not services.may_manage(account, c):
        raise HttpError(
            403, "只有组织本次评查的机构可以抽取案卷（《广东省行政执法案卷评查办法》第八条）"
        )
    services.campaign_draw(
        actor=account,
        campaign=c,
        on=_today(),
        seed=payload.seed or None,
    )
    return _detail(access_campaign(account, campaign_id))


@router.post(
    "/campaigns/{campaign_id}/submissions",
    response=responses({200: CampaignDetailOut}, 403, *ERR),
    summary="自行选送案卷（被评查机关负责人，第八条）",
)
def file_submit(
    request: HttpRequest, campaign_id: CampaignId, payload: CampaignSubmitIn
) -> CampaignDetailOut:
    account = _account(request)
    c = access_campaign(account, campaign_id)
    if not sel.may_submit(account, c):
        raise HttpError(
            403,
            "只有被评查机关的负责人可以在自行选送的评查中选送本机关的案卷（《广东省行政执法案卷评查办法》第八条）",
        )
    case = sel.cases_to_submit(account, c).filter(pk=payload.case_id).first()
    if case is None:
        raise InvalidField(
            "只能选送本机关在评查期间内已作出决定、属于评查类别且尚未选送的案卷", field="case_id"
        )
    services.campaign_file_submit(actor=account, campaign=c, case=case, on=_today())
    return _detail(access_campaign(account, campaign_id))


@router.get(
    "/my-files",
    response=responses({200: list[CampaignFileOut]}, 401),
    summary="分配给我评分、待我核定的案卷",
)
def my_files(request: HttpRequest) -> list[CampaignFileOut]:
    account = _account(request)
    files = [s.file for s in sel.scorings_of(account)] + list(sel.files_to_reconcile(account))
    return [CampaignFileOut(**_file_out(f)) for f in files]


@router.get(
    "/files/{file_id}",
    response=responses({200: FileDetailOut}, 401, 404, 422),
    summary="评查案卷：系统预评及可见的评分（全部签名前只见本人的）",
)
def file_detail(request: HttpRequest, file_id: FileId) -> FileDetailOut:
    account = _account(request)
    return _file_detail(account, access_file(account, file_id))


def _own(account: Account, f: File) -> Scoring:
    row = f.scorings.filter(reviewer__account=account, reviewer__active=True).first()
    if row is None:
        raise HttpError(
            403, "只有分配到该案卷的评查人员可以评分（《广东省行政执法案卷评查办法》第十条）"
        )
    return row


@router.put(
    "/files/{file_id}/scoring",
    response=responses({200: FileDetailOut}, 403, *ERR),
    summary="保存评分草稿（不采纳预评须写明理由）",
)
def scoring_save(request: HttpRequest, file_id: FileId, payload: CampaignMarksIn) -> FileDetailOut:
    account = _account(request)
    f = access_file(account, file_id)
    services.scoring_save(
        actor=account, scoring_row=_own(account, f), marks=_marks(payload), on=_today()
    )
    return _file_detail(account, access_file(account, file_id))


@router.post(
    "/files/{file_id}/scoring/sign",
    response=responses({200: FileDetailOut}, 403, *ERR),
    summary="评分签名（扣分须写明理由，第十条）",
)
def scoring_sign(request: HttpRequest, file_id: FileId, payload: CampaignMarksIn) -> FileDetailOut:
    account = _account(request)
    f = access_file(account, file_id)
    services.scoring_sign(
        actor=account, scoring_row=_own(account, f), marks=_marks(payload), on=_today()
    )
    return _file_detail(account, access_file(account, file_id))


@router.post(
    "/files/{file_id}/reconcile",
    response=responses({200: FileDetailOut}, 403, *ERR),
    summary="评查组长核定评分差异",
)
def file_reconcile(request: HttpRequest, file_id: FileId, payload: ReconcileIn) -> FileDetailOut:
    account = _account(request)
    f = access_file(account, file_id)
    if not services.is_leader(account, f.campaign):
        raise HttpError(403, "只有评查组长可以核定评分差异（《广东省行政执法案卷评查办法》第十条）")
    services.file_reconcile(
        actor=account, file=f, marks=_marks(payload), reason=payload.reason, on=_today()
    )
    return _file_detail(account, access_file(account, file_id))


@router.get(
    "/files/{file_id}/case",
    response=responses({200: CaseReadOut}, 401, 404, 422),
    summary="查阅评查案卷的案件（只读；每次查阅记入该案件的全过程记录：调阅）",
)
def file_case(request: HttpRequest, file_id: FileId) -> CaseReadOut:
    account = _account(request)
    f = access_file(account, file_id)
    services.file_read(actor=account, file=f, on=_today())
    view = sel.case_view(f)
    case = f.case
    return CaseReadOut(
        case_id=case.pk,
        number=case.number,
        title=case.title,
        kind=case.kind,
        state=case.state,
        registered_on=case.registered_on,
        decided_on=case.decided_on,
        decision_number=case.decision_number,
        steps=[
            {"id": s.pk, "kind": s.kind, "on": s.on.isoformat(), "summary": s.summary}
            for s in view.steps
        ],
        documents=[
            {"id": d.pk, "kind": d.kind, "title": d.title, "number": d.number}
            for d in view.documents
        ],
        entries=[
            CampaignEntryOut(seq=e.seq, actor=e.actor, action_label=e.label) for e in view.entries
        ],
    )
