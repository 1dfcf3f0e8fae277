"""A small world of real resources in three governments, made once for the access tests.

Home is Kota Sorong: a transfer within it (proposed by BKPSDM), with an attachment, a meeting,
an import run, a webhook subscription. Kota Medan has the same of its own — the resources a
Sorong caller must never reach. An inter-government transfer moves a Sorong employee to Kota
Palembang, so BKN (tenant `bkn`) has something of its own to see.
"""

from __future__ import annotations

import asyncio
import csv
import io
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from uuid import uuid4

import asyncpg
import httpx

from mutasi import clock
from mutasi.auth.principal import Role
from mutasi.auth.tokens import issue_token
from mutasi.lifecycle import BKN_TENANT
from mutasi.settings import Settings
from tests.e2e.api_client import Person
from tests.e2e.scenario import DOCUMENTS, Case, movable_case

HOME, OTHER, THIRD = "kota-sorong", "kota-medan", "kota-palembang"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@dataclass(frozen=True)
class Caller:
    role: str
    tenant: str
    sub: str
    unit: str | None = None
    nip: str | None = None

    def headers(self, settings: Settings) -> dict[str, str]:
        # Signing is slow (the private key is loaded and checked each time): once per caller.
        key = (self, str(settings.keys_dir))
        if key not in _TOKENS:
            _TOKENS[key] = issue_token(
                settings,
                sub=self.sub,
                tenant=self.tenant,
                roles=[self.role],
                unit=self.unit,
                nip=self.nip,
            )
        return {"Authorization": f"Bearer {_TOKENS[key]}"}


_TOKENS: dict[tuple[Caller, str], str] = {}


@dataclass
class World:
    settings: Settings
    home_transfer: dict[str, Any]
    inter_transfer_id: str
    callers: dict[str, Caller]  # each role, at home (BKN officers in their own tenant)
    strangers: dict[str, Caller]  # supervisor of another unit, another employee, at home
    own: dict[str, dict[str, str]]  # role -> path parameter -> a resource that role may reach
    other: dict[str, str]  # path parameter -> the same kind of resource of Kota Medan
    foreign_ids: list[str] = field(default_factory=list)  # Medan's, never in a Sorong answer

    def url(self, service: str, path: str) -> str:
        port = {
            "proposal": self.settings.proposal_port,
            "approval": self.settings.approval_port,
            "notification": self.settings.notification_port,
        }[service]
        return f"http://127.0.0.1:{port}{path}"


def _person(settings: Settings, tenant: str, role: str) -> Person:
    return Person(settings, tenant, [role], f"matrix-{role}@{tenant}")


async def _propose(person: Person, case: Case, **extra: Any) -> str:
    effective = (clock.today() + timedelta(days=60)).isoformat()
    response = await person.propose(
        case.nip,
        case.target_position,
        effective,
        justification="Pemerataan pegawai",
        documents=DOCUMENTS,
        **extra,
    )
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


async def _created(response: httpx.Response) -> str:
    assert response.status_code in (200, 201), response.text
    return str(response.json()["id"])


async def _meeting(hr: Person) -> str:
    body = {
        "title": "Rapat tim penilai (uji akses)",
        "scheduled_on": clock.today().isoformat(),
        "place": "Ruang rapat BKPSDM",
        "members": [{"sub": f"matrix-panel_member@{hr.tenant}", "name": "Anggota"}],
    }
    return await _created(
        await hr.call("POST", "approval", "/meetings", json=body, key=str(uuid4()))
    )


async def _plan(hr: Person) -> str:
    """A transfer plan of one unit (drafting optimises it in the background)."""
    unit = "dinkes"
    body = {"title": "Rencana uji akses", "scope": {"units": [unit],
            "period_start": clock.today().isoformat()}, "rules": {"max_moves": 1}}  # fmt: skip
    return await _created(await hr.call("POST", "proposal", "/plans", json=body, key=str(uuid4())))


async def _subscription(hr: Person) -> str:
    body = {"url": "http://127.0.0.1:9/webhook", "event_types": ["meeting.closed"]}
    return await _created(
        await hr.call("POST", "notification", "/webhook-subscriptions", json=body, key=str(uuid4()))
    )


