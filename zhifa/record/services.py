"""Writes to the record log: appending entries, signing tree heads, storing evidence.

Every other app records itself through ``record_append``, inside its own transaction, so an
entry exists exactly when the change it describes was committed.

Concurrency differs by database (each the cheapest way to serialise writers there):

- **SQLite** keeps the log's size and frontier in the single ``LogState`` row. An append updates
  it first, conditionally on the state this thread last saw (``WHERE size = … AND frontier =
  …``), inside SQLite's IMMEDIATE write transaction, so writers are serialised; only when the
  condition fails — another process appended, or this thread's transaction rolled back — is the
  row re-read. A steady writer costs three in-process statements per entry (the state, the
  entry, the tree nodes it completed).
- **PostgreSQL** has no state row: the size is ``max(seq) + 1`` and the frontier is read from
  the stored tree nodes. An append is one call of the server-side function
  ``record_append_entry`` (migration 0004): it takes the log's transaction-scoped advisory lock
  (``PG_LOG_LOCK``), numbers the entry, completes and hashes its leaf and the nodes it
  completes, inserts them and says whether a head is due — one round trip, no row updated, the
  lock held until the caller's transaction ends. Requires READ COMMITTED (Django's default).

Either way a signed head, when due, is signed here (the key is on this machine's disk) and
inserted by the same transaction while it still holds the lock.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import logging
import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Field, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.core.exceptions import ZhifaError

from . import merkle
from .canonical import canonical_datetime, canonical_text, entry_leaf_prefix
from .checkpoint import (
    KEY_SIZE,
    Checkpoint,
    Signer,
    Verifier,
    load_or_create_signer,
    sign_checkpoint,
    sign_note,
)
from .evidence import PendingUpload, evidence_key, evidence_storage, iter_chunks
from .key_chain import KEY_ROTATE_ACTION, announcement_payload
from .models import (
    Entry,
    EvidenceFile,
    EvidenceRef,
    EvidenceUpload,
    LogState,
    SignedHead,
    TreeNode,
)

__all__ = [
    "HEAD_EVERY_ENTRIES",
    "HEAD_EVERY_SECONDS",
    "EvidenceRef",
    "Recording",
    "SigningKeyMissing",
    "evidence_store",
    "evidence_view",
    "head_sign",
    "head_sign_if_due",
    "log_origin",
    "log_signer",
    "log_verifier",
    "public_verifier_key",
    "record_append",
    "signing_key_rotate",
]

# A head is signed by the append that makes it due: after this many new entries, or when the
# latest head is older than this. Both bound how much of the log an attacker with database
# access could rewrite unnoticed by anyone holding the latest published head.
HEAD_EVERY_ENTRIES = 1000
HEAD_EVERY_SECONDS = 60

# Opening an evidence file (调阅): its entry carries the file but does not attach it to a step.
EVIDENCE_VIEW_ACTION = "evidence.view"


# -- keys and origin ------------------------------------------------------------------------


def log_origin() -> str:
    """The log's name: the first line of every checkpoint and the signing key's name."""
    return str(getattr(settings, "ZHIFA_LOG_ORIGIN", "zhifa.local/record"))


@cache
def _signer(path: Path, origin: str, version: tuple[int, int] | None) -> Signer:
    return load_or_create_signer(path, origin)


logger = logging.getLogger(__name__)


class SigningKeyMissing(ZhifaError):
    """The key file is gone from a log that has signed heads: no new key is made for it."""


def log_signer() -> Signer:
    """The log's Ed25519 signer (created under ``settings.SIGNING_KEY_PATH`` for a log that
    has never signed a head). Raises ``SigningKeyMissing`` when the file is missing and the
    log has heads: a new key's heads could not be checked against the old ones (restore the
    file from a backup, docs/backup.md).

    Read again whenever the key file is replaced (its inode or modification time changes), so
    a key rotated by another process (``zhifa signing-key rotate``) is used by the next head
    this one signs: heads are signed with the log locked, after the rotation committed.
    """
    path = Path(settings.SIGNING_KEY_PATH)
    try:
        stat = path.stat()
    except FileNotFoundError:
        if SignedHead.objects.exists():
            raise SigningKeyMissing(
                _(
                    "全过程记录的签名密钥文件不存在：%(path)s。记录已有签名树头，不会另行生成新密钥；"
                    "请从备份或离线副本恢复该文件（见 docs/backup.md）"
                )
                % {"path": path}
            ) from None
        return _signer(path, log_origin(), None)
    return _signer(path, log_origin(), (stat.st_ino, stat.st_mtime_ns))


def signing_key_create_for_new_log(*, using: str = "default", **kwargs: Any) -> None:
    """After ``migrate``: give a log that has never signed a head its key. A log with heads
    whose key file is missing gets no new key here — heads under another key would not verify
    against the old ones; restore the key from a backup (docs/backup.md)."""
    if Path(settings.SIGNING_KEY_PATH).exists():
        return
    tables = connections[using].introspection.table_names()
    if SignedHead._meta.db_table not in tables:  # `migrate <another app>` on a new database
        return
    if not SignedHead.objects.using(using).exists():
        log_signer()


def log_verifier() -> Verifier:
    return log_signer().verifier


def public_verifier_key() -> str:
    """The published verifier key, ``<origin>+<key id>+<base64 key>`` (x/mod note format)."""
    return log_verifier().key


# -- the log state --------------------------------------------------------------------------


@dataclass(frozen=True)
class _State:
    size: int
    frontier: bytes
    head_size: int | None
    head_at: datetime | None


_EMPTY_STATE = _State(0, merkle.Frontier().to_bytes(), None, None)
_seen = threading.local()  # SQLite: the state this thread last wrote or read, per alias

# PostgreSQL: the ``pg_advisory_xact_lock`` key that serialises the log's writers (the bytes
# b"zhifarec" as a big-endian int64); migration 0004's ``record_append_entry`` takes the same.
PG_LOG_LOCK = 8820415758647584099


def _remember(state: _State) -> None:
    _seen.state = (connection.alias, state)


def _remembered() -> _State | None:
    item = getattr(_seen, "state", None)
    if item is None or item[0] != connection.alias:
        return None
    return item[1]  # type: ignore[no-any-return]


def _state_from_tables() -> _State:
    """PostgreSQL: the state from the tables — size ``max(seq) + 1``, the frontier's stored
    nodes, the latest signed head."""
    from .selectors import log_frontier

    frontier = log_frontier()
    head = SignedHead.objects.order_by("-size").values_list("size", "signed_at").first()
    if head is None:
        return _State(frontier.size, frontier.to_bytes(), None, None)
    return _State(frontier.size, frontier.to_bytes(), head[0], head[1])


def _state_locked() -> _State:
    """The log's state, the log locked until this transaction ends: on PostgreSQL by the
    advisory lock, on SQLite by reading the state row FOR UPDATE (created on first use)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PG_LOG_LOCK])
        return _state_from_tables()
    for _attempt in range(2):
        row = (
            LogState.objects.select_for_update()
            .filter(id=LogState.ROW_ID)
            .values_list("size", "frontier", "head_size", "head_at")
            .first()
        )
        if row is not None:
            state = _State(int(row[0]), bytes(row[1]), row[2], row[3])
            _remember(state)
            return state
        LogState.objects.bulk_create(
            [LogState(id=LogState.ROW_ID, size=0, frontier=_EMPTY_STATE.frontier)],
            ignore_conflicts=True,
        )
    raise RuntimeError("the record log state row cannot be created")


