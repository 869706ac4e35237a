"""The demo publishes the city's accepted annual reports (one late, the last left accepted) and
changes nothing when run again."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.cases.tests.conftest import World
from zhifa.registry import demo as registry_demo
from zhifa.statistics.demo_publication import load
from zhifa.statistics.models import Filing

from .publication_world import A_FIGURES, B_FIGURES, filing

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_the_accepted_reports_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(registry_demo, "CITY_CODE", "130300")
    assert "没有可公开的年度统计" in load(date(2026, 11, 1))[0]
    a = filing(world.p, world.p.agency_a, A_FIGURES, year=2025)
    b = filing(world.p, world.p.agency_b, B_FIGURES, year=2025)
    assert load(date(2026, 11, 1)) == ["已公开年度行政执法统计数据：1个机关（其中逾期公开0个）。"]
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.state == Filing.State.PUBLISHED and a.published_on == date(2026, 1, 20)
    assert b.state == Filing.State.ACCEPTED  # left for the visitor to publish
    assert load(date(2026, 11, 1)) == ["示范年度数据公开已加载，未做改动。"]
    b.refresh_from_db()
    assert b.state == Filing.State.ACCEPTED
