"""`mutasi plan …`: BKPSDM's planning from a terminal — candidates for a post, and transfer
plans drafted, shown, optimised, approved or cancelled; the files of an approved line's
proposal uploaded (R10). It acts as `cli:<user>` with the
hr_officer role in the government named by --tenant; output is Indonesian, --json gives data.
"""

from __future__ import annotations

import asyncio
import getpass
import json
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any
from uuid import UUID

import typer

from mutasi.attachments import NewAttachment, add_attachment, storage_for
from mutasi.auth import caller_proof
from mutasi.auth.transport import temporal_options
from mutasi.errors import MutasiError, NotFound
from mutasi.lifecycle import Caller
from mutasi.log.store import Actor
from mutasi.logging import configure_logging
from mutasi.planning import plans
from mutasi.planning.cli_text import candidate_lines, plan_lines
from mutasi.planning.contract import PlanApproveInput, PlanStepInput
from mutasi.planning.spec import PlanSpec
from mutasi.settings import Settings, get_settings

app = typer.Typer(help="Penempatan objektif: kandidat dan rencana mutasi.", no_args_is_help=True)
TenantOpt = Annotated[str, typer.Option(help="instansi (slug), mis. provinsi-jambi")]
JsonOpt = Annotated[bool, typer.Option("--json", help="cetak data sebagai JSON")]
PlanArg = Annotated[UUID, typer.Argument(help="id rencana")]


def _caller(tenant: str) -> Caller:
    """The operator as BKPSDM, sealed like a service seals a verified caller: this host holds
    the caller-proof secret (mutasi.auth.caller_proof), so the plan's Updates accept it."""
    caller_proof.install(caller_proof.secret(get_settings()))
    return caller_proof.seal(
        Caller(f"cli:{getpass.getuser()}", tenant, ["hr_officer"]), time.time()
    )


def _run(work: Callable[[Settings], Awaitable[Any]]) -> Any:
    settings = get_settings()
    configure_logging("WARNING", json=settings.log_json)
    try:
        return asyncio.run(work(settings))
    except MutasiError as exc:
        typer.echo(f"gagal: {exc.message_id} ({exc.message_en})", err=True)
        raise typer.Exit(1) from exc


async def _with(settings: Settings, work: Callable[..., Awaitable[Any]], temporal: bool) -> Any:
    from temporalio.client import Client

    from mutasi.db import create_pool

    pool = await create_pool(settings)
    try:
        if not temporal:
            return await work(pool)
        client = await Client.connect(
            settings.temporal_address,
            namespace=settings.temporal_namespace,
            **temporal_options(settings),
        )
        return await work(pool, client)
    finally:
        await pool.close()


def _echo(data: Any, as_json: bool, lines: Callable[[Any], list[str]]) -> None:
    if as_json:
        typer.echo(json.dumps(data, indent=2, default=str, ensure_ascii=False))
        return
    for line in lines(data):
        typer.echo(line)


@app.command("candidates")
def candidates(
    position: Annotated[str, typer.Argument(help="kode jabatan")],
    tenant: TenantOpt,
    limit: int = 10,
    as_json: JsonOpt = False,
) -> None:
    """Kandidat untuk satu jabatan, diurutkan, setiap skor dijelaskan per kriteria."""
    from mutasi.planning.candidates import candidates as rank

    async def work(settings: Settings) -> Any:
        async def go(pool: Any) -> Any:
            return await rank(pool, tenant, position, 0, limit)

        return await _with(settings, go, temporal=False)

    _echo(_run(work), as_json, candidate_lines)


async def _wait_optimised(pool: Any, tenant: str, plan_id: UUID) -> dict[str, Any]:
    for _ in range(1200):
        found = await plans.read_or_404(pool, tenant, plan_id)
        if found["status"] != "draft" or (found["objective"] or {}).get("problem"):
            return found
        await asyncio.sleep(0.1)
    return found