def _state_write(old: _State | None, new: _State, now: datetime) -> bool:
    """SQLite: write ``new``; with ``old`` given only if the row still holds its size and
    frontier (equal frontiers mean equal trees). Whether the row was written."""
    ops = connection.ops
    params: list[Any] = [
        new.size,
        new.frontier,
        new.head_size,
        ops.adapt_datetimefield_value(new.head_at),
        ops.adapt_datetimefield_value(now),
        LogState.ROW_ID,
    ]
    sql = _sql().state_update
    if old is not None:
        sql += _sql().state_condition
        params += [old.size, old.frontier]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        written = cursor.rowcount
    if written:
        _remember(new)
    return bool(written)


@dataclass(frozen=True)
class _Statements:
    state_update: str
    state_condition: str
    entry_insert: str
    node_insert_head: str
    node_values: str


# The entry's columns: its leaf bytes and the two values repeated from them for lookups.
ENTRY_COLUMNS = ("seq", "leaf", "case_id", "action")

# PostgreSQL: one append, one call (see migration 0004).
PG_APPEND = "SELECT entry_seq, head_due FROM record_append_entry(%s, %s, %s, %s, %s, %s, %s)"


def quoted_columns(model: type[Model], names: Sequence[str]) -> list[str]:
    """The quoted database columns of these model fields, for hand-written SQL."""
    q = connection.ops.quote_name
    columns = []
    for name in names:
        field = model._meta.get_field(name)
        assert isinstance(field, Field) and field.column, name
        columns.append(q(field.column))
    return columns


