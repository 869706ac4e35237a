"""Every CSV cell that a spreadsheet would read as a formula is neutralised (OWASP: a leading
apostrophe), and reading it back gives the original text."""

from __future__ import annotations

import pytest

from zhifa.core.formula_injection import csv_cell, csv_cell_read


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://x","点此")', '\'=HYPERLINK("http://x","点此")'),
        ("+86 138", "'+86 138"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("示范市A&B贸易有限公司", "示范市A&B贸易有限公司"),
        ("a=b", "a=b"),  # only the first character counts
        ("", ""),
        ("'=quoted", "'=quoted"),  # an apostrophe already leads: nothing runs
    ],
)
def test_csv_cell_neutralises_formula_starts_only(text: str, written: str) -> None:
    assert csv_cell(text) == written


@pytest.mark.parametrize("text", ["=1+1", "-5", "@x", "+1", "\t-1", "\r=1", "普通文本", "'"])
def test_a_neutralised_cell_reads_back_as_written(text: str) -> None:
    assert csv_cell_read(csv_cell(text)) == text
