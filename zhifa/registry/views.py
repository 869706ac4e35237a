"""Pages of the registry: thin views over the access gates, selectors and services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhifa.core.exceptions import RuleViolation

from . import access, public, selectors, services
from .eligibility import Eligibility
from .forms import (
    AgencyFilterForm,
    CertificateCheckForm,
    CertificateStatusForm,
    EligibilityForm,
    OfficerFilterForm,
    PowerItemFilterForm,
    PowerItemRepealForm,
    PowerItemReviseForm,
)
from .models import (
    Account,
    Agency,
    Certificate,
    CertificateStatusChange,
    Domain,
    Officer,
    PowerItem,
    ReviewBody,
)
from .personal_data import mask_id_number, mask_phone, sees_personal_data
from .web import is_htmx_partial, paginate, request_account

M = TypeVar("M", bound=Model)

EXPIRY_WARNING_DAYS = 90


def _render_list(
    request: HttpRequest, template: str, partial: str, context: dict[str, Any]
) -> HttpResponse:
    response = render(request, partial if is_htmx_partial(request) else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# -- public pages --------------------------------------------------------------------------


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "home.html")


@require_GET
def certificate_check(request: HttpRequest) -> HttpResponse:
    """执法证件查询: anyone may check who holds a certificate, without personal data."""
    form = CertificateCheckForm(request.GET or None)
    results: list[Certificate] | None = None
    if form.is_valid():
        results = list(public.certificates_public_lookup(form.cleaned_data["q"]))
    return render(
        request,
        "registry/certificate_check.html",
        {"form": form, "results": results, "today": timezone.localdate()},
    )


# -- workbench -----------------------------------------------------------------------------


@login_required
@require_GET
def workbench(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    today = timezone.localdate()
    overview = selectors.registry_overview(account, today, warning_days=EXPIRY_WARNING_DAYS)
    return render(
        request,
        "registry/workbench.html",
        {
            "account": account,
            "counts": overview.counts,
            "expiring": [
                (c, (c.expires_on - today).days if c.expires_on else None)
                for c in overview.expiring_soon
            ],
            "warning_days": EXPIRY_WARNING_DAYS,
            "is_admin": access.can_manage_registry(account),
        },
    )


# -- agencies ------------------------------------------------------------------------------


@login_required
@require_GET
def agency_list(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    form = AgencyFilterForm(request.GET)
    form.is_valid()
    f = form.cleaned_data
    domain: Domain | None = f.get("domain")
    qs = selectors.agencies_search(
        selectors.agencies_visible_to(account),
        q=f.get("q", ""),
        level=f.get("level", ""),
        domain=domain.code if domain else "",
        status=f.get("status", ""),
    ).prefetch_related("domains")
    return _render_list(
        request,
        "registry/agency_list.html",
        "registry/_agency_results.html",
        {"form": form, "page": paginate(request, qs)},
    )


@login_required
@require_GET
def agency_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    agency = access.access_agency(account, pk)
    # The reverse one-to-one raises an AttributeError subclass when the body is not set up.
    review_body: ReviewBody | None = getattr(agency, "review_body", None)
    officers = selectors.officers_visible_to(account).filter(agency=agency)
    counts = {
        "officers": officers.count(),
        "valid_certificates": selectors.certificates_visible_to(account)
        .filter(officer__agency=agency, status=Certificate.Status.VALID)
        .count(),
        "published_power_items": selectors.power_items_visible_to(account)
        .filter(agency=agency, status=PowerItem.Status.PUBLISHED)
        .count(),
    }
    return render(
        request,
        "registry/agency_detail.html",
        {
            "agency": agency,
            "domains": list(agency.domains.all()),
            "review_body": review_body,
            "review_staff": list(officers.filter(review_body=review_body).order_by("name"))
            if review_body
            else [],
            "counts": counts,
        },
    )


# -- officers ------------------------------------------------------------------------------


@login_required
@require_GET
def officer_list(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    agencies = selectors.agencies_visible_to(account).order_by("division_code", "name")
    form = OfficerFilterForm(request.GET, agencies=agencies)
    form.is_valid()
    f = form.cleaned_data
    agency: Agency | None = f.get("agency")
    domain: Domain | None = f.get("domain")
    qs = selectors.officers_search(
        selectors.officers_visible_to(account),
        q=f.get("q", "").strip(),
        agency_id=agency.pk if agency else None,
        agency_name=f.get("agency_name", "").strip(),
        certificate_status=f.get("certificate_status", ""),
        domain=domain.code if domain else "",
    ).prefetch_related("certificates")
    return _render_list(
        request,
        "registry/officer_list.html",
        "registry/_officer_results.html",
        {"form": form, "page": paginate(request, qs)},
    )


@dataclass(frozen=True)
class HistoryRow:
    change: CertificateStatusChange
    from_label: str
    to_label: str


def _history_rows(certificate: Certificate) -> list[HistoryRow]:
    labels = dict(Certificate.Status.choices)
    return [
        HistoryRow(
            h, labels.get(h.from_status, h.from_status), labels.get(h.to_status, h.to_status)
        )
        for h in selectors.certificate_history(certificate)
    ]


@dataclass(frozen=True)
class CertificateRow:
    certificate: Certificate
    domains: list[Domain]
    history: list[HistoryRow]
    days_left: int | None
    status_form: CertificateStatusForm | None


@login_required
@require_GET
def officer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    officer = access.access_officer(account, pk)
    today = timezone.localdate()
    is_admin = access.can_manage_registry(account, officer.agency)
    full = sees_personal_data(account)
    certificates = list(officer.certificates.prefetch_related("domains").order_by("-issued_on"))
    rows = [
        CertificateRow(
            certificate=c,
            domains=list(c.domains.all()),
            history=_history_rows(c),
            days_left=(c.expires_on - today).days if c.expires_on else None,
            status_form=CertificateStatusForm(
                current=c.status,
                initial={"effective_on": today},
                prefix=f"cert{c.pk}",
            )
            if is_admin
            else None,
        )
        for c in certificates
    ]

    default_domain = next((d for row in rows for d in row.domains), None)
    eligibility_form = EligibilityForm(
        request.GET if "domain" in request.GET else None,
        initial={"domain": default_domain.code if default_domain else None, "on": today},
    )
    answer: Eligibility | None = None
    asked_domain: Domain | None = None
    asked_on: date | None = None
    if eligibility_form.is_bound:
        if eligibility_form.is_valid():
            asked_domain = eligibility_form.cleaned_data["domain"]
            asked_on = eligibility_form.cleaned_data["on"]
    elif default_domain is not None:
        asked_domain, asked_on = default_domain, today
    if asked_domain is not None and asked_on is not None:
        answer = selectors.officer_may_act(officer, asked_domain, asked_on)

    return render(
        request,
        "registry/officer_detail.html",
        {
            "officer": officer,
            "id_number": officer.id_number if full else mask_id_number(officer.id_number),
            "phone": officer.phone if full else mask_phone(officer.phone),
            "is_admin": is_admin,
            "certificates": rows,
            "training": selectors.officer_training_years(officer),
            "exams": list(officer.exams.all()),
            "review_body": officer.review_body,
            "eligibility_form": eligibility_form,
            "answer": answer,
            "asked_domain": asked_domain,
            "asked_on": asked_on,
            "today": today,
            "panels": officer_panels(account, officer),
        },
    )


# Panels other apps add to an officer's page (registered from their ``ready()``: registry sits
# below them), e.g. evaluation's 责任追究 records. A panel returns its context with the template
# to include as ``template``, or None to show nothing.
OfficerPanel = Callable[[Account, Officer], dict[str, Any] | None]
_officer_panels: list[OfficerPanel] = []


def register_officer_panel(panel: OfficerPanel) -> OfficerPanel:
    """Show ``panel`` at the end of every officer's page. Registering twice is harmless."""
    if panel not in _officer_panels:
        _officer_panels.append(panel)
    return panel


