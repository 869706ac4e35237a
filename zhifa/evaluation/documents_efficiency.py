"""The 效能评价报告 per region and per agency, as PDF (the cases' markup, PDF writer and font,
as ``supervision/documents.py`` lays out its documents) and as ``.xlsx`` (openpyxl), and the
bar chart of the pages as server-rendered SVG (no script, no CDN).

Generated on request from the stored results: the same scheme gives the same text. Values in
the markup are cleaned line by line (``markup.clean``), so no agency name starts a block.
"""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from zhifa.cases import typography
from zhifa.cases.documents import chinese_date, document_font
from zhifa.cases.rendering import DocumentMeta
from zhifa.cases.rendering.markup import Block, clean, parse, plain_text
from zhifa.cases.rendering.pdf import render_pdf

from . import indicators as ind
from .models import EfficiencyResult, EfficiencyScheme


def _num(v: Any) -> str:
    if v is None:
        return "—"
    return f"{Decimal(str(v)):.2f}"


def _value(v: dict[str, Any], unit: str) -> str:
    if v.get("unconnected"):
        return "未接入（不计分）"
    if v.get("value") is None:
        return "无数据（不计分）"
    value = Decimal(v["value"])
    shown = f"{value * 100:.2f}%" if unit == "rate" else f"{value:.2f}分"
    if v.get("denominator") is not None:
        shown += (
            f"（{Decimal(v['numerator']).normalize():f}/{Decimal(v['denominator']).normalize():f}）"
        )
    return shown


def _results(scheme: EfficiencyScheme) -> list[EfficiencyResult]:
    from .selectors_efficiency import current_results, ranked

    return list(ranked(current_results(scheme)))


def _head(scheme: EfficiencyScheme) -> list[str]:
    w = scheme.weights()
    lines = [
        f"^ {clean(scheme.body.name)}",
        f"# {clean(scheme.name)}",
        f"^ {scheme.year}年度",
        "## 一、评价方法",
        clean(
            f"按执法质量、监管履行率、社会满意度三部分评价，权重分别为"
            f"{_num(w['quality'])}、{_num(w['duty'])}、{_num(w['satisfaction'])}"
            f"（{scheme.weights_source}）。各部分得分为其指标得分的加权平均；无数据或未接入的指标不计入，"
            "无得分的部分不计入总分，其余部分按权重折算。"
        ),
        clean(f"指标不以罚没金额、罚没收入或者行政处罚数量计分（{ind.FINES_RULE}）。"),
        "| 指标 | 所属部分 | 计算公式 | 计分方向 | 权重 |",
        "|---|",
    ]
    for i in ind.indicators_check(scheme.indicators):
        lines.append(
            f"| {clean(i.code + ' ' + i.name)} | {ind.COMPONENTS[i.component]} | "
            f"{clean(ind.formula_text(i.formula))} | {ind.BETTER[i.better]} | {i.weight} |"
        )
    return lines


def region_markup(scheme: EfficiencyScheme) -> str:
    results = _results(scheme)
    lines = _head(scheme)
    scored = [r.total for r in results if r.total is not None]
    lines += [
        "## 二、评价结果",
        clean(
            f"本次共评价{len(results)}个行政执法机关，其中{len(scored)}个有得分"
            + (f"，平均{_num(sum(scored, Decimal(0)) / len(scored))}分。" if scored else "。")
        ),
        "| 名次 | 执法机关 | 执法质量 | 监管履行率 | 社会满意度 | 总分 |",
        "|---|",
    ]
    for r in results:
        lines.append(
            f"| {r.rank or '—'} | {clean(r.agency.name)} | {_num(r.quality)} | {_num(r.duty)} | "
            f"{_num(r.satisfaction)} | {_num(r.total)} |"
        )
    lines += [f"> {clean(scheme.body.name)}", f"> {chinese_date(scheme.computed_on)}"]
    return "\n".join(lines)


def agency_markup(scheme: EfficiencyScheme, result: EfficiencyResult) -> str:
    indicators = ind.indicators_check(scheme.indicators)
    lines = _head(scheme)
    lines += [
        f"## 二、{clean(result.agency.name)}的评价结果",
        clean(
            f"总分{_num(result.total)}，名次{result.rank or '—'}；执法质量{_num(result.quality)}，"
            f"监管履行率{_num(result.duty)}，社会满意度{_num(result.satisfaction)}。"
        ),
        "| 指标 | 数值（分子/分母） | 得分 |",
        "|---|",
    ]
    for i in indicators:
        v = result.values.get(i.code, {})
        lines.append(
            f"| {clean(i.code + ' ' + i.name)} | {_value(v, i.unit)} | {_num(v.get('score'))} |"
        )
    lines += [f"> {clean(scheme.body.name)}", f"> {chinese_date(scheme.computed_on)}"]
    return "\n".join(lines)


