"""Issuing the decree (SK), or annulling it with a cancelling decree: each takes a gapless
number from its issuing authority's register (decree_issuer.py) for the year it is signed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

import asyncpg

from mutasi import clock
from mutasi.documents.decree_content import DecreeContent
from mutasi.documents.decree_number import format_decree_number
from mutasi.documents.decree_pdf import decree_sha256, render_decree_pdf
from mutasi.lifecycle import TransferInput
from workflows.transfer.decree_issuer import Issuer, government_name, issuer_of, noted


@dataclass(frozen=True)
class Issued:
    number: str
    sha256: str
    signed_by: str  # the signatory's office, e.g. "Wali Kota Sorong"
    register: str


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


async def _content(
    conn: asyncpg.Connection, t: TransferInput, issuer: Issuer, number: str, signed_on: date
) -> DecreeContent:
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
    return DecreeContent(
        decree_number=number,
        authority=issuer.authority,
        region_name=issuer.region,
        employee_name=t.employee_name,
        nip=t.employee_nip,
        grade=(employee["data"].get("grade") if employee else None) or "-",
        origin_position=origin_position,
        origin_unit=origin_unit,
        target_position=target_position,
        target_unit=target_unit,
        effective_date=date.fromisoformat(t.effective_date),
        signing_place=issuer.place,
        signing_date=signed_on,
        signer_name=issuer.signer.name,
        signer_nip=issuer.signer.nip,
        reasons=(t.reasons,),
        province_name=issuer.province,
        origin_government=await government_name(conn, t.tenant),
        target_government=await government_name(conn, t.target_tenant),
        noted=await noted(conn, t),
        incentives=tuple(t.incentives),
    )


async def _next_number(conn: asyncpg.Connection, issuer: Issuer, year: int) -> int:
    # The counter row's lock makes concurrent decrees wait; a rollback returns the number.
    seq: int = await conn.fetchval(
        "INSERT INTO decree_counters (register, year, last) VALUES ($1, $2, 1)"
        " ON CONFLICT (register, year) DO UPDATE SET last = decree_counters.last + 1"
        " RETURNING last",
        issuer.register,
        year,
    )
    return seq


async def issue_decree(conn: asyncpg.Connection, t: TransferInput) -> Issued:
    """Number, write and store the decree; a transfer that has one gets the same one back."""
    issuer = await issuer_of(conn, t)
    existing = await conn.fetchrow(
        "SELECT number, document_sha256, register FROM decrees WHERE transfer_id = $1",
        t.transfer_id,
    )
    if existing:
        return Issued(
            existing["number"], existing["document_sha256"], issuer.signer.title,
            existing["register"],
        )  # fmt: skip
    now = clock.now()
    signed_on = now.astimezone(ZoneInfo(issuer.zone)).date()  # its date where signed
    seq = await _next_number(conn, issuer, signed_on.year)
    number = format_decree_number(issuer.number_format, seq, signed_on.year, month=signed_on.month)
    pdf = render_decree_pdf(await _content(conn, t, issuer, number, signed_on))
    digest = decree_sha256(pdf)
    await conn.execute(
        "INSERT INTO decrees (tenant, register, number, year, seq, transfer_id, issued_at,"
        " effective_date, document_sha256, document)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        t.target_tenant,
        issuer.register,
        number,
        signed_on.year,
        seq,
        t.transfer_id,
        now,
        date.fromisoformat(t.effective_date),
        digest,
        pdf,
    )
    return Issued(number, digest, issuer.signer.title, issuer.register)


async def cancel_decree(conn: asyncpg.Connection, t: TransferInput, reason: str) -> tuple[str, str]:
    """Annul the transfer's decree by a cancelling decree from the same authority's register.
    Returns (annulled number, cancelling number); a retry gets the same pair back."""
    row = await conn.fetchrow(
        "SELECT number, register, cancelled_by FROM decrees WHERE transfer_id = $1 FOR UPDATE",
        t.transfer_id,
    )
    if row["cancelled_by"]:
        return row["number"], row["cancelled_by"]
    issuer = await issuer_of(conn, t)
    now = clock.now()
    signed_on = now.astimezone(ZoneInfo(issuer.zone)).date()
    seq = await _next_number(conn, issuer, signed_on.year)
    number = format_decree_number(issuer.number_format, seq, signed_on.year, month=signed_on.month)
    await conn.execute(
        "UPDATE decrees SET cancelled_by = $2, cancelled_seq = $3, cancelled_year = $4,"
        " cancelled_at = $5, cancel_reason = $6 WHERE transfer_id = $1",
        t.transfer_id,
        number,
        seq,
        signed_on.year,
        now,
        reason,
    )
    return row["number"], number
