"""Each illegal step is refused with a clear problem and changes nothing: no log entry, no
status change (a table over HTTP, against transfers and a meeting set up in every state)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
import pytest_asyncio

from mutasi import clock
from mutasi.domain.model import INTER_GOVERNMENT_DOCUMENTS
from tests.e2e import meeting_scenario as meeting
from tests.e2e.api_client import Person
from tests.e2e.scenario import DOCUMENTS, attach_required, movable_case

pytestmark = pytest.mark.usefixtures("stack")
HOME, OTHER = "kota-sorong", "kota-palembang"


@dataclass
class Board:
    people: dict[str, Person]
    ids: dict[str, str]  # checked, agenda, notified, inter (transfers) and meeting


def _people(settings, conflicted_nip: str) -> dict[str, Person]:  # noqa: ANN001
    return {
        "hr": Person(settings, HOME, ["hr_officer"], f"bkpsdm@{HOME}"),
        "ppk": Person(settings, HOME, ["approver"], f"ppk@{HOME}"),
        "conflicted": Person(settings, HOME, ["panel_member"], "penilai-1", nip=conflicted_nip),
        "member": Person(settings, HOME, ["panel_member"], "penilai-2"),
        "stranger": Person(settings, HOME, ["panel_member"], "penilai-3"),
        "other_hr": Person(settings, OTHER, ["hr_officer"], f"bkpsdm@{OTHER}"),
        "other_ppk": Person(settings, OTHER, ["approver"], f"ppk@{OTHER}"),
        "other_panel": Person(settings, OTHER, ["panel_member"], f"tim-penilai@{OTHER}"),
        "bkn": Person(settings, "bkn", ["bkn_officer"], "pertek@bkn"),
        "outsider": Person(settings, "kota-medan", ["hr_officer"], "bkpsdm@kota-medan"),
    }


async def _proposed(proposer: Person, pool, tenant: str = HOME, **extra: Any) -> str:  # noqa: ANN001
    case = await movable_case(pool, HOME)
    target = case.target_position
    if tenant != HOME:
        target = await pool.fetchval(
            "SELECT position_code FROM position_filled WHERE tenant = $1 AND filled < needed"
            " ORDER BY random() LIMIT 1",
            tenant,
        )
    effective = extra.pop("effective", clock.today())
    r = await proposer.propose(
        case.nip, target, effective.isoformat(), justification="Kebutuhan organisasi", **extra
    )
    assert r.status_code == 202, r.text
    transfer_id = str(r.json()["id"])
    checked = await proposer.wait_status(transfer_id, "checked", "returned")
    assert checked["status"] == "checked", await pool.fetchval(
        "SELECT payload FROM event_log WHERE stream = $1 AND event_type = 'transfer.checked'",
        f"transfer/{transfer_id}",
    )
    return transfer_id


async def _verified(hr: Person, pool, **extra: Any) -> str:  # noqa: ANN001
    transfer_id = await _proposed(hr, pool, documents=DOCUMENTS, **extra)
    await attach_required(hr, transfer_id)
    r = await hr.call("POST", "approval", f"/transfers/{transfer_id}/verify", json={})
    assert r.status_code == 200, r.text
    return transfer_id


@pytest_asyncio.fixture(scope="module")
async def board(settings, pool) -> Board:  # noqa: ANN001
    ids: dict[str, str] = {}
    base = _people(settings, "0" * 18)
    ids["checked"] = await _proposed(base["hr"], pool, documents=DOCUMENTS)
    ids["agenda"] = await _verified(base["hr"], pool)
    nip = await pool.fetchval(
        "SELECT employee_nip FROM transfers WHERE id = $1::uuid", ids["agenda"]
    )
    who = _people(settings, nip)  # the first member is the employee on the agenda (R7)
    ids["meeting"] = await meeting.schedule(who["hr"], [who["conflicted"], who["member"]], 1)
    r = await who["hr"].call(
        "POST",
        "approval",
        f"/meetings/{ids['meeting']}/agenda",
        json={"transfer_id": ids["agenda"]},
    )
    assert r.status_code == 200, r.text
    r = await who["member"].call(
        "POST",
        "approval",
        f"/meetings/{ids['meeting']}/votes",
        json={"votes": [{"transfer_id": ids["agenda"], "vote": "recommend"}]},
    )
    assert r.status_code == 200, r.text

    ids["notified"] = await _verified(who["hr"], pool, effective=clock.today() + timedelta(days=60))
    await meeting.hold(who["hr"], [who["member"]], [ids["notified"]])
    r = await who["ppk"].call(
        "POST", "approval", f"/transfers/{ids['notified']}/decision", json={"outcome": "approved"}
    )
    assert r.status_code == 200, r.text
    await who["hr"].wait_status(ids["notified"], "notified")

    ids["inter"] = await _proposed(
        who["other_ppk"],
        pool,
        OTHER,
        origin_tenant=HOME,
        documents=[d.code for d in INTER_GOVERNMENT_DOCUMENTS],
    )
    await attach_required(who["other_hr"], ids["inter"])
    r = await who["other_hr"].call("POST", "approval", f"/transfers/{ids['inter']}/verify", json={})
    assert r.status_code == 200, r.text
    await meeting.hold(who["other_hr"], [who["other_panel"]], [ids["inter"]])
    await who["other_hr"].wait_status(ids["inter"], "recommended")
    return Board(who, ids)


APPROVED = {"outcome": "approved"}
# (who, service, path with {ids}, body, status, problem type)
ILLEGAL = {
    "approve before the meeting": (
        "ppk",
        "approval",
        "/transfers/{checked}/decision",
        APPROVED,
        409,
        "illegal-transition",
    ),
    "verify again while on the agenda": (
        "hr",
        "approval",
        "/transfers/{agenda}/verify",
        {},
        409,
        "illegal-transition",
    ),
    "vote twice": (
        "member",
        "approval",
        "/meetings/{meeting}/votes",
        {"votes": [{"transfer_id": "{agenda}", "vote": "not_recommend"}]},
        409,
        "illegal-transition",
    ),
    "vote by a non-member": (
        "stranger",
        "approval",
        "/meetings/{meeting}/votes",
        {"votes": [{"transfer_id": "{agenda}", "vote": "recommend"}]},
        403,
        "forbidden",
    ),
    "vote on one's own case (R7)": (
        "conflicted",
        "approval",
        "/meetings/{meeting}/votes",
        {"votes": [{"transfer_id": "{agenda}", "vote": "recommend"}]},
        403,
        "forbidden",
    ),
    "vote on a transfer not on the agenda": (
        "member",
        "approval",
        "/meetings/{meeting}/votes",
        {"votes": [{"transfer_id": "{checked}", "vote": "recommend"}]},
        404,
        "not-found",
    ),
    "put an unverified transfer on the agenda": (
        "hr",
        "approval",
        "/meetings/{meeting}/agenda",
        {"transfer_id": "{checked}"},
        409,
        "illegal-transition",
    ),
    "close the meeting as a panel member": (
        "member",
        "approval",
        "/meetings/{meeting}/close",
        {},
        403,
        "forbidden",
    ),
    "another government's meeting": (
        "other_hr",
        "approval",
        "/meetings/{meeting}/close",
        {},
        404,
        "not-found",
    ),
    "withdraw after the decree": (
        "hr",
        "proposal",
        "/transfers/{notified}/withdraw",
        {"reason": "Berubah pikiran"},
        409,
        "illegal-transition",
    ),
    "approve twice": (
        "ppk",
        "approval",
        "/transfers/{notified}/decision",
        APPROVED,
        409,
        "illegal-transition",
    ),
    "revise after the decree": (
        "hr",
        "proposal",
        "/transfers/{notified}/revise",
        {"reason": "Ganti TMT"},
        409,
        "illegal-transition",
    ),
    "consent by the wrong government": (
        "other_ppk",
        "approval",
        "/transfers/{inter}/consent",
        {"outcome": "given"},
        403,
        "forbidden",
    ),
    "pertek before consent": (
        "bkn",
        "approval",
        "/transfers/{inter}/pertek",
        {"outcome": "given"},
        409,
        "illegal-transition",
    ),
    "decree before consent and pertek": (
        "other_ppk",
        "approval",
        "/transfers/{inter}/decision",
        APPROVED,
        409,
        "illegal-transition",
    ),
    "refuse consent without a reason": (
        "ppk",
        "approval",
        "/transfers/{inter}/consent",
        {"outcome": "refused"},
        422,
        "invalid-input",
    ),
    "verify another government's transfer": (
        "outsider",
        "approval",
        "/transfers/{checked}/verify",
        {},
        404,
        "not-found",
    ),
}


def _fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    return value


async def _snapshot(pool, ids: dict[str, str]) -> list[Any]:  # noqa: ANN001
    streams = [f"transfer/{ids[k]}" for k in ("checked", "agenda", "notified", "inter")]
    streams.append(f"meeting/{ids['meeting']}")
    counts = await pool.fetch(
        "SELECT stream, count(*) FROM event_log WHERE stream = ANY($1::text[]) GROUP BY stream",
        streams,
    )
    statuses = await pool.fetch(
        "SELECT id, status FROM transfers WHERE id = ANY($1::uuid[])",
        [ids[k] for k in ("checked", "agenda", "notified", "inter")],
    )
    return sorted(map(tuple, counts)) + sorted(map(tuple, statuses))


@pytest.mark.parametrize("case", list(ILLEGAL), ids=list(ILLEGAL))
async def test_an_illegal_step_is_refused_and_changes_nothing(board: Board, pool, case: str):
    who, service, path, body, status, problem = ILLEGAL[case]
    before = await _snapshot(pool, board.ids)
    r = await board.people[who].call(
        "POST", service, _fill(path, board.ids), json=_fill(body, board.ids)
    )
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/problem+json"
    refusal = r.json()
    assert refusal["type"].endswith(f"/{problem}") and refusal["title"] and refusal["detail"]
    assert await _snapshot(pool, board.ids) == before
