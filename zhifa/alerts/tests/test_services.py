"""The warning run (idempotent, incremental), dismissal and opening a matter — each recorded."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings

from zhifa.alerts.models import Warning, WarningRun
from zhifa.alerts.rules import rule_named
from zhifa.alerts.selectors import warnings_replay_check
from zhifa.alerts.services import warning_dismiss, warning_open_matter, warnings_refresh
from zhifa.cases.models import Case
from zhifa.core.exceptions import RuleViolation
from zhifa.core.jobs import job_named, job_run
from zhifa.core.testing import Personas
from zhifa.record.models import Entry
from zhifa.supervision.models import Matter
from zhifa.supervision.tests.conftest import Bureau, make_bureau

from . import world

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("Asia/Shanghai")
W = Warning.State
DEADLINE = date(2026, 4, 30)
DAY1 = date(2026, 5, 1)  # the first day past the deadline


def _only(code: str) -> list:  # type: ignore[type-arg]
    rule = rule_named(code)
    assert rule is not None
    return [rule]


@pytest.fixture
def bureau(personas: Personas) -> Bureau:
    return make_bureau(personas)


def _overdue(personas: Personas) -> Case:
    return world.case(personas, decision_deadline=DEADLINE)


def test_the_run_opens_keeps_and_resolves_and_a_second_run_changes_nothing(
    personas: Personas,
) -> None:
    c = _overdue(personas)
    rules = _only("decision_overdue")
    first = warnings_refresh(today=DAY1, rules=rules)
    w = Warning.objects.get(rule="decision_overdue", subject=f"case:{c.pk}")
    assert (w.state, w.first_seen_on, w.agency_id, w.division_code) == (
        W.OPEN,
        DAY1,
        personas.agency_a.pk,
        "130302",
    )
    assert first.counts["decision_overdue"] == {
        "firing": 1,
        "opened": 1,
        "reopened": 0,
        "resolved": 0,
    }
    entries = Entry.objects.filter(action="alerts.run").count()
    assert entries == 1

    again = warnings_refresh(today=DAY1, rules=rules)  # idempotent: nothing to change or record
    assert again.counts["decision_overdue"]["opened"] == 0 and again.entry_seq is None
    assert Entry.objects.filter(action="alerts.run").count() == entries
    assert Warning.objects.count() == 1

    warnings_refresh(today=date(2026, 5, 2), rules=rules)  # still firing, measure 2 days
    w.refresh_from_db()
    assert (w.state, w.measure, w.last_seen_on) == (W.OPEN, 2, date(2026, 5, 2))

    Case.objects.filter(pk=c.pk).update(state=Case.State.DECIDED)  # decided: no longer firing
    run = warnings_refresh(today=date(2026, 5, 3), rules=rules)
    w.refresh_from_db()
    assert (w.state, w.resolved_on) == (W.RESOLVED, date(2026, 5, 3))
    assert run.counts["decision_overdue"]["resolved"] == 1
    assert Entry.objects.filter(action="alerts.run").count() == entries + 1


def test_a_resolved_warning_that_fires_again_is_opened_again(personas: Personas) -> None:
    c = _overdue(personas)
    rules = _only("decision_overdue")
    warnings_refresh(today=DAY1, rules=rules)
    Case.objects.filter(pk=c.pk).update(state=Case.State.DECIDED)
    warnings_refresh(today=date(2026, 5, 2), rules=rules)
    Case.objects.filter(pk=c.pk).update(state=Case.State.INVESTIGATING)
    warnings_refresh(today=date(2026, 5, 3), rules=rules)
    w = Warning.objects.get()
    assert (w.state, w.resolved_on, w.times_opened) == (W.OPEN, None, 2)


def test_a_disabled_rule_resolves_its_warnings(personas: Personas) -> None:
    _overdue(personas)
    warnings_refresh(today=DAY1, rules=_only("decision_overdue"))
    with override_settings(ZHIFA_ALERT_RULES={"decision_overdue": {"enabled": False}}):
        warnings_refresh(today=DAY1, rules=_only("decision_overdue"))
    assert Warning.objects.get().state == W.RESOLVED


def test_the_cron_job_runs_every_rule(personas: Personas) -> None:
    _overdue(personas)
    job = job_named("alerts.refresh")
    assert job is not None
    run = job_run(job, now=datetime(2026, 5, 1, 3, 0, tzinfo=TZ), force=True)
    assert run is not None and run.outcome == "ok", run.error if run else None
    assert "预警" in run.summary
    assert Warning.objects.filter(rule="decision_overdue").count() == 1
    assert set(WarningRun.objects.get().counts) >= {"decision_overdue", "training_short"}


def test_dismiss_is_recorded_and_sticks_until_a_new_fact(
    personas: Personas, bureau: Bureau
) -> None:
    world.power_item(personas.agency_a, personas)
    rules = _only("publication_late")
    a = world.case(personas, state=Case.State.DECIDED, decided_on=date(2026, 5, 1))
    world.publication(a, due_on=date(2026, 5, 12), published_on=None)
    warnings_refresh(today=date(2026, 6, 1), rules=rules)
    w = Warning.objects.get()
    with pytest.raises(RuleViolation, match="理由"):
        warning_dismiss(actor=bureau.sup1, warning=w, reason="  ")
    with pytest.raises(RuleViolation, match="第六条"):
        warning_dismiss(actor=bureau.far, warning=w, reason="不属本区")
    warning_dismiss(actor=bureau.sup1, warning=w, reason="已核实：系统故障导致，已补公示")
    w.refresh_from_db()
    assert (w.state, w.dismissed_by) == (W.DISMISSED, bureau.sup1)
    entry = Entry.objects.get(action="alerts.dismiss")
    assert entry.data["warning"] == w.pk and entry.data["reason"].startswith("已核实")
    assert entry.actor_id == bureau.sup1.pk
    warnings_refresh(today=date(2026, 6, 2), rules=rules)  # same facts: stays dismissed
    w.refresh_from_db()
    assert w.state == W.DISMISSED
    b = world.case(personas, state=Case.State.DECIDED, decided_on=date(2026, 5, 20))
    world.publication(b, due_on=date(2026, 5, 29), published_on=None)
    warnings_refresh(today=date(2026, 6, 3), rules=rules)  # a new late decision: open again
    w.refresh_from_db()
    assert w.state == W.OPEN
    assert list(warnings_replay_check(iter(()))) == []


def test_open_matter_from_a_warning_is_recorded_once(personas: Personas, bureau: Bureau) -> None:
    c = _overdue(personas)
    warnings_refresh(today=DAY1, rules=_only("decision_overdue"))
    w = Warning.objects.get()
    with time_machine.travel(datetime(2026, 5, 2, 9, 0, tzinfo=TZ), tick=False):
        warning_open_matter(actor=bureau.sup1, warning=w, on=date(2026, 5, 2))
    w.refresh_from_db()
    matter = Matter.objects.get(pk=w.matter_id)
    assert matter.origin == "warning" and matter.agency_id == personas.agency_a.pk
    assert str(c.number) in matter.summary
    entry = Entry.objects.get(action="alerts.matter_open")
    assert entry.data == {
        "warning": w.pk,
        "rule": "decision_overdue",
        "subject": f"case:{c.pk}",
        "matter": matter.pk,
    }
    with pytest.raises(RuleViolation, match="重复立项"):
        warning_open_matter(actor=bureau.sup1, warning=w, on=date(2026, 5, 2))
    assert list(warnings_replay_check(iter(()))) == []
    Warning.objects.filter(pk=w.pk).update(matter_id=matter.pk + 1)  # tampered
    assert [p.kind for p in warnings_replay_check(iter(()))] == ["warning_matter_mismatch"]
