"""A campaign's documents (小组报告, 反馈意见, 异议复核答复书, 总体报告, 通报) as PDF and DOCX.

As the supervision documents do (``supervision/documents.py``): a default template file
``templates/evaluation/outcomes/documents/<kind>.txt`` in Django template language renders to
the markup of ``cases.rendering.markup``, laid out by the cases' PDF and DOCX writers. The values
are plain strings and lists, every user text cleaned line by line (``clean``) so it never starts
a block of its own. Both files are stored as evidence and carried by the entry that made them.
"""

from __future__ import annotations

import io
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.template import Context, Engine

from zhifa.cases import typography
from zhifa.cases.documents import DOCX_TYPE, PDF_TYPE, chinese_date, document_font
from zhifa.cases.rendering import DocumentMeta
from zhifa.cases.rendering.docx import render_docx
from zhifa.cases.rendering.markup import Block, clean, parse, plain_text
from zhifa.cases.rendering.pdf import render_pdf
from zhifa.record.models import EvidenceFile
from zhifa.record.services import evidence_store

from . import selectors_outcomes as sel
from .models import Campaign, File, Objection, Recheck, Report

TEMPLATE_DIR = Path(__file__).parent / "templates"


@cache
def template_engine() -> Engine:
    return Engine(dirs=[str(TEMPLATE_DIR)], app_dirs=False, autoescape=False, libraries={})


def _lines(text: str) -> list[str]:
    return [clean(line) for line in text.splitlines() if line.strip()]


def _points(value: Decimal | None) -> str:
    return "" if value is None else format(value.normalize(), "f")


def _campaign(campaign: Campaign) -> dict[str, str]:
    kinds = "、".join(dict(_case_kinds()).get(k, k) for k in campaign.kinds) or "全部案卷"
    return {
        "name": clean(campaign.name),
        "number": clean(campaign.number),
        "scope": clean(
            f"{kinds}，决定日期{chinese_date(campaign.decided_from)}至{chinese_date(campaign.decided_to)}"
        ),
        "sampling": clean(campaign.get_sampling_display()),
        "starts_on": chinese_date(campaign.starts_on),
        "ends_on": chinese_date(campaign.ends_on),
    }


def _case_kinds() -> list[tuple[str, str]]:
    from zhifa.cases.models import Case

    return list(Case.Kind.choices)


def _file_row(n: int, file: File) -> dict[str, str]:
    return {
        "n": str(n),
        "agency": clean(file.agency.name),
        "title": clean(file.case.title),
        "number": clean(file.case.number or f"案件{file.case_id}"),
        "total": _points(file.total),
        "grade": clean(file.grade or "未评定"),
    }


def _problems(problems: list[sel.Problem]) -> list[dict[str, str]]:
    return [
        {"text": clean(p.text), "files": str(p.files), "reasons": clean("；".join(p.reasons))}
        for p in problems[:10]
    ]


def _agency_rows(files: list[File], failing: set[str]) -> list[dict[str, str]]:
    by: dict[int, list[File]] = {}
    for f in files:
        by.setdefault(f.agency_id, []).append(f)
    rows = []
    for group in by.values():
        totals = [f.total for f in group if f.total is not None]
        mean = (sum(totals, Decimal(0)) / len(totals)).quantize(Decimal("0.01")) if totals else None
        rows.append(
            {
                "name": clean(group[0].agency.name),
                "files": str(len(group)),
                "mean": _points(mean),
                "excellent": str(sum(f.grade == "优秀" for f in group)),
                "good": str(sum(f.grade == "良好" for f in group)),
                "pass": str(sum(f.grade == "合格" for f in group)),
                "fail": str(sum(f.grade in failing for f in group)),
            }
        )
    return rows


def team_values(campaign: Campaign, suggestions: str) -> dict[str, Any]:
    files = list(sel.campaign_files(campaign))
    members = [
        clean(f"{m.name}（{m.get_kind_display()}{'，组长' if m.is_leader else ''}）")
        for m in campaign.members.filter(active=True).order_by("-is_leader", "pk")
    ]
    return {
        "campaign": _campaign(campaign),
        "agencies": [clean(a.name) for a in campaign.agencies.order_by("name")],
        "members": members,
        "file_count": str(len(files)),
        "files": [_file_row(n, f) for n, f in enumerate(files, 1)],
        "grades": sel.grade_counts(files),
        "problems": _problems(sel.campaign_problems(campaign, files=files)),
        "suggestions": _lines(suggestions) or ["针对评查发现的问题逐项整改，规范案卷制作和管理。"],
    }


