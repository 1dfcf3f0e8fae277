"""Time in the workflows: retry policies, timeouts, durable waits until a moment.

Only workflow-safe calls (workflow.now, workflow.sleep, workflow.wait_condition), so the
same code replays identically.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone

from temporalio import workflow
from temporalio.common import RetryPolicy

# The log is briefly unreachable at worst: retry quickly, for ever.
LOG_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    maximum_interval=timedelta(seconds=30),
    backoff_coefficient=2.0,
)
# Rule checks, decrees and moves read and write more: retry patiently through an outage.
WORK_RETRY = RetryPolicy(
    initial_interval=timedelta(seconds=2),
    maximum_interval=timedelta(minutes=5),
    backoff_coefficient=2.0,
)
# Without heartbeats, an activity lost with a crashed worker is retried after its timeout:
# keep them close to what the work needs (milliseconds) plus ample slack for a busy server.
SHORT = timedelta(seconds=10)
LONG = timedelta(seconds=15)
WIB = timezone(timedelta(hours=7))


def effective_at(effective_date: str) -> datetime:
    """TMT as transfers decreed before issue 14 count it: 00:00 WIB of the effective date
    (since then the decree activity gives the moment in the receiving government's zone)."""
    return datetime.combine(date.fromisoformat(effective_date), time(), WIB)


async def sleep_until(moment: datetime) -> None:
    remaining = moment - workflow.now()
    if remaining > timedelta(0):
        await workflow.sleep(remaining)


async def happens_before(condition: Callable[[], bool], moment: str) -> bool:
    """Wait until `condition` holds or `moment` (ISO) passes; return whether it held."""
    remaining = datetime.fromisoformat(moment) - workflow.now()
    if remaining <= timedelta(0):
        return condition()
    try:
        await workflow.wait_condition(condition, timeout=remaining)
    except TimeoutError:
        return False
    return True
