"""The cases JSON API under /api/v1/cases/: scope, steps, 409 refusals naming the rule."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhifa.cases.models import Case, CaseStep
from zhifa.record.models import Entry
from zhifa.registry.models import Account

from .conftest import COMPANY, PENALTY_CODE, PERSON, World, actions_of, bearer, entered_on

pytestmark = pytest.mark.django_db

API = "/api/v1/cases"
NOW = datetime(2026, 3, 10, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def get(client: Client, path: str, account: Account, **params: Any) -> Any:
    return client.get(f"{API}{path}", params, headers=bearer(account))


def post(client: Client, path: str, account: Account, body: dict[str, Any]) -> Any:
    return client.post(
        f"{API}{path}", body, content_type="application/json", headers=bearer(account)
    )


# A valid body of case_party_add: refusals of access come before the body is read by a service.
A_PARTY = {"party_kind": "organisation", "name": "某公司", "credit_code": COMPANY.credit_code}


def act(client: Client, case_id: int, service: str, account: Account, **body: Any) -> Any:
    return post(client, f"/{case_id}/actions/{service}", account, body)


# -- reading --------------------------------------------------------------------------------


def test_case_list_is_scoped_to_the_agency_and_the_supervisors_region(
    client: Client, world: World
) -> None:
    case = world.clue()
    mine = get(client, "/", world.p.officer).json()
    assert mine["count"] == 1 and mine["page"] == 1 and mine["page_size"] == 50
    row = mine["results"][0]
    assert row["id"] == case.pk and row["state"] == "clue" and row["state_label"] == "线索登记"
    assert get(client, "/", world.p.officer_b).json()["count"] == 0
    assert get(client, "/", world.p.supervisor).json()["count"] == 1


def test_case_list_filters_and_pages(client: Client, world: World) -> None:
    world.clue()
    registered = world.registered()
    assert get(client, "/", world.p.officer, state="registered").json()["results"][0]["id"] == (
        registered.pk
    )
    assert get(client, "/", world.p.officer, q="刘某某").json()["count"] == 2
    assert get(client, "/", world.p.officer, q="无此人").json()["count"] == 0
    paged = get(client, "/", world.p.officer, page_size=1, page=2).json()
    assert paged["count"] == 2 and len(paged["results"]) == 1
    nearest = get(client, "/", world.p.officer, state="registered").json()["results"][0]
    assert nearest["nearest_deadline"]["unit"] == "日"
    assert "第六十条" in nearest["nearest_deadline"]["article"]


def test_anonymous_request_is_refused_with_401(client: Client, world: World) -> None:
    assert client.get(f"{API}/").status_code == 401


def test_case_detail_masks_parties_for_the_supervisor_only(client: Client, world: World) -> None:
    case = world.clue()
    officer = get(client, f"/{case.pk}", world.p.officer).json()
    assert officer["parties"][0]["phone"] == PERSON.phone
    assert officer["parties"][0]["address"] == PERSON.address
    supervisor = get(client, f"/{case.pk}", world.p.supervisor).json()
    assert supervisor["parties"][0]["phone"] == "138****5001"
    assert supervisor["parties"][0]["id_number"] != PERSON.id_number
    assert supervisor["parties"][0]["address"] == ""
    entries = get(client, f"/{case.pk}/entries", world.p.supervisor).json()
    party = entries[0]["payload"]["parties"][0]
    assert party["name"] == "刘某某" and party["phone"] == "138****5001"
    assert party["address"] == ""


def test_case_detail_lists_officers_deadlines_and_next_actions(
    client: Client, world: World
) -> None:
    case = world.registered()
    body = get(client, f"/{case.pk}", world.p.officer).json()
    roles = {o["name"]: o["role_label"] for o in body["officers"]}
    assert roles == {"张执法": "主办", "李执法": "协办"}
    assert body["deadlines"][0]["name"] == "作出处罚决定"
    actions = {a["service"]: a for a in body["next_actions"]}
    assert actions["case_investigate"]["approval"] is False
    assert "officers" in actions["case_investigate"]["fields"]
    assert actions["case_withdraw"]["approval"] is True


def test_another_agency_gets_404_for_detail_entries_and_actions(
    client: Client, world: World
) -> None:
    case = world.clue()
    b = world.p.officer_b
    assert get(client, f"/{case.pk}", b).status_code == 404
    assert get(client, f"/{case.pk}/entries", b).status_code == 404
    response = act(client, case.pk, "case_party_add", b, **A_PARTY)
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到"}


# -- refusals -------------------------------------------------------------------------------


def test_registering_beyond_the_limitation_is_409_with_the_article(
    client: Client, world: World
) -> None:
    case = world.clue(act_ended_on=date(2023, 12, 1))
    response = act(client, case.pk, "case_register", world.p.head, on="2026-03-04")
    assert response.status_code == 409
    body = response.json()
    assert "已超过2年未被发现" in body["detail"]
    assert body["article"].endswith("第三十六条")
    assert body["article"] in body["detail"]
    assert Case.objects.get(pk=case.pk).state == Case.State.CLUE
    assert actions_of(case) == ["case.open"]


def test_investigating_with_an_expired_officer_is_409_naming_the_officer(
    client: Client, world: World
) -> None:
    case = world.registered()
    with entered_on(date(2026, 7, 1)):
        response = act(
            client,
            case.pk,
            "case_investigate",
            world.p.officer,
            on="2026-07-01",
            kind="inspection_record",
            officers=[world.o1.pk, world.expired.pk],
            summary="现场检查",
        )
    assert response.status_code == 409
    body = response.json()
    assert "王过期" in body["detail"]
    assert "第四十二条" in body["article"]
    assert not CaseStep.objects.filter(case=case).exists()


def test_a_step_the_state_does_not_allow_is_409_naming_the_state(
    client: Client, world: World
) -> None:
    case = world.clue()
    response = act(client, case.pk, "case_submit_review", world.p.officer, on="2026-03-04")
    assert response.status_code == 409
    body = response.json()
    assert body["state"] == "clue"
    assert "线索登记" in body["detail"] and "提交案件审核" in body["detail"]


def test_unknown_step_is_404(client: Client, world: World) -> None:
    case = world.clue()
    assert act(client, case.pk, "case_explode", world.p.head).status_code == 404


def test_officer_may_not_give_the_heads_approval(client: Client, world: World) -> None:
    case = world.clue()
    response = act(client, case.pk, "case_register", world.p.officer, on="2026-03-04")
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).state == Case.State.CLUE


def test_supervisor_may_read_but_not_act(client: Client, world: World) -> None:
    case = world.clue()
    response = act(client, case.pk, "case_party_add", world.p.supervisor, **A_PARTY)
    assert response.status_code == 403
    assert "只能查看" in response.json()["detail"]


def test_invalid_body_is_422_naming_the_fields(client: Client, world: World) -> None:
    case = world.registered()
    response = act(client, case.pk, "case_investigate", world.p.officer, kind="interview_record")
    assert response.status_code == 422
    body = response.json()
    assert "officers" in body["detail"] and "summary" in body["errors"]


def test_browser_session_may_read_but_not_act(client: Client, world: World) -> None:
    case = world.clue()
    client.force_login(world.p.head)
    assert client.get(f"{API}/{case.pk}").status_code == 200
    response = client.post(
        f"{API}/{case.pk}/actions/case_register", {"on": "2026-03-04"}, "application/json"
    )
    assert response.status_code == 401
    assert Case.objects.get(pk=case.pk).state == Case.State.CLUE


# -- a penalty case from open to archive ------------------------------------------------------


def test_penalty_case_runs_from_open_to_archive_through_the_api(
    client: Client, world: World
) -> None:
    officer, head = world.p.officer, world.p.head
    opened = post(
        client,
        "/",
        officer,
        {
            "kind": "penalty_general",
            "power_code": PENALTY_CODE,
            "title": "经营超过保质期的食品",
            "on": "2026-03-02",
            "act_ended_on": "2026-02-20",
            "parties": [
                {
                    "kind": "natural_person",
                    "name": PERSON.name,
                    "id_number": PERSON.id_number,
                    "phone": PERSON.phone,
                }
            ],
            "officers": [
                {"officer_id": world.o1.pk, "role": "lead"},
                {"officer_id": world.o2.pk, "role": "assistant"},
            ],
        },
    )
    assert opened.status_code == 201, opened.json()
    case_id = opened.json()["id"]
    assert opened.json()["state"] == "clue"

    steps: list[tuple[Account, str, dict[str, Any], str]] = [
        (head, "case_register", {"on": "2026-03-04", "opinion": "同意立案"}, "registered"),
        (
            officer,
            "case_investigate",
            {
                "on": "2026-03-05",
                "kind": "interview_record",
                "officers": [world.o1.pk, world.o2.pk],
                "summary": "询问当事人",
            },
            "investigating",
        ),
        (officer, "case_submit_review", {"on": "2026-03-20"}, "case_review"),
        (
            officer,
            "case_notify",
            {
                "on": "2026-04-01",
                "facts": "销售超过保质期的牛奶12盒",
                "reasons": "违反《食品安全法》第三十四条",
                "basis": "《食品安全法》第一百二十四条",
                "penalty_kinds": ["warning", "fine"],
                "fine": "20000",
            },
            "notified",
        ),
        (
            officer,
            "case_statement_record",
            {"on": "2026-04-02", "content": "店员疏忽", "adoption": "adopted"},
            "statement",
        ),
        (
            head,
            "case_decide",
            {"on": "2026-04-28", "penalty_kinds": ["warning", "fine"], "fine": 20000},
            "decided",
        ),
        (officer, "case_serve", {"on": "2026-04-29", "method": "direct"}, "served"),
        (officer, "case_payment_record", {"on": "2026-05-06", "amount": "20000"}, "executing"),
        (head, "case_close", {"on": "2026-05-08", "opinion": "执行完毕"}, "closed"),
        (head, "case_archive", {"on": "2026-05-09"}, "archived"),
    ]
    for account, service, body, state in steps:
        with entered_on(date.fromisoformat(body["on"])):
            response = act(client, case_id, service, account, **body)
        assert response.status_code == 200, (service, response.json())
        result = response.json()
        assert result["case"]["state"] == state, service
        assert result["entry"]["action"] == "case." + service.removeprefix("case_")

    entries = get(client, f"/{case_id}/entries", officer).json()
    assert [e["action_label"] for e in entries] == [
        "登记",
        "立案审批",
        "调查取证",
        "提交案件审核",
        "事先告知",
        "记录陈述申辩",
        "作出处罚决定",
        "送达",
        "登记缴款",
        "结案",
        "归档",
    ]
    assert entries[-1]["proof_url"] == f"/api/v1/record/entries/{entries[-1]['seq']}/proof"
    final = get(client, f"/{case_id}", officer).json()
    assert final["decision_number"] and final["next_actions"] == []
    with entered_on(date(2026, 5, 10)):
        assert act(client, case_id, "case_archive", head, on="2026-05-10").status_code == 409


# -- evidence -------------------------------------------------------------------------------


def test_uploaded_video_is_hashed_flagged_late_and_attached_to_a_step(
    client: Client, world: World, evidence_dir: Any
) -> None:
    case = world.registered()
    upload = client.post(
        f"{API}/{case.pk}/evidence",
        {
            "file": SimpleUploadedFile("记录仪.mp4", b"video" * 100, content_type="video/mp4"),
            "device": "DSJ-01",
            "started_at": "2026-03-08T09:00+08:00",
            "ended_at": "2026-03-08T09:30+08:00",
        },
        headers=bearer(world.p.officer),
    )
    assert upload.status_code == 201, upload.json()
    stored = upload.json()
    assert len(stored["sha256"]) == 64 and stored["late_upload"] is True
    response = act(
        client,
        case.pk,
        "case_investigate",
        world.p.officer,
        on="2026-03-09",
        kind="evidence",
        officers=[world.o1.pk, world.o2.pk],
        summary="执法记录仪视频",
        files=[{k: stored[k] for k in ("sha256", "name", "size", "media_type")}],
    )
    assert response.status_code == 200, response.json()
    assert response.json()["entry"]["files"][0]["sha256"] == stored["sha256"]


def test_video_without_recording_time_is_refused(
    client: Client, world: World, evidence_dir: Any
) -> None:
    case = world.registered()
    upload = client.post(
        f"{API}/{case.pk}/evidence",
        {"file": SimpleUploadedFile("a.mp4", b"v" * 10, content_type="video/mp4")},
        headers=bearer(world.p.officer),
    )
    assert upload.status_code == 422


def test_a_recording_time_that_is_no_time_is_refused_with_any_file(
    client: Client, world: World, evidence_dir: Any
) -> None:
    case = world.registered()
    headers = bearer(world.p.officer)
    before = Entry.objects.count()
    upload = client.post(
        f"{API}/{case.pk}/evidence",
        {
            "file": SimpleUploadedFile("现场.jpg", b"\xff\xd8" * 10, content_type="image/jpeg"),
            "ended_at": "19962",
        },
        headers=headers,
    )
    assert upload.status_code == 422
    assert upload.json()["field"] == "ended_at"
    assert "ISO 8601" in upload.json()["detail"]
    assert Entry.objects.count() == before


def test_a_search_with_a_nul_character_is_refused_on_every_database(
    client: Client, world: World
) -> None:
    response = client.get(f"{API}/", {"q": "王\x00"}, headers=bearer(world.p.officer))
    assert response.status_code == 422
    assert response.json()["field"] == "q"


def test_openapi_schema_lists_the_case_paths(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/cases/",
        "/api/v1/cases/{case_id}",
        "/api/v1/cases/{case_id}/entries",
        "/api/v1/cases/{case_id}/actions/case_register",
        "/api/v1/cases/{case_id}/actions/case_seizure_approve",
        "/api/v1/cases/{case_id}/evidence",
    ):
        assert path in paths
    action = paths["/api/v1/cases/{case_id}/actions/case_register"]["post"]
    assert {"200", "401", "403", "404", "409", "422", "500"} <= set(action["responses"])
    assert "case_register" in action["description"]
    body = action["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body == "#/components/schemas/CaseRegisterIn"
