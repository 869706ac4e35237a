"""The review's own time limit (审核期限), counted in working days on the statutory calendar.

A setting per sector (``settings.ZHIFA_REVIEW_TIME_LIMITS``; national default 5 working days,
extendable once by 5 with a reason — 国办发〔2018〕118号 leaves the number to the provinces;
market regulation uses 10). Waiting for supplementary material stops the clock: the working days
between the pause and the resumption do not count. Pure: the calendar is passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from zhifa.law.periods import Calendar

RULE = "国办发〔2018〕118号（法制审核期限）"


@dataclass(frozen=True)
class TimeLimit:
    """Working days to review, and by how many one extension may lengthen it."""

    workdays: int
    extension: int


class CountingCalendar(Calendar, Protocol):
    def workdays_between(self, a: date, b: date) -> int: ...


def review_due(submitted_on: date, workdays: int, calendar: Calendar) -> date:
    """The last day of the review: ``workdays`` working days after the submission day (the
    submission day itself is not counted). Raises CalendarUnknown for an unpublished year."""
    return calendar.add_workdays(submitted_on, workdays)


def due_after_pause(
    due_on: date, paused_on: date, resumed_on: date, calendar: CountingCalendar
) -> date:
    """The new last day after the clock stopped on ``paused_on`` and restarted on
    ``resumed_on``: the working days left at the pause are counted again from the resumption."""
    left = max(calendar.workdays_between(paused_on, due_on), 0)
    return calendar.add_workdays(resumed_on, left)


def extended_due(due_on: date, extension: int, calendar: Calendar) -> date:
    """The last day after the one extension (``extension`` more working days)."""
    return calendar.add_workdays(due_on, extension)
