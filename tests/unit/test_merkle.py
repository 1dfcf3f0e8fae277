"""RFC 6962 Merkle trees: the published test vectors, and every inclusion path of small trees."""

from __future__ import annotations

import hashlib

import pytest

from mutasi.log.merkle import Frontier, inclusion_path, leaf_hash, root, root_from_path

# certificate-transparency's reference vectors: leaf inputs and the roots of their prefixes.
LEAVES = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
          "606162636465666768696a6b6c6d6e6f"]  # fmt: skip
ROOTS = {
    1: "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    3: "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    8: "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
}


@pytest.mark.parametrize("size", sorted(ROOTS))
def test_roots_match_the_reference_vectors(size):
    assert root([leaf_hash(x) for x in LEAVES[:size]]).hex() == ROOTS[size]


def _leaves(n: int) -> list[bytes]:
    return [leaf_hash(hashlib.sha256(str(i).encode()).hexdigest()) for i in range(n)]


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 13, 33])
def test_every_leaf_proves_itself_and_only_itself(size):
    leaves = _leaves(size)
    expected = root(leaves)
    for index in range(size):
        path = inclusion_path(leaves, index)
        assert root_from_path(leaves[index], index, size, path) == expected
        if size > 1:
            other = (index + 1) % size
            assert root_from_path(leaves[other], index, size, path) != expected
            assert root_from_path(leaves[index], other, size, path) != expected


def test_the_frontier_grows_to_the_same_root_as_the_whole_tree():
    frontier = Frontier()
    hashes = [hashlib.sha256(str(i).encode()).hexdigest() for i in range(100)]
    for n, h in enumerate(hashes, start=1):
        frontier.extend([h])
        restored = Frontier.from_json(frontier.size, frontier.as_json())
        assert restored.root() == root([leaf_hash(x) for x in hashes[:n]])
