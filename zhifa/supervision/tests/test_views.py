"""The pages: the supervisor's list and workspace, the agency head's inbox; refusals keep what
was typed and name the article; every page answers 404 to the wrong region, agency or role and
sends the anonymous visitor to log in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhifa.registry.models import Account
from zhifa.supervision.models import Document, Matter, Objection

from .conftest import Bureau
from .test_services import investigating, opened, opinion

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel("2026-03-02 10:00 +08:00", tick=False):
        yield


def client_for(account: Account) -> Client:
    c = Client()
    c.force_login(account)
    return c


def text(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined]


def test_supervisor_opens_a_matter_from_the_form(bureau: Bureau) -> None:
    c = client_for(bureau.sup1)
    page = c.get("/supervision/matters/new/")
    assert page.status_code == 200
    r = c.post(
        "/supervision/matters/new/",
        {
            "agency": bureau.p.agency_a.pk,
            "origin": "hotline_12345",
            "origin_ref": "12345-001",
            "kind": "key",
            "key_method": "",
            "title": "夜间突击检查扰民",
            "summary": "热线转办",
        },
    )
    assert r.status_code == 409
    assert "挂牌督办或者提级监督" in text(r) and "第二十条" in text(r)
    assert "夜间突击检查扰民" in text(r)  # what was typed stays
    r = c.post(
        "/supervision/matters/new/",
        {
            "agency": bureau.p.agency_a.pk,
            "origin": "hotline_12345",
            "kind": "key",
            "key_method": "listed",
            "title": "夜间突击检查扰民",
            "summary": "热线转办",
        },
    )
    m = Matter.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/supervision/matters/{m.pk}/"
    listing = text(c.get("/supervision/matters/?kind=key"))
    assert m.number in listing
    assert m.number not in text(c.get("/supervision/matters/?state=closed"))


def test_workspace_walk_and_the_inbox(bureau: Bureau) -> None:
    m = opened(bureau)
    sup = client_for(bureau.sup1)
    base = f"/supervision/matters/{m.pk}/"
    r = sup.post(base + "steps/matter_accept/", {"under_review": "on"})
    assert r.status_code == 409 and "第三十三条" in text(r)
    assert sup.post(base + "steps/matter_accept/", {}).status_code == 302
    r = sup.post(
        base + "steps/matter_measure_record/",
        {"kind": "inspection", "text": "现场检查", "supervisors": [bureau.sup1.pk]},
    )
    assert r.status_code == 409 and "两名以上" in text(r)
    assert "现场检查" in text(r)  # what was typed stays
    sup.post(base + "steps/matter_team_join/", {"account": bureau.sup2.pk})
    r = sup.post(
        base + "steps/matter_measure_record/",
        {
            "kind": "talk",
            "text": "约谈纪要：局长到场",
            "supervisors": [bureau.sup1.pk, bureau.sup2.pk],
            "attachments": SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 minutes", "application/pdf"),
        },
    )
    assert r.status_code == 302
    sup.post(base + "steps/matter_explanation_request/", {"text": "请说明两次罚款的依据"})
    r = sup.post(
        base + "steps/matter_document_issue/",
        {"kind": "opinion", "findings": "重复罚款", "requirement": "撤销第二次罚款"},
    )
    assert r.status_code == 302
    page = text(sup.get(base))
    doc = Document.objects.get()
    assert doc.number in page and "纪要.pdf" in page
    assert "广东省行政执法监督条例" in page  # the countdown's source
    assert sup.get(f"/supervision/documents/{doc.pk}/pdf/").status_code == 200

    head = client_for(bureau.p.head)
    assert m.number in text(head.get("/supervision/inbox/"))
    inbox = f"/supervision/inbox/{m.pk}/"
    assert "请说明两次罚款的依据" in text(head.get(inbox))
    req = m.steps.get(kind="explanation_request")
    assert (
        head.post(inbox + "steps/answer/", {"request": req.pk, "text": "系录入错误"}).status_code
        == 302
    )
    r = head.post(inbox + "steps/objection/", {"document": doc.pk, "reasons": "处罚正确"})
    assert r.status_code == 302
    obj = Objection.objects.get()
    r = sup.post(
        base + "steps/objection_answer/", {"objection": obj.pk, "upheld": "0", "answer": "不成立"}
    )
    assert r.status_code == 302
    r = head.post(
        inbox + "steps/report/",
        {
            "document": doc.pk,
            "report": "已撤销并退款",
            "attachments": SimpleUploadedFile(
                "退款凭证.pdf", b"%PDF-1.4 refund", "application/pdf"
            ),
        },
    )
    assert r.status_code == 302
    sup.post(base + "steps/document_check/", {"document": doc.pk, "accepted": "1", "note": "到位"})
    assert sup.post(base + "steps/matter_close/", {"reason": "整改到位"}).status_code == 302
    assert Matter.objects.get().state == Matter.State.CLOSED
    assert head.get(f"/supervision/documents/{doc.pk}/docx/").status_code == 200


@pytest.mark.parametrize("who", ["far", "officer", "head_b", "anonymous", "head_before_acceptance"])
def test_pages_are_not_found_outside_scope(bureau: Bureau, who: str) -> None:
    from zhifa.core.testing import PASSWORD
    from zhifa.registry import services as registry

    m = opened(bureau)
    if who != "head_before_acceptance":
        m = investigating(bureau)
        doc = opinion(bureau, m)
    urls = [f"/supervision/matters/{m.pk}/", f"/supervision/inbox/{m.pk}/"]
    if who == "far":
        c = client_for(bureau.far)
    elif who == "officer":
        c = client_for(bureau.p.officer)
    elif who == "head_b":
        head_b = registry.account_create(
            actor=bureau.p.admin,
            username="headb",
            password=PASSWORD,
            role=Account.Role.HEAD,
            agency=bureau.p.agency_b,
        )
        c = client_for(head_b)
    elif who == "head_before_acceptance":
        c = client_for(bureau.p.head)
    else:
        c = Client()
    if who != "head_before_acceptance":
        urls.append(f"/supervision/documents/{doc.pk}/pdf/")
    for url in urls:
        r = c.get(url)
        if who == "anonymous":
            assert r.status_code == 302 and "/login" in r["Location"]
        else:
            assert r.status_code == 404, url
    r = c.post(f"/supervision/matters/{m.pk}/steps/matter_terminate/", {"reason": "x"})
    assert r.status_code in (302, 404) if who == "anonymous" else r.status_code == 404
    assert Matter.objects.get(pk=m.pk).state != Matter.State.TERMINATED


def test_a_province_opens_special_supervision_with_its_approved_plan(bureau: Bureau) -> None:
    bureau.body.level = "province"
    bureau.body.save()
    c = client_for(bureau.sup1)
    data = {
        "agency": bureau.p.agency_a.pk,
        "origin": "supervision_suggestion",
        "kind": "special",
        "title": "涉企检查专项监督",
        "summary": "根据检察建议开展",
        "departments": "各市场监管部门",
        "focus": "重复检查",
        "schedule": "三个月",
        "requirements": "逐案核查",
    }
    r = c.post("/supervision/matters/new/", data)
    assert r.status_code == 409 and "报本级人民政府批准" in text(r)
    r = c.post(
        "/supervision/matters/new/",
        {**data, "approved_by": "某省人民政府", "approved_on": "2026-02-20"},
    )
    assert r.status_code == 302
    assert Matter.objects.get().plan["approved_on"] == "2026-02-20"
