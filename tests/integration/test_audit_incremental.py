"""An auditor who verifies often reads only what is new since the checkpoint they verified.

The first verification reads the whole chain and remembers the newest signed checkpoint it
checked; the next reads only the entries after it (and checks that checkpoint again), unless
a full verification is asked for.
"""

from __future__ import annotations

import json

from mutasi.audit.trust import FileTrust
from mutasi.audit.verification import FULL, INCREMENTAL, verify_tenant
from mutasi.log.chain_scan import BROKEN_LINK, HASH_MISMATCH, HEAD_MISMATCH
from mutasi.log.checkpoints import Checkpointer, public_key
from tests.integration.log_scenario import (
    append_events,
    as_superuser,
    chain_of,
    event,
    new_tenant,
    rewrite_history,
    transfer_stream,
)


async def _verify(settings, pool, tenant, trust, *, full=False):  # noqa: ANN001, ANN202
    keys = [public_key(settings)]
    return await verify_tenant(
        settings, pool, tenant, None, None, "db", keys, trust=trust, full=full
    )


async def _change_reason(admin_pool, sequence: int) -> None:  # noqa: ANN001
    """A superuser edits one entry in place and leaves its stored hash as it was."""
    await as_superuser(
        admin_pool, ("UPDATE event_log SET reason = 'diubah' WHERE sequence = $1", [sequence])
    )


async def _verified_once(pool, settings, tmp_path):  # noqa: ANN001, ANN202
    """A government whose chain was verified up to a signed checkpoint, then grew."""
    # Not registered: the relay's checkpointer signs registered governments only, so every
    # checkpoint here is the test's own.
    tenant = new_tenant()
    chain = await chain_of(pool, tenant)
    checkpoint = await Checkpointer(pool, settings).checkpoint(tenant)
    trust = FileTrust(tmp_path / "trust")
    first = await _verify(settings, pool, tenant, trust)
    assert first.ok and first.mode == FULL and first.now_trusted == checkpoint
    later = await append_events(pool, tenant, [event(transfer_stream(), i) for i in range(5)])
    return tenant, trust, checkpoint, chain, later


async def test_the_next_verification_reads_only_the_entries_after_the_checkpoint(
    pool, settings, tmp_path
):
    tenant, trust, checkpoint, _, later = await _verified_once(pool, settings, tmp_path)
    again = await _verify(settings, pool, tenant, trust)
    assert again.ok, (again.chain.broken, again.checkpoints.broken)
    assert again.mode == INCREMENTAL and again.trusted == checkpoint
    after = await pool.fetchval(
        "SELECT count(*) FROM event_log WHERE tenant = $1 AND sequence > $2",
        tenant,
        checkpoint.sequence,
    )
    # The checkpoint's own log entry and the five appended since.
    assert again.chain.entries == after == len(later) + 1
    assert again.chain.first == checkpoint.sequence + 1
    assert again.chain.last == later[-1].sequence


async def test_a_newer_checkpoint_becomes_the_starting_point(pool, settings, tmp_path):
    tenant, trust, _, _, later = await _verified_once(pool, settings, tmp_path)
    newer = await Checkpointer(pool, settings).checkpoint(tenant)
    assert newer is not None and newer.sequence == later[-1].sequence
    assert (await _verify(settings, pool, tenant, trust)).now_trusted == newer
    assert await trust.trusted(tenant) == newer
    third = await _verify(settings, pool, tenant, trust)
    assert third.ok and third.trusted == newer and third.chain.entries == 1  # its own entry


async def test_a_change_after_the_checkpoint_is_named_at_that_entry(
    pool, admin_pool, settings, tmp_path
):
    tenant, trust, _, _, later = await _verified_once(pool, settings, tmp_path)
    await _change_reason(admin_pool, later[2].sequence)
    broken = (await _verify(settings, pool, tenant, trust)).chain.broken
    assert broken is not None
    assert (broken.sequence, broken.reason) == (later[2].sequence, HASH_MISMATCH)


