"""The rest of the workspace's steps through the API (issue 12: everything also in /api/v1/):
移送, the team and 回避, the 第二十二条 measures with attachments (multipart), 调阅, the outcome of
a recommendation or a clue transfer, and the documents' PDF and DOCX. For each: the change and
its record entry; a refusal as 409 with the article; the gate of the page (404 to whoever the
page answers 404)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document as Docx

from zhifa.cases.tests.conftest import World
from zhifa.cases.tests.conftest import bearer as auth
from zhifa.record.models import Entry
from zhifa.registry.models import Account
from zhifa.supervision import services
from zhifa.supervision.models import Document, Matter, MatterSupervisor, Step

from .conftest import Bureau
from .test_services import ON, investigating, opened, opinion

pytestmark = pytest.mark.django_db
API = "/api/v1/supervision"


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel("2026-03-02 10:00 +08:00", tick=False):
        yield


def post(account: Account, path: str, body: dict[str, Any]) -> Any:
    return Client().post(API + path, body, content_type="application/json", headers=auth(account))


def multipart(account: Account, path: str, data: dict[str, Any]) -> Any:
    return Client().post(API + path, data, headers=auth(account))


def get(account: Account, path: str) -> Any:
    return Client().get(API + path, headers=auth(account))


def entries(action: str) -> list[Entry]:
    return list(Entry.objects.filter(action=action).order_by("seq"))


def outsiders(b: Bureau) -> list[Account]:
    """Whom the workspace page answers 404: another region's supervisor, the agency's head (its
    side is the inbox), an officer, the other agency's officer."""
    return [b.far, b.p.head, b.p.officer, b.p.officer_b]


def accepted(b: Bureau) -> Matter:
    m = opened(b)
    services.matter_accept(actor=b.sup1, matter=m, on=ON)
    return Matter.objects.get(pk=m.pk)


# -- 移送 --------------------------------------------------------------------------------------


def test_transfer_moves_the_matter_and_records_it(bureau: Bureau) -> None:
    m = opened(bureau)
    body = {"transfer_to": "示范市公安局", "reason": "属公安机关管辖"}
    for who in outsiders(bureau):
        assert post(who, f"/matters/{m.pk}/transfer", body).status_code == 404
    assert entries("supervision.matter.transfer") == []
    r = post(bureau.sup1, f"/matters/{m.pk}/transfer", body)
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["state"] == "transferred" and out["transfer_to"] == "示范市公安局"
    assert out["transfer_due"]
    (entry,) = entries("supervision.matter.transfer")
    assert entry.data["matter"] == m.pk and entry.data["to"] == "transferred"
    again = post(bureau.sup1, f"/matters/{m.pk}/transfer", body)
    assert again.status_code == 409
    assert "第二十六条" in again.json()["article"] and "不能移送" in again.json()["detail"]
    assert len(entries("supervision.matter.transfer")) == 1


def test_a_blank_transfer_is_422_in_chinese(bureau: Bureau) -> None:
    m = opened(bureau)
    r = post(bureau.sup1, f"/matters/{m.pk}/transfer", {"transfer_to": "", "reason": "x"})
    assert r.status_code == 422
    assert r.json()["field"] == "transfer_to" and "过短" in r.json()["detail"]


# -- the team and 回避 -------------------------------------------------------------------------


def test_joining_the_team_and_the_refusal_of_a_second_time(bureau: Bureau) -> None:
    m = opened(bureau)
    body = {"account_id": bureau.sup2.pk}
    for who in outsiders(bureau):
        assert post(who, f"/matters/{m.pk}/team", body).status_code == 404
    r = post(bureau.sup1, f"/matters/{m.pk}/team", body)
    assert r.status_code == 200, r.content
    assert [t["name"] for t in r.json()["team"]] == ["陈监督", "林监督"]
    assert len(entries("supervision.matter.team_join")) == 1
    again = post(bureau.sup1, f"/matters/{m.pk}/team", body)
    assert again.status_code == 409
    assert "已在本监督事项中" in again.json()["detail"]
    assert "第六条" in again.json()["article"]
    # A supervisor of another body is not one the page offers: 422 naming the field.
    r = post(bureau.sup1, f"/matters/{m.pk}/team", {"account_id": bureau.far.pk})
    assert r.status_code == 422 and r.json()["field"] == "account_id"
    assert len(entries("supervision.matter.team_join")) == 1


