"""Secrets on disk and in connection strings (issue 15, findings 6 and 14).

Private keys are private from their first byte (no write-then-chmod window), in a directory
only their owner enters; a host that holds only the checkpoint public key serves that key and
never makes a private one; a password with URL characters still connects.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from uuid import uuid4

import asyncpg
import pytest

from mutasi.auth.tokens import ensure_dev_keys
from mutasi.embedded.nats import nats_credentials, write_nats_config
from mutasi.log.checkpoints import (
    PRIVATE_KEY_FILE,
    PUBLIC_KEY_FILE,
    CheckpointKeyError,
    generate_key_pair,
    key_id,
    public_key,
    signing_key,
)
from mutasi.settings import Settings


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def no_chmod(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the process died right after writing: a later chmod never happens."""
    monkeypatch.setattr(os, "chmod", lambda *a, **k: None)
    monkeypatch.setattr(Path, "chmod", lambda *a, **k: None)
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_every_secret_file_is_private_from_its_first_byte(tmp_path, no_chmod):
    settings = Settings(var_dir=tmp_path)
    ensure_dev_keys(settings)
    signing_key(settings)
    nats_credentials(settings.keys_dir, ["relay"])
    write_nats_config(tmp_path / "nats" / "nats.conf", settings.keys_dir, "MUTASI")
    secrets = [
        settings.keys_dir / "jwt-private.pem",
        settings.keys_dir / PRIVATE_KEY_FILE,
        settings.keys_dir / "nats-users.json",
        tmp_path / "nats" / "nats.conf",
    ]
    readable = [f"{p.name} {oct(_mode(p))}" for p in secrets if _mode(p) & 0o077]
    assert readable == []


def test_the_keys_directory_is_only_its_owners_even_if_it_existed_wider(tmp_path):
    settings = Settings(var_dir=tmp_path)
    settings.keys_dir.mkdir(mode=0o755)
    settings.keys_dir.chmod(0o755)
    signing_key(settings)
    assert _mode(settings.keys_dir) == 0o700


def test_a_host_with_only_the_public_key_serves_it_and_makes_no_private_key(tmp_path):
    """Finding 6: the documented layout gives the API host the .pub file alone."""
    relay = Settings(var_dir=tmp_path / "relay")
    published = signing_key(relay).public_key()
    web = Settings(var_dir=tmp_path / "web")
    web.keys_dir.mkdir(parents=True)
    (web.keys_dir / PUBLIC_KEY_FILE).write_bytes((relay.keys_dir / PUBLIC_KEY_FILE).read_bytes())
    assert key_id(public_key(web)) == key_id(published)
    assert not (web.keys_dir / PRIVATE_KEY_FILE).exists()


def test_production_never_makes_a_checkpoint_key_of_its_own(tmp_path):
    """Two relays that each made one would sign with two keys nobody published."""
    with pytest.raises(CheckpointKeyError):
        signing_key(Settings(var_dir=tmp_path, env="production"))
    assert not (tmp_path / "keys" / PRIVATE_KEY_FILE).exists()


def test_a_relay_whose_key_is_not_the_published_one_refuses_to_sign(tmp_path):
    settings = Settings(var_dir=tmp_path, env="production")
    generate_key_pair(settings.keys_dir / PRIVATE_KEY_FILE, settings.keys_dir / PUBLIC_KEY_FILE)
    other = tmp_path / "other"
    generate_key_pair(other / PRIVATE_KEY_FILE, other / PUBLIC_KEY_FILE)
    (settings.keys_dir / PUBLIC_KEY_FILE).write_bytes((other / PUBLIC_KEY_FILE).read_bytes())
    with pytest.raises(CheckpointKeyError):
        signing_key(settings)


async def test_a_database_password_with_url_characters_still_connects(settings, admin_pool):
    """Finding 14: the DSN was not URL-escaped; a generated password broke it."""
    role, password = f"trust_{uuid4().hex[:8]}", "p@ss:w/rd?#%20&x"
    statement = await admin_pool.fetchval(
        "SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', $1::text, $2::text)", role, password
    )
    await admin_pool.execute(statement)
    try:
        dsn = settings.model_copy(update={"db_app_user": role, "db_app_password": password}).dsn()
        conn = await asyncpg.connect(dsn)
        try:
            assert await conn.fetchval("SELECT current_user") == role
        finally:
            await conn.close()
    finally:
        await admin_pool.execute(f'DROP ROLE "{role}"')
