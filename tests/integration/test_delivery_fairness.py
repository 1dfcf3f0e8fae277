"""Finding 11: one government's slow webhook receiver cannot stall delivery for the others.

The delivery loop used to share 32 slots first come, first served, give each phase of an
attempt its own timeout and read whole answers: a receiver that drips its answer, or sends
a huge one, held a slot (and memory) for as long as it liked, and a burst for one receiver
took every slot — e-mail for every government waited. Now each government and channel gets
at most a few slots, an attempt has one deadline, and only the start of an answer is read.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from uuid import uuid4

import asyncpg

from mutasi.db import create_pool
from mutasi.settings import Settings
from services.notification import egress, signing, webhooks
from services.notification.delivery import DeliveryLoop, claim
from tests.e2e.notification_support import eventually

SLOW, QUIET = "uji-lambat", "uji-tenang"


async def _pending(conn: asyncpg.Connection, tenant: str, channel: str, n: int) -> None:
    for _ in range(n):
        await conn.execute(
            "INSERT INTO notification_deliveries (tenant, event_id, event_type, channel, target,"
            " max_attempts, next_attempt_at) VALUES ($1, $2, 'transfer.approved', $3, $4, 5,"
            " now() - interval '1 minute')",
            tenant,
            uuid4(),
            channel,
            f"{channel}-{uuid4()}",
        )


def _lanes(rows: list[asyncpg.Record]) -> Counter[str]:
    return Counter(f"{r['tenant']}/{r['channel']}" for r in rows)


async def test_a_burst_for_one_receiver_leaves_slots_for_the_others(pool):
    async with pool.acquire() as conn:
        tx = conn.transaction()  # rows nobody else sees, and gone afterwards
        await tx.start()
        try:
            await _pending(conn, SLOW, "webhook", 20)
            await _pending(conn, SLOW, "email", 3)
            await _pending(conn, QUIET, "email", 1)
            rows = await claim(conn, 8, 30, 2, Counter())
            lanes = _lanes([r for r in rows if r["tenant"] in (SLOW, QUIET)])
            assert lanes == Counter({f"{SLOW}/webhook": 2, f"{SLOW}/email": 2, f"{QUIET}/email": 1})
            # Its two slots still busy: nothing more for that receiver, the rest goes on.
            await _pending(conn, QUIET, "email", 1)
            busy = Counter({f"{SLOW}/webhook": 2})
            more = _lanes([r for r in await claim(conn, 8, 30, 2, busy) if r["tenant"] == SLOW])
            assert more[f"{SLOW}/webhook"] == 0
        finally:
            await tx.rollback()


class HeldReceiver:
    """A slow government's webhook receiver: it holds every request open until released."""

    def __init__(self) -> None:
        self.open, self.release = 0, asyncio.Event()

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.open += 1
        try:
            await reader.readuntil(b"\r\n\r\n")
            await self.release.wait()
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
            await writer.drain()
        except (ConnectionError, OSError, asyncio.IncompleteReadError):
            pass
        finally:
            self.open -= 1
            writer.close()


async def test_the_delivery_loop_gives_a_slow_receiver_its_lane_and_no_more(own_database):
    """The running loop, in a database of its own (no other sender claims its rows): with
    MUTASI_DELIVERY_PER_TENANT=2 a receiver that never answers holds two sends, the other
    four wait although six slots are free, and another government's e-mail goes out."""
    settings = own_database.model_copy(update={"delivery_per_tenant": 2})
    receiver = HeldReceiver()
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}/hooks"
    pool = await create_pool(settings)
    stop = asyncio.Event()
    running = None
    try:
        subscription = uuid4()
        await pool.execute(
            "INSERT INTO webhook_subscriptions (id, tenant, url, event_types, secret, created_by)"
            " VALUES ($1, $2, $3, '{transfer.approved}', $4, 'uji')",
            subscription,
            SLOW,
            url,
            signing.new_secret(),
        )
        for _ in range(6):
            await pool.execute(
                "INSERT INTO notification_deliveries (tenant, event_id, event_type, channel,"
                " target, subscription_id, body, max_attempts) VALUES ($1, $2,"
                " 'transfer.approved', 'webhook', $3, $4, '{}', 5)",
                SLOW,
                uuid4(),
                f"webhook-{uuid4()}",
                subscription,
            )
        async with pool.acquire() as conn:
            await _pending(conn, QUIET, "email", 1)
        loop = DeliveryLoop(pool, settings, concurrency=8)
        running = asyncio.create_task(loop.run(stop))

        async def settled() -> list[asyncpg.Record] | None:
            rows = await pool.fetch("SELECT channel, attempts FROM notification_deliveries")
            mail = next(r for r in rows if r["channel"] == "email")
            return rows if receiver.open >= 2 and mail["attempts"] >= 1 else None

        rows = await eventually(settled)
        claimed = sorted(r["attempts"] for r in rows if r["channel"] == "webhook")
        assert claimed == [0] * 4 + [1] * 2 and receiver.open == 2
    finally:
        receiver.release.set()
        stop.set()
        if running is not None:
            await asyncio.wait_for(running, 30)
        server.close()
        await pool.close()


class Receiver:
    """A webhook receiver that answers 200 and then sends its body its own way."""

    def __init__(self, body_bytes: int, drip_s: float | None) -> None:
        self.body_bytes, self.drip_s, self.written = body_bytes, drip_s, 0

    async def handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(f"HTTP/1.1 200 OK\r\nContent-Length: {self.body_bytes}\r\n\r\n".encode())
        chunk = b"x" if self.drip_s else b"x" * 65536
        try:
            while self.written < self.body_bytes:
                writer.write(chunk)
                await writer.drain()
                self.written += len(chunk)
                if self.drip_s:
                    await asyncio.sleep(self.drip_s)
        except (ConnectionError, OSError):
            pass  # the client hung up: what it did not read was never sent
        finally:
            writer.close()


async def _post(settings: Settings, receiver: Receiver) -> webhooks.Outcome:
    server = await asyncio.start_server(receiver.handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    subscription = {
        "url": f"http://127.0.0.1:{port}/hooks",
        "secret": signing.new_secret(),
        "previous_secret": None,
        "previous_secret_until": None,
    }
    try:
        async with egress.delivery_client(settings) as client:
            # The bound is the test's, not a timing: without the deadline this never returns.
            return await asyncio.wait_for(
                webhooks.post(client, subscription, 1, "{}", 1.0, 64 * 1024), 60
            )
    finally:
        server.close()


async def test_an_answer_dripped_a_byte_at_a_time_ends_at_the_attempts_deadline(settings):
    outcome = await _post(settings, Receiver(body_bytes=10_000_000, drip_s=0.2))
    assert not outcome.ok and "no complete answer" in (outcome.error or "")


async def test_only_the_start_of_a_huge_answer_is_read(settings):
    receiver = Receiver(body_bytes=200 * 1024 * 1024, drip_s=None)
    outcome = await _post(settings, receiver)
    assert outcome.ok and outcome.status == 200
    assert receiver.written < 50 * 1024 * 1024  # the rest was never taken off the wire
