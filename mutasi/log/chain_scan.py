"""Scan one sequence range of a tenant's chain: the fast path behind `verify` (docs/audit.md).

COPY sends each row as a text line with its columns already in the order of the canonical
object, so an entry's canonical bytes are one `%` format of the line's fields. The scanner
works a block of lines at a time, column-wise, so that the per-entry work is C calls mapped
over lists rather than Python statements: the payloads of the block are parsed by one
`orjson.loads` and re-encoded (keys sorted, which is RFC 8785 for everything the log
accepts) by one `orjson.dumps`, and the block is intact when the list of recomputed hashes
equals the list of stored ones and each stored prev_hash equals the stored hash before it.
The fast path is taken only when no string field needs JSON escaping (no quote, backslash or
control character, the reason's own two quotes aside) and no payload holds a backslash, so
that the bytes it hashes are exactly the canonical ones. A block that fails any check is
gone through entry by entry the same way, and every entry that still fails — or that could
not take the fast path — is re-checked with the reference implementation
(`ChainedFields.hash`) after the COPY; only that check decides what is broken, and tells
"hash mismatch" from "broken link".
"""

from __future__ import annotations

import asyncio
import binascii
import hashlib
import json
import re
from dataclasses import dataclass, field
from operator import methodcaller

import asyncpg
import orjson

from mutasi.log.canonical import GENESIS_HASH, NotCanonicalizable
from mutasi.log.store import EVENT_COLUMNS, row_to_event

HASH_MISMATCH = "hash mismatch"
BROKEN_LINK = "broken link"
HEAD_MISMATCH = "head mismatch"

# Columns in the order their values appear in the canonical object (keys sorted), then the
# stored hash.
SCAN_QUERY = (
    "SELECT actor_id, actor_role, event_id, event_type, occurred_at AT TIME ZONE 'UTC',"
    " payload, prev_hash, CASE WHEN reason IS NULL THEN 'null' ELSE '\"' || reason || '\"' END,"
    " sequence, stream, version, hash FROM event_log"
    " WHERE tenant = $1 AND sequence BETWEEN $2 AND $3 ORDER BY sequence"
)
FIELDS = 12
ACTOR_ID, ACTOR_ROLE, EVENT_ID, EVENT_TYPE, OCCURRED_AT, PAYLOAD = range(6)
PREV_HASH, REASON, SEQUENCE, STREAM, VERSION, HASH = range(6, 12)
_TEMPLATE = (
    b'{"actor":{"id":"%b","role":"%b"},"event_id":"%b","event_type":"%b","occurred_at":"%bZ",'
    b'"payload":%b,"prev_hash":"%b","reason":%b,"sequence":%b,"stream":"%b","tenant":TENANT,'
    b'"version":%b}'
)
# Bytes that make a string field need JSON escaping, or that COPY itself escaped (backslash).
_UNSAFE = bytes(range(0x20)) + b'"\\'
_SNAPSHOT_ID = re.compile(r"^[0-9A-Fa-f-]+$")
_SORT = orjson.OPT_SORT_KEYS
# Payloads are re-encoded in one dumps, each followed by this string; no payload can contain
# the separator's encoding, as a payload holding a backslash never takes the fast path.
_SEPARATOR = "\x00"
_SPLIT = b',"\\u0000",'
_digest = methodcaller("digest")
_HEX = b"0123456789abcdef"


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
    # The hash the range's first entry must link to, when the caller already trusts one
    # (a verified checkpoint); None: the stored hash of the entry before the range.
    anchor: str | None = None


@dataclass(slots=True)
class PartResult:
    count: int = 0
    last_sequence: int | None = None
    last_hash: str | None = None
    failure: Failure | None = None


def _canonical_payloads(column: list[bytes]) -> list[bytes] | None:
    """Each payload's canonical bytes, from one loads and one dumps; None if not plain."""
    joined = b"[" + b",".join(column) + b"]"
    if b"\\" in joined:
        return None
    spaced: list[object] = [_SEPARATOR] * (2 * len(column) - 1)
    spaced[::2] = orjson.loads(joined)
    encoded = orjson.dumps(spaced, option=_SORT)[1:-1].split(_SPLIT)
    return encoded if len(encoded) == len(column) else None


