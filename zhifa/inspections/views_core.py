"""The core pages: the agency's inspections, a request for approval, an inspection's page with
the head's approval (and the warnings shown before it), refusal, cancellation and the emergency
start. Thin: forms in, one service call, refusals shown with the form kept."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.cases.models import Case, CaseOfficer
from zhifa.core.exceptions import RuleViolation
from zhifa.registry.models import Account
from zhifa.registry.web import local_today, paginate, request_account

from . import forms, selectors, services
from .access import access_inspection
from .models import Inspection

# The services name the input at fault; the form calls some of them differently.
FORM_FIELDS = {"officers": "assistants", "power_code": "power_item", "entity": "credit_code"}


@login_required
@require_GET
def inspection_list(request: HttpRequest) -> HttpResponse:
    """行政检查: the inspections the account may see, newest planned first."""
    account = request_account(request)
    qs = selectors.inspections_visible_to(account)
    state = request.GET.get("state", "")
    if state in Inspection.State.values:
        qs = qs.filter(state=state)
    return render(
        request,
        "inspections/core/list.html",
        {
            "page": paginate(request, qs),
            "state": state,
            "states": Inspection.State.choices,
            "may_request": account.agency_id is not None
            and account.role in (Account.Role.OFFICER, Account.Role.HEAD),
            "awaiting": selectors.inspections_awaiting_approval(account).count()
            if account.role == Account.Role.HEAD
            else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def inspection_new(request: HttpRequest) -> HttpResponse:
    """提请行政检查审批 (an officer or the head of an agency)."""
    account = request_account(request)
    if account.agency is None or account.role not in (Account.Role.OFFICER, Account.Role.HEAD):
        raise PermissionDenied(_("只有执法机关的执法人员可以提请行政检查"))
    today = local_today()
    form = forms.RequestForm(
        request.POST or None,
        agency=account.agency,
        initial={"on": today, "planned_on": today, "credit_code": request.GET.get("entity", "")},
    )
    refusal = ""
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            officers = [(d["lead"], CaseOfficer.Role.LEAD)] + [
                (o, CaseOfficer.Role.ASSISTANT) for o in d["assistants"] if o != d["lead"]
            ]
            try:
                row = services.inspection_request(
                    actor=account,
                    entity=d["credit_code"],
                    power_code=d["power_item"].code,
                    ground=d["ground"],
                    ground_reference=d["ground_reference"],
                    plan=d["plan"],
                    planned_on=d["planned_on"],
                    on=d["on"],
                    officers=officers,
                    quiet_exception=d["quiet_exception"],
                    quiet_exception_reason=d["quiet_exception_reason"],
                    filed_on=d["filed_on"],
                    cap_override_reason=d["cap_override_reason"],
                    emergency_reason=d["emergency_reason"],
                )
            except RuleViolation as exc:
                refusal = str(exc)
                name = FORM_FIELDS.get(exc.field, exc.field)
                if name and name in form.fields:
                    form.add_error(name, exc.message)
            else:
                messages.success(request, _("已提请审批：%(t)s") % {"t": row.case.title})
                return redirect("inspections_detail", pk=row.pk)
        else:
            refusal = _("请检查标出的栏目。")
    return render(
        request,
        "inspections/core/new.html",
        {"form": form, "refusal": refusal},
        status=422 if refusal else 200,
    )


def _notices(row: Inspection) -> tuple[list[services.Notice], str]:
    """What the head sees before approving: the warnings, or the refusal approval would meet."""
    if row.state not in (Inspection.State.REQUESTED, Inspection.State.EMERGENCY):
        return [], ""
    try:
        return services.approval_notices(row, row.planned_on, "approve"), ""
    except RuleViolation as exc:
        return [], str(exc)


@login_required
@require_GET
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    row = access_inspection(account, pk)
    notices, blocked = _notices(row)
    own = account.agency_id == row.agency_id
    return render(
        request,
        "inspections/core/detail.html",
        {
            "row": row,
            "officers": CaseOfficer.objects.filter(case_id=row.case_id).select_related("officer"),
            "notices": notices,
            "blocked": blocked,
            "is_head": own and account.role == Account.Role.HEAD,
            "is_officer": own and account.role in (Account.Role.OFFICER, Account.Role.HEAD),
            "form": forms.NoteForm(initial={"on": local_today()}),
        },
    )


def _decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    account = request_account(request)
    row = access_inspection(account, pk, act=True)
    form = forms.NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写日期。"))
        return redirect("inspections_detail", pk=row.pk)
    on, note = form.cleaned_data["on"], form.cleaned_data["note"]
    late = form.cleaned_data["late_reason"]
    try:
        if action == "approve":
            services.inspection_approve(actor=account, inspection=row, on=on, note=note)
            messages.success(request, _("已批准，检查码已生成"))
        elif action == "refuse":
            services.inspection_refuse(
                actor=account, inspection=row, on=on, note=note, late_reason=late
            )
            messages.success(request, _("已不予批准"))
        elif action == "cancel":
            services.inspection_cancel(
                actor=account, inspection=row, on=on, reason=note, late_reason=late
            )
            messages.success(request, _("已取消该检查"))
        else:
            services.inspection_emergency_start(actor=account, inspection=row, on=on, reason=note)
            messages.success(request, _("已登记紧急实施，请在期限内补办审批"))
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return redirect("inspections_detail", pk=row.pk)


@login_required
@require_POST
def inspection_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "approve")


@login_required
@require_POST
def inspection_refuse(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "refuse")


@login_required
@require_POST
def inspection_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "cancel")


@login_required
@require_POST
def inspection_emergency(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "emergency")


def workspace_panel(account: Account, case: Case, next_actions: list[Any]) -> dict[str, Any] | None:
    """In the inspection case's workspace: the governing inspection, its approval and code. Above
    the next steps while the approval is awaited (现场检查 waits for it), below them after."""
    row = Inspection.objects.filter(case=case).first()
    if row is None:
        return None
    return {
        "template": "inspections/core/_panel.html",
        "after_actions": row.state not in (Inspection.State.REQUESTED,),
        "inspection": row,
    }


@require_GET
def public_home(request: HttpRequest) -> HttpResponse:
    """涉企行政检查公开: the plans, the 双随机 draws and how to verify them, the inspection code."""
    code = request.GET.get("code", "").strip()
    if code:
        return redirect("inspections_code", code=code)
    return render(request, "inspections/core/public_home.html")
