"""BKPSDM keeps where its people and desks are reached; nobody else's, and nothing malformed."""

from __future__ import annotations

import pytest

from tests.integration.notification_story import Government, register_employee

pytestmark = pytest.mark.usefixtures("stack")


async def test_bkpsdm_keeps_its_own_governments_contacts_only(stack, pool):  # noqa: ANN001
    gov = await Government(stack.settings).registered()
    other = await Government(stack.settings).registered()
    employee = await register_employee(pool, gov, email="dari.simpeg@uji.test")
    foreigner = await register_employee(pool, other)

    shown = await gov.hr.call("GET", "notification", f"/notification-contacts/nip:{employee.nip}")
    assert shown.json()["email"] == "dari.simpeg@uji.test"  # from the employee's record
    changed = await gov.hr.call(
        "PUT",
        "notification",
        f"/notification-contacts/nip:{employee.nip}",
        json={"email": "baru@uji.test"},
    )
    assert changed.status_code == 200 and changed.json()["email"] == "baru@uji.test"

    refused = {
        f"nip:{foreigner.nip}": 404,
        f"role:{other.slug}:hr_officer": 404,
        "nip:123": 422,
        f"role:{gov.slug}:kepala_suku": 422,
        "surel:x@y.z": 422,
    }
    for recipient, status in refused.items():
        r = await gov.hr.call(
            "PUT",
            "notification",
            f"/notification-contacts/{recipient}",
            json={"email": "x@uji.test"},
        )
        assert r.status_code == status, (recipient, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    bad_email = await gov.hr.call(
        "PUT",
        "notification",
        f"/notification-contacts/nip:{employee.nip}",
        json={"email": "bukan-surel"},
    )
    assert bad_email.status_code == 422

    listed = (
        await gov.hr.call("GET", "notification", "/notification-contacts", params={"limit": 1})
    ).json()
    assert [c["recipient"] for c in listed["items"]] == [f"nip:{employee.nip}"]
    assert listed["next_offset"] is None
    me = gov.person("employee", f"pegawai-{employee.nip}", employee.nip)
    assert (await me.call("GET", "notification", "/notification-contacts")).status_code == 403
    mine = (await me.call("GET", "notification", "/notifications/preferences")).json()
    assert mine == {**mine, "recipient": f"nip:{employee.nip}", "email": "baru@uji.test"}
