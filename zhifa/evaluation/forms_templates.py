"""The template editor's forms: the header fields (a Django form) and the content as four
tables of rows (sections, items, vetoes, bands) posted as ``<table>-<n>-<column>`` fields, with
"add a row" buttons; the rows go through ``template_transfer.content_from_rows`` (the same
reading as the ``.xlsx`` import), so an error names the row and nothing typed is lost."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms

from zhifa.cases.models import Case

from . import scoring, template_transfer
from .models import Template
from .record_checks import CHECKS
from .template_transfer import Row, RowError, TransferError


class HeaderForm(forms.Form):
    key = forms.CharField(label="标准代码", max_length=64)
    name = forms.CharField(label="名称", max_length=200)
    issuer = forms.CharField(label="制定机关", max_length=200)
    source = forms.CharField(label="依据", max_length=300, required=False)
    applies_to = forms.ChoiceField(label="适用案卷", choices=Case.Kind.choices)
    valid_from = forms.DateField(label="施行日期", widget=forms.DateInput(attrs={"type": "date"}))
    valid_until = forms.DateField(
        label="废止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    veto_effect = forms.ChoiceField(label="否决项效果", choices=Template.VetoEffect.choices)

    def __init__(self, *args: Any, with_key: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_key:
            del self.fields["key"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str = "text"  # text | number | kind (rule kind) | check
    wide: bool = False


TABLES: dict[str, tuple[str, tuple[Column, ...]]] = {
    "s": (
        "评查项目（部分）",
        (
            Column("section_code", "部分编号"),
            Column("section_name", "部分名称", wide=True),
            Column("section_max", "分值", "number"),
        ),
    ),
    "i": (
        "评查标准（逐项）",
        (
            Column("section_code", "所属部分编号"),
            Column("code", "项目编号"),
            Column("text", "评查内容", wide=True),
            Column("max_points", "分值", "number"),
            Column("kind", "扣分方式", "kind"),
            Column("points", "扣分/每处扣分", "number"),
            Column("cap", "扣分上限", "number"),
            Column("min", "最低扣分", "number"),
            Column("max", "最高扣分", "number"),
            Column("check", "系统核查", "check"),
            Column("source", "来源", wide=True),
        ),
    ),
    "v": (
        "否决项",
        (
            Column("code", "编号"),
            Column("text", "内容", wide=True),
            Column("check", "系统核查", "check"),
            Column("source", "来源", wide=True),
        ),
    ),
    "b": (
        "等次",
        (Column("from", "起点分（含）", "number"), Column("grade", "等次名称")),
    ),
}
ROWS_KEY = {"s": "sections", "i": "items", "v": "vetoes", "b": "bands"}


def check_choices(current: str = "") -> list[tuple[str, str]]:
    """The registered record checks, plus a code typed or imported that is not (yet)
    registered, shown as its code."""
    out = [("", "（由评查人员评分）")]
    out += [(code, c.label) for code, c in sorted(CHECKS.items())]
    if current and current not in CHECKS:
        out.append((current, current))
    return out


def check_label(code: str) -> str:
    """The check's Chinese label if registered, else its code."""
    check = CHECKS.get(code)
    return check.label if check is not None else code


@dataclass
class Cell:
    name: str
    value: str
    column: Column
    choices: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class EditorRow:
    number: int
    cells: list[Cell]
    errors: list[str] = field(default_factory=list)


@dataclass
class EditorTable:
    prefix: str
    title: str
    columns: tuple[Column, ...]
    rows: list[EditorRow]


def _cells(prefix: str, n: int, values: Mapping[str, str]) -> list[Cell]:
    out = []
    for column in TABLES[prefix][1]:
        value = str(values.get(column.key) or "")
        choices: list[tuple[str, str]] = []
        if column.kind == "kind":
            choices = [("", "请选择"), *scoring.RULE_KINDS.items()]
        elif column.kind == "check":
            choices = check_choices(value)
        out.append(Cell(f"{prefix}-{n}-{column.key}", value, column, choices))
    return out


def tables_from_rows(
    rows: Mapping[str, list[dict[str, str]]], errors: Mapping[str, list[str]] | None = None
) -> list[EditorTable]:
    errors = errors or {}
    out = []
    for prefix, (title, columns) in TABLES.items():
        table_rows = [
            EditorRow(n + 1, _cells(prefix, n, values), list(errors.get(f"{prefix}-{n}", [])))
            for n, values in enumerate(rows[ROWS_KEY[prefix]])
        ]
        out.append(EditorTable(prefix, title, columns, table_rows))
    return out


def rows_from_post(data: Mapping[str, Any], add: str = "") -> dict[str, list[dict[str, str]]]:
    """The four tables as posted (``<p>-count`` rows each), plus one blank row in table ``add``."""
    out: dict[str, list[dict[str, str]]] = {}
    for prefix, (_title, columns) in TABLES.items():
        try:
            count = min(int(data.get(f"{prefix}-count") or 0), 500)
        except ValueError:
            count = 0
        rows = [
            {c.key: str(data.get(f"{prefix}-{n}-{c.key}") or "").strip() for c in columns}
            for n in range(count)
        ]
        if add == prefix:
            rows.append({c.key: "" for c in columns})
        out[ROWS_KEY[prefix]] = rows
    return out


def blank_rows() -> dict[str, list[dict[str, str]]]:
    rows = template_transfer.rows_from_content(
        {"grade_bands": [{"from": str(b[0]), "grade": b[1]} for b in scoring.GUANGDONG_BANDS]}
    )
    rows["sections"] = [{}]
    rows["items"] = [{}]
    return rows


def content_from_post_rows(
    rows: Mapping[str, list[dict[str, str]]], veto_effect: str
) -> tuple[dict[str, Any] | None, dict[str, list[str]], str]:
    """(content, errors by row key, error about the whole content). Content None on error."""

    def wrap(prefix: str) -> list[Row]:
        return [
            Row(
                values=dict(v),
                sheet=TABLES[prefix][0],
                number=n + 1,
                columns={c.key: c.label for c in TABLES[prefix][1]},
                ref=f"{prefix}-{n}",
            )
            for n, v in enumerate(rows[ROWS_KEY[prefix]])
        ]

    by_row: dict[str, list[str]] = {}
    try:
        content, where = template_transfer.content_from_rows(
            wrap("s"), wrap("i"), wrap("v"), wrap("b")
        )
        template_transfer.check_content(content, veto_effect, where, sheet="")
    except TransferError as exc:
        general = []
        for error in exc.errors:
            if error.ref:
                by_row.setdefault(error.ref, []).append(_message(error))
            else:
                general.append(error.message)
        return None, by_row, "；".join(general)
    return content, by_row, ""


def _message(error: RowError) -> str:
    if error.column:  # the editor's rows name their column by its title, not a letter
        return f"{error.column}：{error.message}"
    return error.message
