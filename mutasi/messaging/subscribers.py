"""`mutasi subscriber add`: a subscribing system's own NATS user, reading only its grant.

A government's SIMPEG gets `mutasi.<tenant>.>`; an auditor's witness only that government's
checkpoints; a national system (SIASN at BKN) every government's events, if asked for
explicitly. Each reads through one consumer named after it (mutasi.messaging.nats_access).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

subscriber_app = typer.Typer(
    help="Sistem pelanggan NATS: kredensial sendiri per sistem.", no_args_is_help=True
)


@subscriber_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="the system's user name, e.g. simpeg-sorong")],
    tenant: Annotated[str | None, typer.Option(help="the government it may read")] = None,
    all_governments: Annotated[
        bool, typer.Option(help="read every government (a national system)")
    ] = False,
    checkpoints_only: Annotated[
        bool, typer.Option(help="only the signed checkpoints (an auditor's witness)")
    ] = False,
    accounts_conf: Annotated[
        Path | None,
        typer.Option(help="deployment: write the NATS accounts file with every subscriber here"),
    ] = None,
) -> None:
    """Add a subscribing system: its user, password, consumer and filter are printed once."""
    from mutasi.embedded.nats import nats_credentials, reload_embedded
    from mutasi.messaging.nats_access import (
        add_subscriber,
        password_variable,
        production_accounts,
        read_subscribers,
        subscriber_filter,
    )
    from mutasi.settings import get_settings

    if (tenant is None) == (not all_governments):
        typer.echo("Pilih salah satu: --tenant T atau --all-governments", err=True)
        raise typer.Exit(2)
    settings = get_settings()
    filter_ = subscriber_filter(tenant, checkpoints_only)
    try:
        add_subscriber(settings.keys_dir, name, filter_)
    except ValueError as exc:
        typer.echo(f"Nama tidak dapat dipakai: {exc}", err=True)
        raise typer.Exit(2) from exc
    [password] = nats_credentials(settings.keys_dir, [name]).values()
    typer.echo(f"MUTASI_NATS_USER={name}\nMUTASI_NATS_PASSWORD={password}")
    typer.echo(f"consumer: {name}  filter: {filter_}  stream: {settings.stream_name}")
    if accounts_conf is not None:
        subscribers = read_subscribers(settings.keys_dir, local_auditor=False)
        accounts_conf.write_text(production_accounts(settings.stream_name, subscribers))
        typer.echo(
            f"{accounts_conf} ditulis; set di lingkungan nats-server / in the NATS server's"
            f" environment: {password_variable(name)}=<password above>, then reload NATS"
        )
    elif reload_embedded(
        settings.var_dir, settings.keys_dir, settings.stream_name, settings.nats_no_auth_user
    ):
        typer.echo("NATS lokal dimuat ulang / the local NATS server reloaded its users")
