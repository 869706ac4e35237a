"""Who sees which case, the access gate, the overdue list and the countdowns."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from zhifa.cases import selectors, services
from zhifa.cases.access import CaseAction, access_case
from zhifa.cases.models import Case

from .conftest import PERSON, World

pytestmark = pytest.mark.django_db


def test_the_agency_sees_its_cases_and_another_agency_none(world: World) -> None:
    case = world.clue()
    assert list(selectors.cases_visible_to(world.p.officer)) == [case]
    assert list(selectors.cases_visible_to(world.p.reviewer)) == [case]
    assert not selectors.cases_visible_to(world.p.officer_b).exists()
    assert not selectors.cases_visible_to(world.p.anonymous).exists()  # type: ignore[arg-type]


def test_wrong_agency_and_missing_case_answer_the_same_404(world: World) -> None:
    case = world.clue()
    with pytest.raises(Http404):
        access_case(world.p.officer_b, case.pk)
    with pytest.raises(Http404):
        access_case(world.p.officer, case.pk + 1000)
    with pytest.raises(Http404):
        access_case(world.p.anonymous, case.pk)  # type: ignore[arg-type]


def test_the_supervisor_reads_the_regions_cases_but_cannot_act(world: World) -> None:
    case = world.clue()
    assert access_case(world.p.supervisor, case.pk) == case
    for action in (CaseAction.HANDLE, CaseAction.APPROVE):
        with pytest.raises(PermissionDenied, match="只能查看"):
            access_case(world.p.supervisor, case.pk, action)


def test_officers_handle_and_only_the_head_approves(world: World) -> None:
    case = world.clue()
    assert access_case(world.p.officer, case.pk, CaseAction.HANDLE) == case
    with pytest.raises(PermissionDenied):
        access_case(world.p.officer, case.pk, CaseAction.APPROVE)
    with pytest.raises(PermissionDenied):
        access_case(world.p.reviewer, case.pk, CaseAction.HANDLE)
    assert access_case(world.p.head, case.pk, CaseAction.APPROVE) == case


def test_an_archived_case_is_read_only_at_the_gate(world: World) -> None:
    case = services.case_not_register(
        actor=world.p.head, case=world.clue(), on=date(2026, 3, 3), reason="不属于本机关管辖"
    )
    case = services.case_archive(actor=world.p.head, case=case, on=date(2026, 3, 4))
    assert access_case(world.p.officer, case.pk) == case
    with pytest.raises(PermissionDenied, match="已归档"):
        access_case(world.p.officer, case.pk, CaseAction.HANDLE)


def test_the_overdue_list_shows_a_decision_past_its_limit(world: World) -> None:
    case = world.registered(date(2026, 3, 4))
    assert not selectors.cases_overdue(world.p.officer, date(2026, 6, 2)).exists()
    assert list(selectors.cases_overdue(world.p.officer, date(2026, 6, 3))) == [case]
    assert list(selectors.cases_overdue(world.p.supervisor, date(2026, 6, 3))) == [case]
    assert not selectors.cases_overdue(world.p.officer_b, date(2026, 6, 3)).exists()


def test_the_overdue_list_shows_late_service_and_a_closed_hearing_window(world: World) -> None:
    decided = world.decided()  # 2026-04-28, service due 2026-05-11
    notified = world.notified(date(2026, 3, 4), date(2026, 4, 1))  # window ends 2026-04-09
    assert set(selectors.cases_overdue(world.p.officer, date(2026, 4, 10))) == {notified}
    assert set(selectors.cases_overdue(world.p.officer, date(2026, 5, 12))) == {decided, notified}


def test_the_overdue_list_shows_unpaid_fines(world: World) -> None:
    case = services.case_serve(
        actor=world.p.officer, case=world.decided(), on=date(2026, 5, 8), method="direct"
    )
    assert not selectors.cases_overdue(world.p.officer, date(2026, 5, 25)).exists()
    assert list(selectors.cases_overdue(world.p.officer, date(2026, 5, 26))) == [case]
    services.case_payment_record(
        actor=world.p.officer, case=case, on=date(2026, 5, 26), amount=Decimal(20000)
    )
    assert not selectors.cases_overdue(world.p.officer, date(2026, 5, 27)).exists()


def test_countdowns_state_unit_and_article(world: World) -> None:
    case = world.notified(date(2026, 3, 4), date(2026, 4, 1))
    countdowns = {c.name: c for c in selectors.case_deadlines(case, date(2026, 4, 2))}
    decision = countdowns["作出处罚决定"]
    assert (decision.due_on, decision.remaining, decision.unit) == (date(2026, 6, 2), 61, "日")
    assert decision.article == "《行政处罚法》第六十条"
    hearing = countdowns["要求听证"]
    # 4-03, 4-07, 4-08, 4-09 remain (清明 4-04 to 4-06 are not counted)
    assert (hearing.remaining, hearing.unit) == (4, "工作日")
    assert "第六十四条" in hearing.article
    late = selectors.case_deadlines(case, date(2026, 4, 13))
    assert str(next(c for c in late if c.name == "要求听证")).startswith("要求听证已逾期2工作日")


def test_next_services_come_from_the_table(world: World) -> None:
    names = [name for name, _ in selectors.case_next_services(world.clue())]
    assert "case_register" in names and "case_decide" not in names


def test_an_unfiled_on_the_spot_decision_is_overdue_after_the_filing_period(world: World) -> None:
    case = services.case_simple_decide(
        actor=world.p.officer,
        power_code="330217",
        title="占道经营",
        on=date(2026, 6, 10),
        party=PERSON,
        penalty_kind="warning",
        officers=[world.o1, world.o2],
        place="幸福路菜市场门前",
    )
    case = services.case_serve(
        actor=world.p.officer, case=case, on=date(2026, 6, 10), method="on_the_spot"
    )
    assert not selectors.cases_overdue(world.p.officer, date(2026, 6, 22)).exists()
    assert list(selectors.cases_overdue(world.p.officer, date(2026, 6, 23))) == [case]
    assert Case.objects.get(pk=case.pk).filing_deadline == date(2026, 6, 22)
