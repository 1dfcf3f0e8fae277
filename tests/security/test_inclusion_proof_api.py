"""Finding 7 over HTTP: `GET /audit/entries/{sequence}/proof` to whoever may see the entry."""

from __future__ import annotations

import asyncio

import httpx

from mutasi.audit.proofs import check_proof
from mutasi.log.checkpoints import load_public_key
from tests.e2e.api_client import Person
from tests.security.world import HOME, OTHER


async def test_an_employee_gets_the_proof_of_their_own_transfers_entry_over_http(world, pool):
    settings = world.settings
    transfer = world.home_transfer
    sequence = await pool.fetchval(
        "SELECT min(sequence) FROM event_log WHERE stream = $1", f"transfer/{transfer['id']}"
    )
    employee = Person(settings, HOME, ["employee"], "pegawai", nip=transfer["employee_nip"])
    path = f"/audit/entries/{sequence}/proof"
    for _ in range(300):  # the relay's checkpointer signs Kota Sorong every few seconds
        response = await employee.call("GET", "approval", path)
        if response.status_code != 409:
            break
        await asyncio.sleep(0.2)
    assert response.status_code == 200, response.text
    async with httpx.AsyncClient() as client:
        served = await client.get(f"http://127.0.0.1:{settings.approval_port}/audit/public-key")
    key = load_public_key(served.json()["public_key_pem"].encode())
    assert check_proof(response.json(), key) == []
    # Someone else's entry is not found: another employee, another government's officer.
    stranger = world.strangers["employee"]
    other = Person(settings, HOME, ["employee"], stranger.sub, nip=stranger.nip)
    assert (await other.call("GET", "approval", path)).status_code == 404
    medan = Person(settings, OTHER, ["hr_officer"], f"bkpsdm@{OTHER}")
    assert (await medan.call("GET", "approval", path)).status_code == 404
