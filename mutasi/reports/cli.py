"""`mutasi report …`: BKPSDM's reports written to a file from a terminal, the same documents
the API serves — the recap of transfers in a period, and a transfer plan as a document."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

import typer

from mutasi.errors import MutasiError
from mutasi.logging import configure_logging
from mutasi.reports.model import Report
from mutasi.reports.pdf import render_pdf
from mutasi.reports.xlsx import render_xlsx
from mutasi.settings import get_settings

app = typer.Typer(help="Laporan BKPSDM (Excel/PDF).", no_args_is_help=True)
TenantOpt = Annotated[str, typer.Option(help="instansi (slug), mis. provinsi-jambi")]
OutOpt = Annotated[Path, typer.Option("--out", help="berkas tujuan: .xlsx atau .pdf")]


def _write(build: Callable[[Any], Awaitable[Report]], out: Path) -> None:
    if out.suffix not in (".xlsx", ".pdf"):
        raise typer.BadParameter("akhiran berkas harus .xlsx atau .pdf", param_hint="--out")
    settings = get_settings()
    configure_logging("WARNING", json=settings.log_json)

    async def work() -> Report:
        from mutasi.db import create_pool

        pool = await create_pool(settings)
        try:
            return await build(pool)
        finally:
            await pool.close()

    try:
        report = asyncio.run(work())
    except MutasiError as exc:
        typer.echo(f"gagal: {exc.message_id} ({exc.message_en})", err=True)
        raise typer.Exit(1) from exc
    out.write_bytes(render_xlsx(report) if out.suffix == ".xlsx" else render_pdf(report))
    typer.echo(f"{report.title}: {out} ({sum(len(t.rows) for t in report.tables)} baris)")


@app.command("transfers")
def transfers(
    tenant: TenantOpt,
    out: OutOpt,
    start: Annotated[str, typer.Option("--from", help="awal periode, YYYY-MM-DD")],
    end: Annotated[str, typer.Option("--to", help="akhir periode, YYYY-MM-DD")],
) -> None:
    """Rekap mutasi: status, unit, jenis, waktu proses per langkah, daftar usulan."""
    from mutasi.reports.recaps import tenant_recap

    first, last = date.fromisoformat(start), date.fromisoformat(end)
    _write(lambda pool: tenant_recap(pool, tenant, first, last), out)


@app.command("plan")
def plan(
    plan_id: Annotated[UUID, typer.Argument(help="id rencana")], tenant: TenantOpt, out: OutOpt
) -> None:
    """Dokumen rencana mutasi: nilai optimal dan greedy, beban kerja, setiap baris."""
    from mutasi.planning import plans
    from mutasi.reports.plan_document import plan_report

    async def build(pool: Any) -> Report:
        found = await plans.read_or_404(pool, tenant, plan_id)
        return plan_report(found, await plans.lines(pool, plan_id, 100_000, 0))

    _write(build, out)
