"""``zhifa verify``: recompute the whole record log and report every place it was tampered with.

What is checked, each problem naming the entry (``seq``), file (``sha256``) or case:

1. every entry's leaf bytes hash to the tree's leaf (an edited entry), are the canonical JSON
   ``record_append`` writes, name the ``seq`` of their row, and agree with the row's index
   columns ``case_id`` and ``action`` (an entry moved to another case behind the log's back);
2. the entries run 0, 1, … without gaps up to the log's size (a deleted entry) and none lies
   beyond it (an inserted entry);
3. the tree recomputed from the leaves equals every stored tree node (a rewritten tree);
4. every signed head: its signature (the log's public key), its note equals its columns, its
   root equals the recomputed root at its size, and consecutive heads are consistent (proof
   from the stored nodes);
5. the log state row (size and frontier) equals the recomputation (SQLite; PostgreSQL keeps
   no state row, and the log's size there is the number of leaves in the stored tree);
6. every evidence file's bytes hash to its name and size (an altered or missing file), and
   every file an entry refers to is in the store;
7. the replay checkers other apps register (``register_replay_checker``): e.g. ``cases``
   replays each case's entries and compares the case tables.

Before all of that, the database itself (``database_problems``): that it exists and can be
read, that SQLite's own structural check (``PRAGMA quick_check``) passes, and that every table
of the installed models is there. A database that cannot be read, is corrupt or lacks a table
is reported as a finding like any other — never as a crash — and a read error met later, in
any stage, is reported as a finding of that stage while the other stages still run.

Checks 1–5 run on a fast path first (see "the fast path" below): each entry is one BLOB, read in
chunks and hashed, the tree is compared a level at a time as concatenated bytes, in two worker
processes for a large log. It only ever says "all matches"; at any difference the detailed path
runs instead, reading entries in keyset-paginated chunks by primary key, parsing every leaf and
comparing tree nodes by primary-key ranges, naming every problem. Memory stays bounded at any
size on both paths.
"""

from __future__ import annotations

import bisect
import gc
import hashlib
import itertools
import json
import multiprocessing
import operator
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import Error as DjangoDatabaseError
from django.db import connection
from django.utils.translation import gettext as _

from . import merkle
from .canonical import CanonicalError, canonical_text, entry_fields
from .checkpoint import CheckpointError
from .evidence import CHUNK_SIZE, evidence_storage
from .key_chain import Announcement, KeyChain, announcement_from
from .models import Entry, EvidenceFile, LogState, SignedHead, TreeNode
from .selectors import key_rotations, stored_consistency_proof
from .services import ENTRY_COLUMNS, log_origin, log_verifier, quoted_columns

ENTRY_CHUNK = 4096
MAX_LISTED = 200  # problems of one kind listed one by one; beyond that, one summary line


@dataclass(frozen=True)
class Problem:
    """One thing found wrong. ``kind`` is a stable code; ``message`` is for people (Chinese)."""

    kind: str
    message: str
    seq: int | None = None
    sha256: str | None = None
    case_id: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        for key in ("seq", "sha256", "case_id"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        out["message"] = self.message
        return out


@dataclass
class Report:
    """The outcome of ``log_verify``: ``ok`` when there are no problems."""

    size: int = 0
    problems: list[Problem] = field(default_factory=list)
    entries: int = 0
    entry_bytes: int = 0
    nodes: int = 0
    heads: int = 0
    files: int = 0
    file_bytes: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    # How entries and tree were checked: "fast" (clean log, byte comparisons, ``workers``
    # processes) or "detailed" (every problem named; run whenever the fast path declines).
    path: str = ""
    workers: int = 1

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "size": self.size,
            "entries": self.entries,
            "nodes": self.nodes,
            "heads": self.heads,
            "files": self.files,
            "seconds": round(self.seconds, 3),
            "problems": [p.as_dict() for p in self.problems],
        }


# -- replay checkers ------------------------------------------------------------------------

CaseGroups = Iterable[tuple[int, list[Entry]]]
ReplayChecker = Callable[[CaseGroups], Iterable[Problem]]
_replay_checkers: list[ReplayChecker] = []


def register_replay_checker(checker: ReplayChecker) -> ReplayChecker:
    """Register ``checker`` (usable as a decorator; registering twice is harmless).

    ``zhifa verify`` calls it with an iterator of ``(case_id, entries)`` — every case that has
    entries, in case-id order, each with its entries in ``seq`` order — streamed from the
    database. It returns the problems it finds (``Problem(kind=…, case_id=…, seq=…,
    message=…)``), e.g. a case row that differs from the replay of its entries. Register it
    from the app's ``AppConfig.ready``.
    """
    if checker not in _replay_checkers:
        _replay_checkers.append(checker)
    return checker


def replay_checkers() -> list[ReplayChecker]:
    return list(_replay_checkers)


def case_groups(chunk_size: int = 2000) -> Iterator[tuple[int, list[Entry]]]:
    """Every case's entries, grouped, streamed in (case_id, seq) order."""
    rows = (
        Entry.objects.filter(case_id__isnull=False)
        .order_by("case_id", "seq")
        .iterator(chunk_size=chunk_size)
    )
    for case_id, entries in itertools.groupby(rows, key=lambda e: e.case_id):
        assert case_id is not None
        yield case_id, list(entries)


# -- helpers --------------------------------------------------------------------------------


def _files_listed(files_text: bytes) -> list[str] | None:
    """The SHA-256 of each file a leaf's ``files`` value lists, or None unless it is the
    canonical JSON list of ``{media_type, name, sha256, size}`` that ``record_append`` writes."""
    try:
        text = files_text.decode()
        items = json.loads(text)
        if type(items) is not list or canonical_text(items) != text:
            return None
        shas = [item["sha256"] for item in items]
    except (ValueError, TypeError, KeyError):  # CanonicalError is a TypeError
        return None
    if not all(type(sha) is str and len(sha) == 64 for sha in shas):
        return None
    return shas


def _levels_range(a: int, b: int) -> list[tuple[int, int, int]]:
    """``(level, lo, hi)``: the stored nodes completed by appending leaves ``a..b`` (inclusive).

    Node ``(L, i)`` is completed by leaf ``(i + 1) * 2**L - 1``.
    """
    out = []
    level = 0
    while (1 << level) <= b + 1:
        lo = ((a + (1 << level)) >> level) - 1
        hi = ((b + 1) >> level) - 1
        if lo <= hi:
            out.append((level, lo, hi))
        level += 1
    return out


