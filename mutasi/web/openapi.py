"""Every operation's error answers, documented in the OpenAPI each service serves.

All errors are RFC 9457 problem+json (mutasi.web.problems); FastAPI alone would document only
a 422 as `application/json`, so a client generated from the document would not know a 404 or
a 409 at all. Here every operation lists the problems it can answer with one shared schema.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from mutasi.web.problems import MEDIA_TYPE

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details: `title` and `detail` in Indonesian, `detail_en` in"
    " English; a validation problem lists `errors` (loc, msg in Indonesian, msg_en, type).",
    "type": "object",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string", "description": "Stable identifier of the kind of error"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "detail_en": {"type": "string"},
        "instance": {"type": "string"},
    },
    "additionalProperties": True,
}
ANY_CALL = {
    400: "Permintaan HTTP tidak dapat dibaca / malformed HTTP request",
    401: "Token tidak ada atau tidak sah / missing or invalid token",
    403: "Tidak berwenang / forbidden",
    404: "Tidak ditemukan (atau milik pemerintah lain) / not found",
    422: "Data tidak valid / invalid input",
    429: "Terlalu banyak permintaan / too many requests (Retry-After)",
    503: "Layanan pendukung tidak tersedia / a dependency is unavailable",
}
WRITES = {
    400: "Permintaan tidak dapat dibaca / malformed request",
    409: "Bertentangan dengan keadaan saat ini / conflicts with the current state",
    413: "Isi permintaan terlalu besar / payload too large",
    415: "Jenis isi tidak didukung / unsupported media type",
}
_PUBLIC_TAGS = {"health"}  # probes answer without a token


def _problem(description: str) -> dict[str, Any]:
    ref = {"$ref": "#/components/schemas/Problem"}
    return {"description": description, "content": {MEDIA_TYPE: {"schema": ref}}}


def _document(operation: dict[str, Any], method: str) -> None:
    if _PUBLIC_TAGS & set(operation.get("tags", [])):
        return
    statuses = ANY_CALL | (WRITES if method in ("post", "put", "patch", "delete") else {})
    responses = operation.setdefault("responses", {})
    for status, description in statuses.items():
        responses[str(status)] = _problem(description)


def document_problems(app: FastAPI) -> None:
    """Replace `app.openapi` by one that adds the problems to what FastAPI generates."""
    generate: Callable[[], dict[str, Any]] = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = (
                PROBLEM_SCHEMA
            )
            for path in schema.get("paths", {}).values():
                for method, operation in path.items():
                    _document(operation, method)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
