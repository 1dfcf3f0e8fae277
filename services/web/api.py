"""The web application's only way to data: the three services' public HTTP APIs.

Every call carries the signed-in person's own token, so the policy table decides in the
browser exactly what it decides on the API. Answers the pages must react to become
exceptions: the session has ended (401), the thing is not there for this person (403/404),
the step was refused (400/409/413/415/422, with the API's Indonesian message), or a service
is down (5xx, connection errors).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx

from mutasi.settings import Settings

SERVICES = ("proposal", "approval", "notification")
TIMEOUT = httpx.Timeout(30.0, connect=5.0)


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
    def __init__(self, settings: Settings, client: httpx.AsyncClient) -> None:
        self.client = client
        self.urls = base_urls(settings)

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
        raise _failure(response)

    async def get(self, service: str, path: str, token: str | None, **params: Any) -> Any:
        query = {k: v for k, v in params.items() if v is not None and v != ""}
        return (await self.request(service, "GET", path, token, params=query)).json()

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


def _failure(response: httpx.Response) -> Exception:
    status = response.status_code
    try:
        problem = response.json()
    except ValueError:
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
