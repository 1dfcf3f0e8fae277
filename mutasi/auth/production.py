"""Production mode (`MUTASI_ENV=production`) refuses to start on development defaults.

`make run` is convenient because it trusts its own machine: a local token issuer whose key
lies in var/, a database password everyone knows, keys made on first use. Each of those in a
deployment is a way in, so a production process checks its settings before anything else and
stops with every reason at once (docs/security.md, issue 15 findings 9 and 14).
"""

from __future__ import annotations

import urllib.parse
from ipaddress import ip_address

from mutasi.settings import Settings

DEFAULT_PASSWORDS = frozenset({"", "mutasi_app", "mutasi", "postgres", "password", "changeme"})
# Components that talk to NATS and so need their own user (docs/security.md, NATS).
NATS_COMPONENTS = frozenset({"relay", "notification"})


class UnsafeConfiguration(SystemExit):
    """Raised at start-up; its message (on stderr) lists what to change; exit status 1."""

    def __init__(self, reasons: list[str]) -> None:
        lines = "\n".join(f"  - {reason}" for reason in reasons)
        super().__init__(f"MUTASI_ENV=production menolak mulai / refuses to start:\n{lines}")
        self.reasons = reasons


def _loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return host is not None and ip_address(host).is_loopback
    except ValueError:
        return False


def _issuer_refusals(settings: Settings) -> list[str]:
    issuer = urllib.parse.urlsplit(settings.jwt_issuer)
    if issuer.scheme not in ("http", "https"):
        return [
            f"MUTASI_JWT_ISSUER={settings.jwt_issuer!r} is the local development issuer; "
            "set your OIDC issuer's URL"
        ]
    refusals = []
    urls = (("MUTASI_JWT_ISSUER", settings.jwt_issuer), ("MUTASI_JWKS_URL", settings.jwks_url))
    for name, url in urls:
        parts = urllib.parse.urlsplit(url or "")
        if parts.scheme == "http" and not _loopback(parts.hostname):
            refusals.append(f"{name}={url} is plain http off loopback; use https")
    return refusals


def production_refusals(settings: Settings, component: str | None = None) -> list[str]:
    """Every reason the settings are unfit for production (empty: fit, or not production)."""
    if settings.env != "production":
        return []
    if component == "run":
        return ["`mutasi run` starts the development stack; run each component on its own"]
    if component == "token":
        return ["`mutasi token` signs with the development key; tokens come from your issuer"]
    refusals = _issuer_refusals(settings)
    if settings.db_app_password in DEFAULT_PASSWORDS:
        refusals.append("MUTASI_DB_APP_PASSWORD is empty or a well-known default")
    if settings.db_admin_password and settings.db_admin_password in DEFAULT_PASSWORDS:
        refusals.append("MUTASI_DB_ADMIN_PASSWORD is a well-known default")
    if settings.nats_no_auth_user:
        refusals.append("MUTASI_NATS_NO_AUTH_USER lets clients in without credentials")
    if component in NATS_COMPONENTS and not (settings.nats_user and settings.nats_password):
        refusals.append(f"{component} needs its own NATS user (MUTASI_NATS_USER/_PASSWORD)")
    return refusals


def refuse_unsafe(settings: Settings, component: str | None = None) -> None:
    """Stop the process (exit status 1, reasons on stderr) if production settings are unsafe."""
    refusals = production_refusals(settings, component)
    if refusals:
        raise UnsafeConfiguration(refusals)
