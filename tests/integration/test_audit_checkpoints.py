"""Signed checkpoints: what the checkpointer signs, where it lands, and what it proves."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator

import pytest_asyncio
from nats.js import JetStreamContext

from mutasi.audit import checkpoint_check as cc
from mutasi.log.checkpoints import (
    PRIVATE_KEY_FILE,
    Checkpoint,
    Checkpointer,
    checkpoint_stream,
    is_due,
    public_key,
    raw_public_key,
)
from mutasi.log.store import read_stream
from mutasi.log.verify import verify_chain
from mutasi.messaging.jetstream import connect, ensure_stream
from tests.integration.log_scenario import (
    chain_of,
    new_tenant,
    publish_all,
    register_tenant,
    rewrite_history,
)


@pytest_asyncio.fixture
async def js(settings) -> AsyncIterator[JetStreamContext]:
    nc = await connect(settings, name="test-audit-checkpoints")
    stream = nc.jetstream()
    await ensure_stream(stream, settings)
    yield stream
    await nc.close()


async def _government_with_history(pool) -> tuple[str, list]:  # noqa: ANN001
    tenant = await register_tenant(pool, new_tenant("kota-uji"))
    return tenant, await chain_of(pool, tenant)


async def test_a_checkpoint_signs_the_head_and_enters_the_log(pool, settings):
    tenant, chain = await _government_with_history(pool)
    checkpoint = await Checkpointer(pool, settings).checkpoint(tenant)
    assert checkpoint is not None
    assert (checkpoint.sequence, checkpoint.hash, checkpoint.length) == (
        chain[-1].sequence,
        chain[-1].hash,
        len(chain),
    )
    key = public_key(settings)
    assert checkpoint.signature_valid(key)
    assert checkpoint.key_id == hashlib.sha256(raw_public_key(key)).hexdigest()[:16]
    [entry] = await read_stream(pool, tenant, checkpoint_stream(tenant))
    assert entry.event_type == "audit.checkpoint" and entry.payload == checkpoint.as_dict()
    assert entry.prev_hash == checkpoint.hash
    assert await cc.from_db(pool, tenant) == [checkpoint]


async def test_the_signing_key_stays_private_under_keys_dir(settings):
    public_key(settings)
    private = settings.keys_dir / PRIVATE_KEY_FILE
    assert private.stat().st_mode & 0o777 == 0o600
    assert settings.keys_dir.is_relative_to(settings.var_dir)


def test_a_checkpoint_is_due_after_n_entries_or_when_one_waited_t_seconds():
    assert is_due(fresh=100, waited_s=0.0, every_entries=100, every_seconds=60)
    assert not is_due(fresh=99, waited_s=59.9, every_entries=100, every_seconds=60)
    assert is_due(fresh=1, waited_s=60.0, every_entries=100, every_seconds=60)
    assert not is_due(fresh=0, waited_s=3600.0, every_entries=100, every_seconds=60)


async def test_the_checkpointer_signs_every_n_entries_without_signing_itself(pool, settings):
    tenant, chain = await _government_with_history(pool)
    quick = settings.model_copy(
        update={"checkpoint_every_entries": len(chain), "checkpoint_every_seconds": 3600.0}
    )
    stop = asyncio.Event()
    running = asyncio.create_task(Checkpointer(pool, quick).run(stop))
    try:
        for _ in range(100):
            signed = await cc.from_db(pool, tenant)
            if signed:
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.5)  # a tick later: its own entry alone is no reason to sign
    finally:
        stop.set()
        await running
    assert [c.sequence for c in await cc.from_db(pool, tenant)] == [chain[-1].sequence]


async def test_checkpoints_published_to_jetstream_verify_the_log(pool, settings, js):
    tenant, _ = await _government_with_history(pool)
    signed = await Checkpointer(pool, settings).checkpoint(tenant)
    await publish_all(pool, js, tenant)
    from_nats = await cc.from_nats(settings, tenant)
    assert signed in from_nats
    report = await cc.verify_checkpoints(pool, tenant, from_nats, [public_key(settings)], "nats")
    assert report.ok and report.checked == len(from_nats)


async def test_a_rewritten_history_is_caught_by_the_checkpoints_in_jetstream(
    pool, admin_pool, settings, js, tmp_path
):
    tenant, chain = await _government_with_history(pool)
    checkpointer = Checkpointer(pool, settings)
    first = await checkpointer.checkpoint(tenant)
    more = await chain_of(pool, tenant, streams=2, per_stream=2)
    await checkpointer.checkpoint(tenant)
    await publish_all(pool, js, tenant)
    assert first is not None and more

    await rewrite_history(
        admin_pool, tenant, chain[3].sequence, lambda e: {**e.payload, "unit": "Dinas Pendidikan"}
    )

    # Recomputed hashes fool the chain check, and the database's own checkpoints are gone...
    assert (await verify_chain(settings.dsn(), tenant)).ok
    assert await cc.from_db(pool, tenant) == []
    # ...but the checkpoint published before the rewrite no longer matches.
    published = await cc.from_nats(settings, tenant)
    report = await cc.verify_checkpoints(pool, tenant, published, [public_key(settings)], "nats")
    assert report.broken is not None
    assert (report.broken.checkpoint, report.broken.reason) == (first, cc.HASH_DIFFERS)
    assert report.broken.found_hash != first.hash
    # The same holds for a copy the auditor exported earlier.
    kept = tmp_path / "checkpoints.jsonl"
    kept.write_text("".join(json.dumps(c.as_dict()) + "\n" for c in published))
    from_file = cc.from_file(kept, tenant)
    again = await cc.verify_checkpoints(pool, tenant, from_file, [public_key(settings)], "file")
    assert again.broken == report.broken


async def test_a_forged_or_foreign_checkpoint_is_refused(pool, settings):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from mutasi.log.checkpoints import sign

    tenant, chain = await _government_with_history(pool)
    genuine = await Checkpointer(pool, settings).checkpoint(tenant)
    assert genuine is not None
    forged = Checkpoint(**{**genuine.as_dict(), "hash": chain[0].hash})
    stranger = sign(
        Ed25519PrivateKey.generate(),
        tenant,
        genuine.sequence,
        genuine.length,
        genuine.hash,
        chain[-1].occurred_at,
    )
    key = [public_key(settings)]
    assert (
        await cc.verify_checkpoints(pool, tenant, [forged], key, "file")
    ).broken.reason == cc.SIGNATURE_INVALID
    assert (
        await cc.verify_checkpoints(pool, tenant, [stranger], key, "file")
    ).broken.reason == cc.UNKNOWN_KEY


async def test_the_relay_process_signs_and_publishes_checkpoints_on_its_own(pool, settings):
    assert await cc.from_nats(settings, new_tenant()) == []  # nothing published: nothing found
    from mutasi.log.relay_main import run_relay

    tenant, chain = await _government_with_history(pool)
    quick = settings.model_copy(update={"checkpoint_every_seconds": 0.5})
    stop = asyncio.Event()
    relay = asyncio.create_task(run_relay(quick, stop))
    try:
        published: list[Checkpoint] = []
        for _ in range(100):
            published = await cc.from_nats(settings, tenant)
            if published:
                break
            await asyncio.sleep(0.2)
    finally:
        stop.set()
        await relay
    assert published and published[0].sequence >= chain[-1].sequence
    assert published[0].signature_valid(public_key(settings))


async def test_an_auditor_reads_checkpoints_as_the_checkpoint_only_witness(pool, settings, js):
    from mutasi.embedded.nats import nats_credentials
    from mutasi.messaging.nats_access import LOCAL_AUDITOR

    tenant, _ = await _government_with_history(pool)
    signed = await Checkpointer(pool, settings).checkpoint(tenant)
    await publish_all(pool, js, tenant)
    password = nats_credentials(settings.keys_dir, [LOCAL_AUDITOR])[LOCAL_AUDITOR]
    reader = settings.model_copy(update={"nats_user": LOCAL_AUDITOR, "nats_password": password})
    assert signed in await cc.from_nats(reader, tenant)


async def test_only_checkpoints_from_a_known_one_on_are_read_from_jetstream(pool, settings, js):
    tenant = new_tenant()
    checkpointer = Checkpointer(pool, settings)
    signed = []
    for _ in range(3):
        await chain_of(pool, tenant, streams=1, per_stream=2)
        signed.append(await checkpointer.checkpoint(tenant))
    await publish_all(pool, js, tenant)
    assert await cc.from_nats(settings, tenant) == signed
    assert await cc.from_nats(settings, tenant, since=signed[1]) == signed[1:]
    assert await cc.from_nats(settings, tenant, since=signed[2]) == signed[2:]
