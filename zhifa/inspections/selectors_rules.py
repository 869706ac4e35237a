"""Reads for caps, quiet periods and warnings, shaped for a province (1,000,000 entities,
5,000,000 inspections a year).

At approval the check reads one enterprise's inspections once, through the index
``(entity, planned_on)``: the days from the earlier of 1 January and the planned day less the
longest warning window, to the later of 31 December and the planned day plus that window — a
few dozen rows at most — and decides the caps and the warnings from them in Python
(:mod:`.caps`, :mod:`.repeat_warnings`). The agency's un-coded inspections read the index
``(agency, state, planned_on)``. Caps and quiet periods are a few rows each.

The supervisor's pages aggregate over the region (counts grouped in SQL).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet

from zhifa.core.identifiers import division_prefix
from zhifa.registry.models import Account
from zhifa.registry.selectors import is_system_admin, region_of

from . import caps as caps_rule
from . import quiet_periods as quiet_rule
from . import repeat_warnings as warn_rule
from .models import Cap, Inspection, QuietPeriod

S = Inspection.State
WARN_STATES = (S.REQUESTED, S.APPROVED, S.EMERGENCY)  # what may still be, or was, carried out
DONE_STATES = (S.APPROVED, S.EMERGENCY)


def _prefix_range(qs: QuerySet[Any], field: str, prefix: str) -> QuerySet[Any]:
    """Rows whose ``field`` starts with ``prefix``, as a range an index reads ("13" → [13, 14))."""
    if not prefix:
        return qs
    upper = str(int(prefix) + 1).zfill(len(prefix))
    qs = qs.filter(**{f"{field}__gte": prefix})
    return qs.filter(**{f"{field}__lt": upper}) if len(upper) == len(prefix) else qs


# -- the rows as the rules read them ----------------------------------------------------------


def cap_rule(cap: Cap) -> caps_rule.CapRule:
    return caps_rule.CapRule(
        id=cap.pk,
        name=cap.name,
        limit=cap.limit,
        source=cap.source,
        level=cap.level,
        domain_id=cap.domain_id,
        power_code=cap.power_code,
        region_code=cap.region_code,
        risk_class=cap.risk_class,
        counted_grounds=tuple(cap.counted_grounds or ()),
        override_allowed=cap.override_allowed,
        active=cap.active,
    )


def caps_for(*, domain_id: int, power_code: str) -> list[caps_rule.CapRule]:
    """The active caps that may apply to an inspection in ``domain_id`` on ``power_code``."""
    qs = (
        Cap.objects.filter(active=True)
        .filter(Q(domain__isnull=True) | Q(domain_id=domain_id))
        .filter(Q(power_code="") | Q(power_code=power_code))
        .order_by("pk")
    )
    return [cap_rule(c) for c in qs]


def period_rule(
    p: QuietPeriod, entity_ids: frozenset[int] = frozenset(), *, names_entities: bool = False
) -> quiet_rule.Period:
    return quiet_rule.Period(
        id=p.pk,
        name=p.name,
        region_code=p.region_code,
        days=tuple((int(a), int(b)) for a, b in p.days),
        source=p.source,
        valid_from=p.valid_from,
        valid_to=p.valid_to,
        categories=tuple(p.categories or ()),
        entity_ids=entity_ids,
        names_entities=names_entities,
        exception_grounds=tuple(p.exception_grounds or ()),
        filing_lead_days=p.filing_lead_days,
        filing_to=p.filing_to,
        active=p.active,
    )


def periods_for(*, entity_id: int, day: date) -> list[quiet_rule.Period]:
    """The quiet periods in force on ``day``; a period's named entities are read only as far as
    they name ``entity_id`` (a named list may be long)."""
    rows = list(
        QuietPeriod.objects.filter(active=True, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("pk")
    )
    if not rows:
        return []
    through = QuietPeriod.entities.through
    ids = [p.pk for p in rows]
    naming = set(
        through.objects.filter(quietperiod_id__in=ids)
        .values_list("quietperiod_id", flat=True)
        .distinct()
    )
    named = set(
        through.objects.filter(quietperiod_id__in=ids, entity_id=entity_id).values_list(
            "quietperiod_id", flat=True
        )
    )
    return [
        period_rule(
            p,
            frozenset({entity_id}) if p.pk in named else frozenset(),
            names_entities=p.pk in naming,
        )
        for p in rows
    ]


@dataclass(frozen=True)
class EntityRow:
    """One inspection of an enterprise, with what both the caps and the warnings read."""

    inspection_id: int
    agency_id: int
    agency_name: str
    agency_level: str
    domain_id: int
    power_code: str
    ground: str
    planned_on: date
    state: str
    counts_toward_cap: bool

    def earlier(self) -> caps_rule.Earlier:
        return caps_rule.Earlier(
            self.inspection_id,
            self.agency_level,
            self.domain_id,
            self.power_code,
            self.ground,
            self.planned_on,
            self.state,
            self.counts_toward_cap,
        )

    def other(self) -> warn_rule.Other:
        return warn_rule.Other(
            self.inspection_id, self.agency_id, self.agency_name, self.ground, self.planned_on
        )


def entity_inspections_between(
    entity_id: int, start: date, end: date, *, exclude_id: int | None = None
) -> list[EntityRow]:
    """The enterprise's inspections planned in ``[start, end]`` (every agency), one query on
    the index ``(entity, planned_on)``; refused and cancelled ones left out."""
    qs = Inspection.objects.filter(
        entity_id=entity_id, planned_on__gte=start, planned_on__lte=end, state__in=WARN_STATES
    )
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return [
        EntityRow(*row)
        for row in qs.order_by().values_list(
            "pk",
            "agency_id",
            "agency__name",
            "agency__level",
            "domain_id",
            "power_item__code",
            "ground",
            "planned_on",
            "state",
            "counts_toward_cap",
        )
    ]


def uncoded_warning(agency_id: int) -> tuple[str, date] | None:
    """The agency's open 未亮码 warning (its title and first day), as the periodic run of the
    alerts rule left it: one read of the unique ``(rule, subject)`` index. Counting the agency's
    late-entered visits at every approval would read all its inspections of the year (≈ 15 ms
    at province scale); the daily run counts them once for every agency (0.4 s)."""
    from zhifa.alerts.models import Warning

    row = (
        Warning.objects.filter(
            rule=warn_rule.UNCODED, subject=f"agency:{agency_id}", state=Warning.State.OPEN
        )
        .values_list("title", "first_seen_on")
        .first()
    )
    return (row[0], row[1]) if row else None


def year_bounds(day: date) -> tuple[date, date]:
    return date(day.year, 1, 1), date(day.year, 12, 31)


def window_bounds(day: date, windows: Sequence[warn_rule.Window]) -> tuple[date, date]:
    """The days one read must cover: the planned day's year and every warning window."""
    longest = max((w.period for w in windows if w.enabled), default=0)
    first, last = year_bounds(day)
    return min(first, day - timedelta(days=longest)), max(last, day + timedelta(days=longest))


