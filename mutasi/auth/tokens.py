"""RS256 bearer tokens: a local issuer in development, any OIDC issuer's JWKS in production."""

from __future__ import annotations

import json
import re
import time
import urllib.parse
import urllib.request
from functools import lru_cache
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from mutasi.auth.keyfiles import private_dir, write_once
from mutasi.auth.principal import Principal, Role
from mutasi.settings import Settings

REQUIRED_CLAIMS = ("sub", "tenant", "roles", "exp", "iss", "aud")
TENANT_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
CLOCK_SKEW_S = 30
VERIFIED_TTL_S = 60.0
VERIFIED_MAX = 10_000
KNOWN_ROLES = frozenset(role.value for role in Role)
JWKS_TIMEOUT_S = 5.0


class InvalidToken(Exception):
    """The token is not acceptable: the caller must authenticate again (401)."""


class IssuerUnreachable(Exception):
    """The issuer's keys cannot be fetched now: our problem, not the caller's (503)."""


def _key_paths(settings: Settings) -> tuple[Path, Path]:
    return settings.keys_dir / "jwt-private.pem", settings.keys_dir / "jwt-public.pem"


def ensure_dev_keys(settings: Settings) -> None:
    """Generate the development signing key on first run (kept under var/, never committed)."""
    private_path, public_path = _key_paths(settings)
    if private_path.exists() and public_path.exists():
        return
    if settings.env == "production":
        raise RuntimeError("production never uses the local token issuer (docs/security.md)")
    private_dir(settings.keys_dir)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    write_once(
        private_path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    stored = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
    write_once(
        public_path,
        stored.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        ),
        0o644,
    )


def issue_token(
    settings: Settings,
    *,
    sub: str,
    tenant: str,
    roles: list[str],
    unit: str | None = None,
    nip: str | None = None,
    ttl_s: int = 8 * 3600,
    extra: dict[str, Any] | None = None,
) -> str:
    ensure_dev_keys(settings)
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": sub,
        "tenant": tenant,
        "roles": roles,
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + ttl_s,
    }
    if unit:
        claims["unit"] = unit
    if nip:
        claims["nip"] = nip
    claims.update(extra or {})
    path = _key_paths(settings)[0]
    key = _signing_key(path, path.stat().st_mtime_ns)
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "local"})


@lru_cache(maxsize=4)
def _signing_key(path: Path, mtime_ns: int) -> Any:
    # Loading validates the RSA key, tens of milliseconds of CPU: once per key file (and
    # modification), not once per token as PyJWT would given the PEM.
    return serialization.load_pem_private_key(path.read_bytes(), password=None)


