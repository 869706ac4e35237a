"""The documents of a governed inspection, supplied to the cases' document machinery
(``cases.documents.DocumentSource``): same editable templates, numbering, PDF and DOCX, record.

Numbers: the 行政检查审批表 and the 行政检查通知书 carry the inspection case's number (检, taken
when the inspection was opened: ``numbering.DocumentKind.INSPECTION`` is the 通知书's); the
检查结果告知书 takes its own number (检结) when first generated; the 责令整改通知书 carries the
number ``case_findings_record`` took for the rectification order (责改). The 现场检查笔录 stays
the cases' own document; for a governed inspection it gets the discipline checklist
("五个严禁、八个不得") through ``register_document_values``.

The notice prints the legal basis, the acting body, the ground, this year's count and the cap
(``selectors_codes.count_and_cap``), the discipline rules, the right to ask for recusal, and a
QR code of the inspection's public code page (``ZHIFA_SITE_URL`` makes it absolute).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.urls import reverse

from zhifa.cases.documents import (
    DocumentSource,
    SourceValues,
    chinese_date,
    chinese_datetime,
    register_document_source,
    register_document_values,
    remedies_sentence,
)
from zhifa.cases.models import Case, CaseDocument
from zhifa.record.selectors import entries_of_case

from . import discipline
from .models import Inspection
from .selectors_codes import count_and_cap, inspection_basis

D = CaseDocument.Kind
INSPECTION = frozenset({Case.Kind.INSPECTION})
NOTICE_BASIS = "《国务院办公厅关于严格规范涉企行政检查的意见》（国办发〔2024〕54号）"


def code_url(inspection: Inspection) -> str:
    """The absolute address of the inspection's public code page (what its QR holds)."""
    path = reverse("inspections_code", kwargs={"code": inspection.code})
    return f"{getattr(settings, 'ZHIFA_SITE_URL', '').rstrip('/')}{path}"


def _inspection(case: Case) -> Inspection:
    return Inspection.objects.select_related(
        "agency", "entity", "power_item", "domain", "decided_by", "plan", "task"
    ).get(case_id=case.pk)


def _findings(case: Case) -> dict[str, Any]:
    entry = entries_of_case(case.pk).filter(action="case.findings_record").last()
    if entry is None:
        return {}
    data: dict[str, Any] = json.loads(entry.payload)
    return data


def discipline_values() -> dict[str, Any]:
    return {
        "discipline": [{"title": p.title, "rules": list(p.rules)} for p in discipline.PROHIBITIONS],
        "discipline_source": discipline.SOURCE,
        "recusal": discipline.RECUSAL_SENTENCE,
    }


def _values(inspection: Inspection) -> dict[str, Any]:
    tally = count_and_cap(inspection)
    entity = inspection.entity
    ground = inspection.get_ground_display()
    if inspection.ground_reference:
        ground = f"{ground}（{inspection.ground_reference}）"
    return {
        "inspection": {
            "entity": entity.name,
            "credit_code": entity.credit_code,
            "legal_representative": entity.legal_representative,
            "address": entity.address,
            "item": f"{inspection.power_item.code} {inspection.power_item.name}",
            "basis": inspection_basis(inspection),
            "domain": inspection.domain.name,
            "ground": ground,
            "plan": inspection.plan.title if inspection.plan else "",
            "task": inspection.task.title if inspection.task else "",
            "planned_on": chinese_date(inspection.planned_on),
            "state": inspection.get_state_display(),
            "requested_at": chinese_datetime(inspection.requested_at),
            "decided_at": chinese_datetime(inspection.decided_at),
            "decided_by": (
                inspection.decided_by.display_name or inspection.decided_by.get_username()
                if inspection.decided_by
                else ""
            ),
            "decision_note": inspection.decision_note,
            "emergency": inspection.state == Inspection.State.EMERGENCY
            or bool(inspection.emergency_reason),
            "emergency_reason": inspection.emergency_reason,
            "approval_due_on": chinese_date(inspection.approval_due_on),
            "quiet_exception": inspection.get_quiet_exception_display(),
            "quiet_exception_reason": inspection.quiet_exception_reason,
            "cap_override_reason": inspection.cap_override_reason,
            "code": inspection.code,
            "code_url": code_url(inspection),
            "count": tally.count,
            "cap": tally.cap if tally.cap is not None else "",
            "count_line": tally.line,
        },
        "notice_basis": NOTICE_BASIS,
        **discipline_values(),
    }


