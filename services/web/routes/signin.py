"""Sign-in (OIDC code flow + PKCE), its callback, and sign-out.

The page wanted before sign-in travels server-side with the pending sign-in, so a link from
a notice still opens its case after the person has signed in. A short-lived cookie binds
the callback to the browser that started it (no one can sign a victim into their account).
"""

from __future__ import annotations

import math
import time
from typing import Annotated

import jwt
from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse, Response

from services.web.deps import COOKIE, Posted, render, safe_next
from services.web.oidc import OidcClient, SignInFailed
from services.web.session import SessionStore

router = APIRouter()
LOGIN_COOKIE = "mutasi_masuk"
PENDING_TTL_S = 600
IDENTITY_CLAIMS = ("sub", "tenant", "roles", "unit", "nip", "name", "tenant_name", "unit_name")


def _secure(request: Request) -> bool:
    return request.app.state.settings.web_url.startswith("https://")


def _oidc(request: Request) -> OidcClient:
    return request.app.state.oidc


def _store(request: Request) -> SessionStore:
    return request.app.state.sessions


@router.get("/masuk", name="sign_in")
async def sign_in(
    request: Request, next: Annotated[str | None, Query(max_length=2000)] = None
) -> Response:
    wanted = safe_next(next)
    if _store(request).get(request.cookies.get(COOKIE)) is not None:
        return RedirectResponse(wanted, status_code=303)
    try:
        start = await _oidc(request).start(wanted)
    except SignInFailed:
        return _failed(request)
    _store(request).put_pending(start.state, start.pending, PENDING_TTL_S)
    response = RedirectResponse(start.url, status_code=303)
    response.set_cookie(
        LOGIN_COOKIE,
        start.state,
        max_age=PENDING_TTL_S,
        path="/masuk",
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
    return response


@router.get("/masuk/kembali", name="sign_in_callback")
async def callback(
    request: Request,
    code: Annotated[str | None, Query(max_length=4000)] = None,
    state: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    started = request.cookies.get(LOGIN_COOKIE)
    if not code or not state or started != state:
        return _failed(request)
    pending = _store(request).take_pending(state)
    if pending is None:
        return _failed(request)
    try:
        access, identity = await _oidc(request).finish(code, pending)
    except SignInFailed:
        return _failed(request)
    claims = {k: identity.get(k) for k in IDENTITY_CLAIMS}
    claims["zoneinfo"] = identity.get("zoneinfo")
    settings = request.app.state.settings
    expires = min(
        time.time() + settings.web_session_hours * 3600,
        float(identity["exp"]),
        _token_expiry(access),
    )
    session = _store(request).create(access, claims, expires)
    response = RedirectResponse(safe_next(pending.get("next")), status_code=303)
    response.set_cookie(
        COOKIE,
        session.id,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )
    response.delete_cookie(LOGIN_COOKIE, path="/masuk")
    return response


@router.post("/keluar", name="sign_out")
async def sign_out(request: Request, page: Posted) -> Response:
    _store(request).delete(page.session.id)
    response = RedirectResponse("/?keluar=1", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


def _token_expiry(token: str) -> float:
    """The access token's own expiry: the session cannot outlive it (no signature check
    needed here, the APIs check it on every call)."""
    try:
        return float(jwt.decode(token, options={"verify_signature": False})["exp"])
    except (jwt.PyJWTError, KeyError, TypeError, ValueError):
        return math.inf  # not a JWT: the id_token's expiry bounds the session


def _failed(request: Request) -> Response:
    return render(request, request.app.state.templates, "signin_failed.html", status=400, page=None)
