"""CPU-seconds of a benchmark's own processes and of PostgreSQL.

On a shared machine the wall clock measures the neighbours too; CPU time measures the work.
A benchmark reports both, so a figure taken under load can still be read.
"""

from __future__ import annotations

import contextlib

import psutil

from mutasi.embedded.stack import Stack


class CpuMeter:
    """Reads (ours, PostgreSQL's) CPU-seconds; subtract two readings for a span."""

    def __init__(self, stack: Stack) -> None:
        self.postgres = psutil.Process(stack.servers["postgres"].pid)
        self.others = {p.pid for p in [*stack.servers.values(), *stack.components.values()]}

    @staticmethod
    def _seconds(process: psutil.Process, children: bool = False) -> float:
        try:
            t = process.cpu_times()
        except psutil.NoSuchProcess:
            return 0.0
        return t.user + t.system + (t.children_user + t.children_system if children else 0.0)

    def ours(self) -> float:
        """This process and its descendants (the verify workers), not the servers."""
        me, skip = psutil.Process(), set()
        for pid in self.others:
            with contextlib.suppress(psutil.NoSuchProcess):
                skip |= {pid, *(c.pid for c in psutil.Process(pid).children(recursive=True))}
        return sum(
            self._seconds(p) for p in [me, *me.children(recursive=True)] if p.pid not in skip
        )

    def postgres_s(self) -> float:
        """The postmaster, its live children, and (reaped) finished backends."""
        live = self.postgres.children(recursive=True)
        return self._seconds(self.postgres, children=True) + sum(map(self._seconds, live))

    def read(self) -> tuple[float, float]:
        return self.ours(), self.postgres_s()
