"""The efficiency API: schemes with their formulas, the indicator check (409 naming 第七十四条),
computing, results per agency, surveys — and 404 for the wrong agency or another city."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client

from zhifa.cases.tests.conftest import World
from zhifa.cases.tests.conftest import bearer as auth
from zhifa.evaluation import services_efficiency as svc
from zhifa.evaluation.models import Survey
from zhifa.evaluation.tests.conftest import publish_template
from zhifa.evaluation.tests.test_efficiency_services import scored_files
from zhifa.registry.models import Account
from zhifa.supervision.tests.conftest import Bureau

pytestmark = pytest.mark.django_db
API = "/api/v1/evaluation/efficiency"


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel("2026-11-30 10:00 +08:00", tick=False):
        yield


def post(account: Account, path: str, body: dict[str, Any] | None = None) -> Any:
    return Client().post(
        API + path, body or {}, content_type="application/json", headers=auth(account)
    )


def get(account: Account, path: str) -> Any:
    return Client().get(API + path, headers=auth(account))


def test_a_scheme_is_created_checked_computed_and_read(bureau: Bureau, world: World) -> None:
    scored_files(bureau, publish_template(bureau), [(world.clue(), "91", "优秀", False)])
    r = post(bureau.sup1, "/schemes", {"year": 2026})
    assert r.status_code == 201
    scheme = r.json()
    assert scheme["weights"] == {"quality": "30.00", "duty": "50.00", "satisfaction": "20.00"}
    d4 = next(i for i in scheme["indicators"] if i["code"] == "D4")
    assert d4["unconnected"] is False  # the statistics filings are counted
    sid = scheme["id"]
    assert post(bureau.sup1, f"/schemes/{sid}/compute").json()["state"] == "computed"
    a = bureau.p.agency_a.pk
    results = get(bureau.sup1, f"/schemes/{sid}/results").json()
    assert results["results"][0]["agency_id"] == a and results["results"][0]["rank"] == 1
    rid = results["results"][0]["id"]
    detail = get(bureau.sup1, f"/results/{rid}").json()
    assert float(detail["values"]["Q1"]["numerator"]) == 91
    # an agency sees nothing before publication, then its own result only
    assert get(bureau.p.head, f"/results/{rid}").status_code == 404
    assert post(bureau.sup1, f"/schemes/{sid}/publish").json()["state"] == "published"
    assert get(bureau.p.head, f"/results/{rid}").status_code == 200
    rid_b = next(
        r["id"]
        for r in get(bureau.sup1, f"/schemes/{sid}/results").json()["results"]
        if r["agency_id"] == bureau.p.agency_b.pk
    )
    assert get(bureau.p.head, f"/results/{rid_b}").status_code == 404
    assert get(bureau.p.head, f"/schemes/{sid}/results").json()["count"] == 1
    assert get(bureau.far, f"/schemes/{sid}").status_code == 404
    assert post(bureau.far, f"/schemes/{sid}/compute").status_code == 404
    assert Client().get(API + "/schemes").status_code == 401


def test_the_indicator_check_refuses_fines_with_409_and_the_article(bureau: Bureau) -> None:
    fine = {"code": "F1", "component": "duty", "name": "罚没完成率", "formula": "fine_amount"}
    r = post(bureau.sup1, "/indicators/check", fine)
    assert r.status_code == 409
    assert "第七十四条" in r.json()["article"]
    disguised = {**fine, "name": "执法力度", "formula": "penalty_decisions / cases_decided"}
    assert post(bureau.sup1, "/indicators/check", disguised).status_code == 409
    ok = {**fine, "name": "按期办结率", "formula": "cases_decided_in_time / cases_decided"}
    assert post(bureau.sup1, "/indicators/check", ok).json() == {
        "ok": True,
        "formula_text": "在办案期限内作出决定的案件数 ÷ 设有办案期限并于本年度作出决定的案件数",
    }
    sid = post(bureau.sup1, "/schemes", {"year": 2026}).json()["id"]
    r = post(
        bureau.sup1,
        f"/schemes/{sid}/indicators",
        {
            "indicators": [disguised],
            "weights": {"quality": 30, "duty": 50, "satisfaction": 20},
        },
    )
    assert r.status_code == 409 and "罚没指标" in r.json()["detail"]


def test_surveys_are_listed_with_their_results(bureau: Bureau) -> None:
    survey = svc.survey_create(
        actor=bureau.sup1,
        agency=bureau.p.agency_a,
        year=2026,
        mode=Survey.Mode.TOKEN,
        opens_on=date(2026, 11, 1),
        closes_on=date(2026, 12, 31),
        on=date(2026, 11, 1),
    )
    assert get(bureau.sup1, "/surveys").json()[0]["id"] == survey.pk
    assert get(bureau.sup1, f"/surveys/{survey.pk}").json()["answers"] == 0
    assert get(bureau.p.head, f"/surveys/{survey.pk}").status_code == 200  # about its agency
    assert get(bureau.p.officer_b, f"/surveys/{survey.pk}").status_code == 404
