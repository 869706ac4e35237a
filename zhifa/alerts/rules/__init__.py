"""The early-warning rules (预警规则, 《行政执法监督条例》第三十七条) and their settings.

Each rule is a module of this package named after the rule. A module holds a pure function
(``evaluate``) that decides, from facts already read and the rule's setting, which subjects the
rule fires on; and ``collect`` which reads the facts (through the other apps' selectors and
``alerts.facts``) and calls ``evaluate``. Rules are given ``today``; they never read the clock.

A rule's setting is a row like the time limits of ``core.time_limits``: on or off, a threshold,
a period in days, and the source it rests on. Each rule registers its default; a deployment
replaces any field in ``ZHIFA_ALERT_RULES`` (code → dict of fields) — a changed threshold or
period must name its own source.

Apps built beside alerts (filings, complaints) add their own rules with ``register_rule`` from
their ``ready()``: alerts imports none of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from django.conf import settings

Direction = Literal["at_least", "at_most"]


class RuleSettingError(ValueError):
    """A row of ``ZHIFA_ALERT_RULES`` that cannot be used (named in the message)."""


@dataclass(frozen=True)
class RuleSetting:
    """On or off, the threshold, the period (days; 0 where the rule has none), the source."""

    enabled: bool
    threshold: Decimal
    period: int
    source: str


@dataclass(frozen=True)
class Fact:
    """One thing a warning rests on: a case, an officer, an agency, a publication."""

    kind: str  # "case" | "officer" | "agency" | "publication" | any kind a hook registers
    id: int
    label: str
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "label": self.label, "note": self.note}


@dataclass(frozen=True)
class Finding:
    """The rule fires on ``subject`` (stable key, e.g. ``case:12``), about ``agency_id``;
    ``measure`` is the number compared with the threshold."""

    subject: str
    agency_id: int
    division_code: str
    title: str
    measure: Decimal
    facts: tuple[Fact, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Since:
    """Where a rule's previous run stopped: its day and the high-water marks it had read up to
    (``Rule.marks``: the last record entry, the last row ids of the tables it reads)."""

    on: date
    marks: dict[str, int]


@dataclass(frozen=True)
class Changed:
    """An incremental evaluation: the subjects whose findings may have changed since the
    previous run, and the findings among them (every other subject stays as it is)."""

    subjects: frozenset[str]
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class Rule:
    """A registered rule. ``direction``: the rule fires when the measure is at least
    (``at_least``) or at most (``at_most``) the threshold."""

    code: str
    label: str  # Chinese: 案件超过办案期限未作出决定
    article: str  # what the warning rests on in law
    measure_label: str  # what ``measure`` counts: 逾期天数
    default: RuleSetting
    collect: Callable[[RuleSetting, date], Iterable[Finding]]
    direction: Direction = "at_least"
    period_label: str = ""  # what the period is: 统计期间（日）; "" where unused
    order: int = 100
    # Incremental evaluation, optional: ``marks()`` reads the high-water marks of what the rule
    # reads (before it reads it); ``collect_changed(setting, today, since)`` returns the subjects
    # that may have changed since the previous run and their findings — or None when only a
    # full evaluation is sound (then ``collect`` runs). A full run gives the same warnings.
    marks: Callable[[], dict[str, int]] | None = None
    collect_changed: Callable[[RuleSetting, date, Since], Changed | None] | None = None


def fires(measure: Decimal | int, setting: RuleSetting, direction: Direction) -> bool:
    """Whether a measure meets the threshold: exactly at the threshold it fires."""
    value = Decimal(measure)
    if direction == "at_least":
        return value >= setting.threshold
    return value <= setting.threshold


def subjects_naming_cases(code: str, cases: Iterable[int]) -> dict[str, list[int]]:
    """The subjects of ``code``'s warnings not resolved whose facts name one of ``cases``, each
    with every case its facts name (an incremental run re-examines them: a changed case may
    leave a warning's group)."""
    from ..models import Warning

    wanted = set(cases)
    out: dict[str, list[int]] = {}
    if not wanted:
        return out
    for subject, facts in (
        Warning.objects.filter(rule=code)
        .exclude(state=Warning.State.RESOLVED)
        .values_list("subject", "facts")
        .order_by()
        .iterator(chunk_size=5000)
    ):
        named = [int(f["id"]) for f in facts if f.get("kind") == "case"]
        if wanted.intersection(named):
            out[subject] = named
    return out


_RULES: dict[str, Rule] = {}


def register_rule(rule: Rule) -> Rule:
    """Add a rule (an app's ``ready()``); the same code twice with another rule is a bug."""
    known = _RULES.get(rule.code)
    if known is not None and known != rule:
        raise ValueError(f"alert rule {rule.code!r} registered twice")
    _RULES[rule.code] = rule
    return rule


def registered_rules() -> list[Rule]:
    return sorted(_RULES.values(), key=lambda r: (r.order, r.code))


def rule_named(code: str) -> Rule | None:
    return _RULES.get(code)


def rule_setting(rule: Rule) -> RuleSetting:
    """The rule's setting in force: its default with the deployment's changes."""
    change = dict(getattr(settings, "ZHIFA_ALERT_RULES", {}).get(rule.code, {}))
    unknown = set(change) - {"enabled", "threshold", "period", "source"}
    if unknown:
        raise RuleSettingError(
            f"ZHIFA_ALERT_RULES[{rule.code!r}]: unknown fields {sorted(unknown)}"
        )
    if ("threshold" in change or "period" in change) and "source" not in change:
        raise RuleSettingError(
            f"ZHIFA_ALERT_RULES[{rule.code!r}]: a changed threshold or period needs its source"
        )
    if "threshold" in change:
        change["threshold"] = Decimal(str(change["threshold"]))
    if "period" in change:
        change["period"] = int(change["period"])
        if change["period"] < 0:
            raise RuleSettingError(f"ZHIFA_ALERT_RULES[{rule.code!r}]: period must not be negative")
    if "enabled" in change:
        change["enabled"] = bool(change["enabled"])
    return replace(rule.default, **change)


def rules_with_settings() -> list[tuple[Rule, RuleSetting]]:
    return [(rule, rule_setting(rule)) for rule in registered_rules()]


def load_builtin_rules() -> None:
    """Register the rules of this package (called from ``AlertsConfig.ready``)."""
    from . import (  # noqa: F401 - importing registers
        agency_inactive,
        certificate_invalid,
        decision_overdue,
        publication_late,
        repeated_fines,
        review_missing,
        training_short,
    )
