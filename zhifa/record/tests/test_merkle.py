"""The record log's Merkle tree against RFC 9162 and the transparency-dev/merkle test vectors.

The vectors (tests/data/rfc9162_vectors.json) are carried as data from
github.com/transparency-dev/merkle; the file names the source files.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from zhifa.record.merkle import (
    EMPTY_ROOT,
    Frontier,
    ProofError,
    check_consistency,
    consistency_proof,
    consistency_proof_nodes,
    inclusion_proof,
    inclusion_proof_nodes,
    leaf_hash,
    node_hash,
    perfect_nodes,
    perfect_subtrees,
    reference_consistency_proof,
    reference_inclusion_proof,
    reference_root,
    root,
    root_from_inclusion_proof,
    subtree_hash,
    verify_consistency,
    verify_inclusion,
)

VECTORS: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "rfc9162_vectors.json").read_text(encoding="utf-8")
)
LEAVES = [leaf_hash(bytes.fromhex(entry)) for entry in VECTORS["leaves"]]
ROOTS = [bytes.fromhex(h) for h in VECTORS["roots"]]
NODES = perfect_nodes(LEAVES)
SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")


def get_vector_node(level: int, index: int) -> bytes:
    return NODES[level, index]


def hexes(hashes: Sequence[bytes]) -> list[str]:
    return [h.hex() for h in hashes]


@cache
def synthetic_leaves(n: int) -> tuple[bytes, ...]:
    return tuple(leaf_hash(f"entry {i}".encode()) for i in range(n))


@cache
def synthetic_nodes(n: int) -> dict[tuple[int, int], bytes]:
    return perfect_nodes(synthetic_leaves(n))


# -- hashing ------------------------------------------------------------------------------------


def test_hashes_are_rfc_6962_leaf_and_node_hashes() -> None:
    hasher = VECTORS["hasher"]
    assert EMPTY_ROOT.hex() == hasher["empty_root"]
    assert leaf_hash(b"").hex() == hasher["empty_leaf"]
    assert leaf_hash(hasher["leaf"]["data"].encode()).hex() == hasher["leaf"]["hash"]
    node = hasher["node"]
    assert node_hash(node["left"].encode(), node["right"].encode()).hex() == node["hash"]


def test_a_leaf_hash_differs_from_the_node_hash_of_the_same_bytes() -> None:
    left, right = leaf_hash(b"Hello"), leaf_hash(b"World")
    assert node_hash(left, right) != leaf_hash(left + right)
    assert node_hash(left, right) != node_hash(right, left)


# -- roots --------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", range(1, 9))
def test_root_of_every_published_tree_size_matches_the_vectors(size: int) -> None:
    assert root(LEAVES[:size]) == ROOTS[size - 1]
    assert reference_root(LEAVES[:size]) == ROOTS[size - 1]


def test_root_of_no_leaves_is_sha256_of_the_empty_string() -> None:
    assert root([]) == EMPTY_ROOT == hashlib.sha256(b"").digest()
    assert Frontier().root() == EMPTY_ROOT


def test_iterative_root_equals_the_rfc_recursion_up_to_200_leaves() -> None:
    leaves = synthetic_leaves(200)
    for size in range(201):
        assert root(leaves[:size]) == reference_root(leaves[:size]), size


# -- the frontier -------------------------------------------------------------------------------


def test_frontier_root_equals_root_for_every_size_up_to_200() -> None:
    leaves = synthetic_leaves(200)
    frontier = Frontier()
    for size, leaf in enumerate(leaves, start=1):
        frontier.append(leaf)
        assert frontier.size == size
        assert frontier.root() == root(leaves[:size]), size


def test_frontier_keeps_one_hash_per_set_bit_of_its_size() -> None:
    frontier = Frontier()
    for size, leaf in enumerate(synthetic_leaves(200), start=1):
        frontier.append(leaf)
        assert len(frontier.hashes) == size.bit_count()


def test_frontier_emits_exactly_the_perfect_subtrees_each_once() -> None:
    leaves = synthetic_leaves(200)
    frontier = Frontier()
    emitted: dict[tuple[int, int], bytes] = {}
    for size, leaf in enumerate(leaves, start=1):
        for level, index, h in frontier.append(leaf):
            assert (level, index) not in emitted, (level, index)
            emitted[level, index] = h
        # Every perfect subtree inside [0, size) has been emitted, with its RFC hash …
        expected = {
            (level, index) for level in range(size.bit_length()) for index in range(size >> level)
        }
        assert set(emitted) == expected, size
    # … and the hash is the MTH of the leaves it covers.
    for (level, index), h in emitted.items():
        assert h == root(leaves[index << level : (index + 1) << level])


def test_frontier_append_reports_the_leaf_then_each_parent_it_completed() -> None:
    frontier = Frontier()
    for leaf in LEAVES[:7]:
        frontier.append(leaf)
    completed = frontier.append(LEAVES[7])
    assert [(level, index) for level, index, _ in completed] == [(0, 7), (1, 3), (2, 1), (3, 0)]
    assert completed[-1][2] == ROOTS[7]


def test_frontier_refuses_a_leaf_hash_that_is_not_32_bytes() -> None:
    with pytest.raises(ValueError, match="32 bytes"):
        Frontier().append(b"short")


def test_frontier_round_trips_through_bytes_and_continues_identically() -> None:
    leaves = synthetic_leaves(100)
    frontier = Frontier()
    for leaf in leaves[:77]:
        frontier.append(leaf)
    restored = Frontier.from_bytes(frontier.to_bytes())
    assert restored == frontier
    assert restored.size == 77
    assert restored.root() == frontier.root()
    for leaf in leaves[77:]:
        assert restored.append(leaf) == frontier.append(leaf)
    assert restored.root() == root(leaves)


def test_frontier_from_bytes_refuses_a_truncated_or_padded_frontier() -> None:
    frontier = Frontier()
    for leaf in LEAVES[:7]:
        frontier.append(leaf)
    data = frontier.to_bytes()
    for bad in (data[:-1], data + b"\x00", data[:5], b""):
        with pytest.raises(ValueError, match="frontier"):
            Frontier.from_bytes(bad)


def test_empty_frontier_round_trips() -> None:
    assert Frontier.from_bytes(Frontier().to_bytes()) == Frontier()


def test_frontier_rebuilt_from_stored_nodes_equals_the_live_one() -> None:
    nodes = synthetic_nodes(200)
    frontier = Frontier()
    for size, leaf in enumerate(synthetic_leaves(200), start=1):
        frontier.append(leaf)
        assert Frontier.from_nodes(size, lambda lv, ix: nodes[lv, ix]) == frontier


# -- node addressing ----------------------------------------------------------------------------


def test_perfect_subtrees_cover_a_range_with_the_largest_aligned_blocks() -> None:
    assert perfect_subtrees(0, 7) == [(2, 0), (1, 2), (0, 6)]
    assert perfect_subtrees(0, 8) == [(3, 0)]
    assert perfect_subtrees(5, 13) == [(0, 5), (1, 3), (2, 2), (0, 12)]
    assert perfect_subtrees(4, 4) == []


def test_subtree_hash_of_every_tree_shaped_range_is_its_mth() -> None:
    leaves = synthetic_leaves(64)
    nodes = synthetic_nodes(64)
    for start in range(64):
        for end in range(start + 1, 65):
            if start % (1 << (end - start - 1).bit_length()):
                with pytest.raises(ValueError, match="not a subtree"):
                    subtree_hash(start, end, lambda lv, ix: nodes[lv, ix])
                continue
            assert subtree_hash(start, end, lambda lv, ix: nodes[lv, ix]) == root(leaves[start:end])


# -- the published proofs -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "vector", VECTORS["inclusion_proofs"], ids=lambda v: f"{v['index']}-of-{v['size']}"
)
def test_published_inclusion_proof_is_generated_and_verified(vector: dict[str, Any]) -> None:
    index, size = vector["index"], vector["size"]
    proof = [bytes.fromhex(h) for h in vector["proof"]]
    assert inclusion_proof(index, size, get_vector_node) == proof
    assert reference_inclusion_proof(index, LEAVES[:size]) == proof
    assert root_from_inclusion_proof(LEAVES[index], index, size, proof) == ROOTS[size - 1]
    assert verify_inclusion(LEAVES[index], index, size, proof, ROOTS[size - 1])


@pytest.mark.parametrize(
    "vector",
    VECTORS["consistency_proofs"],
    ids=lambda v: f"{v['old_size']}-to-{v['new_size']}",
)
def test_published_consistency_proof_is_generated_and_verified(vector: dict[str, Any]) -> None:
    old, new = vector["old_size"], vector["new_size"]
    proof = [bytes.fromhex(h) for h in vector["proof"]]
    assert consistency_proof(old, new, get_vector_node) == proof
    assert reference_consistency_proof(old, LEAVES[:new]) == proof
    assert verify_consistency(old, new, ROOTS[old - 1], ROOTS[new - 1], proof)


@pytest.mark.parametrize(
    "vector", VECTORS["inclusion_nodes"], ids=lambda v: f"{v['index']}-of-{v['size']}"
)
def test_inclusion_proof_reads_the_published_stored_nodes(vector: dict[str, Any]) -> None:
    expected = {tuple(node) for node in vector["nodes"]}
    read = inclusion_proof_nodes(vector["index"], vector["size"])
    assert len(read) == len(expected)
    assert set(read) == expected


@pytest.mark.parametrize(
    "vector",
    VECTORS["consistency_nodes"],
    ids=lambda v: f"{v['old_size']}-to-{v['new_size']}",
)
def test_consistency_proof_reads_the_published_stored_nodes(vector: dict[str, Any]) -> None:
    expected = {tuple(node) for node in vector["nodes"]}
    read = consistency_proof_nodes(vector["old_size"], vector["new_size"])
    assert len(read) == len(expected)
    assert set(read) == expected


def test_proof_generators_refuse_the_published_impossible_requests() -> None:
    for bad in VECTORS["inclusion_errors"]:
        with pytest.raises(ValueError):
            inclusion_proof(bad["index"], bad["size"], get_vector_node)
    for bad in VECTORS["consistency_errors"]:
        with pytest.raises(ValueError):
            consistency_proof(bad["old_size"], bad["new_size"], get_vector_node)


# -- tampering ----------------------------------------------------------------------------------


def flip(h: bytes, bit: int) -> bytes:
    return bytes([h[0] ^ (1 << bit)]) + h[1:]


def tampered_inclusion(
    index: int, size: int, proof: list[bytes], root_: bytes, leaf: bytes
) -> list[tuple[str, int, int, list[bytes], bytes, bytes]]:
    """The corruptions transparency-dev/merkle's verify_test.go probes, plus a few more.

    Not "size + 1": a root does not commit to the tree size (a ragged right subtree hashes like a
    perfect one), so a proof can hold for a neighbouring size with the same shape — which is why
    a checkpoint signs the size together with the root.
    """
    probes = [
        ("index - 1", index - 1, size, proof, root_, leaf),
        ("index + 1", index + 1, size, proof, root_, leaf),
        ("index ^ 2", index ^ 2, size, proof, root_, leaf),
        ("size * 2", index, size * 2, proof, root_, leaf),
        ("size // 2", index, size // 2, proof, root_, leaf),
        ("wrong leaf", index, size, proof, root_, leaf_hash(b"WrongLeaf")),
        ("short leaf", index, size, proof, root_, b"WrongLeaf"),
        ("empty root", index, size, proof, EMPTY_ROOT, leaf),
        ("random root", index, size, proof, SOME_HASH, leaf),
        ("trailing garbage", index, size, [*proof, b""], root_, leaf),
        ("trailing root", index, size, [*proof, root_], root_, leaf),
        ("preceding garbage", index, size, [b"", *proof], root_, leaf),
        ("preceding root", index, size, [root_, *proof], root_, leaf),
    ]
    for i in range(len(proof)):
        for bit in (3, 0, 7):
            wrong = list(proof)
            wrong[i] = flip(wrong[i], bit)
            probes.append((f"proof[{i}] bit {bit}", index, size, wrong, root_, leaf))
        wrong = list(proof)
        wrong[i] = wrong[i][:-1]
        probes.append((f"proof[{i}] truncated", index, size, wrong, root_, leaf))
    if proof:
        probes.append(("removed component", index, size, proof[:-1], root_, leaf))
    if len(proof) > 1:
        probes.append(
            ("inserted component", index, size, [proof[0], SOME_HASH, *proof[1:]], root_, leaf)
        )
        probes.append(("swapped components", index, size, proof[::-1], root_, leaf))
    return probes


@pytest.mark.parametrize(
    "vector",
    [v for v in VECTORS["inclusion_proofs"] if v["size"] > 1],
    ids=lambda v: f"{v['index']}-of-{v['size']}",
)
def test_tampered_inclusion_proofs_are_rejected(vector: dict[str, Any]) -> None:
    index, size = vector["index"], vector["size"]
    proof = [bytes.fromhex(h) for h in vector["proof"]]
    accepted = [
        desc
        for desc, i, s, p, r, leaf in tampered_inclusion(
            index, size, proof, ROOTS[size - 1], LEAVES[index]
        )
        if verify_inclusion(leaf, i, s, p, r)
    ]
    assert accepted == []


def test_inclusion_in_a_one_leaf_tree_is_the_leaf_itself() -> None:
    leaf = leaf_hash(b"data")
    assert verify_inclusion(leaf, 0, 1, [], leaf)
    assert not verify_inclusion(leaf, 0, 1, [], b"")
    assert not verify_inclusion(b"", 0, 1, [], leaf)
    assert not verify_inclusion(b"", 0, 1, [], b"")


@pytest.mark.parametrize(("index", "size"), [(0, 0), (1, 0), (1, 1), (2, 1), (-1, 4)])
def test_inclusion_outside_the_tree_is_a_proof_error(index: int, size: int) -> None:
    with pytest.raises(ProofError, match="not in a tree"):
        root_from_inclusion_proof(SOME_HASH, index, size, [])
    assert not verify_inclusion(SOME_HASH, index, size, [], EMPTY_ROOT)


def test_root_from_inclusion_proof_names_a_proof_of_the_wrong_length() -> None:
    proof = [bytes.fromhex(h) for h in VECTORS["inclusion_proofs"][1]["proof"]]
    with pytest.raises(ProofError, match="has 3 hashes, not 2"):
        root_from_inclusion_proof(LEAVES[0], 0, 8, proof[:2])
    with pytest.raises(ProofError, match="proof hash 1 is 31 bytes"):
        root_from_inclusion_proof(LEAVES[0], 0, 8, [proof[0], proof[1][:31], proof[2]])
    with pytest.raises(ProofError, match="proof hash 0 is 31 bytes"):
        root_from_inclusion_proof(LEAVES[0], 0, 8, [proof[0][:31], proof[1] + b"!", proof[2]])


def tampered_consistency(
    old: int, new: int, old_root: bytes, new_root: bytes, proof: list[bytes]
) -> list[tuple[str, int, int, bytes, bytes, list[bytes]]]:
    probes = [
        ("old - 1", old - 1, new, old_root, new_root, proof),
        ("old + 1", old + 1, new, old_root, new_root, proof),
        ("old ^ 2", old ^ 2, new, old_root, new_root, proof),
        ("new * 2", old, new * 2, old_root, new_root, proof),
        ("new // 2", old, new // 2, old_root, new_root, proof),
        ("wrong old root", old, new, b"WrongRoot", new_root, proof),
        ("wrong new root", old, new, old_root, b"WrongRoot", proof),
        ("random old root", old, new, SOME_HASH, new_root, proof),
        ("swapped roots", old, new, new_root, old_root, proof),
        ("empty proof", old, new, old_root, new_root, []),
        ("trailing garbage", old, new, old_root, new_root, [*proof, b""]),
        ("trailing old root", old, new, old_root, new_root, [*proof, old_root]),
        ("trailing new root", old, new, old_root, new_root, [*proof, new_root]),
        ("preceding garbage", old, new, old_root, new_root, [b"", *proof]),
        ("preceding old root", old, new, old_root, new_root, [old_root, *proof]),
        ("preceding new root", old, new, old_root, new_root, [new_root, *proof]),
        ("preceding proof[0]", old, new, old_root, new_root, [proof[0], *proof]),
        ("truncated proof", old, new, old_root, new_root, proof[:-1]),
    ]
    for i in range(len(proof)):
        for bit in (4, 0, 7):
            wrong = list(proof)
            wrong[i] = flip(wrong[i], bit)
            probes.append((f"proof[{i}] bit {bit}", old, new, old_root, new_root, wrong))
    return probes


@pytest.mark.parametrize(
    "vector",
    [v for v in VECTORS["consistency_proofs"] if v["proof"]],
    ids=lambda v: f"{v['old_size']}-to-{v['new_size']}",
)
def test_tampered_consistency_proofs_are_rejected(vector: dict[str, Any]) -> None:
    old, new = vector["old_size"], vector["new_size"]
    proof = [bytes.fromhex(h) for h in vector["proof"]]
    accepted = [
        desc
        for desc, o, n, r1, r2, p in tampered_consistency(
            old, new, ROOTS[old - 1], ROOTS[new - 1], proof
        )
        if verify_consistency(o, n, r1, r2, p)
    ]
    assert accepted == []


def test_trivial_consistency_needs_equal_roots_or_the_empty_tree() -> None:
    r1, r2 = ROOTS[0], ROOTS[1]
    assert verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])
    assert verify_consistency(0, 5, EMPTY_ROOT, ROOTS[4], [])
    assert verify_consistency(1, 1, r1, r1, [])
    assert not verify_consistency(1, 1, r1, r2, [])
    assert not verify_consistency(0, 5, r1, ROOTS[4], [])
    assert not verify_consistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT])
    assert not verify_consistency(0, 1, EMPTY_ROOT, r1, [EMPTY_ROOT])
    assert not verify_consistency(1, 1, r1, r1, [EMPTY_ROOT])
    assert not verify_consistency(1, 2, r1, r2, [])


@pytest.mark.parametrize(("old", "new"), [(1, 0), (2, 1), (9, 8), (-1, 3)])
def test_a_tree_cannot_shrink(old: int, new: int) -> None:
    with pytest.raises(ProofError, match="cannot shrink"):
        check_consistency(old, new, SOME_HASH, SOME_HASH, [])


def test_check_consistency_says_which_root_the_proof_misses() -> None:
    proof = [bytes.fromhex(h) for h in VECTORS["consistency_proofs"][2]["proof"]]  # 6 -> 8
    check_consistency(6, 8, ROOTS[5], ROOTS[7], proof)
    with pytest.raises(ProofError, match="old root of size 6"):
        check_consistency(6, 8, ROOTS[4], ROOTS[7], proof)
    with pytest.raises(ProofError, match="new root of size 8"):
        check_consistency(6, 8, ROOTS[5], ROOTS[6], proof)


# -- exhaustive properties ----------------------------------------------------------------------


def test_every_inclusion_proof_up_to_64_leaves_is_generated_alike_and_verifies() -> None:
    leaves = synthetic_leaves(64)
    nodes = synthetic_nodes(64)
    for size in range(1, 65):
        tree = leaves[:size]
        tree_root = root(tree)
        for index in range(size):
            proof = inclusion_proof(index, size, lambda lv, ix: nodes[lv, ix])
            assert proof == reference_inclusion_proof(index, tree), (index, size)
            assert verify_inclusion(leaves[index], index, size, proof, tree_root), (index, size)
            # The same proof does not vouch for a neighbour, nor for another tree size.
            other = (index + 1) % size
            if other != index:
                assert not verify_inclusion(leaves[other], index, size, proof, tree_root)
            assert not verify_inclusion(
                leaves[index], index, size + 1, proof, root(leaves[: size + 1])
            )


def test_every_consistency_proof_up_to_64_leaves_is_generated_alike_and_verifies() -> None:
    leaves = synthetic_leaves(64)
    nodes = synthetic_nodes(64)
    roots = [root(leaves[:size]) for size in range(65)]
    for new in range(1, 65):
        for old in range(new + 1):
            proof = consistency_proof(old, new, lambda lv, ix: nodes[lv, ix])
            assert proof == reference_consistency_proof(old, leaves[:new]), (old, new)
            assert verify_consistency(old, new, roots[old], roots[new], proof), (old, new)
            if 0 < old < new:
                # A log that rewrote any old leaf cannot produce an accepted proof for it.
                assert not verify_consistency(old, new, roots[old], roots[new], proof[:-1])
                forged = [leaf_hash(b"forged"), *leaves[1:old]]
                assert not verify_consistency(old, new, root(forged), roots[new], proof)


def test_proofs_for_a_past_size_come_from_a_bigger_stored_tree() -> None:
    # A store keeps the nodes of its current tree; proofs against an older signed head must
    # only read nodes that already existed at that size.
    nodes = synthetic_nodes(100)
    for size in (1, 7, 33, 64, 77):
        existing = set(perfect_nodes(synthetic_leaves(size)))
        for index in range(size):
            assert set(inclusion_proof_nodes(index, size)) <= existing
        for old in range(size + 1):
            assert set(consistency_proof_nodes(old, size)) <= existing
        assert inclusion_proof(size - 1, size, lambda lv, ix: nodes[lv, ix]) == (
            reference_inclusion_proof(size - 1, synthetic_leaves(size))
        )


def test_inclusion_proof_reads_logarithmically_many_nodes() -> None:
    size = 1_000_003
    for index in (0, 1, 500_000, size - 2, size - 1):
        assert len(inclusion_proof_nodes(index, size)) <= 2 * size.bit_length()
    assert len(consistency_proof_nodes(999_999, size)) <= 2 * size.bit_length()
