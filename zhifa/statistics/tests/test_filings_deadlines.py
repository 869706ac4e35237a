"""The filing deadlines at their boundary (the deadline day is on time, the day after late), the
to-dos they put on the agency's list, and the supervisors' coverage of their region."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from zhifa.cases.tests.conftest import World
from zhifa.registry import services as registry
from zhifa.registry.models import Account
from zhifa.statistics import services_filings as svc
from zhifa.statistics.filing_rules import is_late
from zhifa.statistics.periods import period_of
from zhifa.statistics.selectors_filings import aggregate, coverage, due_on
from zhifa.statistics.todos_filings import agency_todos
from zhifa.todos.items import todos_for


@pytest.mark.parametrize(
    ("quarter", "due"),
    [
        (1, date(2026, 4, 15)),
        (2, date(2026, 7, 15)),
        (3, date(2026, 10, 15)),
        (4, date(2027, 1, 15)),
        (0, date(2027, 1, 31)),
    ],
)
def test_the_deadline_of_each_period(quarter: int, due: date) -> None:
    assert due_on(period_of(2026, quarter)) == due


@pytest.mark.parametrize(
    ("submitted_on", "today", "late"),
    [
        (date(2027, 1, 30), date(2027, 2, 5), False),  # the day before
        (date(2027, 1, 31), date(2027, 2, 5), False),  # the deadline day is on time
        (date(2027, 2, 1), date(2027, 2, 5), True),  # the day after is late
        (None, date(2027, 1, 31), False),
        (None, date(2027, 2, 1), True),
    ],
)
def test_the_annual_deadline_at_its_boundary(
    submitted_on: date | None, today: date, late: bool
) -> None:
    assert is_late(due_on=date(2027, 1, 31), submitted_on=submitted_on, today=today) is late


def test_a_deployment_sets_its_own_quarter_deadline(settings: object) -> None:
    settings.ZHIFA_STATISTICS_QUARTER_DUE_DAYS = 10  # type: ignore[attr-defined]
    assert due_on(period_of(2026, 1)) == date(2026, 4, 10)


@pytest.mark.django_db
def test_coverage_shows_who_filed_who_is_late_and_each_contribution(world: World) -> None:
    p = world.p
    world.decided(decided_on=date(2026, 4, 28))  # 2026 Q2 of agency A
    filing = svc.filing_generate(
        actor=p.head, agency=p.agency_a, year=2026, quarter=2, on=date(2026, 7, 15)
    )
    svc.filing_submit(actor=p.head, filing=filing, on=date(2026, 7, 15))
    q2 = period_of(2026, 2)

    on_deadline = {r.agency.pk: r for r in coverage("1303", q2, date(2026, 7, 15))}
    assert not on_deadline[p.agency_a.pk].late and on_deadline[p.agency_a.pk].frozen
    assert not on_deadline[p.agency_b.pk].late and not on_deadline[p.agency_b.pk].frozen
    day_after = {r.agency.pk: r for r in coverage("1303", q2, date(2026, 7, 16))}
    assert not day_after[p.agency_a.pk].late
    assert day_after[p.agency_b.pk].late and "已逾期1日" in day_after[p.agency_b.pk].status
    assert aggregate(list(day_after.values()))["penalty.total"]["count"] == 1


@pytest.mark.django_db
def test_the_agency_sees_its_filing_on_the_todo_list_until_submitted(
    world: World, settings: object
) -> None:
    p = world.p
    assert not [t for t in todos_for(p.head, date(2026, 3, 10)) if t.kind == "statistics"]
    settings.ZHIFA_STATISTICS_FILINGS_FROM = "2025-01-01"  # type: ignore[attr-defined]
    items = [t for t in todos_for(p.head, date(2026, 4, 10)) if t.kind == "statistics"]
    assert any("2026年第1季度" in t.what and t.due_on == date(2026, 4, 15) for t in items)
    assert any("2025年" in t.what and "季度" not in t.what for t in items)  # 2025 annual report
    filing = svc.filing_generate(
        actor=p.head, agency=p.agency_a, year=2026, quarter=1, on=date(2026, 4, 10)
    )
    svc.filing_submit(actor=p.head, filing=filing, on=date(2026, 4, 10))
    assert not [t for t in agency_todos(p.head, date(2026, 4, 10)) if "第1季度" in t.what]
    sup = [t for t in todos_for(p.supervisor, date(2026, 4, 10)) if t.kind == "statistics"]
    assert [t.what for t in sup] == [f"审查{filing}"]


@pytest.mark.django_db
def test_the_coverage_page_and_a_province_seeing_its_cities(world: World, client: Client) -> None:
    p = world.p
    client.force_login(p.supervisor)
    page = client.get("/statistics/filings/coverage/?year=2026&quarter=1")
    assert page.status_code == 200
    body = page.content.decode()
    assert p.agency_a.name in body and p.agency_b.name in body and "与上年同期比较" in body
    province = registry.account_create(
        actor=p.admin,
        username="province",
        password="x-Strong-Passw0rd!",
        role=Account.Role.SUPERVISOR,
        region_code="130000",
        display_name="省监督",
    )
    client.force_login(province)
    body = client.get("/statistics/filings/coverage/?year=2026&quarter=1").content.decode()
    assert "各市报送情况" in body and "region=1303" in body and p.agency_a.name in body
    client.force_login(p.head)
    assert client.get("/statistics/filings/coverage/").status_code == 404
