"""Scheduled jobs (``zhifa cron``): when a job is due, that it runs once under its lock, how each
run is logged, and what the command says. The jobs here are made up; the apps' real ones are in
``test_jobs_registered.py``."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, time, timedelta
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client

from zhifa.core import jobs
from zhifa.core.exceptions import RuleViolation
from zhifa.core.jobs import Job, is_due, job_named, job_run, next_due, register_job
from zhifa.core.models import JobRun
from zhifa.core.testing import Personas

SH = ZoneInfo("Asia/Shanghai")
Outcome = JobRun.Outcome
REPO = Path(__file__).resolve().parents[3]


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> datetime:
    """A moment in December 2026, Beijing time."""
    return datetime(2026, 12, day, hour, minute, second, tzinfo=SH)


class Counter:
    """A job body that counts its runs and answers a summary."""

    def __init__(self) -> None:
        self.runs: list[datetime] = []

    def __call__(self, now: datetime) -> str:
        self.runs.append(now)
        return f"第{len(self.runs)}次"


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> dict[str, Job]:
    """An empty job registry, and lock files in this test's own folder."""
    settings.DATA_DIR = tmp_path
    empty: dict[str, Job] = {}
    monkeypatch.setattr(jobs, "_registry", empty)
    return empty


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(at(1, 0, 30), tick=False) as traveller:
        yield traveller


def cron(*args: str) -> str:
    out = StringIO()
    call_command("cron", *args, stdout=out)
    return out.getvalue()


def runs_of(name: str) -> list[JobRun]:
    return list(JobRun.objects.filter(job=name).order_by("started_at", "id"))


# -- when a job is due -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_daily_job_runs_from_its_time_once_a_day(
    registry: dict[str, Job], clock: time_machine.Coordinates
) -> None:
    body = Counter()
    register_job("test.daily", daily_at=time(1, 0), run=body, label="每日任务")
    for moment, expected in [
        (at(1, 0, 59), 0),  # not yet: 00:59
        (at(1, 1, 0), 1),  # 01:00 sharp
        (at(1, 1, 1), 1),  # done today
        (at(1, 23, 59), 1),
        (at(2, 0, 59), 1),  # next day, not yet
        (at(2, 1, 0), 2),
    ]:
        clock.move_to(moment)
        cron()
        assert len(body.runs) == expected, moment
    assert [r.outcome for r in runs_of("test.daily")] == [Outcome.OK, Outcome.OK]
    assert body.runs == [at(1, 1, 0), at(2, 1, 0)]


@pytest.mark.django_db
def test_a_machine_down_for_days_catches_a_daily_job_up_once(
    registry: dict[str, Job], clock: time_machine.Coordinates
) -> None:
    body = Counter()
    register_job("test.daily", daily_at=time(1, 0), run=body, label="每日任务")
    clock.move_to(at(1, 1, 0))
    cron()
    # Down from the 1st to the morning of the 4th: the 2nd, 3rd and 4th are one run, not three.
    clock.move_to(at(4, 10, 17))
    cron()
    clock.move_to(at(4, 10, 18))
    cron()
    assert body.runs == [at(1, 1, 0), at(4, 10, 17)]
    clock.move_to(at(5, 1, 0))
    cron()
    assert len(body.runs) == 3


@pytest.mark.django_db
def test_an_interval_job_counts_whole_minutes_and_catches_up_once(
    registry: dict[str, Job], clock: time_machine.Coordinates
) -> None:
    body = Counter()
    register_job("test.five", every=timedelta(minutes=5), run=body, label="五分钟任务")
    clock.move_to(at(1, 10, 0, 40))  # this tick came 40 seconds late
    cron()
    clock.move_to(at(1, 10, 4, 59))
    cron()
    assert len(body.runs) == 1
    clock.move_to(at(1, 10, 5, 0))  # five minutes after the minute it ran in
    cron()
    assert len(body.runs) == 2
    clock.move_to(at(1, 13, 7, 2))  # three hours without cron: one run
    cron()
    clock.move_to(at(1, 13, 8, 0))
    cron()
    assert body.runs[2:] == [at(1, 13, 7, 2)]


def test_a_daily_job_is_due_from_its_time_in_beijing_time() -> None:
    job = Job("test.daily", "每日任务", Counter(), daily_at=time(1, 0))
    utc = ZoneInfo("UTC")
    # 01:00 in Beijing is 17:00 UTC the day before.
    assert not is_due(job, last_success=None, now=datetime(2026, 11, 30, 16, 59, tzinfo=utc), tz=SH)
    assert is_due(job, last_success=None, now=datetime(2026, 11, 30, 17, 0, tzinfo=utc), tz=SH)
    assert next_due(job, last_success=at(1, 1, 0), now=at(1, 9), tz=SH) == at(2, 1, 0)
    # A run forced before 01:00 does not stand in for the day's run.
    assert next_due(job, last_success=at(1, 0, 30), now=at(1, 0, 45), tz=SH) == at(1, 1, 0)


