"""Incremental warning runs give exactly the warnings of a full run; the dashboard's counts are
appended, never deleted; each run's entry names the warnings it raised and resolved and
``zhifa verify`` replays them; the supervisors of the supervising body are told of each new
warning once."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from zhifa.alerts.models import Warning, WarningCount, WarningRun
from zhifa.alerts.rules import Rule, rule_named
from zhifa.alerts.selectors import dashboard, warnings_replay_check
from zhifa.alerts.services import (
    NOTIFY_EACH_UP_TO,
    warning_dismiss,
    warning_open_matter,
    warnings_refresh,
)
from zhifa.cases.models import Case
from zhifa.core.testing import Personas
from zhifa.notifications.models import Notification
from zhifa.record.models import Entry
from zhifa.record.services import record_append
from zhifa.registry import services as registry
from zhifa.registry.models import Agency, Certificate
from zhifa.supervision.tests.conftest import Bureau, make_bureau

from . import world

pytestmark = pytest.mark.django_db
W = Warning.State
D1 = date(2026, 7, 10)
D2 = date(2026, 8, 1)
SOURCE = "《某省行政执法监督办法》第九条"
# A 30-day window for the certificate rule, so that a step leaves it between the two runs.
SETTINGS = {"certificate_invalid": {"period": 30, "source": SOURCE}}


def _rules(*codes: str) -> list[Rule]:
    found = [rule_named(c) for c in codes]
    assert all(found)
    return [r for r in found if r is not None]


RULES = ("decision_overdue", "certificate_invalid", "repeated_fines")


def _state() -> dict[tuple[str, str], tuple[Any, ...]]:
    return {
        (w.rule, w.subject): (
            w.state,
            w.agency_id,
            w.title,
            w.measure,
            w.facts,
            w.first_seen_on,
            w.last_seen_on,
            w.resolved_on,
            w.times_opened,
        )
        for w in Warning.objects.all()
    }


class _Rollback(Exception):
    pass


def _run_and_undo(today: date, *, full: bool) -> tuple[dict[str, str], dict[Any, Any]]:
    """Run the rules, read the warnings and the run's modes, then undo the run."""
    out: dict[str, Any] = {}
    try:
        with transaction.atomic():
            run = warnings_refresh(today=today, rules=_rules(*RULES), full=full)
            out["modes"], out["state"] = run.modes, _state()
            raise _Rollback
    except _Rollback:
        pass
    return out["modes"], out["state"]


def _recorded(case: Case, **changes: Any) -> None:
    """A change of a case as its service makes it: the row and the case's entry."""
    Case.objects.filter(pk=case.pk).update(**changes)
    record_append(
        actor_id=None,
        actor_name="系统",
        role="system",
        action="alerts.test_case_change",
        case_id=case.pk,
        payload={"changed": sorted(changes)},
    )


def _agency_c(personas: Personas) -> Agency:
    return Agency.objects.create(
        name="示范市丙县市场监管局",
        credit_code="11130304MB0000001X",
        level="county",
        division_code="130304",
        kind="statutory",
    )


