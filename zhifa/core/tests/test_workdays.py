"""The statutory working-day calendar, checked against the real 2026 holiday notice."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from zhifa.core.calendar import current_calendar
from zhifa.core.exceptions import CalendarUnknown
from zhifa.core.models import CalendarOverride, CalendarYear
from zhifa.core.workdays import LIBRARY_LAST_YEAR, Override, WorkdayCalendar

D = date
UNKNOWN_2027 = "2027年的法定节假日安排尚未公布（国务院办公厅通知），无法计算工作日"


@pytest.fixture
def cal() -> WorkdayCalendar:
    return WorkdayCalendar()


def test_package_covers_2026_and_not_2027() -> None:
    # The suite is written against chinesecalendar 1.11.0; a newer package knowing 2027 must
    # come with updated tests rather than silently change them.
    assert LIBRARY_LAST_YEAR == 2026


# -- is_workday --


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 1, 1), False),  # 元旦
        (D(2026, 1, 2), False),  # 元旦 (Friday)
        (D(2026, 1, 4), True),  # Sunday made a working day
        (D(2026, 2, 14), True),  # Saturday before 春节, working
        (D(2026, 2, 16), False),  # 春节
        (D(2026, 2, 23), False),  # Monday, last day of 春节
        (D(2026, 2, 24), True),
        (D(2026, 2, 28), True),  # Saturday after 春节, working
        (D(2026, 4, 6), False),  # 清明 (Monday)
        (D(2026, 5, 5), False),  # 劳动节 (Tuesday)
        (D(2026, 5, 9), True),  # Saturday, working
        (D(2026, 6, 19), False),  # 端午 (Friday)
        (D(2026, 9, 20), True),  # Sunday before 国庆/中秋, working
        (D(2026, 9, 25), False),  # 中秋 (Friday)
        (D(2026, 10, 7), False),  # 国庆 (Wednesday)
        (D(2026, 10, 10), True),  # Saturday, working
        (D(2026, 10, 17), False),  # ordinary Saturday
        (D(2026, 10, 19), True),  # ordinary Monday
    ],
)
def test_is_workday_follows_the_2026_notice(cal: WorkdayCalendar, day: date, working: bool) -> None:
    assert cal.is_workday(day) is working


def test_is_workday_refuses_2027_with_the_chinese_message(cal: WorkdayCalendar) -> None:
    with pytest.raises(CalendarUnknown) as exc:
        cal.is_workday(D(2027, 3, 1))
    assert UNKNOWN_2027 in str(exc.value)
    assert "法定节假日调整" in str(exc.value)


def test_is_workday_refuses_years_before_the_package(cal: WorkdayCalendar) -> None:
    with pytest.raises(CalendarUnknown, match="2003年的法定节假日安排未收录"):
        cal.is_workday(D(2003, 6, 2))


def test_day_info_names_the_holiday_and_the_makeup_day(cal: WorkdayCalendar) -> None:
    holiday = cal.day_info(D(2026, 10, 6))
    assert not holiday.is_workday
    assert holiday.reason == "星期二，法定节假日（国庆节）"
    makeup = cal.day_info(D(2026, 9, 20))
    assert makeup.is_workday
    assert makeup.reason == "星期日，调休上班（国庆节）"
    assert cal.day_info(D(2026, 10, 17)).reason == "星期六，周末休息"
    assert cal.day_info(D(2026, 10, 19)).reason == "星期一"


# -- add_workdays --


def test_add_workdays_skips_national_day_and_counts_makeup_saturday(cal: WorkdayCalendar) -> None:
    assert cal.add_workdays(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert cal.add_workdays(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert cal.add_workdays(D(2026, 9, 30), 5) == D(2026, 10, 13)


def test_add_workdays_skips_spring_festival_between_two_makeup_saturdays(
    cal: WorkdayCalendar,
) -> None:
    assert cal.add_workdays(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert cal.add_workdays(D(2026, 2, 14), 1) == D(2026, 2, 24)
    assert cal.add_workdays(D(2026, 2, 24), 4) == D(2026, 2, 28)


def test_add_workdays_does_not_count_the_start_day_even_when_it_is_a_holiday(
    cal: WorkdayCalendar,
) -> None:
    assert cal.add_workdays(D(2026, 10, 3), 1) == D(2026, 10, 8)
    assert cal.add_workdays(D(2026, 10, 8), 1) == D(2026, 10, 9)


def test_add_workdays_crosses_into_2026_through_new_year(cal: WorkdayCalendar) -> None:
    assert cal.add_workdays(D(2025, 12, 31), 1) == D(2026, 1, 4)


def test_add_workdays_zero_returns_the_start_and_negative_is_refused(
    cal: WorkdayCalendar,
) -> None:
    assert cal.add_workdays(D(2026, 10, 3), 0) == D(2026, 10, 3)
    with pytest.raises(ValueError):
        cal.add_workdays(D(2026, 10, 3), -1)


def test_add_workdays_refuses_to_walk_into_2027(cal: WorkdayCalendar) -> None:
    assert cal.add_workdays(D(2026, 12, 24), 5) == D(2026, 12, 31)
    with pytest.raises(CalendarUnknown, match=UNKNOWN_2027):
        cal.add_workdays(D(2026, 12, 24), 6)


def test_add_workdays_refuses_to_walk_through_an_unknown_year_between_known_ones() -> None:
    cal = WorkdayCalendar(declared_years=[2028])
    with pytest.raises(CalendarUnknown, match=UNKNOWN_2027):
        cal.add_workdays(D(2026, 12, 31), 300)


def test_add_workdays_of_90_days_takes_microseconds(cal: WorkdayCalendar) -> None:
    cal.add_workdays(D(2026, 3, 2), 90)  # build the year tables once
    runs = 2000
    began = time.perf_counter()
    for _ in range(runs):
        cal.add_workdays(D(2026, 3, 2), 90)
    assert (time.perf_counter() - began) / runs < 100e-6


# -- workdays_between --


def test_workdays_between_counts_after_a_up_to_and_including_b(cal: WorkdayCalendar) -> None:
    assert cal.workdays_between(D(2026, 9, 30), D(2026, 10, 13)) == 5
    assert cal.workdays_between(D(2026, 9, 30), D(2026, 10, 7)) == 0
    assert cal.workdays_between(D(2026, 9, 30), D(2026, 9, 30)) == 0


def test_workdays_between_is_negative_when_b_is_before_a(cal: WorkdayCalendar) -> None:
    assert cal.workdays_between(D(2026, 10, 13), D(2026, 9, 30)) == -5


def test_workdays_between_agrees_with_add_workdays_over_all_2026(cal: WorkdayCalendar) -> None:
    start = D(2025, 12, 20)
    for n in range(0, 250):
        end = cal.add_workdays(start, n)
        assert cal.workdays_between(start, end) == n
        assert cal.workdays_between(start, end - timedelta(days=1)) == max(0, n - 1)


def test_workdays_between_refuses_an_interval_reaching_2027(cal: WorkdayCalendar) -> None:
    with pytest.raises(CalendarUnknown):
        cal.workdays_between(D(2026, 12, 1), D(2027, 1, 10))


# -- end_of_calendar_period --


def test_calendar_period_ending_on_national_day_rolls_to_the_first_working_day(
    cal: WorkdayCalendar,
) -> None:
    assert cal.end_of_calendar_period(D(2026, 9, 16), 15) == D(2026, 10, 8)


def test_calendar_period_ending_on_a_weekend_rolls_to_monday(cal: WorkdayCalendar) -> None:
    assert cal.end_of_calendar_period(D(2026, 3, 6), 15) == D(2026, 3, 23)


def test_calendar_period_ending_on_a_makeup_saturday_ends_that_day(cal: WorkdayCalendar) -> None:
    assert cal.end_of_calendar_period(D(2026, 9, 25), 15) == D(2026, 10, 10)


def test_calendar_period_needs_only_its_last_day_known(cal: WorkdayCalendar) -> None:
    assert cal.end_of_calendar_period(D(2025, 12, 5), 21) == D(2025, 12, 26)
    assert cal.end_of_calendar_period(D(2026, 12, 5), 21) == D(2026, 12, 28)
    with pytest.raises(CalendarUnknown, match=UNKNOWN_2027):
        cal.end_of_calendar_period(D(2026, 12, 2), 30)


# -- overrides, declared years, version --


def test_a_declared_year_becomes_known_with_its_overrides() -> None:
    cal = WorkdayCalendar(overrides=[Override(D(2027, 1, 1), False, "元旦")], declared_years=[2027])
    assert 2027 in cal.known_years
    assert not cal.is_workday(D(2027, 1, 1))
    assert cal.is_workday(D(2027, 1, 4))
    assert cal.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)
    assert cal.day_info(D(2027, 1, 1)).reason == "星期五，调整为休息日：元旦"


def test_overrides_alone_do_not_make_a_year_known() -> None:
    cal = WorkdayCalendar(overrides=[Override(D(2027, 1, 1), False, "元旦")])
    with pytest.raises(CalendarUnknown):
        cal.is_workday(D(2027, 1, 4))


def test_an_override_changes_one_day_of_a_package_year(cal: WorkdayCalendar) -> None:
    closed = WorkdayCalendar(overrides=[Override(D(2026, 10, 12), False, "台风停工")])
    assert cal.add_workdays(D(2026, 9, 30), 5) == D(2026, 10, 13)
    assert closed.add_workdays(D(2026, 9, 30), 5) == D(2026, 10, 14)


def test_version_changes_with_overrides_and_declared_years_but_not_notes() -> None:
    base = WorkdayCalendar()
    one = WorkdayCalendar(overrides=[Override(D(2026, 10, 12), False, "甲")])
    same = WorkdayCalendar(overrides=[Override(D(2026, 10, 12), False, "乙")])
    flipped = WorkdayCalendar(overrides=[Override(D(2026, 10, 12), True, "甲")])
    declared = WorkdayCalendar(declared_years=[2027])
    assert base.version == WorkdayCalendar().version
    assert base.version.startswith("cc1.11.0-")
    assert len({base.version, one.version, flipped.version, declared.version}) == 4
    assert one.version == same.version


# -- the database-backed calendar --


@pytest.mark.django_db
def test_current_calendar_knows_2027_once_an_admin_declares_it() -> None:
    with pytest.raises(CalendarUnknown):
        current_calendar().is_workday(D(2027, 1, 4))
    before = current_calendar().version
    CalendarOverride.objects.create(date=D(2027, 1, 1), is_workday=False, note="元旦")
    year = CalendarYear.objects.create(year=2027, notice="国办发明电〔2026〕x号")
    with pytest.raises(CalendarUnknown):  # entered, but not declared complete
        current_calendar().is_workday(D(2027, 1, 4))
    year.declared_complete = True
    year.save()
    cal = current_calendar()
    assert cal.is_workday(D(2027, 1, 4))
    assert not cal.is_workday(D(2027, 1, 1))
    assert cal.version != before


@pytest.mark.django_db
def test_current_calendar_is_cached_until_a_row_changes() -> None:
    first = current_calendar()
    assert current_calendar() is first
    row = CalendarOverride.objects.create(date=D(2026, 10, 12), is_workday=False)
    changed = current_calendar()
    assert changed is not first
    assert not changed.is_workday(D(2026, 10, 12))
    row.delete()
    assert current_calendar().is_workday(D(2026, 10, 12))


@pytest.mark.django_db
def test_current_calendar_sees_rows_written_without_signals() -> None:
    # Another process (or a bulk write) sends no signal to this one; the fingerprint notices.
    with time_machine.travel(D(2026, 11, 20), tick=False):
        current_calendar()
        CalendarYear.objects.bulk_create([CalendarYear(year=2027, declared_complete=True)])
        assert current_calendar().is_workday(D(2027, 1, 4))
        CalendarYear.objects.filter(year=2027).update(declared_complete=False)
        with pytest.raises(CalendarUnknown):
            current_calendar().is_workday(D(2027, 1, 4))


# -- the `workdays` command --


def _run(*args: str) -> list[str]:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue().strip().splitlines()


@pytest.mark.django_db
def test_workdays_add_prints_the_date_on_the_last_line() -> None:
    lines = _run("add", "2026-09-30", "5")
    assert lines[-1] == "2026-10-13"
    assert "自2026-09-30起算5个工作日（不含起算日）：" in lines


@pytest.mark.django_db
def test_workdays_between_prints_the_count_on_the_last_line() -> None:
    assert _run("between", "2026-09-30", "2026-10-13")[-1] == "5"
    assert _run("between", "2026-10-13", "2026-09-30")[-1] == "-5"


@pytest.mark.django_db
def test_workdays_is_names_the_holiday() -> None:
    assert _run("is", "2026-10-06")[-1] == "2026-10-06 休息日（星期二，法定节假日（国庆节））"
    assert _run("is", "2026-10-10")[-1] == "2026-10-10 工作日（星期六，调休上班（国庆节））"


@pytest.mark.django_db
def test_workdays_refuses_an_unknown_year_with_a_command_error() -> None:
    with pytest.raises(CommandError, match=UNKNOWN_2027):
        _run("add", "2026-12-30", "5")


@pytest.mark.django_db
def test_workdays_refuses_a_malformed_date() -> None:
    with pytest.raises(CommandError):
        _run("add", "2026-13-01", "5")


def test_workdays_through_the_console_entry(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[3]
    script = shutil.which("zhifa", path=str(Path(sys.executable).parent))
    entry = [script] if script else [sys.executable, "-m", "zhifa.cli"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "ZHIFA_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    subprocess.run([*entry, "migrate", "-v", "0"], cwd=root, env=env, check=True)  # noqa: S603
    ok = subprocess.run(  # noqa: S603
        [*entry, "workdays", "add", "2026-09-30", "5"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip().splitlines()[-1] == "2026-10-13"
    refused = subprocess.run(  # noqa: S603
        [*entry, "workdays", "is", "2027-01-04"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0
    assert UNKNOWN_2027 in refused.stderr
