"""The notification service's /metrics probes: consumer lag, dead letters, deliveries."""

from __future__ import annotations

import asyncpg
from nats.js import JetStreamContext

from mutasi import metrics
from mutasi.telemetry.sampler import Probe

CONSUMER_PENDING = metrics.gauge(
    "mutasi_consumer_pending_messages",
    "Messages on the stream the durable consumer has not been given yet (its lag)",
    ["consumer"],
)
CONSUMER_ACK_PENDING = metrics.gauge(
    "mutasi_consumer_ack_pending_messages",
    "Messages given to the consumer and not yet acknowledged",
    ["consumer"],
)
DEAD_LETTERS = metrics.gauge(
    "mutasi_consumer_dead_letters",
    "Messages the consumer gave up on and nobody has redriven yet",
    ["consumer", "tenant"],
)
DELIVERIES_DEAD = metrics.gauge(
    "mutasi_notification_deliveries_dead",
    "E-mails and webhook calls that exhausted their attempts (until redriven)",
    ["channel"],
)
DELIVERIES_PENDING = metrics.gauge(
    "mutasi_notification_deliveries_pending", "E-mails and webhook calls waiting", ["channel"]
)
OLDEST_PENDING = metrics.gauge(
    "mutasi_notification_delivery_oldest_pending_age_seconds",
    "Age of the oldest e-mail or webhook call still waiting to be sent",
    ["channel"],
)


def notification_probes(
    pool: asyncpg.Pool, js: JetStreamContext, stream: str, consumer: str
) -> dict[str, Probe]:
    async def lag() -> None:
        info = await js.consumer_info(stream, consumer)
        CONSUMER_PENDING.labels(consumer).set(info.num_pending or 0)
        CONSUMER_ACK_PENDING.labels(consumer).set(info.num_ack_pending or 0)

    async def dead_letters() -> None:
        rows = await pool.fetch(
            "SELECT consumer, coalesce(tenant, '') AS tenant, count(*) AS n FROM dead_letters"
            " WHERE redriven_at IS NULL GROUP BY 1, 2"
        )
        DEAD_LETTERS.clear()
        for row in rows:
            DEAD_LETTERS.labels(row["consumer"], row["tenant"]).set(row["n"])

    async def deliveries() -> None:
        dead = await pool.fetch(
            "SELECT channel, count(*) AS n FROM notification_deliveries WHERE status = 'dead'"
            " GROUP BY 1"
        )
        pending = await pool.fetch(
            "SELECT channel, count(*) AS n, extract(epoch FROM now() - min(created_at)) AS age"
            " FROM notification_deliveries WHERE status = 'pending' GROUP BY 1"
        )
        for gauge in (DELIVERIES_DEAD, DELIVERIES_PENDING, OLDEST_PENDING):
            for channel in ("email", "webhook"):
                gauge.labels(channel).set(0)  # a channel with none shows 0, not nothing
        for row in dead:
            DELIVERIES_DEAD.labels(row["channel"]).set(row["n"])
        for row in pending:
            DELIVERIES_PENDING.labels(row["channel"]).set(row["n"])
            OLDEST_PENDING.labels(row["channel"]).set(float(row["age"]))

    return {"consumer_lag": lag, "dead_letters": dead_letters, "deliveries": deliveries}
