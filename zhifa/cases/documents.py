"""Enforcement documents (执法文书): generated from editable templates into PDF and DOCX.

``document_generate`` builds the document's values from the case's rows (Case, Party,
CaseOfficer, CaseStep) and record entries, renders the agency's template (its own
``DocumentTemplate`` or the default file ``templates/cases/documents/<kind>.txt``), lays the
result out as PDF (font subset embedded) and DOCX, stores both as evidence and records them.

Numbers (文书编号) follow one rule: a document carries the number its act took when the act was
recorded — 立案审批表 the case number (立), 告知书 the notice number (罚告; the 听证告知书 is
served with the 事先告知书 and carries its number), 听证通知书 its 听通 number, decisions
their 罚/简罚/强 number. The 结案审批表 takes its 结 number (``numbering.document_number``) when
first generated. Every later version keeps the first version's number. 笔录, 证据清单 and
送达回证 have no number of their own and cite the case number (案号).

Documents about another app's rows (the 法制审核意见书 of a review round) get their values from a
:class:`DocumentSource` that app registers in its ``AppConfig.ready`` — cases never imports the
apps that depend on it. Such a document is one per *subject* (the review round): it takes its
own number (法审) when first generated for that subject, and its later versions keep it.

Templates are Django template language rendering to the markup of ``rendering.markup``, with
a context of plain values only (strings, lists, dicts): an agency's template cannot reach a
model or a method. Every document goes through one path, :func:`document_blocks`: template and
plain values → markup text (no escaping: the markup is not HTML) → blocks → the typographic
rules of ``typography``. Text stays plain until a writer needs escaping, and each writer does
its own once: fpdf2 escapes PDF string syntax, python-docx (lxml) escapes XML.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max, QuerySet
from django.template import Context, Engine, Template, TemplateSyntaxError
from django.utils import timezone

from zhifa.core.exceptions import RuleViolation
from zhifa.law import coercion, penalty
from zhifa.record.models import EvidenceFile, EvidenceUpload
from zhifa.record.selectors import entries_of_case
from zhifa.record.services import evidence_store, record_append
from zhifa.registry.access import can_manage_registry
from zhifa.registry.models import Account, Agency, Certificate, Officer
from zhifa.registry.selectors import officer_may_act

from . import guards, statement_review, typography
from .amount_words import amount_in_words
from .models import Case, CaseDocument, CaseOfficer, CaseStep, DocumentTemplate, Party
from .numbering import _DEPARTMENTS, DocumentKind, document_number
from .rendering import DocumentMeta
from .rendering.docx import render_docx
from .rendering.markup import Block, BlockKind, clean, parse, plain_text
from .rendering.pdf import Font, render_pdf

D = CaseDocument.Kind
S = Case.State
K = Case.Kind
TEMPLATE_DIR = Path(__file__).parent / "templates"
PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DEFAULT_FONT = ("/usr/share/fonts/truetype/arphic/uming.ttc", 0)  # AR PL UMing CN

# 《行政复议法》(2023) 第二十条 (60 days) and 《行政诉讼法》第四十六条 (6 months).
REVIEW_ARTICLE = "《中华人民共和国行政复议法》第二十条"
LITIGATION_ARTICLE = "《中华人民共和国行政诉讼法》第四十六条"


# -- values ----------------------------------------------------------------------------------


def chinese_date(day: date | None) -> str:
    """2026-11-20 → 2026年11月20日 (empty for None)."""
    return "" if day is None else f"{day.year}年{day.month}月{day.day}日"


def chinese_datetime(moment: datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(coercion.LOCAL_TIME)
    return f"{chinese_date(local.date())}{local.hour}时{local.minute:02d}分"


def clock_time(text: str) -> str:
    """ "09:30" → "9时30分" (empty for empty)."""
    if not text:
        return ""
    hour, _, minute = str(text).partition(":")
    return f"{int(hour)}时{minute[:2] or '00'}分"


def record_time(step: CaseStep) -> str:
    """When a record was taken: "2026年3月5日9时30分至10时15分", or its day alone."""
    data = step.data or {}
    start, end = clock_time(data.get("started_at", "")), clock_time(data.get("ended_at", ""))
    if start and end:
        return f"{chinese_date(step.on)}{start}至{end}"
    if start:
        return f"{chinese_date(step.on)}{start}"
    return chinese_datetime(step.at) if step.at else chinese_date(step.on)


def money(amount: Decimal | None) -> dict[str, str]:
    """An amount in figures and in capitals: {"figures": "12000.00元", "words": "壹万贰仟元整"}."""
    if amount is None:
        return {"figures": "", "words": ""}
    return {"figures": f"{amount:.2f}元", "words": amount_in_words(amount)}


def review_organ(agency: Agency) -> str:
    """The 复议机关 of a county- or city-level department: the people's government of its level
    (《行政复议法》第二十四条). An agency whose name has no known department suffix gets the
    generic wording; its own template can name the organ."""
    for long, _ in sorted(_DEPARTMENTS, key=lambda d: -len(d[0])):
        if agency.name.endswith(long):
            return f"{agency.name[: -len(long)]}人民政府"
    return "本级人民政府"


def remedies_sentence(agency: Agency) -> str:
    return (
        f"如不服本决定，可以在收到本决定书之日起六十日内向{review_organ(agency)}申请行政复议，"
        "也可以在收到本决定书之日起六个月内依法向人民法院提起行政诉讼"
        f"（{REVIEW_ARTICLE}、{LITIGATION_ARTICLE}）。"
    )


def _text(value: Any) -> Any:
    """Clean every string of a plain value (see ``markup.clean``), recursively."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {k: _text(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_text(v) for v in value]
    return value


