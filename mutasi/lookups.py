"""Look-ups every part shares: a government, an employee, a post, open transfers, a meeting.

One place for the SQL that the services, the workflow activities and the path guards all
need, so a column or a rule (what counts as an open transfer) changes once. A service's own
queries live beside it (services/<service>/queries.py); transfers as a caller may see them
in mutasi.transfers.
"""

from __future__ import annotations

from typing import TypeAlias
from uuid import UUID

import asyncpg

from mutasi.domain.lifecycle import FINISHED
from mutasi.domain.model import Position, Tenant

Db: TypeAlias = asyncpg.Pool | asyncpg.Connection
_FINISHED = [s.value for s in FINISHED]
_TENANT_COLUMNS = (
    "slug, name, kind, province, head_inaugurated_on, election_candidate_determination_on"
)


async def tenant(db: Db, slug: str) -> Tenant | None:
    """The government as the rules see it (R9 reads its dates)."""
    row = await db.fetchrow(f"SELECT {_TENANT_COLUMNS} FROM tenants WHERE slug = $1", slug)
    return Tenant(**dict(row)) if row else None


async def tenants(db: Db, slugs: list[str]) -> dict[str, Tenant]:
    rows = await db.fetch(
        f"SELECT {_TENANT_COLUMNS} FROM tenants WHERE slug = ANY($1::text[])", slugs
    )
    return {r["slug"]: Tenant(**dict(r)) for r in rows}


async def tenant_name(db: Db, slug: str) -> str | None:
    name: str | None = await db.fetchval("SELECT name FROM tenants WHERE slug = $1", slug)
    return name


async def employee(db: Db, tenant: str, nip: str) -> asyncpg.Record | None:
    """nip, name, position_code, unit_code, position_since and the whole record (`data`)."""
    return await db.fetchrow(
        "SELECT nip, name, position_code, unit_code, position_since, data FROM employees"
        " WHERE tenant = $1 AND nip = $2",
        tenant,
        nip,
    )


async def employee_in_unit(db: Db, tenant: str, nip: str, unit: str | None) -> bool:
    """The employee exists in the government (and in `unit`, if one is given)."""
    return bool(
        await db.fetchval(
            "SELECT EXISTS (SELECT 1 FROM employees WHERE tenant = $1 AND nip = $2"
            " AND ($3::text IS NULL OR unit_code = $3))",
            tenant,
            nip,
            unit,
        )
    )


async def post_unit(db: Db, tenant: str, code: str) -> str | None:
    """The unit a post belongs to, or None if the government has no such post."""
    unit: str | None = await db.fetchval(
        "SELECT unit_code FROM positions WHERE tenant = $1 AND code = $2", tenant, code
    )
    return unit


async def position(db: Db, tenant: str, code: str | None) -> Position | None:
    """A post with its requirements and headcount, as the rules read it."""
    row = await db.fetchrow(
        "SELECT p.code, p.name, p.unit_code, p.kind, p.class, p.required_education_level,"
        " p.required_education_fields, p.required_competencies, p.needed, f.filled"
        " FROM positions p JOIN position_filled f ON f.tenant = p.tenant"
        " AND f.position_code = p.code WHERE p.tenant = $1 AND p.code = $2",
        tenant,
        code,
    )
    if row is None:
        return None
    data = dict(row)
    data["class"] = data.pop("class") or 7
    data["required_education_fields"] = tuple(data["required_education_fields"] or ())
    return Position(**{k: v for k, v in data.items() if v is not None})


async def open_transfers(db: Db, tenant: str, nip: str, besides: str | None = None) -> int:
    """How many transfers of the employee are open (R8), not counting `besides`."""
    count: int = await db.fetchval(
        "SELECT count(*) FROM transfers WHERE tenant = $1 AND employee_nip = $2"
        " AND ($3::uuid IS NULL OR id <> $3) AND status <> ALL($4::text[])",
        tenant,
        nip,
        UUID(besides) if besides else None,
        _FINISHED,
    )
    return count


async def meeting_held_by(db: Db, tenant: str, meeting_id: UUID) -> bool:
    """A meeting is its log stream; its first entry names the government holding it."""
    return bool(
        await db.fetchval(
            "SELECT EXISTS (SELECT 1 FROM event_log WHERE stream = $1 AND version = 1"
            " AND tenant = $2 AND event_type = 'meeting.scheduled')",
            f"meeting/{meeting_id}",
            tenant,
        )
    )
