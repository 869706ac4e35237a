"""Appending to the log, signed heads and proofs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection, transaction

from zhifa.record import merkle, selectors, services
from zhifa.record.canonical import CanonicalError
from zhifa.record.checkpoint import Verifier, open_checkpoint
from zhifa.record.models import Entry, SignedHead, TreeNode
from zhifa.record.services import record_append
from zhifa.record.verification import log_verify

from .conftest import T0, Append


def _verifier() -> Verifier:
    return Verifier.from_key(services.public_verifier_key())


def test_appended_entries_are_numbered_from_zero_and_the_root_is_the_merkle_root(
    append: Append,
) -> None:
    entries = append(37)
    assert [e.seq for e in entries] == list(range(37))
    leaves = [e.leaf_hash for e in Entry.objects.order_by("seq")]
    frontier = selectors.log_frontier()
    assert selectors.log_size() == frontier.size == 37
    assert frontier.root() == merkle.reference_root(leaves)
    stored = {(n.level, n.index): bytes(n.hash) for n in TreeNode.objects.all()}
    assert stored == merkle.perfect_nodes(leaves)


def test_entry_keeps_the_exact_canonical_payload_it_hashed(append: Append) -> None:
    entry = append(1)[0]
    fresh = Entry.objects.get(seq=entry.seq)
    assert fresh.payload == '{"amount":"200.00","n":0,"text":"现场检查记录"}'
    assert fresh.data["text"] == "现场检查记录"
    assert fresh.leaf_hash == entry.leaf_hash == merkle.leaf_hash(fresh.leaf_bytes)
    assert TreeNode.objects.get(level=0, index=entry.seq).hash == entry.leaf_hash


def test_an_entry_is_stored_once_as_its_leaf_and_read_back_from_it(append: Append) -> None:
    entry = append(1, case_id=42, action="case.inspect")[0]
    fresh = Entry.objects.get(seq=entry.seq)
    assert (
        fresh.leaf_bytes
        == (
            '{"action":"case.inspect","actor_id":7,"actor_name":"张三","case_id":42,'
            '"corrects_seq":null,"files":[],"payload":{"amount":"200.00","n":0,"text":"现场检查记录"},'
            '"recorded_at":"2026-11-20T02:00:00.000000Z","role":"officer","seq":0}'
        ).encode()
    )
    assert (fresh.case_id, fresh.action) == (42, "case.inspect")  # the lookup columns
    assert (fresh.actor_id, fresh.actor_name, fresh.role) == (7, "张三", "officer")
    assert fresh.recorded_at == T0 and fresh.recorded_at.tzinfo is not None
    assert (fresh.files, fresh.file_refs, fresh.corrects_id) == ("[]", [], None)


def test_floats_in_a_payload_are_refused(db: None) -> None:
    with pytest.raises(CanonicalError):
        record_append(actor_id=1, actor_name="张三", role="officer", action="x", payload={"a": 0.1})
    assert not Entry.objects.exists()


def test_a_head_is_signed_on_the_first_entry_then_every_minute_or_thousand_entries(
    append: Append,
) -> None:
    append(1)
    assert list(SignedHead.objects.values_list("size", flat=True)) == [1]
    append(60, start=1)  # one a second: the 60-second rule signs at 61 (T0 + 60 s)
    assert list(SignedHead.objects.values_list("size", flat=True)) == [1, 61]


def test_a_head_is_due_after_a_thousand_entries_even_within_a_minute(db: None) -> None:
    for i in range(1001):
        record_append(
            actor_id=1,
            actor_name="甲",
            role="officer",
            action="x",
            payload={"i": i},
            at=T0 + timedelta(milliseconds=i),
        )
    assert list(SignedHead.objects.values_list("size", flat=True)) == [1, 1001]


def test_every_entry_has_an_inclusion_proof_against_the_signed_head(append: Append) -> None:
    entries = append(21)
    head = services.head_sign(at=T0 + timedelta(minutes=5))
    checkpoint = open_checkpoint(head.note, _verifier(), origin=services.log_origin())
    assert checkpoint.size == 21
    for entry in entries:
        proof = selectors.inclusion_proof_for(entry)
        assert proof is not None
        assert proof.size == 21 and proof.checkpoint == head.note
        assert merkle.verify_inclusion(
            entry.leaf_hash,
            entry.seq,
            checkpoint.size,
            [bytes.fromhex(h) for h in proof.proof],
            checkpoint.root_hash,
        )


def test_inclusion_proof_under_an_older_head_of_given_size(append: Append) -> None:
    entries = append(5)
    old = services.head_sign(at=T0 + timedelta(minutes=1))
    append(6, start=5)
    services.head_sign(at=T0 + timedelta(minutes=2))
    proof = selectors.inclusion_proof_for(entries[2], size=5)
    assert proof is not None and proof.size == 5 and proof.root_hash == old.root_hash_hex
    assert merkle.verify_inclusion(
        entries[2].leaf_hash, 2, 5, [bytes.fromhex(h) for h in proof.proof], old.root_hash
    )
    with pytest.raises(LookupError):
        selectors.inclusion_proof_for(entries[2], size=4)


def test_no_inclusion_proof_before_a_head_covers_the_entry(append: Append) -> None:
    entries = append(3)  # the head signed at size 1 does not cover entry 2
    assert selectors.inclusion_proof_for(entries[2]) is None


def test_consistency_proof_between_two_signed_heads_verifies(append: Append) -> None:
    append(5)
    old = services.head_sign(at=T0 + timedelta(minutes=1))
    append(8, start=5)
    new = services.head_sign(at=T0 + timedelta(minutes=2))
    old_cp = open_checkpoint(old.note, _verifier())
    new_cp = open_checkpoint(new.note, _verifier())
    proof = [bytes.fromhex(h) for h in selectors.consistency_proof_between(5, 13)]
    merkle.check_consistency(5, 13, old_cp.root_hash, new_cp.root_hash, proof)
    with pytest.raises(ValueError, match="no consistency proof"):
        selectors.consistency_proof_between(5, 14)


def test_signing_twice_at_the_same_size_returns_the_same_head(append: Append) -> None:
    append(2)
    first = services.head_sign(at=T0 + timedelta(minutes=1))
    assert services.head_sign(at=T0 + timedelta(minutes=2)).pk == first.pk


def test_an_append_in_a_rolled_back_transaction_leaves_no_trace(append: Append) -> None:
    append(3)
    counts = (Entry.objects.count(), TreeNode.objects.count(), SignedHead.objects.count())
    with pytest.raises(RuntimeError), transaction.atomic():
        record_append(actor_id=1, actor_name="甲", role="officer", action="x", payload={})
        raise RuntimeError("the caller's service failed")
    assert selectors.log_size() == 3
    assert (Entry.objects.count(), TreeNode.objects.count(), SignedHead.objects.count()) == counts
    # The next append reuses the number the rolled-back one had taken.
    assert append(1, start=3)[0].seq == 3


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="PostgreSQL numbers each entry on the server"
)
def test_an_append_after_another_writer_reads_the_state_afresh(append: Append) -> None:
    append(2)
    stale = services._seen.state  # what this thread saw
    append(3, start=2)
    services._seen.state = stale  # as if another process had appended the last three
    entry = append(1, start=5)[0]
    assert entry.seq == 5
    leaves = [e.leaf_hash for e in Entry.objects.order_by("seq")]
    assert selectors.log_frontier().root() == merkle.root(leaves)


def test_a_correction_refers_to_the_corrected_entry_and_both_remain(append: Append) -> None:
    wrong = append(1)[0]
    fix = record_append(
        actor_id=7,
        actor_name="张三",
        role="officer",
        action="case.note.correct",
        payload={"text": "更正：检查地点为二号仓库"},
        case_id=1,
        corrects=wrong,
        at=T0 + timedelta(seconds=5),
    )
    assert fix.corrects_id == wrong.seq
    assert [(e.seq, e.corrects_seq) for e in selectors.entries_of_case(1)] == [(0, None), (1, 0)]
    assert Entry.objects.get(seq=0).payload == wrong.payload


def test_a_correction_must_refer_to_an_earlier_entry(db: None) -> None:
    ghost = Entry(seq=5)
    with pytest.raises(ValueError, match="must be a stored entry"):
        record_append(
            actor_id=1, actor_name="甲", role="officer", action="x", payload={}, corrects=ghost
        )


def test_files_must_be_in_the_evidence_store(db: None) -> None:
    ref = services.EvidenceRef(sha256="0" * 64, name="a.jpg", size=1, media_type="image/jpeg")
    with pytest.raises(ValueError, match="not in the evidence store"):
        record_append(
            actor_id=1, actor_name="甲", role="officer", action="x", payload={}, files=[ref]
        )


@pytest.mark.django_db(transaction=True)
def test_writers_on_two_connections_keep_the_log_gap_free(db: None) -> None:
    from django.db import connection

    from zhifa.record.verification import can_verify_in_parallel, log_verify

    if not can_verify_in_parallel():
        pytest.skip("an in-memory SQLite test database is not shared between connections")
    failures: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            for i in range(25):
                with transaction.atomic():
                    record_append(
                        actor_id=1,
                        actor_name=name,
                        role="officer",
                        action="x",
                        payload={"i": i},
                        at=T0 + timedelta(seconds=i),
                    )
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    import threading

    threads = [threading.Thread(target=writer, args=(name,)) for name in ("甲", "乙")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert list(Entry.objects.values_list("seq", flat=True)) == list(range(50))
    assert selectors.log_size() == 50
    report = log_verify(check_files=False)
    assert report.ok, report.problems


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_postgresql_keep_the_log_gap_free_and_the_tree_whole(
    db: None,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite test databases are one in-memory shared-cache database, whose table locks "
            "fail at once instead of waiting; PostgreSQL runs this (scripts/with-postgres.sh)"
        )
    import threading

    from django.db import connections

    writers, transactions = 6, 20
    failures: list[BaseException] = []
    start = threading.Barrier(writers)

    def writer(w: int) -> None:
        try:
            start.wait()
            for t in range(transactions):
                # Transactions of one, two or three entries; every fifth rolls back after
                # appending, as a service refused at its last step would.
                try:
                    with transaction.atomic():
                        for k in range(1 + t % 3):
                            record_append(
                                actor_id=w,
                                actor_name=f"写入者{w}",
                                role="officer",
                                action="case.note",
                                payload={"w": w, "t": t, "k": k, "kept": t % 5 != 4},
                                case_id=w,
                                at=T0 + timedelta(seconds=t),
                            )
                        if t % 5 == 4:
                            raise RuntimeError("the caller's service failed")
                except RuntimeError:
                    pass
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    kept = [
        (w, t, k)
        for w in range(writers)
        for t in range(transactions)
        if t % 5 != 4
        for k in range(1 + t % 3)
    ]
    entries = list(Entry.objects.order_by("seq"))
    assert [e.seq for e in entries] == list(range(len(kept)))  # gap-free, nothing lost
    assert sorted((e.data["w"], e.data["t"], e.data["k"]) for e in entries) == sorted(kept)
    assert all(e.data["kept"] for e in entries)  # nothing of a rolled-back transaction
    assert TreeNode.objects.count() == 2 * len(kept) - len(kept).bit_count()
    heads = list(SignedHead.objects.values_list("size", flat=True))
    assert heads and heads[0] == 1 and heads == sorted(set(heads))
    report = log_verify(check_files=False, check_replay=False)
    assert report.ok and report.heads == len(heads), report.problems


def test_an_append_rolled_back_with_its_caller_leaves_no_entry_and_no_node(
    append: Append,
) -> None:
    append(4)  # the next leaf, 4, would complete no parent; 5 would complete one, 7 three
    for extra in (1, 2, 4):
        counts = (Entry.objects.count(), TreeNode.objects.count(), SignedHead.objects.count())
        with pytest.raises(RuntimeError), transaction.atomic():
            append(extra, start=100)
            services.head_sign(at=T0 + timedelta(hours=1))
            raise RuntimeError("the caller's service failed")
        assert (
            Entry.objects.count(),
            TreeNode.objects.count(),
            SignedHead.objects.count(),
        ) == counts
        assert selectors.log_size() == 4
    assert append(1, start=4)[0].seq == 4
    report = log_verify(check_files=False, check_replay=False)
    assert report.ok, report.problems