def _entry_data(case: Case, action: str) -> dict[str, Any]:
    entry = entries_of_case(case.pk).filter(action=action).last()
    if entry is None:
        return {}
    data: dict[str, Any] = json.loads(entry.payload)
    return data


def _certificate_number(case: Case, officer: Officer, on: date) -> str:
    answer = officer_may_act(officer, case.domain, on, region=case.agency.division_code)
    if answer.certificate_number:
        return answer.certificate_number
    latest = Certificate.objects.filter(officer=officer).order_by("-expires_on", "-pk").first()
    return latest.number if latest is not None else ""


def _officer(case: Case, officer: Officer, on: date, role: str = "") -> dict[str, str]:
    number = _certificate_number(case, officer, on)
    return {
        "name": officer.name,
        "role": role,
        "certificate": number,
        "line": f"{officer.name}（执法证号：{number or '无'}）",
    }


def _party(party: Party) -> dict[str, str]:
    person = party.kind == Party.Kind.NATURAL_PERSON
    return {
        "name": party.name,
        "kind": party.get_kind_display(),
        "id_label": "居民身份证号码" if person else "统一社会信用代码",
        "id_value": party.id_number if person else party.credit_code,
        "address": party.address,
        "phone": party.phone,
        "legal_representative": party.legal_representative,
    }


def _basis_of_power(case: Case) -> str:
    parts = []
    for basis in case.power_item.bases.all().order_by("position", "pk"):
        law = basis.law if basis.law.startswith("《") else f"《{basis.law}》"
        parts.append(f"{law}{basis.article}")
    return "、".join(parts)


def _penalty_labels(kinds: Sequence[str]) -> str:
    """The kinds' statutory names in the order of 第九条 (警告 before 罚款 …)."""
    order = list(penalty.PenaltyKind)
    chosen = sorted((penalty.PenaltyKind(k) for k in kinds), key=order.index)
    return "、".join(k.label for k in chosen)


def _uploads(case: Case) -> dict[str, EvidenceUpload]:
    """The case's uploads by SHA-256: what each file is, as the officer described it."""
    return {u.sha256: u for u in EvidenceUpload.objects.filter(case_id=case.pk)}


def evidence_name(item: dict[str, Any], upload: EvidenceUpload | None) -> str:
    """证据名称: the description given with the upload; the file's name for files uploaded
    without one (records kept before descriptions were asked for, generated documents)."""
    if upload is not None and upload.description:
        return upload.description
    return str(item["name"])


def _evidence_rows(case: Case) -> list[dict[str, str]]:
    """The 证据清单's rows: each file a step carries, named by its description, with its
    source (as given, else the step that took it) and when and where it was collected."""
    rows: list[dict[str, str]] = []
    uploads = _uploads(case)
    for step in CaseStep.objects.filter(case=case).order_by("on", "id"):
        for item in step.evidence:
            upload = uploads.get(item["sha256"])
            collected = upload.collected_at if upload is not None else None
            place = upload.place if upload is not None else ""
            when = chinese_datetime(collected) if collected else chinese_date(step.on)
            rows.append(
                {
                    "index": str(len(rows) + 1),
                    "name": evidence_name(item, upload),
                    "file": item["name"],
                    "media_type": item["media_type"],
                    "source": (upload.source if upload is not None else "")
                    or step.get_kind_display(),
                    "on": f"{when}（{place}）" if place else when,
                    "place": place,
                    "sha256": item["sha256"][:16],
                }
            )
    return rows


# -- documents about other apps' rows --------------------------------------------------------


@dataclass(frozen=True)
class SourceValues:
    """What a registered source gives for one generation: the template values (merged over
    the common ones), the day the document is dated, and its subject (e.g. ``round 2``):
    versions of one subject share a number, a new subject takes a new one."""

    values: dict[str, Any]
    on: date | None
    subject: str
    number: str = ""  # the number its act took when recorded (empty: cases' own rule)


@dataclass(frozen=True)
class DocumentSource:
    """An app that depends on cases supplies a document kind: the procedures that have it,
    its readiness and its values.

    ``ready``: None when the case can have the document now, else the Chinese reason (starting
    with 须 when it is a matter of time). ``values``: called only when ready. ``roles``: the
    account roles of the case's agency that may generate it.
    """

    case_kinds: frozenset[str]
    ready: Callable[[Case], str | None]
    values: Callable[[Case], SourceValues]
    roles: frozenset[str] = frozenset({"officer", "head"})


_SOURCES: dict[str, DocumentSource] = {}


def register_document_source(kind: str, source: DocumentSource) -> None:
    """Called from the providing app's ``ready()``; registering a kind again replaces it.
    The kind must be a ``CaseDocument.Kind`` that cases does not build itself (not in SPECS)."""
    if kind not in D.values or kind in SPECS:
        raise ValueError(f"document kind {kind!r} cannot be supplied by another app")
    _SOURCES[kind] = source