async def _attachment(hr: Person, transfer_id: str) -> str:
    return await _created(
        await hr.call(
            "POST",
            "proposal",
            f"/transfers/{transfer_id}/attachments",
            files={"file": ("sk-terakhir.pdf", PDF, "application/pdf")},
            data={"document_code": "last_decree"},
            key=str(uuid4()),
        )
    )


async def _import_run(pool: asyncpg.Pool, hr: Person) -> str:
    """Re-import one existing unit as it is: a recorded run that changes nothing."""
    unit = await pool.fetchrow(
        "SELECT code, name FROM units WHERE tenant = $1 ORDER BY code LIMIT 1", hr.tenant
    )
    out = io.StringIO()
    csv.writer(out).writerows([["Kode Unit", "Nama Unit"], [unit["code"], unit["name"]]])
    response = await hr.call(
        "POST",
        "proposal",
        "/imports/units",
        key=str(uuid4()),
        files={"file": ("unit.csv", out.getvalue().encode(), "text/csv")},
    )
    assert response.status_code == 200, response.text
    runs = await hr.call("GET", "proposal", "/imports")
    return str(runs.json()["items"][0]["id"])


async def _visible(person: Person, transfer_id: str) -> dict[str, Any]:
    return await person.wait_status(transfer_id, "checked", "returned", "verified")


async def _first_notification(settings: Settings, caller: Caller) -> str | None:
    async with httpx.AsyncClient(timeout=10) as client:
        response = await client.get(
            f"http://127.0.0.1:{settings.notification_port}/notifications",
            headers=caller.headers(settings),
        )
    items = response.json().get("items", []) if response.status_code == 200 else []
    return str(items[0]["id"]) if items else None


async def _stranger_unit(pool: asyncpg.Pool, transfer: dict[str, Any]) -> str:
    return str(
        await pool.fetchval(
            "SELECT code FROM units WHERE tenant = $1 AND code <> ALL($2::text[]) ORDER BY code"
            " LIMIT 1",
            HOME,
            [transfer["origin_unit_code"], transfer["target_unit_code"]],
        )
    )


async def _other_nip(pool: asyncpg.Pool, tenant: str, not_nip: str) -> str:
    return str(
        await pool.fetchval(
            "SELECT nip FROM employees e WHERE tenant = $1 AND nip <> $2 AND NOT EXISTS"
            " (SELECT 1 FROM employees h WHERE h.tenant <> e.tenant AND h.nip = e.nip)"
            " ORDER BY nip LIMIT 1",
            tenant,
            not_nip,
        )
    )


async def _foreign_unit(pool: asyncpg.Pool) -> str | None:
    """A unit code of Medan that Sorong does not have (codes may repeat across governments)."""
    return await pool.fetchval(
        "SELECT code FROM units m WHERE tenant = $1 AND NOT EXISTS (SELECT 1 FROM units s"
        " WHERE s.tenant = $2 AND s.code = m.code) ORDER BY code LIMIT 1",
        OTHER,
        HOME,
    )


async def _inter_government(settings: Settings, pool: asyncpg.Pool) -> str:
    """Palembang's PPK asks for a Sorong employee: both governments and BKN see it."""
    case = await movable_case(pool, HOME)
    case.target_position = (await movable_case(pool, THIRD)).target_position
    transfer_id = await _propose(_person(settings, THIRD, "approver"), case, origin_tenant=HOME)
    await _visible(_person(settings, HOME, "hr_officer"), transfer_id)
    return transfer_id


async def _entry(pool: asyncpg.Pool, transfer_id: str) -> str:
    """The sequence of the transfer's first log entry (its government's chain)."""
    return str(
        await pool.fetchval(
            "SELECT min(sequence) FROM event_log WHERE stream = $1", f"transfer/{transfer_id}"
        )
    )


async def _resources(pool: asyncpg.Pool, hr: Person, transfer_id: str) -> dict[str, str]:
    """A government's meeting, webhook subscription, attachment, import run and plan."""
    meeting, subscription, attachment, run, plan = await asyncio.gather(
        _meeting(hr),
        _subscription(hr),
        _attachment(hr, transfer_id),
        _import_run(pool, hr),
        _plan(hr),
    )
    return {
        "sequence": await _entry(pool, transfer_id),
        "transfer_id": transfer_id,
        "meeting_id": meeting,
        "subscription_id": subscription,
        "attachment_id": attachment,
        "run_id": run,
        "plan_id": plan,
    }