class TokenVerifier:
    """Checks signature (RS256 only), expiry, issuer, audience and the Mutasi claims.

    Keys: the local issuer's public key in development; in production the issuer's JWKS —
    from `jwks_url`, or discovered from an https issuer's OpenID configuration — cached
    (`jwks_cache_s`) and re-fetched when a token names a key id not yet seen (rotation).
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._jwks: jwt.PyJWKClient | None = None
        self._local_key: Any = None  # the local issuer's public key, parsed once
        self._verified: dict[str, tuple[float, Principal]] = {}  # token -> (until, caller)

    def _jwks_client(self) -> jwt.PyJWKClient | None:
        if self._jwks is None:
            url = self.settings.jwks_url or discover_jwks_url(self.settings.jwt_issuer)
            if url:
                # The key set is cached for `lifespan`; single keys are not cached apart from
                # it (PyJWT's per-kid cache never expires: a key the issuer removed would
                # stay trusted until restart).
                self._jwks = jwt.PyJWKClient(
                    url,
                    cache_keys=False,
                    lifespan=self.settings.jwks_cache_s,
                    timeout=JWKS_TIMEOUT_S,
                    cooldown_duration=self.settings.jwks_refresh_cooldown_s,
                )
        return self._jwks

    def _key(self, token: str) -> Any:
        jwks = self._jwks_client()
        if jwks is not None:
            return jwks.get_signing_key_from_jwt(token).key
        if self._local_key is None:
            ensure_dev_keys(self.settings)
            pem = _key_paths(self.settings)[1].read_bytes()
            # Parsed here, not by PyJWT on every token (a PEM parse per request).
            self._local_key = serialization.load_pem_public_key(pem)
        return self._local_key

    @property
    def offline(self) -> bool:
        """True once verifying needs no network: the local key is loaded (a JWKS may be
        fetched, or discovered, on any verification)."""
        return self._local_key is not None

    def verify(self, token: str) -> Principal:
        """The caller a token names. A token verified before is taken from memory until it
        expires, for at most VERIFIED_TTL_S (and at most the key set's lifetime): the
        signature check and PyJWT's parsing were a tenth of a simple read's CPU, and a
        person's session sends the same token each time."""
        now = time.time()
        known = self._verified.get(token)
        if known is not None and now < known[0]:
            return known[1]
        claims = self._claims(token)
        principal = principal_of(claims)
        if len(self._verified) >= VERIFIED_MAX:
            self._verified.clear()  # crude, and rare: the next requests verify afresh
        # With an issuer's key set, no longer than the set itself is trusted (a key it drops
        # is refused within that time, as without this memory).
        ttl = VERIFIED_TTL_S if self.offline else min(VERIFIED_TTL_S, self.settings.jwks_cache_s)
        until = min(float(claims["exp"]) + CLOCK_SKEW_S, now + ttl)
        self._verified[token] = (until, principal)
        return principal

    def _claims(self, token: str) -> dict[str, Any]:
        try:
            return jwt.decode(
                token,
                self._key(token),
                algorithms=["RS256"],
                audience=self.settings.jwt_audience,
                issuer=self.settings.jwt_issuer,
                leeway=CLOCK_SKEW_S,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.PyJWKClientConnectionError as exc:
            raise IssuerUnreachable(str(exc)) from exc
        except (jwt.PyJWTError, ValueError) as exc:
            raise InvalidToken(str(exc)) from exc


def principal_of(claims: dict[str, Any]) -> Principal:
    """The caller described by verified claims; malformed Mutasi claims refuse the token."""
    roles, tenant = claims["roles"], claims["tenant"]
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise InvalidToken("roles must be a list of strings")
    # An IdP may add roles of other systems; only ours count, and a token with none of them
    # is no Mutasi token at all (401, not a 403 that confirms the account works).
    roles = [r for r in roles if r in KNOWN_ROLES]
    if not roles:
        raise InvalidToken("no Mutasi role")
    if not isinstance(tenant, str) or not TENANT_SLUG.fullmatch(tenant):
        raise InvalidToken("tenant must be a government slug")
    for name in ("sub", "unit", "nip"):
        value = claims.get(name)
        if value is not None and (not isinstance(value, str) or not 0 < len(value) <= 200):
            raise InvalidToken(f"{name} must be a non-empty string")
    return Principal(
        sub=claims["sub"],
        tenant=tenant,
        roles=roles,
        unit=claims.get("unit"),
        nip=claims.get("nip"),
    )


def discover_jwks_url(issuer: str) -> str | None:
    """An https issuer publishes its key set's address in its OpenID configuration."""
    parts = urllib.parse.urlsplit(issuer)
    loopback = parts.scheme == "http" and parts.hostname in ("127.0.0.1", "localhost")
    if parts.scheme != "https" and not loopback:
        return None  # a bare name ("mutasi-local") is the local issuer
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        with urllib.request.urlopen(url, timeout=JWKS_TIMEOUT_S) as response:  # noqa: S310
            document = json.load(response)
    except (OSError, ValueError) as exc:
        raise IssuerUnreachable(f"OpenID configuration of {issuer} unreadable: {exc}") from exc
    jwks_uri = document.get("jwks_uri") if isinstance(document, dict) else None
    if not isinstance(jwks_uri, str):
        raise IssuerUnreachable(f"OpenID configuration of {issuer} names no jwks_uri")
    return jwks_uri