def cap_counts_for(inspection: Inspection) -> list[caps_rule.CapCount]:
    """Every cap applying to ``inspection`` with this year's count (the notice and the code
    page show them: "本年度第k次，上限n次")."""
    first, last = year_bounds(inspection.planned_on)
    rows = entity_inspections_between(inspection.entity_id, first, last, exclude_id=inspection.pk)
    return caps_rule.cap_counts(
        caps_for(domain_id=inspection.domain_id, power_code=inspection.power_item.code),
        planned_of(inspection),
        [r.earlier() for r in rows],
    )


def planned_of(inspection: Inspection) -> caps_rule.Planned:
    return caps_rule.Planned(
        agency_level=inspection.agency.level,
        domain_id=inspection.domain_id,
        power_code=inspection.power_item.code,
        ground=inspection.ground,
        entity_division=inspection.entity.division_code,
        risk_class=inspection.entity.risk_class,
        planned_on=inspection.planned_on,
        override_reason=inspection.cap_override_reason,
    )


# -- the supervisor's pages -------------------------------------------------------------------


def inspections_in_region(account: Account) -> QuerySet[Inspection]:
    """The inspections of enterprises in the supervisor's region (every one for the system
    administrator); none for other roles."""
    qs = Inspection.objects.all()
    if not account.is_authenticated or not account.is_active:
        return qs.none()
    if is_system_admin(account):
        return qs
    prefix = region_of(account)
    if prefix is None:
        return qs.none()
    return _prefix_range(qs, "entity__division_code", prefix)


