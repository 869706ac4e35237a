"""The supervision JSON API, mounted at /api/v1/supervision/ by config/api.py.

As thin as the pages: lists from ``matters_visible_to``, one matter through ``access_matter``
(missing and not-yours answer the same 404), one service per operation, dated today (Beijing).
A refused step answers 409 with ``detail`` (the message and the article), ``article`` and
``field``. The supervisor's operations are under ``matters/``; the agency head's (answer,
object, report) under ``inbox/``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, cast

from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from ninja import Field, File, Form, Path, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile
from pydantic import ConfigDict, StrictBool, StrictStr

from zhifa.core.api_errors import responses
from zhifa.core.api_types import MAX_ID, QUERY_TEXT_PATTERN, ObjectId, QueryText
from zhifa.core.exceptions import InvalidField
from zhifa.registry.models import Account
from zhifa.registry.schemas import PageParams

from . import forms, scope, services
from .access import access_document, access_matter
from .models import Document, Matter, MatterSupervisor, Objection, Step
from .selectors import (
    agencies_supervisable_by,
    matter_countdowns,
    matter_documents,
    matter_steps,
    matter_team,
    matters_search,
    matters_visible_to,
)
from .views import _file as file_response

router = Router(tags=["执法监督事项"])

MatterId = Annotated[int, Path(ge=1, le=MAX_ID, description="监督事项编号（内部）")]
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]
Text = Annotated[StrictStr, Field(min_length=1, max_length=4000, pattern=r"^[^\x00]*$")]
Short = Annotated[StrictStr, Field(max_length=200, pattern=r"^[^\x00]*$")]


def _account(request: HttpRequest) -> Account:
    return cast(Account, request.auth)  # type: ignore[attr-defined]


def _today() -> date:
    return timezone.localdate()


# -- schemas -----------------------------------------------------------------------------------


class MatterFilters(PageParams):
    q: QueryText = Field("", description="编号、事项名称或机关名称（包含）")
    state: QueryText = Field("", description="状态代码：registered / accepted / …")
    kind: QueryText = Field("", description="routine / key / special")
    origin: QueryText = Field("", description="来源代码")


class MatterOut(Schema):
    id: int
    number: str
    title: str
    agency_id: int
    agency: str
    body: str
    kind: str
    kind_label: str
    origin: str
    origin_label: str
    state: str
    state_label: str
    opened_on: date


class SupervisionCountdownOut(Schema):
    what: str
    due_on: date
    remaining: int = Field(description="剩余天数（负数为已逾期）")
    unit: str
    source: str = Field(description="期限及其依据")


class SupervisionFileOut(Schema):
    sha256: str
    name: str
    size: int
    media_type: str


class SupervisionObjectionOut(Schema):
    id: int
    filed_on: date
    reasons: str
    status: str
    answer_due: date
    answer: str
    files: list[SupervisionFileOut] = Field(default_factory=list, description="异议的附件")


class SupervisionDocumentOut(Schema):
    id: int
    kind: str
    kind_label: str
    number: str
    issuer: str
    issued_on: date
    due_on: date | None
    status: str
    status_label: str
    pdf_sha256: str
    docx_sha256: str
    outcome: str = Field("", description="处理结果、回执（处理建议书、线索移送函）")
    objections: list[SupervisionObjectionOut]
    report_files: list[SupervisionFileOut] = Field(
        default_factory=list, description="整改情况报告的附件"
    )


class SupervisionStepOut(Schema):
    id: int
    kind: str
    kind_label: str
    on: date
    text: str
    due_on: date | None
    answered: bool
    supervisors: list[str] = Field(default_factory=list, description="参加的监督人员")
    case_id: int | None = Field(None, description="调阅的案件（内部编号）")
    files: list[SupervisionFileOut] = Field(default_factory=list, description="附件")


class TeamMemberOut(Schema):
    account_id: int
    name: str
    recused: bool
    recusal_reason: str


class MatterDetailOut(MatterOut):
    summary: str
    reason: str
    transfer_to: str = Field("", description="移送的机关")
    transfer_due: date | None = Field(None, description="移送期限")
    team: list[TeamMemberOut] = Field(
        default_factory=list, description="监督人员（只对监督机构一方提供）"
    )
    countdowns: list[SupervisionCountdownOut]
    documents: list[SupervisionDocumentOut]
    steps: list[SupervisionStepOut]


class MatterPage(Schema):
    count: int
    page: int
    results: list[MatterOut]


class MatterOpenIn(Schema):
    model_config = ConfigDict(extra="forbid")

    agency_id: ObjectId
    origin: Literal[tuple(Matter.Origin.values)] = Field(description="来源代码")  # type: ignore[valid-type]
    origin_ref: Short = ""
    title: Annotated[StrictStr, Field(min_length=1, max_length=200, pattern=r"^[^\x00]*$")]
    summary: Text
    kind: Literal["routine", "key", "special"] = "routine"
    key_method: Literal["", "listed", "elevated"] = ""


class MatterAcceptIn(Schema):
    model_config = ConfigDict(extra="forbid")

    under_review: StrictBool = False
    under_litigation: StrictBool = False


class MatterReasonIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: Text


class SupervisionTextIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: Text


class SupervisionDocumentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: Literal[tuple(Document.Kind.values)]  # type: ignore[valid-type]
    findings: Text
    requirement: Text
    approved_by: Short = ""
    approved_on: date | None = None
    grave: StrictBool = False
    scope: Short = ""
    officer_id: ObjectId | None = None
    measure: Literal["", "criticism", "off_duty_training", "reassignment", "disqualification"] = ""
    to_body: Short = ""


class ObjectionAnswerIn(Schema):
    model_config = ConfigDict(extra="forbid")

    upheld: StrictBool
    answer: Text


class RectificationCheckIn(Schema):
    model_config = ConfigDict(extra="forbid")

    accepted: StrictBool
    note: Text


class RectificationReportIn(Schema):
    model_config = ConfigDict(extra="forbid")

    report: Text


class ObjectionFileIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reasons: Text


def _out(m: Matter) -> MatterOut:
    return MatterOut(
        id=m.pk,
        number=m.number,
        title=m.title,
        agency_id=m.agency_id,
        agency=m.agency.name,
        body=m.body.name,
        kind=m.kind,
        kind_label=m.get_kind_display(),
        origin=m.origin,
        origin_label=m.get_origin_display(),
        state=m.state,
        state_label=m.get_state_display(),
        opened_on=m.opened_on,
    )


def _files(rows: list[dict[str, Any]] | None) -> list[SupervisionFileOut]:
    """The attachments a row lists (``EvidenceRef.as_dict``), as the API shows them."""
    return [
        SupervisionFileOut(
            sha256=f["sha256"], name=f["name"], size=f["size"], media_type=f["media_type"]
        )
        for f in rows or []
    ]


def _detail(m: Matter, *, agency_side: bool = False) -> MatterDetailOut:
    steps = matter_steps(m)
    if agency_side:  # the agency sees what was put to it, not the supervisors' own notes
        steps = steps.filter(kind__in=[Step.Kind.EXPLANATION_REQUEST, Step.Kind.EXPLANATION_ANSWER])
    return MatterDetailOut(
        **_out(m).dict(),
        summary=m.summary,
        reason=m.reason,
        transfer_to=m.transfer_to,
        transfer_due=m.transfer_due,
        team=[]
        if agency_side
        else [
            TeamMemberOut(
                account_id=t.account_id,
                name=t.account.display_name or t.account.get_username(),
                recused=t.recused,
                recusal_reason=t.recusal_reason,
            )
            for t in matter_team(m)
        ],
        countdowns=[
            SupervisionCountdownOut(
                what=c.what, due_on=c.due_on, remaining=c.remaining, unit=c.unit, source=c.text
            )
            for c in matter_countdowns(m, _today())
        ],
        documents=[
            SupervisionDocumentOut(
                id=d.pk,
                kind=d.kind,
                kind_label=d.get_kind_display(),
                number=d.number,
                issuer=d.issuer,
                issued_on=d.issued_on,
                due_on=d.due_on,
                status=d.status,
                status_label=d.get_status_display(),
                pdf_sha256=d.pdf.sha256 if d.pdf else "",
                docx_sha256=d.docx.sha256 if d.docx else "",
                outcome=d.outcome,
                objections=[
                    SupervisionObjectionOut(
                        id=o.pk,
                        filed_on=o.filed_on,
                        reasons=o.reasons,
                        status=o.status,
                        answer_due=o.answer_due,
                        answer=o.answer,
                        files=_files(o.files),
                    )
                    for o in d.objections.all()
                ],
                report_files=_files(d.report_files),
            )
            for d in matter_documents(m).select_related("pdf", "docx")
        ],
        steps=[
            SupervisionStepOut(
                id=s.pk,
                kind=s.kind,
                kind_label=s.get_kind_display(),
                on=s.on,
                text=s.text,
                due_on=s.due_on,
                answered=s.answered_by.exists(),
                supervisors=[str(p.get("name", "")) for p in s.supervisors or []],
                case_id=s.case_id,
                files=_files(s.files),
            )
            for s in steps
        ],
    )


def _matter(account: Account, pk: int, side: str = "supervisor") -> Matter:
    return access_matter(account, pk, side=side)


def _visible(account: Account, side: str) -> Any:
    """The matters ``account`` sees from ``side`` (none from the other side's role)."""
    role = Account.Role.SUPERVISOR if side == "supervisor" else Account.Role.HEAD
    if account.role != role:
        return Matter.objects.none()
    return matters_visible_to(account)


def _document_of(account: Account, pk: int, side: str) -> Document:
    doc = Document.objects.filter(matter__in=_visible(account, side), pk=pk).first()
    if doc is None:
        raise Http404
    return doc


ERR = (400, 401, 404, 409, 422, 503)


# -- supervisor ---------------------------------------------------------------------------------


@router.get(
    "/matters",
    response=responses({200: MatterPage}, 401, 422),
    summary="监督事项列表（本监督机构；机关负责人为本机关）",
)
def matter_list(request: HttpRequest, filters: Query[MatterFilters]) -> MatterPage:
    qs = matters_search(
        _account(request),
        q=filters.q.strip(),
        state=filters.state,
        kind=filters.kind,
        origin=filters.origin,
    )
    start = (filters.page - 1) * filters.page_size
    return MatterPage(
        count=qs.count(),
        page=filters.page,
        results=[_out(m) for m in qs[start : start + filters.page_size]],
    )


@router.post(
    "/matters", response=responses({201: MatterDetailOut}, 403, *ERR), summary="登记监督事项"
)
def matter_open(request: HttpRequest, payload: MatterOpenIn) -> Status[MatterDetailOut]:
    account = _account(request)
    if account.role != Account.Role.SUPERVISOR:
        raise HttpError(403, "只有执法监督人员可以登记监督事项")
    scope.check_may_open_any(account)  # a 司法所 assists, it opens none (条例第六条第二款)
    # the bodies of the account's scope (region; a department's system, 第四十二条)
    agency = agencies_supervisable_by(account).filter(pk=payload.agency_id).first()
    if agency is None:
        raise InvalidField("未找到本辖区的该执法机关", field="agency_id")
    m = services.matter_open(
        actor=account,
        agency=agency,
        origin=payload.origin,
        origin_ref=payload.origin_ref,
        title=payload.title,
        summary=payload.summary,
        kind=payload.kind,
        key_method=payload.key_method,
        on=_today(),
    )
    return Status(201, _detail(m))


@router.get(
    "/matters/{matter_id}",
    response=responses({200: MatterDetailOut}, 401, 404, 422),
    summary="监督事项详情",
)
def matter_detail(request: HttpRequest, matter_id: MatterId) -> MatterDetailOut:
    return _detail(_matter(_account(request), matter_id))


def _after(account: Account, matter_id: int) -> MatterDetailOut:
    return _detail(_matter(account, matter_id))


@router.post(
    "/matters/{matter_id}/accept",
    response=responses({200: MatterDetailOut}, *ERR),
    summary="受理（已进入行政复议、诉讼的不予受理）",
)
def matter_accept(
    request: HttpRequest, matter_id: MatterId, payload: MatterAcceptIn
) -> MatterDetailOut:
    account = _account(request)
    services.matter_accept(
        actor=account, matter=_matter(account, matter_id), on=_today(), **payload.dict()
    )
    return _after(account, matter_id)


@router.post(
    "/matters/{matter_id}/refuse",
    response=responses({200: MatterDetailOut}, *ERR),
    summary="不予受理",
)
def matter_refuse(
    request: HttpRequest, matter_id: MatterId, payload: MatterReasonIn
) -> MatterDetailOut:
    account = _account(request)
    services.matter_refuse(
        actor=account, matter=_matter(account, matter_id), reason=payload.reason, on=_today()
    )
    return _after(account, matter_id)


@router.post(
    "/matters/{matter_id}/explanation-requests",
    response=responses({200: MatterDetailOut}, *ERR),
    summary="要求自查、说明情况",
)
def explanation_request(
    request: HttpRequest, matter_id: MatterId, payload: SupervisionTextIn
) -> MatterDetailOut:
    account = _account(request)
    services.matter_explanation_request(
        actor=account, matter=_matter(account, matter_id), text=payload.text, on=_today()
    )
    return _after(account, matter_id)


@router.post(
    "/matters/{matter_id}/documents",
    response=responses({200: MatterDetailOut}, *ERR),
    summary="制发监督文书（督办函、意见书、决定书、通报、处理建议、线索移送）",
)
def document_issue(
    request: HttpRequest, matter_id: MatterId, payload: SupervisionDocumentIn
) -> MatterDetailOut:
    account = _account(request)
    data: dict[str, Any] = payload.dict()
    fields = {
        k: v
        for k, v in data.items()
        if k not in ("kind", "findings", "requirement") and v not in ("", None, False)
    }
    if payload.approved_on is not None:
        fields["approved_on"] = payload.approved_on.isoformat()
    services.matter_document_issue(
        actor=account,
        matter=_matter(account, matter_id),
        kind=payload.kind,
        findings=payload.findings,
        requirement=payload.requirement,
        fields=fields,
        on=_today(),
    )
    return _after(account, matter_id)


@router.post(
    "/objections/{objection_id}/answer",
    response=responses({200: MatterDetailOut}, *ERR),
    summary="答复异议",
)
def objection_answer(
    request: HttpRequest, objection_id: RowId, payload: ObjectionAnswerIn
) -> MatterDetailOut:
    account = _account(request)
    obj = Objection.objects.filter(
        document__matter__in=_visible(account, "supervisor"), pk=objection_id
    ).first()
    if obj is None:
        raise Http404
    matter_id = obj.document.matter_id
    services.objection_answer(
        actor=account, objection=obj, upheld=payload.upheld, answer=payload.answer, on=_today()
    )
    return _after(account, matter_id)


@router.post(
    "/documents/{document_id}/check",
    response=responses({200: MatterDetailOut}, *ERR),
    summary="验收整改情况",
)
def document_check(
    request: HttpRequest, document_id: RowId, payload: RectificationCheckIn
) -> MatterDetailOut:
    account = _account(request)
    doc = _document_of(account, document_id, "supervisor")
    services.document_check(
        actor=account, document=doc, accepted=payload.accepted, note=payload.note, on=_today()
    )
    return _after(account, doc.matter_id)


@router.post(
    "/matters/{matter_id}/terminate",
    response=responses({200: MatterDetailOut}, *ERR),
    summary="终止（未发现问题）",
)
def matter_terminate(
    request: HttpRequest, matter_id: MatterId, payload: MatterReasonIn
) -> MatterDetailOut:
    account = _account(request)
    services.matter_terminate(
        actor=account, matter=_matter(account, matter_id), reason=payload.reason, on=_today()
    )
    return _after(account, matter_id)


@router.post(
    "/matters/{matter_id}/close",
    response=responses({200: MatterDetailOut}, *ERR),
    summary="办结（整改均已验收）",
)
def matter_close(
    request: HttpRequest, matter_id: MatterId, payload: MatterReasonIn
) -> MatterDetailOut:
    account = _account(request)
    services.matter_close(
        actor=account, matter=_matter(account, matter_id), reason=payload.reason, on=_today()
    )
    return _after(account, matter_id)


# -- supervisor: transfer, team, measures, 调阅, outcomes; documents (both sides) ------------------
# The rest of the workspace's steps (views.SUPERVISOR_STEPS), behind the same gate as the page:
# ``access_matter`` (supervisors of the region; missing and not-yours alike 404), then the
# service, which refuses a supervisor of another body or a step the matter's state does not
# allow with 409 naming the article.


class MatterTransferIn(Schema):
    model_config = ConfigDict(extra="forbid")

    transfer_to: Annotated[StrictStr, Field(min_length=1, max_length=200, pattern=r"^[^\x00]*$")]
    reason: Text


class TeamJoinIn(Schema):
    model_config = ConfigDict(extra="forbid")

    account_id: ObjectId = Field(description="本监督机构执法监督人员的账号编号")


class RecuseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    account_id: ObjectId = Field(description="本监督事项监督人员的账号编号")
    reason: Annotated[StrictStr, Field(min_length=1, max_length=200, pattern=r"^[^\x00]*$")]


class CaseFileReadIn(Schema):
    model_config = ConfigDict(extra="forbid")

    case_id: ObjectId = Field(description="被监督机关案件的内部编号")


class OutcomeIn(Schema):
    model_config = ConfigDict(extra="forbid")

    outcome: Text


MEASURE_KINDS = tuple(k for k, _label in forms.MEASURE_KINDS)


class MeasureIn(Schema):
    """The measure's fields, sent as a multipart form (with the attachments, if any)."""

    kind: Literal[MEASURE_KINDS] = Field(description="监督措施")  # type: ignore[valid-type]
    text: Text
    # A form carries text: the ids arrive as "12" and are read as numbers.
    supervisor_ids: list[Annotated[int, Field(ge=1, le=MAX_ID)]] = Field(
        min_length=1,
        max_length=50,
        description="参加的监督人员（本事项监督人员的账号编号，可重复该字段）",
    )


@router.post(
    "/matters/{matter_id}/transfer",
    response=responses({200: MatterDetailOut}, *ERR),
    summary="移送（不属于本机构管辖）",
)
def matter_transfer(
    request: HttpRequest, matter_id: MatterId, payload: MatterTransferIn
) -> MatterDetailOut:
    account = _account(request)
    services.matter_transfer(
        actor=account,
        matter=_matter(account, matter_id),
        transfer_to=payload.transfer_to,
        reason=payload.reason,
        on=_today(),
    )
    return _after(account, matter_id)


@router.post(
    "/matters/{matter_id}/team",
    response=responses({200: MatterDetailOut}, *ERR),
    summary="加入监督人员（本监督机构的执法监督人员）",
)
def matter_team_join(
    request: HttpRequest, matter_id: MatterId, payload: TeamJoinIn
) -> MatterDetailOut:
    account = _account(request)
    matter = _matter(account, matter_id)
    # The page offers the body's supervisors; one already on the team is refused by the service.
    # the body's supervisors and those of the 司法所 assisting it (条例第六条第二款)
    member = scope.team_candidates(matter.body_id).filter(pk=payload.account_id).first()
    if member is None:
        raise InvalidField("未找到本监督机构的该执法监督人员", field="account_id")
    services.matter_team_join(actor=account, matter=matter, account=member, on=_today())
    return _after(account, matter_id)


@router.post(
    "/matters/{matter_id}/recusals",
    response=responses({200: MatterDetailOut}, *ERR),
    summary="回避（与本事项有利害关系的监督人员）",
)
def matter_recuse(request: HttpRequest, matter_id: MatterId, payload: RecuseIn) -> MatterDetailOut:
    account = _account(request)
    matter = _matter(account, matter_id)
    member = Account.objects.filter(
        pk=payload.account_id,
        pk__in=MatterSupervisor.objects.filter(matter=matter).values("account_id"),
    ).first()
    if member is None:
        raise InvalidField("该账号不是本监督事项的监督人员", field="account_id")
    services.matter_recuse(
        actor=account, matter=matter, account=member, reason=payload.reason, on=_today()
    )
    return _after(account, matter_id)


@router.post(
    "/matters/{matter_id}/measures",
    response=responses({200: MatterDetailOut}, *ERR, 413),
    summary="记录监督措施（《行政执法监督条例》第二十二条；multipart，可附文件）",
    description=(
        "以 multipart/form-data 提交：kind（监督措施）、text（记录内容，如约谈纪要）、"
        "supervisor_ids（参加的监督人员，可重复该字段；须为本事项未回避的监督人员，两名以上"
        "持有当日有效的行政执法监督证）、attachments（附件，可多个，按类别限制大小）。"
        "规则不允许时答复409，写明规则和法条。"
    ),
)
def matter_measure_record(
    request: HttpRequest,
    matter_id: MatterId,
    payload: Form[MeasureIn],
    attachments: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> MatterDetailOut:
    account = _account(request)
    matter = _matter(account, matter_id)
    team = {
        a.pk: a
        for a in Account.objects.filter(
            pk__in=MatterSupervisor.objects.filter(matter=matter).values("account_id")
        )
    }
    unknown = [str(pk) for pk in payload.supervisor_ids if pk not in team]
    if unknown:
        raise InvalidField(
            "以下账号不是本监督事项的监督人员：" + "、".join(unknown), field="supervisor_ids"
        )
    files = forms.attachments_store(list(attachments or []))
    services.matter_measure_record(
        actor=account,
        matter=matter,
        kind=payload.kind,
        text=payload.text,
        supervisors=[team[pk] for pk in payload.supervisor_ids],
        on=_today(),
        files=files,
    )
    return _after(account, matter_id)


@router.post(
    "/matters/{matter_id}/case-file-reads",
    response=responses({200: MatterDetailOut}, *ERR),
    summary="调阅案卷（《行政执法监督条例》第二十二条；调阅本身记入全过程记录）",
)
def matter_case_file_read(
    request: HttpRequest, matter_id: MatterId, payload: CaseFileReadIn
) -> MatterDetailOut:
    account = _account(request)
    services.matter_case_file_read(
        actor=account, matter=_matter(account, matter_id), case_id=payload.case_id, on=_today()
    )
    return _after(account, matter_id)


@router.post(
    "/documents/{document_id}/outcome",
    response=responses({200: MatterDetailOut}, *ERR),
    summary="登记处理结果（处理建议的处理结果、线索移送的回执；第三十二条、第三十三条）",
)
def document_outcome_record(
    request: HttpRequest, document_id: RowId, payload: OutcomeIn
) -> MatterDetailOut:
    account = _account(request)
    doc = _document_of(account, document_id, "supervisor")
    services.document_outcome_record(
        actor=account, document=doc, outcome=payload.outcome, on=_today()
    )
    return _after(account, doc.matter_id)


DOCUMENT_MEDIA = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@router.get(
    "/documents/{document_id}/files/{fmt}",
    response=responses({}, 401, 404, 422),
    summary="下载监督文书（PDF 或 DOCX；监督机构与被监督机关负责人均可）",
    openapi_extra={
        "responses": {
            "200": {
                "description": "文书文件",
                "content": {media: {} for media in DOCUMENT_MEDIA.values()},
            }
        }
    },
)
def document_download(
    request: HttpRequest, document_id: RowId, fmt: Literal["pdf", "docx"]
) -> FileResponse:
    doc = access_document(_account(request), document_id)
    return file_response(doc.pdf if fmt == "pdf" else doc.docx)


# -- the agency's head -----------------------------------------------------------------------------


@router.get(
    "/inbox/{matter_id}",
    response=responses({200: MatterDetailOut}, 401, 404, 422),
    summary="向本机关提出的监督事项",
)
def inbox_detail(request: HttpRequest, matter_id: MatterId) -> MatterDetailOut:
    return _detail(_matter(_account(request), matter_id, "agency"), agency_side=True)


@router.post(
    "/inbox/requests/{step_id}/answer",
    response=responses({200: MatterDetailOut}, *ERR),
    summary="书面说明情况",
)
def inbox_answer(
    request: HttpRequest, step_id: RowId, payload: SupervisionTextIn
) -> MatterDetailOut:
    account = _account(request)
    req = Step.objects.filter(
        matter__in=_visible(account, "agency"), pk=step_id, kind=Step.Kind.EXPLANATION_REQUEST
    ).first()
    if req is None:
        raise Http404
    services.matter_explanation_answer(actor=account, request=req, text=payload.text, on=_today())
    return _detail(_matter(account, req.matter_id, "agency"), agency_side=True)


@router.post(
    "/inbox/documents/{document_id}/objection",
    response=responses({200: MatterDetailOut}, *ERR),
    summary="提出异议（《行政执法监督条例》第三十条）",
)
def inbox_objection(
    request: HttpRequest, document_id: RowId, payload: ObjectionFileIn
) -> MatterDetailOut:
    account = _account(request)
    doc = _document_of(account, document_id, "agency")
    services.document_objection_file(
        actor=account, document=doc, reasons=payload.reasons, on=_today()
    )
    return _detail(_matter(account, doc.matter_id, "agency"), agency_side=True)


@router.post(
    "/inbox/documents/{document_id}/report",
    response=responses({200: MatterDetailOut}, *ERR),
    summary="报送整改情况",
)
def inbox_report(
    request: HttpRequest, document_id: RowId, payload: RectificationReportIn
) -> MatterDetailOut:
    account = _account(request)
    doc = _document_of(account, document_id, "agency")
    services.document_report(actor=account, document=doc, report=payload.report, on=_today())
    return _detail(_matter(account, doc.matter_id, "agency"), agency_side=True)


# -- objections routed upward (条例第三十条), escalations (第二十七条、第二十九条), results
# published (第三十一条) ---------------------------------------------------------------------------


class UpperObjectionOut(Schema):
    id: int
    matter_id: int
    matter_number: str
    agency: str = Field(description="被监督机关")
    issuing_body: str = Field(description="制发文书的监督机构")
    document_number: str
    filed_on: date
    reasons: str
    answer_due: date
    source: str = Field(description="答复期限及其依据")


class EscalationOut(Schema):
    id: int
    matter_id: int
    matter_number: str
    document_number: str
    document_kind: str
    due_on: date
    escalated_on: date
    overdue: str = Field(description="已逾期天数及其依据")
    proposal: str
    proposal_label: str


class ResultPublicationOut(Schema):
    publication_id: int
    state: str
    state_label: str
    due_on: date


@router.get(
    "/objections/to-answer",
    response=responses({200: list[UpperObjectionOut]}, 401),
    summary="待本机构答复的下级异议（异议向上一级行政执法监督机构提出时）",
)
def objections_to_answer(request: HttpRequest) -> list[UpperObjectionOut]:
    from zhifa.core.time_limits import time_limit

    from . import time_limits as tl
    from .selectors import objections_to_answer as upper_objections

    account = _account(request)
    row = time_limit(tl.OBJECTION_ANSWER_UPPER)
    return [
        UpperObjectionOut(
            id=o.pk,
            matter_id=o.document.matter_id,
            matter_number=o.document.matter.number,
            agency=o.document.matter.agency.name,
            issuing_body=o.document.issuer,
            document_number=o.document.number,
            filed_on=o.filed_on,
            reasons=o.reasons,
            answer_due=o.answer_due,
            source=row.text,
        )
        for o in upper_objections(account)
    ]


@router.get(
    "/escalations",
    response=responses({200: list[EscalationOut]}, 401),
    summary="逾期整改升级（待报请制发决定书或制发督办函）",
)
def escalations(request: HttpRequest) -> list[EscalationOut]:
    from .selectors import escalations_open

    account = _account(request)
    today = _today()
    out = []
    for e in escalations_open(account):
        days = services.overdue_days(e.document, today) or e.overdue_days
        unit = "个工作日" if e.unit == "workdays" else "日"
        out.append(
            EscalationOut(
                id=e.pk,
                matter_id=e.matter_id,
                matter_number=e.matter.number,
                document_number=e.document.number,
                document_kind=e.document.kind,
                due_on=e.due_on,
                escalated_on=e.on,
                overdue=f"已逾期{days}{unit}（依据：{e.basis}）",
                proposal=e.proposal,
                proposal_label=e.get_proposal_display(),
            )
        )
    return out


@router.post(
    "/documents/{document_id}/publish",
    response=responses({200: ResultPublicationOut}, *ERR),
    summary="向社会公布监督结果（《行政执法监督条例》第三十一条；经本机构公示管理员去除个人信息后公开）",
)
def document_publish(request: HttpRequest, document_id: RowId) -> ResultPublicationOut:
    account = _account(request)
    doc = _document_of(account, document_id, "supervisor")
    pub = services.document_publication_propose(actor=account, document=doc, on=_today())
    return ResultPublicationOut(
        publication_id=pub.pk,
        state=pub.state,
        state_label=pub.get_state_display(),
        due_on=pub.due_on,
    )


# -- the agency's head adds files to its answer, objection or report (multipart) -----------
# The JSON operations above (answer, objection, report) carry text only; the page's forms take
# files too. This one operation adds them afterwards, with the page's checks
# (``forms.attachments_store``: the size limit of each file's kind) and the same record.


class InboxAttachmentsIn(Schema):
    """Sent as a multipart form, with the files."""

    to: Literal[tuple(services.ATTACHMENT_TARGETS)] = Field(  # type: ignore[valid-type]
        description="answer（书面说明）/ objection（异议）/ report（整改情况报告）"
    )
    # A form carries text: the id arrives as "12" and is read as a number.
    id: Annotated[int, Field(ge=1, le=MAX_ID)] = Field(
        description="answer：书面说明的记录编号（steps[].id）；objection：异议编号；"
        "report：监督文书编号（documents[].id）"
    )


@router.post(
    "/inbox/{matter_id}/attachments",
    response=responses({200: MatterDetailOut}, *ERR, 413),
    summary="为已提交的书面说明、异议或整改情况报告补充附件（multipart）",
    description=(
        "以 multipart/form-data 提交：to（answer、objection 或 report）、id（书面说明的记录编号、"
        "异议编号或监督文书编号）、attachments（附件，可多个，按类别限制大小，与页面相同）。"
        "先以 JSON 接口提交说明、异议或整改情况，再以本接口补充附件；附件记入全过程记录。"
        "异议已答复、整改情况已验收或监督事项已结束的，答复409，写明规则和法条。"
    ),
)
def inbox_attachments(
    request: HttpRequest,
    matter_id: MatterId,
    payload: Form[InboxAttachmentsIn],
    attachments: File[list[UploadedFile]],
) -> MatterDetailOut:
    account = _account(request)
    matter = _matter(account, matter_id, "agency")
    files = forms.attachments_store(list(attachments or []))
    services.agency_attachments_add(
        actor=account, matter=matter, to=payload.to, row_id=payload.id, files=files, on=_today()
    )
    return _detail(_matter(account, matter_id, "agency"), agency_side=True)


# -- the bodies a supervisor may open a matter about, found by name -------------------------


class SupervisableAgencyOut(Schema):
    id: int
    name: str = Field(description="执法主体名称")
    division_code: str = Field(description="行政区划代码")
    status: str = Field(description="active（有效）/ suspended（暂停）/ revoked（撤销）")
    status_label: str
    label: str = Field(description="显示用名称：非有效的注明状态")


class SupervisableAgenciesOut(Schema):
    results: list[SupervisableAgencyOut]
    more: bool = Field(description="匹配超过返回条数：请输入更多字")


class SupervisableAgencyLookup(Schema):
    q: str = Field(
        ..., min_length=1, max_length=50, pattern=QUERY_TEXT_PATTERN, description="名称中的字词"
    )


@router.get(
    "/agencies",
    response=responses({200: SupervisableAgenciesOut}, 401, 403, 422),
    summary="查找本辖区的执法主体（登记监督事项用；含暂停、撤销的）",
    description=(
        "执法监督人员按名称中的字词查找本辖区的执法主体，最多20个，按区划和名称排序；"
        "与公开查找（/api/v1/public/agencies，只列有效的）不同，暂停、撤销的执法主体也列出"
        "（监督事项可以涉及其过去的执法行为）。登录的浏览器会话也可以读取。"
    ),
    url_name="supervision_agency_lookup",
)
def agency_lookup(
    request: HttpRequest, filters: Query[SupervisableAgencyLookup]
) -> SupervisableAgenciesOut:
    from .selectors import agencies_supervisable_search

    account = _account(request)
    if account.role != Account.Role.SUPERVISOR:
        raise HttpError(403, "只有执法监督人员可以查找本辖区的执法主体")
    matches, more = agencies_supervisable_search(account, filters.q)
    return SupervisableAgenciesOut(
        results=[SupervisableAgencyOut(**vars(m)) for m in matches], more=more
    )
