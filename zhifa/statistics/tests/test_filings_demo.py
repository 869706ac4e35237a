"""``zhifa demo`` loads the 2026 statistics filings: some filed and accepted, one returned then
accepted, one waiting, one agency late, an annual report draft, one agency filing by upload —
through the services (so replayed by ``zhifa verify``), idempotent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction
from django.test import override_settings

from zhifa.demo.testing import DemoSnapshot, demo_loaded
from zhifa.record.models import Entry
from zhifa.registry.demo import REFERENCE_DAY
from zhifa.statistics import demo_filings
from zhifa.statistics.models import Filing
from zhifa.statistics.periods import period_of
from zhifa.statistics.recording import statistics_replay_check
from zhifa.statistics.selectors_filings import coverage

LOADED_AT = datetime(
    REFERENCE_DAY.year, REFERENCE_DAY.month, REFERENCE_DAY.day, 20, tzinfo=ZoneInfo("Asia/Shanghai")
)


@pytest.fixture(scope="module")
def loaded(
    django_db_setup: None, django_db_blocker: Any, demo_snapshot: DemoSnapshot
) -> Iterator[str]:
    with (
        demo_loaded(demo_snapshot, django_db_blocker) as output,
        django_db_blocker.unblock(),
        transaction.atomic(),
        time_machine.travel(LOADED_AT, tick=True),
        override_settings(ZHIFA_LATE_ENTRY_DAYS=3),
    ):
        yield output
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def test_the_demo_has_filings_in_every_state(loaded: str) -> None:
    assert "已加载统计报送" in loaded
    market = Filing.objects.filter(agency__name=demo_filings.MARKET)
    assert {(f.quarter, f.state) for f in market} == {
        (1, "accepted"),
        (2, "accepted"),
        (3, "submitted"),
        (0, "draft"),
    }
    assert "罚没金额下降" in market.get(quarter=2).narrative  # revised after the return
    assert Entry.objects.filter(action="statistics.filing.return").count() == 1
    county = Filing.objects.filter(agency__name=demo_filings.COUNTY)
    assert {f.origin for f in county} == {"filed"} and county.count() == 3
    rows = {r.agency.name: r for r in coverage("1399", period_of(2026, 3), REFERENCE_DAY)}
    assert rows[demo_filings.ENVIRONMENT].late and not rows[demo_filings.MARKET].late
    assert not list(statistics_replay_check(iter(())))


def test_the_demo_loads_once(loaded: str) -> None:
    assert demo_filings.load(REFERENCE_DAY) == []
