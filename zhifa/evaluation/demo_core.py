"""The evaluation's demo, each part in order: the shipped templates, the 2026 campaigns of
示范市司法局 (random 抽查 and 自行选送, files scored in every grade), their outcomes (reports,
feedback, objections upheld and rejected, 通报, 责任追究) and the 2026 效能评价 with its surveys.
Each part is idempotent; the lines say what was done."""

from __future__ import annotations

from datetime import date

from . import demo_campaigns as campaigns
from . import demo_efficiency as efficiency
from . import demo_outcomes as outcomes
from . import demo_templates as templates


def load(*, today: date) -> list[str]:
    lines: list[str] = []
    for part in (templates, campaigns, outcomes, efficiency):
        lines.extend(part.load(today))
    return lines
