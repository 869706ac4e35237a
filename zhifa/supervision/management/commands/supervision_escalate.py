"""``zhifa supervision_escalate [--on YYYY-MM-DD]``: escalate every 督办函/意见书/决定书 whose
rectification report is overdue on the day (the job ``supervision.escalate`` does it daily);
each escalation is recorded once, a rerun adds nothing."""

from __future__ import annotations

from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.supervision.services import rectifications_escalate


class Command(BaseCommand):
    help = "逾期未报送整改情况的督办函、意见书、决定书升级处理（每份文书一次），写入全过程记录"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--on", help="日期（默认今天）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            on = date.fromisoformat(options["on"]) if options["on"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError(_("日期格式应为YYYY-MM-DD")) from exc
        done = rectifications_escalate(today=on)
        for esc in done:
            self.stdout.write(
                _("%(number)s 已逾期%(days)d%(unit)s：%(what)s")
                % {
                    "number": esc.document.number,
                    "days": esc.overdue_days,
                    "unit": _("个工作日") if esc.unit == "workdays" else _("日"),
                    "what": esc.get_proposal_display(),
                }
            )
        self.stdout.write(_("共升级%(n)d项逾期整改。") % {"n": len(done)})
