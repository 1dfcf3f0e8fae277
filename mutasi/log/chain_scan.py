"""Scan one sequence range of a tenant's chain: the fast path behind `verify` (docs/audit.md).

Each row arrives as one COPY text line with its columns already in the order of the canonical
object, so the canonical bytes are one `%` format of the line's fields. A row takes that path
only when no string field needs JSON escaping (no quote, backslash or control character
outside the payload); the payload is re-encoded with orjson, which writes the same bytes as
RFC 8785 for everything the log accepts. Anything else — and every row whose hash does not
come out right — is re-checked with the reference implementation (`ChainedFields.hash`)
after the COPY, and only that check decides what is broken.

On the fast path the entry is hashed with the previous entry's stored hash in place of its
own prev_hash, so one comparison proves both the content and the link; the row's stored
prev_hash must also equal that hash (a rewritten prev_hash column alone is a break too). The
re-check tells "hash mismatch" from "broken link".
"""

from __future__ import annotations

import asyncio
import binascii
import hashlib
import json
import re
from dataclasses import dataclass, field

import asyncpg
import orjson

from mutasi.log.canonical import GENESIS_HASH, NotCanonicalizable
from mutasi.log.store import EVENT_COLUMNS, row_to_event

HASH_MISMATCH = "hash mismatch"
BROKEN_LINK = "broken link"
HEAD_MISMATCH = "head mismatch"

# Columns in the order their values appear in the canonical object (keys sorted).
SCAN_QUERY = (
    "SELECT actor_id, actor_role, event_id, event_type, occurred_at AT TIME ZONE 'UTC',"
    " payload, hash, CASE WHEN reason IS NULL THEN 'null' ELSE '\"' || reason || '\"' END,"
    " sequence, stream, version, prev_hash FROM event_log"
    " WHERE tenant = $1 AND sequence BETWEEN $2 AND $3 ORDER BY sequence"
)
_TEMPLATE = (
    b'{"actor":{"id":"%b","role":"%b"},"event_id":"%b","event_type":"%b","occurred_at":"%bZ",'
    b'"payload":%b,"prev_hash":"%b","reason":%b,"sequence":%b,"stream":"%b","tenant":TENANT,'
    b'"version":%b}'
)
# Bytes that make a string field need JSON escaping, or that COPY itself escaped (backslash).
_UNSAFE = bytes(range(0x20)) + b'"\\'
_SNAPSHOT_ID = re.compile(r"^[0-9A-Fa-f-]+$")
_SORT = orjson.OPT_SORT_KEYS


@dataclass(frozen=True, slots=True)
class Failure:
    sequence: int
    stream: str | None
    version: int | None
    reason: str
    detail: str


@dataclass(frozen=True, slots=True)
class Part:
    dsn: str
    tenant: str
    first: int
    last: int
    snapshot: str | None = None


@dataclass(slots=True)
class PartResult:
    count: int = 0
    last_sequence: int | None = None
    last_hash: str | None = None
    failure: Failure | None = None


@dataclass(slots=True)
class _Scanner:
    template: bytes
    prev: bytes
    count: int = 0
    last_sequence: bytes = b""
    rest: bytes = b""
    # (sequence, expected prev_hash) of rows the fast path could not vouch for, in order.
    suspects: list[tuple[int, str]] = field(default_factory=list)

    async def feed(self, data: bytes) -> None:
        data = self.rest + data
        cut = data.rfind(b"\n")
        if cut < 0:
            self.rest = data
            return
        self.rest = data[cut + 1 :]
        self.scan(data[:cut])

    def scan(self, data: bytes) -> None:
        """The hot loop: a few C calls per row, no per-field Python work."""
        sha256, loads, dumps, unhexlify, join = (
            hashlib.sha256,
            orjson.loads,
            orjson.dumps,
            binascii.unhexlify,
            b"".join,
        )
        template, prev, suspects = self.template, self.prev, self.suspects
        lines = data.split(b"\n")
        for line in lines:
            f = line.split(b"\t")
            stored_prev = f.pop()  # checked against the link, not hashed (prev stands in)
            stored = f[6]
            # The string fields must need no escaping (the reason's own two quotes aside),
            # and the payload must carry no COPY escapes; otherwise the reference decides.
            texts = join((f[0], f[1], f[3], f[9], f[7]))
            plain = len(texts) - len(texts.translate(None, _UNSAFE)) == (f[7] != b"null") * 2
            if not plain or b"\\" in f[5]:
                suspects.append((int(f[8]), prev.decode()))
                prev = stored
                continue
            ts = f[4]
            if len(ts) != 26:  # PostgreSQL drops trailing zeros of the microseconds
                ts = ts + b".000000"[len(ts) - 19 :] if len(ts) > 19 else ts + b".000000"
            f[4] = ts.replace(b" ", b"T", 1)
            f[5] = dumps(loads(f[5]), option=_SORT)
            f[6] = prev
            try:
                intact = sha256(template % tuple(f)).digest() == unhexlify(stored)
            except ValueError:  # a stored "hash" that is not hex at all
                intact = False
            if not intact or stored_prev != prev:
                suspects.append((int(f[8]), prev.decode()))
            prev = stored
        self.count += len(lines)
        self.last_sequence = lines[-1].split(b"\t", 9)[8]
        self.prev = prev


