"""One verification as the auditor asks for it: the chain, then the signed checkpoints.

Shared by the HTTP API and the CLI, so both say the same thing in the same words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import asyncpg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from mutasi.audit import checkpoint_check as cc
from mutasi.audit.trust import TrustStore, position
from mutasi.log.chain_scan import BROKEN_LINK, HASH_MISMATCH, HEAD_MISMATCH, Failure
from mutasi.log.checkpoints import Checkpoint, key_id
from mutasi.log.verify import ChainReport, verify_chain
from mutasi.settings import Settings

# Indonesian for the officer; the stable English reason stays beside it for tools.
MESSAGES = {
    HASH_MISMATCH: "Isi entri telah diubah: hash yang dihitung ulang tidak sama dengan hash"
    " yang tersimpan.",
    BROKEN_LINK: "Rantai terputus: prev_hash entri tidak sama dengan hash entri sebelumnya"
    " (ada entri yang dihapus, disisipkan, atau ditukar).",
    HEAD_MISMATCH: "Kepala rantai tidak cocok dengan entri terakhir (entri terakhir dihapus"
    " atau ditambahkan di luar aplikasi).",
    cc.SIGNATURE_INVALID: "Tanda tangan checkpoint tidak sah.",
    cc.UNKNOWN_KEY: "Checkpoint ditandatangani dengan kunci yang tidak dikenal.",
    cc.WRONG_TENANT: "Checkpoint milik instansi lain.",
    cc.ENTRY_MISSING: "Entri yang ditandatangani checkpoint tidak ada lagi di log.",
    cc.HASH_DIFFERS: "Hash entri di log berbeda dari hash yang ditandatangani checkpoint:"
    " riwayat telah ditulis ulang.",
}
CHECKPOINT_SOURCES = ("db", "nats")


FULL, INCREMENTAL, RANGE = "full", "incremental", "range"


@dataclass(frozen=True, slots=True)
class AuditVerification:
    chain: ChainReport
    checkpoints: cc.CheckpointReport
    # full: every entry; incremental: the entries after `trusted`; range: --from/--to.
    mode: str = FULL
    trusted: Checkpoint | None = None
    # The checkpoint this verification vouches for now (remembered, if it had a store).
    now_trusted: Checkpoint | None = None

    @property
    def ok(self) -> bool:
        return self.chain.ok and self.checkpoints.ok


async def load_checkpoints(
    source: str,
    tenant: str,
    settings: Settings,
    conn: asyncpg.Connection | asyncpg.Pool,
    since: Checkpoint | None = None,
) -> list[Checkpoint]:
    """`db`, `nats`, or the path of a JSON Lines file of checkpoints (or their CloudEvents);
    with `since`, those from its sequence on."""
    if source == "db":
        return await cc.from_db(conn, tenant, since=since.sequence if since else None)
    if source == "nats":
        return await cc.from_nats(settings, tenant, since=since)
    found = cc.from_file(Path(source), tenant)
    return [c for c in found if since is None or c.sequence >= since.sequence]


async def _usable(
    trust: TrustStore | None, tenant: str, keys: Sequence[Ed25519PublicKey]
) -> Checkpoint | None:
    """The store's checkpoint, if its signature still verifies with a key we trust."""
    remembered = await trust.trusted(tenant) if trust is not None else None
    if remembered is None or remembered.tenant != tenant:
        return None
    key = next((k for k in keys if key_id(k) == remembered.key_id), None)
    return remembered if key is not None and remembered.signature_valid(key) else None


