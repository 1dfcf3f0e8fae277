"""Who issues a transfer's decree and what it rests on: the authority, its numbering
register, the signatory, the governments, the meeting, the consent and the pertek.

PP 11/2017 Pasal 191–193: within a government its PPK (wali kota, bupati, gubernur);
between governments of one province the governor; between provinces the Minister of Home
Affairs. Each authority numbers its decrees in its own register: a minister's decree never
takes a number from the receiving BKPSDM's sequence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import asyncpg

from mutasi.documents.decree_content import DecreeAuthority
from mutasi.documents.decree_number import DEFAULT_DECREE_NUMBER_FORMAT
from mutasi.domain.events import TransferEvent
from mutasi.domain.id_dates import indonesian_date
from mutasi.domain.tenant_config import Official, TenantConfiguration
from mutasi.lifecycle import TransferInput
from mutasi.tenants.config import load_tenant_config

_AUTHORITY = {
    "kota": DecreeAuthority.MAYOR,
    "kabupaten": DecreeAuthority.REGENT,
    "provinsi": DecreeAuthority.GOVERNOR,
}
# The Minister's register and signature (Kementerian Dalam Negeri, Jakarta, WIB).
MINISTRY_REGISTER = "kemendagri"
MINISTRY_NUMBER_FORMAT = "800.1.3.3-{seq:04d} Tahun {year}"
MINISTER = Official(name="Menteri Dalam Negeri", title="Menteri Dalam Negeri Republik Indonesia")


@dataclass(frozen=True)
class Issuer:
    authority: DecreeAuthority
    register: str  # whose sequence numbers the decree (a tenant slug, or the ministry)
    number_format: str
    region: str  # "Sorong", "Jambi"; "-" for the Minister
    province: str | None
    place: str  # where it is signed
    zone: str  # the signing office's time zone: the decree's date is its date there
    signer: Official


def decree_authority(kind: str, issuing_tenant_kind: str) -> DecreeAuthority:
    if kind == "between_provinces":
        return DecreeAuthority.HOME_AFFAIRS_MINISTER
    if kind == "between_governments_same_province":
        return DecreeAuthority.GOVERNOR
    return _AUTHORITY[issuing_tenant_kind]


def _region(config: TenantConfiguration) -> str:
    # "Kota Sorong" -> "Sorong": the office already says Wali Kota / Bupati / Gubernur.
    return config.name.split(" ", 1)[1] if " " in config.name else config.name


def _as_issuer(authority: DecreeAuthority, config: TenantConfiguration) -> Issuer:
    return Issuer(
        authority,
        config.slug,
        config.decree_number_format,
        _region(config),
        config.province,
        config.capital,
        config.iana_time_zone,
        config.ppk,
    )


async def issuer_of(conn: asyncpg.Connection, t: TransferInput) -> Issuer:
    receiving = await load_tenant_config(conn, t.target_tenant)
    assert receiving is not None, "the receiving government proposed the transfer"
    authority = decree_authority(t.kind, receiving.kind.value)
    if authority is DecreeAuthority.HOME_AFFAIRS_MINISTER:
        return Issuer(
            authority, MINISTRY_REGISTER, MINISTRY_NUMBER_FORMAT, "-", None, "Jakarta",
            "Asia/Jakarta", MINISTER,
        )  # fmt: skip
    if authority is DecreeAuthority.GOVERNOR and receiving.kind.value != "provinsi":
        slug = await conn.fetchval(
            "SELECT slug FROM tenants WHERE kind = 'provinsi' AND province = $1",
            receiving.province,
        )
        province = await load_tenant_config(conn, slug) if slug else None
        if province is not None:
            return _as_issuer(authority, province)
        governor = Official(
            name=f"Gubernur {receiving.province}", title=f"Gubernur {receiving.province}"
        )
        return Issuer(
            authority, f"gubernur-{receiving.province.lower().replace(' ', '-')}",
            DEFAULT_DECREE_NUMBER_FORMAT, receiving.province, receiving.province,
            receiving.capital, receiving.iana_time_zone, governor,
        )  # fmt: skip
    return _as_issuer(authority, receiving)


async def government_name(conn: asyncpg.Connection, slug: str) -> str:
    name = await conn.fetchval("SELECT name FROM tenants WHERE slug = $1", slug)
    return f"Pemerintah {name}" if name else slug


async def noted(conn: asyncpg.Connection, t: TransferInput) -> tuple[str, ...]:
    """Memperhatikan: the meeting's minutes, the origin's consent and BKN's pertek, as the
    transfer's own log recorded them."""
    rows = await conn.fetch(
        "SELECT event_type, payload FROM event_log WHERE stream = $1 AND event_type = ANY($2)"
        " ORDER BY version",
        f"transfer/{t.transfer_id}",
        [TransferEvent.RECOMMENDED, TransferEvent.CONSENT_GIVEN, TransferEvent.PERTEK_GIVEN],
    )
    facts: dict[str, dict[str, Any]] = {r["event_type"]: r["payload"] for r in rows}
    items = []
    meeting_id = facts.get(TransferEvent.RECOMMENDED, {}).get("meeting_id")
    if meeting_id:
        items.append(await _minutes(conn, meeting_id))
    consent = facts.get(TransferEvent.CONSENT_GIVEN)
    if consent is not None:
        origin = await load_tenant_config(conn, t.tenant)
        who = origin.ppk.title if origin else "PPK instansi asal"
        items.append(f"Surat Persetujuan {who} Nomor {consent.get('reference') or '-'}")
    pertek = facts.get(TransferEvent.PERTEK_GIVEN)
    if pertek is not None:
        items.append(
            "Pertimbangan Teknis Kepala Badan Kepegawaian Negara Nomor "
            f"{pertek.get('reference') or '-'}"
        )
    return tuple(items)


async def _minutes(conn: asyncpg.Connection, meeting_id: str) -> str:
    row = await conn.fetchrow(
        "SELECT payload FROM event_log WHERE stream = $1 ORDER BY version LIMIT 1",
        f"meeting/{meeting_id}",
    )
    if row is None:
        return "Berita Acara Rapat Tim Penilai Kinerja"
    held = date.fromisoformat(row["payload"]["scheduled_on"])
    return (
        f"Berita Acara Rapat Tim Penilai Kinerja ({row['payload']['title']}) "
        f"tanggal {indonesian_date(held)}"
    )
