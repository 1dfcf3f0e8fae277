"""Finding 10: a supervisor sees their own unit of their own government, nothing beside it.

Unit codes repeat across governments (every seeded government has its `dinkes`): a Kota
Sorong supervisor of `dinkes` used to see a transfer into Kota Palembang's `dinkes`; a
supervisor token without a unit listed the whole government's staff; and proposing an
employee of another unit answered 403 where an unknown NIP answers 404, telling the NIP
exists there.
"""

from __future__ import annotations

from datetime import timedelta

from mutasi import clock
from tests.e2e.api_client import Person
from tests.e2e.scenario import DOCUMENTS, movable_case
from tests.security.world import HOME, THIRD, World


async def _inter_government_with_different_units(world: World, pool) -> dict:  # noqa: ANN001
    """Palembang's PPK asks for a Sorong employee into a post whose unit code differs."""
    case = await movable_case(pool, HOME)
    for _ in range(50):
        target = await movable_case(pool, THIRD)
        if target.target_unit != case.unit:
            break
    ppk = Person(world.settings, THIRD, ["approver"], f"ppk@{THIRD}")
    response = await ppk.propose(
        case.nip,
        target.target_position,
        (clock.today() + timedelta(days=60)).isoformat(),
        origin_tenant=HOME,
        justification="Kebutuhan organisasi",
        documents=DOCUMENTS,
    )
    assert response.status_code == 202, response.text
    return await ppk.wait_status(str(response.json()["id"]), "checked", "returned")


async def test_a_supervisor_does_not_see_another_governments_unit_of_the_same_code(world, pool):
    transfer = await _inter_government_with_different_units(world, pool)
    assert transfer["origin_unit_code"] != transfer["target_unit_code"]
    # Sorong's supervisor of the unit code the transfer enters in Palembang; and the reverse.
    lookalikes = [
        Person(world.settings, HOME, ["supervisor"], "spv-a", unit=transfer["target_unit_code"]),
        Person(world.settings, THIRD, ["supervisor"], "spv-b", unit=transfer["origin_unit_code"]),
    ]
    for supervisor in lookalikes:
        assert (await supervisor.transfer(transfer["id"])).status_code == 404
        listed = await supervisor.call("GET", "proposal", "/transfers?limit=200")
        assert transfer["id"] not in [t["id"] for t in listed.json()["items"]]
    # The supervisors of the units it really touches do see it.
    for tenant, unit in ((HOME, "origin_unit_code"), (THIRD, "target_unit_code")):
        own = Person(world.settings, tenant, ["supervisor"], "spv-c", unit=transfer[unit])
        assert (await own.transfer(transfer["id"])).status_code == 200


async def test_a_supervisor_without_a_unit_lists_nobody(world):
    unbound = Person(world.settings, HOME, ["supervisor"], "spv-without-unit")
    response = await unbound.call("GET", "proposal", "/employees")
    assert response.status_code == 200, response.text
    assert response.json()["items"] == []


async def test_proposing_an_employee_of_another_unit_looks_like_an_unknown_nip(world, pool):
    stranger = world.strangers["supervisor"]
    supervisor = Person(world.settings, HOME, ["supervisor"], stranger.sub, unit=stranger.unit)
    case = await movable_case(pool, HOME)
    while case.unit == stranger.unit:  # one of another unit than the supervisor's
        case = await movable_case(pool, HOME)
    effective = (clock.today() + timedelta(days=60)).isoformat()
    elsewhere = await supervisor.propose(case.nip, case.target_position, effective)
    nobody = await supervisor.propose("199001012020011778", case.target_position, effective)
    assert (elsewhere.status_code, nobody.status_code) == (404, 404), elsewhere.text
    assert elsewhere.json()["type"] == nobody.json()["type"]
    assert elsewhere.json()["title"] == nobody.json()["title"]
    assert elsewhere.json()["detail"] == nobody.json()["detail"]
