"""Calling the public HTTP APIs as BKPSDM, the panel and the PPK, and watching statuses.

Used by the benchmarks and by the fault tests, so every call is patient: a refused connection
or a 5xx is retried with the same Idempotency-Key (a retry takes the step once), except an
explicit 503 "unavailable", which says the step was not taken, so it is retried afresh.
Statuses are watched in the read model GET /transfers reads, by one query for all of them.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Iterable
from typing import Any

import asyncpg
import httpx

from mutasi.auth.tokens import issue_token
from mutasi.settings import Settings

FAILED = frozenset({"returned", "rejected", "withdrawn", "not_recommended"})
PANEL = 3  # members of each meeting; all vote, the quorum is 2


class StepFailed(AssertionError):
    """A step answered with an error that waiting does not cure."""


class Api:
    def __init__(self, settings: Settings, *, patience_s: float = 300.0) -> None:
        self.settings, self.patience_s = settings, patience_s
        self.client = httpx.AsyncClient(
            timeout=httpx.Timeout(180.0, connect=5.0),
            limits=httpx.Limits(max_connections=400, max_keepalive_connections=400),
        )
        self._tokens: dict[tuple[str, str, str], str] = {}
        self.calls: Counter[str] = Counter()  # requests sent, by method and resource
        self.retries = 0  # 5xx or no answer
        self.settles = 0  # refused for a moment, until the workflow caught up

    def url(self, service: str, path: str) -> str:
        port = {
            "proposal": self.settings.proposal_port,
            "approval": self.settings.approval_port,
            "notification": self.settings.notification_port,
        }[service]
        return f"http://{self.settings.bind_host}:{port}{path}"

    def headers(
        self, tenant: str, role: str, sub: str | None = None, nip: str | None = None
    ) -> dict[str, str]:
        sub = sub or f"{role}@{tenant}"
        if (tenant, role, sub) not in self._tokens:
            self._tokens[tenant, role, sub] = issue_token(
                self.settings, sub=sub, tenant=tenant, roles=[role], nip=nip
            )
        return {"Authorization": f"Bearer {self._tokens[tenant, role, sub]}"}

    async def call(
        self,
        method: str,
        service: str,
        path: str,
        *,
        tenant: str,
        role: str,
        sub: str | None = None,
        json: Any = None,
        key: str | None = None,
        ok: Iterable[int] = (200, 201, 202),
        settle: Iterable[int] = (),
        settle_s: float = 30.0,
        files: Any = None,
        data: Any = None,
    ) -> httpx.Response:
        """`settle`: statuses retried for `settle_s` seconds, for a step the workflow has not
        caught up with yet (the read model may show a status a moment before it does)."""
        deadline, pause, attempt = time.monotonic() + self.patience_s, 0.2, 0
        settled_by = time.monotonic() + settle_s
        while True:
            headers = self.headers(tenant, role, sub)
            if key:
                headers["Idempotency-Key"] = key if attempt == 0 else f"{key}.{attempt}"
            self.calls[f"{method} /{path.split('/')[1]}"] += 1
            try:
                response = await self.client.request(
                    method,
                    self.url(service, path),
                    json=json,
                    files=files,
                    data=data,
                    headers=headers,
                )
                if response.status_code in ok:
                    return response
                if response.status_code in settle and time.monotonic() < settled_by:
                    self.settles += 1
                    await asyncio.sleep(0.1)
                    continue
                if response.status_code < 500:
                    raise StepFailed(f"{method} {path}: {response.status_code} {response.text}")
                if response.status_code == 503:
                    attempt += 1  # not taken: the next try is a new request
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise StepFailed(f"{method} {path}: no answer within {self.patience_s:.0f} s")
            self.retries += 1
            await asyncio.sleep(pause)
            pause = min(pause * 2, 2.0)

    async def close(self) -> None:
        await self.client.aclose()


class StatusBoard:
    """Watches many transfers' statuses with one query every `interval` seconds."""

    def __init__(self, settings: Settings, interval: float = 0.15) -> None:
        self.dsn, self.interval = settings.dsn(), interval
        self._waiting: dict[str, list[tuple[frozenset[str], asyncio.Future[str]]]] = {}
        self._task: asyncio.Task[None] | None = None
        self._conn: asyncpg.Connection | None = None
        self.last: dict[str, str] = {}

    async def __aenter__(self) -> StatusBoard:
        self._task = asyncio.create_task(self._poll())
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        if self._conn is not None:
            await self._conn.close()

    async def wait(self, transfer_id: str, *wanted: str, timeout: float = 300.0) -> str:
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(transfer_id, []).append((frozenset(wanted), future))
        try:
            return await asyncio.wait_for(future, timeout)
        except TimeoutError:
            raise StepFailed(
                f"transfer {transfer_id} never reached {wanted};"
                f" last seen {self.last.get(transfer_id)}"
            ) from None

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                if self._conn is None or self._conn.is_closed():
                    self._conn = await asyncpg.connect(self.dsn)
                rows = await self._conn.fetch(
                    "SELECT id::text, status FROM transfers WHERE id = ANY($1::uuid[])",
                    list(self._waiting),
                )
            except Exception:  # noqa: BLE001 - PostgreSQL restarting (any asyncpg error): retry
                if self._conn is not None:
                    self._conn.terminate()
                self._conn = None
                continue
            for row in rows:
                self.last[row["id"]] = row["status"]
                self._settle(row["id"], row["status"])

    def _settle(self, transfer_id: str, status: str) -> None:
        pending = []
        for wanted, future in self._waiting.get(transfer_id, []):
            if future.done():
                continue
            if status in wanted:
                future.set_result(status)
            elif status in FAILED:
                future.set_exception(StepFailed(f"transfer {transfer_id} is {status}"))
            else:
                pending.append((wanted, future))
        if pending:
            self._waiting[transfer_id] = pending
        else:
            self._waiting.pop(transfer_id, None)
