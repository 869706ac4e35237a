"""The record log's Merkle tree, hashed and proved exactly as RFC 9162 §2.1 describes.

Leaves and nodes::

    leaf hash = SHA-256(0x00 ‖ entry)
    node hash = SHA-256(0x01 ‖ left ‖ right)
    MTH({})   = SHA-256("")

Nodes are addressed as ``(level, index)``: the perfect subtree of ``2**level`` leaves that covers
leaves ``[index * 2**level, (index + 1) * 2**level)``; level 0 holds the leaf hashes. Only perfect
subtrees are ever stored — they never change once complete, so a store can keep them in an
append-only table. A tree of any size is the right-to-left fold of the perfect subtrees its size
decomposes into (one per set bit), which is how roots and proof elements on the ragged right edge
are computed here.

The hot paths (``Frontier.append``, ``root``, ``root_from_inclusion_proof``) use bytes, lists
and ``hashlib.sha256`` directly: no object per node.

Proofs are generated from a ``get_node(level, index) -> bytes`` callable so a database-backed
store reads O(log n) nodes per proof; ``inclusion_proof_nodes`` / ``consistency_proof_nodes``
list those nodes in advance so the store can fetch them in one query. The ``reference_*``
functions are the literal recursive definitions of the RFC over an in-memory list, kept as an
independent check for tests and small trees.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()

_sha256 = hashlib.sha256
_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"
_SIZE_BYTES = 8  # Frontier serialisation: tree size as an unsigned 64-bit big-endian integer

NodeId = tuple[int, int]
GetNode = Callable[[int, int], bytes]


class ProofError(ValueError):
    """A proof, or the sizes and indices it is checked against, is malformed or does not hold."""


def leaf_hash(data: bytes) -> bytes:
    """RFC 9162 §2.1.1: ``SHA-256(0x00 ‖ data)``."""
    return _sha256(_LEAF_PREFIX + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """RFC 9162 §2.1.1: ``SHA-256(0x01 ‖ left ‖ right)``."""
    return _sha256(_NODE_PREFIX + left + right).digest()


def root(leaves: Sequence[bytes]) -> bytes:
    """The Merkle tree hash (MTH) of a list of *leaf hashes*, in O(n) hashes.

    Hashes level by level; an odd node at the end of a level is carried up unchanged, which
    gives the same tree as the RFC's "largest power of two smaller than n" split.
    """
    if not leaves:
        return EMPTY_ROOT
    sha = _sha256
    level = list(leaves)
    while len(level) > 1:
        carry = level[-1] if len(level) & 1 else None
        level = [
            sha(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)
        ]
        if carry is not None:
            level.append(carry)
    return level[0]


def _largest_power_of_two_below(n: int) -> int:
    """The k of RFC 9162 §2.1.1: the largest power of two strictly smaller than ``n`` (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def perfect_subtrees(start: int, end: int) -> list[NodeId]:
    """The perfect subtrees that exactly cover leaves ``[start, end)``, left to right.

    This is the compact range of the interval: each block is as large as alignment allows.
    """
    if not 0 <= start <= end:
        raise ValueError(f"invalid leaf range [{start}, {end})")
    nodes: list[NodeId] = []
    while start < end:
        level = (end - start).bit_length() - 1
        if start:
            level = min(level, (start & -start).bit_length() - 1)
        nodes.append((level, start >> level))
        start += 1 << level
    return nodes


def subtree_hash(start: int, end: int, get_node: GetNode) -> bytes:
    """MTH of leaves ``[start, end)``, from the stored perfect subtrees that cover it.

    The range must be a subtree of the RFC tree shape (``start`` aligned to the smallest power of
    two not below ``end - start``), which every range an RFC proof asks for is. A perfect range
    costs one ``get_node`` call; a ragged right edge costs one per set bit of its size.
    """
    if not 0 <= start < end:
        raise ValueError(f"invalid leaf range [{start}, {end})")
    if start % (1 << (end - start - 1).bit_length()):
        raise ValueError(f"leaf range [{start}, {end}) is not a subtree of the log's tree")
    nodes = perfect_subtrees(start, end)
    h = get_node(*nodes[-1])
    for level, index in reversed(nodes[:-1]):
        h = _sha256(_NODE_PREFIX + get_node(level, index) + h).digest()
    return h


class Frontier:
    """The right edge of a growing tree: the roots of its O(log n) perfect subtrees.

    ``append`` adds one leaf hash and returns every perfect subtree it completed, as
    ``(level, index, hash)`` — the leaf itself at level 0 first, then each parent it closed, so
    the store can persist all nodes a later proof may need. Serialise with ``to_bytes`` (or
    rebuild with ``from_nodes`` from the stored nodes) to resume after a restart.
    """

    __slots__ = ("_hashes", "_size")

    def __init__(self) -> None:
        self._size = 0
        # Perfect-subtree roots, largest (leftmost) first: one per set bit of ``_size``.
        self._hashes: list[bytes] = []

    @property
    def size(self) -> int:
        """Number of leaves appended so far."""
        return self._size

    @property
    def hashes(self) -> tuple[bytes, ...]:
        """The perfect-subtree roots, leftmost (largest) first."""
        return tuple(self._hashes)

    def append(self, leaf_hash: bytes) -> list[tuple[int, int, bytes]]:
        """Append one leaf hash; return the ``(level, index, hash)`` nodes it completed."""
        if len(leaf_hash) != HASH_SIZE:
            raise ValueError(f"a leaf hash is {HASH_SIZE} bytes, got {len(leaf_hash)}")
        n = self._size
        hashes = self._hashes
        completed = [(0, n, leaf_hash)]
        h = leaf_hash
        level = 0
        # Each trailing 1 bit of the old size is a perfect subtree of that height waiting for a
        # right sibling of equal height; the new leaf (merged upwards) is that sibling.
        m = n
        while m & 1:
            h = _sha256(_NODE_PREFIX + hashes.pop() + h).digest()
            level += 1
            m >>= 1
            completed.append((level, m, h))
        hashes.append(h)
        self._size = n + 1
        return completed

    def root(self) -> bytes:
        """The MTH of the tree of ``size`` leaves."""
        hashes = self._hashes
        if not hashes:
            return EMPTY_ROOT
        h = hashes[-1]
        for left in reversed(hashes[:-1]):
            h = _sha256(_NODE_PREFIX + left + h).digest()
        return h

    def to_bytes(self) -> bytes:
        """Size (8 bytes, big-endian) followed by the perfect-subtree roots."""
        return self._size.to_bytes(_SIZE_BYTES, "big") + b"".join(self._hashes)

    @classmethod
    def from_bytes(cls, data: bytes) -> Frontier:
        """Inverse of ``to_bytes``; raises ``ValueError`` when the bytes do not fit a frontier."""
        if len(data) < _SIZE_BYTES:
            raise ValueError("frontier bytes are shorter than the size field")
        size = int.from_bytes(data[:_SIZE_BYTES], "big")
        count = size.bit_count()
        if len(data) != _SIZE_BYTES + count * HASH_SIZE:
            raise ValueError(f"a frontier of size {size} holds {count} hashes")
        frontier = cls()
        frontier._size = size
        frontier._hashes = [
            data[offset : offset + HASH_SIZE] for offset in range(_SIZE_BYTES, len(data), HASH_SIZE)
        ]
        return frontier

    @classmethod
    def from_nodes(cls, size: int, get_node: GetNode) -> Frontier:
        """Rebuild the frontier of a stored tree of ``size`` leaves (reads popcount(size) nodes)."""
        if size < 0:
            raise ValueError("a tree size cannot be negative")
        frontier = cls()
        frontier._size = size
        frontier._hashes = [get_node(level, index) for level, index in perfect_subtrees(0, size)]
        return frontier

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Frontier):
            return NotImplemented
        return self._size == other._size and self._hashes == other._hashes

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return f"<Frontier size={self._size} root={self.root().hex()}>"


