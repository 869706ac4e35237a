"""``zhifa recount-deadlines``: count provisional deadlines again after a year's holidays are
entered (core.CalendarYear declared complete), recording each change on the case's record.
``zhifa cron`` does the same once a day (``cases.recount-deadlines``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from zhifa.cases.services import cases_deadlines_recount


class Command(BaseCommand):
    help = _("节假日安排公布并录入后，重新计算各案件的暂定期限（每件变更记入全过程记录）")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(str(cases_deadlines_recount()))