def _callers(home: dict[str, Any]) -> dict[str, Caller]:
    callers = {role.value: Caller(role.value, HOME, f"matrix-{role.value}@{HOME}") for role in Role}
    callers["supervisor"] = Caller(
        "supervisor", HOME, f"matrix-supervisor@{HOME}", unit=home["origin_unit_code"]
    )
    callers["employee"] = Caller(
        "employee", HOME, f"pegawai-{home['employee_nip']}", nip=home["employee_nip"]
    )
    callers["bkn_officer"] = Caller("bkn_officer", BKN_TENANT, "matrix-bkn@bkn")
    return callers


async def _strangers(pool: asyncpg.Pool, home: dict[str, Any]) -> dict[str, Caller]:
    return {
        "supervisor": Caller(
            "supervisor",
            HOME,
            f"matrix-other-supervisor@{HOME}",
            unit=await _stranger_unit(pool, home),
        ),
        "employee": Caller(
            "employee",
            HOME,
            f"matrix-other-employee@{HOME}",
            nip=await _other_nip(pool, HOME, home["employee_nip"]),
        ),
    }


async def _own(
    settings: Settings,
    callers: dict[str, Caller],
    home: dict[str, Any],
    resources: dict[str, str],
    inter_id: str,
) -> dict[str, dict[str, str]]:
    shared = resources | {
        "nip": home["employee_nip"],
        "kind": "units",
        "unit_code": home["origin_unit_code"],
        "recipient": f"nip:{home['employee_nip']}",
        "tenant_slug": HOME,
    }
    own = {role: dict(shared) for role in callers}
    own["bkn_officer"] = {"transfer_id": inter_id, "kind": "units"}
    await _wait_notification(settings, callers["hr_officer"])  # the proposer is told
    for role, caller in callers.items():
        notification = await _first_notification(settings, caller)
        if notification:
            own[role]["notification_id"] = notification
    return own


async def _other(
    settings: Settings, pool: asyncpg.Pool, resources: dict[str, str]
) -> dict[str, str]:
    nip = await _other_nip(pool, OTHER, "")
    other = resources | {"nip": nip, "recipient": f"nip:{nip}", "tenant_slug": OTHER}
    other["notification_id"] = await _wait_notification(
        settings, Caller("hr_officer", OTHER, f"matrix-hr_officer@{OTHER}")
    )
    foreign_unit = await _foreign_unit(pool)
    if foreign_unit:
        other["unit_code"] = foreign_unit
    return other


async def build_world(settings: Settings, pool: asyncpg.Pool) -> World:
    hr, medan_hr = _person(settings, HOME, "hr_officer"), _person(settings, OTHER, "hr_officer")
    home_case, medan_case = await movable_case(pool, HOME), await movable_case(pool, OTHER)
    home_id, medan_id = await asyncio.gather(
        _propose(hr, home_case), _propose(medan_hr, medan_case)
    )
    home, _ = await asyncio.gather(_visible(hr, home_id), _visible(medan_hr, medan_id))
    inter_id = await _inter_government(settings, pool)
    mine, theirs = await asyncio.gather(
        _resources(pool, hr, home_id), _resources(pool, medan_hr, medan_id)
    )
    callers = _callers(home)
    own = await _own(settings, callers, home, mine, inter_id)
    other = await _other(settings, pool, theirs)
    foreign_ids = [
        other[p]
        for p in (
            "transfer_id", "nip", "meeting_id", "subscription_id", "attachment_id", "run_id",
            "plan_id",
        )
    ]  # fmt: skip
    return World(
        settings, home, inter_id, callers, await _strangers(pool, home), own, other, foreign_ids
    )


async def _wait_notification(settings: Settings, caller: Caller) -> str:
    for _ in range(100):
        found = await _first_notification(settings, caller)
        if found:
            return found
        await asyncio.sleep(0.2)
    raise AssertionError(f"no notification reached {caller.sub}")
