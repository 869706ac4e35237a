"""``zhifa workdays add|between|is``: ask the statutory calendar in force from the shell."""

from __future__ import annotations

from argparse import ArgumentParser, ArgumentTypeError
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhifa.core.calendar import current_calendar
from zhifa.core.exceptions import CalendarUnknown


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(_("日期格式应为YYYY-MM-DD：%(value)s") % {"value": value}) from None


def _count(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = -1
    if n < 0:
        raise ArgumentTypeError(_("工作日数应为非负整数：%(value)s") % {"value": value})
    return n


class Command(BaseCommand):
    help = "法定工作日计算：add 起算日 N｜between 起算日 截止日｜is 日期"

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="起算日后第N个工作日（不含起算日）")
        add.add_argument("start", type=_iso_date)
        add.add_argument("n", type=_count)
        between = sub.add_parser("between", help="起算日（不含）至截止日（含）之间的工作日数")
        between.add_argument("a", type=_iso_date)
        between.add_argument("b", type=_iso_date)
        is_ = sub.add_parser("is", help="某日是否工作日及原因")
        is_.add_argument("day", type=_iso_date)

    def handle(self, *args: Any, **options: Any) -> None:
        calendar = current_calendar()
        action = options["action"]
        # The answer stays on the last line, so scripts can read it with `tail -1`.
        self.stdout.write(_("日历版本：%(version)s") % {"version": calendar.version})
        try:
            if action == "add":
                start, n = options["start"], options["n"]
                result = calendar.add_workdays(start, n)
                self.stdout.write(
                    _("自%(start)s起算%(n)s个工作日（不含起算日）：")
                    % {"start": start.isoformat(), "n": n}
                )
                self.stdout.write(result.isoformat())
            elif action == "between":
                a, b = options["a"], options["b"]
                count = calendar.workdays_between(a, b)
                self.stdout.write(
                    _("%(a)s（不含）至%(b)s（含）之间的工作日数：")
                    % {"a": a.isoformat(), "b": b.isoformat()}
                )
                self.stdout.write(str(count))
            else:
                info = calendar.day_info(options["day"])
                label = _("工作日") if info.is_workday else _("休息日")
                self.stdout.write(f"{info.day.isoformat()} {label}（{info.reason}）")
        except CalendarUnknown as exc:
            raise CommandError(str(exc)) from exc
