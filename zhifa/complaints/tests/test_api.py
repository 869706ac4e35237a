"""The complaints API: the identity never reaches agency roles; refusals are 409 with the rule."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client

from zhifa.complaints import services
from zhifa.complaints.models import Complaint
from zhifa.registry import services as registry
from zhifa.registry.models import Account

from .conftest import NOW, World

pytestmark = pytest.mark.django_db
API = "/api/v1/complaints"


def bearer(account: Account) -> dict[str, str]:
    _, raw = registry.api_token_issue(actor=account, name="测试")
    return {"Authorization": f"Bearer {raw}"}


def complaint(world: World) -> Complaint:
    c, _code = services.complaint_submit(
        agency=world.p.agency_a,
        facts="未出示证件",
        happened_on=date(2026, 2, 27),
        today=NOW.date(),
        anonymous=False,
        name="陈投诉",
        contact="13900001111",
    )
    return c


def test_the_agency_head_never_receives_the_identity_from_the_api(world: World) -> None:
    c = complaint(world)
    services.complaint_accept(actor=world.supervisor, complaint=c, on=NOW.date())
    client = Client()
    for path in ("/", f"/{c.pk}"):
        body = client.get(API + path, headers=bearer(world.p.head)).content.decode()
        assert "陈投诉" not in body and "13900001111" not in body
        assert c.number in body
    sup = client.get(f"{API}/{c.pk}", headers=bearer(world.supervisor)).json()
    assert sup["complainant"] == {"name": "陈投诉", "contact": "13900001111"}
    assert "依据" in sup["countdown"]["basis"]


def test_the_api_accepts_and_refuses_with_409_naming_the_rule(world: World) -> None:
    c = complaint(world)
    client = Client()
    url = f"{API}/{c.pk}"
    ok = client.post(
        url + "/accept",
        json.dumps({"on": "2026-03-02"}),
        content_type="application/json",
        headers=bearer(world.supervisor),
    )
    assert ok.status_code == 200 and ok.json()["state"] == "accepted"
    again = client.post(
        url + "/refuse",
        json.dumps({"reason": "duplicate", "on": "2026-03-02"}),
        content_type="application/json",
        headers=bearer(world.supervisor),
    )
    assert again.status_code == 409 and again.json()["article"].startswith("《行政执法监督条例》")
    head = client.post(
        url + "/conclude",
        json.dumps({"result": "x", "on": "2026-03-02"}),
        content_type="application/json",
        headers=bearer(world.p.head),
    )
    assert head.status_code == 403


def test_officers_and_other_regions_see_no_complaint(world: World) -> None:
    c = complaint(world)
    client = Client()
    for account in (world.p.officer, world.p.officer_b, world.other_supervisor):
        assert client.get(f"{API}/{c.pk}", headers=bearer(account)).status_code == 404
        assert client.get(API + "/", headers=bearer(account)).json()["count"] == 0
