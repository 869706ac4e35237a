"""The monthly sums follow the facts: written in the step's transaction, equal to the facts
summed per month, rebuilt whole on request; a quarter's figures are its months' sums."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from zhifa.cases.tests.conftest import World
from zhifa.statistics import aggregates, facts
from zhifa.statistics.models import Fact, FactMonth
from zhifa.statistics.periods import period_of
from zhifa.statistics.selectors import figures

pytestmark = pytest.mark.django_db


def _from_facts() -> list[tuple[int, date, str, int, Decimal | None]]:
    rows = (
        Fact.objects.annotate(m=TruncMonth("day"))
        .values("agency_id", "m", "indicator")
        .annotate(n=Count("id"), total=Sum("amount"))
        .order_by()
    )
    return sorted((r["agency_id"], r["m"], r["indicator"], r["n"], r["total"]) for r in rows)


def _months() -> list[tuple[int, date, str, int, Decimal | None]]:
    return sorted(FactMonth.objects.values_list("agency_id", "month", "indicator", "n", "amount"))


def test_the_monthly_sums_follow_every_step_and_a_rebuild_gives_the_same(world: World) -> None:
    case = world.decided(decided_on=date(2026, 4, 30))
    assert _months() == _from_facts() and _months()
    q2 = figures(period=period_of(2026, 2), agency_ids=[case.agency_id])
    assert q2["penalty.total"].count == 1 and q2["penalty.amount"].amount == Decimal(20000)
    assert "penalty.total" not in figures(period=period_of(2026, 3), agency_ids=[case.agency_id])
    before = _months()
    FactMonth.objects.all().delete()
    assert aggregates.months_rebuild() == len(before)
    assert _months() == before


def test_a_case_refreshed_away_leaves_no_monthly_sum(world: World) -> None:
    case = world.decided(decided_on=date(2026, 5, 31))
    assert FactMonth.objects.filter(month=date(2026, 5, 1)).exists()
    Fact.objects.filter(case_id=case.pk).delete()
    aggregates.months_refresh([(case.agency_id, date(2026, 5, 1))])
    assert not FactMonth.objects.filter(month=date(2026, 5, 1)).exists()
    facts.facts_refresh([case.pk])  # the facts back, and their sums
    assert _months() == _from_facts()
