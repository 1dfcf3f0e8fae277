"""Request and response bodies of the proposal service (unknown fields are refused)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from mutasi.web.text import Code, Text

Nip = Annotated[str, StringConstraints(pattern=r"^\d{18}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProposalIn(Strict):
    employee_nip: Nip = Field(description="NIP pegawai yang diusulkan")
    target_position_code: Code = Field(description="Kode jabatan tujuan")
    origin_tenant: Code | None = Field(
        None, description="Pemerintah asal pegawai (untuk mutasi antarinstansi)"
    )
    reasons: Text = Field(description="Alasan mutasi")
    expectations: Text = Field(description="Harapan atas mutasi ini")
    effective_date: date = Field(description="TMT: tanggal mulai berlaku")
    justification: Text | None = Field(None, description="Pembenaran bila ada aturan lunak")
    documents: list[Code] = Field(default_factory=list, max_length=30)


class ReasonIn(Strict):
    reason: Text


class ReviseIn(Strict):
    reason: Text | None = None
    justification: Text | None = None
    target_position_code: Code | None = None
    effective_date: date | None = None
    documents: list[Code] | None = Field(
        None, max_length=30, description="Daftar dokumen lengkap yang baru"
    )


class TransferOut(BaseModel):
    id: UUID
    tenant: str
    target_tenant: str
    employee_nip: str
    employee_name: str
    kind: str
    origin_position_code: str | None
    origin_unit_code: str | None
    target_position_code: str
    target_unit_code: str
    status: str
    decree_number: str | None
    effective_date: date | None = Field(description="TMT, dari usulan (atau perbaikan) terakhir")
    created_at: datetime
    updated_at: datetime
    target_position_name: str | None = None
    target_unit_name: str | None = None
    origin_position_name: str | None = None
    origin_unit_name: str | None = None
    return_note: str | None = Field(
        None, description="Catatan pengembalian terakhir (BKPSDM, PPK, BKN, atau pemeriksaan)"
    )
    returned_by_role: str | None = None
    self_application: bool = Field(False, description="Atas permintaan sendiri (pegawai)")
    returned_at: datetime | None = None


class TransferPage(BaseModel):
    items: list[TransferOut]
    next_offset: int | None


class Accepted(BaseModel):
    id: UUID
    status: str
    workflow_id: str


class EmployeeOut(BaseModel):
    tenant: str
    nip: str
    name: str
    position_code: str | None
    unit_code: str | None
    position_since: date | None
    data: dict[str, object]
    position_name: str | None = None
    unit_name: str | None = None
