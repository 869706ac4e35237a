"""The templates API: list, detail, create and update a draft, publish, new version, retire,
export; a published version refused with its rule (409), others' templates 403/404."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from zhifa.cases.tests.conftest import bearer as auth
from zhifa.evaluation.tests.conftest import publish_template, small_content
from zhifa.registry.models import Account
from zhifa.supervision.tests.conftest import Bureau

pytestmark = pytest.mark.django_db
API = "/api/v1/evaluation"


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel("2026-03-02 10:00 +08:00", tick=False):
        yield


def post(account: Account, path: str, body: dict[str, Any] | None = None) -> Any:
    return Client().post(
        API + path, body or {}, content_type="application/json", headers=auth(account)
    )


def get(account: Account, path: str) -> Any:
    return Client().get(API + path, headers=auth(account))


def _fields(**over: Any) -> dict[str, Any]:
    body = {
        "name": "接口标准",
        "issuer": "示范市司法局",
        "applies_to": "penalty_general",
        "valid_from": "2026-01-01",
        "veto_effect": "fail",
        "content": small_content(),
    }
    body.update(over)
    return body


def test_the_whole_way_through_the_api(bureau: Bureau) -> None:
    r = post(bureau.sup1, "/templates", _fields(key="API-1"))
    assert r.status_code == 201, r.content
    t = r.json()
    assert t["status"] == "draft" and t["content"] == small_content()
    r = post(bureau.sup1, f"/templates/{t['id']}/update", _fields(name="接口标准（修订）"))
    assert r.status_code == 200 and r.json()["name"] == "接口标准（修订）"
    r = post(bureau.sup1, f"/templates/{t['id']}/publish")
    assert r.json()["status"] == "published"
    r = post(bureau.sup1, f"/templates/{t['id']}/update", _fields())
    assert r.status_code == 409
    assert "已发布的评查标准不能修改" in r.json()["detail"] and "第十四条" in r.json()["article"]
    r = post(bureau.sup1, f"/templates/{t['id']}/new-version")
    assert r.status_code == 201 and r.json()["version"] == 2
    assert post(bureau.sup1, f"/templates/{t['id']}/new-version").status_code == 409
    listing = get(bureau.sup1, "/templates").json()
    assert listing["count"] == 2
    assert get(bureau.sup1, f"/templates/{t['id']}/export").json()["content"] == small_content()
    assert post(bureau.sup1, f"/templates/{t['id']}/retire").json()["status"] == "retired"


def test_a_faulty_content_is_refused_naming_the_item(bureau: Bureau) -> None:
    content = small_content()
    content["sections"][0]["items"][0]["rule"] = {"kind": "fixed", "points": "3"}
    r = post(bureau.sup1, "/templates", _fields(key="API-2", content=content))
    assert r.status_code == 409 and "第1部分第1项" in r.json()["detail"]
    r = post(bureau.sup1, "/templates", _fields(key="API-2", content={"sections": []}))
    assert r.status_code == 422


def test_others_may_read_published_versions_but_not_change_them(bureau: Bureau) -> None:
    t = publish_template(bureau)
    officer = bureau.p.officer
    assert get(officer, f"/templates/{t.pk}").json()["key"] == t.key
    assert post(officer, f"/templates/{t.pk}/retire").status_code == 403
    assert post(officer, "/templates", _fields(key="X")).status_code == 403
    draft = post(bureau.sup1, f"/templates/{t.pk}/new-version").json()
    assert get(officer, f"/templates/{draft['id']}").status_code == 404
    assert get(bureau.far, f"/templates/{draft['id']}").status_code == 404
