"""Writes of filings (重大行政处罚决定备案审查). Each one transaction; each appends a ``filing.*``
entry on the filed case's record carrying the whole filing row (``filing_plain``), so the row
can be replayed; each tells whom it concerns (``notifications``).

- ``filing_submit``: an officer or the head of the case's agency files a decided case that
  meets the major test, within ``filings.file`` of the decision (a late filing is accepted with
  its reason and marked late: failing to file is itself a liability ground, 四川 45, 辽宁 35).
  The package is read from the record (``selectors.case_package``); the decision document must
  have been generated. Addressed to the supervisory body of the agency's region, whose
  supervisors are notified.
- ``filing_review``: a supervisor of that body concludes the review — 予以备案 (登记存档),
  建议纠正 (opens a supervision matter, origin ``major_filing``) or 移送 (to the named body).
- ``filing_close``: a supervisor of that body records that the decision is under 行政复议 or
  行政诉讼: the review ends without an outcome (《行政执法监督条例》第三十三条, 不重复监督).

A supervisor never changes the case itself (条例第八条): these services only write filings.
Raises ``RuleViolation`` (with its rule) for every refusal.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.core.exceptions import RuleViolation
from zhifa.core.time_limits import time_limit
from zhifa.notifications.models import Notification
from zhifa.notifications.services import notification_send
from zhifa.record.models import Entry
from zhifa.record.services import record_append
from zhifa.registry.models import Account

from . import deadlines, selectors
from .models import Filing
from .package import ITEMS, PACKAGE_SOURCE

F = Filing.State

ACTION_LABELS = {
    "filing.submit": "报送重大行政处罚决定备案",
    "filing.review": "重大行政处罚决定备案审查",
    "filing.close": "终止备案审查（已进入复议或诉讼）",
}
FILING_ACTIONS = frozenset(ACTION_LABELS)  # the entries that carry the whole row
ACTION_LABELS["filing.document_open"] = "调阅备案材料中的执法文书"

ART6 = "《行政执法监督条例》第六条（国务院令第825号）"
ART33 = "《行政执法监督条例》第三十三条（国务院令第825号）"
ART8 = "《行政执法监督条例》第八条（国务院令第825号）"

OUTCOMES = (F.REGISTERED, F.CORRECTION, F.TRANSFERRED)


def filing_plain(filing: Filing) -> dict[str, Any]:
    """The row as the record carries it (and as ``zhifa verify`` compares it)."""

    def day(d: date | None) -> str | None:
        return d.isoformat() if d else None

    return {
        "id": filing.pk,
        "case": filing.case_id,
        "agency": filing.agency_id,
        "region_code": filing.region_code,
        "supervisory_body": filing.supervisory_body_id,
        "decision_number": filing.decision_number,
        "decided_on": day(filing.decided_on),
        "reasons": filing.reasons,
        "package": filing.package,
        "report": filing.report,
        "due_on": day(filing.due_on),
        "due_basis": filing.due_basis,
        "filed_on": day(filing.filed_on),
        "late": filing.late,
        "late_reason": filing.late_reason,
        "filed_by": filing.filed_by_id,
        "review_due_on": day(filing.review_due_on),
        "review_basis": filing.review_basis,
        "state": filing.state,
        "reviewed_by": filing.reviewed_by_id,
        "reviewed_on": day(filing.reviewed_on),
        "opinion": filing.opinion,
        "transferred_to": filing.transferred_to,
        "matter_id": filing.matter_id,
        "proceeding": filing.proceeding,
        "proceeding_body": filing.proceeding_body,
        "proceeding_on": day(filing.proceeding_on),
    }


def _name(actor: Account) -> str:
    return actor.display_name or actor.get_username()


def _record(actor: Account, filing: Filing, action: str, at: datetime) -> Entry:
    return record_append(
        actor_id=actor.pk,
        actor_name=_name(actor),
        role=actor.role,
        action=action,
        payload={"filing": filing_plain(filing)},
        case_id=filing.case_id,
        at=at,
    )


def filing_url(filing: Filing) -> str:
    return reverse("filing_detail", kwargs={"pk": filing.pk})


def _case_label(case: Case) -> str:
    return f"{case.decision_number or case.number} {case.title}"


def supervisors_of(filing: Filing) -> list[Account]:
    return [
        a
        for a in Account.objects.filter(role=Account.Role.SUPERVISOR, is_active=True)
        if selectors.reviews_filing(a, filing)
    ]


@transaction.atomic
def filing_submit(
    *,
    actor: Account,
    case: Case,
    on: date,
    report: str = "",
    late_reason: str = "",
    at: datetime | None = None,
) -> Filing:
    """File ``case``'s major decision on ``on``; returns the filing (state 待审查)."""
    at = at or timezone.now()
    locked = Case.objects.select_for_update().select_related("agency").get(pk=case.pk)
    row = time_limit(deadlines.FILE)
    if actor.role not in ("officer", "head") or actor.agency_id != locked.agency_id:
        raise RuleViolation("只有本机关的执法人员或负责人可以报送备案", article=row.source)
    if locked.decided_on is None:
        raise RuleViolation("案件尚未作出行政处罚决定，无需备案", article=row.source)
    reasons = selectors.case_major_reasons(locked)
    if not reasons:
        raise RuleViolation(
            "该行政处罚决定不属于应当备案的重大行政处罚决定（见本地区的备案标准）",
            article=row.source,
        )
    if Filing.objects.filter(case=locked).exists():
        raise RuleViolation("该行政处罚决定已报送备案", article=row.source)
    if on < locked.decided_on:
        raise RuleViolation("报送日期不能早于决定日期", article=row.source, field="on")
    if on > timezone.localdate(at):
        raise RuleViolation("报送日期不能晚于今天", article=row.source, field="on")
    due = selectors.filing_due(locked)
    late = on > due
    late_reason = late_reason.strip()
    if late and not late_reason:
        raise RuleViolation(
            f"已超过备案期限（{due}，{row.text}），请写明逾期报送的原因",
            article=row.source,
            field="late_reason",
        )
    package = selectors.case_package(locked)
    decision = next(p for p in package if p["item"] == ITEMS[0].key)
    if not decision["documents"]:
        raise RuleViolation("请先生成行政处罚决定书：备案材料须包括决定书", article=PACKAGE_SOURCE)
    region, body = selectors.supervision_region_of(locked.agency)
    review_row = time_limit(deadlines.REVIEW)
    filing = Filing.objects.create(
        case=locked,
        agency=locked.agency,
        region_code=region,
        supervisory_body=body,
        decision_number=locked.decision_number,
        decided_on=locked.decided_on,
        reasons=[r.as_dict() for r in reasons],
        package=package,
        report=report.strip(),
        due_on=due,
        due_basis=row.text,
        filed_on=on,
        late=late,
        late_reason=late_reason if late else "",
        filed_by=actor,
        filed_at=at,
        review_due_on=selectors.review_due(on),
        review_basis=review_row.text,
        state=F.SUBMITTED,
    )
    _record(actor, filing, "filing.submit", at)
    notification_send(
        recipients=supervisors_of(filing),
        kind=Notification.Kind.FILING,
        title=f"{locked.agency.name}报送重大行政处罚决定备案：{_case_label(locked)}",
        body=f"审查期限：{filing.review_due_on}（{review_row.text}）",
        url=filing_url(filing),
        case_id=locked.pk,
        at=at,
    )
    return filing


