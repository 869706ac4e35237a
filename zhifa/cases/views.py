"""Pages of case handling: the case list, a new case, the workspace, the overdue list,
当场处罚 (简易程序), generated documents and evidence downloads (调阅). Thin:
parse, pass the access gate (or a ``*_visible_to`` list), call one service, render or redirect.
A refused step shows the service's message with its article and keeps what was typed; nothing
changes."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db.models import DateTimeField, Field, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.core.exceptions import RuleViolation
from zhifa.law import penalty
from zhifa.record.action_labels import action_label, entry_facts
from zhifa.record.evidence import evidence_open
from zhifa.record.evidence_uploads import (
    UPLOAD_ACTION,
    UPLOAD_EXPIRE_ACTION,
    EvidenceInput,
    UploadRefused,
)
from zhifa.record.models import Entry, EvidenceFile, EvidenceRef, EvidenceUpload
from zhifa.record.selectors import entries_of_case
from zhifa.record.services import Recording, evidence_view
from zhifa.record.upload_limits import is_audio_video, size_text
from zhifa.registry.models import Account, Officer, PowerItem
from zhifa.registry.selectors import officers_visible_to, power_items_visible_to
from zhifa.registry.web import is_htmx_partial, local_today, paginate, request_account

from . import documents, services, transitions
from .access import CaseAction, access_case
from .forms import (
    ACTIONS,
    ActionForm,
    CaseFilterForm,
    CaseOpenForm,
    DocumentGenerateForm,
    FilesForm,
    PartyFormSet,
    SimpleDecideForm,
    initial_from_notice,
    is_approval,
)
from .models import Case, CaseDocument, CaseOfficer, CaseStep, Party
from .personal_data import PartyMask, party_mask
from .selectors import (
    CaseFile,
    Countdown,
    case_deadlines,
    case_evidence_files,
    case_extensions,
    case_money,
    case_offered_steps,
    case_officers,
    case_parties,
    case_steps,
    cases_assigned_to,
    cases_overdue,
    cases_search,
    cases_visible_to,
    officers_unable_to_act,
)

S = Case.State

# Payload texts shown on the timeline, in this order.
PAYLOAD_TEXTS = (
    ("opinion", "意见"),
    ("reason", "理由"),
    ("report", "调查终结报告"),
    ("facts", "违法事实"),
    ("reasons", "理由"),
    ("basis", "依据"),
    ("findings", "检查结论"),
    ("organ", "接收机关"),
    ("document_number", "文书编号"),
)
# Case fields not worth a line on the timeline (bookkeeping of the deadline arithmetic).
QUIET_FIELDS = frozenset({"calendar_version", "deadlines_provisional"})
# Record actions written by services outside the transition tables.
# Media types a browser may show in the page (inline); anything else is downloaded, so an
# uploaded HTML or SVG file never runs in the application's origin.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"})


def _may(account: Account, case: Case, action: CaseAction) -> bool:
    try:
        access_case(account, case.pk, action)
    except PermissionDenied:
        return False
    return True


def _agency_officers(account: Account, agency_id: int) -> QuerySet[Officer]:
    return officers_visible_to(account).filter(agency_id=agency_id).order_by("name")


def _power_item_choices(
    account: Account, agency_id: int, category: str = ""
) -> list[tuple[str, str]]:
    items = (
        power_items_visible_to(account)
        .filter(agency_id=agency_id, status=PowerItem.Status.PUBLISHED)
        .order_by("category", "code")
    )
    if category:
        items = items.filter(category=category)
    return [(i.code, f"{i.code} {i.name}（{i.get_category_display()}）") for i in items]


def _power_item_categories(account: Account, agency_id: int) -> dict[str, str]:
    """The category of each of the agency's published power items, by code."""
    items = power_items_visible_to(account).filter(
        agency_id=agency_id, status=PowerItem.Status.PUBLISHED
    )
    return dict(items.values_list("code", "category"))


@dataclass(frozen=True)
class CaseRow:
    case: Case
    deadline: Countdown | None


def _rows(cases: Iterable[Case], today: date) -> list[CaseRow]:
    return [CaseRow(c, next(iter(case_deadlines(c, today)), None)) for c in cases]