def _spec(kind: str) -> Spec | None:
    """The spec of a document cases builds, or of one a registered source supplies."""
    if kind in SPECS:
        return SPECS[kind]
    source = _SOURCES.get(kind)
    return Spec(source.case_kinds, source.ready) if source is not None else None


def document_kinds() -> list[str]:
    """Every kind that can be generated: cases' own, then the registered sources'."""
    return [*SPECS, *(k for k in D.values if k in _SOURCES)]


# -- values other apps add to cases' own documents (issue 13: the 裁量基准 applied) ----------

DocumentValues = Callable[[Case, str], dict[str, Any]]
_VALUES: list[tuple[frozenset[str], DocumentValues]] = []


def register_document_values(kinds: Iterable[str], values: DocumentValues) -> None:
    """``values(case, kind)`` adds template values to the documents of ``kinds`` (called from
    the providing app's ``ready()``; registering the same function again is harmless)."""
    if all(v is not values for _k, v in _VALUES):
        _VALUES.append((frozenset(kinds), values))


# -- what each document needs --------------------------------------------------------------


@dataclass(frozen=True)
class Spec:
    """When a document may be generated and which step it is about.

    ``ready`` answers whether the case has reached the act the document records (``None``:
    yes; else the Chinese refusal); ``steps`` names the CaseStep kinds a document about one
    step is generated from.
    """

    case_kinds: frozenset[str]
    ready: Callable[[Case], str | None]
    steps: tuple[str, ...] = ()


def _after(field: str, what: str) -> Callable[[Case], str | None]:
    def ready(case: Case) -> str | None:
        return None if getattr(case, field) else f"须在{what}之后生成"

    return ready


def _decided(case: Case) -> str | None:
    if case.decided_on is None or not case.penalty_kinds:
        return "须在作出行政处罚决定之后生成"
    return None


def _hearing_right(case: Case) -> str | None:
    if case.notified_on is None:
        return "须在事先告知之后生成"
    if not case.hearing_right:
        return f"本案拟作出的处罚不属于当事人可以要求听证的情形（{penalty.article('六十三')}）"
    return None


def _has_evidence(case: Case) -> str | None:
    if not CaseStep.objects.filter(case=case).exclude(evidence=[]).exists():
        return "本案尚无证据材料"
    return None


def _always(case: Case) -> str | None:
    return None


GENERAL = frozenset({K.PENALTY_GENERAL})
INVESTIGATION_STEPS = (
    CaseStep.Kind.INSPECTION_RECORD,
    CaseStep.Kind.INTERVIEW_RECORD,
    CaseStep.Kind.EVIDENCE,
    CaseStep.Kind.ON_SITE_INSPECTION,
)
SPECS: dict[str, Spec] = {
    D.REGISTER_APPROVAL: Spec(GENERAL, _after("registered_on", "立案")),
    D.INSPECTION_RECORD: Spec(
        frozenset({K.PENALTY_GENERAL, K.INSPECTION}),
        _always,
        (CaseStep.Kind.INSPECTION_RECORD, CaseStep.Kind.ON_SITE_INSPECTION, CaseStep.Kind.RECHECK),
    ),
    D.INTERVIEW_RECORD: Spec(GENERAL, _always, (CaseStep.Kind.INTERVIEW_RECORD,)),
    D.EVIDENCE_LIST: Spec(frozenset({K.PENALTY_GENERAL, K.INSPECTION, K.SEIZURE}), _has_evidence),
    D.PENALTY_NOTICE: Spec(GENERAL, _after("notified_on", "事先告知")),
    D.HEARING_RIGHT_NOTICE: Spec(GENERAL, _hearing_right),
    D.HEARING_NOTICE: Spec(GENERAL, _after("hearing_notice_on", "通知听证")),
    D.HEARING_RECORD: Spec(GENERAL, _always, (CaseStep.Kind.HEARING_RECORD,)),
    D.PENALTY_DECISION: Spec(GENERAL, _decided),
    D.SERVICE_RECEIPT: Spec(
        frozenset({K.PENALTY_GENERAL, K.PENALTY_SIMPLE}), _always, (CaseStep.Kind.SERVICE,)
    ),
    D.SEIZURE_DECISION: Spec(frozenset({K.SEIZURE}), _after("seized_at", "实施查封、扣押")),
    D.CLOSE_APPROVAL: Spec(
        frozenset({K.PENALTY_GENERAL, K.PENALTY_SIMPLE, K.INSPECTION, K.SEIZURE}),
        _after("closed_on", "结案审批"),
    ),
    D.SIMPLE_DECISION: Spec(frozenset({K.PENALTY_SIMPLE}), _decided),
    # D.REVIEW_OPINION (法制审核意见书) is supplied by the review app: see DocumentSource.
}


# -- 不予行政处罚决定书 (《行政处罚法》第三十三条) ----------------------------------------------


def _not_penalised(case: Case) -> str | None:
    if case.state != Case.State.NOT_PENALISED and not case.end_ground:
        return "须在作出不予行政处罚决定之后生成"
    return None


SPECS[D.NO_PENALTY_DECISION] = Spec(GENERAL, _not_penalised)


