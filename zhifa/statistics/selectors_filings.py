"""Reads of the filings (季报/年报): who sees which filing, the live figures of an agency for a
period with the cases each counts, a frozen filing against the live figures, the deadlines and
the supervisors' coverage of their region."""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from zhifa.core.identifiers import division_prefix
from zhifa.registry.models import Account, Agency, PowerItem
from zhifa.registry.selectors import is_system_admin, region_of

from . import catalogue
from .catalogue import INDICATORS, Table
from .filing_rules import is_late, lateness, source_of
from .models import Fact, Filing
from .periods import QUARTER_DUE_DAYS, Period, period_of
from .selectors import Figure, figures

Figures = dict[str, dict[str, Any]]  # {indicator: {"count": n, "amount": "1.00"|None}}
FROZEN = (Filing.State.SUBMITTED, Filing.State.ACCEPTED, Filing.State.PUBLISHED)


# -- deadlines (settings with their sources) ---------------------------------------------------


def due_on(period: Period) -> date:
    days = int(getattr(settings, "ZHIFA_STATISTICS_QUARTER_DUE_DAYS", QUARTER_DUE_DAYS))
    annual = tuple(getattr(settings, "ZHIFA_STATISTICS_ANNUAL_DUE", (1, 31)))
    return period.due_on(quarter_days=days, annual=(int(annual[0]), int(annual[1])))


def due_source(quarter: int) -> str:
    return source_of(
        quarter,
        quarter_source=getattr(settings, "ZHIFA_STATISTICS_QUARTER_DUE_SOURCE", ""),
        annual_source=getattr(settings, "ZHIFA_STATISTICS_ANNUAL_DUE_SOURCE", ""),
    )


# -- who sees what -----------------------------------------------------------------------------


def filings_visible_to(account: Account) -> QuerySet[Filing]:
    """The agency's own filings for its accounts; the region's for its supervisors."""
    qs = Filing.objects.select_related("agency")
    if not account.is_authenticated or not account.is_active:
        return qs.none()
    if is_system_admin(account):
        return qs
    prefix = region_of(account)
    if prefix is not None:
        return qs.filter(agency__division_code__startswith=prefix)
    if account.agency_id is None:
        return qs.none()
    return qs.filter(agency_id=account.agency_id)


def period_of_filing(filing: Filing) -> Period:
    return period_of(filing.year, filing.quarter)


# -- figures -----------------------------------------------------------------------------------


def as_json(figs: Mapping[str, Figure]) -> Figures:
    return {
        code: {
            "count": f.count,
            "amount": None if f.amount is None else f"{Decimal(f.amount):.2f}",
        }
        for code, f in sorted(figs.items())
    }


def canonical_sha256(figs: Figures) -> str:
    """SHA-256 of the figures as canonical JSON (sorted keys, no spaces, UTF-8)."""
    text = json.dumps(figs, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def officer_figures(agency: Agency, period: Period) -> Figures:
    """The 执法人员 figures of the agency on the period's last day (``selectors_tables``)."""
    from .selectors_tables import officer_figures as on_day

    return as_json(on_day([agency.pk], period.end))


def live_figures(agency: Agency, period: Period) -> Figures:
    out = as_json(figures(period=period, agency_ids=[agency.pk]))
    out.update(officer_figures(agency, period))
    return dict(sorted(out.items()))


def live_counted(agency: Agency, period: Period) -> dict[str, list[int]]:
    """indicator -> the ids of the cases it counts (one query)."""
    out: dict[str, list[int]] = defaultdict(list)
    rows = (
        Fact.objects.filter(agency_id=agency.pk, day__gte=period.start, day__lte=period.end)
        .order_by("indicator", "day", "case_id")
        .values_list("indicator", "case_id")
    )
    for code, case_id in rows:
        out[code].append(case_id)
    return dict(out)


def held_kinds(agency: Agency) -> set[str]:
    """The categories of the published power items the agency holds."""
    return set(
        PowerItem.objects.filter(agency=agency, status=PowerItem.Status.PUBLISHED).values_list(
            "category", flat=True
        )
    )


def tables_for(agency: Agency) -> list[Table]:
    """The tables of a filing: the deployment's tables in force (hidden/added columns, its own
    tables) in the configured penalty order (``selectors_tables.tables_for``)."""
    from .selectors_tables import tables_for as in_force

    del agency  # the tables are the deployment's, the same for every agency
    return list(in_force(_order()))


def _order() -> Any:
    """The penalty order the facts are counted by (the core's setting)."""
    from .penalty_order import ORDERS

    name = getattr(settings, "ZHIFA_STATISTICS_PENALTY_ORDER", "2021")
    return ORDERS.get(name, ORDERS["2021"])


def count_of(figs: Mapping[str, Any], code: str) -> int:
    return int((figs.get(code) or {}).get("count") or 0)


def amount_of(figs: Mapping[str, Any], code: str) -> Decimal | None:
    value = (figs.get(code) or {}).get("amount")
    return None if value in (None, "") else Decimal(str(value))


def derived(figs: Mapping[str, Any], code: str) -> str:
    """A DERIVED indicator's value as text (持证率)."""
    if code == "officers.certified_rate":
        posts = count_of(figs, "officers.posts")
        if not posts:
            return "—"
        return f"{count_of(figs, 'officers.certified') * 100 / posts:.1f}%"
    return "—"


@dataclass
class Cell:
    code: str
    name: str
    unit: str
    count: int
    amount: Decimal | None
    text: str  # what the table shows
    drill: bool  # the figure links to its cases


@dataclass
class TableView:
    table: Table
    cells: list[Cell]
    note: str = ""


def table_views(tables: list[Table], figs: Mapping[str, Any], *, computed: bool) -> list[TableView]:
    out: list[TableView] = []
    for t in tables:
        cells = []
        for code in t.columns:
            ind = INDICATORS.get(code)
            if ind is None:
                continue
            count, amount = count_of(figs, code), amount_of(figs, code)
            if ind.origin == catalogue.DERIVED:
                text = derived(figs, code)
            elif ind.unit == "元":
                text = f"{(amount or Decimal(0)):,.2f}"
            else:
                text = str(count)
            drill = computed and ind.origin == catalogue.CASES and not code.startswith("officers.")
            cells.append(Cell(code, ind.name, ind.unit, count, amount, text, drill))
        out.append(TableView(t, cells))
    return out


# -- a frozen filing against the live figures --------------------------------------------------


@dataclass
class Difference:
    code: str
    name: str
    frozen_count: int
    live_count: int
    frozen_amount: Decimal | None
    live_amount: Decimal | None
    added: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)