# -- the fast path ------------------------------------------------------------------------------
#
# On a clean log every check of ``entries_and_tree`` comes down to comparing byte strings, and
# that can be done a chunk at a time with no Python bytecode per row: each check is a ``map``
# of a bytes method over the chunk's rows, run in C.
#
# - the database returns each entry's leaf BLOB and its index columns; each leaf must begin
#   with ``{"action":<its action column, quoted as canonical JSON>,"actor_id":``, end with
#   ``,"seq":<its row's seq>}``, and have its first ``,"case_id":`` followed by ``<its case_id
#   column>,"corrects_seq":null,"files":[],"payload":`` (the keys before ``case_id`` are a
#   string, a number and a string, and a JSON string never holds a raw ``"``, so that first
#   occurrence is the top-level key). The quoted actions and case ids are built once per
#   distinct value in the chunk;
# - the few leaves with a correction or files (the tail above does not match) have their case
#   id checked alone, their correction (earlier than the entry) and their files (the canonical
#   list, whose SHA-256 are then looked up in the evidence store);
# - every leaf is hashed, and the chunk's leaf hashes are compared with the stored level-0
#   nodes read as one concatenated BLOB;
# - the tree is recomputed level by level from the verified leaves, and each level is compared
#   with the stored nodes of that level read as one concatenated BLOB;
# - heads and (on SQLite) the state row are compared with roots folded from the recomputed
#   nodes.
#
# Chunks are aligned ``FAST_CHUNK``-leaf subtrees, so they can be checked in separate processes
# (``workers``), each with its own database connection. The fast path only ever concludes
# "everything matches": at the first difference of any kind it gives up and the detailed path
# (``_Verifier.entries_and_tree``) runs from the start, naming every problem. It does not parse
# every leaf as JSON (that would cost several times the hash): a leaf that hashes to the tree
# but is not in canonical form could only have been written with the tree rewritten after it,
# which the signed heads expose up to the latest head; the detailed path names it.

FAST_CHUNK = 1 << 13  # leaves per chunk: a perfect subtree, so chunks verify independently
FAST_TASK_CHUNKS = 1  # chunks per task handed to a worker process (small: even shares)
PARALLEL_MIN_ENTRIES = 1 << 15  # below this, starting worker processes is not worth it

_CASE_KEY = b',"case_id":'
_CORRECTS_KEY = b',"corrects_seq":'
_PLAIN_TAIL = _CORRECTS_KEY + b'null,"files":[],"payload":'  # what follows in most entries
_quote = json.encoder.encode_basestring  # as canonical.entry_leaf_bytes quotes strings
_LEAF_PREFIX = b"\x00"
_digest = type(hashlib.sha256()).digest


class _NotClean(Exception):
    """The fast path met something it does not accept: the detailed path takes over."""


@dataclass
class _ChunkResult:
    top: bytes | None  # the chunk's root, when the chunk is a full FAST_CHUNK leaves
    wanted: dict[tuple[int, int], bytes]
    entry_bytes: int
    nodes: int
    referenced: set[str]


def _fast_statements() -> tuple[str, str] | None:
    """(the leaf and index columns of a seq range, one level's stored nodes concatenated) for
    this database, or None when the database has no fast path."""
    q = connection.ops.quote_name
    c = dict(zip(ENTRY_COLUMNS, quoted_columns(Entry, ENTRY_COLUMNS), strict=True))
    leaf, seq, case, action = c["leaf"], c["seq"], c["case_id"], c["action"]
    entries = q(Entry._meta.db_table)
    nodes = q(TreeNode._meta.db_table)
    level, index, hash_ = q("level"), q("index"), q("hash")
    if connection.vendor == "sqlite":
        return (
            f"SELECT {leaf}, {case}, {action} FROM {entries} "  # noqa: S608 - model names
            f"WHERE {seq} >= ? AND {seq} < ? ORDER BY {seq}",
            # group_concat keeps the subquery's order in practice (not by contract: a different
            # order would only send us to the detailed path).
            f"SELECT CAST(group_concat({hash_}, '') AS BLOB), count(*) "  # noqa: S608
            f"FROM (SELECT {hash_} FROM {nodes} WHERE {level} = ? AND {index} >= ? "
            f"AND {index} < ? ORDER BY {index})",
        )
    if connection.vendor == "postgresql":
        return (
            f"SELECT {leaf}, {case}, {action} FROM {entries} "  # noqa: S608 - model names
            f"WHERE {seq} >= %s AND {seq} < %s ORDER BY {seq}",
            f"SELECT string_agg({hash_}, ''::bytea ORDER BY {index}), count(*) "  # noqa: S608
            f"FROM {nodes} WHERE {level} = %s AND {index} >= %s AND {index} < %s",
        )
    return None


class _RawReader:
    """The driver's own cursor: rows as tuples of bytes, no Django conversion per row."""

    def __init__(self) -> None:
        statements = _fast_statements()
        assert statements is not None
        self.rows_sql, self.nodes_sql = statements
        connection.ensure_connection()
        raw: Any = connection.connection
        if connection.vendor == "postgresql":
            import psycopg  # only where PostgreSQL is in use

            self.cursor: Any = psycopg.Cursor(raw)
            self.binary = True
        else:
            self.cursor = raw.cursor()
            self.binary = False
        self.cursor.arraysize = FAST_CHUNK

    def execute(self, sql: str, params: tuple[int, ...]) -> Any:
        if self.binary:
            return self.cursor.execute(sql, params, binary=True)
        return self.cursor.execute(sql, params)

    def rows(self, lo: int, hi: int) -> list[tuple[Any, Any, Any]]:
        """``(leaf, case_id, action)`` of the entries ``[lo, hi)``, in ``seq`` order."""
        rows: list[tuple[Any, Any, Any]] = self.execute(self.rows_sql, (lo, hi)).fetchall()
        return rows

    def level(self, level: int, lo: int, hi: int) -> tuple[bytes, int]:
        """The stored nodes of ``level`` with index in ``[lo, hi)``, concatenated, and their
        number (so a missing node cannot hide behind a neighbour of double length)."""
        row = self.execute(self.nodes_sql, (level, lo, hi)).fetchone()
        if row is None or row[0] is None:
            return b"", 0
        return bytes(row[0]), int(row[1])

    def close(self) -> None:
        self.cursor.close()


