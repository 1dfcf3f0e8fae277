"""An auditor verifies a tenant's chain; a superuser's tampering is named at the exact entry."""

from __future__ import annotations

import json

import asyncpg
import pytest

from mutasi.log.canonical import ChainedFields
from mutasi.log.chain_scan import BROKEN_LINK, HASH_MISMATCH, HEAD_MISMATCH
from mutasi.log.verify import verify_chain
from tests.integration.log_scenario import (
    append_events,
    as_superuser,
    chain_of,
    event,
    new_tenant,
    transfer_stream,
)


async def test_an_untouched_chain_verifies_to_its_head(pool, settings):
    tenant = new_tenant()
    chain = await chain_of(pool, tenant)
    report = await verify_chain(settings.dsn(), tenant)
    assert report.ok, report.broken
    assert report.entries == len(chain)
    assert (report.first, report.last) == (chain[0].sequence, chain[-1].sequence)
    assert report.head is not None and report.head.hash == chain[-1].hash


async def test_a_changed_payload_is_a_hash_mismatch_at_that_entry(pool, admin_pool, settings):
    tenant = new_tenant()
    chain = await chain_of(pool, tenant)
    victim = chain[5]
    await as_superuser(
        admin_pool,
        (
            'UPDATE event_log SET payload = payload || \'{"unit": "Dinas Pendidikan"}\''
            " WHERE sequence = $1",
            [victim.sequence],
        ),
    )
    broken = (await verify_chain(settings.dsn(), tenant)).broken
    assert broken is not None
    assert (broken.sequence, broken.stream, broken.version, broken.reason) == (
        victim.sequence,
        victim.stream,
        victim.version,
        HASH_MISMATCH,
    )


async def test_a_changed_reason_or_actor_is_a_hash_mismatch(pool, admin_pool, settings):
    tenant = new_tenant()
    chain = await chain_of(pool, tenant)
    await as_superuser(
        admin_pool,
        ("UPDATE event_log SET actor_role = 'approver' WHERE sequence = $1", [chain[7].sequence]),
    )
    broken = (await verify_chain(settings.dsn(), tenant)).broken
    assert broken is not None and (broken.sequence, broken.reason) == (
        chain[7].sequence,
        HASH_MISMATCH,
    )


async def test_a_deleted_entry_breaks_the_link_of_the_next(pool, admin_pool, settings):
    tenant = new_tenant()
    chain = await chain_of(pool, tenant)
    await as_superuser(
        admin_pool, ("DELETE FROM event_log WHERE sequence = $1", [chain[4].sequence])
    )
    broken = (await verify_chain(settings.dsn(), tenant)).broken
    assert broken is not None
    assert (broken.sequence, broken.stream, broken.reason) == (
        chain[5].sequence,
        chain[5].stream,
        BROKEN_LINK,
    )
    assert chain[3].hash in broken.detail


async def test_a_deleted_first_entry_breaks_the_link_to_genesis(pool, admin_pool, settings):
    tenant = new_tenant()
    chain = await chain_of(pool, tenant)
    await as_superuser(
        admin_pool, ("DELETE FROM event_log WHERE sequence = $1", [chain[0].sequence])
    )
    broken = (await verify_chain(settings.dsn(), tenant)).broken
    assert broken is not None and (broken.sequence, broken.reason) == (
        chain[1].sequence,
        BROKEN_LINK,
    )


async def test_a_deleted_last_entry_is_a_head_mismatch(pool, admin_pool, settings):
    tenant = new_tenant()
    chain = await chain_of(pool, tenant)
    await as_superuser(
        admin_pool, ("DELETE FROM event_log WHERE sequence = $1", [chain[-1].sequence])
    )
    broken = (await verify_chain(settings.dsn(), tenant)).broken
    assert broken is not None and (broken.sequence, broken.reason) == (
        chain[-1].sequence,
        HEAD_MISMATCH,
    )


_SWAP = [
    ("UPDATE event_log SET sequence = -1 WHERE sequence = $1", "a"),
    ("UPDATE event_log SET sequence = $1 WHERE sequence = $2", "b->a"),
    ("UPDATE event_log SET sequence = $1 WHERE sequence = -1", "->b"),
]


