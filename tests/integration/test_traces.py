"""One trace follows a transfer across every process (SPEC §12): the proposal's HTTP request,
its workflow in the worker and every step's activities and log appends, the relay publishing
each event, the notification service consuming it and sending the e-mails it queued. Each
process exports to the session's OTLP receiver, as to a real collector."""

from __future__ import annotations

import asyncio
import json
import secrets
import time

from nats.js.api import DeliverPolicy

from bench.cases import Case
from bench.driver import Api, StatusBoard
from bench.lifecycles import Lifecycles
from mutasi import clock
from mutasi.messaging.jetstream import connect
from mutasi.settings import Settings
from tests.e2e.scenario import DOCUMENTS, movable_case
from tests.integration.test_asyncapi import MESSAGES, _validator
from tests.otlp_receiver import OtlpReceiver, ReceivedSpan


async def _spans_until(otlp: OtlpReceiver, trace_id: str, done, timeout: float = 60.0):  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while True:
        spans = otlp.trace(trace_id)
        if done(spans) or time.monotonic() > deadline:
            return spans
        await asyncio.sleep(0.5)


def _names(spans: list[ReceivedSpan], service: str) -> set[str]:
    return {s.name for s in spans if s.service == service}


async def test_one_transfers_steps_share_one_trace_across_processes(stack, pool, otlp):
    settings = stack.settings
    found = await movable_case(pool)
    case = Case(found.tenant, found.nip, found.unit, found.target_position, tuple(DOCUMENTS))
    trace_id = secrets.token_hex(16)
    api = Api(settings, patience_s=120)
    try:
        async with StatusBoard(settings) as board:
            lifecycles = Lifecycles(api, board, meeting_size=1)
            # The caller (the web application, a gateway) starts the trace.
            answer = await api.client.post(
                api.url("proposal", "/transfers"),
                json={
                    "employee_nip": case.nip, "target_position_code": case.target_position,
                    "reasons": "Penyegaran", "expectations": "Pelayanan lebih baik",
                    "effective_date": clock.today().isoformat(),
                    "justification": "Kebutuhan organisasi", "documents": list(case.documents),
                },
                headers=api.headers(case.tenant, "hr_officer")
                | {"traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01"},
            )  # fmt: skip
            assert answer.status_code == 202, answer.text
            transfer_id = answer.json()["id"]
            await board.wait(transfer_id, "checked")
            await lifecycles.attach(case, transfer_id)
            await lifecycles.step(case.tenant, transfer_id, "verify", "hr_officer", {"note": "ok"})
            await lifecycles.meetings.recommend(case.tenant, transfer_id)
            await lifecycles.step(
                case.tenant, transfer_id, "decision", "approver", {"outcome": "approved"}
            )
            await board.wait(transfer_id, "completed")
    finally:
        await api.close()

    logged = [
        r["event_type"]
        for r in await pool.fetch(
            "SELECT event_type FROM event_log WHERE stream = $1 ORDER BY version",
            f"transfer/{transfer_id}",
        )
    ]
    assert logged[0] == "transfer.submitted" and logged[-1] == "transfer.completed"
    published = {f"publish {t}" for t in logged}
    consumed = {f"consume id.go.mutasi.{t}" for t in logged}
    spans = await _spans_until(
        otlp,
        trace_id,
        lambda s: (
            published <= _names(s, "mutasi-relay")
            and consumed <= _names(s, "mutasi-notification")
            and "deliver email" in _names(s, "mutasi-notification")
        ),
    )
    assert "POST /transfers" in _names(spans, "mutasi-proposal")
    assert "StartWorkflow:TransferWorkflow" in _names(spans, "mutasi-proposal")
    worker = _names(spans, "mutasi-worker")
    assert "RunWorkflow:TransferWorkflow" in worker
    assert {"log.append", "RunActivity:issue_decree"} <= worker, sorted(worker)
    assert published <= _names(spans, "mutasi-relay"), sorted(
        published - _names(spans, "mutasi-relay")
    )
    assert consumed <= _names(spans, "mutasi-notification")
    assert "deliver email" in _names(spans, "mutasi-notification")
    # Later steps were asked for in requests of their own: their Updates link those traces.
    linked = [s for s in spans if s.name.startswith("HandleUpdate:") and s.links]
    assert {s.name for s in linked} >= {"HandleUpdate:verify", "HandleUpdate:decide"}


async def test_the_cloudevent_carries_the_appends_traceparent(stack, pool, otlp, settings):
    found = await movable_case(pool)
    trace_id = secrets.token_hex(16)
    api = Api(settings, patience_s=60)
    try:
        answer = await api.client.post(
            api.url("proposal", "/transfers"),
            json={
                "employee_nip": found.nip, "target_position_code": found.target_position,
                "reasons": "Penyegaran", "expectations": "Pelayanan lebih baik",
                "effective_date": clock.today().isoformat(),
                "justification": "Kebutuhan organisasi", "documents": DOCUMENTS,
            },
            headers=api.headers(found.tenant, "hr_officer")
            | {"traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01"},
        )  # fmt: skip
        assert answer.status_code == 202, answer.text
        transfer_id = answer.json()["id"]
    finally:
        await api.close()
    submitted = await _published(settings, f"mutasi.{found.tenant}.transfer.submitted", transfer_id)
    document = MESSAGES["transfer.submitted"]["payload"]["$ref"]
    assert [e.message for e in _validator(document).iter_errors(submitted)] == []  # as documented
    version, trace, parent, flags = submitted["traceparent"].split("-")
    assert (version, trace, flags) == ("00", trace_id, "01")
    spans = await _spans_until(otlp, trace_id, lambda s: parent in {x.span_id for x in s})
    [append] = [s for s in spans if s.span_id == parent]
    assert (append.name, append.service) == ("log.append", "mutasi-worker")  # that wrote it


async def _published(settings: Settings, subject: str, transfer_id: str) -> dict[str, object]:
    """The CloudEvent about the transfer on `subject`, as a subscriber receives it."""
    nc = await connect(settings, name="test-traces")
    try:
        sub = await nc.jetstream().subscribe(
            subject, ordered_consumer=True, deliver_policy=DeliverPolicy.ALL
        )
        while True:  # next_msg's timeout ends the search if it never comes
            body = json.loads((await sub.next_msg(timeout=30)).data)
            if body["subject"] == transfer_id:
                return body
    finally:
        await nc.close()
