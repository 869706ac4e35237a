"""Reads of the published statistics (年度数据公开) and of the live report (the command).

The portal shows only annual reports in state 已公开 (``Filing.State.PUBLISHED``), from their
frozen ``figures``; a later change to a case never changes a published figure. The live
report (``zhifa stats report``) is counted from the facts (``selectors.figures_by_agency``) —
the figures a filing generated now would hold.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.http import Http404

from zhifa.core.exceptions import InvalidIdentifier
from zhifa.core.identifiers import division_prefix
from zhifa.registry.models import Agency, PowerItem

from . import catalogue, selectors
from .facts import rules
from .models import Filing
from .periods import ANNUAL, ANNUAL_DUE_SOURCE, Period, period_of
from .publication import is_on_time
from .report import AgencyFigures, report_tables


def standard_tables() -> list[catalogue.Table]:
    """The deployment's tables: the standard ones in its penalty order."""
    return catalogue.standard_tables(rules().order)


def power_kinds_held(agency_ids: Sequence[int]) -> dict[int, frozenset[str]]:
    """agency id -> the categories of its published power items (the powers it holds)."""
    held: dict[int, set[str]] = defaultdict(set)
    rows = (
        PowerItem.objects.filter(agency_id__in=agency_ids, status=PowerItem.Status.PUBLISHED)
        .values_list("agency_id", "category")
        .distinct()
    )
    for agency_id, category in rows:
        held[agency_id].add(category)
    return {a: frozenset(held.get(a, ())) for a in agency_ids}


def figures_json(figs: dict[str, selectors.Figure]) -> dict[str, dict[str, Any]]:
    """Live figures in a filing's JSON shape."""
    return {
        code: {"count": f.count, "amount": None if f.amount is None else str(f.amount)}
        for code, f in figs.items()
    }


def region_prefix(code: str) -> str:
    """The significant part of a region code; refuses what is not a division code."""
    try:
        return division_prefix(code)
    except InvalidIdentifier as exc:
        raise ValueError(f"行政区划代码有误：{code}") from exc


@dataclass(frozen=True)
class Scope:
    """Whose figures: one agency, or every agency of a region."""

    label: str
    agencies: list[Agency]
    region: str = ""  # the region code, for a region


def scope_of(*, agency_id: int | None = None, region: str | None = None) -> Scope:
    """Raises ``Agency.DoesNotExist`` or ``ValueError`` for an unknown agency or region code."""
    if agency_id is not None:
        agency = Agency.objects.get(pk=agency_id)
        return Scope(agency.name, [agency])
    assert region is not None
    prefix = region_prefix(region)
    agencies = list(
        Agency.objects.filter(division_code__startswith=prefix).order_by("division_code", "name")
    )
    return Scope(f"行政区划 {region}", agencies, region)


def live_report(period: Period, scope: Scope, *, with_cases: bool = False) -> dict[str, Any]:
    """The report counted now from the facts, for ``scope`` in ``period``."""
    ids = [a.pk for a in scope.agencies]
    if scope.region:
        by_agency = selectors.figures_by_agency(
            period=period, division_prefix=region_prefix(scope.region)
        )
    else:
        by_agency = selectors.figures_by_agency(period=period, agency_ids=ids)
    kinds = power_kinds_held(ids)
    rows = []
    for a in scope.agencies:
        figs = by_agency.get(a.pk, {})
        cases: dict[str, list[int]] = {}
        if with_cases:
            cases = {
                code: selectors.counted_case_ids(code, period=period, agency_ids=[a.pk])
                for code in figs
            }
        rows.append(AgencyFigures(a.pk, a.name, figures_json(figs), kinds[a.pk], cases))
    out = report_tables(standard_tables(), rows, with_cases=with_cases)
    return {"period": period.label, "scope": scope.label, **out}


# -- the portal ---------------------------------------------------------------------------------


def filings_published(
    year: int, *, agency_id: int | None = None, region: str | None = None
) -> list[Filing]:
    """The published annual reports of ``year`` of one agency or of a region's agencies."""
    qs = Filing.objects.filter(
        year=year, quarter=ANNUAL, state=Filing.State.PUBLISHED
    ).select_related("agency")
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    if region is not None:
        qs = qs.filter(agency__division_code__startswith=region_prefix(region))
    return list(qs.order_by("agency__division_code", "agency__name", "pk"))


@dataclass(frozen=True)
class PublishedYear:
    year: int
    agencies: list[tuple[int, str]]  # (id, name)
    regions: list[str]  # the cities (and province) whose agencies published


def published_years() -> list[PublishedYear]:
    """Per year (latest first), the agencies that published and the regions they lie in."""
    by_year: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    rows = (
        Filing.objects.filter(quarter=ANNUAL, state=Filing.State.PUBLISHED)
        .order_by("agency__division_code", "agency__name")
        .values_list("year", "agency_id", "agency__name", "agency__division_code")
    )
    for year, agency_id, name, code in rows:
        by_year[year].append((agency_id, name, code))
    out = []
    for year in sorted(by_year, reverse=True):
        codes = {c for *_x, c in by_year[year]}
        regions = sorted({c[:2] + "0000" for c in codes} | {c[:4] + "00" for c in codes})
        out.append(PublishedYear(year, [(a, n) for a, n, _c in by_year[year]], regions))
    return out


def published_report(filings: Sequence[Filing]) -> dict[str, Any]:
    """The tables of the published filings, from their frozen figures."""
    kinds = power_kinds_held([f.agency_id for f in filings])
    rows = [
        AgencyFigures(f.agency_id, f.agency.name, f.figures or {}, kinds[f.agency_id])
        for f in filings
    ]
    return report_tables(standard_tables(), rows)


@dataclass(frozen=True)
class Publication:
    """What a 年度数据公开 page shows."""

    year: int
    title: str
    filings: list[Filing]
    report: dict[str, Any]
    due_on: date
    due_source: str
    late: list[Filing]  # published on or after the deadline


def publication_of(
    year: int, *, agency_id: int | None = None, region: str | None = None
) -> Publication:
    """The published figures of an agency or a region for ``year``; 404 when the agency or
    region code is unknown (an agency with nothing published yet gives an empty page)."""
    try:
        period_of(year)
    except ValueError as exc:
        raise Http404 from exc
    if agency_id is not None:
        agency = Agency.objects.filter(pk=agency_id).first()
        if agency is None:
            raise Http404
        title = agency.name
    else:
        assert region is not None
        try:
            region_prefix(region)
        except ValueError as exc:
            raise Http404 from exc
        title = region_name(region)
    filings = filings_published(year, agency_id=agency_id, region=region)
    due = Period(year, ANNUAL).due_on(annual=annual_deadline())
    return Publication(
        year=year,
        title=title,
        filings=filings,
        report=published_report(filings),
        due_on=due,
        due_source=ANNUAL_DUE_SOURCE,
        late=[
            f
            for f in filings
            if f.published_on is not None
            and not is_on_time(published_on=f.published_on, due_on=due)
        ],
    )


def annual_deadline() -> tuple[int, int]:
    """(month, day) by which the annual figures are published: "before 31 January" (国办发
    〔2018〕118号（六）) — a deployment may set its own (``ZHIFA_STATISTICS_ANNUAL_DUE``)."""
    month, day = getattr(settings, "ZHIFA_STATISTICS_ANNUAL_DUE", (1, 31))
    return int(month), int(day)


def region_name(code: str) -> str:
    """The region as the page names it (the registry holds division codes, not their names)."""
    return f"行政区划 {code}"
