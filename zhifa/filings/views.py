"""Pages of 重大行政处罚决定备案审查: the list (a supervisor's filings with filters and the
region's overdue unfiled decisions; an agency's filings and decisions to file), a filing's
page with the review forms, and the case workspace's panel with the one-click filing. Thin:
gate, one service, redirect; a refusal keeps what was typed and names its rule."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhifa.cases.access import CaseAction, access_case
from zhifa.cases.models import Case
from zhifa.cases.views import NextAction
from zhifa.core.exceptions import RuleViolation
from zhifa.core.time_limits import time_limit
from zhifa.record.evidence import evidence_open
from zhifa.registry.models import Account
from zhifa.registry.web import local_today, paginate, request_account

from . import deadlines, services
from .access import FilingAction, access_filing
from .forms import CloseForm, FilterForm, ReviewForm, SubmitForm
from .models import Filing
from .selectors import (
    agency_chosen,
    agency_matches,
    case_major_reasons,
    case_package,
    filing_due,
    filings_search,
    major_penalty_rows,
    package_missing,
    reviews_filing,
    unfiled_page,
)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@login_required
@require_GET
def filing_list(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    today = local_today()
    form = FilterForm(
        request.GET or None,
        matches=lambda words: agency_matches(account, words),
        chosen=lambda pk: agency_chosen(account, pk),
    )
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {
            k: v for k, v in form.cleaned_data.items() if v not in (None, "") and k != "agency_q"
        }
    number = request.GET.get("upage", "1")
    unfiled = unfiled_page(
        account,
        today,
        agency_id=filters.get("agency"),
        number=int(number) if number.isdigit() and len(number) < 7 else 1,
    )
    return render(
        request,
        "filings/filing_list.html",
        {
            "form": form,
            "page": paginate(request, filings_search(account, **filters)),
            "unfiled": unfiled,
            "is_supervisor": account.role == Account.Role.SUPERVISOR,
            "file_limit": time_limit(deadlines.FILE),
            "review_limit": time_limit(deadlines.REVIEW),
            "rows": major_penalty_rows(),
            "today": today,
        },
    )


def _detail(
    request: HttpRequest,
    filing: Filing,
    *,
    review: forms.Form | None = None,
    close: forms.Form | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    account = request_account(request)
    today = local_today()
    may_review = filing.state == Filing.State.SUBMITTED and reviews_filing(account, filing)
    return render(
        request,
        "filings/filing_detail.html",
        {
            "filing": filing,
            "may_review": may_review,
            "review_form": review or ReviewForm(initial={"on": today}),
            "close_form": close or CloseForm(),
            "refusal": refusal,
            "review_remaining": (filing.review_due_on - today).days,
        },
        status=status,
    )


@login_required
@require_GET
def filing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, access_filing(request_account(request), pk))


@login_required
@require_POST
def filing_review(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    filing = access_filing(account, pk, FilingAction.REVIEW)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _detail(request, filing, review=form, refusal=_("请检查标出的栏目。"), status=400)
    try:
        services.filing_review(actor=account, filing=filing, **form.cleaned_data)
    except RuleViolation as exc:
        return _detail(request, filing, review=form, refusal=str(exc), status=409)
    messages.success(request, _("已作出审查结论，并通知报送机关。"))
    return redirect("filing_detail", pk=filing.pk)


@login_required
@require_POST
def filing_close(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    filing = access_filing(account, pk, FilingAction.REVIEW)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _detail(request, filing, close=form, refusal=_("请检查标出的栏目。"), status=400)
    try:
        services.filing_close(actor=account, filing=filing, **form.cleaned_data)
    except RuleViolation as exc:
        return _detail(request, filing, close=form, refusal=str(exc), status=409)
    messages.success(request, _("已终止审查：该决定已进入行政复议或行政诉讼。"))
    return redirect("filing_detail", pk=filing.pk)


@login_required
@require_GET
def filing_document_file(request: HttpRequest, pk: int, doc_id: int, fmt: str) -> FileResponse:
    """Download one document version the filing references (PDF or DOCX), as the agency sent
    it; the opening is recorded on the case (调阅)."""
    account = request_account(request)
    filing = access_filing(account, pk)
    if fmt not in ("pdf", "docx"):
        raise Http404
    try:
        ref = services.filing_document_open(actor=account, filing=filing, document_id=doc_id)
    except LookupError:
        raise Http404 from None
    sha256 = ref[f"{fmt}_sha256"]
    try:
        stream = evidence_open(sha256)
    except FileNotFoundError:
        raise Http404 from None
    media = "application/pdf" if fmt == "pdf" else DOCX
    response = FileResponse(stream, content_type=media)
    name = f"{ref['title']}{ref['number']}-v{ref['version']}.{fmt}"
    response["Content-Disposition"] = (
        f'attachment; filename="zhifa-{sha256[:12]}.{fmt}"; '
        f"filename*=UTF-8''{quote(name, safe='')}"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def filing_submit(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    case = access_case(account, pk, CaseAction.READ)
    if account.agency_id != case.agency_id or account.role not in ("officer", "head"):
        raise PermissionDenied(_("只有本机关的执法人员或负责人可以报送备案"))
    form = SubmitForm(request.POST)
    refusal = ""
    if form.is_valid():
        try:
            filing = services.filing_submit(actor=account, case=case, **form.cleaned_data)
        except RuleViolation as exc:
            refusal = str(exc)
        else:
            messages.success(request, _("已报送备案审查机关。"))
            return redirect("filing_detail", pk=filing.pk)
    return render(
        request,
        "filings/refused.html",
        {"case": case, "form": form, "refusal": refusal or _("请检查标出的栏目。")},
        status=409 if refusal else 400,
    )


def workspace_panel(
    account: Account, case: Case, next_actions: list[NextAction]
) -> dict[str, Any] | None:
    """The workspace's 重大行政处罚决定备案 panel (registered with cases.views): the filing when
    there is one; else, for a decided major case, why it is major, the deadline with its
    source, what the package holds, and for its officers and head the one-click form."""
    filing = Filing.objects.filter(case=case).first()
    if filing is not None:
        return {"template": "filings/_panel.html", "filing": filing, "case": case}
    reasons = case_major_reasons(case)
    if not reasons:
        return None
    today = local_today()
    due = filing_due(case)
    package = case_package(case)
    may_file = account.agency_id == case.agency_id and account.role in ("officer", "head")
    return {
        "template": "filings/_panel.html",
        "filing": None,
        "case": case,
        "reasons": reasons,
        "due_on": due,
        "remaining": (due - today).days,
        "overdue_days": (today - due).days,
        "limit": time_limit(deadlines.FILE),
        "package": package,
        "missing": package_missing(package),
        "form": SubmitForm(auto_id="filing-%s", initial={"on": today}) if may_file else None,
    }
