"""The fast path of ``zhifa verify``: the same verdict as the detailed path, only sooner.

A clean log is accepted by byte comparisons (leaf BLOBs whose index columns the database checks
against them, trees compared a level at a time, optionally in worker processes); anything else
hands over to the detailed path, which names each problem.
"""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection

from zhifa.record import services, verification
from zhifa.record.canonical import canonical_datetime, entry_fields, entry_leaf_bytes
from zhifa.record.models import Entry
from zhifa.record.services import evidence_store, record_append
from zhifa.record.verification import log_verify

from .conftest import T0, Append, edit_leaf, leaf_of, rebuild_tree, set_leaf

# Strings a JSON encoder must escape, and some it must leave alone.
AWKWARD = [
    'say "hi"',
    "back\\slash",
    "tab\tnew\nline\rret",
    "bell\x07 soh\x01 unit\x1f del\x7f",  # no NUL: PostgreSQL text cannot hold it
    "\b\f",
    "汉字 与 emoji 😀",
    "line\u2028sep\u2029",
    "",
]


def _sql(statement: str, params: list[object]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.fixture
def varied(db: None, evidence_dir: Path) -> list[Entry]:
    """Entries with every kind of value the leaf bytes must spell: escapes, nulls, files,
    corrections, whole-second and fractional times, large numbers."""
    photo = evidence_store(io.BytesIO(b"photo"), name='现场"照片".jpg', media_type="image/jpeg")
    entries: list[Entry] = []
    for i, text in enumerate(AWKWARD):
        entries.append(
            record_append(
                actor_id=None if i % 3 == 0 else 10**15 + i,
                actor_name=text or "系统",
                role=f"role {text}" if text else "officer",
                action=f"case.{text}" if text else "case.note",
                payload={"text": text, "n": -(10**18) + i, "nested": {"list": [text, None, True]}},
                case_id=None if i % 2 else 2**62 + i,
                files=[photo.ref] if i % 4 == 1 else [],
                corrects=entries[0] if i == 5 else None,
                at=T0 + timedelta(seconds=i, microseconds=0 if i % 2 else 123456),
            )
        )
    return entries


def test_every_awkward_leaf_begins_with_its_action_column_as_the_fast_path_quotes_it(
    varied: list[Entry],
) -> None:
    reader = verification._RawReader()
    try:
        rows = reader.rows(0, len(varied))
    finally:
        reader.close()
    assert len(rows) == len(varied)
    for entry, (leaf, case_id, action) in zip(Entry.objects.order_by("seq"), rows, strict=True):
        expected = entry_leaf_bytes(
            seq=entry.seq,
            recorded_at=canonical_datetime(entry.recorded_at),
            actor_id=entry.actor_id,
            actor_name=entry.actor_name,
            role=entry.role,
            case_id=entry.case_id,
            action=entry.action,
            payload=entry.payload,
            files=entry.files,
            corrects_seq=entry.corrects_id,
        )
        assert bytes(leaf) == expected == entry.leaf_bytes
        assert (case_id, action) == (entry.case_id, entry.action)
        assert expected.startswith(verification.action_head(action))
        assert entry_fields(expected)["seq"] == entry.seq


def test_a_clean_log_is_accepted_on_the_fast_path(varied: list[Entry]) -> None:
    report = log_verify()
    assert report.ok, report.problems
    assert report.path == "fast"
    n = len(varied)
    assert (report.size, report.entries, report.nodes) == (n, n, 2 * n - n.bit_count())


def test_fast_and_detailed_paths_count_the_same(varied: list[Entry]) -> None:
    fast = log_verify()
    detailed = verification.Report()
    checker = verification._Verifier(detailed)
    checker.entries_and_tree(*verification.log_state())
    assert (fast.size, fast.entries, fast.entry_bytes, fast.nodes) == (
        detailed.size,
        detailed.entries,
        detailed.entry_bytes,
        detailed.nodes,
    )


@pytest.mark.parametrize("size", [1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 37])
def test_the_fast_path_over_many_small_chunks_accepts_every_tree_shape(
    append: Append, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    monkeypatch.setattr(verification, "FAST_CHUNK", 4)
    append(size)
    services.head_sign(at=T0 + timedelta(hours=1))
    report = log_verify(check_files=False)
    assert report.ok and report.path == "fast", report.problems
    assert report.nodes == 2 * size - size.bit_count()


TAMPERING = {
    "edited entry": lambda: edit_leaf(3, b'"n":3', b'"n":99'),
    "deleted entry": lambda: _sql("DELETE FROM record_entry WHERE seq = 5", []),
    "inserted entry": lambda: _sql(
        "INSERT INTO record_entry (seq, leaf, case_id, action) "
        "SELECT 37, leaf, case_id, action FROM record_entry WHERE seq = 0",
        [],
    ),
    "case id column": lambda: _sql("UPDATE record_entry SET case_id = 2 WHERE seq = 9", []),
    "case id column emptied": lambda: _sql(
        "UPDATE record_entry SET case_id = NULL WHERE seq = 9", []
    ),
    "action column": lambda: _sql("UPDATE record_entry SET action = 'x' WHERE seq = 9", []),
    "rewritten node": lambda: _sql(
        'UPDATE record_treenode SET hash = %s WHERE level = 3 AND "index" = 1', [bytes(32)]
    ),
    "rewritten leaf node": lambda: _sql(
        'UPDATE record_treenode SET hash = %s WHERE level = 0 AND "index" = 20', [bytes(32)]
    ),
    "deleted node": lambda: _sql('DELETE FROM record_treenode WHERE level = 1 AND "index" = 4', []),
    "extra node": lambda: _sql(
        'INSERT INTO record_treenode (level, "index", hash) VALUES (%s, %s, %s)',
        [0, 37, bytes(32)],
    ),
    "swapped nodes": lambda: (
        _sql(
            'UPDATE record_treenode SET "index" = CASE "index" WHEN 0 THEN 1 ELSE 0 END + 100 '
            "WHERE level = 4",
            [],
        ),
        _sql('UPDATE record_treenode SET "index" = "index" - 100 WHERE level = 4', []),
    ),
    "head root": lambda: _sql("UPDATE record_signedhead SET root_hash = %s", [bytes(32)]),
    "correction": lambda: edit_leaf(2, b'"corrects_seq":null', b'"corrects_seq":30'),
}


if connection.vendor == "sqlite":  # PostgreSQL keeps no state row
    TAMPERING["state frontier"] = lambda: _sql(
        "UPDATE record_logstate SET frontier = %s", [bytes(8)]
    )


@pytest.mark.parametrize("change", list(TAMPERING))
def test_any_tampering_hands_over_to_the_detailed_path(
    append: Append, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    monkeypatch.setattr(verification, "FAST_CHUNK", 8)  # the change falls inside a later chunk
    append(37)
    services.head_sign(at=T0 + timedelta(hours=1))
    TAMPERING[change]()
    report = log_verify(check_files=False)
    assert report.path == "detailed"
    assert not report.ok


# Leaves a forger rewrote with the tree rebuilt over them and the signed heads deleted: the
# hashes all agree, so only the checks that bind a leaf to its row and its log can tell.
FORGED = {
    "seq of another entry": (
        lambda: set_leaf(9, leaf_of(9).replace(b'"seq":9}', b'"seq":8}')),
        "entry_seq_mismatch",
    ),
    "another case than its column": (
        lambda: edit_leaf(9, b'"case_id":1,', b'"case_id":2,'),
        "entry_index_mismatch",
    ),
    "another action than its column": (
        lambda: edit_leaf(9, b'"action":"case.note"', b'"action":"case.close"'),
        "entry_index_mismatch",
    ),
    "a correction of a later entry": (
        lambda: edit_leaf(9, b'"corrects_seq":null', b'"corrects_seq":30'),
        "correction_invalid",
    ),
    "files that are not the canonical list": (
        lambda: edit_leaf(9, b'"files":[]', b'"files":[ ]'),
        "entry_not_canonical",
    ),
    "files that are not evidence references": (
        lambda: edit_leaf(9, b'"files":[]', b'"files":[{"x":1}]'),
        "entry_not_canonical",
    ),
}


@pytest.mark.parametrize("change", list(FORGED))
def test_a_leaf_forged_with_its_tree_is_still_caught_by_the_fast_path(
    append: Append, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    monkeypatch.setattr(verification, "FAST_CHUNK", 8)
    append(37)
    forge, kind = FORGED[change]
    forge()
    rebuild_tree()
    report = log_verify(check_files=False)
    assert report.path == "detailed"
    assert [(p.kind, p.seq) for p in report.problems] == [(kind, 9)]


def test_a_rebuilt_tree_over_untouched_leaves_is_accepted(append: Append) -> None:
    # The control for the test above: rebuilding alone changes nothing a verifier can see.
    append(37)
    rebuild_tree()
    report = log_verify(check_files=False)
    assert report.ok and report.path == "fast", report.problems


def test_evidence_files_listed_in_leaves_are_checked_on_the_fast_path(
    db: None, evidence_dir: Path
) -> None:
    photo = evidence_store(io.BytesIO(b"photo"), name="照片.jpg", media_type="image/jpeg")
    record_append(
        actor_id=1,
        actor_name="张三",
        role="officer",
        action="evidence.attach",
        payload={"a": [1], "files": [], "payload": {"b": 2}},
        files=[photo.ref],
        at=T0,
    )
    assert log_verify().ok
    _sql("DELETE FROM record_evidencefile WHERE sha256 = %s", [photo.sha256])
    report = log_verify()
    assert report.path == "fast"  # the entries and the tree are fine; the store is not
    assert [(p.kind, p.sha256) for p in report.problems] == [("file_unknown", photo.sha256)]


def _parallel_or_skip() -> None:
    if not verification.can_verify_in_parallel():
        pytest.skip("worker processes cannot see an in-memory SQLite test database")


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_accept_a_clean_log(
    append: Append, monkeypatch: pytest.MonkeyPatch
) -> None:
    _parallel_or_skip()
    monkeypatch.setattr(verification, "FAST_CHUNK", 4)  # 13 chunks shared by 2 workers
    append(50)
    report = log_verify(check_files=False, workers=2)
    assert report.ok, report.problems
    assert (report.path, report.workers, report.nodes) == ("fast", 2, 2 * 50 - (50).bit_count())


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_hand_tampering_to_the_detailed_path(
    append: Append, monkeypatch: pytest.MonkeyPatch
) -> None:
    _parallel_or_skip()
    monkeypatch.setattr(verification, "FAST_CHUNK", 4)
    append(50)
    edit_leaf(45, b'"n":45', b'"n":0')
    report = log_verify(check_files=False, workers=2)
    assert report.path == "detailed"
    assert [(p.kind, p.seq) for p in report.problems] == [("entry_altered", 45)]
    # The parent's connection is still usable after the workers have gone.
    assert Entry.objects.count() == 50


def test_workers_are_not_used_inside_a_transaction(append: Append) -> None:
    append(3)
    assert connection.in_atomic_block  # the test's own transaction
    report = log_verify(workers=2)
    assert report.ok and report.workers == 1