def _lock(filing: Filing) -> Filing:
    return (
        Filing.objects.select_for_update()
        .select_related("case", "agency", "filed_by")
        .get(pk=filing.pk)
    )


def _reviewer(actor: Account, filing: Filing) -> None:
    if not selectors.reviews_filing(actor, filing):
        raise RuleViolation("只有备案审查机关的执法监督人员可以审查该备案", article=ART6)
    if filing.state != F.SUBMITTED:
        raise RuleViolation(f"该备案已{filing.get_state_display()}，不能再审查", article=ART6)


def _matter_open(actor: Account, filing: Filing, opinion: str, on: date) -> int:
    """Open the supervision matter of a 建议纠正 (the supervision app's service)."""
    from zhifa.supervision.services import matter_open  # supervision sits beside filings

    matter = matter_open(
        actor=actor,
        agency=filing.agency,
        origin="major_filing",
        origin_ref=str(filing.pk),
        title=f"重大行政处罚决定备案审查建议纠正：{_case_label(filing.case)}",
        summary=opinion,
        on=on,
    )
    return int(matter.pk)


def _tell_agency(filing: Filing, title: str, body: str, at: datetime) -> None:
    heads = Account.objects.filter(
        agency_id=filing.agency_id, role=Account.Role.HEAD, is_active=True
    )
    notification_send(
        recipients=[*heads, filing.filed_by],
        kind=Notification.Kind.FILING,
        title=title,
        body=body,
        url=filing_url(filing),
        case_id=filing.case_id,
        at=at,
    )


