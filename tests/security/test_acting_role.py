"""Finding 14: the log records the role that authorised a step, not a token's first role.

A BKPSDM head who is also an auditor holds both roles; an import of master data is allowed
to BKPSDM only, so the log must say `hr_officer` — it used to say `auditor`.
"""

from __future__ import annotations

import csv
import io
from uuid import uuid4

from tests.e2e.api_client import Person
from tests.security.world import HOME, World


async def test_an_import_by_a_two_role_token_is_recorded_in_the_role_that_allows_it(
    world: World, pool
):
    unit = await pool.fetchrow(
        "SELECT code, name FROM units WHERE tenant = $1 ORDER BY code LIMIT 1", HOME
    )
    out = io.StringIO()
    csv.writer(out).writerows([["Kode Unit", "Nama Unit"], [unit["code"], unit["name"]]])
    sub = f"kepala-bkpsdm-{uuid4().hex[:6]}@{HOME}"
    both = Person(world.settings, HOME, ["auditor", "hr_officer"], sub)
    response = await both.call(
        "POST",
        "proposal",
        "/imports/units",
        key=str(uuid4()),
        files={"file": ("unit.csv", out.getvalue().encode(), "text/csv")},
    )
    assert response.status_code == 200, response.text
    roles = await pool.fetch(
        "SELECT actor_role FROM event_log WHERE tenant = $1 AND actor_id = $2", HOME, sub
    )
    assert [r["actor_role"] for r in roles] == ["hr_officer"]
