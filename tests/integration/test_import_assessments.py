"""Provinsi Jambi's assessment-centre results, imported as the sample's README says they are."""

from __future__ import annotations

import pytest

from tests.integration.planning_support import import_file, jambi

ZULKIFLI = "197510012002021001"  # assessed twice: 14-06-2026, then 15-11-2026
# Refused rows: line -> (column, code), per ../shared/data/README.md.
REFUSED = {
    28: ("Mengelola Perubahan", "competency.level_invalid"),  # a level of 7
    29: ("Komunikasi", "competency.level_invalid"),  # 3,5
    30: ("NIP", "employee.unknown"),  # not an employee of this government
    31: ("Tanggal Penilaian", "assessment.future_date"),  # 2099
    32: ("Kompetensi Teknis", "competency.technical_invalid"),  # no level
    33: ("Integritas", "value.missing"),  # an empty required level
}


@pytest.fixture
async def imported(pool):
    place = await jambi(pool)
    employees = await import_file(pool, place, "employees")
    assert employees.summary.startswith("24 diimpor (24 baru"), employees.summary
    standards = await import_file(pool, place, "positions")
    assert standards.counts.refused == 0 and standards.counts.imported == 8, standards.summary
    return place


async def test_the_sample_assessments_are_recorded_and_the_bad_rows_refused(pool, imported):
    report = await import_file(pool, imported, "assessments")
    assert report.summary == (
        "25 diimpor (25 baru, 0 diperbarui), 0 tidak berubah, 1 duplikat, 0 konflik, 6 ditolak"
    )
    assert {e.line: (e.column, e.code) for e in report.errors} == REFUSED
    assert [(d.line, d.first_line) for d in report.duplicates] == [(27, 5)]
    recorded = await pool.fetchval(
        "SELECT count(*) FROM event_log WHERE tenant = $1 AND event_type = 'employee.assessed'",
        imported.tenant,
    )
    assert recorded == 25


async def test_the_later_assessment_is_current_and_the_earlier_stays_in_history(pool, imported):
    await import_file(pool, imported, "assessments")
    nip = imported.nip(ZULKIFLI)
    history = await pool.fetch(
        "SELECT assessed_on, levels FROM assessments WHERE tenant = $1 AND nip = $2"
        " ORDER BY assessed_on",
        imported.tenant,
        nip,
    )
    assert [h["assessed_on"].isoformat() for h in history] == ["2026-06-14", "2026-11-15"]
    current = await pool.fetchval(
        "SELECT data->'competencies' FROM employees WHERE tenant = $1 AND nip = $2",
        imported.tenant,
        nip,
    )
    assert current == history[-1]["levels"]
    assert current["Kerja Sama"] == 5 and history[0]["levels"]["Kerja Sama"] == 5
    assert current["Integritas"] == 4 and history[0]["levels"]["Integritas"] == 5


async def test_the_oddly_written_levels_are_read_as_the_officer_meant(pool, imported):
    await import_file(pool, imported, "assessments")
    levels = {
        r["nip"]: r["levels"]
        for r in await pool.fetch(
            "SELECT nip, levels FROM assessments WHERE tenant = $1", imported.tenant
        )
    }
    ahmad = levels[imported.nip("198409282010081001")]  # "III" and "Level 3"
    assert ahmad["Integritas"] == 3 and ahmad["Kerja Sama"] == 3
    rahmawati = levels[imported.nip("197502152000032001")]  # " 4 ", ISO date
    assert rahmawati["Komunikasi"] == 4
    assert rahmawati["Tata Kelola Sistem Informasi"] == 2


async def test_importing_the_same_file_again_changes_nothing(pool, imported):
    await import_file(pool, imported, "assessments")
    before = await pool.fetchval(
        "SELECT count(*) FROM event_log WHERE tenant = $1", imported.tenant
    )
    again = await import_file(pool, imported, "assessments")
    assert again.summary == (
        "0 diimpor (0 baru, 0 diperbarui), 25 tidak berubah, 1 duplikat, 0 konflik, 6 ditolak"
    )
    after = await pool.fetchval("SELECT count(*) FROM event_log WHERE tenant = $1", imported.tenant)
    assert after == before + 1  # only the run's own master_data.imported
