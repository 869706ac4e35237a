"""Writes of early warnings. Each one transaction, each recorded (``alerts.*`` entries).

- ``warnings_refresh(today=…)`` (the scheduled job ``alerts.refresh``): runs every enabled rule
  and brings the stored warnings in line, rule by rule — a new subject opens a warning, a
  firing one is kept (facts and measure updated where they changed), one no longer firing is
  resolved, a resolved one that fires again is opened again, a dismissed one stays dismissed
  unless facts appear that were not there when it was dismissed. Only the differences are
  written (bulk), so a second run of the same day changes nothing and records nothing
  (idempotent). One record entry per run that changed something: the warnings opened, opened
  again and resolved, per rule.
- ``warning_dismiss``: a supervisor of the warning's region dismisses an open warning with a
  reason (recorded).
- ``warning_open_matter``: a supervisor opens a supervision matter from the warning (through
  ``supervision.services.matter_open``, origin "warning"), recorded on the warning.

Refusals raise ``RuleViolation`` naming the rule (《行政执法监督条例》).
"""

from __future__ import annotations

import time as clock
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from zhifa.core.exceptions import RuleViolation
from zhifa.record.services import record_append
from zhifa.registry.models import Account

from .models import Warning, WarningCount, WarningRun
from .rules import Finding, Rule, registered_rules, rule_setting

W = Warning.State
ART_37 = "《行政执法监督条例》第三十七条"
ART_8 = "《行政执法监督条例》第八条"
ART_26 = "《行政执法监督条例》第二十六条"

ACTION_LABELS = {
    "alerts.run": "预警规则运行",
    "alerts.dismiss": "排除预警",
    "alerts.matter_open": "根据预警立监督事项",
}

BATCH = 2000
# bulk_update writes one CASE WHEN … per field over the batch's ids, which the database then
# evaluates for every row of the batch: quadratic in the batch size (2,000 rows of 9 fields
# took 20 s on SQLite); small batches keep it linear.
UPDATE_BATCH = 100


def _name(actor: Account) -> str:
    return actor.display_name or actor.get_username()


def _facts(finding: Finding) -> list[dict[str, Any]]:
    return [fact.as_dict() for fact in finding.facts]


def _fact_keys(facts: Iterable[dict[str, Any]]) -> set[tuple[str, int]]:
    return {(str(f["kind"]), int(f["id"])) for f in facts}


def _apply(rule: Rule, findings: dict[str, Finding], today: date) -> dict[str, list[int]]:
    """Bring the stored warnings of ``rule`` in line with ``findings``; the ids changed."""
    changed: dict[str, list[int]] = {"opened": [], "reopened": [], "resolved": []}
    existing = {
        w.subject: w
        for w in Warning.objects.filter(rule=rule.code).only(
            "id",
            "subject",
            "state",
            "facts",
            "measure",
            "title",
            "agency_id",
            "division_code",
            "dismissed_facts",
            "last_seen_on",
            "times_opened",
        )
    }
    new: list[Warning] = []
    update: list[Warning] = []
    seen_ids: list[int] = []
    for subject, finding in findings.items():
        facts = _facts(finding)
        row = existing.get(subject)
        if row is None:
            new.append(
                Warning(
                    rule=rule.code,
                    subject=subject,
                    agency_id=finding.agency_id,
                    division_code=finding.division_code,
                    state=W.OPEN,
                    title=finding.title[:300],
                    measure=finding.measure,
                    facts=facts,
                    first_seen_on=today,
                    last_seen_on=today,
                )
            )
            continue
        dirty = False
        if row.state == W.RESOLVED or (
            row.state == W.DISMISSED and not _fact_keys(facts) <= _fact_keys(row.dismissed_facts)
        ):
            row.state = W.OPEN
            row.resolved_on = None
            row.times_opened += 1
            changed["reopened"].append(row.pk)
            dirty = True
        if (
            row.facts != facts
            or row.measure != finding.measure
            or row.title != finding.title[:300]
            or row.agency_id != finding.agency_id
        ):
            row.facts, row.measure, row.title = facts, finding.measure, finding.title[:300]
            row.agency_id, row.division_code = finding.agency_id, finding.division_code
            dirty = True
        if dirty:
            row.last_seen_on = today
            update.append(row)
        elif row.last_seen_on != today:
            seen_ids.append(row.pk)
    gone = [
        row
        for subject, row in existing.items()
        if subject not in findings and row.state != W.RESOLVED
    ]
    for row in gone:
        row.state, row.resolved_on = W.RESOLVED, today
        changed["resolved"].append(row.pk)
    created = Warning.objects.bulk_create(new, batch_size=BATCH)
    changed["opened"] = [w.pk for w in created if w.pk is not None]
    if not changed["opened"] and new:  # backends that return no ids (none of ours)
        changed["opened"] = list(
            Warning.objects.filter(
                rule=rule.code, subject__in=[w.subject for w in new]
            ).values_list("pk", flat=True)
        )
    Warning.objects.bulk_update(
        update,
        [
            "state",
            "resolved_on",
            "times_opened",
            "facts",
            "measure",
            "title",
            "agency",
            "division_code",
            "last_seen_on",
        ],
        batch_size=UPDATE_BATCH,
    )
    Warning.objects.bulk_update(gone, ["state", "resolved_on"], batch_size=UPDATE_BATCH)
    for i in range(0, len(seen_ids), 900):
        Warning.objects.filter(pk__in=seen_ids[i : i + 900]).update(last_seen_on=today)
    return changed


