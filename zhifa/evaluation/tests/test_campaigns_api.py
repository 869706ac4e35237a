"""The campaigns API: plan, team, draw, independent scoring, reconciliation, 调阅, access."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from zhifa.cases.tests.conftest import World, bearer
from zhifa.evaluation.models import Campaign, File, Template
from zhifa.evaluation.tests.campaigns_support import decided_cases
from zhifa.record.models import Entry
from zhifa.registry.models import Account
from zhifa.supervision.tests.conftest import Bureau

pytestmark = pytest.mark.django_db

API = "/api/v1/evaluation"


@pytest.fixture(autouse=True)
def frozen() -> object:
    with time_machine.travel("2026-05-20 10:00 +0800", tick=False) as t:
        yield t


def call(method: str, account: Account | None, path: str, body: Any = None) -> Any:
    headers = bearer(account) if account is not None else {}
    fn = getattr(Client(), method)
    if body is None:
        return fn(API + path, headers=headers)
    return fn(API + path, body, content_type="application/json", headers=headers)


def _plan(b: Bureau, **over: Any) -> Any:
    body = {
        "name": "2026年度处罚案卷评查",
        "agency_ids": [b.p.agency_a.pk],
        "kinds": ["penalty_general"],
        "decided_from": "2026-01-01",
        "decided_to": "2026-04-30",
        "starts_on": "2026-05-10",
        "ends_on": "2026-06-30",
        "sampling": "random",
        "sample_count": 1,
        **over,
    }
    return call("post", b.sup1, "/campaigns", body)


def _drawn(b: Bureau) -> tuple[int, int]:
    r = _plan(b)
    assert r.status_code == 201, r.json()
    cid = r.json()["id"]
    for acc, leader in ((b.sup1, True), (b.sup2, False), (b.sup3, False)):
        r = call(
            "post",
            b.sup1,
            f"/campaigns/{cid}/members",
            {"kind": "supervisor", "account_id": acc.pk, "is_leader": leader},
        )
        assert r.status_code == 200, r.json()
    r = call("post", b.sup1, f"/campaigns/{cid}/draw", {"seed": "api-seed"})
    assert r.status_code == 200, r.json()
    data = r.json()
    assert data["seed"] == "api-seed" and data["population_entry_seq"] is not None
    assert len(data["files"]) == 1 and data["state"] == "scoring"
    return cid, data["files"][0]["id"]


def test_the_whole_flow_through_the_api_keeps_scorings_independent(
    bureau: Bureau, template: Template, world: World
) -> None:
    decided_cases(world, 2)
    _, fid = _drawn(bureau)
    a, b = bureau.sup2, bureau.sup3
    r = call("get", a, f"/files/{fid}")
    assert r.status_code == 200
    assert r.json()["proposed_marks"]["vetoes"] == {"V1": {"hit": False}}
    marks = {"items": {"B1": {"occurrences": 1, "deduction": "15", "reason": "违法扣押"}}}
    r = call("put", a, f"/files/{fid}/scoring", marks)
    assert r.status_code == 200 and r.json()["scorings"][0]["total"] == "85.00"
    r = call(
        "post",
        a,
        f"/files/{fid}/scoring/sign",
        {"items": {"B1": {"occurrences": 1, "deduction": "15"}}},
    )
    assert r.status_code == 409 and "第十条" in r.json()["detail"]
    r = call("post", a, f"/files/{fid}/scoring/sign", marks)
    assert r.status_code == 200
    seen_by_b = call("get", b, f"/files/{fid}").json()["scorings"]
    assert [s["mine"] for s in seen_by_b] == [True] and seen_by_b[0]["total"] is None
    r = call("post", b, f"/files/{fid}/scoring/sign", {})
    assert r.status_code == 200
    detail = r.json()
    assert detail["state"] == "different" and len(detail["scorings"]) == 2
    r = call("post", a, f"/files/{fid}/reconcile", {**marks, "reason": "x"})
    assert r.status_code == 403  # only the leader
    r = call(
        "post",
        bureau.sup1,
        f"/files/{fid}/reconcile",
        {
            "items": {"B1": {"occurrences": 1, "deduction": "8", "reason": "扣押清单不全"}},
            "reason": "核查案卷后酌定",
        },
    )
    assert r.status_code == 200, r.json()
    assert r.json()["state"] == "scored" and r.json()["total"] == "92.00"
    assert r.json()["result_basis"] == "组长核定"


def test_reading_the_case_through_the_api_records_a_read_entry(
    bureau: Bureau, template: Template, world: World
) -> None:
    decided_cases(world, 1)
    _, fid = _drawn(bureau)
    r = call("get", bureau.sup2, f"/files/{fid}/case")
    assert r.status_code == 200 and r.json()["steps"]
    file = File.objects.get(pk=fid)
    assert Entry.objects.filter(action="evaluation.file.read", case_id=file.case_id).count() == 1
    assert call("get", bureau.far, f"/files/{fid}/case").status_code == 404
    assert Entry.objects.filter(action="evaluation.file.read").count() == 1


def test_access_plan_refusals_and_anonymous(
    bureau: Bureau, template: Template, world: World
) -> None:
    assert call("get", None, "/campaigns").status_code == 401
    assert call("post", bureau.p.officer, "/campaigns", {}).status_code in (403, 422)
    r = _plan(bureau, agency_ids=[bureau.far.agency_id])
    assert r.status_code == 422 and r.json()["field"] == "agency_ids"
    r = _plan(bureau, sample_ratio="10")
    assert r.status_code == 409 and "第八条" in r.json()["detail"]
    r = _plan(bureau)
    cid = r.json()["id"]
    assert call("get", bureau.far, f"/campaigns/{cid}").status_code == 404
    assert call("get", bureau.sup2, f"/campaigns/{cid}").status_code == 200
    assert Campaign.objects.count() == 1
    r = call("post", bureau.p.head, f"/campaigns/{cid}/draw", {})
    assert r.status_code == 404
