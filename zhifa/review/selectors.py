"""Reads of the legal review. Every list an account sees comes from ``reviews_visible_to`` /
``catalog_rules_visible_to``; the facts the pure rules need are read here.

Scope follows the cases: an agency's accounts see the agency's reviews; a supervisor every
review of its region; the system administrator all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from zhifa.cases import transitions
from zhifa.cases.models import Case, CaseDocument, CaseOfficer, CaseStep, Party
from zhifa.cases.selectors import cases_visible_to
from zhifa.cases.services import INVESTIGATION_KINDS, PendingDecision
from zhifa.core.exceptions import RuleViolation
from zhifa.core.identifiers import division_prefix
from zhifa.law import penalty
from zhifa.law.coercion import LOCAL_TIME as _LOCAL
from zhifa.record.canonical import canonical_text
from zhifa.record.models import Entry
from zhifa.record.verification import Problem
from zhifa.registry.models import Account, Agency, Officer
from zhifa.registry.selectors import agency_holds_power, is_system_admin, officer_may_act, region_of

from . import assignment, checklist
from .major_decisions import STATUTORY_RULES, Facts, FlagFact, Rule, RuleKind, Verdict, evaluate
from .models import (
    Assessment,
    CatalogRule,
    CrimeTransfer,
    MajorFlag,
    ReviewDispute,
    Submission,
)

ART58 = penalty.article("五十八")
S = Case.State


def digest_of(content: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of a submission."""
    return hashlib.sha256(canonical_text(content).encode()).hexdigest()


# -- scope --------------------------------------------------------------------------------


def reviews_visible_to(account: Account) -> QuerySet[Submission]:
    """Every review round of the cases ``account`` may see."""
    return Submission.objects.filter(case__in=cases_visible_to(account).values("pk"))


def reviews_open(account: Account) -> QuerySet[Submission]:
    return reviews_visible_to(account).filter(state__in=Submission.OPEN_STATES)


def reviews_due(account: Account, today: date) -> QuerySet[Submission]:
    """Open rounds whose time limit runs (not paused) and has not passed, soonest first."""
    return (
        reviews_open(account)
        .exclude(state=Submission.State.PAUSED)
        .filter(due_on__gte=today)
        .select_related("case", "reviewer")
        .order_by("due_on", "id")
    )


def reviews_overdue(account: Account, today: date) -> QuerySet[Submission]:
    """Open rounds past their time limit before ``today`` (a paused clock is not overdue)."""
    return (
        reviews_open(account)
        .exclude(state=Submission.State.PAUSED)
        .filter(due_on__lt=today)
        .select_related("case", "reviewer")
        .order_by("due_on", "id")
    )


def reviewer_queue(account: Account) -> QuerySet[Submission]:
    """A reviewer's queue: open rounds assigned to them, then those nobody has taken yet."""
    mine = Q(reviewer__isnull=True)
    if account.is_authenticated and account.officer_id is not None:
        mine |= Q(reviewer_id=account.officer_id)
    return (
        reviews_open(account)
        .filter(mine)
        .select_related("case", "reviewer")
        .order_by("due_on", "id")
    )


def catalog_rules_visible_to(account: Account) -> QuerySet[CatalogRule]:
    """Catalog lines of the agencies ``account`` sees, and the floors of regions covering them."""
    qs = CatalogRule.objects.all()
    if not account.is_authenticated or not account.is_active:
        return qs.none()
    if is_system_admin(account):
        return qs
    prefix = region_of(account)
    if prefix is not None:
        return qs.filter(
            Q(agency__division_code__startswith=prefix) | Q(region_code__startswith=prefix)
        )
    if account.agency is None:
        return qs.none()
    return qs.filter(Q(agency_id=account.agency_id) | _floors_q(account.agency))


def crime_transfers_visible_to(account: Account) -> QuerySet[CrimeTransfer]:
    return CrimeTransfer.objects.filter(case__in=cases_visible_to(account).values("pk"))