# The statements below are built from model metadata only; values always go as parameters.
@cache
def _statements(vendor: str) -> _Statements:
    q = connection.ops.quote_name
    entry_columns = quoted_columns(Entry, ENTRY_COLUMNS)
    node_columns = quoted_columns(TreeNode, ("level", "index", "hash"))
    return _Statements(
        state_update=(
            f"UPDATE {q(LogState._meta.db_table)} SET {q('size')} = %s, "  # noqa: S608
            f"{q('frontier')} = %s, {q('head_size')} = %s, {q('head_at')} = %s, "
            f"{q('updated')} = %s WHERE {q('id')} = %s"
        ),
        state_condition=f" AND {q('size')} = %s AND {q('frontier')} = %s",
        entry_insert=(
            f"INSERT INTO {q(Entry._meta.db_table)} ({', '.join(entry_columns)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(entry_columns))})"
        ),
        node_insert_head=(
            f"INSERT INTO {q(TreeNode._meta.db_table)} ({', '.join(node_columns)}) "  # noqa: S608
            "VALUES "
        ),
        node_values="(%s, %s, %s)",
    )


def _sql() -> _Statements:
    # The hot path speaks SQL directly: the ORM's query building cost more than SQLite's work.
    return _statements(connection.vendor)


def _entry_insert(entry_row: list[Any], completed: list[tuple[int, int, bytes]]) -> None:
    """SQLite: insert the entry and the tree nodes it completed (after the state row)."""
    statements = _sql()
    with connection.cursor() as cursor:
        cursor.execute(statements.entry_insert, entry_row)
        cursor.execute(
            statements.node_insert_head + ", ".join([statements.node_values] * len(completed)),
            [value for node in completed for value in node],
        )


def _append_postgresql(
    prefix: bytes, case_id: int | None, action: str, corrects_seq: int | None, now: datetime
) -> tuple[int | None, bool]:
    """Call ``record_append_entry``: the entry's ``seq`` (None, with nothing written, when
    ``corrects_seq`` is not an earlier entry) and whether a head is due.

    Runs on the driver's own cursor with server-side binding, so psycopg prepares the statement
    after a few calls: Django's client-side binding would quote every value into the SQL text
    and have the server parse it afresh each time.
    """
    import psycopg  # the PostgreSQL driver; only imported where it is in use

    params = [prefix, case_id, action, corrects_seq, now, HEAD_EVERY_ENTRIES, HEAD_EVERY_SECONDS]
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(PG_APPEND, params)
        row = cursor.fetchone()
    assert row is not None
    return row[0], bool(row[1])


def _is_head_due(state: _State, size: int, now: datetime) -> bool:
    if state.head_size is None or state.head_at is None:
        return True
    if size - state.head_size >= HEAD_EVERY_ENTRIES:
        return True
    return now - state.head_at >= timedelta(seconds=HEAD_EVERY_SECONDS)


# The keys that sign heads while a rotation appends its announcement (old and new together),
# instead of the log's key alone: so a head the append itself signs is a valid handover.
_rotation_signers: contextvars.ContextVar[tuple[Signer, ...]] = contextvars.ContextVar(
    "rotation_signers", default=()
)


def _head_insert(size: int, root_hash: bytes, now: datetime) -> SignedHead:
    """Sign and store the head: by the log's key, or by both keys during a rotation."""
    checkpoint = Checkpoint(log_origin(), size, root_hash)
    signers = _rotation_signers.get()
    if signers:
        note = sign_note(checkpoint.body(), *signers)
    else:
        note = sign_checkpoint(checkpoint, log_signer())
    head = SignedHead(size=size, root_hash=root_hash, note=note, signed_at=now)
    head.save(force_insert=True)
    return head


