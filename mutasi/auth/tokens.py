"""RS256 bearer tokens: a local issuer in development, any OIDC issuer's JWKS in production."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from mutasi.auth.principal import Principal
from mutasi.settings import Settings

REQUIRED_CLAIMS = ("sub", "tenant", "roles", "exp", "iss", "aud")


class InvalidToken(Exception):
    pass


def _key_paths(settings: Settings) -> tuple[Path, Path]:
    return settings.keys_dir / "jwt-private.pem", settings.keys_dir / "jwt-public.pem"


def ensure_dev_keys(settings: Settings) -> None:
    """Generate the development signing key on first run (kept under var/, never committed)."""
    private_path, public_path = _key_paths(settings)
    if private_path.exists():
        return
    settings.keys_dir.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    private_path.chmod(0o600)
    public_path.write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))


def issue_token(settings: Settings, *, sub: str, tenant: str, roles: list[str],
                unit: str | None = None, nip: str | None = None, ttl_s: int = 8 * 3600,
                extra: dict[str, Any] | None = None) -> str:
    ensure_dev_keys(settings)
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": sub, "tenant": tenant, "roles": roles, "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience, "iat": now, "exp": now + ttl_s,
    }
    if unit:
        claims["unit"] = unit
    if nip:
        claims["nip"] = nip
    claims.update(extra or {})
    private_key = _key_paths(settings)[0].read_bytes()
    return jwt.encode(claims, private_key, algorithm="RS256", headers={"kid": "local"})


class TokenVerifier:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._jwks = jwt.PyJWKClient(settings.jwks_url, cache_keys=True, lifespan=300) \
            if settings.jwks_url else None
        self._local_key: bytes | None = None

    def _key(self, token: str) -> Any:
        if self._jwks is not None:
            return self._jwks.get_signing_key_from_jwt(token).key
        if self._local_key is None:
            ensure_dev_keys(self.settings)
            self._local_key = _key_paths(self.settings)[1].read_bytes()
        return self._local_key

    def verify(self, token: str) -> Principal:
        try:
            claims = jwt.decode(
                token, self._key(token), algorithms=["RS256"],
                audience=self.settings.jwt_audience, issuer=self.settings.jwt_issuer,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except (jwt.PyJWTError, ValueError) as exc:
            raise InvalidToken(str(exc)) from exc
        roles = claims["roles"]
        if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
            raise InvalidToken("roles must be a list of strings")
        if not isinstance(claims["tenant"], str) or not claims["tenant"]:
            raise InvalidToken("tenant claim missing")
        return Principal(sub=str(claims["sub"]), tenant=claims["tenant"], roles=roles,
                         unit=claims.get("unit"), nip=claims.get("nip"))
