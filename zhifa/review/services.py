"""Every write of the legal review, each one transaction that records itself.

Contract of every service here: ``@transaction.atomic``; keyword-only ``actor``; it checks who
acts and the rule it enforces, raising :class:`RuleViolation` with the Chinese message and the
article; it writes its rows and appends one record entry (``record_append``, action
``review.*``, on the case's log) in the same transaction; it is given the day (``on``) or moment
(``at``) — no rule reads the clock.

The two hooks registered with cases (``ReviewConfig.ready``):

- :func:`case_assess_on_change` — when a case reaches 案件审核, is notified or heard, the catalog
  is evaluated again and a changed verdict is stored (nothing is written while the verdict stays
  "not major, nothing matched", so an agency without a catalog sees no review entries);
- :func:`decision_gate` — ``case_decide`` / ``case_not_penalise`` refuse a major case without an
  accepted review (《行政处罚法》第五十八条).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.db import transaction

from zhifa.cases import guards as case_guards
from zhifa.cases import services as case_services
from zhifa.cases.models import Case
from zhifa.cases.services import PendingDecision, plain
from zhifa.core.calendar import counted, current_calendar
from zhifa.core.exceptions import InvalidIdentifier, RuleViolation
from zhifa.core.identifiers import division_contains, validate_division_code
from zhifa.law import penalty
from zhifa.law.coercion import LOCAL_TIME
from zhifa.record import merkle
from zhifa.record.models import Entry
from zhifa.record.selectors import entries_of_case, log_size, tree_nodes
from zhifa.record.services import record_append
from zhifa.registry.access import can_manage_registry
from zhifa.registry.models import Account, Agency, Officer

from . import checklist, crime_transfer, selectors, time_limits
from .major_decisions import (
    AMOUNT_KINDS,
    CATALOG_PENALTY_KINDS,
    Flag,
    LawCategory,
    Rule,
    RuleKind,
    evaluate,
    floor_violation,
)
from .models import (
    Assessment,
    CatalogRule,
    ChecklistAnswer,
    CollectiveDiscussion,
    CrimeTransfer,
    MajorFlag,
    ReviewDispute,
    ReviewPause,
    Submission,
)

ART58 = penalty.article("五十八")
RULE_118 = "国办发〔2018〕118号"
S = Case.State

# Where a case may be sent to review: after the investigation, before the decision.
REVIEWABLE_STATES = (S.CASE_REVIEW, S.NOTIFIED, S.HEARING_REQUESTED, S.HEARING_HELD, S.STATEMENT)


# -- settings (numbers and words that differ by sector) -------------------------------------


# The Chinese name of each action this module records (record.action_labels; the timeline).
ACTION_LABELS = {
    "review.catalog.add": "增加重大执法决定目录事项",
    "review.catalog.retire": "停用重大执法决定目录事项",
    "review.assess": "判定是否属于重大执法决定",
    "review.flag": "标记为重大执法决定",
    "review.submit": "提交法制审核",
    "review.assign": "指派法制审核人员",
    "review.pause": "法制审核中止（补充材料）",
    "review.resume": "法制审核恢复",
    "review.extend": "延长法制审核期限",
    "review.checklist": "填写法制审核事项",
    "review.conclude": "出具法制审核意见",
    "review.dispute.raise": "对审核意见提出异议",
    "review.dispute.coordinate": "协调审核意见分歧",
    "review.dispute.decide": "机关负责人决定审核意见分歧",
    "review.collective_discussion": "机关负责人集体讨论",
    "review.crime_transfer.open": "发现涉嫌犯罪线索",
    "review.crime_transfer.decide": "决定是否移送司法机关",
    "review.crime_transfer.send": "移送司法机关",
    "review.crime_transfer.answer": "登记司法机关答复",
}


def _sector_setting(name: str, domain_code: str, default: Any) -> Any:
    table = getattr(settings, name, {})
    return table.get(domain_code, table.get("default", default))


def time_limit_for(domain_code: str) -> time_limits.TimeLimit:
    """ZHIFA_REVIEW_TIME_LIMITS for the sector (national default 5 + 5 working days)."""
    row = _sector_setting("ZHIFA_REVIEW_TIME_LIMITS", domain_code, {"workdays": 5, "extension": 5})
    return time_limits.TimeLimit(int(row["workdays"]), int(row["extension"]))


def outcomes_for(domain_code: str) -> dict[str, str]:
    """ZHIFA_REVIEW_OUTCOMES for the sector: code → label, "agree" first."""
    rows = _sector_setting(
        "ZHIFA_REVIEW_OUTCOMES", domain_code, [("agree", "同意"), ("problem", "存在问题")]
    )
    return {str(code): str(label) for code, label in rows}


def collective_quorum() -> Fraction:
    """ZHIFA_COLLECTIVE_QUORUM: the share of heads who must be present (default 2/3)."""
    return Fraction(str(getattr(settings, "ZHIFA_COLLECTIVE_QUORUM", "2/3")))


# -- helpers ----------------------------------------------------------------------------------


def _name(actor: Account) -> str:
    return actor.display_name or actor.get_username()


def _record(
    actor: Account, action: str, payload: Mapping[str, Any], case_id: int | None = None
) -> Entry:
    return record_append(
        actor_id=actor.pk,
        actor_name=_name(actor),
        role=actor.role,
        action=action,
        payload=plain(dict(payload)),
        case_id=case_id,
    )


def _money(value: Decimal | int | str | None) -> Decimal | None:
    if value is None:
        return None
    amount = Decimal(value).quantize(Decimal("0.01"))
    if amount < 0:
        raise RuleViolation("金额不能为负数", field="amount")
    return amount


def _d(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class _Due:
    on: date
    provisional: bool


def _workdays_due(start: date, workdays: int) -> _Due:
    """``workdays`` working days after ``start``; provisional where it reaches a year whose
    holidays are not published yet."""
    on, provisional = counted(
        lambda calendar: calendar.add_workdays(start, workdays), from_year=start.year
    )
    return _Due(on, provisional)


def _local_date(at: datetime) -> date:
    if at.tzinfo is None:
        raise ValueError("a timezone-aware datetime is required")
    return at.astimezone(LOCAL_TIME).date()


def _lock_case(case: Case) -> Case:
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("agency", "domain", "power_item")
        .get(pk=case.pk)
    )
    case_guards.not_archived(state=locked.state)
    return locked


def _lock_round(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("case", "case__agency", "case__domain", "reviewer")
        .get(pk=submission.pk)
    )


def _handling_unit(actor: Account, case: Case) -> None:
    """Officers (or the head) of the case's agency act for the handling unit (承办机构)."""
    case_guards.actor_is_officer(
        role=actor.role, actor_agency_id=actor.agency_id, agency_id=case.agency_id
    )