@override_settings(ZHIFA_ALERT_RULES=SETTINGS)
def test_an_incremental_run_gives_exactly_the_warnings_of_a_full_run(personas: Personas) -> None:
    a, b = personas.agency_a, personas.agency_b
    c_agency = _agency_c(personas)
    expired = personas.expired_officer.officer  # certificate valid to 2026-06-30
    officer = personas.officer.officer
    assert expired is not None and officer is not None
    # Before the first run: an officer acting after the expiry of the certificate (twice: one
    # step leaves the 30-day window by the second run, one stays), a case past its limit,
    # two parties fined by two agencies for the same facts (one of the fines leaves the
    # 365-day window by the second run).
    acting = world.case(personas)
    world.step(acting, date(2026, 6, 20), officer)  # long before the revocation below
    world.step(acting, date(2026, 7, 1), expired, officer)  # leaves the window by D2
    world.step(acting, date(2026, 7, 8), expired)
    world.step(acting, date(2026, 7, 9), officer)  # valid then; not after the revocation
    overdue = world.case(personas, decision_deadline=date(2026, 7, 1))
    world.party(world.fined(personas, a, date(2025, 7, 20)), serial=11)  # leaves by D2
    world.party(world.fined(personas, b, date(2026, 3, 1)), serial=11)
    to_close = world.fined(personas, a, date(2026, 4, 1))
    world.party(to_close, serial=12)
    world.party(world.fined(personas, b, date(2026, 5, 1)), serial=12)

    first = warnings_refresh(today=D1, rules=_rules(*RULES))
    assert set(first.modes.values()) == {"full"}  # no previous run: a full one
    before = _state()
    assert {k[0] for k, v in before.items() if v[0] == W.OPEN} == set(RULES)

    # Between the runs:
    # a new step of the expired officer (a new case), …
    world.step(world.case(personas), date(2026, 7, 20), expired)
    # … an officer's certificate revoked with effect from 1 July (the steps since count), …
    cert = Certificate.objects.get(officer=officer)
    registry.certificate_status_change(
        actor=personas.admin,
        certificate=cert,
        to_status=Certificate.Status.REVOKED,
        reason="违法执法，收回执法证",
        effective_on=date(2026, 7, 1),
    )
    # … a new fine making a third party fined by two agencies, …
    world.party(world.fined(personas, a, date(2026, 7, 15)), serial=13)
    world.party(world.fined(personas, c_agency, date(2026, 7, 20)), serial=13)
    # … a case whose fine is set aside (its group no longer fires), and the overdue case
    # closed (its warning ends).
    _recorded(to_close, fine=Decimal(0))
    _recorded(overdue, state=Case.State.CLOSED)

    inc_modes, incremental = _run_and_undo(D2, full=False)
    full_modes, full = _run_and_undo(D2, full=True)
    assert inc_modes["certificate_invalid"] == inc_modes["repeated_fines"] == "incremental"
    assert set(full_modes.values()) == {"full"}
    assert incremental == full

    # And the changes are those expected: revoked officer opened, the expired officer's
    # warning updated, the closed case and the set-aside fine's group resolved, the group whose
    # old fine left the period resolved, the new group opened.
    run = warnings_refresh(today=D2, rules=_rules(*RULES))
    assert run.counts["certificate_invalid"]["opened"] == 1
    assert run.counts["repeated_fines"] == {"firing": 1, "opened": 1, "reopened": 0, "resolved": 2}
    assert run.counts["decision_overdue"]["resolved"] == 1
    w = Warning.objects.get(subject=f"officer:{expired.pk}")
    assert (w.state, w.measure) == (W.OPEN, 2)  # 8 and 20 July; 1 July left the window
    assert Warning.objects.get(subject=f"officer:{officer.pk}").state == W.OPEN
    assert Warning.objects.get(subject=f"case:{overdue.pk}").resolved_on == D2
    assert Warning.objects.filter(state=W.RESOLVED).count() == 3  # nothing deleted
    assert Warning.objects.count() == len(before) + 2

    # The next day, nothing new: the incremental run changes nothing and records nothing.
    quiet = warnings_refresh(today=D2 + timedelta(days=1), rules=_rules(*RULES))
    assert quiet.entry_seq is None
    assert quiet.modes["repeated_fines"] == "incremental"


@override_settings(ZHIFA_ALERT_RULES=SETTINGS)
def test_a_changed_setting_or_a_registry_change_means_a_full_run(personas: Personas) -> None:
    world.step(world.case(personas), date(2026, 7, 8), personas.expired_officer.officer)
    warnings_refresh(today=D1, rules=_rules("certificate_invalid"))
    assert warnings_refresh(today=D1, rules=_rules("certificate_invalid")).modes == {
        "certificate_invalid": "incremental"
    }
    with override_settings(
        ZHIFA_ALERT_RULES={"certificate_invalid": {"period": 60, "source": SOURCE}}
    ):
        assert warnings_refresh(today=D1, rules=_rules("certificate_invalid")).modes == {
            "certificate_invalid": "full"
        }
    # A misspelt name corrected (the warning's title names the officer): a full run.
    registry.officer_update(
        actor=personas.admin, officer=personas.expired_officer.officer, name="吴改名"
    )
    assert warnings_refresh(today=D1, rules=_rules("certificate_invalid")).modes == {
        "certificate_invalid": "full"
    }
    assert "吴改名" in Warning.objects.get().title
    assert warnings_refresh(today=D1, rules=_rules("certificate_invalid"), full=True).modes == {
        "certificate_invalid": "full"
    }


def test_the_runs_entries_name_the_warnings_and_verify_replays_them(personas: Personas) -> None:
    c = world.case(personas, decision_deadline=date(2026, 4, 30))
    rules = _rules("decision_overdue")
    warnings_refresh(today=date(2026, 5, 1), rules=rules)
    w = Warning.objects.get()
    entry = Entry.objects.get(action="alerts.run")
    assert entry.data["rules"]["decision_overdue"]["opened"] == [w.pk]
    assert entry.data["titles"] == {str(w.pk): w.title}
    assert entry.data["summary"] == "新增预警1条，重新预警0条，消除预警0条"
    Case.objects.filter(pk=c.pk).update(state=Case.State.DECIDED)
    warnings_refresh(today=date(2026, 5, 2), rules=rules)
    resolved = Entry.objects.filter(action="alerts.run").order_by("-seq").first()
    assert resolved is not None and resolved.data["rules"]["decision_overdue"]["resolved"] == [w.pk]
    assert list(warnings_replay_check(iter(()))) == []
    Warning.objects.filter(pk=w.pk).update(state=W.OPEN)  # tampered: not as recorded
    assert [p.kind for p in warnings_replay_check(iter(()))] == ["warning_run_mismatch"]