def crime_transfers_overdue(account: Account, at: datetime) -> QuerySet[CrimeTransfer]:
    """Transfers whose head decision, transfer or police answer is late at ``at``."""
    today = at.date() if at.tzinfo is None else at.astimezone(_LOCAL).date()
    return crime_transfers_visible_to(account).filter(
        Q(state=CrimeTransfer.State.REPORTED, decision_due_on__lt=today)
        | Q(state=CrimeTransfer.State.APPROVED, transfer_due_at__lt=at)
        | Q(state=CrimeTransfer.State.TRANSFERRED, answer_due_on__lt=today)
    )


# -- the catalog ----------------------------------------------------------------------------


def _floors_q(agency: Agency) -> Q:
    """Region rules whose region contains the agency's division."""
    code = agency.division_code
    regions = {code, f"{code[:4]}00", f"{code[:2]}0000"}
    return Q(agency__isnull=True, region_code__in=regions)


def as_rule(row: CatalogRule) -> Rule:
    return Rule(
        kind=RuleKind(row.kind),
        source=row.source,
        rule_id=row.pk,
        amount=row.amount,
        penalty_kind=row.penalty_kind,
        flag=row.flag,
        category=row.category,
        region=row.region_code,
    )


def region_floors_for(agency: Agency) -> list[Rule]:
    """The active floors laid down for the agency's region by higher bodies."""
    rows = CatalogRule.objects.filter(_floors_q(agency), active=True).order_by("id")
    return [as_rule(r) for r in rows if agency.division_code.startswith(_prefix(r.region_code))]


def _prefix(code: str) -> str:
    return division_prefix(code)


def catalog_rules_for(agency: Agency) -> list[Rule]:
    """What decides "major" for the agency: its own active lines, its region's floors and the
    statute's own categories (第五十八条第一款)."""
    own = [
        as_rule(r) for r in CatalogRule.objects.filter(agency=agency, active=True).order_by("id")
    ]
    return [*own, *region_floors_for(agency), *STATUTORY_RULES]


# -- facts of a case ------------------------------------------------------------------------


def case_facts(case: Case, decision: PendingDecision | None = None) -> Facts:
    """The facts the catalog is evaluated on. The proposal is ``decision`` when given, else the
    notified penalty (事先告知), else the latest submission's proposal, else none."""
    parties = tuple(sorted(set(Party.objects.filter(case=case).values_list("kind", flat=True))))
    kinds: frozenset[str] = frozenset()
    fine: Decimal | None = None
    confiscation: Decimal | None = None
    if decision is not None:
        kinds, fine, confiscation = (
            frozenset(decision.penalty_kinds),
            decision.fine,
            decision.confiscation,
        )
    elif case.notified_on is not None:
        kinds = frozenset(case.notified_penalty_kinds)
        fine, confiscation = case.notified_fine, case.notified_confiscation
    else:
        latest = case_latest_round(case)
        if latest is not None:
            kinds = frozenset(latest.proposal_kinds)
            fine, confiscation = latest.proposal_fine, latest.proposal_confiscation
    hearings = CaseStep.objects.filter(case=case, kind=CaseStep.Kind.HEARING_RECORD)
    held = any(not (s.data or {}).get("party_absent") for s in hearings)
    flags = tuple(
        FlagFact(f, r)
        for f, r in MajorFlag.objects.filter(case=case).order_by("id").values_list("flag", "reason")
    )
    return Facts(
        case_kind=case.kind,
        party_kinds=parties,
        penalty_kinds=kinds,
        fine=fine,
        confiscation=confiscation,
        hearing_held=held,
        flags=flags,
    )


def facts_plain(facts: Facts) -> dict[str, Any]:
    return {
        "case_kind": facts.case_kind,
        "party_kinds": list(facts.party_kinds),
        "penalty_kinds": sorted(facts.penalty_kinds),
        "fine": facts.fine,
        "confiscation": facts.confiscation,
        "hearing_held": facts.hearing_held,
        "flags": [{"flag": f.flag, "reason": f.reason} for f in facts.flags],
    }


def case_evaluate(case: Case, decision: PendingDecision | None = None) -> Verdict:
    """The catalog's verdict on ``case`` now (not stored)."""
    return evaluate(case_facts(case, decision), catalog_rules_for(case.agency))


