"""Finding 14: an error never repeats what the caller sent.

A 404 or 422 that quotes the caller's NIP, code or id back confirms what was asked and puts
caller-chosen text into answers that pages and logs render. Each answer here carries a
sentinel in the request; none may carry it back.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest

from mutasi import clock
from tests.security.world import World

SENTINEL_NIP = "199001012020011777"
SENTINEL_CODE = "SENTINEL-7731"
SENTINEL_ID = "7731aaaa-bbbb-4ccc-8ddd-eeeeeeee7731"


def _proposal(**changes: Any) -> dict[str, Any]:
    return {
        "employee_nip": SENTINEL_NIP,
        "target_position_code": SENTINEL_CODE,
        "reasons": "Penyegaran",
        "expectations": "Pelayanan",
        "effective_date": (clock.today() + timedelta(days=60)).isoformat(),
        **changes,
    }


def _cases(world: World) -> list[tuple[str, str, str, dict[str, Any] | None]]:
    transfer = world.home_transfer
    return [
        ("proposal", "POST", "/transfers", _proposal()),
        (
            "proposal",
            "POST",
            "/transfers",
            _proposal(employee_nip=transfer["employee_nip"]),  # a known employee, unknown post
        ),
        ("proposal", "POST", "/transfers", _proposal(origin_tenant=SENTINEL_CODE.lower())),
        ("proposal", "GET", f"/workload/{SENTINEL_CODE}", None),
        ("proposal", "GET", f"/imports/reports/{SENTINEL_ID}", None),
        ("proposal", "GET", f"/transfers/{transfer['id']}/attachments/{SENTINEL_ID}", None),
        ("proposal", "GET", f"/vacancies?nip={SENTINEL_NIP}", None),
        ("proposal", "GET", f"/public/governments/{SENTINEL_CODE.lower()}", None),
    ]


@pytest.mark.parametrize("index", range(8))
async def test_an_error_does_not_repeat_the_callers_input(world: World, index: int) -> None:
    service, method, path, body = _cases(world)[index]
    caller = world.callers["approver" if "origin_tenant" in (body or {}) else "hr_officer"]
    async with httpx.AsyncClient(timeout=30) as client:
        response = await client.request(
            method, world.url(service, path), json=body, headers=caller.headers(world.settings)
        )
    assert 400 <= response.status_code < 500, response.text
    for sentinel in (SENTINEL_NIP, SENTINEL_CODE, SENTINEL_CODE.lower(), SENTINEL_ID):
        assert sentinel not in response.text.replace(path, ""), (path, response.text)
