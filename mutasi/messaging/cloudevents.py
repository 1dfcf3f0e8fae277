"""CloudEvents 1.0 (structured JSON) envelope of a log entry (SPEC §5)."""

from __future__ import annotations

from typing import Any

from mutasi.domain.events import cloudevents_type
from mutasi.log.canonical import format_time
from mutasi.log.store import StoredEvent

# stream prefix in the log -> resource collection in the CloudEvents source
_COLLECTIONS = {
    "transfer": "transfers",
    "meeting": "meetings",
    "employee": "employees",
    "audit": "audit",
    "unit": "units",
    "plan": "plans",
}


def source_for(tenant: str, stream: str) -> str:
    kind, _, ident = stream.partition("/")
    collection = _COLLECTIONS.get(kind, kind)
    return f"/tenants/{tenant}/{collection}/{ident}" if ident else f"/tenants/{tenant}/{collection}"


def to_cloudevent(event: StoredEvent) -> dict[str, Any]:
    return {
        "specversion": "1.0",
        "id": str(event.event_id),
        "type": cloudevents_type(event.event_type),
        "source": source_for(event.tenant, event.stream),
        "subject": event.stream_id if "/" in event.stream else event.stream,
        "time": format_time(event.occurred_at),
        "datacontenttype": "application/json",
        # Extensions (lower-case alphanumerics only, per CloudEvents naming rules).
        "tenant": event.tenant,
        "sequence": event.sequence,
        "streamversion": event.version,
        "loghash": event.hash,
        "data": {
            "actor": {"id": event.actor_id, "role": event.actor_role},
            "reason": event.reason,
            "payload": event.payload,
        },
    }
