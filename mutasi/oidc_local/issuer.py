"""A local OpenID Connect issuer for `make run` and the tests: no passwords, demo people only.

Authorization code flow with PKCE (S256), as a real identity provider speaks it: discovery
document, an authorize page listing the seeded people of each government, a token endpoint,
and the key set. It signs with the development key (mutasi.auth.tokens), so the access
tokens it hands out are the ones the three services already accept.

Stateless, so any replica answers: the authorization code is itself a short-lived token
signed with the same key, bound to the client, the redirect address and the PKCE challenge.
A deployment never mounts this (settings.web_oidc_issuer names the real identity provider).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives import serialization
from fastapi import FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jwt.algorithms import RSAAlgorithm

from mutasi.auth.tokens import ensure_dev_keys, issue_token
from mutasi.oidc_local.directory import DemoPerson, read_directory
from mutasi.settings import Settings

MOUNT = "/oidc"
CODE_TTL_S = 120
KEY_ID = "local"
CALLBACK_PATH = "/masuk/kembali"
ROLE_LABELS = {
    "hr_officer": "BKPSDM",
    "supervisor": "Atasan langsung",
    "panel_member": "Tim Penilai Kinerja",
    "approver": "PPK",
    "employee": "Pegawai",
    "auditor": "Auditor",
    "bkn_officer": "BKN",
}
_TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))


def issuer_url(settings: Settings) -> str:
    return settings.web_url + MOUNT


def s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class _Keys:
    def __init__(self, settings: Settings) -> None:
        ensure_dev_keys(settings)
        # Parsed once: given the PEM, PyJWT would load and validate the RSA key on every
        # token (tens of ms of CPU each; 20 sign-ins at once took seconds).
        self.private = serialization.load_pem_private_key(
            (settings.keys_dir / "jwt-private.pem").read_bytes(), password=None
        )
        public = serialization.load_pem_public_key(
            (settings.keys_dir / "jwt-public.pem").read_bytes()
        )
        self.public = public
        self.jwk = {**RSAAlgorithm.to_jwk(public, as_dict=True), "kid": KEY_ID, "use": "sig"}
        self.jwk["alg"] = "RS256"

    def sign(self, claims: dict[str, Any]) -> str:
        return jwt.encode(claims, self.private, algorithm="RS256", headers={"kid": KEY_ID})

    def read(self, token: str, audience: str) -> dict[str, Any]:
        return jwt.decode(token, self.public, algorithms=["RS256"], audience=audience)


def _error(status: int, error: str, description: str) -> JSONResponse:
    return JSONResponse({"error": error, "error_description": description}, status_code=status)


def create_issuer_app(settings: Settings) -> FastAPI:
    """The issuer as an ASGI app; the web service mounts it at /oidc."""
    app = FastAPI(title="Mutasi — penerbit identitas lokal", docs_url=None, redoc_url=None,
                  openapi_url=None)  # fmt: skip
    keys = _Keys(settings)
    issuer = issuer_url(settings)
    clients = {settings.web_oidc_client_id: settings.web_url + CALLBACK_PATH}
    used_codes: dict[str, float] = {}  # best effort against replay within this process

    @app.get("/.well-known/openid-configuration")
    async def discovery() -> dict[str, Any]:
        return {
            "issuer": issuer,
            "authorization_endpoint": f"{issuer}/authorize",
            "token_endpoint": f"{issuer}/token",
            "jwks_uri": f"{issuer}/jwks",
            "response_types_supported": ["code"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["none"],
            "scopes_supported": ["openid", "profile"],
        }

    @app.get("/style.css", name="style")
    async def style() -> Response:
        css = (Path(__file__).parent / "templates" / "issuer.css").read_bytes()
        return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    @app.get("/jwks")
    async def jwks() -> dict[str, Any]:
        return {"keys": [keys.jwk]}

    @app.get("/authorize", response_class=HTMLResponse)
    async def authorize(
        request: Request,
        client_id: str,
        redirect_uri: str,
        state: Annotated[str, Query(min_length=8, max_length=200)],
        nonce: Annotated[str, Query(min_length=8, max_length=200)],
        code_challenge: Annotated[str, Query(min_length=43, max_length=128)],
        response_type: str = "code",
        code_challenge_method: str = "S256",
        scope: str = "openid",
    ) -> Response:
        if clients.get(client_id) != redirect_uri:
            return _bad_request(request, "Aplikasi atau alamat kembali tidak terdaftar")
        if response_type != "code" or code_challenge_method != "S256" or "openid" not in scope:
            return _bad_request(request, "Permintaan masuk tidak didukung (code + PKCE S256)")
        people = read_directory(settings)
        governments: dict[str, list[DemoPerson]] = {}
        for person in people:
            governments.setdefault(person.tenant_name, []).append(person)
        params = {
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "state": state,
            "nonce": nonce,
            "code_challenge": code_challenge,
        }
        return _TEMPLATES.TemplateResponse(
            request,
            "authorize.html",
            {"governments": governments, "params": params, "roles": ROLE_LABELS},
        )

    @app.post("/authorize")
    async def choose(
        request: Request,
        person: Annotated[str, Form(max_length=300)],
        client_id: Annotated[str, Form()],
        redirect_uri: Annotated[str, Form()],
        state: Annotated[str, Form(min_length=8, max_length=200)],
        nonce: Annotated[str, Form(min_length=8, max_length=200)],
        code_challenge: Annotated[str, Form(min_length=43, max_length=128)],
    ) -> Response:
        if clients.get(client_id) != redirect_uri:
            return _bad_request(request, "Aplikasi atau alamat kembali tidak terdaftar")
        chosen = next((p for p in read_directory(settings) if p.id == person), None)
        if chosen is None:
            return _bad_request(request, "Orang yang dipilih tidak dikenal")
        now = int(time.time())
        code = keys.sign(
            {
                "typ": "code",
                "iss": issuer,
                "aud": client_id,
                "jti": secrets.token_urlsafe(16),
                "iat": now,
                "exp": now + CODE_TTL_S,
                "redirect_uri": redirect_uri,
                "challenge": code_challenge,
                "nonce": nonce,
                "person": chosen.id,
            }
        )
        query = urlencode({"code": code, "state": state})
        return RedirectResponse(f"{redirect_uri}?{query}", status_code=303)

    @app.post("/token")
    async def token(
        grant_type: Annotated[str, Form()],
        code: Annotated[str, Form(max_length=4000)],
        redirect_uri: Annotated[str, Form()],
        client_id: Annotated[str, Form()],
        code_verifier: Annotated[str, Form(min_length=43, max_length=128)],
    ) -> Response:
        if grant_type != "authorization_code":
            return _error(400, "unsupported_grant_type", "only authorization_code")
        try:
            grant = keys.read(code, audience=client_id)
        except jwt.PyJWTError as exc:
            return _error(400, "invalid_grant", f"code: {exc}")
        now = time.time()
        for jti, expires in list(used_codes.items()):
            if expires < now:
                del used_codes[jti]
        if (
            grant.get("typ") != "code"
            or grant["redirect_uri"] != redirect_uri
            or grant["jti"] in used_codes
            or not secrets.compare_digest(grant["challenge"], s256(code_verifier))
        ):
            return _error(400, "invalid_grant", "code, redirect_uri or code_verifier mismatch")
        used_codes[grant["jti"]] = grant["exp"]
        person = next((p for p in read_directory(settings) if p.id == grant["person"]), None)
        if person is None:
            return _error(400, "invalid_grant", "the person is no longer in the directory")
        ttl = int(settings.web_session_hours * 3600)
        claims = person.claims()
        access = issue_token(settings, **claims, ttl_s=ttl)
        identity = {
            **{k: v for k, v in claims.items() if v is not None},
            "iss": issuer,
            "aud": client_id,
            "iat": int(now),
            "exp": int(now) + ttl,
            "nonce": grant["nonce"],
            "name": person.name,
            "tenant_name": person.tenant_name,
            "unit_name": person.unit_name,
            "zoneinfo": person.zoneinfo,
        }
        return JSONResponse(
            {
                "access_token": access,
                "token_type": "Bearer",
                "expires_in": ttl,
                "id_token": keys.sign(identity),
                "scope": "openid profile",
            },
            headers={"Cache-Control": "no-store"},
        )

    return app


def _bad_request(request: Request, message: str) -> Response:
    return _TEMPLATES.TemplateResponse(request, "error.html", {"message": message}, status_code=400)