def _head(actor: Account, case: Case) -> None:
    case_guards.actor_is_head(
        role=actor.role, actor_agency_id=actor.agency_id, agency_id=case.agency_id
    )


def _in_review_body(actor: Account, case: Case) -> bool:
    officer = actor.officer
    body = officer.review_body if officer is not None else None
    return (
        actor.agency_id == case.agency_id and body is not None and body.agency_id == case.agency_id
    )


def _assigned_reviewer(actor: Account, submission: Submission) -> None:
    if submission.reviewer_id is None or actor.officer_id != submission.reviewer_id:
        raise RuleViolation(
            "只有分配给本轮审核的审核人员可以填写审核要点和出具审核意见", article=RULE_118
        )


def _refuse_closed(submission: Submission) -> None:
    if not submission.is_open:
        raise RuleViolation(
            f"第{submission.round}轮法制审核已出具意见，不能再更改；需要修改的请重新送审",
            article=ART58,
        )


# -- the catalog (法制审核目录清单) -------------------------------------------------------------


def _may_edit_region(actor: Account, region_code: str) -> bool:
    if not actor.is_authenticated or actor.role != Account.Role.ADMIN or actor.agency_id:
        return False
    return not actor.region_code or division_contains(actor.region_code, region_code)


def _rule_row_plain(row: CatalogRule) -> dict[str, Any]:
    return {
        "id": row.pk,
        "agency_id": row.agency_id,
        "region_code": row.region_code,
        "kind": row.kind,
        "amount": row.amount,
        "penalty_kind": row.penalty_kind,
        "flag": row.flag,
        "category": row.category,
        "source": row.source,
        "active": row.active,
    }


@transaction.atomic
def catalog_rule_add(
    *,
    actor: Account,
    on: date,
    kind: str,
    source: str,
    agency: Agency | None = None,
    region_code: str = "",
    amount: Decimal | int | str | None = None,
    penalty_kind: str = "",
    flag: str = "",
    category: str = "",
) -> CatalogRule:
    """Add a line to an agency's catalog, or a floor for a region (``region_code``, set by an
    administrator of that region: every agency in it is bound and may only be stricter).

    Refuses an agency amount above a floor of the same kind (the agency cannot loosen it), a
    missing amount / penalty kind / flag / category for the kinds that need one, and editors
    outside their scope.
    """
    if (agency is None) == (not region_code):
        raise RuleViolation("须指定执法主体或上级设定的适用区域（二者择一）", field="agency")
    if agency is not None and not can_manage_registry(actor, agency):
        raise RuleViolation("只有本辖区的系统管理员可以维护法制审核目录清单", article=RULE_118)
    if region_code:
        try:
            region_code = validate_division_code(region_code)
        except InvalidIdentifier as exc:
            raise RuleViolation(exc.message, field="region_code") from exc
        if not _may_edit_region(actor, region_code):
            raise RuleViolation(
                "只有该区域（或上级区域）的系统管理员可以设定区域审核标准", article=RULE_118
            )
    try:
        rule_kind = RuleKind(kind)
    except ValueError as exc:
        raise RuleViolation(f"目录情形“{kind}”无效", field="kind") from exc
    if not source.strip():
        raise RuleViolation("须写明来源（目录清单名称及条目）", field="source")
    value = _money(amount)
    fields: dict[str, Any] = {"amount": None, "penalty_kind": "", "flag": "", "category": ""}
    if rule_kind in AMOUNT_KINDS:
        if value is None:
            raise RuleViolation(f"“{rule_kind.label}”须写明数额标准", field="amount")
        fields["amount"] = value
    elif rule_kind is RuleKind.PENALTY_KIND:
        if penalty_kind not in {k.value for k in CATALOG_PENALTY_KINDS}:
            raise RuleViolation(f"处罚种类“{penalty_kind}”不能列入目录", field="penalty_kind")
        fields["penalty_kind"] = penalty_kind
    elif rule_kind is RuleKind.FLAGGED:
        if flag not in {f.value for f in Flag}:
            raise RuleViolation(f"标注情形“{flag}”无效", field="flag")
        fields["flag"] = flag
    elif rule_kind is RuleKind.LAW_NAMED:
        if category not in {c.value for c in LawCategory}:
            raise RuleViolation(f"第五十八条情形“{category}”无效", field="category")
        fields["category"] = category
    if agency is not None:
        candidate = Rule(kind=rule_kind, source=source, amount=fields["amount"], region=region_code)
        problem = floor_violation(candidate, selectors.region_floors_for(agency))
        if problem is not None:
            raise RuleViolation(problem, article=RULE_118, field="amount")
    row = CatalogRule.objects.create(
        agency=agency,
        region_code=region_code,
        kind=rule_kind.value,
        source=source.strip(),
        created_by=actor,
        created_on=on,
        **fields,
    )
    _record(actor, "review.catalog.add", {"on": on, "rule": _rule_row_plain(row)})
    return row


