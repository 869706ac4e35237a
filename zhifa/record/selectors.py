"""Reads of the record log: a case's entries, signed heads, inclusion and consistency proofs.

Proofs are built from the stored perfect-subtree nodes: the nodes a proof needs are listed in
advance (``merkle.*_proof_nodes``) and fetched in one query by primary key.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from django.db import connection
from django.db.models import Max, QuerySet

from . import merkle
from .key_chain import KEY_ROTATE_ACTION
from .models import Entry, LogState, SignedHead, TreeNode


class InclusionProof(NamedTuple):
    """Proof that an entry is in the tree of a signed head (hashes in lowercase hex).

    Check it with ``merkle.verify_inclusion(leaf, entry.seq, size, proof, root)`` and the
    checkpoint with ``checkpoint.open_checkpoint(checkpoint, verifier)``.
    """

    size: int
    root_hash: str
    proof: list[str]
    checkpoint: str


def entries_of_case(case_id: int) -> QuerySet[Entry]:
    """The entries of one case, oldest first (not access-checked: gate the case first)."""
    return Entry.objects.filter(case_id=case_id).order_by("seq")


def entry_by_seq(seq: int) -> Entry | None:
    return Entry.objects.filter(seq=seq).first()


def latest_head() -> SignedHead | None:
    """The signed head of the largest size, if any."""
    return SignedHead.objects.order_by("-size").first()


def log_size() -> int:
    """The number of committed entries (as this transaction sees them): the state row's size on
    SQLite, ``max(seq) + 1`` on PostgreSQL, which keeps no state row (see ``services``)."""
    if connection.vendor == "postgresql":
        last = Entry.objects.aggregate(last=Max("seq"))["last"]
        return 0 if last is None else int(last) + 1
    size = LogState.objects.filter(id=LogState.ROW_ID).values_list("size", flat=True).first()
    return int(size or 0)


def log_frontier() -> merkle.Frontier:
    """The log's frontier (its size and the roots of its perfect subtrees), from the state row
    on SQLite and from the stored tree nodes on PostgreSQL."""
    if connection.vendor != "postgresql":
        state = LogState.objects.filter(id=LogState.ROW_ID).values_list("frontier", flat=True)
        frontier = state.first()
        return merkle.Frontier.from_bytes(bytes(frontier) if frontier else bytes(8))
    size = log_size()
    nodes = tree_nodes(merkle.perfect_subtrees(0, size))
    return merkle.Frontier.from_nodes(size, lambda level, index: nodes[level, index])


def tree_nodes(ids: Iterable[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
    """The stored nodes with these ``(level, index)`` addresses, in one query.

    Raises ``LookupError`` when one is missing (the tree is damaged: ``zhifa verify`` says how).
    """
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    found = {
        (level, index): bytes(h)
        for level, index, h in TreeNode.objects.filter(pk__in=wanted).values_list(
            "level", "index", "hash"
        )
    }
    missing = [node for node in wanted if node not in found]
    if missing:
        raise LookupError(f"tree nodes missing from the store: {missing[:5]}")
    return found


def inclusion_proof_for(entry: Entry, size: int | None = None) -> InclusionProof | None:
    """The inclusion proof of ``entry`` under a signed head.

    Without ``size``: under the latest signed head that contains the entry, or ``None`` when
    no head covers it yet (``services.head_sign`` signs one). With ``size``: under the signed
    head of that size; raises ``LookupError`` when there is none or it does not contain the
    entry.
    """
    heads = SignedHead.objects.filter(size__gt=entry.seq)
    if size is None:
        head = heads.order_by("-size").first()
        if head is None:
            return None
    else:
        head = heads.filter(size=size).first()
        if head is None:
            raise LookupError(f"no signed head of size {size} contains entry {entry.seq}")
    nodes = tree_nodes(merkle.inclusion_proof_nodes(entry.seq, head.size))
    proof = merkle.inclusion_proof(entry.seq, head.size, lambda lv, ix: nodes[lv, ix])
    return InclusionProof(
        size=head.size,
        root_hash=head.root_hash_hex,
        proof=[h.hex() for h in proof],
        checkpoint=head.note,
    )


def consistency_proof_between(old_size: int, new_size: int) -> list[str]:
    """PROOF(old_size, new_size) as hex hashes; both sizes within the committed log.

    Raises ``ValueError`` when ``0 <= old_size <= new_size <= log size`` does not hold.
    """
    if not 0 <= old_size <= new_size <= log_size():
        raise ValueError(f"no consistency proof from size {old_size} to size {new_size}")
    return [h.hex() for h in stored_consistency_proof(old_size, new_size)]


def stored_consistency_proof(old_size: int, new_size: int) -> list[bytes]:
    """PROOF(old_size, new_size) from the stored nodes (one query); ``LookupError`` when a
    node is missing."""
    nodes = tree_nodes(merkle.consistency_proof_nodes(old_size, new_size))
    return merkle.consistency_proof(old_size, new_size, lambda lv, ix: nodes[lv, ix])


def signed_heads() -> QuerySet[SignedHead]:
    return SignedHead.objects.order_by("size")


def key_rotations(below: int | None = None) -> QuerySet[Entry]:
    """The entries that announced a new signing key (``key_chain``), oldest first; with
    ``below``, only those among the first ``below`` entries."""
    rows = Entry.objects.filter(case_id__isnull=True, action=KEY_ROTATE_ACTION)
    if below is not None:
        rows = rows.filter(seq__lt=below)
    return rows.order_by("seq")
