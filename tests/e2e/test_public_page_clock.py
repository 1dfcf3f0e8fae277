"""A government's public page says when its figures stood ("keadaan per …") on the system's
clock, as every decree date and TMT on it is: PostgreSQL's now() there was the real time, so
on a moved clock (tests, drills on a chosen date) the page named another day than its decrees.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import httpx
import pytest

from mutasi import clock

pytestmark = pytest.mark.usefixtures("stack")


async def test_the_public_page_is_dated_by_the_systems_clock(settings):
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{settings.proposal_port}") as api:
        page = await api.get("/public/governments/kota-sorong")
    assert page.status_code == 200, page.text
    stood = datetime.fromisoformat(page.json()["generated_at"])
    assert abs(stood - clock.now()) < timedelta(minutes=5), (stood, clock.now())
