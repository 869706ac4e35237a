"""Pages of the directory part under /inspections/: the 检查对象名录库 and an entity's
inspections by every agency of the region, 回避, inspection plans and their publication on time,
综合查一次 proposals and decisions, the 联合检查率; and the public plans under
/public/inspections/plans/."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.core.exceptions import RuleViolation
from zhifa.registry.models import Account, Agency, Officer, PowerItem
from zhifa.registry.selectors import agencies_visible_to, officers_visible_to
from zhifa.registry.web import local_today, paginate, public_cache, request_account

from . import selectors_directory as sel
from . import services_directory as svc
from .access import access_entity
from .forms_directory import (
    ConflictForm,
    EntityForm,
    JointAgreeForm,
    JointDeclineForm,
    PlanApproveForm,
    PlanForm,
    ReasonForm,
)
from .models import Entity, Inspection, JointInspection, Plan, RiskClass, ScaleCategory
from .selectors import entities_visible_to, entity_inspections

T = "inspections/directory/"


def _entity(account: Account, pk: int) -> Entity:
    """The core's access gate of an entity (missing and not-visible answer alike)."""
    return access_entity(account, pk)


def _plan(account: Account, pk: int) -> Plan:
    plan = sel.plans_visible_to(account).filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return local_today().year
    return year if 2000 <= year <= 2100 else local_today().year


# -- 检查对象名录库 ---------------------------------------------------------------------------


