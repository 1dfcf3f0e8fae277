"""Signed checkpoints of each tenant's chain head (Ed25519), so a rewrite is provable from outside.

The database administrator can rewrite the whole log and recompute every hash; what they
cannot do is sign. Every N entries or T seconds the Checkpointer signs each tenant's head
(tenant, sequence, length, hash, signed_at), stores the checkpoint and appends it to the log
as `audit.checkpoint`, so the outbox publishes it on `mutasi.<tenant>.audit.checkpoint`
where the administrator cannot reach it. The signed bytes are the RFC 8785 canonical JSON of
those five fields (docs/audit.md).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import NAMESPACE_URL, uuid5

import asyncpg
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from mutasi import clock
from mutasi.auth.keyfiles import private_dir, write_once
from mutasi.db import CONNECTION_ERRORS
from mutasi.domain.events import AuditEvent
from mutasi.log import tree_heads
from mutasi.log.canonical import canonical_json, format_time
from mutasi.log.store import Actor, NewEvent, append
from mutasi.logging import get_logger
from mutasi.settings import Settings

log = get_logger(__name__)
CHECKPOINTER = Actor("checkpointer", "system")
PRIVATE_KEY_FILE = "checkpoint-ed25519.pem"
PUBLIC_KEY_FILE = "checkpoint-ed25519.pub.pem"


def checkpoint_stream(tenant: str) -> str:
    # Stream names are global (unique with their version), so each tenant gets its own.
    return f"audit/checkpoints/{tenant}"


def raw_public_key(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(key: Ed25519PublicKey) -> str:
    """First 16 hex digits of SHA-256 over the 32 raw public-key bytes."""
    return hashlib.sha256(raw_public_key(key)).hexdigest()[:16]


class CheckpointKeyError(RuntimeError):
    """The checkpoint key is missing where it must be installed, or does not match."""


def private_key_path(settings: Settings) -> Path:
    return settings.checkpoint_private_key_file or settings.keys_dir / PRIVATE_KEY_FILE


def public_key_path(settings: Settings) -> Path:
    return settings.checkpoint_public_key_file or settings.keys_dir / PUBLIC_KEY_FILE


def generate_key_pair(private_path: Path, public_path: Path) -> Ed25519PrivateKey:
    """Write a fresh pair (the private key 0600 from its first byte); keep an existing one."""
    private_dir(private_path.parent)
    fresh = Ed25519PrivateKey.generate()
    write_once(
        private_path,
        fresh.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    key = _load_private(private_path)
    write_once(public_path, public_pem(key.public_key()), 0o644)
    return key


def _load_private(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointKeyError(f"{path} is not an Ed25519 private key")
    return key


def signing_key(settings: Settings) -> Ed25519PrivateKey:
    """The key this process signs checkpoints with.

    Development generates it on first use under keys_dir (never in git). Production never
    generates one: two relays that each made their own would sign with two keys nobody
    published — the operator installs one (`mutasi audit keygen`). A key that does not match
    the installed public key is refused for the same reason.
    """
    path = private_key_path(settings)
    if not path.exists():
        if settings.env == "production":
            raise CheckpointKeyError(
                f"checkpoint private key {path} is missing; install it (mutasi audit keygen)"
            )
        return generate_key_pair(path, public_key_path(settings))
    key = _load_private(path)
    public_path = public_key_path(settings)
    if not public_path.exists():
        write_once(public_path, public_pem(key.public_key()), 0o644)
    elif key_id(load_public_key(public_path.read_bytes())) != key_id(key.public_key()):
        raise CheckpointKeyError(f"{path} does not match the public key {public_path}")
    return key


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def public_key(settings: Settings) -> Ed25519PublicKey:
    """The deployment's checkpoint public key: the installed .pub file. A host holding only
    it (the API) never makes a private key; without it, the private key this host holds
    says which; with neither, development makes the pair and production refuses."""
    public_path = public_key_path(settings)
    if public_path.exists():
        return load_public_key(public_path.read_bytes())
    if private_key_path(settings).exists() or settings.env != "production":
        return signing_key(settings).public_key()
    raise CheckpointKeyError(f"checkpoint public key {public_path} is missing")


@dataclass(frozen=True, slots=True)
class Checkpoint:
    tenant: str
    sequence: int
    length: int
    hash: str
    signed_at: str
    key_id: str
    signature: str  # base64 (RFC 4648, with padding) of the 64-byte Ed25519 signature
    # The Merkle tree head (RFC 6962) of entries 1..length, signed apart from the chain head
    # so checkpoints made before it still verify unchanged (mutasi.log.merkle).
    root: str | None = None  # hex
    root_signature: str | None = None  # base64, over `tree_head_bytes`

    def tree_head_bytes(self) -> bytes:
        return canonical_json(
            {
                "length": self.length,
                "root": self.root,
                "sequence": self.sequence,
                "signed_at": self.signed_at,
                "tenant": self.tenant,
            }
        )

    def tree_head_valid(self, key: Ed25519PublicKey) -> bool:
        if self.root is None or self.root_signature is None:
            return False
        return _verifies(key, self.root_signature, self.tree_head_bytes())

    def signed_bytes(self) -> bytes:
        return canonical_json(
            {
                "hash": self.hash,
                "length": self.length,
                "sequence": self.sequence,
                "signed_at": self.signed_at,
                "tenant": self.tenant,
            }
        )

    def signature_valid(self, key: Ed25519PublicKey) -> bool:
        return _verifies(key, self.signature, self.signed_bytes())

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def row(self) -> tuple[str, int, int, str, datetime, str, str]:
        """The columns (tenant, sequence, length, hash, signed_at, key_id, signature)."""
        signed_at = datetime.fromisoformat(self.signed_at)
        return (
            self.tenant,
            self.sequence,
            self.length,
            self.hash,
            signed_at,
            self.key_id,
            self.signature,
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Checkpoint:
        return cls(
            str(data["tenant"]),
            int(data["sequence"]),
            int(data["length"]),
            str(data["hash"]),
            str(data["signed_at"]),
            str(data["key_id"]),
            str(data["signature"]),
            data.get("root"),
            data.get("root_signature"),
        )


def _verifies(key: Ed25519PublicKey, signature: str, data: bytes) -> bool:
    try:
        key.verify(base64.b64decode(signature, validate=True), data)
    except (InvalidSignature, ValueError):
        return False
    return True


def sign(
    key: Ed25519PrivateKey,
    tenant: str,
    sequence: int,
    length: int,
    head_hash: str,
    signed_at: datetime,
    root: bytes | None = None,
) -> Checkpoint:
    """Sign the chain head and, given the Merkle root of entries 1..length, the tree head."""
    unsigned = Checkpoint(
        tenant,
        sequence,
        length,
        head_hash,
        format_time(signed_at),
        key_id(key.public_key()),
        "",
        root.hex() if root is not None else None,
    )
    signature = base64.b64encode(key.sign(unsigned.signed_bytes())).decode()
    tree_signature = (
        base64.b64encode(key.sign(unsigned.tree_head_bytes())).decode() if root else None
    )
    return replace(unsigned, signature=signature, root_signature=tree_signature)


def is_due(fresh: int, waited_s: float, every_entries: int, every_seconds: float) -> bool:
    """N entries since the last checkpoint, or the oldest unsigned one has waited T seconds."""
    return fresh >= every_entries or (fresh >= 1 and waited_s >= every_seconds)


class Checkpointer:
    """Signs every tenant's head when N entries or T seconds have passed since its last one."""

    def __init__(self, pool: asyncpg.Pool, settings: Settings) -> None:
        self.pool, self.key = pool, signing_key(settings)
        self.every_entries = settings.checkpoint_every_entries
        self.every_seconds = settings.checkpoint_every_seconds

    async def run(self, stop: asyncio.Event) -> None:
        tick = min(1.0, self.every_seconds / 2)
        while not stop.is_set():
            try:
                await self.checkpoint_due()
            except (*CONNECTION_ERRORS, asyncpg.PostgresError) as exc:
                log.warning("checkpoint_retry", error=str(exc))
            try:
                await asyncio.wait_for(stop.wait(), timeout=tick)
            except TimeoutError:
                pass

    async def checkpoint_due(self) -> list[Checkpoint]:
        # Registered governments only: a chain under an unknown slug is nobody's to vouch for.
        rows = await self.pool.fetch(
            "SELECT t.slug AS tenant, h.length - coalesce(c.length + 1, 0) AS fresh,"
            " extract(epoch FROM $2::timestamptz - (SELECT e.occurred_at FROM event_log e"
            "   WHERE e.tenant = t.slug AND e.sequence > coalesce(c.sequence, 0)"
            "   AND e.event_type <> $1 ORDER BY e.sequence LIMIT 1))::float8 AS waited"
            " FROM tenants t JOIN chain_heads h ON h.tenant = t.slug"
            " LEFT JOIN LATERAL (SELECT sequence, length FROM checkpoints c"
            "   WHERE c.tenant = t.slug ORDER BY sequence DESC LIMIT 1) c ON true"
            " WHERE h.length - coalesce(c.length + 1, 0) >= 1",
            AuditEvent.CHECKPOINT.value,
            clock.now(),  # entries are stamped by the system's clock (mutasi.clock)
        )
        made = [
            await self.checkpoint(row["tenant"])
            for row in rows
            if is_due(row["fresh"], row["waited"] or 0.0, self.every_entries, self.every_seconds)
        ]
        return [c for c in made if c is not None]

    async def checkpoint(self, tenant: str, *, force: bool = False) -> Checkpoint | None:
        """Sign the tenant's head and append the checkpoint, in one transaction."""
        async with self.pool.acquire() as conn, conn.transaction():
            # Locking the head keeps appends out until the checkpoint's own entry follows it.
            head = await conn.fetchrow(
                "SELECT sequence, hash, length FROM chain_heads WHERE tenant = $1 FOR UPDATE",
                tenant,
            )
            last = await conn.fetchrow(
                "SELECT length FROM checkpoints WHERE tenant = $1 ORDER BY sequence DESC LIMIT 1",
                tenant,
            )
            if head is None or head["length"] == 0:
                return None
            if not force and last is not None and head["length"] <= last["length"] + 1:
                return None  # nothing since the last checkpoint but its own entry
            tree = await tree_heads.advance(conn, tenant, head["sequence"])
            checkpoint = sign(
                self.key,
                tenant,
                head["sequence"],
                head["length"],
                head["hash"],
                clock.now(),
                tree.root() if tree.size == head["length"] else None,  # else: a gap; no head
            )
            await conn.execute(
                "INSERT INTO checkpoints (tenant, sequence, length, hash, signed_at, key_id,"
                " signature, root, root_signature) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                " ON CONFLICT DO NOTHING",
                *checkpoint.row(),
                checkpoint.root,
                checkpoint.root_signature,
            )
            event_id = uuid5(NAMESPACE_URL, f"mutasi:checkpoint:{tenant}:{checkpoint.sequence}")
            await append(
                conn,
                tenant,
                [
                    NewEvent(
                        checkpoint_stream(tenant),
                        AuditEvent.CHECKPOINT,
                        checkpoint.as_dict(),
                        CHECKPOINTER,
                        event_id=event_id,
                    )
                ],
            )
        log.info("checkpoint_signed", tenant=tenant, sequence=checkpoint.sequence)
        return checkpoint
