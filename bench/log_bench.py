"""The log (SPEC §9): append throughput, batched and single, and verifying 1,000,000 entries.

Floors, measured minutes apart on the same PostgreSQL:
- append: the same entries (same columns, hashes already computed) and their outbox rows
  written with asyncpg's COPY (batched) or a plain INSERT pair per transaction (single) —
  what it costs PostgreSQL to take the bytes, with no chaining, hashing or checks of ours.
- verify: streaming the same columns of the same chain out of PostgreSQL with one COPY into
  a sink that drops them — reading the chain once, before a single hash is computed. Then
  the incremental verify (the default for auditors): a checkpoint signed at the head, 1,000
  entries appended, and only those verified; its floor is reading those entries' columns.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import statistics
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import asyncpg
import orjson

from bench.cpu_meter import CpuMeter
from bench.harness import Figure, report, shared_stack
from mutasi.db import create_pool
from mutasi.log.canonical import GENESIS_HASH, format_time
from mutasi.log.chain_scan import SCAN_QUERY
from mutasi.log.checkpoints import Checkpointer
from mutasi.log.store import Actor, NewEvent, append, subject_for
from mutasi.log.verify import Head, verify_chain
from mutasi.settings import Settings

BATCHED, BATCH = 100_000, 1_000
SINGLE = 3_000
CHAIN = 1_000_000
NEW_ENTRIES = 1_000
APPEND_TARGET = 20_000.0
APPEND_OF_COPY = 0.6  # SPEC §9: batched appends at least 0.6 of COPY's rate
VERIFY_TARGET_RATIO = 1.3
VERIFY_ROUNDS = 3
OFFICER = Actor("nip:198001012005011001", "hr_officer")
COLUMNS = (
    "sequence",
    "tenant",
    "stream",
    "version",
    "event_id",
    "event_type",
    "occurred_at",
    "actor_id",
    "actor_role",
    "reason",
    "payload",
    "prev_hash",
    "hash",
)


def _payload(i: int) -> dict[str, object]:
    """What `transfer.submitted` carries (a valid payload: the log validates each one)."""
    return {
        "employee_nip": f"19850314201001{i % 10_000:04d}",
        "employee_name": "Budi Santoso",
        "kind": "within_government",
        "target_tenant": "kota-sorong",
        "origin_position_code": f"P-{(i + 7) % 500:04d}",
        "origin_unit_code": "BAPPEDA",
        "target_position_code": f"P-{i % 500:04d}",
        "target_unit_code": "DINKES",
        "reasons": "Penyegaran organisasi",
        "expectations": "Memperkuat layanan kesehatan",
        "effective_date": "2026-09-01",
        "justification": None,
        "documents": ["proposal_letter", "skp", "last_decree"],
        "self_application": False,
    }


def _events(count: int) -> list[NewEvent]:
    streams = [f"transfer/{uuid4()}" for _ in range(count // 10 + 1)]
    return [
        NewEvent(
            streams[i // 10],
            "transfer.submitted",
            _payload(i),
            OFFICER,
            reason="Berkas lengkap" if i % 3 else None,
        )
        for i in range(count)
    ]


def run() -> None:
    stack = shared_stack()
    asyncio.run(_run(stack.settings, CpuMeter(stack.stack)))


async def _run(settings: Settings, meter: CpuMeter) -> None:
    pool = await create_pool(settings, max_size=4)
    admin = await create_pool(settings, admin=True, max_size=2)
    try:
        await _append_batched(settings, pool, meter)
        await _append_single(settings, pool, meter)
        tenant, full_s = await _verify_chain(settings, admin, meter)
        await _verify_incremental(settings, pool, tenant, full_s)
    finally:
        await pool.close()
        await admin.close()


async def _sequences(conn: asyncpg.Connection, count: int) -> list[int]:
    return [
        r[0]
        for r in await conn.fetch(
            "SELECT nextval('event_log_sequence') FROM generate_series(1, $1)", count
        )
    ]


def _floor_rows(
    events: list[NewEvent], sequences: list[int], tenant: str, now: datetime
) -> list[tuple[object, ...]]:
    """The rows `append` writes for these events, under fresh sequences and ids."""
    return [
        (
            seq,
            tenant,
            "floor-" + e.stream,
            1 + i % 10,
            uuid4(),
            e.event_type,
            now,
            e.actor.id,
            e.actor.role,
            e.reason,
            json.dumps(e.payload),
            "0" * 64,
            "f" * 64,
        )
        for i, (e, seq) in enumerate(zip(events, sequences, strict=True))
    ]


def _cpu_details(meter: CpuMeter, before: tuple[float, float], entries: int) -> dict[str, float]:
    """Per-entry CPU of ours and PostgreSQL's, and the rate they allow on an idle machine
    (one connection: request and response alternate, so the two add up)."""
    ours, postgres = (after - start for after, start in zip(meter.read(), before, strict=True))
    return {
        "cpu_ours_us_per_entry": round(1e6 * ours / entries, 1),
        "cpu_postgres_us_per_entry": round(1e6 * postgres / entries, 1),
        "rate_if_idle": round(entries / (ours + postgres)),
        "load_average_1m": round(os.getloadavg()[0], 2),
    }


async def _timed_appends(
    pool: asyncpg.Pool, tenant: str, events: list[NewEvent], batch: int, meter: CpuMeter
) -> tuple[float, dict[str, float], list[tuple]]:
    """Entries/s through `append`, its CPU, and the floor's rows for the same entries."""
    async with pool.acquire() as conn:
        cpu, begun = meter.read(), time.perf_counter()
        for start in range(0, len(events), batch):
            async with conn.transaction():
                await append(conn, tenant, events[start : start + batch])
        rate = len(events) / (time.perf_counter() - begun)
        details = _cpu_details(meter, cpu, len(events))
        sequences = await _sequences(conn, len(events))
    return rate, details, _floor_rows(events, sequences, f"{tenant}-floor", datetime.now(UTC))


