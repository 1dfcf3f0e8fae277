"""Replay every checked-in history against today's workflow code: a change that would break
a running transfer or meeting (non-deterministic without `workflow.patched`) fails here.

Histories are recorded from the time-skipping tests:
    MUTASI_RECORD_HISTORIES=1 .venv/bin/pytest tests/workflows
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from temporalio.client import WorkflowHistory
from temporalio.worker import Replayer

from mutasi.lifecycle import MEETING_WORKFLOW_NAME, WORKFLOW_NAME
from mutasi.planning.contract import PLAN_WORKFLOW_NAME
from tests.workflows.drive import HISTORIES
from workflows.worker import WORKFLOWS


def _histories() -> list[WorkflowHistory]:
    return [
        WorkflowHistory.from_json(path.stem, json.loads(path.read_text()))
        for path in sorted(HISTORIES.glob("*.json"))
    ]


def _workflow_type(history: WorkflowHistory) -> str:
    start = history.events[0].workflow_execution_started_event_attributes
    return str(start.workflow_type.name)


def test_every_workflow_has_recorded_histories() -> None:
    recorded = {_workflow_type(h) for h in _histories()}
    assert recorded == {WORKFLOW_NAME, MEETING_WORKFLOW_NAME, PLAN_WORKFLOW_NAME}


async def test_recorded_histories_replay_deterministically() -> None:
    histories = _histories()
    assert len(histories) >= 4

    async def each() -> AsyncIterator[WorkflowHistory]:
        for history in histories:
            yield history

    results = await Replayer(workflows=WORKFLOWS).replay_workflows(
        each(), raise_on_replay_failure=False
    )
    failures = {id_: str(failure) for id_, failure in results.replay_failures.items()}
    assert failures == {}
