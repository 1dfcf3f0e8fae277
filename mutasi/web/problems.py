"""RFC 9457 problem+json for every error, in one place; no stack trace or SQL ever leaks."""

from __future__ import annotations

from typing import Any

import asyncpg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from mutasi.errors import PROBLEM_BASE, MutasiError
from mutasi.logging import get_logger
from mutasi.web import validation_text

log = get_logger(__name__)
MEDIA_TYPE = "application/problem+json"
MAX_REPORTED_ERRORS = 20

_HTTP_SLUGS = {
    400: ("bad-request", "Permintaan tidak valid", "Bad request"),
    401: ("unauthorized", "Token tidak ada atau tidak sah", "Missing or invalid token"),
    403: ("forbidden", "Anda tidak berwenang", "Forbidden"),
    404: ("not-found", "Data tidak ditemukan", "Not found"),
    405: ("method-not-allowed", "Metode tidak diizinkan", "Method not allowed"),
    413: ("payload-too-large", "Isi permintaan terlalu besar", "Payload too large"),
    415: ("unsupported-media-type", "Jenis isi tidak didukung", "Unsupported media type"),
    429: ("too-many-requests", "Terlalu banyak permintaan", "Too many requests"),
}


def problem(
    status: int, slug: str, title: str, detail: str, instance: str, **extra: Any
) -> JSONResponse:
    body = {
        "type": PROBLEM_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        **extra,
    }
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status == 429 and "retry_after_s" in extra:
        headers = {"Retry-After": str(extra["retry_after_s"])}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(MutasiError)
    async def _mutasi(request: Request, exc: MutasiError) -> JSONResponse:
        # Indonesian first (title and detail), English alongside for integrators.
        return problem(
            exc.status,
            exc.slug,
            exc.message_id,
            exc.message_id,
            request.url.path,
            detail_en=exc.message_en,
            **exc.extra,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        # Where and why only: never the submitted value back, and a bounded list.
        errors = [
            {
                "loc": list(e["loc"]),
                "msg": validation_text.indonesian(e),
                "msg_en": e["msg"],
                "type": e["type"],
            }
            for e in exc.errors()[:MAX_REPORTED_ERRORS]
        ]
        return problem(
            422,
            "invalid-input",
            "Data yang dikirim tidak valid",
            validation_text.summary(errors),
            request.url.path,
            detail_en="Request body or parameters are invalid",
            errors=errors,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug, title, detail = _HTTP_SLUGS.get(exc.status_code, ("error", "Kesalahan", "Error"))
        response = problem(exc.status_code, slug, title, title, request.url.path, detail_en=detail)
        response.headers.update(exc.headers or {})  # e.g. a 405's Allow (RFC 9110)
        return response

    @app.exception_handler(asyncpg.DataError)
    async def _data(request: Request, exc: asyncpg.DataError) -> JSONResponse:
        # A value PostgreSQL cannot take (an id out of range): the caller's input, not a
        # fault; the database's message (which may quote SQL) stays in the log.
        log.info("invalid_query_argument", path=request.url.path, error=str(exc))
        return problem(
            422,
            "invalid-input",
            "Data yang dikirim tidak valid",
            "Ada parameter yang di luar batas atau formatnya salah",
            request.url.path,
            detail_en="A parameter is out of range or malformed",
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled_error", path=request.url.path)
        return problem(
            500,
            "internal-error",
            "Terjadi kesalahan pada server",
            "Terjadi kesalahan pada server; silakan coba lagi atau hubungi administrator",
            request.url.path,
            detail_en="Internal server error",
        )
