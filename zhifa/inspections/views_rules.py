"""Pages of the rules part: caps and quiet periods (read by every signed-in account, kept by the
region's administrator or supervisor), and the supervisor's pages — caps reached or exceeded
(with the overrides), quiet-period exceptions by ground and agency, and the inspection warnings.
Thin: the services and selectors decide."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.alerts.models import Warning
from zhifa.alerts.selectors import warnings_visible_to
from zhifa.core.exceptions import RuleViolation
from zhifa.registry.models import Account
from zhifa.registry.selectors import is_system_admin
from zhifa.registry.web import local_today, paginate, request_account

from . import selectors_rules as sel
from . import services_rules as services
from .alert_rules import RULES, warning_window
from .forms_rules import CapForm, EndForm, QuietPeriodForm, YearForm
from .models import Cap, Entity, Ground, Inspection, QuietPeriod, ScaleCategory


def _may_supervise(account: Account) -> bool:
    return account.role == Account.Role.SUPERVISOR or is_system_admin(account)


def _require_supervisor(account: Account) -> None:
    if not _may_supervise(account):
        raise PermissionDenied(_("只有执法监督人员可以查看"))


def _require_manager(account: Account) -> None:
    if not services.may_manage_rules(account):
        raise PermissionDenied(_("只有本辖区的系统管理员或执法监督人员可以维护"))


# -- caps ------------------------------------------------------------------------------------


def _cap_list(
    request: HttpRequest, account: Account, end_form: EndForm | None, status: int
) -> HttpResponse:
    page = paginate(request, sel.caps_visible_to(account))
    grounds = dict(Ground.choices)
    for c in page.object_list:
        c.grounds_text = "、".join(str(grounds.get(g, g)) for g in c.counted_grounds)  # type: ignore[attr-defined]
    return render(
        request,
        "inspections/rules/cap_list.html",
        {
            "page": page,
            "may_manage": services.may_manage_rules(account),
            "end_form": end_form or EndForm(),
        },
        status=status,
    )


@login_required
@require_GET
def cap_list(request: HttpRequest) -> HttpResponse:
    return _cap_list(request, request_account(request), None, 200)


@login_required
@require_http_methods(["GET", "POST"])
def cap_new(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    _require_manager(account)
    template = "inspections/rules/cap_new.html"
    if request.method == "GET":
        return render(
            request, template, {"form": CapForm(initial={"region_code": account.region_code})}
        )
    form = CapForm(request.POST)
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    d = form.cleaned_data
    try:
        cap = services.cap_create(
            actor=account,
            name=d["name"],
            limit=d["limit"],
            source=d["source"],
            counted_grounds=d["counted_grounds"],
            domain=d["domain"],
            power_code=d["power_code"],
            level=d["level"],
            region_code=d["region_code"],
            risk_class=d["risk_class"],
            override_allowed=d["override_allowed"],
        )
    except RuleViolation as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return render(request, template, {"form": form}, status=409)
    messages.success(request, _("已设定检查频次上限“%(n)s”。") % {"n": cap.name})
    return redirect("inspections_caps")


@login_required
@require_POST
def cap_end(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    _require_manager(account)
    form = EndForm(request.POST)
    if not form.is_valid():
        return _cap_list(request, account, form, 400)
    cap = sel.caps_visible_to(account).filter(pk=form.cleaned_data["pk"]).first()
    if cap is None:
        raise Http404
    try:
        services.cap_end(actor=account, cap=cap, reason=form.cleaned_data["reason"])
    except RuleViolation as exc:
        form.add_error(None, str(exc))
        return _cap_list(request, account, form, 409)
    messages.success(request, _("已停用检查频次上限“%(n)s”。") % {"n": cap.name})
    return redirect("inspections_caps")


# -- quiet periods ----------------------------------------------------------------------------


def _period_rows(periods: Iterable[QuietPeriod]) -> list[tuple[QuietPeriod, Any, str, str]]:
    cats = dict(ScaleCategory.choices)
    grounds = dict(Inspection.QuietException.choices)
    return [
        (
            p,
            sel.period_rule(p),
            "、".join(str(cats.get(c, c)) for c in p.categories),
            "、".join(str(grounds.get(g, g)) for g in p.exception_grounds),
        )
        for p in periods
    ]


def _quiet_list(
    request: HttpRequest, account: Account, end_form: EndForm | None, status: int
) -> HttpResponse:
    page = paginate(request, sel.quiet_periods_visible_to(account))
    rows = _period_rows(page.object_list)
    return render(
        request,
        "inspections/rules/quiet_list.html",
        {
            "page": page,
            "rows": rows,
            "may_manage": services.may_manage_rules(account),
            "end_form": end_form or EndForm(initial={"on": local_today()}),
        },
        status=status,
    )


@login_required
@require_GET
def quiet_list(request: HttpRequest) -> HttpResponse:
    return _quiet_list(request, request_account(request), None, 200)


@login_required
@require_http_methods(["GET", "POST"])
def quiet_new(request: HttpRequest) -> HttpResponse:
    from . import quiet_periods

    account = request_account(request)
    _require_manager(account)
    template = "inspections/rules/quiet_new.html"
    if request.method == "GET":
        initial: dict[str, Any] = {
            "region_code": account.region_code,
            "days": "1-20",
            "valid_from": local_today(),
        }
        return render(request, template, {"form": QuietPeriodForm(initial=initial)})
    form = QuietPeriodForm(request.POST)
    if not form.is_valid():
        return render(request, template, {"form": form}, status=400)
    d = form.cleaned_data
    codes = form.entity_code_list()
    found = {e.credit_code: e for e in Entity.objects.filter(credit_code__in=codes)}
    missing = [c for c in codes if c not in found]
    try:
        if missing:
            raise RuleViolation(
                _("检查对象名录中没有：%(c)s") % {"c": "、".join(missing[:5])}, field="entity_codes"
            )
        period = services.quiet_period_create(
            actor=account,
            name=d["name"],
            region_code=d["region_code"],
            days=quiet_periods.parse_days(d["days"]),
            source=d["source"],
            valid_from=d["valid_from"],
            valid_to=d["valid_to"],
            categories=d["categories"],
            entities=list(found.values()),
            exception_grounds=d["exception_grounds"],
            filing_lead_days=d["filing_lead_days"],
            filing_to=d["filing_to"],
        )
    except RuleViolation as exc:
        field = "entity_codes" if exc.field == "entities" else exc.field
        form.add_error(field if field in form.fields else None, str(exc))
        return render(request, template, {"form": form}, status=409)
    messages.success(request, _("已设定企业安静期“%(n)s”。") % {"n": period.name})
    return redirect("inspections_quiet_periods")


@login_required
@require_POST
def quiet_end(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    _require_manager(account)
    form = EndForm(request.POST)
    if not form.is_valid() or form.cleaned_data.get("on") is None:
        if form.is_valid():
            form.add_error("on", _("请填写终止日期"))
        return _quiet_list(request, account, form, 400)
    period = sel.quiet_periods_visible_to(account).filter(pk=form.cleaned_data["pk"]).first()
    if period is None:
        raise Http404
    try:
        services.quiet_period_end(
            actor=account,
            period=period,
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
        )
    except RuleViolation as exc:
        form.add_error(None, str(exc))
        return _quiet_list(request, account, form, 409)
    messages.success(request, _("已终止企业安静期“%(n)s”。") % {"n": period.name})
    return redirect("inspections_quiet_periods")


# -- the supervisor's pages -------------------------------------------------------------------


@login_required
@require_GET
def supervision_caps(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    _require_supervisor(account)
    year = YearForm(request.GET).year_or(local_today().year)
    caps = list(Cap.objects.filter(active=True).order_by("pk"))
    chosen = YearForm(request.GET).cap_in(caps)
    return render(
        request,
        "inspections/rules/supervision_caps.html",
        {
            "year": year,
            "caps": caps,
            "cap": chosen,
            "reached": sel.caps_reached(account, year, chosen) if chosen else [],
            "overrides": paginate(request, sel.cap_overrides(account, year)),
        },
    )


@login_required
@require_GET
def supervision_quiet(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    _require_supervisor(account)
    year = YearForm(request.GET).year_or(local_today().year)
    counts = sel.quiet_exceptions_counted(account, year)
    by_ground: dict[str, int] = {}
    for c in counts:
        by_ground[c.ground_label] = by_ground.get(c.ground_label, 0) + c.count
    return render(
        request,
        "inspections/rules/supervision_quiet.html",
        {
            "year": year,
            "counts": counts,
            "by_ground": sorted(by_ground.items()),
            "total": sum(by_ground.values()),
            "page": paginate(request, sel.quiet_exceptions(account, year)),
        },
    )


@login_required
@require_GET
def supervision_warnings(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    _require_supervisor(account)
    qs = (
        warnings_visible_to(account)
        .filter(rule__in=list(RULES), state=Warning.State.OPEN)
        .select_related("agency")
        .order_by("-id")
    )
    page = paginate(request, qs)
    labels = {code: rule.label for code, rule in RULES.items()}
    for w in page.object_list:
        w.rule_label = labels.get(w.rule, w.rule)  # type: ignore[attr-defined]
    return render(
        request,
        "inspections/rules/supervision_warnings.html",
        {"page": page, "windows": [warning_window(code) for code in RULES]},
    )


# -- the public page ----------------------------------------------------------------------------


@require_GET
def public_rules(request: HttpRequest) -> HttpResponse:
    """The caps and the quiet periods in force, each with its source (no login)."""
    today = local_today()
    grounds = dict(Ground.choices)
    caps = list(Cap.objects.filter(active=True).order_by("pk"))
    for c in caps:
        c.grounds_text = "、".join(str(grounds.get(g, g)) for g in c.counted_grounds)  # type: ignore[attr-defined]
    periods = [
        row
        for row in _period_rows(
            QuietPeriod.objects.filter(active=True, valid_from__lte=today).order_by("pk")
        )
        if row[1].in_force(today)
    ]
    return render(
        request,
        "inspections/rules/public_rules.html",
        {
            "caps": caps,
            "periods": periods,
            "last_updated": max((c.created_at.date() for c in caps), default=None),
        },
    )
