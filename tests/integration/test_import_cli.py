"""A BKPSDM officer of Kota Sorong imports the SIMPEG export from a terminal, twice."""

from __future__ import annotations

import pytest

from tests.integration.import_support import (
    EXAMPLE,
    FIRST_IMPORT,
    REFUSED,
    SAMPLE,
    SECOND_IMPORT,
    run_cli,
    sample_nips,
)

pytestmark = pytest.mark.usefixtures("seeded")


async def _state(pool, nips):  # noqa: ANN001, ANN202
    employees = await pool.fetch(
        "SELECT nip, name, position_code, unit_code, position_since, data, last_sequence"
        " FROM employees WHERE tenant = 'kota-sorong' AND nip = ANY($1::text[]) ORDER BY nip",
        nips,
    )
    events = await pool.fetchval(
        "SELECT count(*) FROM event_log WHERE tenant = 'kota-sorong' AND stream = ANY($1::text[])",
        [f"employee/{nip}" for nip in nips],
    )
    return [dict(r) for r in employees], events


async def test_the_sample_export_gives_the_readme_outcome_and_a_second_import_changes_nothing(
    settings, pool
):
    nips = sample_nips(SAMPLE.read_bytes())
    assert await _state(pool, nips) == ([], 0), "the seed must not hold the sample's NIPs"

    first = run_cli(settings, "import", "employees", SAMPLE, "--tenant", "kota-sorong")
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert lines[-1] == FIRST_IMPORT
    for line, (column, _) in REFUSED.items():
        assert any(out.startswith(f"baris {line}: ditolak — {column}: ") for out in lines), line
    assert "baris 45: duplikat dari baris 15, diabaikan" in lines
    assert [out for out in lines if "konflik —" in out] == [
        "baris 46: konflik — NIP 199508152022082001 sama dengan baris 16 tetapi datanya "
        "berbeda; baris ini tidak diterapkan"
    ]

    employees, events = await _state(pool, nips)
    by_nip = {e["nip"]: e for e in employees}
    assert len(employees) == 32 and events == 33  # 32 people; line 44 updates line 14's
    assert by_nip["198807022013022001"]["name"] == "Lamria Simanjuntak"
    assert by_nip["199508152022082001"]["data"]["grade"] == "II/b"  # the conflict not applied
    # "Kepala Seksi; Pelayanan Umum" (a quoted ';') is no seeded post: created under BKPSDM.
    assert "jabatan baru dibuat: bkpsdm.kepala-seksi-pelayanan-umum" in lines
    assert by_nip["197212282002101002"]["position_code"] == "bkpsdm.kepala-seksi-pelayanan-umum"
    assert (
        await pool.fetchval(
            "SELECT needed FROM position_filled WHERE tenant = 'kota-sorong'"
            " AND position_code = 'bkpsdm.kepala-seksi-pelayanan-umum'"
        )
        == 1
    )

    second = run_cli(settings, "import", "employees", SAMPLE, "--tenant", "kota-sorong")
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines()[-1] == SECOND_IMPORT
    assert await _state(pool, nips) == (employees, events)


async def test_an_unknown_tenant_or_an_unreadable_file_fails_with_a_reason(settings, tmp_path):
    unknown = run_cli(settings, "import", "employees", EXAMPLE, "--tenant", "kota-atlantis")
    assert unknown.returncode == 1 and "Instansi tidak ditemukan" in unknown.stderr

    headless = tmp_path / "tanpa_kolom.csv"
    headless.write_text("NIP;Nama\n197803132000021001;Yohanes Kambu\n")
    missing = run_cli(settings, "import", "employees", headless, "--tenant", "kota-sorong")
    assert missing.returncode == 1
    assert "Kolom wajib tidak ditemukan: Gol/Ruang, Jabatan, Unit Kerja" in missing.stderr
