"""Issuing the decree (SK): a gapless number per tenant and year, and its PDF document."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import asyncpg

from mutasi.documents.decree_content import DecreeAuthority, DecreeContent
from mutasi.documents.decree_number import format_decree_number
from mutasi.documents.decree_pdf import decree_sha256, render_decree_pdf
from mutasi.lifecycle import TransferInput

_AUTHORITY = {
    "kota": DecreeAuthority.MAYOR,
    "kabupaten": DecreeAuthority.REGENT,
    "provinsi": DecreeAuthority.GOVERNOR,
}


async def _names(
    conn: asyncpg.Connection, tenant: str, unit: str | None, position: str | None
) -> tuple[str, str]:
    row = await conn.fetchrow(
        "SELECT u.name AS unit, p.name AS position FROM units u LEFT JOIN positions p"
        " ON p.tenant = u.tenant AND p.code = $3 WHERE u.tenant = $1 AND u.code = $2",
        tenant,
        unit,
        position,
    )
    return (row["position"] or "-", row["unit"]) if row else ("-", "-")


def decree_authority(kind: str, issuing_tenant_kind: str) -> DecreeAuthority:
    """PP 11/2017 Pasal 191–193: the government's PPK within it, the governor between
    governments of one province, the Minister of Home Affairs between provinces."""
    if kind == "between_provinces":
        return DecreeAuthority.HOME_AFFAIRS_MINISTER
    if kind == "between_governments_same_province":
        return DecreeAuthority.GOVERNOR
    return _AUTHORITY[issuing_tenant_kind]


async def _signer(
    conn: asyncpg.Connection, authority: DecreeAuthority, tenant: asyncpg.Record
) -> tuple[str, str, str]:
    """(region name, place of signing, signer's title) for the decree's authority."""
    if authority is DecreeAuthority.HOME_AFFAIRS_MINISTER:
        return "-", "Jakarta", "Menteri Dalam Negeri Republik Indonesia"
    if authority is DecreeAuthority.GOVERNOR and tenant["kind"] != "provinsi":
        seat = await conn.fetchval(
            "SELECT capital FROM tenants WHERE kind = 'provinsi' AND province = $1",
            tenant["province"],
        )
        return tenant["province"], seat or tenant["capital"], f"Gubernur {tenant['province']}"
    region = tenant["name"].split(" ", 1)[1] if " " in tenant["name"] else tenant["name"]
    return region, tenant["capital"], tenant["head_title"]


async def decree_signer(conn: asyncpg.Connection, t: TransferInput) -> str:
    """Who signs this transfer's decree: "Wali Kota Sorong", "Menteri Dalam Negeri …"."""
    tenant = await conn.fetchrow("SELECT * FROM tenants WHERE slug = $1", t.target_tenant)
    return (await _signer(conn, decree_authority(t.kind, tenant["kind"]), tenant))[2]


async def _content(
    conn: asyncpg.Connection, t: TransferInput, number: str, today: date
) -> DecreeContent:
    tenant = await conn.fetchrow("SELECT * FROM tenants WHERE slug = $1", t.target_tenant)
    employee = await conn.fetchrow(
        "SELECT data FROM employees WHERE nip = $1 ORDER BY tenant = $2 DESC LIMIT 1",
        t.employee_nip,
        t.tenant,
    )
    origin_position, origin_unit = await _names(
        conn, t.tenant, t.origin_unit_code, t.origin_position_code
    )
    target_position, target_unit = await _names(
        conn, t.target_tenant, t.target_unit_code, t.target_position_code
    )
    authority = decree_authority(t.kind, tenant["kind"])
    region, place, signer = await _signer(conn, authority, tenant)
    return DecreeContent(
        decree_number=number,
        authority=authority,
        region_name=region,
        employee_name=t.employee_name,
        nip=t.employee_nip,
        grade=(employee["data"].get("grade") if employee else None) or "-",
        origin_position=origin_position,
        origin_unit=origin_unit,
        target_position=target_position,
        target_unit=target_unit,
        effective_date=date.fromisoformat(t.effective_date),
        signing_place=place,
        signing_date=today,
        signer_name=signer,
        reasons=(t.reasons,),
        province_name=tenant["province"],
        incentives=tuple(t.incentives),
    )


async def issue_decree(conn: asyncpg.Connection, t: TransferInput) -> tuple[str, str]:
    """Return (number, sha256); a transfer that already has its decree gets the same one back."""
    existing = await conn.fetchrow(
        "SELECT number, document_sha256 FROM decrees WHERE transfer_id = $1", t.transfer_id
    )
    if existing:
        return existing["number"], existing["document_sha256"]
    tenant = await conn.fetchrow(
        "SELECT decree_number_format, timezone FROM tenants WHERE slug = $1", t.target_tenant
    )
    now = datetime.now(UTC)
    local = now.astimezone(ZoneInfo(tenant["timezone"]))  # the SK's date where it is signed
    # The counter row's lock makes concurrent decrees wait; a rollback returns the number.
    seq = await conn.fetchval(
        "INSERT INTO decree_counters (tenant, year, last) VALUES ($1, $2, 1)"
        " ON CONFLICT (tenant, year) DO UPDATE SET last = decree_counters.last + 1"
        " RETURNING last",
        t.target_tenant,
        local.year,
    )
    number = format_decree_number(
        tenant["decree_number_format"], seq, local.year, month=local.month
    )
    pdf = render_decree_pdf(await _content(conn, t, number, local.date()))
    digest = decree_sha256(pdf)
    await conn.execute(
        "INSERT INTO decrees (tenant, number, year, seq, transfer_id, issued_at, effective_date,"
        " document_sha256, document) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        t.target_tenant,
        number,
        local.year,
        seq,
        t.transfer_id,
        now,
        date.fromisoformat(t.effective_date),
        digest,
        pdf,
    )
    return number, digest