def action_head(action: Any) -> bytes:
    """How a leaf whose action column holds ``action`` begins; ``_NotClean`` for a value that
    is not text (SQLite keeps any value in any column)."""
    if type(action) is not str:
        raise _NotClean
    return b'{"action":' + _quote(action).encode() + b',"actor_id":'


def _case_value(case_id: Any) -> bytes:
    """The case id column as the leaf spells it; ``_NotClean`` unless an integer or null."""
    if case_id is None:
        return b"null"
    if type(case_id) is not int:
        raise _NotClean
    return b"%d" % case_id


def _check_uncommon(leaf: bytes, seq: int, start: int, referenced: set[str]) -> None:
    """A leaf with a correction or files, its ``corrects_seq`` value starting at ``start``: the
    correction is earlier than the entry and the files are the canonical list
    ``record_append`` writes (their SHA-256 go to ``referenced``). ``_NotClean`` otherwise."""
    files_at = leaf.find(b',"files":', start)
    payload_at = leaf.find(b',"payload":', files_at)
    if files_at < 0 or payload_at < 0:
        raise _NotClean
    corrects = leaf[start:files_at]
    if corrects != b"null":
        if not corrects.isdigit() or str(int(corrects)).encode() != corrects:
            raise _NotClean
        if not int(corrects) < seq:
            raise _NotClean
    files = leaf[files_at + len(b',"files":') : payload_at]
    if files != b"[]":
        shas = _files_listed(files)
        if shas is None:
            raise _NotClean
        referenced.update(shas)


def _check_leaves(
    leaves: tuple[bytes, ...],
    cases: tuple[Any, ...],
    actions: tuple[Any, ...],
    lo: int,
    referenced: set[str],
) -> None:
    """Leaves ``lo, lo + 1, …`` against their rows (see "the fast path"); ``_NotClean`` at the
    first that does not agree. Raises TypeError or ValueError for a value of the wrong type."""
    heads = {action: action_head(action) for action in set(actions)}
    if not all(map(bytes.startswith, leaves, map(heads.__getitem__, actions))):
        raise _NotClean
    if not all(
        map(bytes.endswith, leaves, [b',"seq":%d}' % seq for seq in range(lo, lo + len(leaves))])
    ):
        raise _NotClean
    values = {case: _case_value(case) for case in set(cases)}
    tails = {case: value + _PLAIN_TAIL for case, value in values.items()}
    at = list(map(bytes.find, leaves, itertools.repeat(_CASE_KEY)))
    if -1 in at:
        raise _NotClean
    after = list(map(operator.add, at, itertools.repeat(len(_CASE_KEY))))
    plain = list(map(bytes.startswith, leaves, map(tails.__getitem__, cases), after))
    if all(plain):
        return
    for offset in [offset for offset, ok in enumerate(plain) if not ok]:
        leaf, value, start = leaves[offset], values[cases[offset]], after[offset]
        if not leaf.startswith(value + _CORRECTS_KEY, start):
            raise _NotClean
        _check_uncommon(leaf, lo + offset, start + len(value) + len(_CORRECTS_KEY), referenced)


def _check_chunk(
    reader: _RawReader, lo: int, hi: int, wanted: dict[int, list[int]]
) -> _ChunkResult:
    """Verify leaves ``[lo, hi)`` (``lo`` aligned to FAST_CHUNK) and the nodes they complete."""
    rows = reader.rows(lo, hi)
    if not rows or len(rows) != hi - lo:  # seq is unique: hi - lo rows are exactly lo..hi-1
        raise _NotClean
    referenced: set[str] = set()
    sha256 = hashlib.sha256
    leaves, cases, actions = zip(*rows, strict=True)
    try:
        _check_leaves(leaves, cases, actions, lo, referenced)
        # sha256(b"\x00" + leaf).digest() for every leaf, as C calls only (no bytecode per row).
        level = list(map(_digest, map(sha256, map(_LEAF_PREFIX.__add__, leaves))))
    except (TypeError, ValueError) as exc:  # e.g. a leaf stored as text (SQLite)
        raise _NotClean from exc
    result = _ChunkResult(None, {}, sum(map(len, leaves)), 0, referenced)
    height, base = 0, lo
    while level:
        if (b"".join(level), len(level)) != reader.level(height, base, base + len(level)):
            raise _NotClean
        result.nodes += len(level)
        for index in wanted.get(height, ()):
            if base <= index < base + len(level):
                result.wanted[height, index] = level[index - base]
        if len(level) == 1:
            if hi - lo == FAST_CHUNK:
                result.top = level[0]
            break
        pairs = iter(level)  # an odd last node has no sibling yet: its parent is not stored
        level = [
            sha256(b"\x01" + left + right).digest()
            for left, right in zip(pairs, pairs, strict=False)
        ]
        height += 1
        base >>= 1
    return result


def _check_chunks(spans: list[tuple[int, int]], wanted: dict[int, list[int]]) -> list[_ChunkResult]:
    # The chunks create tens of thousands of tuples and no reference cycles: the cyclic garbage
    # collector, run every 700 allocations, would cost about as much as hashing the leaves.
    collecting = gc.isenabled()
    gc.disable()
    reader = _RawReader()
    try:
        return [_check_chunk(reader, lo, hi, wanted) for lo, hi in spans]
    finally:
        reader.close()
        if collecting:
            gc.enable()


def _check_chunks_or_none(
    spans: list[tuple[int, int]], wanted: dict[int, list[int]]
) -> list[_ChunkResult] | None:
    """``_check_chunks`` for a worker process: None instead of raising."""
    try:
        return _check_chunks(spans, wanted)
    except _NotClean:
        return None


_inherited: list[Any] = []  # the parent's database handles, kept alive and never used


def _worker_start() -> None:
    """In a forked worker: open fresh database connections. The parent's are set aside, not
    closed — closing a PostgreSQL connection would end the parent's session on the shared
    socket — and the worker leaves by ``os._exit``, so they are never finalised here."""
    from django.db import connections

    for conn in connections.all(initialized_only=True):
        _inherited.append(conn.connection)
        conn.connection = None


def can_verify_in_parallel() -> bool:
    """Whether other processes can read what this connection sees: not inside a transaction
    (its writes would be invisible to them) and not an in-memory SQLite database."""
    if connection.in_atomic_block:
        return False
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        return not (name == ":memory:" or "mode=memory" in name)
    return True


