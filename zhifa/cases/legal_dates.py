"""When a case step may be dated: the rules on the day (``on``) or moment (``at``) of a step.

A step's date is a legal fact — it starts periods (第六十条's 90 days, 第六十一条's 7 working
days …) and gives case and document numbers their year (示范市监立〔2026〕12号). The record
(《行政处罚法》第四十七条, 国办发〔2018〕118号) must say truly when each step happened, so:

- a step is never dated after today (or, for a moment, after now): it is recorded after it
  happened, never announced in advance;
- a step is never dated before the case's previous step: the record follows the case in order;
- a step is never dated before the floor: the earliest day this deployment takes steps for
  (``ZHIFA_EARLIEST_LEGAL_DATE``, by default the day the 2021 《行政处罚法》 came into force) and
  the day the agency's enforcement qualification was announced (第十七条). The act itself (the
  违法行为's day) is bounded by the 追责时效 of 第三十六条 in ``guards.within_limitation``;
- a step entered more than the window after its date (补录 of a paper record) carries the
  reason it is late, kept in its record entry and shown on the timeline.

Pure: each check is given today, now, the previous step and the floors, and raises
:class:`RuleViolation` naming the field and the rule. No clock, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from zhifa.core.exceptions import RuleViolation
from zhifa.law import coercion, penalty

RECORD_RULE = f"{penalty.article('四十七')}；国办发〔2018〕118号"
LOCAL_TIME = coercion.LOCAL_TIME
# A moment a few minutes ahead of the server's clock is a device's clock running fast, not a
# step recorded in advance.
CLOCK_SKEW = timedelta(minutes=5)


def _d(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _t(moment: datetime) -> str:
    return f"{moment.astimezone(LOCAL_TIME):%Y-%m-%d %H:%M}"


def local_day(when: date | datetime) -> date:
    """The day of a step: its date, or the Beijing-time day of its moment."""
    if isinstance(when, datetime):
        return when.astimezone(LOCAL_TIME).date()
    return when


@dataclass(frozen=True)
class Floor:
    """A day before which no step can be dated, with what it is and its legal basis."""

    on: date
    what: str  # e.g. "本机关执法主体资格确认公告日期"
    article: str


@dataclass(frozen=True)
class PreviousStep:
    """The case's latest step: its name and its day or moment."""

    label: str
    when: date | datetime


@dataclass(frozen=True)
class LateEntry:
    """A step entered ``days`` calendar days after its date, and why (补录)."""

    days: int
    reason: str

    def as_payload(self) -> dict[str, object]:
        return {"days": self.days, "reason": self.reason}


def not_after_today(*, on: date, today: date, field: str = "on") -> None:
    """A day is recorded after it happened: never after today."""
    if on > today:
        raise RuleViolation(
            f"日期{_d(on)}晚于今天（{_d(today)}）：办案步骤在发生后如实记录，不能预先登记",
            article=RECORD_RULE,
            field=field,
        )


def act_not_after_case(*, act_ended_on: date, on: date, field: str = "act_ended_on") -> None:
    """A case is opened (登记) and registered (立案) about an act that has happened: the day the
    act ended is never after the case's day. (How long before is 第三十六条's, at 立案.)"""
    if act_ended_on > on:
        raise RuleViolation(
            f"违法行为终了日期{_d(act_ended_on)}晚于案件登记或立案日期{_d(on)}："
            "案件针对已经发生的违法行为，请核对两个日期",
            field=field,
        )


def not_after_now(*, at: datetime, now: datetime, field: str = "at") -> None:
    """A moment is recorded after it happened: never after now (a few minutes' clock skew
    aside)."""
    if at > now + CLOCK_SKEW:
        raise RuleViolation(
            f"时间{_t(at)}晚于当前时间（{_t(now)}）：办案步骤在发生后如实记录，不能预先登记",
            article=RECORD_RULE,
            field=field,
        )


def record_times(*, on: date, started: time | None, ended: time | None, now: datetime) -> None:
    """The start and end time of a record (笔录) taken on ``on`` (Beijing time): an end needs a
    start, the end is after the start, and neither is after now — the record says truly when it
    was taken."""
    if ended is not None and started is None:
        raise RuleViolation(
            "填写结束时间的，须同时填写开始时间", article=RECORD_RULE, field="started_at"
        )
    if started is not None and ended is not None and ended <= started:
        raise RuleViolation(
            f"结束时间{ended:%H:%M}须晚于开始时间{started:%H:%M}",
            article=RECORD_RULE,
            field="ended_at",
        )
    for field, moment in (("started_at", started), ("ended_at", ended)):
        if moment is not None:
            at = datetime.combine(on, moment, tzinfo=LOCAL_TIME)
            not_after_now(at=at, now=now, field=field)


def not_before_floors(*, on: date, floors: Sequence[Floor], field: str = "on") -> None:
    """Not before any floor (the deployment's earliest day, the agency's qualification)."""
    for floor in sorted(floors, key=lambda f: f.on, reverse=True):
        if on < floor.on:
            raise RuleViolation(
                f"日期{_d(on)}早于{floor.what}（{_d(floor.on)}），不能据此办理或补录",
                article=floor.article,
                field=field,
            )


def not_before_previous_step(
    *, when: date | datetime, previous: PreviousStep | None, field: str = "on"
) -> None:
    """The record follows the case in order: a step is not dated before the previous one
    (moments are compared as moments, a day with a moment by its Beijing-time day)."""
    if previous is None:
        return
    if isinstance(when, datetime) and isinstance(previous.when, datetime):
        if when < previous.when:
            raise RuleViolation(
                f"时间{_t(when)}早于本案上一步骤“{previous.label}”的时间"
                f"（{_t(previous.when)}）：办案步骤须按发生的先后顺序记录",
                article=RECORD_RULE,
                field=field,
            )
        return
    day, before = local_day(when), local_day(previous.when)
    if day < before:
        raise RuleViolation(
            f"日期{_d(day)}早于本案上一步骤“{previous.label}”的日期（{_d(before)}）："
            "办案步骤须按发生的先后顺序记录",
            article=RECORD_RULE,
            field=field,
        )


def late_entry(
    *, on: date, today: date, window_days: int | None, reason: str, field: str = "late_reason"
) -> LateEntry | None:
    """补录: a step entered more than ``window_days`` calendar days after its date needs a
    written reason, returned to be recorded with the step; within the window (or with no
    window, ``None``), nothing."""
    days = (today - on).days
    if window_days is None or days <= window_days:
        return None
    if not reason.strip():
        raise RuleViolation(
            f"该步骤发生于{_d(on)}，今天补录已晚{days}日（超过{window_days}日），须写明补录理由",
            article=RECORD_RULE,
            field=field,
        )
    return LateEntry(days, reason.strip())


def step_dated(
    *,
    when: date | datetime,
    today: date,
    now: datetime,
    floors: Sequence[Floor],
    previous: PreviousStep | None,
    window_days: int | None,
    late_reason: str,
) -> LateEntry | None:
    """Every rule above for one step, in the order a user would fix them: not in the future,
    not before the floors, not before the previous step, and explained when entered late.
    ``when`` is the step's day or (aware) moment. Returns the late entry to record, if any."""
    field = "at" if isinstance(when, datetime) else "on"
    day = local_day(when)
    if isinstance(when, datetime):
        not_after_now(at=when, now=now, field=field)
    not_after_today(on=day, today=today, field=field)
    not_before_floors(on=day, floors=floors, field=field)
    not_before_previous_step(when=when, previous=previous, field=field)
    return late_entry(on=day, today=today, window_days=window_days, reason=late_reason)