def counts_rebuild(*, agency_id: int | None = None) -> None:
    """Set the dashboard's counts (``WarningCount``) from the warnings: every agency's, or one
    agency's (after a dismissal or a matter). Call inside the transaction that changed them."""
    rows = Warning.objects.filter(state=W.OPEN)
    old = WarningCount.objects.all()
    if agency_id is not None:
        rows, old = rows.filter(agency_id=agency_id), old.filter(agency_id=agency_id)
    old.delete()  # derived figures, not the record: rebuilt from the warnings
    WarningCount.objects.bulk_create(
        [
            WarningCount(agency_id=agency, division_code=division, rule=rule, open=n, with_matter=m)
            for agency, division, rule, n, m in rows.order_by()
            .values("agency_id", "division_code", "rule")
            .annotate(n=Count("id"), m=Count("id", filter=Q(matter_id__isnull=False)))
            .values_list("agency_id", "division_code", "rule", "n", "m")
        ],
        batch_size=BATCH,
    )


def warnings_refresh(
    *,
    today: date,
    at: datetime | None = None,
    rules: Iterable[Rule] | None = None,
    on_rule: Callable[[str, float, int], None] | None = None,
) -> WarningRun:
    """Run the rules for ``today`` and store the outcome (see the module's contract). A disabled
    rule's open warnings are resolved. ``on_rule(code, seconds, firing)`` is told each rule's
    time (the bench). Each rule is its own transaction, then one for the run's entry."""
    at = at or timezone.now()
    started = clock.perf_counter()
    counts: dict[str, dict[str, Any]] = {}
    for rule in rules if rules is not None else registered_rules():
        t0 = clock.perf_counter()
        setting = rule_setting(rule)
        findings: dict[str, Finding] = {}
        if setting.enabled:
            for finding in rule.collect(setting, today):
                findings[finding.subject] = finding
        with transaction.atomic():
            changed = _apply(rule, findings, today)
        elapsed = clock.perf_counter() - t0
        counts[rule.code] = {"firing": len(findings), **changed}
        if on_rule is not None:
            on_rule(rule.code, elapsed, len(findings))
    with transaction.atomic():
        counts_rebuild()
    seconds = Decimal(f"{clock.perf_counter() - started:.3f}")
    with transaction.atomic():
        entry_seq = None
        if any(c["opened"] or c["reopened"] or c["resolved"] for c in counts.values()):
            entry = record_append(
                actor_id=None,
                actor_name="系统",
                role="system",
                action="alerts.run",
                payload={"on": today.isoformat(), "rules": counts},
                at=at,
            )
            entry_seq = entry.seq
        summary = {
            code: {
                "firing": c["firing"],
                "opened": len(c["opened"]),
                "reopened": len(c["reopened"]),
                "resolved": len(c["resolved"]),
            }
            for code, c in counts.items()
        }
        return WarningRun.objects.create(
            ran_on=today, started_at=at, seconds=seconds, counts=summary, entry_seq=entry_seq
        )


