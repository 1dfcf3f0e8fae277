"""The `mutasi` command: run the system, migrate, seed, tokens, demo, audit, imports."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Annotated

import typer

from mutasi.audit.cli import audit_app
from mutasi.imports.cli import app as import_app
from mutasi.logging import configure_logging
from mutasi.messaging.subscribers import subscriber_app
from mutasi.planning.cli import app as plan_app
from mutasi.reports.cli import app as report_app
from mutasi.settings import get_settings
from mutasi.siasn import export_app
from mutasi.tenants.cli import app as tenant_app

app = typer.Typer(
    help="Mutasi — mutasi ASN yang tertib, tertelusur, dan tepat waktu.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
projections_app = typer.Typer(help="Read models (projections of the log).")
app.add_typer(projections_app, name="projections")
app.add_typer(import_app, name="import")
app.add_typer(audit_app, name="audit")
app.add_typer(subscriber_app, name="subscriber")
app.add_typer(export_app, name="export")
app.add_typer(tenant_app, name="tenant")
app.add_typer(plan_app, name="plan")
app.add_typer(report_app, name="report")


def _setup() -> None:
    settings = get_settings()
    configure_logging(settings.log_level, json=settings.log_json)


@app.command()
def run() -> None:
    """Start the whole system on embedded servers (what `make run` calls)."""
    from mutasi.auth.production import refuse_unsafe
    from mutasi.launcher import launch

    refuse_unsafe(get_settings(), "run")

    configure_logging("WARNING", json=False)
    sys.exit(launch(get_settings()))


@app.command()
def doctor(
    before_run: Annotated[
        bool, typer.Option("--before-run", help="Only what is wrong; no browser check.")
    ] = False,
) -> None:
    """Check Python, the venv, disk, data directory, ports, servers, Chromium; say how to fix."""
    from mutasi.doctor.__main__ import main as check

    sys.exit(check(["--before-run"] if before_run else []))


@app.command()
def migrate() -> None:
    """Apply pending database migrations."""
    from mutasi.auth.production import refuse_unsafe
    from mutasi.db import migrate as apply

    refuse_unsafe(get_settings(), "migrate")

    _setup()
    applied = asyncio.run(apply(get_settings()))
    typer.echo(f"migrations applied: {', '.join(applied) or 'none pending'}")


@app.command()
def seed(employees_per_tenant: int = 600) -> None:
    """Seed the five demo governments (idempotent)."""
    from mutasi.seed.load import seed_all

    _setup()
    summary = asyncio.run(seed_all(get_settings(), employees_per_tenant))
    typer.echo(summary)


@app.command()
def token(
    tenant: Annotated[str, typer.Option(help="tenant slug, e.g. kota-sorong")],
    role: Annotated[list[str], typer.Option(help="role (repeatable)")],
    sub: Annotated[str | None, typer.Option(help="subject id")] = None,
    unit: Annotated[str | None, typer.Option(help="unit code (unit-bound roles)")] = None,
    nip: Annotated[str | None, typer.Option(help="NIP (employee)")] = None,
    ttl: Annotated[int, typer.Option(help="lifetime in seconds")] = 8 * 3600,
) -> None:
    """Print a development bearer token signed by the local issuer."""
    from mutasi.auth.production import refuse_unsafe
    from mutasi.auth.tokens import issue_token

    refuse_unsafe(get_settings(), "token")

    subject = sub or f"{role[0]}@{tenant}"
    typer.echo(
        issue_token(
            get_settings(), sub=subject, tenant=tenant, roles=role, unit=unit, nip=nip, ttl_s=ttl
        )
    )


@app.command()
def demo() -> None:
    """Walk one transfer through the whole lifecycle over the public HTTP APIs."""
    from mutasi.demo import run_demo

    sys.exit(asyncio.run(run_demo(get_settings(), echo=typer.echo)))


@app.command()
def component(name: str) -> None:
    """Run one component: proposal, approval, notification, worker, relay or smtp."""
    from mutasi.auth.production import refuse_unsafe
    from mutasi.components import run_component

    refuse_unsafe(get_settings(), name)

    _setup()
    run_component(get_settings(), name)


@app.command()
def asyncapi(
    check: bool = typer.Option(False, "--check", help="Only compare; exit 1 if stale"),
) -> None:
    """Generate docs/asyncapi.yaml from the event payload models (development install)."""
    from mutasi.messaging.asyncapi import DOC_PATH, render, write

    if check:
        stale = DOC_PATH.read_text(encoding="utf-8") != render()
        typer.echo(
            f"{DOC_PATH} {'perlu dibuat ulang / is stale' if stale else 'sesuai / is current'}"
        )
        sys.exit(1 if stale else 0)
    typer.echo(f"{DOC_PATH} {'diperbarui / written' if write() else 'tidak berubah / unchanged'}")


@app.command()
def backup(
    to: Annotated[Path, typer.Option(help="directory; each backup is a new folder in it")],
) -> None:
    """Back up Temporal's store, then Mutasi's database (the log, read models, everything)."""
    from mutasi.backup import backup as run_backup

    _setup()
    target = asyncio.run(run_backup(get_settings(), to))
    typer.echo(f"cadangan / backup: {target}")


@app.command()
def restore(
    source: Annotated[Path, typer.Option("--from", help="a backup folder `mutasi backup` wrote")],
) -> None:
    """Restore a backup into empty servers (stop Temporal and every component first), verify
    every chain against the heads it had, rebuild the read models. Exit 1 if a chain fails."""
    from mutasi.backup import BackupError
    from mutasi.backup import restore as run_restore

    _setup()
    try:
        report = asyncio.run(run_restore(get_settings(), source))
    except BackupError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(
        f"dipulihkan / restored: {report.tenants} rantai, {report.entries_rebuilt} entri"
        f" dibangun ulang; rusak / broken: {', '.join(report.broken) or '-'}"
    )
    raise typer.Exit(0 if report.ok else 1)


@projections_app.command("rebuild")
def projections_rebuild() -> None:
    """Rebuild every read model from the log."""
    from mutasi.db import create_pool
    from mutasi.log.projections import rebuild

    async def go() -> int:
        pool = await create_pool(get_settings())
        try:
            return await rebuild(pool)
        finally:
            await pool.close()

    _setup()
    typer.echo(f"read models rebuilt from {asyncio.run(go())} log entries")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
