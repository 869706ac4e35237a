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

import functools
import io
import logging
import pickle
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import Align, TextMode, WrapMode, XPos, YPos
from fpdf.fonts import FontFace, SubsetMap, TTFFont

from ..typography import wrap
from . import DocumentMeta
from .markup import Block, BlockKind, sign_line
from .qr import QR_MM, qr_png

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


SEAL_RADIUS = 21.0  # a 42 mm seal, the size of an agency's official seal
SEAL_GAP = 3.0  # between the text above and the top of the seal's space


@dataclass(frozen=True)
class SignatureLayout:
    """Where the signature (the agency's name and the date) and its seal go, in mm from the
    top of the page. The seal has its own space below what precedes it: its circle never
    reaches up into the text or the signature lines above. As GB/T 9704-2012 (7.3.5.1) has it,
    the seal is pressed over the agency's name and the date, which sit a little below its
    centre; the label "（印章）" sits below them, inside the circle."""

    top: float  # where the previous content ends
    circle_top: float
    centre_y: float
    text_top: float
    label_top: float
    bottom: float  # where the content after the seal may start

    @property
    def height(self) -> float:
        return self.bottom - self.top


def signature_layout(top: float, lines: int) -> SignatureLayout:
    """The layout of a signature of ``lines`` lines (agency, date) with its seal, below
    ``top``."""
    circle_top = top + SEAL_GAP
    centre_y = circle_top + SEAL_RADIUS
    text_height = lines * LINE_MM
    text_top = centre_y - text_height / 2 + 2  # a little below the centre
    label_top = max(text_top + text_height, centre_y + SEAL_RADIUS - 10)
    return SignatureLayout(
        top=top,
        circle_top=circle_top,
        centre_y=centre_y,
        text_top=text_top,
        label_top=label_top,
        bottom=centre_y + SEAL_RADIUS + 2,
    )


def _room_left(pdf: FPDF) -> float:
    return float(pdf.page_break_trigger - pdf.get_y())


