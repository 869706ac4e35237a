"""What the review app's record entries say on a case's timeline, in Chinese.

``review.assess`` stores the verdict with the facts it was evaluated on (a structure the
replay checks); a reader of the timeline sees the verdict, the trigger and the matching rules
with their sources instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .models import Assessment


def assess_facts(payload: Mapping[str, Any]) -> list[tuple[str, str]]:
    lines = [
        (
            "判定结果",
            "属于重大执法决定，须经法制审核（《行政处罚法》第五十八条）"
            if payload.get("major")
            else "不属于重大执法决定",
        )
    ]
    trigger = payload.get("trigger")
    if trigger:
        labels = dict(Assessment.Trigger.choices)
        lines.append(("判定时机", str(labels.get(trigger, "其他"))))
    reasons = [
        f"{m.get('reason', '')}（{m['source']}）" if m.get("source") else str(m.get("reason", ""))
        for m in payload.get("matches") or ()
        if isinstance(m, Mapping)
    ]
    if reasons:
        lines.append(("符合情形", "；".join(reasons)))
    return lines
