"""Which tables of a filing need a 专项说明 (a special note); pure.

《天津市行政执法监督规定》第十七条: an agency that made no 行政处罚 or 行政许可 in a
year explains why in a 专项说明. 《行政执法年度数据公开样式》（广东, 2018) point 二:
where the agency holds the power but did nothing, the table shows "0" (it is not
omitted). zhifa prompts the note for every standard table whose kind of power (registry
``PowerItem.category``) the agency holds — a published power item of that category —
while the table counts nothing in the period. The note is required before the annual
report (年报) is submitted; in a quarterly filing it is prompted only (天津 art 17
speaks of the year).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from zhifa.core.exceptions import RuleViolation

from .catalogue import Table

RULE = "《天津市行政执法监督规定》第十七条；《行政执法年度数据公开样式》（广东）二"

KIND_NAMES = {
    "penalty": "行政处罚",
    "coercion": "行政强制",
    "inspection": "行政检查",
    "licensing": "行政许可",
    "levy": "行政征收",
    "confirmation": "行政确认",
    "benefit": "行政给付",
    "reward": "行政奖励",
    "adjudication": "行政裁决",
    "other": "其他行政权力",
}


@dataclass(frozen=True)
class Prompt:
    table: str  # the table code
    table_name: str
    kind: str  # the power category
    kind_name: str
    required: bool

    @property
    def question(self) -> str:
        return f"本机关具有{self.kind_name}职权，但本统计期内{self.table_name}无数据，请作专项说明"


def _empty(table: Table, figures: Mapping[str, Any]) -> bool:
    for code in table.columns:
        fig = figures.get(code) or {}
        if int(fig.get("count") or 0) or (fig.get("amount") not in (None, "", "0", "0.00")):
            return False
    return True


def prompts(
    *,
    tables: Iterable[Table],
    held_kinds: Collection[str],
    figures: Mapping[str, Any],
    annual: bool,
) -> list[Prompt]:
    """One prompt per kind of power the agency holds whose (first) table counts nothing; the
    note is required in the annual report."""
    out: list[Prompt] = []
    seen: set[str] = set()
    for table in tables:
        if not table.kind or table.kind not in held_kinds or table.kind in seen:
            continue
        seen.add(table.kind)
        if _empty(table, figures):
            name = KIND_NAMES.get(table.kind, table.kind)
            out.append(Prompt(table.code, table.name, table.kind, name, annual))
    return out


def notes_complete(*, prompts: Iterable[Prompt], notes: Mapping[str, str]) -> None:
    """Refuse the submission while a required note is missing."""
    missing = [p for p in prompts if p.required and not (notes.get(p.table) or "").strip()]
    if missing:
        names = "、".join(p.table_name for p in missing)
        raise RuleViolation(
            f"本机关具有相应职权但全年无数据，须先填写专项说明：{names}",
            article=RULE,
            field="special_notes",
        )
