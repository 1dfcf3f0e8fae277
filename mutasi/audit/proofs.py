"""Proofs that one entry is in a tenant's log, checkable offline against a signed tree head.

A proof is one JSON document: the entry exactly as its hash covers it, its place among the
tenant's entries, the sibling hashes up to the Merkle root (RFC 6962 audit path), and the
signed checkpoint whose tree head that root is. Whoever holds it and the deployment's
public key can check, without the log or the network, that the entry's hash is right, that
the path leads to the signed root, and that the checkpoint's signature holds
(`mutasi audit prove --check`, docs/audit.md).
"""

from __future__ import annotations

import hashlib
from typing import Any

import asyncpg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from mutasi.audit.checkpoint_check import from_row
from mutasi.audit.queries import entry_document
from mutasi.errors import Conflict, NotFound
from mutasi.log.canonical import canonical_json
from mutasi.log.merkle import inclusion_path, leaf_hash, root_from_path
from mutasi.log.store import EVENT_COLUMNS, row_to_event

FORMAT = "mutasi-inclusion-proof/1"


async def build_proof(
    conn: asyncpg.Connection | asyncpg.Pool, tenant: str, sequence: int
) -> dict[str, Any]:
    """The proof of the tenant's entry `sequence` against the first checkpoint that covers it
    with a signed tree head; NotFound without the entry, Conflict before such a checkpoint."""
    row = await conn.fetchrow(
        f"SELECT {EVENT_COLUMNS} FROM event_log WHERE tenant = $1 AND sequence = $2",
        tenant,
        sequence,
    )
    if row is None:
        raise NotFound("Entri log tidak ditemukan", "Log entry not found")
    signed = await conn.fetchrow(
        "SELECT tenant, sequence, length, hash, signed_at, key_id, signature, root,"
        " root_signature FROM checkpoints WHERE tenant = $1 AND sequence >= $2"
        " AND root IS NOT NULL ORDER BY sequence LIMIT 1",
        tenant,
        sequence,
    )
    if signed is None:
        raise Conflict(
            "Entri ini belum tercakup checkpoint bertanda tangan; coba lagi sebentar lagi",
            "No signed tree head covers this entry yet; retry in a while",
        )
    checkpoint = from_row(signed)
    hashes = [
        r["hash"]
        for r in await conn.fetch(
            "SELECT hash FROM event_log WHERE tenant = $1 AND sequence <= $2 ORDER BY sequence",
            tenant,
            checkpoint.sequence,
        )
    ]
    leaves = [leaf_hash(h) for h in hashes]
    event = row_to_event(row)
    index = hashes.index(event.hash) if event.hash in hashes else -1
    if len(leaves) != checkpoint.length or index < 0:
        raise Conflict(
            "Log tidak sesuai dengan checkpoint yang menandatanganinya",
            "The log does not match the checkpoint that signed it",
        )
    return {
        "format": FORMAT,
        "entry": entry_document(event),
        "leaf_index": index,
        "tree_size": checkpoint.length,
        "audit_path": [h.hex() for h in inclusion_path(leaves, index)],
        "checkpoint": checkpoint.as_dict(),
    }


def check_proof(proof: dict[str, Any], key: Ed25519PublicKey) -> list[str]:
    """What is wrong with a proof (an empty list: it holds), checked offline."""
    from mutasi.log.checkpoints import Checkpoint

    try:
        entry = dict(proof["entry"])
        checkpoint = Checkpoint.from_dict(proof["checkpoint"])
        index, size = int(proof["leaf_index"]), int(proof["tree_size"])
        path = [bytes.fromhex(h) for h in proof["audit_path"]]
    except (KeyError, TypeError, ValueError) as exc:
        return [f"malformed proof: {exc}"]
    claimed = str(entry.pop("hash", ""))
    problems = []
    if hashlib.sha256(canonical_json(entry)).hexdigest() != claimed:
        problems.append("the entry's hash does not match its content")
    if not checkpoint.signature_valid(key) or not checkpoint.tree_head_valid(key):
        problems.append("the checkpoint's signature does not verify with this key")
    if entry.get("tenant") != checkpoint.tenant or size != checkpoint.length:
        problems.append("the checkpoint is not of this entry's log or tree")
    root = root_from_path(leaf_hash(claimed), index, size, path) if claimed else None
    if root is None or root.hex() != checkpoint.root:
        problems.append("the audit path does not lead to the signed root")
    return problems