@app.command("draft")
def draft(
    tenant: TenantOpt,
    title: Annotated[str, typer.Option(help="judul rencana")],
    start: Annotated[str, typer.Option(help="awal periode = TMT, YYYY-MM-DD")],
    unit: Annotated[list[str] | None, typer.Option(help="unit kerja dalam rencana (ulang)")] = None,
    max_moves: Annotated[int | None, typer.Option(help="paling banyak sekian mutasi")] = None,
    max_out: Annotated[int | None, typer.Option(help="paling banyak keluar per unit")] = None,
    min_staffing: Annotated[float | None, typer.Option(help="rasio isi minimal ABK")] = None,
    spec_file: Annotated[Path | None, typer.Option("--spec", help="isian lengkap (JSON)")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Susun rencana mutasi dan tunggu hasil optimasinya."""
    if spec_file is not None:
        body = json.loads(spec_file.read_text())
    else:
        rules = {"max_moves": max_moves, "max_moves_out_per_unit": max_out,
                 "min_staffing_ratio": min_staffing}  # fmt: skip
        body = {"title": title, "scope": {"units": unit or [], "period_start": start},
                "rules": {k: v for k, v in rules.items() if v is not None}}  # fmt: skip
    spec = PlanSpec.model_validate(body)

    async def work(settings: Settings) -> Any:
        async def go(pool: Any, client: Any) -> Any:
            row = await plans.draft(pool, client, settings.task_queue, _caller(tenant), spec, None)
            return await _wait_optimised(pool, tenant, row["id"])

        return await _with(settings, go, temporal=True)

    _echo(_run(work), as_json, plan_lines)


@app.command("list")
def listing(tenant: TenantOpt, as_json: JsonOpt = False) -> None:
    """Rencana mutasi instansi, terbaru lebih dulu."""

    async def work(settings: Settings) -> Any:
        async def go(pool: Any) -> Any:
            return await plans.listing(pool, tenant, 50, 0)

        return await _with(settings, go, temporal=False)

    found = _run(work)
    _echo(found, as_json, lambda rows: [f"{r['id']}  {r['status']:<12} {r['title']}" for r in rows])


@app.command("show")
def show(plan_id: PlanArg, tenant: TenantOpt, as_json: JsonOpt = False) -> None:
    """Rencana, nilainya per komponen di samping cara greedy, dan baris-barisnya."""

    async def work(settings: Settings) -> Any:
        async def go(pool: Any) -> Any:
            found = await plans.read_or_404(pool, tenant, plan_id)
            return found | {"lines": await plans.lines(pool, plan_id, 200, 0)}

        return await _with(settings, go, temporal=False)

    _echo(_run(work), as_json, plan_lines)


def _step(
    plan_id: UUID,
    tenant: str,
    update: str,
    arg: Any,
    as_json: bool,
    check: Callable[[Any], Awaitable[None]] | None = None,
) -> None:
    async def work(settings: Settings) -> Any:
        async def go(pool: Any, client: Any) -> Any:
            if check is not None:
                await check(pool)
            await plans.step(client, plan_id, update, arg, None)
            found = await plans.read_or_404(pool, tenant, plan_id)
            return found | {"lines": await plans.lines(pool, plan_id, 200, 0)}

        return await _with(settings, go, temporal=True)

    _echo(_run(work), as_json, plan_lines)


@app.command("optimise")
def optimise(plan_id: PlanArg, tenant: TenantOpt, as_json: JsonOpt = False) -> None:
    """Optimalkan ulang dengan data terkini."""
    _step(plan_id, tenant, "plan_optimise", PlanStepInput(_caller(tenant)), as_json)


@app.command("approve")
def approve(
    plan_id: PlanArg,
    tenant: TenantOpt,
    effective_date: Annotated[str | None, typer.Option(help="TMT, YYYY-MM-DD")] = None,
    meeting: Annotated[str | None, typer.Option(help="id rapat Tim Penilai Kinerja")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Setujui rencana: setiap baris menjadi usulan mutasi."""
    tmt = date.fromisoformat(effective_date) if effective_date else None
    arg = PlanApproveInput(_caller(tenant), effective_date, meeting, None)

    async def check(pool: Any) -> None:  # the TMT's bounds, as the service checks them
        plan = await plans.read_or_404(pool, tenant, plan_id)
        await plans.check_tmt(pool, tenant, plan, tmt)

    _step(plan_id, tenant, "plan_approve", arg, as_json, check)


@app.command("cancel")
def cancel(
    plan_id: PlanArg,
    tenant: TenantOpt,
    reason: Annotated[str, typer.Option(help="alasan")],
    as_json: JsonOpt = False,
) -> None:
    """Batalkan rencana yang belum disetujui."""
    _step(plan_id, tenant, "plan_cancel", PlanStepInput(_caller(tenant), reason), as_json)


@app.command("attach")
def attach(
    plan_id: PlanArg,
    line: Annotated[int, typer.Argument(help="nomor baris rencana")],
    document: Annotated[str, typer.Argument(help="kode dokumen, mis. skp_two_years")],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="berkas PDF/JPEG/PNG")],
    tenant: TenantOpt,
) -> None:
    """Unggah berkas persyaratan (R10) usulan dari satu baris rencana: rencana memverifikasi
    usulan itu setelah berkas semua dokumennya terunggah."""

    async def work(settings: Settings) -> Any:
        async def go(pool: Any) -> Any:
            transfer = await pool.fetchrow(
                "SELECT t.* FROM plan_lines l JOIN plans p ON p.id = l.plan_id"
                " JOIN transfers t ON t.id = l.transfer_id"
                " WHERE l.plan_id = $1 AND l.line = $2 AND p.tenant = $3",
                plan_id, line, tenant,
            )  # fmt: skip
            if transfer is None:
                raise NotFound("Baris rencana ini belum menjadi usulan",
                               "This plan line is not a proposal (yet)")  # fmt: skip
            actor = Actor(_caller(tenant).sub, "hr_officer")
            new = NewAttachment(transfer, document, file.name, file.read_bytes(), actor)
            return await add_attachment(pool, storage_for(settings), new)

        return await _with(settings, go, temporal=False)

    stored = _run(work)
    typer.echo(f"Berkas {stored['document_code']} diunggah: {stored['filename']}"
               f" ({stored['size_bytes']} bita, sha256 {stored['sha256'][:12]}…)")  # fmt: skip
