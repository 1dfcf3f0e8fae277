"""A whole transfer, from the supervisor's proposal to the day it takes effect, over the public
APIs: everyone it concerns is told each step once — in their inbox and, where they gave an
address, by e-mail — and the employee's decree notice says why, what is expected, from when
(TMT) and by which SK."""

from __future__ import annotations

from collections import Counter
from datetime import date
from uuid import uuid4

import pytest

from mutasi import clock
from mutasi.domain.id_dates import indonesian_date
from services.notification import signing
from tests.e2e import meeting_scenario as meeting
from tests.e2e.notification_support import (
    WebhookReceiver,
    eventually,
    text_of,
)
from tests.e2e.scenario import DOCUMENTS, Case, attach_required, movable_case, people

pytestmark = pytest.mark.usefixtures("stack")
TENANT = "kota-palembang"
REASONS = "Pemerataan pegawai sesuai hasil analisis beban kerja"
EXPECTATIONS = "Mempercepat pelayanan perizinan di unit tujuan"

# Who is told of each step, in the order that decides the text a person reached twice gets.
TOLD = {
    "transfer.submitted": ["proposer", "employee", "hr"],
    "transfer.checked": ["hr"],
    "transfer.verified": ["employee", "proposer"],
    "transfer.placed_on_agenda": ["panel", "employee", "proposer"],
    "transfer.recommended": ["approver", "employee", "proposer"],
    "transfer.approved": ["employee", "proposer"],
    "transfer.decree_issued": ["employee", "origin_head", "target_head", "hr"],
    "transfer.notified": ["proposer"],
    "transfer.effective": ["employee", "origin_head", "target_head"],
    "transfer.completed": ["hr"],
}


async def _head(pool, tenant: str, unit: str) -> str | None:  # noqa: ANN001
    return await pool.fetchval(
        "SELECT e.nip FROM units u JOIN employees e ON e.tenant = u.tenant"
        " AND e.position_code = u.head_position_code WHERE u.tenant = $1 AND u.code = $2"
        " ORDER BY e.nip LIMIT 1",
        tenant,
        unit,
    )


async def _case_with_unit_heads(pool) -> Case:  # noqa: ANN001
    """A movable employee whose current and future units both have a head in post."""
    for _ in range(30):
        case = await movable_case(pool, TENANT)
        if await _head(pool, TENANT, case.unit) and await _head(pool, TENANT, case.target_unit):
            return case
    raise AssertionError("no movable case with both unit heads in post")


async def _addresses(pool, case: Case, who: dict) -> dict[str, str | None]:  # noqa: ANN001
    origin, target = (
        await _head(pool, TENANT, case.unit),
        await _head(pool, TENANT, case.target_unit),
    )
    return {
        "employee": f"nip:{case.nip}",
        "proposer": f"user:{who['supervisor'].sub}",
        "hr": f"role:{TENANT}:hr_officer",
        "approver": f"role:{TENANT}:approver",
        "panel": f"user:{who['panel'].sub}",
        "origin_head": f"nip:{origin}" if origin else None,
        "target_head": f"nip:{target}" if target else None,
    }


def _expected(address: dict[str, str | None]) -> set[tuple[str, str]]:
    told = set()
    for event, groups in TOLD.items():
        seen: list[str] = []
        for group in groups:
            if address[group] and address[group] not in seen:
                seen.append(str(address[group]))
        told |= {(event, a) for a in seen}
    return told


async def _give_addresses(who: dict, address: dict[str, str | None]) -> dict[str, str]:
    """BKPSDM records e-mail addresses; the supervisor gives their own. Desks keep theirs."""
    mail: dict[str, str] = {}
    for group in ("employee", "origin_head", "target_head"):
        if address[group] and str(address[group]) not in mail.values():
            email = f"{group}.{uuid4().hex[:6]}@{TENANT}.uji.test"
            r = await who["hr"].call(
                "PUT",
                "notification",
                f"/notification-contacts/{address[group]}",
                json={"email": email},
            )
            assert r.status_code == 200, r.text
            mail[email] = str(address[group])
    email = f"atasan.{uuid4().hex[:6]}@{TENANT}.uji.test"
    r = await who["supervisor"].call(
        "PUT", "notification", "/notifications/preferences", json={"email": email}
    )
    assert r.status_code == 200, r.text
    mail[email] = str(address["proposer"])
    for desk in ("hr", "approver"):
        r = await who["hr"].call("GET", "notification", f"/notification-contacts/{address[desk]}")
        if r.json()["email"]:
            mail[r.json()["email"]] = str(address[desk])
    return mail


