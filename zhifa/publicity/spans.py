"""The publisher's redaction review: spans over the original text, their states, the redacted
text and the side-by-side segments. Pure: no Django.

A span is a dict (stored in ``Publication.spans``)::

    {"id": 3, "start": 10, "end": 28, "kind": "id_number", "replacement": "×××",
     "state": "remove" | "pending" | "keep", "origin": "auto" | "publisher", "source": "…"}

``pending``: an ambiguous finding the engine did not apply; the publisher must decide
(``remove`` or ``keep``) before publishing. ``keep``: undone by the publisher (or resolved as
not personal): the original stays. Offsets are code points of the original text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

REMOVE = "remove"
PENDING = "pending"
KEEP = "keep"

# The engine's labels (``redaction.KIND_LABELS``) are used when the engine is installed; these
# are the same names, so the review page works while it is not.
KIND_LABELS: dict[str, str] = {
    "id_number": "身份证号码",
    "phone": "电话号码",
    "bank_account": "银行账号",
    "property_certificate": "不动产权证号",
    "email": "电子邮箱",
    "address": "住址",
    "person_name": "姓名",
    "personal": "其他个人信息",
}


def default_replacement(kind: str) -> str:
    """Names become 某某, everything else ×××."""
    return "某某" if kind == "person_name" else "×××"


def span(
    sid: int,
    start: int,
    end: int,
    kind: str,
    *,
    state: str = REMOVE,
    replacement: str = "",
    origin: str = "auto",
    source: str = "",
) -> dict[str, Any]:
    return {
        "id": sid,
        "start": start,
        "end": end,
        "kind": kind,
        "replacement": replacement or default_replacement(kind),
        "state": state,
        "origin": origin,
        "source": source,
    }


def next_id(spans: Sequence[Mapping[str, Any]]) -> int:
    return max((int(s["id"]) for s in spans), default=0) + 1


def applied(spans: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The spans removed from the text, in order; of overlapping ones the earliest (then the
    longest) wins and the others are covered by it."""
    chosen: list[Mapping[str, Any]] = []
    end = -1
    for s in sorted(
        (s for s in spans if s["state"] == REMOVE), key=lambda s: (s["start"], -s["end"])
    ):
        if s["start"] < end:
            if s["end"] > end and chosen:
                # Overlap: widen the earlier span so nothing of either stays visible.
                last = dict(chosen[-1])
                last["end"] = s["end"]
                chosen[-1] = last
                end = s["end"]
            continue
        chosen.append(s)
        end = s["end"]
    return chosen


def redacted_text(text: str, spans: Iterable[Mapping[str, Any]]) -> str:
    """``text`` with every removed span replaced by its replacement."""
    out: list[str] = []
    at = 0
    for s in applied(spans):
        out.append(text[at : s["start"]])
        out.append(str(s["replacement"]))
        at = s["end"]
    out.append(text[at:])
    return "".join(out)


@dataclass(frozen=True)
class Segment:
    """A piece of a text for the side-by-side view: plain (``span`` None) or a span."""

    text: str
    span: Mapping[str, Any] | None = None
    label: str = ""


def original_segments(
    text: str, spans: Iterable[Mapping[str, Any]], labels: Mapping[str, str]
) -> list[Segment]:
    """The original with every removed or pending span marked (kept ones are plain)."""
    marked = sorted(
        (s for s in spans if s["state"] in (REMOVE, PENDING)),
        key=lambda s: (s["start"], -s["end"]),
    )
    out: list[Segment] = []
    at = 0
    for s in marked:
        if s["start"] < at:
            continue  # covered by an earlier span
        out.append(Segment(text[at : s["start"]]))
        out.append(Segment(text[s["start"] : s["end"]], s, labels.get(s["kind"], s["kind"])))
        at = s["end"]
    out.append(Segment(text[at:]))
    return [seg for seg in out if seg.text]


def redacted_segments(
    text: str, spans: Iterable[Mapping[str, Any]], labels: Mapping[str, str]
) -> list[Segment]:
    """The redacted text with each replacement marked."""
    out: list[Segment] = []
    at = 0
    for s in applied(spans):
        out.append(Segment(text[at : s["start"]]))
        out.append(Segment(str(s["replacement"]), s, labels.get(s["kind"], s["kind"])))
        at = s["end"]
    out.append(Segment(text[at:]))
    return [seg for seg in out if seg.text]


def pending(spans: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [s for s in spans if s["state"] == PENDING]


def occurrences(text: str, value: str) -> list[int]:
    """Every start offset of ``value`` in ``text``."""
    found: list[int] = []
    if not value:
        return found
    start = text.find(value)
    while start >= 0:
        found.append(start)
        start = text.find(value, start + 1)
    return found


def compact(text: str) -> str:
    """``text`` without whitespace and common separators (for the leak check)."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in "-－—_.·")