# -- a supervisor's actions ----------------------------------------------------------------


def _supervisor_of(actor: Account, warning: Warning) -> None:
    from zhifa.registry.selectors import region_of

    prefix = region_of(actor)
    if (
        actor.role != Account.Role.SUPERVISOR
        or prefix is None
        or not warning.division_code.startswith(prefix)
    ):
        raise RuleViolation(
            "只有该地区的执法监督人员可以处理此预警", article="《行政执法监督条例》第六条"
        )


def _lock(warning: Warning) -> Warning:
    return Warning.objects.select_for_update().get(pk=warning.pk)


@transaction.atomic
def warning_dismiss(
    *, actor: Account, warning: Warning, reason: str, at: datetime | None = None
) -> Warning:
    """Dismiss an open warning with a reason (recorded). It stays dismissed while its rule fires
    on the same facts; a new fact opens it again."""
    at = at or timezone.now()
    row = _lock(warning)
    _supervisor_of(actor, row)
    reason = reason.strip()
    if not reason:
        raise RuleViolation("排除预警须写明理由", article=ART_37, field="reason")
    if row.state != W.OPEN:
        raise RuleViolation(f"该预警{row.get_state_display()}，不能排除", article=ART_37)
    row.state = W.DISMISSED
    row.dismissed_reason = reason
    row.dismissed_by = actor
    row.dismissed_at = at
    row.dismissed_facts = row.facts
    row.save(
        update_fields=[
            "state",
            "dismissed_reason",
            "dismissed_by",
            "dismissed_at",
            "dismissed_facts",
        ]
    )
    counts_rebuild(agency_id=row.agency_id)
    record_append(
        actor_id=actor.pk,
        actor_name=_name(actor),
        role=actor.role,
        action="alerts.dismiss",
        payload={"warning": row.pk, "rule": row.rule, "subject": row.subject, "reason": reason},
        at=at,
    )
    return row


def _matter_open(**kwargs: Any) -> Any:
    """``supervision.services.matter_open`` (imported when used: supervision sits beside)."""
    from zhifa.supervision.services import matter_open

    return matter_open(**kwargs)


@transaction.atomic
def warning_open_matter(
    *, actor: Account, warning: Warning, on: date, at: datetime | None = None
) -> Warning:
    """Open a supervision matter about the warning's agency, its origin this warning (one matter
    per warning); the warning records the matter. Returns the warning."""
    at = at or timezone.now()
    row = _lock(warning)
    _supervisor_of(actor, row)
    if row.matter_id is not None:
        raise RuleViolation("已根据该预警立监督事项，不能重复立项", article=ART_26)
    if row.state == W.RESOLVED:
        raise RuleViolation("该预警已消除，不能据此立项", article=ART_37)
    facts = "；".join(
        f"{f['label']}{('：' + f['note']) if f.get('note') else ''}" for f in row.facts[:20]
    )
    matter = _matter_open(
        actor=actor,
        agency=row.agency,
        origin="warning",
        origin_ref=f"warning:{row.pk}",
        title=row.title[:200],
        summary=f"预警规则：{_rule_label(row.rule)}。{facts}",
        on=on,
    )
    row.matter_id = int(matter.pk)
    row.matter_opened_by = actor
    row.matter_opened_at = at
    row.save(update_fields=["matter_id", "matter_opened_by", "matter_opened_at"])
    counts_rebuild(agency_id=row.agency_id)
    record_append(
        actor_id=actor.pk,
        actor_name=_name(actor),
        role=actor.role,
        action="alerts.matter_open",
        payload={
            "warning": row.pk,
            "rule": row.rule,
            "subject": row.subject,
            "matter": row.matter_id,
        },
        at=at,
    )
    return row


def _rule_label(code: str) -> str:
    from .rules import rule_named

    rule = rule_named(code)
    return rule.label if rule else code