def feedback_values(
    campaign: Campaign, files: list[File], objection_limit: str, objection_due: date
) -> dict[str, Any]:
    rows = []
    for f in files:
        deductions, vetoes = sel.file_deductions(f)
        rows.append(
            {
                **_file_row(0, f),
                "deductions": [
                    clean(
                        f"{d.section}·{d.text}，扣{_points(d.points)}分"
                        + (f"（{'；'.join(d.reasons)}）" if d.reasons else "")
                    )
                    for d in deductions
                ],
                "vetoes": [clean(t + (f"（{r}）" if r else "")) for t, r in vetoes],
            }
        )
    return {
        "campaign": _campaign(campaign),
        "agency": clean(files[0].agency.name) if files else "",
        "files": rows,
        "objection_limit": clean(objection_limit),
        "objection_due": chinese_date(objection_due),
    }


def answer_values(objection: Objection, recheck: Recheck | None) -> dict[str, Any]:
    file = objection.file
    upheld = objection.outcome == Objection.Outcome.UPHELD and recheck is not None
    return {
        "campaign": _campaign(file.campaign),
        "agency": clean(file.agency.name),
        "file": _file_row(0, file),
        "filed_on": chinese_date(objection.filed_on),
        "reasons": _lines(objection.reasons),
        "answer": _lines(objection.answer),
        "outcome": objection.get_outcome_display(),
        "upheld": upheld,
        "old_total": _points(recheck.old_total if upheld and recheck else file.total),
        "old_grade": clean(recheck.old_grade if upheld and recheck else file.grade),
        "new_total": _points(recheck.new_total) if recheck else "",
        "new_grade": clean(recheck.new_grade) if recheck else "",
    }


def closing_values(campaign: Campaign, suggestions: str) -> dict[str, Any]:
    files = list(sel.campaign_files(campaign))
    failing = {sel.spec_of(f).failing_grade for f in files}
    objections = [
        clean(
            f"{o.file.agency.name}对案卷{o.file.case.number or o.file.case_id}提出异议，"
            f"复核结论：{o.get_outcome_display()}"
        )
        for o in sel.objections_of_campaign(campaign)
    ]
    threshold, source = sel.repeated_failures_threshold()
    fails: dict[str, int] = {}
    for f in files:
        if f.grade in failing:
            fails[f.agency.name] = fails.get(f.agency.name, 0) + 1
    repeated = [
        clean(f"{name}：不合格案卷{n}件（达到{threshold}件，依据：{source}）")
        for name, n in sorted(fails.items())
        if threshold and n >= threshold
    ]
    return {
        "campaign": _campaign(campaign),
        "agency_count": str(len({f.agency_id for f in files})),
        "file_count": str(len(files)),
        "agencies": _agency_rows(files, failing),
        "grades": sel.grade_counts(files),
        "objections": objections,
        "problems": _problems(sel.campaign_problems(campaign, files=files)),
        "repeated": repeated,
        "suggestions": _lines(suggestions)
        or ["督促各被评查单位落实整改，评查结果纳入依法行政考评。"],
    }


def blocks_of(kind: str, values: dict[str, Any]) -> list[Block]:
    template = template_engine().get_template(f"evaluation/outcomes/documents/{kind}.txt")
    markup = template.render(Context(values, autoescape=False))
    return [typography.block_tidy(b) for b in parse(markup)]


def render(
    *,
    kind: str,
    values: dict[str, Any],
    title: str,
    number: str,
    issuer: str,
    issued_on: date,
    at: datetime,
    reference: str,
) -> tuple[str, EvidenceFile, EvidenceFile]:
    """(text, pdf, docx): the document laid out and both files stored as evidence."""
    values = {
        **values,
        "title": title,
        "number": clean(number),
        "issuer": clean(issuer),
        "date": chinese_date(issued_on),
    }
    blocks = blocks_of(kind, values)
    meta = DocumentMeta(
        title=title, number=number, author=issuer, at=at, version=1, reference=reference
    )
    stem = f"{title}-{number}"
    pdf = evidence_store(
        io.BytesIO(render_pdf(blocks, font=document_font(), meta=meta)),
        name=f"{stem}.pdf",
        media_type=PDF_TYPE,
        at=at,
    )
    docx = evidence_store(
        io.BytesIO(render_docx(blocks, meta=meta)), name=f"{stem}.docx", media_type=DOCX_TYPE, at=at
    )
    return plain_text(blocks), pdf, docx


def report_title(report_kind: str) -> str:
    return str(Report.Kind(report_kind).label)
