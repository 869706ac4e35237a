"""Pages of the 基准 applied to a case: the workspace panel, the page where the officer picks
the entry and ticks the circumstances (the calculation refreshed live with htmx), and the head's
approval of a deviation. Thin: gate the case, call one service, redirect; a refusal keeps what
was typed and shows the rule with its article."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhifa.cases.access import CaseAction, access_case, takes_steps
from zhifa.cases.models import Case
from zhifa.cases.views import NextAction
from zhifa.core.exceptions import RuleViolation
from zhifa.law.discretion import REPEAT_FACTOR
from zhifa.registry.models import Account
from zhifa.registry.web import local_today, request_account

from . import selectors, services
from .forms import ApplyForm, ApproveForm
from .models import Application

STAGE_OF_SERVICE = {
    "case_notify": Application.Stage.NOTICE,
    "case_decide": Application.Stage.DECISION,
}


def _applications(case: Case) -> list[dict[str, Any]]:
    rows = []
    for stage in Application.Stage:
        app = selectors.latest_application(case, stage.value)
        if app is not None:
            rows.append({"app": app, "approval": selectors.latest_approval(app)})
    return rows


def workspace_panel(
    account: Account, case: Case, next_actions: list[NextAction]
) -> dict[str, Any] | None:
    """The workspace's 裁量基准 panel (registered with cases.views): shown where the 事先告知
    or the decision is a next step, or once a 基准 was applied."""
    if not takes_steps(account, case):
        return None
    stages = [STAGE_OF_SERVICE[a.service] for a in next_actions if a.service in STAGE_OF_SERVICE]
    applied = _applications(case)
    if not stages and not applied:
        return None
    return {
        "template": "discretion/_panel.html",
        "after_actions": True,  # the next step stays on a phone's first screen
        "case": case,
        "stage": stages[0] if stages else "",
        "applied": applied,
        "proposed": selectors.benchmarks_for_case(case).first(),
    }


def _stage_now(case: Case) -> str:
    return Application.Stage.NOTICE if case.notified_on is None else Application.Stage.DECISION


def _form(case: Case, data: Any = None) -> ApplyForm:
    proposed = selectors.benchmarks_for_case(case).first()
    return ApplyForm(
        data,
        benchmarks=selectors.benchmarks_choosable(case),
        evidence=selectors.evidence_options(case),
        repeat=selectors.repeat_evidence(case),
        initial={
            "stage": _stage_now(case),
            "benchmark": proposed.pk if proposed else None,
            "grade": "standard",
            "penalty_kinds": case.notified_penalty_kinds or case.penalty_kinds or ["fine"],
            f"f_{REPEAT_FACTOR}": bool(selectors.repeat_evidence(case)),
            f"e_{REPEAT_FACTOR}": "history" if selectors.repeat_evidence(case) else "",
        },
    )


def _calc_context(case: Case, form: ApplyForm) -> dict[str, Any]:
    """The calculation for what the form holds now (valid or not): for the live panel."""
    raw = form.data if form.is_bound else {}
    pick = raw.get("benchmark") if form.is_bound else form.initial.get("benchmark")
    benchmark = (
        selectors.benchmark_for_case(case, int(str(pick))) if str(pick or "").isdigit() else None
    )
    if benchmark is None:
        return {"calc": None}
    codes = form.codes() if form.is_bound else (
        [REPEAT_FACTOR] if form.initial.get(
            f"f_{REPEAT_FACTOR}") else []
    )  # fmt: skip
    base_text = str(raw.get("base_amount") or "").strip() if form.is_bound else ""
    try:
        base = Decimal(base_text) if base_text else None
    except ArithmeticError:
        base = None
    try:
        calc = selectors.calculate(benchmark, codes, base)
    except (ValueError, KeyError):
        return {"calc": None, "benchmark": benchmark, "needs_base": True}
    return {"calc": calc, "benchmark": benchmark, "bands": list(calc.bands.values())}


def _render(
    request: HttpRequest,
    account: Account,
    case: Case,
    form: ApplyForm,
    status: int = 200,
    bound: tuple[int, ApproveForm] | None = None,
) -> HttpResponse:
    approvals = []
    if account.role == Account.Role.HEAD:
        for row in _applications(case):
            if row["app"].deviates and row["approval"] is None:
                approvals.append(
                    (
                        row["app"],
                        bound[1]
                        if bound and bound[0] == row["app"].pk
                        else ApproveForm(auto_id=f"approve-{row['app'].pk}-%s"),
                        services.is_upper_level(row["app"].benchmark, case),
                    )
                )
    return render(
        request,
        "discretion/apply.html",
        {
            "case": case,
            "form": form,
            "applied": _applications(case),
            "approvals": approvals,
            **_calc_context(case, form),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def discretion_page(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    case = access_case(account, pk, CaseAction.HANDLE)
    if request.method == "GET":
        return _render(request, account, case, _form(case))
    form = _form(case, request.POST)
    if not form.is_valid():
        return _render(request, account, case, form, status=400)
    d = form.cleaned_data
    try:
        services.discretion_apply(
            actor=account,
            case=case,
            stage=d["stage"],
            benchmark=d["benchmark"],
            found=form.found(),
            grade=d["grade"],
            fine=d["fine"],
            base_amount=d["base_amount"],
            judgement=d["judgement"],
            deviation_reason=d["deviation_reason"],
            penalty_kinds=d["penalty_kinds"],
            on=local_today(),
        )
    except RuleViolation as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, str(exc))
        return _render(request, account, case, form, status=409)
    messages.success(request, _("已记录裁量基准的适用。"))
    return redirect(reverse("discretion_apply", kwargs={"pk": case.pk}) + "#applied")


@login_required
@require_POST
def discretion_calculate(request: HttpRequest, pk: int) -> HttpResponse:
    """The live calculation (htmx): the proposed grade and the bands for what is ticked."""
    account = request_account(request)
    case = access_case(account, pk, CaseAction.HANDLE)
    form = _form(case, request.POST)
    return render(request, "discretion/_calc.html", _calc_context(case, form))


@login_required
@require_POST
def deviation_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """The head approves the deviation of one of the case's applications (posted as
    ``application``)."""
    account = request_account(request)
    case = access_case(account, pk, CaseAction.APPROVE)
    raw = request.POST.get("application", "")
    application = (
        selectors.applications_of_case(case).filter(pk=int(raw)).first() if raw.isdigit() else None
    )
    if application is None:
        messages.error(request, _("请选择要批准的裁量基准适用。"))
        return _render(request, account, case, _form(case), status=400)
    form = ApproveForm(request.POST, auto_id=f"approve-{application.pk}-%s")
    if form.is_valid():
        try:
            services.discretion_deviation_approve(
                actor=account, application=application, on=local_today(), **form.cleaned_data
            )
        except RuleViolation as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("已批准偏离裁量基准。"))
            return redirect(reverse("discretion_apply", kwargs={"pk": case.pk}) + "#applied")
    return _render(request, account, case, _form(case), status=409, bound=(application.pk, form))
