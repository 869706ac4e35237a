"""The counting rules of the enforcement statistics, pure: what one case contributes to which
indicator, on which day, with which amount. No Django, no clock.

A case becomes a list of :class:`Fact` (indicator code, the day it counts on, an amount where the
indicator sums money). A report for a period counts the facts whose day lies in it, so "a
decision on 31 December counts in that year, one on 1 January in the next" holds by
construction. Each rule below names its source (supervision.md §3.2):

- 行政处罚 counts by the **decision day**; one decision counts once, under its heaviest type
  (``penalty_order``); 罚没金额 is the decision's fine plus confiscated gains, and confiscated
  property only when its value is known (广州 2019: "没收…能确定金额的计入"); a decision later
  revoked in 复议/诉讼 still counts in its year unless the deployment says otherwise (广州 2019,
  开平 2019 count them; ``Rules.count_revoked``);
- 立案 by the registration day; 结案 by the closing day (including decisions revoked later,
  曲阜 2021); 简易/普通程序, 法制审核, 听证 by the decision day; 不予处罚 by its decision day with
  the amount notified before (不罚金额); 减轻处罚 (the discretion applied at the decision was
  减轻) with the fine imposed (轻罚金额); 移送司法机关 by the transfer day;
- 被复议/被诉 by the day the challenge was filed; 复议纠错 (撤销、变更、确认违法、责令履行) and
  败诉 by the day it was concluded;
- 行政强制措施 (《行政强制法》第九条) by the day the measure was carried out; 行政强制执行
  (第十二条) when completed or terminated; 申请法院强制执行 by the application day;
- 行政检查: "检查1个检查对象，有完整、详细的检查记录，计为检查1次" (大同文物局 2024) — an
  inspection case with its on-site check and findings recorded counts once on the check day; an
  inspection that led to a penalty counts or not by ``Rules.inspection_leading_to_penalty``;
- 行政许可: 申请 by the day received; 受理 by acceptance; 许可/不予许可 by the decision day;
  撤销 by the day a licence was revoked (广州 2019).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .penalty_order import ORDER_2021, Order, heaviest

# Challenge outcomes that correct the decision (复议纠错 / 败诉): the decision did not stand.
CORRECTING = frozenset({"revoked", "varied", "confirmed_illegal", "ordered_to_act"})


@dataclass(frozen=True)
class ChallengeRow:
    kind: str  # "reconsideration" (行政复议) or "litigation" (行政诉讼)
    filed_on: date
    concluded_on: date | None = None
    outcome: str = (
        ""  # upheld, revoked, varied, confirmed_illegal, ordered_to_act, dismissed, withdrawn…
    )


@dataclass(frozen=True)
class CaseRow:
    """What the rules read of one case (a narrow projection, read in bulk)."""

    case_id: int
    kind: str  # Case.Kind value
    state: str
    registered_on: date | None = None
    decided_on: date | None = None
    closed_on: date | None = None
    penalty_kinds: tuple[str, ...] = ()
    fine: Decimal = Decimal(0)
    confiscation: Decimal = Decimal(0)  # 没收违法所得
    property_value: Decimal | None = None  # 没收非法财物, when its value is known
    notified_fine: Decimal | None = None
    not_penalised_on: date | None = None  # the 不予处罚 decision day
    transferred_on: date | None = None  # 移送司法机关
    reviewed: bool = False  # a 法制审核 before the decision
    hearing_held: bool = False
    mitigated: bool = False  # the discretion applied at the decision was 减轻处罚
    # 行政强制
    seizure_measure: str = ""  # "seal" 查封 / "seize" 扣押
    seized_on: date | None = None
    handled_on: date | None = None  # 依法处理 of seized things (拍卖或依法处理, 第十二条第三项)
    late_fee_on: date | None = None  # 加处罚款 completed (paid) on
    court_applied_on: date | None = None
    # 行政检查
    inspected_on: date | None = None
    inspection_recorded: bool = False  # the on-site check and its findings are recorded
    inspection_led_to_penalty: bool = False
    # 行政许可
    received_on: date | None = None
    accepted_on: date | None = None
    licence_outcome: str = ""  # "granted" / "refused"
    licence_revoked_on: date | None = None
    challenges: tuple[ChallengeRow, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Fact:
    indicator: str
    day: date
    amount: Decimal | None = None


@dataclass(frozen=True)
class Rules:
    """The deployment's choices (settings ``ZHIFA_STATISTICS_*``), each with its source."""

    order: Order = ORDER_2021
    count_revoked: bool = True  # 广州 2019 / 开平 2019: revoked decisions count in their year
    inspection_leading_to_penalty: bool = True  # count an inspection that led to a penalty


