"""The review's time limit (holidays, pauses, one extension, due and overdue lists), the
disagreement procedure, and the 两法衔接 transfer with its deadlines."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from zhifa.cases.models import Case
from zhifa.core.exceptions import RuleViolation
from zhifa.record.models import Entry
from zhifa.review import selectors, services
from zhifa.review.models import CatalogRule, CrimeTransfer, ReviewDispute, Submission
from zhifa.review.services import Member, Proposal

from .conftest import Review, World, last_entry

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
ART58 = "《行政处罚法》第五十八条"


def _autumn_round(world: World, flow: Review) -> Submission:
    """Submitted on Tuesday 2026-09-29, just before 国庆 (10-01…07; 10-10 is a working Saturday)."""
    case = world.in_review(date(2026, 9, 1), date(2026, 9, 28))
    return flow.submit(case, on=date(2026, 9, 29), proposal=Proposal(("warning",)))


# -- time limit -----------------------------------------------------------------------------------


def test_the_market_time_limit_of_10_working_days_runs_across_national_day(
    world: World, flow: Review
) -> None:
    sub = _autumn_round(world, flow)
    assert sub.time_limit_workdays == 10 and sub.due_on == date(2026, 10, 19)
    assert not sub.due_provisional and sub.calendar_version


def test_the_national_default_of_5_working_days_across_national_day(
    world: World, flow: Review, settings: Any
) -> None:
    settings.ZHIFA_REVIEW_TIME_LIMITS = {"default": {"workdays": 5, "extension": 5}}
    sub = _autumn_round(world, flow)
    assert sub.due_on == date(2026, 10, 12)


def test_waiting_for_material_stops_the_clock_and_is_never_overdue(
    world: World, flow: Review
) -> None:
    sub = flow.assign(_autumn_round(world, flow), on=date(2026, 9, 29))
    pause = services.review_pause(
        actor=world.p.reviewer,
        submission=sub,
        on=date(2026, 9, 30),
        reason="请补充涉案牛奶的进货凭证",
    )
    assert pause.due_before == date(2026, 10, 19)
    assert last_entry(sub.case).action == "review.pause"
    officer = world.p.officer
    assert list(selectors.reviews_overdue(officer, date(2026, 10, 20))) == []  # paused
    with pytest.raises(RuleViolation, match="等待补充材料期间不能出具审核意见"):
        services.review_conclude(
            actor=world.p.reviewer,
            submission=sub,
            on=date(2026, 10, 9),
            outcome="agree",
            opinion="同意",
        )
    sub = services.review_resume(
        actor=officer, submission=sub, on=date(2026, 10, 12), material="进货凭证3份"
    )
    # 9 working days were left on 09-30 (10-08 … 10-19); they run again from 10-12.
    assert sub.due_on == date(2026, 10, 23) and sub.state == Submission.State.REVIEWING
    assert last_entry(sub.case).data["due_on"] == "2026-10-23"
    assert [s.pk for s in selectors.reviews_due(officer, date(2026, 10, 23))] == [sub.pk]
    assert list(selectors.reviews_overdue(officer, date(2026, 10, 23))) == []
    assert [s.pk for s in selectors.reviews_overdue(officer, date(2026, 10, 26))] == [sub.pk]
    assert list(selectors.reviews_overdue(world.p.officer_b, date(2026, 10, 26))) == []
    assert [s.pk for s in selectors.reviews_overdue(world.p.supervisor, date(2026, 10, 26))] == [
        sub.pk
    ]


def test_the_time_limit_is_extended_once_by_the_head_with_a_reason(
    world: World, flow: Review
) -> None:
    sub = _autumn_round(world, flow)
    with pytest.raises(RuleViolation, match="须经本机关负责人批准"):
        services.review_extend(
            actor=world.p.reviewer, submission=sub, on=date(2026, 10, 9), reason="案情复杂"
        )
    with pytest.raises(RuleViolation, match="须写明理由"):
        services.review_extend(actor=world.p.head, submission=sub, on=date(2026, 10, 9), reason="")
    sub = services.review_extend(
        actor=world.p.head, submission=sub, on=date(2026, 10, 9), reason="案情复杂"
    )
    assert sub.due_on == date(2026, 10, 26) and sub.extended
    assert last_entry(sub.case).data["previous_due_on"] == "2026-10-19"
    with pytest.raises(RuleViolation, match="只能延长一次"):
        services.review_extend(
            actor=world.p.head, submission=sub, on=date(2026, 10, 12), reason="仍需时间"
        )


def test_an_expired_time_limit_cannot_be_extended(world: World, flow: Review) -> None:
    sub = _autumn_round(world, flow)
    with pytest.raises(RuleViolation, match="已于2026年10月19日届满"):
        services.review_extend(
            actor=world.p.head, submission=sub, on=date(2026, 10, 20), reason="案情复杂"
        )


def test_the_reviewer_queue_lists_own_and_unassigned_rounds(world: World, flow: Review) -> None:
    sub = _autumn_round(world, flow)
    assert [s.pk for s in selectors.reviewer_queue(world.p.reviewer)] == [sub.pk]
    assert list(selectors.reviewer_queue(world.p.officer_b)) == []


# -- disagreement -------------------------------------------------------------------------------


def _disputed(world: World, flow: Review) -> ReviewDispute:
    case = flow.stated()
    sub = flow.conclude(flow.assign(flow.submit(case)), "correct", changes=("罚款数额应降至1万元",))
    return services.review_dispute_raise(
        actor=world.p.officer, submission=sub, on=date(2026, 4, 9), reason="裁量已考虑全部情节"
    )


def test_the_head_decides_for_the_handling_unit_after_coordination_fails(
    world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    dispute = _disputed(world, flow)
    case = dispute.submission.case
    with pytest.raises(RuleViolation, match="须先经协调"):
        services.review_dispute_decide(
            actor=world.p.head,
            dispute=dispute,
            on=date(2026, 4, 10),
            uphold_opinion=False,
            reason="x",
        )
    with pytest.raises(RuleViolation, match="尚未经机关负责人决定"):
        flow.decide(case)
    dispute = services.review_dispute_coordinate(
        actor=world.p.reviewer,
        dispute=dispute,
        on=date(2026, 4, 10),
        note="双方各执己见",
        settled=False,
    )
    assert dispute.state == ReviewDispute.State.COORDINATED
    with pytest.raises(RuleViolation, match="须经本机关负责人批准"):
        services.review_dispute_decide(
            actor=world.p.officer,
            dispute=dispute,
            on=date(2026, 4, 13),
            uphold_opinion=False,
            reason="x",
        )
    dispute = services.review_dispute_decide(
        actor=world.p.head,
        dispute=dispute,
        on=date(2026, 4, 13),
        uphold_opinion=False,
        reason="裁量适当",
    )
    assert dispute.resolution == ReviewDispute.Resolution.PROPOSAL_UPHELD
    assert dispute.decided_by == ReviewDispute.DecidedBy.HEAD
    actions = [
        e.action for e in Entry.objects.filter(case_id=case.pk, action__startswith="review.dispute")
    ]
    assert actions == ["review.dispute.raise", "review.dispute.coordinate", "review.dispute.decide"]
    assert flow.decide(case).state == Case.State.DECIDED


def test_coordination_that_settles_sends_the_case_back_for_correction(
    world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    dispute = _disputed(world, flow)
    dispute = services.review_dispute_coordinate(
        actor=world.p.officer,
        dispute=dispute,
        on=date(2026, 4, 10),
        note="承办机构接受意见",
        settled=True,
    )
    assert dispute.resolution == ReviewDispute.Resolution.OPINION_ACCEPTED
    with pytest.raises(RuleViolation, match="须按审核意见纠正后重新送审"):
        flow.decide(dispute.submission.case)


def test_a_collective_discussion_needs_its_quorum_and_every_opinion(
    world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    dispute = services.review_dispute_coordinate(
        actor=world.p.reviewer,
        dispute=_disputed(world, flow),
        on=date(2026, 4, 10),
        note="未达成一致",
        settled=False,
    )
    chair = Member("钱局长", "局长", "维持审核意见")
    deputy = Member("孙副局长", "副局长", "同意维持")

    def discuss(members: list[Member], **kw: Any) -> Any:
        return services.collective_discussion_record(
            actor=world.p.head,
            dispute=dispute,
            on=date(2026, 4, 14),
            chair="钱局长",
            members_total=3,
            members=members,
            conclusion="维持法制审核意见，承办机构纠正后重新送审",
            uphold_opinion=True,
            **kw,
        )

    with pytest.raises(RuleViolation, match="出席集体讨论的负责人1人，不足负责人总数3人的2/3"):
        discuss([chair])
    with pytest.raises(RuleViolation, match="孙副局长未记录"):
        discuss([chair, Member("孙副局长", "副局长", " ")])
    discussion = discuss([chair, deputy])
    assert discussion.members[1] == {
        "name": "孙副局长",
        "position": "副局长",
        "opinion": "同意维持",
    }
    entry = last_entry(dispute.submission.case)
    assert entry.action == "review.collective_discussion" and entry.data["quorum"] == "2/3"
    dispute.refresh_from_db()
    assert dispute.decided_by == ReviewDispute.DecidedBy.COLLECTIVE
    assert dispute.resolution == ReviewDispute.Resolution.OPINION_UPHELD
    with pytest.raises(RuleViolation, match="重新送审") as exc:
        flow.decide(dispute.submission.case)
    assert exc.value.article == ART58


def test_only_a_non_agreeing_latest_opinion_can_be_disputed(world: World, flow: Review) -> None:
    sub = flow.passed(flow.stated())
    with pytest.raises(RuleViolation, match="只能对已出具的非同意审核意见提出异议"):
        services.review_dispute_raise(
            actor=world.p.officer, submission=sub, on=date(2026, 4, 9), reason="x"
        )


# -- 两法衔接 ------------------------------------------------------------------------------------


def _crime(world: World, flow: Review) -> CrimeTransfer:
    # A person selling spoilt food worth a lot: the reviewer finds a suspected crime.
    case = flow.stated(fine=Decimal(20000))
    flow.conclude(
        flow.assign(flow.submit(case)),
        "other",
        on=date(2026, 4, 8),  # a Wednesday: 3 days end on Saturday 04-11 → Monday 04-13
        changes=("涉嫌生产、销售不符合安全标准的食品罪，应移送公安机关",),
        crime="problem",
    )
    return CrimeTransfer.objects.get(case=case)


def test_a_suspected_crime_opens_a_transfer_reported_to_the_head(
    world: World, flow: Review
) -> None:
    transfer = _crime(world, flow)
    assert transfer.state == CrimeTransfer.State.REPORTED and transfer.reported_on == date(
        2026, 4, 8
    )
    assert transfer.decision_due_on == date(2026, 4, 13) and transfer.submission is not None
    assert transfer.submission.suspected_crime
    assert last_entry(transfer.case).action == "review.crime_transfer.open"
    assert (
        list(
            selectors.crime_transfers_overdue(world.p.officer, datetime(2026, 4, 13, 18, tzinfo=SH))
        )
        == []
    )
    assert (
        len(selectors.crime_transfers_overdue(world.p.officer, datetime(2026, 4, 14, 9, tzinfo=SH)))
        == 1
    )


def test_a_transfer_on_time_at_every_boundary_and_a_late_police_answer(
    world: World, flow: Review
) -> None:
    transfer = _crime(world, flow)
    approved_at = datetime(2026, 4, 13, 17, 0, tzinfo=SH)  # the last day of the 3
    with pytest.raises(RuleViolation, match="须经本机关负责人批准"):
        services.crime_transfer_decide(
            actor=world.p.officer, transfer=transfer, at=approved_at, approved=True
        )
    transfer = services.crime_transfer_decide(
        actor=world.p.head, transfer=transfer, at=approved_at, approved=True
    )
    assert not transfer.decision_late and transfer.transfer_due_at == approved_at + timedelta(
        hours=24
    )
    with pytest.raises(RuleViolation, match="缺少涉嫌犯罪案件情况的调查报告") as exc:
        services.crime_transfer_send(
            actor=world.p.head,
            transfer=transfer,
            at=approved_at + timedelta(hours=2),
            organ="示范市公安局甲区分局",
            documents=["涉嫌犯罪案件移送书"],
        )
    assert "国务院令第310号" in exc.value.article
    transfer = services.crime_transfer_send(
        actor=world.p.head,
        transfer=transfer,
        at=approved_at + timedelta(hours=24),  # exactly 24 hours: on time
        organ="示范市公安局甲区分局",
        documents=["涉嫌犯罪案件移送书", "涉嫌犯罪案件情况的调查报告", "涉案物品清单"],
    )
    assert not transfer.transfer_late and transfer.state == CrimeTransfer.State.TRANSFERRED
    assert Case.objects.get(pk=transfer.case_id).state == Case.State.TRANSFERRED
    assert transfer.answer_due_on == date(2026, 4, 17)
    actions = [
        e.action for e in Entry.objects.filter(case_id=transfer.case_id).order_by("-seq")[:2]
    ]
    assert actions == ["review.crime_transfer.send", "case.transfer"]
    transfer = services.crime_transfer_answer(
        actor=world.p.officer,
        transfer=transfer,
        on=date(2026, 4, 20),
        accepted=True,
        answer="已立案侦查",
    )
    assert transfer.answer_late and transfer.state == CrimeTransfer.State.ACCEPTED


def test_a_late_decision_and_a_late_transfer_are_flagged_not_refused(
    world: World, flow: Review
) -> None:
    transfer = _crime(world, flow)
    decided = datetime(2026, 4, 14, 9, 0, tzinfo=SH)  # one day after the 3 days
    transfer = services.crime_transfer_decide(
        actor=world.p.head, transfer=transfer, at=decided, approved=True
    )
    assert transfer.decision_late
    transfer = services.crime_transfer_send(
        actor=world.p.head,
        transfer=transfer,
        at=decided + timedelta(hours=24, minutes=1),
        organ="示范市公安局甲区分局",
        documents=["涉嫌犯罪案件移送书", "涉嫌犯罪案件情况的调查报告"],
    )
    assert transfer.transfer_late
    assert last_entry(transfer.case).data["late"] is True


def test_a_transfer_not_approved_needs_a_reason(world: World, flow: Review) -> None:
    transfer = _crime(world, flow)
    at = datetime(2026, 4, 9, 10, tzinfo=SH)
    with pytest.raises(RuleViolation, match="不批准移送的，须写明理由"):
        services.crime_transfer_decide(actor=world.p.head, transfer=transfer, at=at, approved=False)
    transfer = services.crime_transfer_decide(
        actor=world.p.head, transfer=transfer, at=at, approved=False, reason="货值未达立案追诉标准"
    )
    assert transfer.state == CrimeTransfer.State.NOT_APPROVED
