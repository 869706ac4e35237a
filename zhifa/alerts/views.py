"""Pages of early warnings: the supervisor's dashboard, the list with filters, one warning
with its facts, and the two actions (dismiss, open a matter). Thin: gate, service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhifa.core.exceptions import RuleViolation
from zhifa.registry.web import local_today, paginate, request_account

from . import selectors, services
from .access import access_warning
from .forms import DismissForm, WarningFilterForm
from .models import Warning
from .rules import rule_named, rules_with_settings


def _gate_list(request: HttpRequest) -> None:
    """Supervisors, administrators and agencies' heads read warnings (each its own scope)."""
    if not selectors.may_read_warnings(request_account(request)):
        raise PermissionDenied


def matter_url(matter_id: int | None) -> str:
    if matter_id is None:
        return ""
    try:
        return reverse("supervision_matter", kwargs={"pk": matter_id})
    except NoReverseMatch:
        return ""


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The supervisor's home: open warnings per rule and per agency, and the to-do counts."""
    account = request_account(request)
    if not selectors.may_see_dashboard(account):
        raise PermissionDenied
    return render(
        request,
        "alerts/dashboard.html",
        {
            "board": selectors.dashboard(account),
            "todos": selectors.todo_counts(account, local_today()),
        },
    )


@login_required
@require_GET
def warning_list(request: HttpRequest) -> HttpResponse:
    _gate_list(request)
    account = request_account(request)
    form = WarningFilterForm(request.GET)
    f = form.cleaned_data if form.is_valid() else {}
    qs = selectors.warnings_search(
        selectors.warnings_visible_to(account),
        rule=f.get("rule", ""),
        state=f.get("state", "") if "state" in request.GET else Warning.State.OPEN,
        agency=f.get("agency"),
        q=f.get("q", ""),
    )
    page = paginate(request, qs)
    for w in page.object_list:
        rule = rule_named(w.rule)
        w.rule_label = rule.label if rule else w.rule  # type: ignore[attr-defined]
    return render(request, "alerts/warning_list.html", {"form": form, "page": page})


@login_required
@require_GET
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    warning = access_warning(account, pk)
    rule = rule_named(warning.rule)
    return render(
        request,
        "alerts/warning_detail.html",
        {
            "warning": warning,
            "rule": rule,
            "facts": selectors.facts_with_urls(warning),
            "may_act": selectors.may_act_on_warnings(account),
            "dismiss_form": DismissForm(),
            "matter_url": matter_url(warning.matter_id),
        },
    )


@login_required
@require_POST
def warning_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    warning = access_warning(account, pk)
    if not selectors.may_act_on_warnings(account):
        raise PermissionDenied
    form = DismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("排除预警须写明理由。"))
        return redirect("warning_detail", pk=pk)
    try:
        services.warning_dismiss(actor=account, warning=warning, reason=form.cleaned_data["reason"])
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("预警已排除，理由已记录。"))
    return redirect("warning_detail", pk=pk)


@login_required
@require_POST
def warning_open_matter(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    warning = access_warning(account, pk)
    if not selectors.may_act_on_warnings(account):
        raise PermissionDenied
    try:
        services.warning_open_matter(actor=account, warning=warning, on=local_today())
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已根据预警登记监督事项。"))
    return redirect("warning_detail", pk=pk)


@login_required
@require_GET
def rule_list(request: HttpRequest) -> HttpResponse:
    """The rules in force: on or off, threshold, period and the source of each."""
    _gate_list(request)
    return render(request, "alerts/rule_list.html", {"rules": rules_with_settings()})
