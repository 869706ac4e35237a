"""《行政处罚法》 periods and conditions, each at its boundary, on the 2026 calendar."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhifa.core.exceptions import CalendarUnknown
from zhifa.core.workdays import WorkdayCalendar
from zhifa.law import penalty
from zhifa.law.penalty import (
    DECISION_LIMIT,
    EVIDENCE_PRESERVATION_DECISION,
    HEARING_REQUEST,
    PAYMENT,
    SERVICE,
    WITHDRAW_PUBLICATION,
    HearingThresholds,
    PartyKind,
    PenaltyKind,
    hearing_notice_in_time,
    hearing_right,
    late_fee,
    limitation_deadline,
    limitation_expired,
    on_the_spot_filing_period,
    simple_procedure_allowed,
)
from zhifa.law.periods import Period, Unit, deadline, is_within

D = date
PERSON = PartyKind.NATURAL_PERSON
ORG = PartyKind.ORGANISATION


def _boundary(period: Period, start: date, last: date, cal: WorkdayCalendar) -> None:
    """The last day is ``last``: the day before and the day itself are in, the next is out."""
    assert deadline(period, start, cal) == last
    assert is_within(period, start, D.fromordinal(last.toordinal() - 1), cal)
    assert is_within(period, start, last, cal)
    assert not is_within(period, start, D.fromordinal(last.toordinal() + 1), cal)


def test_article_85_short_periods_are_working_days_and_longer_ones_calendar_days() -> None:
    periods = [v for v in vars(penalty).values() if isinstance(v, Period)]
    periods.append(on_the_spot_filing_period())
    for period in periods:
        if period.unit in (Unit.WORKING_DAYS, Unit.CALENDAR_DAYS):
            expected = Unit.WORKING_DAYS if period.length <= 7 else Unit.CALENDAR_DAYS
            assert period.unit is expected, period
        assert period.article.startswith("《行政处罚法》第")


def test_penalty_kinds_carry_the_article_9_names() -> None:
    assert PenaltyKind.FINE.label == "罚款"
    assert PenaltyKind.OCCUPATIONAL_BAN.label == "限制从业"
    assert len({k.label for k in PenaltyKind}) == len(PenaltyKind)
    assert PartyKind.ORGANISATION.label == "法人或其他组织"


# -- 第三十六条 limitation --


def test_limitation_is_two_years_from_the_end_of_the_act() -> None:
    act = D(2024, 3, 10)
    assert limitation_deadline(act) == D(2026, 3, 10)
    assert not limitation_expired(act, D(2026, 3, 9))
    assert not limitation_expired(act, D(2026, 3, 10))
    assert limitation_expired(act, D(2026, 3, 11))


def test_limitation_from_a_leap_day_ends_on_28_february() -> None:
    assert limitation_deadline(D(2024, 2, 29)) == D(2026, 2, 28)
    assert not limitation_expired(D(2024, 2, 29), D(2026, 2, 28))
    assert limitation_expired(D(2024, 2, 29), D(2026, 3, 1))


def test_limitation_is_not_extended_by_a_holiday_and_needs_no_calendar() -> None:
    # 2026-10-01 is 国庆; the limitation is not a time to act, so it does not roll over —
    # and a limitation ending in 2028 is computed although 2028's holidays are unknown.
    assert limitation_deadline(D(2024, 10, 1)) == D(2026, 10, 1)
    assert limitation_expired(D(2024, 10, 1), D(2026, 10, 2))
    assert limitation_deadline(D(2026, 5, 1)) == D(2028, 5, 1)


def test_serious_limitation_is_five_years() -> None:
    act = D(2021, 5, 10)
    assert limitation_deadline(act, serious=True) == D(2026, 5, 10)
    assert not limitation_expired(act, D(2026, 5, 9), serious=True)
    assert not limitation_expired(act, D(2026, 5, 10), serious=True)
    assert limitation_expired(act, D(2026, 5, 11), serious=True)
    assert limitation_expired(act, D(2026, 5, 9))


# -- 第五十一条 simple procedure --


@pytest.mark.parametrize(
    ("party", "amount", "ok"),
    [
        (PERSON, "199.99", True),
        (PERSON, "200", True),
        (PERSON, "200.01", False),
        (ORG, "2999.99", True),
        (ORG, "3000", True),
        (ORG, "3000.01", False),
    ],
)
def test_simple_procedure_fine_limits(party: PartyKind, amount: str, ok: bool) -> None:
    verdict = simple_procedure_allowed(party, PenaltyKind.FINE, Decimal(amount))
    assert verdict.ok is ok
    assert verdict.article == "《行政处罚法》第五十一条"
    assert ("不得适用简易程序" in verdict.reason) is not ok


def test_simple_procedure_allows_a_warning_and_refuses_other_kinds() -> None:
    assert simple_procedure_allowed(PERSON, PenaltyKind.WARNING)
    refused = simple_procedure_allowed(ORG, PenaltyKind.LICENCE_REVOCATION)
    assert not refused
    assert refused.reason == "吊销许可证件不得适用简易程序，应当适用普通程序"


@pytest.mark.parametrize(("amount", "ok"), [("-0.01", False), ("0", False), ("0.01", True)])
def test_simple_procedure_refuses_a_fine_of_nothing_naming_the_amount_rule(
    amount: str, ok: bool
) -> None:
    verdict = simple_procedure_allowed(PERSON, PenaltyKind.FINE, Decimal(amount))
    assert verdict.ok is ok
    if not ok:
        assert verdict.reason == "当场罚款须写明罚款数额，且应大于0元"
        assert verdict.article == "《行政处罚法》第五十二条"


# -- periods at their boundaries --


def test_on_the_spot_filing_defaults_to_7_working_days_across_national_day(
    cal: WorkdayCalendar,
) -> None:
    _boundary(on_the_spot_filing_period(), D(2026, 9, 29), D(2026, 10, 14), cal)


def test_on_the_spot_filing_period_is_a_setting(cal: WorkdayCalendar) -> None:
    five = on_the_spot_filing_period(5)
    assert five.article == "《行政处罚法》第五十二条"
    _boundary(five, D(2026, 9, 29), D(2026, 10, 12), cal)


def test_decision_limit_of_90_days_ending_on_national_day_moves_to_8_october(
    cal: WorkdayCalendar,
) -> None:
    _boundary(DECISION_LIMIT, D(2026, 7, 3), D(2026, 10, 8), cal)


def test_decision_limit_of_90_days_ending_on_a_working_day(cal: WorkdayCalendar) -> None:
    _boundary(DECISION_LIMIT, D(2026, 6, 3), D(2026, 9, 1), cal)


def test_service_within_7_working_days_skips_mid_autumn_and_national_day(
    cal: WorkdayCalendar,
) -> None:
    _boundary(SERVICE, D(2026, 9, 24), D(2026, 10, 12), cal)


def test_hearing_request_within_5_working_days_skips_labour_day_counts_9_may(
    cal: WorkdayCalendar,
) -> None:
    _boundary(HEARING_REQUEST, D(2026, 4, 30), D(2026, 5, 11), cal)


def test_evidence_preservation_decision_within_7_working_days_skips_dragon_boat(
    cal: WorkdayCalendar,
) -> None:
    _boundary(EVIDENCE_PRESERVATION_DECISION, D(2026, 6, 16), D(2026, 6, 26), cal)


def test_payment_within_15_days_ending_on_national_day_moves_to_8_october(
    cal: WorkdayCalendar,
) -> None:
    _boundary(PAYMENT, D(2026, 9, 16), D(2026, 10, 8), cal)


def test_withdraw_publication_within_3_working_days_counts_4_january(
    cal: WorkdayCalendar,
) -> None:
    _boundary(WITHDRAW_PUBLICATION, D(2025, 12, 31), D(2026, 1, 6), cal)


def test_withdraw_publication_reaching_2027_is_refused(cal: WorkdayCalendar) -> None:
    with pytest.raises(CalendarUnknown):
        deadline(WITHDRAW_PUBLICATION, D(2026, 12, 30), cal)


def test_hearing_notice_needs_7_whole_working_days_before_the_hearing(
    cal: WorkdayCalendar,
) -> None:
    # Notified Wed 2026-02-11: 12, 13, 14 (Sat, working), then after 春节 24, 25, 26, 27.
    notified = D(2026, 2, 11)
    assert not hearing_notice_in_time(notified, D(2026, 2, 26), cal)
    assert not hearing_notice_in_time(notified, D(2026, 2, 27), cal)
    assert hearing_notice_in_time(notified, D(2026, 2, 28), cal)


# -- 第六十三条 hearing right --


@pytest.mark.parametrize(
    ("party", "fine", "confiscation", "right"),
    [
        (PERSON, "9999.99", "0", False),
        (PERSON, "10000", "0", True),
        (PERSON, "0", "10000", True),
        (ORG, "99999.99", "99999.99", False),
        (ORG, "100000", "0", True),
        (ORG, "0", "100000.00", True),
    ],
)
def test_hearing_right_for_large_fines_and_confiscations(
    party: PartyKind, fine: str, confiscation: str, right: bool
) -> None:
    kinds = [PenaltyKind.FINE, PenaltyKind.CONFISCATION_OF_GAINS]
    assert hearing_right(party, kinds, Decimal(fine), Decimal(confiscation)) is right


@pytest.mark.parametrize(
    "kind",
    [
        PenaltyKind.QUALIFICATION_DOWNGRADE,
        PenaltyKind.LICENCE_REVOCATION,
        PenaltyKind.ORDER_TO_SUSPEND,
        PenaltyKind.ORDER_TO_CLOSE,
        PenaltyKind.OCCUPATIONAL_BAN,
    ],
)
def test_hearing_right_for_heavy_penalties_whatever_the_amount(kind: PenaltyKind) -> None:
    assert hearing_right(PERSON, [PenaltyKind.WARNING, kind])


def test_no_hearing_right_for_a_warning_or_a_small_fine() -> None:
    assert not hearing_right(ORG, [PenaltyKind.WARNING])
    assert not hearing_right(ORG, [PenaltyKind.FINE], Decimal(5000))


def test_hearing_thresholds_are_a_setting() -> None:
    local = HearingThresholds(person=Decimal(5000), organisation=Decimal(50000))
    assert hearing_right(PERSON, [PenaltyKind.FINE], Decimal(5000), thresholds=local)
    assert not hearing_right(PERSON, [PenaltyKind.FINE], Decimal(5000))
    assert hearing_right(ORG, [PenaltyKind.FINE], Decimal(50000), thresholds=local)


# -- 第七十二条 late fee --


def test_late_fee_starts_the_day_after_the_due_day() -> None:
    due = D(2026, 10, 8)
    fine = Decimal(1000)
    assert late_fee(fine, due, D(2026, 10, 7)) == Decimal("0.00")
    assert late_fee(fine, due, due) == Decimal("0.00")
    assert late_fee(fine, due, D(2026, 10, 9)) == Decimal("30.00")


def test_late_fee_is_capped_at_the_fine() -> None:
    due = D(2026, 3, 2)
    fine = Decimal(1000)
    assert late_fee(fine, due, D(2026, 4, 4)) == Decimal("990.00")  # 33 days
    assert late_fee(fine, due, D(2026, 4, 5)) == Decimal("1000.00")  # 34 days, capped
    assert late_fee(fine, due, D(2026, 12, 31)) == Decimal("1000.00")


def test_late_fee_does_not_accrue_during_review_or_litigation() -> None:
    due = D(2026, 3, 2)
    assert late_fee(Decimal(1000), due, D(2026, 3, 14), suspended_days=10) == Decimal("60.00")
    assert late_fee(Decimal(1000), due, D(2026, 3, 14), suspended_days=20) == Decimal("0.00")


def test_late_fee_is_rounded_half_up_to_the_fen() -> None:
    # 333.33 × 3 % = 9.9999 → 10.00; 0.50 × 3 % = 0.015 → 0.02
    assert late_fee(Decimal("333.33"), D(2026, 3, 2), D(2026, 3, 3)) == Decimal("10.00")
    assert late_fee(Decimal("0.50"), D(2026, 3, 2), D(2026, 3, 3)) == Decimal("0.02")


def test_late_fee_refuses_negative_inputs() -> None:
    with pytest.raises(ValueError):
        late_fee(Decimal(100), D(2026, 3, 2), D(2026, 3, 3), suspended_days=-1)
