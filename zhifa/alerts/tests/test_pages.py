"""The dashboard, the warning pages and the API: who sees what (region, agency, anonymous),
and the two actions from a page and from the API."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhifa.alerts.models import Warning
from zhifa.alerts.rules import rule_named
from zhifa.alerts.selectors import dashboard
from zhifa.alerts.services import warnings_refresh
from zhifa.core.testing import Personas
from zhifa.record.models import Entry
from zhifa.registry import services as registry
from zhifa.registry.models import Account
from zhifa.supervision.tests.conftest import Bureau, make_bureau

from . import world

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 5, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def bureau(personas: Personas) -> Bureau:
    return make_bureau(personas)


@pytest.fixture
def warning(personas: Personas) -> Warning:
    world.case(personas, decision_deadline=date(2026, 4, 30))
    rule = rule_named("decision_overdue")
    assert rule is not None
    warnings_refresh(today=date(2026, 5, 1), rules=[rule])
    return Warning.objects.get()


def page(client: Client, account: object, url: str) -> object:
    client.force_login(account)  # type: ignore[arg-type]
    return client.get(url)


def bearer(account: Account) -> dict[str, str]:
    _, raw = registry.api_token_issue(actor=account, name="测试")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_dashboard_counts_per_rule_and_agency(
    client: Client, bureau: Bureau, warning: Warning
) -> None:
    client.force_login(bureau.sup1)
    r = client.get("/supervision/dashboard/")
    assert r.status_code == 200
    text = r.content.decode()
    assert "案件超过办案期限未作出决定" in text and "示范市甲区市场监督管理局" in text
    assert "预警中 1 条" in text
    client.force_login(bureau.far)  # another city: nothing of ours
    assert "预警中 0 条" in client.get("/supervision/dashboard/").content.decode()


def test_pages_are_gated(
    client: Client, personas: Personas, bureau: Bureau, warning: Warning
) -> None:
    detail = f"/supervision/warnings/{warning.pk}/"
    assert client.get(detail).status_code == 302  # anonymous: to the login page
    assert client.get("/supervision/dashboard/").status_code == 302
    assert page(client, bureau.far, detail).status_code == 404  # wrong region: as if missing
    assert page(client, personas.officer_b, "/supervision/warnings/").status_code == 403
    assert page(client, personas.officer, "/supervision/dashboard/").status_code == 403
    r = page(client, bureau.sup1, detail)
    assert r.status_code == 200  # type: ignore[attr-defined]
    body = r.content.decode()  # type: ignore[attr-defined]
    assert f"/cases/{warning.facts[0]['id']}/" in body and "据此登记监督事项" in body
    r = page(client, personas.head, detail)  # the agency's head reads, does not act
    assert r.status_code == 200 and "排除预警" not in r.content.decode()  # type: ignore[attr-defined]
    assert (
        page(client, bureau.sup1, "/supervision/warnings/?rule=decision_overdue").status_code == 200
    )  # type: ignore[attr-defined]
    assert page(client, bureau.sup1, "/supervision/warnings/rules/").status_code == 200  # type: ignore[attr-defined]


def test_dismiss_and_open_matter_from_the_page(
    client: Client, bureau: Bureau, warning: Warning
) -> None:
    client.force_login(bureau.sup1)
    with time_machine.travel(NOW, tick=False):
        r = client.post(f"/supervision/warnings/{warning.pk}/matter/")
    assert r.status_code == 302
    warning.refresh_from_db()
    assert warning.matter_id is not None
    assert Entry.objects.filter(action="alerts.matter_open").count() == 1
    with time_machine.travel(NOW, tick=False):
        page = client.get(f"/supervision/warnings/{warning.pk}/").content.decode()
    assert f'href="/supervision/matters/{warning.matter_id}/"' in page  # the matter, one click
    board = dashboard(bureau.sup1)
    assert (board.total_open, board.per_rule[0].with_matter) == (1, 1)  # counts kept
    r = client.post(f"/supervision/warnings/{warning.pk}/dismiss/", {"reason": "已立项处理"})
    warning.refresh_from_db()
    assert warning.state == Warning.State.DISMISSED
    assert Entry.objects.get(action="alerts.dismiss").data["reason"] == "已立项处理"
    assert dashboard(bureau.sup1).total_open == 0


def test_api(client: Client, personas: Personas, bureau: Bureau, warning: Warning) -> None:
    assert client.get("/api/v1/alerts/warnings").status_code == 401
    sup = bearer(bureau.sup1)
    r = client.get("/api/v1/alerts/warnings", **sup)
    assert r.status_code == 200 and r.json()["count"] == 1
    r = client.get(f"/api/v1/alerts/warnings/{warning.pk}", **bearer(bureau.far))
    assert r.status_code == 404
    assert client.get("/api/v1/alerts/dashboard", **bearer(personas.officer)).status_code == 403
    r = client.get("/api/v1/alerts/dashboard", **sup)
    assert r.json()["total_open"] == 1
    assert {x["code"] for x in client.get("/api/v1/alerts/rules", **sup).json()} >= {
        "decision_overdue",
        "repeated_fines",
    }
    head = bearer(personas.head)
    r = client.post(
        f"/api/v1/alerts/warnings/{warning.pk}/dismiss",
        data=json.dumps({"reason": "无"}),
        content_type="application/json",
        **head,
    )
    assert r.status_code == 403  # the head reads, only supervisors act
    r = client.post(
        f"/api/v1/alerts/warnings/{warning.pk}/dismiss",
        data=json.dumps({"reason": "经核实已作出决定"}),
        content_type="application/json",
        **sup,
    )
    assert r.status_code == 200 and r.json()["state"] == "dismissed"
    assert Entry.objects.filter(action="alerts.dismiss").count() == 1