def filing_differences(filing: Filing) -> list[Difference]:
    """The indicators whose live count, amount or case set differs from the frozen filing, with
    the cases added and removed since (computed filings once submitted; else none)."""
    if filing.origin != Filing.Origin.COMPUTED or filing.state not in FROZEN:
        return []
    period = period_of_filing(filing)
    live = live_figures(filing.agency, period)
    counted = live_counted(filing.agency, period)
    frozen, frozen_counted = filing.figures or {}, filing.counted or {}
    out = []
    for code in sorted(set(live) | set(frozen) | set(counted) | set(frozen_counted)):
        before, now = set(frozen_counted.get(code, [])), set(counted.get(code, []))
        fc, lc = count_of(frozen, code), count_of(live, code)
        fa, la = amount_of(frozen, code), amount_of(live, code)
        if fc == lc and fa == la and before == now:
            continue
        ind = INDICATORS.get(code)
        out.append(
            Difference(
                code,
                ind.name if ind else code,
                fc,
                lc,
                fa,
                la,
                sorted(now - before),
                sorted(before - now),
            )
        )
    return out


# -- coverage: who filed, who is late, the region's aggregate ----------------------------------


@dataclass
class CoverageRow:
    agency: Agency
    filing: Filing | None
    due_on: date
    late: bool
    status: str
    figures: Figures
    frozen: bool  # from a submitted filing (else computed now, not yet filed)


def _add(total: dict[str, dict[str, Any]], figs: Mapping[str, Any]) -> None:
    for code, fig in figs.items():
        t = total.setdefault(code, {"count": 0, "amount": None})
        t["count"] += int(fig.get("count") or 0)
        if fig.get("amount") not in (None, ""):
            t["amount"] = (t["amount"] or Decimal(0)) + Decimal(str(fig["amount"]))


def coverage(prefix: str, period: Period, today: date) -> list[CoverageRow]:
    """Per agency of the region (division prefix): its filing, whether it is late, and its
    contribution (frozen figures once submitted, else the live figures)."""
    agencies = list(
        Agency.objects.filter(division_code__startswith=prefix).order_by("division_code", "name")
    )
    filings = {
        f.agency_id: f
        for f in Filing.objects.filter(
            agency__in=agencies, year=period.year, quarter=period.quarter
        )
    }
    due = due_on(period)
    live = {a: v for a, v in _by_agency(prefix, period).items()}
    rows = []
    for agency in agencies:
        f = filings.get(agency.pk)
        frozen = f is not None and f.state in FROZEN
        submitted_on = f.submitted_on if frozen and f is not None else None
        rows.append(
            CoverageRow(
                agency=agency,
                filing=f,
                due_on=due,
                late=is_late(due_on=due, submitted_on=submitted_on, today=today),
                status=lateness(due_on=due, submitted_on=submitted_on, today=today),
                figures=(f.figures if frozen and f is not None else live.get(agency.pk, {})),
                frozen=frozen,
            )
        )
    return rows


def _by_agency(prefix: str, period: Period) -> dict[int, Figures]:
    from .selectors import figures_by_agency

    return {
        a: as_json(figs)
        for a, figs in figures_by_agency(period=period, division_prefix=prefix).items()
    }


def aggregate(rows: list[CoverageRow]) -> Figures:
    total: dict[str, dict[str, Any]] = {}
    for r in rows:
        _add(total, r.figures)
    return {
        k: {"count": v["count"], "amount": None if v["amount"] is None else f"{v['amount']:.2f}"}
        for k, v in sorted(total.items())
    }


def sub_regions(prefix: str) -> list[str]:
    """A province's cities (4-digit prefixes with agencies); a city's own prefix otherwise."""
    if len(prefix) != 2:
        return [prefix]
    codes = Agency.objects.filter(division_code__startswith=prefix).values_list(
        "division_code", flat=True
    )
    return sorted({c[:4] for c in codes})


def supervisor_prefix(account: Account) -> str | None:
    if account.role != Account.Role.SUPERVISOR or not account.region_code:
        return None
    return division_prefix(account.region_code)
