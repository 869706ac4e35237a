"""Writes of early warnings. Each one transaction, each recorded (``alerts.*`` entries).

- ``warnings_refresh(today=…)`` (the scheduled job ``alerts.refresh``): runs every enabled rule
  and brings the stored warnings in line, rule by rule — a new subject opens a warning, a
  firing one is kept (facts and measure updated where they changed), one no longer firing is
  resolved, a resolved one that fires again is opened again, a dismissed one stays dismissed
  unless facts appear that were not there when it was dismissed. Only the differences are
  written (bulk), so a second run of the same day changes nothing and records nothing
  (idempotent). A rule that can (``Rule.collect_changed``) examines only what changed since its
  previous run (``WarningRun.marks``), unless ``full=True``: the same warnings either way. One
  record entry per run that changed something: the warnings opened, opened again and resolved,
  per rule (ids, a summary, titles). The dashboard's counts are appended as a snapshot when
  they changed (``WarningCount``, never deleted); the supervisors of the body supervising each
  new warning's agency are notified once per opening.
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

from django.db import connection, transaction
from django.db.models import Count, JSONField, Max, Q, Sum
from django.utils import timezone

from zhifa.core.exceptions import RuleViolation
from zhifa.record.services import record_append
from zhifa.registry.models import Account

from .models import Warning, WarningCount, WarningRun
from .rules import Finding, Rule, RuleSetting, Since, registered_rules, rule_setting
from .selectors import counted_run_id

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


def _name(actor: Account) -> str:
    return actor.display_name or actor.get_username()


def _facts(finding: Finding) -> list[dict[str, Any]]:
    return [fact.as_dict() for fact in finding.facts]


def _fact_keys(facts: Iterable[dict[str, Any]]) -> set[tuple[str, int]]:
    return {(str(f["kind"]), int(f["id"])) for f in facts}


def _insert(code: str, rows: list[Warning]) -> list[int]:
    """Insert new warnings of rule ``code`` with ``executemany``; their ids. Django's
    ``bulk_create`` compiles each value of each row into its statement in Python (0.5 ms a
    warning: most of a province's first run); the driver binds the same values in C. Runs are
    serialised by the job lock, so the new ids are those of the rule above the last before."""
    if not rows:
        return []
    last = Warning.objects.aggregate(m=Max("pk"))["m"] or 0
    fields = [f for f in Warning._meta.concrete_fields if not f.primary_key]
    prepared = {f.attname for f in fields if isinstance(f, JSONField)}
    qn = connection.ops.quote_name
    columns = ", ".join(qn(str(f.column)) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {qn(Warning._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    values = [
        tuple(
            f.get_db_prep_save(getattr(o, f.attname), connection)
            if f.attname in prepared
            else getattr(o, f.attname)
            for f in fields
        )
        for o in rows
    ]
    with connection.cursor() as cursor:
        for i in range(0, len(values), BATCH):
            cursor.executemany(sql, values[i : i + BATCH])
    return list(
        Warning.objects.filter(rule=code, pk__gt=last).order_by("pk").values_list("pk", flat=True)
    )


def _update(rows: list[Warning], names: list[str]) -> None:
    """Write fields ``names`` of changed warnings with ``executemany`` (one ``UPDATE … WHERE id``
    bound per row). Django's ``bulk_update`` builds a ``CASE WHEN`` per field per batch: a rule
    whose measure grows every day (逾期天数) rewrites every warning each run, tens of thousands
    at province scale, which took minutes that way."""
    if not rows:
        return
    fields = [Warning._meta.get_field(name) for name in names]
    qn = connection.ops.quote_name
    table = qn(Warning._meta.db_table)
    values = [
        (
            *(f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields),  # type: ignore[union-attr]
            o.pk,
        )
        for o in rows
    ]
    columns = [qn(str(f.column)) for f in fields]  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement a batch, joined to a VALUES list (executemany's round trip and
            # plan per row cost PostgreSQL ~0.3 ms a warning); each column cast to its type.
            casts = ", ".join(
                f"{c} = v.{c}::{f.db_type(connection)}"
                for c, f in zip(columns, fields, strict=True)
            )
            names_v = ", ".join([*columns, "id"])
            row_marks = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
            for i in range(0, len(values), BATCH):
                batch = values[i : i + BATCH]
                sql = (
                    f"UPDATE {table} AS w SET {casts} FROM (VALUES "  # noqa: S608
                    + ", ".join([row_marks] * len(batch))
                    + f") AS v({names_v}) WHERE w.id = v.id::bigint"
                )
                cursor.execute(sql, [x for row in batch for x in row])
            return
        assignments = ", ".join(f"{c} = %s" for c in columns)
        sql = f"UPDATE {table} SET {assignments} WHERE id = %s"  # noqa: S608
        for i in range(0, len(values), BATCH):
            cursor.executemany(sql, values[i : i + BATCH])


def _apply(
    rule: Rule,
    findings: dict[str, Finding],
    today: date,
    subjects: frozenset[str] | None = None,
) -> dict[str, list[int]]:
    """Bring the stored warnings of ``rule`` in line with ``findings``; the ids changed. With
    ``subjects`` (an incremental run) only those subjects' warnings are compared: the others
    stand as they are (their rule found nothing that could change them)."""
    changed: dict[str, list[int]] = {"opened": [], "reopened": [], "resolved": []}
    stored = Warning.objects.filter(rule=rule.code)
    if subjects is None:
        parts = [stored]
    else:
        wanted = sorted(subjects)
        parts = [stored.filter(subject__in=wanted[i : i + 900]) for i in range(0, len(wanted), 900)]
    existing = {
        w.subject: w
        for part in parts
        for w in part.only(
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
            "resolved_on",  # written back with the others: deferred, each row would be a query
        )
    }
    new: list[Warning] = []
    update: list[Warning] = []
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
    gone = [
        row
        for subject, row in existing.items()
        if subject not in findings and row.state != W.RESOLVED
    ]
    for row in gone:
        row.state, row.resolved_on = W.RESOLVED, today
        changed["resolved"].append(row.pk)
    changed["opened"] = _insert(rule.code, new)
    _update(
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
    )
    _update(gone, ["state", "resolved_on"])
    # Every warning not resolved now fires (a full run resolved the others; an incremental one
    # left only those that still fire): all seen today, in one statement.
    Warning.objects.filter(rule=rule.code, last_seen_on__lt=today).exclude(state=W.RESOLVED).update(
        last_seen_on=today
    )
    return changed


# -- the dashboard's counts (append-only) ------------------------------------------------


def _counts_now() -> dict[tuple[int, str], tuple[str, int, int]]:
    """(agency, rule) → (division, open, with a matter), counted from the open warnings."""
    return {
        (agency, rule): (division, n, m)
        for agency, division, rule, n, m in Warning.objects.filter(state=W.OPEN)
        .order_by()
        .values("agency_id", "division_code", "rule")
        .annotate(n=Count("id"), m=Count("id", filter=Q(matter_id__isnull=False)))
        .values_list("agency_id", "division_code", "rule", "n", "m")
    }


def _counts_shown(run_id: int | None) -> dict[tuple[int, str], tuple[str, int, int]]:
    if run_id is None:
        return {}
    out: dict[tuple[int, str], tuple[str, int, int]] = {}
    for agency, division, rule, n, m in (
        WarningCount.objects.filter(run_id=run_id)
        .order_by()
        .values("agency_id", "division_code", "rule")
        .annotate(n=Sum("open"), m=Sum("with_matter"))
        .values_list("agency_id", "division_code", "rule", "n", "m")
    ):
        if n or m:
            out[(agency, rule)] = (division, int(n), int(m))
    return out


def counts_snapshot(run: WarningRun) -> bool:
    """Append a snapshot of the counts under ``run`` when they differ from those shown (the
    latest snapshot with the changes appended since); True when one was written. Call inside
    a transaction."""
    now = _counts_now()
    if now == _counts_shown(counted_run_id()) and counted_run_id() is not None:
        return False
    WarningCount.objects.bulk_create(
        [
            WarningCount(
                run=run, agency_id=agency, division_code=division, rule=rule, open=n, with_matter=m
            )
            for (agency, rule), (division, n, m) in sorted(now.items())
        ],
        batch_size=BATCH,
    )
    WarningRun.objects.filter(pk=run.pk).update(counted=True)
    run.counted = True
    return True


def _count_change(warning: Warning, *, open: int, with_matter: int) -> None:
    """Append a dismissal's or a matter's change of the counts to the snapshot shown."""
    run_id = counted_run_id()
    if run_id is None:
        return
    WarningCount.objects.create(
        run_id=run_id,
        agency_id=warning.agency_id,
        division_code=warning.division_code,
        rule=warning.rule,
        open=open,
        with_matter=with_matter,
    )


# -- the run ---------------------------------------------------------------------------------


def _setting_key(setting: RuleSetting) -> list[Any]:
    return [setting.enabled, str(setting.threshold), setting.period]


def _since(rule: Rule, setting: RuleSetting, today: date) -> Since | None:
    """Where the rule's previous run stopped, when an incremental run may start there: a
    previous run of the rule with the same setting, on ``today`` or before."""
    previous = (
        WarningRun.objects.filter(marks__has_key=rule.code)
        .order_by("-id")
        .values_list("marks", flat=True)
        .first()
    )
    if not previous:
        return None
    mark = previous[rule.code]
    on = date.fromisoformat(mark["on"])
    if mark.get("setting") != _setting_key(setting) or on > today:
        return None
    return Since(on=on, marks={k: int(v) for k, v in mark["read"].items()})


def warnings_refresh(
    *,
    today: date,
    at: datetime | None = None,
    rules: Iterable[Rule] | None = None,
    on_rule: Callable[[str, float, int], None] | None = None,
    full: bool = False,
) -> WarningRun:
    """Run the rules for ``today`` and store the outcome (see the module's contract). A disabled
    rule's open warnings are resolved. A rule that can (``Rule.collect_changed``) examines only
    what changed since its previous run, unless ``full`` (or its setting changed, or it never
    ran): both give the same warnings. ``on_rule(code, seconds, firing)`` is told each rule's
    time (the bench; ``firing`` counts the findings examined). Each rule is its own
    transaction, then one for the run's entry, counts and notifications."""
    at = at or timezone.now()
    started = clock.perf_counter()
    counts: dict[str, dict[str, Any]] = {}
    modes: dict[str, str] = {}
    marks: dict[str, Any] = {}
    for rule in rules if rules is not None else registered_rules():
        t0 = clock.perf_counter()
        setting = rule_setting(rule)
        findings: dict[str, Finding] = {}
        subjects: frozenset[str] | None = None
        read = rule.marks() if rule.marks is not None and setting.enabled else None
        since = None if full or read is None else _since(rule, setting, today)
        changed_only = None
        if since is not None and rule.collect_changed is not None:
            changed_only = rule.collect_changed(setting, today, since)
        if changed_only is not None:
            subjects = changed_only.subjects
            for finding in changed_only.findings:
                findings[finding.subject] = finding
        elif setting.enabled:
            for finding in rule.collect(setting, today):
                findings[finding.subject] = finding
        with transaction.atomic():
            changed = _apply(rule, findings, today, subjects)
        elapsed = clock.perf_counter() - t0
        modes[rule.code] = "incremental" if subjects is not None else "full"
        if read is not None:
            marks[rule.code] = {
                "on": today.isoformat(),
                "setting": _setting_key(setting),
                "read": read,
            }
        firing = (
            len(findings)
            if subjects is None
            else Warning.objects.filter(rule=rule.code).exclude(state=W.RESOLVED).count()
        )
        counts[rule.code] = {"firing": firing, **changed}
        if on_rule is not None:
            on_rule(rule.code, elapsed, firing)
    seconds = Decimal(f"{clock.perf_counter() - started:.3f}")
    with transaction.atomic():
        entry_seq = None
        raised = {c: v["opened"] + v["reopened"] for c, v in counts.items()}
        if any(c["opened"] or c["reopened"] or c["resolved"] for c in counts.values()):
            entry = record_append(
                actor_id=None,
                actor_name="系统",
                role="system",
                action="alerts.run",
                payload=_run_payload(today, counts, modes),
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
        run = WarningRun.objects.create(
            ran_on=today,
            started_at=at,
            seconds=seconds,
            counts=summary,
            entry_seq=entry_seq,
            modes=modes,
            marks=marks,
        )
        counts_snapshot(run)
        _notify_new(sorted(pk for ids in raised.values() for pk in ids), run=run, at=at)
        return run


# The run's entry names each changed warning's title up to this many (the ids always).
TITLES_IN_ENTRY = 500


def _run_payload(
    today: date, counts: dict[str, dict[str, Any]], modes: dict[str, str]
) -> dict[str, Any]:
    """The run's entry: per rule the ids of the warnings opened, opened again and resolved
    (``zhifa verify`` replays each warning's state from these entries), a summary line, and
    the titles of the changed warnings (the first ``TITLES_IN_ENTRY``) so that the timeline
    says what was raised or ended."""
    changed_ids = sorted(
        pk for c in counts.values() for key in ("opened", "reopened", "resolved") for pk in c[key]
    )
    shown = changed_ids[:TITLES_IN_ENTRY]
    titles: dict[str, str] = {}
    for i in range(0, len(shown), 900):
        for pk, title in Warning.objects.filter(pk__in=shown[i : i + 900]).values_list(
            "pk", "title"
        ):
            titles[str(pk)] = title
    total = {
        key: sum(len(c[key]) for c in counts.values()) for key in ("opened", "reopened", "resolved")
    }
    return {
        "on": today.isoformat(),
        "summary": (
            f"新增预警{total['opened']}条，重新预警{total['reopened']}条，"
            f"消除预警{total['resolved']}条"
        ),
        "rules": {
            code: {
                "mode": modes.get(code, "full"),
                "firing": c["firing"],
                "opened": c["opened"],
                "reopened": c["reopened"],
                "resolved": c["resolved"],
            }
            for code, c in counts.items()
        },
        "titles": titles,
    }


# -- notifications of new warnings ---------------------------------------------------------

# Above this many new warnings for one supervisory body in one run, its supervisors get one
# notification listing them (by rule, with the first few) instead of one per warning.
NOTIFY_EACH_UP_TO = 10


def _supervising_prefixes() -> dict[str, list[Account]]:
    """Active supervisors by the division prefix of their body's region."""
    from zhifa.core.identifiers import division_prefix

    out: dict[str, list[Account]] = {}
    for account in Account.objects.filter(role=Account.Role.SUPERVISOR, is_active=True).exclude(
        region_code=""
    ):
        out.setdefault(division_prefix(account.region_code), []).append(account)
    return out


def _notify_new(warning_ids: list[int], *, run: WarningRun, at: datetime) -> None:
    """Tell the supervisors of the body supervising each new (or newly re-opened) warning's
    agency — the nearest region above it with supervisors (《行政执法监督条例》第六条) — once per
    opening of a warning (the key names the warning and its opening: a rerun tells no one)."""
    if not warning_ids:
        return
    from django.urls import reverse

    from zhifa.notifications.models import Notification
    from zhifa.notifications.services import notification_send

    bodies = _supervising_prefixes()
    if not bodies:
        return
    by_body: dict[str, list[tuple[int, str, str, str, int]]] = {}
    for i in range(0, len(warning_ids), 900):
        for pk, rule, title, division, opened in Warning.objects.filter(
            pk__in=warning_ids[i : i + 900]
        ).values_list("pk", "rule", "title", "division_code", "times_opened"):
            prefix = next(
                (division[:n] for n in (6, 4, 2) if division[:n] in bodies),
                None,
            )
            if prefix is not None:
                by_body.setdefault(prefix, []).append((pk, rule, title, division, opened))
    for prefix, rows in sorted(by_body.items()):
        recipients = bodies[prefix]
        if len(rows) <= NOTIFY_EACH_UP_TO:
            for pk, rule, title, _division, opened in rows:
                notification_send(
                    recipients=recipients,
                    kind=Notification.Kind.WARNING,
                    title=f"执法监督预警：{title}",
                    body=f"预警规则：{_rule_label(rule)}（依据{ART_37}）",
                    url=reverse("warning_detail", kwargs={"pk": pk}),
                    key=f"alerts.warning:{pk}:{opened}",
                    at=at,
                )
            continue
        per_rule: dict[str, int] = {}
        for _pk, rule, *_rest in rows:
            per_rule[rule] = per_rule.get(rule, 0) + 1
        lines = [f"{_rule_label(rule)}：{n}条" for rule, n in sorted(per_rule.items())]
        lines += [f"· {title}" for _pk, _rule, title, *_rest in rows[:NOTIFY_EACH_UP_TO]]
        notification_send(
            recipients=recipients,
            kind=Notification.Kind.WARNING,
            title=f"执法监督预警：新增{len(rows)}条预警（{run.ran_on.isoformat()}）",
            body="\n".join(lines),
            url=reverse("warning_list") + "?state=open",
            key=f"alerts.run:{run.pk}:{prefix}",
            at=at,
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
    _count_change(row, open=-1, with_matter=-1 if row.matter_id is not None else 0)
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
    if row.state == W.OPEN:
        _count_change(row, open=0, with_matter=1)
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
