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
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

__all__ = [
    "LEAF_KEYS",
    "CanonicalError",
    "canonical_datetime",
    "canonical_json",
    "canonical_text",
    "entry_fields",
    "entry_leaf_bytes",
    "entry_leaf_prefix",
]

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


def entry_leaf_prefix(
    *,
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
    """``entry_leaf_bytes`` up to its last value, the ``seq`` (which comes last, keys being
    sorted): the leaf is the prefix followed by ``b"%d}" % seq``."""
    return (
        f'{{"action":{_string(action)},"actor_id":{_number(actor_id)},'
        f'"actor_name":{_string(actor_name)},"case_id":{_number(case_id)},'
        f'"corrects_seq":{_number(corrects_seq)},"files":{files},"payload":{payload},'
        f'"recorded_at":"{recorded_at}","role":{_string(role)},"seq":'
    ).encode()


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
    given as their canonical JSON text. Written out by hand — keys already in sorted order — so
    an entry costs no second serialisation.
    """
    prefix = entry_leaf_prefix(
        recorded_at=recorded_at,
        actor_id=actor_id,
        actor_name=actor_name,
        role=role,
        case_id=case_id,
        action=action,
        payload=payload,
        files=files,
        corrects_seq=corrects_seq,
    )
    return prefix + b"%d}" % int(seq)


# The keys of an entry's leaf, in their (sorted) order, and of each file it lists.
LEAF_KEYS = (
    "action",
    "actor_id",
    "actor_name",
    "case_id",
    "corrects_seq",
    "files",
    "payload",
    "recorded_at",
    "role",
    "seq",
)
FILE_KEYS = ("media_type", "name", "sha256", "size")
_RECORDED_AT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z").fullmatch
_SHA256 = re.compile(r"[0-9a-f]{64}").fullmatch


def _is_int(value: Any, *, null: bool = False) -> bool:
    return (value is None and null) or (type(value) is int)


def _is_file(item: Any) -> bool:
    return (
        type(item) is dict
        and tuple(sorted(item)) == FILE_KEYS
        and type(item["sha256"]) is str
        and _SHA256(item["sha256"]) is not None
        and type(item["name"]) is str
        and type(item["media_type"]) is str
        and type(item["size"]) is int
    )


def entry_fields(leaf: bytes) -> dict[str, Any]:
    """The fields of an entry from its leaf bytes; raises ``CanonicalError`` unless the bytes
    are exactly what ``entry_leaf_bytes`` writes for them (so no other parser can read them
    differently): one JSON object with exactly ``LEAF_KEYS``, each of its type, ``files`` a list
    of ``{media_type, name, sha256, size}``, ``payload`` an object, ``recorded_at`` as
    ``canonical_datetime`` writes it, everything in canonical form."""
    try:
        fields = json.loads(leaf.decode())  # strict UTF-8: json.loads(bytes) guesses encodings
    except ValueError as exc:  # UnicodeDecodeError and JSONDecodeError are ValueErrors
        raise CanonicalError(f"the leaf is not UTF-8 JSON: {exc}") from exc
    if type(fields) is not dict or tuple(fields) != LEAF_KEYS:
        raise CanonicalError("the leaf is not an object of the entry's keys in canonical order")
    files = fields["files"]
    if not (
        type(fields["action"]) is str
        and _is_int(fields["actor_id"], null=True)
        and type(fields["actor_name"]) is str
        and _is_int(fields["case_id"], null=True)
        and _is_int(fields["corrects_seq"], null=True)
        and type(files) is list
        and all(_is_file(item) for item in files)
        and type(fields["payload"]) is dict
        and type(fields["recorded_at"]) is str
        and _RECORDED_AT(fields["recorded_at"]) is not None
        and type(fields["role"]) is str
        and _is_int(fields["seq"])
    ):
        raise CanonicalError("a field of the leaf has the wrong type or format")
    rebuilt = entry_leaf_bytes(
        seq=fields["seq"],
        recorded_at=fields["recorded_at"],
        actor_id=fields["actor_id"],
        actor_name=fields["actor_name"],
        role=fields["role"],
        case_id=fields["case_id"],
        action=fields["action"],
        payload=canonical_text(fields["payload"]),
        files=canonical_text(files),
        corrects_seq=fields["corrects_seq"],
    )
    if rebuilt != leaf:
        raise CanonicalError("the leaf is not in canonical form")
    return fields