def _head_insert_or_defer(size: int, root_hash: bytes, now: datetime) -> None:
    """The head an append makes due: without the key file it is deferred, not the entry — the
    step is recorded, and the next head signed once the key is restored covers it
    (`zhifa cron` signs it within a minute; /healthz and `zhifa verify` report the missing key
    meanwhile)."""
    try:
        _head_insert(size, root_hash, now)
    except SigningKeyMissing as exc:
        logger.error("tree head of size %d not signed: %s", size, exc)


def _stored_root(size: int) -> bytes:
    """The root of the first ``size`` leaves, from the stored perfect subtrees."""
    from .selectors import tree_nodes

    nodes = tree_nodes(merkle.perfect_subtrees(0, size))
    return merkle.Frontier.from_nodes(size, lambda level, index: nodes[level, index]).root()


# -- appending ------------------------------------------------------------------------------


def _check_files(refs: Sequence[EvidenceRef]) -> None:
    rows = EvidenceFile.objects.filter(sha256__in=[r.sha256 for r in refs])
    if connection.in_atomic_block:
        # Held until the entry commits: the expiry of an upload of the same bytes waits, then
        # finds the file referenced and keeps it (evidence_uploads.evidence_uploads_expire).
        rows = rows.select_for_update()
    stored = dict(rows.values_list("sha256", "size"))
    for ref in refs:
        if stored.get(ref.sha256) != ref.size:
            raise ValueError(f"file {ref.sha256} ({ref.name}) is not in the evidence store")


def _files_referenced(refs: Sequence[EvidenceRef], entry: Entry) -> None:
    """Mark the files ``entry`` carries as referenced (their bytes are kept for good) and, on a
    case, its uploads of them as attached (they no longer expire). A viewing (调阅) attaches
    nothing: it only proves the file was opened."""
    shas = sorted({ref.sha256 for ref in refs})
    EvidenceFile.objects.filter(sha256__in=shas, referenced_seq__isnull=True).update(
        referenced_seq=entry.seq
    )
    if entry.case_id is not None and entry.action != EVIDENCE_VIEW_ACTION:
        EvidenceUpload.objects.filter(
            case_id=entry.case_id, sha256__in=shas, attached_seq__isnull=True
        ).update(attached_seq=entry.seq)


def record_append(
    *,
    actor_id: int | None,
    actor_name: str,
    role: str,
    action: str,
    payload: Mapping[str, Any],
    case_id: int | None = None,
    files: Sequence[EvidenceRef] = (),
    corrects: Entry | None = None,
    at: datetime | None = None,
) -> Entry:
    """Append one entry to the log and return it; call it inside the caller's transaction.

    Guarantees: the entry gets the next ``seq`` (gap-free, 0-based), its leaf hash covers the
    canonical JSON of all its fields, the tree nodes it completes are stored, and a signed head
    is added when one is due (``HEAD_EVERY_ENTRIES`` / ``HEAD_EVERY_SECONDS``). All of it
    commits or rolls back with the caller's transaction (no savepoint of its own: a failure
    here fails the caller's transaction). The log stays locked for other writers until that
    transaction ends, so keep it short after this call.

    ``payload`` must be canonical-JSON serialisable (no floats: use ``Decimal``; aware
    datetimes only); ``files`` must already be in the evidence store (``evidence_store``) and
    are then referenced for good (never removed; on a case, an upload of them is attached —
    whether a case may carry a file is its service's check, ``evidence_uploads.
    evidence_attachable``);
    ``corrects`` is the earlier entry this one amends — the earlier entry stays as it was.
    Raises ``CanonicalError`` (a ``TypeError``) or ``ValueError`` on bad input, before writing
    anything (the caller's transaction stays usable).
    """
    now = timezone.now() if at is None else at
    if timezone.is_naive(now):
        raise ValueError("record_append: `at` must be timezone-aware")
    if not action or not role:
        raise ValueError("record_append: action and role are required")
    if "\x00" in action + role + actor_name:
        # PostgreSQL text cannot hold NUL; refuse here with a clear error, not a DataError later.
        raise ValueError("record_append: action, role and actor_name must not contain NUL")
    if not isinstance(payload, Mapping):
        raise TypeError("record_append: the payload is a mapping (a JSON object)")
    payload_text = canonical_text(payload)
    refs = list(files)
    files_text = canonical_text([ref.as_dict() for ref in refs])
    if refs:
        _check_files(refs)
    if corrects is not None and (corrects._state.adding or corrects.seq is None):
        raise ValueError("record_append: `corrects` must be a stored entry")
    entry = _append(
        actor_id=actor_id,
        actor_name=actor_name,
        role=role,
        action=action,
        payload_text=payload_text,
        case_id=case_id,
        files_text=files_text,
        corrects_seq=None if corrects is None else corrects.seq,
        now=now,
    )
    if refs:
        _files_referenced(refs, entry)
    return entry


