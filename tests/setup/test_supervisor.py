"""The supervisor with real child processes and a clock of the test's own (pauses are skipped,
never slept): what dies comes back, dependants wait, a restart never holds up the loop, and a
process that keeps dying stops everything with the last lines of its log."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mutasi.embedded.process import ManagedProcess
from mutasi.embedded.supervisor import MAX_DEATHS, GaveUp, Supervisor, Unit

SLEEPER = [sys.executable, "-c", "import time; time.sleep(600)"]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Gate:
    """A readiness probe the test opens and closes: the process is ready when it is alive
    and the gate is open."""

    def __init__(self) -> None:
        self.open = True
        self.process: ManagedProcess | None = None

    def __call__(self) -> bool:
        return self.open and self.process is not None and self.process.alive()


def _process(tmp_path: Path, name: str, args: list[str], gate: Gate) -> ManagedProcess:
    process = ManagedProcess(name, args, tmp_path / f"{name}.log", gate)
    gate.process = process
    return process.spawn()


@pytest.fixture
def started() -> Iterator[list[ManagedProcess]]:
    processes: list[ManagedProcess] = []
    yield processes
    for process in processes:
        process.stop(signal.SIGKILL)


def _until(
    supervisor: Supervisor, clock: Clock, done: Callable[[], bool], step: float = 0.25
) -> None:
    """Tick (the clock moving `step` per tick) until `done`; real time only for the children
    to start or die, bounded so a broken supervisor fails instead of hanging."""
    deadline = time.monotonic() + 30
    while not done():
        assert time.monotonic() < deadline, "the supervisor did not get there"
        clock.now += step
        supervisor.tick()
        time.sleep(0.02)


def _stack(tmp_path: Path, started: list[ManagedProcess], clock: Clock, lines: list[str]):
    db_gate, app_gate = Gate(), Gate()
    db = _process(tmp_path, "db", SLEEPER, db_gate)
    app = _process(tmp_path, "app", SLEEPER, app_gate)
    started += [db, app]
    units = {"db": Unit(db, (), 60.0), "app": Unit(app, ("db",), 60.0)}
    return Supervisor(units, lines.append, clock), db_gate, app_gate


def test_a_killed_server_is_restarted_and_the_person_told_once(tmp_path, started):
    clock, lines = Clock(), []
    supervisor, _, _ = _stack(tmp_path, started, clock, lines)
    db = supervisor.units["db"].process
    old_pid = db.pid
    os.kill(old_pid, signal.SIGKILL)
    _until(supervisor, clock, lambda: supervisor.units["db"].state != "ready")
    _until(supervisor, clock, lambda: supervisor.ready("db"))
    assert db.alive() and db.pid != old_pid
    assert lines[0].startswith("db berhenti tak terduga (SIGKILL); dinyalakan ulang dalam 0,5 dtk")
    assert "db stopped unexpectedly; restarting in 0.5 s, its dependants wait" in lines[0]
    assert lines[1].startswith("db siap lagi setelah ") and " / db ready again after " in lines[1]
    assert len(lines) == 2  # the dependant kept running: nothing else to say


def test_a_dependant_waits_for_its_server_instead_of_crash_looping(tmp_path, started):
    clock, lines = Clock(), []
    supervisor, db_gate, _ = _stack(tmp_path, started, clock, lines)
    db, app = supervisor.units["db"].process, supervisor.units["app"].process
    db_gate.open = False  # the restarted server will not be ready until the test says so
    os.kill(db.pid, signal.SIGKILL)
    os.kill(app.pid, signal.SIGKILL)
    _until(supervisor, clock, lambda: supervisor.units["app"].state == "waiting")
    app_pid = app.pid
    for _ in range(20):  # its pause is long over; it still waits, not started once
        clock.now += 1
        supervisor.tick()
    assert app.pid == app_pid and not app.alive()
    assert "app menunggu db siap / app waits for db" in lines
    db_gate.open = True
    _until(supervisor, clock, lambda: supervisor.ready("app"))
    assert supervisor.ready("db") and app.alive()
    # It died because its server did: no step towards giving up.
    assert not supervisor.units["app"].deaths


def test_one_slow_restart_does_not_hold_up_the_others(tmp_path, started):
    clock, lines = Clock(), []
    supervisor, db_gate, _ = _stack(tmp_path, started, clock, lines)
    other_gate = Gate()
    other = _process(tmp_path, "smtp", SLEEPER, other_gate)
    started.append(other)
    supervisor.units["smtp"] = Unit(other, (), 60.0)
    db = supervisor.units["db"].process
    db_gate.open = False
    os.kill(db.pid, signal.SIGKILL)
    _until(supervisor, clock, lambda: supervisor.units["db"].state == "starting")
    os.kill(other.pid, signal.SIGKILL)
    _until(supervisor, clock, lambda: supervisor.ready("smtp"))
    assert supervisor.units["db"].state == "starting"
    # Never ready: after its start timeout it is killed and counted as a death.
    stuck_pid = db.pid
    clock.now += 61
    supervisor.tick()
    assert any("tidak siap dalam / not ready within 60 s" in line for line in lines)
    assert len(supervisor.units["db"].deaths) == 2
    _until(supervisor, clock, lambda: db.pid != stuck_pid)


def test_a_server_that_keeps_dying_stops_everything_with_its_last_lines(tmp_path, started):
    clock, lines = Clock(), []
    crashing = [sys.executable, "-c", "print('FATAL: could not open file pg_wal/0001'); exit(3)"]
    gate = Gate()
    db = _process(tmp_path, "db", crashing, gate)
    started.append(db)
    supervisor = Supervisor({"db": Unit(db, (), 60.0)}, lines.append, clock)
    with pytest.raises(GaveUp) as gave_up:
        _until(supervisor, clock, lambda: False, step=1.0)
    message = str(gave_up.value)
    assert f"db keeps dying ({MAX_DEATHS} times within 300 s); stopping everything" in message
    assert "FATAL: could not open file pg_wal/0001" in message
    assert lines[0].startswith("db berhenti tak terduga (kode keluar/exit code 3)")
    # Each restart waited twice as long as the one before.
    pauses = [line.split("dalam ")[1].split(" dtk")[0] for line in lines if "berhenti" in line]
    assert pauses == ["0,5", "1,0", "2,0", "4,0"]
