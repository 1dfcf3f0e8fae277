"""Objective placement in the browser's HTML (no JavaScript): BKPSDM drafts a transfer plan
from Rencana mutasi and reads it beside greedy, downloads it, cancels it; compares the ranked
and explained candidates for one post; an employee records an aspiration and BKPSDM sees it.
Pages not for a person answer 404 and are not in their menu."""

from __future__ import annotations

import asyncio
import io
import re
from datetime import timedelta
from html import escape, unescape
from uuid import UUID, uuid4

import pytest
from openpyxl import load_workbook

from mutasi import clock
from tests.e2e.api_client import Person
from tests.web.visitor import Visitor

TENANT = "provinsi-jambi"


@pytest.fixture
async def hr(web: str):
    visitor = Visitor(web)
    await visitor.sign_in(f"{TENANT}:hr_officer", "/rencana")
    yield visitor
    await visitor.close()


@pytest.fixture
async def employee(web: str):
    visitor = Visitor(web)
    await visitor.sign_in(f"{TENANT}:employee", "/aspirasi")
    yield visitor
    await visitor.close()


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', page)
    assert found, f"no {name} on the page"
    return found.group(1)


async def _optimised(hr: Visitor, path: str) -> str:
    for _ in range(300):
        page = await hr.get(path)
        assert page.status_code == 200
        if "Sedang dioptimalkan" not in page.text:
            return page.text
        await asyncio.sleep(0.2)
    raise AssertionError("the plan was never optimised")


async def test_bkpsdm_drafts_reads_downloads_and_cancels_a_plan(hr, pool):
    listing = await hr.get("/rencana")
    assert listing.status_code == 200 and "Susun rencana baru" in listing.text
    assert 'href="/rencana"' in listing.text  # in the menu
    form = {
        "csrf_token": hr.csrf(listing),
        "idempotency_key": _hidden(listing.text, "idempotency_key"),
        "title": "Rencana Mutasi Uji Web",
        "period_start": (clock.today() + timedelta(days=35)).isoformat(),  # a TMT ahead
        "max_moves": "3",
    }
    drafted = await hr.client.post("/rencana", data=form)
    assert drafted.status_code == 200 and "/rencana/" in str(drafted.url)
    path = drafted.url.path
    page = await _optimised(hr, path)
    assert "Teroptimalkan" in page, page
    assert "cara greedy" in page and "terbukti optimal" in page
    moves = re.findall(r'<td data-label="No">(\d+)</td>', page)
    assert 1 <= len(moves) <= 3  # at most the three moves asked for
    targets = await pool.fetch(
        "SELECT p.code, p.name FROM plan_lines l JOIN plans pl ON pl.id = l.plan_id"
        " JOIN positions p ON p.tenant = pl.tenant AND p.code = l.target_position_code"
        " WHERE l.plan_id = $1",
        UUID(path.rsplit("/", 1)[-1]),
    )
    assert len(targets) == len(moves)
    for post in targets:  # each line names its post, the code small beside it
        assert (
            f'<strong>{escape(post["name"])}</strong> <small class="muted">{post["code"]}</small>'
            in page
        )
    assert "Setujui: jadikan usulan" in page and "Batalkan rencana" in page
    again = await hr.client.post("/rencana", data=form)  # the same form sent twice
    assert again.url.path == path  # one plan, not two

    document = await hr.get(f"{path}/dokumen.xlsx")
    assert document.status_code == 200
    sheet = load_workbook(io.BytesIO(document.content))["Baris rencana"]
    assert len(list(sheet.iter_rows())) == len(moves) + 1

    cancel = {"csrf_token": hr.csrf(await hr.get(path)), "idempotency_key": "batal-" + path[-12:],
              "reason": "Uji halaman"}  # fmt: skip
    cancelled = await hr.client.post(f"{path}/batalkan", data=cancel)
    assert cancelled.status_code == 200 and "Dibatalkan" in cancelled.text
    assert "Setujui: jadikan usulan" not in cancelled.text


async def test_bkpsdm_compares_the_explained_candidates_for_one_post(hr):
    chooser = await hr.get("/kandidat")
    assert chooser.status_code == 200
    codes = re.findall(r'<option value="([^"]+)">', chooser.text)
    assert codes, "no post to choose"
    ranked = await hr.get("/kandidat", params={"jabatan": unescape(codes[0])})
    assert ranked.status_code == 200
    scores = [float(s.replace(".", "").replace(",", ".")) for s in
              re.findall(r"skor <strong>([\d.,]+)</strong>", ranked.text)]  # fmt: skip
    assert scores and scores == sorted(scores, reverse=True)
    assert "Rincian skor" in ranked.text and "Sumbangan" in ranked.text
    unknown = await hr.get("/kandidat", params={"jabatan": "tidak-ada"})
    assert "Jabatan tidak ditemukan di instansi Anda" in unknown.text