@transaction.atomic(savepoint=False)
def _append(
    *,
    actor_id: int | None,
    actor_name: str,
    role: str,
    action: str,
    payload_text: str,
    case_id: int | None,
    files_text: str,
    corrects_seq: int | None,
    now: datetime,
) -> Entry:
    prefix = entry_leaf_prefix(
        recorded_at=canonical_datetime(now),
        actor_id=actor_id,
        actor_name=actor_name,
        role=role,
        case_id=case_id,
        action=action,
        payload=payload_text,
        files=files_text,
        corrects_seq=corrects_seq,
    )
    if connection.vendor == "postgresql":
        numbered, head_due = _append_postgresql(prefix, case_id, action, corrects_seq, now)
        if numbered is None:
            raise ValueError(f"entry {corrects_seq} cannot be corrected: it is not in the log")
        seq = numbered
        leaf_data = prefix + b"%d}" % seq
        if head_due:
            _head_insert_or_defer(seq + 1, _stored_root(seq + 1), now)
    else:
        seq, leaf_data = _append_sqlite(prefix, case_id, action, corrects_seq, now)
    entry = Entry(seq=seq, leaf=leaf_data, case_id=case_id, action=action)
    entry._state.adding = False
    entry._state.db = connection.alias
    return entry


def _append_sqlite(
    prefix: bytes, case_id: int | None, action: str, corrects_seq: int | None, now: datetime
) -> tuple[int, bytes]:
    """Number, write and (when due) sign: the entry's ``seq`` and leaf bytes."""
    old = _remembered()
    for attempt in range(2):
        if old is None or attempt:
            old = _state_locked()
        seq = old.size
        if corrects_seq is not None and not 0 <= corrects_seq < seq:
            raise ValueError(f"entry {corrects_seq} cannot be corrected by entry {seq}")
        leaf_data = prefix + b"%d}" % seq
        frontier = merkle.Frontier.from_bytes(old.frontier)
        completed = frontier.append(merkle.leaf_hash(leaf_data))
        size = seq + 1
        head_due = _is_head_due(old, size, now)
        new = _State(
            size,
            frontier.to_bytes(),
            size if head_due else old.head_size,
            now if head_due else old.head_at,
        )
        # Conditional on what this thread saw; unconditional once the row is locked by a read.
        if _state_write(old if not attempt else None, new, now):
            _entry_insert([seq, leaf_data, case_id, action], completed)
            break
    else:  # pragma: no cover - the second attempt holds the lock and always writes
        raise RuntimeError("the record log state changed under a held lock")
    if head_due:
        _head_insert_or_defer(size, frontier.root(), now)
    return seq, leaf_data


# -- signed heads ---------------------------------------------------------------------------


@transaction.atomic
def head_sign(*, at: datetime | None = None) -> SignedHead:
    """Sign the log's current size and root, unless a head of that size exists (returned then).

    Runs with the log locked, so the head matches the committed log exactly.
    """
    now = timezone.now() if at is None else at
    state = _state_locked()
    existing = SignedHead.objects.filter(size=state.size).first()
    if existing is not None:
        return existing
    head = _head_insert(state.size, merkle.Frontier.from_bytes(state.frontier).root(), now)
    if connection.vendor != "postgresql":  # PostgreSQL reads the latest head from its table
        _state_write(None, _State(state.size, state.frontier, state.size, now), now)
    return head


@transaction.atomic
def head_sign_if_due(*, at: datetime | None = None) -> SignedHead | None:
    """Sign a head when one is due (see ``HEAD_EVERY_*``); ``record_append`` does this itself,
    so this is for a periodic job that keeps heads fresh while nothing is appended."""
    now = timezone.now() if at is None else at
    state = _state_locked()
    if state.head_size == state.size or not _is_head_due(state, state.size, now):
        return None
    return head_sign(at=now)


