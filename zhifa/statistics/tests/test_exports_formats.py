"""The report as files, read back: the workbook laid out like the paper tables (title row,
headings merged over their columns, units), CSV, JSON and PDF."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime

from openpyxl import load_workbook
from pypdf import PdfReader

from zhifa.statistics import catalogue, exporting
from zhifa.statistics.report import AgencyFigures, report_tables

A = AgencyFigures(
    1,
    "示范市甲局",
    {
        "penalty.kind.warning": {"count": 3},
        "penalty.kind.fine": {"count": 5},
        "penalty.total": {"count": 8},
        "penalty.amount": {"count": 5, "amount": "12345.50"},
        "coercion.measure.seize": {"count": 2},
        "coercion.execution.late_fee": {"count": 1},
    },
    frozenset({"penalty", "coercion"}),
)
B = AgencyFigures(2, "示范市乙局", {"penalty.total": {"count": 2}}, frozenset({"penalty"}))
REPORT = report_tables(catalogue.standard_tables(), [A, B])


def _merged(ws: object) -> set[str]:
    return {str(r) for r in ws.merged_cells.ranges}  # type: ignore[attr-defined]


def test_the_workbook_is_laid_out_like_the_paper_table() -> None:
    wb = load_workbook(io.BytesIO(exporting.report_xlsx(REPORT, title="示范市", period="2026年")))
    ws = wb["行政处罚实施情况"]
    n = len(catalogue.penalty_table().columns)  # the penalty table: kinds, 其他, 合计, 罚没金额
    last = chr(ord("A") + n)
    assert ws["A1"].value == "行政处罚实施情况统计表"
    assert f"A1:{last}1" in _merged(ws)  # the title across the table
    assert "统计期：2026年" in ws["A2"].value
    assert ws["A3"].value == "执法机关" and "A3:A4" in _merged(ws)
    # 处罚种类 over the type columns (警告 … 其他), one row; 合计 and 罚没金额 span both rows
    kinds = sum(1 for c in catalogue.penalty_table().columns if c.startswith("penalty.kind."))
    assert ws["B3"].value == "处罚种类"
    assert f"B3:{chr(ord('A') + kinds)}3" in _merged(ws)
    assert ws["B4"].value == "警告（件）"
    total_col = chr(ord("A") + kinds + 1)
    assert ws[f"{total_col}3"].value == "合计（件）" and f"{total_col}3:{total_col}4" in _merged(ws)
    assert ws[f"{last}3"].value == "罚没金额（元）"
    assert [ws["A5"].value, ws["B5"].value, ws[f"{total_col}5"].value] == ["示范市甲局", 3, 8]
    assert ws[f"{last}5"].value == 12345.5
    assert ws["A7"].value == "合计" and ws[f"{total_col}7"].value == 10
    coercion = wb["行政强制实施情况"]
    headings = [coercion.cell(3, c).value for c in range(1, coercion.max_column + 1)]
    assert "行政强制措施" in headings and "行政强制执行" in headings
    notes = wb["说明"]
    texts = [notes.cell(r, 2).value for r in range(2, notes.max_row + 1)]
    assert any("无行政检查职权" in (t or "") for t in texts)


def test_csv_has_a_block_per_table_with_units_and_the_total() -> None:
    text = exporting.report_csv(REPORT, title="示范市", period="2026年").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    i = rows.index(["行政处罚实施情况统计表"])
    assert rows[i + 1][0] == "执法机关" and "警告（件）" in rows[i + 1]
    total_at = rows[i + 1].index("合计（件）")
    assert rows[i + 2][0] == "示范市甲局" and rows[i + 2][total_at] == "8"
    assert rows[i + 4][0] == "合计" and rows[i + 4][total_at] == "10"
    assert any("无行政许可职权" in " ".join(r) for r in rows)


def test_json_keeps_numbers_as_numbers() -> None:
    data = json.loads(exporting.report_json(REPORT, title="示范市", year=2026))
    assert data["title"] == "示范市"
    penalty = data["tables"][0]
    assert penalty["rows"][0]["values"]["penalty.amount"] == 12345.5
    assert penalty["total"]["penalty.total"] == 10
    assert {"code", "name", "unit"} <= set(penalty["columns"][0])


def test_the_pdf_prints_each_table_and_the_notes() -> None:
    pdf = exporting.report_pdf(
        report_tables(catalogue.standard_tables(), [A]),
        title="示范市甲局",
        period="2026年",
        at=datetime(2027, 1, 20, tzinfo=UTC),
    )
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "2026年行政执法数据" in text and "示范市甲局" in text
    assert "行政处罚实施情况统计表" in text and "处罚种类·警告件3" in text
    assert "无行政许可职权，不公开本表" in text
