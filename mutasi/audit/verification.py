"""One verification as the auditor asks for it: the chain, then the signed checkpoints.

Shared by the HTTP API and the CLI, so both say the same thing in the same words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from mutasi.audit import checkpoint_check as cc
from mutasi.log.chain_scan import BROKEN_LINK, HASH_MISMATCH, HEAD_MISMATCH, Failure
from mutasi.log.checkpoints import Checkpoint
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


@dataclass(frozen=True, slots=True)
class AuditVerification:
    chain: ChainReport
    checkpoints: cc.CheckpointReport

    @property
    def ok(self) -> bool:
        return self.chain.ok and self.checkpoints.ok


async def load_checkpoints(
    source: str, tenant: str, settings: Settings, conn: asyncpg.Connection | asyncpg.Pool
) -> list[Checkpoint]:
    """`db`, `nats`, or the path of a JSON Lines file of checkpoints (or their CloudEvents)."""
    if source == "db":
        return await cc.from_db(conn, tenant)
    if source == "nats":
        return await cc.from_nats(settings, tenant)
    return cc.from_file(Path(source), tenant)


async def verify_tenant(
    settings: Settings,
    conn: asyncpg.Connection | asyncpg.Pool,
    tenant: str,
    first: int | None,
    last: int | None,
    source: str,
    keys: Sequence[Ed25519PublicKey],
) -> AuditVerification:
    chain = await verify_chain(settings.dsn(), tenant, first, last)
    checkpoints = [
        c
        for c in await load_checkpoints(source, tenant, settings, conn)
        if (first is None or c.sequence >= first) and (last is None or c.sequence <= last)
    ]
    report = await cc.verify_checkpoints(
        conn, tenant, checkpoints, keys, "file" if source not in CHECKPOINT_SOURCES else source
    )
    return AuditVerification(chain, report)


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


def as_dict(result: AuditVerification) -> dict[str, Any]:
    chain, cps = result.chain, result.checkpoints
    head = chain.head
    return {
        "tenant": chain.tenant,
        "ok": result.ok,
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