@pytest.mark.django_db
def test_a_failed_run_does_not_count_the_job_is_tried_again_at_the_next_tick(
    registry: dict[str, Job], clock: time_machine.Coordinates
) -> None:
    calls: list[datetime] = []

    def flaky(now: datetime) -> str:
        calls.append(now)
        if len(calls) == 1:
            raise RuleViolation("数据源暂时不可用")
        return "完成"

    register_job("test.flaky", daily_at=time(1, 0), run=flaky, label="不稳定任务")
    clock.move_to(at(1, 1, 0))
    with pytest.raises(CommandError):
        cron()
    clock.move_to(at(1, 1, 1))
    cron()
    clock.move_to(at(1, 1, 2))
    cron()
    assert [r.outcome for r in runs_of("test.flaky")] == [Outcome.FAILED, Outcome.OK]


@pytest.mark.django_db
def test_a_job_with_nothing_to_do_is_not_run_and_leaves_no_row(
    registry: dict[str, Job], clock: time_machine.Coordinates
) -> None:
    body = Counter()
    work: list[str] = []
    register_job(
        "test.when-needed",
        every=timedelta(minutes=1),
        needed=lambda now: bool(work),
        run=body,
        label="按需任务",
    )
    assert cron() == ""
    assert body.runs == [] and runs_of("test.when-needed") == []
    work.append("x")
    clock.move_to(at(1, 0, 31))
    assert "按需任务（test.when-needed）：成功。第1次" in cron()


# -- locking ---------------------------------------------------------------------------------


class Blocking:
    """A job body that, on its first run, holds until released (so a second run meets its lock)."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.runs = 0

    def __call__(self, now: datetime) -> str:
        self.runs += 1
        self.started.set()
        assert self.release.wait(timeout=30), "the test never released the job"
        return "完成"


def in_thread(target: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    """Run ``target`` on its own thread with its own database connection."""
    results: list[Any] = []

    def body() -> None:
        try:
            results.append(target())
        finally:
            connection.close()

    thread = threading.Thread(target=body)
    thread.start()
    return thread, results


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_run_the_job_once_the_other_is_logged_as_skipped(
    registry: dict[str, Job], clock: time_machine.Coordinates
) -> None:
    body = Blocking()
    job = register_job("test.slow", daily_at=time(1, 0), run=body, label="耗时任务")
    now = at(1, 1, 0)
    first, results = in_thread(lambda: job_run(job, now=now))
    try:
        assert body.started.wait(timeout=30)
        second = job_run(job, now=now)  # another cron, a minute later on a slow day
        forced = job_run(job, now=now, force=True)  # zhifa cron --run is locked out too
    finally:
        body.release.set()
        first.join()
    assert body.runs == 1
    assert results[0].outcome == Outcome.OK
    assert second is not None and second.outcome == Outcome.SKIPPED_LOCKED
    assert second.summary == "正在运行，跳过"
    assert forced is not None and forced.outcome == Outcome.SKIPPED_LOCKED and forced.forced
    # The lock is free again, and the job has run today: a third cron does nothing.
    assert job_run(job, now=at(1, 1, 1)) is None
    assert body.runs == 1


@pytest.mark.django_db(transaction=True)
def test_a_run_that_finished_while_another_waited_to_start_is_not_repeated(
    registry: dict[str, Job],
) -> None:
    # Both crons saw the job due; the first ran it and let go of the lock before the second took
    # it. The second decides again under the lock and finds it done.
    body = Counter()
    job = register_job("test.once", daily_at=time(1, 0), run=body, label="一次任务")
    thread, results = in_thread(lambda: job_run(job, now=at(1, 1, 0)))
    thread.join()
    assert results[0].outcome == Outcome.OK
    assert job_run(job, now=at(1, 1, 0)) is None
    assert body.runs == [at(1, 1, 0)]


@pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="SQLite only"
)
@pytest.mark.django_db
def test_on_sqlite_the_lock_is_a_file_another_process_may_hold(
    registry: dict[str, Job], settings: Any
) -> None:
    body = Counter()
    job = register_job("test.filelock", daily_at=time(1, 0), run=body, label="文件锁任务")
    path = jobs.lock_path(job.name)
    assert path.parent == Path(settings.DATA_DIR) / "locks"
    path.parent.mkdir(parents=True, exist_ok=True)
    # another process takes the lock and keeps it until told
    holder = subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", HOLD_FLOCK, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
        skipped = job_run(job, now=at(1, 1, 0))
    finally:
        holder.communicate(b"done\n", timeout=30)
    assert skipped is not None and skipped.outcome == Outcome.SKIPPED_LOCKED and body.runs == []
    ran = job_run(job, now=at(1, 1, 1))
    assert ran is not None and ran.outcome == Outcome.OK and body.runs == [at(1, 1, 1)]


@pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="SQLite only"
)
@pytest.mark.django_db
def test_a_lock_folder_that_cannot_be_made_is_a_one_line_error(
    registry: dict[str, Job], settings: Any, clock: time_machine.Coordinates
) -> None:
    register_job("test.daily", daily_at=time(0, 0), run=Counter(), label="每日任务")
    (Path(settings.DATA_DIR) / "locks").write_text("not a folder")
    with pytest.raises(CommandError) as err:
        cron()
    assert str(err.value).startswith("无法使用任务锁文件（")
    assert str(err.value).endswith("），请检查数据目录的权限。")


HOLD_FLOCK = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
sys.stdin.readline()
"""


