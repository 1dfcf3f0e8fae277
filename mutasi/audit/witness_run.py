"""The witness's loop: rounds on an interval, alerts to the log, stderr, a webhook, the exit
status (mutasi.audit.witness holds what a round checks)."""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import timedelta
from pathlib import Path

import httpx
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from mutasi.audit.witness import Alert, WitnessStore, alert_document, watch_round
from mutasi.db import create_pool
from mutasi.logging import get_logger
from mutasi.settings import Settings

log = get_logger(__name__)
ALERTED = 3  # the exit status of a witness that found something


async def _tell(tenant: str, alerts: list[Alert], webhook: str | None) -> None:
    for alert in alerts:
        log.error("witness_alert", tenant=tenant, alert=alert.name, detail=alert.detail)
        print(f"PERINGATAN {alert.name} ({tenant}): {alert.detail}", file=sys.stderr)
    if webhook and alerts:
        try:
            async with httpx.AsyncClient(timeout=10, follow_redirects=False) as client:
                for alert in alerts:
                    await client.post(webhook, json=alert_document(tenant, alert))
        except httpx.HTTPError as exc:  # the log line and the exit status still tell
            log.warning("witness_webhook_failed", error=str(exc))


async def run_witness(
    settings: Settings,
    tenant: str,
    state: Path,
    key: Ed25519PublicKey,
    *,
    interval_s: float,
    stale_after_s: float,
    full_every_s: float,
    webhook: str | None,
    once: bool,
) -> int:
    """Watch until an alert (exit status 3) or, with `once`, for one round (0 if quiet)."""
    store = WitnessStore(state, tenant).load()
    pool = await create_pool(settings, max_size=2)
    last_full = float("-inf")
    try:
        while True:
            full = once or time.monotonic() - last_full >= full_every_s
            alerts = await watch_round(
                settings,
                pool,
                store,
                key,
                stale_after=timedelta(seconds=stale_after_s),
                full=full,
            )
            if full:
                last_full = time.monotonic()
            log.info("witness_round", tenant=tenant, kept=len(store.kept), alerts=len(alerts))
            await _tell(tenant, alerts, webhook)
            if alerts:
                return ALERTED
            if once:
                return 0
            await asyncio.sleep(interval_s)
    finally:
        await pool.close()