def case_assessment(case: Case) -> Assessment | None:
    """The stored verdict in force (None: the case was never found major)."""
    return Assessment.objects.filter(case=case).order_by("-id").first()


def case_is_major(case: Case) -> bool:
    found = case_assessment(case)
    return found is not None and found.major


def case_review_rounds(case: Case) -> QuerySet[Submission]:
    """Every round of the case, first first (none is ever removed)."""
    return Submission.objects.filter(case=case).order_by("round")


def case_latest_round(case: Case) -> Submission | None:
    return Submission.objects.filter(case=case).order_by("-round").first()


# -- reviewers ------------------------------------------------------------------------------


def case_handler_ids(case: Case) -> set[int]:
    """Officers who handled or investigated the case: its 承办人员 and every officer of a step."""
    assigned = set(CaseOfficer.objects.filter(case=case).values_list("officer_id", flat=True))
    stepped = set(
        CaseStep.officers.through.objects.filter(casestep__case=case).values_list(
            "officer_id", flat=True
        )
    )
    return assigned | stepped


def reviewer_may_review(officer: Officer, case: Case) -> assignment.Eligibility:
    body = officer.review_body
    body_agency = body.agency_id if body is not None else None
    return assignment.reviewer_eligibility(
        assignment.ReviewerFacts(
            name=officer.name,
            serving=officer.status == Officer.Status.SERVING,
            same_agency=officer.agency_id == case.agency_id,
            in_review_body=body_agency == case.agency_id,
            handled_case=officer.pk in case_handler_ids(case),
            reviewed_before=Submission.objects.filter(
                reviewer=officer, state=Submission.State.CONCLUDED
            ).exists(),
            legal_qualification=officer.has_legal_qualification,
        )
    )


def eligible_reviewers(case: Case) -> list[Officer]:
    """The staff of the case agency's review body who may review this case."""
    staff = Officer.objects.filter(
        review_body__agency_id=case.agency_id, status=Officer.Status.SERVING
    ).select_related("review_body")
    return [o for o in staff if reviewer_may_review(o, case).allowed]


# -- the case file for the checklist --------------------------------------------------------


def file_facts(case: Case, on: date) -> checklist.FileFacts:
    """What the registry and the record say about the case file on ``on``."""
    item = agency_holds_power(case.agency, case.power_item.code)
    steps = []
    for step in (
        CaseStep.objects.filter(case=case, kind__in=CaseStep.TWO_OFFICER_KINDS)
        .prefetch_related("officers")
        .order_by("on", "id")
    ):
        officers = []
        for o in step.officers.all():
            answer = officer_may_act(o, case.domain, step.on, region=case.agency.division_code)
            officers.append(
                checklist.OfficerFact(
                    o.name, answer.allowed, tuple(answer.reasons), answer.certificate_number or ""
                )
            )
        steps.append(
            checklist.StepFact(
                step.get_kind_display(), step.on, step.entry_seq, tuple(officers), needs_two=True
            )
        )
    deadlines = []
    if case.decision_deadline is not None:
        deadlines.append(
            checklist.DeadlineFact(
                "作出处罚决定", case.decision_deadline, None, penalty.article("六十")
            )
        )
    if case.hearing_requested_on is not None and case.hearing_request_deadline is not None:
        deadlines.append(
            checklist.DeadlineFact(
                "要求听证",
                case.hearing_request_deadline,
                case.hearing_requested_on,
                penalty.HEARING_REQUEST.article,
            )
        )
    present = sorted(
        {CaseDocument.Kind(k).label for k in case.documents.values_list("kind", flat=True)}
    )
    # The documents a file holds by the time of review: the 立案审批表, and the 告知书 once the
    # party was notified.
    expected_kinds = [CaseDocument.Kind.REGISTER_APPROVAL]
    if case.notified_on is not None:
        expected_kinds.append(CaseDocument.Kind.PENALTY_NOTICE)
    bases = (
        tuple(f"{b.law}{b.article}" for b in item.bases.all().order_by("position", "id"))
        if item is not None
        else ()
    )
    return checklist.FileFacts(
        agency_name=case.agency.name,
        agency_active=case.agency.status == Agency.Status.ACTIVE,
        power_code=case.power_item.code,
        power_name=case.power_item.name,
        power_published=item is not None,
        power_bases=bases,
        submitted_on=on,
        steps=tuple(steps),
        deadlines=tuple(deadlines),
        documents_present=tuple(present),
        documents_expected=tuple(CaseDocument.Kind(k).label for k in expected_kinds),
        discretion=_discretion_facts(case),
    )


