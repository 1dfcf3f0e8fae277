"""Employee imports against the database: the shapes officers bring, and what the database
already knows (re-imports, newer and older exports, other governments, transfers under way)."""

from __future__ import annotations

from uuid import uuid4

import pytest

from mutasi.errors import Conflict
from mutasi.imports.runs import ImportRequest, run_import
from mutasi.log.projections import ReadModels
from mutasi.log.store import Actor, NewEvent, append
from tests.event_examples import example
from tests.integration.import_support import (
    REFUSED,
    SAMPLE,
    fresh_tenant,
    sample_nips,
    with_fresh_nips,
)

pytestmark = pytest.mark.usefixtures("seeded")
OFFICER = Actor("bkpsdm@uji", "hr_officer")
HEADER = (
    "NIP;Nama;Tanggal Lahir;Jenis Kelamin;Gol/Ruang;Jabatan;Unit Kerja;TMT Jabatan;"
    "Pendidikan Terakhir;Jurusan;SKP 2024;SKP 2025;Hukuman Disiplin;Domisili"
)


def _row(
    nip: str,
    *,
    name: str = "Yohanes Kambu",
    grade: str = "IV/b",
    position: str = "Analis Keuangan",
    since: str = "17-04-2021",
) -> str:
    birth = f"{nip[6:8]}-{nip[4:6]}-{nip[:4]}"
    gender = "L" if nip[14] == "1" else "P"
    return (
        f"{nip};{name};{birth};{gender};{grade};{position};Dinas Kesehatan;{since};S1;"
        "Akuntansi;Sangat Baik;Baik;;Kota Sorong"
    )


async def _import(pool, tenant, text_or_bytes, key=None):  # noqa: ANN001, ANN202
    data = text_or_bytes if isinstance(text_or_bytes, bytes) else text_or_bytes.encode()
    return await run_import(
        pool, ImportRequest(tenant, "employees", data, OFFICER, "pegawai.csv", key)
    )


async def _fresh_nip(pool) -> str:  # noqa: ANN001
    data = await with_fresh_nips(pool, f"{HEADER}\n{_row('197803132000021001')}\n".encode())
    return sample_nips(data)[0]


async def test_sample_into_a_new_government_creates_the_posts_it_names(pool):
    tenant = await fresh_tenant(pool)  # units as in Kota Sorong, but no positions at all
    report = await _import(pool, tenant, await with_fresh_nips(pool, SAMPLE.read_bytes()))
    assert (
        report.counts.created,
        report.counts.updated,
        report.counts.duplicates,
        report.counts.conflicts,
        report.counts.refused,
    ) == (32, 1, 1, 1, 10)
    first_reason: dict[int, tuple[str | None, str]] = {}
    for error in report.errors:
        first_reason.setdefault(error.line, (error.column, error.code))
    assert first_reason == REFUSED
    positions = {
        r["code"]: r
        for r in await pool.fetch(
            "SELECT p.code, p.kind, f.needed, f.filled FROM positions p JOIN position_filled f"
            " ON f.tenant = p.tenant AND f.position_code = p.code WHERE p.tenant = $1",
            tenant,
        )
    }
    assert set(report.created_positions) == set(positions)
    assert all(p["needed"] == p["filled"] for p in positions.values())  # no gap invented
    assert positions["dishub.kepala-seksi-angkutan"]["kind"] == "pengawas"
    assert positions["dinkes.dokter-ahli-muda"]["kind"] == "fungsional"


async def test_comma_separated_iso_dates_and_english_headers(pool):
    tenant, nip = await fresh_tenant(pool), await _fresh_nip(pool)
    text = (
        "nip,name,birth date,gender,grade,position,unit,position since,education,major\r\n"
        f'{nip},"Kambu, Yohanes",{nip[:4]}-{nip[4:6]}-{nip[6:8]},M,iii-a,Analis Keuangan,'
        "dinas  kesehatan,2021-04-17,s-1,Akuntansi\r\n"
    )
    report = await _import(pool, tenant, text)
    assert report.delimiter == "," and report.counts.created == 1, report
    row = await pool.fetchrow(
        "SELECT name, data, position_since FROM employees WHERE tenant = $1 AND nip = $2",
        tenant,
        nip,
    )
    assert row["name"] == "Kambu, Yohanes" and row["data"]["grade"] == "III/a"
    assert row["position_since"].isoformat() == "2021-04-17"


