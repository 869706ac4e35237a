"""Time limits that differ by place: one table of rows, each with its number, its unit, whether
it may be extended, and the rule it comes from — shown beside every countdown.

The 《行政执法监督条例》 sets no day counts ("及时", "在规定时限内"); the numbers supervisors work
to come from provincial regulations and sector rules. So each is a row: an app registers the
defaults it ships with (``register_time_limits`` in its ``ready()``), and a deployment replaces
any row, wholly or in part, in the setting ``ZHIFA_TIME_LIMITS`` (key → dict of the fields to
change, e.g. ``{"supervision.opinion_rectify": {"count": 20, "source": "《某省…》第十条"}}``).

``due_on`` counts on the statutory calendar (``core.calendar.counted``): working days skip
weekends and public holidays; a period of calendar days that ends on a rest day ends on the next
working day. The start day is not counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Literal

from django.conf import settings

from zhifa.core.calendar import counted

Unit = Literal["workdays", "days"]


@dataclass(frozen=True)
class TimeLimit:
    key: str  # "<app>.<what>", e.g. "complaints.accept"
    label: str  # what must be done, in Chinese: "受理投诉"
    count: int
    unit: Unit
    source: str  # the rule it comes from: "《广东省行政执法监督条例》第三十三条"
    extension: int = 0  # how much longer it may be made, same unit; 0: not extendable

    @property
    def unit_label(self) -> str:
        return "个工作日" if self.unit == "workdays" else "日"

    @property
    def text(self) -> str:
        """ "30日（依据：…）" — what a page shows beside the countdown."""
        more = f"，可延长{self.extension}{self.unit_label}" if self.extension else ""
        return f"{self.count}{self.unit_label}{more}（依据：{self.source}）"


_DEFAULTS: dict[str, TimeLimit] = {}


class TimeLimitError(ValueError):
    """A row of ``ZHIFA_TIME_LIMITS`` that cannot be used (named in the message)."""


def register_time_limits(rows: Iterable[TimeLimit]) -> None:
    """Ship these defaults (an app's ``ready()``); a key registered twice differently is a bug."""
    for row in rows:
        known = _DEFAULTS.get(row.key)
        if known is not None and known != row:
            raise ValueError(f"time limit {row.key!r} registered twice")
        _DEFAULTS[row.key] = row


def _configured(row: TimeLimit) -> TimeLimit:
    change = dict(getattr(settings, "ZHIFA_TIME_LIMITS", {}).get(row.key, {}))
    unknown = set(change) - {"label", "count", "unit", "source", "extension"}
    if unknown:
        raise TimeLimitError(f"ZHIFA_TIME_LIMITS[{row.key!r}]: unknown fields {sorted(unknown)}")
    configured = replace(row, **change)
    if configured.unit not in ("workdays", "days"):
        raise TimeLimitError(f"ZHIFA_TIME_LIMITS[{row.key!r}]: unit must be workdays or days")
    if configured.count < 0 or configured.extension < 0:
        raise TimeLimitError(f"ZHIFA_TIME_LIMITS[{row.key!r}]: counts must not be negative")
    if change and "source" not in change and ("count" in change or "unit" in change):
        # A changed number no longer rests on the default's source: the row must name its own.
        raise TimeLimitError(f"ZHIFA_TIME_LIMITS[{row.key!r}]: a changed limit needs its source")
    return configured


def time_limit(key: str) -> TimeLimit:
    """The row in force for ``key`` (the default with the deployment's changes)."""
    try:
        row = _DEFAULTS[key]
    except KeyError:
        raise KeyError(f"no time limit {key!r} is registered") from None
    return _configured(row)


def time_limits() -> list[TimeLimit]:
    """Every row in force, by key (the page that lists the deployment's time limits)."""
    return [_configured(row) for _, row in sorted(_DEFAULTS.items())]


def due_on(key: str, start: date, *, extended: bool = False) -> tuple[date, bool]:
    """The last day for ``key`` started on ``start``, and whether it is provisional (the count
    reached a year whose holidays are not entered yet). ``extended``: with the row's extension."""
    row = time_limit(key)
    n = row.count + (row.extension if extended else 0)
    if row.unit == "workdays":
        return counted(lambda cal: cal.add_workdays(start, n), from_year=start.year)
    return counted(lambda cal: cal.end_of_calendar_period(start, n), from_year=start.year)
