"""Provisional deadlines (counted into a year whose holidays were not yet published) are counted
again once the year is entered, and the change is on the record."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from zhifa.cases import services
from zhifa.cases.models import Case
from zhifa.core.models import CalendarOverride, CalendarYear
from zhifa.record.verification import log_verify

from .conftest import World, entries_of

pytestmark = pytest.mark.django_db


def publish_2027() -> None:
    """The 2027 notice as far as this test needs it: 元旦 on Friday 1 January is a holiday."""
    CalendarOverride.objects.create(date=date(2027, 1, 1), is_workday=False, note="元旦")
    CalendarYear.objects.create(year=2027, notice="国办发明电〔2026〕x号", declared_complete=True)


def notified_before_new_year(world: World) -> Case:
    # Notice on Monday 28 December 2026: five working days reach into 2027.
    return world.notified(date(2026, 12, 1), date(2026, 12, 28), fine=Decimal(20000))


def test_deadlines_reaching_an_unpublished_year_are_provisional_and_stay_so_until_it_is_entered(
    world: World,
) -> None:
    case = notified_before_new_year(world)
    assert case.deadlines_provisional
    # The weekday rule counts Friday 1 January as a working day: 29, 30, 31, 1, 4.
    assert case.statement_deadline == date(2027, 1, 4)
    before = len(entries_of(case))
    assert not services.case_deadlines_recount(case=case)
    assert len(entries_of(case)) == before


def test_once_2027_is_entered_the_deadlines_move_past_new_year_and_the_change_is_recorded(
    world: World,
) -> None:
    case = notified_before_new_year(world)
    old_version = case.calendar_version
    publish_2027()
    assert services.case_deadlines_recount(case=case)
    case.refresh_from_db()
    assert case.statement_deadline == date(2027, 1, 5)  # 29, 30, 31, 4, 5
    assert case.hearing_request_deadline == date(2027, 1, 5)
    assert not case.deadlines_provisional
    assert case.calendar_version != old_version
    entry = entries_of(case)[-1]
    assert entry.action == "case.deadlines_recount" and entry.actor_name == "系统"
    assert entry.data["before"]["statement_deadline"] == "2027-01-04"
    assert entry.data["case"]["statement_deadline"] == "2027-01-05"
    assert log_verify(check_files=False).ok  # the case rows still equal the replay
    assert not services.case_deadlines_recount(case=case)  # nothing provisional is left


def test_the_command_recounts_every_provisional_case_but_archived_ones(world: World) -> None:
    case = notified_before_new_year(world)
    publish_2027()
    out = StringIO()
    call_command("recount-deadlines", stdout=out)
    assert "暂定期限的案件1件，重新计算后变更1件，仍为暂定0件" in out.getvalue()
    assert not Case.objects.get(pk=case.pk).deadlines_provisional