async def test_an_excel_windows_1252_export_keeps_accented_names(pool):
    tenant, nip = await fresh_tenant(pool), await _fresh_nip(pool)
    data = f"{HEADER}\r\n{_row(nip, name='José Kambu')}\r\n".encode("cp1252")
    report = await _import(pool, tenant, data)
    assert report.encoding == "cp1252" and report.counts.created == 1
    assert await pool.fetchval("SELECT name FROM employees WHERE nip = $1", nip) == "José Kambu"


async def test_a_newer_export_updates_the_employee_as_an_event_of_the_log(pool):
    tenant, nip = await fresh_tenant(pool), await _fresh_nip(pool)
    await _import(pool, tenant, f"{HEADER}\n{_row(nip)}\n")
    newer = await _import(pool, tenant, f"{HEADER}\n{_row(nip, grade='IV/c')}\n")
    assert (newer.counts.updated, newer.counts.unchanged) == (1, 0)
    events = await pool.fetch(
        "SELECT event_type, actor_id, payload FROM event_log WHERE stream = $1 ORDER BY version",
        f"employee/{nip}",
    )
    assert [e["event_type"] for e in events] == ["employee.registered", "employee.updated"]
    assert events[1]["actor_id"] == OFFICER.id
    assert events[1]["payload"]["import"] == {"id": newer.id, "line": 2}
    assert await pool.fetchval("SELECT data->>'grade' FROM employees WHERE nip = $1", nip) == "IV/c"


async def test_an_older_export_or_a_transfer_under_way_is_a_conflict_not_applied(pool):
    tenant, nip = await fresh_tenant(pool), await _fresh_nip(pool)
    await _import(pool, tenant, f"{HEADER}\n{_row(nip, since='01-02-2022')}\n")
    stale = _row(nip, grade="IV/a", since="01-01-2020")
    older = await _import(pool, tenant, f"{HEADER}\n{stale}\n")
    assert [(c.line, c.code) for c in older.conflicts] == [(2, "import.older_than_record")]

    transfer = uuid4()
    async with pool.acquire() as conn, conn.transaction():
        await append(
            conn,
            tenant,
            [
                NewEvent(
                    f"transfer/{transfer}",
                    "transfer.submitted",
                    example(
                        "transfer.submitted",
                        employee_nip=nip,
                        employee_name="Yohanes Kambu",
                        target_tenant=tenant,
                        target_position_code="dinkes.x",
                        target_unit_code="dinkes",
                    ),
                    OFFICER,
                )
            ],
            projector=ReadModels(),
        )
    moved = await _import(
        pool, tenant, f"{HEADER}\n{_row(nip, position='Bendahara', since='01-03-2023')}\n"
    )
    assert [(c.line, c.code) for c in moved.conflicts] == [(2, "import.transfer_open")]
    assert (
        await pool.fetchval("SELECT position_code FROM employees WHERE nip = $1", nip)
        == "dinkes.analis-keuangan"
    )


async def test_a_nip_of_another_government_is_a_conflict(pool):
    first, second, nip = await fresh_tenant(pool), await fresh_tenant(pool), await _fresh_nip(pool)
    await _import(pool, first, f"{HEADER}\n{_row(nip)}\n")
    report = await _import(pool, second, f"{HEADER}\n{_row(nip)}\n")
    assert [(c.line, c.code) for c in report.conflicts] == [(2, "nip.other_tenant")]
    assert await pool.fetchval("SELECT count(*) FROM employees WHERE nip = $1", nip) == 1


async def test_a_retry_with_the_same_idempotency_key_answers_the_same_report(pool):
    tenant, nip = await fresh_tenant(pool), await _fresh_nip(pool)
    key = str(uuid4())
    first = await _import(pool, tenant, f"{HEADER}\n{_row(nip)}\n", key)
    again = await _import(pool, tenant, f"{HEADER}\n{_row(nip)}\n", key)
    assert again == first and again.counts.created == 1
    assert await pool.fetchval("SELECT count(*) FROM import_runs WHERE tenant = $1", tenant) == 1
    with pytest.raises(Conflict):
        await _import(pool, tenant, f"{HEADER}\n{_row(nip, grade='IV/c')}\n", key)
