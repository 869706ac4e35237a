"""The early warning 重大行政处罚决定逾期未备案 fires exactly on its threshold (days past the filing
deadline), is registered with the alerts app, and carries the filing period's source."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import override_settings

from zhifa.alerts.rules import RuleSetting, rule_named, rule_setting
from zhifa.core.time_limits import time_limit
from zhifa.filings.alert_rule import CODE, evaluate
from zhifa.filings.selectors import Overdue

DUE = date(2026, 5, 13)


def _unfiled(today: date) -> Overdue:
    return Overdue(7, "示范罚〔2026〕7号", 3, "139900", DUE, (DUE - today).days)


def _setting(threshold: int) -> RuleSetting:
    return RuleSetting(enabled=True, threshold=Decimal(threshold), period=0, source="测试")


@pytest.mark.parametrize(
    ("days_late", "fires"), [(0, False), (2, False), (3, True), (4, True)], ids=str
)
def test_fires_from_the_threshold_of_days_past_the_deadline(days_late: int, fires: bool) -> None:
    today = DUE + timedelta(days=days_late)
    found = evaluate([_unfiled(today)], setting=_setting(3))
    assert bool(found) is fires
    if fires:
        assert found[0].measure == days_late
        assert found[0].title == f"示范罚〔2026〕7号：重大行政处罚决定逾期{days_late}日未备案"
        assert found[0].facts[0].note == "备案期限2026-05-13"


def test_the_deadline_day_itself_is_not_late() -> None:
    assert evaluate([_unfiled(DUE)], setting=_setting(1)) == []
    assert len(evaluate([_unfiled(DUE + timedelta(days=1))], setting=_setting(1))) == 1


def test_registered_with_the_alerts_app_citing_the_filing_period() -> None:
    rule = rule_named(CODE)
    assert rule is not None
    assert rule.label == "重大行政处罚决定逾期未备案"
    assert rule.default.source == time_limit("filings.file").source


@override_settings(ZHIFA_ALERT_RULES={CODE: {"threshold": 5, "source": "某省规定第九条"}})
def test_a_province_sets_its_own_threshold_with_its_source() -> None:
    rule = rule_named(CODE)
    assert rule is not None
    setting = rule_setting(rule)
    assert (setting.threshold, setting.source) == (5, "某省规定第九条")
    assert evaluate([_unfiled(DUE + timedelta(days=4))], setting=setting) == []
    assert len(evaluate([_unfiled(DUE + timedelta(days=5))], setting=setting)) == 1
