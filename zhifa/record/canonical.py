"""Canonical JSON: the one byte serialisation of a record entry, so its hash is reproducible.

The rules (every writer and every verifier must follow them exactly):

- objects: keys are strings, sorted by code point (Python's ``sort_keys``), no duplicates;
- no insignificant whitespace: separators ``,`` and ``:``;
- UTF-8, with non-ASCII characters written as themselves (``ensure_ascii=False``); the JSON
  escapes are the minimal ones of Python's encoder (``"``, ``\\``, control characters);
- ``str``, ``int``, ``bool`` and ``None`` as JSON; tuples and lists as arrays;
- ``Decimal`` as a JSON *string* of ``str(value)`` (``Decimal("200.00")`` → ``"200.00"``): money
  keeps its scale and no reader has to parse a binary float;
- ``datetime`` (must be timezone-aware) as a string in UTC with microseconds,
  ``"2026-11-20T02:00:00.000000Z"``; ``date`` as ``"2026-11-20"``;
- **floats are refused** (``CanonicalError``): their decimal form differs between languages and
  they cannot carry money exactly — pass a ``Decimal`` or an ``int``. NaN and infinities are
  refused with them. Sets are refused too (no order), as are any other types.

This is close to, but not exactly, RFC 8785 (JCS): keys are sorted by code point rather than by
UTF-16 code unit (the orders differ only between astral characters and U+E000–U+FFFF), and
non-integers never appear as JSON numbers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

__all__ = ["CanonicalError", "canonical_datetime", "canonical_json", "canonical_text"]

_encoder = json.JSONEncoder(
    ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
)


class CanonicalError(TypeError):
    """A value has no canonical JSON form (a float, a naive datetime, a non-string key …)."""


def canonical_datetime(value: datetime) -> str:
    """An aware datetime as ``YYYY-MM-DDTHH:MM:SS.ffffffZ`` in UTC."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise CanonicalError(f"a naive datetime has no canonical form: {value!r}")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _plain(value: Any, path: str) -> Any:
    # Exact type checks first: the common cases stay cheap.
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise CanonicalError(f"{path}: object keys must be strings, got {key!r}")
            out[str(key)] = _plain(item, f"{path}.{key}")
        return out
    if isinstance(value, list | tuple):
        return [_plain(item, f"{path}[{i}]") for i, item in enumerate(value)]
    if isinstance(value, float):
        raise CanonicalError(f"{path}: floats are not allowed, use Decimal or int ({value!r})")
    if isinstance(value, str):  # str subclasses, e.g. TextChoices members
        return str(value)
    if isinstance(value, int):  # int subclasses, e.g. IntegerChoices members (bool handled)
        return int(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise CanonicalError(f"{path}: {value!r} has no canonical form")
        return str(value)
    if isinstance(value, datetime):
        return canonical_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    raise CanonicalError(f"{path}: {type(value).__name__} has no canonical JSON form")


def canonical_text(value: Any) -> str:
    """The canonical JSON of ``value`` as text; raises ``CanonicalError``."""
    return _encoder.encode(_plain(value, "$"))


def canonical_json(value: Any) -> bytes:
    """The canonical JSON of ``value`` as UTF-8 bytes; raises ``CanonicalError``."""
    return canonical_text(value).encode()


_string = json.encoder.encode_basestring  # the C encoder of ensure_ascii=False


def _number(value: int | None) -> str:
    return "null" if value is None else str(int(value))


def entry_leaf_bytes(
    *,
    seq: int,
    recorded_at: str,
    actor_id: int | None,
    actor_name: str,
    role: str,
    case_id: int | None,
    action: str,
    payload: str,
    files: str,
    corrects_seq: int | None,
) -> bytes:
    """The bytes a record entry's leaf hash covers: the canonical JSON of

    ``{seq, recorded_at, actor_id, actor_name, role, case_id, action, payload, files,
    corrects_seq}``, with ``recorded_at`` from ``canonical_datetime`` and ``payload``/``files``
    given as their canonical JSON text (as stored). Written out by hand — keys already in
    sorted order — so verification can rebuild it from stored columns without parsing JSON.
    """
    return (
        f'{{"action":{_string(action)},"actor_id":{_number(actor_id)},'
        f'"actor_name":{_string(actor_name)},"case_id":{_number(case_id)},'
        f'"corrects_seq":{_number(corrects_seq)},"files":{files},"payload":{payload},'
        f'"recorded_at":"{recorded_at}","role":{_string(role)},"seq":{int(seq)}}}'
    ).encode()
