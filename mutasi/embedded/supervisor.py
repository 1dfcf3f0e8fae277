"""Keeps the embedded stack alive: restarts what dies, servers and components alike.

`mutasi run` calls `tick()` a few times a second. Each call only looks and acts: a dead
process is noted and restarted after a growing pause, a restarting one is probed once, so
one slow restart never holds up the others (nor Ctrl-C). A component whose server is down
waits for it instead of crash-looping against it. A process that keeps dying stops the stack,
with the last lines of its log, since restarting it again would only hide the cause.
"""

from __future__ import annotations

import signal
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from mutasi.embedded.process import ManagedProcess

SERVERS = ("postgres", "nats", "temporal")
LABELS = {"postgres": "PostgreSQL", "nats": "NATS", "temporal": "Temporal"}
# What each component cannot work without; one not listed (a new one) waits for every server.
DEPENDS_ON: dict[str, tuple[str, ...]] = {
    "postgres": (),
    "nats": (),
    "temporal": (),
    "smtp": (),
    "worker": ("postgres", "temporal"),
    "relay": ("postgres", "nats"),
    "proposal": ("postgres", "temporal"),
    "approval": ("postgres", "temporal"),
    "notification": ("postgres", "nats"),
}
MAX_DEATHS = 5  # within WINDOW_S: then it is not a hiccup but a fault a person must see
WINDOW_S = 300.0
FIRST_PAUSE_S = 0.5  # doubled after each death within the window
MAX_PAUSE_S = 30.0
START_TIMEOUT_S = {"postgres": 60.0, "nats": 60.0, "temporal": 60.0}
COMPONENT_START_TIMEOUT_S = 90.0


class GaveUp(RuntimeError):
    """A process kept dying; the message holds the last lines of its log."""


def _seconds(value: float) -> tuple[str, str]:
    """The same duration in Indonesian (decimal comma) and English."""
    text = f"{value:.1f}"
    return text.replace(".", ","), text


def _how(returncode: int | None) -> str:
    if returncode is not None and returncode < 0:
        try:
            return signal.Signals(-returncode).name
        except ValueError:
            return f"sinyal/signal {-returncode}"
    return f"kode keluar/exit code {returncode}"


@dataclass
class Unit:
    """One supervised process and where it stands."""

    process: ManagedProcess
    depends_on: tuple[str, ...]
    start_timeout: float
    state: str = "ready"  # ready | pause | waiting | starting
    since: float = 0.0  # when the current state began
    down_at: float | None = None  # when its death was noticed
    resume_at: float = 0.0  # end of the pause
    deaths: deque[float] = field(default_factory=deque)

    @property
    def label(self) -> str:
        return LABELS.get(self.process.name, self.process.name)


@dataclass
class Supervisor:
    units: dict[str, Unit]
    echo: Callable[[str], None] = print
    clock: Callable[[], float] = time.monotonic

    @classmethod
    def of(
        cls,
        servers: dict[str, ManagedProcess],
        components: dict[str, ManagedProcess],
        echo: Callable[[str], None] = print,
        clock: Callable[[], float] = time.monotonic,
    ) -> Supervisor:
        """Supervise processes already running and ready (after `mutasi run`'s start-up)."""
        units = {}
        for name, process in (servers | components).items():
            depends = DEPENDS_ON.get(name, tuple(s for s in SERVERS if s in servers))
            timeout = START_TIMEOUT_S.get(name, COMPONENT_START_TIMEOUT_S)
            units[name] = Unit(process, tuple(d for d in depends if d in servers), timeout)
        return cls(units, echo, clock)

    def ready(self, name: str) -> bool:
        return self.units[name].state == "ready"

    def tick(self) -> None:
        """One look at every process; raises GaveUp when one keeps dying."""
        now = self.clock()
        for name, unit in self.units.items():
            if unit.state == "ready" and not unit.process.alive():
                self._died(name, unit, now)
            elif unit.state in ("pause", "waiting") and now >= unit.resume_at:
                self._try_start(name, unit, now)
            elif unit.state == "starting":
                self._check_start(name, unit, now)

    def _died(self, name: str, unit: Unit, now: float, why: str | None = None) -> None:
        how = why or _how(unit.process.returncode)
        unit.process.kill_leftovers()
        unit.down_at = unit.down_at or now
        # A component that died while a server it needs was down died of that, not of a
        # fault of its own: it does not count towards giving up.
        if all(self.ready(d) and self.units[d].process.alive() for d in unit.depends_on):
            while unit.deaths and now - unit.deaths[0] > WINDOW_S:
                unit.deaths.popleft()
            unit.deaths.append(now)
        if len(unit.deaths) >= MAX_DEATHS:
            self._give_up(unit)
        pause = min(MAX_PAUSE_S, FIRST_PAUSE_S * 2 ** max(0, len(unit.deaths) - 1))
        unit.state, unit.since, unit.resume_at = "pause", now, now + pause
        id_pause, en_pause = _seconds(pause)
        waits = [n for n, u in self.units.items() if name in u.depends_on]
        self.echo(
            f"{unit.label} berhenti tak terduga ({how}); dinyalakan ulang dalam {id_pause} dtk"
            + (", yang bergantung padanya menunggu" if waits else "")
            + f" / {unit.label} stopped unexpectedly; restarting in {en_pause} s"
            + (", its dependants wait" if waits else "")
        )

    def _try_start(self, name: str, unit: Unit, now: float) -> None:
        missing = [self.units[d].label for d in unit.depends_on if not self.ready(d)]
        if missing:
            if unit.state != "waiting":
                need = ", ".join(missing)
                self.echo(f"{unit.label} menunggu {need} siap / {unit.label} waits for {need}")
            unit.state = "waiting"
            return
        unit.process.spawn()
        unit.state, unit.since = "starting", now

    def _check_start(self, name: str, unit: Unit, now: float) -> None:
        if unit.process.ready():
            down = now - (unit.down_at or now)
            unit.state, unit.since, unit.down_at = "ready", now, None
            id_down, en_down = _seconds(down)
            self.echo(
                f"{unit.label} siap lagi setelah {id_down} dtk"
                f" / {unit.label} ready again after {en_down} s"
            )
        elif not unit.process.alive():
            self._died(name, unit, now)
        elif now - unit.since > unit.start_timeout:
            # Not ready in time: kill it (without waiting) and count it as a death.
            unit.process.signal_group(signal.SIGKILL)
            self._died(
                name, unit, now, f"tidak siap dalam / not ready within {unit.start_timeout:.0f} s"
            )

    def _give_up(self, unit: Unit) -> None:
        tail = "\n".join(f"  | {line}" for line in unit.process.log_tail(20))
        raise GaveUp(
            f"{unit.label} terus berhenti ({len(unit.deaths)}× dalam {WINDOW_S:.0f} dtk); semua"
            f" dihentikan / {unit.label} keeps dying ({len(unit.deaths)} times within"
            f" {WINDOW_S:.0f} s); stopping everything.\n"
            f"Baris terakhir / last lines of {unit.process.log_path}:\n{tail}"
        )
