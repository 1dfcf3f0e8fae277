"""Verify a tenant's hash chain — whole, a sequence range, or only the entries after a
position the verifier already trusts — and name the first broken entry.

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
from dataclasses import dataclass, replace

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
    # The trusted position the entries were verified from; None for a full or range check.
    after: Head | None = None

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


def _check_head(
    head: Head | None, results: Sequence[PartResult], whole: bool, after: Head | None = None
) -> Failure | None:
    """The last entry must be the recorded head (and, for the whole chain, the count its
    length): this is what catches a deleted last entry, which breaks no link. Entries after
    a trusted position `after` count from its length, and with none it is the last one."""
    found = next(((r.last_sequence, r.last_hash) for r in reversed(results) if r.count), None)
    if found is None and after is not None:
        found = (after.sequence, after.hash)
    count = sum(r.count for r in results) + (after.length if after else 0)
    if head is None:
        if found is None:
            return None
        return Failure(
            found[0] or 0,
            None,
            None,
            HEAD_MISMATCH,
            "entries exist but the tenant has no chain head",
        )
    if found is None or found != (head.sequence, head.hash):
        return Failure(
            head.sequence,
            None,
            None,
            HEAD_MISMATCH,
            f"chain head says sequence {head.sequence} hash {head.hash}; the last"
            f" entry is {found[0] if found else None} hash {found[1] if found else None}",
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
    after: Head | None = None,
    workers: int | None = None,
    parallel_from: int = PARALLEL_FROM,
) -> ChainReport:
    """Verify the tenant's entries with first <= sequence <= last (None: from the start /
    to the head). The head is checked only when the range reaches it.

    `after`: a position of the chain the caller already trusts (a signed checkpoint it
    verified before). Only the entries after it are read — O(new entries) — and they must
    link to its hash; the head's length must be its length plus theirs. What this cannot
    see is a later change to an entry at or before that position that left the stored hashes
    as they were; a full verification (no `after`) sees that too.
    """
    if after is not None and (first is not None or last is not None):
        raise ValueError("verify either a range or the entries after a trusted position")
    started = time.perf_counter()
    workers = workers or os.cpu_count() or 1
    if after is not None:
        first = after.sequence + 1
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction(isolation="repeatable_read", readonly=True):
            snapshot = await conn.fetchval("SELECT pg_export_snapshot()")
            lo, hi, head = await _bounds(conn, tenant, first, last)
            results: list[PartResult] = []
            if lo is not None and hi is not None:
                many = hi - lo + 1 >= parallel_from and workers > 1
                ranges = split(lo, hi, workers * PARTS_PER_WORKER if many else 1)
                parts = [Part(dsn, tenant, a, b, snapshot) for a, b in ranges]
                if after is not None:
                    parts[0] = replace(parts[0], anchor=after.hash)
                results = await _run(parts, workers)
    finally:
        await conn.close()
    broken = _first_failure(results)
    # The head is checked when the range covers it (a range past the end checks nothing).
    covers_head = (
        head is None
        or after is not None
        or ((first is None or first <= head.sequence) and (last is None or last >= head.sequence))
    )
    if broken is None and covers_head:
        broken = _check_head(head, results, whole=first is None or after is not None, after=after)
    return ChainReport(
        tenant,
        lo,
        hi,
        sum(r.count for r in results),
        head,
        broken,
        time.perf_counter() - started,
        after,
    )
