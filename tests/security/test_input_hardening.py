"""Input hardening: strict schemas, bounded lists and bodies, errors that reveal nothing."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mutasi.settings import Settings
from tests.security.routes import build_apps
from tests.security.world import World

APPS = build_apps(Settings(var_dir=Path("/nonexistent-var")))
LEAKS = re.compile(
    r"Traceback|File \"/|asyncpg|SELECT |INSERT |UPDATE |psycopg|"
    r"postgresql://|\bat line\b",
    re.IGNORECASE,
)


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _objects(
    spec: dict[str, Any], schema: dict[str, Any], seen: set[str]
) -> Iterator[dict[str, Any]]:
    """Every object schema reachable from `schema` (nested models, lists, unions)."""
    if schema.get("$ref") in seen:
        return
    seen.add(schema.get("$ref", ""))
    schema = _resolve(spec, schema)
    for key in ("anyOf", "oneOf", "allOf"):
        for option in schema.get(key, []):
            yield from _objects(spec, option, seen)
    if "items" in schema:
        yield from _objects(spec, schema["items"], seen)
    if schema.get("type") == "object" or "properties" in schema:
        yield schema
        for prop in schema.get("properties", {}).values():
            yield from _objects(spec, prop, seen)


def _operations() -> Iterator[tuple[str, str, str, dict[str, Any], dict[str, Any]]]:
    for service, app in APPS.items():
        spec = app.openapi()
        for path, operations in spec["paths"].items():
            for method, operation in operations.items():
                yield service, method.upper(), path, operation, spec


def test_every_json_body_refuses_unknown_fields():
    lax = []
    for service, method, path, operation, spec in _operations():
        content = operation.get("requestBody", {}).get("content", {})
        body = content.get("application/json")
        for schema in _objects(spec, body["schema"], set()) if body else ():
            if schema.get("additionalProperties") is not False:
                lax.append(f"{service} {method} {path}: {schema.get('title')}")
    assert lax == [], f"models without extra='forbid': {lax}"


def test_every_list_paginates_with_at_most_200_per_page():
    unbounded = []
    for service, method, path, operation, spec in _operations():
        schema = (
            operation.get("responses", {})
            .get("200", {})
            .get("content", {})
            .get("application/json", {})
            .get("schema", {})
        )
        returns_list = "items" in _resolve(spec, schema).get("properties", {})
        if method != "GET" or path.endswith("}") or not returns_list:
            continue  # one resource, not a collection
        params = {p["name"]: p.get("schema", {}) for p in operation.get("parameters", [])}
        if params.get("limit", {}).get("maximum", 10**9) > 200 or "offset" not in params:
            unbounded.append(f"{service} {path}")
    assert unbounded == [], f"lists without limit <= 200 and offset: {unbounded}"


# --- against the running services -----------------------------------------------------


def _assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert not LEAKS.search(response.text), response.text
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["type"].startswith("https://mutasi.go.id/")
    return body


async def _request(
    world: World, service: str, method: str, path: str, **kwargs: Any
) -> httpx.Response:
    headers = world.callers["hr_officer"].headers(world.settings) | kwargs.pop("headers", {})
    async with httpx.AsyncClient(timeout=30) as client:
        return await client.request(method, world.url(service, path), headers=headers, **kwargs)


async def test_an_unknown_field_is_refused_without_echoing_it(world):
    body = {"outcome": "verified", "secret_flag": "sentinel-value-7731"}
    response = await _request(
        world, "approval", "POST", f"/transfers/{world.home_transfer['id']}/verify", json=body
    )
    problem = _assert_problem(response, 422)
    assert "sentinel-value-7731" not in response.text
    assert ["body", "secret_flag"] in [e["loc"] for e in problem["errors"]]


async def test_a_page_larger_than_200_is_refused(world):
    _assert_problem(await _request(world, "proposal", "GET", "/transfers?limit=201"), 422)


async def test_a_json_body_over_the_limit_is_refused_before_it_is_read(world):
    oversized = b'{"reason": "' + b"x" * world.settings.request_max_bytes + b'"}'
    response = await _request(
        world,
        "proposal",
        "POST",
        f"/transfers/{world.home_transfer['id']}/withdraw",
        content=oversized,
        headers={"Content-Type": "application/json"},
    )
    assert _assert_problem(response, 413)["type"].endswith("/payload-too-large")


async def test_a_streamed_body_without_length_is_cut_off_at_the_limit(world):
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"reason": "'
        for _ in range(world.settings.request_max_bytes // 65536 + 2):
            yield b"x" * 65536
        yield b'"}'

    response = await _request(
        world,
        "proposal",
        "POST",
        f"/transfers/{world.home_transfer['id']}/withdraw",
        content=chunks(),
        headers={"Content-Type": "application/json"},
    )
    _assert_problem(response, 413)


async def test_an_upload_over_every_limit_is_refused(world):
    limit = max(world.settings.import_max_bytes, world.settings.attachment_max_bytes)
    files = {"file": ("besar.csv", b"a" * (limit + 128 * 1024), "text/csv")}
    _assert_problem(await _request(world, "proposal", "POST", "/imports/units", files=files), 413)


@pytest.mark.parametrize(
    ("service", "method", "path", "status"),
    [
        ("notification", "POST", f"/notifications/{2**70}/read", 422),  # beyond bigint
        ("proposal", "GET", "/transfers/not-a-uuid", 422),
        ("proposal", "GET", "/no-such-page", 404),
        ("proposal", "DELETE", "/transfers", 405),
        ("approval", "GET", "/audit/verify?from=9&to=1", 422),
    ],
)
async def test_errors_are_problems_that_reveal_no_internals(world, service, method, path, status):
    caller = world.callers["auditor" if "audit" in path else "hr_officer"]
    _assert_problem(
        await _request(world, service, method, path, headers=caller.headers(world.settings)), status
    )


async def test_malformed_json_is_a_problem_not_a_crash(world):
    response = await _request(
        world,
        "proposal",
        "POST",
        "/transfers",
        content=b'{"employee',
        headers={"Content-Type": "application/json"},
    )
    _assert_problem(response, 422)


async def test_answers_carry_headers_that_keep_personal_data_out_of_caches(world):
    response = await _request(
        world, "proposal", "GET", f"/employees/{world.home_transfer['employee_nip']}"
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