def _run_chunks(size: int, wanted: dict[int, list[int]], workers: int) -> list[_ChunkResult] | None:
    spans = [(lo, min(lo + FAST_CHUNK, size)) for lo in range(0, size, FAST_CHUNK)]
    if workers <= 1:
        try:
            return _check_chunks(spans, wanted)
        except _NotClean:
            return None
    tasks = [spans[i : i + FAST_TASK_CHUNKS] for i in range(0, len(spans), FAST_TASK_CHUNKS)]
    context = multiprocessing.get_context("fork")
    results: list[_ChunkResult] = []
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_start) as pool:
        for done in pool.map(_check_chunks_or_none, tasks, itertools.repeat(wanted)):
            if done is None:
                pool.shutdown(cancel_futures=True)
                return None
            results.extend(done)
    return results


def _fold(nodes: list[bytes]) -> bytes:
    """The root of perfect subtrees laid side by side, left to right (RFC 9162's shape)."""
    if not nodes:
        return merkle.EMPTY_ROOT
    h = nodes[-1]
    for left in reversed(nodes[:-1]):
        h = hashlib.sha256(b"\x01" + left + h).digest()
    return h


class _Verifier:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.counts: dict[str, int] = {}
        self.bad_leaves: list[int] = []  # sorted: leaves already reported (explain later noise)
        # Tree nodes already reported: the recomputed nodes above them differ as a consequence.
        self.bad_nodes: set[tuple[int, int]] = set()
        self.first_bad_node_leaf: int | None = None  # the first leaf a reported node covers
        self.tree_verified = False  # set by the fast path
        self.heads: list[tuple[int, Any, str]] = []  # (size, root hash, note), by size
        self.head_checked: set[int] = set()
        self.q = connection.ops.quote_name

    def problem(self, problem: Problem) -> None:
        n = self.counts.get(problem.kind, 0) + 1
        self.counts[problem.kind] = n
        if n <= MAX_LISTED:
            self.report.problems.append(problem)

    def bad_leaf(self, seq: int) -> None:
        bisect.insort(self.bad_leaves, seq)

    def explained(self, start: int, end: int) -> bool:
        """Whether a reported leaf lies in ``[start, end)``."""
        i = bisect.bisect_left(self.bad_leaves, start)
        return i < len(self.bad_leaves) and self.bad_leaves[i] < end

    def explained_prefix(self, size: int) -> bool:
        """Whether a reported leaf or tree node lies in the first ``size`` leaves (so a root
        over them differs as a consequence)."""
        first = self.first_bad_node_leaf
        return self.explained(0, size) or (first is not None and first < size)

    def summarise(self) -> None:
        for kind, n in self.counts.items():
            if n > MAX_LISTED:
                self.report.problems.append(
                    Problem(
                        kind=kind,
                        message=_("另有%(n)d个同类问题（%(kind)s）未逐一列出")
                        % {"n": n - MAX_LISTED, "kind": kind},
                    )
                )

    # -- entries and tree ---------------------------------------------------------------

    def fast_entries_and_tree(self, size: int, state_frontier: bytes | None, workers: int) -> bool:
        """The fast path (see above): whether the entries, tree, head roots and state row all
        match. When not, nothing has been reported and ``entries_and_tree`` must run."""
        if _fast_statements() is None:
            return False
        heads = list(SignedHead.objects.order_by("size").values_list("size", "root_hash", "note"))
        if any(not 0 <= head_size <= size for head_size, _root, _note in heads):
            return False
        needed = {s: merkle.perfect_subtrees(0, s) for s in {size, *(h[0] for h in heads)}}
        wanted: dict[int, list[int]] = {}
        for node_level, node_index in sorted({node for ids in needed.values() for node in ids}):
            wanted.setdefault(node_level, []).append(node_index)
        expected_nodes = 2 * size - size.bit_count()
        if not self._fast_whole_table_checks(size):
            return False
        chunks = _run_chunks(size, wanted, workers)
        if chunks is None:
            return False
        computed: dict[tuple[int, int], bytes] = {}
        nodes = entry_bytes = 0
        tops: list[bytes] = []
        referenced: set[str] = set()
        for chunk in chunks:
            computed.update(chunk.wanted)
            nodes += chunk.nodes
            entry_bytes += chunk.entry_bytes
            referenced |= chunk.referenced
            if chunk.top is not None:
                tops.append(chunk.top)
        # The levels above the chunks, from the chunks' roots.
        reader = _RawReader()
        try:
            level, height = tops, FAST_CHUNK.bit_length() - 1
            while len(level) > 1:
                pairs = iter(level)
                level = [
                    hashlib.sha256(b"\x01" + left + right).digest()
                    for left, right in zip(pairs, pairs, strict=False)
                ]
                height += 1
                if (b"".join(level), len(level)) != reader.level(height, 0, len(level)):
                    return False
                nodes += len(level)
                for index in wanted.get(height, ()):
                    if index < len(level):
                        computed[height, index] = level[index]
        finally:
            reader.close()
        if nodes != expected_nodes:
            return False
        try:
            roots = {s: _fold([computed[node] for node in ids]) for s, ids in needed.items()}
            frontier = size.to_bytes(8, "big") + b"".join(computed[node] for node in needed[size])
        except KeyError:
            return False
        if state_frontier is not None and frontier != state_frontier:
            return False
        if any(bytes(root) != roots[head_size] for head_size, root, _note in heads):
            return False
        self.heads = heads
        self.head_checked = {head_size for head_size, _root, _note in heads}
        # Every head's root is the root of a prefix of the same verified leaves, so consecutive
        # heads are consistent by construction: ``signed_heads`` need not fetch proofs.
        self.tree_verified = True
        report = self.report
        report.size, report.entries, report.entry_bytes, report.nodes = (
            size,
            size,
            entry_bytes,
            nodes,
        )
        self._check_files_referenced(referenced)
        return True

    def _fast_whole_table_checks(self, size: int) -> bool:
        """No entry outside ``[0, size)`` and no tree node outside the tree of ``size`` leaves
        (the chunks then count every row inside, exactly). Index lookups only: per level the
        smallest and largest index, so no table is scanned."""
        q = self.q
        entries, seq = q(Entry._meta.db_table), q("seq")
        nodes, level, index = q(TreeNode._meta.db_table), q("level"), q("index")
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT (SELECT min({seq}) FROM {entries}), "  # noqa: S608
                f"(SELECT max({seq}) FROM {entries})"
            )
            low, high = cursor.fetchone()
            if size == 0:
                if low is not None:
                    return False
            elif low != 0 or high != size - 1:
                return False
            cursor.execute(f"SELECT max({level}) FROM {nodes}")  # noqa: S608
            (top,) = cursor.fetchone()
            if size == 0 or top is None:
                return size == 0 and top is None
            if not 0 <= top < size.bit_length():
                return False
            for height in range(top + 1):
                cursor.execute(
                    f"SELECT (SELECT min({index}) FROM {nodes} WHERE {level} = %s), "  # noqa: S608
                    f"(SELECT max({index}) FROM {nodes} WHERE {level} = %s)",
                    [height, height],
                )
                low, high = cursor.fetchone()
                if low is None or low < 0 or high >= size >> height:
                    return False
            cursor.execute(f"SELECT min({level}) FROM {nodes}")  # noqa: S608
            return bool(cursor.fetchone()[0] == 0)

    def entries_and_tree(self, state_size: int, state_frontier: bytes | None) -> merkle.Frontier:
        q = self.q
        table = q(Entry._meta.db_table)
        columns = ", ".join(quoted_columns(Entry, ENTRY_COLUMNS))
        sql = (
            f"SELECT {columns} FROM {table} "  # noqa: S608 - names from model metadata
            f"WHERE {q('seq')} > %s ORDER BY {q('seq')} LIMIT %s"
        )
        heads = list(SignedHead.objects.order_by("size").values_list("size", "root_hash", "note"))
        self.heads = heads
        head_roots = {size: bytes(root) for size, root, _note in heads}
        head_sizes = sorted(head_roots)
        head_pos = 0
        self.head_checked = set()
        if head_sizes and head_sizes[0] == 0:
            self._head_root(0, merkle.EMPTY_ROOT, head_roots[0])
            head_pos = 1

        frontier = merkle.Frontier()
        append = frontier.append
        sha256 = hashlib.sha256
        referenced: set[str] = set()
        report = self.report
        last = -(1 << 62)
        expected = 0
        while True:
            with connection.cursor() as cursor:
                cursor.execute(sql, [last, ENTRY_CHUNK])
                rows = cursor.fetchall()
            if not rows:
                break
            first_leaf = frontier.size
            computed: list[tuple[int, int, bytes]] = []
            pending_heads: list[tuple[int, bytes]] = []
            extend = computed.extend
            for seq, stored_leaf, case_id, action in rows:
                if seq != expected or seq >= state_size:
                    if seq < expected or seq >= state_size:
                        self.problem(
                            Problem(
                                kind="entry_outside_log",
                                seq=seq,
                                message=_("第%(seq)d条记录不在日志树中（记录被插入）")
                                % {"seq": seq},
                            )
                        )
                        continue
                    # Deleted entries: carry on with the leaf the tree stored for each.
                    extend(self._missing(expected, seq, append))
                    expected = seq
                leaf = self._leaf(seq, stored_leaf, case_id, action, referenced)
                report.entry_bytes += len(leaf)
                extend(append(sha256(b"\x00" + leaf).digest()))
                expected = seq + 1
                while head_pos < len(head_sizes) and head_sizes[head_pos] <= expected:
                    if head_sizes[head_pos] == expected:
                        pending_heads.append((expected, frontier.root()))
                    head_pos += 1
            last = rows[-1][0]
            report.entries += len(rows)
            if frontier.size > first_leaf:
                self._compare_nodes(first_leaf, frontier.size - 1, computed)
            # After the nodes: a head that differs because of a leaf reported there is explained.
            for head_size, root in pending_heads:
                self._head_root(head_size, root, head_roots[head_size])

        if expected < state_size:  # deleted at the end of the log
            first_leaf = frontier.size
            computed = self._missing(expected, state_size, frontier.append)
            self._compare_nodes(first_leaf, frontier.size - 1, computed)
            while head_pos < len(head_sizes) and head_sizes[head_pos] <= frontier.size:
                size = head_sizes[head_pos]
                if size == frontier.size:
                    self._head_root(size, frontier.root(), head_roots[size])
                head_pos += 1
        self._check_state(frontier, state_size, state_frontier)
        self._check_files_referenced(referenced)
        return frontier

    def _leaf(
        self, seq: int, stored: Any, case_id: Any, action: Any, referenced: set[str]
    ) -> bytes:
        """The leaf bytes of row ``seq``, each way they differ from what ``record_append``
        writes reported: not canonical, another ``seq``, index columns that disagree, a
        correction that is not earlier, files (collected in ``referenced``)."""
        if isinstance(stored, str):  # SQLite keeps text in a BLOB column
            leaf = stored.encode("utf-8", "surrogatepass")
            fields = None
        else:
            leaf = bytes(stored)
            try:
                fields = entry_fields(leaf)
            except CanonicalError:
                fields = None
        if fields is None:
            self.problem(
                Problem(
                    kind="entry_not_canonical",
                    seq=seq,
                    message=_("第%(seq)d条记录的原文不是记录时写入的规范JSON（记录被篡改）")
                    % {"seq": seq},
                )
            )
            return leaf
        if fields["seq"] != seq:
            self.problem(
                Problem(
                    kind="entry_seq_mismatch",
                    seq=seq,
                    message=_("第%(seq)d条记录的原文写的是第%(other)d条（记录被挪动）")
                    % {"seq": seq, "other": fields["seq"]},
                )
            )
        if fields["case_id"] != case_id or fields["action"] != action:
            self.problem(
                Problem(
                    kind="entry_index_mismatch",
                    seq=seq,
                    case_id=fields["case_id"],
                    message=_(
                        "第%(seq)d条记录的检索列（案件%(column_case)s，%(column_action)s）"
                        "与其原文（案件%(case)s，%(action)s）不符（检索列被篡改）"
                    )
                    % {
                        "seq": seq,
                        "column_case": case_id,
                        "column_action": action,
                        "case": fields["case_id"],
                        "action": fields["action"],
                    },
                )
            )
        corrects = fields["corrects_seq"]
        if corrects is not None and not 0 <= corrects < seq:
            self.problem(
                Problem(
                    kind="correction_invalid",
                    seq=seq,
                    message=_("第%(seq)d条记录更正的记录（第%(other)d条）不在它之前")
                    % {"seq": seq, "other": corrects},
                )
            )
        referenced.update(item["sha256"] for item in fields["files"])
        return leaf

    def _missing(
        self, start: int, end: int, append: Callable[[bytes], list[tuple[int, int, bytes]]]
    ) -> list[tuple[int, int, bytes]]:
        """Report entries ``start..end-1`` as deleted; append their stored tree leaves."""
        stored = dict(
            TreeNode.objects.filter(level=0, index__gte=start, index__lt=end).values_list(
                "index", "hash"
            )
        )
        completed: list[tuple[int, int, bytes]] = []
        for seq in range(start, end):
            self.bad_leaf(seq)
            self.problem(
                Problem(
                    kind="entry_missing",
                    seq=seq,
                    message=_("第%(seq)d条记录缺失（记录被删除）") % {"seq": seq},
                )
            )
            leaf = stored.get(seq)
            completed.extend(append(bytes(leaf) if leaf is not None else bytes(32)))
        return completed

    def _compare_nodes(self, a: int, b: int, computed: list[tuple[int, int, bytes]]) -> None:
        """Compare the nodes leaves ``a..b`` completed with the stored ones, in one query.

        A leaf whose hash differs from its stored level-0 node is an edited entry — unless the
        stored parent above it equals the parent recomputed from the leaves, which shows the
        entry intact and the level-0 node rewritten."""
        q = self.q
        ranges = _levels_range(a, b)
        where = " OR ".join(
            [f"({q('level')} = %s AND {q('index')} BETWEEN %s AND %s)"] * len(ranges)
        )
        sql = (
            f"SELECT {q('level')}, {q('index')}, {q('hash')} FROM "  # noqa: S608 - model names
            f"{q(TreeNode._meta.db_table)} WHERE {where} ORDER BY {q('level')}, {q('index')}"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [v for r in ranges for v in r])
            stored = [(lv, ix, bytes(h)) for lv, ix, h in cursor.fetchall()]
        computed.sort()
        self.report.nodes += len(stored)
        if stored == computed:
            return
        have = {(lv, ix): h for lv, ix, h in stored}
        stored_nodes = dict(have)
        computed_nodes = {(lv, ix): h for lv, ix, h in computed}
        for level, index, h in computed:
            start, end = index << level, (index + 1) << level
            found = have.pop((level, index), None)
            if found == h or self.explained(start, end):
                continue
            if level and {(level - 1, 2 * index), (level - 1, 2 * index + 1)} & self.bad_nodes:
                self.bad_nodes.add((level, index))  # follows from the child reported below
                continue
            if level == 0:
                parent = (1, index >> 1)
                node_only = (
                    found is not None
                    and parent in computed_nodes
                    and stored_nodes.get(parent) == computed_nodes[parent]
                )
                if not node_only:
                    self.bad_leaf(index)
                kind, message = (
                    ("node_missing", _("第%(seq)d条记录在日志树中的叶节点缺失"))
                    if found is None
                    else ("node_altered", _("日志树中第%(seq)d条记录的叶节点被篡改"))
                    if node_only
                    else ("entry_altered", _("第%(seq)d条记录的内容与其哈希不符（记录被篡改）"))
                )
                self.problem(Problem(kind=kind, seq=index, message=message % {"seq": index}))
                continue
            self.bad_nodes.add((level, index))
            if self.first_bad_node_leaf is None or start < self.first_bad_node_leaf:
                self.first_bad_node_leaf = start
            what = _("缺失") if found is None else _("被篡改")
            self.problem(
                Problem(
                    kind="node_missing" if found is None else "node_altered",
                    seq=start,
                    message=_(
                        "日志树节点（第%(level)d层第%(index)d个，覆盖第%(start)d至%(end)d条记录）"
                        "%(what)s"
                    )
                    % {
                        "level": level,
                        "index": index,
                        "start": start,
                        "end": end - 1,
                        "what": what,
                    },
                )
            )
        for level, index in have:  # stored, but not part of the tree
            self.problem(
                Problem(
                    kind="node_extra",
                    message=_("日志树中有多余的节点（第%(level)d层第%(index)d个）")
                    % {"level": level, "index": index},
                )
            )

    def _head_root(self, size: int, computed: bytes, stored: bytes) -> None:
        self.head_checked.add(size)
        if computed == stored:
            return
        if self.explained_prefix(size):
            self.heads_explained = getattr(self, "heads_explained", 0) + 1
            return
        self.problem(
            Problem(
                kind="head_root",
                message=_("签名树头（%(size)d条）的根哈希与日志重新计算的结果不符")
                % {"size": size},
            )
        )

    def _check_state(
        self, frontier: merkle.Frontier, size: int, state_frontier: bytes | None
    ) -> None:
        """The state row against the recomputation (SQLite; PostgreSQL has no state row: its
        size is the tree's, ``state_frontier`` None), and no more nodes than the tree has."""
        self.report.size = size
        differs = frontier.size != size or (
            state_frontier is not None and frontier.to_bytes() != state_frontier
        )
        if differs and not self.explained_prefix(max(size, frontier.size)):
            self.problem(
                Problem(
                    kind="state_mismatch",
                    message=_("日志状态（%(size)d条）与记录重新计算的结果（%(computed)d条）不符")
                    % {"size": size, "computed": frontier.size},
                )
            )
        stored_count = TreeNode.objects.count()
        n = frontier.size
        expected = 2 * n - n.bit_count()
        if stored_count > expected:
            self.problem(
                Problem(
                    kind="node_extra",
                    message=_("日志树中有%(n)d个多余的节点") % {"n": stored_count - expected},
                )
            )

    def _check_files_referenced(self, referenced: set[str]) -> None:
        if not referenced:
            return
        known: set[str] = set()
        items = sorted(referenced)
        for i in range(0, len(items), 1000):
            known.update(
                EvidenceFile.objects.filter(sha256__in=items[i : i + 1000]).values_list(
                    "sha256", flat=True
                )
            )
        for sha in items:
            if sha not in known:
                self.problem(
                    Problem(
                        kind="file_unknown",
                        sha256=sha,
                        message=_("记录所附的证据文件%(sha)s不在证据库中") % {"sha": sha},
                    )
                )

    # -- signed heads -------------------------------------------------------------------

    def key_chain(self, log_size: int) -> KeyChain | None:
        """The chain of signing keys the log announces (see ``key_chain``), its problems
        reported; None, reported, when the key file is missing or unreadable."""
        path = Path(settings.SIGNING_KEY_PATH)
        if not path.is_file():  # never created here: a new key would not match the heads
            if self.heads:
                self.problem(
                    Problem(
                        kind="signing_key_missing",
                        message=_(
                            "签名密钥文件%(path)s不存在，%(n)d个签名树头无法核对："
                            "从备份恢复密钥文件（zhifa restore，或拷回原文件）"
                        )
                        % {"path": path, "n": len(self.heads)},
                    )
                )
            return None
        try:
            current = log_verifier()
        except (CheckpointError, OSError, UnicodeDecodeError) as exc:
            self.problem(
                Problem(
                    kind="signing_key_invalid",
                    message=_("签名密钥文件%(path)s无法读取：%(error)s")
                    % {"path": path, "error": one_line(exc)},
                )
            )
            return None
        announcements: list[Announcement] = []
        for entry in key_rotations(below=log_size):
            try:
                found = announcement_from(entry.seq, entry.data)
            except ValueError:  # an unreadable leaf: reported with the entries
                continue
            if found is None:
                self.problem(
                    Problem(
                        kind="key_announcement_invalid",
                        seq=entry.seq,
                        message=_("第%(seq)d条记录（签名密钥轮换）没有写明新旧密钥")
                        % {"seq": entry.seq},
                    )
                )
                continue
            announcements.append(found)
        chain, findings = KeyChain.build(current, announcements, log_origin())
        for finding in findings:
            self.problem(Problem(kind=finding.kind, seq=finding.seq, message=finding.message))
        return chain

    def signed_heads(self, log_size: int) -> None:
        chain = self.key_chain(log_size)
        if chain is None:
            self.report.heads += len(self.heads)
            return
        origin = log_origin()
        previous: tuple[int, bytes] | None = None
        explained = getattr(self, "heads_explained", 0)
        if explained:
            self.problem(
                Problem(
                    kind="head_root",
                    message=_("%(n)d个签名树头因上述被改动的记录而与日志不符") % {"n": explained},
                )
            )
        for size, root, note in self.heads:
            self.report.heads += 1
            root = bytes(root)
            if size > log_size:
                self.problem(
                    Problem(
                        kind="head_beyond_log",
                        message=_("签名树头（%(size)d条）超出了日志的大小（%(log)d条）")
                        % {"size": size, "log": log_size},
                    )
                )
                continue
            try:
                checkpoint = chain.open_head(note, size, origin)
            except CheckpointError as exc:
                self.problem(
                    Problem(
                        kind="head_signature",
                        message=_("签名树头（%(size)d条）的签名无效：%(error)s")
                        % {"size": size, "error": exc},
                    )
                )
                continue
            if checkpoint.size != size or checkpoint.root_hash != root:
                self.problem(
                    Problem(
                        kind="head_altered",
                        message=_("签名树头（%(size)d条）的数据与其签名检查点不符")
                        % {"size": size},
                    )
                )
                continue
            if previous is not None and not self.tree_verified and not self.explained_prefix(size):
                old_size, old_root = previous
                try:
                    proof = stored_consistency_proof(old_size, size)
                    merkle.check_consistency(old_size, size, old_root, root, proof)
                except (LookupError, merkle.ProofError) as exc:
                    self.problem(
                        Problem(
                            kind="head_consistency",
                            message=_(
                                "签名树头（%(old)d条）与（%(new)d条）之间的一致性证明不成立：%(error)s"
                            )
                            % {"old": old_size, "new": size, "error": exc},
                        )
                    )
            previous = (size, root)

    # -- evidence files -----------------------------------------------------------------

    def evidence_files(self) -> None:
        storage = evidence_storage()
        rows = EvidenceFile.objects.order_by("id").values_list("sha256", "size", "storage_key")
        for sha, size, key in rows.iterator(chunk_size=1000):
            self.report.files += 1
            h = hashlib.sha256()
            n = 0
            try:
                with storage.open(key) as stream:
                    while chunk := stream.read(CHUNK_SIZE):
                        h.update(chunk)
                        n += len(chunk)
            except FileNotFoundError:
                self.problem(
                    Problem(
                        kind="file_missing",
                        sha256=sha,
                        message=_("证据文件%(sha)s缺失（文件被删除）") % {"sha": sha},
                    )
                )
                continue
            self.report.file_bytes += n
            if h.hexdigest() != sha or n != size:
                self.problem(
                    Problem(
                        kind="file_altered",
                        sha256=sha,
                        message=_("证据文件%(sha)s的内容与其哈希不符（文件被篡改）") % {"sha": sha},
                    )
                )

    # -- replay ---------------------------------------------------------------------------

    def replay(self) -> None:
        for checker in replay_checkers():
            try:
                for problem in checker(case_groups()):
                    self.problem(problem)
            except Exception as exc:  # a broken checker must not hide the other results
                name = getattr(checker, "__qualname__", repr(checker))
                if is_database_error(exc):
                    self.problem(database_error_problem(exc, _("案件重放（%s）") % name))
                    continue
                self.problem(
                    Problem(
                        kind="replay_error",
                        message=_("重放检查%(name)s出错：%(error)s") % {"name": name, "error": exc},
                    )
                )


