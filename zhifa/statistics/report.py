"""The annual report as tables: figures of one or more agencies laid out in the standard (or a
deployment's own) tables; pure.

``report_tables`` turns ``{indicator: {"count": n, "amount": "…"|None}}`` per agency — a
filing's frozen ``figures`` or the live ones (``figures_json``) — into::

    {"tables": [{"code", "name", "source", "columns": [{"code", "name", "unit"}],
                 "rows": [{"agency", "agency_id", "values": {column: number}}],
                 "total": {column: number}}],
     "omitted": [{"code", "name", "note"}]}

Rules (广东省依法行政工作领导小组办公室《行政执法年度数据公开样式》2018, point 二; supervision.md
§3.1): an agency that holds powers of a table's kind and recorded nothing shows **0**; a table
of a kind the agency holds no power of is not shown for it, and when no agency of the report
holds such a power the table is left out with a note saying so. Which kinds an agency holds
comes from its published power list (``registry.PowerItem`` by category), passed in. A table
without a kind (其他行政执法行为, 执法人员) is always shown.

A column's number is the indicator's count, or its amount for an amount indicator (unit 元);
an indicator that carries an amount beside its count (不予处罚 → 不罚金额, 减轻处罚 → 轻罚金额,
曲阜 2021) gets a second column ``<code>:amount``. A rate (``DERIVED``) is computed from its
parts, as a percentage with one decimal.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .catalogue import DERIVED, INDICATORS, MONEY, Table

AMOUNT_SUFFIX = ":amount"
OMISSION_SOURCE = "广东省《行政执法年度数据公开样式》（2018）第二点"
OMISSION_NOTE = "无{kind}职权，不公开本表（{source}）"
KIND_NAMES = {
    "penalty": "行政处罚",
    "coercion": "行政强制",
    "inspection": "行政检查",
    "licensing": "行政许可",
}
# Headings over groups of columns, as the paper tables print them (the first row of a
# two-row header); columns outside a group span both rows.
GROUPS: tuple[tuple[str, str], ...] = (
    ("penalty.kind.", "处罚种类"),
    ("coercion.measure.", "行政强制措施"),
    ("coercion.execution.", "行政强制执行"),
)
# Rates: the indicator -> (numerator, denominator).
RATES: dict[str, tuple[str, str]] = {
    "officers.certified_rate": ("officers.certified", "officers.posts"),
}

Figures = Mapping[str, Mapping[str, Any]]  # indicator -> {"count": n, "amount": "…"|None}
Number = int | Decimal


@dataclass(frozen=True)
class AgencyFigures:
    agency_id: int
    name: str
    figures: Figures
    kinds: frozenset[str]  # the power categories the agency holds (published power items)
    cases: Mapping[str, Sequence[int]] = field(default_factory=dict)  # indicator -> case ids


@dataclass(frozen=True)
class Column:
    code: str
    name: str
    unit: str
    indicator: str
    amount: bool = False  # the indicator's amount rather than its count


def group_of(code: str) -> str:
    for prefix, heading in GROUPS:
        if code.startswith(prefix):
            return heading
    return ""


def columns_of(table: Table) -> list[Column]:
    out: list[Column] = []
    for code in table.columns:
        ind = INDICATORS[code]
        out.append(Column(code, ind.name, ind.unit, code, amount=ind.unit == "元"))
        if code in MONEY and ind.unit != "元":
            name = {"penalty.not_penalised": "不罚金额", "penalty.mitigated": "轻罚金额"}.get(
                code, f"{ind.name}金额"
            )
            out.append(Column(code + AMOUNT_SUFFIX, name, "元", code, amount=True))
    return out


def _amount(value: Any) -> Decimal:
    return Decimal(str(value)) if value not in (None, "") else Decimal(0)


def _count(figures: Figures, code: str) -> int:
    return int((figures.get(code) or {}).get("count") or 0)


def value_of(column: Column, figures: Figures) -> Number:
    """The number of one cell: 0 when nothing was recorded."""
    ind = INDICATORS[column.indicator]
    if ind.origin == DERIVED and column.indicator in RATES:
        part, whole = RATES[column.indicator]
        denominator = _count(figures, whole)
        if not denominator:
            return Decimal(0)
        rate = Decimal(_count(figures, part)) * 100 / denominator
        return rate.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if column.amount:
        return _amount((figures.get(column.indicator) or {}).get("amount")).quantize(
            Decimal("0.01")
        )
    return _count(figures, column.indicator)


def _add(figures: Iterable[Figures]) -> dict[str, dict[str, Any]]:
    """The sum of several agencies' figures (a region's total)."""
    out: dict[str, dict[str, Any]] = {}
    for f in figures:
        for code, fig in f.items():
            got = out.setdefault(code, {"count": 0, "amount": None})
            got["count"] += int(fig.get("count") or 0)
            if fig.get("amount") not in (None, ""):
                got["amount"] = str(_amount(got["amount"]) + _amount(fig["amount"]))
    return out


def omission_note(table: Table) -> str:
    return OMISSION_NOTE.format(kind=KIND_NAMES.get(table.kind, table.kind), source=OMISSION_SOURCE)


def report_tables(
    tables: Sequence[Table], agencies: Sequence[AgencyFigures], *, with_cases: bool = False
) -> dict[str, Any]:
    """The report of ``agencies`` in ``tables`` (see the module docstring). With
    ``with_cases`` each row carries ``cases``: column -> the ids of the cases counted."""
    out_tables: list[dict[str, Any]] = []
    omitted: list[dict[str, str]] = []
    for table in tables:
        holders = [a for a in agencies if not table.kind or table.kind in a.kinds]
        if not holders:
            omitted.append({"code": table.code, "name": table.name, "note": omission_note(table)})
            continue
        columns = columns_of(table)
        rows = []
        for a in holders:
            row: dict[str, Any] = {
                "agency": a.name,
                "agency_id": a.agency_id,
                "values": {c.code: value_of(c, a.figures) for c in columns},
            }
            if with_cases:
                row["cases"] = {
                    c.code: list(a.cases.get(c.indicator, ()))
                    for c in columns
                    if INDICATORS[c.indicator].origin != DERIVED
                }
            rows.append(row)
        total = _add(a.figures for a in holders)
        out_tables.append(
            {
                "code": table.code,
                "name": table.name,
                "source": table.source,
                "columns": [
                    {"code": c.code, "name": c.name, "unit": c.unit, "group": group_of(c.code)}
                    for c in columns
                ],
                "rows": rows,
                "total": {c.code: value_of(c, total) for c in columns},
            }
        )
    return {"tables": out_tables, "omitted": omitted}


def jsonable(value: Any) -> Any:
    """The report with its numbers as JSON numbers (amounts keep their two decimals exactly:
    a float's shortest repr of a two-decimal amount below 10^13 is that amount)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value
