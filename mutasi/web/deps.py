"""FastAPI dependencies shared by the services: the caller, checked against the policy table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import asyncpg
from fastapi import Depends, Header, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from temporalio.client import Client

from mutasi.auth.policy import POLICY, allowed
from mutasi.auth.principal import Principal
from mutasi.auth.tokens import InvalidToken, TokenVerifier
from mutasi.errors import Forbidden, Unauthorized
from mutasi.lifecycle import Caller
from mutasi.logging import bind

_bearer = HTTPBearer(auto_error=False)


def get_pool(request: Request) -> asyncpg.Pool:
    return request.app.state.pool


def get_temporal(request: Request) -> Client:
    return request.app.state.temporal


def get_verifier(request: Request) -> TokenVerifier:
    return request.app.state.verifier


Pool = Annotated[asyncpg.Pool, Depends(get_pool)]
Temporal = Annotated[Client, Depends(get_temporal)]


def authenticate(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    verifier: Annotated[TokenVerifier, Depends(get_verifier)],
) -> Principal:
    if credentials is None:
        raise Unauthorized("Token akses wajib disertakan", "A bearer token is required")
    try:
        principal = verifier.verify(credentials.credentials)
    except InvalidToken as exc:
        raise Unauthorized("Token akses tidak sah atau kedaluwarsa",
                           f"Invalid or expired token: {exc}") from exc
    bind(tenant=principal.tenant, sub=principal.sub)
    return principal


def require(action: str) -> Callable[..., Principal]:
    """A dependency that admits the caller only if the policy table allows `action`."""
    if action not in POLICY:
        raise KeyError(f"no policy entry for {action!r}")

    def dependency(principal: Annotated[Principal, Depends(authenticate)]) -> Principal:
        if not allowed(action, principal.roles):
            raise Forbidden("Peran Anda tidak berwenang untuk tindakan ini",
                            f"Your role may not perform {action}")
        return principal

    dependency.policy_action = action  # type: ignore[attr-defined]
    return dependency


def caller_of(principal: Principal) -> Caller:
    return Caller(principal.sub, principal.tenant, list(principal.roles), principal.unit,
                  principal.nip)


def _idempotency_key(
    key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> str | None:
    return key


IdempotencyKey = Annotated[str | None, Depends(_idempotency_key)]


class Page:
    def __init__(self, limit: Annotated[int, Query(ge=1, le=200)] = 50,
                 offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> None:
        self.limit, self.offset = limit, offset


Paging = Annotated[Page, Depends()]
