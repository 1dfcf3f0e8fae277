"""`mutasi audit watch`: an auditor's own witness of one government's log.

Verification with zero checkpoints passes; a checkpoint nobody kept proves nothing after
the NATS administrator purges its subject; a relay that stops signing goes unnoticed. The
witness is the auditor's independent process with its own storage (a directory): it follows
the signed checkpoints on NATS, checks each against the key the auditor pinned, keeps every
one it saw, and each round re-checks the log against all it kept. It names what it finds:

- `edited-entry`: an entry's content no longer matches its hash;
- `deleted-entry`: the chain has a gap or a foreign link (deleted, inserted or swapped);
- `rewrite`: an entry a kept checkpoint signed no longer has the signed hash, or is gone —
  the log was rewritten, hashes recomputed;
- `purge`: NATS no longer holds the newest checkpoint the witness kept;
- `fork`: two validly signed checkpoints disagree (same position, other hash; or a later one
  shorter than an earlier one);
- `bad-signature`: a checkpoint on NATS does not verify with the pinned key;
- `stale`: the log grew but no checkpoint was signed for longer than allowed.

Alerts go to the process's log (`witness_alert`), to stderr, to an optional webhook, and to
the exit status of `--once` (docs/security.md, issue 15 finding 7).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from mutasi import clock
from mutasi.audit import checkpoint_check as cc
from mutasi.log.chain_scan import HASH_MISMATCH
from mutasi.log.checkpoints import Checkpoint, key_id
from mutasi.log.verify import Head, verify_chain
from mutasi.settings import Settings

EDITED, DELETED, REWRITE, PURGE, FORK = (
    "edited-entry",
    "deleted-entry",
    "rewrite",
    "purge",
    "fork",
)
BAD_SIGNATURE, STALE = "bad-signature", "stale"


@dataclass(frozen=True)
class Alert:
    name: str
    detail: str


@dataclass
class WitnessStore:
    """The witness's own record: every signed checkpoint it accepted, one JSON line each."""

    directory: Path
    tenant: str
    kept: list[Checkpoint] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.directory / f"{self.tenant}.checkpoints.jsonl"

    def load(self) -> WitnessStore:
        if self.path.exists():
            self.kept = cc.from_lines(self.path.read_text().splitlines(), self.tenant)
        return self

    def keep(self, checkpoint: Checkpoint) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(checkpoint.as_dict(), ensure_ascii=False) + "\n")
        self.kept.append(checkpoint)

    @property
    def newest(self) -> Checkpoint | None:
        return max(self.kept, key=lambda c: c.sequence, default=None)


def _accept(store: WitnessStore, published: list[Checkpoint], key: Ed25519PublicKey) -> list[Alert]:
    """Keep every new, validly signed checkpoint; name the ones that must not exist."""
    alerts = []
    by_sequence = {c.sequence: c for c in store.kept}
    for checkpoint in sorted(published, key=lambda c: c.sequence):
        if checkpoint.key_id != key_id(key) or not checkpoint.signature_valid(key):
            alerts.append(Alert(BAD_SIGNATURE, f"checkpoint at {checkpoint.sequence}"))
            continue
        seen = by_sequence.get(checkpoint.sequence)
        if seen is not None:
            if (seen.hash, seen.length) != (checkpoint.hash, checkpoint.length):
                alerts.append(
                    Alert(
                        FORK,
                        f"two signed heads at {checkpoint.sequence}: {seen.hash}"
                        f" and {checkpoint.hash}",
                    )
                )
            continue
        newest = store.newest
        if (
            newest is not None
            and checkpoint.sequence > newest.sequence
            and (checkpoint.length <= newest.length)
        ):
            alerts.append(Alert(FORK, f"{checkpoint.sequence} is shorter than {newest.sequence}"))
            continue
        store.keep(checkpoint)
        by_sequence[checkpoint.sequence] = checkpoint
    return alerts


def _purged(
    store: WitnessStore, published: list[Checkpoint], before: Checkpoint | None
) -> list[Alert]:
    """The newest checkpoint kept before this round must still be on NATS."""
    if before is None or any(c.sequence == before.sequence for c in published):
        return []
    return [
        Alert(
            PURGE,
            f"NATS no longer holds the checkpoint at {before.sequence} signed at"
            f" {before.signed_at}",
        )
    ]


async def _rewritten(pool: asyncpg.Pool, store: WitnessStore, key: Ed25519PublicKey) -> list[Alert]:
    report = await cc.verify_checkpoints(pool, store.tenant, store.kept, [key], "witness")
    if report.broken is None:
        return []
    b = report.broken
    found = f", the log has {b.found_hash}" if b.found_hash else ""
    return [
        Alert(REWRITE, f"{b.reason} at {b.checkpoint.sequence}: signed {b.checkpoint.hash}{found}")
    ]


async def _chain(settings: Settings, store: WitnessStore, full: bool) -> list[Alert]:
    """The whole chain, or (between full rounds) the entries after the newest kept
    checkpoint, which the kept checkpoints' own check vouches for up to there."""
    newest = store.newest
    after = None if full or newest is None else Head(newest.sequence, newest.hash, newest.length)
    report = await verify_chain(settings.dsn(), store.tenant, after=after)
    if report.broken is None:
        return []
    b = report.broken
    name = EDITED if b.reason == HASH_MISMATCH else DELETED
    return [Alert(name, f"{b.reason} at sequence {b.sequence}: {b.detail}")]


async def _stale(
    pool: asyncpg.Pool, store: WitnessStore, now: datetime, stale_after: timedelta
) -> list[Alert]:
    newest = store.newest
    length = await pool.fetchval("SELECT length FROM chain_heads WHERE tenant = $1", store.tenant)
    if newest is None or length is None or length <= newest.length + 1:
        return []  # nothing but the checkpoint's own entry since it
    signed = datetime.fromisoformat(newest.signed_at.replace("Z", "+00:00"))
    if now - signed <= stale_after:
        return []
    return [Alert(STALE, f"{length - newest.length} entries unsigned since {newest.signed_at}")]


async def watch_round(
    settings: Settings,
    pool: asyncpg.Pool,
    store: WitnessStore,
    key: Ed25519PublicKey,
    *,
    stale_after: timedelta,
    full: bool = True,
    now: datetime | None = None,
) -> list[Alert]:
    """One round: follow, keep, re-check. Every alert found, in a stable order."""
    before = store.newest
    # From the newest kept one on (O(new checkpoints)); that one must be among them.
    published = await cc.from_nats(settings, store.tenant, since=before)
    alerts = _purged(store, published, before)
    alerts += _accept(store, published, key)
    alerts += await _chain(settings, store, full)
    alerts += await _rewritten(pool, store, key)
    alerts += await _stale(pool, store, now or clock.now(), stale_after)
    return alerts


def alert_document(tenant: str, alert: Alert) -> dict[str, Any]:
    return {
        "alert": alert.name,
        "tenant": tenant,
        "detail": alert.detail,
        "at": clock.now().isoformat(),
    }
