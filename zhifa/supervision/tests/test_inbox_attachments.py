"""The agency's head adds files to its written explanation, objection or rectification report
through the API (``POST /api/v1/supervision/inbox/{matter_id}/attachments``, multipart): the
JSON operations carry text only, the page's forms take files. The same checks as the page (each
file within its kind's size limit: 413, as for the measures), the same record (the files on the
entry and on the row, the attachment opens from the matter's page), 409 naming the rule when
the thing is no longer open, the inbox's gate (404) to everyone else."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from zhifa.cases.tests.conftest import bearer as auth
from zhifa.notifications.models import Notification
from zhifa.record.action_labels import action_label
from zhifa.record.models import Entry
from zhifa.registry.models import Account
from zhifa.supervision import services
from zhifa.supervision.models import Document, Matter, Objection, Step
from zhifa.supervision.selectors import supervision_replay_check

from .conftest import Bureau
from .test_services import ON, investigating, opinion

pytestmark = pytest.mark.django_db
API = "/api/v1/supervision"
ACTION = "supervision.agency.attachments_add"


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel("2026-03-02 10:00 +08:00", tick=False):
        yield


def files(*names: str) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(n, f"内容{n}".encode(), content_type="text/plain") for n in names]


def attach(account: Account, matter: Matter, to: str, pk: int, *names: str) -> Any:
    data: dict[str, Any] = {"to": to, "id": pk}
    if names:
        data["attachments"] = files(*names)
    return Client().post(f"{API}/inbox/{matter.pk}/attachments", data, headers=auth(account))


def post_json(account: Account, path: str, body: dict[str, Any]) -> Any:
    return Client().post(API + path, body, content_type="application/json", headers=auth(account))


def entries() -> list[Entry]:
    return list(Entry.objects.filter(action=ACTION).order_by("seq"))


def test_an_answer_made_by_json_then_its_files(bureau: Bureau) -> None:
    m = investigating(bureau)
    req = services.matter_explanation_request(actor=bureau.sup1, matter=m, text="说明", on=ON)
    r = post_json(bureau.p.head, f"/inbox/requests/{req.pk}/answer", {"text": "已自查"})
    assert r.status_code == 200, r.content
    answer = Step.objects.get(matter=m, kind=Step.Kind.EXPLANATION_ANSWER)
    r = attach(bureau.p.head, m, "answer", answer.pk, "自查报告.txt", "台账.txt")
    assert r.status_code == 200, r.content
    (shown,) = [s for s in r.json()["steps"] if s["id"] == answer.pk]
    assert sorted(f["name"] for f in shown["files"]) == ["台账.txt", "自查报告.txt"]
    answer.refresh_from_db()
    assert sorted(f["name"] for f in answer.files) == ["台账.txt", "自查报告.txt"]
    (entry,) = entries()
    assert sorted(ref.name for ref in entry.file_refs) == ["台账.txt", "自查报告.txt"]
    assert entry.actor_id == bureau.p.head.pk and entry.data["to"] == "answer"
    assert entry.data["matter"] == m.pk and answer.entry_seq == entry.seq
    assert action_label(ACTION) == "被监督机关补充附件"
    # A second batch is appended; nothing already there changes.
    assert attach(bureau.p.head, m, "answer", answer.pk, "补充.txt").status_code == 200
    answer.refresh_from_db()
    assert [f["name"] for f in answer.files][-1] == "补充.txt" and len(answer.files) == 3
    assert not list(supervision_replay_check([]))
    # The supervisors are told and open the file from the matter's page, as the page's uploads.
    assert Notification.objects.filter(recipient=bureau.sup1, title__contains="补充了").exists()
    page = Client()
    page.force_login(bureau.sup1)
    sha = answer.files[0]["sha256"]
    assert page.get(f"/supervision/matters/{m.pk}/files/{sha}/").status_code == 200
    ws = page.get(f"/supervision/matters/{m.pk}/").content.decode()
    assert "被监督机关补充附件" in ws and "自查报告.txt" in ws


def test_an_objection_takes_files_until_it_is_answered(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = opinion(bureau, m)
    r = post_json(bureau.p.head, f"/inbox/documents/{doc.pk}/objection", {"reasons": "事实有误"})
    assert r.status_code == 200, r.content
    obj = Objection.objects.get(document=doc)
    r = attach(bureau.p.head, m, "objection", obj.pk, "证据.txt")
    assert r.status_code == 200, r.content
    (d,) = [d for d in r.json()["documents"] if d["id"] == doc.pk]
    assert [f["name"] for f in d["objections"][0]["files"]] == ["证据.txt"]
    services.objection_answer(
        actor=bureau.sup1, objection=obj, upheld=False, answer="不成立", on=ON
    )
    r = attach(bureau.p.head, m, "objection", obj.pk, "迟到.txt")
    assert r.status_code == 409
    assert "该异议已经答复" in r.json()["detail"] and "第三十条" in r.json()["article"]
    assert len(entries()) == 1
    obj.refresh_from_db()
    assert [f["name"] for f in obj.files] == ["证据.txt"]


def test_a_report_takes_files_until_it_is_checked(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = opinion(bureau, m)
    r = attach(bureau.p.head, m, "report", doc.pk, "早了.txt")
    assert r.status_code == 409 and "尚未报送整改情况" in r.json()["detail"]
    assert "第二十八条" in r.json()["article"]
    r = post_json(bureau.p.head, f"/inbox/documents/{doc.pk}/report", {"report": "已撤销"})
    assert r.status_code == 200, r.content
    r = attach(bureau.p.head, m, "report", doc.pk, "撤销决定书.txt", "退款凭证.txt")
    assert r.status_code == 200, r.content
    (d,) = [d for d in r.json()["documents"] if d["id"] == doc.pk]
    assert sorted(f["name"] for f in d["report_files"]) == ["撤销决定书.txt", "退款凭证.txt"]
    doc.refresh_from_db()
    assert doc.status == Document.Status.REPORTED and len(doc.report_files) == 2
    services.document_check(actor=bureau.sup1, document=doc, accepted=True, note="到位", on=ON)
    r = attach(bureau.p.head, m, "report", doc.pk, "迟到.txt")
    assert r.status_code == 409 and "整改情况已经验收" in r.json()["detail"]
    assert len(entries()) == 1


def test_a_file_past_its_kinds_limit_is_refused_as_on_the_page(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = opinion(bureau, m)
    services.document_report(actor=bureau.p.head, document=doc, report="已整改", on=ON)
    with override_settings(ZHIFA_UPLOAD_LIMITS={"document": 4}):
        r = attach(bureau.p.head, m, "report", doc.pk, "大文件.txt")
    # Refused while the body is read (the upload limit of every page and operation): 413.
    assert r.status_code == 413, r.content
    assert "大文件.txt" in r.json()["detail"] and "ZHIFA_UPLOAD_LIMITS" in r.json()["detail"]
    assert entries() == []
    doc.refresh_from_db()
    assert doc.report_files == []


def test_no_file_a_wrong_target_or_a_row_of_another_matter(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = opinion(bureau, m)
    services.document_report(actor=bureau.p.head, document=doc, report="已整改", on=ON)
    assert attach(bureau.p.head, m, "report", doc.pk).status_code == 422  # no attachments
    assert attach(bureau.p.head, m, "decision", doc.pk, "a.txt").status_code == 422
    other = investigating(bureau)
    r = attach(bureau.p.head, other, "report", doc.pk, "a.txt")
    assert r.status_code == 409 and "本监督事项中没有该整改情况报告" in r.json()["detail"]
    assert entries() == []


def test_an_answer_of_a_closed_matter_takes_no_files(bureau: Bureau) -> None:
    m = investigating(bureau)
    req = services.matter_explanation_request(actor=bureau.sup1, matter=m, text="说明", on=ON)
    answer = services.matter_explanation_answer(
        actor=bureau.p.head, request=req, text="已说明", on=ON
    )
    services.matter_terminate(actor=bureau.sup1, matter=m, reason="未发现问题", on=ON)
    r = attach(bureau.p.head, m, "answer", answer.pk, "a.txt")
    assert r.status_code == 409 and "监督事项已经结束" in r.json()["detail"]


def test_only_the_agencys_head_passes_the_inbox_gate(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = opinion(bureau, m)
    services.document_report(actor=bureau.p.head, document=doc, report="已整改", on=ON)
    for who in (bureau.sup1, bureau.far, bureau.p.officer, bureau.p.officer_b):
        r = attach(who, m, "report", doc.pk, "a.txt")
        assert r.status_code == 404, (who.username, r.status_code)
    missing = Client().post(
        f"{API}/inbox/999999/attachments",
        {"to": "report", "id": doc.pk, "attachments": files("a.txt")},
        headers=auth(bureau.p.head),
    )
    assert missing.status_code == 404
    anonymous = Client().post(
        f"{API}/inbox/{m.pk}/attachments", {"to": "report", "id": doc.pk, "attachments": files("a")}
    )
    assert anonymous.status_code == 401
    assert entries() == []
