"""Finding 7: `mutasi audit watch`, the auditor's witness, names every way history is undone.

Each test gives a fresh government a signed history on NATS, lets the witness take one quiet
round (it keeps what it saw in its own directory), undoes history one way, and expects the
next round to name exactly that: an edited entry, a deleted one, a full rewrite with every
hash recomputed, a purge of the checkpoint subject, a fork, a foreign signature, silence.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest_asyncio
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from nats.js import JetStreamContext

from mutasi import clock
from mutasi.audit import witness as w
from mutasi.audit.witness import WitnessStore, watch_round
from mutasi.domain.events import AuditEvent
from mutasi.log.checkpoints import Checkpointer, public_key, public_key_path, sign, signing_key
from mutasi.log.store import subject_for
from mutasi.messaging.jetstream import connect, ensure_stream
from tests.e2e.notification_support import WebhookReceiver, eventually
from tests.integration.import_support import run_cli
from tests.integration.log_scenario import (
    append_events,
    as_superuser,
    chain_of,
    event,
    new_tenant,
    publish_all,
    rewrite_history,
    transfer_stream,
)

QUIET = timedelta(minutes=15)


@pytest_asyncio.fixture
async def js(settings) -> AsyncIterator[JetStreamContext]:
    nc = await connect(settings, name="test-witness")
    stream = nc.jetstream()
    await ensure_stream(stream, settings)
    yield stream
    await nc.close()


async def _watched(pool, settings, js, tmp_path: Path):  # noqa: ANN001, ANN202
    """A government with two signed checkpoints on NATS, and a witness that saw them."""
    tenant = new_tenant("saksi")
    checkpointer = Checkpointer(pool, settings)
    chain = await chain_of(pool, tenant)
    await checkpointer.checkpoint(tenant)
    chain += await chain_of(pool, tenant, streams=2, per_stream=2)
    await checkpointer.checkpoint(tenant)
    await publish_all(pool, js, tenant)
    store = WitnessStore(tmp_path / "saksi", tenant)
    assert await _round(settings, pool, store) == []
    assert len(store.kept) == 2
    return tenant, chain, store


async def _round(settings, pool, store, **extra) -> list[str]:  # noqa: ANN001
    alerts = await watch_round(
        settings, pool, store, public_key(settings), stale_after=QUIET, **extra
    )
    return [a.name for a in alerts]


async def test_an_entry_edited_in_place_is_named(pool, admin_pool, settings, js, tmp_path):
    _, chain, store = await _watched(pool, settings, js, tmp_path)
    await as_superuser(
        admin_pool,
        ("UPDATE event_log SET reason = 'diubah' WHERE sequence = $1", [chain[4].sequence]),
    )
    assert w.EDITED in await _round(settings, pool, store)


async def test_a_deleted_entry_is_named(pool, admin_pool, settings, js, tmp_path):
    _, chain, store = await _watched(pool, settings, js, tmp_path)
    gone = chain[4].sequence
    await as_superuser(
        admin_pool,
        ("DELETE FROM outbox WHERE sequence = $1", [gone]),
        ("DELETE FROM event_log WHERE sequence = $1", [gone]),
    )
    assert w.DELETED in await _round(settings, pool, store)


async def test_a_full_rewrite_with_recomputed_hashes_is_named(
    pool, admin_pool, settings, js, tmp_path
):
    tenant, chain, store = await _watched(pool, settings, js, tmp_path)
    await rewrite_history(admin_pool, tenant, chain[2].sequence, lambda e: {**e.payload, "n": 999})
    names = await _round(settings, pool, store)
    assert w.REWRITE in names and w.EDITED not in names  # the chain itself is consistent


async def test_a_purge_of_the_checkpoint_subject_is_named(pool, settings, js, tmp_path):
    tenant, _, store = await _watched(pool, settings, js, tmp_path)
    await js.purge_stream(settings.stream_name, subject=subject_for(tenant, AuditEvent.CHECKPOINT))
    assert w.PURGE in await _round(settings, pool, store)


async def test_two_signed_heads_for_one_position_are_a_fork(pool, settings, js, tmp_path):
    tenant, _, store = await _watched(pool, settings, js, tmp_path)
    newest = store.newest
    other = sign(
        signing_key(settings),
        tenant,
        newest.sequence,
        newest.length,
        "f" * 64,
        clock.now(),
    )
    await js.publish(
        subject_for(tenant, AuditEvent.CHECKPOINT), json.dumps(other.as_dict()).encode()
    )
    assert w.FORK in await _round(settings, pool, store)


async def test_a_checkpoint_signed_by_another_key_is_named(pool, settings, js, tmp_path):
    tenant, _, store = await _watched(pool, settings, js, tmp_path)
    newest = store.newest
    forged = sign(
        Ed25519PrivateKey.generate(),
        tenant,
        newest.sequence + 50,
        newest.length + 50,
        "e" * 64,
        clock.now(),
    )
    await js.publish(
        subject_for(tenant, AuditEvent.CHECKPOINT), json.dumps(forged.as_dict()).encode()
    )
    assert w.BAD_SIGNATURE in await _round(settings, pool, store)


async def test_a_log_that_grows_without_checkpoints_is_stale(pool, settings, js, tmp_path):
    tenant, _, store = await _watched(pool, settings, js, tmp_path)
    await append_events(pool, tenant, [event(transfer_stream(), 0)])
    signed = datetime.fromisoformat(store.newest.signed_at.replace("Z", "+00:00"))
    assert await _round(settings, pool, store, now=signed + timedelta(minutes=5)) == []
    assert w.STALE in await _round(settings, pool, store, now=signed + timedelta(hours=1))


async def test_the_witness_keeps_what_it_saw_across_restarts(pool, settings, js, tmp_path):
    tenant, _, store = await _watched(pool, settings, js, tmp_path)
    again = WitnessStore(store.directory, tenant).load()
    assert [replace(c) for c in again.kept] == store.kept


async def test_mutasi_audit_watch_exits_3_and_posts_the_alert(
    pool, settings, js, tmp_path, receiver: WebhookReceiver
):
    tenant, _, store = await _watched(pool, settings, js, tmp_path)
    receiver.up()
    args = ("audit", "watch", "--tenant", tenant, "--state", store.directory)
    args += ("--public-key", public_key_path(settings), "--webhook", receiver.url, "--once")
    quiet = await asyncio.to_thread(run_cli, settings, *args)
    assert quiet.returncode == 0, quiet.stderr
    await js.purge_stream(settings.stream_name, subject=subject_for(tenant, AuditEvent.CHECKPOINT))
    alarmed = await asyncio.to_thread(run_cli, settings, *args)
    assert alarmed.returncode == 3 and "purge" in alarmed.stderr, alarmed.stderr
    posted = await eventually(lambda: receiver.received)
    assert posted[0].event["alert"] == "purge" and posted[0].event["tenant"] == tenant
