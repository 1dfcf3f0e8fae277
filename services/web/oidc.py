"""Signing in with OpenID Connect: authorization code flow with PKCE, as a public client.

The web service speaks to any issuer through its discovery document. With the local issuer
(no `web_oidc_issuer` set) the browser goes to <web>/oidc, while the server reaches the same
issuer over loopback — the public address may be a proxy the server cannot see itself through.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
import jwt

from mutasi.settings import Settings

CALLBACK_PATH = "/masuk/kembali"
LOCAL_MOUNT = "/oidc"


class SignInFailed(Exception):
    """The issuer's answer cannot be trusted or used; the person starts again."""


@dataclass(frozen=True)
class Endpoints:
    issuer: str
    authorize: str
    token: str
    jwks: str


@dataclass(frozen=True)
class Start:
    url: str  # where the browser goes
    state: str
    pending: dict[str, Any]  # kept server-side until the callback


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class OidcClient:
    def __init__(self, settings: Settings, client: httpx.AsyncClient) -> None:
        self.settings = settings
        self.client = client
        self.client_id = settings.web_oidc_client_id
        self.redirect_uri = settings.web_url + CALLBACK_PATH
        self._endpoints: Endpoints | None = None
        self._jwks: jwt.PyJWKSet | None = None

    @property
    def local(self) -> bool:
        return self.settings.web_oidc_issuer is None

    async def endpoints(self) -> Endpoints:
        if self._endpoints is None:
            if self.local:
                public = self.settings.web_url + LOCAL_MOUNT
                host = self.settings.bind_host
                host = "127.0.0.1" if host == "0.0.0.0" else host  # noqa: S104
                inner = f"http://{host}:{self.settings.web_port}{LOCAL_MOUNT}"
                self._endpoints = Endpoints(
                    public, f"{public}/authorize", f"{inner}/token", f"{inner}/jwks"
                )
            else:
                self._endpoints = await self._discover(str(self.settings.web_oidc_issuer))
        return self._endpoints

    async def _discover(self, issuer: str) -> Endpoints:
        url = issuer.rstrip("/") + "/.well-known/openid-configuration"
        try:
            document = (await self.client.get(url)).raise_for_status().json()
            return Endpoints(
                document["issuer"],
                document["authorization_endpoint"],
                document["token_endpoint"],
                document["jwks_uri"],
            )
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            raise SignInFailed(f"discovery of {issuer} failed: {exc}") from exc

    async def start(self, wanted: str) -> Start:
        endpoints = await self.endpoints()
        state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
        verifier = secrets.token_urlsafe(48)
        query = urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": self.redirect_uri,
                "scope": "openid profile",
                "state": state,
                "nonce": nonce,
                "code_challenge": _s256(verifier),
                "code_challenge_method": "S256",
            }
        )
        pending = {"verifier": verifier, "nonce": nonce, "next": wanted}
        return Start(f"{endpoints.authorize}?{query}", state, pending)

    async def finish(self, code: str, pending: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Trade the code for tokens; return the access token and the checked identity."""
        endpoints = await self.endpoints()
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.redirect_uri,
            "client_id": self.client_id,
            "code_verifier": pending["verifier"],
        }
        if self.settings.web_oidc_client_secret:
            form["client_secret"] = self.settings.web_oidc_client_secret
        try:
            response = await self.client.post(endpoints.token, data=form)
            tokens = response.raise_for_status().json()
            access, id_token = tokens["access_token"], tokens["id_token"]
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            raise SignInFailed(f"token endpoint refused: {exc}") from exc
        identity = await self._verify_id_token(id_token, endpoints)
        if not secrets.compare_digest(str(identity.get("nonce", "")), pending["nonce"]):
            raise SignInFailed("nonce mismatch")
        return access, identity

    async def _verify_id_token(self, token: str, endpoints: Endpoints) -> dict[str, Any]:
        try:
            key = (await self._key_set(endpoints, refresh=False))[self._kid(token)]
        except KeyError:
            try:  # a key we do not know yet: the issuer may have rotated
                key = (await self._key_set(endpoints, refresh=True))[self._kid(token)]
            except KeyError as exc:
                raise SignInFailed("id_token signed with an unknown key") from exc
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                audience=self.client_id,
                issuer=endpoints.issuer,
                leeway=30,
                options={"require": ["iss", "aud", "exp", "sub", "tenant", "roles"]},
            )
        except jwt.PyJWTError as exc:
            raise SignInFailed(f"id_token invalid: {exc}") from exc
        return claims

    @staticmethod
    def _kid(token: str) -> str:
        try:
            return str(jwt.get_unverified_header(token).get("kid", ""))
        except jwt.PyJWTError as exc:
            raise SignInFailed(f"id_token unreadable: {exc}") from exc

    async def _key_set(self, endpoints: Endpoints, *, refresh: bool) -> jwt.PyJWKSet:
        if self._jwks is None or refresh:
            try:
                document = (await self.client.get(endpoints.jwks)).raise_for_status().json()
                self._jwks = jwt.PyJWKSet.from_dict(document)
            except (httpx.HTTPError, ValueError, jwt.PyJWTError) as exc:
                raise SignInFailed(f"key set unreadable: {exc}") from exc
        return self._jwks
