"""Import and export of a scoring template (评查标准) as JSON and as ``.xlsx``, and the rows the
editor page shows — one shape for all three.

JSON: the header fields and the content (``scoring.py`` describes it)::

    {"key", "name", "issuer", "source", "applies_to", "valid_from", "valid_until",
     "veto_effect", "version", "content": {...}}

xlsx: four sheets — 基本信息 (one field a row: 名称 | 值), 评查项目 (one row per item, with its
section's code, name and points on each row), 否决项, 等次. The editor page edits the same rows
(sections on their own rows there).

Import is all-or-nothing: every faulty cell is reported as “工作表“评查项目”第N行第X列：…” and
nothing is written; the content is then checked as a whole by ``scoring.parse_template``, whose
error is reported at the row of the item or section it names. Numbers are written as decimal
strings without trailing zeros, so export followed by import gives an equal content.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from zhifa.cases.models import Case

from . import scoring
from .models import Template

SHEET_HEADER = "基本信息"
SHEET_ITEMS = "评查项目"
SHEET_VETOES = "否决项"
SHEET_BANDS = "等次"

# (key, column title) of each sheet, in column order.
HEADER_ROWS: tuple[tuple[str, str], ...] = (
    ("key", "标准代码"),
    ("name", "名称"),
    ("issuer", "制定机关"),
    ("source", "依据"),
    ("applies_to", "适用案卷"),
    ("valid_from", "施行日期"),
    ("valid_until", "废止日期"),
    ("veto_effect", "否决项效果"),
    ("version", "版本"),
)
SECTION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("section_code", "部分编号"),
    ("section_name", "部分名称"),
    ("section_max", "部分分值"),
)
ITEM_COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "项目编号"),
    ("text", "评查内容"),
    ("max_points", "分值"),
    ("kind", "扣分方式"),
    ("points", "扣分"),
    ("cap", "扣分上限"),
    ("min", "最低扣分"),
    ("max", "最高扣分"),
    ("check", "系统核查"),
    ("source", "来源"),
)
VETO_COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", "编号"),
    ("text", "内容"),
    ("check", "系统核查"),
    ("source", "来源"),
)
BAND_COLUMNS: tuple[tuple[str, str], ...] = (("from", "起点分"), ("grade", "等次"))

NUMERIC = {"section_max", "max_points", "points", "cap", "min", "max", "from"}


@dataclass(frozen=True)
class RowError:
    sheet: str  # a sheet's name, or the editor's part ("评查项目")
    row: int  # 1-based as the sheet shows it (the editor: the row's number in its table)
    column: str = ""  # a letter ("F"), empty when the error is about the whole row
    message: str = ""
    ref: str = ""  # the editor's row key ("item-3")

    def __str__(self) -> str:
        at = (f"第{self.row}行" if self.row else "") + (f"第{self.column}列" if self.column else "")
        sheet = f"工作表“{self.sheet}”" if self.sheet else ""
        return f"{sheet}{at}：{self.message}" if sheet or at else self.message


@dataclass
class TransferError(Exception):
    """The file cannot be imported; ``errors`` lists every fault found, in order."""

    errors: list[RowError] = field(default_factory=list)

    def __str__(self) -> str:
        return "；".join(str(e) for e in self.errors)


# -- numbers and labels -----------------------------------------------------------------------


def fmt(value: Any) -> str:
    """A number as the content keeps it: a decimal string without trailing zeros."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)  # not a number: the import says so at its row
    if not number.is_finite():
        return str(value)
    return format(number.normalize(), "f")


def _number(raw: Any) -> str:
    """``raw`` (a cell or a typed string) as a content number, or ValueError with the reason."""
    if isinstance(raw, bool):
        raise ValueError("应为数字")
    text = str(raw).strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{text}”不是数字") from None
    if not value.is_finite():
        raise ValueError(f"“{text}”不是数字")
    if value < 0:
        raise ValueError("不能为负数")
    if value >= 10000:  # a template is scored on 百分制; this also keeps the number exact
        raise ValueError(f"“{text}”过大")
    return fmt(value)


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


KIND_LABELS = dict(scoring.RULE_KINDS)
KIND_BY_LABEL = {label: kind for kind, label in KIND_LABELS.items()}
KIND_SHORT = {"固定扣分": "fixed", "按处扣分": "per_occurrence", "区间扣分": "range"}
APPLIES_BY_LABEL = {label: value for value, label in Case.Kind.choices}
VETO_BY_LABEL = {label: value for value, label in Template.VetoEffect.choices}