@transaction.atomic
def filing_review(
    *,
    actor: Account,
    filing: Filing,
    outcome: str,
    on: date,
    opinion: str = "",
    transferred_to: str = "",
    at: datetime | None = None,
) -> Filing:
    """Conclude the review: ``outcome`` is 予以备案, 建议纠正 (with the defects in
    ``opinion``; opens a supervision matter) or 移送 (to ``transferred_to``, with the reason)."""
    at = at or timezone.now()
    row = _lock(filing)
    _reviewer(actor, row)
    if outcome not in OUTCOMES:
        raise RuleViolation("请选择审查结论", article=ART6, field="outcome")
    opinion, transferred_to = opinion.strip(), transferred_to.strip()
    if outcome != F.REGISTERED and not opinion:
        raise RuleViolation("建议纠正或移送须写明审查意见", article=ART6, field="opinion")
    if outcome == F.TRANSFERRED and not transferred_to:
        raise RuleViolation("请写明移送的机关", article=ART33, field="transferred_to")
    if on < row.filed_on or on > timezone.localdate(at):
        raise RuleViolation("审查日期不能早于报送日期，也不能晚于今天", article=ART6, field="on")
    row.state, row.reviewed_by, row.reviewed_on, row.opinion = outcome, actor, on, opinion
    row.transferred_to = transferred_to if outcome == F.TRANSFERRED else ""
    if outcome == F.CORRECTION:
        row.matter_id = _matter_open(actor, row, opinion, on)
    row.save()
    _record(actor, row, "filing.review", at)
    _tell_agency(
        row,
        f"重大行政处罚决定备案审查结论：{row.get_state_display()}（{_case_label(row.case)}）",
        opinion,
        at,
    )
    return row


@transaction.atomic
def filing_close(
    *,
    actor: Account,
    filing: Filing,
    proceeding: str,
    body: str,
    accepted_on: date,
    at: datetime | None = None,
) -> Filing:
    """Record that the decision is under 行政复议 or 行政诉讼 (accepted by ``body`` on
    ``accepted_on``): the review ends (条例第三十三条: 不重复监督)."""
    at = at or timezone.now()
    row = _lock(filing)
    _reviewer(actor, row)
    if proceeding not in Filing.Proceeding.values:
        raise RuleViolation("请选择行政复议或行政诉讼", article=ART33, field="proceeding")
    body = body.strip()
    if not body:
        raise RuleViolation("请写明受理的复议机关或人民法院", article=ART33, field="body")
    if accepted_on < row.decided_on or accepted_on > timezone.localdate(at):
        raise RuleViolation(
            "受理日期不能早于决定日期，也不能晚于今天", article=ART33, field="accepted_on"
        )
    row.state, row.reviewed_by, row.reviewed_on = F.CLOSED, actor, timezone.localdate(at)
    row.proceeding, row.proceeding_body, row.proceeding_on = proceeding, body, accepted_on
    row.save()
    _record(actor, row, "filing.close", at)
    _tell_agency(
        row,
        f"重大行政处罚决定备案终止审查（已进入{row.get_proceeding_display()}）：{_case_label(row.case)}",
        "",
        at,
    )
    return row


@transaction.atomic
def filing_document_open(
    *, actor: Account, filing: Filing, document_id: int, at: datetime | None = None
) -> dict[str, Any]:
    """Open (调阅) one document version the filing references: records who opened which
    version on the case's record (``filing.document_open``) and returns its reference. The
    gate is the filing's (``access.access_filing``): the addressed supervisors read what was
    sent to them. Raises ``LookupError`` when the filing references no such document."""
    at = at or timezone.now()
    refs: list[dict[str, Any]] = [d for p in filing.package for d in p["documents"]]
    ref = next((d for d in refs if d["id"] == document_id), None)
    if ref is None:
        raise LookupError(document_id)
    record_append(
        actor_id=actor.pk,
        actor_name=_name(actor),
        role=actor.role,
        action="filing.document_open",
        payload={"filing": filing.pk, "document": ref},
        case_id=filing.case_id,
        at=at,
    )
    return ref