def _pad(moment: bytes) -> bytes:
    # PostgreSQL drops the trailing zeros of the microseconds (and the dot with all six).
    return moment + b".000000"[len(moment) - 19 :] if len(moment) > 19 else moment + b".000000"


def _utc_times(column: list[bytes]) -> list[bytes]:
    """ "2026-01-05 01:00:00.0012" -> "2026-01-05T01:00:00.001200" (the template adds Z)."""
    full = [moment if len(moment) == 26 else _pad(moment) for moment in column]
    return b"\t".join(full).replace(b" ", b"T").split(b"\t")


def _plain(columns: list[list[bytes]]) -> bool:
    """No string field needs escaping: the only unsafe bytes are the quotes around reasons."""
    texts = b"".join(
        columns[ACTOR_ID] + columns[ACTOR_ROLE] + columns[EVENT_TYPE] + columns[STREAM]
    )
    if len(texts.translate(None, _UNSAFE)) != len(texts):
        return False
    reasons = columns[REASON]
    joined = b"".join(reasons)
    quoted = len(reasons) - reasons.count(b"null")
    return len(joined) - len(joined.translate(None, _UNSAFE)) == 2 * quoted


def intact(template: bytes, prev: bytes, columns: list[list[bytes]]) -> bool:
    """True if every entry of the block hashes to its stored hash and links to the one
    before it (`prev`: the stored hash before the block). False says nothing about which."""
    if not _plain(columns):
        return False
    payloads = _canonical_payloads(columns[PAYLOAD])
    if payloads is None:
        return False
    c = columns
    fields = zip(
        c[ACTOR_ID],
        c[ACTOR_ROLE],
        c[EVENT_ID],
        c[EVENT_TYPE],
        _utc_times(c[OCCURRED_AT]),
        payloads,
        c[PREV_HASH],
        c[REASON],
        c[SEQUENCE],
        c[STREAM],
        c[VERSION],
        strict=True,
    )
    computed = b"".join(map(_digest, map(hashlib.sha256, map(template.__mod__, fields))))
    stored = c[HASH]
    # Each stored hash must be 64 lowercase hex digits for the joined bytes to line up.
    if set(map(len, stored)) != {64}:
        return False
    joined = b"".join(stored)
    if joined.translate(None, _HEX):
        return False
    return (
        computed == binascii.unhexlify(joined)
        and c[PREV_HASH][0] == prev
        and c[PREV_HASH][1:] == stored[:-1]
    )


@dataclass(slots=True)
class _Scanner:
    template: bytes
    prev: bytes
    count: int = 0
    last_sequence: bytes = b""
    rest: bytes = b""
    # (sequence, expected prev_hash) of entries the fast path could not vouch for, in order.
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
        """One block of whole lines: column-wise at once, entry by entry only if it fails."""
        flat = data.replace(b"\n", b"\t").split(b"\t")
        if len(flat) % FIELDS:  # COPY escapes tabs and newlines inside values: never
            raise ValueError(f"a COPY block of {len(flat)} fields, not rows of {FIELDS}")
        columns = [flat[k::FIELDS] for k in range(FIELDS)]
        if not intact(self.template, self.prev, columns):
            self._one_by_one(columns)
        self.count += len(columns[HASH])
        self.last_sequence = columns[SEQUENCE][-1]
        self.prev = columns[HASH][-1]

    def _one_by_one(self, columns: list[list[bytes]]) -> None:
        prev = self.prev
        for i, stored in enumerate(columns[HASH]):
            if not intact(self.template, prev, [column[i : i + 1] for column in columns]):
                self.suspects.append((int(columns[SEQUENCE][i]), prev.decode()))
            prev = stored


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
    prev = part.anchor or await hash_before(conn, part.tenant, part.first)
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
