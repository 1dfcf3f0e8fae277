"""The candidates for one post of a government (GET /vacancies/{position_code}/candidates).

Ranking 10,000 employees costs a few matrix products once their arrays exist; building those
arrays costs a second. So each process keeps, per government, the arrays of its employees
together with the version they were built from (the employees' last log sequence and count,
the profile settings): any change to an employee or the settings rebuilds them on the next
request, and nothing stale is ever ranked.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import date

import asyncpg

from mutasi import lookups
from mutasi.domain.model import Position
from mutasi.domain.rules import freeze_reason
from mutasi.errors import NotFound
from mutasi.planning import queries
from mutasi.planning.ranking import Ranking, rank
from mutasi.planning.scoring import People

_CACHE: dict[str, tuple[object, People]] = {}
_LOCKS: dict[str, asyncio.Lock] = {}


@dataclass(frozen=True)
class Candidates:
    post: Position
    unit: queries.UnitPlace | None
    ranking: Ranking
    people: People
    frozen: tuple[str, str] | None  # R9: why the government may not move officials now


async def _people(pool: asyncpg.Pool, tenant: str) -> People:
    today = await queries.tenant_today(pool, tenant)
    config = await queries.profile_config(pool, tenant)
    version = (await queries.people_version(pool, tenant), today, config)
    cached = _CACHE.get(tenant)
    if cached and cached[0] == version:
        return cached[1]
    async with _LOCKS.setdefault(tenant, asyncio.Lock()):
        cached = _CACHE.get(tenant)
        if cached and cached[0] == version:
            return cached[1]
        employees = await queries.employees(pool, tenant)
        people = await asyncio.to_thread(
            People.build, employees, today=today, config=config,
            homes=queries.home_coords(employees),
        )  # fmt: skip
        _CACHE[tenant] = (version, people)
        return people


async def _frozen(pool: asyncpg.Pool, tenant: str, today: date) -> tuple[str, str] | None:
    government = await lookups.tenant(pool, tenant)
    return freeze_reason(government, today) if government else None


async def candidates(
    pool: asyncpg.Pool, tenant: str, position_code: str, offset: int, limit: int
) -> Candidates:
    post = await lookups.position(pool, tenant, position_code)
    if post is None:
        raise NotFound("Jabatan tidak ditemukan", "Position not found")
    people = await _people(pool, tenant)
    unit = (await queries.unit_places(pool, tenant)).get(post.unit_code)
    ranking = rank(
        people, post, city=unit.city if unit else None, coords=unit.coords if unit else None,
        blocked=await queries.open_transfers(pool, tenant), offset=offset, limit=limit,
    )  # fmt: skip
    return Candidates(post, unit, ranking, people, await _frozen(pool, tenant, people.today))
