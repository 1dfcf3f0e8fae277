"""RFC 6962 / RFC 9162 Merkle trees over a tenant's chain, for proofs of inclusion.

The hash chain proves the whole log to whoever holds all of it. One employee holding their
decree entry should not need a million others: each signed checkpoint also signs the Merkle
tree head (the root over the entry hashes 1..length), and an inclusion proof — the entry,
its index and ⌈log2 n⌉ sibling hashes — lets anyone recompute that root offline and check
the checkpoint's signature (docs/audit.md, `mutasi audit prove`).

Leaves are the entries' own hashes (32 bytes each, which already cover every field), in
sequence order. As in RFC 6962 §2.1: leaf hash = SHA-256(0x00 ‖ leaf), interior node =
SHA-256(0x01 ‖ left ‖ right), a tree of n > 1 leaves splits at the largest power of two
below n. The checkpointer keeps the right edge of the tree (`Frontier`: at most log2 n
perfect subtrees) so each new root costs O(new entries).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


def leaf_hash(entry_hash: str) -> bytes:
    return hashlib.sha256(b"\x00" + bytes.fromhex(entry_hash)).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of already-hashed leaves; the empty tree is SHA-256 of nothing."""
    frontier = Frontier()
    for leaf in leaves:
        frontier.add(leaf)
    return frontier.root()


def inclusion_path(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """PATH(m, D[n]) of RFC 6962 §2.1.1: the siblings from the leaf up to the root."""
    if not 0 <= index < len(leaves):
        raise IndexError(f"leaf {index} of a tree of {len(leaves)}")
    path: list[bytes] = []
    lo, hi = 0, len(leaves)
    while hi - lo > 1:  # descend, collecting the other side's subtree at each split
        k = _split(hi - lo)
        if index < lo + k:
            path.append(root(leaves[lo + k : hi]))
            hi = lo + k
        else:
            path.append(root(leaves[lo : lo + k]))
            lo = lo + k
    return list(reversed(path))


def root_from_path(leaf: bytes, index: int, size: int, path: Sequence[bytes]) -> bytes | None:
    """RFC 9162 §2.1.3.2: the root a leaf and its audit path lead to, or None if the path
    cannot belong to a tree of `size` leaves."""
    if not 0 <= index < size:
        return None
    fn, sn, r = index, size - 1, leaf
    for sibling in path:
        if sn == 0:
            return None
        if fn & 1 or fn == sn:
            r = node_hash(sibling, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, sibling)
        fn >>= 1
        sn >>= 1
    return r if sn == 0 else None


@dataclass
class Frontier:
    """The right edge of a growing tree: the roots of its perfect subtrees, largest first."""

    size: int = 0
    nodes: list[tuple[int, bytes]] = field(default_factory=list)  # (height, hash)

    def add(self, leaf: bytes) -> None:
        height, node = 0, leaf
        while self.nodes and self.nodes[-1][0] == height:
            _, left = self.nodes.pop()
            node, height = node_hash(left, node), height + 1
        self.nodes.append((height, node))
        self.size += 1

    def extend(self, entry_hashes: Iterable[str]) -> None:
        for entry_hash in entry_hashes:
            self.add(leaf_hash(entry_hash))

    def root(self) -> bytes:
        if not self.nodes:
            return hashlib.sha256(b"").digest()
        acc = self.nodes[-1][1]
        for _, node in reversed(self.nodes[:-1]):
            acc = node_hash(node, acc)
        return acc

    def as_json(self) -> list[list[int | str]]:
        return [[height, node.hex()] for height, node in self.nodes]

    @classmethod
    def from_json(cls, size: int, nodes: list[list[int | str]]) -> Frontier:
        return cls(size, [(int(h), bytes.fromhex(str(n))) for h, n in nodes])
