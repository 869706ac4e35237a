"""``zhifa registry_baseline``: record the state of registry rows no entry has recorded yet.

Run once after upgrading a database whose registry was written before registry entries carried
the rows' state digests: ``zhifa verify`` then checks those rows too. Rows already recorded are
never re-recorded (a row changed behind the log's back stays reported). Idempotent.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from zhifa.registry.replay import BY_LABEL
from zhifa.registry.services import registry_baseline_record


class Command(BaseCommand):
    help = "为尚无全过程记录的登记数据（执法主体、人员、证件等）补记状态摘要，供 zhifa verify 核对"

    def handle(self, *args: Any, **options: Any) -> None:
        counts = registry_baseline_record(actor=None)
        if not counts:
            self.stdout.write(_("所有登记数据均已有全过程记录，未做改动。"))
            return
        for label, n in counts.items():
            self.stdout.write(
                _("已补记%(what)s%(n)d条") % {"what": BY_LABEL[label].verbose, "n": n}
            )