# -- proof generation (RFC 9162 §2.1.3.1 and §2.1.4.1) ------------------------------------------


def inclusion_proof(index: int, size: int, get_node: GetNode) -> list[bytes]:
    """PATH(index, D[0:size]): the audit path of leaf ``index`` in the tree of ``size`` leaves.

    Hashes are listed from the leaf's sibling upwards, as RFC 9162 orders them.
    """
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of size {size}")
    path: list[bytes] = []
    start, end = 0, size
    while end - start > 1:
        k = _largest_power_of_two_below(end - start)
        mid = start + k
        if index < mid:
            path.append(subtree_hash(mid, end, get_node))
            end = mid
        else:
            level = k.bit_length() - 1
            path.append(get_node(level, start >> level))
            start = mid
    path.reverse()
    return path


def consistency_proof(old_size: int, new_size: int, get_node: GetNode) -> list[bytes]:
    """PROOF(old_size, D[0:new_size]): proves the old tree is a prefix of the new one.

    Empty when ``old_size`` is 0 or equals ``new_size`` (nothing to prove).
    """
    if not 0 <= old_size <= new_size:
        raise ValueError(f"no consistency proof from size {old_size} to size {new_size}")
    proof: list[bytes] = []
    if old_size in (0, new_size):
        return proof
    start, end, m = 0, new_size, old_size
    # ``whole`` is the RFC's boolean b: true while the old tree's root is a node of this subtree
    # on the left edge, which the verifier already knows.
    whole = True
    while True:
        n = end - start
        if m == n:
            if not whole:
                proof.append(subtree_hash(start, end, get_node))
            break
        k = _largest_power_of_two_below(n)
        if m <= k:
            proof.append(subtree_hash(start + k, end, get_node))
            end = start + k
        else:
            level = k.bit_length() - 1
            proof.append(get_node(level, start >> level))
            start += k
            m -= k
            whole = False
    proof.reverse()
    return proof