def _choice(raw: Any, values: Iterable[str], labels: Mapping[str, str]) -> str:
    text = str(raw or "").strip()
    if text in values:
        return text
    if text in labels:
        return labels[text]
    raise ValueError(f"“{text}”不是可选的值（可选：{'、'.join(labels)}）")


def _rule_kind(raw: Any) -> str:
    text = str(raw or "").strip()
    if text in KIND_SHORT:
        return KIND_SHORT[text]
    return _choice(text, KIND_LABELS, KIND_BY_LABEL)


def _date(raw: Any) -> date | None:
    if _blank(raw):
        return None
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError:
        raise ValueError(f"“{raw}”不是日期（写作2026-01-01）") from None


# -- rows -> content --------------------------------------------------------------------------


@dataclass
class Row:
    """One row of a table with where it came from (for the error)."""

    values: dict[str, Any]
    sheet: str
    number: int
    columns: dict[str, str]  # key -> column letter
    ref: str = ""

    def error(self, key: str, message: str) -> RowError:
        return RowError(self.sheet, self.number, self.columns.get(key, ""), message, self.ref)


def content_from_rows(
    sections: list[Row], items: list[Row], vetoes: list[Row], bands: list[Row]
) -> tuple[dict[str, Any], dict[str, Row]]:
    """The content from the four tables' rows (blank rows skipped), and which row each
    ``TemplateError.where`` of ``scoring.parse_template`` points at. Raises
    :class:`TransferError` with every faulty cell. ``sections`` rows carry section_code,
    section_name, section_max; ``items`` rows carry section_code and the item columns."""
    errors: list[RowError] = []
    where_rows: dict[str, Row] = {}

    def num(row: Row, key: str, *, required: bool) -> str:
        raw = row.values.get(key)
        if _blank(raw):
            if required:
                errors.append(row.error(key, "不能为空"))
            return ""
        try:
            return _number(raw)
        except ValueError as exc:
            errors.append(row.error(key, str(exc)))
            return ""

    def text(row: Row, key: str) -> str:
        raw = row.values.get(key)
        return "" if raw is None else str(raw).strip()

    section_list: list[dict[str, Any]] = []
    by_code: dict[str, dict[str, Any]] = {}
    for row in sections:
        if all(_blank(row.values.get(k)) for k, _t in SECTION_COLUMNS):
            continue
        code = text(row, "section_code")
        if not code:
            errors.append(row.error("section_code", "缺少部分编号"))
            continue
        if code in by_code:
            errors.append(row.error("section_code", f"部分编号“{code}”重复"))
            continue
        section: dict[str, Any] = {
            "code": code,
            "name": text(row, "section_name"),
            "max_points": num(row, "section_max", required=True),
            "items": [],
        }
        by_code[code] = section
        section_list.append(section)
        where_rows[f"第{len(section_list)}部分"] = row
    for row in items:
        keys = ["section_code", *(k for k, _t in ITEM_COLUMNS)]
        if all(_blank(row.values.get(k)) for k in keys):
            continue
        code = text(row, "section_code")
        target = by_code.get(code)
        if target is None:
            errors.append(row.error("section_code", f"没有编号为“{code}”的部分"))
            continue
        rule: dict[str, Any] = {}
        try:
            kind = _rule_kind(row.values.get("kind"))
        except ValueError as exc:
            errors.append(row.error("kind", str(exc)))
            kind = ""
        if kind:
            rule["kind"] = kind
        if kind in ("fixed", "per_occurrence"):
            rule["points"] = num(row, "points", required=True)
        if kind == "per_occurrence":
            cap = num(row, "cap", required=False)
            if cap:
                rule["cap"] = cap
        if kind == "range":
            rule["min"] = num(row, "min", required=True)
            rule["max"] = num(row, "max", required=True)
        item: dict[str, Any] = {
            "code": text(row, "code"),
            "text": text(row, "text"),
            "max_points": num(row, "max_points", required=True),
            "rule": rule,
        }
        for key in ("check", "source"):
            if text(row, key):
                item[key] = text(row, key)
        target["items"].append(item)
        where_rows[f"第{section_list.index(target) + 1}部分第{len(target['items'])}项"] = row
    veto_list: list[dict[str, Any]] = []
    for row in vetoes:
        if all(_blank(row.values.get(k)) for k, _t in VETO_COLUMNS):
            continue
        veto = {"code": text(row, "code"), "text": text(row, "text")}
        for key in ("check", "source"):
            if text(row, key):
                veto[key] = text(row, key)
        veto_list.append(veto)
        where_rows[f"第{len(veto_list)}个否决项"] = row
    band_list: list[dict[str, Any]] = []
    for row in bands:
        if all(_blank(row.values.get(k)) for k, _t in BAND_COLUMNS):
            continue
        band_list.append({"from": num(row, "from", required=True), "grade": text(row, "grade")})
        where_rows[f"第{len(band_list)}个等次"] = row
    if errors:
        raise TransferError(errors)
    content: dict[str, Any] = {"sections": section_list, "vetoes": veto_list}
    if band_list:
        content["grade_bands"] = band_list
    return content, where_rows