async def test_an_employee_records_an_aspiration_and_bkpsdm_sees_it(employee, hr):
    page = await employee.get("/aspirasi")
    assert page.status_code == 200 and "Ke mana Anda ingin dipindah?" in page.text
    units = re.findall(r'name="units" value="([^"]+)"', page.text)
    assert units
    reason = "Ingin dekat dengan keluarga di Kota Jambi"
    form = {"csrf_token": employee.csrf(page), "units": units[0], "cities": "Kota Jambi",
            "reason": reason}  # fmt: skip
    saved = await employee.client.post("/aspirasi", data=form)
    assert saved.status_code == 200 and reason in saved.text  # in the history
    refused = await employee.client.post("/aspirasi", data=form | {"reason": " "})
    assert refused.status_code == 422 and 'role="alert"' in refused.text
    listed = await hr.get("/aspirasi")
    assert listed.status_code == 200 and "Aspirasi pegawai" in listed.text
    assert "Kota Jambi" in listed.text
    assert (await employee.get("/rencana")).status_code == 404
    assert (await employee.get("/kandidat")).status_code == 404
    assert 'href="/rencana"' not in saved.text


async def test_a_proposal_shows_the_incentives_the_government_policy_grants(hr, settings, pool):
    """The receiving government pays a transport allowance from 0 km: a proposal records it,
    and Detail usulan shows it under Insentif (the policy is set back afterwards)."""
    admin = Person(settings, "nasional", ["national_admin"], "admin@kemendagri")
    policy = {"transport_min_km": 0, "transport_allowance_idr": 650_000}
    case = await pool.fetchrow(
        "SELECT e.nip, f.position_code FROM employees e JOIN position_filled f"
        " ON f.tenant = e.tenant AND f.unit_code = e.unit_code AND f.filled < f.needed"
        " AND f.position_code <> e.position_code WHERE e.tenant = $1"
        " AND e.data->>'home_city' IS NOT NULL AND NOT EXISTS"
        " (SELECT 1 FROM transfers t WHERE t.employee_nip = e.nip) ORDER BY e.nip DESC LIMIT 1",
        TENANT,
    )
    body = {
        "employee_nip": case["nip"],
        "target_position_code": case["position_code"],
        "reasons": "Pemerataan pegawai",
        "expectations": "Pelayanan lebih baik",
        "effective_date": clock.today().isoformat(),
        "justification": "Kebutuhan unit",
    }
    bkpsdm = Person(settings, TENANT, ["hr_officer"], f"bkpsdm@{TENANT}")
    change = {"incentive_policy": policy, "reason": "Uji kebijakan insentif"}
    assert (await admin.call("PATCH", "proposal", f"/tenants/{TENANT}", json=change)).is_success
    try:
        proposed = await bkpsdm.call("POST", "proposal", "/transfers", json=body, key=str(uuid4()))
        assert proposed.status_code == 202, proposed.text
        transfer_id = proposed.json()["id"]
        # The policy is read when the workflow records the proposal, after the intake's 202.
        await bkpsdm.wait_status(transfer_id, "checked", "returned")
    finally:
        change = {"incentive_policy": {}, "reason": "Kembali tanpa insentif"}
        assert (await admin.call("PATCH", "proposal", f"/tenants/{TENANT}", json=change)).is_success
    page = await hr.get(f"/usulan/{transfer_id}")
    assert page.status_code == 200
    assert "<dt>Insentif</dt>" in page.text
    # From 0 km every posting qualifies, whatever the employee's domicile.
    granted = r"Tunjangan transport Rp 650\.000 per bulan \(penempatan [\d.,]+ km dari domisili"
    assert re.search(granted, page.text), page.text
    # Withdrawn, so the post and the employee are free for the plans drawn up after this test.
    reason = {"reason": "Uji insentif selesai"}
    withdrawn = await bkpsdm.call(
        "POST", "proposal", f"/transfers/{transfer_id}/withdraw", json=reason, key=str(uuid4())
    )
    assert withdrawn.is_success, withdrawn.text
