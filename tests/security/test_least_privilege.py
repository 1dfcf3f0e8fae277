"""Finding 5: each process holds only its own secrets.

The deployment used to load one env file with the database owner's password into every
component and share one keys directory (checkpoint signing key, JWT dev key) under one
system user. Now: one systemd unit, one system user and one env file per component; only the
migration unit reads the owner's password; only the relay is handed the checkpoint private
key; the env files are exactly what production mode asks of each component. Production
refuses a long-running process that holds the owner's password or can read the key, and an
auditor's login reads the log but cannot write it.
"""

from __future__ import annotations

import re
from pathlib import Path
from uuid import uuid4

import asyncpg
import pytest

from mutasi.auth.production import RUNTIME, production_refusals
from mutasi.log.checkpoints import PRIVATE_KEY_FILE, generate_key_pair
from mutasi.settings import Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
UNITS = {p.stem: p.read_text() for p in (DEPLOY / "systemd").glob("*.service")}
SECRET = re.compile(r"PASSWORD|SECRET|API_KEY|PRIVATE_KEY")


def _env(name: str) -> dict[str, str]:
    text = (DEPLOY / "env" / f"{name}.env.example").read_text()
    return dict(
        line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#")
    )


def _directives(unit: str, key: str) -> list[str]:
    return re.findall(rf"^{key}=(.*)$", UNITS[unit], re.MULTILINE)


@pytest.mark.parametrize("component", sorted(RUNTIME))
def test_each_component_has_its_own_unit_user_and_env_file(component):
    unit = f"mutasi-{component}"
    assert _directives(unit, "User") == [unit]
    assert _directives(unit, "EnvironmentFile") == [
        "/etc/mutasi/common.env",
        f"/etc/mutasi/{component}.env",
    ]
    assert _directives(unit, "NoNewPrivileges") == ["true"]
    assert _directives(unit, "ProtectSystem") == ["strict"]
    assert _directives(unit, "CapabilityBoundingSet") == [""]


def test_no_two_units_share_a_user():
    users = [u for unit in UNITS for u in _directives(unit, "User")]
    assert len(users) == len(set(users))


def test_only_the_migration_reads_the_owners_password():
    holders = sorted(
        p.name
        for p in (DEPLOY / "env").glob("*.env.example")
        if "DB_ADMIN_PASSWORD" in p.read_text()
    )
    assert holders == ["migrate.env.example"]
    readers = sorted(u for u in UNITS if "/etc/mutasi/migrate.env" in UNITS[u])
    assert readers == ["mutasi-migrate"]


def test_only_the_relay_is_handed_the_checkpoint_private_key():
    handed = sorted(u for u in UNITS if "checkpoint-ed25519.pem" in UNITS[u])
    assert handed == ["mutasi-relay"]
    assert _directives("mutasi-relay", "LoadCredential") == [
        "checkpoint-ed25519.pem:/etc/mutasi/keys/checkpoint-ed25519.pem"
    ]
    assert not any("PRIVATE_KEY" in p.read_text() for p in (DEPLOY / "env").glob("*.example"))


def test_the_shared_file_holds_no_secret_and_each_file_only_its_components_secrets():
    assert not [k for k in _env("common") if SECRET.search(k)]
    assert not [k for k in _env("web") if k.startswith("MUTASI_DB_")]  # no database at all
    with_nats = sorted(
        n
        for n in ("proposal", "approval", "notification", "web", "worker", "relay")
        if "MUTASI_NATS_PASSWORD" in _env(n)
    )
    assert with_nats == ["notification", "relay"]


def _settings(component: str, var_dir: Path) -> Settings:
    """common + the component's file, secrets filled in as an operator would."""
    values = _env("common") | _env(component)
    filled = {
        k: v or (f"isi-rahasia-{uuid4().hex}" if SECRET.search(k) else "")
        for k, v in values.items()
    }
    if component == "relay":  # what systemd's LoadCredential= hands it
        filled["MUTASI_CHECKPOINT_PRIVATE_KEY_FILE"] = str(var_dir / "credentials" / "key.pem")
    fields = {k.removeprefix("MUTASI_").lower(): v for k, v in filled.items()}
    return Settings(_env_file=None, **({"var_dir": var_dir} | fields))  # type: ignore[arg-type]


@pytest.mark.parametrize("component", sorted(RUNTIME))
def test_each_env_file_is_what_production_mode_asks_of_its_component(component, tmp_path):
    assert production_refusals(_settings(component, tmp_path), component) == []


def test_production_refuses_a_long_running_process_with_the_owners_password(tmp_path):
    settings = _settings("worker", tmp_path).model_copy(
        update={"db_admin_password": "rahasia-pemilik"}
    )
    assert any("MUTASI_DB_ADMIN_PASSWORD" in r for r in production_refusals(settings, "worker"))


def test_production_refuses_a_component_that_can_read_the_checkpoint_key(tmp_path):
    settings = _settings("approval", tmp_path)
    generate_key_pair(settings.keys_dir / PRIVATE_KEY_FILE, tmp_path / "pub.pem")
    assert any("checkpoint private key" in r for r in production_refusals(settings, "approval"))


async def test_an_auditors_login_reads_the_log_and_cannot_write_it(settings, admin_pool):
    role, password = f"saksi_{uuid4().hex[:8]}", uuid4().hex
    statement = await admin_pool.fetchval(
        "SELECT format('CREATE ROLE %I LOGIN PASSWORD %L IN ROLE mutasi_auditor_read',"
        " $1::text, $2::text)",
        role,
        password,
    )
    await admin_pool.execute(statement)
    try:
        auditor = settings.model_copy(update={"db_app_user": role, "db_app_password": password})
        conn = await asyncpg.connect(auditor.dsn())
        try:
            assert await conn.fetchval("SELECT count(*) FROM event_log") >= 0
            assert await conn.fetchval("SELECT count(*) FROM checkpoints") >= 0
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.execute(
                    "INSERT INTO chain_heads (tenant, sequence, hash, length)"
                    " VALUES ('x', 0, 'x', 0)"
                )
            with pytest.raises(asyncpg.InsufficientPrivilegeError):
                await conn.fetchval("SELECT count(*) FROM notifications")
        finally:
            await conn.close()
    finally:
        await admin_pool.execute(f'DROP ROLE "{role}"')
