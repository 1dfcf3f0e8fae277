"""`mutasi import employees|positions|units FILE --tenant T`: the import from a terminal.

Prints every refused, duplicate and conflicting row with its line and reason, then one
summary line of the counts (or the whole report as JSON with --json). Exits 1 if the file as
a whole cannot be imported (unknown tenant, unreadable file, missing columns, too large).
"""

from __future__ import annotations

import asyncio
import getpass
from pathlib import Path
from typing import Annotated

import typer

from mutasi.errors import MutasiError
from mutasi.imports.report import ImportKind, ImportReport, report_lines
from mutasi.log.store import Actor
from mutasi.logging import configure_logging
from mutasi.settings import Settings, get_settings

app = typer.Typer(
    help="Impor data induk dari berkas CSV (ekspor SIMPEG/SIASN).", no_args_is_help=True
)

FileArg = Annotated[
    Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="berkas CSV")
]
TenantOpt = Annotated[str, typer.Option(help="instansi (slug), mis. kota-sorong")]
JsonOpt = Annotated[bool, typer.Option("--json", help="cetak laporan lengkap sebagai JSON")]


async def _import(settings: Settings, kind: ImportKind, file: Path, tenant: str) -> ImportReport:
    from mutasi.db import create_pool
    from mutasi.imports.runs import ImportRequest, run_import

    pool = await create_pool(settings)
    try:
        actor = Actor(f"cli:{getpass.getuser()}", "operator")
        return await run_import(
            pool, ImportRequest(tenant, kind, file.read_bytes(), actor, file.name)
        )
    finally:
        await pool.close()


def _run(kind: ImportKind, file: Path, tenant: str, as_json: bool) -> None:
    settings = get_settings()
    configure_logging("WARNING", json=settings.log_json)
    size = file.stat().st_size
    if size > settings.import_max_bytes:
        typer.echo(
            f"gagal: berkas terlalu besar ({size:,} byte); batas "
            f"{settings.import_max_bytes:,} byte",
            err=True,
        )
        raise typer.Exit(1)
    try:
        report = asyncio.run(_import(settings, kind, file, tenant))
    except MutasiError as exc:
        typer.echo(f"gagal: {exc.message_id} ({exc.message_en})", err=True)
        raise typer.Exit(1) from exc
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
        return
    for line in report_lines(report):
        typer.echo(line)


@app.command("employees")
def employees(file: FileArg, tenant: TenantOpt, as_json: JsonOpt = False) -> None:
    """Pegawai: NIP, nama, golongan, jabatan, unit kerja, TMT, pendidikan, SKP, …"""
    _run("employees", file, tenant, as_json)


@app.command("positions")
def positions(file: FileArg, tenant: TenantOpt, as_json: JsonOpt = False) -> None:
    """Jabatan: nama, unit kerja, jenis, kelas, syarat pendidikan dan kompetensi, kebutuhan."""
    _run("positions", file, tenant, as_json)


@app.command("units")
def units(file: FileArg, tenant: TenantOpt, as_json: JsonOpt = False) -> None:
    """Unit kerja: kode, nama, unit induk, jabatan kepala."""
    _run("units", file, tenant, as_json)


@app.command("assessments")
def assessments(file: FileArg, tenant: TenantOpt, as_json: JsonOpt = False) -> None:
    """Hasil penilaian kompetensi: NIP, tanggal, lembaga, metode, tingkat tiap kompetensi."""
    _run("assessments", file, tenant, as_json)