async def _swap(admin_pool: asyncpg.Pool, a: int, b: int) -> None:
    await as_superuser(admin_pool, (_SWAP[0][0], [a]), (_SWAP[1][0], [a, b]), (_SWAP[2][0], [b]))


async def test_two_swapped_entries_are_named_at_the_first_position(pool, admin_pool, settings):
    tenant = new_tenant()
    chain = await chain_of(pool, tenant)
    await _swap(admin_pool, chain[3].sequence, chain[8].sequence)
    broken = (await verify_chain(settings.dsn(), tenant)).broken
    # The entry now at position 3 is chain[8]'s content, hashed with chain[8]'s sequence.
    assert broken is not None
    assert (broken.sequence, broken.stream, broken.version, broken.reason) == (
        chain[3].sequence,
        chain[8].stream,
        chain[8].version,
        HASH_MISMATCH,
    )


async def _rehash(admin_pool: asyncpg.Pool, sequence: int) -> None:
    """The superuser recomputes one entry's own hash so it is self-consistent again."""
    row = await admin_pool.fetchrow("SELECT * FROM event_log WHERE sequence = $1", sequence)
    fields = ChainedFields(
        row["sequence"],
        row["tenant"],
        row["stream"],
        row["version"],
        str(row["event_id"]),
        row["event_type"],
        row["occurred_at"],
        row["actor_id"],
        row["actor_role"],
        row["reason"],
        row["payload"],
        row["prev_hash"],
    )
    await as_superuser(
        admin_pool,
        ("UPDATE event_log SET hash = $2 WHERE sequence = $1", [sequence, fields.hash()]),
    )


async def test_swapped_and_rehashed_entries_break_the_link(pool, admin_pool, settings):
    tenant = new_tenant()
    chain = await chain_of(pool, tenant)
    await _swap(admin_pool, chain[3].sequence, chain[8].sequence)
    await _rehash(admin_pool, chain[3].sequence)
    await _rehash(admin_pool, chain[8].sequence)
    broken = (await verify_chain(settings.dsn(), tenant)).broken
    assert broken is not None
    assert (broken.sequence, broken.stream, broken.reason) == (
        chain[3].sequence,
        chain[8].stream,
        BROKEN_LINK,
    )


async def test_an_inserted_entry_breaks_the_link_after_it(pool, admin_pool, settings):
    tenant, stream = new_tenant(), transfer_stream()
    before = await append_events(pool, tenant, [event(stream, i) for i in range(4)])
    gap = await pool.fetchval("SELECT nextval('event_log_sequence')")
    after = await append_events(pool, tenant, [event(stream, i) for i in range(4, 8)])
    # A careful forger links the new entry to its predecessor and gives it a valid hash.
    await as_superuser(
        admin_pool,
        (
            "INSERT INTO event_log SELECT $2, tenant, stream, 100, gen_random_uuid(), event_type,"
            " occurred_at, actor_id, actor_role, 'disisipkan', payload, hash, hash"
            " FROM event_log WHERE sequence = $1",
            [before[-1].sequence, gap],
        ),
    )
    await _rehash(admin_pool, gap)
    broken = (await verify_chain(settings.dsn(), tenant)).broken
    assert broken is not None
    assert (broken.sequence, broken.version, broken.reason) == (
        after[0].sequence,
        after[0].version,
        BROKEN_LINK,
    )


async def test_a_range_is_checked_against_the_entry_before_it(pool, admin_pool, settings):
    tenant = new_tenant()
    chain = await chain_of(pool, tenant)
    await as_superuser(
        admin_pool,
        ("UPDATE event_log SET reason = 'diubah' WHERE sequence = $1", [chain[2].sequence]),
    )
    later = await verify_chain(settings.dsn(), tenant, chain[4].sequence, chain[9].sequence)
    assert later.ok and later.entries == 6
    covering = await verify_chain(settings.dsn(), tenant, chain[1].sequence, chain[9].sequence)
    assert covering.broken is not None and covering.broken.sequence == chain[2].sequence


