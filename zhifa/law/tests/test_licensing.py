"""《行政许可法》 periods (all working days, 第八十二条), each at its boundary, on 2026."""

from __future__ import annotations

from datetime import date

from zhifa.core.workdays import WorkdayCalendar
from zhifa.law import licensing
from zhifa.law.licensing import (
    HEARING_HELD,
    HEARING_REQUEST,
    RENEWAL_APPLICATION,
    certificate_deadline,
    completeness_notice_deadline,
    decision_deadline,
    hearing_notice_in_time,
    renewal_application_deadline,
    renewal_application_in_time,
)
from zhifa.law.periods import Period, Unit, deadline, is_within

D = date


def test_article_82_every_agency_period_is_in_working_days() -> None:
    for period in (v for v in vars(licensing).values() if isinstance(v, Period)):
        assert period.article.startswith("《行政许可法》第")
        if period is not RENEWAL_APPLICATION:  # the applicant's period, counted backwards
            assert period.unit is Unit.WORKING_DAYS, period


def test_completeness_notice_within_5_working_days_skips_national_day(
    cal: WorkdayCalendar,
) -> None:
    assert completeness_notice_deadline(D(2026, 9, 24), cal) == D(2026, 10, 9)


def test_decision_within_20_working_days_of_acceptance(cal: WorkdayCalendar) -> None:
    accepted = D(2026, 9, 21)
    assert decision_deadline(accepted, cal) == D(2026, 10, 26)
    assert decision_deadline(accepted, cal, extended=True) == D(2026, 11, 9)


def test_joint_decision_within_45_working_days_plus_15(cal: WorkdayCalendar) -> None:
    accepted = D(2026, 9, 21)
    assert decision_deadline(accepted, cal, joint=True) == D(2026, 11, 30)
    assert decision_deadline(accepted, cal, joint=True, extended=True) == D(2026, 12, 21)


def test_decision_excludes_hearing_and_testing_time(cal: WorkdayCalendar) -> None:
    assert decision_deadline(D(2026, 9, 21), cal, excluded_workdays=1) == D(2026, 10, 27)


def test_certificate_within_10_working_days_counts_both_spring_festival_saturdays(
    cal: WorkdayCalendar,
) -> None:
    decided = D(2026, 2, 9)
    assert certificate_deadline(decided, cal) == D(2026, 2, 28)


def test_hearing_request_within_5_working_days(cal: WorkdayCalendar) -> None:
    notified = D(2026, 4, 30)
    assert deadline(HEARING_REQUEST, notified, cal) == D(2026, 5, 11)
    assert is_within(HEARING_REQUEST, notified, D(2026, 5, 10), cal)
    assert is_within(HEARING_REQUEST, notified, D(2026, 5, 11), cal)
    assert not is_within(HEARING_REQUEST, notified, D(2026, 5, 12), cal)


def test_hearing_held_within_20_working_days_of_the_request(cal: WorkdayCalendar) -> None:
    assert deadline(HEARING_HELD, D(2026, 9, 21), cal) == D(2026, 10, 26)


def test_hearing_notice_needs_7_whole_working_days(cal: WorkdayCalendar) -> None:
    notified = D(2026, 2, 11)
    assert not hearing_notice_in_time(notified, D(2026, 2, 26), cal)
    assert not hearing_notice_in_time(notified, D(2026, 2, 27), cal)
    assert hearing_notice_in_time(notified, D(2026, 2, 28), cal)


def test_renewal_must_be_applied_for_30_days_before_expiry() -> None:
    expires = D(2026, 10, 31)
    assert renewal_application_deadline(expires) == D(2026, 10, 1)
    assert renewal_application_in_time(D(2026, 9, 30), expires)
    assert renewal_application_in_time(D(2026, 10, 1), expires)
    assert not renewal_application_in_time(D(2026, 10, 2), expires)


# -- the helpers of the licensing app (issue 13) ---------------------------------------------


def test_excluded_period_counts_its_working_days_both_ends_across_national_day(
    cal: WorkdayCalendar,
) -> None:
    # 30 Sept (worked), 1–7 Oct (rest), 8 and 9 Oct (worked): 3 working days.
    assert licensing.workdays_in(D(2026, 9, 30), D(2026, 10, 9), cal) == 3
    assert licensing.workdays_in(D(2026, 10, 1), D(2026, 10, 7), cal) == 0
    assert licensing.workdays_in(D(2026, 10, 9), D(2026, 10, 8), cal) == 0
    # …and they move the decision deadline by as many working days (第四十五条).
    assert decision_deadline(D(2026, 9, 21), cal, excluded_workdays=3) == D(2026, 10, 29)


def test_acceptance_deemed_the_day_after_the_fifth_working_day(cal: WorkdayCalendar) -> None:
    assert not licensing.acceptance_deemed(D(2026, 9, 24), D(2026, 10, 8), cal)
    assert not licensing.acceptance_deemed(D(2026, 9, 24), D(2026, 10, 9), cal)
    assert licensing.acceptance_deemed(D(2026, 9, 24), D(2026, 10, 10), cal)


def test_hearing_request_within_5_working_days_of_being_told(cal: WorkdayCalendar) -> None:
    assert licensing.hearing_request_deadline(D(2026, 9, 29), cal) == D(2026, 10, 12)


def test_deemed_renewal_from_the_day_after_expiry_only_when_applied_in_time() -> None:
    expires = D(2026, 12, 31)
    kw = {"expires_on": expires, "renewal_decided": False}
    assert not licensing.deemed_renewed(renewal_applied_on=D(2026, 12, 1), today=expires, **kw)
    assert licensing.deemed_renewed(renewal_applied_on=D(2026, 12, 1), today=D(2027, 1, 1), **kw)
    assert not licensing.deemed_renewed(
        renewal_applied_on=D(2026, 12, 2), today=D(2027, 1, 1), **kw
    )
    assert not licensing.deemed_renewed(
        expires_on=expires,
        renewal_applied_on=D(2026, 12, 1),
        renewal_decided=True,
        today=D(2027, 1, 1),
    )
