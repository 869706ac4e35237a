"""The supervision app's scheduled job (registered in ``SupervisionConfig.ready``, run by
``zhifa cron``): once a day, escalate the rectifications whose report is overdue."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from .services import rectifications_escalate


def escalate(now: datetime) -> str:
    """``rectifications_escalate`` for the day of ``now`` (Asia/Shanghai): a report due
    yesterday and not made is escalated today; one escalated before is not touched again."""
    done = rectifications_escalate(today=timezone.localdate(now), at=now)
    if not done:
        return _("没有新逾期的整改。")
    numbers = "、".join(e.document.number for e in done[:20])
    more = _("等") if len(done) > 20 else ""
    return _("升级%(n)d项逾期整改：%(numbers)s%(more)s。") % {
        "n": len(done),
        "numbers": numbers,
        "more": more,
    }
