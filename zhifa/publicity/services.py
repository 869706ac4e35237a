"""Every change to a decision publication: one service per step, each one transaction that
appends its record entry.

Contract of every ``publication_<verb>(*, actor, publication, …)`` service: it locks the
publication row, checks who acts (the publisher of the publication's agency; a hold also the
agency's officers and head), checks the state, applies the change and appends one record entry
(``record_append``) in the same transaction. Refusals raise :class:`RuleViolation` with the
Chinese message naming the rule (国办发〔2018〕118号, 《行政处罚法》第四十八条 …).

Public entries (``publicity.publish``, ``.correct``, ``.update``, ``.withdraw``, ``.expire``)
carry only public content: their payload is ``{"content": …, "content_sha256": …}`` and their
actor name is the agency's publishing office, not a person — their exact bytes are shown to
anyone with the inclusion proof. A signed head is added at once, so the entry is covered.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from types import ModuleType
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.models import Case, Party
from zhifa.cases.selectors import case_parties
from zhifa.core.calendar import counted, current_calendar
from zhifa.core.exceptions import RuleViolation
from zhifa.law.periods import Period, deadline
from zhifa.record.canonical import canonical_json
from zhifa.record.models import Entry
from zhifa.record.services import head_sign, record_append
from zhifa.registry.models import Account, Agency

from . import decision_text, policy, results
from . import spans as sp
from .models import CorrectionReport, Publication, PublicationVersion
from .search.services import SearchDocument, search_index_put, search_index_remove

S = Publication.State
Role = Account.Role
CONTENT_FORMAT = "zhifa-publication/1"
PRIVACY_RULE = f"依据{policy.GUIDELINE}，不得公开个人隐私"

# Decision changes after which a published decision is withdrawn or updated (第四十八条第二款).
CHANGE_KINDS: dict[str, str] = {
    "revoked": "撤销",
    "changed": "变更",
    "illegal": "确认违法",
    "void": "确认无效",
}


# -- the redaction engine (zhifa.publicity.redaction, imported when present) --------------------


# The Chinese name of each action this module records (record.action_labels; the timeline).
ACTION_LABELS = {
    "publicity.draft": "生成公示草稿",
    "publicity.redact": "去除个人信息",
    "publicity.hold": "暂缓公示",
    "publicity.span_add": "标注需去除的内容",
    "publicity.span_undo": "撤销标注",
    "publicity.span_resolve": "处理标注",
    "publicity.fields_edit": "修改公示栏目",
    "publicity.publish": "公示行政执法决定",
    "publicity.correct": "更正公示内容",
    "publicity.update": "更新公示内容",
    "publicity.withdraw": "撤回公示",
    "publicity.expire": "公示期满下线",
    "publicity.report": "收到公众纠错意见",
    "publicity.report_answer": "答复公众纠错意见",
}


def redaction_engine() -> ModuleType | None:
    """The redaction engine, or None while it is not installed (then no automatic spans)."""
    try:
        from . import redaction
    except ImportError:
        return None
    return redaction


def kind_labels() -> dict[str, str]:
    engine = redaction_engine()
    labels = dict(sp.KIND_LABELS)
    if engine is not None:
        labels.update(getattr(engine, "KIND_LABELS", {}))
    return labels


def _engine_known(engine: ModuleType, known: Sequence[decision_text.Known]) -> list[Any]:
    return [engine.KnownValue(k.value, k.kind, k.replacement or None) for k in known]


def auto_spans(
    text: str, known: Sequence[decision_text.Known], division_code: str
) -> tuple[list[dict[str, Any]], bool]:
    """(spans, engine ran): the engine's findings as review spans (ambiguous ones pending),
    then every occurrence of a known value no span covers yet — so the case's own values are
    removed even where a pattern misses a variant, and while the engine is not installed."""
    engine = redaction_engine()
    found: list[Any] = []
    if engine is not None:
        result = engine.redact(
            text, _engine_known(engine, known), rules=engine.rules_for(division_code)
        )
        found = list(result.spans)  # ambiguous ones included, marked
    out: list[dict[str, Any]] = []
    seen: set[tuple[int, int, str]] = set()
    for s in sorted(found, key=lambda s: (s.start, s.end)):
        if (s.start, s.end, s.kind) in seen:
            continue
        seen.add((s.start, s.end, s.kind))
        out.append(
            sp.span(
                len(out) + 1,
                s.start,
                s.end,
                s.kind,
                state=sp.PENDING if s.ambiguous else sp.REMOVE,
                replacement=s.replacement,
                source=getattr(s, "source", "") or "",
            )
        )
    covered = [(s["start"], s["end"]) for s in out if s["state"] == sp.REMOVE]
    for k in sorted(known, key=lambda k: -len(k.value)):
        for start in sp.occurrences(text, k.value):
            end = start + len(k.value)
            if any(a <= start and end <= b for a, b in covered):
                continue
            out.append(
                sp.span(
                    sp.next_id(out), start, end, k.kind, replacement=k.replacement, source="known"
                )
            )
            covered.append((start, end))
    out.sort(key=lambda s: (s["start"], s["id"]))
    return out, engine is not None


def redact_field(text: str, known: Sequence[decision_text.Known], division_code: str) -> str:
    """A public field with personal data removed: known values first, then the engine (its
    ambiguous findings removed too — a field has no side-by-side review)."""
    for k in sorted(known, key=lambda k: -len(k.value)):
        text = text.replace(k.value, k.replacement or sp.default_replacement(k.kind))
    engine = redaction_engine()
    if engine is None or not text:
        return text
    result = engine.redact(text, (), rules=engine.rules_for(division_code))
    return str(engine.apply_spans(text, result.spans))


# -- reading the case -----------------------------------------------------------------------


def hold_reasons(case: Case) -> list[tuple[str, str]]:
    """Why the decision must not be published at all (国办发〔2018〕118号): a minor party, or
    the case reported or transferred as a suspected crime (国务院令第310号)."""
    from zhifa.review.models import CrimeTransfer

    reasons: list[tuple[str, str]] = []
    minors = [p for p in case_parties(case) if p.kind == Party.Kind.NATURAL_PERSON and p.is_minor]
    if minors:
        reasons.append((Publication.HoldReason.MINOR, "当事人为未成年人"))
    live = (
        CrimeTransfer.State.REPORTED,
        CrimeTransfer.State.APPROVED,
        CrimeTransfer.State.TRANSFERRED,
        CrimeTransfer.State.ACCEPTED,
    )
    transferred = CrimeTransfer.objects.filter(case=case, state__in=live).exists()
    if transferred or case.state == Case.State.TRANSFERRED:
        reasons.append((Publication.HoldReason.CRIME, "案件涉嫌犯罪，已报请或移送司法机关"))
    return reasons


def _due(period: Period, start: date) -> tuple[date, bool, str]:
    """(last day, provisional, calendar version): provisional by the weekday rule where the
    count reaches a year whose holidays are not published yet."""
    on, provisional = counted(
        lambda calendar: deadline(period, start, calendar), from_year=start.year
    )
    return on, provisional, current_calendar().version


def _known(publication: Publication) -> list[decision_text.Known]:
    """The personal values the review must remove: a decision's from its case; a supervision
    result's from the cases its matter read and the extra values its source gave (e.g. a
    complainant's identity) — all with the jurisdiction's naming mode."""
    mode = policy.person_name_setting(publication.agency.division_code)
    if publication.case is not None:
        return decision_text.known_values(publication.case, mode)
    out: list[decision_text.Known] = []
    for case in Case.objects.filter(pk__in=publication.known_cases).order_by("pk"):
        out += decision_text.known_values(case, mode)
    out += [
        decision_text.Known(
            str(k["value"]), str(k["kind"]), str(k.get("replacement", "")), str(k.get("label", ""))
        )
        for k in publication.known_extra
        if str(k.get("value", "")).strip()
    ]
    return out


def field_labels(publication: Publication) -> dict[str, str]:
    """The public fields of the publication's source, in the page's order, with labels."""
    if publication.source == Publication.Source.SUPERVISION:
        return dict(results.FIELD_LABELS)
    return dict(decision_text.FIELD_LABELS)


# -- who acts -------------------------------------------------------------------------------


def _name(actor: Account) -> str:
    return actor.display_name or actor.get_username()


def _public_name(publication: Publication) -> str:
    """The actor name of a public entry: the agency's publishing office, never a person."""
    return f"{publication.agency.name}（行政执法公示）"


