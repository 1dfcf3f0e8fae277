"""Running an import: one transaction, one import per tenant at a time, the run recorded.

Each run appends `master_data.imported` on stream `import/<run id>` (who imported which file,
by SHA-256, with the counts and, for units and positions, every change made) and keeps its
report in `import_runs`. A retried upload with the same Idempotency-Key from the same caller
answers the stored report; the same key with another file is refused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

import asyncpg
import orjson

from mutasi import clock
from mutasi.domain.csv_format import CsvInvalid
from mutasi.domain.events import MasterDataEvent
from mutasi.errors import Conflict, InvalidInput, NotFound
from mutasi.imports.assessments import import_assessments
from mutasi.imports.context import ImportContext
from mutasi.imports.employees import import_employees
from mutasi.imports.positions import import_positions
from mutasi.imports.report import ImportKind, ImportReport
from mutasi.imports.units import import_units
from mutasi.log.store import Actor, NewEvent, append

_RUN_NS = uuid5(NAMESPACE_URL, "https://mutasi.go.id/import-runs")
# Changes per `master_data.imported` entry, well under the log's bound (MAX_PAYLOAD_BYTES)
# so the run's own facts and the lines fit beside them.
PART_BYTES = 128 * 1024
Importer = Callable[[asyncpg.Connection, ImportContext], Awaitable[dict[int, str]]]
IMPORTERS: dict[str, Importer] = {
    "employees": import_employees,
    "positions": import_positions,
    "units": import_units,
    "assessments": import_assessments,
}


@dataclass(frozen=True)
class ImportRequest:
    tenant: str
    kind: ImportKind
    data: bytes
    actor: Actor
    filename: str | None = None
    idempotency_key: str | None = None
    today: date | None = None  # None: today in the government's time zone (tests set it)

    def run_id(self) -> UUID:
        if self.idempotency_key is None:
            return uuid4()
        return uuid5(_RUN_NS, f"{self.tenant}/{self.actor.id}/{self.idempotency_key}")


async def _stored(
    conn: asyncpg.Connection, request: ImportRequest, digest: str
) -> ImportReport | None:
    row = await conn.fetchrow(
        "SELECT file_sha256, report FROM import_runs WHERE tenant = $1 AND actor_id = $2"
        " AND idempotency_key = $3",
        request.tenant,
        request.actor.id,
        request.idempotency_key,
    )
    if row is None:
        return None
    if row["file_sha256"] != digest:
        raise Conflict(
            "Idempotency-Key ini sudah dipakai untuk berkas lain",
            "This Idempotency-Key was used for another file",
        )
    return ImportReport.model_validate(row["report"])


def _parts(changes: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The changes in runs of at most PART_BYTES as JSON (at least one part, maybe empty)."""
    parts: list[list[dict[str, Any]]] = [[]]
    size = 0
    for change in changes:
        length = len(orjson.dumps(change)) + 1
        if parts[-1] and size + length > PART_BYTES:
            parts.append([])
            size = 0
        parts[-1].append(change)
        size += length
    return parts


async def _record(conn: asyncpg.Connection, request: ImportRequest, ctx: ImportContext) -> None:
    report = ctx.report
    payload = {
        "kind": report.kind,
        "filename": report.filename,
        "file_sha256": report.file_sha256,
        "counts": report.counts.model_dump(),
        "summary": report.summary,
        "refused_lines": sorted({e.line for e in report.errors}),
        "conflict_lines": [c.line for c in report.conflicts],
        "created_positions": report.created_positions,
    }
    parts = _parts(ctx.changes)
    events = []
    for number, changes in enumerate(parts, start=1):
        # A large import's changes go in several entries, each one NATS message (finding 3).
        numbered = {"part": number, "parts": len(parts)} if len(parts) > 1 else {}
        body = payload | {"changes": changes} | numbered
        if number > 1:  # the run's facts once; the further parts only their changes
            body |= {"refused_lines": [], "conflict_lines": [], "created_positions": []}
        suffix = "" if number == 1 else f"/{number}"
        events.append(
            NewEvent(
                f"import/{ctx.run_id}",
                MasterDataEvent.IMPORTED,
                body,
                ctx.actor,
                event_id=uuid5(ctx.run_id, f"{MasterDataEvent.IMPORTED}{suffix}"),
            )
        )
    await append(conn, ctx.tenant, events)
    await conn.execute(
        "INSERT INTO import_runs (id, tenant, kind, filename, file_sha256, actor_id, actor_role,"
        " idempotency_key, report) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        ctx.run_id,
        ctx.tenant,
        report.kind,
        report.filename,
        report.file_sha256,
        ctx.actor.id,
        ctx.actor.role,
        request.idempotency_key,
        report.model_dump(mode="json"),
    )


async def run_import(pool: asyncpg.Pool, request: ImportRequest) -> ImportReport:
    """Import one file for one tenant; raise InvalidInput if the file as a whole is unreadable."""
    digest = hashlib.sha256(request.data).hexdigest()
    async with pool.acquire() as conn, conn.transaction():
        # Imports of one tenant run one after the other: each compares against the last.
        await conn.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", f"import:{request.tenant}"
        )
        timezone = await conn.fetchval(
            "SELECT timezone FROM tenants WHERE slug = $1", request.tenant
        )
        if timezone is None:
            raise NotFound("Instansi tidak ditemukan", "Government not found")
        if request.idempotency_key and (stored := await _stored(conn, request, digest)):
            return stored
        run_id = request.run_id()
        ctx = ImportContext(
            run_id,
            request.tenant,
            request.data,
            request.actor,
            request.today or clock.today(timezone),
            ImportReport(
                id=str(run_id),
                tenant=request.tenant,
                kind=request.kind,
                filename=request.filename,
                file_sha256=digest,
            ),
        )
        try:
            outcomes = await IMPORTERS[request.kind](conn, ctx)
        except CsvInvalid as exc:
            raise InvalidInput(
                exc.message_id, exc.message_en, code=exc.code, **exc.details
            ) from exc
        ctx.report.finish(outcomes)
        await _record(conn, request, ctx)
    return ctx.report


async def runs_page(
    db: asyncpg.Pool | asyncpg.Connection, tenant: str, limit: int, offset: int
) -> list[asyncpg.Record]:
    """Past import runs, newest first, with each report's one-line summary."""
    return await db.fetch(
        "SELECT id, kind, filename, file_sha256, actor_id, created_at, report->>'summary'"
        " AS summary FROM import_runs WHERE tenant = $1 ORDER BY created_at DESC, id"
        " LIMIT $2 OFFSET $3",
        tenant,
        limit,
        offset,
    )


async def run_report(
    db: asyncpg.Pool | asyncpg.Connection, tenant: str, run_id: UUID
) -> dict[str, Any] | None:
    report: dict[str, Any] | None = await db.fetchval(
        "SELECT report FROM import_runs WHERE id = $1 AND tenant = $2", run_id, tenant
    )
    return report
