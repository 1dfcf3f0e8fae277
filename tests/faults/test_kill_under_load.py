"""SIGKILL of any one process under a load of 200 concurrent transfers (SPEC §9): the worker,
the relay, the notification service, NATS and PostgreSQL die in turn and come back. Then a
burst of proposals during which the proposal service (and its intake starter) dies.

Afterwards, as an operator and an auditor would check: every transfer completed; every log
entry is on the stream exactly once; every notice reached its reader exactly once; every
government's chain still verifies.
"""

from __future__ import annotations

import asyncpg
import pytest

from mutasi.log.verify import verify_chain
from tests.faults.conftest import TRANSFERS, VICTIMS, LoadRun
from tests.faults.intake import PROPOSALS, IntakeRun
from tests.faults.observe import (
    NOTIFICATION_CONSUMER,
    describe_unpublished,
    inbox_event_types,
    stream_message_ids,
)

pytestmark = pytest.mark.faults


def test_each_process_died_while_transfers_were_in_flight(load_run: LoadRun):
    assert [k.name for k in load_run.kills] == list(VICTIMS)
    for kill in load_run.kills:
        assert kill.in_flight > 0, f"{kill.name} was killed after the load had ended"


def test_no_process_died_because_another_one_did(load_run: LoadRun):
    crashes = [f"{c.name} at {c.at_s:.0f} s: ...{c.log_tail}" for c in load_run.crashes]
    assert not crashes, "\n".join(crashes)


async def test_every_transfer_completes(load_run: LoadRun):
    failed = [
        f"{c.nip}: {o}"
        for c, o in zip(load_run.cases, load_run.outcomes, strict=True)
        if isinstance(o, BaseException)
    ]
    assert not failed, failed[:5]
    conn = await asyncpg.connect(load_run.stack.settings.dsn(admin=True))
    try:
        statuses = await conn.fetch(
            "SELECT status, count(*) AS n FROM transfers WHERE id = ANY($1::uuid[])"
            " GROUP BY status",
            load_run.outcomes,
        )
    finally:
        await conn.close()
    assert {r["status"]: r["n"] for r in statuses} == {"completed": TRANSFERS}


async def test_every_logged_event_is_on_the_stream_exactly_once(recovered: LoadRun):
    settings = recovered.stack.settings
    conn = await asyncpg.connect(settings.dsn(admin=True))
    try:
        logged = {str(r["event_id"]) for r in await conn.fetch("SELECT event_id FROM event_log")}
        on_stream = await stream_message_ids(settings)
        missing = logged - set(on_stream)
        assert not missing, await describe_unpublished(conn, missing) + recovered.when()
    finally:
        await conn.close()
    assert not set(on_stream) - logged, "messages on the stream that the log does not hold"
    duplicated = {i: n for i, n in on_stream.items() if n > 1}
    assert not duplicated, f"{len(duplicated)} events published more than once"


async def test_every_notification_exists_exactly_once(recovered: LoadRun):
    settings = recovered.stack.settings
    conn = await asyncpg.connect(settings.dsn(admin=True))
    try:
        unprocessed = await conn.fetchval(
            "SELECT count(*) FROM event_log e WHERE NOT EXISTS (SELECT 1 FROM processed_events"
            " p WHERE p.consumer = $1 AND p.event_id = e.event_id)",
            NOTIFICATION_CONSUMER,
        )
        dead = await conn.fetch("SELECT subject, error FROM dead_letters")
        rows, distinct = await conn.fetchrow(
            "SELECT count(*), count(DISTINCT (event_id, recipient, channel)) FROM notifications"
        )
    finally:
        await conn.close()
    assert unprocessed == 0, f"{unprocessed} events never reached the notification service"
    assert not dead, dead[:3]
    assert rows == distinct
    # The untouched control transfer is the yardstick: its employee was told of each step.
    assert "transfer.decree_issued" in recovered.control_inbox, recovered.control_inbox
    for case, transfer_id in zip(recovered.cases, recovered.outcomes, strict=True):
        if isinstance(transfer_id, BaseException):
            continue  # test_every_transfer_completes tells why
        seen = await inbox_event_types(settings, case.tenant, case.nip, transfer_id)
        assert seen == recovered.control_inbox, (case.nip, seen, recovered.control_inbox)


async def test_every_governments_chain_still_verifies(recovered: LoadRun):
    settings = recovered.stack.settings
    conn = await asyncpg.connect(settings.dsn(admin=True))
    try:
        tenants = [r["tenant"] for r in await conn.fetch("SELECT tenant FROM chain_heads")]
    finally:
        await conn.close()
    for tenant in tenants:
        report = await verify_chain(settings.dsn(), tenant)
        assert report.ok, (tenant, report.broken)


def test_the_starter_died_with_accepted_proposals_waiting(intake_run: IntakeRun):
    assert intake_run.pending_at_kill > 0


async def test_every_accepted_proposal_becomes_exactly_one_transfer(intake_run: IntakeRun):
    refused = [o for o in intake_run.accepted if isinstance(o, BaseException)]
    assert not refused, refused[:3]
    accepted = [str(o) for o in intake_run.accepted]
    assert len(set(accepted)) == PROPOSALS
    conn = await asyncpg.connect(intake_run.stack.settings.dsn(admin=True))
    try:
        # Every transfer proposed for these employees since the burst began: none lost (each
        # 202 has its transfer), none doubled (one per employee, the one the 202 named).
        rows = await conn.fetch(
            "SELECT id::text, employee_nip FROM transfers"
            " WHERE employee_nip = ANY($1::text[]) AND created_at >= $2",
            [c.nip for c in intake_run.cases],
            intake_run.began,
        )
        unstarted = await conn.fetchval(
            "SELECT count(*) FROM transfer_intake WHERE id = ANY($1::uuid[])"
            " AND started_at IS NULL",
            accepted,
        )
    finally:
        await conn.close()
    assert sorted(r["id"] for r in rows) == sorted(accepted)
    assert sorted(r["employee_nip"] for r in rows) == sorted(c.nip for c in intake_run.cases)
    assert unstarted == 0