@login_required
@require_GET
def entity_list(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    g = request.GET
    filters = sel.EntityFilters(
        q=g.get("q", "").strip(),
        industry=g.get("industry", "").strip(),
        division=g.get("division", "").strip(),
        risk_class=g.get("risk_class", "").strip(),
        category=g.get("category", "").strip(),
        status=g.get("status", "").strip(),
    )
    visible = entities_visible_to(account)
    qs = sel.entities_filtered(visible, filters).order_by("credit_code")
    return render(
        request,
        T + "entity_list.html",
        {
            "page": paginate(request, qs),
            "filters": filters,
            "industries": sel.entity_industries(visible),
            "classes": RiskClass.choices,
            "categories": ScaleCategory.choices,
            "statuses": Entity.Status.choices,
            "may_manage": sel.may_manage_directory(account),
        },
    )


def _entity_form_page(
    request: HttpRequest, form: EntityForm, entity: Entity | None, status: int = 200
) -> HttpResponse:
    return render(request, T + "entity_form.html", {"form": form, "entity": entity}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def entity_new(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    if not sel.may_manage_directory(account):
        raise PermissionDenied(_("只有系统管理员可以维护检查对象名录库"))
    if request.method == "GET":
        return _entity_form_page(request, EntityForm(initial={"risk_class": "B"}), None)
    form = EntityForm(request.POST)
    if not form.is_valid():
        return _entity_form_page(request, form, None, 400)
    try:
        entity = svc.entity_create(actor=account, **form.cleaned_data)
    except RuleViolation as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return _entity_form_page(request, form, None, 409)
    messages.success(request, _("已登记检查对象“%(n)s”。") % {"n": entity.name})
    return redirect("inspections_entity_detail", pk=entity.pk)


@login_required
@require_http_methods(["GET", "POST"])
def entity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    entity = _entity(account, pk)
    if not sel.may_manage_directory(account):
        raise PermissionDenied(_("只有系统管理员可以维护检查对象名录库"))
    if request.method == "GET":
        form = EntityForm(initial=svc.entity_row(entity))
        form.fields["credit_code"].disabled = True
        return _entity_form_page(request, form, entity)
    form = EntityForm({**request.POST.dict(), "credit_code": entity.credit_code})
    form.fields["credit_code"].disabled = True
    form.initial["credit_code"] = entity.credit_code
    if not form.is_valid():
        return _entity_form_page(request, form, entity, 400)
    data = {k: v for k, v in form.cleaned_data.items() if k != "credit_code"}
    try:
        svc.entity_update(actor=account, entity=entity, **data)
    except RuleViolation as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return _entity_form_page(request, form, entity, 409)
    messages.success(request, _("已保存。"))
    return redirect("inspections_entity_detail", pk=entity.pk)


def _may_record_conflicts(account: Account) -> bool:
    return sel.may_manage_directory(account) or account.role == Account.Role.HEAD


@login_required
@require_GET
def entity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    entity = _entity(account, pk)
    return _entity_page(request, account, entity)


def _entity_page(
    request: HttpRequest,
    account: Account,
    entity: Entity,
    conflict_form: ConflictForm | None = None,
    status: int = 200,
) -> HttpResponse:
    officers = officers_visible_to(account).select_related("agency").order_by("agency_id", "name")
    if account.role == Account.Role.HEAD and account.agency_id is not None:
        officers = officers.filter(agency_id=account.agency_id)
    return render(
        request,
        T + "entity_detail.html",
        {
            "entity": entity,
            "inspections": entity_inspections(account, entity),
            "cases": sel.entity_cases(account, entity).order_by("-pk")[:50],
            "conflicts": sel.entity_conflicts(entity),
            "may_manage": sel.may_manage_directory(account),
            "may_conflict": _may_record_conflicts(account),
            "conflict_form": conflict_form or ConflictForm(officers=officers),
            "end_form": ReasonForm(),
        },
        status=status,
    )


@login_required
@require_POST
def conflict_new(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    entity = _entity(account, pk)
    if not _may_record_conflicts(account):
        raise PermissionDenied(_("只有机关负责人或系统管理员可以登记回避"))
    officers = officers_visible_to(account)
    form = ConflictForm(request.POST, officers=officers)
    if not form.is_valid():
        return _entity_page(request, account, entity, form, 400)
    officer: Officer = form.cleaned_data["officer"]
    try:
        svc.conflict_register(
            actor=account,
            officer=officer,
            entity=entity,
            reason=form.cleaned_data["reason"],
            on=local_today(),
        )
    except RuleViolation as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return _entity_page(request, account, entity, form, 409)
    messages.success(request, _("已登记回避。"))
    return redirect("inspections_entity_detail", pk=entity.pk)


@login_required
@require_POST
def conflict_end(request: HttpRequest, pk: int, conflict_pk: int) -> HttpResponse:
    account = request_account(request)
    entity = _entity(account, pk)
    conflict = sel.entity_conflicts(entity).filter(pk=conflict_pk).first()
    if conflict is None:
        raise Http404
    if not _may_record_conflicts(account):
        raise PermissionDenied(_("只有机关负责人或系统管理员可以解除回避"))
    form = ReasonForm(request.POST)
    reason = form.data.get("reason", "") if form.is_valid() else ""
    try:
        svc.conflict_end(actor=account, conflict=conflict, on=local_today(), reason=reason)
    except RuleViolation as exc:
        messages.error(request, str(exc))
        return redirect("inspections_entity_detail", pk=entity.pk)
    messages.success(request, _("已解除回避。"))
    return redirect("inspections_entity_detail", pk=entity.pk)


# -- 检查计划 --------------------------------------------------------------------------------


def _plan_agencies(account: Account) -> QuerySet[Agency]:
    if account.role == Account.Role.ADMIN:
        return agencies_visible_to(account).order_by("division_code", "name")
    return Agency.objects.filter(pk=account.agency_id or 0)


def _plan_form(account: Account, data: QueryDict | None = None) -> PlanForm:
    agencies = _plan_agencies(account)
    items = (
        PowerItem.objects.filter(
            agency__in=agencies,
            status=PowerItem.Status.PUBLISHED,
            category=PowerItem.Category.INSPECTION,
        )
        .select_related("agency")
        .order_by("agency_id", "code")
    )
    initial: dict[str, object] = {"year": local_today().year, "kind": Plan.Kind.ANNUAL}
    if account.agency_id:
        initial["agency"] = account.agency_id
    return PlanForm(
        data,
        agencies=agencies,
        items=items,
        initial=initial,
    )


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    qs = sel.plans_visible_to(account).order_by("-year", "agency__division_code", "kind", "-pk")
    may_create = account.role in ("officer", "head", "admin") and (
        account.agency_id is not None or account.role == "admin"
    )
    return render(
        request,
        T + "plan_list.html",
        {"page": paginate(request, qs), "may_create": may_create},
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    if account.role not in ("officer", "head", "admin"):
        raise PermissionDenied(_("只有执法机关的执法人员或负责人可以制定检查计划"))
    if request.method == "GET":
        return render(request, T + "plan_form.html", {"form": _plan_form(account)})
    form = _plan_form(account, request.POST)
    if not form.is_valid():
        return render(request, T + "plan_form.html", {"form": form}, status=400)
    d = form.cleaned_data
    try:
        plan = svc.plan_create(
            actor=account,
            agency=d["agency"],
            kind=d["kind"],
            year=d["year"],
            title=d["title"],
            items=list(d["items"]),
            subjects=d["subjects"],
            method=d["method"],
            ratio=d["ratio"],
            frequency=d["frequency"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            necessity=d["necessity"],
            region=d["region"],
        )
    except RuleViolation as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return render(request, T + "plan_form.html", {"form": form}, status=409)
    messages.success(request, _("已保存检查计划草稿。"))
    return redirect("inspections_plan_detail", pk=plan.pk)


def _may_decide_plan(account: Account, plan: Plan) -> bool:
    return sel.may_manage_plans(account, plan.agency) and account.role in ("head", "admin")


def _plan_to_decide(account: Account, pk: int) -> Plan:
    plan = _plan(account, pk)
    if not _may_decide_plan(account, plan):
        raise PermissionDenied(_("只有本机关负责人可以批准、公布或撤回检查计划"))
    return plan


def _plan_page(
    request: HttpRequest,
    account: Account,
    plan: Plan,
    approve_form: PlanApproveForm | None = None,
    status: int = 200,
) -> HttpResponse:
    level, source = svc.special_plan_approver()
    return render(
        request,
        T + "plan_detail.html",
        {
            "plan": plan,
            "may_decide": _may_decide_plan(account, plan),
            "approve_form": approve_form or PlanApproveForm(),
            "withdraw_form": ReasonForm(),
            "approver_level": level,
            "approver_source": source,
            "deadline": sel.plan_deadline(plan.year),
            "deadline_source": sel.plan_publish_by()[1],
        },
        status=status,
    )


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    return _plan_page(request, account, _plan(account, pk))


@login_required
@require_POST
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    plan = _plan_to_decide(account, pk)
    form = PlanApproveForm(request.POST)
    if not form.is_valid():
        return _plan_page(request, account, plan, form, 400)
    try:
        svc.plan_approve(actor=account, plan=plan, on=local_today(), **form.cleaned_data)
    except RuleViolation as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return _plan_page(request, account, plan, form, 409)
    messages.success(request, _("已登记批准。"))
    return redirect("inspections_plan_detail", pk=plan.pk)


@login_required
@require_POST
def plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    plan = _plan_to_decide(account, pk)
    try:
        svc.plan_publish(actor=account, plan=plan, on=local_today())
    except RuleViolation as exc:
        messages.error(request, str(exc))
        return _plan_page(request, account, plan, status=409)
    messages.success(request, _("已公布检查计划。"))
    return redirect("inspections_plan_detail", pk=plan.pk)


@login_required
@require_POST
def plan_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    plan = _plan_to_decide(account, pk)
    try:
        svc.plan_withdraw(
            actor=account, plan=plan, on=local_today(), reason=request.POST.get("reason", "")
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
        return _plan_page(request, account, plan, status=409)
    messages.success(request, _("已撤回检查计划。"))
    return redirect("inspections_plan_detail", pk=plan.pk)


@login_required
@require_GET
def plan_publication(request: HttpRequest) -> HttpResponse:
    """Whether each agency of the account's view published its annual plan on time."""
    account = request_account(request)
    year = _year(request)
    today = local_today()
    agencies = sel.inspecting_agencies(agencies_visible_to(account))
    rows = sel.annual_plan_publication(agencies, year, today)
    source = sel.plan_publish_by()[1]
    return render(
        request,
        T + "plan_publication.html",
        {
            "rows": rows,
            "year": year,
            "deadline": sel.plan_deadline(year),
            "source": source,
            "late": sum(1 for r in rows if r.status.state in ("late", "overdue")),
        },
    )


# -- public plans ----------------------------------------------------------------------------


@require_GET
@public_cache
def public_plan_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    rows = sel.annual_plan_publication(
        sel.inspecting_agencies(Agency.objects.all()), year, local_today()
    )
    status = {r.agency.pk: r.status for r in rows}
    counts = {state: 0 for state in ("on_time", "late", "overdue", "pending")}
    for r in rows:
        counts[r.status.state] += 1
    plans = list(sel.plans_public(year).prefetch_related("items"))
    for p in plans:
        p.publication = status.get(p.agency_id)  # type: ignore[attr-defined]
    return render(
        request,
        T + "public_plan_list.html",
        {
            "plans": plans,
            "counts": counts,
            "missed": [r for r in rows if r.status.state in ("late", "overdue")],
            "year": year,
            "deadline": sel.plan_deadline(year),
            "source": sel.plan_publish_by()[1],
            "last_updated": max((p.published_on for p in plans if p.published_on), default=None),
        },
    )


@require_GET
@public_cache
def public_plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = sel.plans_public().filter(pk=pk).first()
    if plan is None:
        raise Http404
    return render(
        request,
        T + "public_plan_detail.html",
        {"plan": plan, "last_updated": plan.published_on},
    )


# -- 综合查一次 -------------------------------------------------------------------------------


def _ids(text: str) -> list[int]:
    try:
        return sorted({int(x) for x in text.split("-") if x})
    except ValueError:
        return []


def _proposal_inspections(account: Account, text: str, today: date) -> list[Inspection]:
    """The inspections of one of the account's current proposals (the gate of a decision)."""
    wanted = _ids(text)
    for p in sel.joint_proposals(account, today):
        if sorted(i.pk for i in p.inspections) == wanted:
            return p.inspections
    raise Http404


def _joint_page(request: HttpRequest, account: Account, status: int = 200) -> HttpResponse:
    today = local_today()
    window, source = sel.joint_window_days()
    proposals = sel.joint_proposals(account, today)
    return render(
        request,
        T + "joint_list.html",
        {
            "proposals": [
                (
                    p,
                    JointAgreeForm(
                        initial={
                            "inspections": p.key,
                            "visit_on": p.first,
                            "lead_agency": p.inspections[0].agency_id,
                        }
                    ),
                    JointDeclineForm(initial={"inspections": p.key}),
                )
                for p in proposals
            ],
            "joints": sel.joint_inspections_visible_to(account).order_by("-visit_on", "-pk")[:100],
            "window": window,
            "source": source,
            "may_decide": account.role in ("head", "supervisor"),
        },
        status=status,
    )


def _joint_decider(request: HttpRequest) -> Account:
    account = request_account(request)
    if account.role not in ("head", "supervisor"):
        raise PermissionDenied(_("只有参加检查的部门负责人或执法监督人员可以决定是否合并检查"))
    return account


@login_required
@require_GET
def joint_list(request: HttpRequest) -> HttpResponse:
    return _joint_page(request, request_account(request))


@login_required
@require_POST
def joint_agree(request: HttpRequest) -> HttpResponse:
    account = _joint_decider(request)
    form = JointAgreeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写联合检查日期和牵头部门。"))
        return _joint_page(request, account, 400)
    inspections = _proposal_inspections(account, form.cleaned_data["inspections"], local_today())
    try:
        joint = svc.joint_inspection_agree(
            actor=account,
            inspections=inspections,
            visit_on=form.cleaned_data["visit_on"],
            lead_agency=form.cleaned_data["lead_agency"],
            documents_requested=form.cleaned_data["documents"].splitlines(),
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
        return _joint_page(request, account, 409)
    messages.success(request, _("已确定联合检查。"))
    return redirect("inspections_joint_detail", pk=joint.pk)


@login_required
@require_POST
def joint_decline(request: HttpRequest) -> HttpResponse:
    account = _joint_decider(request)
    form = JointDeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写不合并理由。"))
        return _joint_page(request, account, 400)
    inspections = _proposal_inspections(account, form.cleaned_data["inspections"], local_today())
    try:
        svc.joint_inspection_decline(
            actor=account, inspections=inspections, reason=form.cleaned_data["reason"]
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
        return _joint_page(request, account, 409)
    messages.success(request, _("已决定不合并。"))
    return redirect("inspections_joint_list")


@login_required
@require_GET
def joint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    joint = sel.joint_inspections_visible_to(account).filter(pk=pk).first()
    if joint is None:
        raise Http404
    inspections = joint.inspections.select_related("agency", "power_item", "case").order_by("pk")
    return render(
        request,
        T + "joint_detail.html",
        {"joint": joint, "inspections": inspections, "agreed": JointInspection.State.AGREED},
    )


@login_required
@require_GET
def joint_rate(request: HttpRequest) -> HttpResponse:
    """联合检查率 per agency and for the region, for a year (supervisors and administrators)."""
    account = request_account(request)
    if account.role not in ("supervisor", "admin"):
        raise PermissionDenied(_("只有执法监督人员可以查看联合检查率"))
    year = _year(request)
    per_agency, region = sel.joint_rates(account, year)
    return render(
        request,
        T + "joint_rate.html",
        {"rows": per_agency, "region": region, "year": year},
    )
