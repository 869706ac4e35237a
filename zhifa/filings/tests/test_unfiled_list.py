"""The list of major decisions not filed at a region's scale: the major test runs in SQL exactly
as the rule's Python test decides, the list is paged the most urgent first with exact counts,
the agency filter is a search among the bodies the account sees, and the early warning reads
the same query."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client, override_settings

from zhifa.alerts.rules import RuleSetting
from zhifa.alerts.tests import world
from zhifa.cases.models import Case
from zhifa.core.testing import Personas
from zhifa.filings.alert_rule import collect
from zhifa.filings.selectors import (
    _major,
    case_major_reasons,
    decisions_unfiled,
    filing_due,
    major_penalty_rows,
    unfiled_page,
)
from zhifa.registry import services as registry
from zhifa.registry.models import Account, Agency

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 6, 30)
FIRST = date(2026, 5, 1)
SETTING = RuleSetting(enabled=True, threshold=Decimal(1), period=0, source="测试")


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 6, 30, 10, tzinfo=SH), tick=False):
        yield


def major(personas: Personas, agency: Agency, decided_on: date, serial: int) -> Case:
    """A fine of 20,000 元 on a natural person: major by the default test."""
    case = world.case(
        personas,
        agency,
        state=Case.State.DECIDED,
        decided_on=decided_on,
        fine=Decimal(20_000),
        penalty_kinds=["fine"],
    )
    world.party(case, organisation=False, serial=serial)
    return case


def client_for(account: Account) -> Client:
    client = Client()
    client.force_login(account)
    return client


def numbers(html: str) -> list[str]:
    table = html.split('id="unfiled-table"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"测罚〔2026〕\d+号", table)


# -- the query is the test ---

PARTIES = ((), (False,), (True,), (False, True))
FINES = (None, "9999.99", "10000", "99999.99", "100000")
KINDS = (["fine"], ["warning"], ["fine", "licence_revocation"], ["order_to_close"], [])
TAKEN = ((None, None), ("5000", "5000"), ("100000", None), (None, "9999.99"))
PROVINCE = [
    {"test": "fine_organisation", "amount": "50000", "source": "某省规定第三条"},
    {"test": "confiscation_person", "amount": "5000", "source": "某省规定第三条"},
    {"test": "penalty_kind", "penalty_kind": "licence_suspension", "source": "某省规定第四条"},
]


def _grid(personas: Personas) -> list[Case]:
    out = []
    serial = itertools.count(100)
    for parties, fine, kinds, (gains, goods) in itertools.product(PARTIES, FINES, KINDS, TAKEN):
        case = world.case(
            personas,
            personas.agency_a,
            state=Case.State.DECIDED,
            decided_on=date(2026, 6, 1),
            fine=None if fine is None else Decimal(fine),
            penalty_kinds=kinds,
            confiscation=None if gains is None else Decimal(gains),
            confiscated_property_value=None if goods is None else Decimal(goods),
        )
        for organisation in parties:
            world.party(case, organisation=organisation, serial=next(serial))
        out.append(case)
    return out


@pytest.mark.parametrize("table", [None, PROVINCE], ids=["default", "province"])
def test_the_query_finds_exactly_the_decisions_the_test_finds_major(
    personas: Personas, table: Any
) -> None:
    with override_settings(ZHIFA_MAJOR_PENALTY_TEST=table):
        cases = _grid(personas)
        expected = {c.pk for c in cases if case_major_reasons(Case.objects.get(pk=c.pk))}
        found = set(_major(Case.objects.all(), major_penalty_rows()).values_list("pk", flat=True))
    assert expected  # the grid holds major decisions and others
    assert len(expected) < len(cases)
    assert found == expected


# -- the paged list ---


@pytest.fixture
def decisions(personas: Personas) -> list[Case]:
    """55 major decisions, one a day from 1 May to 24 June (created out of order), alternately of
    A and B. Beside them: one below the threshold, one not decided."""
    days = list(range(55))
    order = days[1::2] + days[0::2]  # ids not in the order of the days
    made = {}
    for i in order:
        agency = personas.agency_a if i % 2 == 0 else personas.agency_b
        made[i] = major(personas, agency, FIRST + timedelta(days=i), serial=200 + i)
    small = world.fined(personas, personas.agency_a, FIRST)  # 5,000 元
    world.party(small, organisation=False, serial=300)
    open_case = world.case(personas, personas.agency_a, fine=Decimal(50_000))
    world.party(open_case, organisation=False, serial=301)
    return [made[i] for i in days]


def overdue_on(day: date, cases: list[Case]) -> int:
    return sum(1 for c in cases if filing_due(c) < day)


def test_the_list_is_paged_most_urgent_first_with_exact_counts(
    personas: Personas, decisions: list[Case]
) -> None:
    overdue = overdue_on(TODAY, decisions)
    assert 30 < overdue < 55
    client = client_for(personas.supervisor)
    html = client.get("/filings/").content.decode()
    assert f"共55件，其中逾期{overdue}件" in html
    assert f"逾期{overdue}件" in html.split('id="unfiled"', 1)[1].split("</h2>", 1)[0]
    assert numbers(html) == [c.number for c in decisions[:50]]
    assert "第 1 / 2 页" in html
    assert '?upage=2#unfiled"' in html
    second = client.get("/filings/?upage=2").content.decode()
    assert numbers(second) == [c.number for c in decisions[50:]]
    assert f"共55件，其中逾期{overdue}件" in second
    # A page past the end shows the last one.
    assert numbers(client.get("/filings/?upage=9").content.decode()) == numbers(second)


def test_a_page_reads_the_same_decisions_as_the_whole_list(
    personas: Personas, decisions: list[Case]
) -> None:
    whole = decisions_unfiled(personas.supervisor, TODAY)
    first = unfiled_page(personas.supervisor, TODAY, per_page=20)
    rest = [unfiled_page(personas.supervisor, TODAY, number=n, per_page=20) for n in (2, 3)]
    paged = first.items + [u for p in rest for u in p.items]
    assert [(u.case.pk, u.due_on, u.remaining, u.reasons) for u in paged] == [
        (u.case.pk, u.due_on, u.remaining, u.reasons) for u in whole
    ]
    overdue = overdue_on(TODAY, decisions)
    assert (first.total, first.overdue, first.num_pages) == (55, overdue, 3)
    assert sum(1 for u in whole if u.overdue) == overdue


@pytest.mark.parametrize("offset", [-1, 0, 1], ids=["day-before", "day-of", "day-after"])
def test_the_overdue_count_follows_the_filing_deadline_at_its_boundary(
    personas: Personas, decisions: list[Case], offset: int
) -> None:
    """The decision of 10 June is overdue from the day after its deadline (the deadline day
    itself is not late), in the count and in the list."""
    case = decisions[40]
    day = filing_due(case) + timedelta(days=offset)
    page = unfiled_page(personas.supervisor, day)
    assert page.overdue == overdue_on(day, decisions)
    whole = {u.case.pk: u.overdue for u in decisions_unfiled(personas.supervisor, day)}
    assert page.overdue == sum(whole.values())
    assert whole[case.pk] is (offset == 1)


def test_the_agency_head_and_officer_see_their_own_decisions_in_full(
    personas: Personas, decisions: list[Case]
) -> None:
    mine = [c.number for c in decisions if c.agency_id == personas.agency_a.pk]
    assert [u.case.number for u in decisions_unfiled(personas.head, TODAY)] == mine
    html = client_for(personas.head).get("/filings/").content.decode()
    assert numbers(html) == mine
    assert f"共28件，其中逾期{overdue_on(TODAY, decisions[0::2])}件" in html


# -- the agency filter ---


def test_the_agency_is_found_by_name_among_the_visible_bodies(
    personas: Personas, decisions: list[Case]
) -> None:
    registry.agency_status_change(
        actor=personas.admin, agency=personas.agency_b, to_status=Agency.Status.SUSPENDED
    )
    client = client_for(personas.supervisor)
    html = client.get("/filings/?agency_q=乙&find=1").content.decode()
    select = html.split('name="agency"', 1)[1].split("</select>", 1)[0]
    assert personas.agency_b.name in select  # suspended, its decisions still wait
    assert personas.agency_a.name not in select
    # The to-do's link: one agency's unfiled decisions, its body chosen in the filter.
    html = client.get(f"/filings/?agency={personas.agency_b.pk}").content.decode()
    assert numbers(html) == [c.number for c in decisions if c.agency_id == personas.agency_b.pk]
    assert f"共27件，其中逾期{overdue_on(TODAY, decisions[1::2])}件" in html
    assert f'<option value="{personas.agency_b.pk}" selected>' in html
    api = client.get("/api/v1/filings/agencies", {"q": "乙"}).json()
    assert api == {
        "results": [{"id": personas.agency_b.pk, "name": personas.agency_b.name}],
        "more": False,
    }


def test_a_body_the_account_does_not_see_is_neither_found_nor_filtered(
    personas: Personas, decisions: list[Case]
) -> None:
    client = client_for(personas.head)  # agency A's head sees A only
    html = client.get("/filings/?agency_q=乙").content.decode()
    select = html.split('name="agency"', 1)[1].split("</select>", 1)[0]
    assert personas.agency_b.name not in select
    assert client.get("/api/v1/filings/agencies", {"q": "乙"}).json()["results"] == []
    html = client.get(f"/filings/?agency={personas.agency_b.pk}").content.decode()
    assert all(n not in html for n in (c.number for c in decisions[1::2]))


# -- the early warning reads the same query ---


@pytest.mark.parametrize("day", [date(2026, 6, 29), date(2026, 6, 30), date(2026, 7, 1)], ids=str)
def test_the_warning_fires_on_exactly_the_overdue_decisions_of_the_list(
    personas: Personas, decisions: list[Case], day: date
) -> None:
    found = {f.subject: f.measure for f in collect(SETTING, day)}
    listed = {
        f"case:{u.case.pk}": Decimal(-u.remaining)
        for u in decisions_unfiled(personas.admin, day)
        if u.overdue
    }
    assert found == listed
