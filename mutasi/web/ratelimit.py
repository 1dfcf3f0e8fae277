"""Rate limits per principal and per address (issue 15, finding 13).

Writes start workflows and append to the log; `/audit/verify` starts a process per core; a
proposal naming another government's employee looks into that government's records. Each is
budgeted per caller (tenant/sub) and per client address, as token buckets in the process:
a bucket holds `limit` requests and refills at `limit` per period, so bursts up to the limit
pass and a steady flood is cut to the rate. Beyond it: 429 problem+json with Retry-After.

Buckets live in each replica's memory (no shared store, no round trip per request): with N
replicas a caller gets at most N times the budget, which still bounds a flood. The address is
the connection's, or the one a trusted proxy puts in X-Forwarded-For (uvicorn's
`forwarded_allow_ips`, loopback by default). A limit of 0 switches that budget off.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass

from mutasi.errors import TooManyRequests
from mutasi.settings import Settings

MAX_BUCKETS = 100_000  # oldest forgotten first: memory stays bounded under many addresses


@dataclass(frozen=True)
class Budget:
    name: str
    per_principal: int
    per_address: int
    period_s: float


def budgets(settings: Settings) -> dict[str, Budget]:
    return {
        "write": Budget(
            "write",
            settings.rate_limit_writes_per_minute,
            settings.rate_limit_address_writes_per_minute,
            60.0,
        ),
        "expensive": Budget(
            "expensive",
            settings.rate_limit_expensive_per_minute,
            settings.rate_limit_address_expensive_per_minute,
            60.0,
        ),
        "cross_government": Budget(
            "cross_government", settings.rate_limit_cross_government_per_hour, 0, 3600.0
        ),
    }


class RateLimiter:
    def __init__(self, settings: Settings) -> None:
        self.budgets = budgets(settings)
        self._buckets: OrderedDict[tuple[str, str], tuple[float, float]] = OrderedDict()

    def _take(self, key: tuple[str, str], limit: int, period_s: float) -> float:
        """Take one token; return 0 if granted, else the seconds until one is free."""
        now = time.monotonic()
        tokens, at = self._buckets.pop(key, (float(limit), now))
        tokens = min(float(limit), tokens + (now - at) * limit / period_s)
        wait = 0.0
        if tokens >= 1.0:
            tokens -= 1.0
        else:
            wait = (1.0 - tokens) * period_s / limit
        self._buckets[key] = (tokens, now)
        if len(self._buckets) > MAX_BUCKETS:
            self._buckets.popitem(last=False)
        return wait

    def check(self, budget: str, principal: str | None, address: str | None) -> None:
        """Count one request against the principal's and the address's budget, or refuse."""
        b = self.budgets[budget]
        waits = []
        if principal and b.per_principal:
            waits.append(self._take((budget, f"p:{principal}"), b.per_principal, b.period_s))
        if address and b.per_address:
            waits.append(self._take((budget, f"a:{address}"), b.per_address, b.period_s))
        wait = max(waits, default=0.0)
        if wait > 0:
            raise TooManyRequests(
                "Terlalu banyak permintaan; coba lagi nanti",
                f"Too many requests ({budget}); retry later",
                retry_after_s=max(1, round(wait + 0.5)),
            )
