"""docs/asyncapi.yaml stays true: every event type is documented, and what the relay really
publishes — subject, headers and CloudEvent — matches the document's schemas."""

from __future__ import annotations

import hashlib
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
from mutasi.imports.runs import ImportRequest, run_import
from mutasi.log.checkpoints import Checkpointer
from mutasi.log.store import Actor, NewEvent
from mutasi.messaging.jetstream import connect, ensure_stream
from tests.integration.import_support import fresh_tenant, with_fresh_nips
from tests.integration.log_scenario import (
    append_events,
    jetstream_messages,
    new_tenant,
    publish_all,
)

DOC: dict[str, Any] = yaml.safe_load(
    (Path(__file__).resolve().parents[2] / "docs" / "asyncapi.yaml").read_text()
)
MESSAGES = {m["name"]: m for m in DOC["components"]["messages"].values()}
NIP = "198503142010011002"
TRANSFER = {
    "employee_nip": NIP,
    "employee_name": "Budi Santoso",
    "kind": "within_government",
    "target_position_code": "P-01",
    "target_unit_code": "DINKES",
    "origin_position_code": "P-07",
    "origin_unit_code": "BAPPEDA",
}
# One realistic payload per type; types not listed carry an empty payload.
PAYLOADS: dict[str, dict[str, Any]] = {
    "transfer.submitted": {**TRANSFER, "reasons": "Penyegaran", "effective_date": "2026-09-01"},
    "transfer.checked": {"passed": True, "failures": [], "warnings": ["R2"], "match_score": 87},
    "transfer.decree_issued": {
        "decree_number": "800.1.3.3/0007/BKPSDM/2026",
        "document_sha256": "ab" * 32,
        "effective_date": "2026-09-01",
    },
    "transfer.effective": {**TRANSFER, "effective_date": "2026-09-01"},
    "transfer.reminder_sent": {
        "step": "verify",
        "pending_role": "hr_officer",
        "working_days": 5,
        "due_at": "2026-08-01T09:00:00+07:00",
    },
    "meeting.scheduled": {
        "title": "Rapat Tim Penilai Kinerja",
        "scheduled_on": "2026-08-03",
        "place": "Ruang Rapat BKPSDM",
        "quorum": 3,
        "members": [],
    },
    "meeting.vote_cast": {"member": "nip:1", "votes": [{"transfer_id": "x", "vote": "yes"}]},
    "employee.registered": {
        "nip": NIP,
        "name": "Budi Santoso",
        "data": {},
        "position_code": "P-07",
        "unit_code": "BAPPEDA",
        "position_since": "2019-01-02",
    },
}
PAYLOADS["employee.updated"] = {**PAYLOADS["employee.registered"], "unit_code": "DINKES"}
TRANSFER_ID, PDF_SHA256 = str(uuid4()), hashlib.sha256(b"%PDF-1.4 SK terakhir").hexdigest()
PAYLOADS["attachment.added"] = {
    "attachment_id": str(uuid4()),
    "transfer_id": TRANSFER_ID,
    "document_code": "last_decree",
    "filename": "SK Kenaikan Pangkat 2022.pdf",
    "content_type": "application/pdf",
    "size_bytes": 48213,
    "sha256": PDF_SHA256,
    "storage_key": f"kota-sorong/{TRANSFER_ID}/{PDF_SHA256}",
}
PAYLOADS["master_data.imported"] = {
    "kind": "positions",
    "filename": "jabatan_2026.csv",
    "file_sha256": "ef" * 32,
    "counts": {
        "rows": 5,
        "imported": 2,
        "created": 1,
        "updated": 1,
        "unchanged": 1,
        "duplicates": 0,
        "conflicts": 1,
        "refused": 1,
    },
    "summary": "2 diimpor (1 baru, 1 diperbarui), 1 tidak berubah, 0 duplikat, 1 konflik, "
    "1 ditolak",
    "refused_lines": [4],
    "conflict_lines": [6],
    "created_positions": [],
    "changes": [
        {
            "code": "setda.analis-kebijakan-ahli-muda",
            "action": "created",
            "name": "Analis Kebijakan Ahli Muda",
            "unit_code": "setda",
            "kind": "fungsional",
            "class": 10,
            "required_education_level": "S1",
            "required_education_fields": ["Ilmu Pemerintahan", "Ilmu Hukum"],
            "required_competencies": {"Analisis Data": 3},
            "needed": 2,
        },
        {
            "code": "dinkes.perawat",
            "action": "updated",
            "name": "Perawat Ahli Pertama",
            "unit_code": "dinkes",
            "kind": "fungsional",
            "class": None,
            "required_education_level": None,
            "required_education_fields": [],
            "required_competencies": {},
            "needed": 15,
        },
    ],
}
TENANT_CONFIG = {
    "slug": "kota-uji",
    "name": "Kota Uji",
    "kind": "kota",
    "province": "Sulawesi Selatan",
    "capital": "Kota Uji",
    "time_zone": "WITA",
    "decree_number_format": "800.1.3.3/{seq:04d}/BKPSDM/{month_roman}/{year}",
    "ppk": {"name": "Andi Wijaya", "title": "Wali Kota Uji", "nip": None},
    "bkpsdm_head": {"name": "Siti Rahma", "title": "Kepala BKPSDM", "nip": "197203152000032001"},
    "extra_holidays": ["2026-09-17"],
    "incentive_policy": {
        "transport_min_km": 60,
        "transport_allowance_idr": 750000,
        "housing_min_km": None,
        "housing_support_idr": None,
        "note": None,
    },
    "public_page": True,
    "sla_working_days": 5,
    "document_checklist": None,
    "head_inaugurated_on": "2025-02-20",
    "election_candidate_determination_on": None,
    "ministerial_consent_document": None,
}
PAYLOADS["tenant.registered"] = TENANT_CONFIG
PAYLOADS["tenant.configured"] = {**TENANT_CONFIG, "public_page": False, "changed": ["public_page"]}


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
    ref = next(
        f"#/components/messages/{key}"
        for key, m in DOC["components"]["messages"].items()
        if m["name"] == event_type
    )
    return [
        (name, channel)
        for name, channel in DOC["channels"].items()
        if any(m["$ref"] == ref for m in channel["messages"].values())
    ]


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
    return {
        "transfer": f"transfer/{uuid4()}",
        "meeting": f"meeting/{uuid4()}",
        "employee": f"employee/{NIP}",
        "attachment": f"attachment/{TRANSFER_ID}",
        "master_data": f"import/{uuid4()}",
        "tenant": f"tenant/{tenant}",
    }[aggregate]