# The 裁量基准 applied (issue 13): the discretion app registers what it recorded for a case, as
# ``(fits, evidence)`` — fits None when nothing was applied (review does not import it).
DiscretionFacts = Callable[[Case], "tuple[bool | None, tuple[str, ...]] | None"]
_discretion_sources: list[DiscretionFacts] = []


def register_discretion_facts(source: DiscretionFacts) -> None:
    if source not in _discretion_sources:
        _discretion_sources.append(source)


def _discretion_facts(case: Case) -> tuple[bool | None, tuple[str, ...]] | None:
    for source in _discretion_sources:
        found = source(case)
        if found is not None:
            return found
    return None


def evidence_list(case: Case) -> list[dict[str, Any]]:
    """The evidence as recorded: every investigation step with its files (name and SHA-256)."""
    rows = CaseStep.objects.filter(case=case, kind__in=INVESTIGATION_KINDS).order_by("on", "id")
    return [
        {
            "step_id": s.pk,
            "kind": s.get_kind_display(),
            "on": s.on,
            "summary": s.summary,
            "entry_seq": s.entry_seq,
            "files": [{"name": f["name"], "sha256": f["sha256"]} for f in s.evidence],
        }
        for s in rows
    ]


# -- the frozen submission ------------------------------------------------------------------


@dataclass(frozen=True)
class FrozenSubmission:
    """What the reviewer reviews: the submission as its record entry holds it.

    ``intact`` says the entry still hashes to the digest kept on the round; ``changes`` lists
    what happened to the case after the submission (each a Chinese line naming the entry).
    """

    content: dict[str, Any]
    intact: bool
    changes: tuple[str, ...]

    @property
    def changed_since(self) -> bool:
        return bool(self.changes)


def _action_label(action: str) -> str:
    if action.startswith("case."):
        service = "case_" + action.removeprefix("case.")
        return transitions.SERVICE_LABELS.get(service, action)
    return {"review.flag": "标注重大情形"}.get(action, action)


def submission_frozen(submission: Submission) -> FrozenSubmission:
    entry = Entry.objects.get(seq=submission.entry_seq)
    content: dict[str, Any] = entry.data["submission"]
    later = Entry.objects.filter(case_id=submission.case_id, seq__gt=submission.entry_seq).filter(
        Q(action__startswith="case.") | Q(action="review.flag")
    )
    changes = [
        f"#{e.seq} {_action_label(e.action)}（{e.recorded_at.astimezone(_LOCAL):%Y-%m-%d}）"
        for e in later.order_by("seq")
    ]
    case = Case.objects.get(pk=submission.case_id)
    proposal = content.get("proposal", {})
    if case.notified_on is not None and (
        sorted(case.notified_penalty_kinds) != sorted(proposal.get("penalty_kinds", []))
        or _money_text(case.notified_fine) != proposal.get("fine")
        or _money_text(case.notified_confiscation) != proposal.get("confiscation")
    ):
        changes.append("事先告知的拟处罚内容与送审的拟处理意见不一致")
    return FrozenSubmission(content, digest_of(content) == submission.digest, tuple(changes))


def _money_text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# -- the gate -------------------------------------------------------------------------------


