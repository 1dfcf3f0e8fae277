"""Verify a tenant's hash chain, whole or a sequence range, and name the first broken entry.

Every entry's hash is recomputed here, on the verifier's side, from the entry's fields: a
database that only stores and returns rows cannot make a changed entry pass. The chain is cut
into sequence ranges scanned in parallel by worker processes (one core each, see
`chain_scan`), all reading the one snapshot in which the chain head was read, so a
concurrent append never shows up as a false break. What the database administrator can
still do — recompute every hash after a rewrite — is what signed checkpoints catch
(`mutasi.log.checkpoints`).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import time
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass

import asyncpg

from mutasi.log.chain_scan import HEAD_MISMATCH, Failure, Part, PartResult, scan_part

# Below this many entries one thread beats starting processes.
PARALLEL_FROM = 50_000
PARTS_PER_WORKER = 4
_executors: dict[int, ProcessPoolExecutor] = {}


@dataclass(frozen=True, slots=True)
class Head:
    sequence: int
    hash: str
    length: int


@dataclass(frozen=True, slots=True)
class ChainReport:
    tenant: str
    first: int | None
    last: int | None
    entries: int
    head: Head | None
    broken: Failure | None
    seconds: float

    @property
    def ok(self) -> bool:
        return self.broken is None


def _pool(workers: int) -> Executor:
    """One long-lived pool per process. forkserver: safe under threads (uvicorn), and its
    children start warm with the scanner already imported."""
    if workers not in _executors:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["mutasi.log.chain_scan"])
        _executors[workers] = ProcessPoolExecutor(workers, mp_context=context)
    return _executors[workers]


def split(first: int, last: int, parts: int) -> list[tuple[int, int]]:
    """Cut [first, last] into `parts` contiguous ranges of near-equal width."""
    width = max(1, -(-(last - first + 1) // parts))
    return [(lo, min(lo + width - 1, last)) for lo in range(first, last + 1, width)]


async def _run(parts: Sequence[Part], workers: int) -> list[PartResult]:
    if len(parts) == 1:
        return [await asyncio.to_thread(scan_part, parts[0])]
    loop = asyncio.get_running_loop()
    pool = _pool(workers)
    return list(await asyncio.gather(*[loop.run_in_executor(pool, scan_part, p) for p in parts]))


async def _bounds(
    conn: asyncpg.Connection, tenant: str, first: int | None, last: int | None
) -> tuple[int | None, int | None, Head | None]:
    row = await conn.fetchrow(
        "SELECT min(sequence) AS lo, max(sequence) AS hi FROM event_log WHERE tenant = $1"
        " AND sequence >= coalesce($2, 0) AND sequence <= coalesce($3, 9223372036854775807)",
        tenant,
        first,
        last,
    )
    head = await conn.fetchrow(
        "SELECT sequence, hash, length FROM chain_heads WHERE tenant = $1", tenant
    )
    return row["lo"], row["hi"], Head(**dict(head)) if head else None


def _first_failure(results: Sequence[PartResult]) -> Failure | None:
    return next((r.failure for r in results if r.failure is not None), None)


def _check_head(head: Head | None, results: Sequence[PartResult], whole: bool) -> Failure | None:
    """The last entry must be the recorded head (and, for the whole chain, the count its
    length): this is what catches a deleted last entry, which breaks no link."""
    last = next((r for r in reversed(results) if r.count), None)
    count = sum(r.count for r in results)
    if head is None:
        if last is None:
            return None
        return Failure(
            last.last_sequence or 0,
            None,
            None,
            HEAD_MISMATCH,
            "entries exist but the tenant has no chain head",
        )
    if last is None or last.last_sequence != head.sequence or last.last_hash != head.hash:
        return Failure(
            head.sequence,
            None,
            None,
            HEAD_MISMATCH,
            f"chain head says sequence {head.sequence} hash {head.hash}; the last"
            f" entry is {last.last_sequence if last else None}"
            f" hash {last.last_hash if last else None}",
        )
    if whole and count != head.length:
        return Failure(
            head.sequence,
            None,
            None,
            HEAD_MISMATCH,
            f"chain head says {head.length} entries; the log holds {count}",
        )
    return None


async def verify_chain(
    dsn: str,
    tenant: str,
    first: int | None = None,
    last: int | None = None,
    *,
    workers: int | None = None,
    parallel_from: int = PARALLEL_FROM,
) -> ChainReport:
    """Verify the tenant's entries with first <= sequence <= last (None: from the start /
    to the head). The head is checked only when the range reaches it."""
    started = time.perf_counter()
    workers = workers or os.cpu_count() or 1
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            snapshot = await conn.fetchval("SELECT pg_export_snapshot()")
            lo, hi, head = await _bounds(conn, tenant, first, last)
            results: list[PartResult] = []
            if lo is not None and hi is not None:
                many = hi - lo + 1 >= parallel_from and workers > 1
                ranges = split(lo, hi, workers * PARTS_PER_WORKER if many else 1)
                results = await _run(
                    [Part(dsn, tenant, a, b, snapshot) for a, b in ranges], workers
                )
    finally:
        await conn.close()
    broken = _first_failure(results)
    # The head is checked when the range covers it (a range past the end checks nothing).
    covers_head = head is None or (
        (first is None or first <= head.sequence) and (last is None or last >= head.sequence)
    )
    if broken is None and covers_head:
        broken = _check_head(head, results, whole=first is None)
    return ChainReport(
        tenant, lo, hi, sum(r.count for r in results), head, broken, time.perf_counter() - started
    )