# -- the database itself --------------------------------------------------------------------

# What a broken database raises: Django's wrapped errors, and the drivers' own from the raw
# cursors of the fast path (in this process or pickled back from a worker).
_DATABASE_ERRORS: tuple[type[BaseException], ...] = (DjangoDatabaseError, sqlite3.Error)
try:  # pragma: no cover - psycopg is installed wherever PostgreSQL is used
    import psycopg as _psycopg

    _DATABASE_ERRORS = (*_DATABASE_ERRORS, _psycopg.Error)
except ImportError:  # pragma: no cover
    pass

# The record tables without which nothing of the log can be checked.
_RECORD_MODELS = (Entry, TreeNode, SignedHead, EvidenceFile)
QUICK_CHECK_LINES = 5  # lines of SQLite's own report quoted in the finding

# Words of SQLite's messages for a damaged file ("database disk image is malformed", "file is
# not a database", "database corruption at line …").
_CORRUPT_WORDS = ("malformed", "not a database", "corrupt")


def one_line(exc: BaseException) -> str:
    """An error's text on one line (drivers' messages run over several)."""
    return " ".join(str(exc).split()) or type(exc).__name__


def is_database_error(exc: BaseException) -> bool:
    """Whether ``exc`` comes from the database (or its driver) rather than from our code."""
    return isinstance(exc, _DATABASE_ERRORS)


