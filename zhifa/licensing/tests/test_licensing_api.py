"""``/api/v1/licensing/``: an application registered, told to complete its materials, accepted
and refused through the API; refusals 409 with the article, a stage that does not allow the step
409 with the stage, a body the step does not take 422."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from zhifa.cases.tests.conftest import bearer
from zhifa.core.testing import Personas
from zhifa.registry.models import Account, PowerItem

from .conftest import COMPANY, LICENCE_CODE

pytestmark = pytest.mark.django_db
API = "/api/v1/licensing"


def _post(client: Client, path: str, account: Account, body: dict[str, Any]) -> Any:
    return client.post(
        f"{API}{path}", body, content_type="application/json", headers=bearer(account)
    )


def test_register_correct_accept_and_refuse_through_the_api(
    personas: Personas, licence_item: PowerItem, client: Client
) -> None:
    p = personas
    with time_machine.travel(datetime(2026, 10, 9, 10, tzinfo=ZoneInfo("Asia/Shanghai"))):
        made = _post(
            client,
            "/applications",
            p.officer,
            {
                "power_code": LICENCE_CODE,
                "matter": "食品经营许可（新办）",
                "channel": "online",
                "on": "2026-09-24",
                "applicant_kind": "organisation",
                "name": COMPANY.name,
                "credit_code": COMPANY.credit_code,
                "late_reason": "系统故障后补录",
            },
        )
        assert made.status_code == 201, made.content
        case_id = made.json()["case_id"]
        step = f"/{case_id}/steps/case_licence_correct"
        assert _post(client, step, p.officer, {"missing": 3}).status_code == 422
        told = _post(client, step, p.officer, {"missing": "健康证明\n平面图", "late_reason": ""})
        assert told.status_code == 200 and told.json()["missing"] == ["健康证明", "平面图"]
        again = _post(client, step, p.officer, {"missing": "其他"})
        assert again.status_code == 409 and again.json()["state"] == "correction"  # told once
        accepted = _post(
            client,
            f"/{case_id}/steps/case_licence_accept",
            p.officer,
            {"completed_on": "2026-10-09"},
        )
        assert accepted.status_code == 200, accepted.json()
        assert accepted.json()["decision_deadline"] == "2026-11-05"
        refused = _post(
            client, f"/{case_id}/steps/case_licence_refuse", p.officer, {"reasons": "x"}
        )
        assert refused.status_code == 403
        done = _post(
            client, f"/{case_id}/steps/case_licence_refuse", p.head, {"reasons": "场所不符"}
        )
        assert done.json()["state"] == "refused"
        stage = _post(client, f"/{case_id}/steps/case_licence_accept", p.officer, {})
        assert stage.status_code == 409 and stage.json()["state"] == "refused"
        read = client.get(f"{API}/{case_id}", headers=bearer(p.officer_b))
        assert read.status_code == 404