async def _floor_copy(conn: asyncpg.Connection, rows: list[tuple[object, ...]]) -> None:
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        async with conn.transaction():
            await conn.copy_records_to_table("event_log", records=chunk, columns=COLUMNS)
            await conn.copy_records_to_table(
                "outbox",
                columns=("sequence", "tenant", "subject"),
                records=[(r[0], r[1], subject_for(str(r[1]), str(r[5]))) for r in chunk],
            )


async def _floor_inserts(conn: asyncpg.Connection, rows: list[tuple[object, ...]]) -> None:
    insert = (
        f"INSERT INTO event_log ({', '.join(COLUMNS)}) VALUES"
        f" ({', '.join(f'${n}' for n in range(1, 14))})"
    )
    for row in rows:
        async with conn.transaction():
            await conn.execute(insert, *row)
            await conn.execute(
                "INSERT INTO outbox (sequence, tenant, subject) VALUES ($1, $2, $3)",
                row[0],
                row[1],
                "mutasi.x.y",
            )


async def _floor_rate(
    settings: Settings, rows: list[tuple[object, ...]], batched: bool, meter: CpuMeter
) -> tuple[float, dict[str, float]]:
    # A bare connection with asyncpg's own codecs, as a hand-written loader would use.
    conn = await asyncpg.connect(settings.dsn())
    try:
        cpu, begun = meter.read(), time.perf_counter()
        await (_floor_copy(conn, rows) if batched else _floor_inserts(conn, rows))
        rate = len(rows) / (time.perf_counter() - begun)
        return rate, _cpu_details(meter, cpu, len(rows))
    finally:
        await conn.close()


async def _append_batched(settings: Settings, pool: asyncpg.Pool, meter: CpuMeter) -> None:
    tenant = f"bench-append-{uuid4().hex[:8]}"
    ours, cpu, rows = await _timed_appends(pool, tenant, _events(BATCHED), BATCH, meter)
    floor, floor_cpu = await _floor_rate(settings, rows, True, meter)
    await _drop_outbox(pool, tenant)
    report(
        Figure(
            f"log append, batched ({BATCH} per transaction)",
            ours,
            "entries/s",
            floor,
            f"asyncpg COPY of the same rows and outbox rows, {BATCH} per transaction",
            f"≥ {APPEND_TARGET:,.0f} entries/s and ≥ {APPEND_OF_COPY} of the floor",
            ours >= APPEND_TARGET and ours >= APPEND_OF_COPY * floor,
            higher_is_better=True,
            details={"entries": BATCHED, **cpu, "floor": floor_cpu},
        )
    )


async def _append_single(settings: Settings, pool: asyncpg.Pool, meter: CpuMeter) -> None:
    tenant = f"bench-single-{uuid4().hex[:8]}"
    ours, cpu, rows = await _timed_appends(pool, tenant, _events(SINGLE), 1, meter)
    floor, floor_cpu = await _floor_rate(settings, rows, False, meter)
    await _drop_outbox(pool, tenant)
    report(
        Figure(
            "log append, single (one entry per transaction)",
            ours,
            "entries/s",
            floor,
            "two plain INSERTs (entry, outbox row) per transaction",
            "no target; context for the batched figure",
            True,
            higher_is_better=True,
            details={"entries": SINGLE, **cpu, "floor": floor_cpu},
        )
    )


