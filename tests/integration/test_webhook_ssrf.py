"""A government's admin cannot point a webhook at our own network (SSRF): internal addresses
are refused when a subscription is stored or changed, and again when a delivery is sent.

A deployment allows no private network by default. The session stack allows 127.0.0.0/8 (the
tests' receivers), so the default is shown by the notification app itself, in this process,
configured as a deployment is, on the session's database; the live service shows the
delivery-time check.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from uuid import uuid4

import asyncpg
import httpx
import pytest
import pytest_asyncio

from mutasi.auth.tokens import TokenVerifier
from mutasi.settings import Settings
from services.notification.app import create_app
from tests.e2e.notification_support import WebhookReceiver, eventually
from tests.integration.notification_story import Government, StoryTransfer, register_employee

pytestmark = pytest.mark.usefixtures("stack")
REFUSED = "https://mutasi.go.id/problems/webhook-url-refused"


@pytest_asyncio.fixture
async def deployment(settings: Settings, pool: asyncpg.Pool) -> AsyncIterator[httpx.AsyncClient]:
    """The notification API with the default settings: no network allowed beyond public."""
    default = settings.model_copy(update={"webhook_allowed_networks": []})
    app = create_app(default)
    app.state.settings, app.state.pool = default, pool
    app.state.verifier, app.state.temporal = TokenVerifier(default), None
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://notification") as client:
        yield client


async def _subscribe(client: httpx.AsyncClient, gov: Government, url: str) -> httpx.Response:
    return await client.post(
        "/webhook-subscriptions",
        headers=gov.hr.headers | {"Idempotency-Key": str(uuid4())},
        json={"url": url, "event_types": ["transfer.*"]},
    )


async def _stored_urls(client: httpx.AsyncClient, gov: Government) -> list[str]:
    r = await client.get("/webhook-subscriptions", headers=gov.hr.headers)
    assert r.status_code == 200, r.text
    return [s["url"] for s in r.json()["items"]]


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:5432/", "address"),  # our PostgreSQL
        ("https://localhost:4222/", "address"),  # our NATS, by name
        ("https://10.0.0.1/hooks", "address"),
        ("http://169.254.169.254/latest/meta-data/", "address"),
        ("https://[::1]:7233/", "address"),  # our Temporal
        ("https://admin:rahasia@93.184.216.34/hooks", "userinfo"),
        ("http://93.184.216.34/hooks", "plain-http"),
        ("https://tidak-ada.invalid/hooks", "unresolvable"),
    ],
)
async def test_an_internal_or_unsafe_url_is_refused_and_nothing_is_stored(
    deployment: httpx.AsyncClient, settings: Settings, url: str, reason: str
) -> None:
    gov = await Government(settings).registered()
    r = await _subscribe(deployment, gov, url)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert (problem["type"], problem["field"], problem["reason"]) == (REFUSED, "url", reason)
    assert problem["title"] and problem["detail"]  # Indonesian, English
    assert await _stored_urls(deployment, gov) == []


async def test_a_public_https_url_is_accepted_and_cannot_be_changed_to_an_internal_one(
    deployment: httpx.AsyncClient, settings: Settings
) -> None:
    gov = await Government(settings).registered()
    created = await _subscribe(deployment, gov, "https://93.184.216.34/hooks/mutasi")
    assert created.status_code == 201, created.text
    path = f"/webhook-subscriptions/{created.json()['id']}"
    r = await deployment.patch(
        path, headers=gov.hr.headers, json={"url": "http://169.254.169.254/latest/meta-data/"}
    )
    assert r.status_code == 422 and r.json()["type"] == REFUSED
    assert await _stored_urls(deployment, gov) == ["https://93.184.216.34/hooks/mutasi"]


async def test_the_live_service_allows_only_the_configured_loopback_network(
    settings: Settings,
) -> None:
    gov = await Government(settings).registered()
    for url in ("https://[::1]/hooks", "http://169.254.169.254/", "http://10.1.2.3/hooks"):
        r = await gov.hr.call(
            "POST",
            "notification",
            "/webhook-subscriptions",
            key=str(uuid4()),
            json={"url": url, "event_types": ["transfer.*"]},
        )
        assert r.status_code == 422 and r.json()["type"] == REFUSED, (url, r.text)
    r = await gov.hr.call("GET", "notification", "/webhook-subscriptions")
    assert r.json()["items"] == []


async def test_a_url_that_now_leads_inside_is_dead_lettered_unsent_and_redrivable_once_fixed(
    settings: Settings, pool: asyncpg.Pool, receiver: WebhookReceiver
) -> None:  # noqa: F811
    gov = await Government(settings).registered()
    receiver.up()
    r = await gov.hr.call(
        "POST",
        "notification",
        "/webhook-subscriptions",
        key=str(uuid4()),
        json={"url": receiver.url, "event_types": ["transfer.*"]},
    )
    assert r.status_code == 201, r.text
    path = f"/webhook-subscriptions/{r.json()['id']}"
    # Its name re-pointed at the metadata address after it was checked (DNS rebinding): we
    # cannot move DNS in a test, so the stored URL is moved, past the API's check.
    await pool.execute(
        "UPDATE webhook_subscriptions SET url = $2 WHERE id = $1",
        r.json()["id"],
        "http://169.254.169.254:80/latest/meta-data/",
    )
    await StoryTransfer(gov, await register_employee(pool, gov)).record_next(pool)

    async def dead() -> list[dict]:
        return list(
            (await gov.hr.call("GET", "notification", f"{path}/dead-letters")).json()["items"]
        )

    [letter] = await eventually(dead, timeout=30)
    assert letter["attempts"] == 1  # no retry: none could be sent
    assert "169.254" not in letter["last_error"]  # the tenant learns no internal address
    assert "jaringan internal" in letter["last_error"] and receiver.received == []

    fixed = await gov.hr.call("PATCH", "notification", path, json={"url": receiver.url})
    assert fixed.status_code == 200, fixed.text
    r = await gov.hr.call("POST", "notification", f"{path}/redrive", json={}, key=str(uuid4()))
    assert r.json()["redriven"] == 1
    await eventually(lambda: receiver.received, timeout=30)
