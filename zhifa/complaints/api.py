"""The complaints JSON API, mounted at /api/v1/complaints/ by config/api.py.

Lists from ``complaints_visible_to``; one complaint through ``access_complaint``; the
complainant's identity only where ``complaint_identity_for`` allows (the region's supervisors;
the agency only with consent) — agency roles never receive it otherwise. Intake steps are one
service each; a refusal answers 409 with the rule and its article.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, cast

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.errors import HttpError

from zhifa.core.api_errors import responses
from zhifa.core.api_types import MAX_ID, QUERY_TEXT_PATTERN, LegalDate, QueryText
from zhifa.registry.models import Account
from zhifa.registry.schemas import PageParams

from . import selectors, services
from .access import access_complaint, can_handle
from .models import Complaint

router = Router(tags=["投诉举报"])

ComplaintId = Annotated[int, Path(ge=1, le=MAX_ID, description="投诉的内部编号")]


class ComplaintFilters(PageParams):
    state: QueryText = Field("", description="状态：received / accepted / refused / …")
    origin: QueryText = Field("", description="来源：portal / hotline_12345 / external_supervisor")
    q: QueryText = Field("", description="投诉编号，或被投诉机关名称（包含）")


class ComplaintCountdownOut(Schema):
    due_on: date
    remaining: int = Field(description="剩余天数（负数为已逾期）")
    unit: str
    basis: str = Field(description="期限及其依据")


class ComplainantOut(Schema):
    name: str
    contact: str


class ComplaintOut(Schema):
    id: int
    number: str
    origin: str
    state: str
    state_label: str
    agency_id: int
    agency_name: str
    officer_name: str
    certificate_number: str
    facts: str
    happened_on: date
    received_on: date
    accept_due: date
    handle_due: date | None
    anonymous: bool
    complainant: ComplainantOut | None = Field(
        description="投诉人身份：只对本区域执法监督人员，或投诉人同意时对被投诉机关提供"
    )
    countdown: ComplaintCountdownOut | None
    matter_id: int | None


class ComplaintPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[ComplaintOut]


class ComplaintAcceptIn(Schema):
    on: LegalDate


class ComplaintRefuseIn(Schema):
    reason: str = Field(
        max_length=32, description="review_or_litigation / not_enforcement / duplicate"
    )
    note: str = Field("", max_length=2000, pattern=QUERY_TEXT_PATTERN)
    on: LegalDate


class ComplaintTransferIn(Schema):
    to: str = Field(max_length=128, pattern=QUERY_TEXT_PATTERN, description="移送的机关")
    note: str = Field("", max_length=2000, pattern=QUERY_TEXT_PATTERN)
    on: LegalDate


class ComplaintConcludeIn(Schema):
    result: str = Field(max_length=5000, pattern=QUERY_TEXT_PATTERN)
    on: LegalDate


def _account(request: HttpRequest) -> Account:
    return cast(Account, request.auth)  # type: ignore[attr-defined]


def _out(account: Account, c: Complaint) -> ComplaintOut:
    identity = selectors.complaint_identity_for(account, c)
    cd = selectors.complaint_countdown(c, timezone.localdate())
    return ComplaintOut(
        id=c.pk,
        number=c.number,
        origin=c.origin,
        state=c.state,
        state_label=c.get_state_display(),
        agency_id=c.agency_id,
        agency_name=c.agency.name,
        officer_name=c.officer.name if c.officer else c.officer_given,
        certificate_number=c.certificate_number,
        facts=selectors.complaint_text_for(account, c, c.facts),
        happened_on=c.happened_on,
        received_on=c.received_on,
        accept_due=c.accept_due,
        handle_due=c.handle_due,
        anonymous=c.anonymous,
        complainant=None
        if identity is None
        else ComplainantOut(name=identity.name, contact=identity.contact),
        countdown=None
        if cd is None
        else ComplaintCountdownOut(
            due_on=cd.due_on, remaining=cd.remaining, unit=cd.unit, basis=cd.basis
        ),
        matter_id=c.matter_id,
    )


@router.get("/", response=responses({200: ComplaintPage}, 401, 422), summary="投诉举报列表")
def complaint_list(request: HttpRequest, filters: Query[ComplaintFilters]) -> ComplaintPage:
    account = _account(request)
    qs = selectors.complaints_search(
        selectors.complaints_visible_to(account),
        state=filters.state,
        q=filters.q,
        origin=filters.origin,
    )
    start = (filters.page - 1) * filters.page_size
    rows = list(qs[start : start + filters.page_size])
    return ComplaintPage(
        count=qs.count(),
        page=filters.page,
        page_size=filters.page_size,
        results=[_out(account, c) for c in rows],
    )


@router.get(
    "/{complaint_id}", response=responses({200: ComplaintOut}, 401, 404, 422), summary="投诉详情"
)
def complaint_detail(request: HttpRequest, complaint_id: ComplaintId) -> ComplaintOut:
    account = _account(request)
    return _out(account, access_complaint(account, complaint_id))


def _handled(request: HttpRequest, complaint_id: int) -> tuple[Account, Complaint]:
    account = _account(request)
    complaint = access_complaint(account, complaint_id)
    if not can_handle(account, complaint):
        raise HttpError(403, "只有被投诉机关所在区域的执法监督人员可以办理投诉")
    return account, complaint


_WRITE = responses({200: ComplaintOut}, 400, 401, 403, 404, 409, 422)


@router.post("/{complaint_id}/accept", response=_WRITE, summary="受理投诉")
def complaint_accept(
    request: HttpRequest, complaint_id: ComplaintId, payload: ComplaintAcceptIn
) -> ComplaintOut:
    account, complaint = _handled(request, complaint_id)
    done = services.complaint_accept(
        actor=account, complaint=complaint, on=payload.on, today=timezone.localdate()
    )
    return _out(account, done)


@router.post("/{complaint_id}/refuse", response=_WRITE, summary="不予受理投诉")
def complaint_refuse(
    request: HttpRequest, complaint_id: ComplaintId, payload: ComplaintRefuseIn
) -> ComplaintOut:
    account, complaint = _handled(request, complaint_id)
    done = services.complaint_refuse(
        actor=account,
        complaint=complaint,
        reason=payload.reason,
        note=payload.note,
        on=payload.on,
        today=timezone.localdate(),
    )
    return _out(account, done)


@router.post("/{complaint_id}/transfer", response=_WRITE, summary="移送投诉")
def complaint_transfer(
    request: HttpRequest, complaint_id: ComplaintId, payload: ComplaintTransferIn
) -> ComplaintOut:
    account, complaint = _handled(request, complaint_id)
    done = services.complaint_transfer(
        actor=account,
        complaint=complaint,
        to=payload.to,
        note=payload.note,
        on=payload.on,
        today=timezone.localdate(),
    )
    return _out(account, done)


@router.post("/{complaint_id}/conclude", response=_WRITE, summary="投诉办结")
def complaint_conclude(
    request: HttpRequest, complaint_id: ComplaintId, payload: ComplaintConcludeIn
) -> ComplaintOut:
    account, complaint = _handled(request, complaint_id)
    done = services.complaint_conclude(
        actor=account,
        complaint=complaint,
        result=payload.result,
        on=payload.on,
        today=timezone.localdate(),
    )
    return _out(account, done)
