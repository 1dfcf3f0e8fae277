"""One transfer's facts, told once to each person concerned: in the inbox and by e-mail,
each as they chose; the employee's decree notice says why, what is expected, when and by which
SK. Real log, relay, NATS, notification service and SMTP server."""

from __future__ import annotations

from collections import Counter
from datetime import date
from uuid import uuid4

import pytest
import pytest_asyncio

from mutasi.domain.id_dates import indonesian_date
from tests.e2e.notification_support import eventually, text_of
from tests.integration.notification_story import (
    EXPECTATIONS,
    REASONS,
    Government,
    StoryTransfer,
    register_employee,
)

pytestmark = pytest.mark.usefixtures("stack")

# Who hears of each fact of a within-government transfer (no unit heads in this government).
IN_APP = {
    "transfer.submitted": {"proposer", "employee", "hr"},
    "transfer.checked": {"hr"},
    "transfer.verified": {"employee", "proposer"},
    "transfer.placed_on_agenda": {"panel", "employee", "proposer"},
    "transfer.recommended": {"approver", "employee", "proposer"},
    "transfer.approved": {"employee", "proposer"},
    "transfer.decree_issued": {"employee", "hr"},
    "transfer.notified": {"proposer"},
    "transfer.effective": {"employee"},
    "transfer.completed": {"hr"},
}
WITH_EMAIL = {"employee", "proposer", "hr"}  # the approver's and the panel's desks have none


def addresses_of(gov: Government, employee_nip: str) -> dict[str, str]:
    return {
        "employee": f"nip:{employee_nip}",
        "proposer": f"user:{gov.proposer.sub}",
        "hr": f"role:{gov.slug}:hr_officer",
        "panel": f"role:{gov.slug}:panel_member",
        "approver": f"role:{gov.slug}:approver",
    }


def expected(gov: Government, nip: str, who: set[str] | None = None) -> set[tuple[str, str]]:
    address = addresses_of(gov, nip)
    return {
        (event, address[name])
        for event, names in IN_APP.items()
        for name in names
        if who is None or name in who
    }


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def told(stack, pool, smtp_sink):  # noqa: ANN001, ANN201, F811
    """A government whose people gave their e-mail addresses, and one transfer told."""
    gov = await Government(stack.settings).registered()
    employee = await register_employee(pool, gov, email=f"pegawai.{uuid4().hex[:6]}@uji.test")
    r = await gov.proposer.call(
        "PUT",
        "notification",
        "/notifications/preferences",
        json={"email": f"atasan.{gov.slug}@uji.test"},
    )
    assert r.status_code == 200, r.text
    r = await gov.hr.call(
        "PUT",
        "notification",
        f"/notification-contacts/role:{gov.slug}:hr_officer",
        json={"email": f"bkpsdm@{gov.slug}.uji.test"},
    )
    assert r.status_code == 200, r.text
    transfer = StoryTransfer(gov, employee)
    await transfer.record_all(pool)
    total = sum(len(v) for v in IN_APP.values())
    await eventually(
        lambda: pool.fetchval(
            "SELECT count(*) = $2 FROM notifications WHERE transfer_id = $1 AND channel = 'in_app'",
            transfer.id,
            total,
        )
    )
    emails = len(expected(gov, employee.nip, WITH_EMAIL))
    await eventually(lambda: len(smtp_sink.about(transfer.id)) >= emails)
    return transfer


async def test_each_person_gets_each_notice_once_in_the_inbox(told, pool):  # noqa: ANN001
    rows = await pool.fetch(
        "SELECT event_type, recipient FROM notifications WHERE transfer_id = $1"
        " AND channel = 'in_app'",
        told.id,
    )
    pairs = Counter((r["event_type"], r["recipient"]) for r in rows)
    assert set(pairs) == expected(told.gov, told.employee.nip)
    assert max(pairs.values()) == 1


async def test_each_person_with_an_address_gets_each_notice_once_by_email(told, smtp_sink, pool):  # noqa: ANN001
    messages = smtp_sink.about(told.id)
    address = {
        told.employee.email: "employee",
        f"atasan.{told.gov.slug}@uji.test": "proposer",
        f"bkpsdm@{told.gov.slug}.uji.test": "hr",
    }
    who = addresses_of(told.gov, told.employee.nip)
    got = Counter((m["X-Mutasi-Event-Type"], who[address[m["To"]]]) for m in messages)
    assert set(got) == expected(told.gov, told.employee.nip, WITH_EMAIL)
    assert max(got.values()) == 1
    sent = await pool.fetchval(
        "SELECT count(*) FROM notification_deliveries d JOIN notifications n"
        " ON n.id = d.notification_id WHERE n.transfer_id = $1 AND d.status = 'sent'",
        told.id,
    )
    assert sent == len(messages)


async def test_the_employee_is_told_why_what_is_expected_when_and_by_which_decree(told, smtp_sink):  # noqa: ANN001
    [decree] = [
        m
        for m in smtp_sink.about(told.id)
        if m["X-Mutasi-Event-Type"] == "transfer.decree_issued" and m["To"] == told.employee.email
    ]
    text = text_of(decree)
    tmt = indonesian_date(date.fromisoformat(told.tmt))
    assert f"Nomor {told.decree}" in decree["Subject"]
    for phrase in (
        REASONS,
        EXPECTATIONS,
        f"terhitung mulai tanggal (TMT) {tmt}",
        f"Nomor {told.decree}",
        f"paling lambat {tmt}",
    ):
        assert phrase in text, phrase
    assert decree.get_body(preferencelist=("html",)) is not None


