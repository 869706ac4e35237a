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


# -- a body's own wording: what the template page shows and previews ----------------------------

# The values a template may use, as the template page lists them.
VARIABLES: tuple[tuple[str, str], ...] = (
    ("title", "文书名称"),
    ("number", "文号"),
    ("issuer", "制发机关"),
    ("agency", "被监督机关"),
    ("date", "制发日期"),
    ("due_on", "纠正、报告或者答复的最后一日"),
    ("limit", "该期限及其依据"),
    ("objection_limit", "异议期限及其依据"),
    ("findings", "查明的问题（逐行，用 {% for line in findings %}）"),
    ("requirement", "监督意见、要求（逐行，用 {% for line in requirement %}）"),
    ("matter.number", "监督事项编号"),
    ("matter.title", "监督事项名称"),
    ("matter.origin", "监督事项来源"),
    ("proposed_by", "提请机关（决定书）"),
    ("approved_by", "批准机关（决定书）"),
    ("approved_on", "批准日期（决定书）"),
    ("scope", "通报范围（通报）"),
    ("to_body", "移送或者建议的对象机关"),
    ("officer_name", "执法人员姓名（处理建议）"),
    ("measure_label", "建议的处理措施（处理建议）"),
    ("suspended", "是否暂停执法证件（处理建议）"),
)


def template_source(body_id: int, kind: str) -> str:
    """ "body" when the body's own wording differs from the default file, else "default"."""
    text, source = template_for(body_id, kind)
    return "body" if source == "body" and text != default_template(kind) else "default"


def sample_values(kind: str, body_name: str, today: date) -> dict[str, Any]:
    """Placeholders in every value, for previewing a wording before any such document exists."""
    limit_key = tl.FOR_DOCUMENT.get(kind)
    return {
        "title": Document.Kind(kind).label,
        "number": "（文号）",
        "issuer": body_name,
        "agency": "（被监督机关）",
        "date": chinese_date(today),
        "due_on": "（最后一日）",
        "limit": time_limit(limit_key).text if limit_key else "",
        "objection_limit": time_limit(tl.OBJECTION_FILE).text,
        "findings": ["（查明的问题）"],
        "requirement": ["（监督意见、要求）"],
        "matter": {"number": "（监督事项编号）", "title": "（监督事项名称）", "origin": "（来源）"},
        "proposed_by": "（提请机关）",
        "approved_by": "（批准机关）",
        "approved_on": chinese_date(today),
        "scope": "各有关单位",
        "to_body": "（对象机关）",
        "officer_name": "（执法人员）",
        "measure_label": "（处理措施）",
        "suspended": False,
    }


def template_preview(
    text: str, *, kind: str, body_id: int, body_name: str, today: date
) -> list[Block]:
    """``text`` laid out as the body's last issued document of ``kind`` would print with it, or
    with placeholders when it has none. Refuses what ``check_template`` refuses."""
    check_template(text, kind)
    last = (
        Document.objects.filter(matter__body_id=body_id, kind=kind)
        .select_related("matter", "matter__agency")
        .order_by("-issued_on", "-pk")
        .first()
    )
    values = values_of(last) if last is not None else sample_values(kind, body_name, today)
    try:
        return document_blocks(text, values)
    except RuleViolation:
        raise
    except Exception as exc:
        raise RuleViolation(f"文书模板有误：{exc}", field="text") from exc