@transaction.atomic
def catalog_rule_retire(*, actor: Account, rule: CatalogRule, on: date, reason: str) -> CatalogRule:
    """Stop applying a line (kept for the history; verdicts already stored keep its id)."""
    row = (
        CatalogRule.objects.select_for_update(of=("self",)).select_related("agency").get(pk=rule.pk)
    )
    allowed = (
        can_manage_registry(actor, row.agency)
        if row.agency is not None
        else _may_edit_region(actor, row.region_code)
    )
    if not allowed:
        raise RuleViolation("只有本辖区的系统管理员可以维护法制审核目录清单", article=RULE_118)
    if not row.active:
        raise RuleViolation("该目录条目已停用", field="rule")
    if not reason.strip():
        raise RuleViolation("停用目录条目须写明理由", field="reason")
    row.active = False
    row.retired_on = on
    row.save(update_fields=["active", "retired_on"])
    _record(
        actor,
        "review.catalog.retire",
        {"on": on, "reason": reason.strip(), "rule": _rule_row_plain(row)},
    )
    return row


# -- the verdict on a case ------------------------------------------------------------------

_TRIGGERS = {
    "case_submit_review": Assessment.Trigger.SUBMITTED,
    "case_notify": Assessment.Trigger.NOTIFIED,
    "case_hearing_hold": Assessment.Trigger.HEARING_HELD,
}


def _assess(
    actor: Account, case: Case, on: date, trigger: str, decision: PendingDecision | None = None
) -> Assessment | None:
    """Evaluate the catalog on ``case``; store (and record) the verdict when it differs from
    the one in force. No row means "not major, nothing matched"."""
    facts = selectors.case_facts(case, decision)
    verdict = evaluate(facts, selectors.catalog_rules_for(case.agency))
    matches = plain([m.as_dict() for m in verdict.matches])
    previous = selectors.case_assessment(case)
    if previous is None and not verdict.major:
        return None
    if previous is not None and previous.major == verdict.major and previous.matches == matches:
        return None
    entry = _record(
        actor,
        "review.assess",
        {
            "on": on,
            "trigger": trigger,
            "major": verdict.major,
            "matches": matches,
            "facts": selectors.facts_plain(facts),
        },
        case.pk,
    )
    return Assessment.objects.create(
        case=case,
        on=on,
        trigger=trigger,
        major=verdict.major,
        matches=matches,
        facts=plain(selectors.facts_plain(facts)),
        entry_seq=entry.seq,
    )


def case_assess_on_change(actor: Account, case: Case, on: date, event: str) -> None:
    """The proposal listener registered with cases: re-evaluate inside the step's transaction."""
    _assess(actor, case, on, _TRIGGERS.get(event, Assessment.Trigger.NOTIFIED))


@transaction.atomic
def major_flag_add(*, actor: Account, case: Case, on: date, flag: str, reason: str) -> MajorFlag:
    """An officer flags the case (重大公共利益, 重大权益, 疑难复杂, 多个法律关系, 其他法律规定),
    with the reason; the verdict is evaluated again (第五十八条第一款)."""
    case = _lock_case(case)
    _handling_unit(actor, case)
    if case.decided_on is not None or case.state not in (
        S.REGISTERED,
        S.INVESTIGATING,
        *REVIEWABLE_STATES,
    ):
        raise RuleViolation(
            f"案件处于“{case.get_state_display()}”阶段，作出决定前才能标注", article=ART58
        )
    if flag not in {f.value for f in Flag}:
        raise RuleViolation(f"标注情形“{flag}”无效", field="flag")
    if not reason.strip():
        raise RuleViolation("标注重大情形须写明理由", article=ART58, field="reason")
    entry = _record(
        actor,
        "review.flag",
        {"on": on, "flag": flag, "label": Flag(flag).label, "reason": reason.strip()},
        case.pk,
    )
    row = MajorFlag.objects.create(
        case=case, flag=flag, reason=reason.strip(), on=on, flagged_by=actor, entry_seq=entry.seq
    )
    # Before 案件审核 the flag waits for the evaluation made when the case gets there.
    if case.state not in (S.REGISTERED, S.INVESTIGATING) or selectors.case_assessment(case):
        _assess(actor, case, on, Assessment.Trigger.FLAGGED)
    return row


def decision_gate(case: Case, decision: PendingDecision, on: date) -> None:
    """The decision gate registered with cases: refuse a major case without an accepted review,
    or a decision beyond what was reviewed (《行政处罚法》第五十八条)."""
    refusal = selectors.decision_refusal(case, decision)
    if refusal is not None:
        raise refusal


# -- 送审 ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """The proposed decision (拟处理意见): penalty kinds and amounts, empty kinds = 不予处罚."""

    penalty_kinds: tuple[str, ...]
    fine: Decimal | None = None
    confiscation: Decimal | None = None
    text: str = ""


def _proposal_of(case: Case, proposal: Proposal | None) -> Proposal:
    if proposal is None:
        if case.notified_on is None:
            raise RuleViolation(
                "尚未事先告知的案件送审，须写明拟处理意见（处罚种类和数额）", field="proposal"
            )
        # Confiscated gains and the estimated value of confiscated property count together.
        seized = [
            v
            for v in (case.notified_confiscation, case.notified_confiscated_property_value)
            if v is not None
        ]
        return Proposal(
            tuple(case.notified_penalty_kinds),
            case.notified_fine,
            sum(seized, Decimal(0)) if seized else None,
        )
    try:
        kinds = tuple(sorted({penalty.PenaltyKind(k).value for k in proposal.penalty_kinds}))
    except ValueError as exc:
        raise RuleViolation(f"处罚种类无效：{exc}", article=penalty.article("九")) from exc
    fine = _money(proposal.fine)
    if penalty.PenaltyKind.FINE.value in kinds and (fine is None or fine <= 0):
        raise RuleViolation("拟罚款的须写明罚款数额", field="fine")
    return Proposal(kinds, fine, _money(proposal.confiscation), proposal.text)


def _tree_at_submission() -> tuple[int, str]:
    """The log's size and root hash as this transaction sees them (before the submission)."""
    size = log_size()
    nodes = tree_nodes(merkle.perfect_subtrees(0, size))
    frontier = merkle.Frontier.from_nodes(size, lambda level, index: nodes[(level, index)])
    return size, frontier.root().hex()


