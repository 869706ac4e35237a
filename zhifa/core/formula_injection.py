"""Spreadsheet formula injection (CSV injection): one rule for every CSV zhifa writes.

A cell whose text begins with ``=``, ``+``, ``-`` or ``@`` — or a tab or carriage return, which
some spreadsheet programs skip before reading such a sign — may run as a formula when the file
is opened in Excel or WPS. Published texts and imported registry data come from outside, so
every such cell gets a leading apostrophe, which the spreadsheet shows as text (the OWASP
recommendation, https://owasp.org/www-community/attacks/CSV_Injection). Reading a file back
strips the apostrophe again, so exports round-trip through imports. Pure: text in, text out.
"""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """``text`` as a CSV cell that no spreadsheet reads as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_cell_read(text: str) -> str:
    """The text a cell written by :func:`csv_cell` stands for (its apostrophe removed)."""
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_START:
        return text[1:]
    return text
