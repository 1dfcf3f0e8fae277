"""Finding 3: one oversized event neither stops the other governments nor repeats itself.

A `master_data.imported` of a 3,000-row positions import used to exceed NATS' max_payload:
the relay stopped publishing for that tenant and every tenant after it, and re-published the
batch every second. Now a large import is recorded in parts that each fit one message; and an
entry NATS still refuses (one written before this bound, made here by an administrator's
edit) stalls only its own tenant, after marking what left before it, and says so.
"""

from __future__ import annotations

import asyncio

from prometheus_client import REGISTRY
from structlog.testing import capture_logs

from mutasi.imports.runs import ImportRequest, run_import
from mutasi.log.relay import OutboxRelay
from mutasi.log.store import MAX_PAYLOAD_BYTES, Actor
from mutasi.messaging.jetstream import connect, ensure_stream
from tests.integration.import_support import fresh_tenant
from tests.integration.log_scenario import (
    append_events,
    as_superuser,
    delivered,
    event,
    new_tenant,
    publish_all,
    transfer_stream,
)

OFFICER = Actor("bkpsdm@uji", "hr_officer")


def _positions(rows: int) -> bytes:
    header = "Kode Jabatan;Nama Jabatan;Unit Kerja;Jenis Jabatan;Kelas Jabatan;Kebutuhan\n"
    lines = [
        f"dinkes.pelaksana-{n:05d};Pengadministrasi Perkantoran Tingkat {n};dinkes;"
        f"pelaksana;{5 + n % 4};{1 + n % 3}\n"
        for n in range(rows)
    ]
    return (header + "".join(lines)).encode()


async def test_a_3000_row_positions_import_reaches_nats_in_parts_that_each_fit(
    seeded, pool, settings
):
    tenant = await fresh_tenant(pool)
    report = await run_import(
        pool, ImportRequest(tenant, "positions", _positions(3000), OFFICER, "abk.csv")
    )
    assert report.counts.created == 3000
    entries = await pool.fetch(
        "SELECT octet_length(payload::text) AS size, payload FROM event_log"
        " WHERE stream = $1 ORDER BY version",
        f"import/{report.id}",
    )
    assert len(entries) > 1
    assert all(e["size"] < MAX_PAYLOAD_BYTES for e in entries)
    assert sum(len(e["payload"]["changes"]) for e in entries) == 3000
    assert [e["payload"]["part"] for e in entries] == list(range(1, len(entries) + 1))
    nc = await connect(settings, name="test-relay-parts")
    try:
        js = nc.jetstream()
        await ensure_stream(js, settings)
        await publish_all(pool, js, tenant)
        imported = [
            e
            for e in await delivered(js, settings.stream_name, tenant)
            if e["type"].endswith("master_data.imported")
        ]
    finally:
        await nc.close()
    assert len(imported) == len(entries)


async def test_an_entry_nats_refuses_stalls_only_its_own_government(
    seeded, pool, admin_pool, settings
):
    poisoned, healthy = new_tenant("stall"), new_tenant("flows")
    stream = transfer_stream()
    async with pool.acquire() as holder:
        # The session's own relay waits for this tenant until the entry is oversized.
        await holder.execute("SELECT pg_advisory_lock(hashtext('outbox:' || $1))", poisoned)
        try:
            before, poison, after = await append_events(
                pool, poisoned, [event(stream, 0), event(stream, 1), event(stream, 2)]
            )
            await as_superuser(
                admin_pool,
                (
                    "UPDATE event_log SET payload = jsonb_build_object('filler',"
                    " repeat('x', $2::int)) WHERE sequence = $1",
                    [poison.sequence, 2 * 1024 * 1024],
                ),
            )
        finally:
            await holder.execute("SELECT pg_advisory_unlock_all()")
    [other] = await append_events(pool, healthy, [event(transfer_stream(), 0)])
    nc = await connect(settings, name="test-relay-stall")
    try:
        js = nc.jetstream()
        await ensure_stream(js, settings)
        relay = OutboxRelay(pool, js, poll_interval=0.05)
        with capture_logs() as logs:
            for _ in range(100):  # whichever order the tenants come in, neither stops the relay
                await relay.relay_once()
                if poisoned in relay.stalls:  # (the session's relay may hold the tenant a moment)
                    break
                await asyncio.sleep(0.05)
        await publish_all(pool, js, healthy)
        sent = {
            r["sequence"]
            for r in await pool.fetch(
                "SELECT sequence FROM outbox WHERE sequence = ANY($1::bigint[])"
                " AND published_at IS NOT NULL",
                [before.sequence, poison.sequence, after.sequence, other.sequence],
            )
        }
        assert sent == {before.sequence, other.sequence}
        assert poisoned in relay.stalls and "MaxPayload" in relay.stalls[poisoned].error
        assert healthy not in relay.stalls
        # The stall is exposed, not only kept: a log line and the metrics alerts read.
        stalled = [e for e in logs if e["event"] == "relay_tenant_stalled"]
        assert [e["tenant"] for e in stalled] == [poisoned], logs
        assert "MaxPayload" in stalled[0]["error"]
        assert REGISTRY.get_sample_value("mutasi_relay_stalls_total", {"tenant": poisoned}) >= 1
        assert REGISTRY.get_sample_value("mutasi_relay_stalled_tenants") >= 1
        ids = [e["id"] for e in await delivered(js, settings.stream_name, poisoned)]
        assert ids == [str(before.event_id)]  # once, and nothing after the refused entry
    finally:
        await nc.close()
        # Out of the way of the session's own relay.
        await pool.execute(
            "UPDATE outbox SET published_at = now() WHERE tenant = $1 AND published_at IS NULL",
            poisoned,
        )
