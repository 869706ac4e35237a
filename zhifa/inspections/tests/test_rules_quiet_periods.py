"""企业安静期: the first and last quiet day and the day after; exception grounds; the 报备 lead
time at its edge (商丘: 3 days before in time, 2 days before late)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from zhifa.core.exceptions import RuleViolation
from zhifa.inspections.quiet_periods import Period, parse_days, quiet_check

JIAOKOU = "交口县双池镇《“企业安静期”制度（试行）》第三条"
SHANGQIU = "商丘市“企业宁静日”制度（2023年7月）"
LABELS = {"upper": "上级部署", "hazard": "隐患", "complaint": "投诉举报", "other": "其他"}

QUIET = Period(
    1,
    "示范市企业安静期",
    "130300",
    ((1, 20),),
    JIAOKOU,
    date(2026, 1, 1),
    categories=("industry", "construction"),
    exception_grounds=("upper", "hazard", "complaint", "statutory", "tax", "other"),
)
FILING = Period(
    2,
    "商丘式宁静日",
    "130300",
    ((1, 20),),
    SHANGQIU,
    date(2026, 1, 1),
    exception_grounds=("upper", "hazard"),
    filing_lead_days=3,
    filing_to="市优化营商环境办公室",
)


def check(periods: list[Period], day: date, **kw: Any) -> Any:
    args: dict[str, Any] = dict(
        entity_id=5,
        division_code="130302",
        scale_category="industry",
        ground="routine",
        planned_on=day,
        exception="",
        exception_reason="",
        exception_labels=LABELS,
        filed_on=None,
        filing_required=True,
    )
    args.update(kw)
    return quiet_check(periods, **args)


@pytest.mark.parametrize("day", [date(2026, 9, 1), date(2026, 9, 20)])
def test_first_and_last_quiet_day_refuse_without_an_exception(day: date) -> None:
    with pytest.raises(RuleViolation) as exc:
        check([QUIET], day)
    assert exc.value.article == JIAOKOU
    assert "安静期" in exc.value.message and exc.value.field == "quiet_exception"


def test_the_day_after_the_quiet_days_is_free() -> None:
    assert check([QUIET], date(2026, 9, 21)).period is None


def test_an_exception_ground_the_period_lists_allows_it_and_says_so() -> None:
    verdict = check([QUIET], date(2026, 9, 10), exception="hazard")
    assert verdict.period == QUIET and verdict.exception == "hazard"
    assert "隐患" in verdict.notices[0]


def test_a_ground_the_period_does_not_list_is_refused() -> None:
    with pytest.raises(RuleViolation) as exc:
        check([FILING], date(2026, 9, 10), exception="complaint")
    assert exc.value.article == SHANGQIU


def test_other_needs_its_reason() -> None:
    with pytest.raises(RuleViolation):
        check([QUIET], date(2026, 9, 10), exception="other")
    assert check(
        [QUIET], date(2026, 9, 10), exception="other", exception_reason="企业停产前须核验"
    ).period


def test_categories_and_named_entities_decide_who_is_covered() -> None:
    assert check([QUIET], date(2026, 9, 10), scale_category="trade").period is None
    named = Period(
        3,
        "名单",
        "130300",
        ((1, 20),),
        JIAOKOU,
        date(2026, 1, 1),
        entity_ids=frozenset({5}),
        names_entities=True,
    )
    with pytest.raises(RuleViolation):
        check([named], date(2026, 9, 10), scale_category="")
    assert check([named], date(2026, 9, 10), entity_id=6, scale_category="").period is None
    # Another region is not covered.
    assert check([QUIET], date(2026, 9, 10), division_code="130402").period is None


def test_valid_from_and_valid_to_bound_the_period() -> None:
    bounded = Period(
        4, "试行", "130300", ((1, 20),), JIAOKOU, date(2026, 7, 1), valid_to=date(2026, 9, 30)
    )
    assert check([bounded], date(2026, 6, 10)).period is None
    with pytest.raises(RuleViolation):
        check([bounded], date(2026, 7, 1))
    with pytest.raises(RuleViolation):
        check([bounded], date(2026, 9, 10))
    assert check([bounded], date(2026, 10, 10)).period is None


def test_an_inspection_the_enterprise_asked_for_is_not_held_back() -> None:
    assert check([QUIET], date(2026, 9, 10), ground="request").period is None


def test_segments_of_the_month() -> None:
    split = Period(5, "分段", "130300", parse_days("1-10, 16-25"), JIAOKOU, date(2026, 1, 1))
    assert check([split], date(2026, 9, 11)).period is None
    assert check([split], date(2026, 9, 15)).period is None
    for day in (10, 16, 25):
        with pytest.raises(RuleViolation):
            check([split], date(2026, 9, day))
    assert check([split], date(2026, 9, 26)).period is None


def test_filing_three_days_before_is_in_time_two_days_before_is_late() -> None:
    day = date(2026, 9, 25)  # outside the quiet days
    ok = check([FILING], day, filed_on=date(2026, 9, 22))
    assert ok.filing_due == date(2026, 9, 22) and "已于9月22日报备" in ok.notices[0]
    with pytest.raises(RuleViolation) as exc:
        check([FILING], day, filed_on=date(2026, 9, 23))
    assert exc.value.article == SHANGQIU and "入企行政执法报备表" in exc.value.message
    assert exc.value.field == "filed_on"


def test_missing_filing_is_refused_at_approval_and_a_notice_at_the_request() -> None:
    day = date(2026, 9, 25)
    with pytest.raises(RuleViolation) as exc:
        check([FILING], day)
    assert "尚未报备" in exc.value.message
    verdict = check([FILING], day, filing_required=False)
    assert verdict.filing_due == date(2026, 9, 22) and "尚未报备" in verdict.notices[0]


def test_day_ranges_are_parsed_and_checked() -> None:
    assert parse_days("1-20") == ((1, 20),)
    assert parse_days("１６至２５，1–10") == ((1, 10), (16, 25))
    for bad in ("0-20", "20-1", "1-10,5-15", "a-b", "", "1-40"):
        with pytest.raises(RuleViolation):
            parse_days(bad)
