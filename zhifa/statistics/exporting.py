"""The report (``report.report_tables``) as files: ``.xlsx`` laid out like the paper tables,
CSV, JSON and PDF.

The workbook has one sheet per table, as the standard tables are printed (广东样式; 广州 2019;
杭州 2019): the table's name as a title row across the table, the period and the unit line,
a two-row header where a heading spans its columns (行政处罚 "处罚种类" over the penalty types,
行政强制 "行政强制措施" / "行政强制执行" over theirs) and every other column spans both rows,
then one row per agency and, for several agencies, a 合计 row. Tables left out (no such power,
广东样式 point 二) are listed on a sheet "说明" with their note.

The PDF goes through the cases' rendering machinery (``cases.rendering``: markup blocks →
``render_pdf``), as the supervision documents do: each table one item per line with its unit
and number — the wide paper layout does not fit a portrait A4 page.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from zhifa.cases.documents import document_font
from zhifa.cases.rendering import DocumentMeta
from zhifa.cases.rendering.markup import Block, BlockKind, clean
from zhifa.cases.rendering.pdf import render_pdf

from .report import jsonable

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
JSON_TYPE = "application/json"
PDF_TYPE = "application/pdf"
AGENCY_HEADER = "执法机关"
TOTAL = "合计"


def _number(value: Any) -> Any:
    return jsonable(value)


def _text(value: Any) -> str:
    v = jsonable(value)
    if isinstance(v, float):
        return f"{v:.2f}"
    return str(v)


def report_json(report: dict[str, Any], **meta: Any) -> bytes:
    """The report as UTF-8 JSON, numbers as numbers, with ``meta`` (title, period …) on top."""
    return json.dumps(jsonable({**meta, **report}), ensure_ascii=False, indent=2).encode()


def report_csv(report: dict[str, Any], *, title: str, period: str) -> bytes:
    """One block per table: its name, the header (name（unit）), a row per agency, 合计; a blank
    line between tables; omitted tables at the end with their note. UTF-8 with a BOM (Excel)."""
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow([title, period])
    for table in report["tables"]:
        w.writerow([])
        w.writerow([table["name"]])
        w.writerow([AGENCY_HEADER, *(f"{c['name']}（{c['unit']}）" for c in table["columns"])])
        for row in table["rows"]:
            w.writerow(
                [row["agency"], *(_text(row["values"][c["code"]]) for c in table["columns"])]
            )
        if len(table["rows"]) > 1:
            w.writerow([TOTAL, *(_text(table["total"][c["code"]]) for c in table["columns"])])
    for o in report.get("omitted", []):
        w.writerow([])
        w.writerow([o["name"], o["note"]])
    return ("\ufeff" + out.getvalue()).encode()


THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _sheet_title(name: str, used: set[str]) -> str:
    base = name.replace("统计表", "")[:28] or "表"
    title, n = base, 2
    while title in used:
        title, n = f"{base}{n}", n + 1
    used.add(title)
    return title


def report_xlsx(report: dict[str, Any], *, title: str, period: str) -> bytes:
    """The workbook described in the module docstring."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    used: set[str] = set()
    for table in report["tables"]:
        ws = wb.create_sheet(_sheet_title(table["name"], used))
        columns = table["columns"]
        width = len(columns) + 1
        ws.cell(1, 1, table["name"]).font = Font(bold=True, size=16)
        ws.cell(1, 1).alignment = CENTRE
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
        ws.cell(2, 1, f"填报单位：{title}    统计期：{period}")
        ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
        # the header: rows 3 and 4
        ws.cell(3, 1, AGENCY_HEADER)
        ws.merge_cells(start_row=3, start_column=1, end_row=4, end_column=1)
        col = 2
        while col <= width:
            c = columns[col - 2]
            group = c.get("group", "")
            span = 1
            while group and col + span <= width and columns[col + span - 2].get("group") == group:
                span += 1
            if group:
                ws.cell(3, col, group)
                if span > 1:
                    ws.merge_cells(
                        start_row=3, start_column=col, end_row=3, end_column=col + span - 1
                    )
                for k in range(span):
                    cc = columns[col + k - 2]
                    ws.cell(4, col + k, f"{cc['name']}（{cc['unit']}）")
            else:
                ws.cell(3, col, f"{c['name']}（{c['unit']}）")
                ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
            col += span
        r = 5
        for row in table["rows"]:
            ws.cell(r, 1, row["agency"])
            for i, c in enumerate(columns, start=2):
                ws.cell(r, i, _number(row["values"][c["code"]]))
            r += 1
        if len(table["rows"]) > 1:
            ws.cell(r, 1, TOTAL).font = Font(bold=True)
            for i, c in enumerate(columns, start=2):
                ws.cell(r, i, _number(table["total"][c["code"]])).font = Font(bold=True)
            r += 1
        for row_cells in ws.iter_rows(min_row=3, max_row=r - 1, max_col=width):
            for cell in row_cells:
                cell.border = BOX
                if cell.row <= 4:
                    cell.alignment = CENTRE
                    cell.font = Font(bold=True)
                elif cell.column > 1:
                    cell.number_format = "0.00" if isinstance(cell.value, float) else "0"
        if table.get("source"):
            ws.cell(r + 1, 1, f"统计口径：{table['source']}")
        ws.column_dimensions["A"].width = 32
        for i in range(2, width + 1):
            ws.column_dimensions[get_column_letter(i)].width = 12
        ws.row_dimensions[4].height = 48
    notes = wb.create_sheet("说明")
    notes.cell(1, 1, f"{title} {period}行政执法数据").font = Font(bold=True)
    for i, o in enumerate(report.get("omitted", []), start=2):
        notes.cell(i, 1, o["name"])
        notes.cell(i, 2, o["note"])
    if not report.get("omitted"):
        notes.cell(2, 1, "各表均已公开。")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def report_blocks(report: dict[str, Any], *, title: str, period: str) -> list[Block]:
    blocks = [
        Block(BlockKind.TITLE, clean(f"{period}行政执法数据")),
        Block(BlockKind.CENTRE, clean(title)),
    ]
    for table in report["tables"]:
        blocks.append(Block(BlockKind.HEADING, clean(table["name"])))
        single = len(table["rows"]) == 1
        values = table["rows"][0]["values"] if single else table["total"]
        head = ("项目", "单位", "数量" if single else f"{TOTAL}（{len(table['rows'])}个机关）")
        rows = [head] + [
            (
                clean(f"{c['group']}·{c['name']}" if c.get("group") else c["name"]),
                c["unit"],
                _text(values[c["code"]]),
            )
            for c in table["columns"]
        ]
        blocks.append(Block(BlockKind.TABLE, rows=tuple(rows), header=True))
    for o in report.get("omitted", []):
        blocks.append(Block(BlockKind.HEADING, clean(o["name"])))
        blocks.append(Block(BlockKind.PARAGRAPH, clean(o["note"])))
    return blocks


def report_pdf(report: dict[str, Any], *, title: str, period: str, at: datetime) -> bytes:
    meta = DocumentMeta(
        title=f"{period}行政执法数据",
        number="",
        author=title,
        at=at,
        version=1,
        reference=f"statistics report {title} {period}",
    )
    return render_pdf(
        report_blocks(report, title=title, period=period), font=document_font(), meta=meta
    )
