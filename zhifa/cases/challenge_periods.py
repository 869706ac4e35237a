"""When a decision may be challenged (行政复议 / 行政诉讼), as the case records it; pure.

A challenge is recorded after the body (复议机关 or 人民法院) received it, so the periods here
never refuse a filing: a body may accept a late one (《行政复议法》第二十条第二款: 正当理由耽误;
《行政诉讼法》第四十八条: 不可抗力或者其他不属于其自身的原因). A filing after its period is
recorded with a note naming the period; what is refused is what cannot be: a challenge of a
decision not yet made, a filing before the decision day, a conclusion before the filing.

The periods run from the day the party knew the decision — the day it was served, or the
decision day when the case has no service day (简易程序 当场交付) — start day not counted, a last
day on a rest day moving to the next working day (``law.periods.deadline``).
"""

from __future__ import annotations

from datetime import date

from zhifa.core.exceptions import RuleViolation
from zhifa.law.coercion import APPEAL_PERIODS
from zhifa.law.periods import Calendar, Period, deadline

RECONSIDERATION = "reconsideration"
LITIGATION = "litigation"

# 复议: 60 calendar days (《行政复议法》第二十条第一款); 诉讼: 6 months (《行政诉讼法》第四十六条).
PERIODS: dict[str, Period] = {RECONSIDERATION: APPEAL_PERIODS[0], LITIGATION: APPEAL_PERIODS[1]}
ARTICLES = {
    RECONSIDERATION: "《行政复议法》第二十条",
    LITIGATION: "《行政诉讼法》第四十六条",
}
LATE_ACCEPTED = {
    RECONSIDERATION: "《行政复议法》第二十条第二款",
    LITIGATION: "《行政诉讼法》第四十八条",
}


def filing_deadline(kind: str, known_on: date, calendar: Calendar) -> date:
    """Last day to apply for 复议 (60 calendar days) or to sue (6 months) from ``known_on``."""
    return deadline(PERIODS[kind], known_on, calendar)


def late_note(kind: str, *, known_on: date, filed_on: date, calendar: Calendar) -> str:
    """The note kept with a challenge filed after its period (empty when in time)."""
    last = filing_deadline(kind, known_on, calendar)
    if filed_on <= last:
        return ""
    label = "申请行政复议" if kind == RECONSIDERATION else "提起行政诉讼"
    return (
        f"{label}的日期（{filed_on.isoformat()}）晚于{ARTICLES[kind]}规定的期限"
        f"（{PERIODS[kind].length}{'日' if kind == RECONSIDERATION else '个月'}，"
        f"至{last.isoformat()}）；已由受理机关受理的，照实记录"
        f"（{LATE_ACCEPTED[kind]}）"
    )


def challenge_filed_after_decision(*, decided_on: date | None, filed_on: date, on: date) -> None:
    """A challenge is of a decision made: not before the decision day, not after today."""
    if decided_on is None:
        raise RuleViolation(
            "案件尚未作出决定，不能登记行政复议或行政诉讼",
            article="《行政复议法》第二条；《行政诉讼法》第二条",
            field="filed_on",
        )
    if filed_on < decided_on:
        raise RuleViolation(
            f"申请（起诉）日期不能早于决定日期（{decided_on.isoformat()}）",
            article="《行政复议法》第二十条；《行政诉讼法》第四十六条",
            field="filed_on",
        )
    if filed_on > on:
        raise RuleViolation("申请（起诉）日期不能晚于登记日期", field="filed_on")


def challenge_concluded_after_filing(
    *, filed_on: date, accepted_on: date | None, concluded_on: date, on: date
) -> None:
    """The conclusion comes after the filing (and the acceptance), not after today."""
    floor = max(filed_on, accepted_on or filed_on)
    if concluded_on < floor:
        raise RuleViolation(
            f"决定（裁判）日期不能早于申请或受理日期（{floor.isoformat()}）",
            article="《行政复议法》第六十二条；《行政诉讼法》第八十一条",
            field="concluded_on",
        )
    if concluded_on > on:
        raise RuleViolation("决定（裁判）日期不能晚于登记日期", field="concluded_on")


def accepted_after_filing(*, filed_on: date, accepted_on: date | None) -> None:
    if accepted_on is not None and accepted_on < filed_on:
        raise RuleViolation(
            "受理日期不能早于申请（起诉）日期",
            article="《行政复议法》第三十条；《行政诉讼法》第五十一条",
            field="accepted_on",
        )
