"""Picking realistic cases from the seeded data, as a BKPSDM officer would."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import uuid4

import asyncpg

from mutasi import clock
from mutasi.seed.cast import DemoCast
from mutasi.settings import Settings
from tests.e2e.api_client import Person

DOCUMENTS = ["proposal_letter", "skp_two_years", "last_decree"]


@dataclass
class Case:
    tenant: str
    nip: str
    name: str
    unit: str
    position: str
    target_position: str
    target_unit: str


async def movable_case(pool: asyncpg.Pool, tenant: str = "kota-sorong") -> Case:
    """An employee with no sanction and no open transfer, and a vacant post in another unit;
    never one of the demo cast, whom the web's tests sign in as (a case may leave Sorong)."""
    row = await pool.fetchrow(
        """
        SELECT e.nip, e.name, e.unit_code, e.position_code, f.position_code AS target,
               f.unit_code AS target_unit
        FROM employees e
        JOIN position_filled f ON f.tenant = e.tenant AND f.unit_code <> e.unit_code
             AND f.filled < f.needed
        WHERE e.tenant = $1
          AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.employee_nip = e.nip)
          AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(e.data->'sanctions') s
                          WHERE (s->>'end')::date >= $2::date)
          AND e.nip <> ALL($3::text[])
        ORDER BY random() LIMIT 1
        """,
        tenant,
        clock.today(),
        list(DemoCast.for_kota_sorong().nips),
    )
    assert row is not None, "seed data has no movable employee"
    return Case(
        tenant,
        row["nip"],
        row["name"],
        row["unit_code"],
        row["position_code"],
        row["target"],
        row["target_unit"],
    )


def people(settings: Settings, case: Case) -> dict[str, Person]:
    t = case.tenant
    return {
        "hr": Person(settings, t, ["hr_officer"], f"bkpsdm@{t}"),
        "panel": Person(settings, t, ["panel_member"], f"tim-penilai@{t}"),
        "ppk": Person(settings, t, ["approver"], f"ppk@{t}"),
        "employee": Person(settings, t, ["employee"], f"pegawai-{case.nip}", nip=case.nip),
        "supervisor": Person(settings, t, ["supervisor"], f"atasan@{t}", unit=case.unit),
    }


async def propose_checked(hr: Person, case: Case) -> str:
    """BKPSDM proposes the case (justified, documents attached) and waits for the rule check."""
    r = await hr.propose(
        case.nip,
        case.target_position,
        clock.today().isoformat(),
        justification="Kebutuhan organisasi",
        documents=DOCUMENTS,
    )
    transfer_id = str(r.json()["id"])
    await hr.wait_status(transfer_id, "checked")
    await attach_required(hr, transfer_id)
    return transfer_id


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


async def attach_required(person: Person, transfer_id: str) -> None:
    """Upload a file for every document the transfer's checklist asks for (BKPSDM verifies
    the files themselves, not what the proposal declared)."""
    path = f"/transfers/{transfer_id}/attachments"
    listed = await person.call("GET", "proposal", path)
    assert listed.status_code == 200, listed.text
    for document in listed.json()["required"]:
        if document["attached"]:
            continue
        code = document["code"]
        r = await person.call(
            "POST",
            "proposal",
            path,
            files={"file": (f"{code}.pdf", PDF + code.encode(), "application/pdf")},
            data={"document_code": code},
            key=str(uuid4()),
        )
        assert r.status_code == 201, r.text
