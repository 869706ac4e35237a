"""Pages of approval requests: the head's 待审批 queue, and the request, return and withdrawal
posted from a case workspace. Thin: gate the case, call one service, redirect; a refusal shows
the service's message with its article on a page that keeps what was typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhifa.cases.access import CaseAction, access_case
from zhifa.cases.models import Case
from zhifa.cases.views import NextAction
from zhifa.core.exceptions import RuleViolation
from zhifa.registry.models import Account
from zhifa.registry.web import local_today, request_account
from zhifa.todos.views import todo_page

from . import services
from .forms import RequestForm, ReturnForm, WithdrawForm
from .models import ApprovalRequest
from .selectors import approval_queue, case_approval_requests, cases_awaiting_filing

R = ApprovalRequest.State


@login_required
@require_GET
def approval_list(request: HttpRequest) -> HttpResponse:
    """待审批: pending requests and genuinely waiting steps, most urgent first, by kind and
    case."""
    account = request_account(request)
    today = local_today()
    return todo_page(
        request,
        approval_queue(account, today),
        template="approvals/approval_list.html",
        is_head=account.role == Account.Role.HEAD,
        filing=cases_awaiting_filing(account, today),
    )


def _refused(
    request: HttpRequest, case: Case, form: forms.Form, refusal: str, status: int, title: str
) -> HttpResponse:
    return render(
        request,
        "approvals/refused.html",
        {"case": case, "form": form, "refusal": refusal, "title": title},
        status=status,
    )


def _pending_of(case: Case, service: str) -> ApprovalRequest | None:
    return case_approval_requests(case).filter(service=service, state=R.PENDING).first()


def _no_pending(service: str) -> RuleViolation:
    return RuleViolation(
        f"本案没有待审批的“{services.service_label(service)}”申请", article=services.HEAD_ARTICLE
    )


@login_required
@require_POST
def approval_request(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    case = access_case(account, pk, CaseAction.HANDLE)
    form = RequestForm(request.POST)
    title = _("提请负责人审批")
    if not form.is_valid():
        return _refused(request, case, form, _("请检查标出的栏目。"), 400, title)
    d = form.cleaned_data
    try:
        services.approval_request(actor=account, case=case, service=d["service"], note=d["note"])
    except RuleViolation as exc:
        return _refused(request, case, form, str(exc), 409, title)
    messages.success(
        request,
        _("已提请负责人审批：%(label)s") % {"label": services.service_label(d["service"])},
    )
    return redirect(services.workspace_url(case))


@login_required
@require_POST
def approval_return(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    case = access_case(account, pk, CaseAction.APPROVE)
    form = ReturnForm(request.POST)
    title = _("退回审批申请")
    if not form.is_valid():
        return _refused(request, case, form, _("请检查标出的栏目。"), 400, title)
    d = form.cleaned_data
    try:
        row = _pending_of(case, d["service"])
        if row is None:
            raise _no_pending(d["service"])
        services.approval_return(actor=account, request=row, reason=d["reason"])
    except RuleViolation as exc:
        return _refused(request, case, form, str(exc), 409, title)
    messages.success(request, _("已退回审批申请，并通知提请人。"))
    return redirect(services.workspace_url(case))


@login_required
@require_POST
def approval_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    case = access_case(account, pk, CaseAction.HANDLE)
    form = WithdrawForm(request.POST)
    title = _("撤回审批申请")
    if not form.is_valid():
        return _refused(request, case, form, _("请检查标出的栏目。"), 400, title)
    try:
        row = _pending_of(case, form.cleaned_data["service"])
        if row is None:
            raise _no_pending(form.cleaned_data["service"])
        services.approval_withdraw(actor=account, request=row)
    except RuleViolation as exc:
        return _refused(request, case, form, str(exc), 409, title)
    messages.success(request, _("已撤回审批申请。"))
    return redirect(services.workspace_url(case))


def workspace_panel(
    account: Account, case: Case, next_actions: list[NextAction]
) -> dict[str, Any] | None:
    """The workspace's 提请审批 panel (registered with cases.views): the case's requests; for
    the agency's officers a request form for each head's step open now; for the head the
    pending requests with a return form."""
    if account.agency_id != case.agency_id or case.state == Case.State.ARCHIVED:
        return None
    rows = list(case_approval_requests(case)[:10])
    pending = {r.service for r in rows if r.state == R.PENDING}
    is_head = account.role == Account.Role.HEAD
    requestable = []
    if account.role == Account.Role.OFFICER:
        requestable = [
            (
                a.service,
                a.label,
                RequestForm(auto_id=f"approval-{a.service}-%s", initial={"service": a.service}),
            )
            for a in next_actions
            if a.approval and a.service not in pending
        ]
    if not rows and not requestable:
        return None
    return {
        "template": "approvals/_panel.html",
        "requests": rows,
        "requestable": requestable,
        "is_head": is_head,
        "me": account.pk,
        "case": case,
    }
