"""Transfers told straight into the real log, for tests of the notification service alone.

Each test gets a government of its own (a fresh tenant slug): its employees are registered
and its transfers' facts appended exactly as the workflow's activities append them — hash
chain, outbox, relay, JetStream — without the weeks of human steps in between.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import uuid4

import asyncpg

from mutasi import clock
from mutasi.log.projections import ReadModels
from mutasi.log.store import Actor, NewEvent, append
from mutasi.settings import Settings
from tests.e2e.api_client import Person
from tests.event_examples import example

SYSTEM = Actor("system", "system")
REASONS = "Pemerataan tenaga analis data antar-OPD"
EXPECTATIONS = "Memperkuat pengolahan data kesehatan di unit tujuan"
# Event type, and who records it (None: the system).
LIFECYCLE: list[tuple[str, str | None]] = [
    ("transfer.submitted", "proposer"),
    ("transfer.checked", None),
    ("transfer.verified", "hr_officer"),
    ("transfer.placed_on_agenda", "hr_officer"),
    ("transfer.recommended", "panel_member"),
    ("transfer.approved", "approver"),
    ("transfer.decree_issued", None),
    ("transfer.notified", None),
    ("transfer.effective", None),
    ("transfer.completed", None),
]


def fake_nip() -> str:
    born = date(1980, 1, 1) + timedelta(days=random.randrange(6000))
    return (
        f"{born:%Y%m%d}{random.randrange(2005, 2020)}0{random.randrange(1, 10)}"
        f"{random.randrange(1, 3)}{random.randrange(100, 999)}"
    )


@dataclass
class Government:
    """A fresh tenant with a BKPSDM officer and one supervisor who proposes."""

    settings: Settings
    slug: str = field(default_factory=lambda: f"uji-notif-{uuid4().hex[:8]}")

    def person(self, role: str, sub: str | None = None, nip: str | None = None) -> Person:
        return Person(self.settings, self.slug, [role], sub or f"{role}@{self.slug}", nip=nip)

    async def registered(self) -> Government:
        """The government in `tenants`: a token naming an unknown one is refused (401)."""
        conn = await asyncpg.connect(self.settings.dsn())
        try:
            await conn.execute(
                "INSERT INTO tenants (slug, name, kind, province, capital, head_title)"
                " VALUES ($1, $2, 'kota', 'Uji Coba', 'Kota Uji', 'Wali Kota Uji')"
                " ON CONFLICT DO NOTHING",
                self.slug,
                f"Pemerintah {self.slug}",
            )
        finally:
            await conn.close()
        return self

    @property
    def hr(self) -> Person:
        return self.person("hr_officer")

    @property
    def proposer(self) -> Person:
        return self.person("supervisor", f"atasan@{self.slug}")


@dataclass
class Employee:
    nip: str
    name: str
    email: str | None


async def register_employee(
    pool: asyncpg.Pool, gov: Government, email: str | None = None
) -> Employee:
    nip = fake_nip()
    employee = Employee(nip, f"Pegawai Uji {nip[-4:]}", email)
    data = {"nip": nip, "name": employee.name} | ({"email": email} if email else {})
    event = NewEvent(
        f"employee/{nip}",
        "employee.registered",
        {
            "nip": nip,
            "name": employee.name,
            "position_code": "dinkes.analis",
            "unit_code": "dinkes",
            "position_since": "2020-01-01",
            "data": data,
        },
        SYSTEM,
    )
    async with pool.acquire() as conn, conn.transaction():
        await append(conn, gov.slug, [event], projector=ReadModels())
    return employee


def _payload(
    event_type: str, employee: Employee, gov: Government, tmt: str, decree: str
) -> dict[str, object]:
    if event_type == "transfer.decree_issued":
        return example(
            event_type, decree_number=decree, effective_date=tmt, issuing_tenant=gov.slug
        )
    if event_type == "transfer.notified":
        return {"decree_number": decree, "effective_date": tmt}
    if event_type == "transfer.effective":
        return {
            "employee_nip": employee.nip,
            "target_tenant": gov.slug,
            "origin_position_code": "dinkes.analis",
            "origin_unit_code": "dinkes",
            "target_position_code": "bappeda.analis",
            "target_unit_code": "bappeda",
            "effective_date": tmt,
        }
    return example(event_type)


@dataclass
class StoryTransfer:
    gov: Government
    employee: Employee
    id: str = field(default_factory=lambda: str(uuid4()))
    tmt: str = field(default_factory=lambda: (clock.today() + timedelta(days=30)).isoformat())
    decree: str = field(
        default_factory=lambda: (
            f"800.1.3.3/{random.randrange(1000, 9999)}/BKPSDM/{clock.today().year}"
        )
    )
    recorded: int = 0
    proposal: dict[str, object] = field(default_factory=dict)  # more facts of the proposal

    def event(self, step: int) -> NewEvent:
        event_type, role = LIFECYCLE[step]
        actor = SYSTEM
        if role == "proposer":
            actor = Actor(self.gov.proposer.sub, "supervisor")
        elif role:
            actor = Actor(f"{role}@{self.gov.slug}", role)
        if event_type == "transfer.submitted":
            payload = self.submitted(documents=[], **self.proposal)
        else:
            payload = _payload(event_type, self.employee, self.gov, self.tmt, self.decree)
        return NewEvent(f"transfer/{self.id}", event_type, payload, actor)

    def submitted(self, **facts: object) -> dict[str, object]:
        """The proposal of this employee from dinkes to bappeda on the TMT; `facts` change it
        (another receiving government, another kind)."""
        return (
            example(
                "transfer.submitted",
                employee_nip=self.employee.nip,
                employee_name=self.employee.name,
                target_tenant=self.gov.slug,
                origin_position_code="dinkes.analis",
                origin_unit_code="dinkes",
                target_position_code="bappeda.analis",
                target_unit_code="bappeda",
                reasons=REASONS,
                expectations=EXPECTATIONS,
                effective_date=self.tmt,
            )
            | facts
        )

    async def record_next(self, pool: asyncpg.Pool) -> str:
        """Append the next fact of the lifecycle; return its event type."""
        event = self.event(self.recorded)
        async with pool.acquire() as conn, conn.transaction():
            await append(conn, self.gov.slug, [event], projector=ReadModels())
        self.recorded += 1
        return event.event_type

    async def record(
        self, pool: asyncpg.Pool, event_type: str, payload: dict[str, object], actor: Actor = SYSTEM
    ) -> None:
        """Append any fact to this transfer's stream (a reminder, a consent, …)."""
        event = NewEvent(f"transfer/{self.id}", event_type, payload, actor)
        async with pool.acquire() as conn, conn.transaction():
            await append(conn, self.gov.slug, [event], projector=ReadModels())

    async def record_all(self, pool: asyncpg.Pool) -> None:
        while self.recorded < len(LIFECYCLE):
            await self.record_next(pool)
