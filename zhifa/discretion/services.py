"""Writes of the 裁量基准 applied to a case. Each one transaction, each recorded on the case's
record in the same transaction (``discretion.*`` entries), each row pointing at its entry with
the SHA-256 of what the entry holds of it (``selectors.applications_replay_check``).

- ``discretion_apply``: the officer applies a 基准 entry at 事先告知 or 决定: the circumstances
  found (国市监法规〔2022〕2号第十一条至第十六条), each with the case's evidence it rests on; the
  base of a multiple; the grade (阶次) chosen — where lighter and heavier circumstances meet, only
  with the overall judgement in words (第十七条); the proposed fine. A grade or fine off the
  基准 is a deviation and needs its reason (国办发〔2022〕27号（十二）).
- ``discretion_deviation_approve``: the head of the case's agency approves a deviation, by
  their own approval or as decided in 集体讨论 (with the minutes), with the reason and the fine
  approved; where the 基准 is an upper level's, that body's approval as received (who, when,
  document number).
- ``decision_gate`` (registered with ``cases.services``): a fine outside the applied grade's
  band, or a grade off the 基准, is refused at the decision unless the deviation was approved.

Raises ``RuleViolation`` (with its article) for every refusal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction

from zhifa.cases.models import Case
from zhifa.cases.services import PendingDecision
from zhifa.core.exceptions import RuleViolation
from zhifa.law import discretion
from zhifa.law.penalty import PenaltyKind
from zhifa.record.services import record_append
from zhifa.registry.models import Account, DiscretionBenchmark
from zhifa.registry.services import benchmark_own_bands, benchmark_range

from . import selectors
from .models import Application, DeviationApproval

ACTION_LABELS = {
    "discretion.apply": "适用裁量基准",
    "discretion.deviation_approve": "批准偏离裁量基准",
}
G = discretion.Grade
NO_FINE = (G.NO_PENALTY, G.EXEMPT)
RULE_MUST_NOT = "《行政处罚法》第三十三条、国市监法规〔2022〕2号第十一条"


@dataclass(frozen=True)
class Found:
    """One circumstance the officer found, with the evidence it rests on (``entry:<seq>``,
    ``document:<id>``, or for the repeat factor ``history`` — the party's history)."""

    code: str
    evidence: str


def _name(actor: Account) -> str:
    return actor.display_name or actor.get_username()


def _money(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(discretion.FEN)


def _circumstances(case: Case, found: Sequence[Found], on: date) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for f in found:
        if f.code in seen:
            continue
        seen.add(f.code)
        try:
            factor = discretion.factor(f.code)
        except KeyError:
            raise RuleViolation(f"裁量情节“{f.code}”无效", field="circumstances") from None
        if f.evidence == "history" and f.code == discretion.REPEAT_FACTOR:
            label = selectors.repeat_evidence(case, on)
            if not label:
                raise RuleViolation(
                    "本平台范围内未查到一年内因同一种违法行为受过行政处罚的记录，须另附证据",
                    article=factor.article,
                    field="circumstances",
                )
        else:
            found_label = selectors.evidence_label(case, f.evidence)
            if found_label is None:
                raise RuleViolation(
                    f"裁量情节“{factor.text}”须注明所依据的本案证据（记录或文书）",
                    article="国办发〔2022〕27号（十二）",
                    field="circumstances",
                )
            label = found_label
        rows.append(
            {
                "code": factor.code,
                "group": factor.group.value,
                "text": factor.text,
                "article": factor.article,
                "evidence": f.evidence,
                "evidence_label": label,
            }
        )
    return rows


def application_plain(a: Application) -> dict[str, Any]:
    """What the record entry holds of an application (its digest is the row's)."""
    return {
        "id": a.pk,
        "case": a.case_id,
        "stage": a.stage,
        "benchmark": {
            "id": a.benchmark_id,
            "version": a.benchmark.version,
            "violation": a.benchmark.violation,
        },
        "circumstances": a.circumstances,
        "base_amount": a.base_amount,
        "proposed_grade": a.proposed_grade,
        "grade": a.grade,
        "range": a.range_text,
        "band": a.band_text,
        "judgement": a.judgement,
        "fine": a.fine,
        "penalty_kinds": a.penalty_kinds,
        "deviates": a.deviates,
        "deviation_reason": a.deviation_reason,
        "on": a.recorded_on,
    }


def approval_plain(a: DeviationApproval) -> dict[str, Any]:
    return {
        "id": a.pk,
        "application": a.application_id,
        "way": a.way,
        "reason": a.reason,
        "minutes": a.minutes,
        "fine": a.fine,
        "approved_by": a.approved_by_id,
        "on": a.approved_on,
        "upper": {
            "body": a.upper_body,
            "document": a.upper_document,
            "received_on": a.upper_received_on,
        },
    }


def is_upper_level(benchmark: DiscretionBenchmark, case: Case) -> bool:
    """Whether the 基准 is not the case agency's own (a region's or another body's)."""
    return benchmark.agency_id != case.agency_id


@transaction.atomic
def discretion_apply(
    *,
    actor: Account,
    case: Case,
    stage: str,
    benchmark: DiscretionBenchmark,
    found: Sequence[Found],
    grade: str,
    on: date,
    fine: Decimal | None = None,
    base_amount: Decimal | None = None,
    judgement: str = "",
    deviation_reason: str = "",
    penalty_kinds: Sequence[str] = (),
) -> Application:
    """Record the 基准 applied at ``stage``; returns the new row (the earlier ones stay).

    Refuses: an unknown stage or grade; a multiple without its base; a circumstance without
    evidence of the case; mixed circumstances without the overall judgement (2号第十七条); a
    penalty where an 应当不予处罚 circumstance was found (《行政处罚法》第三十三条); a grade or
    fine off the 基准 without the reason of the deviation (国办发〔2022〕27号（十二）)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if stage not in Application.Stage.values:
        raise RuleViolation(f"阶段“{stage}”无效", field="stage")
    if grade not in G.__members__.values():
        raise RuleViolation("须选择裁量阶次", field="grade")
    chosen = G(grade)
    rows = _circumstances(case, found, on)
    base = _money(base_amount)
    rng = benchmark_range(benchmark)
    if rng.kind == discretion.RangeKind.MULTIPLE and (base is None or base < 0):
        raise RuleViolation(
            f"倍数罚款须填写{rng.base_name}（元）",
            article="国办发〔2022〕27号（六）",
            field="base_amount",
        )
    if rng.kind != discretion.RangeKind.MULTIPLE:
        base = None
    calc = selectors.calculate(benchmark, [r["code"] for r in rows], base)
    proposal = calc.proposal
    judgement = judgement.strip()
    if proposal.needs_judgement and not judgement:
        raise RuleViolation(
            "从轻与从重情节并存，须写明综合考虑后的裁量理由",
            article=discretion.RULE_MIXED,
            field="judgement",
        )
    if proposal.allowed == (G.NO_PENALTY,) and chosen != G.NO_PENALTY:
        raise RuleViolation(
            "认定了应当不予处罚的情节，不得给予行政处罚", article=RULE_MUST_NOT, field="grade"
        )
    amount = None if chosen in NO_FINE else _money(fine)
    own = benchmark_own_bands(benchmark.grades.all())
    kinds = [k.value for k in PenaltyKind if k in set(penalty_kinds)]
    if chosen in NO_FINE:
        kinds = []
    deviates = (
        chosen not in proposal.allowed
        or not discretion.fine_within(rng, chosen, amount, base=base, own=own)
        or bool(kinds_beyond(benchmark, chosen, kinds))
    )
    deviation_reason = deviation_reason.strip()
    if deviates and not deviation_reason:
        raise RuleViolation(
            "所选裁量阶次、罚款或处罚种类偏离裁量基准，须写明理由并报本机关主要负责人批准或者集体讨论决定",
            article=discretion.RULE_DEVIATION,
            field="deviation_reason",
        )
    band = calc.bands.get(chosen)
    row = Application(
        case=case,
        stage=stage,
        benchmark=benchmark,
        circumstances=rows,
        base_amount=base,
        proposed_grade=proposal.grade.value if proposal.grade else "",
        grade=chosen.value,
        range_text=rng.text,
        band_text=band.text if band else ("不予罚款" if chosen in NO_FINE else ""),
        judgement=judgement,
        fine=amount,
        penalty_kinds=kinds,
        deviates=deviates,
        deviation_reason=deviation_reason if deviates else "",
        recorded_by=actor,
        recorded_on=on,
        entry_seq=-1,
        digest="",
    )
    row.save()
    plain = application_plain(row)
    entry = record_append(
        actor_id=actor.pk,
        actor_name=_name(actor),
        role=actor.role,
        action="discretion.apply",
        payload={"application": plain},
        case_id=case.pk,
    )
    row.entry_seq, row.digest = entry.seq, selectors.digest_of(plain)
    row.save(update_fields=["entry_seq", "digest"])
    return row


@transaction.atomic
def discretion_deviation_approve(
    *,
    actor: Account,
    application: Application,
    way: str,
    reason: str,
    on: date,
    minutes: str = "",
    upper_body: str = "",
    upper_document: str = "",
    upper_received_on: date | None = None,
) -> DeviationApproval:
    """The head's approval of the deviation the application states (the fine it proposes).

    Refuses: an actor who is not the head of the case's agency; an application without a
    deviation; no reason; 集体讨论 without its minutes; for an upper level's 基准, no record of
    that body's approval (国办发〔2022〕27号（十二）)."""
    application = (
        Application.objects.select_for_update()
        .select_related("case", "benchmark")
        .get(pk=application.pk)
    )
    case = application.case
    if actor.role != Account.Role.HEAD or actor.agency_id != case.agency_id:
        raise RuleViolation(
            "偏离裁量基准须经本机关主要负责人批准或者集体讨论决定",
            article=discretion.RULE_DEVIATION,
        )
    if not application.deviates:
        raise RuleViolation("该裁量基准适用没有偏离，无须批准", field="way")
    if way not in DeviationApproval.Way.values:
        raise RuleViolation("须选择批准方式", field="way")
    reason = reason.strip()
    if not reason:
        raise RuleViolation(
            "须写明偏离裁量基准的理由", article=discretion.RULE_DEVIATION, field="reason"
        )
    if way == DeviationApproval.Way.COLLECTIVE and not minutes.strip():
        raise RuleViolation(
            "集体讨论决定须注明集体讨论记录", article=discretion.RULE_DEVIATION, field="minutes"
        )
    upper = is_upper_level(application.benchmark, case)
    if upper and not (upper_body.strip() and upper_document.strip() and upper_received_on):
        raise RuleViolation(
            f"偏离上级裁量基准（{application.benchmark.issuer}）须经该机关批准：须记录批准机关、"
            "文号和收到日期",
            article="国办发〔2022〕27号（十二）",
            field="upper_body",
        )
    row = DeviationApproval(
        application=application,
        way=way,
        reason=reason,
        minutes=minutes.strip(),
        fine=application.fine,
        approved_by=actor,
        approved_on=on,
        upper_body=upper_body.strip() if upper else "",
        upper_document=upper_document.strip() if upper else "",
        upper_received_on=upper_received_on if upper else None,
        entry_seq=-1,
        digest="",
    )
    row.save()
    plain = approval_plain(row)
    entry = record_append(
        actor_id=actor.pk,
        actor_name=_name(actor),
        role=actor.role,
        action="discretion.deviation_approve",
        payload={"approval": plain, "stage": application.stage},
        case_id=case.pk,
    )
    row.entry_seq, row.digest = entry.seq, selectors.digest_of(plain)
    row.save(update_fields=["entry_seq", "digest"])
    return row


# -- the gate on the decision ---------------------------------------------------------------


def decision_refusal(case: Case, decision: PendingDecision) -> RuleViolation | None:
    """Why the decision would be refused for the 基准 applied, or None."""
    if not decision.penalise:
        return None
    app = selectors.latest_application(case)
    if app is None:
        if getattr(settings, "ZHIFA_DISCRETION_REQUIRED", False) and (
            selectors.benchmarks_for_case(case).exists()
        ):
            return RuleViolation(
                "本案事项有裁量基准，作出处罚决定前须适用裁量基准",
                article="国办发〔2022〕27号（十二）",
            )
        return None
    benchmark = app.benchmark
    rng = benchmark_range(benchmark)
    own = benchmark_own_bands(benchmark.grades.all())
    grade = G(app.grade)
    fine = _money(decision.fine)
    # A penalty where 不予/免予处罚 was applied is off the 基准 whatever its amount.
    inside = grade not in NO_FINE and discretion.fine_within(
        rng, grade, fine, base=app.base_amount, own=own
    )
    beyond = kinds_beyond(benchmark, grade, decision.penalty_kinds)
    if inside and not beyond and not app.deviates:
        return None
    approval = selectors.latest_approval(app)
    band = app.band_text or rng.text
    amount = f"罚款{discretion.yuan(fine)}元" if fine is not None else "所作处罚"
    what = f"{amount}不在所适用裁量基准“{benchmark.violation}”{grade.label}的幅度（{band}）内"
    if inside and beyond:
        allowed = "、".join(PenaltyKind(k).label for k in benchmark.penalty_kinds)
        what = (
            f"处罚种类“{'、'.join(PenaltyKind(k).label for k in beyond)}”不在所适用裁量基准"
            f"“{benchmark.violation}”的法定处罚种类（{allowed}）内"
        )
    elif app.deviates and inside:
        what = f"所选裁量阶次（{grade.label}）偏离裁量基准"
    kinds_unapproved = not set(beyond) <= set(app.penalty_kinds)
    if approval is None or approval.fine != fine or kinds_unapproved:
        return RuleViolation(
            what + "：偏离裁量基准须经本机关主要负责人批准或者集体讨论决定，并记录理由",
            article=discretion.RULE_DEVIATION,
            field="fine",
        )
    if is_upper_level(benchmark, case) and not approval.upper_document:
        return RuleViolation(
            what + "：偏离上级裁量基准须经制定该基准的机关批准",
            article="国办发〔2022〕27号（十二）",
            field="fine",
        )
    return None


def kinds_beyond(
    benchmark: DiscretionBenchmark, grade: discretion.Grade, kinds: Sequence[str]
) -> list[str]:
    """The decided kinds the 基准's 处罚依据 does not allow (none when it states none). A 减轻
    grade may impose a lighter kind than the statute names (国市监法规〔2022〕2号第十条), so it
    is not held to the list."""
    if not benchmark.penalty_kinds or grade == G.MITIGATED:
        return []
    return [k for k in kinds if k not in benchmark.penalty_kinds]


def decision_gate(case: Case, decision: PendingDecision, on: date) -> None:
    """Registered with ``cases.services``: refuses a decision off the applied 基准 without an
    approved deviation (国办发〔2022〕27号（十二）; 国市监法规〔2022〕2号第八条)."""
    del on
    refusal = decision_refusal(case, decision)
    if refusal is not None:
        raise refusal
