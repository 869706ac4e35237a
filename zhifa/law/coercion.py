"""《中华人民共和国行政强制法》(2011): periods and conditions of coercive measures and enforcement.

Counting (第六十九条): "本法中十日以内期限的规定是指工作日，不含法定节假日。" Periods of ten days or
fewer are working days; the 30-day periods are calendar days, and months follow
``zhifa.law.periods``.

Pure: no Django, no clock.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from zhifa.law.periods import Calendar, Period, Unit, deadline

LAW = "《行政强制法》"


def article(number: str) -> str:
    return f"{LAW}第{number}条"


EMERGENCY_REPORT = Period(
    24, Unit.HOURS, article("十九"), "情况紧急当场实施行政强制措施后报告并补办批准手续"
)
# The 30-day limits of 查封/扣押 and 冻结 are maxima of a measure that restrains the party's
# property ("不得超过三十日"): a holiday on the last day does not lengthen the restraint.
SEIZURE = Period(
    30, Unit.CALENDAR_DAYS, article("二十五"), "查封、扣押期限", rolls_to_workday=False
)
SEIZURE_EXTENSION = Period(
    30,
    Unit.CALENDAR_DAYS,
    article("二十五"),
    "查封、扣押经批准延长（一次）",
    rolls_to_workday=False,
)
FREEZE_DECISION_SERVICE = Period(3, Unit.WORKING_DAYS, article("三十一"), "冻结决定书交付当事人")
FREEZE = Period(30, Unit.CALENDAR_DAYS, article("三十二"), "冻结期限", rolls_to_workday=False)
FREEZE_EXTENSION = Period(
    30, Unit.CALENDAR_DAYS, article("三十二"), "冻结经批准延长（一次）", rolls_to_workday=False
)
SURCHARGE_BEFORE_ENFORCEMENT = Period(
    30,
    Unit.CALENDAR_DAYS,
    article("四十六"),
    "加处罚款或者滞纳金超过三十日经催告仍不履行的，可以强制执行",
)
SUBSTITUTE_PERFORMANCE_NOTICE = Period(
    3, Unit.WORKING_DAYS, article("五十一"), "代履行三日前催告当事人履行"
)
COURT_APPLICATION = Period(
    3, Unit.MONTHS, article("五十三"), "复议、诉讼期限届满之日起申请人民法院强制执行"
)
COURT_APPLICATION_NOTICE = Period(
    10, Unit.WORKING_DAYS, article("五十四"), "催告书送达十日后仍未履行的，可以申请人民法院强制执行"
)

# 第四十三条 forbids enforcement "在夜间". The statute does not define night; the usual reading
# (as in 《环境噪声污染防治法》/《噪声污染防治法》: 晚上十点至次日早晨六点) is 22:00–06:00 local
# time. The start is inclusive (22:00 is night), the end exclusive (06:00 is day).
NIGHT_STARTS = time(22, 0)
NIGHT_ENDS = time(6, 0)
LOCAL_TIME = ZoneInfo("Asia/Shanghai")


def seizure_deadline(
    seized_on: date, calendar: Calendar, *, extended: bool = False, testing_days: int = 0
) -> date:
    """Last day of a 查封/扣押 (第二十五条): 30 d, or 60 d with the one approved extension.

    ``testing_days``: days of 检测、检验、检疫或者技术鉴定, which are not counted (the party must
    have been told in writing).
    """
    period = SEIZURE.extended_by(SEIZURE_EXTENSION) if extended else SEIZURE
    return deadline(replace(period, length=period.length + testing_days), seized_on, calendar)


def freeze_deadline(frozen_on: date, calendar: Calendar, *, extended: bool = False) -> date:
    """Last day of a 冻结 (第三十二条): 30 d, or 60 d with the one approved extension."""
    period = FREEZE.extended_by(FREEZE_EXTENSION) if extended else FREEZE
    return deadline(period, frozen_on, calendar)


def surcharge_within_cap(principal: Decimal, surcharge: Decimal) -> bool:
    """加处罚款或者滞纳金的数额不得超出金钱给付义务的数额 (第四十五条第二款)."""
    return surcharge <= principal


def substitute_performance_notice_in_time(
    notified_on: date, performed_on: date, calendar: Calendar
) -> bool:
    """Whether the 催告 came at least 3 working days before 代履行 (第五十一条).

    Three whole working days must lie strictly between the 催告 and the 代履行 (neither day
    counted), the reading in the party's favour.
    """
    return performed_on > deadline(SUBSTITUTE_PERFORMANCE_NOTICE, notified_on, calendar)


def court_application_deadline(appeal_periods_end_on: date, calendar: Calendar) -> date:
    """Last day to apply to the court (第五十三条): 3 months after the 复议/诉讼 periods end."""
    return deadline(COURT_APPLICATION, appeal_periods_end_on, calendar)


# The periods a party has to contest a decision; only once both have passed unpaid may the
# agency apply to the court (第五十三条: "在法定期限内不申请行政复议或者提起行政诉讼，又不履行").
APPEAL_PERIODS: tuple[Period, ...] = (
    Period(60, Unit.CALENDAR_DAYS, "《行政复议法》第二十条", "自知道行政行为之日起申请行政复议"),
    Period(6, Unit.MONTHS, "《行政诉讼法》第四十六条", "自知道行政行为之日起提起行政诉讼"),
)  # periods of other statutes, kept together (this module's own Periods are 行政强制法's)


def court_application_window(served_on: date, calendar: Calendar) -> tuple[date, date]:
    """First and last day on which the agency may apply to the court (第五十三条).

    The decision is known to the party on ``served_on``; the 复议 (60 d) and 诉讼 (6 months)
    periods run from then (start day not counted, a last day on a rest day moves to the next
    working day). The application is possible from the day after both have ended, for three
    months.
    """
    appeal_end = appeal_periods_end(served_on, calendar)
    return appeal_end + timedelta(days=1), court_application_deadline(appeal_end, calendar)


def appeal_periods_end(served_on: date, calendar: Calendar) -> date:
    """Last day on which the party may still apply for 复议 (60 d) or sue (6 months)."""
    return max(deadline(period, served_on, calendar) for period in APPEAL_PERIODS)


def court_application_notice_elapsed(served_on: date, on: date, calendar: Calendar) -> bool:
    """Whether 10 working days have passed since the 催告书 was served (第五十四条)."""
    return on > deadline(COURT_APPLICATION_NOTICE, served_on, calendar)


def is_night(at: datetime) -> bool:
    """Whether ``at`` (timezone-aware) is night in Beijing time (22:00–06:00)."""
    if at.tzinfo is None:
        raise ValueError("a timezone-aware datetime is required")
    local = at.astimezone(LOCAL_TIME).time()
    return local >= NIGHT_STARTS or local < NIGHT_ENDS


def is_night_or_holiday_enforcement_forbidden(at: datetime, calendar: Calendar) -> bool:
    """Whether 行政强制执行 at ``at`` is forbidden by 第四十三条 (night or statutory holiday).

    "法定节假日" is read as every rest day of the statutory calendar — holidays and weekends not
    made working days — the reading that protects the party; a 调休 working Saturday is allowed.
    The emergency exception (情况紧急) is for the caller to grant, with its reasons recorded.
    Raises CalendarUnknown for a day of an unknown year.
    """
    if is_night(at):
        return True
    return not calendar.is_workday(at.astimezone(LOCAL_TIME).date())