def _heavier(decision: PendingDecision, round_: Submission) -> str | None:
    reviewed = set(round_.proposal_kinds)
    if not decision.penalise:
        return "不予处罚" if reviewed else None
    extra = sorted(set(decision.penalty_kinds) - reviewed)
    if extra:
        return "增加了处罚种类（" + "、".join(penalty.PenaltyKind(k).label for k in extra) + "）"
    if (decision.fine or 0) > (round_.proposal_fine or 0):
        return f"罚款{decision.fine}元高于送审的{round_.proposal_fine or 0}元"
    if (decision.confiscation or 0) > (round_.proposal_confiscation or 0):
        return f"没收{decision.confiscation}元高于送审的{round_.proposal_confiscation or 0}元"
    return None


def _accepted(round_: Submission) -> bool:
    if round_.agreed:
        return True
    dispute = ReviewDispute.objects.filter(submission=round_).first()
    return (
        dispute is not None
        and dispute.state == ReviewDispute.State.RESOLVED
        and dispute.resolution == ReviewDispute.Resolution.PROPOSAL_UPHELD
    )


def decision_refusal(case: Case, decision: PendingDecision | None = None) -> RuleViolation | None:
    """Why 第五十八条 refuses the decision on ``case`` now, or None.

    ``decision`` None: the proposal as it stands (for a page that explains why the decide
    button is unavailable). A case is major when the catalog finds the decision major now, or
    (for a penalty) the stored verdict says so. A major case needs its latest round concluded and
    accepted — 同意, or the head's / collective's decision for the handling unit's proposal — and
    the decision may not go beyond what was reviewed.
    """
    verdict = case_evaluate(case, decision)
    stored = case_assessment(case)
    penalise = decision.penalise if decision is not None else True
    major = verdict.major or (penalise and stored is not None and stored.major)
    if not major:
        return None
    reasons = verdict.reasons
    if not reasons and stored is not None:
        reasons = [f"{m['reason']}（{m['source']}）" for m in stored.matches]
    why = "；".join(reasons)
    latest = case_latest_round(case)
    if latest is None:
        return RuleViolation(
            f"本案属于重大执法决定（{why}），未经法制审核或者审核未通过的，不得作出决定",
            article=ART58,
        )
    if latest.is_open:
        return RuleViolation(
            f"第{latest.round}轮法制审核尚未完成（{latest.get_state_display()}），不得作出决定",
            article=ART58,
        )
    if not _accepted(latest):
        dispute = ReviewDispute.objects.filter(submission=latest).first()
        if dispute is not None and dispute.state != ReviewDispute.State.RESOLVED:
            return RuleViolation(
                f"承办机构对第{latest.round}轮法制审核意见有异议，尚未经机关负责人决定，不得作出决定",
                article=ART58,
            )
        changes = "；".join(latest.required_changes)
        return RuleViolation(
            f"第{latest.round}轮法制审核意见为“{latest.outcome_label}”（{changes}），"
            "须按审核意见纠正后重新送审，审核通过后方可作出决定",
            article=ART58,
        )
    if decision is not None:
        heavier = _heavier(decision, latest)
        if heavier is not None:
            return RuleViolation(
                f"拟作出的决定与第{latest.round}轮送审的拟处理意见不一致（{heavier}），"
                "须重新送审法制审核",
                article=ART58,
            )
    return None


# -- verification ---------------------------------------------------------------------------


def submissions_replay_check(groups: Iterable[tuple[int, list[Entry]]]) -> Iterator[Problem]:
    """``zhifa verify``: each round's digest against the submission its record entry holds."""
    del groups  # the rounds point at their entries directly
    rows = Submission.objects.order_by("id").values_list("id", "case_id", "entry_seq", "digest")
    for pk, case_id, seq, digest in rows.iterator(chunk_size=2000):
        entry = Entry.objects.filter(seq=seq).first()
        if entry is None or entry.action != "review.submit" or entry.case_id != case_id:
            yield Problem(
                kind="review_submission_entry",
                case_id=case_id,
                seq=seq,
                message=f"法制审核送审{pk}指向的记录#{seq}不是该案的送审记录",
            )
            continue
        if digest_of(entry.data.get("submission")) != digest:
            yield Problem(
                kind="review_submission_digest",
                case_id=case_id,
                seq=seq,
                message=f"法制审核送审{pk}的SHA-256与记录#{seq}中的送审内容不一致",
            )
