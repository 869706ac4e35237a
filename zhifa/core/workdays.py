"""The statutory working-day calendar (法定工作日历).

A working day (工作日) is a Monday–Friday that is not a statutory holiday, or a weekend day that
the State Council has made a working day (调休上班). The base data is the ``chinesecalendar``
package, which carries every year whose 国务院办公厅 notice was published when it was released.
On top of it come *overrides* (one day forced to working day or rest day) and *declared years*
(a year beyond the package's range whose notice an administrator has entered completely, as
overrides; its other days follow the weekday rule).

Contract: the calendar never guesses. Any question whose answer depends on a day of a year that
is neither in the package nor declared raises :class:`CalendarUnknown` — also when the year is
only crossed in the middle of an arithmetic.

Counting follows the statutes (see ``docs`` and ``/shared/domain/statutes.md`` "Counting"): the
start day is not counted; a calendar-day period whose last day is a rest day ends on the next
working day.

This module is pure: no Django, no clock. ``zhifa.core.calendar.current_calendar()`` builds the
instance from the database rows.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
from chinese_calendar.constants import Holiday
from chinese_calendar.constants import holidays as _library_holidays

from zhifa.core.exceptions import CalendarUnknown

# The package refuses (it raises) outside the years it has data for; its own check
# uses the span of its holiday table, so we read the same span.
LIBRARY_FIRST_YEAR: int = min(_library_holidays).year
LIBRARY_LAST_YEAR: int = max(_library_holidays).year
LIBRARY_VERSION: str = str(getattr(chinese_calendar, "__version__", "unknown"))

_HOLIDAY_NAMES_ZH: dict[str, str] = {h.value: h.chinese for h in Holiday}
_WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


@dataclass(frozen=True)
class Override:
    """One day whose status differs from the package (or fills in a declared year)."""

    day: date
    is_workday: bool
    note: str = ""


@dataclass(frozen=True)
class DayInfo:
    """What the calendar says about one day, with a Chinese explanation for people."""

    day: date
    is_workday: bool
    reason: str


@dataclass(frozen=True)
class _Year:
    workdays: tuple[int, ...]  # sorted ordinals of the year's working days
    workday_set: frozenset[int]


def _unknown_year(year: int) -> CalendarUnknown:
    if year < LIBRARY_FIRST_YEAR:
        return CalendarUnknown(
            f"{year}年的法定节假日安排未收录，无法计算工作日；"
            "请系统管理员在“法定节假日调整”中录入后重试"
        )
    return CalendarUnknown(
        f"{year}年的法定节假日安排尚未公布（国务院办公厅通知），无法计算工作日；"
        "请系统管理员在“法定节假日调整”中录入后重试"
    )


class WorkdayCalendar:
    """Working days of the known years: package data + overrides + declared years.

    Immutable after construction; per-year tables are computed on first use and kept.
    """

    def __init__(
        self, overrides: Iterable[Override] = (), declared_years: Iterable[int] = ()
    ) -> None:
        self._overrides: dict[date, Override] = {o.day: o for o in overrides}
        self._declared: frozenset[int] = frozenset(declared_years)
        self._years: dict[int, _Year] = {}
        self._version = self._compute_version()

    # -- identity ---------------------------------------------------------------------------

    @property
    def known_years(self) -> frozenset[int]:
        """Years the calendar can answer for: the package's span plus declared years."""
        return frozenset(range(LIBRARY_FIRST_YEAR, LIBRARY_LAST_YEAR + 1)) | self._declared

    @property
    def version(self) -> str:
        """Short identifier of the data that computed an answer, stored beside each deadline.

        ``cc<package version>-<hash>``; the hash covers declared years and the date and status of
        every override (notes do not change any computation, so they are left out).
        """
        return self._version

    def _compute_version(self) -> str:
        h = hashlib.sha256()
        for year in sorted(self._declared):
            h.update(f"Y{year};".encode())
        for day in sorted(self._overrides):
            h.update(f"{day.isoformat()}={int(self._overrides[day].is_workday)};".encode())
        return f"cc{LIBRARY_VERSION}-{h.hexdigest()[:10]}"

    def is_known_year(self, year: int) -> bool:
        return LIBRARY_FIRST_YEAR <= year <= LIBRARY_LAST_YEAR or year in self._declared

    # -- per-year tables --------------------------------------------------------------------

    def _year(self, year: int) -> _Year:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        if not self.is_known_year(year):
            raise _unknown_year(year)
        in_library = LIBRARY_FIRST_YEAR <= year <= LIBRARY_LAST_YEAR
        ordinals: list[int] = []
        day = date(year, 1, 1)
        one = timedelta(days=1)
        while day.year == year:
            override = self._overrides.get(day)
            if override is not None:
                working = override.is_workday
            elif in_library:
                working = bool(chinese_calendar.is_workday(day))
            else:
                working = day.weekday() < 5
            if working:
                ordinals.append(day.toordinal())
            day += one
        table = _Year(tuple(ordinals), frozenset(ordinals))
        self._years[year] = table
        return table

    # -- questions --------------------------------------------------------------------------

    def is_workday(self, d: date) -> bool:
        """True when ``d`` is a working day. Raises CalendarUnknown for an unknown year."""
        return d.toordinal() in self._year(d.year).workday_set

    def day_info(self, d: date) -> DayInfo:
        """Whether ``d`` is a working day and why (holiday name, 调休, override note, weekday)."""
        working = self.is_workday(d)
        weekday = _WEEKDAYS_ZH[d.weekday()]
        override = self._overrides.get(d)
        if override is not None:
            kind = "调整为工作日" if working else "调整为休息日"
            note = f"：{override.note}" if override.note else ""
            return DayInfo(d, working, f"{weekday}，{kind}{note}")
        name: str | None = None
        if LIBRARY_FIRST_YEAR <= d.year <= LIBRARY_LAST_YEAR:
            _, english = chinese_calendar.get_holiday_detail(d)
            name = _HOLIDAY_NAMES_ZH.get(english, english) if english else None
        if working and d.weekday() >= 5:
            return DayInfo(d, True, f"{weekday}，调休上班（{name}）" if name else weekday)
        if not working and name:
            return DayInfo(d, False, f"{weekday}，法定节假日（{name}）")
        if not working:
            return DayInfo(d, False, f"{weekday}，周末休息")
        return DayInfo(d, True, weekday)

    def add_workdays(self, start: date, n: int) -> date:
        """The ``n``-th working day after ``start`` (start day not counted).

        ``n == 0`` returns ``start`` unchanged. Raises ValueError for ``n < 0`` and
        CalendarUnknown if the count reaches or crosses an unknown year (including the year of
        ``start`` when ``n > 0``).
        """
        if n < 0:
            raise ValueError("n must be >= 0")
        if n == 0:
            return start
        year = start.year
        table = self._year(year)
        index = bisect_right(table.workdays, start.toordinal())
        while True:
            available = len(table.workdays) - index
            if n <= available:
                return date.fromordinal(table.workdays[index + n - 1])
            n -= available
            year += 1
            table = self._year(year)
            index = 0

    def workdays_between(self, a: date, b: date) -> int:
        """Number of working days ``d`` with ``a < d <= b``; antisymmetric when ``b < a``.

        So ``add_workdays(a, workdays_between(a, b)) <= b`` for ``b >= a``, and the result is
        negative (minus the working days in ``(b, a]``) when ``b`` is before ``a`` — e.g. the
        number of working days a deadline is overdue. Every year touched by the interval must be
        known.
        """
        if b < a:
            return -self.workdays_between(b, a)
        if a == b:
            return 0
        first = a + timedelta(days=1)
        total = 0
        for year in range(first.year, b.year + 1):
            table = self._year(year)
            lo = bisect_right(table.workdays, a.toordinal())
            hi = bisect_right(table.workdays, b.toordinal())
            total += hi - lo
        return total

    def next_workday(self, d: date) -> date:
        """``d`` itself if it is a working day, else the first working day after it."""
        if self.is_workday(d):
            return d
        return self.add_workdays(d, 1)

    def end_of_calendar_period(self, start: date, days: int) -> date:
        """Last day of a period of ``days`` calendar days counted from ``start``.

        The start day is not counted, so the period nominally ends on ``start + days``; if that
        day is a rest day (statutory holiday or weekend not made a working day) the period ends
        on the next working day (市场监督管理行政处罚程序规定, mirroring 民事诉讼法 on 期间).
        Only the end of the period needs a known year. Raises ValueError for ``days < 0``.
        """
        if days < 0:
            raise ValueError("days must be >= 0")
        return self.next_workday(start + timedelta(days=days))
