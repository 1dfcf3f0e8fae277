"""Check the log against signed checkpoints taken from the database, JetStream or a file.

The database's own copy proves nothing against its administrator; the copies published to
JetStream (or exported to a file the auditor keeps) do. A checkpoint holds when its signature
verifies with a trusted public key and the log's entry at its sequence still has its hash.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from mutasi import clock
from mutasi.domain.events import AuditEvent
from mutasi.log.canonical import format_time
from mutasi.log.checkpoints import Checkpoint, key_id
from mutasi.log.store import subject_for
from mutasi.messaging.jetstream import connect
from mutasi.settings import Settings

SIGNATURE_INVALID = "signature invalid"
UNKNOWN_KEY = "unknown key"
WRONG_TENANT = "wrong tenant"
ENTRY_MISSING = "entry missing"
HASH_DIFFERS = "hash differs"
PUBLISH_CLOCK_MARGIN = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class CheckpointFailure:
    checkpoint: Checkpoint
    reason: str
    found_hash: str | None = None


@dataclass(frozen=True, slots=True)
class CheckpointReport:
    source: str
    checked: int
    broken: CheckpointFailure | None

    @property
    def ok(self) -> bool:
        return self.broken is None


async def from_db(
    conn: asyncpg.Connection | asyncpg.Pool,
    tenant: str,
    limit: int | None = None,
    offset: int = 0,
    *,
    since: int | None = None,
) -> list[Checkpoint]:
    """The tenant's checkpoints (those at sequence >= `since`, if given), oldest first."""
    rows = await conn.fetch(
        "SELECT tenant, sequence, length, hash, signed_at, key_id, signature, root,"
        " root_signature FROM checkpoints"
        " WHERE tenant = $1 AND sequence >= $4 ORDER BY sequence LIMIT $2 OFFSET $3",
        tenant,
        limit,
        offset,
        since or 0,
    )
    return [from_row(row) for row in rows]


def from_row(row: asyncpg.Record) -> Checkpoint:
    return Checkpoint(
        row["tenant"],
        row["sequence"],
        row["length"],
        row["hash"],
        format_time(row["signed_at"]),
        row["key_id"],
        row["signature"],
        row.get("root"),  # rows of a table without the tree head have neither
        row.get("root_signature"),
    )


def _checkpoint_of(document: dict[str, Any]) -> Checkpoint:
    """A checkpoint from its own JSON or from the CloudEvent that carried it."""
    if "specversion" in document:
        document = document["data"]["payload"]
    return Checkpoint.from_dict(document)


def from_lines(lines: Iterable[str], tenant: str) -> list[Checkpoint]:
    found = [_checkpoint_of(json.loads(line)) for line in lines if line.strip()]
    return [c for c in found if c.tenant == tenant]


def from_file(path: Path, tenant: str) -> list[Checkpoint]:
    with path.open(encoding="utf-8") as handle:
        return from_lines(handle, tenant)


async def from_nats(
    settings: Settings, tenant: str, timeout: float = 5.0, *, since: Checkpoint | None = None
) -> list[Checkpoint]:
    """Every checkpoint JetStream holds on `mutasi.<tenant>.audit.checkpoint`, oldest first;
    with `since`, only those published from about when it was signed (O(new ones)).

    Read through the one consumer the NATS user's grant allows, named after it
    (mutasi.messaging.nats_access): made afresh for this read, removed after it.
    """
    subject = subject_for(tenant, AuditEvent.CHECKPOINT)
    # Unlike a service, an auditor's one-off read should fail fast when NATS is away.
    nc = await connect(settings, name="audit-checkpoints", reconnect=False, connect_timeout=timeout)
    name = settings.nats_user or "audit-checkpoints"
    try:
        js = nc.jetstream()
        config = ConsumerConfig(
            name=name,
            filter_subject=subject,
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.NONE,
            inactive_threshold=60.0,
        )
        if since is not None:
            # Published after it was signed; the margin covers the signer's and NATS's clocks.
            # signed_at is the system's clock (mutasi.clock, moved in tests and drills);
            # NATS stamps messages by the real one.
            signed = datetime.fromisoformat(since.signed_at) - clock.offset()
            config.deliver_policy = DeliverPolicy.BY_START_TIME
            config.opt_start_time = signed - PUBLISH_CLOCK_MARGIN
        with contextlib.suppress(NotFoundError):  # one a crashed read left behind
            await js.delete_consumer(settings.stream_name, name)
        try:
            info = await js.add_consumer(settings.stream_name, config)
        except NotFoundError:  # nothing was ever published: no stream yet
            return []
        try:
            found = await _drain(js, settings.stream_name, name, info.num_pending, timeout)
        finally:
            await js.delete_consumer(settings.stream_name, name)
        return [c for c in found if since is None or c.sequence >= since.sequence]
    finally:
        await nc.close()


async def _drain(
    js: JetStreamContext, stream: str, name: str, pending: int, timeout: float
) -> list[Checkpoint]:
    """The `pending` messages the consumer had when it was made."""
    found: list[Checkpoint] = []
    if not pending:
        return found
    sub = await js.pull_subscribe_bind(durable=name, stream=stream)
    while len(found) < pending:
        for message in await sub.fetch(pending - len(found), timeout=timeout):
            found.append(_checkpoint_of(json.loads(message.data)))
    return found


async def verify_checkpoints(
    conn: asyncpg.Connection | asyncpg.Pool,
    tenant: str,
    checkpoints: Sequence[Checkpoint],
    keys: Sequence[Ed25519PublicKey],
    source: str,
) -> CheckpointReport:
    """Check each checkpoint in sequence order; report the first that does not hold."""
    trusted = {key_id(k): k for k in keys}
    ordered = sorted(checkpoints, key=lambda c: c.sequence)
    rows = await conn.fetch(
        "SELECT sequence, hash FROM event_log WHERE tenant = $1 AND sequence = ANY($2::bigint[])",
        tenant,
        [c.sequence for c in ordered],
    )
    stored = {row["sequence"]: row["hash"] for row in rows}
    for checkpoint in ordered:
        failure = _check(checkpoint, tenant, trusted, stored)
        if failure is not None:
            return CheckpointReport(source, len(ordered), failure)
    return CheckpointReport(source, len(ordered), None)


def _check(
    checkpoint: Checkpoint,
    tenant: str,
    trusted: dict[str, Ed25519PublicKey],
    stored: dict[int, str],
) -> CheckpointFailure | None:
    key = trusted.get(checkpoint.key_id)
    if key is None:
        return CheckpointFailure(checkpoint, UNKNOWN_KEY)
    if not checkpoint.signature_valid(key):
        return CheckpointFailure(checkpoint, SIGNATURE_INVALID)
    if checkpoint.tenant != tenant:
        return CheckpointFailure(checkpoint, WRONG_TENANT)
    found = stored.get(checkpoint.sequence)
    if found is None:
        return CheckpointFailure(checkpoint, ENTRY_MISSING)
    if found != checkpoint.hash:
        return CheckpointFailure(checkpoint, HASH_DIFFERS, found)
    return None
