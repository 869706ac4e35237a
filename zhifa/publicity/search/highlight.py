"""Query terms marked in the texts a result shows (<mark>), and the body excerpt around them.

Pure: text in, escaped HTML out. A term is a query token (tokenize.query_tokens); the marks go
around every occurrence of any term, longest first, in the already-redacted text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

EXCERPT_CHARS = 120


def _pattern(terms: Iterable[str]) -> re.Pattern[str] | None:
    words = sorted({t for t in terms if t}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def highlight(text: str, terms: Iterable[str]) -> SafeString:
    """``text`` HTML-escaped, each occurrence of a term inside <mark>."""
    pattern = _pattern(terms)
    if pattern is None:
        return mark_safe(escape(text))  # noqa: S308 - escaped just now
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(escape(text[last : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped


def excerpt(text: str, terms: Iterable[str], *, width: int = EXCERPT_CHARS) -> SafeString:
    """About ``width`` characters of ``text`` around the first term found (the start when none
    is), with "…" where it was cut, highlighted."""
    terms = list(terms)
    pattern = _pattern(terms)
    match = pattern.search(text) if pattern else None
    start = max(0, match.start() - width // 3) if match else 0
    end = min(len(text), start + width)
    piece = text[start:end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(f"{prefix}{highlight(piece, terms)}{suffix}")  # noqa: S308
