"""Each early-warning rule fires exactly at its threshold: one below, at, one above — with the
default setting and with a deployment's own (``ZHIFA_ALERT_RULES``)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.test import override_settings

from zhifa.alerts import facts
from zhifa.alerts.rules import RuleSettingError, rule_named, rule_setting
from zhifa.alerts.rules.training_short import years_checked
from zhifa.cases.models import Case, Extension
from zhifa.core.testing import Personas
from zhifa.registry.models import Agency, Certificate, CertificateStatusChange, TrainingRecord
from zhifa.review.models import Assessment, Submission

from . import world

pytestmark = pytest.mark.django_db


def firing(code: str, today: date) -> dict[str, object]:
    rule = rule_named(code)
    assert rule is not None
    return {f.subject: f for f in rule.collect(rule_setting(rule), today)}


def rules(code: str, **fields: object) -> dict[str, dict[str, object]]:
    return {code: {**fields, "source": "《某省行政执法监督办法》第九条"}}


# -- 第六十条 -------------------------------------------------------------------------------


def test_decision_overdue_fires_the_day_after_the_deadline(personas: Personas) -> None:
    deadline = date(2026, 4, 30)
    c = world.case(personas, decision_deadline=deadline, registered_on=date(2026, 1, 30))
    assert firing("decision_overdue", deadline) == {}  # 0 days past: threshold 1 not reached
    found = firing("decision_overdue", deadline + timedelta(days=1))
    assert list(found) == [f"case:{c.pk}"]
    assert "超过办案期限1日" in found[f"case:{c.pk}"].title  # type: ignore[attr-defined]
    assert f"case:{c.pk}" in firing("decision_overdue", deadline + timedelta(days=2))


def test_decision_overdue_with_a_province_threshold(personas: Personas) -> None:
    deadline = date(2026, 4, 30)
    c = world.case(personas, decision_deadline=deadline)
    with override_settings(ZHIFA_ALERT_RULES=rules("decision_overdue", threshold=3)):
        assert firing("decision_overdue", deadline + timedelta(days=2)) == {}
        assert f"case:{c.pk}" in firing("decision_overdue", deadline + timedelta(days=3))
        assert f"case:{c.pk}" in firing("decision_overdue", deadline + timedelta(days=4))


def test_decision_overdue_reads_the_extended_deadline_and_ignores_decided_cases(
    personas: Personas,
) -> None:
    extended = world.case(personas, decision_deadline=date(2026, 5, 30))
    Extension.objects.create(
        case=extended,
        kind=Extension.Kind.DECISION,
        approved_by=personas.head,
        approved_on=date(2026, 4, 25),
        reason="案情复杂",
        previous_deadline=date(2026, 4, 30),
        new_deadline=date(2026, 5, 30),
    )
    world.case(personas, state=Case.State.DECIDED, decision_deadline=date(2026, 4, 1))
    assert firing("decision_overdue", date(2026, 5, 30)) == {}
    found = firing("decision_overdue", date(2026, 5, 31))
    assert list(found) == [f"case:{extended.pk}"]
    assert "已批准延长至2026-05-30" in found[f"case:{extended.pk}"].facts[0].note  # type: ignore[attr-defined]


# -- publication ------------------------------------------------------------------------------


def test_publication_late_counts_the_agencys_late_and_missing_decisions(personas: Personas) -> None:
    today = date(2026, 6, 1)
    due = date(2026, 5, 12)
    with override_settings(ZHIFA_ALERT_RULES=rules("publication_late", threshold=2)):
        a = world.case(personas, state=Case.State.DECIDED, decided_on=date(2026, 5, 1))
        world.publication(a, due_on=due, published_on=date(2026, 5, 13))  # late
        world.publication(
            world.case(personas, state=Case.State.DECIDED, decided_on=date(2026, 5, 1)),
            due_on=due,
            published_on=due,  # on its due day: on time
        )
        assert firing("publication_late", today) == {}  # 1 late: below 2
        world.publication(
            world.case(personas, state=Case.State.DECIDED, decided_on=date(2026, 5, 1)),
            due_on=due,
            published_on=None,  # never published
        )
        found = firing("publication_late", today)
        subject = f"agency:{personas.agency_a.pk}"
        assert list(found) == [subject]
        assert found[subject].measure == 2  # type: ignore[attr-defined]
        world.publication(
            world.case(personas, state=Case.State.DECIDED, decided_on=date(2026, 5, 1)),
            due_on=due,
            published_on=None,
        )
        assert firing("publication_late", today)[subject].measure == 3  # type: ignore[attr-defined]


def test_an_unpublished_draft_is_late_from_the_day_after_its_due_day(personas: Personas) -> None:
    c = world.case(personas, state=Case.State.DECIDED, decided_on=date(2026, 5, 1))
    world.publication(c, due_on=date(2026, 5, 12), published_on=None)
    assert firing("publication_late", date(2026, 5, 12)) == {}
    assert len(firing("publication_late", date(2026, 5, 13))) == 1


# -- 第五十八条 -------------------------------------------------------------------------------


def _major(c: Case) -> None:
    Assessment.objects.create(
        case=c, on=date(2026, 4, 1), trigger="submitted", major=True, entry_seq=0
    )


def _review(c: Case, concluded_on: date) -> None:
    Submission.objects.create(
        case=c,
        round=1,
        state=Submission.State.CONCLUDED,
        submitted_by=c.created_by,
        submitted_on=date(2026, 4, 2),
        entry_seq=0,
        digest="0" * 64,
        tree_size=1,
        tree_root="0" * 64,
        time_limit_workdays=5,
        due_on=date(2026, 4, 9),
        calendar_version="test",
        outcome="agree",
        outcome_label="同意",
        concluded_on=concluded_on,
    )


def test_review_missing_fires_for_a_major_decision_reviewed_after_or_never(
    personas: Personas,
) -> None:
    decided = date(2026, 4, 20)
    never = world.case(personas, state=Case.State.DECIDED, decided_on=decided)
    _major(never)
    same_day = world.case(personas, state=Case.State.DECIDED, decided_on=decided)
    _major(same_day)
    _review(same_day, decided)
    day_after = world.case(personas, state=Case.State.DECIDED, decided_on=decided)
    _major(day_after)
    _review(day_after, decided + timedelta(days=1))
    not_major = world.case(personas, state=Case.State.DECIDED, decided_on=decided)
    Assessment.objects.create(
        case=not_major, on=decided, trigger="submitted", major=True, entry_seq=0
    )
    Assessment.objects.create(
        case=not_major, on=decided, trigger="notified", major=False, entry_seq=1
    )
    assert set(firing("review_missing", date(2026, 5, 1))) == {
        f"case:{never.pk}",
        f"case:{day_after.pk}",
    }


def test_review_missing_looks_back_its_period(personas: Personas) -> None:
    c = world.case(personas, state=Case.State.DECIDED, decided_on=date(2026, 1, 1))
    _major(c)
    assert firing("review_missing", date(2026, 1, 1) + timedelta(days=365))
    assert not firing("review_missing", date(2026, 1, 1) + timedelta(days=366))


# -- 第四十二条 -------------------------------------------------------------------------------


def test_certificate_invalid_from_the_day_after_expiry(personas: Personas) -> None:
    expired = personas.expired_officer.officer  # certificate valid to 2026-06-30
    c = world.case(personas)
    world.step(c, date(2026, 6, 30), expired, personas.officer.officer)
    assert firing("certificate_invalid", date(2026, 7, 10)) == {}  # the expiry day is valid
    world.step(c, date(2026, 7, 1), expired, personas.officer.officer)
    found = firing("certificate_invalid", date(2026, 7, 10))
    assert list(found) == [f"officer:{expired.pk}"]  # type: ignore[union-attr]


def test_certificate_invalid_threshold_and_status_history(personas: Personas) -> None:
    officer = personas.officer.officer
    assert officer is not None
    cert = Certificate.objects.get(officer=officer)
    # Withheld from 3 March, given back from 10 March (effective days, as the registry records).
    for status, on in (("suspended", date(2026, 3, 3)), ("valid", date(2026, 3, 10))):
        CertificateStatusChange.objects.create(
            certificate=cert, from_status="valid", to_status=status, reason="测试", effective_on=on
        )
    c = world.case(personas)
    world.step(c, date(2026, 3, 2), officer)
    world.step(c, date(2026, 3, 10), officer)
    world.step(c, date(2026, 3, 3), officer)
    today = date(2026, 4, 1)
    with override_settings(ZHIFA_ALERT_RULES=rules("certificate_invalid", threshold=2)):
        assert firing("certificate_invalid", today) == {}  # one step on 3 March
        world.step(c, date(2026, 3, 9), officer)
        assert firing("certificate_invalid", today)[f"officer:{officer.pk}"].measure == 2  # type: ignore[attr-defined]
        world.step(c, date(2026, 3, 5), officer)
        assert firing("certificate_invalid", today)[f"officer:{officer.pk}"].measure == 3  # type: ignore[attr-defined]


def test_certificate_intervals_and_gaps_are_pure() -> None:
    valid = facts.certificate_valid_intervals(
        issued_on=date(2026, 1, 1),
        expires_on=date(2026, 12, 31),
        history=[
            (date(2025, 12, 1), "applied"),
            (date(2026, 1, 1), "valid"),
            (date(2026, 3, 3), "suspended"),
            (date(2026, 3, 10), "valid"),
        ],
        status="valid",
        until=date(2026, 6, 30),
    )
    assert valid == [(date(2026, 1, 1), date(2026, 3, 2)), (date(2026, 3, 10), date(2026, 6, 30))]
    assert facts.gaps(valid, date(2026, 2, 1), date(2026, 6, 30)) == [
        (date(2026, 3, 3), date(2026, 3, 9))
    ]


# -- 零执法 -----------------------------------------------------------------------------------


def test_agency_inactive_counts_the_last_quarters_penalty_cases(personas: Personas) -> None:
    world.power_item(personas.agency_a, personas)
    today = date(2026, 7, 15)  # the last complete quarter: April to June
    subject = f"agency:{personas.agency_a.pk}"
    world.case(personas, clue_on=date(2026, 3, 31))  # the quarter before: not counted
    world.case(personas, clue_on=date(2026, 7, 1))  # this quarter: not counted
    world.case(personas, kind=Case.Kind.INSPECTION, clue_on=date(2026, 5, 1))  # not a penalty
    assert subject in firing("agency_inactive", today)  # 0 cases, threshold 0
    assert f"agency:{personas.agency_b.pk}" not in firing("agency_inactive", today)  # no power
    with override_settings(ZHIFA_ALERT_RULES=rules("agency_inactive", threshold=2)):
        world.case(personas, clue_on=date(2026, 4, 1))
        assert firing("agency_inactive", today)[subject].measure == 1  # type: ignore[attr-defined]
        world.case(personas, clue_on=date(2026, 6, 30))
        assert firing("agency_inactive", today)[subject].measure == 2  # type: ignore[attr-defined]
        world.case(personas, clue_on=date(2026, 5, 15))
        assert subject not in firing("agency_inactive", today)  # 3 > 2
    assert subject not in firing("agency_inactive", today)  # default 0: 3 cases


def test_previous_quarter() -> None:
    assert facts.previous_quarter(date(2026, 1, 1))[:2] == (date(2025, 10, 1), date(2025, 12, 31))
    assert facts.previous_quarter(date(2026, 3, 31))[:2] == (date(2025, 10, 1), date(2025, 12, 31))
    assert facts.previous_quarter(date(2026, 4, 1)) == (
        date(2026, 1, 1),
        date(2026, 3, 31),
        "2026年第1季度",
    )
    assert facts.previous_quarter(date(2026, 12, 31))[:2] == (date(2026, 7, 1), date(2026, 9, 30))


# -- 第二十九条 -------------------------------------------------------------------------------


def test_repeated_fines_by_different_agencies(personas: Personas) -> None:
    today = date(2026, 6, 1)
    agency_c = Agency.objects.create(
        name="示范市丙县市场监管局",
        credit_code="11130304MB0000001X"[:18],
        level="county",
        division_code="130304",
        kind="statutory",
    )
    world.party(world.fined(personas, personas.agency_a, date(2026, 3, 1)))
    world.party(world.fined(personas, personas.agency_a, date(2026, 4, 1)))  # same agency again
    assert firing("repeated_fines", today) == {}  # one agency: below 2
    world.party(world.fined(personas, personas.agency_b, date(2026, 5, 1)))
    found = firing("repeated_fines", today)
    assert len(found) == 1
    finding = next(iter(found.values()))
    assert finding.measure == 2  # type: ignore[attr-defined]
    assert "91" not in finding.subject  # type: ignore[attr-defined] # the code is hashed
    with override_settings(ZHIFA_ALERT_RULES=rules("repeated_fines", threshold=3)):
        assert firing("repeated_fines", today) == {}
        world.party(world.fined(personas, agency_c, date(2026, 5, 20)))
        assert next(iter(firing("repeated_fines", today).values())).measure == 3  # type: ignore[attr-defined]


def test_repeated_fines_other_facts_other_party_or_outside_the_period(personas: Personas) -> None:
    world.party(world.fined(personas, personas.agency_a, date(2025, 6, 1)))
    world.party(world.fined(personas, personas.agency_b, date(2026, 6, 1), title="无照经营"))
    world.party(world.fined(personas, personas.agency_b, date(2026, 6, 1)), serial=8)
    assert firing("repeated_fines", date(2026, 6, 1)) == {}
    world.party(world.fined(personas, personas.agency_b, date(2026, 5, 31)), organisation=False)
    world.party(world.fined(personas, personas.agency_a, date(2025, 5, 31)), organisation=False)
    assert firing("repeated_fines", date(2026, 5, 31)) != {}  # 365 days apart: within
    assert firing("repeated_fines", date(2026, 6, 1)) == {}  # the first now 366 days back


def test_a_natural_person_is_named_by_surname_only(personas: Personas) -> None:
    world.party(world.fined(personas, personas.agency_a, date(2026, 5, 1)), organisation=False)
    world.party(world.fined(personas, personas.agency_b, date(2026, 5, 2)), organisation=False)
    finding = next(iter(firing("repeated_fines", date(2026, 6, 1)).values()))
    assert "张某" in finding.title and "张三" not in finding.title  # type: ignore[attr-defined]


# -- training ---------------------------------------------------------------------------------


def _hours(personas: Personas, year: int, professional: str) -> None:
    officer = personas.officer.officer
    TrainingRecord.objects.filter(officer=officer, year=year, kind="professional").update(
        hours=Decimal(professional)
    )


def test_training_short_fires_at_any_shortfall_by_default(personas: Personas) -> None:
    today = date(2026, 1, 10)  # checks 2025
    subject = f"officer:{personas.officer.officer_id}:2025"
    assert subject not in firing("training_short", today)  # 30 + 30: met exactly
    _hours(personas, 2025, "29.9")
    assert firing("training_short", today)[subject].measure == Decimal("0.1")  # type: ignore[attr-defined]


def test_training_short_with_a_province_threshold(personas: Personas) -> None:
    today = date(2026, 1, 10)
    subject = f"officer:{personas.officer.officer_id}:2025"
    with override_settings(ZHIFA_ALERT_RULES=rules("training_short", threshold=5)):
        _hours(personas, 2025, "25.1")
        assert subject not in firing("training_short", today)  # 4.9 short
        _hours(personas, 2025, "25")
        assert subject in firing("training_short", today)
        _hours(personas, 2025, "24.9")
        assert subject in firing("training_short", today)


def test_training_current_year_checked_from_period_days_before_its_end() -> None:
    assert years_checked(date(2026, 11, 30), 31) == [2025]
    assert years_checked(date(2026, 12, 1), 31) == [2025, 2026]
    assert years_checked(date(2026, 12, 31), 0) == [2025]


# -- settings ---------------------------------------------------------------------------------


def test_a_changed_threshold_needs_its_source() -> None:
    rule = rule_named("decision_overdue")
    assert rule is not None
    changed = {"decision_overdue": {"threshold": 5}}
    with override_settings(ZHIFA_ALERT_RULES=changed), pytest.raises(RuleSettingError):
        rule_setting(rule)
    with override_settings(ZHIFA_ALERT_RULES={"decision_overdue": {"enabled": False}}):
        assert rule_setting(rule).enabled is False
        assert rule_setting(rule).source == rule.default.source