def database_error_problem(exc: BaseException, stage: str) -> Problem:
    """The finding for a database error met while checking ``stage`` (a Chinese noun)."""
    text = one_line(exc)
    if any(word in text.lower() for word in _CORRUPT_WORDS):
        return Problem(
            kind="database_corrupt",
            message=_(
                "读取%(stage)s时发现数据库文件已损坏（%(error)s）：用 zhifa restore 从备份恢复"
            )
            % {"stage": stage, "error": text},
        )
    return Problem(
        kind="database_error",
        message=_("读取%(stage)s时数据库出错（%(error)s）") % {"stage": stage, "error": text},
    )


def sqlite_database_path() -> Path | None:
    """The file of the SQLite database, or None (PostgreSQL, or an in-memory database)."""
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        return None
    return Path(name.removeprefix("file:").split("?", 1)[0])


def database_problems() -> tuple[list[Problem], bool]:
    """Whether the database can be checked at all: ``(problems, fatal)``.

    Finds a missing SQLite file (without creating it, as connecting would), a server that
    cannot be reached, a file SQLite finds damaged (``PRAGMA quick_check``, which reads every
    page), and tables of the installed models that are missing. ``fatal`` when the log's own
    tables cannot be read, so the log checks must not run.
    """
    path = sqlite_database_path()
    if path is not None and not path.is_file():
        return [
            Problem(
                kind="database_missing",
                message=_(
                    "数据库文件%(path)s不存在：先运行 zhifa migrate 新建，"
                    "或用 zhifa restore 从备份恢复"
                )
                % {"path": path},
            )
        ], True
    problems: list[Problem] = []
    try:
        connection.ensure_connection()
    except _DATABASE_ERRORS as exc:
        problem = database_error_problem(exc, _("数据库"))
        if problem.kind == "database_corrupt":  # SQLite reads the header when it connects
            return [problem], True
        return [
            Problem(
                kind="database_unreachable",
                message=_("无法连接数据库（%(error)s）：检查 DATABASE_URL 和数据库服务器")
                % {"error": one_line(exc)},
            )
        ], True
    try:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA quick_check")
                lines = [str(row[0]) for row in cursor.fetchmany(QUICK_CHECK_LINES + 1)]
            if lines != ["ok"]:
                shown = "；".join(" ".join(line.split()) for line in lines[:QUICK_CHECK_LINES])
                problems.append(
                    Problem(
                        kind="database_corrupt",
                        message=_(
                            "数据库文件已损坏（SQLite完整性检查：%(report)s）："
                            "用 zhifa restore 从备份恢复"
                        )
                        % {"report": shown},
                    )
                )
        existing = set(connection.introspection.table_names(include_views=False))
    except _DATABASE_ERRORS as exc:
        problem = database_error_problem(exc, _("数据库结构"))
        if problem.kind != "database_corrupt":
            problem = Problem(
                kind="database_unreadable",
                message=_("无法读取数据库（%(error)s）") % {"error": one_line(exc)},
            )
        return [*problems, problem], True
    expected = set(connection.introspection.django_table_names(include_views=False))
    if not expected & existing:
        return [
            *problems,
            Problem(
                kind="database_empty",
                message=_(
                    "数据库中没有任何数据表（尚未初始化）：先运行 zhifa migrate，"
                    "或用 zhifa restore 从备份恢复"
                ),
            ),
        ], True
    for table in sorted(expected - existing):
        problems.append(
            Problem(
                kind="table_missing",
                message=_(
                    "数据库缺少数据表%(table)s：若刚升级，运行 zhifa migrate；若表被删除，"
                    "用 zhifa restore 从备份恢复"
                )
                % {"table": table},
            )
        )
    needed = {model._meta.db_table for model in _RECORD_MODELS}
    if connection.vendor != "postgresql":
        needed.add(LogState._meta.db_table)
    return problems, bool(needed - existing)