def _nodes_read(generate: Callable[[GetNode], object]) -> list[NodeId]:
    read: list[NodeId] = []

    def record(level: int, index: int) -> bytes:
        read.append((level, index))
        return EMPTY_ROOT  # any 32 bytes: only the addresses matter here

    generate(record)
    return list(dict.fromkeys(read))


def inclusion_proof_nodes(index: int, size: int) -> list[NodeId]:
    """The stored nodes ``inclusion_proof(index, size, …)`` reads, so a store can fetch them
    in one query."""
    return _nodes_read(lambda get_node: inclusion_proof(index, size, get_node))


def consistency_proof_nodes(old_size: int, new_size: int) -> list[NodeId]:
    """The stored nodes ``consistency_proof(old_size, new_size, …)`` reads."""
    return _nodes_read(lambda get_node: consistency_proof(old_size, new_size, get_node))


def perfect_nodes(leaves: Sequence[bytes]) -> dict[NodeId, bytes]:
    """Every perfect subtree of an in-memory tree of leaf hashes, keyed by ``(level, index)``."""
    frontier = Frontier()
    nodes: dict[NodeId, bytes] = {}
    for leaf in leaves:
        for level, index, h in frontier.append(leaf):
            nodes[level, index] = h
    return nodes


# -- the RFC's recursive definitions, over an in-memory list of leaf hashes -----------------------


def reference_root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) exactly as RFC 9162 §2.1.1 recurses (O(n log n)); for tests and small trees."""
    n = len(leaves)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaves[0]
    k = _largest_power_of_two_below(n)
    return node_hash(reference_root(leaves[:k]), reference_root(leaves[k:]))


def reference_inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]) exactly as RFC 9162 §2.1.3.1 recurses."""
    n = len(leaves)
    if not 0 <= index < n:
        raise ValueError(f"leaf {index} is not in a tree of size {n}")
    if n == 1:
        return []
    k = _largest_power_of_two_below(n)
    if index < k:
        return [*reference_inclusion_proof(index, leaves[:k]), reference_root(leaves[k:])]
    return [*reference_inclusion_proof(index - k, leaves[k:]), reference_root(leaves[:k])]