async def _drop_outbox(pool: asyncpg.Pool, tenant: str) -> None:
    """Mark the bench's outbox rows sent, so a relay started later has nothing to carry."""
    await pool.execute(
        "UPDATE outbox SET published_at = now() WHERE tenant LIKE $1 || '%'"
        " AND published_at IS NULL",
        tenant,
    )


class ChainWriter:
    """COPY text of a valid chain, fast: every generated string is plain ASCII, so the
    canonical bytes are a template (the verifier re-checks any entry that comes out
    wrong with the reference implementation, so a slip here would show as a break)."""

    TEMPLATE = (
        '{"actor":{"id":"%s","role":"%s"},"event_id":"%s","event_type":"%s",'
        '"occurred_at":"%s","payload":%s,"prev_hash":"%s","reason":%s,"sequence":%d,'
        '"stream":"%s","tenant":"%s","version":%d}'
    )

    def __init__(self, tenant: str, first: int, count: int) -> None:
        self.tenant, self.first, self.count = tenant, first, count
        self.head = (first - 1, GENESIS_HASH)

    def _line(self, i: int, e: NewEvent, prev: str) -> tuple[bytes, str]:
        occurred = datetime(2026, 1, 5, 1, 0, tzinfo=UTC) + timedelta(microseconds=1037 * i)
        sequence, version = self.first + i, i % 10 + 1
        payload = orjson.dumps(e.payload, option=orjson.OPT_SORT_KEYS).decode()
        reason = "null" if e.reason is None else f'"{e.reason}"'
        canonical = self.TEMPLATE % (
            e.actor.id,
            e.actor.role,
            e.event_id,
            e.event_type,
            format_time(occurred),
            payload,
            prev,
            reason,
            sequence,
            e.stream,
            self.tenant,
            version,
        )
        digest = hashlib.sha256(canonical.encode()).hexdigest()
        return "\t".join(
            (
                str(sequence),
                self.tenant,
                e.stream,
                str(version),
                str(e.event_id),
                e.event_type,
                occurred.isoformat(),
                e.actor.id,
                e.actor.role,
                "\\N" if e.reason is None else e.reason,
                payload,
                prev,
                digest,
            )
        ).encode(), digest

    async def blocks(self, block: int = 20_000) -> AsyncIterator[bytes]:
        events, prev = _events(self.count), GENESIS_HASH
        for start in range(0, self.count, block):
            lines = []
            for i in range(start, min(start + block, self.count)):
                line, prev = self._line(i, events[i], prev)
                lines.append(line)
            yield b"\n".join(lines) + b"\n"
            await asyncio.sleep(0)
        self.head = (self.first + self.count - 1, prev)


async def _generate_chain(admin: asyncpg.Pool, tenant: str) -> None:
    async with admin.acquire() as conn:
        first = await conn.fetchval("SELECT nextval('event_log_sequence')")
        await conn.execute("SELECT setval('event_log_sequence', $1)", first + CHAIN - 1)
        writer = ChainWriter(tenant, first, CHAIN)
        await conn.copy_to_table("event_log", source=writer.blocks(), columns=COLUMNS)
        last, head = writer.head
        await conn.execute(
            "INSERT INTO chain_heads (tenant, sequence, hash, length) VALUES ($1, $2, $3, $4)",
            tenant,
            last,
            head,
            CHAIN,
        )
        # What autovacuum does to a live table: hint bits set, statistics fresh.
        await conn.execute("VACUUM (ANALYZE) event_log")


async def _read_floor(settings: Settings, tenant: str) -> float:
    conn = await asyncpg.connect(settings.dsn())
    try:

        async def drop(_: bytes) -> None:
            return None

        begun = time.perf_counter()
        await conn.copy_from_query(SCAN_QUERY, tenant, 0, 2**62, output=drop)
        return time.perf_counter() - begun
    finally:
        await conn.close()


async def _read_floor_range(settings: Settings, tenant: str, first: int) -> float:
    """One COPY of the same columns of the entries from `first` on, on a fresh connection
    (the incremental verify opens its own too)."""
    begun = time.perf_counter()
    conn = await asyncpg.connect(settings.dsn())
    try:

        async def drop(_: bytes) -> None:
            return None

        await conn.copy_from_query(SCAN_QUERY, tenant, first, 2**62, output=drop)
        return time.perf_counter() - begun
    finally:
        await conn.close()


