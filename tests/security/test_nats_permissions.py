"""NATS: each service is its own user, allowed only its subjects (SPEC §7).

A NATS server runs here with exactly the configuration `make run` generates (and no
credential-less user), so these checks are about what a developer and production get.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import nats
import pytest
import pytest_asyncio
from nats.aio.client import Client
from nats.errors import Error as NatsError
from nats.js.api import ConsumerConfig

from mutasi.embedded.nats import (
    nats_credentials,
    nats_process,
    nats_users,
    production_accounts,
    write_nats_config,
)
from mutasi.embedded.process import ManagedProcess, free_port
from mutasi.embedded.stack import Stack
from mutasi.messaging.consumer import DurableConsumer
from mutasi.messaging.jetstream import connect, ensure_stream
from mutasi.messaging.nats_access import NOTIFICATION_CONSUMER, add_subscriber, read_subscribers
from mutasi.settings import Settings

APPROVED = "mutasi.kota-sorong.transfer.approved"
MEDAN_APPROVED = "mutasi.kota-medan.transfer.approved"
SORONG_SYSTEM, NATIONAL_SYSTEM = "simpeg-sorong", "siasn-bkn"


class NatsUnderTest:
    def __init__(self, root: Path) -> None:
        self.settings = Settings(
            var_dir=root,
            nats_url=f"nats://127.0.0.1:{free_port()}",
            nats_monitor_port=free_port(),
            stream_name="MUTASI",
        )
        # A government's system and a national one, added as `mutasi subscriber add` does.
        add_subscriber(self.settings.keys_dir, SORONG_SYSTEM, "mutasi.kota-sorong.>")
        add_subscriber(self.settings.keys_dir, NATIONAL_SYSTEM, "mutasi.>")
        config = write_nats_config(root / "nats.conf", self.settings.keys_dir, "MUTASI")
        self.process: ManagedProcess = nats_process(
            root / "store",
            int(self.settings.nats_url.rsplit(":", 1)[1]),
            self.settings.nats_monitor_port,
            root / "nats.log",
            config=config,
        )
        users = nats_users("MUTASI", read_subscribers(self.settings.keys_dir))
        self.passwords = nats_credentials(self.settings.keys_dir, list(users))
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
    consumer = DurableConsumer(
        None,  # type: ignore[arg-type] - subscribing needs no database
        js,
        name=NOTIFICATION_CONSUMER,
        stream="MUTASI",
        subject="mutasi.>",
        handler=None,  # type: ignore[arg-type]
    )
    pull = await consumer.subscribe()
    [message] = await pull.fetch(1, timeout=5)
    assert json.loads(message.data) == {"id": "e-1"}
    await message.ack_sync()
    await relay.close()
    await notification.close()


async def _consumer(js, name: str, filter_: str) -> None:  # noqa: ANN001
    await js.add_consumer(
        "MUTASI", ConsumerConfig(name=name, durable_name=name, filter_subject=filter_)
    )


async def test_a_governments_system_reads_its_government_through_its_own_consumer(secured, admin):
    system = await secured.as_user(SORONG_SYSTEM)
    js = system.jetstream()
    await _consumer(js, SORONG_SYSTEM, "mutasi.kota-sorong.>")
    await admin.jetstream().publish(MEDAN_APPROVED, b'{"tenant": "kota-medan"}')
    await admin.jetstream().publish(APPROVED, b'{"tenant": "kota-sorong"}')
    pull = await js.pull_subscribe_bind(durable=SORONG_SYSTEM, stream="MUTASI")
    messages = await pull.fetch(10, timeout=2)
    assert {m.subject for m in messages} == {APPROVED}  # never Kota Medan's
    await messages[0].ack_sync()
    await system.close()


@pytest.mark.parametrize(
    ("consumer", "filter_"),
    [
        (SORONG_SYSTEM, "mutasi.kota-medan.>"),  # another government
        (SORONG_SYSTEM, "mutasi.>"),  # every government
        ("another-name", "mutasi.kota-sorong.>"),  # a consumer not its own
        (NOTIFICATION_CONSUMER, "mutasi.kota-sorong.>"),  # the notification service's
    ],
)
async def test_a_governments_system_cannot_widen_its_grant(secured, admin, consumer, filter_):
    system = await secured.as_user(SORONG_SYSTEM)
    with pytest.raises(NatsError):
        await _consumer(system.jetstream(), consumer, filter_)
    assert "permissions violation for publish" in await secured.refusal()
    await system.close()


@pytest.mark.parametrize("user", [SORONG_SYSTEM, NATIONAL_SYSTEM])
async def test_no_subscriber_can_pull_or_ack_the_notification_services_durable(
    secured, admin, user
):
    await _consumer(admin.jetstream(), NOTIFICATION_CONSUMER, "mutasi.>")
    await admin.jetstream().publish(APPROVED, b"{}")
    system = await secured.as_user(user)
    await system.publish(
        f"$JS.API.CONSUMER.MSG.NEXT.MUTASI.{NOTIFICATION_CONSUMER}",
        b'{"batch": 1}',
        reply=f"_INBOX.{user}.steal",
    )
    assert "permissions violation for publish" in await secured.refusal()
    await system.publish(f"$JS.ACK.MUTASI.{NOTIFICATION_CONSUMER}.1.1.1.1.1", b"+ACK")
    assert "permissions violation for publish" in await secured.refusal()
    await system.publish("$JS.API.STREAM.INFO.MUTASI", b"", reply=f"_INBOX.{user}.x")
    assert "permissions violation for publish" in await secured.refusal()
    await system.close()


async def test_the_notification_service_has_its_one_consumer_only(secured, admin):
    notification = await secured.as_user("notification")
    with pytest.raises(NatsError):
        await _consumer(notification.jetstream(), "notification-extra", "mutasi.>")
    assert "permissions violation for publish" in await secured.refusal()
    await notification.close()


async def test_a_subscribing_system_cannot_publish_or_manage(secured, admin):
    subscriber = await secured.as_user(NATIONAL_SYSTEM)
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
    users = nats_users("MUTASI", read_subscribers(secured.settings.keys_dir))
    again = nats_credentials(secured.settings.keys_dir, list(users))
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


async def test_subscriber_add_gives_a_system_its_own_user_on_the_running_server(tmp_path):
    """`mutasi subscriber add` writes the user and makes the running NATS take it (reload)."""
    settings = Settings(
        var_dir=tmp_path,
        nats_url=f"nats://127.0.0.1:{free_port()}",
        nats_monitor_port=free_port(),
    )
    config = write_nats_config(tmp_path / "nats" / "nats.conf", settings.keys_dir, "MUTASI")
    port = int(settings.nats_url.rsplit(":", 1)[1])
    server = nats_process(
        tmp_path / "nats", port, settings.nats_monitor_port, tmp_path / "nats.log", config=config
    ).start()
    try:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("MUTASI_")}
        added = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "mutasi.cli", "subscriber", "add", "simpeg-medan"]
            + ["--tenant", "kota-medan"],
            env=clean | {"MUTASI_VAR_DIR": str(tmp_path)},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert added.returncode == 0, added.stderr
        lines = dict(line.split("=", 1) for line in added.stdout.splitlines() if "=" in line)
        assert lines["MUTASI_NATS_USER"] == "simpeg-medan"
        assert "mutasi.kota-medan.>" in added.stdout
        reader = settings.model_copy(
            update={"nats_user": "simpeg-medan", "nats_password": lines["MUTASI_NATS_PASSWORD"]}
        )
        for _ in range(50):  # the server reloads its users in the background
            try:
                client = await connect(reader, name="simpeg", reconnect=False)
                break
            except NatsError:
                await asyncio.sleep(0.1)
        await ensure_stream_as_admin(settings)
        await _consumer(client.jetstream(), "simpeg-medan", "mutasi.kota-medan.>")
        await client.close()
    finally:
        server.stop()


async def ensure_stream_as_admin(settings: Settings) -> None:
    password = nats_credentials(settings.keys_dir, ["admin"])["admin"]
    admin = await nats.connect(settings.nats_url, user="admin", password=password)
    await ensure_stream(admin.jetstream(), settings)
    await admin.close()
