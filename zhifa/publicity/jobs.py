"""The publicity app's scheduled job (registered in ``PublicityConfig.ready``, run by
``zhifa cron``): take down, once a day, the decisions whose online period has ended."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from .services import publications_expire


def publications_expire_job(now: datetime) -> str:
    """``publications_expire`` for the day of ``now`` (Asia/Shanghai): a decision online until
    yesterday goes down today; one already down is not touched again."""
    done = publications_expire(on=timezone.localdate(now), at=now)
    if not done:
        return _("没有到期的公示。")
    numbers = "、".join(p.decision_number for p in done[:20] if p.decision_number)
    more = _("等") if len(done) > 20 else ""
    return _("下线%(n)d项到期公示：%(numbers)s%(more)s。") % {
        "n": len(done),
        "numbers": numbers,
        "more": more,
    }
