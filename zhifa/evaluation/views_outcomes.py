"""Pages of the outcomes part: a campaign's outcomes (team report, 复评, feedback, objections
and their re-check, overall report and 通报, publication, matters), the agency's evaluated files
with its objections, the repeated failures (第二十五条) and the accountability register. Thin:
parse, gate, call one service, render; a refusal re-renders the page with what was typed."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.cases.models import Case
from zhifa.cases.views import NextAction
from zhifa.core.exceptions import RuleViolation
from zhifa.publicity.selectors import publication_of_source
from zhifa.record.evidence import evidence_open
from zhifa.record.models import EvidenceFile
from zhifa.registry.models import Account, Officer
from zhifa.registry.selectors import agencies_visible_to
from zhifa.registry.web import local_today, paginate, request_account
from zhifa.todos.items import Todo

from . import scoring
from . import selectors_outcomes as sel
from . import services_outcomes as services
from .access import access_campaign, access_file
from .forms_outcomes import AccountabilityForm
from .models import Accountability, Campaign, File, Objection, Report
from .selectors import files_visible_to


def _day(request: HttpRequest) -> date:
    return local_today()


# -- marks typed on a page (复评, upheld objection) -------------------------------------------


def marks_from(data: Any, spec: scoring.Spec, prefix: str) -> dict[str, Any]:
    """Marks from inputs ``<prefix>occ_<code>``, ``<prefix>ded_<code>``, ``<prefix>why_<code>``
    and ``<prefix>veto_<code>``; empty inputs are no deduction."""
    items: dict[str, Any] = {}
    for item in spec.items():
        occ = str(data.get(f"{prefix}occ_{item.code}", "") or "").strip()
        ded = str(data.get(f"{prefix}ded_{item.code}", "") or "").strip()
        why = str(data.get(f"{prefix}why_{item.code}", "") or "").strip()
        if occ or ded:
            mark: dict[str, Any] = {"occurrences": occ or "1", "reason": why}
            if ded:
                mark["deduction"] = ded
            items[item.code] = mark
    vetoes = {
        v.code: {"hit": True, "reason": str(data.get(f"{prefix}why_{v.code}", "") or "")}
        for v in spec.vetoes
        if data.get(f"{prefix}veto_{v.code}")
    }
    return {"items": items, "vetoes": vetoes}


def _mark_rows(spec: scoring.Spec, prefix: str, data: Any) -> list[dict[str, Any]]:
    rows = []
    for section in spec.sections:
        for item in section.items:
            rows.append(
                {
                    "code": item.code,
                    "text": f"{section.name}·{item.text}",
                    "rule": item.rule.text(),
                    "range": item.rule.kind == "range",
                    "occ": data.get(f"{prefix}occ_{item.code}", "") if data else "",
                    "ded": data.get(f"{prefix}ded_{item.code}", "") if data else "",
                    "why": data.get(f"{prefix}why_{item.code}", "") if data else "",
                    "prefix": prefix,
                }
            )
    return rows


def _veto_rows(spec: scoring.Spec, prefix: str, data: Any) -> list[dict[str, Any]]:
    return [
        {
            "code": v.code,
            "text": v.text,
            "source": v.source,
            "hit": bool(data and data.get(f"{prefix}veto_{v.code}")),
            "why": data.get(f"{prefix}why_{v.code}", "") if data else "",
            "prefix": prefix,
        }
        for v in spec.vetoes
    ]


# -- the campaign's outcomes page --------------------------------------------------------------


def _outcomes_page(
    request: HttpRequest,
    account: Account,
    campaign: Campaign,
    *,
    slot: str = "",
    refusal: str = "",
    data: Any = None,
    status: int = 200,
) -> HttpResponse:
    today = _day(request)
    manages = sel.manages_campaign(account, campaign)
    files = list(sel.campaign_files(campaign))
    rows = []
    for f in files:
        failed = sel.is_failed(f) if f.grade else False
        deductions, vetoes = sel.file_deductions(f) if f.grade else ([], [])
        spec = sel.spec_of(f)
        mine = data if slot == f"recheck:{f.pk}" else None
        rows.append(
            {
                "file": f,
                "failed": failed,
                "deductions": deductions,
                "vetoes": vetoes,
                "rechecks": list(f.rechecks.order_by("pk")),
                "matter": _matter_of(f),
                "marks": _mark_rows(spec, f"r{f.pk}_", mine) if failed else [],
                "veto_marks": _veto_rows(spec, f"r{f.pk}_", mine) if failed else [],
                "data": mine or {},
                "open": mine is not None,
            }
        )
    objections = []
    for o in sel.objections_of_campaign(campaign):
        mine = data if slot == f"answer:{o.pk}" else None
        spec = sel.spec_of(o.file)
        objections.append(
            {
                "o": o,
                "window": sel.recheck_window(o, today)
                if o.outcome == Objection.Outcome.PENDING
                else None,
                "marks": _mark_rows(spec, f"a{o.pk}_", mine),
                "veto_marks": _veto_rows(spec, f"a{o.pk}_", mine),
                "data": mine or {},
                "letter": Report.objects.filter(objection=o).first(),
            }
        )
    reports = [
        {
            "r": r,
            "publishable": r.kind in services.PUBLISHABLE,
            "publication": publication_of_source(services.publication_ref(r)),
        }
        for r in sel.reports_visible_to(account).filter(campaign=campaign)
    ]
    return render(
        request,
        "evaluation/outcomes/campaign.html",
        {
            "campaign": campaign,
            "manages": manages,
            "rows": rows,
            "objections": objections,
            "reports": reports,
            "problems": sel.campaign_problems(campaign, files=files),
            "grades": sel.grade_counts(files),
            "slot": slot,
            "refusal": refusal,
            "data": data or {},
            "S": Campaign.State,
        },
        status=status,
    )


def _matter_of(file: File) -> Any:
    from zhifa.supervision.models import Matter

    return Matter.objects.filter(
        origin=Matter.Origin.EVALUATION, origin_ref=services.matter_ref(file)
    ).first()


@login_required
@require_GET
def campaign_outcomes(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    campaign = access_campaign(account, pk)
    if account.role != Account.Role.SUPERVISOR and not sel.manages_campaign(account, campaign):
        raise Http404
    return _outcomes_page(request, account, campaign)


def _campaign_post(request: HttpRequest, pk: int) -> tuple[Account, Campaign]:
    account = request_account(request)
    campaign = access_campaign(account, pk)
    if account.role != Account.Role.SUPERVISOR and not sel.manages_campaign(account, campaign):
        raise Http404
    return account, campaign


def _back(campaign_id: int) -> HttpResponse:
    return redirect(reverse("evaluation_campaign_outcomes", args=[campaign_id]))


@login_required
@require_POST
def campaign_report_team(request: HttpRequest, pk: int) -> HttpResponse:
    account, campaign = _campaign_post(request, pk)
    try:
        services.campaign_report_team(
            actor=account,
            campaign=campaign,
            on=_day(request),
            suggestions=request.POST.get("suggestions", ""),
        )
    except RuleViolation as exc:
        return _outcomes_page(
            request, account, campaign, slot="team", refusal=str(exc), data=request.POST, status=409
        )
    return _back(campaign.pk)


@login_required
@require_POST
def campaign_feedback(request: HttpRequest, pk: int) -> HttpResponse:
    account, campaign = _campaign_post(request, pk)
    try:
        services.campaign_feedback(actor=account, campaign=campaign, on=_day(request))
    except RuleViolation as exc:
        return _outcomes_page(
            request, account, campaign, slot="feedback", refusal=str(exc), status=409
        )
    return _back(campaign.pk)


@login_required
@require_POST
def campaign_close(request: HttpRequest, pk: int) -> HttpResponse:
    account, campaign = _campaign_post(request, pk)
    try:
        services.campaign_close(
            actor=account,
            campaign=campaign,
            on=_day(request),
            suggestions=request.POST.get("suggestions", ""),
            publish=bool(request.POST.get("publish")),
        )
    except RuleViolation as exc:
        return _outcomes_page(
            request,
            account,
            campaign,
            slot="close",
            refusal=str(exc),
            data=request.POST,
            status=409,
        )
    return _back(campaign.pk)


def _file_post(request: HttpRequest, pk: int) -> tuple[Account, File]:
    account = request_account(request)
    file = access_file(account, pk)
    return account, file


@login_required
@require_POST
def file_recheck(request: HttpRequest, pk: int) -> HttpResponse:
    account, file = _file_post(request, pk)
    if account.role != Account.Role.SUPERVISOR:
        raise Http404
    try:
        services.file_recheck_failed(
            actor=account,
            file=file,
            marks=marks_from(request.POST, sel.spec_of(file), f"r{file.pk}_"),
            reasons=request.POST.get("reasons", ""),
            on=_day(request),
        )
    except RuleViolation as exc:
        return _outcomes_page(
            request,
            account,
            file.campaign,
            slot=f"recheck:{file.pk}",
            refusal=str(exc),
            data=request.POST,
            status=409,
        )
    return _back(file.campaign_id)


@login_required
@require_POST
def file_matter(request: HttpRequest, pk: int) -> HttpResponse:
    account, file = _file_post(request, pk)
    if account.role != Account.Role.SUPERVISOR:
        raise Http404
    try:
        matter = services.file_matter_open(actor=account, file=file, on=_day(request))
    except RuleViolation as exc:
        return _outcomes_page(
            request, account, file.campaign, slot=f"matter:{file.pk}", refusal=str(exc), status=409
        )
    return redirect(reverse("supervision_matter", args=[matter.pk]))


@login_required
@require_POST
def objection_answer(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    objection = sel.objections_visible_to(account).filter(pk=pk).first()
    if objection is None or account.role != Account.Role.SUPERVISOR:
        raise Http404
    upheld = request.POST.get("outcome") == "upheld"
    prefix = f"a{objection.pk}_"
    try:
        services.objection_answer(
            actor=account,
            objection=objection,
            upheld=upheld,
            answer=request.POST.get("answer", ""),
            marks=marks_from(request.POST, sel.spec_of(objection.file), prefix) if upheld else None,
            on=_day(request),
        )
    except RuleViolation as exc:
        return _outcomes_page(
            request,
            account,
            objection.file.campaign,
            slot=f"answer:{objection.pk}",
            refusal=str(exc),
            data=request.POST,
            status=409,
        )
    return _back(objection.file.campaign_id)


def _report(account: Account, pk: int) -> Report:
    report = sel.reports_visible_to(account).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


@login_required
@require_POST
def report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    report = _report(account, pk)
    if account.role != Account.Role.SUPERVISOR:
        raise Http404
    try:
        services.report_publication_propose(actor=account, report=report, on=_day(request))
    except RuleViolation as exc:
        return _outcomes_page(
            request,
            account,
            report.campaign,
            slot=f"publish:{report.pk}",
            refusal=str(exc),
            status=409,
        )
    return _back(report.campaign_id)


def file_response(stored: EvidenceFile | None) -> FileResponse:
    if stored is None:
        raise Http404
    try:
        stream = evidence_open(stored.sha256)
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(stream, content_type=stored.media_type)
    suffix = stored.original_name.rpartition(".")[2].encode("ascii", "ignore").decode() or "bin"
    response["Content-Disposition"] = (
        f'attachment; filename="zhifa-{stored.sha256[:12]}.{suffix}"; '
        f"filename*=UTF-8''{quote(stored.original_name, safe='')}"
    )
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def report_file(request: HttpRequest, pk: int, fmt: str) -> FileResponse:
    report = _report(request_account(request), pk)
    if fmt not in ("pdf", "docx"):
        raise Http404
    return file_response(report.pdf if fmt == "pdf" else report.docx)


# -- the agency's page: its evaluated files, scores, deductions, objections ---------------------


def _agency_page(
    request: HttpRequest,
    account: Account,
    *,
    slot: str = "",
    refusal: str = "",
    data: Any = None,
    status: int = 200,
) -> HttpResponse:
    today = _day(request)
    rows = []
    for f in sel.agency_files(account):
        deductions, vetoes = sel.file_deductions(f) if f.grade else ([], [])
        objection = Objection.objects.filter(file=f).first()
        rows.append(
            {
                "file": f,
                "deductions": deductions,
                "vetoes": vetoes,
                "rechecks": list(f.rechecks.order_by("pk")),
                "objection": objection,
                "letter": Report.objects.filter(objection=objection).first() if objection else None,
                "window": sel.objection_window(f, today)
                if objection is None and f.campaign.state == Campaign.State.FEEDBACK
                else None,
                "recheck_window": sel.recheck_window(objection, today)
                if objection is not None and objection.outcome == Objection.Outcome.PENDING
                else None,
                "data": data if slot == f"objection:{f.pk}" else {},
            }
        )
    letters = sel.reports_visible_to(account).filter(agency_id=account.agency_id or 0)
    return render(
        request,
        "evaluation/outcomes/agency.html",
        {"rows": rows, "letters": letters, "slot": slot, "refusal": refusal},
        status=status,
    )


@login_required
@require_GET
def agency_files(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    if account.agency_id is None or account.role != Account.Role.HEAD:
        raise Http404
    return _agency_page(request, account)


@login_required
@require_POST
def objection_file(request: HttpRequest, pk: int) -> HttpResponse:
    account, file = _file_post(request, pk)
    if account.role != Account.Role.HEAD or file.agency_id != account.agency_id:
        raise Http404
    try:
        services.objection_file(
            actor=account, file=file, reasons=request.POST.get("reasons", ""), on=_day(request)
        )
    except RuleViolation as exc:
        return _agency_page(
            request,
            account,
            slot=f"objection:{file.pk}",
            refusal=str(exc),
            data=request.POST,
            status=409,
        )
    return redirect(reverse("evaluation_agency_files"))


# -- repeated failures (第二十五条) ------------------------------------------------------------


@login_required
@require_GET
def repeated_failures(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    if account.role != Account.Role.SUPERVISOR:
        raise Http404
    today = _day(request)
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    threshold, source = sel.repeated_failures_threshold()
    return render(
        request,
        "evaluation/outcomes/repeated.html",
        {
            "year": year,
            "threshold": threshold,
            "source": source,
            "rows": sel.repeated_failures(account, year),
        },
    )


# -- 责任追究 register ---------------------------------------------------------------------------


@login_required
@require_GET
def accountability_list(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    if account.role not in (Account.Role.SUPERVISOR, Account.Role.HEAD):
        raise Http404
    qs = sel.accountabilities_visible_to(account)
    officer: Officer | None = None
    raw = request.GET.get("officer", "")
    if raw.isdigit():
        officer = Officer.objects.filter(
            pk=int(raw), agency__in=agencies_visible_to(account)
        ).first()
        qs = qs.filter(officer=officer) if officer is not None else qs.none()
    return render(
        request,
        "evaluation/outcomes/accountability_list.html",
        {
            "page": paginate(request, qs),
            "officer": officer,
            "may_record": sel.may_record_accountability(account),
            "total": qs.count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def accountability_new(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    if not sel.may_record_accountability(account):
        raise Http404
    agencies = agencies_visible_to(account).order_by("name")
    initial: dict[str, Any] = {"decided_on": _day(request)}
    for key in ("case", "file", "officer"):
        if request.GET.get(key, "").isdigit():
            initial[key] = int(request.GET[key])
    form = AccountabilityForm(
        request.POST if request.method == "POST" else None, agencies=agencies, initial=initial
    )
    refusal = ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        officer = (
            Officer.objects.filter(pk=d["officer"], agency__in=agencies).first()
            if d["officer"]
            else None
        )
        file = files_visible_to(account).filter(pk=d["file"]).first() if d["file"] else None
        try:
            if d["officer"] and officer is None:
                raise RuleViolation("没有该执法人员", field="officer")
            if d["file"] and file is None:
                raise RuleViolation("没有该评查案卷", field="file")
            row = services.accountability_record(
                actor=account,
                agency=d["agency"],
                officer=officer,
                name=d["name"] or "",
                case_id=d["case"],
                file=file,
                ground=d["ground"],
                measure=d["measure"],
                deciding_body=d["deciding_body"],
                decided_on=d["decided_on"],
                note=d["note"] or "",
                on=_day(request),
            )
            return redirect(reverse("evaluation_accountability_detail", args=[row.pk]))
        except RuleViolation as exc:
            refusal = str(exc)
    status = 200 if request.method == "GET" else (409 if refusal else 400)
    return render(
        request,
        "evaluation/outcomes/accountability_new.html",
        {"form": form, "refusal": refusal},
        status=status,
    )


@login_required
@require_GET
def accountability_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    if account.role not in (Account.Role.SUPERVISOR, Account.Role.HEAD):
        raise Http404
    row = sel.accountabilities_visible_to(account).filter(pk=pk).first()
    if row is None:
        raise Http404
    return render(request, "evaluation/outcomes/accountability_detail.html", {"row": row})


# -- registrations: the case workspace panel and the supervisors' to-do ------------------------


def workspace_panel(
    account: Account, case: Case, next_actions: list[NextAction]
) -> dict[str, Any] | None:
    """The case workspace's 责任追究 panel: the accountability records about this case that the
    account may read (the agency's staff and the supervisors); nothing when there are none."""
    rows = list(sel.accountabilities_visible_to(account).filter(case=case))
    if not rows:
        return None
    return {
        "template": "evaluation/outcomes/_case_panel.html",
        "after_actions": True,
        "rows": rows,
        "links": account.role in (Account.Role.SUPERVISOR, Account.Role.HEAD),
    }


def officer_panel(account: Account, officer: Officer) -> dict[str, Any] | None:
    """The officer page's 责任追究 panel (registered with registry.views): the records about
    the officer that a supervisor or the agency's head may read; nothing when there are none."""
    if account.role not in (Account.Role.SUPERVISOR, Account.Role.HEAD):
        return None
    rows = list(sel.accountabilities_visible_to(account).filter(officer=officer)[:20])
    if not rows:
        return None
    return {"template": "evaluation/outcomes/_officer_panel.html", "rows": rows, "officer": officer}


def objections_todo(account: Account, today: date) -> list[Todo]:
    """The supervisor's pending objections, due on the re-check's last day."""
    out = []
    for o in sel.objections_to_answer(account):
        w = sel.recheck_window(o, today)
        out.append(
            Todo(
                key=f"evaluation:objection:{o.pk}",
                kind="evaluation_objection",
                kind_label="评查异议复核",
                what=f"复核{o.file.agency.name}对案卷{o.file.case.number or o.file.case_id}的异议",
                url=reverse("evaluation_campaign_outcomes", args=[o.file.campaign_id]),
                due_on=w.last_day,
                remaining=w.remaining,
                unit="工作日",
                article=w.limit.source,
                deadline_name="异议复核答复期限",
                provisional=w.provisional,
            )
        )
    return out


__all__ = ["Accountability"]
