"""The 行政执法监督员's JSON API, mounted at /api/v1/monitor/ by config/api.py.

What their page (``views.monitor_home`` and its forms) can do, with the same rules: only an
account of role ``ext_supervisor`` (anyone else: 403, as the page); the services refuse outside
the term of appointment, outside the region, a second registration or rating, with 409 naming
the article. A 监督员 never receives personal data: their own opinions (number, agency, state,
day), hearings by agency, case number and day, invited matters with identifiers masked, their
ratings — never a complainant's identity, a party or a case's text.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, cast

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema
from ninja.errors import HttpError
from pydantic import ConfigDict, StrictInt, StrictStr

from zhifa.core.api_errors import responses
from zhifa.core.api_types import MAX_ID, LegalDate, ObjectId
from zhifa.core.exceptions import InvalidField
from zhifa.registry.models import Account, Agency
from zhifa.registry.public import agencies_public

from . import selectors, services

router = Router(tags=["行政执法监督员"])

CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="听证案件的内部编号")]
NO_NUL = r"^[^\x00]*$"


class AppointmentOut(Schema):
    body: str = Field(description="聘任的监督机构")
    sector: str
    sector_label: str
    document: str = Field(description="聘任文件")
    term_start: date
    term_end: date


class InvitedMatterOut(Schema):
    number: str
    title: str = Field(description="事项名称（身份证号码、电话等已遮蔽）")
    agency: str
    state: str
    invited_on: date


class OpinionOut(Schema):
    number: str
    agency: str
    state: str
    state_label: str
    received_on: date


class HearingOut(Schema):
    case_id: int
    agency: str
    number: str = Field(description="案件编号")
    hearing_on: date
    registered: bool = Field(description="已登记旁听")


class RatingOut(Schema):
    campaign: str
    agency: str
    score: int
    comment: str
    rated_on: date


class MonitorOut(Schema):
    serving: bool = Field(
        description="今天是否在聘期内（不在聘期内不能提交意见、登记旁听或者评议）"
    )
    appointment: AppointmentOut | None
    invited: list[InvitedMatterOut]
    opinions: list[OpinionOut]
    hearings: list[HearingOut]
    ratings: list[RatingOut]


class OpinionIn(Schema):
    model_config = ConfigDict(extra="forbid")

    agency_id: ObjectId = Field(description="执法主体编号")
    facts: Annotated[StrictStr, Field(min_length=1, max_length=5000, pattern=NO_NUL)] = Field(
        description="意见或发现的问题"
    )
    happened_on: LegalDate = Field(description="发生日期")


class RatingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    agency_id: ObjectId = Field(description="执法主体编号")
    campaign: Annotated[StrictStr, Field(min_length=1, max_length=64, pattern=NO_NUL)] = Field(
        description="评议活动"
    )
    score: Annotated[StrictInt, Field(ge=1, le=5)] = Field(description="评分（1至5）")
    comment: Annotated[StrictStr, Field(max_length=2000, pattern=NO_NUL)] = ""


def _monitor(request: HttpRequest) -> Account:
    account = cast(Account, request.auth)  # type: ignore[attr-defined]
    if account.role != Account.Role.EXTERNAL_SUPERVISOR:
        raise HttpError(403, _("仅供行政执法监督员使用"))
    return account


def _agency(pk: int) -> Agency:
    """An agency the page's list offers (those that may enforce today); the service then
    refuses one outside the 监督员's region (409)."""
    agency = agencies_public().filter(pk=pk).first()
    if agency is None:
        raise InvalidField(_("未找到该执法主体"), field="agency_id")
    return agency


def _overview(account: Account) -> MonitorOut:
    today = timezone.localdate()
    a = selectors.appointment_serving(account, today)
    return MonitorOut(
        serving=a is not None,
        appointment=None
        if a is None
        else AppointmentOut(
            body=a.body.name,
            sector=a.sector,
            sector_label=a.get_sector_display(),
            document=a.document,
            term_start=a.term_start,
            term_end=a.term_end,
        ),
        invited=[
            InvitedMatterOut(
                number=m.number,
                title=m.title,
                agency=m.agency,
                state=m.state,
                invited_on=m.invited_on,
            )
            for m in selectors.matters_invited(account)
        ],
        opinions=[
            OpinionOut(
                number=c.number,
                agency=c.agency.name,
                state=c.state,
                state_label=c.get_state_display(),
                received_on=c.received_on,
            )
            for c in selectors.opinions_of(account)
        ],
        hearings=[
            HearingOut(
                case_id=h.case_id,
                agency=h.agency,
                number=h.number,
                hearing_on=h.hearing_on,
                registered=h.registered,
            )
            for h in selectors.hearings_for_monitor(account, today)
        ],
        ratings=[
            RatingOut(
                campaign=r.campaign,
                agency=r.agency.name,
                score=r.score,
                comment=r.comment,
                rated_on=r.rated_on,
            )
            for r in selectors.ratings_of(account)
        ],
    )


ERR = (400, 401, 403, 409, 422)


@router.get(
    "/",
    response=responses({200: MonitorOut}, 401, 403),
    summary="行政执法监督员：聘任、受邀参与的监督事项、所提意见、可旁听的听证、评议",
)
def monitor_home(request: HttpRequest) -> MonitorOut:
    return _overview(_monitor(request))


@router.post(
    "/opinions",
    response=responses({200: MonitorOut}, *ERR),
    summary="反映意见或问题（作为投诉举报线索，由监督机构受理办理）",
)
def monitor_opinion(request: HttpRequest, payload: OpinionIn) -> MonitorOut:
    account = _monitor(request)
    services.monitor_opinion_submit(
        actor=account,
        agency=_agency(payload.agency_id),
        facts=payload.facts,
        happened_on=payload.happened_on,
        today=timezone.localdate(),
    )
    return _overview(account)


@router.post(
    "/hearings/{case_id}/observe",
    response=responses({200: MonitorOut}, *ERR),
    summary="登记旁听听证（《行政处罚法》第六十四条）",
)
def monitor_observe(request: HttpRequest, case_id: CaseId) -> MonitorOut:
    account = _monitor(request)
    services.hearing_observe(actor=account, case_id=case_id, today=timezone.localdate())
    return _overview(account)


@router.post(
    "/ratings",
    response=responses({200: MonitorOut}, *ERR),
    summary="评议执法主体（每次评议活动每个执法主体一次）",
)
def monitor_rate(request: HttpRequest, payload: RatingIn) -> MonitorOut:
    account = _monitor(request)
    services.agency_rate(
        actor=account,
        agency=_agency(payload.agency_id),
        campaign=payload.campaign,
        score=payload.score,
        comment=payload.comment,
        today=timezone.localdate(),
    )
    return _overview(account)
