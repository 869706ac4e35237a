"""Public pages of the search index (no login): the search, its CSV download, the statistics.

Thin: each view parses the query string with ``forms.SearchForm``, calls one selector and
renders. Every response may be cached by anyone for a minute; pages carry an ETag of their
content and answer a matching If-None-Match with 304.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.cache import (
    patch_vary_headers,
)
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET

from zhifa.core.formula_injection import csv_cell
from zhifa.registry.web import public_cache

from . import selectors
from .forms import SearchForm, page_number
from .headings import decision_heading
from .highlight import excerpt, highlight
from .models import Entry
from .services import KINDS

# A province has thousands of agencies: past this many the agency list waits for a division.
AGENCY_CHOICES_MAX = 300


def _form(request: HttpRequest) -> SearchForm:
    """The filters of the request; ``form.agency_list_cut`` says the agency list waits for a
    division code (only the chosen agency is listed)."""
    division = request.GET.get("division", "")
    agencies = selectors.agencies_published(division if division.isdigit() else "")
    cut = len(agencies) > AGENCY_CHOICES_MAX
    if cut:
        chosen = request.GET.get("agency", "")
        agencies = [a for a in agencies if str(a[0]) == chosen]
    form = SearchForm(request.GET, agencies=agencies, domains=selectors.domains_published())
    form.agency_list_cut = cut
    return form


@dataclass(frozen=True)
class Hit:
    """One result as the page shows it, the query's terms marked."""

    entry: Entry
    title: SafeString
    subject: SafeString
    number: SafeString
    excerpt: SafeString
    kind_label: str


def _hit(entry: Entry, terms: tuple[str, ...]) -> Hit:
    return Hit(
        entry=entry,
        title=highlight(
            decision_heading(
                decision_number=entry.decision_number, subject=entry.subject, title=entry.title
            ),
            terms,
        ),
        subject=highlight(entry.subject, terms),
        number=highlight(entry.decision_number, terms),
        excerpt=excerpt(entry.body, terms),
        kind_label=_(KINDS.get(entry.kind, entry.kind)),
    )


def _public_context() -> dict[str, Any]:
    # No page here posts a form: an empty token keeps the CSRF cookie (and its Set-Cookie,
    # which shared caches refuse) off the public responses.
    return {"csrf_token": ""}


@require_GET
@public_cache
def search(request: HttpRequest) -> HttpResponse:
    """公示检索: the form, and the page of results (alone for an HTMX request)."""
    form = _form(request)
    query = form.query()
    page = selectors.decisions_search(query, page=page_number(request.GET.get("page")))
    context = _public_context() | {
        "form": form,
        "query": query,
        "page": page,
        "hits": [_hit(entry, page.terms) for entry in page.entries],
        "csv_query": request.GET.urlencode(),
        "more_open": any(
            request.GET.get(name) for name in form.fields if name not in ("q", "agency")
        ),
    }
    template = "publicity_search/search.html"
    if request.headers.get("HX-Request") == "true":
        template = "publicity_search/_results.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


class _Echo:
    """A file-like object whose write returns what it was given (csv.writer into a stream)."""

    def write(self, value: str) -> str:
        return value


CSV_HEADER = [
    gettext_noop("文号"),
    gettext_noop("执法机关"),
    gettext_noop("行政区划代码"),
    gettext_noop("执法领域"),
    gettext_noop("决定类别"),
    gettext_noop("执法对象"),
    gettext_noop("执法类别/案由"),
    gettext_noop("决定日期"),
    gettext_noop("公示日期"),
    gettext_noop("按期公示"),
    gettext_noop("金额（元）"),
    gettext_noop("公示内容"),
    gettext_noop("链接"),
]


def _csv_rows(request: HttpRequest, entries: Iterator[Entry]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # The byte-order mark makes Excel read the file as UTF-8 (it guesses GBK otherwise).
    yield "\ufeff" + writer.writerow([_(name) for name in CSV_HEADER])
    for e in entries:
        # Published texts come from outside (a party's name, the facts): none may run as a
        # spreadsheet formula when the file is opened.
        cells = [
            e.decision_number,
            e.agency_name,
            e.division_code,
            e.domain_name,
            _(KINDS.get(e.kind, e.kind)),
            e.subject,
            e.title,
            e.decided_on.isoformat(),
            e.published_on.isoformat(),
            "" if e.on_time is None else (_("是") if e.on_time else _("否")),
            "" if e.amount is None else f"{e.amount:.2f}",
            e.body,
            request.build_absolute_uri(e.url),
        ]
        yield writer.writerow([csv_cell(cell) for cell in cells])


@require_GET
@public_cache
def search_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The same list as CSV (UTF-8 with BOM), streamed; at most selectors.EXPORT_LIMIT rows."""
    query = _form(request).query()
    response = StreamingHttpResponse(
        _csv_rows(request, selectors.decisions_export(query)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="zhifa-decisions.csv"'
    return response


def _statistics_form(request: HttpRequest) -> SearchForm:
    form = _form(request)
    for name in ("q", "min_amount", "max_amount", "sort"):
        del form.fields[name]
    return form


@require_GET
@public_cache
def statistics(request: HttpRequest) -> HttpResponse:
    """执法决定公开统计: per month, per kind, per agency with its on-time rate; each chart
    has its numbers in a table beside it."""
    form = _statistics_form(request)
    stats = selectors.decisions_statistics(form.query())
    charts = {
        "month": {
            "labels": [m for m, _n in stats.per_month],
            "values": [n for _m, n in stats.per_month],
        },
        "kind": {
            "labels": [_(label) for _c, label, _n in stats.per_kind],
            "values": [n for *_x, n in stats.per_kind],
        },
        "agency": {
            "labels": [a.agency_name for a in stats.per_agency],
            "values": [a.decisions for a in stats.per_agency],
            "rates": [
                None if a.on_time_rate is None else round(a.on_time_rate * 100, 1)
                for a in stats.per_agency
            ],
        },
    }
    context = _public_context() | {
        "form": form,
        "stats": stats,
        "charts": charts,
    }
    return render(request, "publicity_search/statistics.html", context)
