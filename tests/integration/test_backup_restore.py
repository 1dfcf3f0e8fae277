"""The restore drill (SPEC §12): back up a running system, lose its PostgreSQL and Temporal
data, restore into empty servers — every chain verifies against the checkpoints kept outside,
the read models rebuild to what they were, and a transfer left open carries on to the end."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import asyncpg
import pytest

from bench.cases import Case, movable_cases
from bench.driver import Api, StatusBoard
from bench.lifecycles import Lifecycles
from mutasi.db import create_pool, migrate
from mutasi.embedded.postgres import postgres_process
from mutasi.embedded.stack import Stack
from mutasi.embedded.temporal import temporal_process
from mutasi.seed.load import seed_all
from tests.conftest import COMPONENTS, make_settings
from tests.integration.import_support import run_cli

TENANT = "kota-sorong"


@dataclass
class Before:
    transfers: list[tuple[str, str]]  # (id, status) as the read model showed them
    open_transfer: str
    case: Case
    checkpoints: Path  # kept outside the database, as an auditor keeps them


@pytest.fixture(scope="module")
def drill(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    stack = Stack(make_settings(tmp_path_factory.mktemp("drill")), temporal_ui=False)
    stack.start_servers()
    try:
        asyncio.run(migrate(stack.settings))
        asyncio.run(seed_all(stack.settings, employees_per_tenant=120))
        for name in COMPONENTS:
            stack.start_component(name)
        yield stack
    finally:
        stack.stop()


async def _transfers(settings) -> list[tuple[str, str]]:  # noqa: ANN001
    conn = await asyncpg.connect(settings.dsn(admin=True))
    try:
        rows = await conn.fetch("SELECT id, status FROM transfers ORDER BY id")
    finally:
        await conn.close()
    return [(str(r["id"]), r["status"]) for r in rows]


async def _before(stack: Stack, keep: Path) -> Before:
    settings = stack.settings
    pool = await create_pool(settings, max_size=2)
    done_case, open_case = await movable_cases(pool, 2)
    await pool.close()
    api = Api(settings, patience_s=120)
    try:
        async with StatusBoard(settings) as board:
            lifecycles = Lifecycles(api, board, meeting_size=1)
            await lifecycles.complete(done_case)
            open_id = await lifecycles.propose(open_case)
            await board.wait(open_id, "checked")
            await lifecycles.attach(open_case, open_id)  # BKPSDM verifies the files
            await lifecycles.step(open_case.tenant, open_id, "verify", "hr_officer", {"note": "ok"})
            await board.wait(open_id, "verified")
    finally:
        await api.close()
    await asyncio.sleep(2 * settings.checkpoint_every_seconds + 1)  # the head gets signed
    kept = run_cli(settings, "audit", "checkpoints", "--tenant", open_case.tenant)
    assert kept.returncode == 0, kept.stderr
    keep.write_text(kept.stdout)
    return Before(await _transfers(settings), open_id, open_case, keep)


def _lose_everything(stack: Stack) -> None:
    """The disaster: every component stops, and PostgreSQL's and Temporal's data are gone."""
    for process in stack.components.values():
        process.stop()
    for name in ("temporal", "postgres"):
        stack.servers[name].stop()
    var = stack.settings.var_dir
    shutil.rmtree(var / "postgres")
    shutil.rmtree(var / "temporal")


def _empty_postgres(stack: Stack) -> None:
    var, s = stack.settings.var_dir, stack.settings
    stack.servers["postgres"] = postgres_process(
        var / "postgres", s.db_port, stack.logs / "postgres-restored.log"
    ).start()


def _temporal_again(stack: Stack) -> None:
    s = stack.settings
    stack.servers["temporal"] = temporal_process(
        s.var_dir / "temporal" / "temporal.db", int(s.temporal_address.rsplit(":", 1)[1]), None,
        stack.logs / "temporal-restored.log",
    ).start()  # fmt: skip


async def _finish(stack: Stack, before: Before) -> str:
    api = Api(stack.settings, patience_s=120)
    try:
        async with StatusBoard(stack.settings) as board:
            lifecycles = Lifecycles(api, board, meeting_size=1)
            tenant, transfer_id = before.case.tenant, before.open_transfer
            await lifecycles.meetings.recommend(tenant, transfer_id)
            await lifecycles.step(
                tenant, transfer_id, "decision", "approver", {"outcome": "approved"}
            )
            return await board.wait(transfer_id, "completed")
    finally:
        await api.close()


def test_a_backup_restored_into_empty_servers_verifies_rebuilds_and_carries_on(drill, tmp_path):
    settings = drill.settings
    before = asyncio.run(_before(drill, tmp_path / "kept-checkpoints.jsonl"))

    made = run_cli(settings, "backup", "--to", tmp_path / "backups")
    assert made.returncode == 0, made.stderr
    [backup] = list((tmp_path / "backups").iterdir())
    assert {p.name for p in backup.iterdir()} == {"manifest.json", "mutasi.dump", "temporal.db"}

    _lose_everything(drill)
    _empty_postgres(drill)
    restored = run_cli(settings, "restore", "--from", backup)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "rusak / broken: -" in restored.stdout

    verified = run_cli(
        settings, "audit", "verify", "--tenant", before.case.tenant, "--checkpoints",
        before.checkpoints,
    )  # fmt: skip
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert asyncio.run(_transfers(settings)) == before.transfers  # rebuilt from the log alone

    _temporal_again(drill)
    for name in COMPONENTS:
        drill.start_component(name)
    assert asyncio.run(_finish(drill, before)) == "completed"