@pytest.mark.skipif(
    not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="PostgreSQL only",
)
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_lock_is_an_advisory_lock_of_the_session(
    registry: dict[str, Job],
) -> None:
    body = Counter()
    job = register_job("test.advisory", daily_at=time(1, 0), run=body, label="咨询锁任务")
    key = jobs._pg_lock_key(job.name)
    taken = threading.Event()
    release = threading.Event()

    def hold() -> None:  # another app server's cron, on its own connection
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        taken.set()
        release.wait(timeout=30)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])

    thread, _ = in_thread(hold)
    try:
        assert taken.wait(timeout=30)
        skipped = job_run(job, now=at(1, 1, 0))
    finally:
        release.set()
        thread.join()
    assert skipped is not None and skipped.outcome == Outcome.SKIPPED_LOCKED and body.runs == []
    ran = job_run(job, now=at(1, 1, 1))
    assert ran is not None and ran.outcome == Outcome.OK
    with connection.cursor() as cursor:  # released: nobody holds it now
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'")
        assert cursor.fetchone() == (0,)


# -- the log and the command -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_failing_job_is_logged_with_its_message_the_others_run_and_cron_exits_non_zero(
    registry: dict[str, Job], clock: time_machine.Coordinates, caplog: pytest.LogCaptureFixture
) -> None:
    def boom(now: datetime) -> str:
        raise ValueError("找不到签名密钥")

    after = Counter()
    register_job("test.boom", every=timedelta(minutes=1), run=boom, label="出错任务")
    register_job("test.after", every=timedelta(minutes=1), run=after, label="后续任务")
    out = StringIO()
    with caplog.at_level(logging.ERROR, logger="zhifa.jobs"), pytest.raises(CommandError) as err:
        call_command("cron", stdout=out)
    assert str(err.value) == "1项定时任务失败：test.boom（详见任务运行记录）。"
    assert err.value.returncode != 0
    lines = out.getvalue().splitlines()
    assert lines == [
        "出错任务（test.boom）：失败。ValueError: 找不到签名密钥",
        "后续任务（test.after）：成功。第1次",
    ]
    (failed,) = runs_of("test.boom")
    assert failed.outcome == Outcome.FAILED and failed.error == "ValueError: 找不到签名密钥"
    assert "Traceback" not in failed.error and failed.summary == ""
    assert failed.finished_at >= failed.started_at and failed.host
    assert runs_of("test.after")[0].outcome == Outcome.OK
    assert "Traceback" in caplog.text  # the traceback went to the log, not the row


@pytest.mark.django_db
def test_cron_run_forces_one_job_now(
    registry: dict[str, Job], clock: time_machine.Coordinates
) -> None:
    body, other = Counter(), Counter()
    register_job("test.daily", daily_at=time(1, 0), run=body, label="每日任务")
    register_job("test.other", daily_at=time(1, 0), run=other, label="其他任务")
    clock.move_to(at(1, 0, 30))  # not due before 01:00
    assert cron("--run", "test.daily") == "每日任务（test.daily）：成功。第1次\n"
    assert other.runs == []
    assert runs_of("test.daily")[0].forced
    with pytest.raises(CommandError) as err:
        cron("--run", "test.nope")
    assert str(err.value) == "没有名为“test.nope”的定时任务（现有：test.daily、test.other）。"


@pytest.mark.django_db
def test_cron_list_shows_schedule_latest_run_and_next_due(
    registry: dict[str, Job], clock: time_machine.Coordinates
) -> None:
    def boom(now: datetime) -> str:
        raise RuleViolation("尚未配置")

    register_job("test.daily", daily_at=time(1, 0), run=Counter(), label="每日任务")
    register_job("test.boom", every=timedelta(minutes=5), run=boom, label="出错任务")
    register_job(
        "test.idle",
        every=timedelta(hours=1),
        needed=lambda now: False,
        run=Counter(),
        label="空闲任务",
    )
    clock.move_to(at(1, 1, 0))
    with pytest.raises(CommandError):
        cron()
    clock.move_to(at(1, 1, 2))
    assert cron("--list").splitlines() == [
        "test.daily  每日任务  每天01:00",
        "  上次运行：2026-12-01 01:00 成功 第1次",
        "  下次到期：2026-12-02 01:00",
        "test.boom  出错任务  每5分钟",
        "  上次运行：2026-12-01 01:00 失败 尚未配置",
        "  下次到期：现在",
        "test.idle  空闲任务  每1小时（仅在需要时）",
        "  上次运行：从未运行",
        "  下次到期：现在（暂无需要，不运行）",
    ]


