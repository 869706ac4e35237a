"""The registry's 裁量基准 pages (issue 13): the entries an account sees, and the form where an
administrator enters one — its range, the upper level's entry it refines (refused outside that
entry's band, 国办发〔2022〕27号（五）) and its grades. Thin: the service decides."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zhifa.core.exceptions import RuleViolation

from . import selectors, services
from .access import can_manage_registry
from .forms_discretion import BenchmarkForm
from .web import local_today, paginate, request_account

_REFINE_FIELDS = {"grades": None, "power_item": "power_items"}


@login_required
@require_GET
def discretion_list(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    qs = (
        selectors.discretion_benchmarks_visible_to(account)
        .select_related("agency", "parent")
        .order_by("-pk")
    )
    return render(
        request,
        "registry/discretion_list.html",
        {"page": paginate(request, qs), "may_manage": can_manage_registry(account)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def discretion_new(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    if not can_manage_registry(account):
        raise PermissionDenied(_("只有系统管理员可以维护裁量基准"))
    agencies = selectors.agencies_visible_to(account).order_by("division_code", "name")
    if request.method == "GET":
        form = BenchmarkForm(agencies=agencies)
        return render(request, "registry/discretion_new.html", {"form": form})
    form = BenchmarkForm(request.POST, agencies=agencies)
    if not form.is_valid():
        return render(request, "registry/discretion_new.html", {"form": form}, status=400)
    d = form.cleaned_data
    try:
        with transaction.atomic():
            benchmark = services.discretion_benchmark_create(
                actor=account,
                agency=d["agency"],
                issuer=d["issuer"],
                domain=d["domain"],
                violation=d["violation"],
                basis=f"违法依据：{d['violated_provision']}\n处罚依据：{d['penalty_provision']}",
                violated_provision=d["violated_provision"],
                penalty_provision=d["penalty_provision"],
                range_kind=d["range_kind"],
                range_min=d["range_min"],
                range_max=d["range_max"],
                base_name=d["base_name"],
                penalty_kinds=d["penalty_kinds"],
                parent=d["parent"],
                power_items=d["power_items"],
                grades=form.grades(),
            )
            if d["publish"]:
                services.discretion_benchmark_publish(
                    actor=account, benchmark=benchmark, on=local_today()
                )
    except RuleViolation as exc:
        field = _REFINE_FIELDS.get(exc.field, exc.field)
        form.add_error(field if field in form.fields else None, str(exc))
        return render(request, "registry/discretion_new.html", {"form": form}, status=409)
    messages.success(request, _("已保存裁量基准“%(v)s”。") % {"v": benchmark.violation})
    return redirect("registry_discretion_list")
