"""Warning windows at their edges: same agency day 60 vs 61, three agencies day 30 vs 31;
有因检查 left out; un-coded at the threshold."""

from __future__ import annotations

from datetime import date, timedelta

from zhifa.inspections.repeat_warnings import (
    DEFAULTS,
    MANY_AGENCIES,
    SAME_AGENCY,
    UNCODED,
    Done,
    Other,
    many_agencies,
    many_until,
    repeats_until,
    same_agency_repeat,
    uncoded,
)

DAY = date(2026, 9, 30)
SAME = DEFAULTS[SAME_AGENCY]
MANY = DEFAULTS[MANY_AGENCIES]


def other(pk: int, agency: int, days_before: int, ground: str = "routine") -> Other:
    return Other(pk, agency, f"部门{agency}", ground, DAY - timedelta(days=days_before))


def test_defaults_carry_their_sources() -> None:
    assert (SAME.period, SAME.threshold) == (60, 2) and "海南" in SAME.source
    assert (MANY.period, MANY.threshold) == (30, 3) and "衢州" in MANY.source


def test_same_agency_on_day_60_warns_on_day_61_not() -> None:
    alert = same_agency_repeat(
        SAME, agency_id=1, ground="routine", planned_on=DAY, others=[other(9, 1, 60)]
    )
    assert alert is not None and alert.ids == (9,) and alert.source == SAME.source
    assert (
        same_agency_repeat(
            SAME, agency_id=1, ground="routine", planned_on=DAY, others=[other(9, 1, 61)]
        )
        is None
    )
    # After the planned day counts alike (a planned later inspection).
    assert (
        same_agency_repeat(
            SAME, agency_id=1, ground="routine", planned_on=DAY, others=[other(9, 1, -60)]
        )
        is not None
    )


def test_another_agency_or_a_caused_inspection_does_not_warn_as_a_repeat() -> None:
    assert (
        same_agency_repeat(
            SAME, agency_id=1, ground="routine", planned_on=DAY, others=[other(9, 2, 5)]
        )
        is None
    )
    assert (
        same_agency_repeat(
            SAME,
            agency_id=1,
            ground="routine",
            planned_on=DAY,
            others=[other(9, 1, 5, ground="clue")],
        )
        is None
    )
    assert (
        same_agency_repeat(
            SAME, agency_id=1, ground="clue", planned_on=DAY, others=[other(9, 1, 5)]
        )
        is None
    )


def test_three_agencies_within_30_days_warn_day_31_does_not() -> None:
    inside = [other(1, 2, 30), other(2, 3, 10)]
    alert = many_agencies(MANY, agency_id=1, planned_on=DAY, others=inside)
    assert alert is not None and "部门2" in alert.message and "综合查一次" in alert.message
    outside = [other(1, 2, 31), other(2, 3, 10)]
    assert many_agencies(MANY, agency_id=1, planned_on=DAY, others=outside) is None
    # The same agency twice is one agency.
    assert (
        many_agencies(MANY, agency_id=1, planned_on=DAY, others=[other(1, 2, 3), other(2, 2, 4)])
        is None
    )


def test_a_changed_setting_is_used_with_its_source() -> None:
    w = SAME.with_setting(period=30, threshold=3, source="某省规定")
    assert (
        same_agency_repeat(
            w, agency_id=1, ground="routine", planned_on=DAY, others=[other(9, 1, 5)]
        )
        is None
    )
    alert = same_agency_repeat(
        w, agency_id=1, ground="routine", planned_on=DAY, others=[other(9, 1, 5), other(8, 1, 30)]
    )
    assert alert is not None and alert.source == "某省规定"
    off = SAME.with_setting(period=60, threshold=2, source="x", enabled=False)
    assert (
        same_agency_repeat(
            off, agency_id=1, ground="routine", planned_on=DAY, others=[other(9, 1, 5)]
        )
        is None
    )


def test_uncoded_at_the_threshold() -> None:
    w = DEFAULTS[UNCODED]
    assert uncoded(w, uncoded_ids=[1]) is None
    alert = uncoded(w, uncoded_ids=[1, 2])
    assert alert is not None and alert.ids == (1, 2)


def done(pk: int, entity: int, agency: int, days_before: int, ground: str = "routine") -> Done:
    return Done(
        pk,
        entity,
        "某公司",
        agency,
        f"部门{agency}",
        "130302",
        ground,
        DAY - timedelta(days=days_before),
    )


def test_the_periodic_windows_end_on_the_day() -> None:
    rows = [done(1, 1, 1, 0), done(2, 1, 1, 60), done(3, 2, 1, 0), done(4, 2, 1, 61)]
    assert [[r.inspection_id for r in g] for g in repeats_until(SAME, rows, DAY)] == [[2, 1]]
    rows = [
        done(1, 1, 1, 0),
        done(2, 1, 2, 30),
        done(3, 1, 3, 5),
        done(4, 2, 1, 0),
        done(5, 2, 2, 31),
        done(6, 2, 3, 5),
    ]
    assert [{r.entity_id for r in g} for g in many_until(MANY, rows, DAY)] == [{1}]
