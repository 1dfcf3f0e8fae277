"""FastAPI dependencies shared by the services: the caller, checked against the policy table."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Annotated

import asyncpg
from fastapi import Depends, Header, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from temporalio.client import Client

from mutasi.auth import caller_proof
from mutasi.auth.policy import POLICY, acting_role, allowed
from mutasi.auth.principal import Principal
from mutasi.auth.tokens import InvalidToken, IssuerUnreachable, TokenVerifier
from mutasi.errors import Forbidden, NotFound, Unauthorized, Unavailable
from mutasi.lifecycle import Caller
from mutasi.logging import bind
from mutasi.web.guards import PATH_GUARDS
from mutasi.web.strict_query import refuse_unknown_query

_bearer = HTTPBearer(auto_error=False)
# Dependencies are `async def`: FastAPI runs a plain `def` one in a thread, a hop per request
# each (a fifth of a simple read's CPU). `authenticate` verifies on the event loop only when
# no network is involved (the local key); a JWKS fetch may block, so that runs in a thread.


async def get_pool(request: Request) -> asyncpg.Pool:
    return request.app.state.pool


async def get_temporal(request: Request) -> Client:
    return request.app.state.temporal


Pool = Annotated[asyncpg.Pool, Depends(get_pool)]
Temporal = Annotated[Client, Depends(get_temporal)]


async def authenticate(
    credentials: HTTPAuthorizationCredentials | None, verifier: TokenVerifier
) -> Principal:
    """The bearer token's principal (401 without a valid one). A plain function called by
    `require`'s one dependency, not a dependency of its own: FastAPI solves every dependant
    for its parameters on each request, which was a third of a list read's CPU."""
    if credentials is None:
        raise Unauthorized("Token akses wajib disertakan", "A bearer token is required")
    try:
        if verifier.offline:  # a signature check: about a tenth of a millisecond
            principal = verifier.verify(credentials.credentials)
        else:
            principal = await run_in_threadpool(verifier.verify, credentials.credentials)
    except InvalidToken as exc:
        raise Unauthorized(
            "Token akses tidak sah atau kedaluwarsa", f"Invalid or expired token: {exc}"
        ) from exc
    except IssuerUnreachable as exc:
        raise Unavailable(
            "Penerbit token tidak dapat dihubungi; coba lagi",
            "The token issuer's keys cannot be fetched now; retry",
        ) from exc
    bind(tenant=principal.tenant, sub=principal.sub)
    return principal


def require(action: str) -> Callable[..., Awaitable[Principal]]:
    """A dependency that admits the caller only if the policy table allows `action`.

    Order matters and is the same everywhere: no or a bad token 401; a role the policy does
    not allow 403; a resource in the path the caller may not see 404 (mutasi.web.guards);
    only then are the body and parameters validated and the route run.
    """
    if action not in POLICY:
        raise KeyError(f"no policy entry for {action!r}")

    async def dependency(
        request: Request,
        # The one sub-dependant: it also puts the bearer scheme in the OpenAPI document.
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Principal:
        principal = await authenticate(credentials, request.app.state.verifier)
        # National roles (administrator, operator) belong to no government; their token's
        # `tenant` names none, and what they reach is decided by the policy and the guards.
        known = principal.is_national or await request.app.state.tenants.contains(
            request.app.state.pool, principal.tenant
        )
        if not known:
            raise Unauthorized("Instansi pada token tidak dikenal", "Unknown government")
        if not allowed(action, principal.roles):
            raise Forbidden(
                "Peran Anda tidak berwenang untuk tindakan ini",
                f"Your role may not perform {action}",
            )
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            limit(request, principal, "write")  # before the lookups: probing costs too
        await _check_path_resources(request, principal)
        await refuse_unknown_query(request)  # 422 only after 401/403/404 (same order always)
        return replace(principal, acting=acting_role(principal.roles, [action]))

    dependency.policy_action = action  # type: ignore[attr-defined]
    return dependency


async def _check_path_resources(request: Request, principal: Principal) -> None:
    for name, value in request.path_params.items():
        guard = PATH_GUARDS.get(name)
        if guard is not None and not await guard.check(
            request.app.state.pool, principal, str(value)
        ):
            raise NotFound(guard.message_id, guard.message_en)


def limit(request: Request, principal: Principal, budget: str) -> None:
    """Count the request against the caller's and their address's `budget` (429 beyond)."""
    address = request.client.host if request.client else None
    request.app.state.limiter.check(budget, f"{principal.tenant}/{principal.sub}", address)


def expensive(action: str) -> Callable[..., Awaitable[Principal]]:
    """`require(action)`, and a request that costs much (a verification, an export) is
    budgeted apart from the cheap reads of the same action."""
    admit = require(action)

    # A default, not Annotated[...]: the annotation of a closure's local is not resolvable.
    async def dependency(request: Request, principal: Principal = Depends(admit)) -> Principal:
        limit(request, principal, "expensive")
        return principal

    dependency.policy_action = action  # type: ignore[attr-defined]
    return dependency


def public(reason: str) -> Callable[[], None]:
    """Marks a route that answers without a token (health, the audit public key).

    Use as `dependencies=[Depends(public("why"))]`; the policy-coverage test accepts it in
    place of `require(...)`, so an unguarded route is always a visible decision.
    """

    async def dependency(request: Request) -> None:
        await refuse_unknown_query(request)

    dependency.public_reason = reason  # type: ignore[attr-defined]
    return dependency


def caller_of(principal: Principal) -> Caller:
    """The verified caller as the workflows get it: sealed, so an Update can tell it came
    from here (mutasi.auth.caller_proof)."""
    caller = Caller(
        principal.sub, principal.tenant, list(principal.roles), principal.unit, principal.nip
    )
    return caller_proof.seal(caller, time.time())


async def _idempotency_key(
    key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> str | None:
    return key


IdempotencyKey = Annotated[str | None, Depends(_idempotency_key)]


class Page:
    def __init__(self, limit: int = 50, offset: int = 0) -> None:
        self.limit, self.offset = limit, offset


async def _page(
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Page:
    # A function, not the class itself: FastAPI calls a class's __init__ in a thread.
    return Page(limit, offset)


Paging = Annotated[Page, Depends(_page)]


class PageQuery(BaseModel):
    """The page as a query-parameter model, for the hot list reads: FastAPI validates a
    model's parameters in one call, where it solves each parameter of `Paging` (and of the
    route) one by one on every request. The same names and bounds as `Paging`; a route
    subclasses it with its filters."""

    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)

    @property
    def page(self) -> Page:
        return Page(self.limit, self.offset)