@dataclass(frozen=True)
class CapReached:
    cap: Cap
    entity_id: int
    entity_name: str
    credit_code: str
    count: int

    @property
    def over(self) -> bool:
        return self.count > self.cap.limit


def caps_reached(account: Account, year: int, cap: Cap) -> list[CapReached]:
    """The enterprises of the region whose counted inspections this year reached ``cap`` (at
    n) or went over it (with an override), grouped in SQL, most inspected first (200 at most).
    One cap at a time: at province scale each is one pass over the year's inspections of the
    region (about 2 s on SQLite for 5,000,000)."""
    qs = inspections_in_region(account).filter(
        year=year, state__in=DONE_STATES, counts_toward_cap=True
    )
    if cap.counted_grounds:
        qs = qs.filter(ground__in=cap.counted_grounds)
    if cap.domain_id is not None:
        qs = qs.filter(domain_id=cap.domain_id)
    if cap.power_code:
        qs = qs.filter(power_item__code=cap.power_code)
    if cap.level:
        qs = qs.filter(agency__level=cap.level)
    if cap.risk_class:
        qs = qs.filter(entity__risk_class=cap.risk_class)
    if cap.region_code:
        qs = _prefix_range(qs, "entity__division_code", division_prefix(cap.region_code))
    rows = (
        qs.values("entity_id", "entity__name", "entity__credit_code")
        .annotate(n=Count("pk"))
        .filter(n__gte=cap.limit)
        .order_by("-n", "entity_id")[:200]
    )
    return [
        CapReached(cap, r["entity_id"], r["entity__name"], r["entity__credit_code"], r["n"])
        for r in rows
    ]


def cap_overrides(account: Account, year: int) -> QuerySet[Inspection]:
    """Inspections approved over a cap with the head's approval and their reasons."""
    return (
        inspections_in_region(account)
        .filter(year=year)
        .exclude(cap_override_reason="")
        .select_related("agency", "entity", "case", "decided_by")
        .order_by("-planned_on", "-pk")
    )


@dataclass(frozen=True)
class ExceptionCount:
    ground: str
    ground_label: str
    agency_id: int
    agency_name: str
    count: int


def quiet_exceptions_counted(account: Account, year: int) -> list[ExceptionCount]:
    """Inspections inside a quiet period under an exception ground, counted by ground and
    agency (what the supervisor is told, as 晋宁 reported 安静期 vs 特殊情形)."""
    labels = dict(Inspection.QuietException.choices)
    rows = (
        inspections_in_region(account)
        .filter(year=year)
        .exclude(quiet_exception="")
        .exclude(state__in=(S.REFUSED, S.CANCELLED))
        .values("quiet_exception", "agency_id", "agency__name")
        .annotate(n=Count("pk"))
        .order_by("quiet_exception", "-n", "agency_id")
    )
    return [
        ExceptionCount(
            r["quiet_exception"],
            str(labels.get(r["quiet_exception"], r["quiet_exception"])),
            r["agency_id"],
            r["agency__name"],
            r["n"],
        )
        for r in rows
    ]


def quiet_exceptions(account: Account, year: int) -> QuerySet[Inspection]:
    return (
        inspections_in_region(account)
        .filter(year=year)
        .exclude(quiet_exception="")
        .select_related("agency", "entity", "case")
        .order_by("-planned_on", "-pk")
    )


def caps_visible_to(account: Account) -> QuerySet[Cap]:
    """Caps are public rules: every signed-in account of an agency or region reads them."""
    if not account.is_authenticated or not account.is_active:
        return Cap.objects.none()
    return Cap.objects.select_related("domain").order_by("-active", "pk")


def quiet_periods_visible_to(account: Account) -> QuerySet[QuietPeriod]:
    if not account.is_authenticated or not account.is_active:
        return QuietPeriod.objects.none()
    return QuietPeriod.objects.order_by("-active", "region_code", "pk")