async def _verify_incremental(
    settings: Settings, pool: asyncpg.Pool, tenant: str, full_s: float
) -> None:
    """A checkpoint signed at the head of the long chain, then NEW entries appended: the
    verification that trusts the checkpoint reads only those."""
    checkpoint = await Checkpointer(pool, settings).checkpoint(tenant, force=True)
    assert checkpoint is not None
    async with pool.acquire() as conn, conn.transaction():
        await append(conn, tenant, _events(NEW_ENTRIES))
    after = Head(checkpoint.sequence, checkpoint.hash, checkpoint.length)
    runs = []
    for _ in range(5):
        checked = await verify_chain(settings.dsn(), tenant, after=after)
        assert checked.ok and checked.entries == NEW_ENTRIES + 1, checked.broken
        runs.append(checked.seconds)
    floor = statistics.median(
        [await _read_floor_range(settings, tenant, checkpoint.sequence + 1) for _ in range(5)]
    )
    value = statistics.median(runs)
    report(
        Figure(
            f"verify {NEW_ENTRIES:,} new entries after a trusted checkpoint ({CHAIN:,} before)",
            1000 * value,
            "ms",
            1000 * floor,
            "one COPY of the same columns of the new entries, fresh connection",
            f"O(new entries): ≤ 2 % of the full verify ({1000 * full_s:,.0f} ms)",
            value <= 0.02 * full_s,
            details={"runs_ms": [round(1000 * r, 1) for r in runs]},
        )
    )


async def _cpu_span(meter: CpuMeter, before: tuple[float, float]) -> tuple[float, float]:
    await asyncio.sleep(0.2)  # PostgreSQL reaps a closed connection's backend: count it too
    ours, postgres = meter.read()
    return ours - before[0], postgres - before[1]


async def _verify_chain(
    settings: Settings, admin: asyncpg.Pool, meter: CpuMeter
) -> tuple[str, float]:
    tenant = f"bench-verify-{uuid4().hex[:8]}"
    begun = time.perf_counter()
    await _generate_chain(admin, tenant)
    print(f"  ({CHAIN:,} entries generated in {time.perf_counter() - begun:.1f} s)", flush=True)
    cold = await verify_chain(settings.dsn(), tenant)
    assert cold.ok and cold.entries == CHAIN, cold.broken
    runs, floors, cpu, floor_cpu = [], [], [0.0, 0.0], [0.0, 0.0]
    for _ in range(VERIFY_ROUNDS):  # in turn, so a neighbour's load falls on both alike
        before = meter.read()
        runs.append((await verify_chain(settings.dsn(), tenant)).seconds)
        cpu = [a + b for a, b in zip(cpu, await _cpu_span(meter, before), strict=True)]
        before = meter.read()
        floors.append(await _read_floor(settings, tenant))
        floor_cpu = [a + b for a, b in zip(floor_cpu, await _cpu_span(meter, before), strict=True)]
    value, floor = statistics.median(runs), statistics.median(floors)
    ours, postgres = (c / VERIFY_ROUNDS for c in cpu)
    floor_ours, floor_postgres = (c / VERIFY_ROUNDS for c in floor_cpu)
    cores = os.cpu_count() or 1
    # On an idle machine ours spreads over every core; the floor is a pipeline of one
    # PostgreSQL backend and one reader, as fast as the busier of the two.
    if_idle = (ours + postgres) / cores
    floor_if_idle = max(floor_ours, floor_postgres)
    report(
        Figure(
            f"verify a {CHAIN:,}-entry chain",
            value,
            "s",
            floor,
            "one COPY of the same columns into a sink that drops them",
            f"≤ {VERIFY_TARGET_RATIO}× the floor",
            value <= VERIFY_TARGET_RATIO * floor,
            details={
                "cold_s": round(cold.seconds, 3),
                "runs_s": [round(s, 3) for s in runs],
                "floor_runs_s": [round(s, 3) for s in floors],
                "cpu_ours_s": round(ours, 2),
                "cpu_postgres_s": round(postgres, 2),
                "floor_cpu_reader_s": round(floor_ours, 2),
                "floor_cpu_postgres_s": round(floor_postgres, 2),
                "seconds_if_idle": round(if_idle, 2),
                "floor_seconds_if_idle": round(floor_if_idle, 2),
                "ratio_if_idle": round(if_idle / floor_if_idle, 2),
                "cores": cores,
                "load_average_1m": round(os.getloadavg()[0], 2),
            },
        )
    )
    return tenant, value
