"""The rules on a step's date (cases/legal_dates.py), pure: given today, now, the floors and the
case's previous step, each refuses naming the field and the rule, or says nothing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from zhifa.cases import legal_dates
from zhifa.cases.legal_dates import Floor, LateEntry, PreviousStep
from zhifa.core.exceptions import RuleViolation

SH = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 5, 6)
NOW = datetime(2026, 5, 6, 10, 0, tzinfo=SH)
LAW_FLOOR = Floor(date(2021, 7, 15), "本系统受理的最早办案日期", "《行政处罚法》第八十六条")
AGENCY_FLOOR = Floor(date(2024, 3, 1), "甲区市场监管局执法主体资格确认公告的日期", "第十七条")


def dated(when: date | datetime, **kw: object) -> LateEntry | None:
    args: dict[str, object] = {
        "when": when,
        "today": TODAY,
        "now": NOW,
        "floors": [LAW_FLOOR, AGENCY_FLOOR],
        "previous": None,
        "window_days": 3,
        "late_reason": "",
    }
    args.update(kw)
    return legal_dates.step_dated(**args)  # type: ignore[arg-type]


# -- never after today ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "refused"),
    [(TODAY - timedelta(days=1), False), (TODAY, False), (TODAY + timedelta(days=1), True)],
    ids=["the day before", "today", "the day after"],
)
def test_a_day_after_today_is_refused_and_today_is_not(day: date, refused: bool) -> None:
    if not refused:
        legal_dates.not_after_today(on=day, today=TODAY)
        return
    with pytest.raises(RuleViolation) as caught:
        legal_dates.not_after_today(on=day, today=TODAY)
    assert caught.value.field == "on"
    assert "第四十七条" in caught.value.article and "国办发〔2018〕118号" in caught.value.article
    assert caught.value.message.startswith("日期2026年5月7日晚于今天（2026年5月6日）")


@pytest.mark.parametrize(
    ("act", "refused"),
    [(TODAY - timedelta(days=1), False), (TODAY, False), (TODAY + timedelta(days=1), True)],
    ids=["the day before the case", "the case's day", "the day after the case"],
)
def test_an_act_ending_after_the_cases_day_is_refused(act: date, refused: bool) -> None:
    if not refused:
        legal_dates.act_not_after_case(act_ended_on=act, on=TODAY)
        return
    with pytest.raises(RuleViolation) as caught:
        legal_dates.act_not_after_case(act_ended_on=act, on=TODAY)
    assert caught.value.field == "act_ended_on"
    assert caught.value.message.startswith(
        "违法行为终了日期2026年5月7日晚于案件登记或立案日期2026年5月6日"
    )


@pytest.mark.parametrize(
    ("moment", "refused"),
    [
        (NOW - timedelta(hours=1), False),
        (NOW, False),
        (NOW + timedelta(minutes=5), False),  # a device clock a few minutes fast
        (NOW + timedelta(minutes=6), True),
        (datetime(9999, 12, 31, 23, 59, tzinfo=SH), True),
    ],
)
def test_a_moment_after_now_is_refused(moment: datetime, refused: bool) -> None:
    if not refused:
        legal_dates.not_after_now(at=moment, now=NOW)
        return
    with pytest.raises(RuleViolation) as caught:
        legal_dates.not_after_now(at=moment, now=NOW)
    assert caught.value.field == "at" and "第四十七条" in caught.value.article


def test_the_year_9999_and_2099_are_refused_as_days_after_today() -> None:
    for day in (date(2099, 6, 1), date(9999, 12, 31)):
        with pytest.raises(RuleViolation, match="晚于今天"):
            dated(day)


# -- never before the floors ----------------------------------------------------------------


def test_a_day_before_the_deployment_floor_is_refused_naming_its_source() -> None:
    with pytest.raises(RuleViolation) as caught:
        dated(date(1999, 6, 1), floors=[LAW_FLOOR])  # an agency with no announcement on file
    assert caught.value.article == "《行政处罚法》第八十六条"
    assert "早于本系统受理的最早办案日期（2021年7月15日）" in caught.value.message


def test_a_day_before_the_agency_could_enforce_is_refused_with_article_17() -> None:
    # Before both floors, the later one is named: the agency could not enforce yet.
    for day in (date(2023, 12, 31), date(1999, 6, 1)):
        with pytest.raises(RuleViolation) as caught:
            dated(day)
        assert caught.value.article == "第十七条"
        assert "执法主体资格确认公告的日期（2024年3月1日）" in caught.value.message
    assert dated(date(2024, 3, 1), window_days=None) is None  # the day itself is fine


# -- in the order of the case ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "previous", "refused"),
    [
        (date(2026, 5, 4), date(2026, 5, 5), True),
        (date(2026, 5, 5), date(2026, 5, 5), False),
        (date(2026, 5, 6), date(2026, 5, 5), False),
        # A moment against a moment: to the minute.
        (
            datetime(2026, 5, 5, 8, 59, tzinfo=SH),
            datetime(2026, 5, 5, 9, 0, tzinfo=SH),
            True,
        ),
        (
            datetime(2026, 5, 5, 9, 0, tzinfo=SH),
            datetime(2026, 5, 5, 9, 0, tzinfo=SH),
            False,
        ),
        # A day against a moment: by its Beijing-time day (01:00 UTC on the 5th is 09:00 there).
        (date(2026, 5, 5), datetime(2026, 5, 5, 1, 0, tzinfo=ZoneInfo("UTC")), False),
        (date(2026, 5, 4), datetime(2026, 5, 4, 17, 0, tzinfo=ZoneInfo("UTC")), True),
    ],
)
def test_a_step_before_the_previous_one_is_refused(
    when: date | datetime, previous: date | datetime, refused: bool
) -> None:
    step = PreviousStep("立案审批", previous)
    if not refused:
        assert dated(when, previous=step, window_days=None) is None
        return
    with pytest.raises(RuleViolation) as caught:
        dated(when, previous=step)
    assert "早于本案上一步骤“立案审批”" in caught.value.message
    assert "第四十七条" in caught.value.article


# -- 补录 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_ago", "needs_reason"), [(0, False), (3, False), (4, True), (30, True)]
)
def test_a_step_entered_past_the_window_needs_its_reason(days_ago: int, needs_reason: bool) -> None:
    day = TODAY - timedelta(days=days_ago)
    if not needs_reason:
        assert dated(day) is None
        assert dated(day, late_reason="纸质笔录") is None  # a reason within the window: nothing
        return
    with pytest.raises(RuleViolation) as caught:
        dated(day, late_reason="   ")
    assert caught.value.field == "late_reason"
    assert f"今天补录已晚{days_ago}日（超过3日），须写明补录理由" in caught.value.message
    late = dated(day, late_reason=" 现场无网络，纸质笔录回单位后补录 ")
    assert late == LateEntry(days_ago, "现场无网络，纸质笔录回单位后补录")
    assert late.as_payload() == {"days": days_ago, "reason": "现场无网络，纸质笔录回单位后补录"}


def test_without_a_window_no_reason_is_asked() -> None:
    assert dated(date(2025, 1, 2), window_days=None) is None


def test_the_rules_are_checked_in_the_order_a_user_fixes_them() -> None:
    # A day in the future is named as such even when it is also far from the previous step.
    with pytest.raises(RuleViolation, match="晚于今天"):
        dated(date(2099, 6, 1), previous=PreviousStep("登记", date(2026, 5, 1)))
    # A day before the floor is named as such before the missing reason.
    with pytest.raises(RuleViolation, match="早于本系统受理的最早办案日期"):
        dated(date(1999, 6, 1), floors=[LAW_FLOOR])
