"""Which penalty decisions are "major" and must be filed with the supervisor (重大行政处罚决定备案).

Neither 《行政处罚法》 nor 《行政执法监督条例》 (国务院令第825号) requires the filing: it is a
provincial institution, and each province draws the line itself. So the test is data — a table
of rows, each with the rule it comes from — shipped with defaults and replaced wholly by a
deployment (``settings.ZHIFA_MAJOR_PENALTY_TEST``, read by ``selectors.major_penalty_rows``).
This module is the rule: pure, no Django, no clock.

Defaults (supervision.md §6):
- a fine of at least 10,000 元 on a natural person, 100,000 元 on an organisation, and a
  confiscation (没收违法所得 plus the estimated value of 没收非法财物) of the same amounts —
  《辽宁省行政执法监督规定》第十六条 ("罚款或者没收财产"), the same in 江西;
- 责令停产停业, 吊销许可证件 (辽宁 16), and 责令关闭, 降低资质等级, 限制开展生产经营活动,
  限制从业 (江西 14).

Amounts are "at or above" (达到…以上): a fine equal to the threshold is major. A fine and a
confiscation are compared each with its own threshold, never added together (the rules name
them as alternatives, "罚款或者没收").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from zhifa.law import penalty

LIAONING_16 = "《辽宁省行政执法监督规定》第十六条"
JIANGXI_14 = "《江西省行政执法监督条例实施办法》第十四条"


class Criterion(StrEnum):
    """What a row of the table tests."""

    FINE_PERSON = "fine_person"  # a fine on a natural person at or above ``amount``
    FINE_ORGANISATION = "fine_organisation"  # a fine on an organisation at or above ``amount``
    CONFISCATION_PERSON = "confiscation_person"  # confiscated from a person, valued ≥ ``amount``
    CONFISCATION_ORGANISATION = "confiscation_organisation"  # … from an organisation
    PENALTY_KIND = "penalty_kind"  # the decision includes ``penalty_kind``

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Criterion.FINE_PERSON: "对自然人罚款数额达到标准",
    Criterion.FINE_ORGANISATION: "对法人或其他组织罚款数额达到标准",
    Criterion.CONFISCATION_PERSON: "对自然人没收违法所得、非法财物价值达到标准",
    Criterion.CONFISCATION_ORGANISATION: "对法人或其他组织没收违法所得、非法财物价值达到标准",
    Criterion.PENALTY_KIND: "作出特定种类的行政处罚",
}

AMOUNT_CRITERIA = {
    Criterion.FINE_PERSON: (penalty.PartyKind.NATURAL_PERSON, "fine"),
    Criterion.FINE_ORGANISATION: (penalty.PartyKind.ORGANISATION, "fine"),
    Criterion.CONFISCATION_PERSON: (penalty.PartyKind.NATURAL_PERSON, "confiscation"),
    Criterion.CONFISCATION_ORGANISATION: (penalty.PartyKind.ORGANISATION, "confiscation"),
}


@dataclass(frozen=True)
class Row:
    """One line of the test: what it tests, the threshold or penalty kind, and its source."""

    criterion: Criterion
    source: str
    amount: Decimal | None = None
    penalty_kind: str = ""

    @property
    def text(self) -> str:
        """How the page lists the row: "对自然人罚款数额达到标准：10,000.00元以上（依据：…）"."""
        if self.criterion is Criterion.PENALTY_KIND:
            what = penalty.PenaltyKind(self.penalty_kind).label
        else:
            assert self.amount is not None
            what = f"{_yuan(self.amount)}以上"
        return f"{self.criterion.label}：{what}（依据：{self.source}）"


P = penalty.PenaltyKind
DEFAULT_ROWS: tuple[Row, ...] = (
    Row(Criterion.FINE_PERSON, LIAONING_16, amount=Decimal(10_000)),
    Row(Criterion.FINE_ORGANISATION, LIAONING_16, amount=Decimal(100_000)),
    Row(Criterion.CONFISCATION_PERSON, LIAONING_16, amount=Decimal(10_000)),
    Row(Criterion.CONFISCATION_ORGANISATION, LIAONING_16, amount=Decimal(100_000)),
    Row(Criterion.PENALTY_KIND, LIAONING_16, penalty_kind=P.ORDER_TO_SUSPEND.value),
    Row(Criterion.PENALTY_KIND, LIAONING_16, penalty_kind=P.LICENCE_REVOCATION.value),
    Row(Criterion.PENALTY_KIND, JIANGXI_14, penalty_kind=P.ORDER_TO_CLOSE.value),
    Row(Criterion.PENALTY_KIND, JIANGXI_14, penalty_kind=P.QUALIFICATION_DOWNGRADE.value),
    Row(Criterion.PENALTY_KIND, JIANGXI_14, penalty_kind=P.BUSINESS_RESTRICTION.value),
    Row(Criterion.PENALTY_KIND, JIANGXI_14, penalty_kind=P.OCCUPATIONAL_BAN.value),
)


class TableError(ValueError):
    """A row of ``ZHIFA_MAJOR_PENALTY_TEST`` that cannot be used (named in the message)."""


def rows_from_setting(setting: Sequence[Mapping[str, Any]]) -> tuple[Row, ...]:
    """A deployment's table: each row ``{"test", "source", "amount" | "penalty_kind"}``.
    Every row must name its source; amounts are positive 元; penalty kinds are 第九条's."""
    out = []
    for n, raw in enumerate(setting, start=1):
        where = f"ZHIFA_MAJOR_PENALTY_TEST第{n}行"
        unknown = set(raw) - {"test", "source", "amount", "penalty_kind"}
        if unknown:
            raise TableError(f"{where}：未知字段{sorted(unknown)}")
        try:
            criterion = Criterion(raw.get("test", ""))
        except ValueError:
            raise TableError(f"{where}：test须为{[t.value for t in Criterion]}之一") from None
        source = str(raw.get("source", "")).strip()
        if not source:
            raise TableError(f"{where}：须写明依据（source）")
        if criterion is Criterion.PENALTY_KIND:
            kind = str(raw.get("penalty_kind", ""))
            if kind not in {k.value for k in P}:
                raise TableError(f"{where}：penalty_kind须为《行政处罚法》第九条的处罚种类")
            out.append(Row(criterion, source, penalty_kind=kind))
            continue
        try:
            amount = Decimal(str(raw.get("amount", "")))
        except InvalidOperation:
            raise TableError(f"{where}：amount须为金额（元）") from None
        if not amount.is_finite() or amount <= 0:
            raise TableError(f"{where}：amount须大于零")
        out.append(Row(criterion, source, amount=amount))
    return tuple(out)


