"""Money tracked to the fen: fine, confiscated gains and property apart; each payment against
one amount with its receipt, channel and day; the 第七十二条 surcharge; 分期 (第六十六条);
当场收缴 (第六十八至七十条); the court only inside the 《行政强制法》第五十三条 window."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhifa.cases import services
from zhifa.cases.models import Case, Extension
from zhifa.cases.selectors import case_deadlines, case_money, case_offered_steps
from zhifa.core.exceptions import RuleViolation

from .conftest import COMPANY, PENALTY_CODE, PERSON, World, entered_on, entries_of

pytestmark = pytest.mark.django_db

S = Case.State
FINE, GAINS = Decimal(30000), Decimal(3000)
PROPERTY = "过期牛奶12盒"


def _notified(world: World) -> Case:
    case = world.in_review(date(2026, 3, 4), date(2026, 4, 1), party=COMPANY)
    with entered_on(date(2026, 4, 1)):
        return services.case_notify(
            actor=world.p.officer,
            case=case,
            on=date(2026, 4, 1),
            facts="销售超过保质期的牛奶12盒，违法所得3000元",
            reasons="违反《食品安全法》第三十四条第（十）项",
            basis="《食品安全法》第一百二十四条第一款第（五）项",
            penalty_kinds=["fine", "confiscation_of_gains", "confiscation_of_property"],
            fine=FINE,
            confiscation=GAINS,
            confiscated_property=PROPERTY,
            confiscated_property_value=Decimal("96.50"),
        )


def _served(world: World, served_on: date = date(2026, 5, 8)) -> Case:
    case = _notified(world)
    with entered_on(date(2026, 4, 2)):
        case = services.case_statement_record(
            actor=world.p.officer, case=case, on=date(2026, 4, 2), content="", waived=True
        )
    with entered_on(date(2026, 4, 28)):
        case = services.case_decide(
            actor=world.p.head,
            case=case,
            on=date(2026, 4, 28),
            penalty_kinds=["fine", "confiscation_of_gains", "confiscation_of_property"],
            fine=FINE,
            confiscation=GAINS,
            confiscated_property=PROPERTY,
            confiscated_property_value=Decimal("96.50"),
        )
    with entered_on(served_on):
        return services.case_serve(
            actor=world.p.officer, case=case, on=served_on, method=Case.ServiceMethod.DIRECT
        )


def _pay(world: World, case: Case, on: date, amount: str, **kw: str) -> Case:
    with entered_on(on):
        return services.case_payment_record(
            actor=world.p.officer,
            case=case,
            on=on,
            amount=Decimal(amount),
            receipt=kw.pop("receipt", f"非税{on:%m%d}"),
            **kw,
        )


# -- separate amounts ---------------------------------------


def test_the_decision_keeps_fine_gains_and_property_apart(world: World) -> None:
    case = _served(world)
    decide = next(e for e in entries_of(case) if e.action == "case.decide").data["case"]
    assert decide["fine"] == "30000.00" and decide["confiscation"] == "3000.00"
    assert decide["confiscated_property"] == PROPERTY
    assert decide["confiscated_property_value"] == "96.50"
    money = case_money(case, date(2026, 5, 9))
    assert [(m.label, m.due, m.outstanding) for m in money.lines] == [
        ("罚款", FINE, FINE),
        ("没收违法所得", GAINS, GAINS),
    ]
    assert money.property_description == PROPERTY
    assert case.notified_confiscated_property == PROPERTY


def test_a_payment_is_recorded_against_one_amount_with_its_receipt_and_channel(
    world: World,
) -> None:
    case = _pay(world, _served(world), date(2026, 5, 20), "3000", item="confiscation")
    assert case.paid_confiscation == GAINS and case.paid_amount == 0
    entry = entries_of(case)[-1]
    assert entry.action == "case.payment_record"
    step = entry.data["step"]["data"]
    assert step["item"] == "confiscation" and step["amount"] == "3000.00"
    assert step["channel"] == "bank" and step["receipt"] == "非税0520"
    assert entry.data["step"]["summary"] == "没收违法所得3000.00元，银行缴款，票据号码非税0520"
    assert entry.data["case"] == {"paid_confiscation": "3000.00", "late_fee": "0.00"}


def test_an_overpayment_is_refused_naming_what_is_outstanding(world: World) -> None:
    case = _served(world)
    before = len(entries_of(case))
    with pytest.raises(RuleViolation) as exc:
        _pay(world, case, date(2026, 5, 20), "33000")
    assert "超过罚款尚欠的30,000.00元" in str(exc.value)
    assert exc.value.field == "amount"
    assert len(entries_of(case)) == before


def test_amounts_are_kept_to_the_fen(world: World) -> None:
    case = _pay(world, _served(world), date(2026, 5, 20), "29999.99")
    assert case_money(case, date(2026, 5, 20)).line("fine").outstanding == Decimal("0.01")  # type: ignore[union-attr]
    with pytest.raises(RuleViolation, match=r"尚欠的0\.01元"):
        _pay(world, case, date(2026, 5, 21), "0.02")
    case = _pay(world, case, date(2026, 5, 21), "0.01")
    assert case.paid_amount == FINE


def test_no_payment_step_once_everything_is_paid(world: World) -> None:
    case = _pay(world, _served(world), date(2026, 5, 20), "30000")
    offered = [s.service for s in case_offered_steps(case, date(2026, 5, 20))]
    assert "case_payment_record" in offered  # the confiscated gains are still owed
    case = _pay(world, case, date(2026, 5, 20), "3000", item="confiscation")
    offered = [s.service for s in case_offered_steps(case, date(2026, 5, 20))]
    assert offered == ["case_close"]
    with pytest.raises(RuleViolation, match="已全部缴清"):
        _pay(world, case, date(2026, 5, 21), "1")


# -- 第七十二条 surcharge -------------------------------------


def test_the_late_fee_is_shown_to_the_day_and_payable(world: World) -> None:
    case = _pay(world, _served(world), date(2026, 5, 20), "3000", item="confiscation")
    assert case.payment_due_on == date(2026, 5, 25)
    assert case_money(case, date(2026, 5, 25)).line("late_fee") is None
    assert case_money(case, date(2026, 5, 26)).line("late_fee").due == Decimal(900)  # type: ignore[union-attr]
    case = _pay(world, case, date(2026, 5, 27), "30000")
    assert case.late_fee == Decimal(1800)  # two days × 3 % of 30,000
    assert case_money(case, date(2026, 12, 1)).line("late_fee").due == Decimal(1800)  # type: ignore[union-attr]
    with entered_on(date(2026, 5, 28)), pytest.raises(RuleViolation, match="加处罚款尚欠"):
        services.case_close(actor=world.p.head, case=case, on=date(2026, 5, 28))
    case = _pay(world, case, date(2026, 5, 28), "1800", item="late_fee")
    assert case.paid_late_fee == Decimal(1800)
    with entered_on(date(2026, 5, 28)):
        assert services.case_close(actor=world.p.head, case=case, on=date(2026, 5, 28)).state == (
            S.CLOSED
        )


# -- 第六十六条 instalments ----------------------------------


def test_instalments_count_payments_and_a_missed_instalment_owes_its_own_surcharge(
    world: World,
) -> None:
    case = _served(world)
    with entered_on(date(2026, 5, 10)):
        row = services.case_payment_arrange(
            actor=world.p.head,
            case=case,
            on=date(2026, 5, 10),
            kind=Extension.Kind.PAYMENT_INSTALMENT,
            reason="经营困难",
            due_on=date(2026, 7, 10),
            instalments=[(date(2026, 6, 10), Decimal(15000)), (date(2026, 7, 10), Decimal(15000))],
        )
    assert row.paid_before == 0 and row.late_fee_carried == 0
    schedule = entries_of(case)[-1].data["schedule"]
    assert schedule["instalments"][0] == {"on": "2026-06-10", "amount": "15000.00"}
    case = _pay(world, case, date(2026, 6, 9), "15000")
    money = case_money(case, date(2026, 7, 10))
    assert [(p.due_on, p.outstanding) for p in money.schedule] == [
        (date(2026, 6, 10), 0),
        (date(2026, 7, 10), Decimal(15000)),
    ]
    assert money.line("late_fee") is None  # the second is due today: nothing yet
    # Paid 3 days late: 3 × 3 % of that instalment only.
    case = _pay(world, case, date(2026, 7, 13), "15000")
    assert case.late_fee == Decimal(1350)


def test_an_instalment_plan_must_add_up_to_the_outstanding_fine(world: World) -> None:
    case = _served(world)
    with entered_on(date(2026, 5, 10)), pytest.raises(RuleViolation, match="第六十六条"):
        services.case_payment_arrange(
            actor=world.p.head,
            case=case,
            on=date(2026, 5, 10),
            kind=Extension.Kind.PAYMENT_INSTALMENT,
            reason="经营困难",
            due_on=date(2026, 7, 10),
            instalments=[(date(2026, 6, 10), Decimal(10000)), (date(2026, 7, 10), Decimal(10000))],
        )


# -- 《行政强制法》第五十三条 ------------------------------------


def _court(world: World, case: Case, on: date) -> Case:
    with entered_on(on):
        return services.case_court_apply(
            actor=world.p.head, case=case, on=on, court="示范市甲区人民法院"
        )


def test_the_court_is_applied_to_only_after_the_appeal_periods_and_within_three_months(
    world: World,
) -> None:
    case = _served(world)
    # served 2026-05-08: the 6 months to sue end on 2026-11-09 (the 8th is a Sunday).
    with pytest.raises(RuleViolation) as exc:
        _court(world, case, date(2026, 11, 9))
    assert exc.value.article == "《行政强制法》第五十三条"
    assert "2026年11月10日" in str(exc.value) and "《行政诉讼法》第四十六条" in str(exc.value)
    steps = case_offered_steps(case, date(2026, 11, 9))
    court = next(s for s in steps if s.service == "case_court_apply")
    assert "2026年11月10日" in court.unavailable
    assert "申请人民法院强制执行" not in [c.name for c in case_deadlines(case, date(2026, 11, 9))]
    court_due = next(
        c for c in case_deadlines(case, date(2026, 11, 10)) if c.name.startswith("申请")
    )
    assert court_due.due_on == date(2027, 2, 9) and court_due.article == "《行政强制法》第五十三条"
    case = _court(world, case, date(2026, 11, 10))
    assert case.court_applied_on == date(2026, 11, 10)
    assert entries_of(case)[-1].action == "case.court_apply"


def test_no_court_application_once_paid(world: World) -> None:
    case = _pay(world, _served(world), date(2026, 5, 20), "30000")
    case = _pay(world, case, date(2026, 5, 20), "3000", item="confiscation")
    assert "case_court_apply" not in [
        s.service for s in case_offered_steps(case, date(2026, 12, 1))
    ]
    with pytest.raises(RuleViolation, match="已全部缴清") as exc:
        _court(world, case, date(2026, 11, 10))
    assert exc.value.article == "《行政强制法》第五十三条"


# -- kinds and amounts ----------------------------------------


def test_a_market_bureau_may_not_decide_detention(world: World) -> None:
    case = world.in_review(date(2026, 3, 4), date(2026, 4, 1))
    with entered_on(date(2026, 4, 1)), pytest.raises(RuleViolation) as exc:
        services.case_notify(
            actor=world.p.officer,
            case=case,
            on=date(2026, 4, 1),
            facts="事实",
            reasons="理由",
            basis="依据",
            penalty_kinds=["detention"],
        )
    assert exc.value.article == "《行政处罚法》第十八条第三款"
    assert "detention" not in services.penalty_kinds_for(case)


def test_a_fine_of_zero_is_refused_with_the_field_and_article(world: World) -> None:
    case = world.in_review(date(2026, 3, 4), date(2026, 4, 1))
    with entered_on(date(2026, 4, 1)), pytest.raises(RuleViolation) as exc:
        services.case_notify(
            actor=world.p.officer,
            case=case,
            on=date(2026, 4, 1),
            facts="事实",
            reasons="理由",
            basis="依据",
            penalty_kinds=["confiscation_of_gains"],
            confiscation=Decimal(0),
        )
    assert exc.value.field == "confiscation"
    assert exc.value.article == "《行政处罚法》第五十九条第一款第三项"


# -- 简易程序: 当场收缴 (第六十八至七十条) ------------------------------


def _on_the_spot(world: World, fine: str, on: date = date(2026, 6, 10)) -> Case:
    with entered_on(on):
        case = services.case_simple_decide(
            actor=world.p.officer,
            power_code=PENALTY_CODE,
            title="占道经营",
            on=on,
            party=PERSON,
            penalty_kind="fine",
            fine=Decimal(fine),
            officers=[world.o1, world.o2],
            place="幸福路菜市场门前",
        )
        return services.case_serve(actor=world.p.officer, case=case, on=on, method="on_the_spot")


def test_a_fine_of_100_yuan_is_collected_on_the_spot_with_the_receipt(world: World) -> None:
    case = _on_the_spot(world, "100")
    with pytest.raises(RuleViolation, match="专用票据") as exc:
        _pay(world, case, date(2026, 6, 10), "100", channel="on_the_spot", receipt=" ")
    assert exc.value.article == "《行政处罚法》第七十条"
    case = _pay(world, case, date(2026, 6, 10), "100", channel="on_the_spot", receipt="No.0001")
    step = entries_of(case)[-1].data["step"]["data"]
    assert step["channel"] == "on_the_spot" and step["receipt"] == "No.0001"
    assert "第六十八条第一项" in step["ground"]


def test_a_fine_above_100_yuan_is_paid_at_the_bank_unless_hard_to_collect(world: World) -> None:
    case = _on_the_spot(world, "150")
    with pytest.raises(RuleViolation, match="十五日内到指定的银行"):
        _pay(world, case, date(2026, 6, 10), "150", channel="on_the_spot", receipt="No.2")
    case = _pay(
        world,
        case,
        date(2026, 6, 10),
        "150",
        channel="on_the_spot",
        receipt="No.2",
        ground="hard_to_collect",
    )
    assert case.paid_amount == Decimal(150)


def test_an_unpaid_on_the_spot_fine_cannot_be_closed(world: World) -> None:
    case = _on_the_spot(world, "150")
    assert case.payment_due_on == date(2026, 6, 25)  # 15 days (第六十七条)
    with entered_on(date(2026, 6, 11)):
        case = services.case_file(actor=world.p.officer, case=case, on=date(2026, 6, 11))
    close = next(
        s for s in case_offered_steps(case, date(2026, 6, 12)) if s.service == "case_close"
    )
    assert close.unavailable.startswith("罚款尚欠150.00元：缴清或者申请人民法院强制执行后才能结案")
    countdown = case_deadlines(case, date(2026, 6, 12))[0]
    assert (countdown.name, countdown.due_on) == ("缴纳罚款", date(2026, 6, 25))
    with entered_on(date(2026, 6, 12)), pytest.raises(RuleViolation, match=r"罚款尚欠150\.00元"):
        services.case_close(actor=world.p.head, case=case, on=date(2026, 6, 12))
    case = _pay(world, case, date(2026, 6, 12), "150", channel="electronic")
    with entered_on(date(2026, 6, 12)):
        case = services.case_close(actor=world.p.head, case=case, on=date(2026, 6, 12))
    assert case.state == S.CLOSED


# -- documents: each amount on its own -----------------------


def test_the_notice_decision_and_closing_form_print_each_amount_apart(
    world: World, evidence_dir: object
) -> None:
    from zhifa.cases.documents import document_generate

    from .test_documents import assert_reads

    case = _pay(world, _served(world), date(2026, 5, 20), "30000")
    case = _pay(world, case, date(2026, 5, 20), "3000", item="confiscation")
    with entered_on(date(2026, 5, 21)):
        case = services.case_close(actor=world.p.head, case=case, on=date(2026, 5, 21))
        docs = {
            kind: document_generate(actor=world.p.officer, case=case, kind=kind, on=on)
            for kind, on in (
                ("penalty_notice", date(2026, 4, 1)),
                ("penalty_decision", date(2026, 4, 28)),
                ("close_approval", date(2026, 5, 21)),
            )
        }
    amounts = (
        "罚款人民币30000.00元（大写：叁万元整）",
        "没收违法所得人民币3000.00元（大写：叁仟元整）",
        "没收非法财物：过期牛奶12盒（估值人民币96.50元）",
    )
    assert_reads(docs["penalty_notice"], *amounts)
    assert_reads(docs["penalty_decision"], *amounts)
    assert_reads(
        docs["close_approval"],
        "罚款已缴纳30000.00元（大写：叁万元整）",
        "没收违法所得已缴纳3000.00元（大写：叁仟元整）",
    )


# -- 第六十六条 deferral ---------------------------------------


def test_a_deferral_moves_the_day_the_surcharge_starts(world: World) -> None:
    case = _served(world)
    with entered_on(date(2026, 5, 20)):
        services.case_payment_arrange(
            actor=world.p.head,
            case=case,
            on=date(2026, 5, 20),
            kind=Extension.Kind.PAYMENT_DEFERRAL,
            reason="确有经济困难",
            due_on=date(2026, 6, 30),
        )
    fine_fee = case_money(case, date(2026, 6, 30)).line("late_fee")
    assert fine_fee is None  # not owed on the deferred day itself
    assert case_money(case, date(2026, 7, 1)).line("late_fee").due == Decimal(900)  # type: ignore[union-attr]


def test_an_arrangement_made_after_the_deadline_keeps_the_surcharge_already_owed(
    world: World,
) -> None:
    case = _served(world)  # due 2026-05-25
    with entered_on(date(2026, 5, 27)):
        row = services.case_payment_arrange(
            actor=world.p.head,
            case=case,
            on=date(2026, 5, 27),
            kind=Extension.Kind.PAYMENT_DEFERRAL,
            reason="确有经济困难",
            due_on=date(2026, 6, 30),
        )
    assert row.late_fee_carried == Decimal(1800)  # 26th and 27th, 3 % of 30,000 each
    assert case_money(case, date(2026, 6, 30)).line("late_fee").due == Decimal(1800)  # type: ignore[union-attr]
    assert case_money(case, date(2026, 7, 1)).line("late_fee").due == Decimal(2700)  # type: ignore[union-attr]


def test_no_arrangement_once_the_fine_is_paid(world: World) -> None:
    case = _pay(world, _served(world), date(2026, 5, 20), "30000")
    assert "case_payment_arrange" not in [
        s.service for s in case_offered_steps(case, date(2026, 5, 20))
    ]
    with entered_on(date(2026, 5, 21)), pytest.raises(RuleViolation, match="已全部缴清"):
        services.case_payment_arrange(
            actor=world.p.head,
            case=case,
            on=date(2026, 5, 21),
            kind=Extension.Kind.PAYMENT_DEFERRAL,
            reason="困难",
            due_on=date(2026, 6, 30),
        )


def test_the_head_is_asked_to_close_only_once_every_amount_is_paid(world: World) -> None:
    from zhifa.cases.selectors import cases_awaiting_head

    def waiting(case: Case) -> bool:
        return cases_awaiting_head(Case.objects.all(), date(2026, 6, 1)).filter(pk=case.pk).exists()

    case = _pay(world, _served(world), date(2026, 5, 27), "30000")  # two days late
    assert not waiting(case)  # the gains and the surcharge are owed
    case = _pay(world, case, date(2026, 5, 27), "3000", item="confiscation")
    assert not waiting(case)
    case = _pay(world, case, date(2026, 5, 27), "1800", item="late_fee")
    assert waiting(case)


def test_confiscated_gains_and_property_value_together_give_the_hearing_right(
    world: World,
) -> None:
    def notified(value: str) -> Case:
        case = world.in_review(date(2026, 3, 4), date(2026, 4, 1))
        with entered_on(date(2026, 4, 1)):
            return services.case_notify(
                actor=world.p.officer,
                case=case,
                on=date(2026, 4, 1),
                facts="事实",
                reasons="理由",
                basis="依据",
                penalty_kinds=["confiscation_of_gains", "confiscation_of_property"],
                confiscation=Decimal(6000),
                confiscated_property="冷藏柜1台",
                confiscated_property_value=Decimal(value),
            )

    # 第六十三条: 10,000 元 for a citizen (market regulation's default threshold).
    assert not notified("3999.99").hearing_right
    assert notified("4000").hearing_right
