"""The same tables filed by form or ``.xlsx``/``.csv`` upload, for agencies whose work is not (yet)
in zhifa: read and checked whole — one error and nothing is filed (all-or-nothing) — with every
error named by its row and column in Chinese ("第3行第C列：…"). Such figures are FILED, not
computed (``Filing.Origin.FILED``); no cases stand behind them.

The sheet (``template_xlsx``): row 1 the header 指标代码 | 指标名称 | 数量 | 金额（元）, then one
row per indicator of the standard tables; a row left without a number counts 0; an amount only for
the indicators that carry one.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import IO

from zhifa.core.exceptions import ZhifaError
from zhifa.registry.tabular import TableUnreadable, read_table, write_xlsx

from . import catalogue
from .catalogue import INDICATORS, MONEY, Table

HEADERS = ["指标代码", "指标名称", "数量", "金额（元）"]
CODE, NAME, COUNT, AMOUNT = range(4)
LETTERS = "ABCD"
MAX_COUNT = 10**9
RULE = "统计数据填报须完整、准确（《大同市行政执法统计年报制度》第六条）"


class FilingInvalid(ZhifaError):
    """The filed figures were refused whole; ``errors`` lists each problem ("第N行第X列：…")."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("填报数据有误，未保存任何数据：" + "；".join(errors[:20]), article=RULE)


def fileable(tables: Iterable[Table]) -> list[str]:
    """The indicator codes an agency files: every column of the tables but the derived ones."""
    out: list[str] = []
    for t in tables:
        for code in t.columns:
            ind = INDICATORS.get(code)
            if ind is not None and ind.origin != catalogue.DERIVED and code not in out:
                out.append(code)
    return out


def _count(text: str) -> tuple[int | None, str]:
    text = text.strip().replace(",", "")
    if text == "":
        return 0, ""
    if not re.fullmatch(r"\d+", text):
        return None, f"“{text}”不是非负整数"
    if int(text) > MAX_COUNT:
        return None, "数量过大"
    return int(text), ""


def _amount(text: str) -> tuple[Decimal | None, str]:
    text = text.strip().replace(",", "")
    if text == "":
        return None, ""
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, f"“{text}”不是金额"
    if not value.is_finite() or value < 0:
        return None, f"“{text}”不是非负金额"
    if value != value.quantize(Decimal("0.01")):
        return None, "金额最多保留两位小数（元）"
    if value >= Decimal(10) ** 14:
        return None, "金额过大"
    return value, ""


def figures_of_rows(
    rows: Iterable[tuple[int, list[str]]], codes: list[str]
) -> dict[str, dict[str, object]]:
    """Check every row; return the figures or raise :class:`FilingInvalid` with all errors."""
    errors: list[str] = []
    out: dict[str, dict[str, object]] = {}
    seen: dict[str, int] = {}
    for number, cells in rows:
        cells = cells + [""] * (4 - len(cells))
        code = cells[CODE].strip()
        where = f"第{number}行"
        if code not in codes:
            errors.append(f"{where}第{LETTERS[CODE]}列：未知的指标代码“{code}”")
            continue
        if code in seen:
            errors.append(f"{where}第{LETTERS[CODE]}列：指标“{code}”与第{seen[code]}行重复")
            continue
        seen[code] = number
        count, problem = _count(cells[COUNT])
        if problem:
            errors.append(f"{where}第{LETTERS[COUNT]}列：{problem}")
        amount, problem = _amount(cells[AMOUNT])
        if problem:
            errors.append(f"{where}第{LETTERS[AMOUNT]}列：{problem}")
        elif amount is not None and code not in MONEY:
            errors.append(f"{where}第{LETTERS[AMOUNT]}列：“{INDICATORS[code].name}”不填金额")
        if count is None or problem:
            continue
        if count or amount:
            out[code] = {"count": count, "amount": None if amount is None else f"{amount:.2f}"}
    if errors:
        raise FilingInvalid(errors)
    return dict(sorted(out.items()))


def read_upload(
    content: bytes | IO[bytes], filename: str, codes: list[str]
) -> dict[str, dict[str, object]]:
    """The figures of an uploaded sheet, checked whole."""
    try:
        table = read_table(content, filename)
    except TableUnreadable as exc:
        raise FilingInvalid([str(exc)]) from exc
    want = HEADERS[:3]
    if [h.strip() for h in table.headers[:3]] != want:
        raise FilingInvalid([f"第1行：表头应为“{'、'.join(HEADERS)}”"])
    if not table.rows:
        raise FilingInvalid(["文件中没有数据行"])
    return figures_of_rows(table.rows, codes)


def figures_of_form(data: Mapping[str, str], codes: list[str]) -> dict[str, dict[str, object]]:
    """The figures of the form (fields ``<code>.count`` and ``<code>.amount``), checked whole;
    errors name the table's row (the indicator) and column."""
    rows = [
        (i, [code, "", data.get(f"{code}.count", ""), data.get(f"{code}.amount", "")])
        for i, code in enumerate(codes, start=1)
    ]
    try:
        return figures_of_rows(rows, codes)
    except FilingInvalid as exc:
        named = []
        for e in exc.errors:
            m = re.match(r"第(\d+)行第([A-D])列：(.*)", e)
            if m:
                code = codes[int(m.group(1)) - 1]
                col = "数量" if m.group(2) == "C" else "金额"
                named.append(f"{INDICATORS[code].name}（{code}）{col}：{m.group(3)}")
            else:
                named.append(e)
        raise FilingInvalid(named) from exc


def template_xlsx(
    codes: list[str], figures: Mapping[str, Mapping[str, object]] | None = None
) -> bytes:
    """The blank sheet (or filled with ``figures``) to fill in and upload."""
    figures = figures or {}
    out = io.BytesIO()
    rows = []
    for code in codes:
        fig = figures.get(code) or {}
        count, amount = fig.get("count"), fig.get("amount")
        rows.append(
            [code, INDICATORS[code].name, "" if count is None else str(count), str(amount or "")]
        )
    write_xlsx(out, title="统计数据填报", headers=HEADERS, rows=rows, widths=(36, 40, 12, 16))
    return out.getvalue()
