"""A sixth government joins with no code change: the national administrator registers it (in
WITA, with a day off of its own and its own SK number format), its BKPSDM imports units,
positions and staff, and a transfer runs through it to completion — its deadlines counted in
Makassar's time and calendar."""

from __future__ import annotations

import re
from datetime import datetime
from uuid import uuid4
from zoneinfo import ZoneInfo

from temporalio.client import Client

from bench.cases import Case
from bench.driver import Api, StatusBoard
from bench.lifecycles import Lifecycles
from mutasi import clock
from mutasi.calendar import WorkingCalendar
from mutasi.lifecycle import transfer_workflow_id
from tests.e2e.api_client import Person
from tests.integration.import_support import with_fresh_nips
from tests.workflows.drive import due_of

MAKASSAR = ZoneInfo("Asia/Makassar")
UNITS = "Kode Unit,Nama Unit,Unit Induk\r\nsetda,Sekretariat Daerah,\r\ndinkes,Dinas Kesehatan,\r\n"
POSITIONS = (
    "Kode Jabatan;Nama Jabatan;Unit Kerja;Jenis Jabatan;Kelas Jabatan;Pendidikan Minimal;"
    "Bidang Pendidikan;Kompetensi;Kebutuhan\n"
    "setda.analis;Analis Kebijakan Ahli Muda;setda;JFT;10;S1;Ilmu Pemerintahan;;2\n"
    "dinkes.analis;Analis Kebijakan Ahli Muda;dinkes;JFT;10;S1;Ilmu Pemerintahan;;2\n"
)
STAFF = (
    "NIP;Nama;Tanggal Lahir;Jenis Kelamin;Gol/Ruang;Jabatan;Unit Kerja;TMT Jabatan;"
    "Pendidikan Terakhir;Jurusan;SKP 2024;SKP 2025;Hukuman Disiplin;Domisili\n"
    "198203112006041001;Andi Baso Rahman;11-03-1982;L;III/d;Analis Kebijakan Ahli Muda;"
    "Sekretariat Daerah;02-01-2019;S1;Ilmu Pemerintahan;Sangat Baik;Baik;;Kota Uji\n"
)


def _registration(slug: str, day_off: str) -> dict[str, object]:
    return {
        "slug": slug, "name": "Kota Uji Timur", "kind": "kota", "province": "Sulawesi Selatan",
        "capital": "Kota Uji Timur", "time_zone": "WITA",
        "decree_number_format": "821.2/{seq:03d}/BKPSDM-KUT/{month_roman}/{year}",
        "ppk": {"name": "Andi Makkasau", "title": "Wali Kota Uji Timur"},
        "bkpsdm_head": {"name": "Nurul Hidayah", "title": "Kepala BKPSDM Kota Uji Timur"},
        "extra_holidays": [day_off],
        "reason": "Bergabung dengan Mutasi",
    }  # fmt: skip


async def _import(hr: Person, kind: str, data: bytes) -> None:
    answer = await hr.call(
        "POST", "proposal", f"/imports/{kind}", files={"file": (f"{kind}.csv", data, "text/csv")}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["counts"]["refused"] == 0, answer.json()


async def test_a_sixth_government_in_wita_runs_a_transfer_with_its_own_calendar(stack, pool):
    settings = stack.settings
    slug = f"kota-uji-timur-{uuid4().hex[:6]}"
    today = clock.today(MAKASSAR)
    # Its own day off is the next working day: its deadlines must step over it.
    day_off = WorkingCalendar().add_working_days(today, 1)
    admin = Person(settings, "nasional", ["national_admin"], "admin@kemendagri")
    joined = await admin.call(
        "POST", "proposal", "/tenants", json=_registration(slug, str(day_off))
    )
    assert joined.status_code == 201, joined.text

    hr = Person(settings, slug, ["hr_officer"], f"bkpsdm@{slug}")
    await _import(hr, "units", UNITS.encode())
    await _import(hr, "positions", POSITIONS.encode())
    staff = await with_fresh_nips(pool, STAFF.encode())
    await _import(hr, "employees", staff)
    nip = re.search(rb"^(\d{18});", staff, re.M)[1].decode()

    api = Api(settings, patience_s=120)
    try:
        async with StatusBoard(settings) as board:
            lifecycles = Lifecycles(api, board, meeting_size=1)
            case = Case(
                slug,
                nip,
                "setda",
                "dinkes.analis",
                ("proposal_letter", "skp_two_years", "last_decree"),
            )
            transfer_id = await lifecycles.propose(case)
            await board.wait(transfer_id, "checked")
            due = await _verification_due(settings.temporal_address, transfer_id)
            await lifecycles.attach(case, transfer_id)
            await lifecycles.step(slug, transfer_id, "verify", "hr_officer", {"note": "Lengkap"})
            await lifecycles.meetings.recommend(slug, transfer_id)
            await lifecycles.step(
                slug, transfer_id, "decision", "approver", {"outcome": "approved"}
            )
            await board.wait(transfer_id, "completed")
    finally:
        await api.close()

    local_due = due.astimezone(MAKASSAR)
    assert (local_due.hour, local_due.minute) == (23, 59)  # end of the day in WITA, not WIB
    own = WorkingCalendar([day_off])
    assert local_due.date() == own.add_working_days(today, 5)
    assert local_due.date() > WorkingCalendar().add_working_days(today, 5)  # the day off counted
    row = await pool.fetchrow(
        "SELECT status, decree_number, tenant FROM transfers WHERE id = $1", transfer_id
    )
    assert (row["status"], row["tenant"]) == ("completed", slug)
    assert re.fullmatch(r"821\.2/\d{3}/BKPSDM-KUT/[IVX]+/\d{4}", row["decree_number"])
    moved = await pool.fetchval("SELECT position_code FROM employees WHERE nip = $1", nip)
    assert moved == "dinkes.analis"


async def _verification_due(temporal_address: str, transfer_id: str) -> datetime:
    """The deadline the workflow set for BKPSDM's verification, as its state reports it."""
    client = await Client.connect(temporal_address)
    _, due = await due_of(client.get_workflow_handle(transfer_workflow_id(transfer_id)))
    return due
