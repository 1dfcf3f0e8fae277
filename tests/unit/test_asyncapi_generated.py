"""docs/asyncapi.yaml is what the payload models generate, and the models cover every type."""

from __future__ import annotations

import pytest

from mutasi.domain.events import ALL_EVENT_TYPES
from mutasi.domain.payloads import EVENTS, InvalidPayload, validate_payload
from mutasi.messaging.asyncapi import DOC_PATH, render


def test_the_committed_document_is_the_generated_one():
    assert DOC_PATH.read_text(encoding="utf-8") == render(), (
        "docs/asyncapi.yaml is stale: run `.venv/bin/mutasi asyncapi` and commit it"
    )


def test_every_event_type_has_exactly_one_payload_model():
    assert sorted(map(str, EVENTS)) == sorted(ALL_EVENT_TYPES)


def test_an_unknown_type_or_a_payload_off_its_model_is_refused():
    with pytest.raises(InvalidPayload, match="unknown event type"):
        validate_payload("transfer.teleported", {})
    with pytest.raises(InvalidPayload, match="transfer.withdrawn"):
        validate_payload("transfer.withdrawn", {"from_status": "submitted", "why": "x"})
    with pytest.raises(InvalidPayload, match="from_status"):
        validate_payload("transfer.withdrawn", {"from_status": "teleported"})
    validate_payload("transfer.withdrawn", {"from_status": "submitted"})
