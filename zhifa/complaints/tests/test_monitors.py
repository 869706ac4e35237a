"""行政执法监督员: appointment term, opinions as clues, hearing observation, ratings; recorded;
no personal data; refused everything else."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import _publish
from zhifa.complaints import services
from zhifa.complaints.models import Appointment, Complaint
from zhifa.complaints.selectors import complaints_replay_check
from zhifa.core.exceptions import RuleViolation
from zhifa.record.models import Entry
from zhifa.registry import services as registry
from zhifa.registry.models import Account

from .conftest import NOW, World, client_for

pytestmark = pytest.mark.django_db
TODAY = NOW.date()


def monitor(world: World, username: str = "jdy1", **term: date) -> tuple[Account, Appointment]:
    account = registry.account_create(
        actor=world.p.admin,
        username=username,
        password=None,
        role=Account.Role.EXTERNAL_SUPERVISOR,
        region_code="130300",
        display_name="林律师",
    )
    appointment = services.appointment_create(
        actor=world.supervisor,
        account=account,
        sector="lawyer",
        document="示范政办〔2026〕3号",
        term_start=term.get("start", date(2026, 1, 1)),
        term_end=term.get("end", date(2028, 12, 31)),
    )
    return account, appointment


def hearing_case(world: World, hearing_on: date) -> Case:
    item = _publish(world.p, "330217001000", "未按规定公示", "penalty")
    return Case.objects.create(
        agency=world.p.agency_a,
        kind="penalty_general",
        power_item=item,
        domain=world.p.domain,
        title="陈某某未按规定公示营业执照",
        number="甲市监罚〔2026〕7号",
        state=Case.State.HEARING_REQUESTED,
        clue_on=date(2026, 1, 5),
        hearing_on=hearing_on,
        created_by=world.p.officer,
    )


def test_an_external_supervisor_account_needs_a_region_and_no_agency(world: World) -> None:
    with pytest.raises(RuleViolation):
        registry.account_create(
            actor=world.p.admin,
            username="x",
            password=None,
            role=Account.Role.EXTERNAL_SUPERVISOR,
            agency=world.p.agency_a,
            region_code="130300",
        )


def test_an_opinion_becomes_a_clue_for_intake(world: World) -> None:
    account, _a = monitor(world)
    response = client_for(account).post(
        reverse("monitor_opinion"),
        {
            "agency": world.p.agency_a.pk,
            "facts": "窗口执法人员未佩戴执法证",
            "happened_on": "2026-02-28",
        },
    )
    assert response.status_code == 303
    clue = Complaint.objects.get()
    assert clue.origin == "external_supervisor" and clue.submitted_by == account
    assert clue.state == "received" and clue.complainant_name == "林律师"
    assert any(
        t.kind == "complaint_accept"
        for t in __import__("zhifa.complaints.todo_source", fromlist=["x"]).supervisor_todos(
            world.supervisor, TODAY
        )
    )


def test_outside_the_term_nothing_may_be_submitted(world: World) -> None:
    account, _a = monitor(world, start=date(2024, 1, 1), end=date(2026, 3, 1))  # ended yesterday
    with pytest.raises(RuleViolation, match="聘期"):
        services.monitor_opinion_submit(
            actor=account, agency=world.p.agency_a, facts="x", happened_on=TODAY, today=TODAY
        )
    page = client_for(account).get(reverse("monitor_home")).content.decode()
    assert "不在聘期内" in page


def test_the_term_boundary_includes_its_last_day(world: World) -> None:
    account, _a = monitor(world, start=date(2025, 3, 2), end=date(2026, 3, 2))
    services.agency_rate(
        actor=account,
        agency=world.p.agency_a,
        campaign="2026年度",
        score=4,
        comment="",
        today=TODAY,
    )
    with pytest.raises(RuleViolation, match="聘期"):
        services.agency_rate(
            actor=account,
            agency=world.p.agency_b,
            campaign="2026年度",
            score=4,
            comment="",
            today=date(2026, 3, 3),
        )


def test_registering_to_observe_a_hearing_shows_no_personal_data(world: World) -> None:
    account, appointment = monitor(world)
    case = hearing_case(world, date(2026, 3, 10))
    client = client_for(account)
    page = client.get(reverse("monitor_home")).content.decode()
    assert "甲市监罚〔2026〕7号" in page and "陈某某" not in page
    assert client.post(reverse("monitor_observe", args=[case.pk])).status_code == 303
    entry = Entry.objects.filter(action="monitor.observe").get()
    assert entry.case_id == case.pk  # on the case's record too
    assert "已登记旁听" in client.get(reverse("monitor_home")).content.decode()
    assert client.post(reverse("monitor_observe", args=[case.pk])).status_code == 400  # once
    assert appointment.observations.count() == 1


def test_a_past_hearing_cannot_be_registered(world: World) -> None:
    account, _a = monitor(world)
    case = hearing_case(world, date(2026, 3, 1))
    with pytest.raises(RuleViolation, match="旁听"):
        services.hearing_observe(actor=account, case_id=case.pk, today=TODAY)


def test_a_rating_is_once_per_agency_and_campaign_and_summed_for_the_bureau(world: World) -> None:
    account, _a = monitor(world)
    client = client_for(account)
    body = {"agency": world.p.agency_a.pk, "campaign": "2026年度", "score": "5", "comment": "规范"}
    assert client.post(reverse("monitor_rate"), body).status_code == 303
    again = client.post(reverse("monitor_rate"), body)
    assert again.status_code == 400 and "已评议过" in again.content.decode()
    summary = client_for(world.supervisor).get(reverse("monitor_appointments")).content.decode()
    assert "5.0" in summary and "林律师" in summary


def test_everything_is_recorded_and_replayed(world: World) -> None:
    account, appointment = monitor(world)
    services.agency_rate(
        actor=account,
        agency=world.p.agency_a,
        campaign="2026年度",
        score=3,
        comment="",
        today=TODAY,
    )
    assert Entry.objects.filter(action__in=["monitor.appoint", "monitor.rate"]).count() == 2
    assert list(complaints_replay_check([])) == []
    Appointment.objects.filter(pk=appointment.pk).update(term_end=date(2030, 1, 1))
    assert [p.kind for p in complaints_replay_check([])] == ["monitor_appointment_altered"]


def test_the_external_supervisor_is_refused_everything_else(world: World) -> None:
    account, _a = monitor(world)
    complaint, _code = services.complaint_submit(
        agency=world.p.agency_a,
        facts="x",
        happened_on=TODAY,
        today=TODAY,
        anonymous=False,
        name="陈投诉",
        contact="13900001111",
    )
    case = hearing_case(world, date(2026, 3, 10))
    client = client_for(account)
    for url in (
        reverse("complaint_detail", args=[complaint.pk]),
        f"/cases/{case.pk}/",
        f"/registry/officers/{world.p.officer_record.pk}/",
    ):
        assert client.get(url).status_code in (403, 404), url
    assert client.get(reverse("complaint_list")).status_code == 403
    assert client.get(reverse("monitor_appointments")).status_code == 403
    assert client.get("/api/v1/complaints/", headers=_bearer(account)).json()["count"] == 0
    assert client.get(f"/api/v1/cases/{case.pk}", headers=_bearer(account)).status_code == 404
    # and other roles may not use the 监督员's page
    assert client_for(world.p.officer).get(reverse("monitor_home")).status_code == 403


def _bearer(account: Account) -> dict[str, str]:
    _, raw = registry.api_token_issue(actor=account, name="测试")
    return {"Authorization": f"Bearer {raw}"}


def test_an_invited_monitor_sees_the_matter_s_number_title_and_state_only(world: World) -> None:
    from zhifa.supervision.services import matter_open

    account, appointment = monitor(world)
    matter = matter_open(
        actor=world.supervisor,
        agency=world.p.agency_a,
        origin="self_found",
        title="甲区市场监管局重复检查问题（联系人13900001111）",
        summary="当事人陈某某反映……",
        on=TODAY,
    )
    client = client_for(account)
    assert matter.number not in client.get(reverse("monitor_home")).content.decode()
    response = client_for(world.supervisor).post(
        reverse("monitor_invite"),
        {"appointment": appointment.pk, "matter_id": matter.pk, "on": "2026-03-02"},
    )
    assert response.status_code == 303
    assert Entry.objects.filter(action="monitor.invite").count() == 1
    page = client.get(reverse("monitor_home")).content.decode()
    assert matter.number in page and "重复检查问题" in page
    assert "13900001111" not in page and "陈某某" not in page
    assert client.get(f"/supervision/matters/{matter.pk}/").status_code in (403, 404)
    with pytest.raises(RuleViolation, match="已邀请"):
        services.matter_invite(
            actor=world.supervisor, appointment=appointment, matter_id=matter.pk, on=TODAY
        )
    assert list(complaints_replay_check([])) == []


def test_a_monitor_out_of_term_cannot_be_invited(world: World) -> None:
    from zhifa.supervision.services import matter_open

    _account, appointment = monitor(world, start=date(2024, 1, 1), end=date(2026, 3, 1))
    matter = matter_open(
        actor=world.supervisor,
        agency=world.p.agency_a,
        origin="self_found",
        title="t",
        summary="s",
        on=TODAY,
    )
    with pytest.raises(RuleViolation, match="聘期"):
        services.matter_invite(
            actor=world.supervisor, appointment=appointment, matter_id=matter.pk, on=TODAY
        )
