"""The API of three flows: objections routed upward (listed for the upper-level
body, answered by it, refused with the rule for the issuing body), escalations (the overdue
text with its source), and publishing a result (条例第三十一条: 409 when not publishable)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client, override_settings

from zhifa.cases.tests.conftest import bearer as auth
from zhifa.core.testing import credit_code
from zhifa.registry import services as registry
from zhifa.registry.models import Account, Agency
from zhifa.supervision import services
from zhifa.supervision.models import Document

from .conftest import Bureau, make_supervisor
from .test_services import ON, investigating, opinion

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


def test_an_objection_routed_upward_through_the_api(bureau: Bureau) -> None:
    body = registry.agency_create(
        actor=bureau.p.admin,
        name="示范省司法厅",
        credit_code=credit_code(93, division="130000"),
        level=Agency.Level.PROVINCE,
        division_code="130000",
        kind=Agency.Kind.STATUTORY,
        domains=[bureau.p.domain],
    )
    province = make_supervisor(bureau.p, 905, "省厅监督", body, certified=True, region="130000")
    doc = opinion(bureau, investigating(bureau))
    with override_settings(ZHIFA_SUPERVISION_OBJECTION_TO_UPPER=True):
        r = post(bureau.p.head, f"/inbox/documents/{doc.pk}/objection", {"reasons": "理由"})
        assert r.status_code == 200, r.content
    (row,) = get(province, "/objections/to-answer").json()
    assert row["document_number"] == doc.number
    assert row["source"].endswith("（依据：《广东省行政执法监督条例》第三十三条）")
    assert get(bureau.sup1, "/objections/to-answer").json() == []
    assert get(bureau.far, "/objections/to-answer").json() == []
    r = post(bureau.sup1, f"/objections/{row['id']}/answer", {"upheld": False, "answer": "不成立"})
    assert r.status_code == 409 and "第三十条" in r.json()["article"]
    assert (
        post(
            bureau.far, f"/objections/{row['id']}/answer", {"upheld": False, "answer": "x"}
        ).status_code
        == 404
    )
    r = post(province, f"/objections/{row['id']}/answer", {"upheld": False, "answer": "不成立"})
    assert r.status_code == 200, r.content
    assert get(province, "/objections/to-answer").json() == []


def test_escalations_and_publishing_a_result_through_the_api(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = opinion(bureau, m)
    services.rectifications_escalate(today=date(2026, 4, 3))
    with time_machine.travel("2026-04-03 10:00 +08:00", tick=False):
        (row,) = get(bureau.sup1, "/escalations").json()
    assert row["document_number"] == doc.number and row["proposal"] == "decision"
    assert row["overdue"] == "已逾期2日（依据：《广东省行政执法监督条例》第三十三条）"
    assert get(bureau.far, "/escalations").json() == []
    clue = services.matter_document_issue(
        actor=bureau.sup1,
        matter=m,
        kind=Document.Kind.CLUE_TRANSFER,
        findings="f",
        requirement="r",
        fields={"to_body": "示范市纪委监委"},
        on=ON,
    )
    r = post(bureau.sup1, f"/documents/{clue.pk}/publish", {})
    assert r.status_code == 409 and "第三十一条" in r.json()["article"]
    r = post(bureau.sup1, f"/documents/{doc.pk}/publish", {})
    assert r.status_code == 200, r.content
    assert r.json()["state"] == "draft"
    assert post(bureau.far, f"/documents/{doc.pk}/publish", {}).status_code == 404