def reference_consistency_proof(old_size: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]) exactly as RFC 9162 §2.1.4.1 recurses (empty for m = 0 or m = n)."""
    n = len(leaves)
    if not 0 <= old_size <= n:
        raise ValueError(f"no consistency proof from size {old_size} to size {n}")
    if old_size in (0, n):
        return []
    return _reference_subproof(old_size, leaves, whole=True)


def _reference_subproof(m: int, leaves: Sequence[bytes], *, whole: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if whole else [reference_root(leaves)]
    k = _largest_power_of_two_below(n)
    if m <= k:
        return [*_reference_subproof(m, leaves[:k], whole=whole), reference_root(leaves[k:])]
    return [*_reference_subproof(m - k, leaves[k:], whole=False), reference_root(leaves[:k])]


# -- verification (RFC 9162 §2.1.3.2 and §2.1.4.2) ----------------------------------------------


def _check_hashes(proof: Sequence[bytes]) -> None:
    if not proof or set(map(len, proof)) == {HASH_SIZE}:
        return  # the common case, checked in C; the loop below only names the culprit
    for i, h in enumerate(proof):
        if len(h) != HASH_SIZE:
            raise ProofError(f"proof hash {i} is {len(h)} bytes, not {HASH_SIZE}")


def root_from_inclusion_proof(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes]
) -> bytes:
    """The root that ``proof`` proves leaf ``index`` is included under, in a tree of ``size``.

    Raises ``ProofError`` when the index is outside the tree, a hash is not 32 bytes or the
    proof does not have the exact length the tree shape demands.
    """
    if not 0 <= index < size:
        raise ProofError(f"leaf {index} is not in a tree of size {size}")
    if len(leaf_hash) != HASH_SIZE:
        raise ProofError(f"the leaf hash is {len(leaf_hash)} bytes, not {HASH_SIZE}")
    # Below the level where the paths to ``index`` and to the last leaf part, every node has a
    # sibling ("inner"); above it the path runs along the right edge, where only the levels at
    # which ``index`` has a 1 bit have a (left) sibling ("border").
    inner = (index ^ (size - 1)).bit_length()
    border = (index >> inner).bit_count()
    if len(proof) != inner + border:
        raise ProofError(
            f"a proof for leaf {index} in a tree of size {size} has {inner + border} hashes, "
            f"not {len(proof)}"
        )
    _check_hashes(proof)
    sha = _sha256
    h = leaf_hash
    for i in range(inner):
        if (index >> i) & 1:
            h = sha(b"\x01" + proof[i] + h).digest()
        else:
            h = sha(b"\x01" + h + proof[i]).digest()
    for i in range(inner, inner + border):
        h = sha(b"\x01" + proof[i] + h).digest()
    return h


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """Whether ``proof`` shows leaf ``index`` with ``leaf_hash`` is in the tree with ``root``."""
    try:
        return root_from_inclusion_proof(leaf_hash, index, size, proof) == root
    except ProofError:
        return False


def check_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> None:
    """Raise ``ProofError`` (saying why) unless ``proof`` shows the tree ``old_root`` of
    ``old_size`` leaves is a prefix of the tree ``new_root`` of ``new_size`` leaves.

    The trivial cases are strict: equal sizes need equal roots and an empty proof; an empty old
    tree needs the empty root and an empty proof.
    """
    if not 0 <= old_size <= new_size:
        raise ProofError(f"a tree cannot shrink from size {old_size} to {new_size}")
    _check_hashes(proof)
    if old_size == new_size:
        if proof:
            raise ProofError("trees of equal size need an empty consistency proof")
        if old_root != new_root:
            raise ProofError(f"two different roots for the same size {old_size}")
        return
    if old_size == 0:
        if proof:
            raise ProofError("the empty tree needs an empty consistency proof")
        if old_root != EMPTY_ROOT:
            raise ProofError("the root of the empty tree is not SHA-256 of the empty string")
        return
    if not proof:
        raise ProofError(f"an empty proof cannot link size {old_size} to size {new_size}")
    hashes = list(proof)
    # Step 1: when the old tree is a perfect subtree its root is itself the first proof node.
    if old_size & (old_size - 1) == 0:
        hashes.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = hashes[0]
    sha = _sha256
    for c in hashes[1:]:
        if sn == 0:
            raise ProofError("the consistency proof is longer than the tree is high")
        if fn & 1 or fn == sn:
            fr = sha(b"\x01" + c + fr).digest()
            sr = sha(b"\x01" + c + sr).digest()
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = sha(b"\x01" + sr + c).digest()
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise ProofError("the consistency proof is shorter than the tree is high")
    if fr != old_root:
        raise ProofError(f"the proof does not lead to the old root of size {old_size}")
    if sr != new_root:
        raise ProofError(f"the proof does not lead to the new root of size {new_size}")


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """Whether ``proof`` shows the old tree is a prefix of the new one.

    See ``check_consistency``, which says why a proof fails.
    """
    try:
        check_consistency(old_size, new_size, old_root, new_root, proof)
    except ProofError:
        return False
    return True
