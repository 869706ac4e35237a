"""行政处罚 普通程序: a case from clue to archive, and each statutory guard at its boundary."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhifa.cases import services
from zhifa.cases.models import Case, CaseStep, Extension
from zhifa.core.exceptions import RuleViolation
from zhifa.law import penalty
from zhifa.registry import services as registry

from .conftest import COMPANY, PENALTY_CODE, World, actions_of, entries_of

pytestmark = pytest.mark.django_db

S = Case.State


def test_a_case_runs_from_clue_to_archive_with_one_record_entry_per_step(world: World) -> None:
    p = world.p
    seen: list[tuple[str, str, str]] = []

    def step(case: Case) -> None:
        entries = entries_of(case)
        assert len(entries) == len(seen) + 1, "every service appends exactly one entry"
        data = entries[-1].data
        seen.append((entries[-1].action, data["from"], data["to"]))

    case = world.clue()
    assert case.state == S.CLUE and case.number == ""
    step(case)
    case = services.case_register(actor=p.head, case=case, on=date(2026, 3, 4))
    step(case)
    assert case.number == "示范市监立〔2026〕1号"
    assert case.decision_deadline == date(2026, 6, 2)  # 90 days (第六十条)
    services.case_investigate(
        actor=p.officer,
        case=case,
        on=date(2026, 3, 10),
        kind=CaseStep.Kind.INSPECTION_RECORD,
        officers=[world.o1, world.o2],
        summary="现场检查货架，发现过期牛奶12盒",
    )
    step(case)
    services.case_investigate(
        actor=p.officer2,
        case=case,
        on=date(2026, 3, 11),
        kind=CaseStep.Kind.INTERVIEW_RECORD,
        officers=[world.o1, world.o2],
        summary="询问当事人",
    )
    step(case)
    case = services.case_submit_review(actor=p.officer, case=case, on=date(2026, 3, 20))
    step(case)
    case = services.case_notify(
        actor=p.officer,
        case=case,
        on=date(2026, 4, 1),
        facts="销售过期牛奶12盒",
        reasons="违反《食品安全法》第三十四条",
        basis="《食品安全法》第一百二十四条",
        penalty_kinds=["warning", "fine"],
        fine=Decimal(20000),
    )
    step(case)
    assert case.hearing_right  # a person fined 20,000 元 ≥ 10,000 元 (第六十三条)
    assert case.hearing_request_deadline == date(2026, 4, 9)  # 5 wd across 清明 (第六十四条)
    assert case.notice_number == "示范市监罚告〔2026〕1号"
    case = services.case_hearing_request(actor=p.officer, case=case, on=date(2026, 4, 3))
    step(case)
    case = services.case_hearing_notice(
        actor=p.officer,
        case=case,
        on=date(2026, 4, 8),
        hearing_on=date(2026, 4, 20),
        presider=world.reviewer_officer,
    )
    step(case)
    case = services.case_hearing_hold(
        actor=p.officer,
        case=case,
        on=date(2026, 4, 20),
        record="当事人申辩系店员疏忽",
        adoption="rejected",
        adoption_reasons="店员的行为由当事人承担责任",
    )
    step(case)
    case = services.case_decide(
        actor=p.head,
        case=case,
        on=date(2026, 4, 28),
        penalty_kinds=["warning", "fine"],
        fine=Decimal(20000),
    )
    step(case)
    assert case.decision_number == "示范市监罚〔2026〕1号"
    assert case.service_deadline == date(2026, 5, 11)
    case = services.case_serve(
        actor=p.officer, case=case, on=date(2026, 5, 8), method=Case.ServiceMethod.DIRECT
    )
    step(case)
    assert not case.service_late
    assert case.payment_due_on == date(2026, 5, 25)  # 15 d, the 23rd is a Saturday (第六十七条)
    case = services.case_payment_record(
        actor=p.officer, case=case, on=date(2026, 5, 20), amount=Decimal(20000)
    )
    step(case)
    case = services.case_close(actor=p.head, case=case, on=date(2026, 5, 28))
    step(case)
    case = services.case_archive(actor=p.head, case=case, on=date(2026, 6, 1))
    step(case)

    assert seen == [
        ("case.open", "", "clue"),
        ("case.register", "clue", "registered"),
        ("case.investigate", "registered", "investigating"),
        ("case.investigate", "investigating", "investigating"),
        ("case.submit_review", "investigating", "case_review"),
        ("case.notify", "case_review", "notified"),
        ("case.hearing_request", "notified", "hearing_requested"),
        ("case.hearing_notice", "hearing_requested", "hearing_requested"),
        ("case.hearing_hold", "hearing_requested", "hearing_held"),
        ("case.decide", "hearing_held", "decided"),
        ("case.serve", "decided", "served"),
        ("case.payment_record", "served", "executing"),
        ("case.close", "executing", "closed"),
        ("case.archive", "closed", "archived"),
    ]
    register = entries_of(case)[1]
    assert register.actor_name == "钱局长" and register.role == "head"
    assert register.data["case"]["number"] == "示范市监立〔2026〕1号"
    decide = entries_of(case)[9].data
    assert decide["case"]["fine"] == "20000.00"


# -- 立案: power list and limitation --------------------------


def test_case_open_refuses_a_power_not_on_the_published_list(world: World) -> None:
    with pytest.raises(RuleViolation, match="不在本机关已发布的权责清单中") as exc:
        services.case_open(
            actor=world.p.officer,
            kind=Case.Kind.PENALTY_GENERAL,
            power_code="NOT-LISTED",
            title="无依据",
            on=date(2026, 3, 2),
        )
    assert "清单之外无权力" in str(exc.value)
    assert not Case.objects.exists()


def test_case_open_refuses_a_power_of_another_category(world: World) -> None:
    with pytest.raises(RuleViolation, match="不是“行政处罚”类事项"):
        services.case_open(
            actor=world.p.officer,
            kind=Case.Kind.PENALTY_GENERAL,
            power_code="JC-001",
            title="检查事项不能立处罚案",
            on=date(2026, 3, 2),
        )


def test_case_register_refuses_a_power_repealed_after_the_clue(world: World) -> None:
    case = world.clue()
    registry.power_item_repeal(
        actor=world.p.admin, item=world.penalty_item, reason="职能划转", on=date(2026, 3, 3)
    )
    with pytest.raises(RuleViolation, match=PENALTY_CODE):
        services.case_register(actor=world.p.head, case=case, on=date(2026, 3, 4))


def test_registration_is_allowed_on_the_last_day_of_the_limitation(world: World) -> None:
    ended = date(2024, 11, 20)
    last = penalty.limitation_deadline(ended)
    assert last == date(2026, 11, 20)
    case = world.clue(on=last, act_ended_on=ended)
    case = services.case_register(actor=world.p.head, case=case, on=last)
    assert case.state == S.REGISTERED
    # 90 days reach 2027, whose holidays are not published: marked provisional, never guessed.
    assert case.deadlines_provisional


def test_registration_the_day_after_the_limitation_is_refused_citing_article_36(
    world: World,
) -> None:
    case = world.clue(on=date(2026, 11, 21), act_ended_on=date(2024, 11, 20))
    with pytest.raises(RuleViolation, match="已超过2年") as exc:
        services.case_register(actor=world.p.head, case=case, on=date(2026, 11, 21))
    assert exc.value.article == "《行政处罚法》第三十六条"
    assert Case.objects.get(pk=case.pk).state == S.CLUE
    assert actions_of(case) == ["case.open"]


def test_a_serious_case_has_five_years(world: World) -> None:
    case = world.clue(on=date(2026, 11, 21), act_ended_on=date(2022, 11, 21), serious=True)
    case = services.case_register(actor=world.p.head, case=case, on=date(2026, 11, 21))
    assert case.state == S.REGISTERED


def test_only_the_head_approves_registration(world: World) -> None:
    case = world.clue()
    with pytest.raises(RuleViolation, match="机关负责人批准"):
        services.case_register(actor=world.p.officer, case=case, on=date(2026, 3, 4))


def test_a_refused_registration_leaves_no_gap_in_case_numbers(world: World) -> None:
    late = world.clue(on=date(2026, 11, 21), act_ended_on=date(2024, 11, 20))
    with pytest.raises(RuleViolation):
        services.case_register(actor=world.p.head, case=late, on=date(2026, 11, 21))
    case = services.case_register(actor=world.p.head, case=world.clue(), on=date(2026, 3, 4))
    assert case.number == "示范市监立〔2026〕1号"


# -- 调查取证: two officers valid on the day --------------------


def _interview(world: World, case: Case, on: date, officers: list) -> None:  # type: ignore[type-arg]
    services.case_investigate(
        actor=world.p.officer,
        case=case,
        on=on,
        kind=CaseStep.Kind.INTERVIEW_RECORD,
        officers=officers,
        summary="询问笔录",
    )


def test_an_officer_whose_certificate_expires_that_day_may_still_act(world: World) -> None:
    case = world.registered(date(2026, 6, 1))
    _interview(world, case, date(2026, 6, 30), [world.o1, world.expired])
    assert Case.objects.get(pk=case.pk).state == S.INVESTIGATING


def test_an_expired_certificate_is_refused_naming_the_officer_and_the_expiry(
    world: World,
) -> None:
    case = world.registered(date(2026, 6, 1))
    with pytest.raises(RuleViolation) as exc:
        _interview(world, case, date(2026, 7, 1), [world.o1, world.expired])
    message = str(exc.value)
    assert "王过期" in message and "2026-06-30" in message and "张执法" not in message
    assert "第四十二条" in message
    assert not CaseStep.objects.filter(case=case).exists()
    assert actions_of(case) == ["case.open", "case.register"]


def test_one_officer_alone_may_not_investigate(world: World) -> None:
    case = world.registered()
    with pytest.raises(RuleViolation, match="执法人员不得少于两人"):
        _interview(world, case, date(2026, 3, 10), [world.o1, world.o1])


def test_an_officer_of_another_agency_does_not_count(world: World) -> None:
    case = world.registered()
    other = world.p.officer_b.officer
    assert other is not None
    with pytest.raises(RuleViolation, match="周乙区不是本机关的执法人员"):
        _interview(world, case, date(2026, 3, 10), [world.o1, other])


# -- 听证: the request window and the notice ------------------


def test_a_hearing_request_on_the_fifth_working_day_is_accepted(world: World) -> None:
    # 2026-09-29 + 5 working days: 9-30, 10-08, 10-09, 10-10 (调休上班), 10-12 — 国庆 in between.
    case = world.notified(date(2026, 9, 1), date(2026, 9, 29))
    assert case.hearing_request_deadline == date(2026, 10, 12)
    case = services.case_hearing_request(actor=world.p.officer, case=case, on=date(2026, 10, 12))
    assert case.state == S.HEARING_REQUESTED


def test_a_hearing_request_on_the_sixth_working_day_is_refused(world: World) -> None:
    case = world.notified(date(2026, 9, 1), date(2026, 9, 29))
    with pytest.raises(RuleViolation, match="五个工作日内") as exc:
        services.case_hearing_request(actor=world.p.officer, case=case, on=date(2026, 10, 13))
    assert "第六十四条" in exc.value.article


def test_no_hearing_right_below_the_threshold(world: World) -> None:
    case = world.notified(date(2026, 3, 4), date(2026, 4, 1), fine=Decimal(9999))
    assert not case.hearing_right
    with pytest.raises(RuleViolation, match="不属于应当告知听证权利"):
        services.case_hearing_request(actor=world.p.officer, case=case, on=date(2026, 4, 2))


def test_hearing_thresholds_are_a_setting(world: World, settings: object) -> None:
    settings.ZHIFA_HEARING_THRESHOLD_PERSON = 5000  # type: ignore[attr-defined]
    case = world.notified(date(2026, 3, 4), date(2026, 4, 1), fine=Decimal(5000))
    assert case.hearing_right


def _hearing_requested(world: World) -> Case:
    case = world.notified(date(2026, 3, 4), date(2026, 4, 1))
    return services.case_hearing_request(actor=world.p.officer, case=case, on=date(2026, 4, 3))


def test_hearing_notice_needs_seven_working_days(world: World) -> None:
    case = _hearing_requested(world)
    with pytest.raises(RuleViolation, match="不足七个工作日"):
        services.case_hearing_notice(
            actor=world.p.officer,
            case=case,
            on=date(2026, 4, 8),
            hearing_on=date(2026, 4, 17),  # the 7th working day itself
            presider=world.reviewer_officer,
        )


def test_an_investigator_may_not_preside_the_hearing(world: World) -> None:
    case = _hearing_requested(world)
    with pytest.raises(RuleViolation, match="张执法是本案调查人员，不能主持听证"):
        services.case_hearing_notice(
            actor=world.p.officer,
            case=case,
            on=date(2026, 4, 8),
            hearing_on=date(2026, 4, 20),
            presider=world.o1,
        )


# -- 决定 -----------------------------------------------------


def _stated(world: World) -> Case:
    return world.stated(date(2026, 3, 4), date(2026, 3, 20), date(2026, 3, 23))


def _decide(world: World, case: Case, on: date, fine: Decimal = Decimal(20000)) -> Case:
    return services.case_decide(
        actor=world.p.head, case=case, on=on, penalty_kinds=["warning", "fine"], fine=fine
    )


def test_a_decision_on_day_90_is_allowed(world: World) -> None:
    case = _decide(world, _stated(world), date(2026, 6, 2))
    assert case.state == S.DECIDED


def test_a_decision_on_day_91_is_refused_without_an_extension(world: World) -> None:
    with pytest.raises(RuleViolation, match="九十日") as exc:
        _decide(world, _stated(world), date(2026, 6, 3))
    assert exc.value.article == "《行政处罚法》第六十条"


def test_a_decision_on_day_91_is_allowed_with_an_approved_extension(world: World) -> None:
    case = _stated(world)
    ext = services.case_decision_extend(
        actor=world.p.head, case=case, on=date(2026, 5, 29), reason="需要检验检测"
    )
    assert ext.new_deadline == date(2026, 7, 2)
    assert Extension.objects.filter(case=case, kind=Extension.Kind.DECISION).count() == 1
    assert actions_of(case)[-1] == "case.decision_extend"
    case = _decide(world, case, date(2026, 6, 3))
    assert case.state == S.DECIDED


def test_a_second_extension_needs_collective_discussion(world: World) -> None:
    case = _stated(world)
    services.case_decision_extend(actor=world.p.head, case=case, on=date(2026, 5, 1), reason="检测")
    with pytest.raises(RuleViolation, match="集体讨论"):
        services.case_decision_extend(
            actor=world.p.head, case=case, on=date(2026, 5, 2), reason="再延"
        )
    services.case_decision_extend(
        actor=world.p.head,
        case=case,
        on=date(2026, 5, 2),
        reason="再延",
        collective_discussion=True,
    )


def test_a_fine_heavier_than_notified_is_refused_citing_articles_62_and_45(world: World) -> None:
    with pytest.raises(RuleViolation, match="高于事先告知") as exc:
        _decide(world, _stated(world), date(2026, 4, 1), fine=Decimal("20000.01"))
    # Each sentence with the article it comes from: 第六十二条 for what was not notified, and
    # 第四十五条第二款 for "不得因当事人陈述、申辩而给予更重的处罚".
    assert exc.value.article == "《行政处罚法》第六十二条、第四十五条第二款"
    assert "不得因当事人陈述、申辩而给予更重的处罚（第四十五条第二款）" in str(exc.value)


def test_a_penalty_kind_not_notified_is_refused(world: World) -> None:
    with pytest.raises(RuleViolation, match="吊销许可证件"):
        services.case_decide(
            actor=world.p.head,
            case=_stated(world),
            on=date(2026, 4, 1),
            penalty_kinds=["fine", "licence_revocation"],
            fine=Decimal(100),
        )


def test_a_lighter_fine_after_the_defence_is_allowed(world: World) -> None:
    case = _decide(world, _stated(world), date(2026, 4, 1), fine=Decimal(15000))
    assert case.fine == Decimal("15000.00")


def test_a_grave_case_needs_collective_discussion(world: World) -> None:
    with pytest.raises(RuleViolation, match="集体讨论") as exc:
        services.case_decide(
            actor=world.p.head,
            case=_stated(world),
            on=date(2026, 4, 1),
            penalty_kinds=["fine"],
            fine=Decimal(20000),
            complex_or_grave=True,
        )
    assert "第五十七条" in exc.value.article


def test_no_decision_while_the_party_may_still_be_heard(world: World) -> None:
    case = world.notified(date(2026, 3, 4), date(2026, 4, 1))
    with pytest.raises(RuleViolation, match="2026年4月9日届满"):
        _decide(world, case, date(2026, 4, 9))
    assert _decide(world, case, date(2026, 4, 10)).state == S.DECIDED


# -- 送达 and 执行 ----------------------------------------------


def test_service_on_the_seventh_working_day_is_in_time(world: World) -> None:
    case = services.case_serve(
        actor=world.p.officer, case=world.decided(), on=date(2026, 5, 11), method="direct"
    )
    assert not case.service_late


def test_service_on_the_eighth_working_day_is_recorded_but_flagged_late(world: World) -> None:
    case = services.case_serve(
        actor=world.p.officer, case=world.decided(), on=date(2026, 5, 12), method="mail"
    )
    assert case.state == S.SERVED and case.service_late
    assert entries_of(case)[-1].data["late"] is True


def test_electronic_service_needs_the_partys_consent(world: World) -> None:
    with pytest.raises(RuleViolation, match="同意电子送达"):
        services.case_serve(
            actor=world.p.officer, case=world.decided(), on=date(2026, 5, 8), method="electronic"
        )


def test_a_late_payment_owes_the_surcharge_and_the_case_closes_only_when_paid(
    world: World,
) -> None:
    case = services.case_serve(
        actor=world.p.officer, case=world.decided(), on=date(2026, 5, 8), method="direct"
    )
    case = services.case_payment_record(
        actor=world.p.officer, case=case, on=date(2026, 5, 27), amount=Decimal(20000)
    )
    assert case.late_fee == Decimal("1200.00")  # two days × 3 % (第七十二条)
    with pytest.raises(RuleViolation, match="尚未执行完毕"):
        services.case_close(actor=world.p.head, case=case, on=date(2026, 5, 28))
    with pytest.raises(RuleViolation, match=r"加处罚款尚欠1,200\.00元"):
        services.case_close(actor=world.p.head, case=case, on=date(2026, 5, 28))
    case = services.case_payment_record(
        actor=world.p.officer,
        case=case,
        on=date(2026, 5, 28),
        amount=Decimal(1200),
        item="late_fee",
        receipt="非税0002",
    )
    assert case.paid_late_fee == Decimal(1200) and case.paid_amount == Decimal(20000)
    assert services.case_close(actor=world.p.head, case=case, on=date(2026, 5, 28)).state == (
        S.CLOSED
    )


def test_instalments_are_approved_by_the_head(world: World) -> None:
    case = services.case_serve(
        actor=world.p.officer, case=world.decided(), on=date(2026, 5, 8), method="direct"
    )
    with pytest.raises(RuleViolation, match="机关负责人"):
        services.case_payment_arrange(
            actor=world.p.officer,
            case=case,
            on=date(2026, 5, 10),
            kind=Extension.Kind.PAYMENT_INSTALMENT,
            reason="经济困难",
            due_on=date(2026, 7, 25),
            instalments=[(date(2026, 6, 25), Decimal(10000)), (date(2026, 7, 25), Decimal(10000))],
        )
    row = services.case_payment_arrange(
        actor=world.p.head,
        case=case,
        on=date(2026, 5, 10),
        kind=Extension.Kind.PAYMENT_INSTALMENT,
        reason="经济困难",
        due_on=date(2026, 7, 25),
        instalments=[(date(2026, 6, 25), Decimal(10000)), (date(2026, 7, 25), Decimal(10000))],
    )
    case = Case.objects.get(pk=case.pk)
    assert case.state == S.EXECUTING and case.payment_due_on == date(2026, 7, 25)
    assert row.approved_by == world.p.head


# -- ends without penalty -----------------------------------


def test_first_violation_is_not_penalised_and_recorded_like_any_end(world: World) -> None:
    case = world.in_review(date(2026, 3, 4), date(2026, 3, 20), party=COMPANY)
    services.case_credit_check_record(
        actor=world.p.officer,
        case=case,
        on=date(2026, 3, 24),
        checked_by="张三",
        seen="未显示行政处罚信息",
        none_found=True,
    )
    case = services.case_not_penalise(
        actor=world.p.head,
        case=case,
        on=date(2026, 3, 25),
        ground=Case.NotPenalisedGround.FIRST_VIOLATION,
        reason="初次违法，危害后果轻微并及时改正",
    )
    assert case.state == S.NOT_PENALISED
    assert case.decision_number == "示范市监不罚〔2026〕1号"
    last = entries_of(case)[-1]
    assert last.action == "case.not_penalise"
    assert last.data["case"]["end_ground"] == "first_violation"
    assert last.data["leniency"]["history"] == ["2年内无同类违法记录（本平台范围内）"]
    with pytest.raises(RuleViolation, match="第三十三条第三款"):
        services.case_archive(actor=world.p.head, case=case, on=date(2026, 4, 1))
    services.case_education_record(
        actor=world.p.officer, case=case, on=date(2026, 3, 26), method="约谈", content="告知"
    )
    assert services.case_archive(actor=world.p.head, case=case, on=date(2026, 4, 1)).is_archived


def test_withdrawal_and_transfer_are_ends(world: World) -> None:
    a = services.case_withdraw(
        actor=world.p.head, case=world.registered(), on=date(2026, 3, 5), reason="重复立案"
    )
    b = services.case_transfer(
        actor=world.p.head,
        case=world.registered(),
        on=date(2026, 3, 5),
        organ="示范市公安局甲区分局",
        reason="涉嫌生产销售不符合安全标准的食品罪",
    )
    assert (a.state, b.state) == (S.WITHDRAWN, S.TRANSFERRED)
    assert actions_of(a)[-1] == "case.withdraw" and actions_of(b)[-1] == "case.transfer"


# -- the archive is read-only -------------------------------


def test_an_archived_case_refuses_every_service(world: World) -> None:
    case = services.case_not_register(
        actor=world.p.head, case=world.clue(), on=date(2026, 3, 3), reason="不属于本机关管辖"
    )
    case = services.case_archive(actor=world.p.head, case=case, on=date(2026, 3, 4))
    before = actions_of(case)
    on = date(2026, 3, 5)
    calls = [
        lambda: services.case_party_add(actor=world.p.officer, case=case, on=on, party=COMPANY),
        lambda: services.case_officer_assign(
            actor=world.p.officer, case=case, on=on, officer=world.expired, role="assistant"
        ),
        lambda: services.case_register(actor=world.p.head, case=case, on=on),
        lambda: _interview(world, case, on, [world.o1, world.o2]),
        lambda: services.case_submit_review(actor=world.p.officer, case=case, on=on),
        lambda: services.case_statement_record(
            actor=world.p.officer, case=case, on=on, content="x", adoption="adopted"
        ),
        lambda: services.case_decide(
            actor=world.p.head, case=case, on=on, penalty_kinds=["warning"]
        ),
        lambda: services.case_serve(actor=world.p.officer, case=case, on=on, method="direct"),
        lambda: services.case_close(actor=world.p.head, case=case, on=on),
        lambda: services.case_archive(actor=world.p.head, case=case, on=on),
        lambda: services.case_withdraw(actor=world.p.head, case=case, on=on, reason="x"),
        lambda: services.case_seizure_release(actor=world.p.officer, case=case, on=on, reason="x"),
    ]
    for call in calls:
        with pytest.raises(RuleViolation, match="案件已归档"):
            call()
    assert actions_of(case) == before


def test_a_step_the_procedure_does_not_allow_is_refused(world: World) -> None:
    with pytest.raises(RuleViolation, match="“线索登记”阶段，不能作出处罚决定"):
        services.case_decide(
            actor=world.p.head, case=world.clue(), on=date(2026, 3, 5), penalty_kinds=["warning"]
        )


def test_an_officer_of_another_agency_cannot_act_on_the_case(world: World) -> None:
    with pytest.raises(RuleViolation, match="只有本机关的执法人员"):
        services.case_party_add(
            actor=world.p.officer_b, case=world.clue(), on=date(2026, 3, 3), party=COMPANY
        )


def test_party_identifiers_are_validated(world: World) -> None:
    bad = services.PartyInput(kind="organisation", name="某公司", credit_code="91130302000000000X")
    with pytest.raises(RuleViolation, match="统一社会信用代码") as exc:
        services.case_party_add(
            actor=world.p.officer, case=world.clue(), on=date(2026, 3, 3), party=bad
        )
    assert exc.value.field == "credit_code"
