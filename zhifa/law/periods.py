"""Statutory periods (期间) and how their last day is computed.

A :class:`Period` is a length, a unit, the article that sets it and its name. :func:`deadline`
gives the last day of the period counted from a start day:

- the start day is never counted;
- working days (工作日): the n-th working day after the start (statutory holidays excluded,
  调休 make-up days counted);
- calendar days (日): ``start + n``; a last day that is a rest day moves to the next working day;
- months and years: the corresponding day of the target month; when the month has no such day,
  its last day — so 2 years from 2024-02-29 ends on 2026-02-28, one month from 01-31 ends on
  the last day of February (民事诉讼法 on 期间; 民法典第二百零二条). A rest day again moves to the
  next working day unless the period says ``rolls_to_workday=False``;
- hours cannot end on a date: use :func:`deadline_at`.

Pure: no Django, no clock. The calendar is anything with ``add_workdays`` and
``end_of_calendar_period`` (``zhifa.core.workdays.WorkdayCalendar``); it raises CalendarUnknown
rather than guess a year whose holidays are not published.
"""

from __future__ import annotations

import calendar as _gregorian
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol


class Unit(StrEnum):
    WORKING_DAYS = "工作日"
    CALENDAR_DAYS = "日"
    MONTHS = "个月"
    YEARS = "年"
    HOURS = "小时"


class Calendar(Protocol):
    """What the rules need of the statutory calendar (``zhifa.core.workdays.WorkdayCalendar``)."""

    def is_workday(self, d: date) -> bool: ...

    def add_workdays(self, start: date, n: int) -> date: ...

    def end_of_calendar_period(self, start: date, days: int) -> date: ...

    def next_workday(self, d: date) -> date: ...


@dataclass(frozen=True)
class Period:
    """A statutory period: ``length`` ``unit`` set by ``article``, called ``name``.

    ``rolls_to_workday``: whether a last day falling on a rest day moves to the next working day
    (calendar days, months, years only). It is True for procedural periods; False where the
    period is not a time for someone to act (e.g. the limitation of 《行政处罚法》第三十六条).
    """

    length: int
    unit: Unit
    article: str
    name: str
    rolls_to_workday: bool = True

    def __post_init__(self) -> None:
        if self.length < 0:
            raise ValueError("a period cannot be negative")

    def __str__(self) -> str:
        return f"{self.name}：{self.length}{self.unit.value}（{self.article}）"

    def extended_by(self, other: Period) -> Period:
        """This period lengthened by ``other`` of the same unit (e.g. 20 + 10 working days)."""
        if other.unit != self.unit:
            raise ValueError("periods of different units cannot be added")
        return Period(
            self.length + other.length,
            self.unit,
            f"{self.article}；{other.article}" if other.article != self.article else self.article,
            f"{self.name}（含延长）",
            self.rolls_to_workday,
        )


def add_months(start: date, months: int) -> date:
    """The corresponding day ``months`` later; the month's last day when there is none."""
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    day = min(start.day, _gregorian.monthrange(year, month)[1])
    return date(year, month, day)


def deadline(period: Period, start: date, calendar: Calendar | None) -> date:
    """Last day of ``period`` counted from ``start`` (start day not counted).

    ``calendar`` may be None only for a month/year period that does not roll to a working day.
    Raises CalendarUnknown (from the calendar) when the answer depends on an unknown year and
    ValueError for an hour period.
    """
    if period.unit is Unit.HOURS:
        raise ValueError("an hour period ends at a time: use deadline_at()")
    if period.unit in (Unit.MONTHS, Unit.YEARS):
        months = period.length * (12 if period.unit is Unit.YEARS else 1)
        end = add_months(start, months)
        if not period.rolls_to_workday:
            return end
        return _need(calendar).next_workday(end)
    cal = _need(calendar)
    if period.unit is Unit.WORKING_DAYS:
        return cal.add_workdays(start, period.length)
    if period.rolls_to_workday:
        return cal.end_of_calendar_period(start, period.length)
    return start + timedelta(days=period.length)


def deadline_at(period: Period, start: datetime) -> datetime:
    """End of an hour period: ``start`` plus the hours (e.g. 《行政强制法》第十九条 24 hours)."""
    if period.unit is not Unit.HOURS:
        raise ValueError("only hour periods end at a time")
    return start + timedelta(hours=period.length)


def is_within(period: Period, start: date, day: date, calendar: Calendar | None) -> bool:
    """True when ``day`` is on or before the last day of ``period`` counted from ``start``."""
    return day <= deadline(period, start, calendar)


def _need(calendar: Calendar | None) -> Calendar:
    if calendar is None:
        raise ValueError("this period needs the statutory calendar")
    return calendar
