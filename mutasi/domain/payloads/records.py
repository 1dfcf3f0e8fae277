"""Payloads of the records around transfers: employees, attachments, import runs, checkpoints."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal
from uuid import UUID

from pydantic import Field

from mutasi.domain.payloads.base import Nip, Payload, Sha256


class HeldPosition(Payload):
    """An earlier post (riwayat jabatan) as the seed or an import knows it."""

    nip: Nip
    position_code: str
    start: date
    end: date | None


class ImportLine(Payload):
    id: UUID = Field(description="The import run")
    line: int = Field(ge=1, description="The file's line (header = 1)")


class EmployeeRecorded(Payload):
    nip: Nip
    name: str
    position_code: str | None
    unit_code: str | None
    position_since: date | None
    data: dict[str, Any] = Field(description="The employee's whole record, as the rules read it")
    history: list[HeldPosition] = []
    import_: ImportLine | None = Field(default=None, alias="import")


class EmployeeRegistered(EmployeeRecorded):
    """Payload of `employee.registered`."""


class EmployeeUpdated(EmployeeRecorded):
    """Payload of `employee.updated`."""


class AuditCheckpoint(Payload):
    """Payload of `audit.checkpoint`: Ed25519 signature over the RFC 8785 JSON of
    {hash, length, sequence, signed_at, tenant} (docs/audit.md)."""

    tenant: str
    sequence: int = Field(ge=1)
    length: int = Field(ge=1)
    hash: Sha256
    signed_at: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")
    key_id: str = Field(pattern=r"^[0-9a-f]{16}$")
    signature: str = Field(description="base64")
    root: Sha256 | None = Field(
        default=None, description="RFC 6962 Merkle root of entries 1..length (hex)"
    )
    root_signature: str | None = Field(
        default=None,
        description="base64 Ed25519 over the RFC 8785 JSON of {length, root, sequence,"
        " signed_at, tenant}",
    )


class AttachmentAdded(Payload):
    """Payload of `attachment.added`, on the stream `attachment/<transfer id>`."""

    attachment_id: UUID = Field(
        description="Derived from (transfer, document_code, sha256) and equal to the event id,"
        " so a retried upload records nothing twice."
    )
    transfer_id: UUID
    document_code: str = Field(description="A code of the document checklist (R10)")
    filename: str = Field(min_length=1, max_length=200)
    content_type: Literal["application/pdf", "image/jpeg", "image/png"] = Field(
        description="Recognised from the file's first bytes, not from what the uploader declared."
    )
    size_bytes: int = Field(ge=1)
    sha256: Sha256 = Field(description="SHA-256 of the file; a download is checked against it.")
    storage_key: str = Field(
        pattern=r"^[a-z0-9-]+/[0-9a-f-]{36}/[0-9a-f]{64}$",
        description="<tenant>/<transfer id>/<sha256> in the attachment store",
    )


class ImportCounts(Payload):
    """Data rows per outcome; imported = created + updated, and rows = imported + unchanged
    + duplicates + conflicts + refused."""

    rows: int = Field(ge=0)
    imported: int = Field(ge=0)
    created: int = Field(ge=0)
    updated: int = Field(ge=0)
    unchanged: int = Field(ge=0)
    duplicates: int = Field(ge=0)
    conflicts: int = Field(ge=0)
    refused: int = Field(ge=0)


class UnitChange(Payload):
    """A unit an import of units created or changed, as it now is."""

    code: str
    action: Literal["created", "updated"]
    name: str
    parent_code: str | None
    head_position_code: str | None


class PositionChange(Payload):
    """A position an import of positions created or changed, as it now is."""

    code: str
    action: Literal["created", "updated"]
    name: str
    unit_code: str
    kind: str = Field(description="JPT, administrator, pengawas, pelaksana or fungsional")
    class_: int | None = Field(alias="class", description="Kelas jabatan (1–17)")
    required_education_level: str | None
    required_education_fields: list[str]
    required_competencies: dict[str, int] = Field(description="Competency -> required level")
    needed: int = Field(ge=0, description="Kebutuhan ABK")


class PositionCreatedByEmployeeImport(Payload):
    """A position an import of employees created because a row named one the government did
    not have yet (kind guessed from its name; needed = the rows placed in it)."""

    code: str
    action: Literal["created"]
    name: str
    unit_code: str
    kind: str
    needed: int = Field(ge=0)


class MasterDataImported(Payload):
    """Payload of `master_data.imported`: one import run, on the stream `import/<run id>`."""

    kind: Literal["employees", "positions", "units", "assessments"]
    filename: str | None
    file_sha256: Sha256
    counts: ImportCounts
    summary: str = Field(description="Ringkasan: the counts in one Indonesian sentence")
    refused_lines: list[int] = Field(description="Lines refused for an invalid value")
    conflict_lines: list[int] = Field(description="Lines that disagreed and were not applied")
    created_positions: list[str] = Field(description="Posts an import of employees created")
    changes: list[UnitChange | PositionChange | PositionCreatedByEmployeeImport]
    # A run whose changes do not fit one NATS message is recorded in parts (each entry one
    # message): the first carries the lines, the others only their changes.
    part: int | None = Field(default=None, ge=1, description="This entry's part, if split")
    parts: int | None = Field(default=None, ge=2, description="How many parts, if split")
