"""What the browser must refuse: pages of another role, another government's case, a form
without its CSRF token, an expired session; and a hostile name shown as text."""

from __future__ import annotations

import json
import random
import time
from uuid import uuid4

import httpx
from playwright.sync_api import expect

from mutasi import clock
from mutasi.auth.tokens import issue_token
from tests.browser.cases import fresh_case

EMPLOYEE = "kota-sorong:employee:199005122015032401"  # Yosephina Mandacan
HR = "kota-sorong:hr_officer"
BKPSDM_PAGES = (
    "/data-induk", "/tugas", "/usulan", "/usulan/baru", "/rapat/baru", "/rencana", "/kandidat",
)  # fmt: skip


def test_an_employee_sees_no_bkpsdm_link_and_a_typed_url_is_the_404_page(people):
    page = people.signed_in(EMPLOYEE, "/pegawai")
    menu = page.get_by_role("navigation", name="Menu utama")
    # Aspirasi is the employee's own form (SPEC §10), not a BKPSDM page.
    expect(menu.get_by_role("link")).to_have_text(["Beranda", "Aspirasi", "Notifikasi"])
    for path in BKPSDM_PAGES:
        response = page.goto(path)
        assert response is not None and response.status == 404, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Halaman tidak ditemukan")


def _sorong_transfer(settings) -> str:  # noqa: ANN001
    case = fresh_case(settings)
    token = issue_token(settings, sub="bkpsdm@kota-sorong", tenant="kota-sorong",
                        roles=["hr_officer"], unit="bkpsdm")  # fmt: skip
    body = {
        "employee_nip": case.nip,
        "target_position_code": case.target_position,
        "reasons": "Penyegaran",
        "expectations": "Pelayanan lebih baik",
        "effective_date": clock.today().isoformat(),
        "justification": "Kebutuhan organisasi",
    }
    response = httpx.post(
        f"http://127.0.0.1:{settings.proposal_port}/transfers",
        json=body,
        headers={"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid4())},
        timeout=30,
    )
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


def test_a_kota_medan_user_typing_a_kota_sorong_case_url_gets_the_404_page(people, settings):
    transfer = _sorong_transfer(settings)
    sorong = people.signed_in(HR, "/usulan")
    for _ in range(100):  # the workflow records the proposal within moments
        if sorong.goto(f"/usulan/{transfer}").status == 200:
            break
        sorong.wait_for_timeout(100)
    expect(sorong.get_by_role("heading", level=1)).to_contain_text("Usulan mutasi")

    medan = people.signed_in("kota-medan:hr_officer", "/tugas")
    response = medan.goto(f"/usulan/{transfer}")
    assert response is not None and response.status == 404
    expect(medan.get_by_role("heading", level=1)).to_have_text("Halaman tidak ditemukan")
    assert transfer not in medan.content()
    assert medan.goto(f"/usulan/{transfer}/sk").status == 404


def test_a_form_post_without_the_csrf_token_is_refused(people):
    page = people.signed_in(HR, "/tugas")
    refused = page.request.post("/keluar", form={"next": "/"})
    assert refused.status == 403
    assert "Formulir tidak sah" in refused.text()
    forged = page.request.post("/data-induk", form={"csrf_token": "palsu", "kind": "units"})
    assert forged.status == 403
    page.goto("/tugas")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tugas saya")  # still signed in


def test_an_expired_session_goes_to_sign_in_and_comes_back_to_the_page(people, settings):
    page = people.signed_in(HR, "/tugas")
    for path in (settings.var_dir / "web" / "sessions").glob("s-*.json"):
        data = json.loads(path.read_text())
        if data["claims"]["sub"] == "nip:198511032010042403":
            data["expires_at"] = time.time() - 1  # its hours have passed
            path.write_text(json.dumps(data))
    page.goto("/beban-kerja")
    assert "/oidc/authorize" in page.url
    page.locator(f'button[name=person][value^="{HR}"]').first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/beban-kerja")
    expect(page.get_by_role("heading", level=1)).to_have_text("Analisis beban kerja (ABK)")


def test_a_name_imported_as_a_script_is_shown_as_text(people, tmp_path):
    nip = f"195912311985032{random.randint(100, 399)}"
    name = "<script>alert('xss')</script><img src=x onerror=alert(1)>"
    header = (
        "NIP;Nama;Tanggal Lahir;Jenis Kelamin;Gol/Ruang;Jabatan;Unit Kerja;TMT Jabatan;"
        "Pendidikan Terakhir;Jurusan;SKP 2024;SKP 2025;Hukuman Disiplin;Domisili"
    )
    row = (
        f"{nip};{name};31-12-1959;P;III/a;Analis Keuangan;"
        "Badan Pengelolaan Keuangan dan Aset Daerah;01-01-2020;S1;Akuntansi;Baik;Baik;;Kota Sorong"
    )
    csv = tmp_path / "pegawai.csv"
    csv.write_text(f"{header}\n{row}\n", encoding="utf-8")
    page = people.signed_in(HR, "/data-induk")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.get_by_label("Jenis data").select_option("employees")
    page.get_by_label("Berkas CSV").set_input_files(str(csv))
    page.get_by_role("button", name="Impor").click()
    expect(page.get_by_role("status")).to_contain_text("1 diimpor")

    page.goto(f"/usulan/baru?q={nip}")
    cell = page.locator("table.list td[data-label=Nama]", has_text="<script>")
    expect(cell).to_have_text(name)  # the characters themselves, not markup
    page.get_by_role("link", name="Pilih").first.click()
    expect(page.locator("main")).to_contain_text(name)
    assert dialogs == []
    assert page.locator("main script").count() == 0 and page.locator("main img").count() == 0
