"""Read a government's configuration: one call, or the `tenants` columns it comes from.

The `tenants` table is the projection of the government's `tenant.registered` and
`tenant.configured` events (mutasi.domain.tenant_config), kept in the same transaction as
each event. In code, read it whole:

    config = await load_tenant_config(conn, "kota-sorong")   # None: no such government
    config.iana_time_zone        # "Asia/Jayapura" — for ZoneInfo and WorkingCalendar.deadline_at
    config.time_zone             # TimeZone.WIT — the label printed on notices
    config.extra_holidays        # tuple[date, ...] — WorkingCalendar(extra_holidays=…)
    working_calendar(config)     # … or the calendar with them already in it
    config.decree_number_format  # format_decree_number(config.decree_number_format, seq, year)
    config.ppk, config.bkpsdm_head  # Official(name, title, nip)
    config.incentive_policy      # IncentivePolicy(transport_min_km, transport_allowance_idr, …)
    config.public_page           # bool: show the public page of vacancies and decisions

or, where one column is all a query needs, read the column:

    timezone (IANA name), extra_holidays (date[]), decree_number_format, ppk / bkpsdm_head
    (jsonb {"name","title","nip"}), incentive_policy (jsonb, IncentivePolicy's fields),
    public_page (boolean), sla_working_days, document_checklist, head_title (= ppk's title).

Rows inserted before issue 16 (tests' ad-hoc governments) have no `ppk`/`bkpsdm_head`; the
loader fills them from `head_title` so every government reads the same way.
"""

from __future__ import annotations

import json
from typing import Any

import asyncpg

from mutasi.calendar import WorkingCalendar
from mutasi.domain.tenant_config import (
    IncentivePolicy,
    Official,
    TenantConfiguration,
    TimeZone,
)

COLUMNS = (
    "slug, name, kind, province, capital, timezone, head_title, decree_number_format,"
    " ppk, bkpsdm_head, extra_holidays, incentive_policy, public_page, sla_working_days,"
    " document_checklist, head_inaugurated_on, election_candidate_determination_on,"
    " ministerial_consent_document, max_effective_days"
)


def _json(value: Any) -> Any:
    # jsonb arrives as text unless the pool registered a codec; accept both.
    return json.loads(value) if isinstance(value, str) else value


def row_to_config(row: asyncpg.Record) -> TenantConfiguration:
    ppk = _json(row["ppk"]) or {"name": row["head_title"], "title": row["head_title"]}
    bkpsdm = _json(row["bkpsdm_head"]) or {"name": "Kepala BKPSDM", "title": "Kepala BKPSDM"}
    checklist = row["document_checklist"]
    return TenantConfiguration(
        slug=row["slug"],
        name=row["name"],
        kind=row["kind"],
        province=row["province"],
        capital=row["capital"],
        time_zone=TimeZone.from_iana(row["timezone"]),
        decree_number_format=row["decree_number_format"],
        ppk=Official(**ppk),
        bkpsdm_head=Official(**bkpsdm),
        extra_holidays=tuple(row["extra_holidays"] or ()),
        incentive_policy=IncentivePolicy(**(_json(row["incentive_policy"]) or {})),
        public_page=row["public_page"],
        sla_working_days=row["sla_working_days"],
        document_checklist=tuple(checklist) if checklist is not None else None,
        head_inaugurated_on=row["head_inaugurated_on"],
        election_candidate_determination_on=row["election_candidate_determination_on"],
        ministerial_consent_document=row["ministerial_consent_document"],
        max_effective_days=row["max_effective_days"],
    )


async def load_tenant_config(
    conn: asyncpg.Connection | asyncpg.Pool, slug: str
) -> TenantConfiguration | None:
    row = await conn.fetchrow(f"SELECT {COLUMNS} FROM tenants WHERE slug = $1", slug)
    return row_to_config(row) if row else None


async def list_tenant_configs(conn: asyncpg.Connection | asyncpg.Pool) -> list[TenantConfiguration]:
    rows = await conn.fetch(f"SELECT {COLUMNS} FROM tenants ORDER BY slug")
    return [row_to_config(r) for r in rows]


def working_calendar(config: TenantConfiguration) -> WorkingCalendar:
    """National holidays, cuti bersama and the government's own extra days off."""
    return WorkingCalendar(config.extra_holidays)
