"""Outcome documents are generated as PDF and DOCX when issued, numbered, carried by the issuing
entry, from the body's own template when it set one — and read back here."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from docx import Document as Docx
from pypdf import PdfReader

from zhifa.core.exceptions import RuleViolation
from zhifa.record.evidence import evidence_open
from zhifa.record.models import Entry, EvidenceFile
from zhifa.supervision import services
from zhifa.supervision.models import Document

from .conftest import Bureau
from .test_services import ON, investigating

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    with time_machine.travel("2026-03-02 10:00 +08:00", tick=False):
        yield


def _bytes(row: EvidenceFile | None) -> bytes:
    assert row is not None
    with evidence_open(row.sha256) as stream:
        return stream.read()


def _squash(text: str) -> str:
    return "".join(text.split())


def pdf_text(doc: Document) -> str:
    reader = PdfReader(io.BytesIO(_bytes(doc.pdf)))
    return _squash("".join(page.extract_text() for page in reader.pages))


def docx_text(doc: Document) -> str:
    return _squash("".join(p.text for p in Docx(io.BytesIO(_bytes(doc.docx))).paragraphs))


def assert_reads(doc: Document, *texts: str) -> None:
    in_pdf, in_docx = pdf_text(doc), docx_text(doc)
    for text in texts:
        assert _squash(text) in in_pdf, f"{text!r} not in the PDF"
        assert _squash(text) in in_docx, f"{text!r} not in the DOCX"


def test_an_opinion_reads_back_with_its_number_due_day_and_source(bureau: Bureau) -> None:
    m = investigating(bureau)
    doc = services.matter_document_issue(
        actor=bureau.sup1,
        matter=m,
        kind=Document.Kind.OPINION,
        findings="同一违法行为给予两次罚款\n第二次罚款无事实依据",
        requirement="撤销第二次罚款决定",
        on=ON,
    )
    assert_reads(
        doc,
        "行政执法监督意见书",
        "示范市司法局〔2026〕监意1号",
        "示范市甲区市场监督管理局：",
        "第二次罚款无事实依据",
        "2026年4月1日前纠正",
        "《广东省行政执法监督条例》第三十三条",
        "第二十八条",
    )
    entry = Entry.objects.get(seq=doc.entry_seq)
    assert entry.action == "supervision.document.issue"
    assert {f.sha256 for f in entry.file_refs} == {doc.pdf.sha256, doc.docx.sha256}  # type: ignore[union-attr]
    assert doc.template_source == "default"


def test_each_outcome_kind_is_generated(bureau: Bureau) -> None:
    m = investigating(bureau)
    officer = bureau.p.officer_record
    cases = [
        (Document.Kind.URGE_LETTER, {}, "督办", "第二十七条"),
        (Document.Kind.NOTICE, {"scope": "全市各行政执法机关"}, "通报", "全市各行政执法机关"),
        (
            Document.Kind.OFFICER_RECOMMENDATION,
            {"officer_id": officer.pk, "measure": "criticism", "to_body": "示范市市场监督管理局"},
            "监建",
            "批评教育",
        ),
        (Document.Kind.CLUE_TRANSFER, {"to_body": "示范市纪委监委"}, "线移", "示范市纪委监委"),
        (
            Document.Kind.DECISION,
            {"approved_by": "示范市人民政府", "approved_on": "2026-03-01", "grave": True},
            "监决",
            "示范市人民政府",
        ),
    ]
    for kind, fields, abbr, text in cases:
        doc = services.matter_document_issue(
            actor=bureau.sup1,
            matter=m,
            kind=kind,
            findings="查明的问题",
            requirement="处理意见",
            fields=fields,
            on=date(2026, 3, 2),
        )
        assert f"〔2026〕{abbr}1号" in doc.number
        assert_reads(doc, doc.get_kind_display(), doc.number, text)


def test_a_body_edits_its_template(bureau: Bureau) -> None:
    with pytest.raises(RuleViolation, match="标题行"):
        services.document_template_set(actor=bureau.sup1, kind="opinion", text="没有标题")
    services.document_template_set(
        actor=bureau.sup1,
        kind="opinion",
        text=(
            "# {{ title }}\n^ {{ number }}\n"
            "本局自定义措辞：{% for l in findings %}{{ l }}{% endfor %}"
        ),
    )
    assert Entry.objects.filter(action="supervision.template.set").count() == 1
    m = investigating(bureau)
    doc = services.matter_document_issue(
        actor=bureau.sup1, matter=m, kind="opinion", findings="问题甲", requirement="r", on=ON
    )
    assert doc.template_source == "body"
    assert_reads(doc, "本局自定义措辞：问题甲")
