"""Caps (年度频次上限) as data: n−1 and n allowed, n+1 over; which grounds count is per cap."""

from __future__ import annotations

from datetime import date

import pytest

from zhifa.core.exceptions import RuleViolation
from zhifa.inspections.caps import CapRule, Earlier, Planned, cap_check, cap_counts

HEALTH = 7
COAL = 9
WEIJIAN = "某市卫生健康委员会涉企行政检查频次上限（2025-08-07）"
HENAN = "河南省工业和信息化厅涉企行政检查事项频次上限（2025-06-06）"

# 卫健: each level 2 a year, combined 4; 个案检查 (clue, request) not capped.
COUNTY_2 = CapRule(
    1,
    "卫健县级",
    2,
    WEIJIAN,
    level="county",
    domain_id=HEALTH,
    counted_grounds=("routine", "random", "special"),
)
COMBINED_4 = CapRule(
    2,
    "卫健市县合计",
    4,
    WEIJIAN,
    domain_id=HEALTH,
    counted_grounds=("routine", "random", "special"),
)
ALL_GROUNDS = CapRule(3, "卫健县级（个案也计）", 2, WEIJIAN, level="county", domain_id=HEALTH)


def planned(ground: str = "routine", level: str = "county", **kw: object) -> Planned:
    base: dict[str, object] = dict(
        agency_level=level,
        domain_id=HEALTH,
        power_code="WJ-01",
        ground=ground,
        entity_division="130302",
        risk_class="B",
        planned_on=date(2026, 9, 1),
    )
    base.update(kw)
    return Planned(**base)  # type: ignore[arg-type]


def earlier(
    n: int,
    *,
    ground: str = "routine",
    level: str = "county",
    year: int = 2026,
    state: str = "approved",
    start: int = 100,
) -> list[Earlier]:
    return [
        Earlier(start + i, level, HEALTH, "WJ-01", ground, date(year, 3, 1 + i), state)
        for i in range(n)
    ]


@pytest.mark.parametrize(("before", "number", "over"), [(0, 1, False), (1, 2, False), (2, 3, True)])
def test_the_cap_allows_n_minus_1_and_n_and_refuses_n_plus_1(
    before: int, number: int, over: bool
) -> None:
    (count,) = cap_counts([COUNTY_2], planned(), earlier(before))
    assert (count.number, count.over) == (number, over)
    if over:
        with pytest.raises(RuleViolation) as exc:
            cap_check([count], override_reason="")
        assert exc.value.article == WEIJIAN
        assert "上限2次" in exc.value.message
    else:
        ((text, source),) = cap_check([count], override_reason="")
        assert f"本年度第{number}次，上限2次" in text and source == WEIJIAN


def test_a_ground_the_cap_exempts_is_neither_counted_nor_limited() -> None:
    # Two 个案 inspections earlier: the third routine one is only the first counted.
    rows = earlier(2, ground="clue") + earlier(1, start=200)
    (count,) = cap_counts([COUNTY_2], planned(), rows)
    assert count.number == 2 and not count.over
    # A 个案 inspection itself is outside the cap even with the cap full.
    assert cap_counts([COUNTY_2], planned(ground="clue"), earlier(2)) == []


def test_where_every_ground_counts_the_case_inspections_fill_the_cap() -> None:
    rows = earlier(1, ground="clue") + earlier(1, start=200)
    (count,) = cap_counts([ALL_GROUNDS], planned(ground="clue"), rows)
    assert count.number == 3 and count.over


def test_the_combined_cap_counts_every_level_the_level_cap_its_own() -> None:
    rows = earlier(2, level="city") + earlier(1, level="county", start=300)
    counts = {c.cap.id: c for c in cap_counts([COUNTY_2, COMBINED_4], planned(), rows)}
    assert counts[1].number == 2  # the county's own second
    assert counts[2].number == 4  # the fourth of city and county combined: allowed (at n)
    rows.append(Earlier(400, "city", HEALTH, "WJ-01", "special", date(2026, 5, 1), "approved"))
    counts = {c.cap.id: c for c in cap_counts([COUNTY_2, COMBINED_4], planned(), rows)}
    assert counts[2].over and not counts[1].over


def test_only_this_years_approved_inspections_count() -> None:
    rows = (
        earlier(2, year=2025)
        + earlier(1, state="refused", start=500)
        + earlier(1, state="requested", start=600)
        + earlier(1, state="emergency", start=700)
    )
    (count,) = cap_counts([COUNTY_2], planned(), rows)
    assert count.counted_ids == (700,)


def test_not_counted_rows_are_left_out() -> None:
    row = Earlier(1, "county", HEALTH, "WJ-01", "routine", date(2026, 2, 1), "approved", False)
    (count,) = cap_counts([COUNTY_2], planned(), [row])
    assert count.count == 0


def test_coal_caps_apply_by_risk_class() -> None:
    caps = [
        CapRule(10 + i, f"煤矿{k}类", n, HENAN, power_code="MK-01", risk_class=k)
        for i, (k, n) in enumerate({"A": 2, "B": 4, "C": 6, "D": 4}.items())
    ]
    p = planned(domain_id=COAL, power_code="MK-01", risk_class="C")
    rows = [
        Earlier(i, "province", COAL, "MK-01", "routine", date(2026, 1, 1 + i), "approved")
        for i in range(6)
    ]
    (count,) = cap_counts(caps, p, rows)
    assert count.cap.limit == 6 and count.number == 7 and count.over
    (count,) = cap_counts(caps, p, rows[:5])
    assert count.reached and not count.over


def test_over_the_cap_with_an_override_needs_a_reason_and_is_noted() -> None:
    cap = CapRule(20, "允许超限", 1, WEIJIAN, domain_id=HEALTH, override_allowed=True)
    (count,) = cap_counts([cap], planned(), earlier(1))
    with pytest.raises(RuleViolation) as exc:
        cap_check([count], override_reason=" ")
    assert "须说明理由并经负责人批准" in exc.value.message and exc.value.article == WEIJIAN
    ((text, _),) = cap_check([count], override_reason="重大安全隐患复查")
    assert "重大安全隐患复查" in text


def test_a_cap_of_another_region_item_or_inactive_does_not_apply() -> None:
    other_region = CapRule(30, "乙市", 1, WEIJIAN, domain_id=HEALTH, region_code="130400")
    other_item = CapRule(31, "其他事项", 1, WEIJIAN, power_code="XX-9")
    inactive = CapRule(32, "已停用", 1, WEIJIAN, domain_id=HEALTH, active=False)
    same_region = CapRule(33, "本市", 1, WEIJIAN, domain_id=HEALTH, region_code="130300")
    found = cap_counts([other_region, other_item, inactive, same_region], planned(), [])
    assert [c.cap.id for c in found] == [33]
