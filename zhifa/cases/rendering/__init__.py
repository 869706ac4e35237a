"""Rendering of enforcement documents (执法文书): template markup → blocks → PDF and DOCX.

``markup`` parses what a template renders to; ``pdf`` and ``docx`` lay the same blocks out.
Nothing here reads the database or the settings: ``cases.documents`` passes everything in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class DocumentMeta:
    """What both files carry besides their text: title, number, author, moment and version.

    The version goes into the files' metadata, so a regenerated document is always a new file
    (a new SHA-256) even when its text did not change.
    """

    title: str
    number: str
    author: str
    at: datetime
    version: int
    reference: str  # e.g. "case 12 document 34", for the keywords
