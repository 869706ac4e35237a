"""The filings' pages (季报/年报): the agency's list, one filing with every table (each figure a
link to its cases), the 情况说明 and 专项说明, submit, the supervisor's review, the cases behind a
figure, filing by form or upload, and the supervisors' coverage of their region. Thin: reads
from ``selectors_filings``, one gate (``access_filing``), one service per POST."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhifa.cases.selectors import cases_visible_to
from zhifa.core.exceptions import RuleViolation
from zhifa.registry.models import Account, Agency
from zhifa.registry.web import local_today, request_account

from . import filing_upload, services_filings
from .access_filings import access_filing
from .catalogue import INDICATORS, MONEY
from .exporting_filings import filing_json
from .filing_rules import PREPARERS
from .models import Filing
from .periods import period_of
from .selectors_filings import (
    FROZEN,
    aggregate,
    amount_of,
    count_of,
    coverage,
    due_on,
    due_source,
    filing_differences,
    filings_visible_to,
    period_of_filing,
    sub_regions,
    supervisor_prefix,
    table_views,
    tables_for,
)

QUARTERS = [(0, "年报"), (1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")]


def _period_params(request: HttpRequest, today: date) -> tuple[int, int]:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or today.year)
        quarter = int(request.GET.get("quarter") or request.POST.get("quarter") or 0)
        period_of(year, quarter)
    except ValueError:
        return today.year, 0
    return year, quarter


def _agency(account: Account) -> Agency:
    if account.agency is None:
        raise Http404
    return account.agency


def _prepares(account: Account) -> bool:
    return account.role in PREPARERS and account.agency_id is not None


@login_required
@require_GET
def filing_list(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    today = local_today()
    year, quarter = _period_params(request, today)
    filings = filings_visible_to(account).order_by("-year", "quarter", "agency__division_code")
    return render(
        request,
        "statistics/filings/list.html",
        {
            "filings": filings[:200],
            "may_prepare": _prepares(account),
            "is_supervisor": supervisor_prefix(account) is not None,
            "year": year,
            "quarter": quarter,
            "quarters": QUARTERS,
            "due_on": due_on(period_of(year, quarter)),
            "due_source": due_source(quarter),
        },
    )


@login_required
@require_POST
def filing_generate(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    today = local_today()
    if not _prepares(account):
        raise Http404
    year, quarter = _period_params(request, today)
    agency = _agency(account)
    try:
        filing = services_filings.filing_generate(
            actor=account, agency=agency, year=year, quarter=quarter, on=today
        )
    except RuleViolation as exc:
        messages.error(request, str(exc))
        return redirect("statistics_filings")
    messages.success(request, f"已生成{filing}")
    return redirect("statistics_filing", pk=filing.pk)


def _filing_context(account: Account, filing: Filing, **extra: Any) -> dict[str, Any]:
    computed = filing.origin == Filing.Origin.COMPUTED
    prompts = services_filings.prompts_of(filing)
    prefix = supervisor_prefix(account)
    return {
        "filing": filing,
        "period": period_of_filing(filing),
        "tables": table_views(tables_for(filing.agency), filing.figures or {}, computed=computed),
        "differences": filing_differences(filing),
        "prompts": [(p, (filing.special_notes or {}).get(p.table, "")) for p in prompts],
        "may_edit": _prepares(account)
        and account.agency_id == filing.agency_id
        and filing.state in (Filing.State.DRAFT, Filing.State.RETURNED),
        "may_review": prefix is not None and filing.state == Filing.State.SUBMITTED,
        # 年度数据公开: the accepted annual report, by the agency's head or publisher
        "may_publish": _prepares(account)
        and account.agency_id == filing.agency_id
        and filing.quarter == 0
        and filing.state == Filing.State.ACCEPTED,
        "frozen": filing.state in FROZEN,
        "due_source": due_source(filing.quarter),
        **extra,
    }


@login_required
@require_GET
def filing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    filing = access_filing(account, pk)
    return render(request, "statistics/filings/filing.html", _filing_context(account, filing))


@login_required
@require_POST
def filing_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    account = request_account(request)
    filing = access_filing(account, pk)
    today = local_today()
    post = request.POST
    try:
        if action == "narrative":
            services_filings.filing_narrative_save(
                actor=account, filing=filing, text=post.get("narrative", ""), on=today
            )
            messages.success(request, "情况说明已保存")
        elif action == "note":
            services_filings.filing_special_note_save(
                actor=account,
                filing=filing,
                table=post.get("table", "")[:64],
                text=post.get("text", ""),
                on=today,
            )
            messages.success(request, "专项说明已保存")
        elif action == "regenerate":
            services_filings.filing_generate(
                actor=account,
                agency=filing.agency,
                year=filing.year,
                quarter=filing.quarter,
                on=today,
            )
            messages.success(request, "已按最新案件数据重新生成")
        elif action == "submit":
            services_filings.filing_submit(actor=account, filing=filing, on=today)
            messages.success(request, "已报送")
        elif action == "accept":
            services_filings.filing_accept(
                actor=account, filing=filing, comments=post.get("comments", ""), on=today
            )
            messages.success(request, "已接收")
        elif action == "return":
            services_filings.filing_return(
                actor=account, filing=filing, comments=post.get("comments", ""), on=today
            )
            messages.success(request, "已退回")
        else:
            raise Http404
    except RuleViolation as exc:
        filing.refresh_from_db()
        ctx = _filing_context(
            account,
            filing,
            refusal=str(exc),
            bound=action,
            typed=post.get("narrative") if action == "narrative" else post.get("comments", ""),
        )
        return render(request, "statistics/filings/filing.html", ctx, status=409)
    return redirect("statistics_filing", pk=filing.pk)


@login_required
@require_GET
def filing_cases(request: HttpRequest, pk: int, indicator: str) -> HttpResponse:
    """The cases one figure counts: the frozen list of a submitted filing, else the live one;
    only the cases the account may see."""
    account = request_account(request)
    filing = access_filing(account, pk)
    ind = INDICATORS.get(indicator)
    if ind is None:
        raise Http404
    ids = (filing.counted or {}).get(indicator, [])
    cases = cases_visible_to(account).filter(pk__in=ids).order_by("decided_on", "pk")
    return render(
        request,
        "statistics/filings/cases.html",
        {
            "filing": filing,
            "indicator": ind,
            "cases": cases,
            "count": count_of(filing.figures or {}, indicator),
            "amount": amount_of(filing.figures or {}, indicator),
        },
    )


@login_required
@require_GET
def filing_export_json(request: HttpRequest, pk: int) -> HttpResponse:
    account = request_account(request)
    filing = access_filing(account, pk)
    body = filing_json(filing, cases=request.GET.get("cases") == "1")
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False, "indent": 1})


@login_required
@require_http_methods(["GET", "POST"])
def filing_file(request: HttpRequest) -> HttpResponse:
    """Filing by form or upload (an agency whose work is not in zhifa)."""
    account = request_account(request)
    if not _prepares(account):
        raise Http404
    today = local_today()
    year, quarter = _period_params(request, today)
    agency = _agency(account)
    codes = filing_upload.fileable(tables_for(agency))
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            upload = request.FILES.get("file")
            if upload is not None:
                figs = filing_upload.read_upload(upload.read(), upload.name or "", codes)
                how = "upload"
            else:
                figs = filing_upload.figures_of_form(request.POST, codes)
                how = "form"
            filing = services_filings.filing_file(
                actor=account,
                agency=agency,
                year=year,
                quarter=quarter,
                figures=figs,
                on=today,
                how=how,
            )
        except filing_upload.FilingInvalid as exc:
            errors, status = exc.errors, 422
        except RuleViolation as exc:
            errors, status = [str(exc)], 409
        else:
            messages.success(request, f"已填报{filing}")
            return redirect("statistics_filing", pk=filing.pk)
    rows = [
        (
            c,
            INDICATORS[c],
            request.POST.get(f"{c}.count", ""),
            request.POST.get(f"{c}.amount", ""),
            c in MONEY,
        )
        for c in codes
    ]
    return render(
        request,
        "statistics/filings/file.html",
        {
            "rows": rows,
            "errors": errors,
            "year": year,
            "quarter": quarter,
            "quarters": QUARTERS,
        },
        status=status,
    )


@login_required
@require_GET
def filing_template(request: HttpRequest) -> HttpResponse:
    account = request_account(request)
    if not _prepares(account):
        raise Http404
    agency = _agency(account)
    body = filing_upload.template_xlsx(filing_upload.fileable(tables_for(agency)))
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = "attachment; filename=statistics-filing.xlsx"
    return response


@login_required
@require_GET
def filing_coverage(request: HttpRequest) -> HttpResponse:
    """The supervisor's region: who filed, who is late, the aggregate with each agency's
    contribution, and last year's aggregate; a province sees its cities."""
    account = request_account(request)
    prefix = supervisor_prefix(account)
    if prefix is None:
        raise Http404
    today = local_today()
    year, quarter = _period_params(request, today)
    period = period_of(year, quarter)
    sub = request.GET.get("region", "")
    regions = sub_regions(prefix) if len(prefix) == 2 else []
    if sub and sub in regions:
        prefix = sub
    rows = coverage(prefix, period, today)
    total = aggregate(rows)
    last_rows = coverage(prefix, period.previous_year(), today)
    last = aggregate(last_rows)
    headline = [
        "penalty.total",
        "penalty.amount",
        "coercion.measure.seize",
        "inspection.count",
        "licensing.granted",
    ]
    compare = [
        (
            INDICATORS[c],
            count_of(total, c),
            amount_of(total, c),
            count_of(last, c),
            amount_of(last, c),
        )
        for c in headline
    ]
    cities = []
    for city in regions if prefix not in regions else []:
        mine = [r for r in rows if r.agency.division_code.startswith(city)]
        t = aggregate(mine)
        cities.append(
            (
                city,
                len(mine),
                sum(1 for r in mine if r.frozen),
                sum(1 for r in mine if r.late),
                [(count_of(t, c), amount_of(t, c), INDICATORS[c].unit) for c in headline],
            )
        )
    cells = [
        (
            r,
            [
                (count_of(r.figures, c), amount_of(r.figures, c), INDICATORS[c].unit)
                for c in headline
            ],
        )
        for r in rows
    ]
    return render(
        request,
        "statistics/filings/coverage.html",
        {
            "rows": cells,
            "headline": [INDICATORS[c] for c in headline],
            "compare": compare,
            "period": period,
            "year": year,
            "quarter": quarter,
            "quarters": QUARTERS,
            "regions": regions,
            "cities": cities,
            "region": prefix,
            "due_on": due_on(period),
            "due_source": due_source(quarter),
            "total": [
                (count_of(total, c), amount_of(total, c), INDICATORS[c].unit) for c in headline
            ],
            "filed": sum(1 for r in rows if r.frozen),
            "late": sum(1 for r in rows if r.late),
        },
    )
