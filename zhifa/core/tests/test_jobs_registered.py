"""The jobs the apps register, run by ``zhifa cron`` as a timer would run it: a head is signed
for entries appended after the last one, provisional deadlines move once the year's holidays
are entered. (Publication expiry: ``test_jobs_publicity.py``.)"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import World, entries_of, world
from zhifa.core.models import CalendarOverride, CalendarYear, JobRun
from zhifa.record.selectors import latest_head, log_size
from zhifa.record.services import record_append
from zhifa.record.verification import log_verify

__all__ = ["world"]

SH = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=SH)


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def cron() -> str:
    out = StringIO()
    call_command("cron", stdout=out)
    return out.getvalue()


def note(n: int, at: datetime) -> None:
    record_append(
        actor_id=7,
        actor_name="张三",
        role="officer",
        action="case.note",
        payload={"n": n, "text": "现场检查记录"},
        case_id=None,
        at=at,
    )


@pytest.mark.django_db
def test_entries_appended_after_the_last_head_are_signed_by_cron_a_minute_later(
    clock: time_machine.Coordinates,
) -> None:
    for n in range(3):  # the first append signs a head of one entry; the next two are too soon
        note(n, T0 + timedelta(seconds=n))
    assert latest_head() is not None and latest_head().size == 1  # type: ignore[union-attr]

    clock.move_to(T0 + timedelta(seconds=30))  # the head is younger than a minute: not yet
    assert "record.sign-head" not in cron()
    assert latest_head().size == 1  # type: ignore[union-attr]

    clock.move_to(T0 + timedelta(seconds=61))
    assert "签署记录树头（record.sign-head）：成功。已签署树头，覆盖3条记录。" in cron()
    head = latest_head()
    assert head is not None and head.size == log_size() == 3
    assert log_verify(check_files=False).ok

    clock.move_to(T0 + timedelta(minutes=5))  # nothing appended since: no new head, no row
    assert "record.sign-head" not in cron()
    assert JobRun.objects.filter(job="record.sign-head").count() == 1


@pytest.mark.django_db
def test_without_its_signing_key_the_head_job_fails_every_minute_saying_why(
    clock: time_machine.Coordinates, settings: Any, tmp_path: Path
) -> None:
    settings.SIGNING_KEY_PATH = tmp_path / "signing-key.ed25519"
    note(0, T0)  # signs the first head with a new key
    settings.SIGNING_KEY_PATH.unlink()  # lost with a disk, say
    note(1, T0 + timedelta(seconds=1))
    for minute in (2, 3):
        clock.move_to(T0 + timedelta(minutes=minute))
        with pytest.raises(CommandError, match=r"record\.sign-head"):
            cron()
    runs = JobRun.objects.filter(job="record.sign-head").order_by("started_at")
    assert [r.outcome for r in runs] == [JobRun.Outcome.FAILED] * 2
    assert "签名密钥文件不存在" in runs[0].error
    assert latest_head().size == 1  # type: ignore[union-attr]


def publish_2027() -> None:
    """The 2027 notice as far as this test needs it: 元旦 on Friday 1 January is a holiday."""
    CalendarOverride.objects.create(date=date(2027, 1, 1), is_workday=False, note="元旦")
    CalendarYear.objects.create(year=2027, notice="国办发明电〔2026〕x号", declared_complete=True)


@pytest.mark.django_db
def test_provisional_deadlines_move_the_night_after_the_year_is_entered(world: World) -> None:
    with time_machine.travel(datetime(2026, 12, 28, 16, 0, tzinfo=SH), tick=False) as clock:
        # Notified on Monday 28 December 2026: five working days reach into unpublished 2027.
        case = world.notified(date(2026, 12, 1), date(2026, 12, 28), fine=Decimal(20000))
        assert case.deadlines_provisional and case.statement_deadline == date(2027, 1, 4)

        clock.move_to(datetime(2026, 12, 29, 1, 0, tzinfo=SH))  # the nightly run: still unknown
        assert "仍为暂定1件" in cron()
        clock.move_to(datetime(2026, 12, 29, 10, 0, tzinfo=SH))  # the administrator enters 2027
        publish_2027()
        assert "cases.recount-deadlines" not in cron()  # done for today

        clock.move_to(datetime(2026, 12, 30, 1, 0, tzinfo=SH))
        out = cron()

    assert "重新计算暂定期限（cases.recount-deadlines）：成功。" in out
    assert "暂定期限的案件1件，重新计算后变更1件，仍为暂定0件。" in out
    case = Case.objects.get(pk=case.pk)
    assert not case.deadlines_provisional
    assert case.statement_deadline == date(2027, 1, 5)  # 29, 30, 31, 4, 5
    assert entries_of(case)[-1].action == "case.deadlines_recount"


@pytest.mark.django_db
def test_the_recount_job_does_not_run_when_no_deadline_is_provisional() -> None:
    with time_machine.travel(datetime(2026, 12, 29, 1, 0, tzinfo=SH), tick=False):
        assert "cases.recount-deadlines" not in cron()
    assert not JobRun.objects.filter(job="cases.recount-deadlines").exists()