def _publisher(actor: Account, publication: Publication) -> None:
    if actor.role != Role.PUBLISHER or actor.agency_id != publication.agency_id:
        if publication.source == Publication.Source.SUPERVISION:
            raise RuleViolation(
                "只有本监督机构的公示管理员可以审核、公开、更正或撤回执法监督结果",
                article=results.ARTICLE,
            )
        raise RuleViolation(
            "只有本机关的公示管理员可以审核、公开、更正或撤回行政执法决定公示",
            article=f"{policy.GUIDELINE}（谁执法谁公示）",
        )


def _state(publication: Publication, *states: str) -> None:
    if publication.state not in states:
        raise RuleViolation(f"公示当前状态为“{publication.get_state_display()}”，不能进行该操作")


def _lock(publication: Publication) -> Publication:
    # Only the publication row is locked: case and domain are nullable (a supervision result
    # has neither), and PostgreSQL refuses FOR UPDATE on the nullable side of an outer join.
    return (
        Publication.objects.select_for_update(of=("self",))
        .select_related("agency", "case", "case__agency", "case__power_item", "domain")
        .get(pk=publication.pk)
    )


def _record(
    actor: Account | None,
    publication: Publication,
    action: str,
    payload: Mapping[str, Any],
    *,
    at: datetime,
    public: bool = False,
) -> Entry:
    return record_append(
        actor_id=None if actor is None else actor.pk,
        actor_name=(_public_name(publication) if public or actor is None else _name(actor)),
        role="system" if actor is None else actor.role,
        action=action,
        payload=payload,
        # Drafts are recorded outside the case's own entries (the case keeps one entry per
        # step of its procedure); what the public sees belongs to the case file.
        case_id=publication.case_id if public else None,
        at=at,
    )