# -- key rotation ---------------------------------------------------------------------------


def signing_key_rotate(
    *,
    actor_id: int | None,
    actor_name: str,
    role: str,
    reason: str = "",
    at: datetime | None = None,
) -> tuple[Entry, SignedHead]:
    """Replace the log's signing key by a new one; return the announcing entry and the handover
    head (see ``key_chain`` for the rules ``zhifa verify`` holds the heads to).

    In one transaction, with the log locked: an entry ``record.key_rotate`` naming the new
    verifier key and the one it replaces, signed by both (``key_chain.announcement_payload``),
    and a head covering that entry signed by the old key and the new one — the append's own,
    when one was due, else signed here.
    Before the transaction commits, still holding the lock, the new key replaces the key file
    (the old one is kept beside it as ``<key file>.retired-<key id>``), so every head signed
    after the commit — by this process or another — is the new key's. If the transaction does
    not commit, the old key file is put back. Raises ``FileNotFoundError`` when there is no key
    file to rotate (restore it from a backup first).
    """
    now = timezone.now() if at is None else at
    path = Path(settings.SIGNING_KEY_PATH)
    if not path.is_file():
        raise FileNotFoundError(str(path))
    old = log_signer()
    new = Signer(log_origin(), os.urandom(KEY_SIZE))
    retired = path.with_name(f"{path.name}.retired-{old.id.hex()}")
    both = _rotation_signers.set((old, new))
    try:
        with transaction.atomic():
            entry = record_append(
                actor_id=actor_id,
                actor_name=actor_name,
                role=role,
                action=KEY_ROTATE_ACTION,
                payload=announcement_payload(old, new, reason),
                at=now,
            )
            head = head_sign(at=now)  # the append's head if it signed one, else a new one
            _signing_key_install(path, retired, new)
    except BaseException:
        # Nothing committed: whatever the key file holds now, the old key goes back.
        if retired.is_file() and path.read_bytes() != retired.read_bytes():
            os.replace(retired, path)
        raise
    finally:
        _rotation_signers.reset(both)
    return entry, head


