"""What planning reads from PostgreSQL: settings, places, employees and posts of a government.

SQL lives here (`$n` parameters only); routes, activities and the CLI call these functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import asyncpg
import numpy as np

from mutasi import clock
from mutasi.domain.lifecycle import FINISHED
from mutasi.domain.model import Employee, Position
from mutasi.domain.profile_config import DEFAULT_PROFILE, ProfileConfig
from mutasi.imports.employees import recorded_employee as employee_from
from mutasi.planning.places import locate

Conn = asyncpg.Connection | asyncpg.Pool


@dataclass(frozen=True)
class UnitPlace:
    code: str
    name: str
    city: str | None
    latitude: float | None
    longitude: float | None

    @property
    def coords(self) -> tuple[float, float] | None:
        if self.latitude is None or self.longitude is None:
            return None
        return (self.latitude, self.longitude)


async def profile_config(conn: Conn, tenant: str) -> ProfileConfig:
    raw = await conn.fetchval("SELECT profile FROM planning_settings WHERE tenant = $1", tenant)
    return ProfileConfig.model_validate(raw) if raw else DEFAULT_PROFILE


async def unit_places(conn: Conn, tenant: str) -> dict[str, UnitPlace]:
    """Each unit's city and coordinates: its own, else its city's, else the capital's."""
    rows = await conn.fetch(
        "SELECT u.code, u.name, coalesce(u.city, t.capital) AS city, u.latitude, u.longitude"
        " FROM units u JOIN tenants t ON t.slug = u.tenant WHERE u.tenant = $1",
        tenant,
    )
    places = {}
    for r in rows:
        lat, lon = r["latitude"], r["longitude"]
        if lat is None or lon is None:
            found = locate(r["city"])
            lat, lon = (found.latitude, found.longitude) if found else (None, None)
        places[r["code"]] = UnitPlace(r["code"], r["name"], r["city"], lat, lon)
    return places


def home_coords(employees: Sequence[Employee]) -> np.ndarray:
    """n × 2 coordinates of each employee's domicile; NaN where the gazetteer has none."""
    coords = []
    for e in employees:
        place = locate(e.home_city)
        coords.append((place.latitude, place.longitude) if place else (np.nan, np.nan))
    return np.array(coords, dtype=float).reshape(len(employees), 2)


async def employees(conn: Conn, tenant: str, units: Sequence[str] = ()) -> list[Employee]:
    rows = await conn.fetch(
        "SELECT position_code, unit_code, position_since, data FROM employees"
        " WHERE tenant = $1 AND (cardinality($2::text[]) = 0 OR unit_code = ANY($2::text[]))"
        " ORDER BY nip",
        tenant,
        list(units),
    )
    return [employee_from(r) for r in rows]


_POSITION_COLUMNS = (
    "p.code, p.name, p.unit_code, p.kind, p.class, p.required_education_level,"
    " p.required_education_fields, p.required_competencies, f.needed, f.filled"
)


def position_from(row: asyncpg.Record) -> Position:
    return Position(
        code=row["code"],
        name=row["name"],
        unit_code=row["unit_code"],
        kind=row["kind"],
        class_=row["class"] or 7,
        required_education_level=row["required_education_level"],
        required_education_fields=tuple(row["required_education_fields"] or ()),
        required_competencies=row["required_competencies"] or {},
        needed=row["needed"],
        filled=row["filled"],
    )


async def positions(conn: Conn, tenant: str, units: Sequence[str] = ()) -> list[Position]:
    rows = await conn.fetch(
        f"SELECT {_POSITION_COLUMNS} FROM positions p JOIN position_filled f"
        " ON f.tenant = p.tenant AND f.position_code = p.code WHERE p.tenant = $1"
        " AND (cardinality($2::text[]) = 0 OR p.unit_code = ANY($2::text[])) ORDER BY p.code",
        tenant,
        list(units),
    )
    return [position_from(r) for r in rows]


async def open_transfers(conn: Conn, tenant: str) -> dict[str, str]:
    """NIP -> "R8" for every employee with a transfer still in progress."""
    rows = await conn.fetch(
        "SELECT DISTINCT employee_nip FROM transfers WHERE tenant = $1"
        " AND status <> ALL($2::text[])",
        tenant,
        [s.value for s in FINISHED],
    )
    return {r["employee_nip"]: "R8" for r in rows}


async def people_version(conn: Conn, tenant: str) -> tuple[int, int]:
    """Changes whenever an employee of the tenant changes: (last sequence, count)."""
    row = await conn.fetchrow(
        "SELECT coalesce(max(last_sequence), 0) AS seq, count(*) AS n FROM employees"
        " WHERE tenant = $1",
        tenant,
    )
    return int(row["seq"]), int(row["n"])


@dataclass(frozen=True)
class Scoring:
    """What scoring one employee against a government's posts needs besides the two."""

    config: ProfileConfig
    places: dict[str, UnitPlace]
    home: tuple[float, float] | None
    today: date


async def scoring_for(conn: Conn, tenant: str, employee: Employee) -> Scoring:
    found = locate(employee.home_city)
    return Scoring(
        await profile_config(conn, tenant),
        await unit_places(conn, tenant),
        (found.latitude, found.longitude) if found else None,
        await tenant_today(conn, tenant),
    )


async def tenant_today(conn: Conn, tenant: str) -> date:
    """Today in the government's own time zone (WIB, WITA or WIT decide the date)."""
    zone = await conn.fetchval("SELECT timezone FROM tenants WHERE slug = $1", tenant)
    return clock.today(zone or clock.WIB)


async def vacated_in_plan(conn: Conn, transfer_id: str, target_position: str) -> bool:
    """R1: another line of the transfer's plan moves someone out of the target post."""
    return bool(
        await conn.fetchval(
            "SELECT EXISTS (SELECT 1 FROM plan_lines mine JOIN plan_lines other"
            " ON other.plan_id = mine.plan_id AND other.line <> mine.line"
            " WHERE mine.transfer_id = $1::uuid AND other.origin_position_code = $2"
            " AND other.transfer_id IS NOT NULL)",
            transfer_id,
            target_position,
        )
    )
