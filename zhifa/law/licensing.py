"""《中华人民共和国行政许可法》(2019): periods of licensing procedure.

Counting (第八十二条): "本法规定的行政机关实施行政许可的期限以工作日计算，不含法定节假日。"
Every period the agency must keep is in working days. Reading confirmed for 行政许可 cases: where
the Act says "日" for a period of the *agency* — 第三十二条 (5 日 to tell what is missing),
第四十二条 (20 日, +10 日), 第四十四条 (10 日), 第四十七条 (5 日 to ask for a hearing, counted as
the agency's procedure; 20 日 to hold it), 第四十八条 (7 日 before the hearing) — the count is in
working days (工作日) on the statutory calendar, the start day not counted. The renewal period
of 第五十条 binds the applicant and runs backwards from the expiry in calendar days.

Hearing, tendering, auction, testing, inspection, quarantine, appraisal and expert review are
not counted in the decision period (第四十五条); callers pass them as ``excluded_workdays``.

Pure: no Django, no clock.
"""

from __future__ import annotations

from datetime import date, timedelta

from zhifa.law.periods import Calendar, Period, Unit, deadline

LAW = "《行政许可法》"


def article(number: str) -> str:
    return f"{LAW}第{number}条"


COMPLETENESS_NOTICE = Period(
    5, Unit.WORKING_DAYS, article("三十二"), "申请材料不齐全的一次告知补正（逾期不告知视为受理）"
)
DECISION = Period(20, Unit.WORKING_DAYS, article("四十二"), "作出行政许可决定")
DECISION_EXTENSION = Period(10, Unit.WORKING_DAYS, article("四十二"), "经本机关负责人批准延长")
JOINT_DECISION = Period(45, Unit.WORKING_DAYS, article("四十二"), "统一办理、联合办理、集中办理")
JOINT_DECISION_EXTENSION = Period(
    15, Unit.WORKING_DAYS, article("四十二"), "统一办理等经本级人民政府负责人批准延长"
)
CERTIFICATE = Period(10, Unit.WORKING_DAYS, article("四十四"), "颁发、送达行政许可证件")
HEARING_REQUEST = Period(5, Unit.WORKING_DAYS, article("四十七"), "申请人、利害关系人申请听证")
HEARING_HELD = Period(20, Unit.WORKING_DAYS, article("四十七"), "收到听证申请后组织听证")
HEARING_NOTICE = Period(7, Unit.WORKING_DAYS, article("四十八"), "举行听证七日前通知")
RENEWAL_APPLICATION = Period(
    30, Unit.CALENDAR_DAYS, article("五十"), "有效期届满三十日前提出延续申请"
)


def decision_deadline(
    accepted_on: date,
    calendar: Calendar,
    *,
    extended: bool = False,
    joint: bool = False,
    excluded_workdays: int = 0,
) -> date:
    """Last day to decide after acceptance (第四十二条): 20 wd (+10), jointly 45 wd (+15).

    ``excluded_workdays``: working days spent on hearing, testing, expert review … (第四十五条).
    """
    base, extension = (
        (JOINT_DECISION, JOINT_DECISION_EXTENSION)
        if joint
        else (
            DECISION,
            DECISION_EXTENSION,
        )
    )
    period = base.extended_by(extension) if extended else base
    return calendar.add_workdays(accepted_on, period.length + excluded_workdays)


def completeness_notice_deadline(received_on: date, calendar: Calendar) -> date:
    """Last day to tell the applicant everything missing at once (第三十二条第一款第四项)."""
    return deadline(COMPLETENESS_NOTICE, received_on, calendar)


def certificate_deadline(decided_on: date, calendar: Calendar) -> date:
    """Last day to issue or serve the licence certificate (第四十四条)."""
    return deadline(CERTIFICATE, decided_on, calendar)


def hearing_notice_in_time(notified_on: date, hearing_on: date, calendar: Calendar) -> bool:
    """Whether the hearing notice came at least 7 working days before the hearing (第四十八条).

    Seven whole working days must lie strictly between notice and hearing (neither counted).
    """
    return hearing_on > deadline(HEARING_NOTICE, notified_on, calendar)


def renewal_application_deadline(expires_on: date) -> date:
    """Last day to apply for renewal (第五十条): 30 calendar days before the expiry day.

    The statute says "有效期届满三十日前": the application must leave at least 30 days until the
    expiry. A backward period does not roll to a working day; an applicant facing a rest day
    applies earlier (or online).
    """
    return expires_on - timedelta(days=RENEWAL_APPLICATION.length)


def renewal_application_in_time(applied_on: date, expires_on: date) -> bool:
    """Whether a renewal application was made in time (第五十条第一款)."""
    return applied_on <= renewal_application_deadline(expires_on)


def hearing_request_deadline(told_on: date, calendar: Calendar) -> date:
    """Last day for the applicant to ask for a hearing once told of the right (第四十七条)."""
    return deadline(HEARING_REQUEST, told_on, calendar)


def hearing_held_deadline(requested_on: date, calendar: Calendar) -> date:
    """Last day to hold the hearing asked for (第四十七条: within 20 working days)."""
    return deadline(HEARING_HELD, requested_on, calendar)


def workdays_in(start: date, end: date, calendar: Calendar) -> int:
    """Working days from ``start`` to ``end``, both counted: the length of a period excluded
    from the decision period by 第四十五条 (a hearing, testing or expert review held on those
    days). Zero when ``end`` is before ``start``."""
    count, day = 0, start
    while day <= end:
        if calendar.is_workday(day):
            count += 1
        day += timedelta(days=1)
    return count


def acceptance_deemed(received_on: date, on: date, calendar: Calendar) -> bool:
    """Whether an application not yet answered is deemed accepted on ``on`` (第三十二条第一款第四
    项: "逾期不告知的，自收到申请材料之日起即为受理"): the 5 working days have passed."""
    return on > completeness_notice_deadline(received_on, calendar)


def deemed_renewed(
    *, expires_on: date, renewal_applied_on: date | None, renewal_decided: bool, today: date
) -> bool:
    """第五十条第二款: an agency that has not decided on a renewal applied for in time by the
    expiry is deemed to have granted it. True from the day after the expiry."""
    return (
        renewal_applied_on is not None
        and renewal_application_in_time(renewal_applied_on, expires_on)
        and not renewal_decided
        and today > expires_on
    )