def check_content(
    content: dict[str, Any], veto_effect: str, where_rows: Mapping[str, Row], *, sheet: str
) -> scoring.Spec:
    """``scoring.parse_template`` with its error placed at the row it names."""
    try:
        return scoring.parse_template(content, veto_effect=veto_effect)
    except scoring.TemplateError as exc:
        row = where_rows.get(exc.where)
        if row is None:  # e.g. "评查项目" (none at all) or "等次" (as a whole)
            raise TransferError([RowError(sheet, 0, "", exc.message)]) from exc
        raise TransferError([RowError(row.sheet, row.number, "", exc.message, row.ref)]) from exc


# -- content -> rows --------------------------------------------------------------------------


def rows_from_content(content: Mapping[str, Any]) -> dict[str, list[dict[str, str]]]:
    """The four tables of ``content`` as rows of strings (the editor's and the export's)."""
    sections: list[dict[str, str]] = []
    items: list[dict[str, str]] = []
    for section in content.get("sections") or []:
        sections.append(
            {
                "section_code": str(section.get("code", "")),
                "section_name": str(section.get("name", "")),
                "section_max": fmt(section.get("max_points")),
            }
        )
        for item in section.get("items") or []:
            rule = item.get("rule") or {}
            items.append(
                {
                    "section_code": str(section.get("code", "")),
                    "code": str(item.get("code", "")),
                    "text": str(item.get("text", "")),
                    "max_points": fmt(item.get("max_points")),
                    "kind": str(rule.get("kind", "")),
                    "points": fmt(rule.get("points")),
                    "cap": fmt(rule.get("cap")),
                    "min": fmt(rule.get("min")),
                    "max": fmt(rule.get("max")),
                    "check": str(item.get("check", "")),
                    "source": str(item.get("source", "")),
                }
            )
    vetoes = [{k: str(v.get(k, "")) for k, _t in VETO_COLUMNS} for v in content.get("vetoes") or []]
    bands = [
        {"from": fmt(b.get("from")), "grade": str(b.get("grade", ""))}
        for b in content.get("grade_bands") or []
    ]
    return {"sections": sections, "items": items, "vetoes": vetoes, "bands": bands}


# -- JSON -------------------------------------------------------------------------------------


def header_of(template: Template) -> dict[str, Any]:
    return {
        "key": template.key,
        "name": template.name,
        "issuer": template.issuer,
        "source": template.source,
        "applies_to": template.applies_to,
        "valid_from": template.valid_from.isoformat(),
        "valid_until": template.valid_until.isoformat() if template.valid_until else None,
        "veto_effect": template.veto_effect,
        "version": template.version,
    }


def export_json(template: Template) -> bytes:
    data = {**header_of(template), "content": template.content}
    return json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")


def _header_checked(raw: Mapping[str, Any], errors: list[RowError], where: Any) -> dict[str, Any]:
    """Header fields as the services take them; ``where(key)`` makes the RowError's place."""
    out: dict[str, Any] = {}
    titles = dict(HEADER_ROWS)
    for key in ("key", "name", "issuer"):
        value = str(raw.get(key) or "").strip()
        if not value:
            errors.append(where(key, f"{titles[key]}不能为空"))
        out[key] = value
    out["source"] = str(raw.get("source") or "").strip()
    try:
        out["applies_to"] = _choice(raw.get("applies_to"), Case.Kind.values, APPLIES_BY_LABEL)
    except ValueError as exc:
        errors.append(where("applies_to", f"适用案卷{exc}"))
    effect = raw.get("veto_effect")
    try:
        out["veto_effect"] = (
            Template.VetoEffect.FAIL
            if _blank(effect)
            else _choice(effect, Template.VetoEffect.values, VETO_BY_LABEL)
        )
    except ValueError as exc:
        errors.append(where("veto_effect", f"否决项效果{exc}"))
    for key in ("valid_from", "valid_until"):
        try:
            out[key] = _date(raw.get(key))
        except ValueError as exc:
            errors.append(where(key, f"{titles[key]}{exc}"))
    if "valid_from" in out and out["valid_from"] is None:
        errors.append(where("valid_from", "施行日期不能为空"))
    return out