async def verify_tenant(
    settings: Settings,
    conn: asyncpg.Connection | asyncpg.Pool,
    tenant: str,
    first: int | None,
    last: int | None,
    source: str,
    keys: Sequence[Ed25519PublicKey],
    *,
    trust: TrustStore | None = None,
    full: bool = False,
) -> AuditVerification:
    """Verify the chain and the checkpoints. With a trust store and neither a range nor
    `full`, only what came after the checkpoint it remembers is read (O(new entries)); a
    verification that holds then remembers the newest checkpoint it checked."""
    ranged = first is not None or last is not None
    trusted = None if full or ranged else await _usable(trust, tenant, keys)
    after = position(trusted) if trusted else None
    chain = await verify_chain(settings.dsn(), tenant, first, last, after=after)
    checkpoints = [
        c
        for c in await load_checkpoints(source, tenant, settings, conn, trusted)
        if (first is None or c.sequence >= first) and (last is None or c.sequence <= last)
    ]
    if trusted and trusted.sequence not in {c.sequence for c in checkpoints}:
        checkpoints.append(trusted)  # its entry must still carry its hash
    report = await cc.verify_checkpoints(
        conn, tenant, checkpoints, keys, "file" if source not in CHECKPOINT_SOURCES else source
    )
    mode = RANGE if ranged else INCREMENTAL if trusted else FULL
    result = AuditVerification(chain, report, mode, trusted)
    if not ranged:
        await _record(conn, tenant, result, f"{mode}:{report.source}")
    if ranged or not result.ok or chain.head is None:
        return result
    # Only what this verification covered: not a checkpoint signed after its snapshot.
    newest = max(
        (c for c in checkpoints if c.sequence <= chain.head.sequence),
        key=lambda c: c.sequence,
        default=None,
    )
    if newest is None or (trusted is not None and newest.sequence <= trusted.sequence):
        return replace(result, now_trusted=trusted)
    if trust is not None:
        await trust.remember(newest)
    return replace(result, now_trusted=newest)


async def _record(
    conn: asyncpg.Connection | asyncpg.Pool, tenant: str, result: AuditVerification, how: str
) -> None:
    """A verification up to the head is what operators watch (/metrics, alerts)."""
    await conn.execute(
        "INSERT INTO chain_verifications (tenant, ok, entries, verified_by)"
        " VALUES ($1, $2, $3, $4)",
        tenant,
        result.ok,
        result.chain.entries,
        how,
    )


def failure_dict(failure: Failure) -> dict[str, Any]:
    return {
        "sequence": failure.sequence,
        "stream": failure.stream,
        "version": failure.version,
        "reason": failure.reason,
        "message": MESSAGES[failure.reason],
        "detail": failure.detail,
    }


def checkpoint_failure_dict(failure: cc.CheckpointFailure) -> dict[str, Any]:
    return {
        "sequence": failure.checkpoint.sequence,
        "reason": failure.reason,
        "message": MESSAGES[failure.reason],
        "signed_hash": failure.checkpoint.hash,
        "found_hash": failure.found_hash,
        "signed_at": failure.checkpoint.signed_at,
        "key_id": failure.checkpoint.key_id,
    }


def _position(checkpoint: Checkpoint | None) -> dict[str, Any] | None:
    if checkpoint is None:
        return None
    return {
        "sequence": checkpoint.sequence,
        "length": checkpoint.length,
        "hash": checkpoint.hash,
        "signed_at": checkpoint.signed_at,
    }


def as_dict(result: AuditVerification) -> dict[str, Any]:
    chain, cps = result.chain, result.checkpoints
    head = chain.head
    return {
        "tenant": chain.tenant,
        "ok": result.ok,
        "mode": result.mode,
        "trusted_from": _position(result.trusted),
        "trusted_now": _position(result.now_trusted),
        "chain": {
            "ok": chain.ok,
            "first_sequence": chain.first,
            "last_sequence": chain.last,
            "entries": chain.entries,
            "seconds": round(chain.seconds, 3),
            "head": {"sequence": head.sequence, "hash": head.hash, "length": head.length}
            if head
            else None,
            "broken": failure_dict(chain.broken) if chain.broken else None,
        },
        "checkpoints": {
            "ok": cps.ok,
            "source": cps.source,
            "checked": cps.checked,
            "broken": checkpoint_failure_dict(cps.broken) if cps.broken else None,
        },
    }
