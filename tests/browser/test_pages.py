"""Every main page, as each person sees it: no serious accessibility violation (axe-core),
nothing loaded from another host, usable at 360 px, screenshots at 1280 and 360 px kept
under test-output/screenshots for a person to look at; and an employee who applies for a
vacancy on a phone using the keyboard alone."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.cases import fresh_case
from tests.browser.conftest import WIDTHS, axe_violations, describe, screenshot

PAGES = {
    "kota-sorong:hr_officer": {
        "tugas-saya": "/tugas",
        "daftar-usulan": "/usulan",
        "usulan-baru": "/usulan/baru?q=Yosephina",
        "rapat": "/rapat",
        "rapat-baru": "/rapat/baru",
        "beban-kerja": "/beban-kerja",
        "data-induk": "/data-induk",
        "notifikasi": "/notifikasi",
    },
    "kota-sorong:employee:199005122015032401": {"beranda-pegawai": "/pegawai"},
    "kota-sorong:auditor": {"audit": "/audit?periksa=1"},
    "kota-sorong:approver": {"tugas-ppk": "/tugas"},
    "bkn:bkn_officer": {"tugas-bkn": "/tugas"},
}
PUBLIC = {"publik": "/publik", "publik-kota-sorong": "/publik/kota-sorong", "masuk": "/masuk"}


def _visit(page: Page, path: str, web: str) -> list[str]:
    """Open `path`; return every request the page made to a host other than the web app."""
    foreign: list[str] = []
    host = urlsplit(web).netloc

    def watch(request) -> None:  # noqa: ANN001
        if urlsplit(request.url).netloc not in (host, "") and not request.url.startswith("data:"):
            foreign.append(request.url)

    page.on("request", watch)
    response = page.goto(path)
    page.wait_for_load_state("networkidle")
    page.remove_listener("request", watch)
    assert response is not None and response.status == 200, (path, response and response.status)
    return foreign


def _references(page: Page) -> list[str]:
    """Every address the page's markup and stylesheets name."""
    found = page.evaluate(
        """() => [...document.querySelectorAll('[src],[href],[action]')].map(
            e => e.getAttribute('src') || e.getAttribute('href') || e.getAttribute('action'))"""
    )
    for sheet in page.evaluate("() => [...document.styleSheets].map(s => s.href)"):
        if sheet:
            found += re.findall(r"url\(([^)]+)\)", page.request.get(sheet).text())
    return found


def _fits(page: Page) -> None:
    """At 360 px nothing forces sideways scrolling."""
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"{page.url} is {overflow}px wider than the screen"


@pytest.mark.parametrize("who", list(PAGES))
def test_main_pages_are_accessible_self_contained_and_fit_a_phone(people, web, who):
    for width in WIDTHS:
        page = people.signed_in(who, "/", width)
        for name, path in PAGES[who].items():
            foreign = _visit(page, path, web)
            assert foreign == [], f"{path} loaded {foreign}"
            refs = [r for r in _references(page) if r]
            outside = [r for r in refs if re.match(r"^(https?:)?//", r) and not r.startswith(web)]
            assert outside == [], f"{path} refers to {outside}"
            if width == 360:
                _fits(page)
            else:
                violations = axe_violations(page)
                assert violations == [], f"{path}: {describe(violations)}"
            screenshot(page, name)


def test_public_pages_and_sign_in_need_no_account_and_no_other_host(people, web):
    for width in WIDTHS:
        page = people.page(f"anonymous-{width}", width)
        for name, path in PUBLIC.items():
            assert _visit(page, path, web) == []
            if width == 360:
                _fits(page)
            else:
                assert axe_violations(page) == [], path
            screenshot(page, name)


def _tab_to(page: Page, target: Locator, presses: int = 40) -> None:
    """Press Tab until `target` has the focus, as a keyboard user moves through a form."""
    for _ in range(presses):
        if target.evaluate("e => e === document.activeElement"):
            return
        page.keyboard.press("Tab")
    expect(target).to_be_focused()


def test_an_employee_applies_for_a_vacancy_on_a_phone_by_keyboard_alone(people, settings):
    case = fresh_case(settings)
    page = people.signed_in(f"kota-sorong:employee:{case.nip}", "/pegawai", width=360)
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.name)
    _fits(page)
    first = page.locator("input[name=target_position_code]").first
    _tab_to(page, first)
    page.keyboard.press("Space")  # the best-fitting vacancy
    expect(first).to_be_checked()
    _tab_to(page, page.get_by_label("Alasan permohonan"))
    page.keyboard.type("Ingin mengembangkan karier sesuai kompetensi")
    page.keyboard.press("Tab")
    page.keyboard.type("Memberi pelayanan terbaik")
    tmt = page.get_by_label(re.compile("TMT yang diharapkan"))
    _tab_to(page, tmt)
    expect(tmt).to_have_value(tmt.get_attribute("min") or "")  # the earliest TMT, offered
    _tab_to(page, page.get_by_role("button", name="Ajukan permohonan mutasi"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Usulan diajukan")
    expect(page.locator(".meta .badge")).to_have_text(re.compile("Diajukan|Diperiksa sistem"))
    _fits(page)
    screenshot(page, "permohonan-pegawai")


def test_the_skip_link_and_the_menu_work_from_the_keyboard(people):
    page = people.signed_in("kota-sorong:hr_officer", "/tugas")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Langsung ke isi")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.get_by_role("link", name="Daftar usulan").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Daftar usulan mutasi")
    page.get_by_label("Nama atau NIP").focus()
    page.keyboard.type("zzz-tidak-ada")
    page.keyboard.press("Enter")
    expect(page.locator(".empty")).to_have_text("Tidak ada usulan yang cocok.")