def import_json(data: bytes | str) -> dict[str, Any]:
    """The header and content of a JSON export, checked; raises :class:`TransferError`."""
    try:
        raw = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise TransferError([RowError("", 0, "", "文件不是有效的JSON")]) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("content"), dict):
        raise TransferError([RowError("", 0, "", "JSON应包含标准的基本信息和评查内容（content）")])
    errors: list[RowError] = []

    def where(key: str, message: str) -> RowError:
        return RowError("", 0, "", f"字段{key}：{message}")

    header = _header_checked(raw, errors, where)
    if errors:
        raise TransferError(errors)
    # The content is re-built through the rows so that numbers are normalised the same way.
    try:
        rows = rows_from_content(raw["content"])
    except (AttributeError, TypeError):  # a section, item or rule that is not an object
        raise TransferError([RowError("", 0, "", "JSON的评查内容格式不正确")]) from None
    tables = _rows_as_tables(rows, sheet="")
    content, _where = content_from_rows(*tables)
    try:
        scoring.parse_template(content, veto_effect=header["veto_effect"])
    except scoring.TemplateError as exc:
        raise TransferError([RowError("", 0, "", exc.message)]) from exc
    header["content"] = content
    return header


def _rows_as_tables(rows: Mapping[str, list[dict[str, str]]], *, sheet: str) -> list[list[Row]]:
    def wrap(name: str, columns: tuple[tuple[str, str], ...], ref: str) -> list[Row]:
        titles = {key: f"“{title}”" for key, title in columns}  # JSON has no column letters
        return [
            Row(values=r, sheet=sheet, number=n, columns=titles, ref=f"{ref}-{n}")
            for n, r in enumerate(rows[name], 1)
        ]

    return [
        wrap("sections", SECTION_COLUMNS, "section"),
        wrap("items", (("section_code", "部分编号"), *ITEM_COLUMNS), "item"),
        wrap("vetoes", VETO_COLUMNS, "veto"),
        wrap("bands", BAND_COLUMNS, "band"),
    ]


# -- xlsx -------------------------------------------------------------------------------------


def _label(key: str, value: Any) -> Any:
    if key == "applies_to":
        return Case.Kind(value).label if value in Case.Kind.values else value
    if key == "veto_effect":
        return Template.VetoEffect(value).label if value in Template.VetoEffect.values else value
    return value


def _cell(key: str, value: str) -> Any:
    """Numbers as numbers (a reviewer sums them in Excel), the rest as text."""
    if key in NUMERIC and value:
        number = Decimal(value)
        return int(number) if number == number.to_integral_value() else float(number)
    if key == "kind":
        return KIND_LABELS.get(value, value)
    return value


def export_xlsx(template: Template, out: IO[bytes] | Any) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET_HEADER
    ws.append(["项目", "内容"])
    header = header_of(template)
    for key, title in HEADER_ROWS:
        ws.append([title, _label(key, header[key]) if header[key] is not None else ""])
    ws.column_dimensions["A"].width = 14
    ws.column_dimensions["B"].width = 60
    rows = rows_from_content(template.content)
    sections = {s["section_code"]: s for s in rows["sections"]}
    items = wb.create_sheet(SHEET_ITEMS)
    items.append([t for _k, t in SECTION_COLUMNS + ITEM_COLUMNS])
    listed: set[str] = set()
    for item in rows["items"]:
        section = sections[item["section_code"]]
        listed.add(item["section_code"])
        items.append(
            [_cell(k, section[k]) for k, _t in SECTION_COLUMNS]
            + [_cell(k, item[k]) for k, _t in ITEM_COLUMNS]
        )
    for code, section in sections.items():  # a section without items still has its row
        if code not in listed:
            items.append([_cell(k, section[k]) for k, _t in SECTION_COLUMNS])
    for ws2, columns, key in (
        (wb.create_sheet(SHEET_VETOES), VETO_COLUMNS, "vetoes"),
        (wb.create_sheet(SHEET_BANDS), BAND_COLUMNS, "bands"),
    ):
        ws2.append([t for _k, t in columns])
        for r in rows[key]:
            ws2.append([_cell(k, r[k]) for k, _t in columns])
    wb.save(out)


