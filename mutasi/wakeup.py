"""A loop's wake-up call: a NOTIFY on a PostgreSQL channel, or a timeout (polling stays the
fallback, so a lost notification only delays the work).

Used by loops that carry committed rows onwards — the outbox relay, the proposal intake's
starter. PostgreSQL restarting kills the LISTEN connection; `ensure` takes a fresh one.
"""

from __future__ import annotations

import asyncio
import contextlib

import asyncpg


def _alive(listener: asyncpg.Connection | None) -> bool:
    try:
        return listener is not None and not listener.is_closed()
    except asyncpg.InterfaceError:  # the pool took the proxy back when its connection died
        return False


class Wakeup:
    def __init__(self, pool: asyncpg.Pool, channel: str, interval: float) -> None:
        self.pool, self.channel, self.interval = pool, channel, interval
        self._event = asyncio.Event()
        self._listener: asyncpg.Connection | None = None

    async def ensure(self) -> None:
        """Call before each round of work: LISTEN on a live connection (a fresh one if the
        last one died), and forget earlier notifications — the work about to run sees their
        rows, while one arriving during it makes the next `wait` return at once."""
        self._event.clear()
        if _alive(self._listener):
            return
        await self.close()
        listener = await self.pool.acquire()
        await listener.add_listener(self.channel, self._on_notify)
        self._listener = listener

    async def wait(self, stop: asyncio.Event) -> None:
        """Until a notification since `ensure`, `stop`, or `interval` seconds."""
        waiters = [asyncio.ensure_future(self._event.wait()), asyncio.ensure_future(stop.wait())]
        await asyncio.wait(waiters, timeout=self.interval, return_when=asyncio.FIRST_COMPLETED)
        for waiter in waiters:
            waiter.cancel()

    async def close(self) -> None:
        """A pooled connection must not keep waking a loop that has stopped."""
        listener, self._listener = self._listener, None
        if listener is None:
            return
        with contextlib.suppress(Exception):  # a dead connection has nothing left to undo
            await listener.remove_listener(self.channel, self._on_notify)
        with contextlib.suppress(Exception):
            await self.pool.release(listener)

    def _on_notify(self, *_: object) -> None:
        self._event.set()
