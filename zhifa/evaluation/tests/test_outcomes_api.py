"""The outcomes API: team report, feedback, the head's objection (409 with its article the day
after the limit), the re-check's answer, closing, the documents' files, a matter from a failed
file, repeated failures and the accountability register — 404 for the wrong body or agency."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from zhifa.cases.tests.conftest import World
from zhifa.cases.tests.conftest import bearer as auth
from zhifa.evaluation.tests.outcomes_world import campaign_with_files
from zhifa.registry.models import Account
from zhifa.supervision.tests.conftest import Bureau

pytestmark = pytest.mark.django_db
API = "/api/v1/evaluation"


def post(account: Account, path: str, body: dict[str, Any] | None = None) -> Any:
    return Client().post(
        API + path, body or {}, content_type="application/json", headers=auth(account)
    )


def get(account: Account, path: str) -> Any:
    return Client().get(API + path, headers=auth(account))


def test_the_outcomes_through_the_api(bureau: Bureau, world: World, template: object) -> None:
    with time_machine.travel("2026-10-30 10:00 +08:00", tick=False):
        o = campaign_with_files(bureau, world, template)  # type: ignore[arg-type]
        c = o.campaign.pk
        assert get(bureau.far, f"/campaigns/{c}/outcomes").status_code == 404
        assert post(bureau.far, f"/campaigns/{c}/team-report").status_code == 404
        r = post(bureau.sup1, f"/campaigns/{c}/team-report", {"suggestions": "规范送达"})
        assert r.status_code == 200 and r.json()["state"] == "reported"
        assert "无送达手续（1件）" in r.json()["problems"]
        m = post(bureau.sup1, f"/files/{o.failing.pk}/matter")
        assert m.status_code == 201
        bad = post(
            bureau.sup1,
            f"/files/{o.good.pk}/recheck",
            {"marks": {"items": {"A1": {"occurrences": 1}}}, "reasons": "复评"},
        )
        assert bad.status_code == 409 and "第十二条第（五）项" in bad.json()["detail"]
    with time_machine.travel("2026-11-02 10:00 +08:00", tick=False):
        r = post(bureau.sup1, f"/campaigns/{c}/feedback")
        assert r.status_code == 200
        files = get(bureau.p.head, "/agency/files").json()
        failing = next(f for f in files if f["id"] == o.failing.pk)
        assert failing["objection_window"]["last_day"] == "2026-11-16"
        assert "第十二条第（七）项" in failing["objection_window"]["limit"]
        assert failing["deductions"][0]["reasons"] == ["处罚决定书和告知书均无送达回证"]
        assert get(o.head_b, "/agency/files").json() == []
        report_id = r.json()["reports"][-1]["id"]
        assert get(bureau.p.head, f"/reports/{report_id}/files/pdf").status_code == 200
        assert get(o.head_b, f"/reports/{report_id}/files/pdf").status_code == 404
    with time_machine.travel("2026-11-17 10:00 +08:00", tick=False):
        late = post(bureau.p.head, f"/files/{o.vetoed.pk}/objection", {"reasons": "有两人"})
        assert late.status_code == 409 and "第十二条第（七）项" in late.json()["detail"]
    with time_machine.travel("2026-11-16 10:00 +08:00", tick=False):
        assert (
            post(o.head_b, f"/files/{o.failing.pk}/objection", {"reasons": "x"}).status_code == 404
        )
        made = post(bureau.p.head, f"/files/{o.failing.pk}/objection", {"reasons": "回证在副卷"})
        assert made.status_code == 201 and made.json()["due_on"] == "2026-11-30"
        oid = made.json()["id"]
        assert (
            post(
                bureau.p.head, f"/objections/{oid}/answer", {"upheld": False, "answer": "x"}
            ).status_code
            == 404
        )
        ans = post(
            bureau.sup1,
            f"/objections/{oid}/answer",
            {
                "upheld": True,
                "answer": "副卷有回证",
                "marks": {"items": {"A1": {"occurrences": 1}}},
            },
        )
        assert ans.status_code == 200 and ans.json()["new_total"] == "98.00"
    with time_machine.travel("2026-11-17 10:00 +08:00", tick=False):
        closed = post(bureau.sup1, f"/campaigns/{c}/close", {"publish": True})
        assert closed.status_code == 200 and closed.json()["state"] == "closed"
        rep = get(bureau.sup1, "/repeated-failures?year=2026").json()
        assert rep["source"] == "《广东省行政执法案卷评查办法》第二十五条"
        assert get(bureau.p.head, "/repeated-failures").status_code == 403
        acc = post(
            bureau.sup1,
            "/accountability",
            {
                "agency_id": bureau.p.agency_a.pk,
                "officer_id": world.o1.pk,
                "file_id": o.vetoed.pk,
                "ground": "fault",
                "measure": "admonition",
                "deciding_body": "示范市甲区市场监督管理局",
                "decided_on": "2026-11-16",
            },
        )
        assert acc.status_code == 201 and acc.json()["measure_label"] == "诫勉谈话"
        aid = acc.json()["id"]
        assert get(bureau.p.head, f"/accountability/{aid}").status_code == 200
        assert get(o.head_b, f"/accountability/{aid}").status_code == 404
        assert get(bureau.sup1, f"/accountability?officer_id={world.o1.pk}").json()["count"] == 1
        assert post(bureau.p.head, "/accountability", {}).status_code in (403, 422)
    assert Client().get(API + "/accountability").status_code == 401
