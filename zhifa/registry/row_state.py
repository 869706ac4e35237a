"""What the record log holds of each registry row: a keyed digest of its whole state.

Registry entries name the object and what changed, but deliberately carry no 身份证号码 and no
phone (the log is shown to outsiders and cannot be erased; ``services`` module docstring). So
that an edit behind the log's back is caught all the same — any field, personal or not —
every entry that writes registry rows also carries, for each row it wrote, a digest of the
row's whole state just after the write: its columns in a fixed order (:mod:`.replay` lists
them per model, with the child rows folded in: a certificate's domains and status history, a
power item's legal bases, a benchmark's grades, an account's groups), serialised as compact
JSON and hashed with keyed BLAKE2b to :data:`DIGEST_BYTES` bytes. ``zhifa verify``
recomputes every row's digest from the tables and compares it with the one the latest entry
holds for that row (:func:`zhifa.registry.replay.registry_replay_check`).

Why keyed, not a plain or salted hash: an ID number has little entropy (a division
code, a birth date, three digits), a mobile number less; a plain SHA-256 of either, or one
salted with a salt stored beside it in the log, is undone by trying every candidate in
seconds. The key is derived from the data folder's secret key (``settings.SECRET_KEY``, kept in
``DATA_DIR/secret-key`` and in every ``zhifa backup``), so whoever reads the log without the
data folder learns nothing from a digest, while the data folder's owner can check every row.
Each entry names the key it used by :func:`key_id`; after a change of secret key the old one
goes into ``SECRET_KEY_FALLBACKS`` and older digests still verify (a digest under a key not
found is reported as such, not as tampering).

Keyed BLAKE2b is a MAC by design (RFC 7693; in ``hashlib``), as HMAC-SHA-256 is, and three
times faster on rows this short (1.1 µs against 3.7 µs a row, measured here: the demo's
province and ``zhifa verify`` compute 1.35 million of them); the key itself is derived with
HMAC-SHA-256. Twelve bytes (96 bits) are plenty for a digest nobody can compute without the
key, and keep the demo's province (1.35 million rows) to 16 MB of digests in the log.

How an entry carries them (its payload's ``state``)::

    {"key": "<key id>", "rows": {"registry.officer": [[first_id, count, "<base64url>"], ...]}}

one run per stretch of consecutive ids, its digests concatenated, so a bulk load of 2,000 rows
is one short run and a service's single row a run of one. Pure: no Django.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

DIGEST_BYTES = 12
VERSION = 1  # of the state layout; a new layout of any model is a new version
_KEY_LABEL = b"zhifa.registry.row-state.v1"
_PERSON = b"zhifa.row-state"  # BLAKE2b's personalisation: these digests and no others

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=lambda v: _plain(v))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        # without its scale: 30, 30.0 and 30.00 are one value (as stored, as typed)
        return format(value.normalize(), "f")
    raise TypeError(f"no state form for {value!r}")


def digest_key(secret: str | bytes) -> bytes:
    """The key of the row digests, derived from a secret key (never the secret itself)."""
    raw = secret.encode() if isinstance(secret, str) else secret
    return hmac.digest(raw, _KEY_LABEL, "sha256")


def key_id(key: bytes) -> str:
    """A short public name of a digest key (says which key, reveals nothing of it)."""
    return hashlib.sha256(b"key-id:" + key).hexdigest()[:8]


def state_bytes(label: str, values: Sequence[Any]) -> bytes:
    """The bytes a row's digest covers: its model label, the layout version and its values
    (str, int, bool, None, date, datetime, Decimal — without its scale — and lists of
    them)."""
    return _dumps.encode([label, VERSION, *values]).encode()


def state_digest(key: bytes, label: str, values: Sequence[Any]) -> bytes:
    return hashlib.blake2b(
        state_bytes(label, values), key=key, digest_size=DIGEST_BYTES, person=_PERSON
    ).digest()


def pack(digests: Iterable[tuple[int, bytes]]) -> list[list[Any]]:
    """``(id, digest)`` pairs, in any order, as runs ``[first_id, count, base64url]``."""
    runs: list[list[Any]] = []
    first = previous = -2
    parts: list[bytes] = []
    for pk, digest in sorted(digests):
        if len(digest) != DIGEST_BYTES:
            raise ValueError("a row digest has DIGEST_BYTES bytes")
        if pk != previous + 1 and parts:
            runs.append([first, len(parts), _b64(b"".join(parts))])
            parts = []
        if not parts:
            first = pk
        parts.append(digest)
        previous = pk
    if parts:
        runs.append([first, len(parts), _b64(b"".join(parts))])
    return runs


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unpack(runs: Any) -> Iterator[tuple[int, bytes]]:
    """The ``(id, digest)`` pairs of :func:`pack`'s runs; ``ValueError`` for anything else."""
    if not isinstance(runs, list):
        raise ValueError("state runs are a list")
    for run in runs:
        if not (isinstance(run, list) and len(run) == 3):
            raise ValueError("a state run is [first_id, count, digests]")
        first, count, text = run
        if type(first) is not int or type(count) is not int or not isinstance(text, str):
            raise ValueError("a state run is [first_id, count, digests]")
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        if count < 1 or len(data) != count * DIGEST_BYTES:
            raise ValueError("a state run's digests do not match its count")
        for i in range(count):
            yield first + i, data[i * DIGEST_BYTES : (i + 1) * DIGEST_BYTES]


def state_payload(key: bytes, rows: Mapping[str, Iterable[tuple[int, bytes]]]) -> dict[str, Any]:
    """The ``state`` of an entry: the key's id and each model's runs."""
    return {"key": key_id(key), "rows": {label: pack(pairs) for label, pairs in rows.items()}}
