"""The case pages through the Django test client, as each persona sees them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from zhifa.cases import services
from zhifa.cases.models import Case, CaseStep
from zhifa.core.testing import credit_code
from zhifa.record.models import Entry, EvidenceFile
from zhifa.registry.models import Account

from .conftest import PENALTY_CODE, World, actions_of, entries_of

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 10, 10, tzinfo=SH)


@pytest.fixture(autouse=True)
def frozen_time() -> Iterator[None]:
    with time_machine.travel(NOW, tick=False):
        yield


def client_for(account: Account) -> Client:
    client = Client()
    client.force_login(account)
    return client


def detail_url(case: Case) -> str:
    return reverse("case_detail", kwargs={"pk": case.pk})


def action_url(case: Case, service: str) -> str:
    return reverse("case_action", kwargs={"pk": case.pk, "service": service})


def post_action(client: Client, case: Case, service: str, **fields: Any) -> Any:
    data = {f"{service}-{k}": v for k, v in fields.items()}
    return client.post(action_url(case, service), data)


def text(response: Any) -> str:
    return str(response.content.decode())


# -- who may see what ---------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login_from_every_case_page(world: World) -> None:
    case = world.clue()
    client = Client()
    for url in (
        reverse("case_list"),
        reverse("case_new"),
        reverse("case_approvals"),
        reverse("case_overdue"),
        detail_url(case),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
    response = post_action(client, case, "case_register", on="2026-03-04")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert Case.objects.get(pk=case.pk).state == Case.State.CLUE


def test_officer_of_another_agency_gets_404_for_the_case_and_its_actions(world: World) -> None:
    case = world.clue()
    client = client_for(world.p.officer_b)
    assert client.get(detail_url(case)).status_code == 404
    assert post_action(client, case, "case_party_add", on="2026-03-04").status_code == 404
    assert client.get(reverse("case_detail", kwargs={"pk": case.pk + 999})).status_code == 404
    assert "经营超过保质期的食品" not in text(client.get(reverse("case_list")))


def test_supervisor_reads_the_case_with_masked_parties_and_no_action_forms(world: World) -> None:
    case = world.clue()
    client = client_for(world.p.supervisor)
    page = text(client.get(detail_url(case)))
    assert "经营超过保质期的食品" in page
    assert "刘某某" in page
    assert "13800135001" not in page and "138****5001" in page
    assert "幸福路" not in page  # the address stays in the agency
    assert "action-form" not in page
    assert "您可以查看本案，但不能办理" in page


def test_supervisor_posting_an_action_gets_403_and_nothing_changes(world: World) -> None:
    case = world.clue()
    before = len(entries_of(case))
    response = post_action(
        client_for(world.p.supervisor), case, "case_register", on="2026-03-04", opinion="同意"
    )
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).state == Case.State.CLUE
    assert len(entries_of(case)) == before


def test_officer_of_the_agency_sees_the_parties_in_full(world: World) -> None:
    page = text(client_for(world.p.officer).get(detail_url(world.clue())))
    assert "13800135001" in page and "幸福路1号" in page


def test_officer_does_not_get_the_heads_approval_form(world: World) -> None:
    case = world.clue()
    page = text(client_for(world.p.officer).get(detail_url(case)))
    assert 'id="action-case_register"' in page
    assert action_url(case, "case_register") not in page
    assert action_url(case, "case_party_add") in page  # the officer's own steps are there
    assert "须由机关负责人审批" in page
    response = post_action(client_for(world.p.officer), case, "case_register", on="2026-03-04")
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).state == Case.State.CLUE


# -- steps: refused and taken ------------------------------------------------------------------


def test_refused_registration_shows_the_rule_with_its_article_keeps_input_and_changes_nothing(
    world: World,
) -> None:
    case = world.clue(act_ended_on=date(2023, 12, 1))
    before = actions_of(case)
    response = post_action(
        client_for(world.p.head), case, "case_register", on="2026-03-04", opinion="拟同意立案"
    )
    assert response.status_code == 409
    page = text(response)
    assert "已超过2年未被发现" in page
    assert "《中华人民共和国行政处罚法》第三十六条" in page or "第三十六条" in page
    assert "拟同意立案" in page  # what was typed is still there
    assert 'id="action-case_register" open' in page
    assert Case.objects.get(pk=case.pk).state == Case.State.CLUE
    assert actions_of(case) == before


def test_head_registers_a_case_and_the_entry_appears_on_the_timeline(world: World) -> None:
    case = world.clue()
    client = client_for(world.p.head)
    response = post_action(client, case, "case_register", on="2026-03-04", opinion="同意立案")
    assert response.status_code == 302
    assert response["Location"].endswith(f"{detail_url(case)}#timeline")
    case.refresh_from_db()
    assert case.state == Case.State.REGISTERED
    entry = entries_of(case)[-1]
    assert entry.action == "case.register"
    page = text(client.get(detail_url(case)))
    assert "已完成：立案审批" in page
    assert f"/api/v1/record/entries/{entry.seq}/proof" in page
    assert "线索登记 → 立案" in page
    assert "同意立案" in page
    assert case.number in page
    assert "作出处罚决定 还剩" in page  # the 90-day countdown of 第六十条


def test_officer_records_an_interview_with_two_officers(world: World) -> None:
    case = world.registered()
    client = client_for(world.p.officer)
    response = post_action(
        client,
        case,
        "case_investigate",
        on="2026-03-05",
        kind=CaseStep.Kind.INTERVIEW_RECORD,
        officers=[world.o1.pk, world.o2.pk],
        summary="询问当事人刘某某",
    )
    assert response.status_code == 302
    page = text(client.get(detail_url(case)))
    timeline = page[page.index('id="timeline"') :]
    assert "调查取证" in timeline and "询问笔录" in timeline
    assert "张执法、李执法" in timeline
    assert "询问当事人刘某某" in timeline


def test_investigating_with_an_expired_officer_is_refused_naming_the_officer(world: World) -> None:
    case = world.registered()
    response = post_action(
        client_for(world.p.officer),
        case,
        "case_investigate",
        on="2026-07-01",
        kind=CaseStep.Kind.INSPECTION_RECORD,
        officers=[world.o1.pk, world.expired.pk],
        summary="现场检查",
    )
    assert response.status_code == 409
    page = text(response)
    assert "王过期" in page and "第四十二条" in page
    assert not CaseStep.objects.filter(case=case).exists()


def test_an_invalid_form_is_shown_again_without_calling_the_service(world: World) -> None:
    case = world.registered()
    response = post_action(client_for(world.p.officer), case, "case_investigate", on="2026-03-05")
    assert response.status_code == 400
    assert "请检查标出的栏目" in text(response)
    assert actions_of(case)[-1] == "case.register"


def test_unknown_step_is_404(world: World) -> None:
    response = post_action(client_for(world.p.head), world.clue(), "case_explode", on="2026-03-04")
    assert response.status_code == 404


def test_evidence_upload_is_hashed_and_late_video_is_flagged(
    world: World, evidence_dir: Any
) -> None:
    case = world.registered()
    video = SimpleUploadedFile("记录仪.mp4", b"\x00\x01video-bytes" * 50, content_type="video/mp4")
    response = client_for(world.p.officer).post(
        action_url(case, "case_investigate"),
        {
            "case_investigate-on": "2026-03-05",
            "case_investigate-kind": CaseStep.Kind.EVIDENCE,
            "case_investigate-officers": [world.o1.pk, world.o2.pk],
            "case_investigate-summary": "现场执法记录仪视频",
            "case_investigate-rec_device": "DSJ-01",
            "case_investigate-rec_started_at": "2026-03-07T09:00",
            "case_investigate-rec_ended_at": "2026-03-07T09:30",
            "case_investigate-files": video,
        },
        follow=True,
    )
    stored = EvidenceFile.objects.get()
    assert stored.late_upload  # ended 2026-03-07 09:30, uploaded 2026-03-10 10:00
    page = text(response)
    assert stored.sha256 in page
    assert "逾期上传" in page
    assert Entry.objects.filter(case_id=case.pk).last().file_refs[0].sha256 == stored.sha256  # type: ignore[union-attr]


def test_video_without_recording_time_is_refused_before_storing(
    world: World, evidence_dir: Any
) -> None:
    case = world.registered()
    video = SimpleUploadedFile("记录仪.mp4", b"video" * 10, content_type="video/mp4")
    response = client_for(world.p.officer).post(
        action_url(case, "case_investigate"),
        {
            "case_investigate-on": "2026-03-05",
            "case_investigate-kind": CaseStep.Kind.EVIDENCE,
            "case_investigate-officers": [world.o1.pk, world.o2.pk],
            "case_investigate-summary": "视频",
            "case_investigate-files": video,
        },
    )
    assert response.status_code == 400
    assert "上传音视频须填写录制开始和结束时间" in text(response)
    assert not EvidenceFile.objects.exists()


def test_archived_case_has_no_action_forms(world: World) -> None:
    case = services.case_not_register(
        actor=world.p.head, case=world.clue(), on=date(2026, 3, 3), reason="不属于本机关管辖"
    )
    services.case_archive(actor=world.p.head, case=case, on=date(2026, 3, 4))
    page = text(client_for(world.p.head).get(detail_url(case)))
    assert "已归档，案卷只读" in page
    assert "action-form" not in page


# -- opening a case ----------------------------------------------------------------------------


def open_case_data(world: World, **over: Any) -> dict[str, Any]:
    data = {
        "kind": Case.Kind.PENALTY_GENERAL,
        "power_code": PENALTY_CODE,
        "title": "销售过期食品",
        "summary": "群众举报",
        "on": "2026-03-10",
        "act_ended_on": "2026-03-01",
        "lead": world.o1.pk,
        "assistants": [world.o2.pk],
        "party-TOTAL_FORMS": "2",
        "party-INITIAL_FORMS": "0",
        "party-MIN_NUM_FORMS": "1",
        "party-MAX_NUM_FORMS": "1000",
        "party-0-party_kind": "organisation",
        "party-0-name": "示范市甲区某某食品有限公司",
        "party-0-credit_code": credit_code(501, prefix="91"),
        "party-0-legal_representative": "陈某",
        "party-1-party_kind": "natural_person",
    }
    data.update(over)
    return data


def test_officer_opens_a_penalty_case_with_a_party_and_two_officers(world: World) -> None:
    client = client_for(world.p.officer)
    page = text(client.get(reverse("case_new")))
    assert PENALTY_CODE in page and "李执法" in page
    response = client.post(reverse("case_new"), open_case_data(world))
    assert response.status_code == 302
    case = Case.objects.get(title="销售过期食品")
    assert response["Location"] == detail_url(case)
    assert case.state == Case.State.CLUE
    assert [p.name for p in case.parties.all()] == ["示范市甲区某某食品有限公司"]
    assert sorted(o.name for o in case.officers.all()) == ["张执法", "李执法"]
    assert actions_of(case) == ["case.open"]


def test_opening_a_case_refused_by_the_rule_keeps_the_input(world: World) -> None:
    response = client_for(world.p.officer).post(
        reverse("case_new"),
        open_case_data(world, **{"party-0-credit_code": "911303020000005010"}),
    )
    assert response.status_code == 409
    page = text(response)
    assert "统一社会信用代码" in page
    assert "示范市甲区某某食品有限公司" in page
    assert not Case.objects.exists()


def test_opening_a_case_needs_a_party(world: World) -> None:
    data = open_case_data(world)
    for key in [k for k in data if k.startswith("party-0-")]:
        del data[key]
    response = client_for(world.p.officer).post(reverse("case_new"), data)
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_supervisor_may_not_open_a_case(world: World) -> None:
    assert client_for(world.p.supervisor).get(reverse("case_new")).status_code == 403


# -- lists ------------------------------------------------------------------------------------


def test_case_list_searches_by_party_name_and_shows_the_nearest_deadline(world: World) -> None:
    world.registered()
    client = client_for(world.p.officer)
    page = text(client.get(reverse("case_list"), {"q": "刘某"}))
    assert "经营超过保质期的食品" in page
    assert re.search(r'class="countdown" title="[^"]*第六十条', page)
    assert "作出处罚决定 还剩" in page
    assert "经营超过保质期的食品" not in text(client.get(reverse("case_list"), {"q": "王某"}))


def test_case_list_answers_htmx_with_the_results_only(world: World) -> None:
    world.clue()
    response = client_for(world.p.officer).get(
        reverse("case_list"), {"kind": "penalty_general"}, headers={"HX-Request": "true"}
    )
    assert "<html" not in text(response) and 'id="case-table"' in text(response)


def overdue_case(world: World) -> Case:
    """Registered 2025-11-03: its 90-day decision limit (第六十条) ran out in February 2026."""
    return world.registered(on=date(2025, 11, 3), act_ended_on=date(2025, 10, 1))


def test_overdue_list_shows_the_agencys_overdue_cases_in_red(world: World) -> None:
    late = overdue_case(world)
    fresh = world.registered()
    page = text(client_for(world.p.officer).get(reverse("case_overdue")))
    assert late.number in page and fresh.number not in page
    assert "countdown urgent" in page and "已逾期" in page


def test_overdue_list_covers_the_supervisors_region_but_not_another_agency(world: World) -> None:
    late = overdue_case(world)
    assert late.number in text(client_for(world.p.supervisor).get(reverse("case_overdue")))
    assert late.number not in text(client_for(world.p.officer_b).get(reverse("case_overdue")))


def test_case_list_filters_overdue_only(world: World) -> None:
    late = overdue_case(world)
    fresh = world.registered()
    page = text(client_for(world.p.officer).get(reverse("case_list"), {"overdue": "on"}))
    assert late.number in page and fresh.number not in page


def test_approval_queue_lists_clues_for_the_head_not_cases_under_investigation(
    world: World,
) -> None:
    clue = world.clue()
    investigating = world.investigated(world.registered(), date(2026, 3, 5))
    page = text(client_for(world.p.head).get(reverse("case_approvals")))
    table = page[page.index('id="approval-table"') :]
    assert f'href="{detail_url(clue)}#next-actions"' in table
    assert "立案审批" in table
    assert detail_url(investigating) not in table


def test_approval_queue_is_scoped_to_the_agency(world: World) -> None:
    clue = world.clue()
    assert detail_url(clue) not in text(
        client_for(world.p.officer_b).get(reverse("case_approvals"))
    )
    assert detail_url(clue) in text(client_for(world.p.supervisor).get(reverse("case_approvals")))


def test_approval_queue_drops_a_case_once_approved(world: World) -> None:
    clue = world.clue()
    services.case_register(actor=world.p.head, case=clue, on=date(2026, 3, 4))
    page = text(client_for(world.p.head).get(reverse("case_approvals")))
    assert detail_url(clue) not in page


def test_topbar_shows_the_approval_queue_to_heads_only(world: World) -> None:
    assert "待审批" in text(client_for(world.p.head).get(reverse("case_list")))
    assert ">待审批<" not in text(client_for(world.p.officer).get(reverse("case_list")))
