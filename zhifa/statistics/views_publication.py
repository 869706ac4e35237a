"""年度数据公开: the public pages of the published annual figures, per agency and per region,
with a chart and the downloads (CSV, XLSX, JSON, PDF). No login; only published annual reports
(``selectors_publication``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhifa.core.exceptions import RuleViolation
from zhifa.registry.web import local_today

from . import exporting
from .access_publication import access_filing_to_publish
from .chart import bar_chart
from .selectors_publication import Publication, publication_of, published_years
from .services_publication import filing_publish

DOWNLOADS = {
    "csv": (exporting.CSV_TYPE, "csv"),
    "xlsx": (exporting.XLSX_TYPE, "xlsx"),
    "json": (exporting.JSON_TYPE, "json"),
    "pdf": (exporting.PDF_TYPE, "pdf"),
}
CHARTED_UNITS = ("件", "次", "人")


def _tables(pub: Publication) -> list[dict[str, Any]]:
    """Each table with the rows the template prints and the chart of its totals (counts only:
    amounts and rates are in the table)."""
    out = []
    for table in pub.report["tables"]:
        cols = table["columns"]
        rows = [
            {"agency": r["agency"], "cells": [r["values"][c["code"]] for c in cols]}
            for r in table["rows"]
        ]
        charted = [
            (c["name"], table["total"][c["code"]]) for c in cols if c["unit"] in CHARTED_UNITS
        ]
        out.append(
            {
                **table,
                "body": rows,
                "totals": [table["total"][c["code"]] for c in cols],
                "chart": bar_chart(charted) if charted else None,
            }
        )
    return out


def _page(request: HttpRequest, pub: Publication, downloads: dict[str, str]) -> HttpResponse:
    return render(
        request,
        "statistics/publication/annual.html",
        {
            "pub": pub,
            "tables": _tables(pub),
            "omitted": pub.report["omitted"],
            "downloads": downloads,
        },
    )


@require_GET
def public_index(request: HttpRequest) -> HttpResponse:
    return render(request, "statistics/publication/index.html", {"years": published_years()})


@require_GET
def public_agency(request: HttpRequest, year: int, pk: int) -> HttpResponse:
    pub = publication_of(year, agency_id=pk)
    return _page(request, pub, {"year": str(year), "pk": str(pk), "kind": "agency"})


@require_GET
def public_region(request: HttpRequest, year: int, code: str) -> HttpResponse:
    pub = publication_of(year, region=code)
    return _page(request, pub, {"year": str(year), "code": code, "kind": "region"})


def _download(pub: Publication, fmt: str, stem: str) -> HttpResponse:
    if fmt not in DOWNLOADS:
        raise Http404
    media, ext = DOWNLOADS[fmt]
    period = f"{pub.year}年"
    if fmt == "csv":
        data = exporting.report_csv(pub.report, title=pub.title, period=period)
    elif fmt == "xlsx":
        data = exporting.report_xlsx(pub.report, title=pub.title, period=period)
    elif fmt == "json":
        data = exporting.report_json(pub.report, title=pub.title, year=pub.year)
    else:
        data = exporting.report_pdf(pub.report, title=pub.title, period=period, at=timezone.now())
    response = HttpResponse(data, content_type=media)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{pub.year}.{ext}"'
    return response


@require_GET
def public_agency_download(request: HttpRequest, year: int, pk: int, fmt: str) -> HttpResponse:
    return _download(publication_of(year, agency_id=pk), fmt, f"statistics-agency-{pk}")


@require_GET
def public_region_download(request: HttpRequest, year: int, code: str, fmt: str) -> HttpResponse:
    return _download(publication_of(year, region=code), fmt, f"statistics-region-{code}")


@login_required
@require_POST
def filing_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    """公开: the agency's head or publisher puts its accepted annual report on the portal today;
    a refusal names its rule (409), the portal page follows a success."""
    filing = access_filing_to_publish(request.user, pk)  # type: ignore[arg-type]
    try:
        filing_publish(actor=request.user, filing=filing, on=local_today())  # type: ignore[arg-type]
    except RuleViolation as exc:
        return render(
            request,
            "statistics/publication/refused.html",
            {"filing": filing, "error": exc},
            status=409,
        )
    messages.success(request, _("已公开%(year)s年度行政执法统计数据。") % {"year": filing.year})
    return redirect("statistics_public_agency", filing.year, filing.agency_id)
