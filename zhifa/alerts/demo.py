"""The demo city's early warnings: the rules run over the demo's cases, registry and
publications on its reference day — overdue decisions, late publications, short training …
Idempotent: a second run finds the same warnings and writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .models import Warning
from .rules import rule_named
from .services import warnings_refresh


@dataclass(frozen=True)
class DemoResult:
    open: int
    per_rule: dict[str, int]

    @property
    def text(self) -> str:
        parts = []
        for code, n in self.per_rule.items():
            rule = rule_named(code)
            parts.append(f"{rule.label if rule else code}{n}")
        return "、".join(parts) or "无"


def load(*, today: date) -> DemoResult:
    warnings_refresh(today=today)
    per_rule: dict[str, int] = {}
    for code in Warning.objects.filter(state=Warning.State.OPEN).values_list("rule", flat=True):
        per_rule[code] = per_rule.get(code, 0) + 1
    return DemoResult(open=sum(per_rule.values()), per_rule=per_rule)
