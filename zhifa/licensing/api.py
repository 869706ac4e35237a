"""``/api/v1/licensing/``: a licence application read, registered, and each officer's or head's
step (one operation per step, its body typed from the step's form, as the cases' steps are).
Refusals: 409 naming the rule and its article; a step the stage does not allow, 409 naming the
stage; a body that is not what the step takes, 422 naming the field."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import ConfigDict, StrictBool, StrictStr, create_model

from zhifa.cases import transitions
from zhifa.cases.access import CaseAction, access_case, takes_steps
from zhifa.cases.action_schemas import StepIn, _field_type, form_data
from zhifa.cases.models import Case
from zhifa.cases.services import PartyInput
from zhifa.core.api_errors import InvalidInput, Refusal, invalid_fields, responses
from zhifa.core.api_types import MAX_ID, LegalDate
from zhifa.registry.models import Account, Officer

from . import selectors, services
from .models import Application, Licence
from .views import STEPS

router = Router(tags=["行政许可"])
CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="案件编号（行政许可申请）")]


class ApplicationOut(Schema):
    case_id: int
    state: str
    state_label: str
    matter: str
    channel: str
    received_on: date
    missing: list[str] = Field(description="一次告知需补正的材料")
    accepted_on: date | None
    acceptance_deemed: bool = Field(description="逾期未告知补正，自收到申请材料之日起视为受理")
    decision_deadline: date | None = Field(description="作出决定期限（第四十二、四十五条）")
    excluded_workdays: int = Field(description="不计入期限的工作日（第四十五条）")
    extended: bool
    outcome: str
    decision_number: str
    decision_late: bool
    licence_number: str
    valid_from: date | None
    valid_until: date | None
    next_steps: list[str]


class ApplyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    power_code: Annotated[StrictStr, Field(pattern=r"\S", max_length=64)]
    matter: Annotated[StrictStr, Field(pattern=r"\S", max_length=200)]
    channel: Literal["online", "window"]
    on: LegalDate | None = Field(None, description="收到申请材料日期，默认今天")
    applicant_kind: Literal["natural_person", "organisation"]
    name: Annotated[StrictStr, Field(pattern=r"\S", max_length=128)]
    id_number: Annotated[StrictStr, Field(max_length=18)] = ""
    credit_code: Annotated[StrictStr, Field(max_length=18)] = ""
    legal_representative: Annotated[StrictStr, Field(max_length=64)] = ""
    phone: Annotated[StrictStr, Field(max_length=20)] = ""
    address: Annotated[StrictStr, Field(max_length=200)] = ""
    materials: Annotated[
        list[Annotated[StrictStr, Field(max_length=200)]], Field(max_length=50)
    ] = []
    verification_required: StrictBool = False
    hearing_required: StrictBool = False
    late_reason: Annotated[StrictStr, Field(max_length=500)] = ""


def _account(request: HttpRequest) -> Account:
    return cast(Account, request.auth)  # type: ignore[attr-defined]


def _licensing_case(account: Account, case_id: int, action: str = CaseAction.READ) -> Case:
    try:
        case = access_case(account, case_id, action)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or _("无权执行此操作")) from None
    if case.kind != Case.Kind.LICENSING:
        raise HttpError(404, _("未找到该行政许可申请"))
    return case


def _out(case: Case) -> ApplicationOut:
    app = Application.objects.get(case_id=case.pk)
    shown = selectors.countdown(app)
    licence = Licence.objects.filter(application=app).first()
    return ApplicationOut(
        case_id=case.pk,
        state=case.state,
        state_label=case.get_state_display(),
        matter=app.matter,
        channel=app.channel,
        received_on=app.received_on,
        missing=list(app.missing),
        accepted_on=app.accepted_on,
        acceptance_deemed=app.acceptance_deemed,
        decision_deadline=case.decision_deadline,
        excluded_workdays=shown.excluded_workdays,
        extended=shown.extended,
        outcome=app.outcome,
        decision_number=case.decision_number,
        decision_late=app.decision_late,
        licence_number=licence.number if licence else "",
        valid_from=app.valid_from,
        valid_until=app.valid_until,
        next_steps=[m.service for m in transitions.moves_from(case.kind, case.state)],
    )


@router.post(
    "/applications",
    response=responses({201: ApplicationOut}, 400, 401, 403, 409, 422, 503),
    summary="登记行政许可申请",
    description="申请人为当事人；权责清单须有本机关已发布的行政许可事项。规则不允许时答复409。",
)
def application_register(request: HttpRequest, payload: ApplyIn) -> Status[ApplicationOut]:
    account = _account(request)
    if account.agency_id is None or account.role not in ("officer", "head"):
        raise HttpError(403, _("只有执法机关的执法人员可以登记行政许可申请"))
    person = payload.applicant_kind == "natural_person"
    case = services.licence_apply(
        actor=account,
        power_code=payload.power_code,
        matter=payload.matter,
        channel=payload.channel,
        on=payload.on or timezone.localdate(),
        applicant=PartyInput(
            kind=payload.applicant_kind,
            name=payload.name,
            id_number=payload.id_number if person else "",
            credit_code="" if person else payload.credit_code,
            legal_representative="" if person else payload.legal_representative,
            phone=payload.phone,
            address=payload.address,
        ),
        materials=payload.materials,
        verification_required=payload.verification_required,
        hearing_required=payload.hearing_required,
        late_reason=payload.late_reason,
    )
    return Status(201, _out(case))


@router.get(
    "/{case_id}",
    response=responses({200: ApplicationOut}, 401, 404, 422),
    summary="行政许可申请",
)
def application_detail(request: HttpRequest, case_id: CaseId) -> ApplicationOut:
    return _out(_licensing_case(_account(request), case_id))


def _schema(service: str) -> type[StepIn]:
    form = STEPS[service].form
    fields: dict[str, Any] = {}
    for name in sorted(form.base_fields, key=lambda n: n == "late_reason"):
        annotation, default = _field_type(name, form.base_fields[name])
        label = str(form.base_fields[name].label or name)
        fields[name] = (annotation, Field(default, description=label))
    title = "".join(part.title() for part in service.split("_")) + "In"
    schema: type[StepIn] = create_model(title, __base__=StepIn, **fields)
    return schema


def _step(request: HttpRequest, case_id: int, service: str, payload: StepIn) -> Any:
    account = _account(request)
    case = _licensing_case(account, case_id)
    move = transitions.move_for(case.kind, case.state, service)
    if move is None:
        if not takes_steps(account, case):
            _licensing_case(account, case_id, CaseAction.HANDLE)
        label = transitions.SERVICE_LABELS[service]
        detail = _("案件当前处于“%(state)s”阶段，不能%(label)s") % {
            "state": case.get_state_display(),
            "label": label,
        }
        return Status(409, Refusal(detail=detail, state=case.state))
    gate = CaseAction.APPROVE if transitions.HEAD in move.preconditions else CaseAction.HANDLE
    case = _licensing_case(account, case_id, gate)
    data = {"on": timezone.localdate().isoformat(), **form_data(payload)}
    step = STEPS[service]
    if step.form.__name__ == "VerifyForm":
        officers = Officer.objects.filter(agency_id=case.agency_id)
        form = step.form(data, officers=officers)  # type: ignore[call-arg]
    else:
        form = step.form(data)
    if not form.is_valid():
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        return Status(422, InvalidInput(**invalid_fields(errors)))
    step.call(account, case, form.cleaned_data)
    return Status(200, _out(Case.objects.get(pk=case.pk)))


STEP_SCHEMAS: dict[str, type[StepIn]] = {}


def _add(service: str) -> None:
    schema = STEP_SCHEMAS[service] = _schema(service)

    def view(request: HttpRequest, case_id: int, payload: Any) -> Any:
        return _step(request, case_id, service, payload)

    view.__annotations__ = {
        "request": HttpRequest,
        "case_id": CaseId,
        "payload": schema,
        "return": Any,
    }
    view.__name__ = view.__qualname__ = service
    router.add_api_operation(
        f"/{{case_id}}/steps/{service}",
        ["POST"],
        view,
        response=responses({200: ApplicationOut}, 400, 401, 403, 404, 409, 422, 503),
        operation_id=f"licensing_step_{service}",
        summary=transitions.SERVICE_LABELS[service],
        description=(
            f"{transitions.SERVICE_LABELS[service]}：on 默认为今天，不能晚于今天；"
            "规则不允许时答复409并写明法条；officers 为本机关执法人员编号。"
        ),
    )


for _service in sorted(STEPS):
    _add(_service)