def _signature(pdf: FPDF, lines: list[str]) -> None:
    """The agency's name and the date (right-aligned) with the seal pressed over them, in space
    reserved for the seal: started on a new page when the page has not room for all of it."""
    pdf.set_font(FAMILY, size=BODY_PT)
    if _room_left(pdf) < signature_layout(0, len(lines)).height:
        pdf.add_page()
    layout = signature_layout(pdf.get_y(), len(lines))
    right = pdf.w - pdf.r_margin - pdf.c_margin
    widest = max((pdf.get_string_width(line) for line in lines), default=0.0)
    centre_x = right - max(widest / 2, SEAL_RADIUS)
    pdf.set_y(layout.text_top)
    for line in lines:
        pdf.cell(0, LINE_MM, line, align=Align.R, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    with pdf.local_context(draw_color=SEAL_RED, text_color=SEAL_RED, line_width=0.6):
        # fpdf2 ≥ 2.8.1: x, y is the centre
        pdf.circle(x=centre_x, y=layout.centre_y, radius=SEAL_RADIUS)
        pdf.set_font(FAMILY, size=SMALL_PT)
        pdf.set_xy(centre_x - SEAL_RADIUS, layout.label_top)
        pdf.cell(2 * SEAL_RADIUS, 6, "（印章）", align=Align.C)
    pdf.set_xy(pdf.l_margin, layout.bottom)


@functools.cache
def _face(path: str, index: int) -> tuple[TTFFont, bytes]:
    """The face read once per process: fpdf2's font object (cmap, widths, descriptor) and its
    fontTools tables, pickled. Reading a CJK face (tens of thousands of glyphs) took more than
    half of each document's time; fontTools pickles a lazily read font by its file name."""
    probe = FPDF()
    probe.add_font(FAMILY, fname=path, collection_font_number=index)
    face = probe.fonts[FAMILY]
    assert isinstance(face, TTFFont)
    return face, pickle.dumps(face.ttfont, protocol=pickle.HIGHEST_PROTOCOL)


def _add_font(pdf: FPDF, font: Font) -> None:
    """``pdf.add_font`` of the document font from the face read once (``_face``): what fpdf2
    only reads is shared; what a document changes is its own — the glyphs it uses
    (``subset``), the widths table it fills as it measures (``cw``), and the fontTools font
    that output subsets in place (a fresh copy of the tables)."""
    face, tables = _face(str(font.path), font.index)
    if face.color_font is not None:  # not a plain face: let fpdf2 read it for this document
        pdf.add_font(FAMILY, fname=str(font.path), collection_font_number=font.index)
        return
    own = TTFFont.__new__(TTFFont)
    for name in TTFFont.__slots__:
        if hasattr(face, name):
            setattr(own, name, getattr(face, name))
    own.i = len(pdf.fonts) + 1
    own.ttfont = pickle.loads(tables)  # noqa: S301 - our own bytes, made in this process
    own.cw = face.cw.copy()
    own.missing_glyphs = []
    own.biggest_size_pt = 0
    own._hbfont = None
    own.subset = SubsetMap(own)
    pdf.fonts[face.fontkey] = own


def closing_start(blocks: list[Block]) -> int:
    """The index where the closing of the document begins: the signature lines, the agency's
    name and date and the seal at its end (``len(blocks)`` when it has none)."""
    start = len(blocks)
    while start > 0 and blocks[start - 1].kind in CLOSING:
        start -= 1
    return start


CLOSING = frozenset({BlockKind.SIGN, BlockKind.RIGHT, BlockKind.SEAL})


def render_pdf(blocks: list[Block], *, font: Font, meta: DocumentMeta) -> bytes:
    """The document as PDF bytes (A4, page numbers in the footer, the font subset embedded).

    The closing (signature lines, agency and date, seal) is kept on one page with the block
    before it: when it would start or run onto a page of its own, the document is laid out
    again with that block moved to the new page — no page holds only the seal or the
    signatures."""
    if not font.path.is_file():
        raise MissingFont(
            f"font file {font.path} not found: run scripts/system-packages.sh "
            "(Debian fonts-arphic-uming) or set ZHIFA_DOCUMENT_FONT"
        )
    keep = closing_start(blocks) - 1  # the last block of the body, kept with the closing
    pdf, alone = _layout(blocks, font=font, meta=meta, break_before=None, keep=keep)
    if alone and keep > 0:
        pdf, _ = _layout(blocks, font=font, meta=meta, break_before=keep, keep=keep)
    return bytes(pdf.output())


def _layout(
    blocks: list[Block], *, font: Font, meta: DocumentMeta, break_before: int | None, keep: int
) -> tuple[FPDF, bool]:
    """Lay the blocks out (a new page before block ``break_before``); also answer whether the
    closing ended on another page than the block ``keep`` it is kept with."""
    pdf = _Pdf(format="A4", unit="mm")
    pdf.set_margins(28, 30, 26)
    pdf.set_auto_page_break(True, margin=25)
    _add_font(pdf, font)
    pdf.set_lang("zh-CN")
    pdf.set_title(meta.title)
    pdf.set_subject(meta.number)
    pdf.set_author(meta.author)
    pdf.set_keywords(f"{meta.reference} version {meta.version}")
    pdf.set_creator("zhifa")
    pdf.set_creation_date(meta.at)
    pdf.add_page()
    kept_on = pdf.page
    signature: list[str] = []
    for index, block in enumerate(blocks):
        kind = block.kind
        if index == break_before and pdf.get_y() > pdf.t_margin + 1:
            pdf.add_page()
        if kind is BlockKind.RIGHT and _signature_follows(blocks, index):
            signature.append(block.text)  # laid out with the seal
        elif kind is BlockKind.SEAL:
            _signature(pdf, signature)
            signature = []
        elif kind is BlockKind.TITLE:
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
        elif kind is BlockKind.SIGN:
            pdf.ln(2)
            _line(pdf, sign_line(block.text), Align.L)
        elif kind is BlockKind.QR:
            if pdf.get_y() + QR_MM > pdf.h - pdf.b_margin:
                pdf.add_page()
            x = (pdf.w - QR_MM) / 2
            pdf.image(io.BytesIO(qr_png(block.text)), x=x, y=pdf.get_y(), w=QR_MM, h=QR_MM)
            pdf.set_y(pdf.get_y() + QR_MM + 1)
            _line(pdf, block.text, Align.C)
        if index == keep:
            kept_on = pdf.page
    return pdf, pdf.page != kept_on


def _signature_follows(blocks: list[Block], index: int) -> bool:
    """Whether the right-aligned line at ``index`` is part of a signature sealed below it."""
    for block in blocks[index + 1 :]:
        if block.kind is BlockKind.SEAL:
            return True
        if block.kind is not BlockKind.RIGHT:
            return False
    return False
