"""The supervisory body edits the wording of its documents on a page: it previews a wording on
its last such document (nothing saved), saves it (recorded with the whole text) and the next
document is generated from it; a broken wording is refused with what was typed kept; the
default comes back with one button. Only the body's own supervisors reach the pages."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from pypdf import PdfReader

from zhifa.record.evidence import evidence_open
from zhifa.record.models import Entry
from zhifa.registry.models import Account
from zhifa.supervision import documents
from zhifa.supervision.models import DocumentTemplate

from .conftest import Bureau
from .test_services import investigating, opinion

pytestmark = pytest.mark.django_db

URL = "/supervision/templates/opinion/"
OWN = (
    "# {{ title }}\n{{ number }}\n{{ agency }}：\n本机构自定的监督意见措辞。\n"
    "{% for line in findings %}{{ line }}\n{% endfor %}"
)


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel("2026-03-02 10:00 +08:00", tick=False):
        yield


def client_for(account: Account) -> Client:
    c = Client()
    c.force_login(account)
    return c


def _pdf_text(sha256: str) -> str:
    with evidence_open(sha256) as stream:
        data = stream.read()
    return "".join("".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_the_list_shows_each_kind_and_whether_the_body_has_its_own(bureau: Bureau) -> None:
    page = client_for(bureau.sup1).get("/supervision/templates/").content.decode()
    assert "行政执法监督意见书" in page and "督办函" in page
    assert "本机构模板" not in page  # nothing changed yet


def test_preview_shows_the_last_document_in_the_new_wording_and_saves_nothing(
    bureau: Bureau,
) -> None:
    doc = opinion(bureau, investigating(bureau))
    c = client_for(bureau.sup1)
    r = c.post(URL, {"text": OWN, "action": "preview"})
    assert r.status_code == 200
    page = r.content.decode()
    assert "预览（未保存）" in page and "本机构自定的监督意见措辞。" in page
    assert doc.number in page and bureau.p.agency_a.name in page  # the last opinion's values
    assert not DocumentTemplate.objects.exists()


def test_saving_is_recorded_and_the_next_document_uses_it(bureau: Bureau) -> None:
    c = client_for(bureau.sup1)
    r = c.post(URL, {"text": OWN, "action": "save"})
    assert r.status_code == 302
    entry = Entry.objects.filter(action="supervision.template.set").get()
    assert entry.data["text"] == OWN and entry.data["kind"] == "opinion"
    assert "本机构模板" in c.get("/supervision/templates/").content.decode()
    doc = opinion(bureau, investigating(bureau))
    assert doc.pdf is not None
    assert "本机构自定的监督意见措辞。" in _pdf_text(doc.pdf.sha256)


def test_a_broken_wording_is_refused_and_kept(bureau: Bureau) -> None:
    c = client_for(bureau.sup1)
    for text, why in (
        ("{% for line in findings %}没有结束", "文书模板有误"),
        ("没有标题行\n{{ number }}", "须有标题行"),
    ):
        r = c.post(URL, {"text": text, "action": "save"})
        assert r.status_code == 409
        page = r.content.decode()
        assert why in page and "没有" in page  # the rule, and what was typed
    assert not DocumentTemplate.objects.exists()
    assert not Entry.objects.filter(action="supervision.template.set").exists()


def test_back_to_the_default_is_recorded_too(bureau: Bureau) -> None:
    c = client_for(bureau.sup1)
    c.post(URL, {"text": OWN, "action": "save"})
    r = c.post(URL, {"action": "reset"})
    assert r.status_code == 302
    assert "现用：默认模板" in c.get(URL).content.decode()
    assert documents.template_for(bureau.body.pk, "opinion")[0] == documents.default_template(
        "opinion"
    )
    assert Entry.objects.filter(action="supervision.template.set").count() == 2


def test_only_the_bodys_supervisors_reach_the_pages(bureau: Bureau) -> None:
    for who in (bureau.p.head, bureau.p.officer, bureau.p.admin):
        c = client_for(who)
        assert c.get("/supervision/templates/").status_code == 404
        assert c.post(URL, {"text": OWN, "action": "save"}).status_code == 404
    assert client_for(bureau.sup1).get("/supervision/templates/nonsense/").status_code == 404
    assert not DocumentTemplate.objects.exists()
