"""行政复议 and 行政诉讼 of a decision: recorded on the case (also after it is archived), never
before the decision, late filings kept with their note, a conclusion once only, replayed by
``zhifa verify``, and counted at once in the statistics (被复议, 复议纠错, 被诉, 败诉)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from zhifa.cases import services
from zhifa.cases.challenge_periods import filing_deadline, late_note
from zhifa.cases.models import Case, Challenge
from zhifa.cases.services_challenges import (
    case_challenge_conclude,
    case_challenge_record,
    challenges_replay_check,
)
from zhifa.cases.tests.conftest import World, entered_on, entries_of
from zhifa.core.exceptions import RuleViolation
from zhifa.core.workdays import WorkdayCalendar
from zhifa.record.action_labels import action_label
from zhifa.record.verification import case_groups
from zhifa.statistics.periods import period_of
from zhifa.statistics.selectors import counted_case_ids, figures

pytestmark = pytest.mark.django_db

R = Challenge.Kind.RECONSIDERATION
L = Challenge.Kind.LITIGATION


def _figures(case: Case, year: int = 2026) -> dict[str, int]:
    got = figures(period=period_of(year), agency_ids=[case.agency_id])
    return {k: f.count for k, f in got.items()}


def test_recording_a_reconsideration_counts_it_and_its_correction(world: World) -> None:
    case = world.decided(decided_on=date(2026, 4, 28))
    assert "penalty.reconsidered" not in _figures(case)
    row = case_challenge_record(
        actor=world.p.officer,
        case=case,
        kind=R,
        body="示范市人民政府",
        reference="示府复〔2026〕12号",
        filed_on=date(2026, 5, 20),
        accepted_on=date(2026, 5, 22),
        on=date(2026, 5, 25),
    )
    got = _figures(case)
    assert got["penalty.reconsidered"] == 1
    assert "penalty.reconsideration_corrected" not in got
    assert counted_case_ids(
        "penalty.reconsidered", period=period_of(2026, 2), agency_ids=[case.agency_id]
    ) == [case.pk]
    entry = entries_of(case)[-1]
    assert entry.action == "case.challenge.record"
    assert entry.data["challenge"]["body"] == "示范市人民政府"
    assert entry.data["challenge"]["id"] == row.pk
    assert "late_note" not in entry.data
    assert action_label("case.challenge.record") == "登记行政复议或行政诉讼"

    case_challenge_conclude(
        actor=world.p.head,
        challenge=row,
        outcome=Challenge.Outcome.REVOKED,
        concluded_on=date(2026, 7, 15),
        note="认定事实不清",
        on=date(2026, 7, 16),
    )
    got = _figures(case)
    assert got["penalty.reconsideration_corrected"] == 1
    assert got["penalty.total"] == 1  # a revoked decision still counts in its year (setting)
    # 复议纠错 counts by the day of the 复议决定: the third quarter, not the second.
    assert counted_case_ids(
        "penalty.reconsideration_corrected", period=period_of(2026, 3), agency_ids=[case.agency_id]
    ) == [case.pk]
    last = entries_of(case)[-1]
    assert last.action == "case.challenge.conclude"
    assert last.data["challenge"]["outcome"] == "revoked"
    assert action_label("case.challenge.conclude") == "登记复议决定或裁判结果"


def test_a_lost_lawsuit_is_counted_but_an_upheld_decision_is_not(world: World) -> None:
    case = world.decided(decided_on=date(2026, 4, 28))
    suit = case_challenge_record(
        actor=world.p.officer,
        case=case,
        kind=L,
        body="示范市甲区人民法院",
        filed_on=date(2026, 6, 1),
        on=date(2026, 6, 2),
    )
    case_challenge_conclude(
        actor=world.p.officer,
        challenge=suit,
        outcome=Challenge.Outcome.UPHELD,
        concluded_on=date(2026, 9, 1),
        on=date(2026, 9, 2),
    )
    got = _figures(case)
    assert got["penalty.litigated"] == 1
    assert "penalty.litigation_lost" not in got


def test_a_challenge_is_refused_before_the_decision_and_before_the_decision_day(
    world: World,
) -> None:
    undecided = world.registered(date(2026, 3, 4))
    with pytest.raises(RuleViolation) as exc:
        case_challenge_record(
            actor=world.p.officer,
            case=undecided,
            kind=R,
            body="示范市人民政府",
            filed_on=date(2026, 3, 10),
            on=date(2026, 3, 10),
        )
    assert "尚未作出决定" in exc.value.message and "行政复议法" in str(exc.value)
    case = world.decided(decided_on=date(2026, 4, 28))
    with pytest.raises(RuleViolation) as exc:
        case_challenge_record(
            actor=world.p.officer,
            case=case,
            kind=R,
            body="示范市人民政府",
            filed_on=date(2026, 4, 27),  # the day before the decision
            on=date(2026, 5, 1),
        )
    assert exc.value.field == "filed_on"
    row = case_challenge_record(  # the decision day itself is allowed
        actor=world.p.officer,
        case=case,
        kind=R,
        body="示范市人民政府",
        filed_on=date(2026, 4, 28),
        on=date(2026, 5, 1),
    )
    assert row.filed_on == date(2026, 4, 28)
    assert Challenge.objects.filter(case=case).count() == 1


def test_only_the_agency_officers_and_head_record_challenges(world: World) -> None:
    case = world.decided(decided_on=date(2026, 4, 28))
    for actor in (world.p.officer_b, world.p.publisher, world.p.supervisor):
        with pytest.raises(RuleViolation):
            case_challenge_record(
                actor=actor,
                case=case,
                kind=R,
                body="示范市人民政府",
                filed_on=date(2026, 5, 2),
                on=date(2026, 5, 3),
            )
    assert not Challenge.objects.exists()


def test_the_filing_periods_end_on_the_60th_day_and_after_6_months() -> None:
    cal = WorkdayCalendar()
    # Decided (当场交付) 28 April 2026: 60 days end on Saturday 27 June, moved to Monday 29.
    assert filing_deadline(R, date(2026, 4, 28), cal) == date(2026, 6, 29)
    assert late_note(R, known_on=date(2026, 4, 28), filed_on=date(2026, 6, 28), calendar=cal) == ""
    assert late_note(R, known_on=date(2026, 4, 28), filed_on=date(2026, 6, 29), calendar=cal) == ""
    note = late_note(R, known_on=date(2026, 4, 28), filed_on=date(2026, 6, 30), calendar=cal)
    assert "《行政复议法》第二十条" in note and "2026-06-29" in note
    assert filing_deadline(L, date(2026, 4, 28), cal) == date(2026, 10, 28)
    assert late_note(L, known_on=date(2026, 4, 28), filed_on=date(2026, 10, 28), calendar=cal) == ""
    assert "《行政诉讼法》第四十六条" in late_note(
        L, known_on=date(2026, 4, 28), filed_on=date(2026, 10, 29), calendar=cal
    )


def test_a_late_filing_accepted_by_the_body_is_recorded_with_its_note(world: World) -> None:
    case = world.decided(decided_on=date(2026, 4, 28))
    row = case_challenge_record(
        actor=world.p.officer,
        case=case,
        kind=R,
        body="示范市人民政府",
        filed_on=date(2026, 6, 30),
        accepted_on=date(2026, 7, 2),
        on=date(2026, 7, 3),
    )
    assert row.pk
    note = entries_of(case)[-1].data["late_note"]
    assert "《行政复议法》第二十条" in note and "照实记录" in note


def test_a_concluded_challenge_never_changes(world: World) -> None:
    case = world.decided(decided_on=date(2026, 4, 28))
    row = case_challenge_record(
        actor=world.p.officer,
        case=case,
        kind=R,
        body="示范市人民政府",
        filed_on=date(2026, 5, 20),
        on=date(2026, 5, 20),
    )
    with pytest.raises(RuleViolation) as exc:  # not before the filing
        case_challenge_conclude(
            actor=world.p.officer,
            challenge=row,
            outcome=Challenge.Outcome.UPHELD,
            concluded_on=date(2026, 5, 19),
            on=date(2026, 6, 1),
        )
    assert exc.value.field == "concluded_on"
    case_challenge_conclude(
        actor=world.p.officer,
        challenge=row,
        outcome=Challenge.Outcome.UPHELD,
        concluded_on=date(2026, 7, 1),
        on=date(2026, 7, 1),
    )
    with pytest.raises(RuleViolation) as exc:
        case_challenge_conclude(
            actor=world.p.head,
            challenge=row,
            outcome=Challenge.Outcome.REVOKED,
            concluded_on=date(2026, 7, 2),
            on=date(2026, 7, 2),
        )
    assert "不再更改" in exc.value.message
    assert Challenge.objects.get(pk=row.pk).outcome == "upheld"


def test_a_challenge_is_recorded_after_the_case_is_archived(world: World) -> None:
    p = world.p
    case = world.decided(decided_on=date(2026, 4, 28))
    with entered_on(date(2026, 5, 8)):
        case = services.case_serve(
            actor=p.officer, case=case, on=date(2026, 5, 8), method=Case.ServiceMethod.DIRECT
        )
    with entered_on(date(2026, 5, 20)):
        case = services.case_payment_record(
            actor=p.officer, case=case, on=date(2026, 5, 20), amount=Decimal(20000)
        )
    with entered_on(date(2026, 5, 28)):
        case = services.case_close(actor=p.head, case=case, on=date(2026, 5, 28))
    with entered_on(date(2026, 6, 1)):
        case = services.case_archive(actor=p.head, case=case, on=date(2026, 6, 1))
    assert case.state == Case.State.ARCHIVED
    row = case_challenge_record(
        actor=p.officer,
        case=case,
        kind=L,
        body="示范市甲区人民法院",
        filed_on=date(2026, 6, 10),
        on=date(2026, 6, 10),
    )
    assert Case.objects.get(pk=case.pk).state == Case.State.ARCHIVED  # the case is untouched
    assert _figures(case)["penalty.litigated"] == 1
    # the known day is the service day (8 May): 6 months end on 9 November (8th a Sunday)
    assert "late_note" not in entries_of(case)[-1].data
    assert row.pk


def test_zhifa_verify_replays_the_challenges_and_finds_a_changed_row(world: World) -> None:
    case = world.decided(decided_on=date(2026, 4, 28))
    row = case_challenge_record(
        actor=world.p.officer,
        case=case,
        kind=R,
        body="示范市人民政府",
        filed_on=date(2026, 5, 20),
        on=date(2026, 5, 20),
    )
    assert list(challenges_replay_check(case_groups())) == []
    Challenge.objects.filter(pk=row.pk).update(outcome="revoked", concluded_on=date(2026, 6, 1))
    problems = list(challenges_replay_check(case_groups()))
    assert [p.kind for p in problems] == ["challenge_replay_mismatch"]
    assert problems[0].case_id == case.pk