def _blocks(markup: str) -> list[Block]:
    return [typography.block_tidy(b) for b in parse(markup)]


def region_report_text(scheme: EfficiencyScheme) -> str:
    """The region report as plain text (what its PDF prints): what a publication starts from."""
    return plain_text(_blocks(region_markup(scheme)))


def report_pdf(scheme: EfficiencyScheme, result: EfficiencyResult | None, *, at: datetime) -> bytes:
    markup = region_markup(scheme) if result is None else agency_markup(scheme, result)
    meta = DocumentMeta(
        title=scheme.name,
        number=f"{scheme.year}",
        author=scheme.body.name,
        at=at,
        version=1,
        reference=f"efficiency scheme {scheme.pk}"
        + (f" agency {result.agency_id}" if result else ""),
    )
    return render_pdf(_blocks(markup), font=document_font(), meta=meta)


def _text_cell(value: Any) -> Any:
    # A name starting with "=" would be a formula when opened: keep it text.
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        return "'" + value
    return value


def report_xlsx(scheme: EfficiencyScheme, result: EfficiencyResult | None = None) -> bytes:
    """Sheet 结果 (one row per agency, or the one agency), sheet 指标 (each indicator's value,
    numerator, denominator and score per agency), sheet 方法 (weights and formulas)."""
    indicators = ind.indicators_check(scheme.indicators)
    results = [result] if result is not None else _results(scheme)
    wb = Workbook(write_only=True)
    bold = Font(bold=True)

    def sheet_of(title: str, headers: list[str]) -> Any:
        ws = wb.create_sheet(title)
        cells = []
        for h in headers:
            cell = WriteOnlyCell(ws, value=h)
            cell.font = bold
            cells.append(cell)
        ws.append(cells)
        return ws

    sheet = sheet_of(
        "结果",
        ["名次", "执法机关", "统一社会信用代码", "执法质量", "监管履行率", "社会满意度", "总分"],
    )
    for r in results:
        sheet.append(
            [
                r.rank,
                _text_cell(r.agency.name),
                r.agency.credit_code,
                None if r.quality is None else float(r.quality),
                None if r.duty is None else float(r.duty),
                None if r.satisfaction is None else float(r.satisfaction),
                None if r.total is None else float(r.total),
            ]
        )
    detail = sheet_of(
        "指标", ["执法机关", "指标代码", "指标", "数值", "分子", "分母", "得分", "说明"]
    )
    for r in results:
        for i in indicators:
            v = r.values.get(i.code, {})
            note = (
                "未接入" if v.get("unconnected") else ("无数据" if v.get("value") is None else "")
            )

            def num(key: str, v: dict[str, Any] = v) -> float | None:
                return None if v.get(key) is None else float(Decimal(v[key]))

            detail.append(
                [
                    _text_cell(r.agency.name),
                    i.code,
                    i.name,
                    num("value"),
                    num("numerator"),
                    num("denominator"),
                    num("score"),
                    note,
                ]
            )
    method = sheet_of("方法", ["部分", "权重", "依据"])
    w = scheme.weights()
    for key, label in ind.COMPONENTS.items():
        method.append([label, float(Decimal(str(w[key]))), scheme.weights_source])
    method.append([])
    method.append(["指标代码", "指标", "所属部分", "计算公式", "计分方向", "权重"])
    for i in indicators:
        method.append(
            [
                i.code,
                i.name,
                ind.COMPONENTS[i.component],
                ind.formula_text(i.formula),
                ind.BETTER[i.better],
                float(i.weight),
            ]
        )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def bars_svg(rows: list[tuple[str, Decimal | None]], *, title: str, width: int = 640) -> str:
    """A horizontal bar chart (0–100) of ``rows`` as SVG markup: labels, bars, values."""
    bar_h, gap, label_w, value_w = 18, 6, 200, 60
    height = max(1, len(rows)) * (bar_h + gap) + 30
    span = width - label_w - value_w
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{escape(title)}</title>",
    ]
    for n, (label, value) in enumerate(rows):
        y = 20 + n * (bar_h + gap)
        w = 0 if value is None else int(span * float(value) / 100)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar_h - 5}" text-anchor="end" '
            f'font-size="12">{escape(label[:16])}</text>'
        )
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="#2f6db5"></rect>'
        )
        parts.append(
            f'<text x="{label_w + w + 4}" y="{y + bar_h - 5}" font-size="12">'
            f"{'—' if value is None else escape(_num(value))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
