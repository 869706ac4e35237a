"""The cases JSON API, mounted at /api/v1/cases/ by config/api.py.

As thin as the pages: lists from ``cases_visible_to``, one case through ``access_case`` (missing
and not-yours answer the same 404), one service per step. A step is
``POST /{id}/actions/{service}`` with a JSON body of that step's fields (the same forms as the
workspace, ``forms.ACTIONS``); a refused step answers 409 with ``detail`` (the Chinese message and
the article), ``article`` and ``field``. Writes need a token; a browser session may only read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, cast

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Path, Query, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from zhifa.core.api_errors import invalid_fields, responses
from zhifa.core.api_types import MAX_ID
from zhifa.core.exceptions import InvalidField
from zhifa.record.evidence_uploads import Collection, EvidenceInput, EvidenceNotFound
from zhifa.record.models import EvidenceRef
from zhifa.record.selectors import entries_of_case
from zhifa.record.services import Recording
from zhifa.record.upload_limits import is_audio_video
from zhifa.registry.models import Account, Officer, PowerItem
from zhifa.registry.selectors import officers_visible_to, power_items_visible_to

from . import services, transitions
from .access import CaseAction, access_case, takes_steps
from .action_schemas import STEP_SCHEMAS, FileIn, StepIn, form_data
from .forms import ACTIONS, action_fields, is_approval
from .models import Case
from .personal_data import party_mask
from .schemas import (
    ActionResultOut,
    CaseDetailOut,
    CaseFilters,
    CaseOpenIn,
    CasePage,
    EntryOut,
    EvidenceOut,
    InvalidInput,
    NextActionOut,
    Refusal,
    case_detail_out,
    case_out,
    entry_out,
    evidence_out,
)
from .selectors import (
    case_deadlines,
    case_money,
    case_offered_steps,
    case_officers,
    case_parties,
    cases_overdue,
    cases_search,
    cases_visible_to,
)

router = Router(tags=["案件"])  # auth: the API's default (token, or a session for GETs)

CaseId = Annotated[int, Path(ge=1, le=MAX_ID, description="案件编号")]


def _account(request: HttpRequest) -> Account:
    return cast(Account, request.auth)  # type: ignore[attr-defined]


def _gate(account: Account, case_id: int, action: CaseAction) -> Case:
    """``access_case``, with its refusal of permission as 403 JSON."""
    try:
        return access_case(account, case_id, action)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or _("无权执行此操作")) from None


def _detail(account: Account, case: Case) -> CaseDetailOut:
    today = timezone.localdate()
    parties = list(case_parties(case))
    return case_detail_out(
        case,
        deadlines=case_deadlines(case, today),
        parties=parties,
        officers=case_officers(case),
        next_actions=[
            NextActionOut(
                service=step.service,
                label=step.label,
                approval=is_approval(case.kind, case.state, step.service),
                fields=action_fields(step.service) if step.service in ACTIONS else [],
                unavailable=step.unavailable,
            )
            for step in case_offered_steps(case, today)
        ],
        money=case_money(case, today),
        mask=party_mask(account, case, parties),  # personal fields in full only inside the agency
    )


def _agency_officers(account: Account, agency_id: int) -> Any:
    return officers_visible_to(account).filter(agency_id=agency_id)


def _power_items(account: Account, agency_id: int) -> list[tuple[str, str]]:
    items = power_items_visible_to(account).filter(
        agency_id=agency_id, status=PowerItem.Status.PUBLISHED
    )
    return [(i.code, i.name) for i in items]


# -- reading --------------------------------------------------------------------------------


@router.get(
    "/",
    response=responses({200: CasePage}, 401, 422),
    summary="案件列表（本机关；监督人员为本辖区）",
)
def case_list(request: HttpRequest, filters: Query[CaseFilters]) -> CasePage:
    account = _account(request)
    today = timezone.localdate()
    qs = cases_search(
        cases_visible_to(account), q=filters.q.strip(), kind=filters.kind, state=filters.state
    )
    if filters.overdue:
        qs = qs.filter(pk__in=cases_overdue(account, today).values("pk"))
    qs = qs.select_related("agency", "power_item", "domain")
    start = (filters.page - 1) * filters.page_size
    rows = list(qs[start : start + filters.page_size])
    return CasePage(
        count=qs.count(),
        page=filters.page,
        page_size=filters.page_size,
        results=[case_out(c, case_deadlines(c, today)) for c in rows],
    )


@router.get(
    "/{case_id}",
    response=responses({200: CaseDetailOut}, 401, 404, 422),
    summary="案件详情：当事人、承办人员、期限、下一步",
)
def case_detail(request: HttpRequest, case_id: CaseId) -> CaseDetailOut:
    account = _account(request)
    return _detail(account, access_case(account, case_id))


@router.get(
    "/{case_id}/entries",
    response=responses({200: list[EntryOut]}, 401, 404, 422),
    summary="案件的全过程记录（时间线）",
)
def case_entries(request: HttpRequest, case_id: CaseId) -> list[EntryOut]:
    account = _account(request)
    case = access_case(account, case_id)
    mask = party_mask(account, case, case_parties(case))
    return [entry_out(e, mask=mask) for e in entries_of_case(case.pk)]


# -- writing --------------------------------------------------------------------------------


@router.post(
    "/",
    response=responses({201: CaseDetailOut}, 400, 401, 403, 409, 422, 503),
    summary="登记案件（线索、检查计划或查封扣押呈请）",
    description="登记日期 on 默认为今天，不能晚于今天；超过补录期限录入的须写明 late_reason。",
)
def case_open(request: HttpRequest, payload: CaseOpenIn) -> Status[CaseDetailOut]:
    account = _account(request)
    if account.agency_id is None:
        raise HttpError(403, _("只有执法机关的执法人员可以登记案件"))
    wanted = [o.officer_id for o in payload.officers]
    found = {o.pk: o for o in _agency_officers(account, account.agency_id).filter(pk__in=wanted)}
    missing = [i for i in wanted if i not in found]
    if missing:
        raise InvalidField(
            _("未找到本机关的执法人员：%(ids)s") % {"ids": missing}, field="officers"
        )
    case = services.case_open(
        actor=account,
        kind=payload.kind,
        power_code=payload.power_code,
        title=payload.title,
        on=payload.on or timezone.localdate(),
        summary=payload.summary,
        act_ended_on=payload.act_ended_on,
        serious=payload.serious,
        late_reason=payload.late_reason,
        parties=[
            services.PartyInput(
                kind=p.kind,
                name=p.name,
                id_number=p.id_number,
                phone=p.phone,
                address=p.address,
                credit_code=p.credit_code,
                legal_representative=p.legal_representative,
            )
            for p in payload.parties
        ],
        officers=[(found[o.officer_id], o.role) for o in payload.officers],
    )
    return Status(201, _detail(account, access_case(account, case.pk)))


def _action_description(service: str) -> str:
    label = transitions.SERVICE_LABELS.get(service, service)
    return (
        f"{label}（{service}）：按案件当前阶段办理该步骤（下一步见案件详情的 next_actions）。"
        "请求体为该步骤的字段；on 默认为今天，at 默认为现在（北京时间）；日期不能晚于今天、"
        "不能早于本案上一步骤，超过补录期限录入的须写明 late_reason；officers 为执法人员编号"
        "列表；files 为先经 /cases/{id}/evidence 上传到本案的文件或本案已有的文件"
        "（sha256、name、size、media_type；记录中采用本案上传时的文件名和类型）；"
        "不属于本案的文件与不存在的文件一样答复422。"
        "规则不允许时答复409，写明规则和法条；当前阶段不能办理该步骤时答复409并写明阶段；"
        "请求参数有误时答复422，写明字段。"
    )


def _files(raw: Sequence[FileIn]) -> list[EvidenceRef]:
    return [
        EvidenceRef(sha256=f.sha256, name=f.name, size=f.size, media_type=f.media_type) for f in raw
    ]


def _case_action(request: HttpRequest, case_id: int, service: str, payload: StepIn) -> Any:
    """One step of ``service`` on the case: the gate, the step's form (officers of the agency,
    list lines), the service; its record entry and the case as it now is."""
    account = _account(request)
    action = ACTIONS[service]
    case = access_case(account, case_id)
    if transitions.move_for(case.kind, case.state, service) is None:
        if not takes_steps(account, case):
            # Whoever takes no step of the case at all hears so (403), not the case's stage.
            _gate(account, case_id, CaseAction.HANDLE)
        return Status(
            409,
            Refusal(
                detail=_("案件当前处于“%(state)s”阶段，不能%(label)s")
                % {
                    "state": case.get_state_display(),
                    "label": transitions.SERVICE_LABELS.get(service, service),
                },
                state=case.state,
            ),
        )
    gate = CaseAction.APPROVE if is_approval(case.kind, case.state, service) else CaseAction.HANDLE
    case = _gate(account, case_id, gate)
    now = timezone.localtime()
    data = {"on": now.date().isoformat(), "at": now.isoformat(), **form_data(payload)}
    files = _files(getattr(payload, "files", []))
    form = action.form(
        data,
        officers=_agency_officers(account, case.agency_id),
        power_items=_power_items(account, case.agency_id),
        case=case,
    )
    if not form.is_valid():
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        return Status(422, InvalidInput(**invalid_fields(errors)))
    extra: dict[str, Any] = {"files": files} if form.accepts_files else {}
    before = entries_of_case(case.pk).order_by("-seq").values_list("seq", flat=True).first()
    try:
        outcome = action.call(actor=account, case=case, **form.service_kwargs(), **extra)
    except EvidenceNotFound as exc:
        # Another case's file answers exactly as a file never stored: no hash is an oracle.
        raise InvalidField(str(exc), field="files") from None
    entry = entries_of_case(case.pk).order_by("-seq").first()
    opened = outcome.pk if isinstance(outcome, Case) and outcome.pk != case.pk else None
    return Status(
        200,
        ActionResultOut(
            case=_detail(account, access_case(account, case.pk)),
            entry=entry_out(entry, mask=None)
            if entry is not None and entry.seq != before
            else None,
            opened_case_id=opened,
        ),
    )


def _add_step_operation(service: str) -> None:
    """``POST /{case_id}/actions/{service}``, its body typed by ``action_schemas``."""
    schema = STEP_SCHEMAS[service]

    def view(request: HttpRequest, case_id: int, payload: Any) -> Any:
        return _case_action(request, case_id, service, payload)

    # Real types, not the strings of ``from __future__ import annotations``: ninja reads them.
    view.__annotations__ = {
        "request": HttpRequest,
        "case_id": CaseId,
        "payload": schema,
        "return": Any,
    }
    view.__name__ = view.__qualname__ = service
    router.add_api_operation(
        f"/{{case_id}}/actions/{service}",
        ["POST"],
        view,
        response=responses({200: ActionResultOut}, 400, 401, 403, 404, 409, 422, 503),
        operation_id=f"cases_action_{service}",
        summary=transitions.SERVICE_LABELS.get(service, service),
        description=_action_description(service),
    )


for _service in sorted(ACTIONS):
    _add_step_operation(_service)


@router.post(
    "/{case_id}/evidence",
    response=responses({201: EvidenceOut}, 400, 401, 403, 404, 409, 413, 422, 503),
    summary="上传证据文件（按SHA-256存证，归属本案；之后在本案步骤的 files 中引用）",
    description=(
        "文件归属本案：只有本案的步骤可以引用，也只能在本案中调阅。每个文件的大小按类别限制"
        "（图片、音视频、文档、其他，见 ZHIFA_UPLOAD_LIMITS），本机关的上传总量受配额限制"
        "（ZHIFA_EVIDENCE_QUOTA），超过时答复413；未完整到达的请求答复400，不保存。"
        "sha256 为可选的客户端计算值，与收到的内容不符时答复400。上传后"
        "ZHIFA_UPLOAD_UNATTACHED_DAYS 日内未被任何步骤引用的文件将被删除（记入全过程记录）。"
        "同一文件再次上传到本案，答复原上传。description（证据名称）、source（来源）、"
        "place（取证地点）、collected_at（取证时间，ISO 8601，不得晚于当前时间）列入证据清单。"
    ),
)
def evidence_upload(
    request: HttpRequest,
    case_id: int,
    file: File[UploadedFile],
    device: Form[str] = "",
    started_at: Form[str] = "",
    ended_at: Form[str] = "",
    place: Form[str] = "",
    sha256: Form[str] = "",
    description: Form[str] = "",
    source: Form[str] = "",
    collected_at: Form[str] = "",
) -> Status[EvidenceOut]:
    account = _account(request)
    case = _gate(account, case_id, CaseAction.HANDLE)
    media_type = file.content_type or "application/octet-stream"
    recording = None
    for name, text in (
        ("started_at", started_at),
        ("ended_at", ended_at),
        ("collected_at", collected_at),
    ):
        if text:  # given with any file, a recording time must read as one
            try:
                _aware(text)
            except ValueError:
                raise InvalidField(
                    _("录制时间应为 ISO 8601 格式，如 2026-03-07T09:00+08:00"), field=name
                ) from None
    if is_audio_video(media_type):
        try:
            start, end = (_aware(started_at), _aware(ended_at))
        except ValueError:
            raise HttpError(
                422, _("上传音视频须填写录制开始和结束时间（ISO 8601，如 2026-03-07T09:00+08:00）")
            ) from None
        officer: Officer | None = account.officer
        recording = Recording(
            device=device,
            officer_id=account.officer_id,
            officer_name=officer.name if officer else str(account),
            started_at=start,
            ended_at=end,
            place=place,
        )
    (upload,) = services.case_evidence_upload(
        actor=account,
        case=case,
        uploads=[
            EvidenceInput(
                stream=file,
                name=file.name or "file",
                media_type=media_type,
                recording=recording,
                size=file.size,
                sha256=sha256,
                collection=Collection(
                    description=description[:200],
                    source=source[:200],
                    place=place[:200],
                    collected_at=_aware(collected_at) if collected_at else None,
                ),
            )
        ],
    )
    return Status(201, evidence_out(upload))


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment
