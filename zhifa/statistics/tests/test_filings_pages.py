"""The filing pages: the agency generates and reviews its filing (each figure a link to its
cases), the supervisor reviews it, and nobody else sees it; the JSON for upper-level platforms;
the narrative draft and the special-note prompt as pure rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from zhifa.cases.tests.conftest import World
from zhifa.statistics import catalogue, narrative, special_notes
from zhifa.statistics.models import Filing

LOCAL = "2027-01-10 10:00 +0800"


def _generate(client: Client, world: World) -> Filing:
    with time_machine.travel(LOCAL, tick=False):
        client.force_login(world.p.head)
        r = client.post("/statistics/filings/generate/", {"year": 2026, "quarter": 0})
    assert r.status_code == 302
    return Filing.objects.get()


@pytest.mark.django_db
def test_the_agency_generates_and_opens_a_figure_s_cases(world: World, client: Client) -> None:
    case = world.decided()
    filing = _generate(client, world)
    page = client.get(f"/statistics/filings/{filing.pk}/").content.decode()
    assert "行政处罚实施情况统计表" in page and "行政执法人员持证情况统计表" in page
    assert f"/statistics/filings/{filing.pk}/cases/penalty.total/" in page
    assert "专项说明" in page and "年报必填" in page  # inspection and coercion held, empty
    cases = client.get(f"/statistics/filings/{filing.pk}/cases/penalty.total/")
    assert cases.status_code == 200 and f"/cases/{case.pk}/" in cases.content.decode()
    assert client.get(f"/statistics/filings/{filing.pk}/cases/nonsense/").status_code == 404

    r = client.post(f"/statistics/filings/{filing.pk}/narrative/", {"narrative": "全年情况。"})
    assert r.status_code == 302
    refused = client.post(f"/statistics/filings/{filing.pk}/submit/")
    assert refused.status_code == 409 and "第十七条" in refused.content.decode()


@pytest.mark.django_db
def test_nobody_else_sees_a_filing(world: World, client: Client) -> None:
    filing = _generate(client, world)
    url = f"/statistics/filings/{filing.pk}/"
    client.logout()
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert client.get(url + "json/").status_code == 302
    client.force_login(world.p.officer_b)  # another agency
    assert client.get(url).status_code == 404
    assert client.get(url + "cases/penalty.total/").status_code == 404
    assert client.post(url + "submit/").status_code == 404
    client.force_login(world.p.officer)  # the agency's officer reads, may not submit
    assert client.get(url).status_code == 200
    r = client.post(url + "submit/")
    assert r.status_code == 409 and "负责人或公示管理员" in r.content.decode()
    client.force_login(world.p.supervisor)
    page = client.get(url).content.decode()
    assert "return-filing" not in page  # a draft is not for review yet
    r = client.post(url + "accept/")
    assert r.status_code == 409


@pytest.mark.django_db
def test_the_json_for_upper_level_platforms(world: World, client: Client) -> None:
    case = world.decided()
    filing = _generate(client, world)
    body = client.get(f"/statistics/filings/{filing.pk}/json/?cases=1").json()
    penalty = next(t for t in body["tables"] if t["code"] == "penalty")
    assert penalty["name"] == "行政处罚实施情况统计表"
    assert {"code": "penalty.total", "name": "合计", "unit": "件"} in penalty["columns"]
    row = penalty["rows"][0]
    assert row["agency"] == world.p.agency_a.name
    assert row["values"]["penalty.total"] == 1 and row["values"]["penalty.amount"] == 20000.0
    assert row["cases"]["penalty.total"] == [case.pk]
    assert body["filing"]["state"] == "draft"


def test_the_narrative_draft_states_the_change_against_last_year() -> None:
    text = narrative.draft(
        agency_name="示范市甲区市场监督管理局",
        period_label="2026年",
        figures={
            "penalty.total": {"count": 6, "amount": None},
            "penalty.amount": {"count": 0, "amount": "30000.00"},
        },
        previous={
            "penalty.total": {"count": 4, "amount": None},
            "penalty.amount": {"count": 0, "amount": "40000.00"},
            "inspection.count": {"count": 3, "amount": None},
        },
    )
    assert "作出行政处罚决定6件，比上年同期增加2件（增长50.0%）" in text
    assert "罚没金额30,000.00元，比上年同期减少10,000.00元（下降25.0%）" in text
    assert "开展行政检查0次，比上年同期减少3次（下降100.0%）" in text
    assert narrative.change(Decimal(2), Decimal(2), "件") == "与上年同期持平"


@pytest.mark.parametrize(
    ("held", "figures", "annual", "want"),
    [
        ({"penalty"}, {}, True, [("penalty", True)]),  # held, nothing recorded: required
        ({"penalty"}, {}, False, [("penalty", False)]),  # a quarter: prompted only
        ({"penalty"}, {"penalty.total": {"count": 1}}, True, []),  # recorded: no note
        # a case registered but no decision made: still no penalty in the year (天津 art 17)
        ({"penalty"}, {"penalty.registered": {"count": 1}}, True, [("penalty", True)]),
        (set(), {}, True, []),  # not held: no note (the table is omitted)
        ({"licensing", "inspection"}, {}, True, [("inspection", True), ("licensing", True)]),
    ],
)
def test_the_special_note_prompt(
    held: set[str], figures: dict[str, dict[str, int]], annual: bool, want: list[tuple[str, bool]]
) -> None:
    got = special_notes.prompts(
        tables=catalogue.standard_tables(), held_kinds=held, figures=figures, annual=annual
    )
    assert [(p.kind, p.required) for p in got] == want
