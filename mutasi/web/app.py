"""The frame every service shares: lifespan wiring, problem+json, health and readiness."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from temporalio.client import Client

from mutasi.auth import caller_proof
from mutasi.auth.tokens import TokenVerifier
from mutasi.auth.transport import temporal_options
from mutasi.db import create_pool
from mutasi.settings import Settings
from mutasi.telemetry.temporal import temporal_client_options
from mutasi.web.deps import public
from mutasi.web.docs_ui import install_docs
from mutasi.web.hardening import RequestLimits
from mutasi.web.observe import install_observability
from mutasi.web.openapi import document_problems
from mutasi.web.problems import install_problem_handlers
from mutasi.web.ratelimit import RateLimiter
from mutasi.web.tenants import KnownTenants

Hook = Callable[[FastAPI], Awaitable[None]]


async def connect_temporal(settings: Settings) -> Client:
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        **temporal_client_options(),
        **temporal_options(settings),
    )


def create_service_app(
    title: str,
    description: str,
    settings: Settings,
    routers: Sequence[APIRouter],
    *,
    temporal: bool = True,
    on_start: Hook | None = None,
    on_stop: Hook | None = None,
) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.settings = settings
        app.state.verifier = TokenVerifier(settings)
        app.state.pool = await create_pool(settings)
        app.state.temporal = await connect_temporal(settings) if temporal else None
        if temporal:  # the callers it passes to workflow Updates are sealed with it
            caller_proof.install(caller_proof.secret(settings))
        if on_start:
            await on_start(app)
        try:
            yield
        finally:
            if on_stop:
                await on_stop(app)
            await app.state.pool.close()

    app = FastAPI(
        title=title,
        description=description,
        version="0.1.0",
        lifespan=lifespan,
        debug=False,
        docs_url=None,  # install_docs: the same page without a CDN
        redoc_url=None,
    )
    install_docs(app)
    # Per-process state that needs no connection: there before any request, lifespan or not.
    app.state.tenants = KnownTenants()
    app.state.limiter = RateLimiter(settings)
    install_problem_handlers(app)
    app.add_middleware(
        RequestLimits,
        body_max_bytes=settings.request_max_bytes,
        upload_max_bytes=max(settings.import_max_bytes, settings.attachment_max_bytes),
    )
    # Outermost: counts and traces what the limits refuse too.
    install_observability(
        app, [Depends(public("Prometheus scrapes without an account; no tenant data"))]
    )
    probe = [Depends(public("load balancers and orchestrators probe without an account"))]

    @app.get("/healthz", tags=["health"], summary="Hidup / alive", dependencies=probe)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/readyz", tags=["health"], summary="Siap / dependencies reachable", dependencies=probe
    )
    async def readyz(request: Request) -> JSONResponse:
        checks = {"postgres": await _check(request.app.state.pool.fetchval("SELECT 1"))}
        if request.app.state.temporal is not None:
            checks["temporal"] = await _check(
                request.app.state.temporal.service_client.check_health()
            )
        if hasattr(request.app.state, "nats"):
            checks["nats"] = "ok" if request.app.state.nats.is_connected else "down"
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ok" if ready else "degraded", "checks": checks},
            status_code=200 if ready else 503,
        )

    for router in routers:
        app.include_router(router)
    document_problems(app)
    return app


async def _check(awaitable: Awaitable[object]) -> str:
    try:
        await awaitable
    except Exception:  # noqa: BLE001 - readiness reports any failure as "down"
        return "down"
    return "ok"