def test_recusal_and_its_refusals(bureau: Bureau) -> None:
    m = opened(bureau)
    services.matter_team_join(actor=bureau.sup1, matter=m, account=bureau.sup2, on=ON)
    body = {"account_id": bureau.sup2.pk, "reason": "与被投诉人系近亲属"}
    for who in outsiders(bureau):
        assert post(who, f"/matters/{m.pk}/recusals", body).status_code == 404
    r = post(bureau.sup2, f"/matters/{m.pk}/recusals", body)
    assert r.status_code == 200, r.content
    (member,) = [t for t in r.json()["team"] if t["account_id"] == bureau.sup2.pk]
    assert member["recused"] and member["recusal_reason"] == "与被投诉人系近亲属"
    assert len(entries("supervision.matter.recuse")) == 1
    again = post(bureau.sup1, f"/matters/{m.pk}/recusals", body)
    assert again.status_code == 409
    assert "四川省行政执法监督条例》第三十条" in again.json()["article"]
    # Someone not on the matter's team: 422, as the page's list does not offer them.
    r = post(bureau.sup1, f"/matters/{m.pk}/recusals", {**body, "account_id": bureau.sup3.pk})
    assert r.status_code == 422 and r.json()["field"] == "account_id"
    assert len(entries("supervision.matter.recuse")) == 1


def test_the_team_is_not_shown_on_the_agencys_side(bureau: Bureau) -> None:
    m = opened(bureau)
    services.matter_accept(actor=bureau.sup1, matter=m, on=ON)
    assert get(bureau.p.head, f"/inbox/{m.pk}").json()["team"] == []
    assert get(bureau.sup1, f"/matters/{m.pk}").json()["team"]


# -- measures (条例第二十二条), multipart with attachments --------------------------------------


def test_a_measure_with_attachments_by_two_certified_supervisors(bureau: Bureau) -> None:
    m = accepted(bureau)
    services.matter_team_join(actor=bureau.sup1, matter=m, account=bureau.sup2, on=ON)
    data = {
        "kind": "talk",
        "text": "约谈纪要：机关负责人到场",
        "supervisor_ids": [bureau.sup1.pk, bureau.sup2.pk],
        "attachments": [
            SimpleUploadedFile("约谈纪要.txt", "纪要".encode(), content_type="text/plain"),
            SimpleUploadedFile("签到表.txt", b"sign", content_type="text/plain"),
        ],
    }
    for who in outsiders(bureau):
        r0 = multipart(who, f"/matters/{m.pk}/measures", data)
        assert r0.status_code == 404, r0.content.decode()
        for f in data["attachments"]:
            f.seek(0)
    for f in data["attachments"]:
        f.seek(0)
    r = multipart(bureau.sup1, f"/matters/{m.pk}/measures", data)
    assert r.status_code == 200, r.content
    out = r.json()
    assert out["state"] == "investigating"
    (talk,) = [s for s in out["steps"] if s["kind"] == "talk"]
    assert talk["supervisors"] == ["陈监督", "林监督"]
    assert sorted(f["name"] for f in talk["files"]) == ["签到表.txt", "约谈纪要.txt"]
    (entry,) = entries("supervision.matter.measure")
    assert sorted(ref.name for ref in entry.file_refs) == ["签到表.txt", "约谈纪要.txt"]
    # The attachment opens from the matter's page like any other.
    sha = talk["files"][0]["sha256"]
    page = Client()
    page.force_login(bureau.sup1)
    assert page.get(f"/supervision/matters/{m.pk}/files/{sha}/").status_code == 200