async def test_each_published_event_matches_its_documented_message(pool, settings, js):
    tenant = new_tenant("asyncapi")
    actor = Actor("nip:198001012005011001", "hr_officer")
    for event_type in ALL_EVENT_TYPES:
        if event_type != "audit.checkpoint":  # that one only the checkpointer writes
            await append_events(
                pool,
                tenant,
                [
                    NewEvent(
                        _stream_of(event_type, tenant),
                        event_type,
                        PAYLOADS.get(event_type, {}),
                        actor,
                        reason="Sesuai ketentuan",
                    )
                ],
            )
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
        assert (
            list(_validator(document["headers"]["$ref"]).iter_errors(dict(message.headers or {})))
            == []
        )
        assert message.headers["Nats-Msg-Id"] == body["id"]
        [(_, channel)] = _channels_for(event_type)
        assert _matches(channel, message.subject), (message.subject, channel["address"])
        seen.add(event_type)
    assert seen == set(ALL_EVENT_TYPES)


def test_a_cloudevent_missing_an_attribute_is_refused_by_the_document():
    event = {
        "specversion": "1.0",
        "id": str(uuid4()),
        "type": "id.go.mutasi.transfer.approved",
        "source": f"/tenants/kota-sorong/transfers/{uuid4()}",
        "subject": "x",
        "time": "2026-08-01T02:03:04.000005Z",
        "datacontenttype": "application/json",
        "tenant": "kota-sorong",
        "sequence": 9,
        "streamversion": 3,
        "loghash": "0" * 64,
        "data": {"actor": {"id": "ppk", "role": "approver"}, "reason": None, "payload": {}},
    }
    validator = _validator(MESSAGES["transfer.approved"]["payload"]["$ref"])
    assert validator.is_valid(event)
    assert not validator.is_valid({k: v for k, v in event.items() if k != "loghash"})
    assert not validator.is_valid({**event, "type": "id.go.mutasi.transfer.rejected"})


UNITS_CSV = "Kode Unit,Nama Unit,Unit Induk\r\nsetda,Sekretariat Daerah,\r\n,Bagian Hukum,setda\r\n"
POSITIONS_CSV = (
    "Kode Jabatan;Nama Jabatan;Unit Kerja;Jenis Jabatan;Kelas Jabatan;Pendidikan Minimal;"
    "Bidang Pendidikan;Kompetensi;Kebutuhan\n"
    ";Analis Kebijakan Ahli Muda;setda;JFT;10;S1;Ilmu Pemerintahan;Analisis Data:3;2\n"
    ";Pengemudi;Dinas Perhubungan;;;;;;3\n"
)  # an unknown unit: a refused line
# One employee in a post the government does not have yet: the import creates the post.
EMPLOYEES_CSV = (
    "NIP;Nama;Tanggal Lahir;Jenis Kelamin;Gol/Ruang;Jabatan;Unit Kerja;TMT Jabatan;"
    "Pendidikan Terakhir;Jurusan;SKP 2024;SKP 2025;Hukuman Disiplin;Domisili\n"
    "197803132000021001;Yohanes Kambu;13-03-1978;L;IV/b;Analis Keuangan;Dinas Kesehatan;"
    "17-04-2021;S1;Akuntansi;Sangat Baik;Baik;;Kota Sorong\n"
)


async def test_what_each_kind_of_import_really_logs_matches_the_document(pool):
    """Units, positions, and employees naming a post the government lacks: each run's
    `master_data.imported` payload, as the importers build it, fits the documented schema."""
    tenant = await fresh_tenant(pool, (("dinkes", "Dinas Kesehatan"),))
    officer = Actor("bkpsdm@uji", "hr_officer")
    employees = await with_fresh_nips(pool, EMPLOYEES_CSV.encode())
    for kind, data in (
        ("units", UNITS_CSV.encode()),
        ("positions", POSITIONS_CSV.encode()),
        ("employees", employees),
    ):
        report = await run_import(pool, ImportRequest(tenant, kind, data, officer, f"{kind}.csv"))
        payload = await pool.fetchval(
            "SELECT payload FROM event_log WHERE stream = $1", f"import/{report.id}"
        )
        assert payload["changes"], kind  # every kind of change is checked, none vacuously
        schema = _validator("#/components/schemas/MasterDataImportedPayload")
        assert [e.message for e in schema.iter_errors(payload)] == [], kind
