"""Bearer tokens: only a valid RS256 token of our issuer for our audience gets in (401 else)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from mutasi.auth.tokens import InvalidToken, IssuerUnreachable, TokenVerifier, issue_token
from mutasi.embedded.process import free_port
from mutasi.settings import Settings

SERVICES = ("proposal", "approval", "notification")
PROBE_PATH = {"proposal": "/transfers", "approval": "/meetings", "notification": "/notifications"}
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _claims(settings: Settings, **changes: Any) -> dict[str, Any]:
    now = int(time.time())
    claims = {
        "sub": "bkpsdm@kota-sorong",
        "tenant": "kota-sorong",
        "roles": ["hr_officer"],
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "iat": now,
        "exp": now + 600,
    }
    claims.update(changes)
    return {k: v for k, v in claims.items() if v is not None}


def _signed(settings: Settings, **changes: Any) -> str:
    issue_token(settings, sub="x", tenant="kota-sorong", roles=["auditor"])  # keys exist
    key = (settings.keys_dir / "jwt-private.pem").read_bytes()
    return jwt.encode(_claims(settings, **changes), key, algorithm="RS256")


def _hs256_with_public_key(settings: Settings) -> str:
    """The classic algorithm-confusion forgery: HMAC keyed with the public key."""

    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    signing_input = f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(_claims(settings))}"
    secret = (settings.keys_dir / "jwt-public.pem").read_bytes()
    signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{base64.urlsafe_b64encode(signature).rstrip(b'=').decode()}"


BAD_TOKENS: dict[str, Callable[[Settings], str]] = {
    "expired": lambda s: _signed(s, iat=int(time.time()) - 7200, exp=int(time.time()) - 3600),
    "not_yet_valid": lambda s: _signed(s, nbf=int(time.time()) + 3600),
    "bad_signature": lambda s: jwt.encode(_claims(s), OTHER_KEY, algorithm="RS256"),
    "wrong_audience": lambda s: _signed(s, aud="another-system"),
    "wrong_issuer": lambda s: _signed(s, iss="https://evil.example"),
    "missing_sub": lambda s: _signed(s, sub=None),
    "missing_tenant": lambda s: _signed(s, tenant=None),
    "missing_roles": lambda s: _signed(s, roles=None),
    "missing_exp": lambda s: _signed(s, exp=None),
    "missing_audience": lambda s: _signed(s, aud=None),
    "roles_not_a_list": lambda s: _signed(s, roles="hr_officer"),
    "tenant_not_a_slug": lambda s: _signed(s, tenant="kota-sorong' OR '1'='1"),
    "alg_none": lambda s: jwt.encode(_claims(s), None, algorithm="none"),
    "hs256_with_public_key": _hs256_with_public_key,
    "not_a_jwt": lambda s: "not-a-jwt",
}


def _url(settings: Settings, service: str) -> str:
    port = {
        "proposal": settings.proposal_port,
        "approval": settings.approval_port,
        "notification": settings.notification_port,
    }[service]
    return f"http://127.0.0.1:{port}{PROBE_PATH[service]}"


def _assert_unauthorized(response: httpx.Response) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.headers["www-authenticate"] == "Bearer"
    body = response.json()
    assert body["type"].endswith("/unauthorized") and body["status"] == 401
    assert "Traceback" not in response.text


@pytest.mark.usefixtures("stack")
@pytest.mark.parametrize("case", sorted(BAD_TOKENS))
async def test_a_bad_token_is_refused_by_every_service(settings, case):
    token = BAD_TOKENS[case](settings)
    async with httpx.AsyncClient(timeout=10) as client:
        for service in SERVICES:
            response = await client.get(
                _url(settings, service), headers={"Authorization": f"Bearer {token}"}
            )
            _assert_unauthorized(response)


@pytest.mark.usefixtures("stack")
@pytest.mark.parametrize("header", [None, "Basic dXNlcjpwYXNz", "Bearer"])
async def test_a_request_without_a_bearer_token_is_refused(settings, header):
    headers = {"Authorization": header} if header else {}
    async with httpx.AsyncClient(timeout=10) as client:
        for service in SERVICES:
            _assert_unauthorized(await client.get(_url(settings, service), headers=headers))


@pytest.mark.usefixtures("stack")
async def test_the_same_claims_properly_signed_are_accepted(settings):
    async with httpx.AsyncClient(timeout=10) as client:
        for service in SERVICES:
            response = await client.get(
                _url(settings, service), headers={"Authorization": f"Bearer {_signed(settings)}"}
            )
            assert response.status_code == 200, (service, response.text)


# --- production: an OIDC issuer's JWKS, cached, refreshed on key rotation ------------------


class FakeIssuer:
    """An OIDC issuer on loopback: discovery document and a JWKS that can rotate."""

    def __init__(self) -> None:
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.keys: dict[str, rsa.RSAPrivateKey] = {}
        self.jwks_fetches = 0
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                if self.path == "/.well-known/openid-configuration":
                    body = {"issuer": issuer.issuer, "jwks_uri": f"{issuer.issuer}/keys"}
                else:
                    issuer.jwks_fetches += 1
                    body = {"keys": [issuer.jwk(kid) for kid in issuer.keys]}
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)

    def jwk(self, kid: str) -> dict[str, Any]:
        jwk = jwt.algorithms.RSAAlgorithm.to_jwk(self.keys[kid].public_key(), as_dict=True)
        return {**jwk, "kid": kid, "use": "sig", "alg": "RS256"}

    def token(self, kid: str, key: rsa.RSAPrivateKey | None = None, **changes: Any) -> str:
        claims = {
            "sub": "sso-user-1",
            "tenant": "kota-medan",
            "roles": ["approver"],
            "iss": self.issuer,
            "aud": "mutasi",
            "exp": int(time.time()) + 600,
            **changes,
        }
        return jwt.encode(claims, key or self.keys[kid], algorithm="RS256", headers={"kid": kid})


@pytest.fixture
def issuer() -> Iterator[FakeIssuer]:
    fake = FakeIssuer()
    fake.keys["key-1"] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    thread = threading.Thread(target=fake.server.serve_forever, daemon=True)
    thread.start()
    yield fake
    fake.server.shutdown()
    fake.server.server_close()


def _verifier(issuer: FakeIssuer) -> TokenVerifier:
    return TokenVerifier(
        Settings(jwt_issuer=issuer.issuer, jwt_audience="mutasi", jwks_refresh_cooldown_s=0)
    )


def test_a_token_of_the_configured_oidc_issuer_is_verified_with_its_cached_jwks(issuer):
    verifier = _verifier(issuer)
    principal = verifier.verify(issuer.token("key-1", unit="dinas-kesehatan"))
    assert (principal.tenant, principal.roles, principal.unit) == (
        "kota-medan",
        ["approver"],
        "dinas-kesehatan",
    )
    verifier.verify(issuer.token("key-1"))
    assert issuer.jwks_fetches == 1  # the key set is cached between requests


def test_a_rotated_key_is_fetched_when_a_token_names_it(issuer):
    verifier = _verifier(issuer)
    verifier.verify(issuer.token("key-1"))
    issuer.keys["key-2"] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    assert verifier.verify(issuer.token("key-2")).sub == "sso-user-1"
    assert issuer.jwks_fetches == 2


def test_an_oidc_token_with_a_forged_signature_or_wrong_audience_is_refused(issuer):
    verifier = _verifier(issuer)
    with pytest.raises(InvalidToken):
        verifier.verify(issuer.token("key-1", key=OTHER_KEY))
    with pytest.raises(InvalidToken):
        verifier.verify(issuer.token("key-1", aud="another-system"))
    with pytest.raises(InvalidToken):
        verifier.verify(issuer.token("key-unknown", key=OTHER_KEY))


def test_an_unreachable_issuer_is_our_outage_not_a_bad_token():
    settings = Settings(jwt_issuer=f"http://127.0.0.1:{free_port()}", jwt_audience="mutasi")
    with pytest.raises(IssuerUnreachable):
        TokenVerifier(settings).verify(jwt.encode({"sub": "x"}, OTHER_KEY, algorithm="RS256"))


def test_the_development_signing_key_is_generated_private_and_outside_git(settings):
    issue_token(settings, sub="x", tenant="kota-sorong", roles=["auditor"])
    private = settings.keys_dir / "jwt-private.pem"
    assert private.stat().st_mode & 0o077 == 0
    ignored = (Path(__file__).resolve().parents[2] / ".gitignore").read_text().split()
    assert "var/" in ignored and "*.pem" in ignored


def test_a_key_removed_from_the_issuers_set_is_refused_once_the_cached_set_expires(issuer):
    """Finding 8: PyJWT's per-kid cache kept a removed key trusted until restart."""
    verifier = TokenVerifier(
        Settings(
            jwt_issuer=issuer.issuer,
            jwt_audience="mutasi",
            jwks_refresh_cooldown_s=0,
            jwks_cache_s=0.001,  # expired by the next request
        )
    )
    compromised = issuer.token("key-1")
    verifier.verify(compromised)
    issuer.keys["key-2"] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    del issuer.keys["key-1"]  # the issuer withdraws the key
    with pytest.raises(InvalidToken):
        verifier.verify(compromised)
    assert verifier.verify(issuer.token("key-2")).sub == "sso-user-1"