@transaction.atomic
def review_submit(
    *,
    actor: Account,
    case: Case,
    on: date,
    facts: str,
    legal_basis: str,
    discretion: str,
    proposal: Proposal | None = None,
    evidence_notes: Sequence[str] = (),
    note: str = "",
) -> Submission:
    """送审: the handling unit sends the case for legal review; a new round.

    The submission — the case file as recorded (its entries' seqs and leaf hashes, the log's
    size and root), the proposed decision, the facts found, the evidence list, the legal basis
    and 裁量基准适用说明, the catalog's verdict and the checklist proposals — is frozen as the
    payload of one record entry; the round keeps the entry's seq and the SHA-256 of the
    canonical submission. Refuses a case outside 案件审核…陈述申辩, a second open round, and
    missing parts. The time limit starts the day after submission (working days, by sector).
    """
    case = _lock_case(case)
    _handling_unit(actor, case)
    if case.kind != Case.Kind.PENALTY_GENERAL or case.state not in REVIEWABLE_STATES:
        raise RuleViolation(
            f"案件当前处于“{case.get_state_display()}”阶段，不能送审法制审核"
            "（调查终结后、作出决定前送审）",
            article=ART58,
        )
    if Submission.objects.filter(case=case, state__in=Submission.OPEN_STATES).exists():
        raise RuleViolation("本案已有一轮法制审核尚未完成，不能重复送审", article=ART58)
    missing = [
        label
        for label, value in (
            ("认定的事实", facts),
            ("法律依据", legal_basis),
            ("裁量基准适用说明", discretion),
        )
        if not value.strip()
    ]
    if missing:
        raise RuleViolation(f"送审材料不全：缺少{'、'.join(missing)}", article=ART58)
    chosen = _proposal_of(case, proposal)
    pending = PendingDecision(
        bool(chosen.penalty_kinds), chosen.penalty_kinds, chosen.fine, chosen.confiscation
    )
    round_no = Submission.objects.filter(case=case).count() + 1
    # The verdict on the proposal as submitted (stored too when it changed).
    _assess(actor, case, on, Assessment.Trigger.REVIEW_SUBMITTED, pending)
    verdict = evaluate(
        selectors.case_facts(case, pending), selectors.catalog_rules_for(case.agency)
    )
    entries = [(e.seq, e.action, e.leaf_hash) for e in entries_of_case(case.pk)]
    size, root = _tree_at_submission()
    prefill = checklist.prefill(selectors.file_facts(case, on))
    limit = time_limit_for(case.domain.code)
    due = _workdays_due(on, limit.workdays)
    content = plain(
        {
            "round": round_no,
            "case": {
                "id": case.pk,
                "number": case.number,
                "title": case.title,
                "summary": case.summary,
                "state": case.state,
                "agency": case.agency.name,
                "domain": case.domain.code,
                "power_item": f"{case.power_item.code} {case.power_item.name}",
            },
            "submitted_on": on,
            "submitted_by": _name(actor),
            "proposal": {
                "penalty_kinds": list(chosen.penalty_kinds),
                "labels": [penalty.PenaltyKind(k).label for k in chosen.penalty_kinds],
                "fine": chosen.fine,
                "confiscation": chosen.confiscation,
                "text": chosen.text.strip(),
            },
            "facts": facts.strip(),
            "evidence": selectors.evidence_list(case),
            "evidence_notes": [n.strip() for n in evidence_notes if n.strip()],
            "legal_basis": legal_basis.strip(),
            "discretion": discretion.strip(),
            "note": note.strip(),
            "case_file": {
                "entries": [
                    {"seq": seq, "action": action, "leaf_hash": bytes(leaf).hex()}
                    for seq, action, leaf in entries
                ],
                "tree_size": size,
                "tree_root": root,
            },
            "catalog": verdict.as_dict(),
            "checklist_prefill": {p.value: prefill[p].as_dict() for p in checklist.POINTS},
            "time_limit": {"workdays": limit.workdays, "due_on": due.on},
        }
    )
    digest = selectors.digest_of(content)
    entry = _record(
        actor,
        "review.submit",
        {"round": round_no, "digest": digest, "submission": content},
        case.pk,
    )
    row = Submission.objects.create(
        case=case,
        round=round_no,
        state=Submission.State.SUBMITTED,
        submitted_by=actor,
        submitted_on=on,
        proposal_kinds=list(chosen.penalty_kinds),
        proposal_fine=chosen.fine,
        proposal_confiscation=chosen.confiscation,
        major=verdict.major,
        entry_seq=entry.seq,
        digest=digest,
        last_case_seq=entries[-1][0] if entries else None,
        tree_size=size,
        tree_root=root,
        time_limit_workdays=limit.workdays,
        due_on=due.on,
        due_provisional=due.provisional,
        calendar_version=current_calendar().version,
    )
    ChecklistAnswer.objects.bulk_create(
        ChecklistAnswer(
            submission=row,
            point=p.value,
            position=i,
            prefill_verdict=prefill[p].verdict or "",
            prefill_evidence=list(prefill[p].evidence),
        )
        for i, p in enumerate(checklist.POINTS)
    )
    return row


# -- assignment and the clock ---------------------------------------------------------------


@transaction.atomic
def review_assign(
    *, actor: Account, submission: Submission, reviewer: Officer, on: date
) -> Submission:
    """Assign the round to a reviewer of the agency's review body. Refused, naming each rule,
    for someone outside the body, someone who handled or investigated the case, and a first-time
    reviewer without 法律职业资格 (第五十八条第二款). Given by the review body or the head."""
    row = _lock_round(submission)
    case = row.case
    if not (
        _in_review_body(actor, case)
        or (actor.role == Account.Role.HEAD and actor.agency_id == case.agency_id)
    ):
        raise RuleViolation(
            "只有本机关法制审核机构的人员或机关负责人可以分配审核任务", article=RULE_118
        )
    _refuse_closed(row)
    officer = Officer.objects.select_related("review_body").get(pk=reviewer.pk)
    answer = selectors.reviewer_may_review(officer, case)
    if not answer.allowed:
        raise RuleViolation(answer.message, article=answer.rules, field="reviewer")
    previous = row.reviewer_id
    row.reviewer = officer
    row.assigned_on = on
    if row.state == Submission.State.SUBMITTED:
        row.state = Submission.State.REVIEWING
    row.save(update_fields=["reviewer", "assigned_on", "state"])
    _record(
        actor,
        "review.assign",
        {
            "on": on,
            "round": row.round,
            "reviewer_id": officer.pk,
            "reviewer": officer.name,
            "previous_reviewer_id": previous,
        },
        case.pk,
    )
    return row


