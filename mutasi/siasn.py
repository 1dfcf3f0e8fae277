"""Approved decrees in a shape ready for BKN's SIASN (I-MUT): `mutasi export siasn`.

One record per decree (SK) the tenant issued, with both governments, units and positions by
code and name, the SK number, its date, TMT, who signed it and the SHA-256 of the document.
The format is documented in docs/siasn.md; field names are Indonesian like SIASN's own.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

import asyncpg
import typer

from mutasi import clock
from mutasi.csv_cells import safe_cell

FORMAT_VERSION = "mutasi-siasn/1"
WIB = "Asia/Jakarta"
KIND_LABELS = {
    "within_government": "Mutasi dalam satu instansi",
    "between_governments_same_province": "Mutasi antar-kabupaten/kota dalam satu provinsi",
    "between_provinces": "Mutasi antarprovinsi",
}


@dataclass(frozen=True)
class SiasnRecord:
    id_usulan: str
    nip: str
    nama: str
    golongan: str | None
    jenis_mutasi_kode: str
    jenis_mutasi: str
    instansi_asal_kode: str
    instansi_asal: str
    instansi_tujuan_kode: str
    instansi_tujuan: str
    unor_asal_kode: str | None
    unor_asal: str | None
    unor_tujuan_kode: str
    unor_tujuan: str | None
    jabatan_asal_kode: str | None
    jabatan_asal: str | None
    jabatan_tujuan_kode: str
    jabatan_tujuan: str | None
    jenis_jabatan_tujuan: str | None
    nomor_sk: str
    tanggal_sk: str  # ISO date, in the issuing tenant's time zone
    tmt: str  # ISO date
    pejabat_penetap: str | None
    status_usulan: str
    dokumen_sk_sha256: str


COLUMNS = tuple(f.name for f in fields(SiasnRecord))

_QUERY = """
SELECT d.number, d.issued_at, d.effective_date, d.document_sha256, t.id, t.employee_nip,
       t.employee_name, t.kind, t.status, t.tenant, t.target_tenant,
       t.origin_unit_code, t.origin_position_code, t.target_unit_code, t.target_position_code,
       ot.name AS origin_tenant_name, tt.name AS target_tenant_name,
       ou.name AS origin_unit, tu.name AS target_unit, op.name AS origin_position,
       tp.name AS target_position, tp.kind AS target_position_kind,
       (SELECT e.data->>'grade' FROM employees e WHERE e.nip = t.employee_nip LIMIT 1) AS grade,
       (SELECT l.payload->>'signed_by' FROM event_log l WHERE l.stream = 'transfer/' || t.id
         AND l.event_type = 'transfer.decree_issued' LIMIT 1) AS signed_by
FROM decrees d
JOIN transfers t ON t.id = d.transfer_id
JOIN tenants ot ON ot.slug = t.tenant
JOIN tenants tt ON tt.slug = t.target_tenant
LEFT JOIN units ou ON ou.tenant = t.tenant AND ou.code = t.origin_unit_code
LEFT JOIN units tu ON tu.tenant = t.target_tenant AND tu.code = t.target_unit_code
LEFT JOIN positions op ON op.tenant = t.tenant AND op.code = t.origin_position_code
LEFT JOIN positions tp ON tp.tenant = t.target_tenant AND tp.code = t.target_position_code
WHERE d.tenant = $1 AND d.issued_at >= $2
ORDER BY d.year, d.seq
"""


def _record(row: asyncpg.Record, zone: ZoneInfo) -> SiasnRecord:
    return SiasnRecord(
        id_usulan=str(row["id"]),
        nip=row["employee_nip"],
        nama=row["employee_name"],
        golongan=row["grade"],
        jenis_mutasi_kode=row["kind"],
        jenis_mutasi=KIND_LABELS.get(row["kind"], row["kind"]),
        instansi_asal_kode=row["tenant"],
        instansi_asal=row["origin_tenant_name"],
        instansi_tujuan_kode=row["target_tenant"],
        instansi_tujuan=row["target_tenant_name"],
        unor_asal_kode=row["origin_unit_code"],
        unor_asal=row["origin_unit"],
        unor_tujuan_kode=row["target_unit_code"],
        unor_tujuan=row["target_unit"],
        jabatan_asal_kode=row["origin_position_code"],
        jabatan_asal=row["origin_position"],
        jabatan_tujuan_kode=row["target_position_code"],
        jabatan_tujuan=row["target_position"],
        jenis_jabatan_tujuan=row["target_position_kind"],
        nomor_sk=row["number"],
        tanggal_sk=row["issued_at"].astimezone(zone).date().isoformat(),
        tmt=row["effective_date"].isoformat(),
        pejabat_penetap=row["signed_by"],
        status_usulan=row["status"],
        dokumen_sk_sha256=row["document_sha256"],
    )


async def approved_decrees(
    conn: asyncpg.Pool | asyncpg.Connection, tenant: str, since: date | None = None
) -> list[SiasnRecord]:
    """Decrees `tenant` issued on or after `since`, in the order of their number; dates are
    the tenant's own (Sorong's SK of 00:30 WIT on the 1st is dated the 1st)."""
    zone = ZoneInfo(
        await conn.fetchval("SELECT timezone FROM tenants WHERE slug = $1", tenant) or WIB
    )
    start = datetime.combine(since, time(), zone) if since else datetime(1970, 1, 1, tzinfo=UTC)
    return [_record(row, zone) for row in await conn.fetch(_QUERY, tenant, start)]


def to_json(tenant: str, since: date | None, records: list[SiasnRecord]) -> str:
    document = {
        "format": FORMAT_VERSION,
        "tenant": tenant,
        "since": since.isoformat() if since else None,
        "generated_at": clock.now().isoformat(timespec="seconds"),
        "count": len(records),
        "records": [asdict(r) for r in records],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def to_csv(records: list[SiasnRecord]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for record in records:
        writer.writerow({k: safe_cell("" if v is None else v) for k, v in asdict(record).items()})
    return out.getvalue()


export_app = typer.Typer(help="Ekspor data ke sistem nasional / exports for national systems.")


@export_app.command("siasn")
def export_siasn(
    tenant: Annotated[str, typer.Option(help="instansi penerbit SK, mis. kota-sorong")],
    since: Annotated[str | None, typer.Option(help="SK sejak tanggal (YYYY-MM-DD)")] = None,
    fmt: Annotated[str, typer.Option("--format", help="json atau csv")] = "json",
    output: Annotated[Path | None, typer.Option(help="berkas tujuan; bawaan: stdout")] = None,
) -> None:
    """Write the tenant's approved decrees in the SIASN-ready shape (docs/siasn.md)."""
    import asyncio

    from mutasi.db import create_pool
    from mutasi.settings import get_settings

    if fmt not in ("json", "csv"):
        raise typer.BadParameter("format harus json atau csv / must be json or csv")
    start = date.fromisoformat(since) if since else None

    async def fetch() -> list[SiasnRecord]:
        pool = await create_pool(get_settings(), max_size=2)
        try:
            return await approved_decrees(pool, tenant, start)
        finally:
            await pool.close()

    records = asyncio.run(fetch())
    text = to_json(tenant, start, records) if fmt == "json" else to_csv(records)
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"{len(records)} SK ditulis ke {output}", err=True)
