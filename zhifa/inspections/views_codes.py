"""The inspection code's pages: the public page a scanned code opens (with the enterprise's
anonymous rating form and, for the inspection's own officers, the arrival/departure buttons and
the 补录 form), the agency's aggregate ratings and the supervisor's individual ratings. Thin:
parse, look up, one service, render."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhifa.core.clients import client_address
from zhifa.core.exceptions import RuleViolation
from zhifa.core.throttling import (
    anonymous_write_refusal,
    rate_for,
    throttle_count,
    throttle_exceeded,
)
from zhifa.core.time_limits import time_limit
from zhifa.registry.models import Account
from zhifa.registry.web import local_today, paginate, request_account

from . import discipline, forms_codes, selectors_codes, services_codes
from .documents_codes import code_url
from .models import Inspection, Visit

CODE_THROTTLE = "inspections.code"  # unknown codes looked up, per address
RATE_THROTTLE = "inspections.rate"  # ratings submitted, per address
# Below this many ratings the agency sees no average and no breaches: one answer's score would
# otherwise be its average (the ratings are anonymous towards the inspecting agency).
MIN_AGGREGATE = 3


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _unknown(request: HttpRequest) -> HttpResponse:
    return render(request, "inspections/codes/unknown.html", status=404)


def _throttled(request: HttpRequest, refusal: Any) -> HttpResponse:
    response = render(
        request,
        "inspections/codes/unknown.html",
        {"refusal": refusal.message(_("查询检查码"))},
        status=429,
    )
    response["Retry-After"] = str(refusal.retry_after(timezone.now()))
    return response


def _lookup(request: HttpRequest, code: str) -> Inspection | HttpResponse:
    """The inspection of ``code``, or the answer to give: 429 after too many unknown codes
    from this address, 404 (in Chinese) for an unknown one (counted)."""
    rate = rate_for(CODE_THROTTLE)
    key = client_address(request)
    refusal = throttle_exceeded(rate, key, now=timezone.now())
    if refusal is not None:
        return _throttled(request, refusal)
    inspection = selectors_codes.inspection_by_code(code)
    if inspection is None:
        throttle_count(rate, key, now=timezone.now())
        return _unknown(request)
    return inspection


def _page(
    request: HttpRequest,
    inspection: Inspection,
    *,
    rating_form: forms_codes.RatingForm | None = None,
    late_form: forms_codes.LateVisitForm | None = None,
    status: int = 200,
) -> HttpResponse:
    today = local_today()
    account = request.user if isinstance(request.user, Account) else None
    officer = (
        account is not None
        and account.is_authenticated
        and selectors_codes.is_inspection_officer(account, inspection)
    )
    on_site = bool(
        officer
        and account is not None
        and account.officer_id is not None
        and selectors_codes.officer_on_site(inspection, account.officer_id)
    )
    approved = inspection.state == Inspection.State.APPROVED and inspection.coded
    response = render(
        request,
        "inspections/codes/code.html",
        {
            "inspection": inspection,
            "approved": approved,
            "today": today,
            "officers": selectors_codes.inspection_officers(inspection, today),
            "basis": selectors_codes.inspection_basis(inspection),
            "tally": selectors_codes.count_and_cap(inspection),
            "visits": selectors_codes.inspection_visits(inspection),
            "ratable": services_codes.ratable(inspection),
            "rating_form": rating_form or forms_codes.RatingForm(),
            "rated": request.GET.get("rated") == "1",
            "is_officer": officer,
            "on_site": on_site,
            "late_form": late_form or forms_codes.LateVisitForm(),
            "late_limit": time_limit(services_codes.LATE_ENTRY),
            # 亮码: the officer shows this page's QR for the enterprise to scan
            "qr": segno.make(code_url(inspection), error="m").svg_data_uri(scale=4)
            if officer and approved
            else "",
            "discipline": discipline.PROHIBITIONS,
            "discipline_source": discipline.SOURCE,
            "recusal": discipline.RECUSAL_SENTENCE,
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"  # the certificates are checked live
    return response


@require_GET
def inspection_code(request: HttpRequest, code: str) -> HttpResponse:
    """What a scanned code shows: the acting body, the officers with their certificates checked
    today, the item and its basis, the ground, the approval, this year's count and the cap."""
    found = _lookup(request, code)
    if isinstance(found, HttpResponse):
        return found
    return _page(request, found)