# -- the draft ------------------------------------------------------------------------------


@transaction.atomic
def publication_draft(
    *, actor: Account, case: Case, on: date, at: datetime | None = None
) -> Publication:
    """Prepare the publication of a decision just made (at most one per case; a second call
    returns the first). Computes the due date on the statutory calendar (per sector, see
    ``policy``), builds the decision text and its public fields, finds the personal data and
    holds the publication back at once when the party is a minor or the case went to the
    police. Records ``publicity.draft``."""
    existing = Publication.objects.filter(case=case).first()
    if existing is not None:
        return existing
    case = Case.objects.select_related("agency", "domain", "power_item").get(pk=case.pk)
    decided_on = case.decided_on or on  # an inspection's result is dated by its findings
    now = timezone.now() if at is None else at
    kind = decision_text.publication_kind(case)
    sector = policy.sector_setting(case.domain.code)
    period = sector.publication_period(kind)
    due_on, provisional, version = _due(period, decided_on)
    mode = policy.person_name_setting(case.agency.division_code)
    known = decision_text.known_values(case, mode)
    text = decision_text.decision_body(case, decided_on)
    division = case.agency.division_code
    # A 许可 decision is published in full, and natural persons' personal data is still
    # removed by the review (国办发〔2018〕118号; issue 13): only other full-text kinds skip it.
    full_text = kind in decision_text.FULL_TEXT_KINDS and kind != Publication.Kind.LICENSING
    found, engine_ran = ([], True) if full_text else auto_spans(text, known, division)
    fields = decision_text.public_fields(case, mode, decided_on)
    for name in ("content", "basis", "conclusion"):
        fields[name] = redact_field(fields[name], known, division)
    reasons = hold_reasons(case)
    publication = Publication.objects.create(
        agency=case.agency,
        case=case,
        kind=kind,
        domain=case.domain,
        decided_on=decided_on,
        decision_number=decision_text.decision_number(case),
        state=S.HELD if reasons else S.DRAFT,
        due_workdays=period.length,
        due_on=due_on,
        due_provisional=provisional,
        calendar_version=version,
        original_text=text,
        spans=found,
        draft_fields=fields,
        redaction_done=engine_ran,
        hold_reason=reasons[0][0] if reasons else "",
        hold_note="；".join(r for _, r in reasons),
        held_at=now if reasons else None,
        created_at=now,
    )
    _record(
        actor,
        publication,
        "publicity.draft",
        {
            "publication": publication.pk,
            "case": case.pk,
            "kind": kind,
            "decided_on": decided_on,
            "due_on": due_on,
            "due_workdays": period.length,
            "due_basis": period.article,
            "due_provisional": provisional,
            "calendar_version": version,
            "state": publication.state,
            "hold_reason": publication.hold_reason,
        },
        at=now,
    )
    return publication


