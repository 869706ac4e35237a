"""行政复议 / 行政诉讼 of a case over the JSON API, mounted at /api/v1/cases/ beside the cases
router: the list for whoever may see the case, the two writes for its agency's officers and
head (with a token); a refused write answers 409 with the rule and its article."""

from __future__ import annotations

from datetime import date
from typing import Annotated, cast

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status
from ninja.errors import HttpError

from zhifa.core.api_errors import responses
from zhifa.core.api_types import MAX_ID, QUERY_TEXT_PATTERN
from zhifa.registry.models import Account

from . import services_challenges as sc
from .access import access_case, takes_steps
from .models import Case, Challenge

router = Router(tags=["案件"])

NO_NUL = QUERY_TEXT_PATTERN  # PostgreSQL cannot hold NUL in text: both databases refuse it (422)

CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="案件编号")]
ChallengeId = Annotated[int, Path(ge=1, le=MAX_ID, description="复议诉讼记录编号")]


class ChallengeOut(Schema):
    id: int
    kind: str
    kind_label: str
    body: str
    reference: str
    filed_on: date
    accepted_on: date | None
    concluded_on: date | None
    outcome: str
    outcome_label: str
    outcome_note: str
    late_note: str = Field("", description="逾期申请（起诉）但已受理的说明")


class ChallengeIn(Schema):
    kind: Challenge.Kind = Field(description="reconsideration 行政复议 / litigation 行政诉讼")
    body: str = Field(
        min_length=1, max_length=200, pattern=NO_NUL, description="复议机关或人民法院"
    )
    reference: str = Field("", max_length=100, pattern=NO_NUL, description="案号")
    filed_on: date = Field(description="申请（起诉）日期")
    accepted_on: date | None = Field(None, description="受理日期")
    on: date | None = Field(None, description="登记日期，默认今天")
    late_reason: str = Field("", max_length=500, pattern=NO_NUL, description="补录理由")


class ConcludeIn(Schema):
    outcome: Challenge.Outcome
    concluded_on: date = Field(description="复议决定或裁判日期")
    note: str = Field("", max_length=2000, pattern=NO_NUL)
    on: date | None = Field(None, description="登记日期，默认今天")
    late_reason: str = Field("", max_length=500, pattern=NO_NUL, description="补录理由")


def _out(row: Challenge, notes: dict[int, str]) -> ChallengeOut:
    return ChallengeOut(
        id=row.pk,
        kind=row.kind,
        kind_label=row.get_kind_display(),
        body=row.body,
        reference=row.reference,
        filed_on=row.filed_on,
        accepted_on=row.accepted_on,
        concluded_on=row.concluded_on,
        outcome=row.outcome,
        outcome_label=row.get_outcome_display() if row.outcome else "",
        outcome_note=row.outcome_note,
        late_note=notes.get(row.pk, ""),
    )


def _writer(request: HttpRequest, case_id: int) -> tuple[Account, Case]:
    account = cast(Account, request.auth)  # type: ignore[attr-defined]
    case = access_case(account, case_id)
    if not takes_steps(account, case):
        raise HttpError(403, _("只有本机关的执法人员可以登记行政复议、行政诉讼情况"))
    return account, case


@router.get(
    "/{case_id}/challenges",
    response=responses({200: list[ChallengeOut]}, 401, 404, 422),
    summary="案件的行政复议、行政诉讼情况",
)
def challenges_list(request: HttpRequest, case_id: CaseId) -> list[ChallengeOut]:
    account = cast(Account, request.auth)  # type: ignore[attr-defined]
    case = access_case(account, case_id)
    notes = sc.challenge_late_notes(case)
    return [_out(r, notes) for r in sc.challenges_of(case)]


@router.post(
    "/{case_id}/challenges",
    response=responses({201: ChallengeOut}, 400, 401, 403, 404, 409, 422),
    summary="登记行政复议或行政诉讼",
    description="已作出决定的案件（含已归档案件）；申请日期不能早于决定日期。超过《行政复议法》"
    "第二十条（60日）或《行政诉讼法》第四十六条（6个月）期限但已受理的，照实登记并注明。",
)
def challenge_record(
    request: HttpRequest, case_id: CaseId, payload: ChallengeIn
) -> Status[ChallengeOut]:
    account, case = _writer(request, case_id)
    row = sc.case_challenge_record(
        actor=account,
        case=case,
        kind=payload.kind,
        body=payload.body,
        reference=payload.reference,
        filed_on=payload.filed_on,
        accepted_on=payload.accepted_on,
        on=payload.on or timezone.localdate(),
        late_reason=payload.late_reason,
    )
    return Status(201, _out(row, sc.challenge_late_notes(case)))


@router.post(
    "/{case_id}/challenges/{challenge_id}/conclude",
    response=responses({200: ChallengeOut}, 400, 401, 403, 404, 409, 422),
    summary="登记复议决定或裁判结果",
    description="每项复议、诉讼只登记一次结果，登记后不再更改。",
)
def challenge_conclude(
    request: HttpRequest, case_id: CaseId, challenge_id: ChallengeId, payload: ConcludeIn
) -> ChallengeOut:
    account, case = _writer(request, case_id)
    challenge = Challenge.objects.filter(case=case, pk=challenge_id).first()
    if challenge is None:
        raise HttpError(404, _("未找到"))
    row = sc.case_challenge_conclude(
        actor=account,
        challenge=challenge,
        outcome=payload.outcome,
        concluded_on=payload.concluded_on,
        note=payload.note,
        on=payload.on or timezone.localdate(),
        late_reason=payload.late_reason,
    )
    return _out(row, sc.challenge_late_notes(case))
