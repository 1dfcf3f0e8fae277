"""A verifiable proof of the caller, carried into every workflow Update (issue 15, finding 4).

Temporal is not a security boundary: a `Caller` is plain data, so anyone who reaches
Temporal could send `decide` with claims they wrote themselves. The API services, having
verified the caller's token, seal the claims they pass on: an HMAC-SHA256, under a secret
only the services and the worker hold, over the RFC 8785 JSON of the claims and an expiry.
The Update validators refuse a caller whose seal does not verify or has expired, before
anything is recorded — so forged claims fail even for the right government and role.

The worker seals too, for the steps a meeting takes on its transfers' behalf. Validators
are not replayed, so a rotated secret never makes an old history non-deterministic; a
handler's recheck under its lock does not check the seal again.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import replace

from mutasi.auth.keyfiles import private_dir, write_once
from mutasi.lifecycle import Caller
from mutasi.log.canonical import canonical_json
from mutasi.settings import Settings

SECRET_FILE = "caller-proof.key"
TTL_S = 3600  # a meeting may act on its agenda's transfers a while after it was closed
_installed: list[bytes] = []  # the first seals; every one verifies (rotation)


class MissingSecret(RuntimeError):
    """Production gives the secret in settings; it is never made up there."""


def secret(settings: Settings) -> bytes:
    """The sealing secret: MUTASI_CALLER_PROOF_SECRET, or in development one generated
    under keys_dir on first use (0600, never in git)."""
    if settings.caller_proof_secret:
        return settings.caller_proof_secret.encode()
    if settings.env == "production":
        raise MissingSecret("MUTASI_CALLER_PROOF_SECRET is required in production")
    path = settings.keys_dir / SECRET_FILE
    if not path.exists():
        private_dir(settings.keys_dir)
        write_once(path, secrets.token_urlsafe(32).encode())
    return path.read_bytes().strip()


def install(*keys: bytes) -> None:
    """Called once per process at start (services and worker): the secrets in force."""
    _installed[:] = [k for k in keys if k]


def _mac(key: bytes, caller: Caller, expires: int) -> str:
    claims = {
        "expires": expires,
        "nip": caller.nip,
        "roles": list(caller.roles),
        "sub": caller.sub,
        "tenant": caller.tenant,
        "unit": caller.unit,
    }
    digest = hmac.new(key, canonical_json(claims), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def seal(caller: Caller, now: float, ttl_s: int = TTL_S) -> Caller:
    """The caller with its proof, valid for `ttl_s` seconds from `now` (epoch seconds)."""
    if not _installed:
        raise MissingSecret("no caller-proof secret installed in this process")
    expires = int(now) + ttl_s
    return replace(caller, proof=f"{expires}.{_mac(_installed[0], caller, expires)}")


def valid(caller: Caller, now: float) -> bool:
    """True if the caller's proof was sealed by a secret in force and has not expired."""
    expires_text, _, mac = (caller.proof or "").partition(".")
    if not expires_text.isdigit() or int(expires_text) < now:
        return False
    return any(hmac.compare_digest(mac, _mac(k, caller, int(expires_text))) for k in _installed)
