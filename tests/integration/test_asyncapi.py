"""docs/asyncapi.yaml stays true: every event type is documented, and what the relay really
publishes — subject, headers and CloudEvent — matches the document's schemas."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest_asyncio
import yaml
from jsonschema import Draft7Validator
from nats.js import JetStreamContext

from mutasi.domain.events import ALL_EVENT_TYPES
from mutasi.log.checkpoints import Checkpointer
from mutasi.log.store import Actor, NewEvent
from mutasi.messaging.jetstream import connect, ensure_stream
from tests.integration.log_scenario import (
    append_events,
    jetstream_messages,
    new_tenant,
    publish_all,
)

DOC: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml").read_text())
MESSAGES = {m["name"]: m for m in DOC["components"]["messages"].values()}
NIP = "198503142010011002"
TRANSFER = {"employee_nip": NIP, "employee_name": "Budi Santoso", "kind": "within_government",
            "target_position_code": "P-01", "target_unit_code": "DINKES",
            "origin_position_code": "P-07", "origin_unit_code": "BAPPEDA"}
# One realistic payload per type; types not listed carry an empty payload.
PAYLOADS: dict[str, dict[str, Any]] = {
    "transfer.submitted": {**TRANSFER, "reasons": "Penyegaran", "effective_date": "2026-09-01"},
    "transfer.checked": {"passed": True, "failures": [], "warnings": ["R2"], "match_score": 87},
    "transfer.decree_issued": {"decree_number": "800.1.3.3/0007/BKPSDM/2026",
                               "document_sha256": "ab" * 32, "effective_date": "2026-09-01"},
    "transfer.effective": {**TRANSFER, "effective_date": "2026-09-01"},
    "transfer.reminder_sent": {"step": "verify", "pending_role": "hr_officer",
                               "working_days": 5, "due_at": "2026-08-01T09:00:00+07:00"},
    "meeting.scheduled": {"title": "Rapat Tim Penilai Kinerja", "scheduled_on": "2026-08-03",
                          "place": "Ruang Rapat BKPSDM", "quorum": 3, "members": []},
    "meeting.vote_cast": {"member": "nip:1", "votes": [{"transfer_id": "x", "vote": "yes"}]},
    "employee.registered": {"nip": NIP, "name": "Budi Santoso", "data": {},
                            "position_code": "P-07", "unit_code": "BAPPEDA",
                            "position_since": "2019-01-02"},
}
PAYLOADS["employee.updated"] = {**PAYLOADS["employee.registered"], "unit_code": "DINKES"}


@pytest_asyncio.fixture
async def js(settings) -> AsyncIterator[JetStreamContext]:
    nc = await connect(settings, name="test-asyncapi")
    stream = nc.jetstream()
    await ensure_stream(stream, settings)
    yield stream
    await nc.close()


def _validator(ref: str) -> Draft7Validator:
    """A validator for one schema of the document, resolving its $refs inside the document."""
    return Draft7Validator({"$ref": ref, "components": DOC["components"]})


def _channels_for(event_type: str) -> list[tuple[str, dict[str, Any]]]:
    ref = next(f"#/components/messages/{key}" for key, m in DOC["components"]["messages"].items()
               if m["name"] == event_type)
    return [(name, channel) for name, channel in DOC["channels"].items()
            if any(m["$ref"] == ref for m in channel["messages"].values())]


def _matches(channel: dict[str, Any], subject: str) -> bool:
    pattern = re.escape(channel["address"]).replace(r"\{tenant\}", "(?P<tenant>[a-z0-9-]+)")
    pattern = pattern.replace(r"\{event\}", "(?P<event>[a-z_]+)")
    found = re.fullmatch(pattern, subject)
    if found is None:
        return False
    allowed = channel.get("parameters", {}).get("event", {}).get("enum")
    return "event" not in found.groupdict() or allowed is None or found["event"] in allowed


def test_every_event_type_is_documented_once_on_its_channel():
    assert set(MESSAGES) == set(ALL_EVENT_TYPES)
    for event_type in ALL_EVENT_TYPES:
        [(_, channel)] = _channels_for(event_type)
        assert _matches(channel, f"mutasi.kota-sorong.{event_type}"), event_type
        assert MESSAGES[event_type]["payload"]["$ref"].startswith("#/components/schemas/")


def _stream_of(event_type: str, tenant: str) -> str:
    aggregate = event_type.split(".")[0]
    return {"transfer": f"transfer/{uuid4()}", "meeting": f"meeting/{uuid4()}",
            "employee": f"employee/{NIP}"}[aggregate]


async def test_each_published_event_matches_its_documented_message(pool, settings, js):
    tenant = new_tenant("asyncapi")
    actor = Actor("nip:198001012005011001", "hr_officer")
    for event_type in ALL_EVENT_TYPES:
        if event_type != "audit.checkpoint":  # that one only the checkpointer writes
            await append_events(pool, tenant, [NewEvent(
                _stream_of(event_type, tenant), event_type, PAYLOADS.get(event_type, {}), actor,
                reason="Sesuai ketentuan")])
    await Checkpointer(pool, settings).checkpoint(tenant)
    await publish_all(pool, js, tenant)
    messages = await jetstream_messages(js, settings.stream_name, tenant)
    seen = set()
    for message in messages:
        body = json.loads(message.data)
        event_type = body["type"].removeprefix("id.go.mutasi.")
        document = MESSAGES[event_type]
        errors = [e.message for e in _validator(document["payload"]["$ref"]).iter_errors(body)]
        assert errors == [], (event_type, errors)
        assert list(_validator(document["headers"]["$ref"]).iter_errors(
            dict(message.headers or {}))) == []
        assert message.headers["Nats-Msg-Id"] == body["id"]
        [(_, channel)] = _channels_for(event_type)
        assert _matches(channel, message.subject), (message.subject, channel["address"])
        seen.add(event_type)
    assert seen == set(ALL_EVENT_TYPES)


def test_a_cloudevent_missing_an_attribute_is_refused_by_the_document():
    event = {"specversion": "1.0", "id": str(uuid4()), "type": "id.go.mutasi.transfer.approved",
             "source": f"/tenants/kota-sorong/transfers/{uuid4()}", "subject": "x",
             "time": "2026-08-01T02:03:04.000005Z", "datacontenttype": "application/json",
             "tenant": "kota-sorong", "sequence": 9, "streamversion": 3, "loghash": "0" * 64,
             "data": {"actor": {"id": "ppk", "role": "approver"}, "reason": None, "payload": {}}}
    validator = _validator(MESSAGES["transfer.approved"]["payload"]["$ref"])
    assert validator.is_valid(event)
    assert not validator.is_valid({k: v for k, v in event.items() if k != "loghash"})
    assert not validator.is_valid({**event, "type": "id.go.mutasi.transfer.rejected"})
