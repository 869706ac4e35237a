"""The document markup (文书标记): what a document template renders to, before PDF or DOCX.

A template (``templates/cases/documents/<kind>.txt``, or an agency's own in ``DocumentTemplate``)
is Django template language that produces lines of this markup. One line is one block; blank
lines are ignored (so template tags may sit on lines of their own):

==========================  ===============================================================
``# 行政处罚决定书``          the title: centred, large
``^ 示范市监罚〔2026〕12号``  a centred line (agency name above the title, document number)
``> 2026年11月20日``          a right-aligned line (the agency and date of the signature)
``## 一、违法事实``           a heading: bold, not indented
``- 当事人：刘某某``          a line without first-line indent (labelled fields)
``| 名称 | 数量 | 备注 |``    a table row; consecutive rows form one table; a row
                              ``|---|`` after the first makes the first a header
``@seal``                     the seal placeholder (印章), drawn at the right
``@sign 当事人签名``          a signature line: label, a blank to sign on, and a date blank
``@qr https://…``             a QR code of the address, drawn centred (the licence's
                              verification page); its text is the address
anything else                 a paragraph with a two-character first-line indent
==========================  ===============================================================

Values reach the template already cleaned by :func:`clean`: one line, no ``|``, so case data
can never start a block of its own. Pure: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class BlockKind(StrEnum):
    TITLE = "title"
    CENTRE = "centre"
    RIGHT = "right"
    HEADING = "heading"
    LINE = "line"
    PARAGRAPH = "paragraph"
    TABLE = "table"
    SEAL = "seal"
    SIGN = "sign"
    QR = "qr"


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    header: bool = False


@dataclass
class _Table:
    rows: list[tuple[str, ...]] = field(default_factory=list)
    header: bool = False


def clean(value: object) -> str:
    """A value as it may appear inside a markup line: whitespace runs (newlines included)
    become one space, ``|`` becomes the full-width ``｜``."""
    text = "" if value is None else str(value)
    return " ".join(text.split()).replace("|", "｜")


def _cells(line: str) -> tuple[str, ...]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return tuple(cell.strip() for cell in inner.split("|"))


def _is_rule(cells: tuple[str, ...]) -> bool:
    return all(c and set(c) <= {"-", ":"} for c in cells)


_PREFIXES: tuple[tuple[str, BlockKind], ...] = (
    ("## ", BlockKind.HEADING),
    ("# ", BlockKind.TITLE),
    ("^ ", BlockKind.CENTRE),
    ("> ", BlockKind.RIGHT),
    ("- ", BlockKind.LINE),
    ("@sign ", BlockKind.SIGN),
    ("@qr ", BlockKind.QR),
)


def parse(text: str) -> list[Block]:
    """The blocks of a rendered template, in order."""
    blocks: list[Block] = []
    table: _Table | None = None

    def flush() -> None:
        nonlocal table
        if table is not None and table.rows:
            blocks.append(Block(BlockKind.TABLE, rows=tuple(table.rows), header=table.header))
        table = None

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("|"):
            cells = _cells(line)
            if table is None:
                table = _Table()
            if _is_rule(cells):
                table.header = len(table.rows) == 1
                continue
            table.rows.append(cells)
            continue
        flush()
        if line == "@seal":
            blocks.append(Block(BlockKind.SEAL))
            continue
        for prefix, kind in _PREFIXES:
            if line.startswith(prefix):
                blocks.append(Block(kind, line[len(prefix) :].strip()))
                break
        else:
            blocks.append(Block(BlockKind.PARAGRAPH, line))
    flush()
    return blocks


def sign_line(label: str) -> str:
    """A signature line as both writers print it: the label, a blank to sign on, a date."""
    return f"{label}：________________    ______年____月____日"


SEAL_TEXT = "（印章）"


def plain_text(blocks: list[Block]) -> str:
    """The text of the blocks, one block per line, as the PDF and DOCX print it (what a
    reader of the document sees; the PDF also has page numbers)."""
    out: list[str] = []
    for block in blocks:
        if block.kind is BlockKind.TABLE:
            out.extend(" ".join(row) for row in block.rows)
        elif block.kind is BlockKind.SEAL:
            out.append(SEAL_TEXT)
        elif block.kind is BlockKind.SIGN:
            out.append(sign_line(block.text))
        else:
            out.append(block.text)
    return "\n".join(out)
