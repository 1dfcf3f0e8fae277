"""BKPSDM uploads the SIMPEG export over HTTP and reads exactly what was taken and refused."""

from __future__ import annotations

from uuid import uuid4

import pytest

from tests.e2e.api_client import Person
from tests.integration.import_support import (
    EXAMPLE,
    FIRST_IMPORT,
    REFUSED,
    SAMPLE,
    SECOND_IMPORT,
    fresh_tenant,
    with_fresh_nips,
)

pytestmark = pytest.mark.usefixtures("stack")


async def _upload(person: Person, data: bytes, key: str | None = None, kind: str = "employees"):  # noqa: ANN202
    return await person.call(
        "POST",
        "proposal",
        f"/imports/{kind}",
        key=key,
        files={"file": ("pegawai_kota_uji.csv", data, "text/csv")},
    )


async def test_upload_of_the_sample_reports_every_row_and_a_second_upload_changes_nothing(
    settings, pool
):
    tenant = await fresh_tenant(pool)
    hr = Person(settings, tenant, ["hr_officer"], f"bkpsdm@{tenant}")
    data = await with_fresh_nips(pool, SAMPLE.read_bytes())

    first = await _upload(hr, data)
    assert first.status_code == 200, first.text
    report = first.json()
    assert report["summary"] == FIRST_IMPORT
    reasons: dict[int, tuple[str, str]] = {}
    for error in report["errors"]:
        reasons.setdefault(error["line"], (error["column"], error["code"]))
        assert error["message"] and error["message_en"]
    assert reasons == REFUSED
    assert report["duplicates"] == [{"line": 45, "first_line": 15}]
    assert [(c["line"], c["first_line"]) for c in report["conflicts"]] == [(46, 16)]

    listed = await hr.call("GET", "proposal", "/employees", params={"limit": 200})
    assert len(listed.json()["items"]) == 32

    second = await _upload(hr, data)
    assert second.json()["summary"] == SECOND_IMPORT
    assert (
        await hr.call("GET", "proposal", "/employees", params={"limit": 200})
    ).json() == listed.json()
    runs = (await hr.call("GET", "proposal", "/imports")).json()["items"]
    assert [r["summary"] for r in runs] == [SECOND_IMPORT, FIRST_IMPORT]
    stored = await hr.call("GET", "proposal", f"/imports/reports/{report['id']}")
    assert stored.json() == report


async def test_a_retried_upload_with_the_same_key_answers_the_same_report(settings, pool):
    tenant = await fresh_tenant(pool)
    hr = Person(settings, tenant, ["hr_officer"], f"bkpsdm@{tenant}")
    data, key = await with_fresh_nips(pool, SAMPLE.read_bytes()), str(uuid4())
    first, retry = await _upload(hr, data, key), await _upload(hr, data, key)
    assert retry.status_code == 200 and retry.json() == first.json()
    assert first.json()["summary"] == FIRST_IMPORT


async def test_a_file_over_the_limit_is_refused_with_413_and_nothing_imported(settings, pool):
    tenant = await fresh_tenant(pool)
    hr = Person(settings, tenant, ["hr_officer"], f"bkpsdm@{tenant}")
    header = EXAMPLE.read_bytes().splitlines(keepends=True)[0]
    oversized = header + b"\r\n" * (settings.import_max_bytes // 2)
    response = await _upload(hr, oversized)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/payload-too-large")
    assert (await hr.call("GET", "proposal", "/imports")).json()["items"] == []


async def test_only_bkpsdm_imports_and_another_government_sees_no_report(settings, pool):
    tenant, other = await fresh_tenant(pool), await fresh_tenant(pool)
    hr = Person(settings, tenant, ["hr_officer"], f"bkpsdm@{tenant}")
    supervisor = Person(settings, tenant, ["supervisor"], f"atasan@{tenant}", unit="dinkes")
    refused = await _upload(supervisor, EXAMPLE.read_bytes())
    assert refused.status_code == 403

    units = b"Kode Unit;Nama Unit\r\nsetda;Sekretariat Daerah\r\n"
    report = (await _upload(hr, units, kind="units")).json()
    assert report["counts"]["created"] == 1
    outsider = Person(settings, other, ["hr_officer"], f"bkpsdm@{other}")
    hidden = await outsider.call("GET", "proposal", f"/imports/reports/{report['id']}")
    assert hidden.status_code == 404
    assert hidden.headers["content-type"] == "application/problem+json"
