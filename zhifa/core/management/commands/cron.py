"""``zhifa cron``: run every scheduled job that is due (``zhifa.core.jobs``); a systemd timer or
cron runs it every minute (``deploy/systemd/zhifa-cron.*``, ``docs/cron.md``).

One line per job run; nothing when no job was due. ``--list`` shows every job's schedule, latest
run and next due time, ``--run NAME`` runs one job now (still under its lock), ``--dry-run`` says
what would run. Exits non-zero when a job failed; the others still ran.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.jobs import (
    JobStatus,
    job_named,
    job_run,
    jobs_run_due,
    jobs_status,
    registered_jobs,
)
from zhifa.core.models import JobRun
from zhifa.core.preflight import Need, database_problem, first_line


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


class Command(BaseCommand):
    help = _("运行到期的定时任务（签署记录树头、公示到期下线、重新计算暂定期限等），每分钟运行一次")

    def add_arguments(self, parser: ArgumentParser) -> None:
        group = parser.add_mutually_exclusive_group()
        group.add_argument(
            "--list", action="store_true", help=_("列出各定时任务的计划、上次运行和下次到期时间")
        )
        group.add_argument("--run", metavar="NAME", help=_("立即运行指定任务（仍受锁保护）"))
        group.add_argument("--dry-run", action="store_true", help=_("只列出现在到期的任务，不运行"))

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["run"]
        if name is not None and job_named(name) is None:
            known = "、".join(job.name for job in registered_jobs())
            raise CommandError(
                _("没有名为“%(name)s”的定时任务（现有：%(known)s）。")
                % {"name": name, "known": known}
            )
        # The ``zhifa`` command checks this before any command; ``call_command`` callers not.
        problem = database_problem(Need.MIGRATED)
        if problem:
            raise CommandError(problem)
        try:
            if options["list"]:
                self._list(jobs_status(now=timezone.now()))
            elif options["dry_run"]:
                self._dry_run(jobs_status(now=timezone.now()))
            else:
                job = None if name is None else job_named(name)
                runs = jobs_run_due() if job is None else [job_run(job, force=True)]
                self._report(run for run in runs if run is not None)
        except DatabaseError as exc:
            raise CommandError(
                _("数据库出错（%(reason)s），定时任务未能全部完成。") % {"reason": first_line(exc)}
            ) from exc
        except OSError as exc:  # the lock files of SQLite deployments
            raise CommandError(
                _("无法使用任务锁文件（%(reason)s），请检查数据目录的权限。")
                % {"reason": first_line(exc)}
            ) from exc

    def _report(self, runs: Iterable[JobRun]) -> None:
        failed = []
        for run in runs:  # printed as each run ends
            job = job_named(run.job)
            label = run.job if job is None else str(job.label)
            text = (run.error or run.summary).strip()
            line = _("%(label)s（%(name)s）：%(outcome)s。%(text)s") % {
                "label": label,
                "name": run.job,
                "outcome": run.get_outcome_display(),
                "text": text.splitlines()[0] if text else "",
            }
            if run.outcome == JobRun.Outcome.FAILED:
                failed.append(run.job)
                self.stdout.write(self.style.ERROR(line))
            else:
                self.stdout.write(line)
        if failed:
            raise CommandError(
                _("%(n)d项定时任务失败：%(names)s（详见任务运行记录）。")
                % {"n": len(failed), "names": "、".join(failed)}
            )

    def _list(self, statuses: list[JobStatus]) -> None:
        if not statuses:
            self.stdout.write(_("没有登记任何定时任务。"))
        for s in statuses:
            self.stdout.write(f"{s.job.name}  {s.job.label}  {s.job.schedule}")
            if s.last_run is None:
                self.stdout.write("  " + _("上次运行：从未运行"))
            else:
                text = (s.last_run.error or s.last_run.summary).strip()
                self.stdout.write(
                    "  "
                    + _("上次运行：%(when)s %(outcome)s %(text)s")
                    % {
                        "when": _when(s.last_run.started_at),
                        "outcome": s.last_run.get_outcome_display(),
                        "text": text.splitlines()[0] if text else "",
                    }
                )
            if s.last_success is not None and s.last_success != s.last_run:
                self.stdout.write(
                    "  " + _("上次成功：%(when)s") % {"when": _when(s.last_success.started_at)}
                )
            if not s.due:
                due = _when(s.next_due)
            elif s.needed:
                due = _("现在")
            else:
                due = _("现在（暂无需要，不运行）")
            self.stdout.write("  " + _("下次到期：%(due)s") % {"due": due})

    def _dry_run(self, statuses: list[JobStatus]) -> None:
        due = [s for s in statuses if s.due and s.needed]
        if not due:
            self.stdout.write(_("现在没有到期的任务。"))
        for s in due:
            self.stdout.write(
                _("将运行：%(label)s（%(name)s）") % {"label": s.job.label, "name": s.job.name}
            )
