"""`mutasi projections rebuild` replays the log into read models identical to the live ones."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import date
from typing import Any
from uuid import uuid4

import asyncpg

from mutasi.db import create_pool
from mutasi.embedded.stack import settings_env
from mutasi.log.projections import READ_MODEL_TABLES, ReadModels
from mutasi.log.store import Actor, NewEvent, append
from mutasi.seed.load import seed_all
from mutasi.settings import Settings
from tests.event_examples import example
from tests.integration.log_scenario import new_tenant

BKPSDM = Actor("hr-1", "hr_officer")
ORDER = {
    "employees": "tenant, nip",
    "position_holdings": "tenant, nip, start_date, position_code",
    "transfers": "id",
    "assessments": "id",
    "planning_settings": "tenant",
    "plans": "id",
    "plan_lines": "plan_id, line",
}


async def _record(pool, tenant: str, events: list[NewEvent]) -> None:  # noqa: ANN001
    async with pool.acquire() as conn, conn.transaction():
        await append(conn, tenant, events, projector=ReadModels())


def _employee(nip: str, name: str, position: str, unit: str) -> NewEvent:
    return NewEvent(
        f"employee/{nip}",
        "employee.registered",
        {
            "nip": nip,
            "name": name,
            "data": {"grade": "III/b"},
            "position_code": position,
            "unit_code": unit,
            "position_since": "2019-01-02",
        },
        BKPSDM,
    )


def _transfer(stream: str, event_type: str, payload: dict[str, Any]) -> NewEvent:
    return NewEvent(stream, event_type, payload, BKPSDM, reason="Rotasi berkala")


async def _history_of_moves(pool, tenant: str) -> None:  # noqa: ANN001
    """Employees registered, one transfer taking effect, one rejected, one still open."""
    staff = [
        ("198501012010011001", "Ani", "P-1", "DINKES"),
        ("198602022011012002", "Budi", "P-2", "DINKES"),
        ("198703032012011003", "Citra", "P-3", "BAPPEDA"),
    ]
    await _record(pool, tenant, [_employee(*person) for person in staff])
    for assessed_on, level in (("2026-06-14", 3), ("2026-02-01", 2)):  # the later one counts
        payload = example(
            "employee.assessed",
            nip=staff[0][0],
            assessment_id=str(uuid4()),
            assessed_on=assessed_on,
            levels={"Integritas": level},
        )
        await _record(pool, tenant, [NewEvent(f"employee/{staff[0][0]}", "employee.assessed",
                                              payload, BKPSDM)])  # fmt: skip
    for nip, name, outcome in [
        (staff[0][0], "Ani", "transfer.effective"),
        (staff[1][0], "Budi", "transfer.rejected"),
        (staff[2][0], "Citra", None),
    ]:
        stream = f"transfer/{uuid4()}"
        submitted = example(
            "transfer.submitted",
            employee_nip=nip,
            employee_name=name,
            target_tenant=tenant,
            target_position_code="P-9",
            target_unit_code="DISDIK",
            origin_position_code="P-1",
            origin_unit_code="DINKES",
        )
        steps = [("transfer.submitted", submitted), ("transfer.verified", {"step": "verify"})]
        if outcome == "transfer.effective":
            moved = {k: submitted[k] for k in example("transfer.effective")}
            steps += [
                ("transfer.approved", {"step": "decide"}),
                (
                    "transfer.decree_issued",
                    example(
                        "transfer.decree_issued",
                        decree_number="800/0001/BKPSDM/2026",
                        effective_date=str(date(2026, 8, 1)),
                    ),
                ),
                ("transfer.effective", moved | {"effective_date": "2026-08-01"}),
            ]
        elif outcome:
            steps.append((outcome, example(outcome)))
        for event_type, payload in steps:
            await _record(pool, tenant, [_transfer(stream, event_type, payload)])


async def _dump(pool) -> dict[str, list[dict[str, Any]]]:  # noqa: ANN001
    return {
        table: [dict(r) for r in await pool.fetch(f"SELECT * FROM {table} ORDER BY {ORDER[table]}")]
        for table in READ_MODEL_TABLES
    }


async def _rebuild_with_the_cli(settings) -> subprocess.CompletedProcess[str]:  # noqa: ANN001
    command = [sys.executable, "-m", "mutasi.cli", "projections", "rebuild"]
    env = {**os.environ, **settings_env(settings)}
    return await asyncio.to_thread(
        subprocess.run, command, env=env, capture_output=True, text=True, timeout=300
    )


async def test_a_rebuild_reproduces_every_read_model_exactly(own_database):
    settings = own_database
    await seed_all(settings, employees_per_tenant=100)
    tenant = new_tenant("rebuild")
    pool = await create_pool(settings)
    try:
        await _history_of_moves(pool, tenant)
        before = await _dump(pool)
        after = await _rebuilt(settings, pool)
    finally:
        await pool.close()
    mine = [e for e in before["position_holdings"] if e["tenant"] == tenant]
    assert {(e["nip"], e["position_code"], e["end_date"]) for e in mine} >= {
        ("198501012010011001", "P-1", date(2026, 8, 1)),
        ("198501012010011001", "P-9", None),
    }
    moved = next(e for e in before["employees"] if e["nip"] == "198501012010011001")
    # What the rules read of her (R1: not her post already; R2/R3: time in post) moved too.
    assert (
        moved["data"]["position_code"],
        moved["data"]["unit_code"],
        moved["data"]["position_since"],
    ) == ("P-9", "DISDIK", "2026-08-01")
    assert len(before["employees"]) > 100
    assert moved["data"]["competencies"] == {"Integritas": 3}
    for table in READ_MODEL_TABLES:
        assert after[table] == before[table], f"{table} differs after the rebuild"
    statuses = {
        r["employee_name"]: r["status"] for r in after["transfers"] if r["tenant"] == tenant
    }
    assert statuses == {"Ani": "effective", "Budi": "rejected", "Citra": "verified"}


async def _rebuilt(settings: Settings, pool: asyncpg.Pool) -> dict[str, list[dict[str, Any]]]:
    result = await _rebuild_with_the_cli(settings)
    assert result.returncode == 0, result.stderr
    assert "rebuilt from" in result.stdout
    return await _dump(pool)