async def test_the_inbox_shows_a_person_only_their_own_and_their_roles_notices(told):  # noqa: ANN001
    gov = told.gov
    employee = gov.person("employee", f"pegawai-{told.employee.nip}", told.employee.nip)
    mine = (
        await employee.call(
            "GET", "notification", "/notifications", params={"transfer_id": told.id}
        )
    ).json()
    assert {n["event_type"] for n in mine["items"]} == {
        e for e, names in IN_APP.items() if "employee" in names
    }
    desk = (
        await gov.person("approver", f"ppk-lain@{gov.slug}").call(
            "GET", "notification", "/notifications", params={"transfer_id": told.id}
        )
    ).json()
    assert [n["event_type"] for n in desk["items"]] == ["transfer.recommended"]
    assert "menunggu keputusan Anda" in " ".join(desk["items"][0]["body"].split())
    elsewhere = await Government(gov.settings).registered()
    stranger = elsewhere.person("approver", f"ppk-lain@{gov.slug}")
    theirs = (
        await stranger.call(
            "GET", "notification", "/notifications", params={"transfer_id": told.id}
        )
    ).json()
    assert theirs["items"] == []


async def test_read_marks_are_per_reader_and_marking_twice_changes_nothing(told):  # noqa: ANN001
    gov = told.gov
    first, second = gov.person("hr_officer", "ratna@x"), gov.person("hr_officer", "andi@x")
    inbox = (
        await first.call(
            "GET",
            "notification",
            "/notifications",
            params={"transfer_id": told.id, "unread_only": True},
        )
    ).json()
    notice = inbox["items"][0]
    before = (await second.call("GET", "notification", "/notifications/unread-count")).json()
    marked = await first.call(
        "POST", "notification", f"/notifications/{notice['id']}/read", key=str(uuid4())
    )
    again = await first.call("POST", "notification", f"/notifications/{notice['id']}/read")
    assert marked.status_code == again.status_code == 200
    assert marked.json()["read_at"] == again.json()["read_at"] is not None
    after_first = (await first.call("GET", "notification", "/notifications/unread-count")).json()
    after_second = (await second.call("GET", "notification", "/notifications/unread-count")).json()
    assert after_first["unread"] == inbox["unread"] - 1
    assert after_second == before
    other = await told.gov.proposer.call(
        "POST", "notification", f"/notifications/{notice['id']}/read"
    )
    assert other.status_code == 404
    assert other.headers["content-type"].startswith("application/problem+json")


async def test_a_person_who_turned_email_off_is_told_in_the_inbox_only(stack, pool, smtp_sink):  # noqa: ANN001
    gov = await Government(stack.settings).registered()
    employee = await register_employee(pool, gov, email=f"diam.{uuid4().hex[:6]}@uji.test")
    me = gov.person("employee", f"pegawai-{employee.nip}", employee.nip)
    r = await me.call(
        "PUT",
        "notification",
        "/notifications/preferences",
        json={"in_app_enabled": True, "email_enabled": False},
    )
    assert r.status_code == 200 and r.json()["recipient"] == f"nip:{employee.nip}"
    r = await gov.hr.call(
        "PUT",
        "notification",
        f"/notification-contacts/role:{gov.slug}:hr_officer",
        json={"in_app_enabled": False, "email": f"bkpsdm@{gov.slug}.uji.test"},
    )
    assert r.status_code == 200
    transfer = StoryTransfer(gov, employee)
    await transfer.record_all(pool)
    await eventually(lambda: len(smtp_sink.about(transfer.id)) >= 4)  # BKPSDM's four
    rows = await pool.fetch(
        "SELECT recipient, channel FROM notifications WHERE transfer_id = $1", transfer.id
    )
    channels = {(r["recipient"].split(":")[0], r["channel"]) for r in rows}
    assert ("nip", "in_app") in channels and ("nip", "email") not in channels
    assert {m["To"] for m in smtp_sink.about(transfer.id)} == {f"bkpsdm@{gov.slug}.uji.test"}
    assert not [
        r
        for r in rows
        if r["recipient"].startswith("role:")
        and r["recipient"].endswith("hr_officer")
        and r["channel"] == "in_app"
    ]


async def test_incentives_recorded_with_the_proposal_are_told_to_the_employee_not_the_proposer(
    stack, pool
):  # noqa: ANN001
    gov = await Government(stack.settings).registered()
    employee = await register_employee(pool, gov)
    incentives = ["Tunjangan transport Rp 1.500.000 per bulan", "Rumah dinas di Aimas"]
    transfer = StoryTransfer(gov, employee, proposal={"incentives": incentives})
    await transfer.record_all(pool)
    await eventually(
        lambda: pool.fetchval(
            "SELECT count(*) = $2 FROM notifications WHERE transfer_id = $1 AND channel = 'in_app'",
            transfer.id,
            sum(len(v) for v in IN_APP.values()),
        )
    )
    rows = await pool.fetch(
        "SELECT event_type, recipient, body FROM notifications WHERE transfer_id = $1", transfer.id
    )
    decree = next(
        r["body"]
        for r in rows
        if r["event_type"] == "transfer.decree_issued" and r["recipient"] == f"nip:{employee.nip}"
    )
    assert "Fasilitas dan tunjangan" in decree
    assert all(incentive in decree for incentive in incentives)
    to_proposer = [r["body"] for r in rows if r["recipient"] == f"user:{gov.proposer.sub}"]
    assert to_proposer and not any(incentives[0] in body for body in to_proposer)
