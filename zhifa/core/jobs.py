"""Scheduled jobs: everything that must happen on a clock, run by ``zhifa cron`` every minute.

Apps register their jobs in ``AppConfig.ready()`` — core never imports the apps above it::

    register_job("publicity.expire", daily_at=time(0, 5), run=expire, label=_("公示到期下线"))

``run(now)`` does the job through its app's services and returns a one-line summary;
``needed(now)``, when given, says whether there is any work at all.

Contract of a run (``job_run``, ``jobs_run_due``):

- **Due.** An ``every=`` job is due once its latest successful run started ``every`` ago,
  counted from the start of that run's minute (cron ticks once a minute, a few seconds late
  or early: a run at 10:00:03 makes a one-minute job due again at 10:01:00, not 10:01:03).
  A ``daily_at=`` job is due once that time of day has passed today (in ``TIME_ZONE``,
  Asia/Shanghai) and it has not succeeded since. Either way a missed minute or a machine that
  was down for days is caught up by one run, never one per missed interval; a failed or
  skipped run does not count, so the job is tried again at the next tick.
- **Needed.** A due job whose ``needed(now)`` is false is not run and leaves no row.
- **Locked.** Each job runs under its own lock, taken without waiting: on PostgreSQL the
  session-level ``pg_try_advisory_lock`` on a key derived from the job's name (so every app
  server may run cron), elsewhere an exclusive ``flock`` on ``DATA_DIR/locks/<name>.lock``.
  Whether the job is due is decided again once the lock is held, so a run that has just
  finished elsewhere is not repeated. A due job found locked is logged as skipped.
- **Logged.** Every run that was due, or forced (``zhifa cron --run``), leaves one ``JobRun``
  row, written when it ends: ok with the summary, failed with the exception's message (its
  traceback goes to the ``zhifa.jobs`` logger), or skipped. A failing job does not stop the
  others. Rows are never changed nor deleted.
- **Idempotent.** A job must be safe to run twice — the lock makes it rare, not impossible
  (a forced run; a lock lost with its database connection) — and is given the moment it runs
  for, as every rule here is: nothing below the command reads the clock on its own.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import re
import socket
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.exceptions import ZhifaError
from zhifa.core.models import JobRun

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = [
    "Job",
    "JobStatus",
    "job_named",
    "job_run",
    "jobs_run_due",
    "jobs_status",
    "next_due",
    "register_job",
    "registered_jobs",
]

logger = logging.getLogger("zhifa.jobs")

Outcome = JobRun.Outcome

_NAME = re.compile(r"[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*")
_ERROR_CHARS = 2000  # a message, not a dump: the traceback is in the log


@dataclass(frozen=True)
class Job:
    """A registered job: exactly one of ``every`` and ``daily_at`` is set."""

    name: str
    label: StrOrPromise
    run: Callable[[datetime], str]
    every: timedelta | None = None
    daily_at: time | None = None
    needed: Callable[[datetime], bool] | None = None

    @property
    def schedule(self) -> str:
        """The schedule in words: 每5分钟, 每天01:00 (仅在需要时)."""
        if self.daily_at is not None:
            text = _("每天%(time)s") % {"time": self.daily_at.strftime("%H:%M")}
        else:
            assert self.every is not None
            minutes = int(self.every.total_seconds() // 60)
            if minutes % 1440 == 0:
                text = _("每%(n)d天") % {"n": minutes // 1440}
            elif minutes % 60 == 0:
                text = _("每%(n)d小时") % {"n": minutes // 60}
            else:
                text = _("每%(n)d分钟") % {"n": minutes}
        if self.needed is not None:
            text += _("（仅在需要时）")
        return text


_registry: dict[str, Job] = {}


def register_job(
    name: str,
    *,
    run: Callable[[datetime], str],
    label: StrOrPromise,
    every: timedelta | None = None,
    daily_at: time | None = None,
    needed: Callable[[datetime], bool] | None = None,
) -> Job:
    """Register a job (from an ``AppConfig.ready()``). ``name`` is ``<app>.<job>`` in lower case,
    the ``zhifa cron --run`` argument and the ``JobRun.job`` value, so never rename one.
    Registering the same name again with the same ``run`` is harmless; with another one it is a
    ``ValueError``, as is a schedule that is not exactly one of ``every`` (whole minutes: cron
    ticks once a minute) and ``daily_at``."""
    if not _NAME.fullmatch(name) or len(name) > 100:  # JobRun.job
        raise ValueError(f"job name {name!r}: lower-case <app>.<job>, at most 100 characters")
    if (every is None) == (daily_at is None):
        raise ValueError(f"job {name}: give exactly one of every= and daily_at=")
    if every is not None and (every < timedelta(minutes=1) or every % timedelta(minutes=1)):
        raise ValueError(f"job {name}: every= is a whole number of minutes, at least one")
    job = Job(name, label, run, every, daily_at, needed)
    known = _registry.get(name)
    if known is not None and known.run is not run:
        raise ValueError(f"job {name} is already registered with another function")
    _registry[name] = job
    return job


def registered_jobs() -> list[Job]:
    """Every registered job, in the order the apps registered them."""
    return list(_registry.values())


def job_named(name: str) -> Job | None:
    return _registry.get(name)


# -- when a job is due (pure) ---------------------------------------------------------------


def next_due(job: Job, *, last_success: datetime | None, now: datetime, tz: tzinfo) -> datetime:
    """The moment from which ``job`` is due, given when its latest successful run started
    (``None``: never); the job is due at ``now`` exactly when this is not after ``now``."""
    if job.every is not None:
        if last_success is None:
            return now
        return last_success.replace(second=0, microsecond=0) + job.every
    assert job.daily_at is not None
    today = now.astimezone(tz).date()
    slot = datetime.combine(today, job.daily_at, tzinfo=tz)
    if last_success is not None and last_success >= slot:
        slot = datetime.combine(today + timedelta(days=1), job.daily_at, tzinfo=tz)
    return slot


def is_due(job: Job, *, last_success: datetime | None, now: datetime, tz: tzinfo) -> bool:
    return next_due(job, last_success=last_success, now=now, tz=tz) <= now


# -- reads -----------------------------------------------------------------------------------


def _latest(name: str, outcome: str | None = None) -> JobRun | None:
    runs = JobRun.objects.filter(job=name)
    if outcome is not None:
        runs = runs.filter(outcome=outcome)
    return runs.order_by("-started_at", "-id").first()


def _last_success_at(name: str) -> datetime | None:
    run = _latest(name, Outcome.OK)
    return None if run is None else run.started_at


def _due(job: Job, now: datetime) -> bool:
    tz = timezone.get_default_timezone()
    return is_due(job, last_success=_last_success_at(job.name), now=now, tz=tz)


@dataclass(frozen=True)
class JobStatus:
    """What ``zhifa cron --list`` and ``--dry-run`` show of a job at ``now``."""

    job: Job
    last_run: JobRun | None
    last_success: JobRun | None
    next_due: datetime
    due: bool
    needed: bool  # True when the job has no ``needed``, or when it is not due (not asked then)


def _is_needed(job: Job, now: datetime) -> bool:
    assert job.needed is not None
    try:
        return job.needed(now)
    except Exception:  # the run will fail and say why; a listing does not
        logger.warning("job %s: needed() failed", job.name, exc_info=True)
        return True


def jobs_status(*, now: datetime) -> list[JobStatus]:
    """Every registered job's latest run, latest success and next due time at ``now``. Asks a
    due job's ``needed`` (which reads, never writes)."""
    tz = timezone.get_default_timezone()
    statuses = []
    for job in registered_jobs():
        success = _latest(job.name, Outcome.OK)
        when = next_due(
            job, last_success=None if success is None else success.started_at, now=now, tz=tz
        )
        due = when <= now
        needed = job.needed is None or not due or _is_needed(job, now)
        statuses.append(JobStatus(job, _latest(job.name), success, when, due, needed))
    return statuses


