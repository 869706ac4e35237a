"""Through the existing case API a refused decision answers 409 naming 第五十八条."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhifa.cases.models import Case
from zhifa.registry import services as registry
from zhifa.registry.models import Account
from zhifa.review.models import CatalogRule

from .conftest import Review, World

pytestmark = pytest.mark.django_db

DECIDING = datetime(2026, 4, 28, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[None]:
    with time_machine.travel(DECIDING, tick=False):
        yield


def decide(client: Client, account: Account, case: Case) -> object:
    _, token = registry.api_token_issue(actor=account, name="测试")
    return client.post(
        f"/api/v1/cases/{case.pk}/actions/case_decide",
        {"penalty_kinds": ["warning", "fine"], "fine": "20000"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_the_api_refuses_a_major_decision_without_review_with_409(
    client: Client, world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    case = flow.stated()
    response = decide(client, world.p.head, case)
    assert response.status_code == 409  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert "第五十八条" in body["detail"] and body["article"] == "《行政处罚法》第五十八条"
    assert Case.objects.get(pk=case.pk).state == Case.State.STATEMENT


def test_the_api_decides_the_major_case_once_reviewed(
    client: Client, world: World, flow: Review, fine_catalog: CatalogRule
) -> None:
    case = flow.stated()
    flow.passed(case)
    response = decide(client, world.p.head, case)
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert Case.objects.get(pk=case.pk).state == Case.State.DECIDED