def _signing_key_install(path: Path, retired: Path, new: Signer) -> None:
    """Keep the old key file as ``retired`` (a hard link) and put the new key in its place
    (written aside, mode 0600, synced, then renamed over it)."""
    if not retired.exists():
        os.link(path, retired)
    aside = path.with_name(f".{path.name}.new-{os.getpid()}")
    fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(new.key + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(aside, path)
    with contextlib.suppress(OSError):  # the rename is done; syncing the folder is a bonus
        folder = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


# -- evidence -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Recording:
    """Metadata of an audio/video record (执法音像记录): device, officer, time span, place."""

    device: str
    officer_id: int | None
    officer_name: str
    started_at: datetime
    ended_at: datetime
    place: str = ""


@dataclass(frozen=True)
class Collection:
    """What an evidence file is and where it came from (证据名称, 来源, 取证地点和时间), as the
    officer states it with the upload; the 证据清单 lists it."""

    description: str = ""
    source: str = ""
    place: str = ""
    collected_at: datetime | None = None

    def __bool__(self) -> bool:
        return bool(self.description or self.source or self.place or self.collected_at)


def av_upload_limit() -> timedelta:
    """How soon after it ends a recording must be uploaded (ZHIFA_AV_UPLOAD_HOURS, 24 h)."""
    return timedelta(hours=float(getattr(settings, "ZHIFA_AV_UPLOAD_HOURS", 24)))


def is_late_upload(recording: Recording, uploaded_at: datetime) -> bool:
    """More than the limit between the end of the recording and its upload (exactly 24 h is
    still on time)."""
    return uploaded_at - recording.ended_at > av_upload_limit()


def evidence_store(
    stream: IO[bytes],
    *,
    name: str,
    media_type: str,
    recording: Recording | None = None,
    at: datetime | None = None,
) -> EvidenceFile:
    """Store a file by the SHA-256 of its bytes and return its row.

    Reads ``stream`` 1 MiB at a time, hashing while writing to a pending upload, then commits
    it under ``ab/cd/<sha256>``; nothing is held in memory. The same bytes stored twice give the
    same row (the first upload's name and metadata are kept) and one copy on disk. Audio/video
    ``recording`` metadata is kept and ``late_upload`` set when ``at`` (default now) is more than
    ``ZHIFA_AV_UPLOAD_HOURS`` after the recording ended.

    For files the system makes for a case (generated documents): the caller's entry carries
    them (``record_append(files=[row.ref])``), which makes them the case's. A file uploaded by
    an account goes through ``evidence_uploads`` instead (limits, quota, the upload bound to
    its case and uploader). If the caller's transaction rolls back, the bytes stay on disk
    unreferenced (harmless: content-addressed, and a later upload of the same bytes reuses them).
    """
    now = timezone.now() if at is None else at
    pending = evidence_storage().begin()
    h = hashlib.sha256()
    size = 0
    try:
        for chunk in iter_chunks(stream):
            h.update(chunk)
            pending.write(chunk)
            size += len(chunk)
    except BaseException:
        pending.abort()
        raise
    return evidence_commit(
        pending,
        sha256=h.hexdigest(),
        size=size,
        name=name,
        media_type=media_type,
        recording=recording,
        at=now,
    )


# Advisory-lock namespaces (the two-key form, apart from the log's one-key lock).
PG_EVIDENCE_FILE_LOCK = 0x7A68_6601
PG_EVIDENCE_QUOTA_LOCK = 0x7A68_6602


def pg_evidence_lock(namespace: int, key: int) -> None:
    """PostgreSQL: a transaction-scoped advisory lock on ``key`` in ``namespace``. SQLite needs
    none: its write transactions are IMMEDIATE, one at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [namespace, key % (1 << 31)])


def evidence_file_lock(sha256: str) -> None:
    """Serialise, for one content hash, storing the bytes with their row and removing them:
    held until the caller's transaction ends (call it inside one)."""
    pg_evidence_lock(PG_EVIDENCE_FILE_LOCK, int(sha256[:8], 16))


def evidence_commit(
    pending: PendingUpload,
    *,
    sha256: str,
    size: int,
    name: str,
    media_type: str,
    recording: Recording | None,
    at: datetime,
) -> EvidenceFile:
    """Put hashed pending bytes under their key and return their row (the existing row, the
    pending bytes discarded, when the store has them). The bytes and the row are written
    together under the hash's lock, so they never part: an expiry removing the same bytes runs
    before (and the bytes are written again) or after (and finds the row)."""
    try:
        with transaction.atomic():
            evidence_file_lock(sha256)
            existing = EvidenceFile.objects.filter(sha256=sha256).first()
            if existing is not None:
                pending.abort()
                return existing
            key = evidence_key(sha256)
            pending.commit(key)
            row = EvidenceFile(
                sha256=sha256,
                size=size,
                media_type=media_type or "application/octet-stream",
                original_name=name[:255],
                storage_key=key,
                stored_at=at,
                uploaded_at=at,
            )
            if recording is not None:
                row.recording_device = recording.device
                row.officer_id = recording.officer_id
                row.officer_name = recording.officer_name
                row.started_at = recording.started_at
                row.ended_at = recording.ended_at
                row.place = recording.place
                row.late_upload = is_late_upload(recording, at)
            row.save(force_insert=True)
            return row
    except IntegrityError:  # the same bytes were stored concurrently: use that row
        pending.abort()
        return EvidenceFile.objects.get(sha256=sha256)
    except BaseException:
        pending.abort()
        raise


@transaction.atomic(savepoint=False)
def evidence_view(
    *,
    actor_id: int | None,
    actor_name: str,
    role: str,
    evidence: EvidenceFile | EvidenceRef,
    case_id: int | None,
    at: datetime | None = None,
) -> Entry:
    """Log that an actor opened or downloaded an evidence file (调阅); return the entry.

    Call it before handing out the bytes (``evidence.evidence_open``) of any audio/video
    record; other files may be logged the same way. ``evidence`` is the file as the case
    knows it (its ``EvidenceRef``: the case's own name for it) or its stored row.
    """
    ref = evidence.ref if isinstance(evidence, EvidenceFile) else evidence
    return record_append(
        actor_id=actor_id,
        actor_name=actor_name,
        role=role,
        action=EVIDENCE_VIEW_ACTION,
        payload={"sha256": ref.sha256, "name": ref.name, "media_type": ref.media_type},
        case_id=case_id,
        files=[ref],
        at=at,
    )