async def test_a_deleted_entry_right_after_the_checkpoint_breaks_the_link_to_it(
    pool, admin_pool, settings, tmp_path
):
    tenant, trust, checkpoint, _, later = await _verified_once(pool, settings, tmp_path)
    await as_superuser(
        admin_pool,
        ("DELETE FROM event_log WHERE tenant = $1 AND sequence = $2", [tenant, later[0].sequence]),
    )
    broken = (await _verify(settings, pool, tenant, trust)).chain.broken
    assert broken is not None
    assert (broken.sequence, broken.reason) == (later[1].sequence, BROKEN_LINK)


async def test_deleted_last_entries_are_a_head_mismatch(pool, admin_pool, settings, tmp_path):
    tenant, trust, _, _, later = await _verified_once(pool, settings, tmp_path)
    await as_superuser(
        admin_pool,
        ("DELETE FROM event_log WHERE sequence = ANY($1::bigint[])", [[e.sequence for e in later]]),
    )
    broken = (await _verify(settings, pool, tenant, trust)).chain.broken
    assert broken is not None and broken.reason == HEAD_MISMATCH


async def test_a_rewritten_history_before_the_checkpoint_is_caught_without_reading_it(
    pool, admin_pool, settings, tmp_path
):
    tenant, trust, checkpoint, chain, _ = await _verified_once(pool, settings, tmp_path)
    await rewrite_history(
        admin_pool, tenant, chain[2].sequence, lambda e: {**e.payload, "catatan": "ditulis ulang"}
    )
    result = await _verify(settings, pool, tenant, trust)
    assert not result.ok and result.mode == INCREMENTAL
    # Every hash after the change was recomputed: the trusted checkpoint no longer matches
    # its entry, and the first new entry no longer links to the hash it signed.
    assert result.checkpoints.broken is not None
    assert result.checkpoints.broken.checkpoint.sequence == checkpoint.sequence
    assert result.checkpoints.broken.reason == "hash differs"
    assert result.chain.broken is not None and result.chain.broken.reason == BROKEN_LINK


async def test_a_full_verification_rereads_what_incremental_ones_trust(
    pool, admin_pool, settings, tmp_path
):
    tenant, trust, _, chain, _ = await _verified_once(pool, settings, tmp_path)
    # An old entry changed in place, its stored hash left alone: the chain after it still
    # links, so only re-reading that entry shows it.
    await _change_reason(admin_pool, chain[3].sequence)
    assert (await _verify(settings, pool, tenant, trust)).ok
    full = await _verify(settings, pool, tenant, trust, full=True)
    assert full.mode == FULL and full.chain.broken is not None
    assert (full.chain.broken.sequence, full.chain.broken.reason) == (
        chain[3].sequence,
        HASH_MISMATCH,
    )


async def test_a_remembered_checkpoint_whose_signature_fails_is_not_used(pool, settings, tmp_path):
    tenant, trust, checkpoint, chain, _ = await _verified_once(pool, settings, tmp_path)
    record = trust.directory / f"{tenant}.json"
    forged = json.loads(record.read_text()) | {"sequence": chain[-1].sequence + 3}
    record.write_text(json.dumps(forged))
    result = await _verify(settings, pool, tenant, trust)
    assert result.ok and result.mode == FULL and result.trusted is None
    assert result.chain.first == chain[0].sequence
    # The full verification that ran instead remembers a genuine checkpoint again.
    assert await trust.trusted(tenant) == checkpoint


async def test_a_verification_that_fails_remembers_nothing(pool, admin_pool, settings, tmp_path):
    tenant = new_tenant()
    chain = await chain_of(pool, tenant)
    await Checkpointer(pool, settings).checkpoint(tenant)
    await _change_reason(admin_pool, chain[1].sequence)
    trust = FileTrust(tmp_path / "trust")
    assert not (await _verify(settings, pool, tenant, trust)).ok
    assert await trust.trusted(tenant) is None
