"""NATS: each service is its own user, allowed only its subjects (SPEC §7).

A NATS server runs here with exactly the configuration `make run` generates (and no
credential-less user), so these checks are about what a developer and production get.
"""

from __future__ import annotations

import asyncio
import json
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import nats
import pytest
import pytest_asyncio
from nats.aio.client import Client
from nats.errors import Error as NatsError

from mutasi.embedded.nats import (
    nats_credentials,
    nats_process,
    nats_users,
    production_accounts,
    write_nats_config,
)
from mutasi.embedded.process import ManagedProcess, free_port
from mutasi.embedded.stack import Stack
from mutasi.messaging.jetstream import connect, ensure_stream
from mutasi.settings import Settings

APPROVED = "mutasi.kota-sorong.transfer.approved"


class NatsUnderTest:
    def __init__(self, root: Path) -> None:
        self.settings = Settings(
            var_dir=root,
            nats_url=f"nats://127.0.0.1:{free_port()}",
            nats_monitor_port=free_port(),
            stream_name="MUTASI",
        )
        config = write_nats_config(root / "nats.conf", self.settings.keys_dir, "MUTASI")
        self.process: ManagedProcess = nats_process(
            root / "store",
            int(self.settings.nats_url.rsplit(":", 1)[1]),
            self.settings.nats_monitor_port,
            root / "nats.log",
            config=config,
        )
        self.passwords = nats_credentials(self.settings.keys_dir, list(nats_users("MUTASI")))
        self.refusals: asyncio.Queue[str] = asyncio.Queue()

    async def as_user(self, user: str) -> Client:
        async def on_error(error: Exception) -> None:
            await self.refusals.put(str(error))

        return await nats.connect(
            self.settings.nats_url,
            user=user,
            password=self.passwords[user],
            inbox_prefix=f"_INBOX.{user}",
            error_cb=on_error,
            allow_reconnect=False,
        )

    async def refusal(self) -> str:
        return (await asyncio.wait_for(self.refusals.get(), timeout=5)).lower()


@pytest.fixture(scope="module")
def secured(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NatsUnderTest]:
    server = NatsUnderTest(tmp_path_factory.mktemp("nats-secured"))
    server.process.start()
    try:
        yield server
    finally:
        server.process.stop()


@pytest_asyncio.fixture
async def admin(secured: NatsUnderTest) -> AsyncIterator[Client]:
    client = await secured.as_user("admin")
    await ensure_stream(client.jetstream(), secured.settings)
    yield client
    await client.close()


async def _last_sequence(admin: Client) -> int:
    return int((await admin.jetstream().stream_info("MUTASI")).state.last_seq)


async def test_the_notification_service_cannot_publish_a_transfer_event(secured, admin):
    before = await _last_sequence(admin)
    notification = await secured.as_user("notification")
    await notification.publish(APPROVED, b'{"forged": true}')
    await notification.flush()
    assert "permissions violation for publish" in await secured.refusal()
    await notification.close()
    assert await _last_sequence(admin) == before


async def test_the_relay_publishes_and_the_notification_service_consumes(secured, admin):
    relay = await secured.as_user("relay")
    await ensure_stream(relay.jetstream(), secured.settings)
    ack = await relay.jetstream().publish(
        APPROVED, b'{"id": "e-1"}', headers={"Nats-Msg-Id": "e-1"}
    )
    assert ack.stream == "MUTASI"

    # The notification service's own start-up path: stream unchanged, its durable, fetch, ack.
    settings = secured.settings.model_copy(
        update={"nats_user": "notification", "nats_password": secured.passwords["notification"]}
    )
    notification = await connect(settings, name="notification")
    js = notification.jetstream()
    await ensure_stream(js, settings)
    pull = await js.pull_subscribe(APPROVED, durable="notification-test", stream="MUTASI")
    [message] = await pull.fetch(1, timeout=5)
    assert json.loads(message.data) == {"id": "e-1"}
    await message.ack_sync()
    await relay.close()
    await notification.close()


async def test_a_subscribing_system_reads_events_but_cannot_publish_or_manage(secured, admin):
    subscriber = await secured.as_user("subscriber")
    js = subscriber.jetstream()
    seen = await js.subscribe("mutasi.>", ordered_consumer=True)
    await admin.jetstream().publish("mutasi.kota-medan.transfer.checked", b"{}")
    assert (await seen.next_msg(timeout=5)).subject.startswith("mutasi.")
    await subscriber.publish("mutasi.kota-medan.transfer.checked", b"{}")
    assert "permissions violation for publish" in await secured.refusal()
    await subscriber.publish("$JS.API.STREAM.DELETE.MUTASI", b"")
    assert "permissions violation for publish" in await secured.refusal()
    await subscriber.close()


async def test_the_relay_cannot_read_events_nor_another_users_inbox(secured, admin):
    relay = await secured.as_user("relay")
    await relay.subscribe("mutasi.>")
    assert "permissions violation for subscription" in await secured.refusal()
    await relay.subscribe("_INBOX.notification.>")
    assert "permissions violation for subscription" in await secured.refusal()
    await relay.close()


@pytest.mark.parametrize("password", [None, "wrong-password"])
async def test_a_client_without_valid_credentials_is_refused(secured, password):
    with pytest.raises(NatsError):
        await nats.connect(
            secured.settings.nats_url,
            user="relay" if password else None,
            password=password,
            allow_reconnect=False,
            max_reconnect_attempts=0,
            connect_timeout=2,
        )


def test_passwords_are_generated_once_and_private(secured):
    path = secured.settings.keys_dir / "nats-users.json"
    assert path.stat().st_mode & 0o077 == 0
    again = nats_credentials(secured.settings.keys_dir, list(nats_users("MUTASI")))
    assert again == secured.passwords and len(set(again.values())) == len(again)


def _connections(stack: Stack) -> list[dict[str, Any]]:
    url = f"http://127.0.0.1:{stack.settings.nats_monitor_port}/connz?auth=true"
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
        return list(json.load(response)["connections"])


def test_the_running_services_connect_as_their_own_users(stack):
    users = {c.get("name"): c.get("authorized_user") for c in _connections(stack)}
    assert users.get("relay") == "relay"
    assert users.get("notification") == "notification"


def test_the_production_accounts_file_grants_exactly_what_make_run_grants():
    checked_in = Path(__file__).resolve().parents[2] / "deploy" / "nats" / "accounts.conf"
    assert checked_in.read_text() == production_accounts(), (
        "regenerate: python -c 'from mutasi.embedded.nats import production_accounts;"
        ' print(production_accounts(), end="")\' > deploy/nats/accounts.conf'
    )
