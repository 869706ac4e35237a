"""双随机 pages: the officers' task list, form, task page with freeze and draw (under
/inspections/draws/), and the public draws, their JSON and the algorithm (under
/public/inspections/draws/). Thin: parse, gate, one service, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.core.exceptions import RuleViolation
from zhifa.record.services import public_verifier_key
from zhifa.registry.models import Account
from zhifa.registry.web import (
    local_today,
    paginate,
    public_cache,
    request_account,
    without_csrf_cookie,
)

from . import draw, forms_draws, selectors_draws, services_draws
from .models import DrawPool, RandomTask


def _see_other(url: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


# -- officers -------------------------------------------------------------------------------


@login_required
@require_GET
def draw_task_list(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    page = paginate(request, selectors_draws.random_tasks_visible_to(account))
    can_create = account.agency_id is not None and account.role in (
        Account.Role.OFFICER,
        Account.Role.HEAD,
    )
    return render(request, "inspections/draws/list.html", {"page": page, "can_create": can_create})


@login_required
@require_http_methods(["GET", "POST"])
def draw_task_create(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    if account.agency_id is None or account.role not in (Account.Role.OFFICER, Account.Role.HEAD):
        raise PermissionDenied(_("只有执法部门的执法人员或负责人可以发起双随机抽查任务"))
    form = forms_draws.RandomTaskForm(request.POST or None, account=account)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                task = services_draws.random_task_create(
                    actor=account,
                    title=data["title"],
                    items=list(data["items"]),
                    participants=list(data["participants"]),
                    filters=form.filters(),
                    counts=form.counts(),
                    inspectors_per_entity=data["inspectors_per_entity"],
                    planned_on=data["planned_on"],
                    today=local_today(),
                )
            except RuleViolation as exc:
                form.add_error(None, str(exc))
            else:
                return _see_other(reverse("inspections_draw_task", args=[task.pk]))
    bands, source = services_draws.risk_bands()
    return render(
        request,
        "inspections/draws/form.html",
        {"form": form, "bands": sorted(bands.items()), "source": source},
        status=status,
    )


@login_required
@require_GET
def draw_task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    task = selectors_draws.access_random_task(account, pk)
    pools = selectors_draws.task_pools(task)
    head = services_draws.seed_head(task)
    teams = (
        selectors_draws.task_assignments(task, pools)
        if task.state == RandomTask.State.DRAWN
        else []
    )
    return render(
        request,
        "inspections/draws/detail.html",
        {
            "task": task,
            "pools": pools,
            "teams": teams,
            "head": head,
            "ratios_source": services_draws.risk_bands()[1],
            "can_run": selectors_draws.can_run_task(account, task),
            "can_request": selectors_draws.can_request_inspections(account, task),
            "inspections": task.inspections.select_related("agency", "entity", "case").order_by(
                "agency_id", "entity__credit_code"
            ),
            "items": task.items.select_related("agency").order_by("agency_id", "code"),
            "participants": task.participants.order_by("pk"),
        },
    )


def _run(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    account = request_account(request)
    task = selectors_draws.access_random_task(account, pk)
    if not selectors_draws.can_run_task(account, task):
        raise PermissionDenied(_("只有发起部门可以冻结名录或执行抽取"))
    try:
        if action == "freeze":
            services_draws.random_task_freeze(actor=account, task=task, today=local_today())
            messages.success(request, _("名录已冻结并公布，等待种子树头。"))
        else:
            services_draws.random_task_draw(actor=account, task=task, today=local_today())
            messages.success(request, _("已完成抽取。"))
    except RuleViolation as exc:
        messages.error(request, str(exc))
    return _see_other(reverse("inspections_draw_task", args=[pk]))


@login_required
@require_POST
def draw_task_freeze(request: HttpRequest, pk: int) -> HttpResponse:
    return _run(request, pk, "freeze")


@login_required
@require_POST
def draw_task_draw(request: HttpRequest, pk: int) -> HttpResponse:
    return _run(request, pk, "draw")


@login_required
@require_POST
def draw_task_request(request: HttpRequest, pk: int) -> HttpResponse:
    """The agency's inspections of the entities the task drew, for its head's approval."""
    account = request_account(request)
    task = selectors_draws.access_random_task(account, pk)
    if not selectors_draws.can_request_inspections(account, task):
        raise PermissionDenied(_("只有参与部门的执法人员或负责人可以提请检查"))
    try:
        requested, refused = services_draws.random_task_inspections_request(
            actor=account, task=task, on=local_today()
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已为%(n)d户抽中对象提请检查审批。") % {"n": requested})
        for code, reason in refused:
            messages.warning(
                request, _("%(code)s未能提请：%(reason)s") % {"code": code, "reason": reason}
            )
    return _see_other(reverse("inspections_draw_task", args=[pk]))


# -- public ---------------------------------------------------------------------------------


@require_GET
@public_cache
def public_draw_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors_draws.public_random_tasks())
    return render(
        request,
        "inspections/draws/public_list.html",
        {"page": page, **without_csrf_cookie(request)},
    )


@require_GET
@public_cache
def public_draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors_draws.public_random_task(pk)
    pools = selectors_draws.task_pools(task)
    return render(
        request,
        "inspections/draws/public_detail.html",
        {
            "task": task,
            "pools": pools,
            "entity_pools": [p for p in pools if p.kind == DrawPool.Kind.ENTITIES],
            "items": task.items.select_related("agency").order_by("agency_id", "code"),
            "participants": task.participants.order_by("pk"),
            "public_key": public_verifier_key(),
            "last_updated": task.drawn_at or task.frozen_at,
            **without_csrf_cookie(request),
        },
    )


@require_GET
@public_cache
def public_draw_json(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors_draws.public_random_task(pk)
    response = JsonResponse(
        selectors_draws.draw_document_for(task),
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@public_cache
def public_draw_pool(request: HttpRequest, pk: int, position: int) -> HttpResponse:
    """One frozen pool exactly as hashed: ``sha256sum`` of this file is its published hash."""
    task = selectors_draws.public_random_task(pk)
    pool = task.pools.filter(position=position).first()
    if pool is None:
        raise Http404
    response = HttpResponse(pool.members.encode("utf-8"), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="draw-{task.pk}-pool-{position}.txt"'
    return response


@require_GET
@public_cache
def public_draw_algorithm(request: HttpRequest) -> HttpResponse:
    bands, source = services_draws.risk_bands()
    return render(
        request,
        "inspections/draws/algorithm.html",
        {
            "bands": sorted(bands.items()),
            "source": source,
            "min_overall": draw.MIN_OVERALL_RATIO,
            "min_overall_source": draw.MIN_OVERALL_RATIO_SOURCE,
            "public_key": public_verifier_key(),
            "margin": services_draws.seed_margin(),
            **without_csrf_cookie(request),
        },
    )
