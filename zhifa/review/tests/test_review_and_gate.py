"""Assignment, the checklist and outcomes, rounds, and the decision gate of 第五十八条."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from zhifa.cases import services as cases
from zhifa.cases.models import Case, CaseStep
from zhifa.core.exceptions import RuleViolation
from zhifa.core.testing import id_number
from zhifa.record.models import Entry
from zhifa.registry import services as registry
from zhifa.registry.models import Officer
from zhifa.review import selectors, services
from zhifa.review.models import CatalogRule, Submission
from zhifa.review.services import Proposal

from .conftest import DECIDED, SUBMITTED, Review, World, last_entry, rule

pytestmark = pytest.mark.django_db

ART58 = "《行政处罚法》第五十八条"


def _review_staff(world: World, officer: Officer) -> Officer:
    return registry.review_staff_assign(actor=world.p.admin, officer=officer)


# -- assignment -------------------------------------------------------------------------------


def test_review_assign_gives_the_round_to_a_qualified_reviewer_and_records_it(
    world: World, flow: Review
) -> None:
    sub = flow.assign(flow.submit(flow.stated()))
    assert sub.state == Submission.State.REVIEWING and sub.reviewer == flow.reviewer
    entry = last_entry(sub.case)
    assert entry.action == "review.assign" and entry.data["reviewer"] == "赵审核"
    assert selectors.eligible_reviewers(sub.case) == [flow.reviewer]


def test_review_assign_refuses_an_officer_who_investigated_the_case(
    world: World, flow: Review
) -> None:
    sub = flow.submit(flow.stated())
    investigator = _review_staff(world, world.o1)  # 张执法 took the 询问笔录
    with pytest.raises(RuleViolation, match="承办或参与调查了本案") as exc:
        services.review_assign(
            actor=world.p.reviewer, submission=sub, reviewer=investigator, on=SUBMITTED
        )
    assert "审查与调查分离" in exc.value.article


def test_review_assign_refuses_a_first_time_reviewer_without_legal_qualification(
    world: World, flow: Review
) -> None:
    sub = flow.submit(flow.stated())
    newcomer = registry.officer_create(
        actor=world.p.admin, agency=world.p.agency_a, name="孙新人", id_number=id_number(77)
    )
    newcomer = _review_staff(world, newcomer)
    with pytest.raises(
        RuleViolation, match="初次从事行政处罚决定法制审核，应当取得法律职业资格"
    ) as exc:
        services.review_assign(
            actor=world.p.reviewer, submission=sub, reviewer=newcomer, on=SUBMITTED
        )
    assert exc.value.article == "《行政处罚法》第五十八条第二款"


def test_review_assign_refuses_an_officer_of_another_agency(world: World, flow: Review) -> None:
    sub = flow.submit(flow.stated())
    outsider = world.p.officer_b.officer
    assert outsider is not None
    with pytest.raises(RuleViolation, match="不是本机关法制审核机构的审核人员"):
        services.review_assign(
            actor=world.p.reviewer, submission=sub, reviewer=outsider, on=SUBMITTED
        )


def test_only_the_review_body_or_the_head_assigns(world: World, flow: Review) -> None:
    sub = flow.submit(flow.stated())
    with pytest.raises(RuleViolation, match="只有本机关法制审核机构的人员或机关负责人"):
        services.review_assign(
            actor=world.p.officer, submission=sub, reviewer=flow.reviewer, on=SUBMITTED
        )
    services.review_assign(actor=world.p.head, submission=sub, reviewer=flow.reviewer, on=SUBMITTED)


# -- checklist and outcomes -----------------------------------------------------------------


def test_only_the_assigned_reviewer_answers_the_checklist(world: World, flow: Review) -> None:
    sub = flow.assign(flow.submit(flow.stated()))
    with pytest.raises(RuleViolation, match="只有分配给本轮审核的审核人员"):
        services.review_checklist_answer(
            actor=world.p.head, submission=sub, on=SUBMITTED, point="facts", verdict="pass"
        )
    with pytest.raises(RuleViolation, match="须写明具体问题"):
        services.review_checklist_answer(
            actor=world.p.reviewer, submission=sub, on=SUBMITTED, point="facts", verdict="problem"
        )
    answer = services.review_checklist_answer(
        actor=world.p.reviewer,
        submission=sub,
        on=SUBMITTED,
        point="facts",
        verdict="pass",
        comment="事实清楚",
    )
    assert answer.verdict == "pass" and last_entry(sub.case).action == "review.checklist"


def test_review_conclude_refuses_until_every_point_is_confirmed(world: World, flow: Review) -> None:
    sub = flow.assign(flow.submit(flow.stated()))
    services.review_checklist_answer(
        actor=world.p.reviewer, submission=sub, on=SUBMITTED, point="subject", verdict="pass"
    )
    with pytest.raises(RuleViolation, match=r"“执法人员是否具备执法资格”.*尚未确认"):
        services.review_conclude(
            actor=world.p.reviewer, submission=sub, on=SUBMITTED, outcome="agree", opinion="同意"
        )


def test_review_conclude_refuses_agreement_while_a_point_shows_a_problem(
    world: World, flow: Review
) -> None:
    sub = flow.assign(flow.submit(flow.stated()))
    with pytest.raises(RuleViolation, match="“裁量基准运用是否适当”存在问题，不能出具同意"):
        flow.conclude(sub, "agree", discretion="problem")


@pytest.mark.parametrize(
    ("outcome", "label"),
    [("correct", "建议纠正"), ("supplement", "建议补充调查"), ("other", "其他意见")],
)
def test_every_non_agreeing_market_outcome_lists_what_must_change(
    world: World, flow: Review, outcome: str, label: str
) -> None:
    sub = flow.assign(flow.submit(flow.stated()))
    with pytest.raises(RuleViolation, match=f"审核意见为“{label}”的，须逐项写明"):
        flow.conclude(sub, outcome)
    sub = Submission.objects.get(pk=sub.pk)
    done = services.review_conclude(
        actor=world.p.reviewer,
        submission=sub,
        on=date(2026, 4, 8),
        outcome=outcome,
        opinion="经审核，存在问题",
        required_changes=["补充货值鉴定意见", ""],
    )
    assert done.state == Submission.State.CONCLUDED and done.outcome_label == label
    assert done.required_changes == ["补充货值鉴定意见"] and not done.agreed
    entry = last_entry(done.case)
    assert entry.action == "review.conclude" and entry.data["label"] == label
    assert len(entry.data["checklist"]) == 10


def test_the_agreeing_outcome_concludes_the_round(world: World, flow: Review) -> None:
    sub = flow.conclude(flow.assign(flow.submit(flow.stated())))
    assert (
        sub.agreed
        and sub.outcome_label == "同意"
        and sub.opinion_entry_seq == last_entry(sub.case).seq
    )
    with pytest.raises(RuleViolation, match="已出具意见，不能再更改"):
        services.review_checklist_answer(
            actor=world.p.reviewer, submission=sub, on=DECIDED, point="facts", verdict="pass"
        )


def test_the_national_vocabulary_applies_where_the_sector_sets_none(
    world: World, flow: Review, settings: Any
) -> None:
    settings.ZHIFA_REVIEW_OUTCOMES = {"default": [("agree", "同意"), ("problem", "存在问题")]}
    sub = flow.assign(flow.submit(flow.stated()))
    with pytest.raises(RuleViolation, match="不在本领域的审核意见种类（同意、存在问题）中"):
        flow.conclude(sub, "correct", changes=("纠正",))
    sub = Submission.objects.get(pk=sub.pk)
    done = services.review_conclude(
        actor=world.p.reviewer,
        submission=sub,
        on=date(2026, 4, 8),
        outcome="problem",
        opinion="存在问题",
        required_changes=["罚款数额超出裁量基准"],
    )
    assert done.outcome_label == "存在问题"


# -- the gate -----------------------------------------------------------------------------------


def test_case_decide_refuses_a_major_case_without_review(
    world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    case = flow.stated()
    with pytest.raises(RuleViolation, match="本案属于重大执法决定") as exc:
        flow.decide(case)
    assert exc.value.article == ART58 and "第五十八条" in str(exc.value)
    assert "对自然人拟罚款20,000.00元" in exc.value.message
    assert Case.objects.get(pk=case.pk).state == Case.State.STATEMENT
    assert selectors.decision_refusal(case) is not None  # what the decide button shows


def test_case_decide_refuses_while_the_review_is_open(
    world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    case = flow.stated()
    flow.assign(flow.submit(case))
    with pytest.raises(RuleViolation, match="第1轮法制审核尚未完成（审核中）"):
        flow.decide(case)


def test_case_decide_allows_a_major_case_after_an_agreeing_review(
    world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    case = flow.stated()
    flow.passed(case)
    assert selectors.decision_refusal(case) is None
    decided = flow.decide(case)
    assert decided.state == Case.State.DECIDED and last_entry(decided).action == "case.decide"


def test_a_non_major_case_is_decided_without_review(world: World, flow: Review) -> None:
    rule(world, "fine_person", amount=Decimal(50000))
    assert flow.decide(flow.stated()).state == Case.State.DECIDED
    assert not Submission.objects.exists()


def test_a_non_agreeing_review_needs_a_new_round_and_every_round_stays(
    world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    case = flow.stated()
    first = flow.conclude(
        flow.assign(flow.submit(case)), "correct", changes=("裁量说明未写明从轻理由",)
    )
    with pytest.raises(
        RuleViolation, match=r"意见为“建议纠正”（裁量说明未写明从轻理由）.*重新送审"
    ) as exc:
        flow.decide(case)
    assert exc.value.article == ART58
    second = flow.passed(
        case, on=date(2026, 4, 9), discretion="当事人首次违法并主动召回，依裁量基准从轻"
    )
    assert (first.round, second.round) == (1, 2)
    assert [s.round for s in selectors.case_review_rounds(case)] == [1, 2]
    assert Entry.objects.filter(case_id=case.pk, action="review.submit").count() == 2
    assert flow.decide(case).state == Case.State.DECIDED


def test_a_decision_beyond_what_was_reviewed_needs_a_new_round(
    world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    case = world.in_review(date(2026, 3, 4), date(2026, 3, 20))
    flow.passed(case, on=date(2026, 3, 23), proposal=Proposal(("warning", "fine"), Decimal(15000)))
    case = cases.case_notify(
        actor=world.p.officer,
        case=case,
        on=date(2026, 4, 1),
        facts="销售过期牛奶",
        reasons="违反《食品安全法》第三十四条",
        basis="《食品安全法》第一百二十四条",
        penalty_kinds=["warning", "fine"],
        fine=Decimal(20000),
    )
    case = cases.case_statement_record(
        actor=world.p.officer,
        case=case,
        on=date(2026, 4, 2),
        content="无异议",
        adoption="adopted",
    )
    with pytest.raises(RuleViolation, match=r"罚款20000\.00元高于送审的15000\.00元") as exc:
        flow.decide(case)
    assert exc.value.article == ART58
    assert flow.decide(case, fine=Decimal(15000)).state == Case.State.DECIDED


def test_supplementary_investigation_then_a_passing_round_then_the_decision(
    world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    case = world.in_review(date(2026, 3, 4), date(2026, 3, 20))
    proposal = Proposal(("warning", "fine"), Decimal(20000))
    flow.conclude(
        flow.assign(
            flow.submit(case, on=date(2026, 3, 23), proposal=proposal), on=date(2026, 3, 23)
        ),
        "supplement",
        on=date(2026, 3, 25),
        changes=("补充调取进货台账，查明货值",),
    )
    cases.case_investigate(
        actor=world.p.officer,
        case=case,
        on=date(2026, 3, 26),
        kind=CaseStep.Kind.EVIDENCE,
        officers=[world.o1, world.o2],
        summary="调取进货台账",
    )
    cases.case_submit_review(actor=world.p.officer, case=case, on=date(2026, 3, 27))
    second = flow.passed(case, on=date(2026, 3, 30), proposal=proposal)
    assert [e["kind"] for e in selectors.submission_frozen(second).content["evidence"]] == [
        "询问笔录",
        "证据材料",
    ]
    case = cases.case_notify(
        actor=world.p.officer,
        case=case,
        on=date(2026, 4, 1),
        facts="销售过期牛奶",
        reasons="违反《食品安全法》第三十四条",
        basis="《食品安全法》第一百二十四条",
        penalty_kinds=["warning", "fine"],
        fine=Decimal(20000),
    )
    case = cases.case_statement_record(
        actor=world.p.officer,
        case=case,
        on=date(2026, 4, 2),
        content="无异议",
        adoption="adopted",
    )
    assert flow.decide(case).state == Case.State.DECIDED


def test_a_flagged_case_cannot_end_without_penalty_before_review(
    world: World, flow: Review
) -> None:
    case = flow.stated()
    services.major_flag_add(
        actor=world.p.officer,
        case=case,
        on=date(2026, 4, 3),
        flag="public_interest",
        reason="涉及全区学校食堂供货",
    )
    assert selectors.case_is_major(case)
    with pytest.raises(RuleViolation, match="涉及重大公共利益") as exc:
        cases.case_not_penalise(
            actor=world.p.head,
            case=case,
            on=date(2026, 4, 10),
            ground=Case.NotPenalisedGround.FIRST_VIOLATION,
        )
    assert exc.value.article == ART58


def test_major_flag_add_needs_a_reason_and_an_officer_of_the_agency(
    world: World, flow: Review
) -> None:
    case = flow.stated()
    with pytest.raises(RuleViolation, match="须写明理由"):
        services.major_flag_add(
            actor=world.p.officer, case=case, on=date(2026, 4, 3), flag="complex_facts", reason=" "
        )
    with pytest.raises(RuleViolation, match="只有本机关的执法人员"):
        services.major_flag_add(
            actor=world.p.officer_b,
            case=case,
            on=date(2026, 4, 3),
            flag="complex_facts",
            reason="复杂",
        )
