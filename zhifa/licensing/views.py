"""The licensing pages: a new application, the application's workspace (its steps, countdown
and documents), and the public verification page of a licence. Thin: forms in, one service
call, refusals shown with the form kept."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.cases import documents as case_documents
from zhifa.cases import transitions
from zhifa.cases.access import CaseAction, access_case, takes_steps
from zhifa.cases.models import Case
from zhifa.cases.services import PartyInput, _opening_agency
from zhifa.core.exceptions import RuleViolation
from zhifa.registry.models import Account, Officer
from zhifa.registry.web import local_today, request_account

from . import forms, selectors, services
from .models import Application, Licence


@dataclass(frozen=True)
class Step:
    form: type[forms.OnForm]
    call: Callable[[Account, Case, dict[str, Any]], Any]


def _kw(data: dict[str, Any], *names: str) -> dict[str, Any]:
    return {n: data[n] for n in names}


STEPS: dict[str, Step] = {
    "case_licence_correct": Step(
        forms.CorrectForm,
        lambda a, c, d: services.case_licence_correct(
            actor=a,
            case=c,
            late_reason=d["late_reason"],
            on=d["on"],
            missing=forms._lines(d["missing"]),
        ),
    ),
    "case_licence_accept": Step(
        forms.AcceptForm,
        lambda a, c, d: services.case_licence_accept(
            actor=a, case=c, late_reason=d["late_reason"], **_kw(d, "on", "completed_on")
        ),
    ),
    "case_licence_not_accept": Step(
        forms.ReasonForm,
        lambda a, c, d: services.case_licence_not_accept(
            actor=a, case=c, late_reason=d["late_reason"], **_kw(d, "on", "reason")
        ),
    ),
    "case_licence_verify": Step(
        forms.VerifyForm,
        lambda a, c, d: services.case_licence_verify(
            actor=a,
            case=c,
            late_reason=d["late_reason"],
            on=d["on"],
            officers=list(d["officers"]),
            summary=d["summary"],
        ),
    ),
    "case_licence_pause": Step(
        forms.PauseForm,
        lambda a, c, d: services.case_licence_pause(
            actor=a, case=c, late_reason=d["late_reason"], **_kw(d, "on", "kind", "note")
        ),
    ),
    "case_licence_resume": Step(
        forms.OnForm,
        lambda a, c, d: services.case_licence_resume(
            actor=a, case=c, late_reason=d["late_reason"], on=d["on"]
        ),
    ),
    "case_licence_hearing_tell": Step(
        forms.OnForm,
        lambda a, c, d: services.case_licence_hearing_tell(
            actor=a, case=c, late_reason=d["late_reason"], on=d["on"]
        ),
    ),
    "case_licence_hearing_request": Step(
        forms.OnForm,
        lambda a, c, d: services.case_licence_hearing_request(
            actor=a, case=c, late_reason=d["late_reason"], on=d["on"]
        ),
    ),
    "case_licence_hearing_notice": Step(
        forms.HearingNoticeForm,
        lambda a, c, d: services.case_licence_hearing_notice(
            actor=a, case=c, late_reason=d["late_reason"], **_kw(d, "on", "hearing_on", "place")
        ),
    ),
    "case_licence_hearing_hold": Step(
        forms.SummaryForm,
        lambda a, c, d: services.case_licence_hearing_hold(
            actor=a, case=c, late_reason=d["late_reason"], **_kw(d, "on", "summary")
        ),
    ),
    "case_licence_extend": Step(
        forms.ReasonForm,
        lambda a, c, d: services.case_licence_extend(
            actor=a, case=c, late_reason=d["late_reason"], **_kw(d, "on", "reason")
        ),
    ),
    "case_licence_grant": Step(
        forms.GrantForm,
        lambda a, c, d: services.case_licence_grant(
            actor=a,
            case=c,
            late_reason=d["late_reason"],
            **_kw(d, "on", "content", "valid_from", "valid_until"),
        ),
    ),
    "case_licence_refuse": Step(
        forms.RefuseForm,
        lambda a, c, d: services.case_licence_refuse(
            actor=a, case=c, late_reason=d["late_reason"], **_kw(d, "on", "reasons")
        ),
    ),
    "case_licence_issue": Step(
        forms.OnForm,
        lambda a, c, d: services.case_licence_issue(
            actor=a, case=c, late_reason=d["late_reason"], on=d["on"]
        ),
    ),
    "case_licence_serve": Step(
        forms.OnForm,
        lambda a, c, d: services.case_licence_serve(
            actor=a, case=c, late_reason=d["late_reason"], on=d["on"]
        ),
    ),
}


def _officers(case: Case) -> Any:
    return Officer.objects.filter(agency_id=case.agency_id).order_by("name")


def _form(service: str, case: Case, data: Any = None) -> forms.OnForm:
    step = STEPS[service]
    initial = {"on": local_today()}
    if step.form is forms.VerifyForm:
        return forms.VerifyForm(data, prefix=service, initial=initial, officers=_officers(case))
    return step.form(data, prefix=service, initial=initial)


def _workspace(
    request: HttpRequest,
    account: Account,
    case: Case,
    bound: tuple[str, forms.OnForm, str] | None = None,
    status: int = 200,
    licence_bound: tuple[str, Any, str] | None = None,
) -> HttpResponse:
    app = Application.objects.get(case_id=case.pk)
    actions = []
    for move in transitions.moves_from(case.kind, case.state):
        if move.service not in STEPS:
            continue
        gate = CaseAction.APPROVE if transitions.HEAD in move.preconditions else CaseAction.HANDLE
        try:
            access_case(account, case.pk, gate)
        except (PermissionDenied, Http404):  # the gate refuses: the action is not shown
            continue
        if bound is not None and bound[0] == move.service:
            form, refusal = bound[1], bound[2]
        else:
            form, refusal = _form(move.service, case), ""
        label = transitions.SERVICE_LABELS[move.service]
        actions.append({"service": move.service, "label": label, "form": form, "refusal": refusal})
    licence = Licence.objects.filter(application=app).first()
    context = {
        "case": case,
        "app": app,
        "countdown": selectors.countdown(app) if app.accepted_on else None,
        "actions": actions,
        "documents": case_documents.documents_available(case),
        "generated": case_documents.case_documents(case),
        "licence": licence,
        "licence_forms": _licence_forms(licence_bound)
        if licence and takes_steps(account, case)
        else [],
        "today": local_today(),
        "licence_status": selectors.licence_status(licence, local_today()) if licence else None,
    }
    return render(request, "licensing/workspace.html", context, status=status)


@dataclass(frozen=True)
class LicenceAct:
    label: str
    form: type[Any]
    call: Callable[[Account, Licence, dict[str, Any]], Any]


LICENCE_ACTS: dict[str, LicenceAct] = {
    "change": LicenceAct(
        "变更行政许可",
        forms.LicenceChangeForm,
        lambda a, lic, d: services.licence_change(actor=a, licence=lic, **d),
    ),
    "renewal_apply": LicenceAct(
        "登记延续申请",
        forms.LicenceRenewalApplyForm,
        lambda a, lic, d: services.licence_renewal_apply(actor=a, licence=lic, **d),
    ),
    "renewal_decide": LicenceAct(
        "作出延续决定",
        forms.LicenceRenewalDecideForm,
        lambda a, lic, d: services.licence_renewal_decide(actor=a, licence=lic, **d),
    ),
    "end": LicenceAct(
        "撤回、撤销或注销",
        forms.LicenceEndForm,
        lambda a, lic, d: services.licence_end(actor=a, licence=lic, **d),
    ),
}


def _licence_forms(bound: tuple[str, Any, str] | None) -> list[dict[str, Any]]:
    out = []
    for key, act in LICENCE_ACTS.items():
        if bound is not None and bound[0] == key:
            form, refusal = bound[1], bound[2]
        else:
            form, refusal = act.form(prefix=key, initial={"on": local_today()}), ""
        out.append({"key": key, "label": act.label, "form": form, "refusal": refusal})
    return out


@login_required
@require_POST
def licence_act(request: HttpRequest, pk: int, act: str) -> HttpResponse:
    """变更, 延续, 撤回/撤销/注销 of the licence a case issued — also after the case was archived
    (the licence outlives it); the agency's officers and head only, the services check who."""
    account = request_account(request)
    if act not in LICENCE_ACTS:
        raise Http404
    case = access_case(account, pk)
    licence = Licence.objects.filter(case=case).first()
    if case.kind != Case.Kind.LICENSING or licence is None:
        raise Http404
    if not takes_steps(account, case):
        raise PermissionDenied(_("只有本机关的执法人员可以办理许可证件事项"))
    chosen = LICENCE_ACTS[act]
    form = chosen.form(request.POST, prefix=act)
    if not form.is_valid():
        return _workspace(
            request, account, case, status=400, licence_bound=(act, form, _("请检查标出的栏目。"))
        )
    try:
        chosen.call(account, licence, form.cleaned_data)
    except RuleViolation as exc:
        if exc.field and exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        return _workspace(request, account, case, status=409, licence_bound=(act, form, str(exc)))
    messages.success(request, _("已完成：%(label)s") % {"label": chosen.label})
    return redirect("licence_workspace", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def licence_apply(request: HttpRequest) -> HttpResponse:
    """登记行政许可申请 (an officer or the head of an agency)."""
    account = request_account(request)
    try:
        _opening_agency(account)
    except RuleViolation as exc:
        return render(request, "403.html", {"exception": str(exc)}, status=403)
    form = forms.ApplyForm(request.POST or None, initial={"on": local_today()})
    refusal = ""
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            applicant = PartyInput(
                kind=d["kind"],
                name=d["name"],
                id_number=d["id_number"] if d["kind"] == "natural_person" else "",
                credit_code=d["credit_code"] if d["kind"] == "organisation" else "",
                legal_representative=(
                    d["legal_representative"] if d["kind"] == "organisation" else ""
                ),
                phone=d["phone"],
                address=d["address"],
            )
            try:
                case = services.licence_apply(
                    actor=account,
                    power_code=d["power_code"],
                    matter=d["matter"],
                    channel=d["channel"],
                    on=d["on"],
                    applicant=applicant,
                    materials=forms._lines(d["materials"]),
                    verification_required=d["verification_required"],
                    hearing_required=d["hearing_required"],
                )
            except RuleViolation as exc:
                refusal = str(exc)
                if exc.field and exc.field in form.fields:
                    form.add_error(exc.field, exc.message)
            else:
                messages.success(request, _("已登记行政许可申请：%(m)s") % {"m": case.title})
                return redirect("licence_workspace", pk=case.pk)
        else:
            refusal = _("请检查标出的栏目。")
    return render(
        request,
        "licensing/apply.html",
        {"form": form, "refusal": refusal},
        status=400 if refusal else 200,
    )


@login_required
@require_GET
def licence_workspace(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    case = access_case(account, pk)
    if case.kind != Case.Kind.LICENSING:
        raise Http404
    return _workspace(request, account, case)


@login_required
@require_POST
def licence_step(request: HttpRequest, pk: int, service: str) -> HttpResponse:
    account = request_account(request)
    if service not in STEPS:
        raise Http404
    case = access_case(account, pk)
    if case.kind != Case.Kind.LICENSING:
        raise Http404
    move = transitions.move_for(case.kind, case.state, service)
    approval = move is not None and transitions.HEAD in move.preconditions
    case = access_case(account, pk, CaseAction.APPROVE if approval else CaseAction.HANDLE)
    form = _form(service, case, request.POST)
    if not form.is_valid():
        return _workspace(request, account, case, (service, form, _("请检查标出的栏目。")), 400)
    try:
        STEPS[service].call(account, case, form.cleaned_data)
    except RuleViolation as exc:
        if exc.field and exc.field in form.fields:
            form.add_error(exc.field, exc.message)
        return _workspace(request, account, case, (service, form, str(exc)), 409)
    label = transitions.SERVICE_LABELS[service]
    messages.success(request, _("已完成：%(label)s") % {"label": label})
    return redirect("licence_workspace", pk=pk)


@require_GET
def licence_verify(request: HttpRequest, token: str) -> HttpResponse:
    """The public verification page a licence's QR code points to: holder (a natural person
    masked), item, number, validity and whether it is valid today. No personal data."""
    licence = selectors.licence_by_token(token)
    if licence is None:
        raise Http404
    today = local_today()
    return render(
        request,
        "licensing/verify.html",
        {
            "licence": licence,
            "holder": selectors.masked_holder(licence),
            "agency": licence.case.agency.name,
            "status": selectors.licence_status(licence, today),
            "today": today,
        },
    )
