"""SIGKILL and restart of one process of a running stack, while transfers are under way.

Servers restart on the same port and data directory (PostgreSQL recovers from its WAL, NATS
from its JetStream store); our components restart as new processes with the same settings.
Meanwhile a supervisor does what deploy/systemd/mutasi-*.service do in production
(Restart=always, RestartSec=2): a component that exits on its own is started again, and the
crash is recorded — a process that dies because another one did is a finding of its own.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from mutasi.embedded.stack import Stack

SERVERS = ("nats", "postgres")
DOWN_S = 1.5  # how long the process stays dead: long enough for callers to notice
RESTART_S = 2.0  # systemd's RestartSec


@dataclass
class Kill:
    name: str
    at_s: float  # since the load began
    in_flight: int  # transfers not yet completed when it died
    down_s: float = 0.0  # from the kill until it answered again
    wall: datetime = field(default_factory=lambda: datetime.now(UTC))


@dataclass
class Crash:
    name: str
    at_s: float
    log_tail: str  # what it said last


@dataclass
class Chaos:
    stack: Stack
    begun: float = field(default_factory=time.monotonic)
    kills: list[Kill] = field(default_factory=list)
    crashes: list[Crash] = field(default_factory=list)
    _ours: set[str] = field(default_factory=set)  # killed by us, restarted by us

    async def kill_and_restart(self, name: str, in_flight: int) -> Kill:
        kill = Kill(name, time.monotonic() - self.begun, in_flight)
        process = (self.stack.servers if name in SERVERS else self.stack.components)[name]
        self._ours.add(name)
        process.kill()
        await asyncio.sleep(DOWN_S)
        # Blocking starts (readiness polling) run in a thread: the load keeps going meanwhile.
        if name in SERVERS:
            await asyncio.to_thread(process.start, 60.0)
        else:
            await asyncio.to_thread(self.stack.start_component, name)
        self._ours.discard(name)
        kill.down_s = time.monotonic() - self.begun - kill.at_s
        self.kills.append(kill)
        return kill

    async def supervise(self) -> None:
        """Restart any component that exited on its own, until cancelled."""
        while True:
            await asyncio.sleep(0.5)
            for name, process in list(self.stack.components.items()):
                if name in self._ours or process.alive():
                    continue
                tail = process.log_path.read_text(errors="replace")[-4000:]
                self.crashes.append(Crash(name, time.monotonic() - self.begun, tail))
                await asyncio.sleep(RESTART_S)
                await asyncio.to_thread(self.stack.start_component, name)

    async def in_turn(self, names: tuple[str, ...], done: Callable[[], int], total: int) -> None:
        """Kill each process once the load has made a further share of progress, so every
        kill lands with transfers at every step: proposed, in a meeting, being decided."""
        for k, name in enumerate(names, start=1):
            threshold = total * k // (len(names) + 2)
            while done() < threshold:
                await asyncio.sleep(0.1)
            await self.kill_and_restart(name, total - done())
