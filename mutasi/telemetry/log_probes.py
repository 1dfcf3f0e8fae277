"""Probes of the log's health for /metrics, run by the relay process (mutasi.log.relay_main).

Outbox lag, signed checkpoints, chain verifications, transfers by status and missed
deadlines: what deploy/prometheus/alerts.yml and the Grafana dashboard watch.
"""

from __future__ import annotations

import asyncpg

from mutasi import clock, metrics
from mutasi.domain.events import TransferEvent
from mutasi.telemetry.sampler import Probe, SampledCounter

OUTBOX_PENDING = metrics.gauge(
    "mutasi_outbox_unpublished_entries", "Log entries not yet published to JetStream"
)
OUTBOX_AGE = metrics.gauge(
    "mutasi_outbox_oldest_unpublished_age_seconds",
    "Age of the oldest log entry not yet published (0 when none waits)",
)
CHECKPOINT_AGE = metrics.gauge(
    "mutasi_checkpoint_age_seconds", "Time since the newest signed checkpoint", ["tenant"]
)
UNSIGNED = metrics.gauge(
    "mutasi_checkpoint_unsigned_entries",
    "Entries of the chain after its newest signed checkpoint",
    ["tenant"],
)
VERIFIED_AT = metrics.gauge(
    "mutasi_chain_last_verification_timestamp_seconds",
    "When the chain was last verified (Unix time)",
    ["tenant"],
)
VERIFIED_OK = metrics.gauge(
    "mutasi_chain_last_verification_ok", "1 if the last verification found the chain intact",
    ["tenant"],
)  # fmt: skip
TRANSFERS = metrics.gauge(
    "mutasi_transfers", "Transfers by the government proposing them and status",
    ["tenant", "status"],
)  # fmt: skip
DEADLINES_MISSED = SampledCounter(
    "mutasi_deadlines_missed_total",
    "Human steps escalated because their deadline passed (transfer.escalated), per government",
    ["tenant"],
)


def log_probes(pool: asyncpg.Pool) -> dict[str, Probe]:
    async def outbox() -> None:
        row = await pool.fetchrow(
            "SELECT count(*) AS n,"
            " coalesce(extract(epoch FROM $1::timestamptz - min(e.occurred_at)), 0)"
            " AS age FROM outbox o JOIN event_log e USING (sequence) WHERE o.published_at IS NULL",
            clock.now(),  # log times are the system's clock (mutasi.clock)
        )
        OUTBOX_PENDING.set(row["n"])
        OUTBOX_AGE.set(float(row["age"]))

    async def checkpoints() -> None:
        rows = await pool.fetch(
            "SELECT h.tenant, h.length - coalesce(c.length, 0) AS unsigned,"
            " extract(epoch FROM $1::timestamptz - c.signed_at) AS age FROM chain_heads h"
            " LEFT JOIN LATERAL (SELECT length, signed_at FROM checkpoints"
            " WHERE tenant = h.tenant ORDER BY sequence DESC LIMIT 1) c ON true",
            clock.now(),
        )
        for row in rows:
            UNSIGNED.labels(row["tenant"]).set(row["unsigned"])
            if row["age"] is not None:
                CHECKPOINT_AGE.labels(row["tenant"]).set(float(row["age"]))

    async def verifications() -> None:
        rows = await pool.fetch(
            "SELECT DISTINCT ON (tenant) tenant, extract(epoch FROM verified_at) AS at, ok"
            " FROM chain_verifications ORDER BY tenant, verified_at DESC"
        )
        for row in rows:
            VERIFIED_AT.labels(row["tenant"]).set(float(row["at"]))
            VERIFIED_OK.labels(row["tenant"]).set(1 if row["ok"] else 0)

    async def transfers() -> None:
        rows = await pool.fetch("SELECT tenant, status, count(*) AS n FROM transfers GROUP BY 1, 2")
        TRANSFERS.clear()  # a status no transfer is in any more is 0, not its last count
        for row in rows:
            TRANSFERS.labels(row["tenant"], row["status"]).set(row["n"])

    async def deadlines() -> None:
        # One index range per government (event_log_tenant_type), not a scan of the log.
        rows = await pool.fetch(
            "SELECT t.slug, (SELECT count(*) FROM event_log e WHERE e.tenant = t.slug"
            " AND e.event_type = $1) AS n FROM tenants t",
            TransferEvent.ESCALATED.value,
        )
        DEADLINES_MISSED.set({(row["slug"],): float(row["n"]) for row in rows})

    return {
        "outbox": outbox,
        "checkpoints": checkpoints,
        "verifications": verifications,
        "transfers": transfers,
        "deadlines": deadlines,
    }
