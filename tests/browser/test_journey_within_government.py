"""One transfer within Kota Sorong, taken through the browser by each role in turn:

the head of unit proposes → BKPSDM returns it with a note → the head revises → BKPSDM
verifies and puts it on a meeting's agenda → the panel member votes → BKPSDM closes the
meeting → the PPK approves → the decree is issued and takes effect → the employee reads the
notice, opens the case from it and downloads the decree. No token is typed anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from mutasi import clock
from tests.browser.cases import fresh_case
from tests.browser.conftest import screenshot

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
HR = "kota-sorong:hr_officer"
PANEL = "kota-sorong:panel_member:196801251994031404"  # Hendrik Howay
PPK = "kota-sorong:approver"
PATIENCE_MS = 60_000


def _wait_for_status(page: Page, text: str) -> None:
    """Reload the case page until the workflow shows `text` (it works asynchronously)."""
    badge = page.locator(".meta .badge").first
    deadline = datetime.now(UTC).timestamp() + PATIENCE_MS / 1000
    while datetime.now(UTC).timestamp() < deadline:
        if badge.inner_text().strip() == text:
            return
        page.wait_for_timeout(400)
        page.reload()
    expect(badge).to_have_text(text)


def upload_files(page: Page, codes: Iterable[str]) -> None:
    """Upload a file of each document kind on the open case page (BKPSDM verifies files)."""
    for code in codes:
        page.get_by_label("Jenis dokumen").select_option(code)
        page.locator("#file").set_input_files(
            files=[{"name": f"{code}.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        page.get_by_role("button", name="Unggah").click()
        page.wait_for_load_state()


def _task_link(page: Page, nip: str) -> None:
    """Open the employee's case from Tugas saya, found by NIP: names repeat (on 2026-12-31
    another Rahmat Hidayat of Kota Sorong also waited for BKPSDM)."""
    page.goto("/tugas")
    row = page.locator("table.list tbody tr", has_text=f"NIP {nip}")
    expect(row).to_have_count(1)
    row.get_by_role("link", name=re.compile("Buka")).click()


def _scheduled(page: Page) -> None:
    """The meeting was scheduled: its page is open (else the form says why it was not)."""
    try:
        page.wait_for_url(re.compile(r"/rapat/[0-9a-f-]{36}"))
    except PlaywrightTimeout:
        raise AssertionError(page.locator("main").inner_text()) from None


def test_a_transfer_from_proposal_to_decree_by_every_role_in_the_browser(people, settings):
    case = fresh_case(settings)
    today = clock.today().isoformat()

    # The head of unit finds the employee and proposes the best-fitting vacancy.
    head = people.signed_in(case.supervisor, "/usulan/baru")
    head.get_by_label("Nama atau NIP pegawai").fill(case.nip)
    head.get_by_role("button", name="Cari").click()
    head.get_by_role("link", name=re.compile("Pilih")).first.click()
    screenshot(head, "usulan-baru")
    target = head.locator(f'input[name=target_position_code][value="{case.target_position}"]')
    if not target.is_visible():  # ranked below the first eight: under "lainnya"
        head.locator("details.more summary").click()
    target.check()
    head.get_by_label("3. Alasan mutasi").fill("Pemerataan beban kerja di unit")
    head.get_by_label("Harapan atas mutasi ini").fill("Pelayanan lebih cepat")
    head.get_by_label(re.compile("TMT")).fill(today)
    head.get_by_label(re.compile("Pembenaran tertulis")).fill("Kebutuhan organisasi mendesak")
    # The rules, checked before submitting: each with the fact that decides it.
    head.get_by_role("button", name="Periksa aturan").click()
    preview = head.locator("#rule-preview")
    expect(preview).to_contain_text("Tidak ada aturan wajib yang dilanggar")
    expect(preview.locator("tbody tr").first).to_contain_text(f"{case.target_name} tersedia")
    screenshot(head, "usulan-baru-periksa")
    head.set_viewport_size({"width": 360, "height": 900})
    screenshot(head, "usulan-baru-periksa")
    head.set_viewport_size({"width": 1280, "height": 900})
    head.get_by_role("button", name="Ajukan usulan").click()
    expect(head.get_by_role("status")).to_contain_text("Usulan diajukan")
    case_url = head.url.split("?")[0]
    _wait_for_status(head, "Diperiksa sistem")
    expect(head.locator("table.rules")).to_contain_text("R1")
    expect(head.locator("dl.facts")).to_contain_text("Kota Sorong")  # by name, not slug
    screenshot(head, "detail-usulan")

    # BKPSDM finds it under Tugas saya and returns it with a note.
    hr = people.signed_in(HR, "/tugas")
    screenshot(hr, "tugas-saya")
    _task_link(hr, case.nip)
    hr.get_by_label("Kembalikan kepada pengusul").check()
    hr.get_by_label(re.compile("Catatan")).fill("Lengkapi SK jabatan terakhir")
    hr.get_by_role("button", name="Simpan keputusan").click()
    _wait_for_status(hr, "Dikembalikan")

    # The head of unit revises; the rules are checked again.
    head.goto(case_url)
    head.get_by_label("Apa yang diperbaiki").fill("SK jabatan terakhir dilampirkan")
    head.get_by_role("button", name="Ajukan kembali").click()
    _wait_for_status(head, "Diperiksa sistem")

    # BKPSDM attaches the file of each required document (it verifies files, not a list),
    # verifies, schedules a meeting with one member and puts the case on its agenda.
    hr.goto(case_url)
    upload_files(hr, ("proposal_letter", "skp_two_years", "last_decree"))
    hr.get_by_label(re.compile("Verifikasi: berkas lengkap")).check()
    hr.get_by_role("button", name="Simpan keputusan").click()
    _wait_for_status(hr, "Diverifikasi BKPSDM")
    hr.goto("/rapat/baru")
    hr.get_by_label("Judul rapat").fill(f"Rapat TPK {case.nip}")
    hr.get_by_label(re.compile("Anggota")).fill("Hendrik Howay")
    hr.get_by_label(re.compile("Kuorum")).fill("1")
    hr.get_by_role("button", name="Jadwalkan").click()
    _scheduled(hr)
    meeting_url = hr.url.split("?")[0]
    transfer_id = case_url.split("/")[-1]  # the option's value: this case, not a namesake's
    hr.get_by_label("Tambah usulan terverifikasi ke agenda").select_option(transfer_id)
    hr.get_by_role("button", name="Tambahkan").click()
    expect(hr.locator(".agenda")).to_contain_text(case.name)

    # The panel member votes with a note.
    panel = people.signed_in(PANEL, meeting_url)
    panel.get_by_role("group", name=f"Suara Anda untuk {case.name}").get_by_label(
        "Rekomendasikan", exact=True
    ).check()
    panel.get_by_label("Catatan").fill("Kompetensi sesuai")
    panel.get_by_role("button", name="Simpan suara").click()
    expect(panel.locator(".agenda")).to_contain_text("Rekomendasikan")
    screenshot(panel, "rapat")

    # BKPSDM closes the meeting: the case is recommended.
    hr.goto(meeting_url)
    hr.get_by_role("button", name="Tutup rapat dan putuskan agenda").click()
    hr.goto(case_url)
    _wait_for_status(hr, "Direkomendasikan")

    # The PPK approves; the decree follows and, TMT being today, the move takes effect.
    ppk = people.signed_in(PPK, "/tugas")
    _task_link(ppk, case.nip)
    ppk.get_by_label("Setujui mutasi").check()
    ppk.get_by_role("button", name="Simpan keputusan").click()
    _wait_for_status(ppk, "Selesai")
    expect(ppk.locator("dl.facts")).to_contain_text("Unduh SK")

    # The employee reads the notice, opens the case from it and downloads the decree.
    employee = people.signed_in(f"kota-sorong:employee:{case.nip}", "/pegawai")
    screenshot(employee, "beranda-pegawai")
    employee.goto("/notifikasi")
    notice = employee.locator(".notices li", has_text="Ditetapkan").first
    expect(notice).to_be_visible()
    notice.get_by_role("link", name="Buka usulan").click()
    assert employee.url.split("?")[0] == case_url
    with employee.expect_download() as download:
        employee.get_by_role("link", name="Unduh SK (PDF)").click()
    assert download.value.suggested_filename.startswith("SK-")
    assert download.value.path().read_bytes().startswith(b"%PDF-")