@pytest.mark.django_db
def test_cron_dry_run_says_what_is_due_and_runs_nothing(
    registry: dict[str, Job], clock: time_machine.Coordinates
) -> None:
    body = Counter()
    register_job("test.daily", daily_at=time(1, 0), run=body, label="每日任务")
    clock.move_to(at(1, 0, 59))
    assert cron("--dry-run") == "现在没有到期的任务。\n"
    clock.move_to(at(1, 1, 0))
    assert cron("--dry-run") == "将运行：每日任务（test.daily）\n"
    assert body.runs == [] and not JobRun.objects.exists()


def test_the_system_administrator_reads_the_job_log_in_the_admin_and_cannot_change_it(
    personas: Personas, client: Client
) -> None:
    run = JobRun.objects.create(
        job="publicity.expire",
        started_at=at(1, 0, 5),
        finished_at=at(1, 0, 5),
        outcome=Outcome.FAILED,
        error="RuleViolation: 尚未配置",
    )
    client.force_login(personas.admin)
    page = client.get("/admin/core/jobrun/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "公示到期下线" in text and "RuleViolation: 尚未配置" in text
    assert "/admin/core/jobrun/add/" not in text
    assert client.get(f"/admin/core/jobrun/{run.pk}/change/").status_code == 200  # view only
    assert client.post(f"/admin/core/jobrun/{run.pk}/delete/", {"post": "yes"}).status_code == 403
    assert JobRun.objects.filter(pk=run.pk).exists()


def test_a_job_is_registered_once_under_a_valid_name_with_one_schedule(
    registry: dict[str, Job],
) -> None:
    body = Counter()
    job = register_job("test.ok", every=timedelta(minutes=1), run=body, label="任务")
    assert register_job("test.ok", every=timedelta(minutes=1), run=body, label="任务") == job
    assert job_named("test.ok") == job
    with pytest.raises(ValueError, match="another function"):
        register_job("test.ok", every=timedelta(minutes=1), run=Counter(), label="任务")
    with pytest.raises(ValueError, match="exactly one"):
        register_job("test.both", every=timedelta(minutes=1), daily_at=time(1), run=body, label="x")
    with pytest.raises(ValueError, match="exactly one"):
        register_job("test.neither", run=body, label="x")
    with pytest.raises(ValueError, match="whole number of minutes"):
        register_job("test.fast", every=timedelta(seconds=30), run=body, label="x")
    with pytest.raises(ValueError, match="whole number of minutes"):
        register_job("test.odd", every=timedelta(seconds=90), run=body, label="x")
    with pytest.raises(ValueError, match="lower-case"):
        register_job("Test Job", every=timedelta(minutes=1), run=body, label="x")
    assert Job("a.b", "x", body, every=timedelta(hours=2)).schedule == "每2小时"
    assert Job("a.b", "x", body, every=timedelta(days=1)).schedule == "每1天"


def test_every_app_job_is_registered_at_start_up() -> None:
    names = {job.name for job in jobs.registered_jobs()}
    assert {"record.sign-head", "publicity.expire", "cases.recount-deadlines"} <= names


# -- a database cron cannot use: one line, no traceback ----------------------------------------


def run_cron_command(data_dir: Path, database_url: str | None) -> subprocess.CompletedProcess[str]:
    """``cron`` through Django's own command line (not the ``zhifa`` wrapper's checks)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"DJANGO_SETTINGS_MODULE": "config.settings.test", "ZHIFA_DATA_DIR": str(data_dir)}
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    code = "from django.core.management import execute_from_command_line as x; x(['zhifa', 'cron'])"
    return subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cron_on_a_database_never_migrated_asks_for_migrate(tmp_path: Path) -> None:
    done = run_cron_command(tmp_path, None)
    assert done.returncode != 0
    assert "数据库尚未初始化" in done.stderr and "请先运行 zhifa migrate" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not (tmp_path / "zhifa.sqlite3").exists()  # no empty database left behind


def test_cron_on_an_unreachable_database_says_so(tmp_path: Path) -> None:
    done = run_cron_command(tmp_path, "postgres://zhifa@127.0.0.1:1/zhifa")
    assert done.returncode != 0
    assert "无法连接数据库" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