def _sheet_rows(wb: Any, name: str, columns: tuple[tuple[str, str], ...]) -> list[Row]:
    if name not in wb.sheetnames:
        raise TransferError([RowError(name, 0, "", f"缺少工作表“{name}”")])
    ws = wb[name]
    titles = [str(c or "").strip() for c in next(ws.iter_rows(max_row=1, values_only=True), ())]
    positions: dict[str, int] = {}
    missing = []
    for key, title in columns:
        if title in titles:
            positions[key] = titles.index(title)
        else:
            missing.append(title)
    if missing:
        raise TransferError([RowError(name, 1, "", f"缺少列：{'、'.join(missing)}")])
    letters = {key: get_column_letter(i + 1) for key, i in positions.items()}
    out = []
    for n, cells in enumerate(ws.iter_rows(min_row=2, values_only=True), 2):
        values = {key: (cells[i] if i < len(cells) else None) for key, i in positions.items()}
        out.append(Row(values=values, sheet=name, number=n, columns=letters))
    return out


def import_xlsx(data: bytes) -> dict[str, Any]:
    """The header and content of an ``.xlsx`` in the export's layout, checked; raises
    :class:`TransferError` listing every faulty cell (sheet, row, column)."""
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # any unreadable file is the user's mistake
        raise TransferError([RowError("", 0, "", "文件不是有效的.xlsx工作簿")]) from None
    if SHEET_HEADER not in wb.sheetnames:
        raise TransferError([RowError(SHEET_HEADER, 0, "", f"缺少工作表“{SHEET_HEADER}”")])
    raw: dict[str, Any] = {}
    places: dict[str, int] = {}
    by_title = {title: key for key, title in HEADER_ROWS}
    for n, cells in enumerate(wb[SHEET_HEADER].iter_rows(min_row=2, values_only=True), 2):
        if not cells or _blank(cells[0]):
            continue
        key = by_title.get(str(cells[0]).strip())
        if key is not None:
            raw[key] = cells[1] if len(cells) > 1 else None
            places[key] = n
    errors: list[RowError] = []

    def where(key: str, message: str) -> RowError:
        if key not in places:
            return RowError(SHEET_HEADER, 0, "", f"缺少“{dict(HEADER_ROWS)[key]}”一行")
        return RowError(SHEET_HEADER, places[key], "B", message)

    header = _header_checked(raw, errors, where)
    item_columns = SECTION_COLUMNS + ITEM_COLUMNS
    try:
        item_rows = _sheet_rows(wb, SHEET_ITEMS, item_columns)
        veto_rows = _sheet_rows(wb, SHEET_VETOES, VETO_COLUMNS)
        band_rows = _sheet_rows(wb, SHEET_BANDS, BAND_COLUMNS)
    except TransferError as exc:
        raise TransferError(errors + exc.errors) from None
    # Sections come from the item rows: the first row of a section code names it; later rows of
    # the same code must agree.
    section_rows: list[Row] = []
    seen: dict[str, Row] = {}
    for row in item_rows:
        code = "" if row.values.get("section_code") is None else str(row.values["section_code"])
        code = code.strip()
        if not code:
            if not all(_blank(row.values.get(k)) for k, _t in item_columns):
                errors.append(row.error("section_code", "缺少部分编号"))
            continue
        row.values["section_code"] = code
        first = seen.get(code)
        if first is None:
            seen[code] = row
            section_rows.append(row)
            continue
        for key, title in SECTION_COLUMNS[1:]:
            if str(row.values.get(key) or "").strip() != str(first.values.get(key) or "").strip():
                errors.append(row.error(key, f"{title}与第{first.number}行同一部分的不一致"))
    item_only = [r for r in item_rows if not _section_only(r)]
    try:
        content, where_rows = content_from_rows(section_rows, item_only, veto_rows, band_rows)
    except TransferError as exc:
        errors.extend(exc.errors)
        content, where_rows = {}, {}
    if errors:
        raise TransferError(sorted(errors, key=_order))
    check_content(content, header["veto_effect"], where_rows, sheet=SHEET_ITEMS)
    header["content"] = content
    return header


def _section_only(row: Row) -> bool:
    return all(_blank(row.values.get(k)) for k, _t in ITEM_COLUMNS)


SHEET_ORDER = {SHEET_HEADER: 0, SHEET_ITEMS: 1, SHEET_VETOES: 2, SHEET_BANDS: 3}


def _order(e: RowError) -> tuple[int, int, str]:
    return (SHEET_ORDER.get(e.sheet, 9), e.row, e.column)


def import_file(name: str, data: bytes) -> dict[str, Any]:
    """By the file's name: ``.json`` or ``.xlsx``."""
    lower = name.lower()
    if lower.endswith(".json"):
        return import_json(data)
    if lower.endswith(".xlsx"):
        return import_xlsx(data)
    raise TransferError([RowError("", 0, "", "请上传.xlsx或.json文件")])
