"""The early warning 同一执法人员被投诉较多 fires exactly on its threshold of complaints within
its period, per officer, and is registered with the alerts app with its complaint facts."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from zhifa.alerts.rules import RuleSetting, rule_named
from zhifa.alerts.selectors import fact_url
from zhifa.complaints.alert_rule import CODE, Named, evaluate

TODAY = date(2026, 11, 1)
SETTING = RuleSetting(enabled=True, threshold=Decimal(3), period=365, source="测试")


def _named(n: int, officer: int = 5, *, days_ago: int = 10) -> list[Named]:
    return [
        Named(
            100 * officer + i,
            f"TS{officer}{i}",
            TODAY - timedelta(days=days_ago + i),
            officer,
            "李执法",
            3,
            "139900",
        )
        for i in range(n)
    ]


@pytest.mark.parametrize(("count", "fires"), [(2, False), (3, True), (4, True)], ids=str)
def test_fires_from_the_threshold_of_complaints(count: int, fires: bool) -> None:
    found = evaluate(_named(count), today=TODAY, setting=SETTING)
    assert bool(found) is fires
    if fires:
        assert found[0].subject == "officer:5"
        assert found[0].measure == count
        assert [f.kind for f in found[0].facts] == ["officer"] + ["complaint"] * count


def test_only_complaints_within_the_period_count() -> None:
    # Received 364, 365 and 366 days ago: the period is the last 365 days, today included.
    rows = [
        Named(1, "A", TODAY - timedelta(days=364), 5, "李执法", 3, "139900"),
        Named(2, "B", TODAY - timedelta(days=1), 5, "李执法", 3, "139900"),
        Named(3, "C", TODAY - timedelta(days=365), 5, "李执法", 3, "139900"),
    ]
    assert evaluate(rows, today=TODAY, setting=SETTING) == []
    rows[2] = Named(3, "C", TODAY - timedelta(days=364), 5, "李执法", 3, "139900")
    assert len(evaluate(rows, today=TODAY, setting=SETTING)) == 1


def test_complaints_are_counted_per_officer() -> None:
    rows = _named(2, officer=5) + _named(2, officer=6)
    assert evaluate(rows, today=TODAY, setting=SETTING) == []


@pytest.mark.django_db
def test_registered_with_the_alerts_app_and_its_facts_link_to_the_complaint() -> None:
    rule = rule_named(CODE)
    assert rule is not None and rule.label == "同一执法人员被投诉较多"
    assert fact_url({"kind": "complaint", "id": 9}) == "/complaints/9/"