def _no_penalty_values(case: Case) -> dict[str, Any]:
    """The 不予行政处罚决定书's values: the ground, the list entry and the conditions found
    (as ``case_not_penalise`` recorded them), the accompanying measures, the education."""
    decided = _entry_data(case, "case.not_penalise")
    leniency = decided.get("leniency") or {}
    item = leniency.get("list_item") or {}
    education = CaseStep.objects.filter(case=case, kind=CaseStep.Kind.EDUCATION).last()
    ground = case.get_end_ground_display()
    return {
        **_decision_values(case),
        "ground": ground,
        "ground_article": (
            "《中华人民共和国行政处罚法》第三十三条第一款"
            if case.end_ground in ("minor_corrected", "first_violation")
            else ""
        ),
        "end_reason": case.end_reason,
        "list_item": item,
        "conditions": leniency.get("conditions", []),
        "measures": item.get("measures", []),
        "history": leniency.get("history", []),
        "education": (
            {
                "method": education.data.get("method", ""),
                "content": education.data.get("content", ""),
                "on": chinese_date(education.on),
            }
            if education is not None
            else {}
        ),
        "education_article": "《中华人民共和国行政处罚法》第三十三条第三款",
    }


def _pick_step(case: Case, kind: str, spec: Spec, step: CaseStep | None) -> CaseStep | None:
    label = D(kind).label
    if not spec.steps:
        if step is not None:
            raise RuleViolation(f"{label}不针对单个办案步骤生成", field="step")
        return None
    if step is not None:
        if step.case_id != case.pk or step.kind not in spec.steps:
            raise RuleViolation(f"所选办案步骤不能生成{label}", field="step")
        return step
    found = CaseStep.objects.filter(case=case, kind__in=spec.steps).order_by("on", "id").last()
    if found is None:
        names = "或".join(CaseStep.Kind(k).label for k in spec.steps)
        raise RuleViolation(f"本案尚无{names}，不能生成{label}")
    return found


def document_check(case: Case, kind: str, step: CaseStep | None = None) -> CaseStep | None:
    """Refuse a document the case cannot have yet (or ever); return the step it is about.

    Raises RuleViolation with the Chinese reason: archived case, wrong procedure, the act not
    yet recorded, no step to generate from.
    """
    spec = _spec(kind)
    if spec is None:
        raise RuleViolation(f"文书种类“{kind}”无效", field="kind")
    label = D(kind).label
    guards.not_archived(state=case.state)
    if case.kind not in spec.case_kinds:
        raise RuleViolation(f"{case.get_kind_display()}案件没有{label}")
    reason = spec.ready(case)
    if reason is not None:
        raise RuleViolation(
            f"案件当前处于“{case.get_state_display()}”阶段，{label}{reason}"
            if reason.startswith("须")
            else f"不能生成{label}：{reason}"
        )
    return _pick_step(case, kind, spec, step)


def document_steps(case: Case) -> QuerySet[CaseStep]:
    """The steps of ``case`` a document can be about (笔录, 送达回证 …), newest first — the
    choices of the workspace's step field (empty choice: the latest step)."""
    kinds = {kind for spec in SPECS.values() for kind in spec.steps}
    return CaseStep.objects.filter(case=case, kind__in=kinds).order_by("-on", "-id")


def documents_available(case: Case) -> list[tuple[str, str]]:
    """The documents ``case`` can have now, as (kind, Chinese name) — for the workspace."""
    out = []
    for kind in document_kinds():
        try:
            document_check(case, kind)
        except RuleViolation:
            continue
        out.append((kind, D(kind).label))
    return out


# -- numbers -------------------------------------------------------------------------------


def _number(case: Case, kind: str, on: date) -> str:
    """The number of the first version (see the module docstring for the rule)."""
    if kind == D.REGISTER_APPROVAL:
        return case.number
    if kind in (D.PENALTY_NOTICE, D.HEARING_RIGHT_NOTICE):
        return case.notice_number
    if kind == D.HEARING_NOTICE:
        return str(_entry_data(case, "case.hearing_notice").get("document_number", ""))
    if kind in (D.PENALTY_DECISION, D.SIMPLE_DECISION, D.SEIZURE_DECISION):
        return case.decision_number
    if kind == D.NO_PENALTY_DECISION:  # numbered by case_not_penalise
        return case.decision_number
    if kind == D.CLOSE_APPROVAL:
        return document_number(case.agency, DocumentKind.CASE_CLOSE, on.year)
    if kind == D.REVIEW_OPINION:
        return document_number(case.agency, DocumentKind.REVIEW_OPINION, on.year)
    if kind == D.INSPECTION_RESULT:  # supplied by the inspections app: numbered when first made
        return document_number(case.agency, DocumentKind.INSPECTION_RESULT, on.year)
    return ""


def _subject_number(previous: QuerySet[CaseDocument], subject: str) -> str | None:
    """The number of an earlier version about the same subject (kept in its record entry)."""
    seqs = list(previous.order_by("version").values_list("entry_seq", "number"))
    if not seqs:
        return None
    subjects = {
        e.seq: e.payload
        for e in entries_of_case(previous[0].case_id).filter(seq__in=[seq for seq, _ in seqs])
    }
    for seq, number in seqs:
        if json.loads(subjects.get(seq, "{}")).get("subject") == subject:
            return str(number)
    return None


# -- the context of a template ---------------------------------------------------------------


