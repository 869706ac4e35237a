"""The case pages through the Django test client, as each persona sees them."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from zhifa.cases import services
from zhifa.cases.documents import document_generate
from zhifa.cases.models import Case, CaseDocument, CaseOfficer, CaseStep
from zhifa.core.testing import credit_code
from zhifa.record.models import Entry, EvidenceFile
from zhifa.record.services import Recording
from zhifa.registry.models import Account

from .conftest import (
    PENALTY_CODE,
    PERSON,
    FileIn,
    World,
    actions_of,
    entered_on,
    entries_of,
    upload,
)

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
    with entered_on(date(2026, 7, 1)):
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
    # A form sent with no party rows at all (a script, an old page): the officer's words.
    data = open_case_data(world, **{"party-TOTAL_FORMS": "0"})
    response = client_for(world.p.officer).post(reverse("case_new"), data)
    assert response.status_code == 400
    assert "请至少登记一名当事人（姓名或名称）" in text(response)
    assert "个表单" not in text(response)  # not Django's "请至少提交 1 个表单"
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("kind", "field", "message"),
    [
        ("organisation", "credit_code", "当事人为法人或其他组织的，须填写其统一社会信用代码"),
        ("natural_person", "id_number", "当事人为自然人的，须填写其居民身份证号码"),
    ],
)
def test_a_party_without_its_number_is_told_which_number_is_missing(
    world: World, kind: str, field: str, message: str
) -> None:
    response = client_for(world.p.officer).post(
        reverse("case_new"),
        open_case_data(world, **{"party-0-party_kind": kind, "party-0-credit_code": ""}),
    )
    assert response.status_code == 409
    page = text(response)
    assert message in page and "应为18位" not in page
    assert "示范市甲区某某食品有限公司" in page  # what was typed stays
    assert not Case.objects.exists()


def test_an_act_ending_after_the_registration_day_is_refused_keeping_the_input(
    world: World,
) -> None:
    data = open_case_data(world, on="2026-03-09", act_ended_on="2026-03-10")
    response = client_for(world.p.officer).post(reverse("case_new"), data)
    assert response.status_code == 400  # said by the form, beside the field
    page = text(response)
    beside = page.split('name="act_ended_on"')[1].split("</label>")[0]
    assert "违法行为终了日期2026年3月10日晚于案件登记或立案日期2026年3月9日" in beside
    assert "示范市甲区某某食品有限公司" in page
    assert not Case.objects.exists()
    ok = client_for(world.p.officer).post(
        reverse("case_new"), {**data, "act_ended_on": "2026-03-09"}
    )
    assert ok.status_code == 302


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
    assert f'href="{detail_url(clue)}#action-case_register"' in table
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


# -- documents (文书) ---------------------------------------------------------------------------


def document_url(case: Case) -> str:
    return reverse("case_document_generate", kwargs={"pk": case.pk})


def file_url(case: Case, doc: CaseDocument, fmt: str) -> str:
    return reverse("case_document_file", kwargs={"pk": case.pk, "doc_id": doc.pk, "fmt": fmt})


def evidence_url(case: Case, sha256: str) -> str:
    return reverse("case_evidence_file", kwargs={"pk": case.pk, "sha256": sha256})


def streamed(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def pdf_text(data: bytes) -> str:
    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def notified(world: World) -> Case:
    return world.notified(date(2026, 3, 4), date(2026, 3, 6), fine=Decimal(20000))


def test_workspace_offers_the_documents_the_case_can_have_now(world: World) -> None:
    page = text(client_for(world.p.officer).get(detail_url(notified(world))))
    documents = page[page.index('id="documents"') : page.index('id="timeline"')]
    assert "尚未生成文书" in documents
    assert '<option value="penalty_notice"' in documents
    assert '<option value="register_approval"' in documents
    assert "penalty_decision" not in documents  # not decided yet


def test_officer_generates_the_penalty_notice_and_downloads_the_pdf_and_docx(
    world: World, evidence_dir: Any
) -> None:
    case = notified(world)
    client = client_for(world.p.officer)
    response = client.post(
        document_url(case),
        {"document-kind": "penalty_notice", "document-on": "2026-03-10"},
        follow=True,
    )
    page = text(response)
    assert "已生成行政处罚事先告知书（第1版）" in page
    doc = CaseDocument.objects.get(case=case)
    assert doc.number and doc.number in page
    assert "生成执法文书" in page  # the entry on the timeline
    assert actions_of(case)[-1] == "document.generate"

    pdf = client.get(file_url(case, doc, "pdf"))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    disposition = pdf["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert "filename*=UTF-8''" + quote(doc.pdf.original_name, safe="") in disposition
    body = pdf_text(streamed(pdf))
    assert "刘某某" in body and doc.number in body and "贰万元整" in body

    docx = client.get(file_url(case, doc, "docx"))
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert streamed(docx)[:2] == b"PK"


def test_generating_a_document_the_case_cannot_have_yet_names_the_rule(
    world: World, evidence_dir: Any
) -> None:
    case = notified(world)
    response = client_for(world.p.officer).post(
        document_url(case), {"document-kind": "penalty_decision", "document-on": "2026-03-10"}
    )
    assert response.status_code == 409
    assert "行政处罚决定书须在作出行政处罚决定之后生成" in text(response)
    assert not CaseDocument.objects.exists()


def test_document_dated_before_its_act_is_refused(world: World, evidence_dir: Any) -> None:
    case = notified(world)
    response = client_for(world.p.officer).post(
        document_url(case), {"document-kind": "penalty_notice", "document-on": "2026-03-05"}
    )
    assert response.status_code == 409
    assert "文书生成日期不能早于2026年3月6日" in text(response)


def test_documents_are_404_for_another_agency_403_for_the_supervisor_login_for_anonymous(
    world: World, evidence_dir: Any
) -> None:
    case = notified(world)
    doc = document_generate(
        actor=world.p.officer, case=case, kind="penalty_notice", on=date(2026, 3, 10)
    )
    other = client_for(world.p.officer_b)
    assert other.get(file_url(case, doc, "pdf")).status_code == 404
    assert (
        other.post(
            document_url(case), {"document-kind": "penalty_notice", "document-on": "2026-03-10"}
        ).status_code
        == 404
    )
    supervisor = client_for(world.p.supervisor)
    assert supervisor.get(file_url(case, doc, "pdf")).status_code == 403
    page = text(supervisor.get(detail_url(case)))
    assert "仅本机关可下载" in page and file_url(case, doc, "pdf") not in page
    anonymous = Client().get(file_url(case, doc, "pdf"))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    officer = client_for(world.p.officer)
    assert officer.get(file_url(case, doc, "html")).status_code == 404
    assert officer.get(file_url(world.clue(), doc, "pdf")).status_code == 404  # not that case's


# -- evidence files (调阅) ----------------------------------------------------------------------

VIDEO = b"\x00\x00\x00\x18ftypmp42" + b"\x01" * 200


def investigated_with(world: World, *files: FileIn) -> Case:
    """A registered case whose evidence step carries ``files``, uploaded for it."""
    case = world.registered()
    services.case_investigate(
        actor=world.p.officer,
        case=case,
        on=date(2026, 3, 5),
        kind=CaseStep.Kind.EVIDENCE,
        officers=[world.o1, world.o2],
        summary="现场执法记录仪视频和照片",
        files=upload(world.p.officer, case, *files),
    )
    return case


def late_video(world: World) -> FileIn:
    return FileIn(
        VIDEO,
        "执法记录仪.mp4",
        "video/mp4",
        recording=Recording(
            device="DSJ-01",
            officer_id=world.o1.pk,
            officer_name=world.o1.name,
            started_at=datetime(2026, 3, 5, 9, tzinfo=SH),
            ended_at=datetime(2026, 3, 5, 9, 30, tzinfo=SH),
        ),
    )


def test_opening_a_video_streams_it_and_records_the_viewing_on_the_timeline(
    world: World, evidence_dir: Any
) -> None:
    video = late_video(world)
    case = investigated_with(world, video)
    client = client_for(world.p.officer2)
    response = client.get(evidence_url(case, video.sha256))
    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Disposition"].startswith("attachment; ")  # one request, one entry
    assert "filename*=UTF-8''" + quote("执法记录仪.mp4", safe="") in response["Content-Disposition"]
    assert streamed(response) == VIDEO
    viewing = entries_of(case)[-1]
    assert viewing.action == "evidence.view" and viewing.actor_name == "李执法"
    assert viewing.file_refs == [video.ref]
    page = text(client.get(detail_url(case)))
    assert "调阅证据文件" in page


def test_opening_a_photo_is_not_recorded(world: World, photo: FileIn) -> None:
    case = investigated_with(world, photo)
    before = actions_of(case)
    response = client_for(world.p.officer).get(evidence_url(case, photo.sha256))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline; ")
    assert actions_of(case) == before


def test_an_uploaded_html_file_is_downloaded_sandboxed_not_shown(
    world: World, evidence_dir: Any
) -> None:
    page = FileIn(b"<script>x</script>", "a.html", "text/html")
    case = investigated_with(world, page)
    response = client_for(world.p.officer).get(evidence_url(case, page.sha256))
    assert response["Content-Disposition"].startswith("attachment; ")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_late_upload_flag_stays_on_the_timeline(world: World, evidence_dir: Any) -> None:
    case = investigated_with(world, late_video(world))  # ended 03-05 09:30, now 03-10
    page = text(client_for(world.p.officer).get(detail_url(case)))
    assert 'class="tag late"' in page and "逾期上传" in page


def test_evidence_not_of_the_case_is_404_and_viewing_it_is_not_recorded(
    world: World, photo: FileIn, evidence_dir: Any
) -> None:
    video = late_video(world)
    investigated_with(world, video)  # another case's video: uploaded and attached there
    case = investigated_with(world, photo)
    before = len(entries_of(case))
    client = client_for(world.p.officer)
    assert client.get(evidence_url(case, video.sha256)).status_code == 404
    assert client.get(evidence_url(case, "0" * 64)).status_code == 404
    assert client.get(evidence_url(case, "not-a-hash")).status_code == 404
    assert len(entries_of(case)) == before


def test_evidence_is_404_for_another_agency_403_for_the_supervisor_login_for_anonymous(
    world: World, evidence_dir: Any
) -> None:
    video = late_video(world)
    case = investigated_with(world, video)
    before = len(entries_of(case))
    url = evidence_url(case, video.sha256)
    assert client_for(world.p.officer_b).get(url).status_code == 404
    assert client_for(world.p.supervisor).get(url).status_code == 403
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/login/")
    assert len(entries_of(case)) == before  # refused viewings are not viewings


# -- 当场处罚 (简易程序) -------------------------------------------------------------------------


def simple_data(world: World, **over: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "power_code": PENALTY_CODE,
        "title": "店外占道经营",
        "on": "2026-03-10",
        "time": "09:30",
        "place": "示范市甲区幸福路12号门前",
        "penalty_kind": "fine",
        "fine": "200",
        "facts": "当事人在店外摆放货架占用人行道",
        "basis": "《食品安全法》第一百二十四条",
        "party_kind": "natural_person",
        "name": "刘某某",
        "id_number": PERSON.id_number,
        "officers": [world.o1.pk, world.o2.pk],
    }
    data.update(over)
    return data


def test_officer_decides_a_200_yuan_fine_on_the_spot(world: World) -> None:
    client = client_for(world.p.officer)
    assert "当场处罚（简易程序）" in text(client.get(reverse("case_list")))
    form = text(client.get(reverse("case_simple_new")))
    assert "第五十一条" in form and 'name="penalty_kind"' in form
    assert "检查" not in form.split('name="power_code"')[1].split("</select>")[0]  # penalties only
    response = client.post(reverse("case_simple_new"), simple_data(world), follow=True)
    case = Case.objects.get(kind=Case.Kind.PENALTY_SIMPLE)
    assert case.state == Case.State.DECIDED and case.fine == Decimal(200)
    assert case.decision_number in text(response)
    assert actions_of(case) == ["case.simple_decide"]
    lead = CaseOfficer.objects.get(case=case, role=CaseOfficer.Role.LEAD)
    assert lead.officer_id == world.o1.pk  # the officer filling the form leads


def test_simple_fine_of_201_yuan_for_a_citizen_is_refused_with_article_51(world: World) -> None:
    response = client_for(world.p.officer).post(
        reverse("case_simple_new"), simple_data(world, fine="201")
    )
    assert response.status_code == 409
    page = text(response)
    assert "第五十一条" in page
    assert "店外占道经营" in page  # what was typed stays
    assert not Case.objects.exists()


@pytest.mark.parametrize("fine", ["0", "", "0.00"])
def test_simple_fine_of_nothing_is_refused_with_article_52_not_an_error(
    world: World, fine: str
) -> None:
    response = client_for(world.p.officer).post(
        reverse("case_simple_new"), simple_data(world, fine=fine)
    )
    assert response.status_code == 409
    page = text(response)
    assert "当场罚款须写明罚款数额，且应大于0元" in page and "第五十二条" in page
    assert "店外占道经营" in page  # what was typed stays
    assert not Case.objects.exists()


def test_simple_procedure_with_one_officer_is_refused(world: World) -> None:
    response = client_for(world.p.officer).post(
        reverse("case_simple_new"), simple_data(world, officers=[world.o1.pk])
    )
    assert response.status_code == 409
    assert "第四十二条" in text(response)
    assert not Case.objects.exists()


def test_simple_procedure_page_is_not_for_supervisors_or_anonymous(world: World) -> None:
    assert client_for(world.p.supervisor).get(reverse("case_simple_new")).status_code == 403
    response = Client().get(reverse("case_simple_new"))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_officer_generates_the_interview_record_of_a_chosen_earlier_interview(
    world: World, evidence_dir: Any
) -> None:
    case = world.registered()
    client = client_for(world.p.officer)
    for on, summary in (("2026-03-05", "询问当事人刘某某"), ("2026-03-06", "询问证人王某某")):
        post_action(
            client,
            case,
            "case_investigate",
            on=on,
            kind=CaseStep.Kind.INTERVIEW_RECORD,
            officers=[world.o1.pk, world.o2.pk],
            summary=summary,
        )
    first, second = CaseStep.objects.filter(case=case).order_by("on")
    page = text(client.get(detail_url(case)))
    documents = page[page.index('id="documents"') : page.index('id="timeline"')]
    assert "所涉办案步骤" in documents and "2026-03-05 询问笔录：询问当事人刘某某" in documents

    data = {"document-kind": "interview_record", "document-on": "2026-03-10"}
    client.post(document_url(case), {**data, "document-step": first.pk})
    client.post(document_url(case), data)  # no step chosen: the latest interview
    chosen, latest = CaseDocument.objects.filter(case=case).order_by("pk")
    assert chosen.step == first and latest.step == second
    assert "询问当事人刘某某" in pdf_text(streamed(client.get(file_url(case, chosen, "pdf"))))

    other = world.registered()
    refused = client.post(document_url(other), {**data, "document-step": first.pk})
    assert refused.status_code == 400  # a step of another case is not a choice here
    assert not CaseDocument.objects.filter(case=other).exists()
