"""Deadline reminders (pure): when an item with a deadline is reminded, and at which stage.

Three stages, each sent once (the notification's key is the item, the due day and the stage):
``soon`` within 3 working days before the due day (the stage starts 3 working days before, so a
job that missed a day still sends it), ``due`` on the day, ``overdue`` from the day after. The
3 working days are counted on the statutory calendar (``WorkdayCalendar.workdays_between``).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Protocol

REMIND_WORKDAYS_BEFORE = 3


class Stage(StrEnum):
    SOON = "soon"
    DUE = "due"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return {"soon": "即将到期", "due": "今日到期", "overdue": "已逾期"}[self.value]


class WorkdayCounter(Protocol):
    def workdays_between(self, start: date, end: date) -> int: ...


def reminder_stage(
    due_on: date, today: date, calendar: WorkdayCounter, before: int = REMIND_WORKDAYS_BEFORE
) -> Stage | None:
    """The stage of a deadline on ``today``, or None (not yet within ``before`` working days)."""
    if today > due_on:
        return Stage.OVERDUE
    if today == due_on:
        return Stage.DUE
    if calendar.workdays_between(today, due_on) <= before:
        return Stage.SOON
    return None


def reminder_key(item_key: str, due_on: date, stage: Stage) -> str:
    return f"reminder:{item_key}:{due_on.isoformat()}:{stage.value}"
