"""When an annual inspection plan must be public (年度检查计划的公布期限).

北京市优化营商环境条例第六十七条 and 上海市优化营商环境条例第六十二条: every department
publishes its annual inspection plan by 31 March of the year. The day is a deployment setting
(``ZHIFA_INSPECTION_PLAN_PUBLISH_BY``, "MM-DD", with its source); the plan counts as on time when
it is published on that day or before it (calendar days: the rule names a date, not a period).
Pure: given the year and the day, no Django, no now().
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DEFAULT_PUBLISH_BY = "03-31"
DEFAULT_SOURCE = "《北京市优化营商环境条例》第六十七条；《上海市优化营商环境条例》第六十二条"


def publication_deadline(year: int, month_day: str = DEFAULT_PUBLISH_BY) -> date:
    """The last day on which ``year``'s annual plan may be published ("MM-DD" of ``year``)."""
    month, day = (int(part) for part in month_day.split("-", 1))
    return date(year, month, day)


@dataclass(frozen=True)
class PublicationStatus:
    """Whether one agency's annual plan of ``deadline.year`` was published in time on
    ``today``: ``on_time`` (published by the deadline), ``late`` (published after it),
    ``overdue`` (unpublished and the deadline passed), ``pending`` (unpublished, still time)."""

    deadline: date
    published_on: date | None
    state: str

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


def publication_status(
    *, published_on: date | None, deadline: date, today: date
) -> PublicationStatus:
    """The publication state of a plan due on ``deadline``, as of ``today``. A plan published
    on the deadline itself is on time; the day after is late."""
    if published_on is not None:
        state = "on_time" if published_on <= deadline else "late"
    else:
        state = "overdue" if today > deadline else "pending"
    return PublicationStatus(deadline=deadline, published_on=published_on, state=state)


STATE_LABELS = {
    "on_time": "按期公布",
    "late": "逾期公布",
    "overdue": "逾期未公布",
    "pending": "尚未公布",
}