@transaction.atomic
def review_pause(*, actor: Account, submission: Submission, on: date, reason: str) -> ReviewPause:
    """The reviewer asks for supplementary material: the clock stops from ``on``."""
    row = _lock_round(submission)
    _assigned_reviewer(actor, row)
    _refuse_closed(row)
    if row.state == Submission.State.PAUSED:
        raise RuleViolation("已在等待补充材料，计时已中止", article=time_limits.RULE)
    if not reason.strip():
        raise RuleViolation("中止计时须写明需要补充的材料", article=time_limits.RULE)
    if on < row.submitted_on:
        raise RuleViolation("中止日期不能早于送审日期", field="on")
    pause = ReviewPause.objects.create(
        submission=row, paused_on=on, reason=reason.strip(), paused_by=actor, due_before=row.due_on
    )
    row.state = Submission.State.PAUSED
    row.save(update_fields=["state"])
    _record(
        actor,
        "review.pause",
        {"on": on, "round": row.round, "reason": pause.reason, "due_on": row.due_on},
        row.case_id,
    )
    return pause


@transaction.atomic
def review_resume(
    *, actor: Account, submission: Submission, on: date, material: str = ""
) -> Submission:
    """The material arrived: the clock runs again from ``on`` with the working days that were
    left at the pause (the days in between are not counted)."""
    row = _lock_round(submission)
    # The handling unit hands in the material, or the reviewer notes its arrival.
    if actor.agency_id != row.case.agency_id or actor.role not in (
        Account.Role.OFFICER,
        Account.Role.HEAD,
        Account.Role.REVIEWER,
    ):
        raise RuleViolation("只有本机关人员可以恢复审核计时", article=time_limits.RULE)
    pause = ReviewPause.objects.select_for_update().filter(submission=row, resumed_on=None).first()
    if row.state != Submission.State.PAUSED or pause is None:
        raise RuleViolation("本轮审核没有中止计时", article=time_limits.RULE)
    if on < pause.paused_on:
        raise RuleViolation("恢复日期不能早于中止日期", field="on")
    due, recounted = counted(
        lambda calendar: time_limits.due_after_pause(row.due_on, pause.paused_on, on, calendar),
        from_year=on.year,
    )
    provisional = row.due_provisional or recounted
    pause.resumed_on = on
    pause.resumed_by = actor
    pause.material = material.strip()
    pause.due_after = due
    pause.save(update_fields=["resumed_on", "resumed_by", "material", "due_after"])
    row.due_on = due
    row.due_provisional = provisional
    row.state = Submission.State.REVIEWING if row.reviewer_id else Submission.State.SUBMITTED
    row.save(update_fields=["due_on", "due_provisional", "state"])
    _record(
        actor,
        "review.resume",
        {
            "on": on,
            "round": row.round,
            "material": pause.material,
            "paused_on": pause.paused_on,
            "due_on": due,
        },
        row.case_id,
    )
    return row


@transaction.atomic
def review_extend(*, actor: Account, submission: Submission, on: date, reason: str) -> Submission:
    """The head extends the review once, by the sector's extension, with a reason, before the
    time limit has passed."""
    row = _lock_round(submission)
    _head(actor, row.case)
    _refuse_closed(row)
    limit = time_limit_for(row.case.domain.code)
    if row.extended:
        raise RuleViolation("法制审核期限只能延长一次", article=time_limits.RULE)
    if limit.extension <= 0:
        raise RuleViolation("本领域的法制审核期限不能延长", article=time_limits.RULE)
    if not reason.strip():
        raise RuleViolation("延长法制审核期限须写明理由", article=time_limits.RULE)
    if row.state != Submission.State.PAUSED and on > row.due_on:
        raise RuleViolation(
            f"法制审核期限已于{_d(row.due_on)}届满，不能再延长", article=time_limits.RULE
        )
    previous = row.due_on
    due = _workdays_due(row.due_on, limit.extension)
    row.due_on = due.on
    row.due_provisional = row.due_provisional or due.provisional
    row.extended = True
    row.extension_reason = reason.strip()
    row.save(update_fields=["due_on", "due_provisional", "extended", "extension_reason"])
    _record(
        actor,
        "review.extend",
        {
            "on": on,
            "round": row.round,
            "reason": row.extension_reason,
            "workdays": limit.extension,
            "previous_due_on": previous,
            "due_on": row.due_on,
        },
        row.case_id,
    )
    return row


# -- the checklist and the opinion ----------------------------------------------------------


@transaction.atomic
def review_checklist_answer(
    *,
    actor: Account,
    submission: Submission,
    on: date,
    point: str,
    verdict: str,
    comment: str = "",
) -> ChecklistAnswer:
    """The reviewer answers one point (confirming or overriding the proposal); a problem needs
    a comment saying what is wrong."""
    row = _lock_round(submission)
    _assigned_reviewer(actor, row)
    _refuse_closed(row)
    try:
        p = checklist.Point(point)
        v = checklist.Verdict(verdict)
    except ValueError as exc:
        raise RuleViolation(f"审核要点或结论无效：{exc}", field="point") from exc
    if v is checklist.Verdict.PROBLEM and not comment.strip():
        raise RuleViolation(f"“{p.label}”存在问题的，须写明具体问题", article=RULE_118)
    answer = ChecklistAnswer.objects.select_for_update().get(submission=row, point=p.value)
    answer.verdict = v.value
    answer.comment = comment.strip()
    answer.answered_by = actor
    answer.answered_on = on
    answer.save(update_fields=["verdict", "comment", "answered_by", "answered_on"])
    _record(
        actor,
        "review.checklist",
        {
            "on": on,
            "round": row.round,
            "point": p.value,
            "label": p.label,
            "verdict": v.value,
            "comment": answer.comment,
            "prefill": answer.prefill_verdict,
        },
        row.case_id,
    )
    return answer