@transaction.atomic
def publication_draft_result(
    *,
    actor: Account,
    body: Agency,
    source_ref: str,
    number: str,
    issued_on: date,
    text: str,
    fields: Mapping[str, str],
    known_cases: Sequence[int] = (),
    known_extra: Sequence[decision_text.Known] = (),
    at: datetime | None = None,
) -> Publication:
    """Propose the publication of a supervisory body's own result (执法监督结果公开,
    《行政执法监督条例》第三十一条: 通报、向社会公布): a draft of ``text`` (the issued document's
    text, with its personal data) owned by ``body``, reviewed by the body's publisher exactly as
    a decision (spans found by the redaction engine and the known values of ``known_cases`` and
    ``known_extra``; ambiguous ones pending) and then published, versioned and proved the same
    way. At most one per ``source_ref`` (a second call returns the first). Due within 20 working
    days of ``issued_on`` (results.PERIOD). Records ``publicity.draft``.

    Raises RuleViolation when the actor is not a supervisor of ``body``."""
    existing = Publication.objects.filter(source_ref=source_ref).first()
    if existing is not None:
        return existing
    if actor.role != Role.SUPERVISOR or actor.agency_id != body.pk:
        raise RuleViolation(
            "只有本监督机构的监督人员可以提出公开执法监督结果", article=results.ARTICLE
        )
    unknown = set(fields) - set(results.FIELD_LABELS)
    if unknown:
        raise RuleViolation(f"没有公开字段“{'、'.join(sorted(unknown))}”", field="fields")
    now = timezone.now() if at is None else at
    period = results.period()
    due_on, provisional, version = _due(period, issued_on)
    mode = policy.person_name_setting(body.division_code)
    known: list[decision_text.Known] = []
    for case in Case.objects.filter(pk__in=list(known_cases)).order_by("pk"):
        known += decision_text.known_values(case, mode)
    known += list(known_extra)
    found, engine_ran = auto_spans(text, known, body.division_code)
    public_fields = {k: redact_field(str(v), known, body.division_code) for k, v in fields.items()}
    publication = Publication.objects.create(
        source=Publication.Source.SUPERVISION,
        source_ref=source_ref,
        agency=body,
        case=None,
        kind=Publication.Kind.SUPERVISION,
        domain=None,
        decided_on=issued_on,
        decision_number=number,
        state=S.DRAFT,
        due_workdays=period.length,
        due_on=due_on,
        due_provisional=provisional,
        calendar_version=version,
        original_text=text,
        spans=found,
        draft_fields=public_fields,
        redaction_done=engine_ran,
        known_cases=sorted(set(known_cases)),
        known_extra=[
            {"value": k.value, "kind": k.kind, "replacement": k.replacement, "label": k.label}
            for k in known_extra
        ],
        created_at=now,
    )
    _record(
        actor,
        publication,
        "publicity.draft",
        {
            "publication": publication.pk,
            "source": publication.source,
            "source_ref": source_ref,
            "kind": publication.kind,
            "decided_on": issued_on,
            "due_on": due_on,
            "due_workdays": period.length,
            "due_basis": period.article,
            "due_provisional": provisional,
            "calendar_version": version,
            "state": publication.state,
        },
        at=now,
    )
    return publication


def draft_on_decision(actor: Account, case: Case, on: date, event: str) -> None:
    """The decision listener registered with ``cases.services`` (see ``apps.py``)."""
    publication_draft(actor=actor, case=case, on=on)


@transaction.atomic
def publication_redact(
    *, actor: Account, publication: Publication, at: datetime | None = None
) -> Publication:
    """Find the personal data of a draft prepared while the redaction engine was missing."""
    publication = _lock(publication)
    _publisher(actor, publication)
    _state(publication, S.DRAFT)
    if publication.redaction_done:
        return publication
    found, engine_ran = auto_spans(
        publication.original_text, _known(publication), publication.agency.division_code
    )
    if not engine_ran:
        raise RuleViolation("个人信息识别组件尚未安装，请手工标注需删除的内容")
    publication.spans = found
    publication.redaction_done = True
    publication.save(update_fields=["spans", "redaction_done"])
    now = timezone.now() if at is None else at
    _record(
        actor,
        publication,
        "publicity.redact",
        {"publication": publication.pk, "spans": _span_summary(found)},
        at=now,
    )
    return publication


