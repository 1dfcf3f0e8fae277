"""Provinsi Jambi's sample files (../shared/data, README "objective placement") imported into
a fresh government with Jambi's six units, each NIP moved to a sequence nobody holds — the
same move in all three files, so the assessments still name the imported employees."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date

import asyncpg

from mutasi.imports.report import ImportReport
from mutasi.imports.runs import ImportRequest, run_import
from mutasi.log.store import Actor
from tests.conftest import SHARED_DATA
from tests.integration.import_support import fresh_tenant

JAMBI_UNITS = (
    ("diskominfo", "Dinas Komunikasi dan Informatika"),
    ("bpkad", "Badan Pengelolaan Keuangan dan Aset Daerah"),
    ("dinkes", "Dinas Kesehatan"),
    ("bkpsdm", "Badan Kepegawaian Daerah"),
    ("dishub", "Dinas Perhubungan"),
    ("disdikbud", "Dinas Pendidikan dan Kebudayaan"),
)
FILES = {
    "employees": "pegawai_provinsi_jambi.csv",
    "positions": "standar_kompetensi_provinsi_jambi.csv",
    "assessments": "penilaian_kompetensi_provinsi_jambi.csv",
}
# The day the imports run: after every valid assessment date of the sample (15-11-2026).
TODAY = date(2026, 12, 1)
OFFICER = Actor("bkpsdm@jambi-uji", "hr_officer")
_NIP = re.compile(rb"(?<!\d)(\d{15})(\d{3})(?!\d)")


def read(kind: str) -> bytes:
    return (SHARED_DATA / FILES[kind]).read_bytes()


@dataclass
class Jambi:
    tenant: str
    files: dict[str, bytes]
    nips: dict[str, str]  # the sample's NIP -> the NIP it has in this government

    def nip(self, sample_nip: str) -> str:
        return self.nips.get(sample_nip, sample_nip)


async def jambi(pool: asyncpg.Pool) -> Jambi:
    """A fresh government with the sample's files prepared (nothing imported yet)."""
    tenant = await fresh_tenant(pool, JAMBI_UNITS)
    await pool.execute(
        "UPDATE tenants SET province = 'Jambi', capital = 'Kota Jambi', timezone = 'Asia/Jakarta'"
        " WHERE slug = $1",
        tenant,
    )
    employees = read("employees")
    sample = sorted({b"".join(m.groups()).decode() for m in _NIP.finditer(employees)})
    for _ in range(50):
        shift = random.randrange(1, 399)
        moved = {n: f"{n[:15]}{1 + (int(n[15:]) - 1 + shift) % 399:03d}" for n in sample}
        taken = await pool.fetchval(
            "SELECT count(*) FROM employees WHERE nip = ANY($1::text[])", list(moved.values())
        )
        if not taken and not set(moved.values()) & set(sample):
            break
    else:
        raise AssertionError("no free NIP sequences left for the Jambi sample")

    def swap(data: bytes) -> bytes:
        return _NIP.sub(lambda m: moved.get(b"".join(m.groups()).decode(), "").encode()
                        or m.group(0), data)  # fmt: skip

    return Jambi(tenant, {kind: swap(read(kind)) for kind in FILES}, moved)


async def import_file(pool: asyncpg.Pool, place: Jambi, kind: str) -> ImportReport:
    request = ImportRequest(
        place.tenant, kind, place.files[kind], OFFICER, FILES[kind], today=TODAY
    )
    return await run_import(pool, request)
