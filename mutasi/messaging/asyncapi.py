"""docs/asyncapi.yaml, generated: every subject and event type Mutasi publishes (SPEC §5).

The payload schemas come from the domain's payload models (mutasi.domain.payloads.EVENTS),
the envelope from what mutasi.messaging.cloudevents builds. Regenerate after changing either:

    .venv/bin/mutasi asyncapi            # writes docs/asyncapi.yaml
    .venv/bin/mutasi asyncapi --check    # exit 1 if the committed file is stale

tests/unit/test_asyncapi_generated.py fails when the committed file differs from this output;
tests/integration/test_asyncapi.py checks real published events against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from mutasi.domain.events import CLOUDEVENTS_PREFIX
from mutasi.domain.payloads import EVENTS
from mutasi.messaging.envelope_schemas import ENVELOPE_SCHEMAS, INFO, SERVERS

DOC_PATH = Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml"
_REF = "#/components/schemas/{model}"
_TENANT = {"description": "Slug pemerintah daerah / the tenant's slug, e.g. kota-sorong."}
_UUID = "[0-9a-f-]{36}"


@dataclass(frozen=True)
class Channel:
    key: str
    title: str
    description: str
    source: str  # the CloudEvent `source` after /tenants/<tenant>/
    subject: tuple[str, str] | None = None  # (pattern, description) where it is not obvious
    subscribe: str = "Subscribe (durable consumer, explicit ack, idempotent by CloudEvent id)"


# One channel per aggregate (the event type's part before the dot).
CHANNELS: dict[str, Channel] = {
    "transfer": Channel(
        "transferEvents",
        "Usulan mutasi / transfers",
        "Every `transfer.*` fact of a tenant's log, in log order per transfer.",
        f"transfers/{_UUID}",
    ),
    "meeting": Channel(
        "meetingEvents",
        "Rapat tim penilai / meetings",
        "Every `meeting.*` fact of a tenant's log, in log order per meeting.",
        "meetings/[^/]+",
    ),
    "employee": Channel(
        "employeeEvents",
        "Pegawai / employees",
        "Every `employee.*` fact of a tenant's log, in log order per employee.",
        "employees/[0-9]{18}",
    ),
    "audit": Channel(
        "auditCheckpoints",
        "Checkpoint audit / audit checkpoints",
        "Signed checkpoints of the tenant's chain head, every N entries or T seconds. Keep them:"
        " they prove the log's history to anyone holding the public key (GET /audit/public-key).",
        "audit/checkpoints/[a-z0-9-]+",
        subscribe="Collect the signed checkpoints",
    ),
    "attachment": Channel(
        "attachmentEvents",
        "Lampiran usulan / transfer attachments",
        "A required document attached to a transfer (R10). Appended on the log stream"
        " `attachment/<transfer id>`, not the transfer's own; the file's SHA-256 is the proof of"
        " what was attached. The CloudEvent `subject` is the transfer id.",
        f"attachment/{_UUID}",
        (f"^{_UUID}$", "The transfer id."),
    ),
    "master_data": Channel(
        "masterDataImports",
        "Impor data induk / master data imports",
        "One import run of employees, positions or units from a file. Appended on the log stream"
        " `import/<run id>`; the CloudEvent `subject` is the run id, as in"
        " GET /imports/reports/{id}.",
        f"import/{_UUID}",
        (f"^{_UUID}$", "The import run's id."),
    ),
    "tenant": Channel(
        "tenantEvents",
        "Konfigurasi pemerintah daerah / government configuration",
        "A government joined (`tenant.registered`) or its configuration changed"
        " (`tenant.configured`), by `mutasi tenant add` or the national administrator's API."
        " Appended on the log stream `tenant/<slug>` of that government's own chain; the payload"
        " is the whole configuration after the fact.",
        "tenant/[a-z0-9-]+",
        ("^[a-z0-9-]+$", "The government's slug."),
    ),
    "aspiration": Channel(
        "aspirationEvents",
        "Aspirasi pegawai / employees' wishes",
        "Where an employee wishes to go (units, posts, cities) and why, each change a new entry"
        " on the employee's stream `employee/<nip>`; the CloudEvent `subject` is the NIP.",
        "employees/[0-9]{18}",
        ("^[0-9]{18}$", "The employee's NIP."),
    ),
    "unit": Channel(
        "unitEvents",
        "Lokasi unit kerja / unit locations",
        "Where a unit's office is (regency/city, coordinates), for distances in rankings and"
        " plans. Stream `unit/<tenant>/<code>`; the CloudEvent `subject` is `<tenant>/<code>`.",
        "units/[a-z0-9-]+/[a-z0-9._-]+",
        ("^[a-z0-9-]+/[a-z0-9._-]+$", "The government's slug and the unit code."),
    ),
    "planning": Channel(
        "planningEvents",
        "Pengaturan perencanaan / planning settings",
        "A government's profile-matching settings after a change (docs/planning.md), on the"
        " stream `planning/<tenant>`.",
        "planning/[a-z0-9-]+",
        ("^[a-z0-9-]+$", "The government's slug."),
    ),
    "plan": Channel(
        "planEvents",
        "Rencana mutasi / transfer plans",
        "Every `plan.*` fact of a tenant's log, in log order per plan: drafted, edited,"
        " optimised (lines, objective, greedy baseline), approved, each line proposed,"
        " completed or cancelled (docs/planning.md).",
        f"plans/{_UUID}",
    ),
}


def _camel(event_type: str) -> str:
    first, *rest = event_type.replace(".", "_").split("_")
    return first + "".join(word.capitalize() for word in rest)


def _by_aggregate() -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for event_type in map(str, EVENTS):  # plain text, not the enums, in the YAML
        grouped.setdefault(event_type.split(".", 1)[0], []).append(event_type)
    return grouped


def _channel(aggregate: str, event_types: list[str]) -> dict[str, Any]:
    spec = CHANNELS[aggregate]
    params: dict[str, Any] = {"tenant": _TENANT}
    if len(event_types) > 1:
        address = f"mutasi.{{tenant}}.{aggregate}.{{event}}"
        facts = [t.split(".", 1)[1] for t in event_types]
        params["event"] = {"enum": facts, "description": "The fact: the event type after the dot."}
    else:
        address = f"mutasi.{{tenant}}.{event_types[0]}"
    messages = {_camel(t): {"$ref": f"#/components/messages/{_camel(t)}"} for t in event_types}
    return {
        "address": address,
        "title": spec.title,
        "description": spec.description,
        "parameters": params,
        "messages": messages,
    }


def _operation(aggregate: str, event_types: list[str]) -> dict[str, Any]:
    spec = CHANNELS[aggregate]
    return {
        "action": "receive",
        "channel": {"$ref": f"#/channels/{spec.key}"},
        "summary": f"{spec.subscribe}: {spec.title.split(' / ')[-1]}.",
        "messages": [{"$ref": f"#/channels/{spec.key}/messages/{_camel(t)}"} for t in event_types],
    }


def _envelope(event_type: str, payload_schema: str) -> dict[str, Any]:
    spec = CHANNELS[event_type.split(".", 1)[0]]
    props: dict[str, Any] = {
        "type": {"const": CLOUDEVENTS_PREFIX + event_type},
        "source": {"type": "string", "pattern": f"^/tenants/[a-z0-9-]+/{spec.source}$"},
    }
    if spec.subject:
        pattern, description = spec.subject
        props["subject"] = {"type": "string", "pattern": pattern, "description": description}
    props["data"] = {
        "type": "object",
        "properties": {"payload": {"$ref": _REF.format(model=payload_schema)}},
    }
    return {
        "allOf": [
            {"$ref": "#/components/schemas/CloudEvent"},
            {"type": "object", "properties": props},
        ]
    }


def _message(event_type: str, envelope: str) -> dict[str, Any]:
    version = getattr(EVENTS[event_type].model, "VERSION", 1)
    return {
        "name": event_type,
        "title": event_type,
        "summary": EVENTS[event_type].summary,
        "contentType": "application/cloudevents+json",
        "headers": {"$ref": "#/components/schemas/NatsHeaders"},
        "payload": {"$ref": _REF.format(model=envelope)},
        "x-payload-version": version,
    }


def build() -> dict[str, Any]:
    """The whole AsyncAPI 3.0 document as a dict."""
    models: list[tuple[type[BaseModel], Literal["validation"]]] = [
        (spec.model, "validation") for spec in EVENTS.values()
    ]
    names, definitions = models_json_schema(models, ref_template=_REF)
    schemas: dict[str, Any] = dict(ENVELOPE_SCHEMAS)
    schemas.update(dict(sorted(definitions.get("$defs", {}).items())))
    messages: dict[str, Any] = {}
    for event_type, spec in ((str(t), s) for t, s in EVENTS.items()):
        payload_schema = names[(spec.model, "validation")]["$ref"].rsplit("/", 1)[1]
        envelope = f"{spec.model.__name__}Event"
        schemas[envelope] = _envelope(event_type, payload_schema)
        messages[_camel(event_type)] = _message(event_type, envelope)
    grouped = _by_aggregate()
    return {
        "asyncapi": "3.0.0",
        "info": INFO,
        "defaultContentType": "application/cloudevents+json",
        "servers": SERVERS,
        "channels": {CHANNELS[a].key: _channel(a, types) for a, types in grouped.items()},
        "operations": {
            "receive" + CHANNELS[a].key[0].upper() + CHANNELS[a].key[1:]: _operation(a, types)
            for a, types in grouped.items()
        },
        "components": {"schemas": schemas, "messages": messages},
    }


def render() -> str:
    """The document as YAML text, exactly as committed in docs/asyncapi.yaml."""
    import yaml  # a development dependency: only the generator and the tests need it

    header = (
        "# AsyncAPI 3.0 of every subject and event type Mutasi publishes (SPEC §5).\n"
        "# GENERATED by `mutasi asyncapi` from mutasi/domain/payloads: do not edit by hand.\n"
    )

    class Dumper(yaml.SafeDumper):  # type: ignore[misc]  # PyYAML ships no type hints
        def ignore_aliases(self, data: Any) -> bool:
            return True  # repeated parts written out, no &anchors: easier to read and diff

    body = str(yaml.dump(build(), Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100))
    return header + body


def write(path: Path = DOC_PATH) -> bool:
    """Write the document; return whether it changed."""
    text = render()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True
