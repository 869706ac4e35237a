"""The supervision API: open, accept (the 复议 refusal as 409 with its article), request,
issue, object, report, check and close — and 404 for the wrong body or agency."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from zhifa.cases.tests.conftest import bearer as auth
from zhifa.registry.models import Account

from .conftest import Bureau

pytestmark = pytest.mark.django_db
API = "/api/v1/supervision"


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel("2026-03-02 10:00 +08:00", tick=False):
        yield


def post(account: Account, path: str, body: dict[str, Any]) -> Any:
    return Client().post(API + path, body, content_type="application/json", headers=auth(account))


def get(account: Account, path: str) -> Any:
    return Client().get(API + path, headers=auth(account))


def test_the_whole_way_through_the_api(bureau: Bureau) -> None:
    r = post(
        bureau.sup1,
        "/matters",
        {
            "agency_id": bureau.p.agency_a.pk,
            "origin": "media",
            "title": "媒体反映选择性执法",
            "summary": "某报报道",
        },
    )
    assert r.status_code == 201, r.content
    m = r.json()
    assert m["number"] == "示范市司法局〔2026〕监1号"
    r = post(bureau.sup1, f"/matters/{m['id']}/accept", {"under_litigation": True})
    assert r.status_code == 409
    assert "第三十三条" in r.json()["article"]
    assert post(bureau.sup1, f"/matters/{m['id']}/accept", {}).status_code == 200
    r = post(bureau.sup1, f"/matters/{m['id']}/explanation-requests", {"text": "请说明"})
    assert r.json()["countdowns"][0]["source"].endswith(
        "（依据：《上海市行政执法监督办法》第二十条）"
    )
    r = post(
        bureau.sup1,
        f"/matters/{m['id']}/documents",
        {"kind": "opinion", "findings": "选择性执法", "requirement": "纠正"},
    )
    doc = r.json()["documents"][0]
    assert doc["number"] == "示范市司法局〔2026〕监意1号" and doc["pdf_sha256"]
    assert get(bureau.far, f"/matters/{m['id']}").status_code == 404
    assert get(bureau.p.head, f"/matters/{m['id']}").status_code == 404
    inbox = get(bureau.p.head, f"/inbox/{m['id']}").json()
    req = inbox["steps"][0]
    assert (
        post(bureau.p.head, f"/inbox/requests/{req['id']}/answer", {"text": "已说明"}).status_code
        == 200
    )
    r = post(bureau.p.head, f"/inbox/documents/{doc['id']}/objection", {"reasons": "不同意"})
    obj = r.json()["documents"][0]["objections"][0]
    r = post(
        bureau.sup1,
        f"/objections/{obj['id']}/answer",
        {"upheld": False, "answer": "不成立"},
    )
    assert r.status_code == 200
    post(bureau.p.head, f"/inbox/documents/{doc['id']}/report", {"report": "已纠正"})
    r = post(
        bureau.sup1,
        f"/documents/{doc['id']}/check",
        {"accepted": True, "note": "到位"},
    )
    assert r.json()["documents"][0]["status"] == "accepted"
    r = post(bureau.sup1, f"/matters/{m['id']}/close", {"reason": "整改到位"})
    assert r.json()["state"] == "closed"
    listing = get(bureau.sup1, "/matters?state=closed").json()
    assert listing["count"] == 1
    assert get(bureau.far, "/matters").json()["count"] == 0


def test_opening_about_an_agency_outside_the_region_is_422(bureau: Bureau) -> None:
    r = post(
        bureau.far,
        "/matters",
        {"agency_id": bureau.p.agency_a.pk, "origin": "media", "title": "t", "summary": "s"},
    )
    assert r.status_code == 422
    assert r.json()["field"] == "agency_id"
