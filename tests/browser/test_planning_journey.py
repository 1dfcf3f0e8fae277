"""Objective placement in Chromium: BKPSDM of Provinsi Jambi drafts a transfer plan, reads it
beside greedy and approves it (its lines become proposals, tracked on the plan); compares the
explained candidates for one post; an employee records an aspiration. Each page with no
serious accessibility violation, fitting a phone, screenshots under test-output/screenshots."""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from mutasi import clock
from tests.browser.conftest import axe_violations, describe, screenshot
from tests.browser.test_journey_within_government import upload_files

TENANT = "provinsi-jambi"


def _accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{page.url}: {describe(violations)}"


def _fits(page: Page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} is {overflow}px wider than the screen"


def _why_returned(page: Page, href: str) -> str:
    """What the case page says of a returned line: the rules that failed, the return note."""
    page.goto(href)
    failed = page.locator("table.rules tr:has(.badge.bad)").all_inner_texts()
    note = page.locator("div.notice.warn").all_inner_texts()
    return f"{href}: rules failed {failed}; note {note}"


def _lines_once(page: Page, count: int, wanted: str) -> dict[str, str]:
    """Reload the plan until each of its `count` lines' proposals shows `wanted`; {href:
    status}. A line returned meanwhile fails the test at once, saying why it was returned."""
    found: dict[str, str] = {}
    for _ in range(60):
        page.reload()
        anchors = page.locator("td[data-label='Usulan'] a")
        found = dict(zip(anchors.evaluate_all("as => as.map(a => a.href)"),
                         anchors.all_inner_texts(), strict=True))  # fmt: skip
        returned = [href for href, status in found.items() if status == "Dikembalikan"]
        if returned:
            here = page.url
            reasons = [_why_returned(page, href) for href in returned]
            page.goto(here)
            raise AssertionError(f"plan lines returned: {reasons}")
        if len(found) == count and all(status == wanted for status in found.values()):
            return found
        page.wait_for_timeout(1000)
    raise AssertionError(f"lines not all '{wanted}': {found}")


def _required_codes(page: Page) -> list[str]:
    """The document kinds the open case page still lists as not uploaded."""
    options = page.get_by_label("Jenis dokumen").locator("option")
    labels = dict(zip(options.all_inner_texts(),
                      options.evaluate_all("os => os.map(o => o.value)"), strict=True))  # fmt: skip
    missing = page.locator("tr:has(td[data-label='Berkas'] .badge.muted) td[data-label='Dokumen']")
    return [labels[name.strip()] for name in missing.all_inner_texts()]


def test_bkpsdm_drafts_and_approves_a_plan_whose_lines_become_proposals(people):
    page = people.signed_in(f"{TENANT}:hr_officer", "/rencana")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rencana mutasi")
    page.get_by_label("Judul").fill("Rencana Mutasi Semester Depan")
    # The period's start is its proposals' TMT: ahead of the session's date, as the TMT
    # bounds want on approval (a fixed 2027-01-04 was in the past on 2027-08-16).
    start = clock.today() + timedelta(days=35)
    page.get_by_label("Awal periode (TMT usulan)").fill(start.isoformat())
    page.get_by_label("Paling banyak mutasi (kosong: tanpa batas)").fill("3")
    page.get_by_role("button", name="Susun dan optimalkan").click()
    expect(page.locator("#plan-status")).to_contain_text("Teroptimalkan")  # htmx polls
    expect(page.locator("#objective-note")).to_contain_text("terbukti optimal")
    lines = page.locator("table.list tbody tr:has(td[data-label='No'])")
    expect(lines.first).to_be_visible()
    assert 1 <= lines.count() <= 3
    _accessible(page)
    screenshot(page, "rencana-mutasi-teroptimalkan")
    page.get_by_role("button", name="Setujui: jadikan usulan").click()
    expect(page.locator("#plan-status")).to_contain_text(re.compile("Disetujui|Berjalan"))
    # Each line's proposal is checked, then waits for its files (R10, as any proposal);
    # BKPSDM uploads them on the proposal's page and the plan verifies it.
    links = _lines_once(page, lines.count(), "Diperiksa sistem")
    plan_url = page.url
    for href in links:
        page.goto(href)
        upload_files(page, _required_codes(page))
    page.goto(plan_url)
    statuses = list(_lines_once(page, lines.count(), "Diverifikasi BKPSDM").values())
    assert len(statuses) == lines.count()
    _accessible(page)
    screenshot(page, "rencana-mutasi-berjalan")
    phone = people.signed_in(f"{TENANT}:hr_officer", page.url, width=360)
    _fits(phone)
    screenshot(phone, "rencana-mutasi-berjalan")


def test_bkpsdm_compares_the_explained_candidates_for_one_post(people):
    for width in (1280, 360):
        page = people.signed_in(f"{TENANT}:hr_officer", "/kandidat", width)
        chooser = page.get_by_label("Jabatan")
        chooser.select_option(index=1)
        page.get_by_role("button", name="Tampilkan").click()
        first = page.locator("ol.candidates > li details").first
        first.locator("summary").click()
        expect(first.get_by_role("table")).to_contain_text("Sumbangan")
        if width == 360:
            _fits(page)
        else:
            _accessible(page)
        screenshot(page, "kandidat")


def test_an_employee_records_an_aspiration(people):
    for width in (1280, 360):
        page = people.signed_in(f"{TENANT}:employee", "/aspirasi", width)
        expect(page.get_by_role("heading", level=1)).to_have_text("Aspirasi")
        page.locator("input[name=units]").first.check()
        page.get_by_label("Kabupaten/kota yang diminati (pisahkan dengan koma)").fill("Kota Jambi")
        page.get_by_label("Alasan").fill("Dekat dengan keluarga dan sesuai bidang studi")
        page.get_by_role("button", name="Simpan aspirasi").click()
        expect(page.locator("ul.chips")).to_contain_text("sesuai bidang studi")
        if width == 360:
            _fits(page)
        else:
            _accessible(page)
        screenshot(page, "aspirasi")