def _common(case: Case, kind: str, number: str, on: date, act_on: date | None) -> dict[str, Any]:
    parties = [_party(p) for p in Party.objects.filter(case=case).order_by("id")]
    assignments = CaseOfficer.objects.filter(case=case).select_related("officer")
    officers = [
        _officer(case, a.officer, act_on or on, a.get_role_display())
        for a in assignments.order_by("role", "id")
    ]
    agency = case.agency
    return {
        "title": D(kind).label,
        "number": number,
        "agency": {"name": agency.name, "address": agency.address, "phone": agency.phone},
        "case": {
            "number": case.number,
            "title": case.title,
            "summary": case.summary,
            "kind": case.get_kind_display(),
            "state": case.get_state_display(),
            "clue_on": chinese_date(case.clue_on),
            "registered_on": chinese_date(case.registered_on),
            "act_ended_on": chinese_date(case.act_ended_on),
            "power": f"{case.power_item.code} {case.power_item.name}",
            "basis": _basis_of_power(case),
        },
        "parties": parties,
        "party": parties[0] if parties else {},
        "party_names": "、".join(p["name"] for p in parties),
        "officers": officers,
        "officers_line": "、".join(o["line"] for o in officers),
        "date": chinese_date(act_on or on),
        "generated_on": chinese_date(on),
        "review_organ": review_organ(agency),
        "remedies": remedies_sentence(agency),
    }


def _step_values(case: Case, step: CaseStep) -> dict[str, Any]:
    uploads = _uploads(case)
    return {
        "kind": step.get_kind_display(),
        "on": chinese_date(step.on),
        "at": chinese_datetime(step.at),
        "time": record_time(step),
        "place": str((step.data or {}).get("place", "")),
        "summary": step.summary,
        "data": step.data,
        "officers": [_officer(case, o, step.on) for o in step.officers.all().order_by("pk")],
        "officers_line": "、".join(
            _officer(case, o, step.on)["line"] for o in step.officers.all().order_by("pk")
        ),
        "evidence": [evidence_name(e, uploads.get(e["sha256"])) for e in step.evidence],
    }


def _heard(statement: CaseStep | None, hearing: CaseStep | None) -> dict[str, Any]:
    """What the decision says of the party's statement and defence and of the hearing, and of
    their review (复核, 第四十五条第一款): the summary, the review sentence, or the waiver."""
    out: dict[str, Any] = {
        "statement": "",
        "statement_review": "",
        "statement_waived": False,
        "hearing": "",
        "hearing_review": "",
        "hearing_absent": False,
    }
    if statement is not None:
        data = statement.data or {}
        if data.get("waived"):
            out["statement_waived"] = True
        else:
            out["statement"] = statement.summary
            out["statement_review"] = statement_review.review_sentence(
                adoption=str(data.get("adoption", "")),
                reasons=str(data.get("adoption_reasons", "")),
                what="陈述、申辩意见",
            )
    if hearing is not None:
        data = hearing.data or {}
        if data.get("party_absent"):
            out["hearing_absent"] = True
        else:
            out["hearing"] = hearing.summary
            out["hearing_review"] = statement_review.review_sentence(
                adoption=str(data.get("adoption", "")),
                reasons=str(data.get("adoption_reasons", "")),
                what="听证意见",
            )
    return out


def _decision_values(case: Case) -> dict[str, Any]:
    notice = _entry_data(case, "case.notify")
    statement = CaseStep.objects.filter(case=case, kind=CaseStep.Kind.STATEMENT).last()
    hearing = CaseStep.objects.filter(case=case, kind=CaseStep.Kind.HEARING_RECORD).last()
    steps = CaseStep.objects.filter(
        case=case, kind__in=(*INVESTIGATION_STEPS, CaseStep.Kind.SEIZURE_RECORD)
    ).order_by("on", "id")
    evidence = [f"{s.get_kind_display()}（{chinese_date(s.on)}）" for s in steps]
    evidence += [row["name"] for row in _evidence_rows(case)]
    return {
        "evidence": evidence,
        # The templates end these sentences themselves; typography drops a doubled stop.
        "facts": notice.get("facts", "") or case.summary,
        "reasons": notice.get("reasons", ""),
        "basis": notice.get("basis", "") or _basis_of_power(case),
        "penalty": _penalty_labels(case.penalty_kinds),
        "fine": money(case.fine),
        "confiscation": money(case.confiscation),
        "confiscated_property": case.confiscated_property,
        "property_value": money(case.confiscated_property_value),
        "decided_on": chinese_date(case.decided_on),
        "collective_discussion": case.collective_discussion,
        **_heard(statement, hearing),
        "payment_days": penalty.PAYMENT.length,
        "payment_article": penalty.PAYMENT.article,
        "late_fee_article": penalty.article("七十二"),
    }


