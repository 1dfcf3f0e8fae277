"""The web application's composition root: pages, sign-in, static files, error pages.

A backend for the browser: it holds the person's session and calls the three services'
public APIs with their token. It opens no database or Temporal connection (an import-linter
contract keeps it so). Page areas are routers in services/web/routes/, each with its own
templates; the local OIDC issuer is mounted at /oidc only when no real issuer is configured.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mutasi.logging import get_logger
from mutasi.settings import Settings, get_settings
from mutasi.web.assets import HTMX, require_asset
from mutasi.web.observe import install_observability
from services.web import api as api_module
from services.web.api import Api, NotVisible, Refused, ServiceDown, SignInAgain
from services.web.deps import (
    COOKIE,
    CsrfRefused,
    NeedSignIn,
    Page,
    PageNotFound,
    render,
    sign_in_url,
    wanted_path,
)
from services.web.oidc import OidcClient
from services.web.person import Person
from services.web.routes import (
    analysis,
    audit,
    employee,
    home,
    meetings,
    planning,
    propose,
    public,
    signin,
    tasks,
    transfer_detail,
    transfer_list,
    transfer_steps,
)
from services.web.session import SessionStore
from services.web.templating import build_templates

log = get_logger(__name__)
STATIC = Path(__file__).parent / "static"
# Order matters only where paths overlap: /usulan/baru before /usulan/{id}.
ROUTERS = [
    signin.router,
    home.router,
    tasks.router,
    transfer_list.router,
    propose.router,
    transfer_detail.router,
    transfer_steps.router,
    employee.router,
    meetings.router,
    analysis.router,
    audit.router,
    public.router,
    planning.router,
]
# Pages hold personal data: never cached, never framed, scripts and styles only our own.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
        " object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        expiry = api_module.KEEPALIVE_S
        limits = httpx.Limits(
            max_connections=100, max_keepalive_connections=20, keepalive_expiry=expiry
        )
        async with (
            httpx.AsyncClient(timeout=api_module.TIMEOUT, limits=limits) as client,
            api_module.reader_session() as reader,
        ):
            app.state.api = Api(settings, client, reader)
            app.state.oidc = OidcClient(settings, client)
            yield

    app = FastAPI(
        title="Mutasi — aplikasi web",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.settings = settings
    app.state.sessions = SessionStore(settings.var_dir / "web" / "sessions")
    app.state.templates = build_templates()
    install_observability(app)  # /metrics before the pages, requests counted and traced
    for router in ROUTERS:
        app.include_router(router)
    _static(app)
    _health(app)
    _errors(app)
    _headers(app)
    if settings.web_oidc_issuer is None:
        from mutasi.oidc_local.issuer import MOUNT, create_issuer_app

        app.mount(MOUNT, create_issuer_app(settings))
    return app


def _static(app: FastAPI) -> None:
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/vendor/htmx.min.js", include_in_schema=False)
    async def htmx() -> FileResponse:
        return FileResponse(require_asset(HTMX), headers={"Cache-Control": "max-age=86400"})


def _health(app: FastAPI) -> None:
    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz(request: Request) -> JSONResponse:
        api: Api = request.app.state.api

        async def probe(service: str) -> str:
            try:
                await api.request(service, "GET", "/healthz", None)
            except ServiceDown:
                return "down"
            return "ok"

        names = api_module.SERVICES
        results = await asyncio.gather(*(probe(name) for name in names))
        checks = dict(zip(names, results, strict=True))
        ready = all(v == "ok" for v in checks.values())
        return JSONResponse(
            {"status": "ok" if ready else "degraded", "checks": checks},
            status_code=200 if ready else 503,
        )


def _error_page(request: Request, status: int, template: str, **context: object) -> Response:
    """An error page; a signed-in person keeps their menu (so the way back is visible)."""
    state = request.app.state
    session = state.sessions.get(request.cookies.get(COOKIE))
    page = None
    if session is not None:
        page = Page(request, session, Person.of(session.claims), state.api, state.templates)
    return render(request, state.templates, template, status, page, **context)


def _to_sign_in(request: Request, wanted: str) -> Response:
    target = sign_in_url(wanted)
    if request.headers.get("HX-Request"):
        # htmx swaps fragments: tell it to load the sign-in page as a whole page.
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


def _errors(app: FastAPI) -> None:
    @app.exception_handler(NeedSignIn)
    async def _need(request: Request, exc: NeedSignIn) -> Response:
        return _to_sign_in(request, exc.wanted)

    @app.exception_handler(SignInAgain)
    async def _again(request: Request, exc: SignInAgain) -> Response:
        request.app.state.sessions.delete(request.cookies.get(COOKIE))
        response = _to_sign_in(request, wanted_path(request))
        response.delete_cookie(COOKIE, path="/")
        return response

    @app.exception_handler(CsrfRefused)
    async def _csrf(request: Request, exc: CsrfRefused) -> Response:
        return _error_page(request, 403, "error.html", title="Formulir tidak sah",
                           message="Formulir ini kedaluwarsa atau tidak berasal dari halaman "
                           "Mutasi. Muat ulang halaman, lalu coba lagi.")  # fmt: skip

    @app.exception_handler(PageNotFound)
    @app.exception_handler(NotVisible)
    async def _absent(request: Request, exc: Exception) -> Response:
        return _error_page(request, 404, "not_found.html")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return _error_page(request, 404, "not_found.html")
        return _error_page(request, exc.status_code, "error.html", title="Permintaan tidak dapat"
                           " dilayani", message=f"Kode {exc.status_code}.")  # fmt: skip

    @app.exception_handler(ServiceDown)
    async def _down(request: Request, exc: ServiceDown) -> Response:
        log.warning("web_service_down", error=str(exc), path=request.url.path)
        return _error_page(request, 503, "error.html", title="Layanan sedang tidak tersedia",
                           message="Salah satu layanan Mutasi tidak menjawab. Tidak ada yang "
                           "berubah; coba lagi sebentar lagi.")  # fmt: skip

    @app.exception_handler(Refused)
    async def _refused(request: Request, exc: Refused) -> Response:
        return _error_page(request, 422, "error.html", title="Permintaan ditolak",
                           message=exc.message, details=exc.field_errors)  # fmt: skip


class SecurityHeaders:
    """The headers above on every response, and no caching of pages: a plain ASGI
    middleware (Starlette's BaseHTTPMiddleware costs a task and a stream per request)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if headers.get("content-type", "").startswith("text/html"):
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _headers(app: FastAPI) -> None:
    app.add_middleware(SecurityHeaders)
