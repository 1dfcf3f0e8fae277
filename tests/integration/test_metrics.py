"""Every process answers /metrics as Prometheus expects, with what operators watch in it."""

from __future__ import annotations

from uuid import uuid4

import httpx

from mutasi.auth.tokens import issue_token
from mutasi.log.projections import ReadModels
from mutasi.log.store import SYSTEM, Actor, NewEvent, append
from tests.event_examples import example
from tests.integration.log_scenario import new_tenant, register_tenant
from tests.integration.scrape import endpoints, eventually, scrape, value

OFFICER = Actor("hr-1", "hr_officer")


async def test_every_process_serves_metrics_in_the_prometheus_format(stack):
    for name, url in endpoints(stack.settings).items():
        samples = await scrape(url)
        assert any(n.startswith("process_") for n, _ in samples), name  # the client's defaults


async def test_a_request_is_counted_under_its_route_template_not_its_path(stack):
    s = stack.settings
    url = endpoints(s)["proposal"]
    token = issue_token(s, sub="hr-1", tenant="kota-sorong", roles=["hr_officer"])
    labels = {"method": "GET", "route": "/transfers/{transfer_id}", "status": "404"}
    before = value(await scrape(url), "mutasi_http_requests_total", **labels) or 0
    asked = [str(uuid4()) for _ in range(2)]
    async with httpx.AsyncClient(base_url=f"http://{s.bind_host}:{s.proposal_port}") as client:
        for transfer_id in asked:
            answer = await client.get(
                f"/transfers/{transfer_id}", headers={"Authorization": f"Bearer {token}"}
            )
            assert answer.status_code == 404
    samples = await scrape(url)
    assert value(samples, "mutasi_http_requests_total", **labels) == before + 2
    count = value(
        samples, "mutasi_http_request_duration_seconds_count", method="GET",
        route="/transfers/{transfer_id}",
    )  # fmt: skip
    assert count is not None and count >= 2
    label_values = {v for _, labels in samples for _, v in labels}
    assert not [v for v in label_values if any(i in v for i in asked)]


async def test_the_worker_and_the_services_show_temporal_sdk_metrics(stack):
    for name in ("worker", "proposal"):
        samples = await scrape(endpoints(stack.settings)[name])
        temporal = {n for n, _ in samples if n.startswith("temporal_")}
        assert "temporal_request_total" in temporal, (name, sorted(temporal)[:10])
    worker = await scrape(endpoints(stack.settings)["worker"])
    assert any(n.startswith("temporal_worker_task_slots") for n, _ in worker)


async def test_the_relay_reports_a_governments_unsigned_entries_transfers_and_missed_deadlines(
    stack, pool
):
    tenant = await register_tenant(pool, new_tenant("metrics"))
    transfer = f"transfer/{uuid4()}"
    async with pool.acquire() as conn, conn.transaction():
        await append(
            conn,
            tenant,
            [
                NewEvent(transfer, "transfer.submitted", example("transfer.submitted"), OFFICER),
                NewEvent(transfer, "transfer.escalated", example("transfer.escalated"), SYSTEM),
            ],
            projector=ReadModels(),
        )
    url = endpoints(stack.settings)["relay"]
    samples = await eventually(
        url,
        lambda s: (
            value(s, "mutasi_deadlines_missed_total", tenant=tenant) == 1
            and value(s, "mutasi_transfers", tenant=tenant, status="submitted") == 1
        ),
    )
    assert value(samples, "mutasi_deadlines_missed_total", tenant=tenant) == 1
    assert value(samples, "mutasi_transfers", tenant=tenant, status="submitted") == 1
    assert value(samples, "mutasi_checkpoint_unsigned_entries", tenant=tenant) is not None
    assert value(samples, "mutasi_outbox_oldest_unpublished_age_seconds") is not None


async def test_the_notification_service_reports_its_consumer_lag_and_dead_deliveries(stack):
    samples = await eventually(
        endpoints(stack.settings)["notification"],
        lambda s: value(s, "mutasi_consumer_pending_messages", consumer="notification") is not None,
    )
    assert value(samples, "mutasi_consumer_pending_messages", consumer="notification") >= 0
    assert value(samples, "mutasi_notification_deliveries_dead", channel="email") is not None


async def test_the_web_application_serves_metrics_too(web):
    import httpx

    async with httpx.AsyncClient(timeout=10) as client:
        await client.get(f"{web}/healthz")
        answer = await client.get(f"{web}/metrics")
    assert answer.status_code == 200
    assert "mutasi_http_requests_total" in answer.text