def log_state() -> tuple[int, bytes | None]:
    """The log's size and frontier as verification takes them: the state row on SQLite; on
    PostgreSQL, which keeps no state row, the size is the number of leaves in the stored tree
    (an entry inserted behind the log's back lies beyond it) and there is no frontier to
    compare (None)."""
    if connection.vendor == "postgresql":
        q = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT max({q('index')}) FROM {q(TreeNode._meta.db_table)} "  # noqa: S608
                f"WHERE {q('level')} = 0"
            )
            (last,) = cursor.fetchone()
        return (0 if last is None else int(last) + 1), None
    state = LogState.objects.filter(id=LogState.ROW_ID).values_list("size", "frontier").first()
    return (int(state[0]), bytes(state[1])) if state else (0, bytes(8))


def log_verify(
    *, check_files: bool = True, check_replay: bool = True, workers: int | None = None
) -> Report:
    """Check the whole log (see the module docstring) and return what was found.

    Entries and tree go through the fast path first, in ``workers`` processes (default: two
    for a log of ``PARALLEL_MIN_ENTRIES`` or more, when ``can_verify_in_parallel``; otherwise
    one, this process); any difference sends them through the detailed path, which names every
    problem. ``report.path`` says which path decided.

    Read-only; safe to run while the log is being appended to (it checks the log as of the
    size it reads first, ``log_state`` — entries appended later lie beyond that size and are
    reported; run it on a quiet log or a copy for a clean report).
    """
    started = time.perf_counter()
    report = Report()
    checker = _Verifier(report)
    t = time.perf_counter()
    found, fatal = database_problems()
    for problem in found:
        checker.problem(problem)
    report.timings["database"] = time.perf_counter() - t
    if fatal:
        report.path = "none"
        checker.summarise()
        report.seconds = time.perf_counter() - started
        return report
    stage = _("记录与日志树")
    try:
        size, frontier = log_state()
        if workers is None:
            workers = min(2, os.cpu_count() or 1) if size >= PARALLEL_MIN_ENTRIES else 1
        if not can_verify_in_parallel():
            workers = 1
        report.workers = workers
        t = time.perf_counter()
        if checker.fast_entries_and_tree(size, frontier, workers):
            report.path = "fast"
        else:
            report.path = "detailed"
            checker.entries_and_tree(size, frontier)
        report.timings["entries"] = time.perf_counter() - t
        stage = _("签名树头")
        t = time.perf_counter()
        checker.signed_heads(size)
        report.timings["heads"] = time.perf_counter() - t
    except _DATABASE_ERRORS as exc:
        checker.problem(database_error_problem(exc, stage))
    if check_files:
        t = time.perf_counter()
        try:
            checker.evidence_files()
        except _DATABASE_ERRORS as exc:
            checker.problem(database_error_problem(exc, _("证据文件表")))
        report.timings["files"] = time.perf_counter() - t
    if check_replay:
        t = time.perf_counter()
        checker.replay()
        report.timings["replay"] = time.perf_counter() - t
    checker.summarise()
    report.seconds = time.perf_counter() - started
    return report
