"""Filing by form or upload: checked whole — one error and nothing is saved — with each error
named by row and column in Chinese; the figures are marked FILED."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook

from zhifa.core.testing import Personas
from zhifa.statistics import catalogue, filing_upload
from zhifa.statistics.filing_upload import FilingInvalid
from zhifa.statistics.models import Filing
from zhifa.statistics.services_filings import filing_file

CODES = filing_upload.fileable(catalogue.standard_tables())


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(filing_upload.HEADERS)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_good_sheet_gives_the_figures() -> None:
    figs = filing_upload.read_upload(
        _xlsx(
            [
                ["penalty.total", "合计", 12, None],
                ["penalty.amount", "罚没金额", None, "35000.5"],
                ["licensing.granted", "许可", 0, None],
            ]
        ),
        "统计.xlsx",
        CODES,
    )
    assert figs == {
        "penalty.amount": {"count": 0, "amount": "35000.50"},
        "penalty.total": {"count": 12, "amount": None},
    }


def test_every_error_is_named_by_row_and_column() -> None:
    with pytest.raises(FilingInvalid) as refused:
        filing_upload.read_upload(
            _xlsx(
                [
                    ["penalty.total", "合计", "十二", None],
                    ["penalty.nonsense", "", 1, None],
                    ["inspection.count", "检查", 3, "100"],
                    ["penalty.amount", "", None, "-5"],
                    ["penalty.total", "", 1, None],
                ]
            ),
            "统计.xlsx",
            CODES,
        )
    assert refused.value.errors == [
        "第2行第C列：“十二”不是非负整数",
        "第3行第A列：未知的指标代码“penalty.nonsense”",
        "第4行第D列：“行政检查”不填金额",
        "第5行第D列：“-5”不是非负金额",
        "第6行第A列：指标“penalty.total”与第2行重复",
    ]


def test_a_wrong_header_or_file_type_is_refused() -> None:
    with pytest.raises(FilingInvalid, match="表头"):
        filing_upload.read_upload(b"a,b,c\n1,2,3\n", "x.csv", CODES)
    with pytest.raises(FilingInvalid, match="xlsx"):
        filing_upload.read_upload(b"whatever", "x.xls", CODES)


def test_the_template_round_trips() -> None:
    body = filing_upload.template_xlsx(CODES, {"penalty.total": {"count": 3, "amount": None}})
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == filing_upload.HEADERS
    assert filing_upload.read_upload(body, "模板.xlsx", CODES) == {
        "penalty.total": {"count": 3, "amount": None}
    }


def test_the_form_names_the_indicator_and_column() -> None:
    with pytest.raises(FilingInvalid) as refused:
        filing_upload.figures_of_form(
            {"penalty.total.count": "2.5", "penalty.amount.amount": "1.234"}, CODES
        )
    assert "合计（penalty.total）数量：“2.5”不是非负整数" in refused.value.errors
    assert "罚没金额（penalty.amount）金额：金额最多保留两位小数（元）" in refused.value.errors


@pytest.mark.django_db
def test_an_upload_page_with_an_error_saves_nothing_and_a_good_one_files(
    personas: Personas, client: object
) -> None:
    from django.test import Client

    c = client
    assert isinstance(c, Client)
    c.force_login(personas.head)
    bad = _xlsx([["penalty.total", "合计", 5, None], ["penalty.amount", "", None, "abc"]])
    f = io.BytesIO(bad)
    f.name = "统计.xlsx"
    r = c.post("/statistics/filings/file/", {"year": 2026, "quarter": 1, "file": f})
    assert r.status_code == 422
    assert "第3行第D列：“abc”不是金额" in r.content.decode()
    assert not Filing.objects.exists()

    good = io.BytesIO(_xlsx([["penalty.total", "合计", 5, None]]))
    good.name = "统计.xlsx"
    r = c.post("/statistics/filings/file/", {"year": 2026, "quarter": 1, "file": good})
    assert r.status_code == 302
    filing = Filing.objects.get()
    assert filing.origin == Filing.Origin.FILED and filing.figures["penalty.total"]["count"] == 5
    page = c.get(r["Location"]).content.decode()
    assert "填报" in page and "/cases/penalty.total/" not in page  # no cases behind filed figures


@pytest.mark.django_db
def test_filing_by_form_replaces_a_draft_and_is_recorded(personas: Personas) -> None:
    filing = filing_file(
        actor=personas.head,
        agency=personas.agency_a,
        year=2026,
        quarter=2,
        figures={"penalty.total": {"count": 1, "amount": None}},
        on=date(2026, 7, 1),
    )
    again = filing_file(
        actor=personas.head,
        agency=personas.agency_a,
        year=2026,
        quarter=2,
        figures={"penalty.total": {"count": 4, "amount": None}},
        on=date(2026, 7, 2),
    )
    assert again.pk == filing.pk and again.figures["penalty.total"]["count"] == 4
