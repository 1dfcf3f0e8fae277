"""Web pages under 20 signed-in users (SPEC §9: p95 ≤ 1.3× the API calls they wrap).

Ours: "Tugas saya" (/tugas) and "Daftar usulan" (/usulan) of the web application, each of
20 BKPSDM officers signed in through the local OIDC issuer (their own session cookie), one
httpx client each, closed loop.
Floor: the same clients making exactly the API calls the page makes, with the same token
and the same concurrency inside a page (Tugas saya: what waits for me and the unread count,
at once; Daftar usulan: one page of the list).
Ours and the floor alternate in rounds, so a neighbour's load falls on both alike. Fifteen
proposals are under way, so Tugas saya has a list to show.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from html import unescape
from uuid import uuid4

import httpx

from bench.api_bench import proposal
from bench.cases import movable_cases
from bench.driver import Api
from bench.harness import Figure, percentile, report, shared_stack
from mutasi import clock
from mutasi.auth.tokens import issue_token
from mutasi.db import create_pool
from mutasi.oidc_local.directory import read_directory
from mutasi.settings import Settings

USERS = 20
PER_USER = 5  # page views per user and round
ROUNDS = 4
OPEN_PROPOSALS = 15
TARGET_RATIO = 1.3
_HIDDEN = re.compile(r'<input type="hidden" name="(\w+)" value="([^"]*)"')


async def _sign_in(client: httpx.AsyncClient, person: str) -> None:
    page = await client.get("/masuk", follow_redirects=True)
    params = {k: unescape(v) for k, v in _HIDDEN.findall(page.text)}
    done = await client.post(
        "/oidc/authorize", data=params | {"person": person}, follow_redirects=True
    )
    if done.status_code != 200:
        raise RuntimeError(f"sign-in failed: {done.status_code}")


class Users:
    """USERS signed-in browsers (a cookie jar and a connection each) and their API tokens."""

    def __init__(self, settings: Settings, token: str) -> None:
        self.web = [httpx.AsyncClient(base_url=settings.web_url, timeout=60) for _ in range(USERS)]
        self.api = [httpx.AsyncClient(timeout=60) for _ in range(USERS)]
        self.auth = {"Authorization": f"Bearer {token}"}

    async def close(self) -> None:
        await asyncio.gather(*(c.aclose() for c in self.web + self.api))


async def _tasks_floor(api: Api, http: httpx.AsyncClient, auth: dict[str, str]) -> None:
    """What /tugas asks the APIs (services/web/routes/tasks.py): both at once."""
    listed, unread = await asyncio.gather(
        http.get(api.url("approval", "/tasks"), params={"limit": 50, "offset": 0}, headers=auth),
        http.get(api.url("notification", "/notifications/unread-count"), headers=auth),
    )
    for response in (listed, unread):
        if response.status_code != 200:
            raise RuntimeError(f"{response.url}: {response.status_code}")


RETRIED: list[str] = []


async def _loop(
    clients: list[httpx.AsyncClient], view: Callable[[httpx.AsyncClient], Awaitable[None]]
) -> list[float]:
    latencies: list[float] = []

    async def user(client: httpx.AsyncClient) -> None:
        for _ in range(PER_USER):
            begun = time.perf_counter()
            try:
                await view(client)
            except httpx.RemoteProtocolError as exc:  # a connection the server had closed
                RETRIED.append(str(exc))
                await view(client)
            latencies.append(1000 * (time.perf_counter() - begun))

    await asyncio.gather(*(user(c) for c in clients))
    return latencies


async def _page(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path}: {response.status_code}")


async def _prepare(settings: Settings, api: Api) -> str:
    """Open proposals of one government; returns that government's slug."""
    pool = await create_pool(settings, max_size=2)
    cases = await movable_cases(pool, OPEN_PROPOSALS, share_vacancies=True)
    await pool.close()
    tenant = cases[0].tenant
    async with httpx.AsyncClient(timeout=60) as http:
        for case in [c for c in cases if c.tenant == tenant]:
            headers = api.headers(tenant, "hr_officer") | {"Idempotency-Key": str(uuid4())}
            body = proposal(case) | {"effective_date": clock.today().isoformat()}
            await http.post(api.url("proposal", "/transfers"), json=body, headers=headers)
    await asyncio.sleep(5)  # the workflows record and check them
    return tenant


async def _measure(settings: Settings) -> dict[str, tuple[list[float], list[float]]]:
    api = Api(settings)
    tenant = await _prepare(settings, api)
    officer = next(
        p for p in read_directory(settings) if p.tenant == tenant and "hr_officer" in p.roles
    )
    users = Users(settings, issue_token(settings, **officer.claims()))
    results: dict[str, tuple[list[float], list[float]]] = {"tugas": ([], []), "usulan": ([], [])}
    try:
        await asyncio.gather(*(_sign_in(c, officer.id) for c in users.web))
        floors: dict[str, Callable[[httpx.AsyncClient], Awaitable[None]]] = {
            "tugas": lambda c: _tasks_floor(api, c, users.auth),
            "usulan": lambda c: _page_api(api, c, users.auth),
        }
        for name in results:
            await _loop(users.web, lambda c, n=name: _page(c, f"/{n}"))  # warm-up
            await _loop(users.api, floors[name])
        for _ in range(ROUNDS):
            for name, (ours, floor) in results.items():
                ours += await _loop(users.web, lambda c, n=name: _page(c, f"/{n}"))
                floor += await _loop(users.api, floors[name])
    finally:
        await users.close()
        await api.close()
    return results


async def _page_api(api: Api, http: httpx.AsyncClient, auth: dict[str, str]) -> None:
    """What /usulan asks the API (services/web/routes/transfer_list.py): one page."""
    params = {"limit": 25, "offset": 0, "sort": "baru"}
    response = await http.get(api.url("proposal", "/transfers"), params=params, headers=auth)
    if response.status_code != 200:
        raise RuntimeError(f"/transfers: {response.status_code}")


NAMES = {"tugas": "Tugas saya", "usulan": "Daftar usulan"}


def run() -> list[Figure]:
    bench = shared_stack()
    bench.ensure_relay()
    bench.ensure("worker", "proposal", "approval", "notification", "web")
    results = asyncio.run(_measure(bench.settings))
    figures = []
    for key, (ours, floor) in results.items():
        mine, base = percentile(ours, 95), percentile(floor, 95)
        figures.append(
            report(
                Figure(
                    f"web page {NAMES[key]} p95, {USERS} signed-in users",
                    mine,
                    "ms",
                    base,
                    "the API calls the page wraps, same users and token",
                    f"≤ {TARGET_RATIO}× the floor",
                    mine <= TARGET_RATIO * base,
                    details={
                        "views": len(ours),
                        "users": USERS,
                        "p50": percentile(ours, 50),
                        "retried_connections": len(RETRIED),
                    },
                )
            )
        )
    return figures
