"""The calendar in force: package data plus the administrator's rows.

``current_calendar()`` is cached per process. The cache is dropped by the post_save/post_delete
signals of both models (connected in ``CoreConfig.ready``) and, because another process may have
written the rows (or a test transaction rolled them back, which sends no signal), every call
compares a cheap fingerprint of the two tables (two aggregate queries) with the one the cached
calendar was built from. Writes that bypass both (raw SQL changing a date) are not seen until
the next save or restart.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import Count, Max, Q

from zhifa.core.exceptions import CalendarUnknown
from zhifa.core.models import CalendarOverride, CalendarYear
from zhifa.core.workdays import LIBRARY_LAST_YEAR, Override, WorkdayCalendar

T = TypeVar("T")

_lock = threading.Lock()
_cached: tuple[tuple[Any, ...], WorkdayCalendar] | None = None


def _fingerprint() -> tuple[Any, ...]:
    # Count, max id and max updated_at catch inserts, deletes and save()s; the count of working
    # days / declared years also catches a bulk update() of the one flag that matters most.
    o = CalendarOverride.objects.aggregate(
        n=Count("id"), i=Max("id"), u=Max("updated_at"), w=Count("id", filter=Q(is_workday=True))
    )
    y = CalendarYear.objects.aggregate(
        n=Count("id"),
        i=Max("id"),
        u=Max("updated_at"),
        d=Count("id", filter=Q(declared_complete=True)),
    )
    return (o["n"], o["i"], o["u"], o["w"], y["n"], y["i"], y["u"], y["d"])


def current_calendar() -> WorkdayCalendar:
    """The WorkdayCalendar built from the package and the current database rows."""
    global _cached
    key = _fingerprint()
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    with _lock:
        overrides = [
            Override(row.date, row.is_workday, row.note) for row in CalendarOverride.objects.all()
        ]
        declared = CalendarYear.objects.filter(declared_complete=True).values_list(
            "year", flat=True
        )
        calendar = WorkdayCalendar(overrides, declared)
        _cached = (key, calendar)
    return calendar


def current_calendar_clear(**_: object) -> None:
    """Drop the cached calendar (signal receiver; also usable directly)."""
    global _cached
    _cached = None


def counted(count: Callable[[WorkdayCalendar], T], *, from_year: int) -> tuple[T, bool]:
    """``count`` on the calendar in force, and whether the answer is provisional.

    Where the count reaches a year whose holidays are not published yet (``CalendarUnknown``),
    it is made again by the weekday rule (weekends only, years after the package's last) and
    marked provisional — never silently final; ``zhifa recount-deadlines`` counts it again once
    the year is entered. ``from_year``: the year the count starts in.
    """
    try:
        return count(current_calendar()), False
    except CalendarUnknown:
        fallback = WorkdayCalendar(declared_years=range(LIBRARY_LAST_YEAR + 1, from_year + 12))
        return count(fallback), True
