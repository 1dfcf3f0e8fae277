"""Event appended to the log → received by a NATS subscriber (SPEC §9: p99 < 50 ms).

Entries are appended one per transaction, as the worker's activities do, at a steady rate
from a few concurrent writers; the clock starts when the append's transaction has committed
and stops when a JetStream subscriber holds the CloudEvent (the relay in between, woken by
LISTEN/NOTIFY). Floor: the same subscriber receiving messages the benchmark publishes to
JetStream itself, at the same rate — NATS's own delivery latency on this machine.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from uuid import uuid4

import nats
from nats.js.api import DeliverPolicy

from bench.harness import Figure, percentile, report, shared_stack
from mutasi.db import create_pool
from mutasi.log.store import Actor, NewEvent, append
from mutasi.settings import Settings

TENANT = "bench-events"  # its own chain, so the demo governments' chains stay as seeded
RATE_PER_S = 200
SECONDS = 10
WARM_UP = 50
TARGET_MS = 50.0
BENCH_ACTOR = Actor("bench", "system")


class Timings:
    """When each message was sent and when the subscriber got it, by message id."""

    def __init__(self) -> None:
        self.sent: dict[str, float] = {}
        self.received: dict[str, float] = {}
        self.all_in = asyncio.Event()
        self.expected = 0

    def on_receive(self, message_id: str) -> None:
        self.received.setdefault(message_id, time.perf_counter())
        if len(self.received) >= self.expected:
            self.all_in.set()

    def latencies_ms(self, skip: set[str]) -> list[float]:
        return [
            1000 * (self.received[i] - t)
            for i, t in self.sent.items()
            if i in self.received and i not in skip
        ]


async def _paced(count: int, send: Callable[[int], Awaitable[None]]) -> None:
    """Start `send(i)` at i / RATE_PER_S seconds, never waiting for earlier sends."""
    begun = time.perf_counter()
    tasks = []
    for i in range(count):
        delay = begun + i / RATE_PER_S - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(send(i)))
    await asyncio.gather(*tasks)


async def _measure(
    settings: Settings,
    subject: str,
    make_send: Callable[[Timings], Callable[[int], Awaitable[None]]],
) -> tuple[list[float], int]:
    timings = Timings()
    timings.expected = WARM_UP + RATE_PER_S * SECONDS
    nc = await nats.connect(settings.nats_url)
    js = nc.jetstream()

    async def on_message(msg) -> None:  # noqa: ANN001 - nats Msg
        timings.on_receive(msg.headers["Nats-Msg-Id"])

    await js.subscribe(
        subject, cb=on_message, ordered_consumer=True, deliver_policy=DeliverPolicy.NEW
    )
    try:
        await _paced(timings.expected, make_send(timings))
        try:
            await asyncio.wait_for(timings.all_in.wait(), 30)
        except TimeoutError:
            pass
    finally:
        await nc.close()
    warm = set(list(timings.sent)[:WARM_UP])
    lost = timings.expected - len(timings.received)
    return timings.latencies_ms(warm), lost


async def _through_the_log(settings: Settings) -> tuple[list[float], int]:
    pool = await create_pool(settings, max_size=4)
    writers = asyncio.Semaphore(4)

    def make_send(timings: Timings) -> Callable[[int], Awaitable[None]]:
        async def send(i: int) -> None:
            event = NewEvent(
                f"employee/bench-{uuid4()}",
                "employee.registered",
                {
                    "nip": f"{i:018d}",
                    "name": f"Pegawai {i}",
                    "position_code": None,
                    "unit_code": None,
                    "position_since": None,
                    "data": {},
                },
                BENCH_ACTOR,
            )
            async with writers, pool.acquire() as conn:
                async with conn.transaction():
                    await append(conn, TENANT, [event])
                timings.sent[str(event.event_id)] = time.perf_counter()

        return send

    try:
        return await _measure(settings, f"mutasi.{TENANT}.>", make_send)
    finally:
        await pool.close()


async def _straight_to_nats(settings: Settings) -> tuple[list[float], int]:
    publisher = await nats.connect(settings.nats_url)
    js = publisher.jetstream()
    subject = f"mutasi.{TENANT}-floor.employee.registered"

    def make_send(timings: Timings) -> Callable[[int], Awaitable[None]]:
        async def send(i: int) -> None:
            message_id = str(uuid4())
            timings.sent[message_id] = time.perf_counter()
            await js.publish(subject, b'{"floor": %d}' % i, headers={"Nats-Msg-Id": message_id})

        return send

    try:
        return await _measure(settings, f"mutasi.{TENANT}-floor.>", make_send)
    finally:
        await publisher.close()


def run() -> list[Figure]:
    bench = shared_stack()
    bench.ensure_relay()
    ours, lost = asyncio.run(_through_the_log(bench.settings))
    floor, floor_lost = asyncio.run(_straight_to_nats(bench.settings))
    details = {
        "events": len(ours),
        "rate_per_s": RATE_PER_S,
        "lost": lost,
        "floor_lost": floor_lost,
    }
    figures = []
    for q in (50, 99):
        mine, base = percentile(ours, q), percentile(floor, q)
        figures.append(
            report(
                Figure(
                    f"event appended → NATS subscriber p{q}",
                    mine,
                    "ms",
                    base,
                    "JetStream publish → same subscriber",
                    f"p99 < {TARGET_MS:.0f} ms",
                    lost == 0 and (q != 99 or mine < TARGET_MS),
                    details=details,
                )
            )
        )
    return figures
