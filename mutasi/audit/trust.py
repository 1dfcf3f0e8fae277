"""Where a verifier keeps the signed checkpoint up to which it has verified a tenant's chain.

A verification that succeeds remembers the newest checkpoint it checked; the next one reads
only the entries after it (`verify_chain(after=...)`), so verifying often costs O(new
entries). The record is the checkpoint itself, signature included, and it is checked again
before each use: its signature with the keys the verifier trusts, its entry against the log.
A record that fails that check is not used (the verification is then a full one).

Any store with `trusted` and `remember` will do (`TrustStore`): the CLI keeps a JSON file
per tenant in a directory the auditor owns (`FileTrust`); the approval service keeps a row
per tenant (`DbTrust`) — in the very database it verifies, so against that database's
administrator only the auditor's own record, or an independent witness, counts.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Protocol

import asyncpg

from mutasi.audit.checkpoint_check import from_row
from mutasi.log.checkpoints import Checkpoint
from mutasi.log.verify import Head

_TENANT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")


class TrustStore(Protocol):
    async def trusted(self, tenant: str) -> Checkpoint | None:
        """The checkpoint up to which this verifier last verified the tenant's chain."""
        ...

    async def remember(self, checkpoint: Checkpoint) -> None:
        """Verified up to here: the next verification of its tenant may start after it."""
        ...


def position(checkpoint: Checkpoint) -> Head:
    """The chain position a checkpoint vouches for, as `verify_chain(after=...)` takes it."""
    return Head(checkpoint.sequence, checkpoint.hash, checkpoint.length)


class FileTrust:
    """One `<tenant>.json` per tenant under `directory` (created on first use, mode 0700)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _path(self, tenant: str) -> Path:
        if not _TENANT.match(tenant):  # a slug, never a path
            raise ValueError(f"not a tenant slug: {tenant!r}")
        return self.directory / f"{tenant}.json"

    async def trusted(self, tenant: str) -> Checkpoint | None:
        path = self._path(tenant)
        if not path.exists():
            return None
        return Checkpoint.from_dict(json.loads(path.read_text(encoding="utf-8")))

    async def remember(self, checkpoint: Checkpoint) -> None:
        path = self._path(checkpoint.tenant)
        self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Written aside and renamed: a verifier stopped mid-write keeps its previous record.
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_text(json.dumps(checkpoint.as_dict(), ensure_ascii=False))
        temporary.replace(path)


class DbTrust:
    """A row per (verifier, tenant) in `audit_trusted_checkpoints` (migration 070)."""

    def __init__(self, db: asyncpg.Pool | asyncpg.Connection, verifier: str) -> None:
        self.db, self.verifier = db, verifier

    async def trusted(self, tenant: str) -> Checkpoint | None:
        row = await self.db.fetchrow(
            "SELECT tenant, sequence, length, hash, signed_at, key_id, signature"
            " FROM audit_trusted_checkpoints WHERE verifier = $1 AND tenant = $2",
            self.verifier,
            tenant,
        )
        return None if row is None else from_row(row)

    async def remember(self, checkpoint: Checkpoint) -> None:
        # Never backwards: two verifications finishing out of order keep the newer record.
        await self.db.execute(
            "INSERT INTO audit_trusted_checkpoints (verifier, tenant, sequence, length, hash,"
            " signed_at, key_id, signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
            " ON CONFLICT (verifier, tenant) DO UPDATE SET sequence = excluded.sequence,"
            " length = excluded.length, hash = excluded.hash, signed_at = excluded.signed_at,"
            " key_id = excluded.key_id, signature = excluded.signature, verified_at = now()"
            " WHERE audit_trusted_checkpoints.sequence < excluded.sequence",
            self.verifier,
            *checkpoint.row(),
        )
