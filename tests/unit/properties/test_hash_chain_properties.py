"""The hash chain for any content: the canonical bytes are RFC 8785's, and a superuser's change
of any one field of any one entry is named by `verify` at exactly that entry.

The chain properties run against PostgreSQL (the verifier reads it with COPY), each example on
a fresh tenant; the tampered entry is put back afterwards, so no broken chain is left behind.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import replace
from datetime import timedelta
from typing import Any
from uuid import uuid4

import asyncpg
import pytest
import rfc8785
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mutasi.log.canonical import MAX_SAFE_INTEGER, NotCanonicalizable, canonical_json
from mutasi.log.store import Actor, NewEvent, StoredEvent, append
from mutasi.log.verify import verify_chain
from mutasi.settings import Settings
from tests.integration.log_scenario import employee_record

# Text a form or an import may carry: quotes, backslashes, tabs, newlines, accents, emoji.
# Not NUL: PostgreSQL stores no NUL in text or jsonb, so the log cannot hold one.
tricky_text = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"], exclude_characters="\x00"), max_size=12
) | st.sampled_from(['"', "\\", "\t", "\n", "a\\nb", 'Dinas "Kesehatan"', "😀", "é", ""])
safe_ints = st.integers(min_value=-MAX_SAFE_INTEGER, max_value=MAX_SAFE_INTEGER)
json_values = st.recursive(
    st.none() | st.booleans() | safe_ints | tricky_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(tricky_text, inner, max_size=4),
    max_leaves=12,
)
payloads = st.dictionaries(tricky_text, json_values, max_size=5)


@given(payloads)
def test_canonical_json_is_rfc8785_for_any_payload(payload):
    assert canonical_json(payload) == rfc8785.dumps(payload)


@given(st.floats(allow_nan=False) | st.integers(min_value=MAX_SAFE_INTEGER + 1))
def test_values_jcs_cannot_encode_identically_everywhere_are_refused(value):
    with pytest.raises(NotCanonicalizable):
        canonical_json({"amount": value})


# --- tampering, against the database -------------------------------------------------------

# Every column the hash covers, with a change a superuser might make to it. `sequence` and
# `tenant` are the entry's place in a chain: changing them moves the entry (caught at its
# neighbour or the head, see the last test), so they are not "a change at that entry".
TAMPERS: dict[str, Any] = {
    "stream": lambda e, text: e.stream + "-" + text,
    "version": lambda e, text: e.version + 1000,
    "event_id": lambda e, text: uuid4(),
    "event_type": lambda e, text: e.event_type + "." + text,
    "occurred_at": lambda e, text: e.occurred_at + timedelta(microseconds=1 + len(text)),
    "actor_id": lambda e, text: e.actor_id + text + "x",
    "actor_role": lambda e, text: "approver" if e.actor_role != "approver" else "auditor",
    "reason": lambda e, text: text if e.reason != text else None,
    "payload": lambda e, text: e.payload | {"diubah": text + "!"},
    "prev_hash": lambda e, text: hashlib.sha256(text.encode() + b"prev").hexdigest(),
    "hash": lambda e, text: hashlib.sha256(text.encode() + b"hash").hexdigest(),
}


def chains() -> st.SearchStrategy[list[tuple[str, str | None, dict[str, Any]]]]:
    # Any JSON, as an employee record's `data`: the one free-form field the log's payload
    # models have (every other payload must fit its model, mutasi.domain.payloads).
    entry = st.tuples(
        st.sampled_from(["employee.registered", "employee.updated"]),
        st.none() | tricky_text.filter(bool),
        payloads.map(employee_record),
    )
    return st.lists(entry, min_size=1, max_size=6)


async def _append_chain(
    settings_: Settings, tenant: str, entries: list[tuple[str, str | None, dict[str, Any]]]
) -> list[StoredEvent]:
    conn = await asyncpg.connect(settings_.dsn())
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
    streams = [f"transfer/{uuid4()}" for _ in range(2)]
    try:
        async with conn.transaction():
            return await append(
                conn,
                tenant,
                [
                    NewEvent(streams[k % 2], kind, body, Actor("bkpsdm-1", "hr_officer"), reason)
                    for k, (kind, reason, body) in enumerate(entries)
                ],
            )
    finally:
        await conn.close()


async def _set_column(settings_: Settings, sequence: int, column: str, value: Any) -> None:
    """As a superuser with the log's triggers off."""
    conn = await asyncpg.connect(settings_.dsn(admin=True))
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")
    try:
        async with conn.transaction():
            await conn.execute("SET LOCAL session_replication_role = replica")
            await conn.execute(
                f"UPDATE event_log SET {column} = $2 WHERE sequence = $1", sequence, value
            )
    finally:
        await conn.close()


def _tamper_and_verify(
    settings_: Settings, entries: list, index: int, column: str, text: str
) -> tuple[StoredEvent, Any]:
    async def scenario() -> tuple[StoredEvent, Any]:
        tenant = f"prop-{uuid4().hex[:12]}"
        chain = await _append_chain(settings_, tenant, entries)
        victim = chain[index % len(chain)]
        original = getattr(victim, column)
        await _set_column(settings_, victim.sequence, column, TAMPERS[column](victim, text))
        try:
            report = await verify_chain(settings_.dsn(), tenant, workers=1)
        finally:
            await _set_column(settings_, victim.sequence, column, original)
        assert (await verify_chain(settings_.dsn(), tenant, workers=1)).ok  # put back whole
        return victim, report.broken

    return asyncio.run(scenario())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    chains(), st.integers(min_value=0, max_value=5), st.sampled_from(sorted(TAMPERS)), tricky_text
)
def test_any_single_field_change_of_any_entry_is_named_at_that_entry(
    servers, entries, index, column, text
):
    victim, broken = _tamper_and_verify(servers.settings, entries, index, column, text)
    assert broken is not None, f"changing {column} of entry {victim.sequence} went unnoticed"
    assert broken.sequence == victim.sequence, (column, broken)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(chains().filter(lambda c: len(c) > 1), st.integers(min_value=0, max_value=5))
def test_moving_an_entry_to_another_tenant_breaks_the_chain(servers, entries, index):
    async def scenario() -> None:
        tenant = f"prop-{uuid4().hex[:12]}"
        chain = await _append_chain(servers.settings, tenant, entries)
        victim = chain[index % len(chain)]
        await _set_column(servers.settings, victim.sequence, "tenant", tenant + "-x")
        assert not (await verify_chain(servers.settings.dsn(), tenant, workers=1)).ok
        assert replace(victim, tenant=tenant).tenant == tenant

    asyncio.run(scenario())
