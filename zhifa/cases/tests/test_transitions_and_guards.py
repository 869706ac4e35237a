"""The procedure tables are consistent, and each pure guard holds at its boundary."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from zhifa.cases import guards, services, transitions
from zhifa.cases.models import Case
from zhifa.core.exceptions import RuleViolation
from zhifa.core.workdays import WorkdayCalendar
from zhifa.registry.eligibility import Eligibility

BJ = ZoneInfo("Asia/Shanghai")
CAL = WorkdayCalendar()


# -- the tables ---------------------------------------------


def test_every_precondition_is_a_guard() -> None:
    for name in transitions.precondition_names():
        assert callable(getattr(guards, name, None)), name


def test_every_service_of_the_tables_exists_and_has_a_label() -> None:
    from zhifa.licensing import services as licensing

    for name in transitions.services_named():
        found = getattr(services, name, None) or getattr(licensing, name, None)
        assert callable(found), name
        assert name in transitions.SERVICE_LABELS


def test_a_service_has_at_most_one_move_from_each_state() -> None:
    for table in transitions.TRANSITIONS.values():
        for state, moves in table.items():
            counts = Counter(m.service for m in moves)
            assert all(n == 1 for n in counts.values()), state


def test_every_state_is_a_known_state_and_every_kind_ends_in_the_archive() -> None:
    for kind, table in transitions.TRANSITIONS.items():
        states = transitions.states_of(kind)
        assert states <= set(Case.State.values)
        assert Case.State.ARCHIVED in states
        assert table[Case.State.ARCHIVED] == ()
        assert transitions.INITIAL_STATE[kind] in table
        for state in states:  # every state has its row (possibly empty)
            assert state in table, (kind, state)


def test_every_state_can_reach_the_archive() -> None:
    for kind, table in transitions.TRANSITIONS.items():
        reach = {Case.State.ARCHIVED.value}
        changed = True
        while changed:
            changed = False
            for state, moves in table.items():
                if state not in reach and any(m.to in reach for m in moves):
                    reach.add(state)
                    changed = True
        assert reach == set(table), kind


def test_the_seizure_table_has_no_second_extension() -> None:
    assert transitions.move_for("seizure", "extended", "case_seizure_extend") is None
    assert transitions.move_for("seizure", "executed", "case_seizure_extend") is not None


def test_approvals_are_the_heads() -> None:
    for service in ("case_register", "case_decide", "case_close", "case_seizure_approve"):
        for kind in transitions.TRANSITIONS:
            for state in transitions.states_where(kind, service):
                move = transitions.move_for(kind, state, service)
                assert move is not None and transitions.HEAD in move.preconditions


# -- guards -------------------------------------------------


def test_limitation_boundary() -> None:
    guards.within_limitation(act_ended_on=date(2024, 11, 20), on=date(2026, 11, 20), serious=False)
    with pytest.raises(RuleViolation, match="追责时效至2026年11月20日"):
        guards.within_limitation(
            act_ended_on=date(2024, 11, 20), on=date(2026, 11, 21), serious=False
        )


def test_two_officers_lists_every_officers_reasons() -> None:
    bad = Eligibility(False, ("证件X已于2026-06-30过期",))
    with pytest.raises(RuleViolation) as exc:
        guards.two_officers_may_act(
            on=date(2026, 7, 1), answers=[("甲", Eligibility(True)), ("乙", bad)]
        )
    assert "乙：证件X已于2026-06-30过期" in str(exc.value)
    guards.two_officers_may_act(
        on=date(2026, 7, 1), answers=[("甲", Eligibility(True)), ("丙", Eligibility(True))]
    )


def test_hearing_request_window_counts_working_days() -> None:
    guards.hearing_request_in_time(
        notified_on=date(2026, 9, 29), on=date(2026, 10, 12), calendar=CAL
    )
    with pytest.raises(RuleViolation, match="2026年10月12日前"):
        guards.hearing_request_in_time(
            notified_on=date(2026, 9, 29), on=date(2026, 10, 13), calendar=CAL
        )


def test_hearing_notice_needs_seven_whole_working_days_between() -> None:
    guards.hearing_notice_in_time(
        notice_on=date(2026, 4, 8), hearing_on=date(2026, 4, 20), calendar=CAL
    )
    with pytest.raises(RuleViolation):
        guards.hearing_notice_in_time(
            notice_on=date(2026, 4, 8), hearing_on=date(2026, 4, 17), calendar=CAL
        )


@pytest.mark.parametrize(
    ("kind", "fine", "ok"),
    [
        ("natural_person", Decimal(200), True),
        ("natural_person", Decimal(201), False),
        ("organisation", Decimal(3000), True),
        ("organisation", Decimal(3001), False),
    ],
)
def test_simple_procedure_limits(kind: str, fine: Decimal, ok: bool) -> None:
    if ok:
        guards.simple_procedure(party_kinds=[kind], penalty_kind="fine", fine=fine)
    else:
        with pytest.raises(RuleViolation, match="第五十一条"):
            guards.simple_procedure(party_kinds=[kind], penalty_kind="fine", fine=fine)


def test_service_in_time_boundary() -> None:
    assert guards.service_in_time(
        decided_on=date(2026, 4, 28), served_on=date(2026, 5, 11), calendar=CAL
    )
    assert not guards.service_in_time(
        decided_on=date(2026, 4, 28), served_on=date(2026, 5, 12), calendar=CAL
    )


def test_night_starts_at_22_00() -> None:
    kw = {"calendar": CAL, "urgent": False, "urgent_reason": ""}
    guards.enforcement_time_allowed(at=datetime(2026, 6, 10, 21, 59, tzinfo=BJ), **kw)  # type: ignore[arg-type]
    with pytest.raises(RuleViolation, match="第四十三条"):
        guards.enforcement_time_allowed(at=datetime(2026, 6, 10, 22, 0, tzinfo=BJ), **kw)  # type: ignore[arg-type]


def test_emergency_report_boundary() -> None:
    seized = datetime(2026, 6, 10, 10, tzinfo=BJ)
    guards.emergency_report_in_time(seized_at=seized, at=datetime(2026, 6, 11, 10, tzinfo=BJ))
    with pytest.raises(RuleViolation, match="第十九条"):
        guards.emergency_report_in_time(
            seized_at=seized, at=datetime(2026, 6, 11, 10, 0, 1, tzinfo=BJ)
        )


def test_audio_or_video_is_required() -> None:
    guards.audio_video_recorded(media_types=["image/jpeg", "audio/mpeg"])
    with pytest.raises(RuleViolation, match="118号"):
        guards.audio_video_recorded(media_types=["image/jpeg", "application/pdf"])


def test_not_heavier_than_notified() -> None:
    kw = {"notified_kinds": ["fine"], "notified_fine": Decimal(500), "notified_confiscation": None}
    guards.not_heavier_than_notified(kinds=["fine"], fine=Decimal(500), confiscation=None, **kw)  # type: ignore[arg-type]
    with pytest.raises(RuleViolation, match="第六十二条"):
        guards.not_heavier_than_notified(
            kinds=["fine"], fine=Decimal("500.01"), confiscation=None, **kw
        )  # type: ignore[arg-type]
