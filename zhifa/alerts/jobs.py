"""The scheduled warning run (``zhifa cron``): every day once the night's other jobs are done."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from .services import warnings_refresh


def refresh(now: datetime) -> str:
    run = warnings_refresh(today=timezone.localdate(now), at=now)
    firing = sum(c["firing"] for c in run.counts.values())
    opened = sum(c["opened"] + c["reopened"] for c in run.counts.values())
    resolved = sum(c["resolved"] for c in run.counts.values())
    return f"预警{firing}条（新增{opened}条，消除{resolved}条），用时{run.seconds}秒"