def _span_summary(found: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    keys = ("id", "start", "end", "kind", "state")
    return [{k: s[k] for k in keys} for s in found]


@transaction.atomic
def publication_hold(
    *,
    actor: Account,
    publication: Publication,
    reason: str,
    note: str,
    at: datetime | None = None,
) -> Publication:
    """Hold a draft back (不予公开) because secrets or privacy are involved (国办发〔2018〕
    118号), with the reason written down; by the agency's officers, head or publisher."""
    publication = _lock(publication)
    if actor.agency_id != publication.agency_id or actor.role not in (
        Role.OFFICER,
        Role.HEAD,
        Role.PUBLISHER,
    ):
        raise RuleViolation("只有本机关的执法人员、负责人或公示管理员可以决定不予公开")
    _state(publication, S.DRAFT)
    if reason not in Publication.HoldReason.values:
        raise RuleViolation(f"不予公开理由“{reason}”无效", field="reason")
    if not note.strip():
        raise RuleViolation("决定不予公开须写明具体理由", article=policy.GUIDELINE, field="note")
    now = timezone.now() if at is None else at
    publication.state = S.HELD
    publication.hold_reason = reason
    publication.hold_note = note.strip()
    publication.held_by = actor
    publication.held_at = now
    publication.save(update_fields=["state", "hold_reason", "hold_note", "held_by", "held_at"])
    _record(
        actor,
        publication,
        "publicity.hold",
        {"publication": publication.pk, "reason": reason, "note": note.strip()},
        at=now,
    )
    return publication


# -- the publisher's review -----------------------------------------------------------------


def _spans_write(
    actor: Account,
    publication: Publication,
    spans: list[dict[str, Any]],
    action: str,
    detail: Mapping[str, Any],
    at: datetime | None,
) -> Publication:
    publication.spans = spans
    publication.save(update_fields=["spans"])
    now = timezone.now() if at is None else at
    _record(actor, publication, action, {"publication": publication.pk, **detail}, at=now)
    return publication


@transaction.atomic
def publication_span_add(
    *,
    actor: Account,
    publication: Publication,
    start: int,
    end: int,
    kind: str,
    at: datetime | None = None,
) -> Publication:
    """Mark one more piece of the original text as personal (it is removed)."""
    publication = _lock(publication)
    _publisher(actor, publication)
    _state(publication, S.DRAFT)
    if kind not in sp.KIND_LABELS:
        raise RuleViolation(f"个人信息类别“{kind}”无效", field="kind")
    if not 0 <= start < end <= len(publication.original_text):
        raise RuleViolation("所选范围不在决定书原文之内", field="start")
    spans = list(publication.spans)
    new = sp.span(sp.next_id(spans), start, end, kind, origin="publisher")
    spans.append(new)
    return _spans_write(
        actor, publication, spans, "publicity.span_add", {"span": _span_summary([new])[0]}, at
    )


def _find_span(publication: Publication, span_id: int) -> tuple[list[dict[str, Any]], int]:
    spans = [dict(s) for s in publication.spans]
    for i, s in enumerate(spans):
        if int(s["id"]) == span_id:
            return spans, i
    raise RuleViolation("没有这一处标注", field="span")


@transaction.atomic
def publication_span_undo(
    *, actor: Account, publication: Publication, span_id: int, at: datetime | None = None
) -> Publication:
    """Keep the text of one span after all (the removal is undone; the span stays listed)."""
    publication = _lock(publication)
    _publisher(actor, publication)
    _state(publication, S.DRAFT)
    spans, i = _find_span(publication, span_id)
    spans[i]["state"] = sp.KEEP
    return _spans_write(actor, publication, spans, "publicity.span_undo", {"span": span_id}, at)


@transaction.atomic
def publication_span_resolve(
    *,
    actor: Account,
    publication: Publication,
    span_id: int,
    remove: bool,
    at: datetime | None = None,
) -> Publication:
    """Decide an ambiguous finding: remove it (personal) or keep it (e.g. a credit code)."""
    publication = _lock(publication)
    _publisher(actor, publication)
    _state(publication, S.DRAFT)
    spans, i = _find_span(publication, span_id)
    spans[i]["state"] = sp.REMOVE if remove else sp.KEEP
    return _spans_write(
        actor,
        publication,
        spans,
        "publicity.span_resolve",
        {"span": span_id, "remove": remove},
        at,
    )


@transaction.atomic
def publication_fields_edit(
    *,
    actor: Account,
    publication: Publication,
    fields: Mapping[str, str],
    at: datetime | None = None,
) -> Publication:
    """Edit the public fields of a draft (unknown names are refused)."""
    publication = _lock(publication)
    _publisher(actor, publication)
    _state(publication, S.DRAFT)
    unknown = set(fields) - set(field_labels(publication))
    if unknown:
        raise RuleViolation(f"没有公开字段“{'、'.join(sorted(unknown))}”", field="fields")
    publication.draft_fields = {
        **publication.draft_fields,
        **{k: v.strip() for k, v in fields.items()},
    }
    publication.save(update_fields=["draft_fields"])
    now = timezone.now() if at is None else at
    _record(
        actor,
        publication,
        "publicity.fields_edit",
        {"publication": publication.pk, "fields": sorted(fields)},
        at=now,
    )
    return publication


# -- what may be published ------------------------------------------------------------------


def leaks(
    texts: Mapping[str, str], known: Sequence[decision_text.Known]
) -> list[tuple[str, decision_text.Known]]:
    """(field, value) for every known personal value still found in a public text — also
    with separators removed (``138 0013 5001``)."""
    found: list[tuple[str, decision_text.Known]] = []
    for name, text in texts.items():
        squeezed = sp.compact(text)
        for k in known:
            if k.value in text or (
                len(sp.compact(k.value)) >= 6 and sp.compact(k.value) in squeezed
            ):
                found.append((name, k))
    return found


def _refuse_personal(publication: Publication, fields: Mapping[str, str], text: str) -> None:
    labels = kind_labels()
    left = leaks({**fields, "text": text}, _known(publication))
    if left:
        where = {**field_labels(publication), "text": "公开文本"}
        named = "；".join(
            f"{where.get(name, name)}中仍有{k.label or labels.get(k.kind, k.kind)}"
            for name, k in left
        )
        raise RuleViolation(f"{PRIVACY_RULE}：{named}", article=policy.GUIDELINE)


def _refuse_hold(publication: Publication) -> None:
    if publication.case is None:
        return  # a supervision result: held back only by a recorded publication_hold
    reasons = hold_reasons(publication.case)
    if reasons:
        raise RuleViolation(
            f"依据{policy.GUIDELINE}，{reasons[0][1]}的案件不予公开",
            article=policy.GUIDELINE,
        )


def public_text(publication: Publication) -> str:
    return sp.redacted_text(publication.original_text, publication.spans)


def content_of(
    publication: Publication,
    *,
    number: int,
    kind: str,
    fields: Mapping[str, str],
    text: str,
    notice: str,
    on: date,
    supersedes: str | None,
) -> dict[str, Any]:
    """The canonical public content of one version (what its SHA-256 covers)."""
    return {
        "format": CONTENT_FORMAT,
        "publication": publication.pk,
        "version": number,
        "change": kind,
        "decision_kind": publication.kind,
        "fields": dict(fields),
        "text": text,
        "notice": notice,
        "on": on.isoformat(),
        "supersedes": supersedes,
    }


def content_sha256(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


def _version_add(
    actor: Account,
    publication: Publication,
    *,
    kind: str,
    fields: Mapping[str, str],
    text: str,
    notice: str,
    on: date,
    at: datetime,
) -> PublicationVersion:
    """Append a version and its public entry; supersede the previous one; sign a head."""
    previous = publication.versions.order_by("-number").first()
    number = 1 if previous is None else previous.number + 1
    content = content_of(
        publication,
        number=number,
        kind=kind,
        fields=fields,
        text=text,
        notice=notice,
        on=on,
        supersedes=None if previous is None else previous.content_sha256,
    )
    digest = content_sha256(content)
    entry = _record(
        actor,
        publication,
        f"publicity.{kind}",
        {"content": content, "content_sha256": digest},
        at=at,
        public=True,
    )
    head_sign(at=at)  # the entry is covered by a signed head at once
    if previous is not None:
        previous.superseded_on = on
        previous.save(update_fields=["superseded_on"])
    return PublicationVersion.objects.create(
        publication=publication,
        number=number,
        kind=kind,
        fields=dict(fields),
        text=text,
        notice=notice,
        content_sha256=digest,
        entry_seq=entry.seq,
        on=on,
        at=at,
        by=actor,
    )


@transaction.atomic
def publication_publish(
    *, actor: Account, publication: Publication, on: date, at: datetime | None = None
) -> Publication:
    """Publish a reviewed draft (the agency's publisher).

    Refuses, naming 国办发〔2018〕118号, while an ambiguous finding is undecided, while any
    personal value the case knows still appears in the public text or fields, or when the case
    must be held back (minor party, crime transfer). Writes version 1 and its entry
    ``publicity.publish`` (payload: the public content and its SHA-256), signs a head, sets
    ``on_time`` (published on or before the due day) and ``online_until`` (sector setting)."""
    publication = _lock(publication)
    _publisher(actor, publication)
    _state(publication, S.DRAFT)
    if on < publication.decided_on:
        raise RuleViolation("公开日期不能早于决定日期", field="on")
    _refuse_hold(publication)
    undecided = sp.pending(publication.spans)
    if undecided:
        labels = kind_labels()
        what = "、".join(sorted({labels.get(s["kind"], s["kind"]) for s in undecided}))
        raise RuleViolation(
            f"{PRIVACY_RULE}：尚有{len(undecided)}处疑似个人信息（{what}）未确认是否删除",
            article=policy.GUIDELINE,
        )
    text = public_text(publication)
    fields = {k: str(v) for k, v in publication.draft_fields.items()}
    _refuse_personal(publication, fields, text)
    now = timezone.now() if at is None else at
    _version_add(
        actor,
        publication,
        kind=PublicationVersion.Kind.PUBLISH,
        fields=fields,
        text=text,
        notice="",
        on=on,
        at=now,
    )
    case = publication.case
    sector = policy.sector_setting(publication.domain.code if publication.domain else "")
    publication.state = S.PUBLISHED
    publication.published_on = on
    publication.on_time = on <= publication.due_on
    publication.online_until = sector.online_until(
        on,
        penalty_kinds=case.penalty_kinds if case is not None else [],
        fine=case.fine if case is not None else None,
    )
    publication.save(update_fields=["state", "published_on", "on_time", "online_until"])
    _search_sync(publication)
    return publication


# -- after publication: corrections, changes, withdrawal, expiry ------------------------------


def _current(publication: Publication) -> PublicationVersion:
    version = publication.versions.order_by("-number").first()
    assert version is not None, "a published publication has a version"
    return version


@transaction.atomic
def publication_correct(
    *,
    actor: Account,
    publication: Publication,
    on: date,
    notice: str,
    fields: Mapping[str, str] | None = None,
    text: str | None = None,
    report: CorrectionReport | None = None,
    at: datetime | None = None,
) -> PublicationVersion:
    """Correct an error in a published decision (纠错): a new version with a visible
    correction notice; the earlier versions stay readable. Closes ``report`` when given."""
    publication = _lock(publication)
    _publisher(actor, publication)
    _state(publication, S.PUBLISHED)
    if not notice.strip():
        raise RuleViolation("更正须写明更正说明", article=policy.GUIDELINE, field="notice")
    current = _current(publication)
    new_fields = {**current.fields, **(fields or {})}
    unknown = set(new_fields) - set(field_labels(publication))
    if unknown:
        raise RuleViolation(f"没有公开字段“{'、'.join(sorted(unknown))}”", field="fields")
    new_text = current.text if text is None else text
    _refuse_personal(publication, new_fields, new_text)
    now = timezone.now() if at is None else at
    version = _version_add(
        actor,
        publication,
        kind=PublicationVersion.Kind.CORRECT,
        fields=new_fields,
        text=new_text,
        notice=notice.strip(),
        on=on,
        at=now,
    )
    if report is not None:
        if report.publication_id != publication.pk:
            raise RuleViolation("纠错意见不属于该公示")
        report.state = CorrectionReport.State.CORRECTED
        report.answer = notice.strip()
        report.handled_by = actor
        report.handled_at = now
        report.save(update_fields=["state", "answer", "handled_by", "handled_at"])
    _search_sync(publication)
    return version


def _change(
    publication: Publication, change_kind: str, changed_on: date, reason: str, on: date
) -> None:
    if change_kind not in CHANGE_KINDS:
        raise RuleViolation(f"决定变化情形“{change_kind}”无效", field="change_kind")
    if not reason.strip():
        raise RuleViolation(
            "撤回或更新须说明理由", article=f"{policy.PENALTY_LAW_48}第二款", field="reason"
        )
    if on < changed_on:
        raise RuleViolation("撤回或更新日期不能早于决定被撤销、变更的日期", field="on")
    due_on, _, _ = _due(policy.change_period(), changed_on)
    publication.change_kind = change_kind
    publication.changed_on = changed_on
    publication.change_due_on = due_on
    publication.change_reason = reason.strip()


@transaction.atomic
def publication_withdraw(
    *,
    actor: Account,
    publication: Publication,
    on: date,
    change_kind: str,
    changed_on: date,
    reason: str,
    at: datetime | None = None,
) -> PublicationVersion:
    """Withdraw a published decision that was revoked or annulled (撤销、确认违法、无效), due
    within 3 working days of ``changed_on`` (《行政处罚法》第四十八条第二款). The page then says
    已撤回 with the reason and date; the withdrawn version stays readable, marked superseded."""
    publication = _lock(publication)
    _publisher(actor, publication)
    _state(publication, S.PUBLISHED)
    _change(publication, change_kind, changed_on, reason, on)
    current = _current(publication)
    notice = f"本决定已于{changed_on.isoformat()}被{CHANGE_KINDS[change_kind]}：{reason.strip()}"
    now = timezone.now() if at is None else at
    version = _version_add(
        actor,
        publication,
        kind=PublicationVersion.Kind.WITHDRAW,
        fields=current.fields,
        text="",
        notice=notice,
        on=on,
        at=now,
    )
    publication.state = S.WITHDRAWN
    publication.withdrawn_on = on
    publication.save(
        update_fields=[
            "state",
            "withdrawn_on",
            "change_kind",
            "changed_on",
            "change_due_on",
            "change_reason",
        ]
    )
    _search_sync(publication)
    return version


@transaction.atomic
def publication_update_after_change(
    *,
    actor: Account,
    publication: Publication,
    on: date,
    change_kind: str,
    changed_on: date,
    reason: str,
    fields: Mapping[str, str] | None = None,
    text: str | None = None,
    at: datetime | None = None,
) -> PublicationVersion:
    """Update a published decision that was changed (变更): a new version with the notice,
    due within 3 working days (第四十八条第二款); the earlier version stays readable."""
    publication = _lock(publication)
    _publisher(actor, publication)
    _state(publication, S.PUBLISHED)
    _change(publication, change_kind, changed_on, reason, on)
    current = _current(publication)
    new_fields = {**current.fields, **(fields or {})}
    new_text = current.text if text is None else text
    _refuse_personal(publication, new_fields, new_text)
    notice = f"本决定已于{changed_on.isoformat()}被{CHANGE_KINDS[change_kind]}：{reason.strip()}"
    now = timezone.now() if at is None else at
    version = _version_add(
        actor,
        publication,
        kind=PublicationVersion.Kind.UPDATE,
        fields=new_fields,
        text=new_text,
        notice=notice,
        on=on,
        at=now,
    )
    publication.save(update_fields=["change_kind", "changed_on", "change_due_on", "change_reason"])
    _search_sync(publication)
    return version


@transaction.atomic
def publications_expire(*, on: date, at: datetime | None = None) -> list[Publication]:
    """Take down every published decision whose online period ended before ``on`` (the
    retention setting per sector); one ``publicity.expire`` entry each."""
    now = timezone.now() if at is None else at
    done: list[Publication] = []
    due = Publication.objects.select_for_update().filter(state=S.PUBLISHED, online_until__lt=on)
    for publication in due.select_related("agency").order_by("id"):
        publication.state = S.EXPIRED
        publication.expired_on = on
        publication.save(update_fields=["state", "expired_on"])
        _search_sync(publication)
        _record(
            None,
            publication,
            "publicity.expire",
            {
                "publication": publication.pk,
                "online_until": publication.online_until,
                "expired_on": on,
            },
            at=now,
            public=True,
        )
        done.append(publication)
    return done


# -- the search index (derived, rebuildable: ``publicity.search``) ----------------------------

_SEARCH_KINDS = {
    Publication.Kind.PENALTY: "penalty",
    Publication.Kind.LICENSING: "licence",
    Publication.Kind.COERCION: "coercion",
    Publication.Kind.LEVY: "levy",
    Publication.Kind.INSPECTION: "inspection",
    Publication.Kind.OTHER: "other",
}


def search_document(publication: Publication, version: PublicationVersion) -> SearchDocument:
    """What the search index holds of a published decision: its current public version only."""
    fields = version.fields
    case = publication.case
    assert case is not None and publication.domain is not None  # decisions only (_search_sync)
    amount = Decimal(case.fine or 0) + Decimal(case.confiscation or 0)
    return SearchDocument(
        publication_id=publication.pk,
        agency_id=publication.agency_id,
        agency_name=publication.agency.name,
        division_code=publication.agency.division_code,
        domain_code=publication.domain.code,
        domain_name=publication.domain.name,
        kind=_SEARCH_KINDS[Publication.Kind(publication.kind)],
        decision_number=publication.decision_number,
        decided_on=publication.decided_on,
        published_on=publication.published_on or version.on,
        due_on=publication.due_on,
        on_time=publication.on_time,
        amount=amount or None,
        subject=fields.get("target", ""),
        title=fields.get("category", ""),
        body="\n".join(
            part
            for part in (
                version.text,
                fields.get("content", ""),
                fields.get("basis", ""),
                fields.get("conclusion", ""),
                version.notice,
            )
            if part
        ),
        url=reverse("decision_detail", args=[publication.pk]),
    )


def _search_sync(publication: Publication) -> None:
    """Keep the index equal to what the portal shows: the current version while published.
    The index is the decisions' search; supervision results have their own column."""
    if publication.source != Publication.Source.DECISION:
        return
    if publication.state == S.PUBLISHED:
        search_index_put(search_document(publication, _current(publication)))
    else:
        search_index_remove(publication.pk)


# -- the public's error reports -------------------------------------------------------------


@transaction.atomic
def correction_report_submit(
    *, publication: Publication, text: str, contact: str = "", at: datetime | None = None
) -> CorrectionReport:
    """An error reported by anyone on a published decision (纠错). The contact is kept for the
    publisher only; the record entry carries neither text nor contact."""
    if publication.state != S.PUBLISHED:
        raise RuleViolation("该公示不在公开期内，不能提交纠错")
    if not text.strip():
        raise RuleViolation("请写明错误内容", field="text")
    if len(text) > 2000 or len(contact) > 100:
        raise RuleViolation("内容过长", field="text")
    now = timezone.now() if at is None else at
    report = CorrectionReport.objects.create(
        publication=publication, text=text.strip(), contact=contact.strip(), reported_at=now
    )
    entry = record_append(
        actor_id=None,
        actor_name="公众",
        role="public",
        action="publicity.report",
        payload={"publication": publication.pk, "report": report.pk},
        at=now,
    )
    report.entry_seq = entry.seq
    report.save(update_fields=["entry_seq"])
    return report


@transaction.atomic
def correction_report_reject(
    *, actor: Account, report: CorrectionReport, answer: str, at: datetime | None = None
) -> CorrectionReport:
    """Answer a report after checking that the publication is right (经核实无误)."""
    report = (
        CorrectionReport.objects.select_for_update().select_related("publication").get(pk=report.pk)
    )
    _publisher(actor, report.publication)
    if report.state != CorrectionReport.State.OPEN:
        raise RuleViolation("该纠错意见已处理")
    if not answer.strip():
        raise RuleViolation("请写明核实情况", field="answer")
    now = timezone.now() if at is None else at
    report.state = CorrectionReport.State.REJECTED
    report.answer = answer.strip()
    report.handled_by = actor
    report.handled_at = now
    report.save(update_fields=["state", "answer", "handled_by", "handled_at"])
    _record(
        actor,
        report.publication,
        "publicity.report_answer",
        {"publication": report.publication_id, "report": report.pk, "answer": report.answer},
        at=now,
    )
    return report
