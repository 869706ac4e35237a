"""The 行政执法监督员's API (/api/v1/monitor/): what their page can do — an opinion that becomes
a clue, registering to observe a hearing, rating an agency, their own submissions and invited
matters — recorded; refused outside the term or twice (409 with the article); 403 to anyone
else; and no personal data in any answer to a 监督员."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from zhifa.cases.models import Party
from zhifa.cases.tests.conftest import bearer as auth
from zhifa.cases.tests.conftest import fresh_tokens  # noqa: F401 - one token per test
from zhifa.complaints import services
from zhifa.complaints.models import AgencyRating, Complaint, HearingObservation
from zhifa.record.models import Entry
from zhifa.registry.models import Account
from zhifa.supervision import services as supervision

from .conftest import NOW, World
from .test_monitors import hearing_case, monitor

pytestmark = pytest.mark.django_db
API = "/api/v1/monitor"
TODAY = NOW.date()


def post(account: Account, path: str, body: dict[str, Any] | None = None) -> Any:
    return Client().post(
        API + path, body or {}, content_type="application/json", headers=auth(account)
    )


def get(account: Account, path: str) -> Any:
    return Client().get(API + path, headers=auth(account))


def others(world: World) -> list[Account]:
    return [world.supervisor, world.p.head, world.p.officer, world.p.admin]


def opinion_body(world: World) -> dict[str, Any]:
    return {
        "agency_id": world.p.agency_a.pk,
        "facts": "窗口执法人员未佩戴执法证",
        "happened_on": "2026-02-28",
    }


def test_an_opinion_becomes_a_clue_and_shows_among_their_own(world: World) -> None:
    account, _a = monitor(world)
    for who in others(world):
        assert post(who, "/opinions", opinion_body(world)).status_code == 403
    assert not Complaint.objects.exists()
    r = post(account, "/opinions", opinion_body(world))
    assert r.status_code == 200, r.content
    clue = Complaint.objects.get()
    assert clue.origin == "external_supervisor" and clue.submitted_by == account
    assert clue.state == "received"
    assert Entry.objects.filter(action__startswith="complaint.").exists()
    (mine,) = r.json()["opinions"]
    assert mine["number"] == clue.number and mine["agency"] == world.p.agency_a.name
    assert get(account, "/").json()["opinions"] == r.json()["opinions"]


def test_an_opinion_outside_the_term_is_409_with_the_article(world: World) -> None:
    account, _a = monitor(world, start=date(2024, 1, 1), end=date(2026, 3, 1))  # ended yesterday
    home = get(account, "/").json()
    assert home["serving"] is False and home["appointment"] is None
    r = post(account, "/opinions", opinion_body(world))
    assert r.status_code == 409
    assert "聘期" in r.json()["detail"]
    assert r.json()["article"] == "《江西省行政执法监督条例》第十八条"
    assert not Complaint.objects.exists()


def test_bad_input_is_422_in_chinese(world: World) -> None:
    account, _a = monitor(world)
    r = post(account, "/opinions", {**opinion_body(world), "happened_on": "明天"})
    assert r.status_code == 422 and r.json()["field"] == "happened_on"
    r = post(account, "/opinions", {**opinion_body(world), "agency_id": 999999})
    assert r.status_code == 422 and r.json()["field"] == "agency_id"
    assert "未找到该执法主体" in r.json()["detail"]
    r = post(account, "/opinions", {**opinion_body(world), "happened_on": "2026-03-03"})
    assert r.status_code == 409 and r.json()["field"] == "happened_on"  # after today: a rule
    r = post(account, "/ratings", {"agency_id": world.p.agency_a.pk, "campaign": "x", "score": 6})
    assert r.status_code == 422 and r.json()["field"] == "score"
    assert not Complaint.objects.exists() and not AgencyRating.objects.exists()


def test_registering_to_observe_a_hearing_once(world: World) -> None:
    account, appointment = monitor(world)
    case = hearing_case(world, date(2026, 3, 10))
    for who in others(world):
        assert post(who, f"/hearings/{case.pk}/observe").status_code == 403
    (h,) = get(account, "/").json()["hearings"]
    assert h == {
        "case_id": case.pk,
        "agency": world.p.agency_a.name,
        "number": "甲市监罚〔2026〕7号",
        "hearing_on": "2026-03-10",
        "registered": False,
    }
    r = post(account, f"/hearings/{case.pk}/observe")
    assert r.status_code == 200, r.content
    assert r.json()["hearings"][0]["registered"] is True
    entry = Entry.objects.get(action="monitor.observe")
    assert entry.case_id == case.pk  # on the case's record too
    again = post(account, f"/hearings/{case.pk}/observe")
    assert again.status_code == 409
    assert again.json()["article"] == "《行政处罚法》第六十四条"
    assert HearingObservation.objects.filter(appointment=appointment).count() == 1
    # A hearing already held, or no hearing at all: refused by the same rule.
    case.hearing_on = date(2026, 2, 27)
    case.save(update_fields=["hearing_on"])
    r = post(account, f"/hearings/{case.pk}/observe")
    assert r.status_code == 409 and "不在可登记旁听的范围内" in r.json()["detail"]
    assert Entry.objects.filter(action="monitor.observe").count() == 1


def test_rating_an_agency_once_per_campaign(world: World) -> None:
    account, _a = monitor(world)
    body = {"agency_id": world.p.agency_a.pk, "campaign": "2026年度评议", "score": 4}
    for who in others(world):
        assert post(who, "/ratings", body).status_code == 403
    r = post(account, "/ratings", body)
    assert r.status_code == 200, r.content
    assert r.json()["ratings"] == [
        {
            "campaign": "2026年度评议",
            "agency": world.p.agency_a.name,
            "score": 4,
            "comment": "",
            "rated_on": "2026-03-02",
        }
    ]
    assert Entry.objects.filter(action="monitor.rate").count() == 1
    again = post(account, "/ratings", {**body, "score": 2})
    assert again.status_code == 409
    assert again.json()["article"] == "《行政执法监督条例》第二十三条"
    assert AgencyRating.objects.get().score == 4


def test_the_overview_is_theirs_alone(world: World) -> None:
    account, _a = monitor(world)
    for who in others(world):
        r = get(who, "/")
        assert r.status_code == 403 and r.json()["detail"] == "仅供行政执法监督员使用"
    assert get(account, "/").status_code == 200


def test_no_personal_data_reaches_a_monitor(world: World) -> None:
    """A named complaint, a hearing case with a natural person as party and an invited matter
    whose title carries an ID number: nothing personal appears in any answer to the 监督员."""
    account, appointment = monitor(world)
    complaint, _code = services.complaint_submit(
        agency=world.p.agency_a,
        facts="执法人员态度粗暴，投诉人王小明手机13912345678",
        happened_on=TODAY,
        today=TODAY,
        anonymous=False,
        name="王小明",
        contact="13912345678",
        consent_share=True,
    )
    case = hearing_case(world, date(2026, 3, 10))
    Party.objects.create(
        case=case,
        kind=Party.Kind.NATURAL_PERSON,
        name="陈某某",
        id_number="130302198001011234",
        phone="13800001111",
        address="示范市甲区幸福路8号",
        added_on=date(2026, 1, 5),
    )
    matter = supervision.matter_open(
        actor=world.supervisor,
        agency=world.p.agency_a,
        origin="complaint",
        origin_ref=complaint.number,
        # Free text: the complainant's name (known from the complaint the matter came from) and
        # any identifier are removed for the 监督员, on the page as in the API.
        title="王小明来电13912345678（身份证130302198001015678）反映的执法问题",
        summary="投诉人王小明，电话13912345678",
        on=TODAY,
    )
    services.matter_invite(
        actor=world.supervisor, appointment=appointment, matter_id=matter.pk, on=TODAY
    )
    post(account, "/opinions", opinion_body(world))
    post(account, f"/hearings/{case.pk}/observe")
    post(account, "/ratings", {"agency_id": world.p.agency_a.pk, "campaign": "评议", "score": 5})
    home = get(account, "/")
    assert home.json()["invited"][0]["number"] == matter.number
    answers = [
        home,
        get(account, "/"),
        # Everything else in the API that takes a 监督员's token.
        Client().get("/api/v1/complaints/", headers=auth(account)),
        Client().get(f"/api/v1/complaints/{complaint.pk}", headers=auth(account)),
        Client().get("/api/v1/supervision/matters", headers=auth(account)),
        Client().get(f"/api/v1/supervision/matters/{matter.pk}", headers=auth(account)),
        Client().get(f"/api/v1/cases/{case.pk}", headers=auth(account)),
        Client().get("/api/v1/cases/", headers=auth(account)),
    ]
    personal = [
        "王小明",
        "13912345678",
        "130302198001015678",
        "陈某某",
        "130302198001011234",
        "13800001111",
        "幸福路",
        "投诉人",
    ]
    for r in answers:
        body = json.dumps(r.json(), ensure_ascii=False)
        for word in personal:
            assert word not in body, (r.request["PATH_INFO"], word)
    assert Complaint.objects.get(pk=complaint.pk).complainant_name == "王小明"  # it was there
