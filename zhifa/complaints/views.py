"""Complaint pages: the public form and status page (no login), the supervisor's list, detail
and intake forms. Thin: parse, gate, one service, render."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.core.clients import client_address
from zhifa.core.exceptions import RuleViolation
from zhifa.core.throttling import (
    anonymous_write_refusal,
    rate_for,
    throttle_count,
    throttle_exceeded,
)
from zhifa.core.time_limits import time_limit
from zhifa.registry import agency_lookup
from zhifa.registry.models import Account
from zhifa.registry.web import local_today, paginate, request_account

from . import forms, intake, selectors, services
from .access import access_complaint, can_handle
from .models import Complaint

SUBMIT_THROTTLE = "complaints.submit"
STATUS_THROTTLE = "complaints.status"
_RECEIPT = "complaints.receipt"


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _rule_error(form: Any, exc: RuleViolation) -> None:
    field = getattr(exc, "field", None)
    text = str(exc)
    form.add_error(field if field in form.fields else None, text)


# -- public ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def complaint_public(request: HttpRequest) -> HttpResponse:
    """Who may complain about what, the channels, and the form."""
    today = local_today()
    kept = agency_lookup.finding(request)
    finding = kept is not None
    if kept is not None:  # 查找 without script: the matches, what was typed kept, nothing checked
        form = forms.ComplaintForm(initial=kept)
    else:
        form = forms.ComplaintForm(request.POST or None, request.FILES or None)
    candidates: list[tuple[str, str]] = []
    status = 200
    refusal = None
    if request.method == "POST" and not finding:
        refusal = anonymous_write_refusal(request, SUBMIT_THROTTLE)
        if refusal is not None:
            form.add_error(None, refusal.message(_("提交投诉")))
        elif form.is_valid():
            data = form.cleaned_data
            certificate_number = ""
            given = data["officer"].strip()
            if given:
                candidates = selectors.officer_certificates(data["agency"].pk, given)
                if len(candidates) == 1:
                    certificate_number = candidates[0][0]
                elif len(candidates) > 1:
                    form.add_error(
                        "officer",
                        _("该机关有多名同名执法人员，请填写执法证件编号：%(numbers)s")
                        % {"numbers": "、".join(n for n, _name in candidates)},
                    )
            if form.is_valid():
                try:
                    complaint, code = services.complaint_submit(
                        agency=data["agency"],
                        facts=data["facts"],
                        happened_on=data["happened_on"],
                        today=today,
                        anonymous=data["mode"] == "anonymous",
                        name=data["name"],
                        contact=data["contact"],
                        consent_share=data["consent_share"],
                        certificate_number=certificate_number,
                        officer_given=given,
                        uploads=[services.Upload(f.name, f.read()) for f in data["attachments"]],
                    )
                except RuleViolation as exc:
                    _rule_error(form, exc)
                else:
                    request.session[_RECEIPT] = {"number": complaint.number, "code": code}
                    return _see_other(reverse("complaint_receipt"))
        status = 400 if refusal is None else 429
    response = render(
        request,
        "complaints/public.html",
        {
            "form": form,
            "finding": finding,
            "channels": selectors.channels_public(),
            "reasons": intake.REFUSAL_REASONS.values(),
            "accept_limit": time_limit(intake.ACCEPT),
            "handle_limit": time_limit(intake.HANDLE),
            "last_updated": None,
        },
        status=status,
    )
    if refusal is not None:
        response["Retry-After"] = str(refusal.retry_after(timezone.now()))
    return response


@require_GET
def complaint_receipt(request: HttpRequest) -> HttpResponse:
    """The tracking number and secret code, shown once (then gone from the session)."""
    receipt = request.session.pop(_RECEIPT, None)
    if not receipt:
        return _see_other(reverse("complaint_status"))
    response = render(request, "complaints/receipt.html", {"receipt": receipt})
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def complaint_status(request: HttpRequest) -> HttpResponse:
    """Progress of one complaint, for whoever holds its number and code; nothing else."""
    form = forms.StatusForm(request.POST or None)
    complaint = None
    status = 200
    rate = rate_for(STATUS_THROTTLE)
    key = client_address(request)
    if request.method == "POST":
        refusal = throttle_exceeded(rate, key, now=timezone.now())
        if refusal is not None:
            form.add_error(None, refusal.message(_("查询投诉")))
            status = 429
        elif form.is_valid():
            found = selectors.complaint_by_number(form.cleaned_data["number"])
            if services.complaint_code_matches(found, form.cleaned_data["code"]):
                complaint = found
            else:
                throttle_count(rate, key, now=timezone.now())
                form.add_error(None, _("投诉编号或查询码不正确"))
                status = 400
        else:
            status = 400
    context: dict[str, Any] = {"form": form, "complaint": complaint, "last_updated": None}
    if complaint is not None:
        context["progress"] = selectors.complaint_progress(complaint)
        if complaint.state == Complaint.State.REFUSED:
            context["guidance"] = intake.refusal_reason(complaint.refusal_reason).guidance
    response = render(request, "complaints/status.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


# -- the supervisor's pages -----------------------------------------------------------------


@login_required
@require_GET
def complaint_list(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    qs = selectors.complaints_visible_to(account)
    if account.role not in (Account.Role.SUPERVISOR, Account.Role.HEAD) and not qs.exists():
        raise PermissionDenied(_("投诉举报由执法监督人员办理"))
    filters = forms.FilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.complaints_search(
        qs, state=data.get("state", ""), q=data.get("q", ""), origin=data.get("origin", "")
    )
    page = paginate(request, qs)
    today = local_today()
    rows = [(c, selectors.complaint_countdown(c, today)) for c in page.object_list]
    return render(
        request,
        "complaints/list.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "supervisor": account.role == "supervisor",
        },
    )


def _action_forms(complaint: Complaint, today: date) -> dict[str, Any]:
    initial = {"on": today}
    return {
        "accept": forms.AcceptForm(initial=initial),
        "refuse": forms.RefuseForm(initial=initial),
        "transfer": forms.TransferForm(initial=initial),
        "extend": forms.ExtendForm(initial=initial),
        "conclude": forms.ConcludeForm(initial=initial),
        "matter": forms.MatterForm(initial=initial),
    }


def _detail(
    request: HttpRequest,
    complaint: Complaint,
    bound: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    account = request_account(request)
    today = local_today()
    action_forms = _action_forms(complaint, today)
    action_forms.update(bound or {})
    return render(
        request,
        "complaints/detail.html",
        {
            "complaint": complaint,
            "identity": selectors.complaint_identity_for(account, complaint),
            "facts": selectors.complaint_text_for(account, complaint, complaint.facts),
            "result": selectors.complaint_text_for(account, complaint, complaint.result),
            "handles": can_handle(account, complaint),
            "countdown": selectors.complaint_countdown(complaint, today),
            "transfer_countdown": selectors.complaint_transfer_countdown(complaint, today),
            "events": complaint.events.select_related("actor"),
            "attachments": complaint.attachments.all(),
            "forms": action_forms,
            "refusal": (
                intake.REFUSAL_REASONS.get(complaint.refusal_reason)
                if complaint.refusal_reason
                else None
            ),
            "can_extend": complaint.state == Complaint.State.ACCEPTED
            and not complaint.extended
            and time_limit(intake.HANDLE).extension > 0,
            "handle_limit": time_limit(intake.HANDLE),
            "matters_available": services.matters_available(),
        },
        status=status,
    )


@login_required
@require_GET
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    complaint = access_complaint(request_account(request), pk)
    return _detail(request, complaint)


_ACTIONS: dict[str, tuple[type[Any], Callable[..., Complaint], str]] = {
    "accept": (forms.AcceptForm, services.complaint_accept, "已受理"),
    "refuse": (forms.RefuseForm, services.complaint_refuse, "已决定不予受理"),
    "transfer": (forms.TransferForm, services.complaint_transfer, "已移送"),
    "extend": (forms.ExtendForm, services.complaint_extend, "已延长办理期限"),
    "conclude": (forms.ConcludeForm, services.complaint_conclude, "已办结"),
    "matter": (forms.MatterForm, services.complaint_open_matter, "已立为监督事项"),
}


@login_required
@require_POST
def complaint_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in _ACTIONS:
        raise Http404
    account = request_account(request)
    complaint = access_complaint(account, pk)
    if not can_handle(account, complaint):
        raise PermissionDenied(_("只有被投诉机关所在区域的执法监督人员可以办理投诉"))
    form_class, service, done = _ACTIONS[action]
    form = form_class(request.POST)
    if form.is_valid():
        kwargs = dict(form.cleaned_data)
        if action in ("accept", "refuse", "transfer", "conclude"):
            kwargs["today"] = local_today()
        try:
            service(actor=account, complaint=complaint, **kwargs)
        except RuleViolation as exc:
            _rule_error(form, exc)
        else:
            messages.success(request, _(done))
            return _see_other(reverse("complaint_detail", args=[pk]))
    complaint.refresh_from_db()
    return _detail(request, complaint, {action: form}, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def complaint_channels(request: HttpRequest) -> HttpResponse:
    """The supervisory body's published channels, edited by its supervisors and admins."""
    account = request_account(request)
    body = account.agency
    if body is None or not services.can_edit_channels(account, body):
        raise PermissionDenied(_("只有本监督机构的执法监督人员或者管理员可以维护投诉举报渠道"))
    current = selectors.channel_of(account)
    initial = (
        {
            "phone": current.phone,
            "email": current.email,
            "address": current.address,
            "hours": current.hours,
        }
        if current
        else {}
    )
    form = forms.ChannelForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.complaint_channel_set(actor=account, body=body, **form.cleaned_data)
        except RuleViolation as exc:
            _rule_error(form, exc)
        else:
            messages.success(request, _("投诉举报渠道已更新"))
            return _see_other(reverse("complaint_channels"))
    return render(
        request,
        "complaints/channels.html",
        {"form": form, "body": body},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def complaint_import(request: HttpRequest) -> HttpResponse:
    """Import a sheet of 12345 work orders (all or nothing, errors by row)."""
    account = request_account(request)
    if account.role != Account.Role.SUPERVISOR:
        raise PermissionDenied(_("12345工单由执法监督人员导入"))
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = services.complaints_import(
                actor=account, content=upload.read(), filename=upload.name, today=local_today()
            )
        except services.WorkOrdersRefused as exc:
            form.add_error(None, str(exc))
            errors = exc.errors
        except RuleViolation as exc:
            _rule_error(form, exc)
        else:
            messages.success(request, _("已导入%(n)d件12345工单") % {"n": len(created)})
            return _see_other(reverse("complaint_list") + "?origin=hotline_12345")
    from .work_orders import COLUMNS

    return render(
        request,
        "complaints/import.html",
        {"form": form, "errors": errors, "columns": COLUMNS.values()},
        status=400 if request.method == "POST" else 200,
    )


# -- 行政执法监督员 ------------------------------------------------------------------------------


def _monitor(request: HttpRequest) -> Account:
    account = request_account(request)
    if account.role != Account.Role.EXTERNAL_SUPERVISOR:
        raise PermissionDenied(_("此页面供行政执法监督员使用"))
    return account


def _monitor_page(
    request: HttpRequest, bound: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    account = _monitor(request)
    today = local_today()
    context: dict[str, Any] = {
        "appointment": selectors.appointment_serving(account, today),
        "appointments": selectors.appointments_visible_to(account).select_related("body"),
        "opinions": selectors.opinions_of(account),
        "hearings": selectors.hearings_for_monitor(account, today),
        "ratings": selectors.ratings_of(account),
        "invited": selectors.matters_invited(account),
        "opinion_form": forms.OpinionForm(initial={"happened_on": today}),
        "rating_form": forms.RatingForm(initial={"campaign": f"{today.year}年度评议"}),
    }
    context.update(bound or {})
    return render(request, "complaints/monitor.html", context, status=status)


@login_required
@require_GET
def monitor_home(request: HttpRequest) -> HttpResponse:
    """The 监督员's page: appointment, opinions, hearings to observe, ratings."""
    return _monitor_page(request)


def _monitor_submit(
    request: HttpRequest, form_class: Any, slot: str, service: Callable[..., Any], done: str
) -> HttpResponse:
    """A 监督员's form (opinion or rating): 查找 lists the bodies matching what was typed;
    else the service is called with the chosen body, its refusal shown in the form."""
    account = _monitor(request)
    kept = agency_lookup.finding(request)
    if kept is not None:
        return _monitor_page(request, {slot: form_class(initial=kept)})
    form = form_class(request.POST)
    if form.is_valid():
        try:
            service(actor=account, today=local_today(), **form.chosen())
        except RuleViolation as exc:
            _rule_error(form, exc)
        else:
            messages.success(request, done)
            return _see_other(reverse("monitor_home"))
    return _monitor_page(request, {slot: form}, status=400)


@login_required
@require_POST
def monitor_opinion(request: HttpRequest) -> HttpResponse:
    return _monitor_submit(
        request,
        forms.OpinionForm,
        "opinion_form",
        services.monitor_opinion_submit,
        _("意见已提交，监督机构将受理办理"),
    )


@login_required
@require_POST
def monitor_observe(request: HttpRequest, case_id: int) -> HttpResponse:
    account = _monitor(request)
    try:
        services.hearing_observe(actor=account, case_id=case_id, today=local_today())
    except RuleViolation as exc:
        messages.error(request, str(exc))
        return _monitor_page(request, status=400)
    messages.success(request, _("已登记旁听"))
    return _see_other(reverse("monitor_home"))


@login_required
@require_POST
def monitor_rate(request: HttpRequest) -> HttpResponse:
    return _monitor_submit(
        request, forms.RatingForm, "rating_form", services.agency_rate, _("评议已提交")
    )


@login_required
@require_http_methods(["GET", "POST"])
def monitor_appointments(request: HttpRequest) -> HttpResponse:
    """The supervisory body's 监督员: appointments and the ratings they gave."""
    account = request_account(request)
    if account.role != Account.Role.SUPERVISOR or account.agency_id is None:
        raise PermissionDenied(_("行政执法监督员的聘任由监督机构的执法监督人员登记"))
    form = forms.AppointmentForm(request.POST or None, region_code=account.region_code)
    if request.method == "POST" and form.is_valid():
        try:
            services.appointment_create(actor=account, **form.cleaned_data)
        except RuleViolation as exc:
            _rule_error(form, exc)
        else:
            messages.success(request, _("已登记聘任"))
            return _see_other(reverse("monitor_appointments"))
    return render(
        request,
        "complaints/appointments.html",
        {
            "form": form,
            "appointments": selectors.appointments_visible_to(account),
            "summary": selectors.ratings_summary(account),
            "invite_form": forms.InviteForm(account=account, initial={"on": local_today()}),
            "today": local_today(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def complaint_attachment(request: HttpRequest, pk: int, sha256: str) -> FileResponse:
    """An attached file, for the region's supervisors (it may show the complainant); every
    opening is a record entry (调阅, record.services.evidence_view)."""
    from urllib.parse import quote

    from zhifa.record.evidence import evidence_open
    from zhifa.record.models import EvidenceRef
    from zhifa.record.services import evidence_view

    account = request_account(request)
    complaint = access_complaint(account, pk)
    attachment = complaint.attachments.filter(sha256=sha256).first()
    if attachment is None:
        raise Http404
    if not can_handle(account, complaint):
        raise PermissionDenied(_("投诉附件可能含投诉人信息，只有本区域的执法监督人员可以调阅"))
    try:
        stream = evidence_open(attachment.sha256)
    except FileNotFoundError:
        raise Http404 from None
    evidence_view(
        actor_id=account.pk,
        actor_name=account.display_name or account.get_username(),
        role=account.role,
        evidence=EvidenceRef(
            attachment.sha256, attachment.name, attachment.size, attachment.media_type
        ),
        case_id=None,
    )
    response = FileResponse(stream, content_type=attachment.media_type)
    suffix = attachment.name.rpartition(".")[2].encode("ascii", "ignore").decode() or "bin"
    response["Content-Disposition"] = (
        f'attachment; filename="complaint-{attachment.sha256[:12]}.{suffix}"; '
        f"filename*=UTF-8''{quote(attachment.name, safe='')}"
    )
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def monitor_invite(request: HttpRequest) -> HttpResponse:
    """Invite a 监督员 of the body to take part in a supervision matter (条例第二十三条)."""
    account = request_account(request)
    if account.role != Account.Role.SUPERVISOR or account.agency_id is None:
        raise PermissionDenied(_("行政执法监督员由监督机构的执法监督人员邀请"))
    form = forms.InviteForm(request.POST, account=account)
    if form.is_valid():
        try:
            services.matter_invite(actor=account, **form.cleaned_data)
        except RuleViolation as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已邀请"))
    else:
        messages.error(request, _("请选择监督员、监督事项和日期"))
    return _see_other(reverse("monitor_appointments"))
