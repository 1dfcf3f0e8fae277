"""Production mode (`MUTASI_ENV=production`) refuses to start on development defaults.

`make run` is convenient because it trusts its own machine: a local token issuer whose key
lies in var/ (and the web service's local OIDC issuer, which signs with it), a database
password everyone knows, keys made on first use. Each of those in a deployment is a way in,
so a production process checks its settings before anything else and stops with every reason
at once (docs/security.md, issue 15 findings 9 and 14). Each component is checked for what
it uses, so its own env file need not carry the others' settings.
"""

from __future__ import annotations

import urllib.parse
from ipaddress import ip_address

from mutasi.settings import Settings

DEFAULT_PASSWORDS = frozenset({"", "mutasi_app", "mutasi", "postgres", "password", "changeme"})
# What each component uses (None: a command such as `mutasi migrate`).
VERIFIES_TOKENS = frozenset({"proposal", "approval", "notification", "web", "worker"})
USES_DATABASE = frozenset({"proposal", "approval", "notification", "worker", "relay", None})
USES_NATS = frozenset({"relay", "notification"})
USES_TEMPORAL = frozenset({"proposal", "approval", "worker"})
# Long-running processes: none of them may hold the owner's password (only `migrate` does).
RUNTIME = frozenset({"proposal", "approval", "notification", "web", "worker", "relay"})
DEVELOPMENT_ONLY = {
    "run": "`mutasi run` starts the development stack; run each component on its own",
    "token": "`mutasi token` signs with the development key; tokens come from your issuer",
    "smtp": "the SMTP sink swallows every e-mail; set MUTASI_SMTP_HOST to your relay",
}


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


def _plain_http(named_urls: list[tuple[str, str | None]]) -> list[str]:
    refusals = []
    for name, url in named_urls:
        parts = urllib.parse.urlsplit(url or "")
        if parts.scheme == "http" and not _loopback(parts.hostname):
            refusals.append(f"{name}={url} is plain http off loopback; use https")
    return refusals


def _token_refusals(settings: Settings) -> list[str]:
    refusals = []
    if urllib.parse.urlsplit(settings.jwt_issuer).scheme not in ("http", "https"):
        refusals.append(
            f"MUTASI_JWT_ISSUER={settings.jwt_issuer!r} is the local development issuer;"
            " set your OIDC issuer's URL"
        )
    return refusals + _plain_http(
        [("MUTASI_JWT_ISSUER", settings.jwt_issuer), ("MUTASI_JWKS_URL", settings.jwks_url)]
    )


def _web_refusals(settings: Settings) -> list[str]:
    refusals = []
    if settings.web_oidc_issuer is None:
        refusals.append(
            "MUTASI_WEB_OIDC_ISSUER is unset: the web service would mount the local demo issuer"
        )
    # Session cookies and sign-in redirects travel on the public address.
    return refusals + _plain_http(
        [
            ("MUTASI_WEB_OIDC_ISSUER", settings.web_oidc_issuer),
            ("MUTASI_WEB_PUBLIC_URL", settings.web_url),
        ]
    )


def _boundary_refusals(settings: Settings, component: str | None) -> list[str]:
    """Temporal and NATS off loopback only over TLS (finding 4)."""
    refusals = []
    temporal = settings.temporal_address.rsplit(":", 1)[0].strip("[]")
    secured = settings.temporal_tls_ca_file or settings.temporal_tls_cert_file
    if component in USES_TEMPORAL and not settings.caller_proof_secret:
        refusals.append(
            "MUTASI_CALLER_PROOF_SECRET is unset: workflow Updates could not tell a caller"
            " this service vouched for from claims sent straight to Temporal"
        )
    if component in USES_TEMPORAL and not _loopback(temporal):
        if not (secured or settings.temporal_api_key):
            refusals.append(
                "MUTASI_TEMPORAL_ADDRESS is off loopback without TLS: set"
                " MUTASI_TEMPORAL_TLS_CA_FILE and a client certificate, or an API key"
            )
    if component in USES_NATS:
        for url in filter(None, (u.strip() for u in settings.nats_url.split(","))):
            parts = urllib.parse.urlsplit(url)
            if parts.scheme != "tls" and not _loopback(parts.hostname):
                refusals.append(f"MUTASI_NATS_URL {url} is off loopback without TLS; use tls://")
    return refusals


def _secret_refusals(settings: Settings, component: str | None) -> list[str]:
    """Each process holds only its own secrets (finding 5)."""
    from mutasi.log.checkpoints import private_key_path

    refusals = []
    if component in RUNTIME and settings.db_admin_password:
        refusals.append(f"{component} holds MUTASI_DB_ADMIN_PASSWORD: only `mutasi migrate` may")
    if component in RUNTIME - {"relay"} and private_key_path(settings).exists():
        refusals.append(
            f"{component} can read the checkpoint private key {private_key_path(settings)};"
            " only the relay may (systemd LoadCredential=)"
        )
    return refusals


def production_refusals(settings: Settings, component: str | None = None) -> list[str]:
    """Every reason the settings are unfit for production (empty: fit, or not production)."""
    if settings.env != "production":
        return []
    if component in DEVELOPMENT_ONLY:
        return [DEVELOPMENT_ONLY[component]]
    refusals = []
    if component in VERIFIES_TOKENS:
        refusals += _token_refusals(settings)
    if component == "web":
        refusals += _web_refusals(settings)
    if component in USES_DATABASE:
        if settings.db_app_password in DEFAULT_PASSWORDS:
            refusals.append("MUTASI_DB_APP_PASSWORD is empty or a well-known default")
        if settings.db_admin_password and settings.db_admin_password in DEFAULT_PASSWORDS:
            refusals.append("MUTASI_DB_ADMIN_PASSWORD is a well-known default")
    refusals += _boundary_refusals(settings, component) + _secret_refusals(settings, component)
    if settings.clock_offset_s:
        refusals.append("MUTASI_CLOCK_OFFSET_S moves the clock: for tests and drills only")
    if settings.nats_no_auth_user:
        refusals.append("MUTASI_NATS_NO_AUTH_USER lets clients in without credentials")
    if component in USES_NATS and not (settings.nats_user and settings.nats_password):
        refusals.append(f"{component} needs its own NATS user (MUTASI_NATS_USER/_PASSWORD)")
    return refusals


def refuse_unsafe(settings: Settings, component: str | None = None) -> None:
    """Stop the process (exit status 1, reasons on stderr) if production settings are unsafe."""
    refusals = production_refusals(settings, component)
    if refusals:
        raise UnsafeConfiguration(refusals)
