"""What a decision says, read from the case: its kind, its public fields, the decision
document's text, and the values the case knows to be personal.

The text of a decision a party is served is that document's own text (``cases.documents``:
the same template, values and typographic rules as its PDF and DOCX) — including the party's
personal data, which the redaction then removes. The public fields (国办发〔2018〕118号:
执法机关, 执法对象, 执法类别, 执法结论 …) never carry a natural person's data except the
penalised person's name as the jurisdiction's setting allows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from zhifa.cases import documents
from zhifa.cases.documents import chinese_date, money
from zhifa.cases.models import Case, Party
from zhifa.cases.selectors import case_officers, case_parties, case_steps
from zhifa.law import penalty
from zhifa.record.selectors import entries_of_case

from . import policy
from .models import Publication

K = Case.Kind
PKind = Publication.Kind

# Which publication kind a case's decision is.
CASE_KIND: dict[str, str] = {
    K.PENALTY_GENERAL: PKind.PENALTY,
    K.PENALTY_SIMPLE: PKind.PENALTY,
    K.INSPECTION: PKind.INSPECTION,
    K.SEIZURE: PKind.COERCION,
    K.LICENSING: PKind.LICENSING,
}
# 许可 and 征收 decisions are published in full; 处罚 and 强制 as the document with personal
# data removed (国办发〔2018〕118号). The others are treated like 处罚 (redacted).
FULL_TEXT_KINDS = frozenset({PKind.LICENSING, PKind.LEVY})

# The public fields in the order the page shows them, with their labels.
FIELD_LABELS: dict[str, str] = {
    "agency": "执法机关",
    "target": "执法对象",
    "credit_code": "统一社会信用代码",
    "category": "执法类别",
    "content": "执法内容（违法事实）",
    "basis": "执法依据",
    "conclusion": "执法结论（决定）",
    "decided_on": "决定日期",
    "number": "决定文号",
}


@dataclass(frozen=True)
class Known:
    """A value the case knows to be personal: ``kind`` as the redaction engine names it;
    ``replacement`` what it becomes (empty: the engine's default)."""

    value: str
    kind: str
    replacement: str = ""
    label: str = ""  # whose value it is, for the publisher's messages ("当事人刘某某的电话")


def _entry_data(case: Case, action: str) -> dict[str, Any]:
    entry = entries_of_case(case.pk).filter(action=action).last()
    if entry is None:
        return {}
    data = entry.data
    return data if isinstance(data, dict) else {}


def _penalty_line(kinds: Sequence[str], fine: Decimal | None, confiscation: Decimal | None) -> str:
    order = list(penalty.PenaltyKind)
    chosen = sorted((penalty.PenaltyKind(k) for k in kinds), key=order.index)
    parts = []
    for kind in chosen:
        if kind == penalty.PenaltyKind.FINE and fine is not None:
            parts.append(f"罚款人民币{money(fine)['figures']}")
        elif kind.name.startswith("CONFISCATION") and confiscation is not None:
            parts.append(f"{kind.label}{money(confiscation)['figures']}")
        else:
            parts.append(kind.label)
    return "，".join(parts)


def _basis_of_power(case: Case) -> str:
    parts = []
    for basis in case.power_item.bases.all().order_by("position", "pk"):
        law = basis.law if basis.law.startswith("《") else f"《{basis.law}》"
        parts.append(f"{law}{basis.article}")
    return "、".join(parts)


def _facts_and_basis(case: Case) -> tuple[str, str, str]:
    """(facts, reasons, basis) as the case's record entries state them."""
    if case.kind == K.PENALTY_SIMPLE:
        opened = _entry_data(case, "case.simple_decide")
        facts = str(opened.get("facts", "") or case.summary or case.title)
        return facts, "", str(opened.get("basis", "") or _basis_of_power(case))
    if case.kind == K.PENALTY_GENERAL:
        notice = _entry_data(case, "case.notify")
        facts = str(notice.get("facts", "") or case.summary or case.title)
        return (
            facts,
            str(notice.get("reasons", "")),
            str(notice.get("basis", "") or _basis_of_power(case)),
        )
    if case.kind == K.INSPECTION:
        findings = _entry_data(case, "case.findings_record")
        return str(findings.get("findings", "") or case.summary), "", _basis_of_power(case)
    return case.summary or case.title, "", _basis_of_power(case)


def _seized_items(case: Case) -> list[dict[str, Any]]:
    record = [s for s in case_steps(case) if s.kind == "seizure_record"]
    items = record[-1].data.get("items", []) if record else []
    return [i for i in items if isinstance(i, dict)]


def conclusion(case: Case) -> str:
    """执法结论/决定: the penalty kinds and amounts, the inspection's outcome, the measure."""
    if case.end_ground:  # 不予行政处罚决定 (第三十三条 etc.)
        return f"不予行政处罚（{case.get_end_ground_display()}）"
    if case.kind in (K.PENALTY_GENERAL, K.PENALTY_SIMPLE):
        return _penalty_line(case.penalty_kinds, case.fine, case.confiscation)
    if case.kind == K.LICENSING:  # what the licensing app's decision entry states
        for action in ("case.licence_grant", "case.licence_refuse"):
            said = _entry_data(case, action).get("conclusion")
            if said:
                return str(said)
        return ""
    if case.kind == K.INSPECTION:
        outcome = case.get_inspection_outcome_display()
        if case.rectification_due_on is not None:
            return f"{outcome}，整改期限至{chinese_date(case.rectification_due_on)}"
        return outcome
    items = "、".join(f"{i.get('name', '')}{i.get('quantity', '')}" for i in _seized_items(case))
    measure = case.get_seizure_measure_display()
    return f"{measure}：{items}" if items else measure


def _penalised(case: Case) -> Party | None:
    parties = list(case_parties(case))
    return parties[0] if parties else None


def public_target(party: Party | None, mode: str) -> tuple[str, str]:
    """(执法对象, 统一社会信用代码): an organisation by name and code; the penalised natural
    person as ``mode`` says (surname + 某 by default)."""
    if party is None:
        return "", ""
    if party.kind == Party.Kind.ORGANISATION:
        return party.name, party.credit_code
    return policy.public_person_name(party.name, mode), ""


def publication_kind(case: Case) -> str:
    return CASE_KIND.get(case.kind, PKind.OTHER)


def decision_number(case: Case) -> str:
    """The decision's 文号 (an inspection result without an order cites the case number)."""
    return case.decision_number or case.number


def public_fields(case: Case, mode: str, decided_on: date) -> dict[str, str]:
    """The public fields of the decision, before the publisher edits them (personal data in
    ``content`` is removed by the redaction afterwards)."""
    facts, _, basis = _facts_and_basis(case)
    target, code = public_target(_penalised(case), mode)
    return {
        "agency": case.agency.name,
        "target": target,
        "credit_code": code,
        "category": PKind(publication_kind(case)).label,
        "content": facts.rstrip("。"),
        "basis": basis,
        "conclusion": conclusion(case),
        "decided_on": decided_on.isoformat(),
        "number": decision_number(case),
    }


def _party_lines(parties: Sequence[Party]) -> list[str]:
    lines: list[str] = []
    for p in parties:
        lines.append(f"当事人：{p.name}")
        if p.kind == Party.Kind.NATURAL_PERSON:
            lines.append(f"居民身份证号码：{p.id_number}")
        else:
            lines.append(f"统一社会信用代码：{p.credit_code}")
            if p.legal_representative:
                lines.append(f"法定代表人（负责人）：{p.legal_representative}")
        if p.address:
            lines.append(f"住所（地址）：{p.address}")
        if p.phone:
            lines.append(f"联系电话：{p.phone}")
    return lines


def decision_body(case: Case, decided_on: date) -> str:
    """The decision's text, with the party's personal data (for the redaction).

    A decision the party is served (行政处罚决定书, 当场行政处罚决定书, 查封（扣押）决定书) is
    the served document's own text: the same blocks its PDF and DOCX lay out
    (``documents.served_text``), so that what is published is what was served, with the
    personal data removed, and the proof is of that text. An inspection's result, which serves
    no document, is told from its findings."""
    kind = documents.decision_document_kind(case)
    if kind is not None:
        return documents.served_text(case, kind)
    facts, _, _ = _facts_and_basis(case)
    facts = facts.rstrip("。")
    parties = list(case_parties(case))
    lines = [case.agency.name, "行政检查结果", decision_number(case)]
    lines += _party_lines(parties)
    lines.append(f"检查事项：{case.power_item.name}")
    lines.append(f"检查日期：{chinese_date(case.inspected_on)}")
    lines.append(f"检查情况：{facts}。")
    lines.append(f"检查结论：{conclusion(case)}。")
    officers = [a.officer.name for a in case_officers(case)]
    if officers:
        lines.append(f"执法人员：{'、'.join(officers)}")
    lines.append(case.agency.name)
    lines.append(chinese_date(decided_on))
    return "\n".join(line for line in lines if line)


def known_values(case: Case, mode: str) -> list[Known]:
    """Every value of the case that is personal and must not be published: natural persons'
    names (the penalised one as ``mode`` shows it), 身份证号, phones, home addresses; the
    legal representative's name; witnesses and recipients named in the steps; an
    organisation's phone. Organisation names, credit codes and business addresses are kept."""
    out: list[Known] = []
    parties = list(case_parties(case))
    party_names = {p.name for p in parties}
    for p in parties:
        if p.kind == Party.Kind.NATURAL_PERSON:
            shown = policy.public_person_name(p.name, mode)
            if mode != "full":
                out.append(Known(p.name, "person_name", shown, f"当事人{p.name}的姓名"))
            out.append(Known(p.id_number, "id_number", "", f"当事人{p.name}的身份证号码"))
            if p.address:
                out.append(Known(p.address, "address", "", f"当事人{p.name}的住址"))
        elif p.legal_representative:
            out.append(
                Known(p.legal_representative, "person_name", "", f"{p.name}的法定代表人姓名")
            )
        if p.phone:
            out.append(Known(p.phone, "phone", "", f"当事人{p.name}的联系电话"))
    for step in case_steps(case):
        for key in ("witness_name", "recipient"):
            name = str(step.data.get(key, "") or "").strip()
            if name and name not in party_names:
                out.append(Known(name, "person_name", "", f"{step.get_kind_display()}中的{name}"))
    seen: set[tuple[str, str]] = set()
    unique: list[Known] = []
    for k in out:
        if k.value.strip() and (k.value, k.kind) not in seen:
            seen.add((k.value, k.kind))
            unique.append(k)
    return unique
