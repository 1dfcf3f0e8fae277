"""The rules of a lawful transfer, as a proposer and BKPSDM meet them over HTTP: a hard rule
returns the proposal with coded reasons anyone entitled can read; a soft rule needs a written
justification before BKPSDM may verify."""

from __future__ import annotations

import asyncpg
import pytest

from mutasi import clock
from mutasi.seed.cast import DemoCast
from tests.e2e.api_client import Person
from tests.e2e.scenario import DOCUMENTS, Case, attach_required, people

pytestmark = pytest.mark.usefixtures("stack")

_CANDIDATE = """
    SELECT e.nip, e.name, e.unit_code, e.position_code, f.position_code AS target,
           f.unit_code AS target_unit
    FROM employees e
    JOIN position_filled f ON f.tenant = e.tenant AND f.unit_code <> e.unit_code
         AND f.needed > 0 AND (f.filled < f.needed) = $2
    WHERE e.tenant = 'kota-sorong'
      AND ($3::int IS NULL
           OR e.position_since > ($4::date - make_interval(years => $3))::date + 3)
      AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.employee_nip = e.nip)
      AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(e.data->'sanctions') s
                      WHERE (s->>'end')::date >= $4::date)
      AND e.nip <> ALL($1::text[])
    ORDER BY random() LIMIT 1
"""
_DEMO_CAST = list(DemoCast.for_kota_sorong().nips)  # the web tests sign in as them


async def _case(pool: asyncpg.Pool, *, vacant_target: bool, under_years: int | None = None) -> Case:
    row = await pool.fetchrow(_CANDIDATE, _DEMO_CAST, vacant_target, under_years, clock.today())
    assert row is not None, "the seed has no such employee"
    return Case(
        "kota-sorong",
        row["nip"],
        row["name"],
        row["unit_code"],
        row["position_code"],
        row["target"],
        row["target_unit"],
    )


async def test_a_hard_rule_breach_is_returned_with_coded_reasons_in_the_trail(settings, pool):
    case = await _case(pool, vacant_target=False)  # R1: the post is full; R10: no documents
    who = people(settings, case)
    response = await who["hr"].propose(
        case.nip,
        case.target_position,
        clock.today().isoformat(),
        justification="Kebutuhan organisasi",
    )
    assert response.status_code == 202, response.text
    transfer_id = response.json()["id"]
    await who["hr"].wait_status(transfer_id, "returned")

    checks = (await who["hr"].call("GET", "proposal", f"/transfers/{transfer_id}/checks")).json()
    [check] = checks["items"]
    assert check["returned"] and not check["passed"]
    failures = {f["code"]: f for f in check["failures"]}
    assert {"R1", "R10"} <= set(failures) and all(
        f["severity"] == "hard" for f in failures.values()
    )
    assert "tidak lowong" in failures["R1"]["message"]
    assert failures["R10"]["message"].startswith("Dokumen belum lengkap: Surat usul mutasi")
    assert f"R1: {failures['R1']['message']}" in check["returned_reason"]

    trail = await pool.fetch(
        "SELECT event_type, actor_role, payload FROM event_log WHERE stream = $1 ORDER BY version",
        f"transfer/{transfer_id}",
    )
    logged = {e["event_type"]: e for e in trail}
    assert {f["code"] for f in logged["transfer.returned"]["payload"]["failures"]} == set(failures)
    assert logged["transfer.checked"]["payload"]["passed"] is False

    # The employee concerned reads the same reasons; another government cannot see them.
    mine = await who["employee"].call("GET", "proposal", f"/transfers/{transfer_id}/checks")
    assert mine.json() == checks
    outsider = Person(settings, "kota-medan", ["hr_officer"], "bkpsdm@kota-medan")
    hidden = await outsider.call("GET", "proposal", f"/transfers/{transfer_id}/checks")
    assert hidden.status_code == 404


async def test_a_soft_rule_breach_without_justification_cannot_be_verified(settings, pool):
    case = await _case(pool, vacant_target=True, under_years=2)  # R2: < 2 years in post
    who = people(settings, case)
    response = await who["hr"].propose(
        case.nip, case.target_position, clock.today().isoformat(), documents=DOCUMENTS
    )
    transfer_id = response.json()["id"]
    await who["hr"].wait_status(transfer_id, "checked")
    [check] = (await who["hr"].call("GET", "proposal", f"/transfers/{transfer_id}/checks")).json()[
        "items"
    ]
    assert check["passed"] and not check["returned"]
    warnings = {w["code"]: w for w in check["warnings"]}
    assert warnings["R2"]["severity"] == "soft" and warnings["R2"]["justified"] is False
    await attach_required(who["hr"], transfer_id)

    refused = await who["hr"].call(
        "POST", "approval", f"/transfers/{transfer_id}/verify", json={"note": "Berkas lengkap"}
    )
    assert refused.status_code == 409
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"].endswith("/justification-required")
    assert (await who["hr"].transfer(transfer_id)).json()["status"] == "checked"

    revised = await who["hr"].call(
        "POST",
        "proposal",
        f"/transfers/{transfer_id}/revise",
        json={
            "justification": "Formasi mendesak; pegawai satu-satunya yang memenuhi kualifikasi",
            "reason": "Menambahkan pembenaran tertulis",
        },
    )
    assert revised.status_code == 200, revised.text
    await who["hr"].wait_status(transfer_id, "checked")
    verified = await who["hr"].call(
        "POST", "approval", f"/transfers/{transfer_id}/verify", json={"note": "Berkas lengkap"}
    )
    assert verified.status_code == 200, verified.text
