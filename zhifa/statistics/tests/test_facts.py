"""The derived facts follow the cases: written in the transaction of every step, rebuilt whole
on request, read back as figures with their cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhifa.cases.tests.conftest import World
from zhifa.statistics import facts
from zhifa.statistics.models import Fact
from zhifa.statistics.periods import period_of
from zhifa.statistics.selectors import counted_case_ids, figures, figures_by_agency

pytestmark = pytest.mark.django_db


def test_a_decision_is_counted_as_soon_as_it_is_made(world: World) -> None:
    case = world.decided(decided_on=date(2026, 4, 28))
    got = figures(period=period_of(2026), agency_ids=[case.agency_id])
    assert got["penalty.total"].count == 1
    assert got["penalty.kind.fine"].count == 1  # 警告 and 罚款: the heavier
    assert got["penalty.amount"].amount == Decimal(20000)
    assert got["penalty.registered"].count == 1
    assert counted_case_ids(
        "penalty.total", period=period_of(2026, 2), agency_ids=[case.agency_id]
    ) == [case.pk]
    assert (
        counted_case_ids("penalty.total", period=period_of(2026, 1), agency_ids=[case.agency_id])
        == []
    )


def test_the_region_sees_each_agency_contribution_and_a_rebuild_gives_the_same_facts(
    world: World,
) -> None:
    case = world.decided()
    by_agency = figures_by_agency(period=period_of(2026), division_prefix="1303")
    assert by_agency[case.agency_id]["penalty.total"].count == 1
    before = sorted(Fact.objects.values_list("case_id", "indicator", "day", "amount"))
    Fact.objects.all().delete()
    facts.facts_rebuild()
    assert sorted(Fact.objects.values_list("case_id", "indicator", "day", "amount")) == before
