"""The table of time limits: defaults registered by an app, replaced by a deployment's row with
its own source, counted on the statutory calendar."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import override_settings

from zhifa.core.time_limits import (
    TimeLimit,
    TimeLimitError,
    due_on,
    register_time_limits,
    time_limit,
    time_limits,
)

ACCEPT = TimeLimit("test.accept", "受理投诉", 5, "workdays", "示范规则第五条", extension=0)
HANDLE = TimeLimit("test.handle", "办结投诉", 30, "days", "示范规则第六条", extension=30)
register_time_limits([ACCEPT, HANDLE])

pytestmark = pytest.mark.django_db


def test_the_default_row_is_in_force_and_says_its_source() -> None:
    assert time_limit("test.accept") == ACCEPT
    assert time_limit("test.handle").text == "30日，可延长30日（依据：示范规则第六条）"
    assert ACCEPT in time_limits()


def test_working_days_skip_the_weekend() -> None:
    # Friday 2026-03-06: five working days later is Friday 2026-03-13.
    assert due_on("test.accept", date(2026, 3, 6)) == (date(2026, 3, 13), False)


def test_working_days_skip_the_national_day_holiday() -> None:
    # 2026-09-30 (Wednesday); 1–7 October are public holidays, 10 October a working Saturday.
    day, provisional = due_on("test.accept", date(2026, 9, 30))
    assert not provisional
    assert day == date(2026, 10, 13)


def test_calendar_days_ending_on_a_rest_day_end_on_the_next_working_day() -> None:
    # 2026-02-05 + 30 days = Saturday 2026-03-07 → Monday 2026-03-09.
    assert due_on("test.handle", date(2026, 2, 5)) == (date(2026, 3, 9), False)
    # With the extension: + 60 days = Monday 2026-04-06 (清明 is 4–6 April 2026) → 2026-04-07.
    assert due_on("test.handle", date(2026, 2, 5), extended=True)[0] == date(2026, 4, 7)


@override_settings(
    ZHIFA_TIME_LIMITS={"test.accept": {"count": 7, "source": "某省行政执法监督办法第十二条"}}
)
def test_a_province_replaces_the_number_with_its_own_source() -> None:
    row = time_limit("test.accept")
    assert (row.count, row.unit, row.source) == (7, "workdays", "某省行政执法监督办法第十二条")
    assert row.text == "7个工作日（依据：某省行政执法监督办法第十二条）"
    assert due_on("test.accept", date(2026, 3, 6))[0] == date(2026, 3, 17)


@override_settings(ZHIFA_TIME_LIMITS={"test.accept": {"count": 7}})
def test_a_changed_number_without_its_source_is_refused() -> None:
    with pytest.raises(TimeLimitError, match="needs its source"):
        time_limit("test.accept")


@override_settings(ZHIFA_TIME_LIMITS={"test.accept": {"days": 7, "source": "x"}})
def test_an_unknown_field_is_refused_by_name() -> None:
    with pytest.raises(TimeLimitError, match="unknown fields \\['days'\\]"):
        time_limit("test.accept")


def test_an_unregistered_key_is_an_error() -> None:
    with pytest.raises(KeyError, match=r"test\.nothing"):
        time_limit("test.nothing")
