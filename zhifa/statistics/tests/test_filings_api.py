"""The filings' API: pull any filing as tables for the upper-level platforms, take every step,
refusals as 409 with the rule, and nobody else sees a filing (the same 404 as a missing one)."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from zhifa.cases.tests.conftest import World, bearer

pytestmark = pytest.mark.django_db
BASE = "/api/v1/statistics"


def test_the_api_flow_and_the_tables_for_upper_level_platforms(
    world: World, client: Client
) -> None:
    case = world.decided()
    p = world.p
    with time_machine.travel("2026-07-10 10:00 +0800", tick=False):
        head, sup = bearer(p.head), bearer(p.supervisor)
        r = client.post(
            f"{BASE}/filings",
            {"year": 2026, "quarter": 2},
            content_type="application/json",
            headers=head,
        )
        assert r.status_code == 201, r.content
        fid = r.json()["filing"]["id"]
        got = client.get(f"{BASE}/filings/{fid}?cases=true", headers=sup).json()
        penalty = next(t for t in got["tables"] if t["code"] == "penalty")
        assert penalty["rows"][0]["values"]["penalty.total"] == 1
        assert penalty["rows"][0]["cases"]["penalty.total"] == [case.pk]
        cases = client.get(f"{BASE}/filings/{fid}/cases/penalty.total", headers=head).json()
        assert [c["id"] for c in cases] == [case.pk]

        r = client.post(
            f"{BASE}/filings/{fid}/accept", {}, content_type="application/json", headers=sup
        )
        assert r.status_code == 409 and "待接收" in r.json()["detail"] and r.json()["article"]
        r = client.post(f"{BASE}/filings/{fid}/submit", headers=head)
        assert r.status_code == 200 and r.json()["filing"]["figures_sha256"]
        r = client.post(
            f"{BASE}/filings/{fid}/return",
            {"comments": "请补充"},
            content_type="application/json",
            headers=sup,
        )
        assert r.json()["filing"]["state"] == "returned"
        listed = client.get(f"{BASE}/filings", headers=sup).json()
        assert listed["count"] == 1
        cov = client.get(f"{BASE}/coverage?year=2026&quarter=2", headers=sup).json()
        assert {row["agency_id"] for row in cov["rows"]} == {p.agency_a.pk, p.agency_b.pk}
        assert cov["total"]["penalty.total"] == 1
        assert client.get(f"{BASE}/coverage?year=2026", headers=head).status_code == 403

        other = bearer(p.officer_b)
        assert client.get(f"{BASE}/filings/{fid}", headers=other).status_code == 404
        assert client.get(f"{BASE}/filings/999999", headers=other).status_code == 404
        assert client.get(f"{BASE}/filings/{fid}").status_code == 401


def test_filed_figures_by_api_are_checked_whole(world: World, client: Client) -> None:
    head = bearer(world.p.head)
    r = client.post(
        f"{BASE}/filed-figures",
        {
            "year": 2026,
            "quarter": 1,
            "figures": {"penalty.total": {"count": 3}, "nonsense": {"count": 1}},
        },
        content_type="application/json",
        headers=head,
    )
    assert r.status_code == 422 and "未知的指标代码" in r.json()["detail"]
    r = client.post(
        f"{BASE}/filed-figures",
        {
            "year": 2026,
            "quarter": 1,
            "figures": {"penalty.total": {"count": 3}, "penalty.amount": {"amount": "12.50"}},
        },
        content_type="application/json",
        headers=head,
    )
    assert r.status_code == 201
    body = r.json()
    assert body["filing"]["origin"] == "filed"
    penalty = next(t for t in body["tables"] if t["code"] == "penalty")
    assert penalty["rows"][0]["values"]["penalty.amount"] == 12.5