@transaction.atomic
def review_checklist_answer_all(
    *,
    actor: Account,
    submission: Submission,
    on: date,
    answers: Sequence[tuple[str, str, str]],
) -> list[ChecklistAnswer]:
    """The reviewer answers several points at once (``(point, verdict, comment)``), all or
    none: each point whose verdict or comment changed is answered as by
    ``review_checklist_answer`` (one entry each); points left unreviewed stay unanswered. A
    refusal names its point."""
    row = _lock_round(submission)
    _assigned_reviewer(actor, row)
    _refuse_closed(row)
    current = {
        a.point: (a.verdict, a.comment) for a in ChecklistAnswer.objects.filter(submission=row)
    }
    out = []
    for point, verdict, comment in answers:
        if current.get(point) == (verdict, comment.strip()):
            continue
        out.append(
            review_checklist_answer(
                actor=actor,
                submission=row,
                on=on,
                point=point,
                verdict=verdict,
                comment=comment,
            )
        )
    return out


def _answers(row: Submission) -> dict[str, str]:
    return dict(ChecklistAnswer.objects.filter(submission=row).values_list("point", "verdict"))


@transaction.atomic
def review_conclude(
    *,
    actor: Account,
    submission: Submission,
    on: date,
    outcome: str,
    opinion: str,
    required_changes: Sequence[str] = (),
) -> Submission:
    """The reviewer's opinion (法制审核意见). The outcome is one of the sector's vocabulary
    (national: 同意 / 存在问题); every point must be answered; 同意 is refused while a point shows a
    problem; a non-agreeing outcome lists what must change. A "suspected crime" answer opens a
    两法衔接 transfer (国务院令第310号), reported to the head on ``on``."""
    row = _lock_round(submission)
    _assigned_reviewer(actor, row)
    _refuse_closed(row)
    if row.state == Submission.State.PAUSED:
        raise RuleViolation("等待补充材料期间不能出具审核意见，请先恢复计时", article=RULE_118)
    vocabulary = outcomes_for(row.case.domain.code)
    if outcome not in vocabulary:
        raise RuleViolation(
            f"审核意见“{outcome}”不在本领域的审核意见种类（{'、'.join(vocabulary.values())}）中",
            article=RULE_118,
            field="outcome",
        )
    answers = _answers(row)
    left = checklist.unanswered(answers)
    if left:
        raise RuleViolation(
            f"审核要点{checklist.labels_of(left)}尚未确认，不能出具审核意见", article=RULE_118
        )
    changes = [c.strip() for c in required_changes if c.strip()]
    problems = checklist.problems(answers)
    if outcome == Submission.AGREE and problems:
        raise RuleViolation(
            f"审核要点{checklist.labels_of(problems)}存在问题，不能出具同意的审核意见",
            article=RULE_118,
        )
    if outcome != Submission.AGREE and not changes:
        raise RuleViolation(
            f"审核意见为“{vocabulary[outcome]}”的，须逐项写明需要纠正或补充的事项",
            article=RULE_118,
            field="required_changes",
        )
    if not opinion.strip():
        raise RuleViolation("须写明审核意见", article=RULE_118, field="opinion")
    crime = answers.get(checklist.Point.CRIME.value) == checklist.Verdict.PROBLEM
    late = on > row.due_on
    entry = _record(
        actor,
        "review.conclude",
        {
            "on": on,
            "round": row.round,
            "outcome": outcome,
            "label": vocabulary[outcome],
            "opinion": opinion.strip(),
            "required_changes": changes,
            "checklist": [
                {"point": p, "verdict": v, "comment": c}
                for p, v, c in ChecklistAnswer.objects.filter(submission=row)
                .order_by("position")
                .values_list("point", "verdict", "comment")
            ],
            "suspected_crime": crime,
            "due_on": row.due_on,
            "late": late,
        },
        row.case_id,
    )
    row.state = Submission.State.CONCLUDED
    row.outcome = outcome
    row.outcome_label = vocabulary[outcome]
    row.opinion = opinion.strip()
    row.required_changes = changes
    row.suspected_crime = crime
    row.concluded_on = on
    row.opinion_entry_seq = entry.seq
    row.save(
        update_fields=[
            "state",
            "outcome",
            "outcome_label",
            "opinion",
            "required_changes",
            "suspected_crime",
            "concluded_on",
            "opinion_entry_seq",
        ]
    )
    if crime:
        comment = (
            ChecklistAnswer.objects.filter(submission=row, point=checklist.Point.CRIME.value)
            .values_list("comment", flat=True)
            .get()
        )
        _crime_transfer_open(actor, row, on, comment or opinion.strip())
    return row


# -- disagreement -----------------------------------------------------------------------------


def _lock_dispute(dispute: ReviewDispute) -> ReviewDispute:
    return (
        ReviewDispute.objects.select_for_update(of=("self",))
        .select_related("submission", "submission__case", "submission__case__agency")
        .get(pk=dispute.pk)
    )


@transaction.atomic
def review_dispute_raise(
    *, actor: Account, submission: Submission, on: date, reason: str
) -> ReviewDispute:
    """The handling unit does not accept a non-agreeing opinion of the latest round."""
    row = _lock_round(submission)
    _handling_unit(actor, row.case)
    if row.state != Submission.State.CONCLUDED or row.agreed:
        raise RuleViolation("只能对已出具的非同意审核意见提出异议", article=RULE_118)
    latest = selectors.case_latest_round(row.case)
    if latest is None or latest.pk != row.pk:
        raise RuleViolation("只能对最近一轮审核意见提出异议", article=RULE_118)
    if ReviewDispute.objects.filter(submission=row).exists():
        raise RuleViolation("已对本轮审核意见提出异议", article=RULE_118)
    if not reason.strip():
        raise RuleViolation("提出异议须写明理由", article=RULE_118)
    dispute = ReviewDispute.objects.create(
        submission=row,
        state=ReviewDispute.State.RAISED,
        raised_by=actor,
        raised_on=on,
        reason=reason.strip(),
    )
    _record(
        actor,
        "review.dispute.raise",
        {"on": on, "round": row.round, "reason": dispute.reason},
        row.case_id,
    )
    return dispute