@pytest.mark.parametrize(
    "reason, payload",
    [
        ('Alasan "khusus"\nbaris kedua\t\x01', {"n": 1}),
        ("Pindah ke Manna", {"catatan": 'kutip " dan \\ garis miring', "nilai": -7}),
        ("Ünïcödé ✓ 😀", {"😀": "emoji key", "\ue000": "private use", "a": [1, {"b": None}]}),
        ("", {}),
    ],
)
async def test_entries_that_need_escaping_verify_and_their_tampering_is_found(
    pool, admin_pool, settings, reason, payload
):
    tenant = new_tenant()
    stream = transfer_stream()
    stored = await append_events(
        pool,
        tenant,
        [event(stream, 0), event(stream, 1, reason=reason, body=payload), event(stream, 2)],
    )
    assert (await verify_chain(settings.dsn(), tenant)).ok
    await as_superuser(
        admin_pool,
        (
            "UPDATE event_log SET payload = $2::jsonb WHERE sequence = $1",
            [stored[1].sequence, json.dumps({**stored[1].payload, "extra": 1})],
        ),
    )
    broken = (await verify_chain(settings.dsn(), tenant)).broken
    assert broken is not None and (broken.sequence, broken.reason) == (
        stored[1].sequence,
        HASH_MISMATCH,
    )


async def test_a_chain_split_across_worker_processes_finds_the_first_break(
    pool, admin_pool, settings
):
    tenant = new_tenant()
    stream = transfer_stream()
    stored = []
    for batch in range(6):
        stored += await append_events(
            pool, tenant, [event(stream, batch * 100 + i) for i in range(100)]
        )
    assert (await verify_chain(settings.dsn(), tenant, workers=2, parallel_from=1)).ok
    await as_superuser(
        admin_pool,
        ("UPDATE event_log SET reason = 'x' WHERE sequence = $1", [stored[450].sequence]),
        ("DELETE FROM event_log WHERE sequence = $1", [stored[520].sequence]),
    )
    report = await verify_chain(settings.dsn(), tenant, workers=2, parallel_from=1)
    assert report.broken is not None
    assert (report.broken.sequence, report.broken.reason) == (stored[450].sequence, HASH_MISMATCH)


async def test_a_range_past_the_head_has_nothing_to_report(pool, settings):
    tenant = new_tenant()
    chain = await chain_of(pool, tenant)
    report = await verify_chain(settings.dsn(), tenant, chain[-1].sequence + 1)
    assert report.ok and report.entries == 0


async def test_a_tenant_without_entries_verifies_empty(settings):
    report = await verify_chain(settings.dsn(), new_tenant())
    assert report.ok and report.entries == 0 and report.head is None


async def test_a_long_chain_read_in_blocks_verifies_and_names_a_change_inside_a_block(
    pool, admin_pool, settings
):
    """Thousands of entries arrive in blocks checked at once; entries that need JSON
    escaping are mixed in, and one changed entry among many is still named exactly."""
    tenant, stream = new_tenant(), transfer_stream()
    stored = []
    for batch in range(6):
        events = []
        for i in range(batch * 500, batch * 500 + 500):
            reason = 'kata "kutip"' if i % 97 == 0 else ("Berkas lengkap" if i % 2 else None)
            payload = {"n": i, "catatan": "a\\b" if i % 89 == 0 else "Dinas Kesehatan"}
            events.append(event(stream, i, reason=reason, body=payload))
        stored += await append_events(pool, tenant, events)
    report = await verify_chain(settings.dsn(), tenant, workers=1)
    assert report.ok, report.broken
    assert report.entries == 3000
    victim = stored[1234]
    await as_superuser(
        admin_pool,
        ("UPDATE event_log SET actor_id = 'hr-2' WHERE sequence = $1", [victim.sequence]),
    )
    broken = (await verify_chain(settings.dsn(), tenant, workers=1)).broken
    assert broken is not None
    assert (broken.sequence, broken.reason) == (victim.sequence, HASH_MISMATCH)