# -- locks -------------------------------------------------------------------------------------


def _pg_lock_key(name: str) -> int:
    """The job's advisory-lock key: a signed 64-bit number derived from its name (the record
    log's own key, ``record.services.PG_LOG_LOCK``, is a fixed word, not derived)."""
    digest = hashlib.sha256(b"zhifa.job\x00" + name.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_path(name: str) -> Path:
    """The file the job's lock is taken on when the database is not PostgreSQL."""
    return Path(settings.DATA_DIR) / "locks" / f"{name}.lock"


@contextmanager
def _job_lock(name: str) -> Iterator[bool]:
    """Hold the job's lock for the block if it is free (yields True), else yield False at once.

    PostgreSQL: a session-level advisory lock, released at the end of the block or when the
    connection ends (it survives the job's own commits and rollbacks; it needs a direct
    connection or a session-pooling bouncer, not transaction pooling). Elsewhere: ``flock`` on
    a file under ``DATA_DIR/locks``, released when the file is closed or the process ends.
    """
    if connection.vendor == "postgresql":
        key = _pg_lock_key(name)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            row = cursor.fetchone()
        held = bool(row and row[0])
        try:
            yield held
        finally:
            if held:
                try:
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
                except DatabaseError:  # the connection is gone, and the lock with it
                    logger.warning("job %s: advisory lock not released", name, exc_info=True)
        return
    path = lock_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
        else:
            yield True
    finally:
        os.close(fd)  # releases the flock


# -- runs ------------------------------------------------------------------------------------


def _error_text(exc: BaseException) -> str:
    message = str(exc).strip()
    if not isinstance(exc, ZhifaError):  # a domain error's message is for users as it is
        message = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return message[:_ERROR_CHARS]


def _log(
    job: Job, at: datetime, outcome: str, *, forced: bool, summary: str = "", error: str = ""
) -> JobRun:
    return JobRun.objects.create(
        job=job.name,
        started_at=at,
        finished_at=timezone.now(),
        outcome=outcome,
        forced=forced,
        summary=summary,
        error=error,
        host=f"{socket.gethostname()}:{os.getpid()}"[:200],
    )


def job_run(job: Job, *, now: datetime | None = None, force: bool = False) -> JobRun | None:
    """Run ``job`` for ``now`` (default: the clock) if it is due and needed — or regardless of
    both when ``force`` — under its lock, and return its ``JobRun`` row; ``None`` when it was
    not due or not needed (no row then).

    Never raises what the job raises (that is a failed row); raises ``DatabaseError`` when the
    lock or the row cannot be taken or written (the database is gone: the caller stops)."""
    at = timezone.now() if now is None else now
    with _job_lock(job.name) as held:
        if not held:
            if not force and not _due(job, at):
                return None
            logger.info("job %s: locked by another run, skipped", job.name)
            return _log(job, at, Outcome.SKIPPED_LOCKED, forced=force, summary=_("正在运行，跳过"))
        if not force and not _due(job, at):
            return None
        try:
            if not force and job.needed is not None and not job.needed(at):
                return None
            summary = job.run(at)
        except Exception as exc:
            logger.exception("job %s failed", job.name)
            if isinstance(exc, DatabaseError):
                # A lost connection is reopened for the row (on PostgreSQL the lock went with it).
                connection.close_if_unusable_or_obsolete()
            return _log(job, at, Outcome.FAILED, forced=force, error=_error_text(exc))
        logger.info("job %s: %s", job.name, summary)
        return _log(job, at, Outcome.OK, forced=force, summary=summary)


def jobs_run_due(*, now: datetime | None = None) -> Iterator[JobRun]:
    """Run every registered job that is due, in registration order, yielding each row as its
    run ends (see ``job_run``; one job failing does not stop the others)."""
    for job in registered_jobs():
        run = job_run(job, now=now)
        if run is not None:
            yield run