def scan_part(part: Part) -> PartResult:
    """Entry point for a worker process (or thread): scan one range on its own connection."""
    return asyncio.run(scan_part_async(part))


async def scan_part_async(part: Part) -> PartResult:
    conn = await asyncpg.connect(part.dsn)
    try:
        await conn.set_type_codec(
            "jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog"
        )
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            if part.snapshot:
                # Every part reads the one snapshot the coordinator exported with the head.
                if not _SNAPSHOT_ID.match(part.snapshot):
                    raise ValueError("invalid snapshot id")
                await conn.execute(f"SET TRANSACTION SNAPSHOT '{part.snapshot}'")
            # A long chain's plan can cross the JIT threshold; compiling buys nothing here.
            await conn.execute("SET LOCAL jit = off")
            return await _scan(conn, part)
    finally:
        await conn.close()


async def hash_before(conn: asyncpg.Connection, tenant: str, sequence: int) -> str:
    """The stored hash of the tenant's entry just before `sequence` (genesis if none)."""
    found = await conn.fetchval(
        "SELECT hash FROM event_log WHERE tenant = $1 AND sequence < $2"
        " ORDER BY sequence DESC LIMIT 1",
        tenant,
        sequence,
    )
    return found or GENESIS_HASH


async def _scan(conn: asyncpg.Connection, part: Part) -> PartResult:
    prev = await hash_before(conn, part.tenant, part.first)
    tenant_json = orjson.dumps(part.tenant).replace(b"%", b"%%")
    scanner = _Scanner(_TEMPLATE.replace(b"TENANT", tenant_json), prev.encode())
    await conn.copy_from_query(SCAN_QUERY, part.tenant, part.first, part.last, output=scanner.feed)
    if scanner.rest:
        scanner.scan(scanner.rest)
    failure = await recheck(conn, part.tenant, scanner.suspects)
    return PartResult(
        scanner.count,
        int(scanner.last_sequence) if scanner.count else None,
        scanner.prev.decode() if scanner.count else None,
        failure,
    )


async def recheck(
    conn: asyncpg.Connection, tenant: str, suspects: list[tuple[int, str]], batch: int = 1000
) -> Failure | None:
    """Decide each suspect with the reference implementation; return the first real break."""
    for start in range(0, len(suspects), batch):
        chunk = suspects[start : start + batch]
        rows = await conn.fetch(
            f"SELECT {EVENT_COLUMNS} FROM event_log WHERE tenant = $1"
            " AND sequence = ANY($2::bigint[]) ORDER BY sequence",
            tenant,
            [sequence for sequence, _ in chunk],
        )
        by_sequence = {row["sequence"]: row for row in rows}
        for sequence, expected_prev in chunk:
            failure = classify(by_sequence[sequence], expected_prev)
            if failure is not None:
                return failure
    return None


def classify(row: asyncpg.Record, expected_prev: str) -> Failure | None:
    event = row_to_event(row)
    where = (event.sequence, event.stream, event.version)
    try:
        recomputed = event.chained_fields().hash()
    except NotCanonicalizable as exc:
        return Failure(*where, HASH_MISMATCH, f"payload cannot be canonicalized: {exc}")
    if recomputed != event.hash:
        return Failure(
            *where,
            HASH_MISMATCH,
            f"stored hash {event.hash} but the content hashes to {recomputed}",
        )
    if event.prev_hash != expected_prev:
        return Failure(
            *where,
            BROKEN_LINK,
            f"prev_hash {event.prev_hash} but the preceding entry's hash is {expected_prev}",
        )
    return None
