"""Reads of the templates part: the template list grouped by key, a template's detail as the
pages show it, and the preview that scores a past file with the record's proposals (reads
only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from zhifa.cases.models import Case
from zhifa.cases.selectors import cases_visible_to
from zhifa.registry.models import Account

from . import case_checks, scoring
from .forms_templates import check_label
from .models import Template
from .record_checks import Finding, proposed_marks
from .selectors import templates_visible_to


@dataclass(frozen=True)
class Family:
    key: str
    name: str
    versions: list[Template]  # newest first


def template_families(account: Account) -> list[Family]:
    """The templates ``account`` sees, one family per key, newest version first."""
    families: dict[str, Family] = {}
    for t in templates_visible_to(account).order_by("key", "-version"):
        family = families.get(t.key)
        if family is None:
            family = families[t.key] = Family(t.key, t.name, [])
        family.versions.append(t)
    return sorted(families.values(), key=lambda f: f.name)


def template_detail(template: Template) -> dict[str, Any]:
    """The template with its parsed content (``spec``; None with ``problem`` when a draft's
    content does not parse), each item with its rule text, check label and source."""
    try:
        spec = scoring.parse_template(template.content, veto_effect=template.veto_effect)
    except scoring.TemplateError as exc:
        return {"template": template, "spec": None, "problem": exc.message, "sections": []}
    sections = [
        {
            "section": s,
            "items": [
                {
                    "item": i,
                    "rule": i.rule.text(),
                    "check": check_label(i.check) if i.check else "",
                }
                for i in s.items
            ],
        }
        for s in spec.sections
    ]
    vetoes = [{"veto": v, "check": check_label(v.check) if v.check else ""} for v in spec.vetoes]
    bands = []
    upper: Decimal | None = None
    for low, grade in spec.bands:  # descending
        bands.append({"grade": grade, "low": low, "high": upper})
        upper = low
    return {
        "template": template,
        "spec": spec,
        "sections": sections,
        "vetoes": vetoes,
        "bands": bands,
        "checked": len(spec.checked_codes()),
        "item_count": len(spec.items()),
    }


def preview_cases(account: Account, template: Template) -> QuerySet[Case]:
    """The decided cases of ``account``'s region (or agency) of the template's kind."""
    return (
        cases_visible_to(account)
        .filter(kind=template.applies_to, decided_on__isnull=False)
        .select_related("agency")
        .order_by("-decided_on", "-pk")
    )


@dataclass(frozen=True)
class PreviewItem:
    code: str
    text: str
    max_points: Decimal
    rule: str
    check: str
    finding: Finding | None  # None: no proposal — 该项需人工评分
    deduction: Decimal


def preview_score(template: Template, case: Case, *, on: date) -> dict[str, Any]:
    """The template applied to ``case`` with the record's proposals: each item's finding and
    proposed deduction, and the score and grade the proposals alone give. Writes nothing."""
    spec = scoring.parse_template(template.content, veto_effect=template.veto_effect)
    codes = [check for _code, check in spec.checked_codes()]
    findings = case_checks.findings_for(case.pk, codes, on=on)
    marks = proposed_marks(spec, findings)
    result = scoring.score(spec, marks)

    def finding_of(check: str) -> Finding | None:
        f = findings.get(check) if check else None
        return f if f is not None and f.passed is not None else None

    items = [
        PreviewItem(
            code=i.code,
            text=i.text,
            max_points=i.max_points,
            rule=i.rule.text(),
            check=check_label(i.check) if i.check else "",
            finding=finding_of(i.check),
            deduction=result.deductions.get(i.code, Decimal(0)),
        )
        for i in spec.items()
    ]
    vetoes = [
        {
            "veto": v,
            "finding": finding_of(v.check),
            "hit": v.code in result.vetoed_by,
        }
        for v in spec.vetoes
    ]
    return {
        "case": case,
        "items": items,
        "vetoes": vetoes,
        "result": result,
        "proposed": sum(1 for i in items if i.finding is not None),
        "on": on,
    }