def _context(
    case: Case, kind: str, number: str, on: date, step: CaseStep | None
) -> tuple[dict[str, Any], date | None]:
    """The template's values and the day the document is dated (its act's day)."""
    extra: dict[str, Any] = {}
    act_on: date | None = on
    if step is not None:
        act_on = step.on
        extra["step"] = _step_values(case, step)
    if kind == D.REGISTER_APPROVAL:
        act_on = case.registered_on
        extra["opinion"] = _entry_data(case, "case.register").get("opinion", "")
    elif kind in (D.PENALTY_NOTICE, D.HEARING_RIGHT_NOTICE):
        act_on = case.notified_on
        notice = _entry_data(case, "case.notify")
        extra.update(
            facts=notice.get("facts", ""),
            reasons=notice.get("reasons", ""),
            basis=notice.get("basis", ""),
            penalty=_penalty_labels(case.notified_penalty_kinds),
            fine=money(case.notified_fine),
            confiscation=money(case.notified_confiscation),
            confiscated_property=case.notified_confiscated_property,
            property_value=money(case.notified_confiscated_property_value),
            statement_deadline=chinese_date(case.statement_deadline),
            hearing_right=case.hearing_right,
            hearing_deadline=chinese_date(case.hearing_request_deadline),
            hearing_article=penalty.HEARING_REQUEST.article,
        )
    elif kind == D.HEARING_NOTICE:
        act_on = case.hearing_notice_on
        data = _entry_data(case, "case.hearing_notice").get("step", {}).get("data", {})
        presider = case.hearing_presider
        extra.update(
            hearing_on=chinese_date(case.hearing_on),
            place=data.get("place", ""),
            presider=presider.name if presider is not None else "",
            notice_number=case.notice_number,
        )
    elif kind == D.HEARING_RECORD:
        presider = case.hearing_presider
        extra.update(presider=presider.name if presider is not None else "")
    elif kind in (D.PENALTY_DECISION, D.SIMPLE_DECISION):
        act_on = case.decided_on
        extra.update(_decision_values(case))
        if kind == D.SIMPLE_DECISION:
            opened = _entry_data(case, "case.simple_decide")
            extra.update(facts=opened.get("facts", "") or case.summary)
            extra.update(basis=opened.get("basis", "") or _basis_of_power(case))
            moment = opened.get("at")
            extra.update(
                place=opened.get("place", ""),
                decided_at=(
                    chinese_datetime(datetime.fromisoformat(str(moment)))
                    if moment
                    else chinese_date(case.decided_on)
                ),
            )
    elif kind == D.NO_PENALTY_DECISION:
        act_on = case.decided_on
        extra.update(_no_penalty_values(case))
    elif kind == D.SERVICE_RECEIPT:
        assert step is not None
        extra.update(
            served=f"{'当场' if case.kind == K.PENALTY_SIMPLE else ''}行政处罚决定书",
            served_number=case.decision_number,
            method=Case.ServiceMethod(step.data.get("method", "direct")).label,
            recipient=step.data.get("recipient", ""),
            late=bool(step.data.get("late")),
        )
    elif kind == D.SEIZURE_DECISION:
        act_on = case.decided_on
        record = CaseStep.objects.filter(case=case, kind=CaseStep.Kind.SEIZURE_RECORD).last()
        items = record.data.get("items", []) if record is not None else []
        extra.update(
            measure=case.get_seizure_measure_display(),
            seized_at=chinese_datetime(case.seized_at),
            deadline=chinese_date(case.seizure_deadline),
            items=[{"index": str(i + 1), **item} for i, item in enumerate(items)],
            emergency=case.seizure_emergency,
            period_article=coercion.article("二十五"),
            list_article=coercion.article("二十四"),
        )
    elif kind == D.CLOSE_APPROVAL:
        act_on = case.closed_on
        extra.update(
            opinion=_entry_data(case, "case.close").get("opinion", ""),
            decision_number=case.decision_number,
            penalty=_penalty_labels(case.penalty_kinds) if case.penalty_kinds else "",
            fine=money(case.fine),
            paid=money(case.paid_amount),
            confiscation=money(case.confiscation),
            paid_confiscation=money(case.paid_confiscation),
            confiscated_property=case.confiscated_property,
            property_value=money(case.confiscated_property_value),
            late_fee=money(case.late_fee) if case.late_fee else money(None),
            paid_late_fee=money(case.paid_late_fee) if case.paid_late_fee else money(None),
            outcome=(
                case.get_inspection_outcome_display()
                or case.get_seizure_outcome_display()
                or case.get_end_ground_display()
            ),
            end_reason=case.end_reason,
        )
    elif kind == D.EVIDENCE_LIST:
        extra["evidence"] = _evidence_rows(case)
    for kinds, more in _VALUES:
        if kind in kinds:
            extra.update(more(case, kind))
    values = _common(case, kind, number, on, act_on)
    values.update(extra)
    return _text(values), act_on


def _actor_may_generate(actor: Account, case: Case, kind: str) -> None:
    source = _SOURCES.get(kind)
    if source is not None and actor.role in source.roles and actor.agency_id == case.agency_id:
        return
    guards.actor_is_officer(
        role=actor.role, actor_agency_id=actor.agency_id, agency_id=case.agency_id
    )


# -- templates -----------------------------------------------------------------------------


@cache
def template_engine() -> Engine:
    """Django templates without autoescaping (the output is markup, not HTML), no app tag
    libraries, unknown variables rendered empty; ``{% include %}`` finds the default files.

    The engine's ``autoescape=False`` alone does not turn escaping off: a ``Context`` built by
    hand escapes unless told not to, so templates are rendered only by :func:`document_text`.
    """
    return Engine(dirs=[str(TEMPLATE_DIR)], app_dirs=False, autoescape=False, libraries={})