def _revoked(row: CaseRow) -> bool:
    return any(c.outcome in ("revoked",) and c.concluded_on for c in row.challenges)


def penalty_amount(row: CaseRow) -> Decimal:
    """罚没金额: the fine and the confiscated gains of the decision, and confiscated property
    only when its value is known."""
    return row.fine + row.confiscation + (row.property_value or Decimal(0))


def _penalty(row: CaseRow, rules: Rules) -> list[Fact]:
    out: list[Fact] = []
    if row.registered_on and row.kind == "penalty_general":
        out.append(Fact("penalty.registered", row.registered_on))
    if row.closed_on and row.kind in ("penalty_general", "penalty_simple"):
        out.append(Fact("penalty.closed", row.closed_on))
    if row.transferred_on:
        out.append(Fact("penalty.transferred", row.transferred_on))
    if row.not_penalised_on:
        out.append(Fact("penalty.not_penalised", row.not_penalised_on, row.notified_fine))
    day = row.decided_on
    column = heaviest(row.penalty_kinds, rules.order) if day else None
    if day and column and (rules.count_revoked or not _revoked(row)):
        amount = penalty_amount(row)
        out.append(Fact(f"penalty.kind.{column}", day))
        out.append(Fact("penalty.total", day))
        out.append(Fact("penalty.amount", day, amount))
        out.append(
            Fact("penalty.simple" if row.kind == "penalty_simple" else "penalty.general", day)
        )
        if row.reviewed:
            out.append(Fact("penalty.legal_review", day))
        if row.hearing_held:
            out.append(Fact("penalty.hearing", day))
        if row.mitigated:
            out.append(Fact("penalty.mitigated", day, row.fine))
    for c in row.challenges:
        prefix = "penalty.reconsidered" if c.kind == "reconsideration" else "penalty.litigated"
        out.append(Fact(prefix, c.filed_on))
        if c.concluded_on and c.outcome in CORRECTING:
            lost = (
                "penalty.reconsideration_corrected"
                if c.kind == "reconsideration"
                else "penalty.litigation_lost"
            )
            out.append(Fact(lost, c.concluded_on))
    return out


def _coercion(row: CaseRow) -> list[Fact]:
    out: list[Fact] = []
    if row.seized_on and row.seizure_measure in ("seal", "seize"):
        out.append(Fact(f"coercion.measure.{row.seizure_measure}", row.seized_on))
    if row.handled_on:
        out.append(Fact("coercion.execution.disposal", row.handled_on))
    if row.late_fee_on:
        out.append(Fact("coercion.execution.late_fee", row.late_fee_on))
    if row.court_applied_on:
        out.append(Fact("coercion.court", row.court_applied_on))
    return out


def _inspection(row: CaseRow, rules: Rules) -> list[Fact]:
    if row.kind != "inspection" or not row.inspected_on or not row.inspection_recorded:
        return []  # a patrol without a specific object or complete record does not count
    if row.inspection_led_to_penalty and not rules.inspection_leading_to_penalty:
        return []
    return [Fact("inspection.count", row.inspected_on)]


def _licensing(row: CaseRow) -> list[Fact]:
    if row.kind != "licensing":
        return []
    out: list[Fact] = []
    if row.received_on:
        out.append(Fact("licensing.applied", row.received_on))
    if row.accepted_on:
        out.append(Fact("licensing.accepted", row.accepted_on))
    if row.decided_on and row.licence_outcome == "granted":
        out.append(Fact("licensing.granted", row.decided_on))
    if row.decided_on and row.licence_outcome == "refused":
        out.append(Fact("licensing.refused", row.decided_on))
    if row.licence_revoked_on:
        out.append(Fact("licensing.revoked", row.licence_revoked_on))
    return out


def facts_of(row: CaseRow, rules: Rules = Rules()) -> list[Fact]:
    """Every fact ``row`` contributes, in a stable order."""
    if row.kind in ("penalty_general", "penalty_simple"):
        out = _penalty(row, rules) + _coercion(row)
    elif row.kind == "seizure":
        out = _coercion(row)
    elif row.kind == "inspection":
        out = _inspection(row, rules)
    else:
        out = _licensing(row)
    return out


def facts_of_many(rows: Iterable[CaseRow], rules: Rules = Rules()) -> list[tuple[int, Fact]]:
    return [(row.case_id, f) for row in rows for f in facts_of(row, rules)]
