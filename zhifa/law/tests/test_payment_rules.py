"""How a penalty is paid (《行政处罚法》第六十六至七十二条) and when the court may be applied to
(《行政强制法》第五十三条), each rule at its boundary."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from zhifa.core.workdays import WorkdayCalendar
from zhifa.law import coercion
from zhifa.law.penalty import (
    Instalment,
    OnTheSpotGround,
    PenaltyKind,
    late_fee,
    late_fee_owed,
    on_the_spot_collection_allowed,
    penalty_amounts_problems,
    penalty_kinds_open_to,
)

D = date
FINE = Decimal(1000)
DUE = D(2026, 3, 2)


def owed(today: date, payments: list[tuple[date, Decimal]] = [], **kw: object) -> Decimal:  # noqa: B006
    return late_fee_owed(FINE, [Instalment(DUE, FINE)], payments, today, **kw)  # type: ignore[arg-type]


# -- 第七十二条: 3 % of the fine a day after the deadline, at most the fine --


def test_nothing_is_owed_on_the_day_of_the_deadline() -> None:
    assert owed(DUE - timedelta(days=1)) == Decimal("0.00")
    assert owed(DUE) == Decimal("0.00")


def test_the_day_after_the_deadline_costs_three_percent() -> None:
    assert owed(DUE + timedelta(days=1)) == Decimal("30.00")
    assert owed(DUE + timedelta(days=2)) == Decimal("60.00")


def test_the_cap_is_reached_on_the_34th_day_and_never_passed() -> None:
    assert owed(DUE + timedelta(days=33)) == Decimal("990.00")
    assert owed(DUE + timedelta(days=34)) == Decimal("1000.00")  # 102 % → the fine
    assert owed(DUE + timedelta(days=35)) == Decimal("1000.00")
    assert owed(DUE + timedelta(days=400)) == Decimal("1000.00")


def test_a_payment_stops_the_surcharge_after_its_day_but_not_on_it() -> None:
    paid = [(DUE + timedelta(days=3), FINE)]
    assert owed(DUE + timedelta(days=3), paid) == Decimal("90.00")
    assert owed(DUE + timedelta(days=30), paid) == Decimal("90.00")


def test_a_part_payment_leaves_the_surcharge_on_what_is_still_unpaid() -> None:
    # 400 paid on the 2nd day late: day 1 and 2 on 1,000 (60), days 3–4 on 600 (36).
    paid = [(DUE + timedelta(days=2), Decimal(400))]
    assert owed(DUE + timedelta(days=4), paid) == Decimal("96.00")


def test_paying_before_the_deadline_costs_nothing() -> None:
    assert owed(DUE + timedelta(days=40), [(DUE - timedelta(days=5), FINE)]) == Decimal("0.00")


def test_instalments_each_run_from_their_own_day_and_are_capped_at_themselves() -> None:
    plan = [Instalment(D(2026, 4, 1), Decimal(600)), Instalment(D(2026, 5, 1), Decimal(400))]
    # The first instalment paid on time, the second 2 days late: 2 × 3 % × 400.
    paid = [(D(2026, 4, 1), Decimal(600)), (D(2026, 5, 3), Decimal(400))]
    assert late_fee_owed(FINE, plan, paid, D(2026, 6, 1)) == Decimal("24.00")
    # Nothing paid: the first instalment reaches its cap (600) on its 34th day late, the second
    # runs on — the total stays under the fine until both are capped.
    assert late_fee_owed(FINE, plan, [], D(2026, 5, 2)) == Decimal("570.00")  # 31×18 + 1×12
    assert late_fee_owed(FINE, plan, [], D(2026, 5, 5)) == Decimal("600.00") + Decimal("48.00")
    assert late_fee_owed(FINE, plan, [], D(2026, 12, 31)) == FINE


def test_payments_settle_the_earliest_instalment_first() -> None:
    plan = [Instalment(D(2026, 4, 1), Decimal(600)), Instalment(D(2026, 5, 1), Decimal(400))]
    # 600 paid a day late settles the first instalment (18 元); nothing is left for the second.
    paid = [(D(2026, 4, 2), Decimal(600))]
    assert late_fee_owed(FINE, plan, paid, D(2026, 5, 1)) == Decimal("18.00")
    assert late_fee_owed(FINE, plan, paid, D(2026, 5, 2)) == Decimal("30.00")


def test_a_surcharge_carried_from_before_an_arrangement_counts_toward_the_cap() -> None:
    plan = [Instalment(D(2026, 4, 1), FINE)]
    assert late_fee_owed(FINE, plan, [], D(2026, 4, 2), carried=Decimal(50)) == Decimal("80.00")
    assert late_fee_owed(FINE, plan, [], D(2026, 12, 1), carried=Decimal(50)) == FINE


def test_the_one_instalment_reading_is_the_old_late_fee() -> None:
    for days in (0, 1, 2, 33, 34, 60):
        today = DUE + timedelta(days=days)
        assert late_fee(FINE, DUE, today) == owed(today)


# -- 第六十八、六十九条: 当场收缴 --


@pytest.mark.parametrize(
    ("simple", "fine", "ground", "ok"),
    [
        (True, Decimal(100), None, True),  # 第六十八条第一项: 100 元 is "一百元以下"
        (True, Decimal("100.01"), None, False),
        (True, Decimal(200), OnTheSpotGround.HARD_TO_COLLECT, True),  # 第六十八条第二项
        (False, Decimal(200), OnTheSpotGround.HARD_TO_COLLECT, False),  # only on the spot
        (False, Decimal(50), None, False),  # a general-procedure fine is paid at the bank
        (False, Decimal(5000), OnTheSpotGround.REMOTE_AREA, True),  # 第六十九条
        (True, Decimal(300), OnTheSpotGround.SMALL_FINE, False),
    ],
)
def test_on_the_spot_collection_only_where_articles_68_and_69_allow_it(
    simple: bool, fine: Decimal, ground: OnTheSpotGround | None, ok: bool
) -> None:
    verdict = on_the_spot_collection_allowed(simple_procedure=simple, fine=fine, ground=ground)
    assert verdict.ok is ok
    assert "第六十" in verdict.article


def test_a_refused_collection_says_where_to_pay_instead() -> None:
    verdict = on_the_spot_collection_allowed(simple_procedure=True, fine=Decimal(150), ground=None)
    assert "十五日内到指定的银行" in verdict.reason
    assert verdict.article.startswith("《行政处罚法》第六十七条")


# -- 第九、十八、五十九条: kinds and their amounts --


def test_detention_is_open_only_to_public_security() -> None:
    assert PenaltyKind.DETENTION not in penalty_kinds_open_to(detention_allowed=False)
    assert PenaltyKind.DETENTION in penalty_kinds_open_to(detention_allowed=True)
    assert PenaltyKind.FINE in penalty_kinds_open_to(detention_allowed=False)


def test_each_chosen_kind_needs_its_amount() -> None:
    problems = penalty_amounts_problems(
        ["fine", "confiscation_of_gains", "confiscation_of_property"],
        fine=Decimal(0),
        gains=None,
        property_description=" ",
    )
    assert [p.field for p in problems] == ["fine", "confiscation", "confiscated_property"]
    assert problems[0].message == "选择了罚款，罚款金额须大于0元"
    assert problems[0].article == "《行政处罚法》第五十九条第一款第三项"
    assert penalty_amounts_problems(["fine"], fine=Decimal("0.01"), gains=None) == []


def test_an_amount_for_a_kind_not_chosen_is_refused() -> None:
    problems = penalty_amounts_problems(["warning"], fine=Decimal(100), gains=Decimal(5))
    assert [p.field for p in problems] == ["fine", "confiscation"]


# -- 《行政强制法》第五十三条: the court after the 复议 and 诉讼 periods, for three months --


def test_the_court_window_opens_the_day_after_six_months_and_lasts_three(
    cal: WorkdayCalendar,
) -> None:
    served = D(2026, 3, 2)
    first, last = coercion.court_application_window(served, cal)
    assert coercion.appeal_periods_end(served, cal) == D(2026, 9, 2)  # 6 months (诉讼) > 60 d
    assert first == D(2026, 9, 3)
    assert last == D(2026, 12, 2)


def test_a_litigation_period_ending_on_a_rest_day_moves_the_window(cal: WorkdayCalendar) -> None:
    # Served 2026-04-04: six months end on Sunday 4 October, inside the National Day holiday;
    # the period ends on the first working day after it.
    end = coercion.appeal_periods_end(D(2026, 4, 4), cal)
    assert end > D(2026, 10, 7) and cal.is_workday(end)
    assert not cal.is_workday(end - timedelta(days=1))
