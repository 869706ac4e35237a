"""《行政强制法》 periods and the night/holiday ban, each at its boundary, on the 2026 calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from zhifa.core.exceptions import CalendarUnknown
from zhifa.core.workdays import WorkdayCalendar
from zhifa.law import coercion
from zhifa.law.coercion import (
    FREEZE_DECISION_SERVICE,
    SEIZURE,
    court_application_deadline,
    court_application_notice_elapsed,
    freeze_deadline,
    is_night_or_holiday_enforcement_forbidden,
    seizure_deadline,
    substitute_performance_notice_in_time,
    surcharge_within_cap,
)
from zhifa.law.periods import Period, Unit, deadline, is_within

D = date
BEIJING = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=BEIJING)


def test_article_69_periods_of_ten_days_or_fewer_are_working_days() -> None:
    for period in (v for v in vars(coercion).values() if isinstance(v, Period)):
        if period.unit in (Unit.WORKING_DAYS, Unit.CALENDAR_DAYS):
            expected = Unit.WORKING_DAYS if period.length <= 10 else Unit.CALENDAR_DAYS
            assert period.unit is expected, period
        assert period.article.startswith("《行政强制法》第")


def test_seizure_of_30_days_is_not_lengthened_by_national_day(cal: WorkdayCalendar) -> None:
    # A maximum restraint of property: the last day stays 1 October although it is a holiday.
    seized = D(2026, 9, 1)
    assert seizure_deadline(seized, cal) == D(2026, 10, 1)
    assert is_within(SEIZURE, seized, D(2026, 10, 1), cal)
    assert not is_within(SEIZURE, seized, D(2026, 10, 2), cal)


def test_seizure_extended_once_is_60_days(cal: WorkdayCalendar) -> None:
    # 2026-10-31 is a Saturday: the 60th day stays the last day.
    assert seizure_deadline(D(2026, 9, 1), cal, extended=True) == D(2026, 10, 31)


def test_seizure_excludes_testing_time(cal: WorkdayCalendar) -> None:
    # 30 + 5 days of testing from 2 March = 6 April.
    assert seizure_deadline(D(2026, 3, 2), cal) == D(2026, 4, 1)
    assert seizure_deadline(D(2026, 3, 2), cal, testing_days=5) == D(2026, 4, 6)


def test_freeze_decision_delivered_within_3_working_days_skips_qingming(
    cal: WorkdayCalendar,
) -> None:
    frozen = D(2026, 4, 2)
    assert deadline(FREEZE_DECISION_SERVICE, frozen, cal) == D(2026, 4, 8)
    assert is_within(FREEZE_DECISION_SERVICE, frozen, D(2026, 4, 7), cal)
    assert is_within(FREEZE_DECISION_SERVICE, frozen, D(2026, 4, 8), cal)
    assert not is_within(FREEZE_DECISION_SERVICE, frozen, D(2026, 4, 9), cal)


def test_freeze_of_30_days_ending_on_a_sunday_ends_monday(cal: WorkdayCalendar) -> None:
    assert freeze_deadline(D(2026, 5, 1), cal) == D(2026, 5, 31)  # a Sunday, not moved
    assert freeze_deadline(D(2026, 5, 1), cal, extended=True) == D(2026, 6, 30)


def test_surcharge_may_equal_but_not_exceed_the_principal() -> None:
    assert surcharge_within_cap(Decimal(1000), Decimal("999.99"))
    assert surcharge_within_cap(Decimal(1000), Decimal(1000))
    assert not surcharge_within_cap(Decimal(1000), Decimal("1000.01"))


def test_substitute_performance_needs_3_whole_working_days_after_the_notice(
    cal: WorkdayCalendar,
) -> None:
    # Notified Fri 2026-05-08: Sat 9 (working), 11, 12.
    notified = D(2026, 5, 8)
    assert not substitute_performance_notice_in_time(notified, D(2026, 5, 11), cal)
    assert not substitute_performance_notice_in_time(notified, D(2026, 5, 12), cal)
    assert substitute_performance_notice_in_time(notified, D(2026, 5, 13), cal)


def test_court_application_within_3_months(cal: WorkdayCalendar) -> None:
    assert court_application_deadline(D(2026, 4, 30), cal) == D(2026, 7, 30)
    assert court_application_deadline(D(2026, 7, 1), cal) == D(2026, 10, 8)  # 国庆
    assert court_application_deadline(D(2025, 11, 30), cal) == D(2026, 2, 28)  # working Sat


def test_court_application_only_after_10_working_days_from_the_notice(
    cal: WorkdayCalendar,
) -> None:
    served = D(2026, 9, 24)  # 10th working day after it: 15 October
    assert not court_application_notice_elapsed(served, D(2026, 10, 14), cal)
    assert not court_application_notice_elapsed(served, D(2026, 10, 15), cal)
    assert court_application_notice_elapsed(served, D(2026, 10, 16), cal)


@pytest.mark.parametrize(
    ("moment", "forbidden"),
    [
        (at(2026, 10, 12, 21, 59), False),
        (at(2026, 10, 12, 22, 0), True),
        (at(2026, 10, 13, 5, 59), True),
        (at(2026, 10, 13, 6, 0), False),
        (at(2026, 10, 5, 10, 0), True),  # 国庆
        (at(2026, 10, 10, 10, 0), False),  # Saturday made a working day
        (at(2026, 10, 17, 10, 0), True),  # ordinary Saturday
        (datetime(2026, 10, 12, 14, 0, tzinfo=UTC), True),  # 22:00 in Beijing
        (datetime(2026, 10, 12, 1, 0, tzinfo=UTC), False),  # 09:00 in Beijing
    ],
)
def test_enforcement_is_forbidden_at_night_and_on_rest_days(
    cal: WorkdayCalendar, moment: datetime, forbidden: bool
) -> None:
    assert is_night_or_holiday_enforcement_forbidden(moment, cal) is forbidden


def test_enforcement_check_refuses_naive_times_and_unknown_years(cal: WorkdayCalendar) -> None:
    with pytest.raises(ValueError):
        is_night_or_holiday_enforcement_forbidden(datetime(2026, 10, 12, 10, 0), cal)  # noqa: DTZ001
    with pytest.raises(CalendarUnknown):
        is_night_or_holiday_enforcement_forbidden(at(2027, 1, 4, 10), cal)