@dataclass(frozen=True)
class Decision:
    """What a penalty decision says: the parties' kinds (``penalty.PartyKind`` values), the
    penalty kinds, the fine, and the confiscation (gains plus the estimated value of the
    property, in 元; None when nothing was confiscated or its value is unknown)."""

    party_kinds: frozenset[str]
    penalty_kinds: frozenset[str]
    fine: Decimal | None = None
    confiscation: Decimal | None = None


@dataclass(frozen=True)
class Reason:
    """Why a decision is major: one matched row, in Chinese, with the row's source."""

    text: str
    source: str

    def as_dict(self) -> dict[str, str]:
        return {"text": self.text, "source": self.source}


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}元"


def _reason(row: Row, decision: Decision) -> str | None:
    if row.criterion is Criterion.PENALTY_KIND:
        if row.penalty_kind in decision.penalty_kinds:
            return f"作出“{P(row.penalty_kind).label}”的行政处罚"
        return None
    party, what = AMOUNT_CRITERIA[row.criterion]
    if party.value not in decision.party_kinds or row.amount is None:
        return None
    if what == "fine":
        value = decision.fine if P.FINE.value in decision.penalty_kinds else None
        name = "罚款"
    else:
        value = decision.confiscation
        name = "没收违法所得、非法财物"
    if value is None or value < row.amount:
        return None
    return f"对{party.label}{name}{_yuan(value)}，达到{_yuan(row.amount)}的备案标准"


def major_reasons(decision: Decision, rows: Iterable[Row]) -> tuple[Reason, ...]:
    """Every row of ``rows`` the decision meets; the decision is major when there is one."""
    out = []
    for row in rows:
        text = _reason(row, decision)
        if text is not None:
            out.append(Reason(text, row.source))
    return tuple(out)


def is_major(decision: Decision, rows: Iterable[Row]) -> bool:
    return bool(major_reasons(decision, rows))


def lowest_amounts(rows: Iterable[Row]) -> tuple[Decimal | None, Decimal | None]:
    """The lowest fine and the lowest confiscation threshold of any party kind (None: no such
    row) — what a query may narrow the candidates by before the exact test."""
    fines = [
        r.amount for r in rows if r.amount is not None and AMOUNT_CRITERIA[r.criterion][1] == "fine"
    ]
    taken = [
        r.amount
        for r in rows
        if r.amount is not None and AMOUNT_CRITERIA[r.criterion][1] == "confiscation"
    ]
    return (min(fines) if fines else None, min(taken) if taken else None)


def listed_kinds(rows: Iterable[Row]) -> frozenset[str]:
    """The penalty kinds that make a decision major by themselves."""
    return frozenset(r.penalty_kind for r in rows if r.criterion is Criterion.PENALTY_KIND)