def test_a_measure_by_one_certified_supervisor_is_refused_with_the_provincial_rule(
    bureau: Bureau,
) -> None:
    m = accepted(bureau)
    services.matter_team_join(actor=bureau.sup1, matter=m, account=bureau.sup3, on=ON)
    data = {"kind": "inspection", "text": "现场检查", "supervisor_ids": [bureau.sup1.pk]}
    r = multipart(bureau.sup1, f"/matters/{m.pk}/measures", data)
    assert r.status_code == 409
    assert "两名以上" in r.json()["detail"]
    assert "《广东省行政执法监督条例》第二十七条" in r.json()["article"]
    data["supervisor_ids"] = [bureau.sup1.pk, bureau.sup3.pk]
    r = multipart(bureau.sup1, f"/matters/{m.pk}/measures", data)
    assert r.status_code == 409 and "何无证未持有" in r.json()["detail"]
    assert entries("supervision.matter.measure") == []
    assert not Step.objects.filter(matter=m).exists()


def test_a_measure_naming_someone_off_the_team_or_no_one_is_422(bureau: Bureau) -> None:
    m = accepted(bureau)
    path = f"/matters/{m.pk}/measures"
    r = multipart(
        bureau.sup1,
        path,
        {"kind": "inspection", "text": "检查", "supervisor_ids": [bureau.sup1.pk, bureau.sup2.pk]},
    )
    assert r.status_code == 422 and r.json()["field"] == "supervisor_ids"
    assert str(bureau.sup2.pk) in r.json()["detail"]
    r = multipart(bureau.sup1, path, {"kind": "inspection", "text": "检查"})
    assert r.status_code == 422 and r.json()["field"] == "supervisor_ids"
    r = multipart(bureau.sup1, path, {"kind": "case_file_read", "text": "x", "supervisor_ids": 1})
    assert r.status_code == 422 and r.json()["field"] == "kind"
    assert entries("supervision.matter.measure") == []


# -- 调阅 ------------------------------------------------------------------------------------


def test_reading_a_case_file_appends_the_entry_the_page_does(bureau: Bureau, world: World) -> None:
    case = world.clue(on=ON)
    m = accepted(bureau)
    for who in outsiders(bureau):
        assert (
            post(who, f"/matters/{m.pk}/case-file-reads", {"case_id": case.pk}).status_code == 404
        )
    before = Entry.objects.filter(case_id=case.pk).count()
    r = post(bureau.sup1, f"/matters/{m.pk}/case-file-reads", {"case_id": case.pk})
    assert r.status_code == 200, r.content
    (read,) = [s for s in r.json()["steps"] if s["kind"] == "case_file_read"]
    assert read["case_id"] == case.pk and read["supervisors"] == ["陈监督"]
    (entry,) = entries("supervision.matter.case_file_read")
    assert entry.data["case"] == case.pk and entry.data["matter"] == m.pk
    assert entry.actor_name == "陈监督"
    assert Entry.objects.filter(case_id=case.pk).count() == before  # the case is not changed
    # Through the page: the same entry, the same payload keys.
    page = Client()
    page.force_login(bureau.sup1)
    assert (
        page.post(
            f"/supervision/matters/{m.pk}/steps/matter_case_file_read/", {"case_id": case.pk}
        ).status_code
        == 302
    )
    api_entry, page_entry = entries("supervision.matter.case_file_read")
    assert api_entry.action == page_entry.action
    assert set(api_entry.data) == set(page_entry.data)


def test_a_case_of_another_agency_is_refused_with_article_22(bureau: Bureau, world: World) -> None:
    case = world.clue(on=ON)  # agency A's
    m = opened(bureau, agency=bureau.p.agency_b)
    services.matter_accept(actor=bureau.sup1, matter=m, on=ON)
    r = post(bureau.sup1, f"/matters/{m.pk}/case-file-reads", {"case_id": case.pk})
    assert r.status_code == 409
    assert "第二十二条" in r.json()["article"]
    assert entries("supervision.matter.case_file_read") == []


