"""BKPSDM maintains units and positions (with their ABK need) from spreadsheets."""

from __future__ import annotations

import pytest

from mutasi.imports.runs import ImportRequest, run_import
from mutasi.log.store import Actor
from tests.integration.import_support import fresh_tenant

pytestmark = pytest.mark.usefixtures("seeded")
OFFICER = Actor("bkpsdm@uji", "hr_officer")
UNITS = (
    "Kode Unit,Nama Unit,Unit Induk\r\n"
    "setda,Sekretariat Daerah,\r\n"
    ",Bagian Hukum,Sekretariat Daerah\r\n"  # code from the name, parent by name
    "dinsos,Dinas Sosial,\r\n"
    "dinsos,Dinas Sosial,\r\n"  # exact repeat
    "dinsos,Dinas Sosial dan Pemberdayaan,\r\n"  # same code, other data
    "DINAS!,Dinas Lain,\r\n"  # bad code
    "uptd,UPTD Puskesmas,Dinas Tidak Ada\r\n"  # unknown parent
    "kesehatan,Dinas Kesehatan,\r\n"  # name already used by dinkes
)
POSITIONS = (
    "Kode Jabatan;Nama Jabatan;Unit Kerja;Jenis Jabatan;Kelas Jabatan;Pendidikan Minimal;"
    "Bidang Pendidikan;Kompetensi;Kebutuhan\n"
    ";Analis Kebijakan Ahli Muda;setda;JFT;10;S1;Ilmu Pemerintahan, Ilmu Hukum;"
    "Analisis Data:3, Hukum dan Regulasi:2;2\n"
    "dinkes.perawat;Perawat Ahli Pertama;Dinas Kesehatan;fungsional;9;D3;Keperawatan;;12\n"
    ";Pengemudi;Dinas Perhubungan;;;;;;3\n"  # unknown unit name
    ";Bendahara;dinkes;kepala;;;;;1\n"  # unknown kind
    ";Pengadministrasi Umum;dinkes;;;;;Komunikasi tinggi;1\n"  # unreadable competency
    ";Verifikator Keuangan;dinkes;;;;;;-1\n"  # negative need
)


async def _import(pool, tenant, kind, text):  # noqa: ANN001, ANN202
    return await run_import(
        pool, ImportRequest(tenant, kind, text.encode(), OFFICER, f"{kind}.csv")
    )


async def test_units_are_upserted_by_code_and_every_bad_row_says_why(pool):
    tenant = await fresh_tenant(pool, (("dinkes", "Dinas Kesehatan"),))
    report = await _import(pool, tenant, "units", UNITS)
    assert report.counts.created == 3
    assert [(e.line, e.column, e.code) for e in report.errors] == [
        (7, "Kode Unit", "code.invalid"),
        (8, "Unit Induk", "unit.parent_unknown"),
    ]
    assert [d.line for d in report.duplicates] == [5]
    assert [(c.line, c.code) for c in report.conflicts] == [
        (6, "row.conflict"),
        (9, "unit.name_taken"),
    ]
    units = {
        r["code"]: r["parent_code"]
        for r in await pool.fetch("SELECT code, parent_code FROM units WHERE tenant = $1", tenant)
    }
    assert units == {"dinkes": None, "setda": None, "bagian-hukum": "setda", "dinsos": None}

    again = await _import(pool, tenant, "units", UNITS)
    assert (again.counts.imported, again.counts.unchanged) == (0, 3)


async def test_positions_carry_their_abk_need_and_requirements(pool):
    tenant = await fresh_tenant(
        pool, (("setda", "Sekretariat Daerah"), ("dinkes", "Dinas Kesehatan"))
    )
    report = await _import(pool, tenant, "positions", POSITIONS)
    assert report.counts.created == 2
    assert [(e.line, e.column, e.code) for e in report.errors] == [
        (4, "Unit Kerja", "unit.unknown"),
        (5, "Jenis Jabatan", "position.kind_invalid"),
        (6, "Kompetensi", "competency.invalid"),
        (7, "Kebutuhan", "number.invalid"),
    ]
    analyst = await pool.fetchrow(
        "SELECT p.kind, p.class, p.required_education_level, p.required_education_fields,"
        " p.required_competencies, f.needed, f.filled FROM positions p JOIN position_filled f"
        " ON f.tenant = p.tenant AND f.position_code = p.code WHERE p.tenant = $1"
        " AND p.code = 'setda.analis-kebijakan-ahli-muda'",
        tenant,
    )
    assert dict(analyst) == {
        "kind": "fungsional",
        "class": 10,
        "required_education_level": "S1",
        "required_education_fields": ["Ilmu Pemerintahan", "Ilmu Hukum"],
        "required_competencies": {"Analisis Data": 3, "Hukum dan Regulasi": 2},
        "needed": 2,
        "filled": 0,
    }

    revised = POSITIONS.replace("fungsional;9;D3;Keperawatan;;12", "fungsional;9;D3;;;15")
    again = await _import(pool, tenant, "positions", revised)
    assert (again.counts.updated, again.counts.unchanged) == (1, 1)
    nurse = await pool.fetchrow(
        "SELECT needed, required_education_fields FROM positions"
        " WHERE tenant = $1 AND code = 'dinkes.perawat'",
        tenant,
    )
    assert (nurse["needed"], nurse["required_education_fields"]) == (15, ["Keperawatan"])


async def test_each_run_is_in_the_log_with_the_file_hash_and_its_changes(pool):
    tenant = await fresh_tenant(
        pool, (("setda", "Sekretariat Daerah"), ("dinkes", "Dinas Kesehatan"))
    )
    report = await _import(pool, tenant, "positions", POSITIONS)
    entry = await pool.fetchrow(
        "SELECT event_type, actor_id, payload FROM event_log WHERE stream = $1",
        f"import/{report.id}",
    )
    assert entry["event_type"] == "master_data.imported" and entry["actor_id"] == OFFICER.id
    assert entry["payload"]["file_sha256"] == report.file_sha256
    assert entry["payload"]["refused_lines"] == [4, 5, 6, 7]
    assert {c["code"]: c["needed"] for c in entry["payload"]["changes"]} == {
        "setda.analis-kebijakan-ahli-muda": 2,
        "dinkes.perawat": 12,
    }
