"""How a period's last day is computed: start day not counted, the unit's own arithmetic."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from zhifa.core.exceptions import CalendarUnknown
from zhifa.core.workdays import WorkdayCalendar
from zhifa.law.periods import Period, Unit, add_months, deadline, deadline_at, is_within

D = date


def test_units_speak_chinese() -> None:
    assert Unit.WORKING_DAYS == "工作日"
    assert Unit.CALENDAR_DAYS == "日"
    assert str(Period(7, Unit.WORKING_DAYS, "《行政处罚法》第六十一条", "送达")) == (
        "送达：7工作日（《行政处罚法》第六十一条）"
    )


def test_a_period_cannot_be_negative() -> None:
    with pytest.raises(ValueError):
        Period(-1, Unit.CALENDAR_DAYS, "", "")


def test_extended_by_adds_periods_of_the_same_unit_only() -> None:
    base = Period(20, Unit.WORKING_DAYS, "第四十二条", "决定")
    longer = base.extended_by(Period(10, Unit.WORKING_DAYS, "第四十二条", "延长"))
    assert longer.length == 30
    assert longer.article == "第四十二条"
    with pytest.raises(ValueError):
        base.extended_by(Period(10, Unit.CALENDAR_DAYS, "第四十二条", "延长"))


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (D(2024, 2, 29), 24, D(2026, 2, 28)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2026, 12, 15), 1, D(2027, 1, 15)),
        (D(2026, 5, 31), 3, D(2026, 8, 31)),
        (D(2026, 5, 31), 4, D(2026, 9, 30)),
    ],
)
def test_add_months_takes_the_corresponding_day_or_the_month_end(
    start: date, months: int, end: date
) -> None:
    assert add_months(start, months) == end


def test_working_day_period_ends_on_the_nth_working_day(cal: WorkdayCalendar) -> None:
    period = Period(5, Unit.WORKING_DAYS, "", "")
    assert deadline(period, D(2026, 9, 30), cal) == D(2026, 10, 13)


def test_calendar_day_period_ending_on_a_holiday_moves_to_the_next_working_day(
    cal: WorkdayCalendar,
) -> None:
    period = Period(15, Unit.CALENDAR_DAYS, "", "")
    assert deadline(period, D(2026, 9, 15), cal) == D(2026, 9, 30)
    assert deadline(period, D(2026, 9, 16), cal) == D(2026, 10, 8)


def test_calendar_day_period_without_roll_over_ends_on_the_holiday(cal: WorkdayCalendar) -> None:
    period = Period(15, Unit.CALENDAR_DAYS, "", "", rolls_to_workday=False)
    assert deadline(period, D(2026, 9, 16), cal) == D(2026, 10, 1)


def test_year_period_from_a_leap_day_ends_on_28_february(cal: WorkdayCalendar) -> None:
    # 2026-02-28 is a Saturday made a working day (春节调休), so no roll-over either way.
    period = Period(2, Unit.YEARS, "", "")
    assert deadline(period, D(2024, 2, 29), cal) == D(2026, 2, 28)
    assert deadline(
        Period(2, Unit.YEARS, "", "", rolls_to_workday=False), D(2024, 2, 29), None
    ) == (D(2026, 2, 28))


def test_year_period_ending_on_national_day_rolls_unless_told_not_to(cal: WorkdayCalendar) -> None:
    assert deadline(Period(2, Unit.YEARS, "", ""), D(2024, 10, 1), cal) == D(2026, 10, 8)
    fixed = Period(2, Unit.YEARS, "", "", rolls_to_workday=False)
    assert deadline(fixed, D(2024, 10, 1), None) == D(2026, 10, 1)


def test_month_period_ending_on_a_weekend_rolls_to_monday(cal: WorkdayCalendar) -> None:
    assert deadline(Period(1, Unit.MONTHS, "", ""), D(2026, 2, 7), cal) == D(2026, 3, 9)


def test_a_rolling_period_needs_a_calendar() -> None:
    with pytest.raises(ValueError):
        deadline(Period(1, Unit.MONTHS, "", ""), D(2026, 2, 7), None)


def test_deadline_refuses_to_guess_2027(cal: WorkdayCalendar) -> None:
    with pytest.raises(CalendarUnknown):
        deadline(Period(5, Unit.WORKING_DAYS, "", ""), D(2026, 12, 28), cal)
    with pytest.raises(CalendarUnknown):
        deadline(Period(1, Unit.MONTHS, "", ""), D(2026, 12, 28), cal)


def test_hour_periods_end_at_a_time_not_a_date(cal: WorkdayCalendar) -> None:
    period = Period(24, Unit.HOURS, "《行政强制法》第十九条", "报告")
    with pytest.raises(ValueError):
        deadline(period, D(2026, 10, 1), cal)
    start = datetime(2026, 10, 1, 23, 30, tzinfo=UTC)
    assert deadline_at(period, start) == datetime(2026, 10, 2, 23, 30, tzinfo=UTC)
    with pytest.raises(ValueError):
        deadline_at(Period(1, Unit.CALENDAR_DAYS, "", ""), start)


def test_is_within_includes_the_last_day_and_not_the_day_after(cal: WorkdayCalendar) -> None:
    period = Period(15, Unit.CALENDAR_DAYS, "", "")
    start = D(2026, 9, 16)  # ends 2026-10-08 after 国庆
    assert is_within(period, start, D(2026, 10, 7), cal)
    assert is_within(period, start, D(2026, 10, 8), cal)
    assert not is_within(period, start, D(2026, 10, 9), cal)
