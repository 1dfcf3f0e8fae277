"""The national administrator adds a government over the API and changes its configuration;
each government's own officers read only theirs."""

from __future__ import annotations

from uuid import uuid4

from tests.e2e.api_client import Person


def _registration(slug: str) -> dict[str, object]:
    return {
        "slug": slug,
        "name": "Kota Parepare",
        "kind": "kota",
        "province": "Sulawesi Selatan",
        "capital": "Kota Parepare",
        "time_zone": "WITA",
        "decree_number_format": "800.1.3.3/{seq:03d}/BKPSDM/{month_roman}/{year}",
        "ppk": {"name": "Taufan Pawe", "title": "Wali Kota Parepare"},
        "bkpsdm_head": {"name": "Hj. Andi Nurhayati", "title": "Kepala BKPSDM Kota Parepare"},
        "extra_holidays": ["2026-11-09"],
        "incentive_policy": {"transport_min_km": 80, "transport_allowance_idr": 600000},
        "public_page": False,
        "reason": "Bergabung sesuai MoU 2026",
    }


async def test_a_government_joins_and_is_reconfigured_by_the_national_administrator(stack):
    admin = Person(stack.settings, "nasional", ["national_admin"], "admin@kemendagri")
    slug = f"kota-parepare-{uuid4().hex[:6]}"
    created = await admin.call("POST", "proposal", "/tenants", json=_registration(slug))
    assert created.status_code == 201, created.text
    assert created.json()["time_zone"] == "WITA" and created.json()["public_page"] is False

    again = await admin.call("POST", "proposal", "/tenants", json=_registration(slug))
    assert again.status_code == 200 and again.json() == created.json()  # a retry, no second event
    other = _registration(slug) | {"name": "Kota Lain"}
    refused = await admin.call("POST", "proposal", "/tenants", json=other)
    assert refused.status_code == 409
    assert refused.headers["content-type"].startswith("application/problem+json")

    changed = await admin.call(
        "PATCH", "proposal", f"/tenants/{slug}", json={"public_page": True, "reason": "Siap"}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["changed"] == ["public_page"]
    assert changed.json()["configuration"]["public_page"] is True

    own_hr = Person(stack.settings, slug, ["hr_officer"], f"bkpsdm@{slug}")
    seen = await own_hr.call("GET", "proposal", f"/tenants/{slug}")
    assert seen.status_code == 200 and seen.json()["ppk"]["title"] == "Wali Kota Parepare"
    listed = await own_hr.call("GET", "proposal", "/tenants")
    assert [t["slug"] for t in listed.json()["items"]] == [slug]


async def test_a_bad_configuration_is_refused_and_records_nothing(stack, pool):
    admin = Person(stack.settings, "nasional", ["national_admin"], "admin@kemendagri")
    slug = f"kota-salah-{uuid4().hex[:6]}"
    bad = _registration(slug) | {"decree_number_format": "SK/{nomor}"}
    answer = await admin.call("POST", "proposal", "/tenants", json=bad)
    assert answer.status_code == 422
    assert answer.json()["type"].endswith("/invalid-input")
    assert "Kolom" in answer.json()["title"]  # Indonesian, naming the unknown field
    assert await pool.fetchval("SELECT count(*) FROM event_log WHERE tenant = $1", slug) == 0


async def test_only_the_national_administrator_adds_and_another_government_is_not_seen(stack):
    hr = Person(stack.settings, "kota-sorong", ["hr_officer"], "bkpsdm@kota-sorong")
    slug = f"kota-baru-{uuid4().hex[:6]}"
    assert (
        await hr.call("POST", "proposal", "/tenants", json=_registration(slug))
    ).status_code == 403
    assert (await hr.call("PATCH", "proposal", "/tenants/kota-sorong", json={})).status_code == 403
    assert (await hr.call("GET", "proposal", "/tenants/kota-medan")).status_code == 404
    assert (await hr.call("GET", "proposal", "/tenants/kota-sorong")).status_code == 200
