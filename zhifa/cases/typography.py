"""Typographic rules of enforcement documents (文书排版规则), applied where every document renders.

A template joins its own wording to case text: ``经查，{{ facts }}。``. When the officer's text
already says what the template adds, the join doubles it — "经查，经查，…", "…12盒。。". The
rules here undo such joins on the rendered text, so they hold for the default templates and for
every agency's own; and they say where a line of the PDF may break, so that a number or an
amount ("30000.00元") is never split across two lines.

Pure: text in, text out; no Django, no fonts (the PDF writer passes a width function in).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from .rendering.markup import Block

# -- doubled lead-in ------------------------------------------------------------------------

# The lead-in of a finding (经查 / 经查明 / 经本局调查 …): a template's own and the officer's.
_LEAD_IN_WORD = r"经(?:本(?:机关|局|所|队))?(?:依法)?(?:调查核实|查明|查实|调查|核查|核实|查)"
# 查封, 查处, 查获 … are other words: 经查封的物品 is not a lead-in.
_LEAD_IN_NEXT = r"(?![封处获扣询看收])"
_DOUBLED_LEAD_IN = re.compile(
    rf"{_LEAD_IN_WORD}[，,：:]\s*(?={_LEAD_IN_WORD}{_LEAD_IN_NEXT})",
)


def without_doubled_lead_in(text: str) -> str:
    """A lead-in directly followed by another keeps only the second (the officer's wording):
    "经查，经查，当事人…" → "经查，当事人…"; "经查，经查明，…" → "经查明，…"."""
    return _DOUBLED_LEAD_IN.sub("", text)


# -- doubled punctuation --------------------------------------------------------------------

# A sentence already ended (。！？) needs no full stop after it.
_ENDED_THEN_STOP = re.compile(r"([。！？!?])[。．]+")
# A clause mark (；，、：) right before a full stop gives way to it: the sentence ends there.
_CLAUSE_THEN_STOP = re.compile(r"[；;，,、：:]+。")
# The same Chinese mark twice in a row is never meant (an ellipsis is ……, not 。。).
_REPEATED = re.compile(r"([。，、；：])\1+")


def without_doubled_punctuation(text: str) -> str:
    """ "…12盒。。" → "…12盒。"; "…吗？。" → "…吗？"; "…；。" → "…。"; "，，" → "，"."""
    text = _REPEATED.sub(r"\1", text)
    text = _ENDED_THEN_STOP.sub(r"\1", text)
    return _CLAUSE_THEN_STOP.sub("。", text)


def tidy(text: str) -> str:
    """Every text rule, in order: the doubled lead-in, then doubled punctuation."""
    return without_doubled_punctuation(without_doubled_lead_in(text))


def block_tidy(block: Block) -> Block:
    """The block with :func:`tidy` applied to its text and to every table cell."""
    return replace(
        block,
        text=tidy(block.text),
        rows=tuple(tuple(tidy(cell) for cell in row) for row in block.rows),
    )


# -- line breaking --------------------------------------------------------------------------

# A number or Latin word with its inner separators stays one unit: 30000.00, 2026-06-30, 12:30,
# 91350100MA2Y7KQ85B, 3.5%; a currency or percent sign right after a number goes with it.
_WORD = re.compile(r"[0-9A-Za-z]+(?:[.,:/\-_·][0-9A-Za-z]+)*(?:[%％元])?")
# Marks that may not begin a line (行首禁则) and those that may not end one (行尾禁则).
NO_LINE_START = "，。、；：？！）》」』”’〕】〉％…—,.;:?!)]}%"
NO_LINE_END = "（《「『“‘〔【〈([{"


def line_units(text: str) -> list[str]:
    """``text`` cut where a line may break: between Chinese characters, never inside a
    number or Latin word, never before a closing mark nor after an opening one. Joined
    together the units give ``text`` back."""
    atoms: list[str] = []
    i = 0
    while i < len(text):
        match = _WORD.match(text, i)
        end = match.end() if match else i + 1
        atoms.append(text[i:end])
        i = end
    units: list[str] = []
    glue_next = False
    for atom in atoms:
        if units and (glue_next or atom[0] in NO_LINE_START):
            units[-1] += atom
        else:
            units.append(atom)
        glue_next = atom[-1] in NO_LINE_END
    return units


def wrap(text: str, width: Callable[[str], float], max_width: float) -> list[str]:
    """The lines of ``text`` within ``max_width`` (``width`` measures a string, additively:
    the width of a line is the sum of its units'), broken only between :func:`line_units`. A
    unit wider than a whole line is split by character — the only case in which a number may
    break. Spaces at the end of a line are dropped, and at the start of the next."""
    lines: list[str] = []
    line, used = "", 0.0
    for unit in line_units(text):
        unit_width = width(unit)
        if used + unit_width <= max_width:
            line, used = line + unit, used + unit_width
            continue
        if line.strip():
            lines.append(line.rstrip(" "))
            line, used = "", 0.0
            unit = unit.lstrip(" ")
            unit_width = width(unit)
            if unit_width <= max_width:
                line, used = unit, unit_width
                continue
        for char in unit:  # a unit longer than a line: split by character
            char_width = width(char)
            if line and used + char_width > max_width:
                lines.append(line)
                line, used = "", 0.0
            line, used = line + char, used + char_width
    if line or not lines:
        lines.append(line.rstrip(" "))
    return lines
