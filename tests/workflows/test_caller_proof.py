"""Finding 4: a workflow Update re-checks a verifiable proof of its caller.

Temporal is not a security boundary: whoever reaches it could send `verify` or `decide` with
claims written for the right government and role. The services seal the claims they
verified (mutasi.auth.caller_proof); the validators refuse anything else, before anything is
recorded. And the log names the role that authorised a step, not a token's first role.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
import pytest_asyncio
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from mutasi.auth import caller_proof
from mutasi.lifecycle import Caller, VerifyInput
from tests.workflows.drive import events_of, start_transfer, step, wait_status, within_transfer

TENANT = "kota-sorong"


@pytest_asyncio.fixture
async def started(time_env, worker):  # noqa: ANN001, ANN201
    """Transfers a test starts; ended after it, so no timer of theirs fires on a task queue
    whose worker is gone (the session's time-skipping server would wait for it)."""
    handles: list = []
    yield handles
    for handle in handles:
        await handle.terminate("test finished")


async def _now(time_env) -> float:  # noqa: ANN001
    """The validators' clock: the session's time-skipping server, which earlier tests may
    have moved hours ahead of this machine's (a seal made on `time.time()` then expired)."""
    return (await time_env.get_current_time()).timestamp()


async def _checked(time_env, worker, pool, started):  # noqa: ANN001, ANN202
    data = await within_transfer(pool, TENANT)
    handle = await start_transfer(time_env.client, worker, data)
    started.append(handle)
    await wait_status(handle, "checked")
    return data, handle


def _refusal(exc: BaseException) -> str | None:
    cause = getattr(exc, "cause", None)
    return cause.type if isinstance(cause, ApplicationError) else None


@pytest.mark.parametrize(
    "forge",
    [
        lambda c, now: c,  # claims alone, as anyone reaching Temporal could write them
        lambda c, now: replace(caller_proof.seal(c, now - 7200), roles=c.roles),  # expired
        lambda c, now: replace(caller_proof.seal(replace(c, roles=["employee"]), now),
                               roles=c.roles),  # a real seal over other claims
        lambda c, now: replace(c, proof="9999999999.bm90LWEtc2VhbA"),  # a made-up seal
    ],
    ids=["no-proof", "expired", "other-claims", "made-up"],
)  # fmt: skip
async def test_forged_claims_for_the_right_government_and_role_are_refused(
    time_env, worker, pool, forge, started
):
    data, handle = await _checked(time_env, worker, pool, started)
    before = await events_of(pool, f"transfer/{data.transfer_id}")
    now = await _now(time_env)
    forged = forge(Caller(f"bkpsdm@{TENANT}", TENANT, ["hr_officer"]), now)
    with pytest.raises(WorkflowUpdateFailedError) as refused:
        await step(handle, "verify", VerifyInput(forged))
    assert _refusal(refused.value) == "forbidden"
    assert await events_of(pool, f"transfer/{data.transfer_id}") == before
    # The same step by a caller the service vouched for goes through.
    sealed = caller_proof.seal(Caller(f"bkpsdm@{TENANT}", TENANT, ["hr_officer"]), now)
    assert (await step(handle, "verify", VerifyInput(sealed))).status == "verified"


async def test_the_log_records_the_role_that_authorised_the_step(time_env, worker, pool, started):
    """Finding 14: a token with several roles was recorded in its first one."""
    data, handle = await _checked(time_env, worker, pool, started)
    both = Caller(f"kepala-bkpsdm@{TENANT}", TENANT, ["employee", "hr_officer"])
    await step(handle, "verify", VerifyInput(caller_proof.seal(both, await _now(time_env))))
    entries = await events_of(pool, f"transfer/{data.transfer_id}")
    verified = [e for e in entries if e["event_type"] == "transfer.verified"]
    assert [(e["actor_id"], e["actor_role"]) for e in verified] == [
        (f"kepala-bkpsdm@{TENANT}", "hr_officer")
    ]