@transaction.atomic
def review_dispute_coordinate(
    *, actor: Account, dispute: ReviewDispute, on: date, note: str, settled: bool
) -> ReviewDispute:
    """The coordination between the review body and the handling unit: settled (the handling
    unit accepts the opinion, corrects and resubmits) or not (the head decides)."""
    row = _lock_dispute(dispute)
    case = row.submission.case
    if actor.agency_id != case.agency_id or actor.role not in (
        Account.Role.OFFICER,
        Account.Role.REVIEWER,
        Account.Role.HEAD,
    ):
        raise RuleViolation("只有本机关人员可以记录协调情况", article=RULE_118)
    if row.state != ReviewDispute.State.RAISED:
        raise RuleViolation("该异议已协调", article=RULE_118)
    if not note.strip():
        raise RuleViolation("须写明协调情况", article=RULE_118)
    row.coordinated_on = on
    row.coordination = note.strip()
    if settled:
        row.state = ReviewDispute.State.RESOLVED
        row.resolution = ReviewDispute.Resolution.OPINION_ACCEPTED
        row.decided_by = ReviewDispute.DecidedBy.COORDINATION
        row.resolved_on = on
    else:
        row.state = ReviewDispute.State.COORDINATED
    row.save()
    _record(
        actor,
        "review.dispute.coordinate",
        {"on": on, "round": row.submission.round, "note": row.coordination, "settled": settled},
        case.pk,
    )
    return row


def _resolvable(row: ReviewDispute) -> None:
    if row.state != ReviewDispute.State.COORDINATED:
        raise RuleViolation(
            "审核意见分歧须先经协调；协调不成的，由机关负责人决定或集体讨论决定",
            article=RULE_118,
        )


def _resolution(uphold_opinion: bool) -> str:
    return (
        ReviewDispute.Resolution.OPINION_UPHELD
        if uphold_opinion
        else ReviewDispute.Resolution.PROPOSAL_UPHELD
    )


@transaction.atomic
def review_dispute_decide(
    *, actor: Account, dispute: ReviewDispute, on: date, uphold_opinion: bool, reason: str
) -> ReviewDispute:
    """The head decides a dispute coordination did not settle: the opinion stands (correct and
    resubmit) or the handling unit's proposal does (the decision may be made as reviewed)."""
    row = _lock_dispute(dispute)
    case = row.submission.case
    _head(actor, case)
    _resolvable(row)
    if not reason.strip():
        raise RuleViolation("机关负责人决定须写明理由", article=RULE_118)
    row.state = ReviewDispute.State.RESOLVED
    row.resolution = _resolution(uphold_opinion)
    row.decided_by = ReviewDispute.DecidedBy.HEAD
    row.resolved_on = on
    row.resolution_reason = reason.strip()
    row.save()
    _record(
        actor,
        "review.dispute.decide",
        {
            "on": on,
            "round": row.submission.round,
            "resolution": row.resolution,
            "reason": row.resolution_reason,
        },
        case.pk,
    )
    return row


@dataclass(frozen=True)
class Member:
    """A head present at the collective discussion and what they said."""

    name: str
    position: str
    opinion: str


@transaction.atomic
def collective_discussion_record(
    *,
    actor: Account,
    dispute: ReviewDispute,
    on: date,
    chair: str,
    members_total: int,
    members: Sequence[Member],
    conclusion: str,
    uphold_opinion: bool,
) -> CollectiveDiscussion:
    """集体讨论 of the agency's heads decides a dispute: who was present (quorum:
    ZHIFA_COLLECTIVE_QUORUM of ``members_total``), each one's opinion, the conclusion."""
    row = _lock_dispute(dispute)
    case = row.submission.case
    _head(actor, case)
    _resolvable(row)
    quorum = collective_quorum()
    names = [m.name.strip() for m in members]
    if members_total < 1 or len(members) > members_total or len(set(names)) != len(names):
        raise RuleViolation("出席人员须是机关负责人且不重复，人数不超过负责人总数", field="members")
    if Fraction(len(members), members_total) < quorum:
        raise RuleViolation(
            f"出席集体讨论的负责人{len(members)}人，不足负责人总数{members_total}人的"
            f"{quorum.numerator}/{quorum.denominator}，不能作出决定",
            article=f"{RULE_118}；集体讨论规则（ZHIFA_COLLECTIVE_QUORUM）",
        )
    silent = [m.name for m in members if not m.opinion.strip()]
    if silent:
        raise RuleViolation(f"须记录每位出席人员的意见：{'、'.join(silent)}未记录", field="members")
    if not chair.strip() or chair.strip() not in names:
        raise RuleViolation("集体讨论须由出席的机关负责人主持", field="chair")
    if not conclusion.strip():
        raise RuleViolation("须写明集体讨论的结论", field="conclusion")
    people = [
        {"name": m.name.strip(), "position": m.position.strip(), "opinion": m.opinion.strip()}
        for m in members
    ]
    resolution = _resolution(uphold_opinion)
    entry = _record(
        actor,
        "review.collective_discussion",
        {
            "on": on,
            "round": row.submission.round,
            "chair": chair.strip(),
            "members_total": members_total,
            "members": people,
            "quorum": str(quorum),
            "conclusion": conclusion.strip(),
            "resolution": resolution,
        },
        case.pk,
    )
    discussion = CollectiveDiscussion.objects.create(
        dispute=row,
        held_on=on,
        chair=chair.strip(),
        members_total=members_total,
        members=people,
        quorum=str(quorum),
        conclusion=conclusion.strip(),
        entry_seq=entry.seq,
    )
    row.state = ReviewDispute.State.RESOLVED
    row.resolution = resolution
    row.decided_by = ReviewDispute.DecidedBy.COLLECTIVE
    row.resolved_on = on
    row.resolution_reason = conclusion.strip()
    row.save()
    return discussion


