"""Browser tests: Debian's Chromium driven by Playwright against the real stack + web app.

Playwright cannot download its own browser here, so pytest-playwright launches
/usr/bin/chromium (installed by `make`) with flags that keep it off the network. Pages are
opened in Indonesian (locale id-ID, WIB) as the people who use them would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from mutasi.web.assets import AXE

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
WIDTHS = (1280, 360)
ACTION_TIMEOUT_MS = 90_000
expect.set_options(timeout=30_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(web: str) -> dict[str, Any]:
    # Depends on `web`: the stack starts (with its own event loops) before Playwright's loop.
    return {"executable_path": CHROMIUM, "args": FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(web: str) -> dict[str, Any]:
    return {
        "base_url": web,
        "locale": "id-ID",
        "timezone_id": "Asia/Jayapura",  # Kota Sorong
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def people(browser: Browser, browser_context_args: dict[str, Any]) -> Iterator[People]:
    crowd = People(browser, browser_context_args)
    yield crowd
    crowd.close()


class People:
    """One browser context (cookie jar) per person, so several can act in one story."""

    def __init__(self, browser: Browser, args: dict[str, Any]) -> None:
        self.browser, self.args = browser, args
        self.contexts: dict[str, BrowserContext] = {}

    def page(self, who: str, width: int = 1280) -> Page:
        key = f"{who}@{width}"
        if key not in self.contexts:
            args = self.args | {"viewport": {"width": width, "height": 900}}
            self.contexts[key] = self.browser.new_context(**args)
            # A shared 2-core machine under a full test run: steps that start workflows
            # can take seconds; waiting is not what these tests measure.
            self.contexts[key].set_default_timeout(ACTION_TIMEOUT_MS)
        context = self.contexts[key]
        return context.pages[0] if context.pages else context.new_page()

    def signed_in(self, who: str, wanted: str = "/", width: int = 1280) -> Page:
        """`who` is the start of a person's id on the sign-in page: `kota-sorong:hr_officer`."""
        page = self.page(who, width)
        parts = urlsplit(wanted)
        wanted = parts.path + (f"?{parts.query}" if parts.query else "")
        page.goto(f"/masuk?next={quote(wanted, safe='')}")
        if "/oidc/authorize" in page.url:
            page.locator(f'button[name=person][value^="{who}"]').first.click()
            page.wait_for_load_state()
        return page

    def close(self) -> None:
        for context in self.contexts.values():
            context.close()


def screenshot(page: Page, name: str) -> None:
    """The whole page, kept under test-output/screenshots for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core (npm lockfile) run in the page; serious and critical violations only."""
    # Evaluated through the DevTools protocol: the page's CSP (script-src 'self') rightly
    # refuses an injected inline script, and stays on for the page itself.
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text() + "\n;undefined")
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def describe(violations: list[dict[str, Any]]) -> str:
    return json.dumps(violations, indent=1, ensure_ascii=False)
