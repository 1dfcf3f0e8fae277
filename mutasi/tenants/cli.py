"""`mutasi tenant …`: a national administrator adds and configures governments from a shell.

The same path as the API (mutasi.tenants.onboarding): each command records one event in the
government's own log, as the acting administrator (`--by`, default the shell's user).
"""

from __future__ import annotations

import asyncio
import getpass
import json
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar

import asyncpg
import typer
from pydantic import ValidationError

from mutasi.db import create_pool
from mutasi.domain.tenant_config import TenantConfiguration, TimeZone
from mutasi.errors import MutasiError
from mutasi.log.store import Actor
from mutasi.settings import get_settings
from mutasi.tenants.config import list_tenant_configs, load_tenant_config
from mutasi.tenants.onboarding import configure_tenant, register_tenant

app = typer.Typer(help="Pemerintah daerah / governments on this deployment.", no_args_is_help=True)
T = TypeVar("T")
By = Annotated[str | None, typer.Option(help="who acts (recorded); default: the shell user")]
Reason = Annotated[str | None, typer.Option(help="why (recorded with the event)")]


def _run(work: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
    async def go() -> T:
        pool = await create_pool(get_settings(), max_size=2)
        try:
            async with pool.acquire() as conn:
                return await work(conn)
        finally:
            await pool.close()

    try:
        return asyncio.run(go())
    except MutasiError as exc:
        typer.echo(f"{exc.message_id} / {exc.message_en}", err=True)
        raise typer.Exit(1) from exc
    except ValidationError as exc:
        typer.echo(f"Konfigurasi tidak valid / invalid configuration:\n{exc}", err=True)
        raise typer.Exit(1) from exc


def _actor(by: str | None) -> Actor:
    return Actor(by or f"cli:{getpass.getuser()}", "national_admin")


def _print(config: TenantConfiguration) -> None:
    typer.echo(json.dumps(config.model_dump(mode="json"), indent=2, ensure_ascii=False))


@app.command("add")
def add(
    slug: Annotated[str, typer.Option(help="e.g. kota-makassar")],
    name: Annotated[str, typer.Option(help="e.g. Kota Makassar")],
    kind: Annotated[str, typer.Option(help="kota, kabupaten or provinsi")],
    province: Annotated[str, typer.Option()],
    capital: Annotated[str, typer.Option(help="seat of the offices")],
    time_zone: Annotated[TimeZone, typer.Option(help="WIB, WITA or WIT")],
    ppk_name: Annotated[str, typer.Option(help="the approving official (PPK)")],
    ppk_title: Annotated[str, typer.Option(help="e.g. Wali Kota Makassar")],
    bkpsdm_name: Annotated[str, typer.Option(help="head of BKPSDM")],
    bkpsdm_title: Annotated[str, typer.Option()] = "Kepala BKPSDM",
    bkpsdm_nip: Annotated[str | None, typer.Option()] = None,
    ppk_nip: Annotated[str | None, typer.Option()] = None,
    decree_number_format: Annotated[
        str, typer.Option(help="fields {seq} {year} {month} {month_roman}")
    ] = "800.1.3.3/{seq:04d}/BKPSDM/{year}",
    holiday: Annotated[list[str] | None, typer.Option(help="extra day off YYYY-MM-DD")] = None,
    incentive_policy: Annotated[
        str | None, typer.Option(help='JSON, e.g. {"transport_min_km": 60, …}')
    ] = None,
    public_page: Annotated[bool, typer.Option(help="show the public page")] = True,
    from_file: Annotated[
        Path | None, typer.Option(help="JSON of further settings (overridden by options)")
    ] = None,
    by: By = None,
    reason: Reason = None,
) -> None:
    """Add a government: one `tenant.registered` event, no code change."""
    settings: dict[str, Any] = json.loads(from_file.read_text()) if from_file else {}
    settings |= {
        "slug": slug, "name": name, "kind": kind, "province": province, "capital": capital,
        "time_zone": time_zone, "decree_number_format": decree_number_format,
        "ppk": {"name": ppk_name, "title": ppk_title, "nip": ppk_nip},
        "bkpsdm_head": {"name": bkpsdm_name, "title": bkpsdm_title, "nip": bkpsdm_nip},
        "extra_holidays": [date.fromisoformat(d) for d in holiday or []],
        "public_page": public_page,
    }  # fmt: skip
    if incentive_policy:
        settings["incentive_policy"] = json.loads(incentive_policy)
    try:
        config = TenantConfiguration.model_validate(settings)
    except ValidationError as exc:
        typer.echo(f"Konfigurasi tidak valid / invalid configuration:\n{exc}", err=True)
        raise typer.Exit(1) from exc
    _print(_run(lambda conn: register_tenant(conn, config, _actor(by), reason)))
    typer.echo(f"terdaftar / registered: {config.slug}")


@app.command("set")
def set_(
    slug: str,
    setting: Annotated[list[str], typer.Argument(help="NAME=JSON, e.g. public_page=false")],
    by: By = None,
    reason: Reason = None,
) -> None:
    """Change settings of a government: one `tenant.configured` event naming what changed."""
    changes = {}
    for item in setting:
        key, _, raw = item.partition("=")
        try:
            changes[key] = json.loads(raw)
        except json.JSONDecodeError:
            changes[key] = raw  # a plain string needs no quotes on the command line
    config, changed = _run(lambda conn: configure_tenant(conn, slug, changes, _actor(by), reason))
    _print(config)
    typer.echo(f"diubah / changed: {', '.join(changed) or '-'}")


@app.command("show")
def show(slug: str) -> None:
    """Print a government's configuration as JSON."""
    config = _run(lambda conn: load_tenant_config(conn, slug))
    if config is None:
        typer.echo(f"tidak ditemukan / not found: {slug}", err=True)
        raise typer.Exit(1)
    _print(config)


@app.command("list")
def list_() -> None:
    """One line per government: slug, time zone, name."""
    for config in _run(list_tenant_configs):
        typer.echo(f"{config.slug}\t{config.time_zone}\t{config.name}")