async def _walk(who: dict, case: Case) -> dict:
    r = await who["supervisor"].propose(
        case.nip,
        case.target_position,
        clock.today().isoformat(),
        reasons=REASONS,
        expectations=EXPECTATIONS,
        justification="Kebutuhan organisasi mendesak",
        documents=DOCUMENTS,
    )
    assert r.status_code == 202, r.text
    transfer_id = r.json()["id"]
    await who["hr"].wait_status(transfer_id, "checked")
    await attach_required(who["hr"], transfer_id)
    r = await who["hr"].call(
        "POST", "approval", f"/transfers/{transfer_id}/verify", json={"note": "Berkas lengkap"}
    )
    assert r.status_code == 200, r.text
    await meeting.hold(who["hr"], [who["panel"]], [transfer_id])
    r = await who["ppk"].call(
        "POST", "approval", f"/transfers/{transfer_id}/decision", json={"outcome": "approved"}
    )
    assert r.status_code == 200, r.text
    return await who["hr"].wait_status(transfer_id, "completed", timeout=90)


async def _subscribe(hr, hook: WebhookReceiver) -> dict:  # noqa: ANN001
    r = await hr.call(
        "POST",
        "notification",
        "/webhook-subscriptions",
        json={"url": hook.url, "event_types": ["transfer.*"]},
        key=str(uuid4()),
    )
    assert r.status_code == 201, r.text
    return dict(r.json())


async def test_a_whole_transfer_tells_everyone_concerned_once_per_channel(
    settings, pool, smtp_sink, receiver
):  # noqa: ANN001
    case = await _case_with_unit_heads(pool)
    who = people(settings, case)
    address = await _addresses(pool, case, who)
    mail_to = await _give_addresses(who, address)
    subscription = await _subscribe(who["hr"], receiver.up())
    try:
        final = await _walk(who, case)
        await _assert_told(pool, smtp_sink, case, who, address, mail_to, final)
        await _assert_subscriber_got_every_fact(pool, receiver, subscription, final["id"])
    finally:  # later transfers of this government are no business of this receiver
        await who["hr"].call(
            "PATCH",
            "notification",
            f"/webhook-subscriptions/{subscription['id']}",
            json={"active": False},
        )


async def _assert_subscriber_got_every_fact(
    pool,
    hook: WebhookReceiver,  # noqa: ANN001
    subscription: dict,
    transfer_id: str,
) -> None:
    facts = {
        str(r[0])
        for r in await pool.fetch(
            "SELECT event_id FROM event_log WHERE stream = $1", f"transfer/{transfer_id}"
        )
    }

    def mine() -> list:
        return [d for d in hook.received if d.event["subject"] == transfer_id]

    await eventually(lambda: len({d.event["id"] for d in mine()}) == len(facts))
    assert {d.event["id"] for d in mine()} == facts
    assert all(
        signing.verify(
            subscription["secret"],
            d.headers["webhook-id"],
            int(d.headers["webhook-timestamp"]),
            d.body,
            d.headers["webhook-signature"],
        )
        for d in mine()
    )


async def _assert_told(
    pool,
    smtp_sink,
    case: Case,
    who: dict,  # noqa: ANN001
    address: dict,
    mail_to: dict,
    final: dict,
) -> None:
    transfer_id = final["id"]

    expected = _expected(address)
    await eventually(
        lambda: pool.fetchval(
            "SELECT count(*) = $2 FROM notifications WHERE transfer_id = $1 AND channel = 'in_app'",
            transfer_id,
            len(expected),
        )
    )
    rows = await pool.fetch(
        "SELECT event_type, recipient FROM notifications"
        " WHERE transfer_id = $1 AND channel = 'in_app'",
        transfer_id,
    )
    in_app = Counter((r["event_type"], r["recipient"]) for r in rows)
    assert set(in_app) == expected and max(in_app.values()) == 1

    expected_mail = {(e, a) for e, a in expected if a in mail_to.values()}
    messages = await eventually(lambda: _at_least(smtp_sink.about(transfer_id), len(expected_mail)))
    got = Counter((m["X-Mutasi-Event-Type"], mail_to[m["To"]]) for m in messages)
    assert set(got) == expected_mail and max(got.values()) == 1

    employee_mail = next(
        m
        for m in messages
        if m["X-Mutasi-Event-Type"] == "transfer.decree_issued"
        and mail_to[m["To"]] == address["employee"]
    )
    inbox = (
        await who["employee"].call(
            "GET", "notification", "/notifications", params={"transfer_id": transfer_id}
        )
    ).json()
    decree_notice = next(n for n in inbox["items"] if n["event_type"] == "transfer.decree_issued")
    tmt = indonesian_date(date.fromisoformat(final["effective_date"]))
    new_unit = await pool.fetchval(
        "SELECT name FROM units WHERE tenant = $1 AND code = $2", TENANT, case.target_unit
    )
    for text in (text_of(employee_mail), " ".join(decree_notice["body"].split())):
        for phrase in (REASONS, EXPECTATIONS, f"(TMT) {tmt}", final["decree_number"], new_unit):
            assert phrase in text, phrase


def _at_least(messages: list, n: int) -> list | None:
    return messages if len(messages) >= n else None
