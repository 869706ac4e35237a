"""DOCX layout of a document with python-docx: the same blocks as the PDF, editable in Word/WPS.

DOCX files name their fonts instead of embedding them: the East Asian font is 宋体 (present on
every Chinese Windows/WPS installation; LibreOffice substitutes a Ming face). The PDF is the
document of record; the DOCX is for officers who must adapt the wording by hand.
"""

from __future__ import annotations

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from . import DocumentMeta
from .markup import SEAL_TEXT, Block, BlockKind, sign_line
from .qr import QR_MM, qr_png

EAST_ASIAN_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_PT = 14
TITLE_PT = 22


def _font(run: Run, *, size: float = BODY_PT, bold: bool = False) -> None:
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    r_pr = run._element.get_or_add_rPr()
    r_pr.get_or_add_rFonts().set(qn("w:eastAsia"), EAST_ASIAN_FONT)


def _paragraph(
    doc: object,
    text: str,
    align: WD_ALIGN_PARAGRAPH,
    *,
    size: float = BODY_PT,
    bold: bool = False,
    indent: bool = False,
) -> Paragraph:
    paragraph: Paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_after = Pt(2)
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    _font(paragraph.add_run(text), size=size, bold=bold)
    return paragraph


def _table(doc: object, block: Block) -> None:
    width = max(len(row) for row in block.rows)
    table = doc.add_table(rows=len(block.rows), cols=width)  # type: ignore[attr-defined]
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, cells in enumerate(block.rows):
        row = table.rows[r]
        for i, text in enumerate(cells):
            cell = row.cells[i]
            if i == len(cells) - 1 and i < width - 1:
                cell = cell.merge(row.cells[width - 1])  # a short row's last cell spans the rest
            cell.text = ""
            _font(cell.paragraphs[0].add_run(text), size=BODY_PT - 2, bold=block.header and r == 0)
    doc.add_paragraph()  # type: ignore[attr-defined]


def render_docx(blocks: list[Block], *, meta: DocumentMeta) -> bytes:
    """The document as DOCX bytes (A4, the same margins and blocks as the PDF)."""
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Mm(297), Mm(210)
    section.top_margin, section.bottom_margin = Mm(30), Mm(25)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    props = doc.core_properties
    props.title = meta.title
    props.subject = meta.number
    props.author = meta.author
    props.last_modified_by = "zhifa"
    props.keywords = f"{meta.reference} version {meta.version}"
    props.revision = meta.version
    props.created = props.modified = meta.at.replace(tzinfo=None)
    props.language = "zh-CN"
    closing = len(blocks)
    while closing > 0 and blocks[closing - 1].kind in (
        BlockKind.SIGN,
        BlockKind.RIGHT,
        BlockKind.SEAL,
    ):
        closing -= 1
    for index, block in enumerate(blocks):
        kind = block.kind
        before = len(doc.paragraphs)
        if kind is BlockKind.TITLE:
            _paragraph(doc, block.text, WD_ALIGN_PARAGRAPH.CENTER, size=TITLE_PT, bold=True)
        elif kind is BlockKind.CENTRE:
            _paragraph(doc, block.text, WD_ALIGN_PARAGRAPH.CENTER)
        elif kind is BlockKind.RIGHT:
            _paragraph(doc, block.text, WD_ALIGN_PARAGRAPH.RIGHT)
        elif kind is BlockKind.HEADING:
            _paragraph(doc, block.text, WD_ALIGN_PARAGRAPH.LEFT, bold=True)
        elif kind is BlockKind.LINE:
            _paragraph(doc, block.text, WD_ALIGN_PARAGRAPH.LEFT)
        elif kind is BlockKind.PARAGRAPH:
            _paragraph(doc, block.text, WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
        elif kind is BlockKind.TABLE:
            _table(doc, block)
        elif kind is BlockKind.SEAL:
            seal = _paragraph(doc, SEAL_TEXT, WD_ALIGN_PARAGRAPH.RIGHT)
            seal.runs[0].font.color.rgb = RGBColor(0xC8, 0x1E, 0x1E)
        elif kind is BlockKind.SIGN:
            _paragraph(doc, sign_line(block.text), WD_ALIGN_PARAGRAPH.LEFT)
        elif kind is BlockKind.QR:
            picture = doc.add_paragraph()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.add_run().add_picture(io.BytesIO(qr_png(block.text)), width=Mm(QR_MM))
            _paragraph(doc, block.text, WD_ALIGN_PARAGRAPH.CENTER)
        if closing - 1 <= index < len(blocks) - 1:
            # The closing stays on one page with the body's last block (as in the PDF): Word
            # and WPS move them to the next page together.
            for paragraph in doc.paragraphs[before:]:
                paragraph.paragraph_format.keep_with_next = True
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
