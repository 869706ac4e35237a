"""``zhifa publicity_expire [--on YYYY-MM-DD]``: take down every published decision whose
online period (the retention setting per sector) ended before the day; each is recorded."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.publicity.services import publications_expire


class Command(BaseCommand):
    help = "行政执法决定公示到期下线（按各领域的公示期限设置），每一项写入全过程记录"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--on", help="下线日期（默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError(_("日期格式应为YYYY-MM-DD")) from exc
        done = publications_expire(on=on)
        for p in done:
            self.stdout.write(
                _("%(number)s 公示至%(until)s，已下线")
                % {"number": p.decision_number, "until": p.online_until}
            )
        self.stdout.write(_("共下线%(n)d项公示。") % {"n": len(done)})
