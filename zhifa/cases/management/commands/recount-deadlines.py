"""``zhifa recount-deadlines``: count provisional deadlines again after a year's holidays are
entered (core.CalendarYear declared complete), recording each change on the case's record."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from zhifa.cases.models import Case
from zhifa.cases.services import case_deadlines_recount


class Command(BaseCommand):
    help = _("节假日安排公布并录入后，重新计算各案件的暂定期限（每件变更记入全过程记录）")

    def handle(self, *args: Any, **options: Any) -> None:
        pending = Case.objects.filter(deadlines_provisional=True).exclude(state=Case.State.ARCHIVED)
        changed = total = 0
        for case in pending.order_by("pk").iterator(chunk_size=500):
            total += 1
            changed += case_deadlines_recount(case=case)
        self.stdout.write(
            _("暂定期限的案件%(total)s件，重新计算后变更%(changed)s件，仍为暂定%(left)s件。")
            % {
                "total": total,
                "changed": changed,
                "left": Case.objects.filter(deadlines_provisional=True)
                .exclude(state=Case.State.ARCHIVED)
                .count(),
            }
        )
