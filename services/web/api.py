"""The web application's only way to data: the three services' public HTTP APIs.

Every call carries the signed-in person's own token, so the policy table decides in the
browser exactly what it decides on the API. Page reads (JSON GETs, most of the traffic) go
through one aiohttp session: its pool hands out a kept-alive connection at once, where
httpx's checks every pooled connection with system calls on each request (the web bench's
profile: half the process's CPU). Posts, uploads and downloads keep httpx.

Answers the pages must react to become exceptions: the session has ended (401), the thing is
not there for this person (403/404), the step was refused (400/409/413/415/422, with the
API's Indonesian message), or a service is down (5xx, connection errors).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import httpx
import orjson

from mutasi.settings import Settings

SERVICES = ("proposal", "approval", "notification")
TIMEOUT = httpx.Timeout(30.0, connect=5.0)
# Idle connections are dropped before the services' own keep-alive (uvicorn: 5 s) closes
# them: a request never goes out on a connection the server is closing.
KEEPALIVE_S = 4.0
NAMES_TTL_S = 300.0  # government names change when one is onboarded: minutes are fine


def reader_session() -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=200, limit_per_host=100, keepalive_timeout=KEEPALIVE_S)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT.read, connect=TIMEOUT.connect)
    return aiohttp.ClientSession(connector=connector, timeout=timeout)


class SignInAgain(Exception):
    """The API no longer accepts the session's token."""


class NotVisible(Exception):
    """Not found, or not this person's to see: the page answers 404 either way."""


class ServiceDown(Exception):
    """A service did not answer properly; the page says so and changes nothing."""


@dataclass
class Refused(Exception):
    """The API refused the request; `message` is its Indonesian explanation."""

    status: int
    message: str
    problem: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message

    @property
    def field_errors(self) -> list[str]:
        errors = self.problem.get("errors") or []
        return [f"{'.'.join(str(p) for p in e.get('loc', []))}: {e.get('msg')}" for e in errors]


def base_urls(settings: Settings) -> dict[str, str]:
    host = settings.bind_host if settings.bind_host != "0.0.0.0" else "127.0.0.1"  # noqa: S104
    return {
        "proposal": settings.web_proposal_api or f"http://{host}:{settings.proposal_port}",
        "approval": settings.web_approval_api or f"http://{host}:{settings.approval_port}",
        "notification": settings.web_notification_api
        or f"http://{host}:{settings.notification_port}",
    }


def _message(problem: dict[str, Any], status: int) -> str:
    title = str(problem.get("title") or "")
    if title:
        return title
    return f"Permintaan ditolak (HTTP {status})"


class Api:
    def __init__(
        self,
        settings: Settings,
        client: httpx.AsyncClient,
        reader: aiohttp.ClientSession,
    ) -> None:
        self.client = client
        self.reader = reader
        self.urls = base_urls(settings)
        self._names: tuple[float, dict[str, str]] | None = None

    async def government_names(self) -> dict[str, str]:
        """Slug → name of each government (the public list, no token), kept a few minutes,
        so pages name governments as people know them, not by their slug."""
        now = time.monotonic()
        if self._names is None or now - self._names[0] > NAMES_TTL_S:
            listed = await self.get("proposal", "/public/governments", None)
            self._names = (now, {g["slug"]: g["name"] for g in listed})
        return self._names[1]

    async def request(
        self,
        service: str,
        method: str,
        path: str,
        token: str | None,
        *,
        key: str | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        headers: dict[str, str] = {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if key:
            headers["Idempotency-Key"] = key
        try:
            response = await self.client.request(
                method, self.urls[service] + path, headers=headers, **kwargs
            )
        except httpx.HTTPError as exc:
            raise ServiceDown(f"{service}: {exc}") from exc
        if response.status_code < 400:
            return response
        raise _failure(response.status_code, response.content)

    async def get(self, service: str, path: str, token: str | None, **params: Any) -> Any:
        query = {k: v for k, v in params.items() if v is not None and v != ""}
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        url = self.urls[service] + path
        try:
            async with self.reader.get(url, params=_pairs(query), headers=headers) as response:
                status, body = response.status, await response.read()
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise ServiceDown(f"{service}: {exc!r}") from exc
        if status < 400:
            return orjson.loads(body)
        raise _failure(status, body)

    async def post(
        self,
        service: str,
        path: str,
        token: str,
        body: dict[str, Any] | None = None,
        *,
        key: str | None = None,
        files: dict[str, Any] | None = None,
        data: dict[str, Any] | None = None,
    ) -> Any:
        if files is not None:
            response = await self.request(
                service, "POST", path, token, key=key, files=files, data=data
            )
        else:
            response = await self.request(service, "POST", path, token, key=key, json=body or {})
        return response.json() if response.content else None


def _pairs(query: dict[str, Any]) -> list[tuple[str, str]]:
    """Query parameters as the API reads them: lists repeated, booleans in lowercase."""
    pairs = []
    for key, value in query.items():
        values = value if isinstance(value, list | tuple) else [value]
        for one in values:
            pairs.append((key, str(one).lower() if isinstance(one, bool) else str(one)))
    return pairs


def _failure(status: int, content: bytes) -> Exception:
    try:
        problem = orjson.loads(content) if content else {}
    except orjson.JSONDecodeError:
        problem = {}
    if not isinstance(problem, dict):
        problem = {}
    if status == 401:
        return SignInAgain()
    if status in (403, 404):
        return NotVisible(_message(problem, status))
    if status >= 500:
        return ServiceDown(f"HTTP {status}: {_message(problem, status)}")
    return Refused(status, _message(problem, status), problem)