# --- claims naming no Mutasi role or no known government: not our caller (401) ----------


@pytest.mark.usefixtures("stack")
@pytest.mark.parametrize(
    "claims",
    [
        {"roles": ["superadmin"]},
        {"roles": []},
        {"tenant": "kota-atlantis"},
        {"tenant": "kota-atlantis", "roles": ["auditor"]},
    ],
    ids=["unknown-role", "no-role", "unknown-tenant", "unknown-tenant-auditor"],
)
async def test_a_token_for_no_known_role_or_government_is_unauthorized(settings, claims):
    """Finding 14: these got 403 or even 200 (an empty list), confirming the account works."""
    token = _signed(settings, **claims)
    async with httpx.AsyncClient(timeout=10) as client:
        for service in SERVICES:
            response = await client.get(
                _url(settings, service), headers={"Authorization": f"Bearer {token}"}
            )
            _assert_unauthorized(response)


@pytest.mark.usefixtures("stack")
async def test_an_unknown_role_beside_a_known_one_is_ignored(settings):
    token = _signed(settings, roles=["offline_access", "hr_officer"])
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(
            _url(settings, "proposal"), headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status_code == 200, response.text


def test_pyjwt_is_held_to_a_release_with_its_latest_security_fixes():
    """Finding 8: 2.13.0 fixes the 2026 advisories (PYSEC-2026-175…179); the lock may not
    fall below it, and what runs is at least it."""
    import re
    from importlib.metadata import version

    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    floor = re.search(r'"pyjwt\[crypto\]>=([\d.]+)"', pyproject)
    assert floor is not None
    as_tuple = lambda v: tuple(int(p) for p in v.split(".")[:3])  # noqa: E731
    assert as_tuple(floor.group(1)) >= (2, 13, 0)
    assert as_tuple(version("pyjwt")) >= as_tuple(floor.group(1))
