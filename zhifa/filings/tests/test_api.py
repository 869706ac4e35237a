"""/api/v1/filings/: the same services and gates as the pages, 409 with the rule on refusal."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhifa.cases.tests.conftest import World, bearer, fresh_tokens
from zhifa.filings.models import Filing
from zhifa.registry import services as registry
from zhifa.registry.models import Account

from .test_filings import decided

pytestmark = pytest.mark.django_db
__all__ = ["fresh_tokens"]

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[None]:
    with time_machine.travel(datetime(2026, 5, 14, 10, tzinfo=SH), tick=False):
        yield


def test_an_officer_files_and_the_supervisor_reviews_through_the_api(
    world: World, evidence_dir: Path
) -> None:
    case = decided(world)
    client = Client()
    unfiled = client.get("/api/v1/filings/unfiled", headers=bearer(world.p.supervisor))
    assert unfiled.status_code == 200
    assert [(u["case_id"], u["overdue"]) for u in unfiled.json()] == [(case.pk, True)]
    late = client.post(
        f"/api/v1/filings/cases/{case.pk}/submit",
        {"report": "罚款二万元"},
        content_type="application/json",
        headers=bearer(world.p.officer),
    )
    assert late.status_code == 409
    assert late.json()["article"] == "《四川省行政执法监督条例》第三十六条"
    assert late.json()["field"] == "late_reason"
    filed = client.post(
        f"/api/v1/filings/cases/{case.pk}/submit",
        {"late_reason": "漏报"},
        content_type="application/json",
        headers=bearer(world.p.officer),
    )
    assert filed.status_code == 201, filed.content
    body = filed.json()
    assert body["late"] is True and body["state"] == "submitted"
    assert body["package"][0]["documents"][0]["kind"] == "penalty_decision"
    filing_id = body["id"]
    listed = client.get("/api/v1/filings/?late=true", headers=bearer(world.p.supervisor))
    assert [f["id"] for f in listed.json()] == [filing_id]
    refused = client.post(
        f"/api/v1/filings/{filing_id}/review",
        {"outcome": "transferred", "opinion": "涉嫌犯罪"},
        content_type="application/json",
        headers=bearer(world.p.supervisor),
    )
    assert refused.status_code == 409 and "第三十三条" in refused.json()["article"]
    done = client.post(
        f"/api/v1/filings/{filing_id}/review",
        {"outcome": "registered"},
        content_type="application/json",
        headers=bearer(world.p.supervisor),
    )
    assert done.status_code == 200 and done.json()["state_label"] == "予以备案"


def test_api_access(world: World, evidence_dir: Path) -> None:
    case = decided(world)
    client = Client()
    filed = client.post(
        f"/api/v1/filings/cases/{case.pk}/submit",
        {"late_reason": "漏报"},
        content_type="application/json",
        headers=bearer(world.p.head),
    )
    filing_id = filed.json()["id"]
    other = registry.account_create(
        actor=world.p.admin,
        username="other_city",
        password="x-Long-pass-123",
        role=Account.Role.SUPERVISOR,
        region_code="130400",
    )
    assert client.get(f"/api/v1/filings/{filing_id}").status_code == 401
    assert client.get(f"/api/v1/filings/{filing_id}", headers=bearer(other)).status_code == 404
    assert (
        client.get(f"/api/v1/filings/{filing_id}", headers=bearer(world.p.officer_b)).status_code
        == 404
    )
    assert client.get("/api/v1/filings/", headers=bearer(other)).json() == []
    review = client.post(
        f"/api/v1/filings/{filing_id}/review",
        {"outcome": "registered"},
        content_type="application/json",
        headers=bearer(world.p.head),
    )
    assert review.status_code == 403
    submit = client.post(
        f"/api/v1/filings/cases/{case.pk}/submit",
        {},
        content_type="application/json",
        headers=bearer(world.p.supervisor),
    )
    assert submit.status_code == 403
    assert Filing.objects.get(pk=filing_id).state == "submitted"
