"""One durable timer for a whole workflow, instead of one per step that waits for a person.

A transfer waits for a person at almost every step, with a reminder the working day before
the step's deadline; most steps are taken long before it, so a timer per step was started
and cancelled again (two history events and two timer writes on the server, per step).
The alarm keeps one timer: a later moment asked for while it is armed leaves it as it is,
and when it fires early the waiter's moment has not come yet, so it is armed again for what
is wanted then. Only a moment earlier than the armed one re-arms it at once (a cancel).
A workflow that finishes leaves the last timer pending: the server drops it with the run.

Used by the transfer workflow behind `workflow.patched("lean-bookkeeping")`; only
workflow-safe calls, so a replay takes the same decisions.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from temporalio import workflow


class Alarm:
    def __init__(self) -> None:
        self._wanted: datetime | None = None  # the one moment the workflow now waits for
        self._task: asyncio.Task[None] | None = None

    async def happens_before(self, condition: Callable[[], bool], moment: datetime) -> bool:
        """Wait until `condition` holds or `moment` passes; return whether it held."""
        if moment <= workflow.now():
            return condition()
        if self._task is None:
            self._task = asyncio.create_task(self._keep())
        self._wanted = moment
        try:
            await workflow.wait_condition(lambda: condition() or workflow.now() >= moment)
        finally:
            self._wanted = None
        return condition()

    def _earlier_wanted(self, armed: datetime) -> bool:
        return self._wanted is not None and self._wanted < armed

    async def _keep(self) -> None:
        while True:
            await workflow.wait_condition(
                lambda: self._wanted is not None and self._wanted > workflow.now()
            )
            assert self._wanted is not None
            await self._arm(self._wanted)

    async def _arm(self, armed: datetime) -> None:
        try:
            # Wakes early only for an earlier moment: its timer is then cancelled.
            await workflow.wait_condition(
                lambda: self._earlier_wanted(armed), timeout=armed - workflow.now()
            )
        except TimeoutError:
            pass  # fired: a waiter whose moment has come wakes; the others re-arm it
