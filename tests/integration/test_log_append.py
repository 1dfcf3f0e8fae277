"""The log as event store: hash chain, optimistic concurrency, idempotent appends."""

from __future__ import annotations

import asyncio
from uuid import uuid4

import asyncpg
import pytest

from mutasi.domain.payloads import InvalidPayload
from mutasi.log.canonical import GENESIS_HASH, NotCanonicalizable
from mutasi.log.store import Actor, ConcurrencyConflict, NewEvent, append, read_stream
from tests.integration.log_scenario import checked_payload, employee_record

ACTOR = Actor("tester", "hr_officer")


def _tenant() -> str:
    return f"t-{uuid4().hex[:8]}"


def _event(stream: str, n: int = 0, expected: int | None = None) -> NewEvent:
    return NewEvent(
        stream, "transfer.checked", checked_payload(n), ACTOR, expected_version=expected
    )


async def _append(pool: asyncpg.Pool, tenant: str, events: list[NewEvent]):  # noqa: ANN202
    async with pool.acquire() as conn, conn.transaction():
        return await append(conn, tenant, events)


async def test_entries_chain_within_a_tenant(pool):
    tenant, stream = _tenant(), f"transfer/{uuid4()}"
    first = await _append(pool, tenant, [_event(stream, 1)])
    more = await _append(pool, tenant, [_event(stream, 2), _event(stream, 3)])
    chain = first + more
    assert chain[0].prev_hash == GENESIS_HASH
    assert [e.prev_hash for e in chain[1:]] == [e.hash for e in chain[:-1]]
    assert [e.version for e in chain] == [1, 2, 3]
    assert all(e.hash == e.chained_fields().hash() for e in chain)
    stored = await read_stream(pool, tenant, stream)
    assert [e.hash for e in stored] == [e.hash for e in chain]


async def test_two_concurrent_appends_at_the_same_version_one_wins(pool):
    tenant, stream = _tenant(), f"transfer/{uuid4()}"
    await _append(pool, tenant, [_event(stream)])
    results = await asyncio.gather(
        *[_append(pool, tenant, [_event(stream, i, expected=1)]) for i in range(2)],
        return_exceptions=True,
    )
    assert sum(isinstance(r, list) for r in results) == 1
    assert sum(isinstance(r, ConcurrencyConflict) for r in results) == 1
    assert len(await read_stream(pool, tenant, stream)) == 2


async def test_the_same_event_id_is_recorded_once(pool):
    tenant, stream = _tenant(), f"transfer/{uuid4()}"
    event = _event(stream)
    [a] = await _append(pool, tenant, [event])
    [b] = await _append(pool, tenant, [event])
    assert a == b
    assert len(await read_stream(pool, tenant, stream)) == 1


async def test_floats_are_refused_before_anything_is_written(pool):
    tenant, stream = _tenant(), f"employee/{uuid4()}"
    floating = employee_record({"score": 0.5})  # the model takes any JSON there; JCS does not
    with pytest.raises(NotCanonicalizable):
        await _append(pool, tenant, [NewEvent(stream, "employee.updated", floating, ACTOR)])
    assert await read_stream(pool, tenant, stream) == []


@pytest.mark.parametrize(
    ("event_type", "payload", "why"),
    [
        ("transfer.checked", {"score": 50}, "Field required"),  # not the shape of the type
        ("transfer.withdrawn", {"from_status": "verified", "note": "x"}, "Extra inputs"),
        ("transfer.teleported", {}, "unknown event type"),
    ],
)
async def test_a_payload_its_type_does_not_allow_is_refused_and_nothing_written(
    pool, event_type, payload, why
):
    tenant, stream = _tenant(), f"transfer/{uuid4()}"
    good = _event(stream)
    with pytest.raises(InvalidPayload, match=why):
        await _append(pool, tenant, [good, NewEvent(stream, event_type, payload, ACTOR)])
    assert await read_stream(pool, tenant, stream) == []


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE event_log SET reason = 'diubah' WHERE tenant = $1",
        "DELETE FROM event_log WHERE tenant = $1",
    ],
)
async def test_the_application_role_cannot_change_the_log(pool, statement):
    tenant = _tenant()
    await _append(pool, tenant, [_event(f"transfer/{uuid4()}")])
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await pool.execute(statement, tenant)


async def test_the_application_role_cannot_truncate_the_log(pool):
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await pool.execute("TRUNCATE event_log CASCADE")


async def test_even_the_owner_cannot_update_without_disabling_the_trigger(admin_pool, pool):
    tenant = _tenant()
    await _append(pool, tenant, [_event(f"transfer/{uuid4()}")])
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
        await admin_pool.execute("UPDATE event_log SET reason = 'x' WHERE tenant = $1", tenant)