def _approval(case: Case) -> SourceValues:
    inspection = _inspection(case)
    return SourceValues(
        _values(inspection), inspection.requested_at.date(), "approval", case.number
    )


def _notice(case: Case) -> SourceValues:
    inspection = _inspection(case)
    on = inspection.decided_at.date() if inspection.decided_at else inspection.planned_on
    return SourceValues(_values(inspection), on, "notice", case.number)


def _result(case: Case) -> SourceValues:
    inspection = _inspection(case)
    found = _findings(case)
    return SourceValues(
        {
            **_values(inspection),
            "outcome": case.get_inspection_outcome_display(),
            "rectify": case.inspection_outcome == Case.InspectionOutcome.RECTIFY,
            "findings": found.get("findings", ""),
            "inspected_on": chinese_date(case.inspected_on),
            "rectification_due_on": chinese_date(case.rectification_due_on),
            "rectification_number": found.get("document_number", ""),
            "remedies": remedies_sentence(case.agency).replace("本决定书", "本告知书"),
        },
        _findings_day(found),
        "result",
    )


def _findings_day(found: dict[str, Any]) -> date | None:
    on = found.get("on")
    return date.fromisoformat(str(on)) if on else None


def _rectification(case: Case) -> SourceValues:
    inspection = _inspection(case)
    found = _findings(case)
    return SourceValues(
        {
            **_values(inspection),
            "findings": found.get("findings", ""),
            "inspected_on": chinese_date(case.inspected_on),
            "rectification_due_on": chinese_date(case.rectification_due_on),
            "remedies": remedies_sentence(case.agency).replace("本决定书", "本通知书"),
        },
        _findings_day(found),
        "rectification",
        str(found.get("document_number", "")),
    )


def _when(test: Callable[[Case, Inspection], bool], reason: str) -> Callable[[Case], str | None]:
    def ready(case: Case) -> str | None:
        inspection = Inspection.objects.filter(case_id=case.pk).first()
        if inspection is None:
            return "本检查案件不是涉企行政检查（没有检查审批信息）"
        return None if test(case, inspection) else reason

    return ready


_DECIDED = (Inspection.State.APPROVED, Inspection.State.EMERGENCY)

SOURCES: dict[str, DocumentSource] = {
    D.INSPECTION_APPROVAL: DocumentSource(INSPECTION, _when(lambda c, i: True, ""), _approval),
    D.INSPECTION_NOTICE: DocumentSource(
        INSPECTION,
        _when(lambda c, i: i.state in _DECIDED, "须在负责人批准检查（或紧急实施）之后生成"),
        _notice,
    ),
    D.INSPECTION_RESULT: DocumentSource(
        INSPECTION,
        _when(lambda c, i: bool(c.inspection_outcome), "须在记录检查结论之后生成"),
        _result,
    ),
    D.RECTIFICATION_NOTICE: DocumentSource(
        INSPECTION,
        _when(
            lambda c, i: c.inspection_outcome == Case.InspectionOutcome.RECTIFY,
            "须在作出责令整改的检查结论之后生成",
        ),
        _rectification,
    ),
}


def _record_values(case: Case, kind: str) -> dict[str, Any]:
    """The discipline checklist on the 现场检查笔录 of a governed inspection."""
    inspection = Inspection.objects.filter(case_id=case.pk).first()
    if inspection is None:
        return {}
    return {**discipline_values(), "governed": True, "inspection_code": inspection.code}


def register() -> None:
    for kind, source in SOURCES.items():
        register_document_source(kind, source)
    register_document_values([D.INSPECTION_RECORD], _record_values)
