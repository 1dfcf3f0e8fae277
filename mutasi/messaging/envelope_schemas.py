"""The parts of docs/asyncapi.yaml no payload model gives: the document's info and servers,
the CloudEvents envelope mutasi.messaging.cloudevents builds, and the NATS headers the relay sets.
"""

from __future__ import annotations

from typing import Any

INFO: dict[str, Any] = {
    "title": "Mutasi — events",
    "version": "1.0.0",
    "description": "Every fact recorded in Mutasi's append-only log is published by the "
    "transactional outbox to one NATS JetStream stream (default `MUTASI`, "
    "subjects `mutasi.>`) as a CloudEvents 1.0 JSON message. The publisher sets "
    "`Nats-Msg-Id` to the event id, so a relay retry is de-duplicated by the "
    "server; each tenant's events are published in log order. Consumers should be "
    "durable, ack explicitly, and remember event ids. Generated from the payload "
    "models (mutasi/domain/payloads) by `mutasi asyncapi`; tests/integration/test_asyncapi.py "
    "checks what is really published against it.",
}

SERVERS: dict[str, Any] = {
    "local": {
        "host": "127.0.0.1:4222",
        "protocol": "nats",
        "description": "`make run` (embedded NATS with JetStream).",
    },
    "production": {
        "host": "{host}:4222",
        "protocol": "nats",
        "description": "The 3-node NATS cluster (deploy/); one user per service.",
        "variables": {"host": {"default": "nats.mutasi.internal"}},
    },
}

ENVELOPE_SCHEMAS: dict[str, Any] = {
    "Actor": {
        "type": "object",
        "description": "Siapa yang bertindak / who acted: the token's subject and the role "
        "they acted in.",
        "required": ["id", "role"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string"},
            "role": {
                "type": "string",
                "description": "A role of the policy table (employee, "
                "supervisor, hr_officer, panel_member, "
                "approver, bkn_officer, auditor, "
                "national_admin), or `system` / `operator` "
                "for the platform itself.",
            },
        },
    },
    "CloudEvent": {
        "type": "object",
        "description": "CloudEvents 1.0, structured JSON mode: one log entry (SPEC "
        "§5). `id` is the log entry's event id and the Nats-Msg-Id.",
        "required": [
            "specversion",
            "id",
            "type",
            "source",
            "subject",
            "time",
            "datacontenttype",
            "tenant",
            "sequence",
            "streamversion",
            "loghash",
            "data",
        ],
        "additionalProperties": False,
        "properties": {
            "specversion": {"const": "1.0"},
            "id": {"type": "string", "format": "uuid"},
            "type": {
                "type": "string",
                "pattern": "^id\\.go\\.mutasi\\.[a-z_]+\\.[a-z_]+$",
                "description": "id.go.mutasi.<aggregate>.<fact>",
            },
            "source": {
                "type": "string",
                "pattern": "^/tenants/[a-z0-9-]+/[a-z]+(/.+)?$",
                "description": "/tenants/<tenant>/<collection>/<id>",
            },
            "subject": {
                "type": "string",
                "description": "The aggregate's id (transfer id, "
                "meeting id, NIP; for "
                "attachment.added the transfer id, "
                "for master_data.imported the "
                "import run's id).",
            },
            "time": {
                "type": "string",
                "format": "date-time",
                "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}Z$",
                "description": "When the entry was appended (UTC, "
                "microseconds): the entry's "
                "occurred_at.",
            },
            "datacontenttype": {"const": "application/json"},
            "tenant": {
                "type": "string",
                "pattern": "^[a-z0-9-]+$",
                "description": "Extension: the government (tenant slug).",
            },
            "sequence": {
                "type": "integer",
                "minimum": 1,
                "description": "Extension: the entry's global log sequence.",
            },
            "streamversion": {
                "type": "integer",
                "minimum": 1,
                "description": "Extension: the entry's "
                "version within its stream "
                "(per-aggregate order).",
            },
            "loghash": {
                "type": "string",
                "pattern": "^[0-9a-f]{64}$",
                "description": "Extension: the entry's hash in the tenant's chain (docs/audit.md).",
            },
            "traceparent": {
                "type": "string",
                "pattern": "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$",
                "description": "Extension (CloudEvents distributed tracing): the W3C trace "
                "context of the log append that recorded the entry, when it was traced; "
                "continue the trace from it.",
            },
            "tracestate": {
                "type": "string",
                "description": "Extension (CloudEvents distributed tracing): W3C tracestate.",
            },
            "data": {
                "type": "object",
                "required": ["actor", "reason", "payload"],
                "additionalProperties": False,
                "properties": {
                    "actor": {"$ref": "#/components/schemas/Actor"},
                    "reason": {
                        "type": ["string", "null"],
                        "description": "Alasan / the reason given, if any.",
                    },
                    "payload": {"type": "object"},
                },
            },
        },
    },
    "NatsHeaders": {
        "type": "object",
        "required": ["Nats-Msg-Id", "Content-Type"],
        "properties": {
            "Nats-Msg-Id": {
                "type": "string",
                "format": "uuid",
                "description": "= the CloudEvent id: "
                "JetStream drops a "
                "re-publication within the "
                "stream's duplicate window.",
            },
            "Content-Type": {"const": "application/cloudevents+json"},
            "traceparent": {
                "type": "string",
                "description": "The CloudEvent's `traceparent`, for NATS tooling.",
            },
        },
    },
}