# -- 两法衔接 (国务院令第310号) -------------------------------------------------------------------


def _crime_transfer_open(
    actor: Account, submission: Submission, on: date, finding: str
) -> CrimeTransfer:
    """Opened with the opinion that found a suspected crime: reported to the head on ``on``,
    who decides within 3 days (第五条)."""
    due = crime_transfer.head_decision_due(on, current_calendar())
    row = CrimeTransfer.objects.create(
        case=submission.case,
        submission=submission,
        state=CrimeTransfer.State.REPORTED,
        finding=finding,
        reported_on=on,
        decision_due_on=due,
    )
    _record(
        actor,
        "review.crime_transfer.open",
        {"on": on, "id": row.pk, "round": submission.round, "finding": finding, "due_on": due},
        submission.case_id,
    )
    return row


def _lock_transfer(transfer: CrimeTransfer) -> CrimeTransfer:
    return (
        CrimeTransfer.objects.select_for_update(of=("self",))
        .select_related("case", "case__agency")
        .get(pk=transfer.pk)
    )


@transaction.atomic
def crime_transfer_decide(
    *, actor: Account, transfer: CrimeTransfer, at: datetime, approved: bool, reason: str = ""
) -> CrimeTransfer:
    """The head approves the transfer (then 24 hours to send it) or not (with the reason).
    A decision after the 3 days is recorded and flagged late (第五条)."""
    row = _lock_transfer(transfer)
    _head(actor, row.case)
    if row.state != CrimeTransfer.State.REPORTED:
        raise RuleViolation("该移送已作出决定", article=crime_transfer.article("五"))
    if not approved and not reason.strip():
        raise RuleViolation("不批准移送的，须写明理由", article=crime_transfer.article("五"))
    day = _local_date(at)
    if day < row.reported_on:
        raise RuleViolation("决定时间不能早于报告日期", field="at")
    row.decided_at = at
    row.decision_late = day > row.decision_due_on
    row.decision_reason = reason.strip()
    if approved:
        row.state = CrimeTransfer.State.APPROVED
        row.transfer_due_at = crime_transfer.transfer_due(at)
    else:
        row.state = CrimeTransfer.State.NOT_APPROVED
    row.save()
    _record(
        actor,
        "review.crime_transfer.decide",
        {
            "at": at,
            "id": row.pk,
            "approved": approved,
            "reason": row.decision_reason,
            "late": row.decision_late,
            "transfer_due_at": row.transfer_due_at,
        },
        row.case_id,
    )
    return row


@transaction.atomic
def crime_transfer_send(
    *,
    actor: Account,
    transfer: CrimeTransfer,
    at: datetime,
    organ: str,
    documents: Sequence[str],
    late_reason: str = "",
) -> CrimeTransfer:
    """Send the case to the police with the package (第六条: 移送书 and 调查报告 at least); the
    case itself moves to 移送司法机关 (``cases.services.case_transfer``, whose date rules apply:
    ``late_reason`` when the sending is entered past the 补录 window). Sent more than 24
    hours after approval: recorded and flagged late. The police answer within 3 days (第八条)."""
    row = _lock_transfer(transfer)
    _head(actor, row.case)
    if row.state != CrimeTransfer.State.APPROVED:
        raise RuleViolation("机关负责人批准后才能移送", article=crime_transfer.article("五"))
    package = [d.strip() for d in documents if d.strip()]
    missing = crime_transfer.missing_documents(package)
    if missing:
        raise RuleViolation(
            f"移送材料不全：缺少{'、'.join(missing)}", article=crime_transfer.article("六")
        )
    if not organ.strip():
        raise RuleViolation("须写明接收移送的公安机关", field="organ")
    assert row.transfer_due_at is not None and row.decided_at is not None
    if at < row.decided_at:
        raise RuleViolation("移送时间不能早于批准时间", field="at")
    day = _local_date(at)
    case_services.case_transfer(
        actor=actor,
        case=row.case,
        on=day,
        organ=organ.strip(),
        reason=row.finding,
        late_reason=late_reason,
    )
    row.state = CrimeTransfer.State.TRANSFERRED
    row.transferred_at = at
    row.transfer_late = at > row.transfer_due_at
    row.organ = organ.strip()
    row.documents = package
    row.answer_due_on = crime_transfer.police_answer_due(day, current_calendar())
    row.save()
    _record(
        actor,
        "review.crime_transfer.send",
        {
            "at": at,
            "id": row.pk,
            "organ": row.organ,
            "documents": package,
            "late": row.transfer_late,
            "answer_due_on": row.answer_due_on,
        },
        row.case_id,
    )
    return row


@transaction.atomic
def crime_transfer_answer(
    *, actor: Account, transfer: CrimeTransfer, on: date, accepted: bool, answer: str
) -> CrimeTransfer:
    """Record the police's answer (立案 or not); an answer after 3 days is flagged late."""
    row = _lock_transfer(transfer)
    _handling_unit(actor, row.case)
    if row.state != CrimeTransfer.State.TRANSFERRED:
        raise RuleViolation(
            "案件尚未移送，无公安机关答复可记录", article=crime_transfer.article("八")
        )
    if not answer.strip():
        raise RuleViolation("须写明公安机关的答复内容", field="answer")
    assert row.answer_due_on is not None
    row.answered_on = on
    row.answer = answer.strip()
    row.answer_late = on > row.answer_due_on
    row.state = CrimeTransfer.State.ACCEPTED if accepted else CrimeTransfer.State.DECLINED
    row.save()
    _record(
        actor,
        "review.crime_transfer.answer",
        {
            "on": on,
            "id": row.pk,
            "accepted": accepted,
            "answer": row.answer,
            "late": row.answer_late,
        },
        row.case_id,
    )
    return row
