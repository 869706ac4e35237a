"""How Chinese text becomes search tokens (分词), the same way for documents and queries.

Words come from jieba's search mode (``rjieba``, the Rust port with the same dictionary; see
docs/decisions.md), with its HMM guesser off so that a word is found only when the dictionary
knows it: the segmentation of a string then depends far less on its neighbours, and a query
segments as the same string does inside a document. Every CJK character is indexed on its own as
well, so a one-character query (药) matches, and so does a run the dictionary does not know (it
falls apart into characters in the query too). Latin letters and digits stay runs (2025, 123,
91130302ma…), lower-cased.

A query's tokens are its longest words plus the characters no word of the query covers; all
are required (a document holding 中华人民共和国 holds its search-mode parts 中华, 人民 … too, so
asking for them as well would only slow the query down). Every token is ``str.isalnum()``: no
quote, backslash or space that would need escaping in an FTS5 MATCH expression or a tsquery.
"""

from __future__ import annotations

import rjieba

# The longest query kept: a search box is not a document.
QUERY_MAX_CHARS = 100


def _words(text: str) -> list[str]:
    """Search-mode words of ``text``, lower-cased, without punctuation and spaces.

    Without HMM a word is a dictionary word (CJK, or a few mixed ones such as t恤), a run of
    ASCII letters and digits, or a single character: ``isalnum`` keeps exactly the first two
    and the letters and digits among the third."""
    return [w for w in rjieba.cut_for_search(text.lower(), hmm=False) if w.isalnum()]


def _is_cjk(char: str) -> bool:
    return (
        "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\uf900" <= char <= "\ufaff"
    )


def document_tokens(text: str) -> list[str]:
    """The distinct tokens of a document: its words (single CJK characters included) and every
    CJK character, in no particular order (the index stores no positions)."""
    tokens = set(_words(text))
    tokens.update(c for c in set(text) if _is_cjk(c))
    return list(tokens)


def query_tokens(query: str) -> list[str]:
    """The tokens a document must all hold to match ``query``: its words, plus each CJK
    character not inside one of them (a lone 药, or 监 罚 of an unknown 监罚)."""
    words = _words(query[:QUERY_MAX_CHARS])
    tokens: dict[str, None] = {}
    covered: set[str] = set()
    for word in words:
        if len(word) > 1:
            tokens[word] = None
            covered.update(word)
    for word in words:
        if len(word) == 1 and (word not in covered or not _is_cjk(word)):
            tokens[word] = None
    # Alphanumeric runs are whole tokens (123 is not inside 1234); CJK words hold their parts.
    return [
        t
        for t in tokens
        if not (_is_cjk(t[0]) and any(t != other and t in other for other in tokens))
    ]