@require_POST
def inspection_code_rate(request: HttpRequest, code: str) -> HttpResponse:
    """The enterprise's anonymous rating (1–5) and any breach of the discipline rules."""
    found = _lookup(request, code)
    if isinstance(found, HttpResponse):
        return found
    form = forms_codes.RatingForm(request.POST)
    refusal = anonymous_write_refusal(request, RATE_THROTTLE)
    if refusal is not None:
        form.is_valid()
        form.add_error(None, refusal.message(_("提交评价")))
        response = _page(request, found, rating_form=form, status=429)
        response["Retry-After"] = str(refusal.retry_after(timezone.now()))
        return response
    if form.is_valid():
        data = form.cleaned_data
        try:
            services_codes.rating_submit(
                inspection=found,
                score=data["score"],
                breaches=list(data["breaches"]),
                comment=data["comment"],
            )
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            return _see_other(reverse("inspections_code", kwargs={"code": code}) + "?rated=1")
    return _page(request, found, rating_form=form, status=400)


@login_required
@require_POST
def inspection_code_visit(request: HttpRequest, code: str) -> HttpResponse:
    """An officer of the inspection records arrival or departure: by scanning (``scan``) or,
    where no code was issued, entered late with a reason (``late``)."""
    account = request_account(request)
    found = _lookup(request, code)
    if isinstance(found, HttpResponse):
        return found
    if not selectors_codes.is_inspection_officer(account, found):
        raise PermissionDenied(_("只有本次检查的执法人员可以登记入企记录"))
    late = request.POST.get("mode") == "late"
    late_form = forms_codes.LateVisitForm(request.POST if late else None)
    try:
        if late:
            if not late_form.is_valid():
                return _page(request, found, late_form=late_form, status=400)
            data = late_form.cleaned_data
            visit = services_codes.visit_late_record(
                actor=account,
                inspection=found,
                kind=data["kind"],
                visited_at=data["visited_at"],
                reason=data["reason"],
            )
        else:
            scan = forms_codes.ScanForm(request.POST)
            if not scan.is_valid():
                raise RuleViolation(_("入企记录类别无效"), field="kind")
            visit = services_codes.visit_scan(
                actor=account, inspection=found, kind=scan.cleaned_data["kind"]
            )
    except RuleViolation as exc:
        if late:
            late_form.add_error(exc.field if exc.field in late_form.fields else None, str(exc))
        else:
            messages.error(request, str(exc))
        return _page(request, found, late_form=late_form, status=400)
    label = Visit.Kind(visit.kind).label
    messages.success(
        request,
        _("已登记%(kind)s：%(at)s")
        % {"kind": label, "at": timezone.localtime(visit.at).strftime("%Y-%m-%d %H:%M")},
    )
    return _see_other(reverse("inspections_code", kwargs={"code": code}))


# -- ratings --------------------------------------------------------------------------------------


@login_required
@require_GET
def ratings_agency(request: HttpRequest) -> HttpResponse:
    """The inspecting agency's view of its ratings: how many, the average, the breaches by kind —
    never an individual answer (深圳龙华: 评价对被检查部门不可见)."""
    account = request_account(request)
    if account.agency_id is None or account.role == Account.Role.ADMIN:
        raise PermissionDenied(_("企业评价汇总供检查机关查看；执法监督人员请查看本辖区企业评价"))
    summary = selectors_codes.ratings_summary(selectors_codes.ratings_of_agency(account.agency_id))
    return render(
        request,
        "inspections/codes/ratings_agency.html",
        {
            "agency": account.agency,
            "summary": summary,
            "shown": summary.count >= MIN_AGGREGATE,
            "minimum": MIN_AGGREGATE,
        },
    )


@login_required
@require_GET
def ratings_region(request: HttpRequest) -> HttpResponse:
    """The supervisor's list of the region's ratings, each answer with its inspection."""
    account = request_account(request)
    if account.role != Account.Role.SUPERVISOR:
        raise PermissionDenied(_("企业评价的具体内容只报送执法监督机关"))
    ratings = selectors_codes.ratings_visible_to(account)
    page = paginate(request, ratings)
    rows = [
        (r, [discipline.breach_label(c) for c in r.breaches if c in discipline.CODES])
        for r in page.object_list
    ]
    return render(
        request,
        "inspections/codes/ratings_region.html",
        {
            "page": page,
            "rows": rows,
            "summary": selectors_codes.ratings_summary(ratings),
        },
    )
