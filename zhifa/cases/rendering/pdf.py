"""PDF layout of a document with fpdf2: A4, a Chinese TrueType font embedded as a subset.

The font is a TrueType (``glyf``) CJK face — by default AR PL UMing CN from Debian's
``fonts-arphic-uming`` — embedded as ``CIDFontType2`` / ``Identity-H`` with a ToUnicode map, so
every reader renders it and text extraction (pypdf, pdftotext, search, copy) gives the Chinese
back. CFF-based faces (Noto CJK) would embed too, but fpdf2 writes them with an embedded CMap
encoding that pypdf cannot decode (see docs/decisions.md).

Lines are broken here, not by fpdf2: its character wrapping breaks anywhere, numbers included
("30000 / .00元"). ``typography.wrap`` breaks only where Chinese typesetting allows (never inside
a number or Latin word, never before a closing mark); fpdf2 then gets lines that already fit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import Align, TextMode, WrapMode, XPos, YPos
from fpdf.fonts import FontFace

from ..typography import wrap
from . import DocumentMeta
from .markup import Block, BlockKind

# fontTools reports dropping the font's embedded bitmaps (EBDT) on every subset.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)

FAMILY = "zhifa-cjk"
BODY_PT = 14.0  # 四号
TITLE_PT = 22.0  # 二号
SMALL_PT = 10.5  # 五号
LINE_MM = 8.0
INDENT = "\u3000\u3000"  # two full-width spaces: the first-line indent of Chinese paragraphs
SEAL_RED = (200, 30, 30)
CELL_PADDING = 1.5
# Measured lines are handed to fpdf2 a little narrower than the room it has, so that rounding
# in its own measure never breaks a line a second time.
SLACK_MM = 0.3


@dataclass(frozen=True)
class Font:
    """A TrueType font file (``.ttf``, or ``.ttc`` with the face's index)."""

    path: Path
    index: int = 0


class MissingFont(RuntimeError):
    pass


class _Pdf(FPDF):
    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FAMILY, size=SMALL_PT)
        self.cell(0, 8, f"第{self.page_no()}页 共{{nb}}页", align=Align.C)


def _bold_line(
    pdf: FPDF, text: str, align: Align, *, size: float = BODY_PT, h: float = LINE_MM
) -> None:
    # The Ming face has no bold; a thin outline stroke is the customary substitute. The local
    # context restores the text mode and line width afterwards.
    with pdf.local_context(text_mode=TextMode.FILL_STROKE, line_width=0.25):
        _line(pdf, text, align, size=size, h=h)


def _lines(pdf: FPDF, text: str, room: float) -> str:
    """``text`` with a newline at each break of ``typography.wrap`` in ``room`` millimetres
    (in the current font)."""
    return "\n".join(wrap(text, pdf.get_string_width, room - SLACK_MM))


def _line(pdf: FPDF, text: str, align: Align, *, size: float = BODY_PT, h: float = LINE_MM) -> None:
    pdf.set_font(FAMILY, size=size)
    room = pdf.w - pdf.r_margin - pdf.l_margin - 2 * pdf.c_margin  # multi_cell(0, …) at the margin
    pdf.multi_cell(
        0,
        h,
        _lines(pdf, text, room),
        align=align,
        wrapmode=WrapMode.CHAR,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )


def _table(pdf: FPDF, block: Block) -> None:
    width = max(len(row) for row in block.rows)
    pdf.set_font(FAMILY, size=BODY_PT - 2)
    with pdf.table(
        first_row_as_headings=block.header,
        headings_style=FontFace(fill_color=(235, 235, 235)),
        line_height=7,
        text_align="LEFT",
        wrapmode=WrapMode.CHAR,
        padding=CELL_PADDING,
        gutter_width=0,
    ) as table:
        column = pdf.epw / width  # the table's default: the page's width, equal columns
        for cells in block.rows:
            row = table.row()
            for i, text in enumerate(cells):
                # A short row's last cell spans the rest (form rows like "| 案由 | … |").
                span = width - len(cells) + 1 if i == len(cells) - 1 else 1
                row.cell(_lines(pdf, text, column * span - 2 * CELL_PADDING), colspan=span)
    pdf.ln(2)


def _seal(pdf: FPDF) -> None:
    """A red circle over the agency name and date just above (where the seal is pressed)."""
    radius = 21.0
    centre_x = pdf.w - pdf.r_margin - 30
    centre_y = pdf.get_y() - LINE_MM
    with pdf.local_context(draw_color=SEAL_RED, text_color=SEAL_RED, line_width=0.6):
        pdf.circle(x=centre_x, y=centre_y, radius=radius)  # fpdf2 ≥ 2.8.1: x, y is the centre
        pdf.set_font(FAMILY, size=SMALL_PT)
        pdf.set_xy(centre_x - radius, centre_y + radius - 9)
        pdf.cell(2 * radius, 6, "（印章）", align=Align.C)
    pdf.set_xy(pdf.l_margin, centre_y + radius + 2)


def render_pdf(blocks: list[Block], *, font: Font, meta: DocumentMeta) -> bytes:
    """The document as PDF bytes (A4, page numbers in the footer, the font subset embedded)."""
    if not font.path.is_file():
        raise MissingFont(
            f"font file {font.path} not found: run scripts/system-packages.sh "
            "(Debian fonts-arphic-uming) or set ZHIFA_DOCUMENT_FONT"
        )
    pdf = _Pdf(format="A4", unit="mm")
    pdf.set_margins(28, 30, 26)
    pdf.set_auto_page_break(True, margin=25)
    pdf.add_font(FAMILY, fname=str(font.path), collection_font_number=font.index)
    pdf.set_lang("zh-CN")
    pdf.set_title(meta.title)
    pdf.set_subject(meta.number)
    pdf.set_author(meta.author)
    pdf.set_keywords(f"{meta.reference} version {meta.version}")
    pdf.set_creator("zhifa")
    pdf.set_creation_date(meta.at)
    pdf.add_page()
    for block in blocks:
        kind = block.kind
        if kind is BlockKind.TITLE:
            _bold_line(pdf, block.text, Align.C, size=TITLE_PT, h=12)
            pdf.ln(2)
        elif kind is BlockKind.CENTRE:
            _line(pdf, block.text, Align.C)
        elif kind is BlockKind.RIGHT:
            _line(pdf, block.text, Align.R)
        elif kind is BlockKind.HEADING:
            _bold_line(pdf, block.text, Align.L)
        elif kind is BlockKind.LINE:
            _line(pdf, block.text, Align.L)
        elif kind is BlockKind.PARAGRAPH:
            _line(pdf, INDENT + block.text, Align.J)
        elif kind is BlockKind.TABLE:
            _table(pdf, block)
        elif kind is BlockKind.SEAL:
            _seal(pdf)
        elif kind is BlockKind.SIGN:
            pdf.ln(2)
            _line(pdf, f"{block.text}：________________    ______年____月____日", Align.L)
    return bytes(pdf.output())
