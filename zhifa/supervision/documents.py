"""Supervision documents (督办函, 意见书, 决定书, 通报, 处理建议书, 线索移送函) as PDF and DOCX.

Generated when the document is issued (``services.matter_document_issue``), from the body's own
template (``DocumentTemplate``, set by ``document_template_set``, recorded) or the default file
``templates/supervision/documents/<kind>.txt`` — Django template language rendering to the
markup of ``cases.rendering.markup``, laid out by the cases' PDF and DOCX writers. The context
holds plain values only; user text is cleaned line by line (``clean``), so it never starts a
block of its own. Both files are stored as evidence and carried by the issuing entry.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.template import Context, Engine, Template, TemplateSyntaxError

from zhifa.cases import typography
from zhifa.cases.documents import DOCX_TYPE, PDF_TYPE, chinese_date, document_font
from zhifa.cases.rendering import DocumentMeta
from zhifa.cases.rendering.docx import render_docx
from zhifa.cases.rendering.markup import Block, BlockKind, clean, parse, plain_text
from zhifa.cases.rendering.pdf import render_pdf
from zhifa.core.exceptions import RuleViolation
from zhifa.core.time_limits import time_limit
from zhifa.record.models import EvidenceFile
from zhifa.record.services import evidence_store

from . import time_limits as tl
from .models import Document, DocumentTemplate

TEMPLATE_DIR = Path(__file__).parent / "templates"


@cache
def template_engine() -> Engine:
    return Engine(dirs=[str(TEMPLATE_DIR)], app_dirs=False, autoescape=False, libraries={})


def default_template(kind: str) -> str:
    return (TEMPLATE_DIR / "supervision" / "documents" / f"{kind}.txt").read_text(encoding="utf-8")


def template_for(body_id: int, kind: str) -> tuple[str, str]:
    """(template text, source): the body's own, else the default file."""
    own = DocumentTemplate.objects.filter(body_id=body_id, kind=kind).first()
    if own is not None:
        return own.text, "body"
    return default_template(kind), "default"


def _compile(text: str) -> Template:
    try:
        return Template(text, engine=template_engine())
    except TemplateSyntaxError as exc:
        raise RuleViolation(f"文书模板有误：{exc}", field="text") from exc


def _lines(text: str) -> list[str]:
    return [clean(line) for line in text.splitlines() if line.strip()]


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def values_of(document: Document) -> dict[str, Any]:
    """The template's values: plain strings and lists only."""
    matter = document.matter
    fields = document.fields or {}
    limit_key = tl.FOR_DOCUMENT.get(document.kind)
    return {
        "title": document.get_kind_display(),
        "number": clean(document.number),
        "issuer": clean(document.issuer),
        "agency": clean(matter.agency.name),
        "date": chinese_date(document.issued_on),
        "due_on": chinese_date(document.due_on),
        "limit": time_limit(limit_key).text if limit_key else "",
        "objection_limit": time_limit(tl.OBJECTION_FILE).text,
        "findings": _lines(document.findings),
        "requirement": _lines(document.requirement),
        "matter": {
            "number": clean(matter.number),
            "title": clean(matter.title),
            "origin": clean(matter.get_origin_display()),
        },
        "proposed_by": clean(fields.get("proposed_by", "")),
        "approved_by": clean(fields.get("approved_by", "")),
        "approved_on": chinese_date(_day(fields.get("approved_on"))),
        "scope": clean(fields.get("scope", "") or "各有关单位"),
        "to_body": clean(fields.get("to_body", "")),
        "officer_name": clean(fields.get("officer_name", "")),
        "measure_label": clean(fields.get("measure_label", "")),
        "suspended": bool(fields.get("suspend")),
    }


def document_blocks(text: str, values: dict[str, Any]) -> list[Block]:
    markup = _compile(text).render(Context(values, autoescape=False))
    return [typography.block_tidy(b) for b in parse(markup)]


def check_template(text: str, kind: str) -> None:
    """A template must compile and have a title line (``# …``)."""
    try:
        sample = _compile(text).render(Context({"title": kind}, autoescape=False))
    except RuleViolation:
        raise
    except Exception as exc:
        raise RuleViolation(f"文书模板有误：{exc}", field="text") from exc
    if not any(b.kind == BlockKind.TITLE for b in parse(sample)):
        raise RuleViolation("文书模板须有标题行（以“# ”开头）", field="text")


def document_text(document: Document) -> str:
    """The document's text, one block a line (``markup.plain_text``): what its PDF and DOCX
    print — the text a published result starts from (personal data still in it)."""
    text, _ = template_for(document.matter.body_id, document.kind)
    return plain_text(document_blocks(text, values_of(document)))


def render_files(document: Document, *, at: datetime) -> tuple[EvidenceFile, EvidenceFile, str]:
    """Lay the document out as PDF and DOCX, store both; (pdf, docx, template source)."""
    text, source = template_for(document.matter.body_id, document.kind)
    blocks = document_blocks(text, values_of(document))
    meta = DocumentMeta(
        title=document.get_kind_display(),
        number=document.number,
        author=document.issuer,
        at=at,
        version=1,
        reference=f"supervision matter {document.matter_id} document {document.pk}",
    )
    stem = f"{document.get_kind_display()}-{document.number}"
    pdf = evidence_store(
        io.BytesIO(render_pdf(blocks, font=document_font(), meta=meta)),
        name=f"{stem}.pdf",
        media_type=PDF_TYPE,
        at=at,
    )
    docx = evidence_store(
        io.BytesIO(render_docx(blocks, meta=meta)), name=f"{stem}.docx", media_type=DOCX_TYPE, at=at
    )
    return pdf, docx, source
