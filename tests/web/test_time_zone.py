"""The forms' dates are today where the person's government is, not in Jakarta or UTC.

At 00:30 WIT on 1 December it is still 30 November in Jakarta (22:30 WIB) and in UTC: a
Kota Sorong officer's "Usulan baru" form must offer 1 December as the earliest TMT, as the
proposal service's TMT bounds (receiving government's zone) will. The web application is run
in this process on a clock moved to that moment (the session's servers keep the session's
clock); the officer's session, signed in on the session's web service, is read from the same
session directory.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import time, timedelta
from types import SimpleNamespace

import httpx
import pytest

from mutasi import clock
from mutasi.seed.cast import DemoCast
from mutasi.settings import Settings
from services.web.app import create_app
from services.web.deps import COOKIE
from tests.conftest import CLOCK_OFFSET_S, TEST_TODAY
from tests.web.visitor import Visitor

CAST = DemoCast.for_kota_sorong()
WIT = "Asia/Jayapura"
TOMORROW = TEST_TODAY + timedelta(days=1)


@pytest.fixture
async def sorong_half_past_midnight(
    web: str, settings: Settings
) -> AsyncIterator[httpx.AsyncClient]:
    """A client of an in-process web app whose clock says 00:30 WIT of the day after the
    session's date, carrying a Kota Sorong BKPSDM officer's session."""
    visitor = Visitor(web)
    await visitor.sign_in("kota-sorong:hr_officer", "/usulan/baru")
    cookie = visitor.client.cookies[COOKIE]
    await visitor.close()
    moved = clock.offset_to(TOMORROW, time(0, 30), WIT)
    clock.configure(SimpleNamespace(clock_offset_s=moved))
    try:
        assert clock.today(clock.WIB) == TEST_TODAY and clock.today(WIT) == TOMORROW
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://web.test", cookies={COOKIE: cookie}
            ) as client:
                yield client
    finally:
        clock.configure(SimpleNamespace(clock_offset_s=CLOCK_OFFSET_S))


async def test_the_proposal_form_offers_today_in_the_governments_zone(sorong_half_past_midnight):
    page = await sorong_half_past_midnight.get(f"/usulan/baru?nip={CAST.eligible_nip}")
    assert page.status_code == 200, page.text[:500]
    field = re.search(r'<input type="date" id="effective_date"[^>]*>', page.text)
    assert field, "no TMT field on the form"
    assert f'min="{TOMORROW.isoformat()}"' in field.group(0), field.group(0)
