"""The decree: numbered by the tenant's format, downloadable by whoever may see the transfer,
its SHA-256 in the log, and exported for SIASN as JSON and CSV by `mutasi export siasn`."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest

from mutasi import clock
from mutasi.embedded.stack import settings_env
from mutasi.siasn import COLUMNS
from tests.e2e import meeting_scenario as meeting
from tests.e2e.api_client import Person
from tests.e2e.scenario import movable_case, people, propose_checked
from tests.unit.documents.pdf_text import shown_text

pytestmark = pytest.mark.usefixtures("stack")


async def _decreed(who: dict[str, Person], case: Any) -> dict[str, Any]:
    transfer_id = await propose_checked(who["hr"], case)
    early = await who["employee"].call("GET", "approval", f"/transfers/{transfer_id}/decree")
    assert early.status_code == 404 and "belum diterbitkan" in early.json()["title"]
    await who["hr"].call("POST", "approval", f"/transfers/{transfer_id}/verify", json={})
    await meeting.hold(who["hr"], [who["panel"]], [transfer_id])
    await who["hr"].wait_status(transfer_id, "recommended")
    r = await who["ppk"].call(
        "POST", "approval", f"/transfers/{transfer_id}/decision", json={"outcome": "approved"}
    )
    assert r.status_code == 200, r.text
    return await who["hr"].wait_status(transfer_id, "completed")


def _export(settings, *args: str) -> str:  # noqa: ANN001
    env = os.environ | settings_env(settings)
    done = subprocess.run(
        [sys.executable, "-m", "mutasi.cli", "export", "siasn", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


async def test_the_decree_is_downloadable_and_exported_for_siasn(settings, pool):
    case = await movable_case(pool)
    who = people(settings, case)
    final = await _decreed(who, case)
    transfer_id, number = str(final["id"]), final["decree_number"]
    recorded = await pool.fetchval(
        "SELECT payload FROM event_log WHERE stream = $1 AND event_type = $2",
        f"transfer/{transfer_id}",
        "transfer.decree_issued",
    )

    pdf = await who["employee"].call("GET", "approval", f"/transfers/{transfer_id}/decree")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert hashlib.sha256(pdf.content).hexdigest() == recorded["document_sha256"]
    text = shown_text(pdf.content)
    assert number in text and case.nip in text and case.name in text
    outsider = Person(settings, "kota-medan", ["hr_officer"], "bkpsdm@kota-medan")
    assert (
        await outsider.call("GET", "approval", f"/transfers/{transfer_id}/decree")
    ).status_code == 404

    today = clock.today().isoformat()
    exported = json.loads(_export(settings, "--tenant", case.tenant, "--since", today))
    assert exported["format"] == "mutasi-siasn/1" and exported["tenant"] == case.tenant
    [record] = [r for r in exported["records"] if r["id_usulan"] == transfer_id]
    assert (record["nip"], record["nomor_sk"], record["tmt"]) == (case.nip, number, today)
    assert (record["jabatan_asal_kode"], record["jabatan_tujuan_kode"]) == (
        case.position,
        case.target_position,
    )
    assert record["pejabat_penetap"] == recorded["signed_by"] == "Wali Kota Sorong"
    assert record["dokumen_sk_sha256"] == recorded["document_sha256"]

    rows = list(
        csv.DictReader(
            io.StringIO(
                _export(settings, "--tenant", case.tenant, "--since", today, "--format", "csv")
            )
        )
    )
    assert rows and tuple(rows[0]) == COLUMNS
    assert {r["nomor_sk"] for r in rows if r["id_usulan"] == transfer_id} == {number}
    elsewhere = json.loads(_export(settings, "--tenant", "kota-medan", "--since", today))
    assert transfer_id not in {r["id_usulan"] for r in elsewhere["records"]}


async def test_the_decree_number_follows_the_tenants_format(settings, pool, admin_pool):
    tenant = "kota-medan"
    previous = await admin_pool.fetchval(
        "SELECT decree_number_format FROM tenants WHERE slug = $1", tenant
    )
    await admin_pool.execute(
        "UPDATE tenants SET decree_number_format = $2 WHERE slug = $1",
        tenant,
        "821.2/{seq:03d}/BKPSDM-MDN/{month_roman}/{year}",
    )
    try:
        case = await movable_case(pool, tenant)
        final = await _decreed(people(settings, case), case)
    finally:
        await admin_pool.execute(
            "UPDATE tenants SET decree_number_format = $2 WHERE slug = $1", tenant, previous
        )
    decree = await pool.fetchrow(
        "SELECT seq, issued_at FROM decrees WHERE transfer_id = $1", UUID(str(final["id"]))
    )
    signed = decree["issued_at"].astimezone(ZoneInfo("Asia/Jakarta"))  # Medan is in WIB
    months = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
    assert (
        final["decree_number"]
        == f"821.2/{decree['seq']:03d}/BKPSDM-MDN/{months[signed.month - 1]}/{signed.year}"
    )
