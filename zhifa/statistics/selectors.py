"""Reads of the statistics: the figures of an agency or a region for a period, each with the
cases it counts, by one grouped query over the derived facts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet, Sum

from zhifa.cases.models import Case

from .models import Fact, FactMonth
from .periods import Period


@dataclass(frozen=True)
class Figure:
    count: int
    amount: Decimal | None = None


def _facts(
    *, agency_ids: list[int] | None, division_prefix: str | None, period: Period
) -> QuerySet[Fact]:
    qs = Fact.objects.filter(day__gte=period.start, day__lte=period.end)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    if division_prefix is not None:
        qs = qs.filter(division_code__startswith=division_prefix)
    return qs


def _months(
    *, agency_ids: list[int] | None, division_prefix: str | None, period: Period
) -> QuerySet[FactMonth]:
    """The monthly sums of the period's months (a period is whole months, so they add up to
    exactly the facts of its days; ``aggregates``)."""
    qs = FactMonth.objects.filter(month__gte=period.start, month__lte=period.end)
    if agency_ids is not None:
        qs = qs.filter(agency_id__in=agency_ids)
    if division_prefix is not None:
        qs = qs.filter(division_code__startswith=division_prefix)
    return qs


def figures(
    *, period: Period, agency_ids: list[int] | None = None, division_prefix: str | None = None
) -> dict[str, Figure]:
    """indicator code -> Figure for the agencies (or the region) in ``period``."""
    out: dict[str, Figure] = {}
    rows = (
        _months(agency_ids=agency_ids, division_prefix=division_prefix, period=period)
        .values("indicator")
        .annotate(total=Sum("n"), sum=Sum("amount"))
        .order_by()
    )
    for r in rows:
        out[r["indicator"]] = Figure(r["total"], r["sum"])
    return out


def figures_by_agency(
    *, period: Period, agency_ids: list[int] | None = None, division_prefix: str | None = None
) -> dict[int, dict[str, Figure]]:
    """agency id -> indicator -> Figure: each agency's contribution to a region's figures."""
    out: dict[int, dict[str, Figure]] = defaultdict(dict)
    rows = (
        _months(agency_ids=agency_ids, division_prefix=division_prefix, period=period)
        .values("agency_id", "indicator")
        .annotate(total=Sum("n"), sum=Sum("amount"))
        .order_by()
    )
    for r in rows:
        out[r["agency_id"]][r["indicator"]] = Figure(r["total"], r["sum"])
    return dict(out)


def counted_case_ids(
    indicator: str,
    *,
    period: Period,
    agency_ids: list[int] | None = None,
    division_prefix: str | None = None,
) -> list[int]:
    """The ids of the cases ``indicator`` counts in ``period`` (the figure's drill-down)."""
    return list(
        _facts(agency_ids=agency_ids, division_prefix=division_prefix, period=period)
        .filter(indicator=indicator)
        .order_by("day", "case_id")
        .values_list("case_id", flat=True)
    )


def counted_cases(indicator: str, *, period: Period, agency_ids: list[int]) -> QuerySet[Case]:
    ids = counted_case_ids(indicator, period=period, agency_ids=agency_ids)
    return Case.objects.filter(pk__in=ids).order_by("decided_on", "pk")


def facts_of_case(case_id: int) -> list[tuple[str, date, Decimal | None]]:
    return list(
        Fact.objects.filter(case_id=case_id)
        .order_by("indicator")
        .values_list("indicator", "day", "amount")
    )
