"""Finding 9 (and the default passwords of 14): production refuses development defaults.

`MUTASI_ENV=production` makes every process check its settings before it connects to
anything: the local token issuer, a well-known database password, a plain-http issuer off
loopback, a NATS component without its own user — each stops the start with its reason.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from mutasi.auth.production import production_refusals
from mutasi.settings import Settings

SAFE = {
    "env": "production",
    "jwt_issuer": "https://sso.example.go.id/realms/asn",
    "jwks_url": "https://sso.example.go.id/realms/asn/protocol/openid-connect/certs",
    "web_oidc_issuer": "https://sso.example.go.id/realms/asn",
    "web_public_url": "https://mutasi.example.go.id",
    "db_app_password": "dW5ndWVzc2FibGUtYXBwLXBhc3N3b3Jk",
    "nats_user": "relay",
    "nats_password": "bmF0cy1yZWxheS1wYXNzd29yZA",
    "caller_proof_secret": "c2VnZWwtcGVtYW5nZ2lsLXVqaQ",
}


def _refusals(component: str, **changes: object) -> list[str]:
    return production_refusals(Settings(**(SAFE | changes)), component)  # type: ignore[arg-type]


@pytest.mark.parametrize("component", ["proposal", "web", "relay", "notification", "worker"])
def test_a_production_configuration_without_defaults_is_accepted(component):
    assert _refusals(component) == []


@pytest.mark.parametrize(
    ("component", "changes", "named"),
    [
        ("approval", {"jwt_issuer": "mutasi-local", "jwks_url": None}, "MUTASI_JWT_ISSUER"),
        ("proposal", {"jwt_issuer": "http://sso.example.go.id/realms/asn"}, "MUTASI_JWT_ISSUER"),
        ("notification", {"jwks_url": "http://sso.example.go.id/certs"}, "MUTASI_JWKS_URL"),
        ("web", {"web_oidc_issuer": None}, "local demo issuer"),
        ("web", {"web_oidc_issuer": "http://sso.example.go.id/asn"}, "MUTASI_WEB_OIDC_ISSUER"),
        ("web", {"web_public_url": None, "bind_host": "0.0.0.0"}, "MUTASI_WEB_PUBLIC_URL"),
        ("worker", {"db_app_password": "mutasi_app"}, "MUTASI_DB_APP_PASSWORD"),
        ("relay", {"db_app_password": ""}, "MUTASI_DB_APP_PASSWORD"),
        (None, {"db_admin_password": "postgres"}, "MUTASI_DB_ADMIN_PASSWORD"),
        ("relay", {"nats_no_auth_user": "admin"}, "MUTASI_NATS_NO_AUTH_USER"),
        ("relay", {"nats_user": None}, "NATS user"),
        ("smtp", {}, "SMTP sink"),
    ],
    ids=[
        "local-issuer",
        "http-issuer",
        "http-jwks",
        "web-local-oidc-issuer",
        "web-http-oidc-issuer",
        "web-http-public-url",
        "default-db-password",
        "empty-db-password",
        "default-admin-password",
        "no-auth-nats",
        "relay-without-nats-user",
        "smtp-sink",
    ],
)
def test_each_development_default_is_refused_by_name(component, changes, named):
    refusals = _refusals(component, **changes)
    assert any(named in reason for reason in refusals), refusals


def test_an_http_issuer_on_loopback_stays_allowed():
    """A sidecar issuer on the same host is not plain text on a network."""
    assert _refusals("approval", jwt_issuer="http://127.0.0.1:8080/realms/asn", jwks_url=None) == []


def test_development_keeps_its_defaults():
    assert production_refusals(Settings(), "web") == []


def _start(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MUTASI_")}
    return subprocess.run(
        [sys.executable, "-m", "mutasi.cli", *args],
        env=clean | {"MUTASI_ENV": "production", "MUTASI_VAR_DIR": str(tmp_path)} | env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["component", "proposal"],
        ["component", "web"],
        ["run"],
        ["token", "--tenant", "bkn", "--role", "auditor"],
    ],
    ids=["proposal", "web", "run", "token"],
)
def test_a_production_process_on_development_defaults_refuses_to_start(args, tmp_path):
    result = _start(args, tmp_path)
    assert result.returncode != 0
    assert "MUTASI_ENV=production" in result.stderr, result.stderr
    assert not (tmp_path / "keys").exists()  # and made no key on the way
