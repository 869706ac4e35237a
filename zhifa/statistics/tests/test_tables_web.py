"""The pages and the API of this part: the case workspace's 复议/诉讼 panel and forms, the
catalogue page, the table editor, and their API operations (with the wrong agency, the
anonymous visitor and the wrong role each answered)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
import time_machine
from django.test import Client

from zhifa.cases.models import Challenge
from zhifa.cases.tests.conftest import World, bearer
from zhifa.core.testing import Personas
from zhifa.registry.models import Account
from zhifa.statistics.models import TableDefinition

pytestmark = pytest.mark.django_db

API = "/api/v1"


def _post_json(client: Client, url: str, body: dict[str, Any], account: Account) -> Any:
    return client.post(
        url, json.dumps(body), content_type="application/json", headers=bearer(account)
    )


@time_machine.travel(date(2026, 6, 2), tick=False)
def test_the_workspace_shows_the_panel_and_records_a_challenge(
    client: Client, world: World
) -> None:
    case = world.decided(decided_on=date(2026, 4, 28))
    client.force_login(world.p.officer)
    page = client.get(f"/cases/{case.pk}/")
    assert page.status_code == 200
    assert "challenges-panel" in page.text and "《行政复议法》第二十条" in page.text
    form = {
        "challenge-kind": "reconsideration",
        "challenge-body": "示范市人民政府",
        "challenge-reference": "示府复〔2026〕12号",
        "challenge-filed_on": "2026-04-27",  # the day before the decision: refused, kept
        "challenge-on": "2026-06-01",
    }
    refused = client.post(f"/cases/{case.pk}/challenges/", form)
    assert refused.status_code == 409
    assert "不能早于决定日期" in refused.text and "示府复〔2026〕12号" in refused.text
    form["challenge-filed_on"] = "2026-05-20"
    done = client.post(f"/cases/{case.pk}/challenges/", form)
    assert done.status_code == 302
    row = Challenge.objects.get(case=case)
    page = client.get(f"/cases/{case.pk}/")
    assert "示范市人民政府" in page.text and f"conclude-{row.pk}" in page.text
    done = client.post(
        f"/cases/{case.pk}/challenges/{row.pk}/conclude/",
        {
            f"conclude-{row.pk}-outcome": "varied",
            f"conclude-{row.pk}-concluded_on": "2026-06-01",
            f"conclude-{row.pk}-on": "2026-06-02",
        },
    )
    assert done.status_code == 302
    assert Challenge.objects.get(pk=row.pk).outcome == "varied"


def test_the_challenge_forms_refuse_other_agencies_and_the_anonymous(
    client: Client, world: World
) -> None:
    case = world.decided(decided_on=date(2026, 4, 28))
    url = f"/cases/{case.pk}/challenges/"
    assert client.post(url, {}).status_code == 302  # to the login page
    client.force_login(world.p.officer_b)
    assert client.post(url, {}).status_code == 404
    client.force_login(world.p.publisher)
    assert client.post(url, {}).status_code == 403
    assert not Challenge.objects.exists()


def test_the_challenges_api_lists_records_and_refuses(client: Client, world: World) -> None:
    case = world.decided(decided_on=date(2026, 4, 28))
    url = f"{API}/cases/{case.pk}/challenges"
    got = _post_json(
        client,
        url,
        {
            "kind": "litigation",
            "body": "示范市甲区人民法院",
            "filed_on": "2026-11-30",  # 6 months from 28 April end on 28 October: late
            "on": "2026-12-01",
        },
        world.p.officer,
    )
    assert got.status_code == 201, got.text
    assert "《行政诉讼法》第四十六条" in got.json()["late_note"]
    cid = got.json()["id"]
    client.force_login(world.p.officer)
    page = client.get(f"/cases/{case.pk}/")
    assert "《行政诉讼法》第四十六条" in page.text and f"conclude-{cid}-outcome" in page.text
    client.logout()
    listed = client.get(url, headers=bearer(world.p.supervisor))
    assert listed.status_code == 200 and listed.json()[0]["kind_label"] == "行政诉讼"
    assert client.get(url, headers=bearer(world.p.officer_b)).status_code == 404
    assert client.get(url).status_code == 401
    refused = _post_json(
        client,
        f"{url}/{cid}/conclude",
        {"outcome": "revoked", "concluded_on": "2026-11-29", "on": "2026-12-01"},
        world.p.head,
    )
    assert refused.status_code == 409 and refused.json()["field"] == "concluded_on"
    supervisor = _post_json(
        client,
        url,
        {"kind": "litigation", "body": "法院", "filed_on": "2026-05-01"},
        world.p.supervisor,
    )
    assert supervisor.status_code == 403


def test_the_catalogue_page_shows_every_indicator_and_the_settings_sources(
    client: Client, personas: Personas
) -> None:
    assert client.get("/statistics/catalogue/").status_code == 302
    client.force_login(personas.officer)
    page = client.get("/statistics/catalogue/")
    assert page.status_code == 200
    assert "复议纠错" in page.text and "申请复议（起诉）日期" in page.text
    assert "广州市司法局行政执法数据统计说明（2019）" in page.text  # the revoked rule's source
    assert "tables-link" not in page.text  # an officer does not edit tables


def test_the_table_editor_is_for_the_admin_and_refuses_a_city_supervisor(
    client: Client, personas: Personas
) -> None:
    assert client.get("/statistics/tables/").status_code == 302
    client.force_login(personas.supervisor)
    assert client.get("/statistics/tables/").status_code == 403
    assert client.post("/statistics/tables/penalty/columns/", {}).status_code == 403
    client.force_login(personas.admin)
    assert client.get("/statistics/tables/").status_code == 200
    refused = client.post(
        "/statistics/tables/",
        {"code": "qhd", "name": "秦皇岛式", "columns": "penalty.amount\nno.such", "position": 0},
    )
    assert refused.status_code == 409 and "no.such" in refused.text and "秦皇岛式" in refused.text
    done = client.post(
        "/statistics/tables/",
        {
            "code": "qhd",
            "name": "秦皇岛式",
            "columns": "penalty.amount\npenalty.simple",
            "position": 0,
        },
    )
    assert done.status_code == 302
    page = client.get("/statistics/tables/qhd/")
    assert page.status_code == 200 and "适用简易程序" not in page.text and "简易程序" in page.text
    hidden = client.post(
        "/statistics/tables/penalty_extended/columns/",
        {"name": "", "columns": "penalty.registered\npenalty.closed"},
    )
    assert hidden.status_code == 302
    assert TableDefinition.objects.get(code="penalty_extended").columns == [
        "penalty.registered",
        "penalty.closed",
    ]
    assert client.post("/statistics/tables/qhd/active/", {"active": "0"}).status_code == 302
    assert not TableDefinition.objects.filter(code="qhd").order_by("-version")[0].active
    assert client.get("/statistics/tables/nosuch/").status_code == 404


def test_the_statistics_api_catalogue_tables_and_officers(client: Client, world: World) -> None:
    p = world.p
    got = client.get(f"{API}/statistics/catalogue", headers=bearer(p.officer))
    assert got.status_code == 200
    codes = [i["code"] for i in got.json()["indicators"]]
    assert "penalty.reconsideration_corrected" in codes
    assert client.get(f"{API}/statistics/catalogue").status_code == 401
    body = {"code": "mine", "name": "自定义", "columns": ["penalty.total"]}
    assert _post_json(client, f"{API}/statistics/tables", body, p.supervisor).status_code == 403
    created = _post_json(client, f"{API}/statistics/tables", body, p.admin)
    assert created.status_code == 201 and created.json()["version"] == 1
    again = _post_json(client, f"{API}/statistics/tables", body, p.admin)
    assert again.status_code == 409 and "已被使用" in again.json()["detail"]
    v2 = _post_json(
        client,
        f"{API}/statistics/tables/mine/columns",
        {"columns": ["penalty.total", "penalty.amount"]},
        p.admin,
    )
    assert v2.status_code == 200 and v2.json()["version"] == 2
    tables = client.get(f"{API}/statistics/tables", headers=bearer(p.officer)).json()
    assert tables[-1]["columns"] == ["penalty.total", "penalty.amount"]
    versions = client.get(f"{API}/statistics/tables/mine", headers=bearer(p.officer)).json()
    assert [v["version"] for v in versions] == [2, 1]
    officers = client.get(
        f"{API}/statistics/officers",
        {"agency_id": p.agency_a.pk, "on": "2026-07-01"},
        headers=bearer(p.head),
    )
    assert officers.status_code == 200
    by_code = {f["indicator"]: f for f in officers.json()}
    assert by_code["officers.certified"]["count"] == 4
    assert by_code["officers.certified_rate"]["amount"] == "80.0"
    other = client.get(
        f"{API}/statistics/officers", {"agency_id": p.agency_b.pk}, headers=bearer(p.officer)
    )
    assert other.status_code == 404
