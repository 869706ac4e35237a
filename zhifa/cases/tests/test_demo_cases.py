"""The demo cases of ``zhifa demo``: every state of every procedure, all through the services,
a log that verifies, valid identifiers, and a second run that adds nothing.

The demo is loaded once for the module (the sample: one case per scenario) inside a
transaction that is rolled back at the end; each test runs in its own savepoint.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.test import RequestFactory, override_settings

from zhifa.cases import demo
from zhifa.cases.models import Case, CaseDocument, CaseStep, Party
from zhifa.cases.selectors import cases_overdue, cases_visible_to
from zhifa.cases.transitions import TRANSITIONS
from zhifa.core.identifiers import (
    is_valid_credit_code,
    is_valid_landline,
    is_valid_mobile,
    is_valid_resident_id,
)
from zhifa.demo.testing import DemoSnapshot, demo_loaded
from zhifa.publicity.demo import MINOR_TITLE
from zhifa.record.models import Entry, EvidenceFile
from zhifa.record.verification import log_verify
from zhifa.registry import demo as city
from zhifa.registry.models import Account
from zhifa.registry.selectors import officer_may_act

TODAY = city.REFERENCE_DAY
DOCS = Path(__file__).resolve().parents[3] / "docs" / "demo.md"

# States of the transition tables the demo deliberately leaves out, with the reason. None:
# every state of every kind is reachable and present.
SKIPPED: dict[str, frozenset[str]] = {}


@dataclass(frozen=True)
class Loaded:
    output: str  # what ``zhifa demo --cases sample`` printed
    result: demo.DemoCasesResult  # a second call: already loaded, with the counts


# The demo is loaded on the evening of its own day, with the 补录 window production has: every
# step older than three days is entered late, with the demo's reason.
LOADED_AT = datetime(TODAY.year, TODAY.month, TODAY.day, 20, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(scope="module")
def loaded(
    django_db_setup: None, django_db_blocker: Any, demo_snapshot: DemoSnapshot
) -> Iterator[Loaded]:
    with (
        demo_loaded(demo_snapshot, django_db_blocker) as output,
        django_db_blocker.unblock(),
        transaction.atomic(),
        time_machine.travel(LOADED_AT, tick=True),
        override_settings(ZHIFA_LATE_ENTRY_DAYS=3),
    ):
        yield Loaded(output, demo.demo_cases_load(today=TODAY, sample=True))
        transaction.set_rollback(True)


pytestmark = pytest.mark.django_db


def _all_states_of(kind: str) -> frozenset[str]:
    table = TRANSITIONS[kind]
    return frozenset(table) | frozenset(m.to for moves in table.values() for m in moves)


def test_demo_covers_every_state_of_every_kind_in_the_transition_tables(
    loaded: Loaded,
) -> None:
    present = {(k, s) for k, s in Case.objects.values_list("kind", "state").distinct()}
    for kind in TRANSITIONS:
        wanted = _all_states_of(kind) - SKIPPED.get(kind, frozenset())
        missing = {s for s in wanted if (kind, s) not in present}
        assert not missing, f"{kind}: no demo case in {sorted(missing)}"
    assert demo.reachable_states() == {k: _all_states_of(k) for k in TRANSITIONS}
    assert Case.objects.count() >= 70
    assert loaded.result.by_kind == demo.demo_cases_counts()


def test_demo_cases_spread_over_agencies_and_include_every_end(
    loaded: Loaded,
) -> None:
    assert Case.objects.values("agency").distinct().count() >= 5
    assert Case.objects.filter(end_ground=Case.NotPenalisedGround.FIRST_VIOLATION).exists()
    assert Case.objects.filter(state=Case.State.WITHDRAWN).exists()
    assert Case.objects.filter(state=Case.State.TRANSFERRED).exists()
    assert Case.objects.filter(late_fee__gt=0).exists()
    assert Case.objects.filter(extensions__kind="payment_instalment").exists()
    assert Case.objects.filter(hearing_on__isnull=False, state=Case.State.ARCHIVED).exists()
    assert Case.objects.filter(origin__isnull=False).exists()  # opened from an inspection


def test_demo_steps_older_than_the_window_say_they_were_entered_late(loaded: Loaded) -> None:
    steps = Entry.objects.filter(action__startswith="case.").exclude(
        action__in=("case.export", "case.deadlines_recount")
    )
    late = [e for e in steps if "late_entry" in e.data]
    assert late and all(e.data["late_entry"]["reason"] == demo.LATE_REASON for e in late)
    for entry in steps:
        day = entry.data.get("on") or entry.data["at"][:10]
        old = (TODAY - date.fromisoformat(day)).days > 3
        assert ("late_entry" in entry.data) == old, (entry.action, day)


def test_the_record_of_the_demo_verifies_with_no_problem(loaded: Loaded) -> None:
    report = log_verify(workers=1)
    assert report.ok, [p.message for p in report.problems]
    assert report.entries == Entry.objects.count()
    # Every case was opened through a service that recorded it.
    opened = Entry.objects.filter(action__in=("case.open", "case.simple_decide"))
    assert opened.values("case_id").distinct().count() == Case.objects.count()


def test_a_second_run_adds_nothing(loaded: Loaded) -> None:
    before = (
        Case.objects.count(),
        Entry.objects.count(),
        EvidenceFile.objects.count(),
        Account.objects.count(),
    )
    assert loaded.result.already
    again = demo.demo_cases_load(today=TODAY, sample=True)
    assert again.already
    output = StringIO()
    call_command("demo", "--cases", "full", stdout=output)
    assert "示范案件已加载，未做改动" in output.getvalue()
    after = (
        Case.objects.count(),
        Entry.objects.count(),
        EvidenceFile.objects.count(),
        Account.objects.count(),
    )
    assert after == before


def test_parties_have_valid_identifiers_phones_and_addresses_in_the_demo_city(
    loaded: Loaded,
) -> None:
    # The parties of governed enterprise inspections are copied from the directory
    # (检查对象名录库), which keeps no phone: the inspections app's own tests check them.
    parties = list(Party.objects.filter(case__inspection__isnull=True))
    assert {p.kind for p in parties} == set(Party.Kind.values)
    for p in parties:
        if p.kind == Party.Kind.NATURAL_PERSON:
            assert is_valid_resident_id(p.id_number), p.id_number
            assert 2 <= len(p.name) <= 4
        else:
            assert is_valid_credit_code(p.credit_code), p.credit_code
            assert p.legal_representative
        assert is_valid_mobile(p.phone) or is_valid_landline(p.phone), p.phone
        assert p.address.startswith(city.CITY_NAME)


def test_no_demo_date_is_after_today_and_no_deadline_is_provisional(
    loaded: Loaded,
) -> None:
    assert not CaseStep.objects.filter(on__gt=TODAY).exists()
    assert not Case.objects.filter(
        Q(clue_on__gt=TODAY) | Q(decided_on__gt=TODAY) | Q(closed_on__gt=TODAY)
    ).exists()
    assert not Case.objects.filter(deadlines_provisional=True).exists()
    assert not Case.objects.filter(decision_deadline__year__gt=2026).exists()
    assert not Case.objects.filter(clue_on__lt=date(2026, 1, 1)).exists()


def test_seizures_carry_a_video_and_the_overdue_list_has_content(
    loaded: Loaded,
) -> None:
    for step in CaseStep.objects.filter(kind=CaseStep.Kind.SEIZURE_RECORD):
        assert "video/mp4" in {e["media_type"] for e in step.evidence}
    supervisor = Account.objects.get(username="supervisor")
    # The review demo loads after the cases and adds its own: count the cases loader's only.
    overdue = cases_overdue(supervisor, TODAY).filter(review_rounds__isnull=True).count()
    assert overdue >= 8
    # Loaders after the cases' add documents of their own (the review demo its opinions, the
    # filings demo the decisions it files): count those written before the supervision demo.
    later = Entry.objects.filter(action__startswith="supervision.").order_by("seq").first()
    ours = CaseDocument.objects.exclude(kind=CaseDocument.Kind.REVIEW_OPINION)
    if later is not None:
        ours = ours.filter(entry_seq__lt=later.seq)
    documents = ours.count()
    assert documents >= 1
    assert f"执法文书{documents}份，逾期{overdue}件" in loaded.output


def test_case_accounts_log_in_see_their_agency_cases_and_officers_may_act(
    loaded: Loaded,
) -> None:
    docs = DOCS.read_text(encoding="utf-8")
    for spec in demo.CASE_ACCOUNTS:
        assert f"`{spec.username}`" in docs and f"`{spec.password}`" in docs, spec.username
        account = authenticate(
            RequestFactory().post("/login/"), username=spec.username, password=spec.password
        )
        assert isinstance(account, Account)
        assert cases_visible_to(account).exists(), spec.username
        if account.role == Account.Role.OFFICER:
            assert account.officer is not None
            case = cases_visible_to(account).select_related("domain").first()
            assert case is not None
            assert officer_may_act(account.officer, case.domain, TODAY).allowed
    supervisor = Account.objects.get(username="supervisor")
    assert cases_visible_to(supervisor).count() == Case.objects.count()


def test_command_prints_the_case_summary_and_province_scale_gets_no_cases(
    loaded: Loaded,
) -> None:
    # The review demo adds cases of its own, the publicity demo one minor's case, the
    # licensing demo its applications (行政许可) and the inspections demo its governed
    # inspections (涉企行政检查).
    demo_cases = (
        Case.objects.filter(review_rounds__isnull=True, inspection__isnull=True)
        .exclude(title=MINOR_TITLE)
        .exclude(kind=Case.Kind.LICENSING)
        .count()
    )
    assert f"已加载示范案件{demo_cases}件" in loaded.output
    assert "首违不罚：" in loaded.output and "zhifa-head-urban" in loaded.output
    cases = Case.objects.count()
    out = StringIO()
    call_command(
        "demo", "--scale", "province", "--scale-factor", "0.001", "--no-progress", stdout=out
    )
    assert Case.objects.count() == cases
    assert "示范案件" not in out.getvalue()
