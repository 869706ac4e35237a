"""Pages of the "checks" part: the record checks with, per template, how often the record
proposed a mark and how often reviewers overrode it; and one case's 系统预评 — every check's
finding with the record entries and documents it rests on. Thin: gate, selector, render."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from zhifa.cases.access import access_case
from zhifa.registry.web import local_today, request_account

from .access import access_template
from .selectors import templates_visible_to
from .selectors_checks import (
    case_proposals,
    checks_listed,
    may_read_checks,
    override_report,
)

BADGE = {"ok": "badge-valid", "fail": "badge-expired", "na": "badge-cancelled"}


def _day(raw: str | None) -> date:
    """The day asked for (``?on=YYYY-MM-DD``), else today; a day after today is today."""
    today = local_today()
    try:
        day = date.fromisoformat(raw) if raw else today
    except ValueError:
        day = today
    return min(day, today)


@login_required
@require_GET
def checks_index(request: HttpRequest) -> HttpResponse:
    """The record checks (code, what they check, their source) and the templates; with
    ``?template=<id>``, that template's override report."""
    account = request_account(request)
    if not may_read_checks(account):
        raise PermissionDenied
    report = None
    raw = request.GET.get("template", "")
    if raw:
        if not raw.isdigit() or int(raw) > 2**62:
            raise Http404
        report = override_report(account, access_template(account, int(raw)))
    templates = templates_visible_to(account).order_by("key", "-version")
    return render(
        request,
        "evaluation/checks/index.html",
        {"checks": checks_listed(), "templates": templates, "report": report},
    )


@login_required
@require_GET
def case_findings(request: HttpRequest, case_id: int) -> HttpResponse:
    """系统预评 of one case: the findings of every record check with their evidence."""
    account = request_account(request)
    case = access_case(account, case_id)
    if not may_read_checks(account):
        raise PermissionDenied("只有执法监督人员和机关负责人可以查看系统预评")
    on = _day(request.GET.get("on"))
    proposals = case_proposals(case.pk, on)
    detail = reverse("case_detail", kwargs={"pk": case.pk})
    own = account.agency_id == case.agency_id
    rows = []
    for p in proposals:
        evidence = []
        for e in p.finding.evidence:
            if e.document_id is not None and own:
                url = reverse(
                    "case_document_file",
                    kwargs={"pk": case.pk, "doc_id": e.document_id, "fmt": "pdf"},
                )
            elif e.document_id is not None:
                url = f"{detail}#documents"
            elif e.seq is not None:
                url = f"{detail}#entry-{e.seq}"
            else:
                url = ""
            evidence.append({"label": e.label, "seq": e.seq, "url": url, "doc": e.document_id})
        rows.append({"p": p, "badge": BADGE[p.verdict_class], "evidence": evidence})
    return render(
        request,
        "evaluation/checks/case_findings.html",
        {"case": case, "rows": rows, "on": on, "detail": detail},
    )