def default_template_path(kind: str) -> Path:
    return TEMPLATE_DIR / "cases" / "documents" / f"{kind}.txt"


def default_template(kind: str) -> str:
    """The default wording of a document kind (the file shipped with zhifa)."""
    return default_template_path(kind).read_text(encoding="utf-8")


def _compile(body: str) -> Template:
    try:
        return Template(body, engine=template_engine())
    except TemplateSyntaxError as exc:
        raise RuleViolation(f"文书模板有误：{exc}", field="body") from exc


def document_text(body: str, values: dict[str, Any]) -> str:
    """The markup a template renders to with ``values``: plain text, nothing HTML-escaped
    (a party named ``A&B`` stays ``A&B``). Raises RuleViolation for a template that does not
    compile; other errors of an agency's template propagate to the caller."""
    context = Context(values, autoescape=template_engine().autoescape)
    return _compile(body).render(context)


def document_blocks(body: str, values: dict[str, Any]) -> list[Block]:
    """The one rendering path of every document: template → markup → blocks, then the
    typographic rules (no doubled lead-in, no doubled punctuation). The PDF and DOCX writers
    lay out exactly these blocks."""
    return [typography.block_tidy(b) for b in parse(document_text(body, values))]


def _template_for(agency: Agency, kind: str) -> tuple[str, str]:
    """(template text, source): the agency's own, else the default file."""
    own = DocumentTemplate.objects.filter(agency=agency, kind=kind).first()
    if own is not None:
        return own.body, "agency"
    return default_template(kind), "default"


@transaction.atomic
def document_template_set(
    *, actor: Account, agency: Agency, kind: str, body: str, at: datetime | None = None
) -> DocumentTemplate:
    """Set the agency's own template of one document kind (its head, or an administrator of
    its region). Refuses a template that does not compile or has no title line (``# …``).
    Records the whole text, so every earlier wording stays in the log."""
    head = actor.role == Account.Role.HEAD and actor.agency_id == agency.pk
    if not (head or can_manage_registry(actor, agency)):
        raise RuleViolation("只有本机关负责人或本辖区的系统管理员可以修改文书模板")
    if _spec(kind) is None:
        raise RuleViolation(f"文书种类“{kind}”无效", field="kind")
    try:
        sample = document_text(body, {"title": D(kind).label})
    except RuleViolation:
        raise
    except Exception as exc:
        raise RuleViolation(f"文书模板有误：{exc}", field="body") from exc
    if not any(b.kind == BlockKind.TITLE for b in parse(sample)):
        raise RuleViolation("文书模板须有标题行（以“# ”开头）", field="body")
    now = timezone.now() if at is None else at
    row, _ = DocumentTemplate.objects.update_or_create(
        agency=agency, kind=kind, defaults={"body": body, "updated_by": actor, "updated_at": now}
    )
    record_append(
        actor_id=actor.pk,
        actor_name=actor.display_name or actor.get_username(),
        role=actor.role,
        action="document.template_set",
        payload={"agency_id": agency.pk, "kind": kind, "body": body},
        at=now,
    )
    return row


def document_template_reset(*, actor: Account, agency: Agency, kind: str) -> None:
    """Go back to the default file for one kind (same permission as setting one)."""
    document_template_set(actor=actor, agency=agency, kind=kind, body=default_template(kind))
    DocumentTemplate.objects.filter(agency=agency, kind=kind).delete()


def document_font() -> Font:
    """ZHIFA_DOCUMENT_FONT = (path, index of the face in a .ttc): a TrueType CJK font."""
    path, index = getattr(settings, "ZHIFA_DOCUMENT_FONT", DEFAULT_FONT)
    return Font(Path(path), int(index))


# -- the decision's text, for its publication ----------------------------------------------

# The document a party is served with the decision of each procedure.
DECISION_DOCUMENTS: dict[str, str] = {
    K.PENALTY_GENERAL: D.PENALTY_DECISION,
    K.PENALTY_SIMPLE: D.SIMPLE_DECISION,
    K.SEIZURE: D.SEIZURE_DECISION,
    K.LICENSING: D.LICENCE_DECISION,  # supplied by the licensing app (DocumentSource)
}


def decision_document_kind(case: Case) -> str | None:
    """The kind of the decision document ``case`` serves (None: its procedure has none)."""
    if case.end_ground and case.kind == K.PENALTY_GENERAL:  # 不予行政处罚决定书
        return D.NO_PENALTY_DECISION
    return DECISION_DOCUMENTS.get(case.kind)


def served_blocks(case: Case, kind: str) -> list[Block]:
    """The blocks of the document ``kind`` of ``case`` as it is served: the agency's template,
    the case's values, the number of its first version — exactly what
    :func:`document_generate` lays out as PDF and DOCX (the document is dated with its act's
    day, so the day it is generated changes nothing). For decision documents only (their
    number is the decision's: nothing is numbered here).

    Raises RuleViolation when the case cannot have the document yet."""
    if kind not in (*DECISION_DOCUMENTS.values(), D.NO_PENALTY_DECISION):
        raise ValueError(f"{kind} is not a decision document")
    chosen = document_check(case, kind)
    first = CaseDocument.objects.filter(case=case, kind=kind).order_by("version").first()
    number = first.number if first is not None else case.decision_number
    on = case.decided_on or timezone.localdate()
    values, _ = _context(case, kind, number, on, chosen)
    if kind in _SOURCES:
        sourced = _SOURCES[kind].values(case)
        number = sourced.number or number
        values = {**values, **_text(sourced.values), "number": number}
    body, _source = _template_for(case.agency, kind)
    return document_blocks(body, values)