# -- the case list ----------------------------------------------------------------------------


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    today = local_today()
    form = CaseFilterForm(request.GET)
    form.is_valid()
    f = form.cleaned_data
    qs = cases_search(
        cases_visible_to(account),
        q=f.get("q", "").strip(),
        kind=f.get("kind", ""),
        state=f.get("state", ""),
    )
    if f.get("overdue"):
        qs = qs.filter(pk__in=cases_overdue(account, today).values("pk"))
    if f.get("mine"):
        qs = qs.filter(pk__in=cases_assigned_to(account).values("pk"))
    page = paginate(request, qs.select_related("agency", "power_item"))
    context = {
        "form": form,
        "page": page,
        "rows": _rows(page, today),
        "may_open": _may_open(account),
    }
    partial = is_htmx_partial(request)
    response = render(
        request, "cases/_case_results.html" if partial else "cases/case_list.html", context
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


# -- a new case -------------------------------------------------------------------------------


def _may_open(account: Account) -> bool:
    return account.agency_id is not None and account.role in (
        Account.Role.OFFICER,
        Account.Role.HEAD,
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    if not _may_open(account):
        raise PermissionDenied(_("只有执法机关的执法人员可以登记案件"))
    assert account.agency_id is not None
    officers = _agency_officers(account, account.agency_id)
    items = _power_item_choices(account, account.agency_id)
    data = request.POST if request.method == "POST" else None
    form = CaseOpenForm(
        data,
        officers=officers,
        power_items=items,
        officer_warnings=officers_unable_to_act(officers, local_today()),
        power_categories=_power_item_categories(account, account.agency_id),
        initial={"on": local_today(), "lead": account.officer_id},
    )
    parties = PartyFormSet(data, prefix="party")
    refusal = ""
    if data is not None:
        if form.is_valid() and parties.is_valid():
            d = form.cleaned_data
            try:
                case = services.case_open(
                    actor=account,
                    kind=d["kind"],
                    power_code=d["power_code"],
                    title=d["title"],
                    on=d["on"],
                    summary=d["summary"],
                    act_ended_on=d["act_ended_on"],
                    serious=d["serious"],
                    parties=[p.party_input() for p in parties if p.has_changed()],
                    officers=form.officer_roles(),
                    late_reason=d["late_reason"],
                )
            except RuleViolation as exc:
                refusal = str(exc)
            else:
                messages.success(request, _("案件已登记：%(title)s") % {"title": case.title})
                return redirect("case_detail", pk=case.pk)
        else:
            refusal = _("请检查标出的栏目。")
    return render(
        request,
        "cases/case_new.html",
        {"form": form, "parties": parties, "refusal": refusal},
        status=(409 if form.is_valid() and parties.is_valid() else 400) if refusal else 200,
    )


# -- 当场处罚 (简易程序) --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_simple_new(request: HttpRequest) -> HttpResponse:
    """当场处罚: the case starts decided (第五十一条 limits are the service's)."""
    account = request_account(request)
    if not _may_open(account):
        raise PermissionDenied(_("只有执法机关的执法人员可以当场作出处罚决定"))
    assert account.agency_id is not None
    data = request.POST if request.method == "POST" else None
    officers = _agency_officers(account, account.agency_id)
    form = SimpleDecideForm(
        data,
        officers=officers,
        officer_warnings=officers_unable_to_act(officers, local_today()),
        power_items=_power_item_choices(
            account, account.agency_id, category=PowerItem.Category.PENALTY
        ),
        initial={
            "on": local_today(),
            "time": timezone.localtime().strftime("%H:%M"),
            "officers": [account.officer_id] if account.officer_id else [],
            "penalty_kind": penalty.PenaltyKind.WARNING.value,
        },
    )
    refusal, status = "", 200
    if data is not None:
        if form.is_valid():
            try:
                case = services.case_simple_decide(
                    actor=account, **form.service_kwargs(lead_id=account.officer_id)
                )
            except RuleViolation as exc:
                if exc.field and exc.field in form.fields:
                    form.add_error(exc.field, "")  # marked; the message is shown once, above
                refusal, status = str(exc), 409
            else:
                messages.success(
                    request,
                    _("已当场作出处罚决定：%(number)s") % {"number": case.decision_number},
                )
                return redirect("case_detail", pk=case.pk)
        else:
            refusal, status = _("请检查标出的栏目。"), 400
    return render(
        request, "cases/case_simple_new.html", {"form": form, "refusal": refusal}, status=status
    )


# -- the workspace ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PartyView:
    """A party as this account may see it: personal fields in full only inside the agency."""

    party: Party
    id_number: str
    phone: str
    address: str


def _party_views(parties: Iterable[Party], mask: PartyMask | None) -> list[PartyView]:
    if mask is None:
        return [PartyView(p, p.id_number, p.phone, p.address) for p in parties]
    return [
        PartyView(p, mask.field("id_number", p.id_number), mask.field("phone", p.phone), "")
        for p in parties
    ]


@dataclass
class NextAction:
    service: str
    label: str
    approval: bool
    form: ActionForm | None  # None: not this account's to take
    refusal: str = ""
    open: bool = False
    unavailable: str = ""  # why the step cannot be taken now (第五十八条: no accepted review)


@dataclass(frozen=True)
class FileView:
    """A file of an entry with what its stored row says: audio/video, uploaded late."""

    ref: EvidenceRef
    audio_video: bool
    late_upload: bool


@dataclass
class TimelineRow:
    entry: Entry
    label: str
    role_label: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    files: list[FileView] = field(default_factory=list)


def _file_view(ref: EvidenceRef, stored: CaseFile | None) -> FileView:
    if stored is None:
        return FileView(ref, is_audio_video(ref.media_type), False)
    return FileView(ref, stored.is_audio_video, stored.late_upload)


def _state_label(state: str) -> str:
    return str(S(state).label) if state in S.values else state


def _case_field_fact(name: str, value: Any) -> tuple[str, str] | None:
    if value in (None, "", [], False) or name in QUIET_FIELDS:
        return None
    try:
        model_field = Case._meta.get_field(name.removesuffix("_id"))
    except FieldDoesNotExist:
        return None
    if not isinstance(model_field, Field):
        return None
    label = str(model_field.verbose_name)
    if name.endswith("_id"):
        return None  # foreign keys are named elsewhere (presider, power item)
    if isinstance(value, list):
        text = "、".join(_penalty_label(v) for v in value)
    elif model_field.choices:
        text = str(dict(model_field.flatchoices).get(value, value))
    elif value is True:
        text = _("是")
    elif isinstance(model_field, DateTimeField) and isinstance(value, str):
        # Recorded in UTC (canonical JSON); shown as Beijing time like the entry's own time.
        text = timezone.localtime(datetime.fromisoformat(value)).strftime("%Y-%m-%d %H:%M")
    else:
        text = str(value)
    return label, text


def _penalty_label(value: Any) -> str:
    try:
        return penalty.PenaltyKind(value).label
    except ValueError:
        return str(value)


def _timeline(
    entries: Iterable[Entry],
    names: dict[int, str],
    stored: dict[str, CaseFile],
    mask: PartyMask | None,
) -> list[TimelineRow]:
    roles = dict(Account.Role.choices)
    rows = []
    for entry in entries:
        data = json.loads(entry.payload)
        facts: list[tuple[str, str]] = []
        before, after = data.get("from"), data.get("to")
        if after and before != after:
            facts.append(
                (
                    _("阶段"),
                    f"{_state_label(before)} → {_state_label(after)}"
                    if before
                    else _state_label(after),
                )
            )
        if "on" in data:
            facts.append((_("日期"), str(data["on"])))
        if "at" in data:
            at = datetime.fromisoformat(str(data["at"]))
            facts.append((_("时间"), timezone.localtime(at).strftime("%Y-%m-%d %H:%M")))
        step = data.get("step")
        if step:
            facts.append((_("步骤"), str(CaseStep.Kind(step["kind"]).label)))
            if step.get("summary"):
                facts.append((_("内容"), step["summary"]))
            if step.get("officer_ids"):
                facts.append(
                    (
                        _("执法人员"),
                        "、".join(names.get(i, f"#{i}") for i in step["officer_ids"]),
                    )
                )
        for key, label in PAYLOAD_TEXTS:
            # Texts only: a structured value is the recording app's to describe (below).
            if data.get(key) and isinstance(data[key], str):
                facts.append((label, data[key]))
        facts.extend(entry_facts(entry.action, data))
        if data.get("parties"):
            # Names only: the record's copy of personal fields stays off the page.
            facts.append((_("当事人"), "、".join(p["name"] for p in data["parties"])))
        if data.get("assignments"):
            role_labels = dict(CaseOfficer.Role.choices)
            facts.append(
                (
                    _("承办人员"),
                    "、".join(
                        f"{names.get(a['officer_id'], '#' + str(a['officer_id']))}"
                        f"（{role_labels.get(a['role'], a['role'])}）"
                        for a in data["assignments"]
                    ),
                )
            )
        if data.get("extension"):
            facts.append((_("新期限"), str(data["extension"]["new_deadline"])))
        if entry.action == "document.generate":
            facts.append(
                (
                    _("文书"),
                    _("%(title)s（第%(v)s版）") % {"title": data["title"], "v": data["version"]},
                )
            )
            if data.get("number"):
                facts.append((_("文书编号"), str(data["number"])))
        if data.get("late"):
            facts.append((_("提示"), _("逾期")))
        if entry.action in (UPLOAD_ACTION, UPLOAD_EXPIRE_ACTION) and data.get("name"):
            facts.append((_("文件"), f"{data['name']}（{size_text(int(data.get('size', 0)))}）"))
        if entry.action == UPLOAD_EXPIRE_ACTION:
            facts.append(
                (
                    _("说明"),
                    _("上传后%(days)s日内未附入任何办案步骤，已删除") % {"days": data.get("days")},
                )
            )
        if data.get("late_entry"):
            late = data["late_entry"]
            facts.append(
                (
                    _("补录"),
                    _("发生后%(days)s日录入；理由：%(reason)s")
                    % {"days": late["days"], "reason": late["reason"]},
                )
            )
        if entry.action == "case.open" or entry.action == "case.simple_decide":
            changes = {k: data.get("case", {}).get(k) for k in ("title", "number", "fine")}
        else:
            changes = data.get("case", {})
        for name, value in changes.items():
            fact = _case_field_fact(name, value)
            if fact is not None:
                facts.append(fact)
        if mask is not None:  # outside the agency: free texts name no personal value
            facts = [(label, mask.text(value)) for label, value in facts]
        rows.append(
            TimelineRow(
                entry=entry,
                label=action_label(entry.action),
                role_label=str(roles.get(entry.role, entry.role)),
                facts=facts,
                files=[_file_view(ref, stored.get(ref.sha256)) for ref in entry.file_refs],
            )
        )
    return rows


# Panels the apps above cases show in the workspace's 下一步 (approvals: the request for the
# head's approval). ``panel(account, case, next_actions)`` returns its context, with the
# template to include as ``template``, or None to show nothing.
WorkspacePanel = Callable[[Account, Case, list[NextAction]], dict[str, Any] | None]
_workspace_panels: list[WorkspacePanel] = []


def register_workspace_panel(panel: WorkspacePanel) -> WorkspacePanel:
    """Show ``panel`` in every case workspace, above the next steps, or below them when its
    context says ``after_actions`` (reference panels: the first step stays on a phone's first
    screen). Registering twice is harmless."""
    if panel not in _workspace_panels:
        _workspace_panels.append(panel)
    return panel


def _blank_form(
    service: str,
    case: Case,
    *,
    officers: QuerySet[Officer],
    assigned: list[int],
    power_items: list[tuple[str, str]],
    warnings: dict[int, str],
) -> ActionForm:
    """A step's empty form: dates default to today (Asia/Shanghai), officers to the case's;
    an officer who may not act today is marked in the pickers."""
    initial: dict[str, Any] = {
        "on": local_today(),
        "at": timezone.localtime().replace(second=0, microsecond=0),
        "officers": assigned,
    }
    if service == "case_register":
        initial["act_ended_on"] = case.act_ended_on
    if service == "case_decide":
        initial.update(initial_from_notice(case))
    if service == "case_payment_record":
        # The first amount still owed, in full: the officer changes it for a part payment.
        owed = next((m for m in case_money(case, local_today()).lines if m.outstanding), None)
        if owed is not None:
            initial.update(item=owed.item, amount=owed.outstanding)
    return ACTIONS[service].form(
        prefix=service,
        initial=initial,
        case=case,
        officers=officers,
        power_items=power_items,
        inline=True,
        officer_warnings=warnings,
        penalty_kinds=services.penalty_kinds_for(case),
    )


def _render_workspace(
    request: HttpRequest,
    account: Account,
    case: Case,
    *,
    bound: tuple[str, ActionForm, str] | None = None,
    document: tuple[DocumentGenerateForm, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = local_today()
    may_handle = _may(account, case, CaseAction.HANDLE)
    may_approve = _may(account, case, CaseAction.APPROVE)
    officers = _agency_officers(account, case.agency_id)
    names = {o.pk: o.name for o in officers}
    assignments = list(case_officers(case))
    assigned = [a.officer_id for a in assignments]
    power_items = _power_item_choices(account, case.agency_id) if may_handle else []
    # 第四十二条: the assigned officers who may not act today (in the case's domain) are
    # warned of in the workspace; the pickers mark every officer without a valid certificate.
    assigned_warnings = officers_unable_to_act(
        [a.officer for a in assignments],
        today,
        domain=case.domain,
        region=case.agency.division_code,
    )
    warnings = (
        {**officers_unable_to_act(officers, today), **assigned_warnings} if may_handle else {}
    )
    next_actions: list[NextAction] = []
    for offered in case_offered_steps(case, today):
        service, label = offered.service, offered.label
        approval = is_approval(case.kind, case.state, service)
        allowed = (may_approve if approval else may_handle) and service in ACTIONS
        if bound is not None and bound[0] == service:
            next_actions.append(
                NextAction(service, label, approval, bound[1], bound[2], True, offered.unavailable)
            )
        else:
            form = (
                _blank_form(
                    service,
                    case,
                    officers=officers,
                    assigned=assigned,
                    power_items=power_items,
                    warnings=warnings,
                )
                if allowed
                else None
            )
            next_actions.append(
                NextAction(service, label, approval, form, unavailable=offered.unavailable)
            )
    review = _review_panel(account, case, next_actions)
    panels = [p for p in (panel(account, case, next_actions) for panel in _workspace_panels) if p]
    parties = list(case_parties(case))
    mask = party_mask(account, case, parties)  # personal fields in full only inside the agency
    steps = list(case_steps(case))
    for s in steps:
        s.summary_shown = mask.text(s.summary) if mask else s.summary  # type: ignore[attr-defined]
    document_form, document_refusal = document or (
        DocumentGenerateForm(
            prefix="document", initial={"on": today}, steps=documents.document_steps(case)
        ),
        "",
    )
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "full": mask is None,
            "case_summary": mask.text(case.summary) if mask else case.summary,
            "end_reason": mask.text(case.end_reason) if mask else case.end_reason,
            "may_play": _may(account, case, CaseAction.PLAY),
            "parties": _party_views(parties, mask),
            "officers": assignments,
            "officer_warnings": assigned_warnings,
            "deadlines": case_deadlines(case, today),
            "next_actions": next_actions,
            "may_act": may_handle or may_approve,
            "timeline": _timeline(entries_of_case(case.pk), names, case_evidence_files(case), mask),
            "documents": list(documents.case_documents(case)),
            "documents_available": documents.documents_available(case) if may_handle else [],
            "document_form": document_form,
            "document_refusal": document_refusal,
            "may_handle": may_handle,
            "steps": steps,
            "extensions": list(case_extensions(case)),
            "money": case_money(case, today),
            "today": today,
            "review": review,
            "panels": panels,
        },
        status=status,
    )


# The decisions 《行政处罚法》第五十八条 gates: what each would decide.
DECISION_SERVICES = ("case_decide", "case_not_penalise")


def _review_panel(account: Account, case: Case, next_actions: list[NextAction]) -> dict[str, Any]:
    """The legal review as the workspace shows it, and why a decision step is unavailable.
    review depends on cases, never the other way round: imported here, not at module level."""
    from zhifa.review.selectors import decision_refusal
    from zhifa.review.views import case_review_panel

    for a in next_actions:
        if a.service in DECISION_SERVICES:
            decision = (
                None if a.service == "case_decide" else services.PendingDecision(penalise=False)
            )
            refusal = decision_refusal(case, decision)
            if refusal is not None:
                a.unavailable = str(refusal)
    return case_review_panel(account, case)


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    case = access_case(account, pk)
    return _render_workspace(request, account, case)


def _store_uploads(
    request: HttpRequest, account: Account, case: Case, service: str, form: FilesForm
) -> list[EvidenceUpload] | None:
    """Upload the step's files for the case (``case_evidence_upload``: each read whole, hashed
    and checked before anything is stored, then all bound to the case in one transaction).
    Audio/video needs its recording time; None (with the form error set) when it is missing.
    Raises ``UploadRefused`` (size, quota) or ``RuleViolation``."""
    uploads: Sequence[UploadedFile[bytes]] = request.FILES.getlist(f"{service}-files")
    d = form.cleaned_data
    started, ended = d.get("rec_started_at"), d.get("rec_ended_at")
    if any(_is_audio_video(u) for u in uploads) and (started is None or ended is None):
        form.add_error("rec_ended_at", _("上传音视频须填写录制开始和结束时间"))
        return None
    inputs = []
    for upload in uploads:
        recording = None
        if _is_audio_video(upload) and started is not None and ended is not None:
            recording = Recording(
                device=d.get("rec_device", ""),
                officer_id=account.officer_id,
                officer_name=account.officer.name if account.officer else str(account),
                started_at=started,
                ended_at=ended,
                place=d.get("rec_place", ""),
            )
        inputs.append(
            EvidenceInput(
                stream=upload,
                name=upload.name or "file",
                media_type=upload.content_type or "application/octet-stream",
                recording=recording,
                size=upload.size,
                collection=form.collection(),
            )
        )
    if not inputs:
        return []
    return services.case_evidence_upload(actor=account, case=case, uploads=inputs)


def _is_audio_video(upload: UploadedFile[bytes]) -> bool:
    return is_audio_video(upload.content_type or "")


@login_required
@require_POST
def case_action(request: HttpRequest, pk: int, service: str) -> HttpResponse:
    """Take one step (``service``) on the case: the head's approvals need the head."""
    account = request_account(request)
    action = ACTIONS.get(service)
    if action is None:
        raise Http404
    case = access_case(account, pk)
    gate = CaseAction.APPROVE if is_approval(case.kind, case.state, service) else CaseAction.HANDLE
    case = access_case(account, pk, gate)  # 403 for supervisors, reviewers, an archived case
    officers = _agency_officers(account, case.agency_id)
    form = action.form(
        request.POST,
        prefix=service,
        officers=officers,
        power_items=_power_item_choices(account, case.agency_id),
        inline=True,
        officer_warnings=officers_unable_to_act(officers, local_today()),
        penalty_kinds=services.penalty_kinds_for(case),
        case=case,
    )
    if not form.is_valid():
        return _render_workspace(
            request, account, case, bound=(service, form, _("请检查标出的栏目。")), status=400
        )
    stored: list[EvidenceUpload] = []
    extra: dict[str, Any] = {}
    if isinstance(form, FilesForm) and transitions.move_for(case.kind, case.state, service):
        # The files are stored and bound to the case first; the step, in its own transaction,
        # then carries them. A refused step leaves them uploaded, to be carried by the next
        # try (the same bytes are the same upload) or removed when unattached too long. (A
        # step the case's stage does not allow — a repeated submission — uploads nothing: the
        # service refuses it below.)
        try:
            result = _store_uploads(request, account, case, service, form)
        except UploadRefused as exc:
            return _render_workspace(
                request, account, case, bound=(service, form, str(exc)), status=exc.status
            )
        except RuleViolation as exc:
            return _render_workspace(
                request, account, case, bound=(service, form, str(exc)), status=409
            )
        if result is None:
            return _render_workspace(
                request, account, case, bound=(service, form, _("请检查标出的栏目。")), status=400
            )
        stored = result
        extra["files"] = [f.ref for f in stored]
    try:
        outcome = action.call(actor=account, case=case, **form.service_kwargs(), **extra)
    except RuleViolation as exc:
        if exc.field and exc.field in form.fields:
            form.add_error(exc.field, "")  # mark the field; the message is shown once, above
        return _render_workspace(
            request, account, case, bound=(service, form, str(exc)), status=409
        )
    label = transitions.SERVICE_LABELS.get(service, service)
    messages.success(request, _("已完成：%(label)s") % {"label": label})
    for f in stored:
        note = _("（上传距录制结束超过24小时，已标记逾期上传）") if f.late_upload else ""
        messages.info(
            request,
            _("已保存证据“%(name)s”，SHA-256：%(sha)s%(note)s")
            % {"name": f.name, "sha": f.sha256, "note": note},
        )
    if isinstance(outcome, Case) and outcome.pk != case.pk:  # 转立处罚案件 opens a new case
        return redirect("case_detail", pk=outcome.pk)
    return redirect(reverse("case_detail", kwargs={"pk": case.pk}) + "#timeline")


# -- documents and evidence files -------------------------------------------------------------


@login_required
@require_POST
def case_document_generate(request: HttpRequest, pk: int) -> HttpResponse:
    """Generate the next version of one document (PDF and DOCX, stored and recorded). Who may
    generate which document is the service's rule (a reviewer: the 法制审核意见书)."""
    account = request_account(request)
    case = _case_for_files(account, pk)
    form = DocumentGenerateForm(
        request.POST, prefix="document", steps=documents.document_steps(case)
    )
    if not form.is_valid():
        return _render_workspace(
            request, account, case, document=(form, _("请检查标出的栏目。")), status=400
        )
    try:
        document = documents.document_generate(
            actor=account,
            case=case,
            kind=form.cleaned_data["kind"],
            on=form.cleaned_data["on"],
            step=form.cleaned_data["step"],
        )
    except RuleViolation as exc:
        return _render_workspace(request, account, case, document=(form, str(exc)), status=409)
    messages.success(
        request,
        _("已生成%(title)s（第%(version)s版）")
        % {"title": document.title, "version": document.version},
    )
    return redirect(reverse("case_detail", kwargs={"pk": case.pk}) + "#documents")


def _case_for_files(account: Account, pk: int) -> Case:
    """The case whose files ``account`` may open (404 alike for missing and not-yours)."""
    return access_case(account, pk, CaseAction.FILES)


def _content_disposition(disposition: str, filename: str, fallback: str) -> str:
    """RFC 6266: an ASCII ``filename`` for old clients and the UTF-8 name (RFC 8187)."""
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _file_response(stored: CaseFile | EvidenceFile, *, inline: bool) -> FileResponse:
    """Stream a stored file (never read into memory); 404 when its bytes are missing."""
    try:
        stream = evidence_open(stored.sha256)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(stream, content_type=stored.media_type)
    suffix = stored.original_name.rpartition(".")[2] if "." in stored.original_name else "bin"
    response["Content-Disposition"] = _content_disposition(
        "inline" if inline else "attachment",
        stored.original_name,
        f"zhifa-{stored.sha256[:12]}.{suffix.encode('ascii', 'ignore').decode() or 'bin'}",
    )
    if not inline:
        # Uploaded bytes never run as our page (inline types are images, PDF and audio/video
        # only; a sandbox would stop Chromium's PDF viewer).
        response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def case_document_file(request: HttpRequest, pk: int, doc_id: int, fmt: str) -> FileResponse:
    """Download one generated document version as PDF or DOCX."""
    account = request_account(request)
    case = _case_for_files(account, pk)
    document: CaseDocument | None = documents.case_documents(case).filter(pk=doc_id).first()
    if document is None or fmt not in ("pdf", "docx"):
        raise Http404
    pdf, docx = documents.document_files(document)
    return _file_response(pdf if fmt == "pdf" else docx, inline=False)


@login_required
@require_GET
def case_evidence_file(request: HttpRequest, pk: int, sha256: str) -> FileResponse:
    """Open an evidence file of the case (调阅). Opening an audio/video record appends an
    ``evidence.view`` entry first, so every viewing is itself on the case's record."""
    account = request_account(request)
    case = _case_for_files(account, pk)
    stored = case_evidence_files(case).get(sha256)
    if stored is None:
        raise Http404  # not a file of this case
    # Audio/video is handed out as a download: one request, one 调阅 entry (a media player
    # would fetch it in several requests).
    response = _file_response(stored, inline=stored.media_type in INLINE_TYPES)
    if stored.is_audio_video:
        try:
            evidence_view(
                actor_id=account.pk,
                actor_name=account.display_name or account.get_username(),
                role=account.role,
                evidence=stored.ref,
                case_id=case.pk,
            )
        except BaseException:
            response.close()  # not recorded, not handed out
            raise
    return response


# -- the overdue list (the head's approval queue: zhifa.approvals) ---------------------------


@dataclass(frozen=True)
class ApprovalRow:
    case: Case
    approvals: list[str]
    deadline: Countdown | None


@login_required
@require_GET
def case_overdue(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    today = local_today()
    page = paginate(request, cases_overdue(account, today).select_related("power_item"))
    rows = [
        ApprovalRow(c, [], next((d for d in case_deadlines(c, today) if d.overdue), None))
        for c in page
    ]
    return render(
        request,
        "cases/overdue.html",
        {"page": page, "rows": rows, "today": today, "regional": account.agency_id is None},
    )
