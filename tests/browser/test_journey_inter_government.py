"""A transfer between two governments, taken through the browser by the right people:

the PPK of Kota Palembang (receiving) asks for an employee of Kota Sorong by NIP → Palembang's
BKPSDM verifies and puts it on a meeting's agenda → Palembang's panel member votes → BKPSDM
closes the meeting → the PPK of Kota Sorong (origin) consents with its letter number → BKN's
regional office gives its pertek → Palembang's PPK approves → the decree is issued (by the
Minister: different provinces) and the move takes effect. Each finds the step under Tugas
saya after signing in through the local issuer; no token is typed anywhere.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from mutasi import clock
from mutasi.domain.model import INTER_GOVERNMENT_DOCUMENTS
from tests.browser.cases import person_named, wanted_elsewhere
from tests.browser.conftest import screenshot
from tests.browser.test_journey_within_government import (
    _scheduled,
    _task_link,
    _wait_for_status,
    upload_files,
)

ORIGIN, TARGET = "kota-sorong", "kota-palembang"
RECEIVING_PPK, RECEIVING_HR = f"{TARGET}:approver", f"{TARGET}:hr_officer"
ORIGIN_PPK, BKN = f"{ORIGIN}:approver", "bkn:bkn_officer"


def _step(page: Page, outcome: str, reference: str | None = None) -> None:
    page.get_by_label(outcome).check()
    if reference:
        page.get_by_label(re.compile("Nomor surat")).fill(reference)
    page.get_by_role("button", name="Simpan keputusan").click()


def test_a_transfer_between_provinces_by_the_right_people_in_the_browser(people, settings):
    wanted = wanted_elsewhere(settings, ORIGIN)
    today = clock.today().isoformat()

    # Palembang's PPK asks for the Sorong employee by origin government and NIP.
    ppk = people.signed_in(RECEIVING_PPK, "/usulan/baru")
    screenshot(ppk, "usulan-baru-ppk")
    screenshot(people.signed_in(RECEIVING_PPK, "/usulan/baru", width=360), "usulan-baru-ppk")
    ppk.get_by_label("Instansi asal", exact=True).select_option(ORIGIN)
    ppk.get_by_label(re.compile("NIP pegawai instansi asal")).fill(wanted.nip)
    ppk.get_by_role("button", name="Lanjutkan").click()
    expect(ppk.get_by_text(f"NIP {wanted.nip}")).to_be_visible()
    screenshot(ppk, "usulan-antarinstansi")
    screenshot(people.signed_in(RECEIVING_PPK, ppk.url, width=360), "usulan-antarinstansi")
    ppk.locator("input[name=target_position_code]").first.check()
    ppk.get_by_label("3. Alasan mutasi").fill("Formasi kosong di Palembang")
    ppk.get_by_label("Harapan atas mutasi ini").fill("Memperkuat pelayanan kesehatan")
    ppk.get_by_label(re.compile("TMT")).fill(today)
    ppk.get_by_label(re.compile("Pembenaran tertulis")).fill("Kebutuhan organisasi mendesak")
    ppk.get_by_role("button", name="Periksa aturan").click()
    preview = ppk.locator("#rule-preview")
    expect(preview).to_contain_text("hanya terpenuhi atau tidak yang ditampilkan")
    expect(preview).to_contain_text("Hukuman disiplin: terpenuhi")
    screenshot(ppk, "usulan-antarinstansi-periksa")
    ppk.set_viewport_size({"width": 360, "height": 900})
    screenshot(ppk, "usulan-antarinstansi-periksa")
    ppk.set_viewport_size({"width": 1280, "height": 900})
    ppk.get_by_role("button", name="Ajukan usulan").click()
    expect(ppk.get_by_role("status")).to_contain_text("Usulan diajukan")
    case_url = ppk.url.split("?")[0]
    _wait_for_status(ppk, "Diperiksa sistem")
    expect(ppk.locator(".meta")).to_contain_text("Antarprovinsi")
    expect(ppk.locator("dl.facts")).to_contain_text("Kota Palembang")  # by name, not slug
    ppk.goto("/usulan")
    expect(ppk.locator("table.list tbody tr", has_text=wanted.nip)).to_contain_text(
        "Kota Palembang"
    )
    ppk.goto(case_url)

    # Palembang's BKPSDM verifies and holds the meeting with its panel member.
    hr = people.signed_in(RECEIVING_HR, "/tugas")
    _task_link(hr, wanted.nip)
    upload_files(hr, [d.code for d in INTER_GOVERNMENT_DOCUMENTS])  # files, not a list
    hr.get_by_label(re.compile("Verifikasi: berkas lengkap")).check()
    hr.get_by_role("button", name="Simpan keputusan").click()
    _wait_for_status(hr, "Diverifikasi BKPSDM")
    panel_member = person_named(settings, f"{TARGET}:panel_member:")
    hr.goto("/rapat/baru")
    hr.get_by_label("Judul rapat").fill(f"Rapat TPK antarinstansi {wanted.nip}")
    hr.get_by_label(re.compile("Anggota")).fill(panel_member.nip or "")
    hr.get_by_label(re.compile("Kuorum")).fill("1")
    hr.get_by_role("button", name="Jadwalkan").click()
    _scheduled(hr)
    meeting_url = hr.url.split("?")[0]
    transfer_id = case_url.split("/")[-1]  # the option's value: this case, not a namesake's
    hr.get_by_label("Tambah usulan terverifikasi ke agenda").select_option(transfer_id)
    hr.get_by_role("button", name="Tambahkan").click()
    panel = people.signed_in(panel_member.id, meeting_url)
    panel.get_by_role("group", name=f"Suara Anda untuk {wanted.name}").get_by_label(
        "Rekomendasikan", exact=True
    ).check()
    panel.get_by_role("button", name="Simpan suara").click()
    expect(panel.locator(".agenda")).to_contain_text("Rekomendasikan")
    hr.goto(meeting_url)
    hr.get_by_role("button", name="Tutup rapat dan putuskan agenda").click()
    hr.goto(case_url)
    _wait_for_status(hr, "Direkomendasikan")
    # The receiving PPK cannot decide yet: the origin consents first.
    ppk.goto(case_url)
    expect(ppk.get_by_role("button", name="Simpan keputusan")).to_have_count(0)

    # Kota Sorong's PPK finds the consent under Tugas saya and gives it.
    origin = people.signed_in(ORIGIN_PPK, "/tugas")
    expect(origin.locator("table.list")).to_contain_text("Persetujuan PPK instansi asal")
    screenshot(origin, "tugas-ppk-asal")
    _task_link(origin, wanted.nip)
    screenshot(origin, "persetujuan-asal")
    screenshot(people.signed_in(ORIGIN_PPK, origin.url, width=360), "persetujuan-asal")
    _step(origin, "Setujui sebagai instansi asal", "800/123/BKPSDM/2026")
    _wait_for_status(origin, "Disetujui instansi asal")

    # BKN's regional office gives its pertek.
    bkn = people.signed_in(BKN, "/tugas")
    _task_link(bkn, wanted.nip)
    screenshot(bkn, "pertek-bkn")
    _step(bkn, "Berikan pertimbangan teknis", "PT-7/KANREG/2026")
    _wait_for_status(bkn, "Pertek BKN terbit")

    # Palembang's PPK decides; the decree follows and, TMT being today, the move takes effect.
    ppk = people.signed_in(RECEIVING_PPK, "/tugas")
    _task_link(ppk, wanted.nip)
    _step(ppk, "Setujui mutasi")
    _wait_for_status(ppk, "Selesai")
    timeline = ppk.locator("ol.timeline")
    expect(timeline).to_contain_text("800/123/BKPSDM/2026")
    expect(timeline).to_contain_text("PT-7/KANREG/2026")
    with ppk.expect_download() as download:
        ppk.get_by_role("link", name="Unduh SK (PDF)").click()
    assert download.value.path().read_bytes().startswith(b"%PDF-")