def served_text(case: Case, kind: str) -> str:
    """The served document's text, one block a line (``markup.plain_text``): what its PDF and
    DOCX print, page numbers aside."""
    return plain_text(served_blocks(case, kind))


# -- the service ---------------------------------------------------------------------------


@transaction.atomic
def document_generate(
    *,
    actor: Account,
    case: Case,
    kind: str,
    on: date,
    step: CaseStep | None = None,
    at: datetime | None = None,
) -> CaseDocument:
    """Generate the next version of one document of ``case`` as PDF and DOCX.

    Guarantees: the actor is an officer or the head of the case's agency; the case has reached
    the act the document records (else RuleViolation naming it); the number is the one of the
    module docstring's rule, the same for every version; both files are stored as evidence and
    one record entry (``document.generate``) carries their SHA-256 (and, for a document from a
    registered source, its subject), in this transaction; the
    case row is locked, so concurrent generations get consecutive versions. ``on`` is the day
    of generation; the document is dated with its act's day. ``step`` picks the step a 笔录 or
    送达回证 is about (default: the latest one).
    """
    locked = (
        Case.objects.select_for_update()
        .select_related("agency", "domain", "power_item")
        .get(pk=case.pk)
    )
    _actor_may_generate(actor, locked, kind)
    chosen = document_check(locked, kind, step)
    previous = CaseDocument.objects.filter(case=locked, kind=kind, step=chosen)
    version = (previous.aggregate(m=Max("version"))["m"] or 0) + 1
    sourced = _SOURCES[kind].values(locked) if kind in _SOURCES else None
    if sourced is not None:
        kept = _subject_number(previous, sourced.subject)
    else:
        first = previous.order_by("version").first()
        kept = first.number if first is not None else None
    if kept is None and sourced is not None and sourced.number:
        kept = sourced.number
    number = kept if kept is not None else _number(locked, kind, on)
    values, act_on = _context(locked, kind, number, on, chosen)
    if sourced is not None:
        act_on = sourced.on
        values = {**values, **_text(sourced.values), "date": chinese_date(sourced.on or on)}
    if act_on is not None and on < act_on:
        raise RuleViolation(
            f"文书生成日期不能早于{chinese_date(act_on)}（{D(kind).label}所记载事项的日期）",
            field="on",
        )
    body, source = _template_for(locked.agency, kind)
    try:
        blocks = document_blocks(body, values)
    except RuleViolation:
        raise
    except Exception as exc:  # a broken agency template must not look like a server error
        raise RuleViolation(f"文书模板无法生成：{exc}", field="body") from exc
    now = timezone.now() if at is None else at
    title = next((b.text for b in blocks if b.kind == BlockKind.TITLE), D(kind).label)
    stem = f"{locked.number or f'案件{locked.pk}'}-{D(kind).label}-第{version}版"
    meta = DocumentMeta(
        title=title,
        number=number,
        author=locked.agency.name,
        at=now,
        version=version,
        reference=f"case {locked.pk} {kind}" + (f" step {chosen.pk}" if chosen else ""),
    )
    pdf = evidence_store(
        io.BytesIO(render_pdf(blocks, font=document_font(), meta=meta)),
        name=f"{stem}.pdf",
        media_type=PDF_TYPE,
        at=now,
    )
    docx = evidence_store(
        io.BytesIO(render_docx(blocks, meta=meta)),
        name=f"{stem}.docx",
        media_type=DOCX_TYPE,
        at=now,
    )
    payload: dict[str, Any] = {
        "kind": kind,
        "title": title,
        "number": number,
        "version": version,
        "on": on,
        "step_id": chosen.pk if chosen else None,
        "template": source,
        "pdf": pdf.sha256,
        "docx": docx.sha256,
    }
    if sourced is not None:
        payload["subject"] = sourced.subject
    entry = record_append(
        actor_id=actor.pk,
        actor_name=actor.display_name or actor.get_username(),
        role=actor.role,
        action="document.generate",
        payload=payload,
        case_id=locked.pk,
        files=[pdf.ref, docx.ref],
        at=now,
    )
    return CaseDocument.objects.create(
        case=locked,
        kind=kind,
        step=chosen,
        version=version,
        number=number,
        title=title,
        generated_on=on,
        pdf=pdf,
        docx=docx,
        template_source=source,
        created_by=actor,
        created_at=now,
        entry_seq=entry.seq,
    )


# -- reads -----------------------------------------------------------------------------------


def case_documents(case: Case) -> QuerySet[CaseDocument]:
    """Every generated version of every document of ``case``, oldest first (gate the case
    first: not access-checked)."""
    return (
        CaseDocument.objects.filter(case=case)
        .select_related("pdf", "docx", "step", "created_by")
        .order_by("created_at", "id")
    )


def document_files(document: CaseDocument) -> tuple[EvidenceFile, EvidenceFile]:
    return document.pdf, document.docx