def officer_panels(account: Account, officer: Officer) -> list[dict[str, Any]]:
    return [p for p in (panel(account, officer) for panel in _officer_panels) if p is not None]


@login_required
@require_POST
def certificate_status_change(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    certificate = access.access_certificate(account, pk)
    if not access.can_manage_registry(account, certificate.agency):
        raise PermissionDenied
    form = CertificateStatusForm(request.POST, prefix=f"cert{certificate.pk}")
    if not form.is_valid():
        messages.error(request, _("请填写新状态、原因和生效日期。"))
    else:
        try:
            changed = services.certificate_status_change(
                actor=account,
                certificate=certificate,
                to_status=form.cleaned_data["to_status"],
                reason=form.cleaned_data["reason"],
                effective_on=form.cleaned_data["effective_on"],
            )
        except RuleViolation as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("证件%(number)s的状态已变更为“%(status)s”。")
                % {"number": changed.number, "status": changed.get_status_display()},
            )
    return redirect("officer_detail", pk=certificate.officer_id)


# -- power list ----------------------------------------------------------------------------


@login_required
@require_GET
def power_item_list(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    agencies = selectors.agencies_visible_to(account).order_by("division_code", "name")
    form = PowerItemFilterForm(request.GET, agencies=agencies)
    form.is_valid()
    f = form.cleaned_data
    agency: Agency | None = f.get("agency")
    qs = selectors.power_items_search(
        selectors.power_items_visible_to(account),
        q=f.get("q", "").strip(),
        category=f.get("category", ""),
        agency_id=agency.pk if agency else None,
        agency_name=f.get("agency_name", "").strip(),
        status=f.get("status", ""),
        random_inspection=form.random_inspection(),
    )
    return _render_list(
        request,
        "registry/power_item_list.html",
        "registry/_power_item_results.html",
        {"form": form, "page": paginate(request, qs)},
    )


@login_required
@require_GET
def power_item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    item = access.access_power_item(account, pk)
    is_admin = access.can_manage_registry(account, item.agency)
    versions = list(selectors.power_item_versions(item))
    newer_draft = next(
        (v for v in versions if v.status == PowerItem.Status.DRAFT and v.version > item.version),
        None,
    )
    steps = public.procedure_step_labels(item)
    revise_form = PowerItemReviseForm(
        initial={
            "name": item.name,
            "procedure_steps": "\n".join(steps),
            "is_random_inspection": item.is_random_inspection,
        }
    )
    return render(
        request,
        "registry/power_item_detail.html",
        {
            "item": item,
            "bases": list(item.bases.all()),
            "steps": steps,
            "versions": versions,
            "is_admin": is_admin,
            "can_publish": is_admin and item.status == PowerItem.Status.DRAFT,
            "can_repeal": is_admin and item.status == PowerItem.Status.PUBLISHED,
            "can_revise": is_admin
            and item.status == PowerItem.Status.PUBLISHED
            and newer_draft is None,
            "newer_draft": newer_draft,
            "repeal_form": PowerItemRepealForm(),
            "revise_form": revise_form,
        },
    )


def _power_item_for_admin(request: HttpRequest, pk: int) -> tuple[Account, PowerItem]:
    account = request_account(request)
    item = access.access_power_item(account, pk)
    if not access.can_manage_registry(account, item.agency):
        raise PermissionDenied
    return account, item


@login_required
@require_POST
def power_item_publish(request: HttpRequest, pk: int) -> HttpResponse:
    account, item = _power_item_for_admin(request, pk)
    try:
        item = services.power_item_publish(actor=account, item=item, on=timezone.localdate())
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已发布第%(version)s版。") % {"version": item.version})
    return redirect("power_item_detail", pk=item.pk)


@login_required
@require_POST
def power_item_repeal(request: HttpRequest, pk: int) -> HttpResponse:
    account, item = _power_item_for_admin(request, pk)
    form = PowerItemRepealForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("取消事项须写明原因。"))
        return redirect("power_item_detail", pk=item.pk)
    try:
        services.power_item_repeal(
            actor=account, item=item, reason=form.cleaned_data["reason"], on=timezone.localdate()
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("事项已取消。"))
    return redirect("power_item_detail", pk=item.pk)


@login_required
@require_POST
def power_item_revise(request: HttpRequest, pk: int) -> HttpResponse:
    account, item = _power_item_for_admin(request, pk)
    form = PowerItemReviseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("修订须填写事项名称和变更说明。"))
        return redirect("power_item_detail", pk=item.pk)
    try:
        draft = services.power_item_revise(
            actor=account,
            item=item,
            change_note=form.cleaned_data["change_note"],
            name=form.cleaned_data["name"],
            procedure_steps=form.steps(),
            is_random_inspection=form.cleaned_data["is_random_inspection"],
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
        return redirect("power_item_detail", pk=item.pk)
    messages.success(
        request, _("已创建第%(version)s版草稿，发布后生效。") % {"version": draft.version}
    )
    return redirect("power_item_detail", pk=draft.pk)