def test_counts_are_appended_never_deleted(personas: Personas) -> None:
    bureau: Bureau = make_bureau(personas)
    world.case(personas, decision_deadline=date(2026, 4, 30))
    world.case(personas, decision_deadline=date(2026, 4, 30))
    rules = _rules("decision_overdue")
    warnings_refresh(today=date(2026, 5, 1), rules=rules)
    rows = WarningCount.objects.count()
    board = dashboard(bureau.sup1)
    assert board.total_open == 2 and board.agencies_with_warnings == 1
    first, second = Warning.objects.order_by("pk")
    warning_open_matter(actor=bureau.sup1, warning=first, on=date(2026, 5, 2))
    warning_dismiss(actor=bureau.sup1, warning=second, reason="已核实：已依法延期")
    board = dashboard(bureau.sup1)
    by_rule = {r.code: r for r in board.per_rule}
    assert (board.total_open, by_rule["decision_overdue"].with_matter) == (1, 1)
    assert WarningCount.objects.count() == rows + 2  # the two changes appended
    # A run that changes nothing in the counts writes no snapshot; the figures stay.
    again = warnings_refresh(today=date(2026, 5, 2), rules=rules)
    assert not again.counted
    assert WarningCount.objects.count() == rows + 2
    assert dashboard(bureau.sup1).total_open == 1
    # The matter's case decided: the warning ends; a new snapshot, the old rows kept.
    Case.objects.filter(pk=int(first.subject.split(":")[1])).update(state=Case.State.DECIDED)
    later = warnings_refresh(today=date(2026, 5, 3), rules=rules)
    assert later.counted and WarningCount.objects.count() == rows + 2
    assert dashboard(bureau.sup1).total_open == 0
    assert WarningRun.objects.filter(counted=True).count() == 2


def test_the_supervising_bodys_supervisors_are_told_once_per_warning(
    personas: Personas,
) -> None:
    bureau = make_bureau(personas)
    c = world.case(personas, decision_deadline=date(2026, 4, 30))
    rules = _rules("decision_overdue")
    warnings_refresh(today=date(2026, 5, 1), rules=rules)
    w = Warning.objects.get()
    notes = Notification.objects.filter(kind=Notification.Kind.WARNING)
    told = set(notes.values_list("recipient__username", flat=True))
    # The city bureau's supervisors (the agency's region), not another city's.
    assert {bureau.sup1.username, bureau.sup2.username, personas.supervisor.username} <= told
    assert bureau.far.username not in told
    note = notes.get(recipient=bureau.sup1)
    assert note.url == f"/supervision/warnings/{w.pk}/" and w.title in note.title
    count = notes.count()
    warnings_refresh(today=date(2026, 5, 1), rules=rules)  # a rerun: nobody told again
    warnings_refresh(today=date(2026, 5, 2), rules=rules)  # still firing: nobody told again
    assert notes.count() == count
    # Resolved, then firing again: told of the new opening.
    Case.objects.filter(pk=c.pk).update(state=Case.State.DECIDED)
    warnings_refresh(today=date(2026, 5, 3), rules=rules)
    Case.objects.filter(pk=c.pk).update(state=Case.State.INVESTIGATING)
    warnings_refresh(today=date(2026, 5, 4), rules=rules)
    assert notes.filter(recipient=bureau.sup1).count() == 2


def test_many_new_warnings_are_told_in_one_notification(personas: Personas) -> None:
    bureau = make_bureau(personas)
    for _ in range(NOTIFY_EACH_UP_TO + 1):
        world.case(personas, decision_deadline=date(2026, 4, 30))
    run = warnings_refresh(today=date(2026, 5, 1), rules=_rules("decision_overdue"))
    note = Notification.objects.get(kind=Notification.Kind.WARNING, recipient=bureau.sup1)
    assert f"新增{NOTIFY_EACH_UP_TO + 1}条预警" in note.title
    assert note.key == f"alerts.run:{run.pk}:1303"
    assert "案件超过办案期限未作出决定：11条" in note.body or "：11条" in note.body
