"""The exact bytes each entry's hash covers (documented for auditors in docs/audit.md).

hash = lowercase hex SHA-256 of the RFC 8785 (JCS) canonical JSON of the object
    {"actor": {"id", "role"}, "event_id", "event_type", "occurred_at", "payload",
     "prev_hash", "reason", "sequence", "stream", "tenant", "version"}
with occurred_at as UTC "YYYY-MM-DDTHH:MM:SS.ffffffZ" and prev_hash of a tenant's first entry
GENESIS_HASH. Payloads hold no floats (amounts and scores are integers or strings), which keeps
every JCS implementation byte-identical.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import orjson
import rfc8785

GENESIS_HASH = "0" * 64
MAX_SAFE_INTEGER = 2**53 - 1


class NotCanonicalizable(ValueError):
    """A payload value JCS cannot encode byte-identically everywhere (float, huge int)."""


def _needs_full_jcs(value: Any) -> bool:
    """True if json.dumps would differ from JCS; raise for values we refuse to store."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return False
    if kind is dict:
        # JCS sorts keys by UTF-16 code units; Python by code points: they differ only beyond BMP.
        full = False
        for key, item in value.items():
            if not key.isascii() and max(map(ord, key)) > 0xFFFF:
                full = True
            item_kind = type(item)
            if item_kind is str or item_kind is bool or item is None:
                continue  # the common leaves, without a call each (append's hot path)
            if item_kind is int:
                if abs(item) > MAX_SAFE_INTEGER:
                    raise NotCanonicalizable("integer outside the IEEE-754 safe range")
                continue
            if _needs_full_jcs(item):
                full = True
        return full
    if kind is list:
        return any(_needs_full_jcs(item) for item in value)
    if kind is int:
        if abs(value) > MAX_SAFE_INTEGER:
            raise NotCanonicalizable("integer outside the IEEE-754 safe range")
        return False
    if isinstance(value, str):  # str enums encode as their value
        return False
    raise NotCanonicalizable(f"{kind.__name__} is not allowed in log payloads; use int or str")


def canonical_json(value: Any) -> bytes:
    """RFC 8785 bytes. orjson with sorted keys is JCS-identical for our value space (keys
    within the BMP, no floats) and far faster; anything else goes through `rfc8785`."""
    if _needs_full_jcs(value):
        return rfc8785.dumps(value)
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


@lru_cache(maxsize=64)
def format_time(moment: datetime) -> str:
    # Cached: a batch of appends shares one timestamp, and strftime is costly per entry.
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True, slots=True)
class ChainedFields:
    sequence: int
    tenant: str
    stream: str
    version: int
    event_id: str
    event_type: str
    occurred_at: datetime
    actor_id: str
    actor_role: str
    reason: str | None
    payload: dict[str, Any]
    prev_hash: str

    def canonical(self) -> bytes:
        return canonical_json(
            {
                "actor": {"id": self.actor_id, "role": self.actor_role},
                "event_id": self.event_id,
                "event_type": self.event_type,
                "occurred_at": format_time(self.occurred_at),
                "payload": self.payload,
                "prev_hash": self.prev_hash,
                "reason": self.reason,
                "sequence": self.sequence,
                "stream": self.stream,
                "tenant": self.tenant,
                "version": self.version,
            }
        )

    def hash(self) -> str:
        return hashlib.sha256(self.canonical()).hexdigest()