# -- the outcome of a recommendation or a clue transfer -----------------------------------------


def _clue_transfer(b: Bureau, m: Matter) -> Document:
    return services.matter_document_issue(
        actor=b.sup1,
        matter=m,
        kind=Document.Kind.CLUE_TRANSFER,
        findings="执法人员涉嫌违纪",
        requirement="移送纪检监察机关依法处理",
        fields={"to_body": "示范市纪委监委"},
        on=ON,
    )


def test_recording_the_receipt_of_a_clue_transfer(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = _clue_transfer(bureau, m)
    body = {"outcome": "示范市纪委监委已签收，回执编号2026-18"}
    for who in outsiders(bureau):
        assert post(who, f"/documents/{doc.pk}/outcome", body).status_code == 404
    r = post(bureau.sup1, f"/documents/{doc.pk}/outcome", body)
    assert r.status_code == 200, r.content
    (out,) = [d for d in r.json()["documents"] if d["id"] == doc.pk]
    assert out["status"] == "done" and out["outcome"] == "2026年3月2日：" + body["outcome"]
    assert len(entries("supervision.document.outcome")) == 1


def test_an_opinion_has_no_outcome_to_record(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = opinion(bureau, m)
    r = post(bureau.sup1, f"/documents/{doc.pk}/outcome", {"outcome": "已处理"})
    assert r.status_code == 409
    assert "第三十二条" in r.json()["article"] and "没有需要登记的处理结果" in r.json()["detail"]
    assert entries("supervision.document.outcome") == []
    # A supervisor of the region but of no 司法局 (not the body's) is refused by rule, 409.
    far_doc = _clue_transfer(bureau, m)
    r = post(bureau.p.supervisor, f"/documents/{far_doc.pk}/outcome", {"outcome": "x"})
    assert r.status_code == 409 and "第六条" in r.json()["article"]


# -- the documents' files --------------------------------------------------------------------


def test_the_document_downloads_on_both_sides_and_to_no_one_else(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = opinion(bureau, m)
    pdf = get(bureau.sup1, f"/documents/{doc.pk}/files/pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    docx = get(bureau.p.head, f"/documents/{doc.pk}/files/docx")
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Docx(io.BytesIO(b"".join(docx.streaming_content))).paragraphs)
    assert doc.number in text
    for who in (bureau.far, bureau.p.officer, bureau.p.officer_b):
        r = get(who, f"/documents/{doc.pk}/files/pdf")
        assert r.status_code == 404 and r.json() == get(who, "/documents/999999/files/pdf").json()
    assert get(bureau.sup1, f"/documents/{doc.pk}/files/odt").status_code == 422


def test_the_head_of_another_agency_gets_nothing(bureau: Bureau) -> None:
    """A matter about agency B: agency A's head sees neither it nor its documents."""
    m = opened(bureau, agency=bureau.p.agency_b)
    services.matter_accept(actor=bureau.sup1, matter=m, on=ON)
    services.matter_team_join(actor=bureau.sup1, matter=m, account=bureau.sup2, on=ON)
    services.matter_measure_record(
        actor=bureau.sup1,
        matter=m,
        kind=Step.Kind.INSPECTION,
        text="检查",
        supervisors=[bureau.sup1, bureau.sup2],
        on=ON,
    )
    doc = opinion(bureau, Matter.objects.get(pk=m.pk))
    head = bureau.p.head
    assert get(head, f"/inbox/{m.pk}").status_code == 404
    assert get(head, f"/documents/{doc.pk}/files/pdf").status_code == 404
    assert post(head, f"/documents/{doc.pk}/outcome", {"outcome": "x"}).status_code == 404
    assert MatterSupervisor.objects.filter(matter=m).count() == 2
