"""`mutasi audit …`: what an auditor runs against a deployment's database, NATS and files.

Heavy imports stay inside the commands so `mutasi --help` stays fast.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar
from uuid import UUID

import typer

if TYPE_CHECKING:
    import asyncpg
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from mutasi.settings import Settings

audit_app = typer.Typer(
    help="Audit log: verifikasi rantai, jejak, ekspor, checkpoint.", no_args_is_help=True
)
T = TypeVar("T")
Tenant = Annotated[str, typer.Option(help="tenant slug, e.g. kota-sorong")]
First = Annotated[int | None, typer.Option("--from", help="first sequence (inclusive)")]
Last = Annotated[int | None, typer.Option("--to", help="last sequence (inclusive)")]


def _with_pool(work: Callable[[Settings, asyncpg.Pool], Awaitable[T]]) -> T:
    from mutasi.db import create_pool
    from mutasi.logging import configure_logging
    from mutasi.settings import get_settings

    settings = _as_subscriber(get_settings())
    configure_logging("WARNING", json=False)

    async def go() -> T:
        pool = await create_pool(settings, max_size=2)
        try:
            return await work(settings, pool)
        finally:
            await pool.close()

    return asyncio.run(go())


def _as_subscriber(settings: Settings) -> Settings:
    """Without NATS credentials of its own, the CLI reads as the embedded stack's witness
    `audit-local`, which may read only the checkpoints (its password is generated under
    keys_dir by `make run`)."""
    from mutasi.messaging.nats_access import LOCAL_AUDITOR

    passwords = settings.keys_dir / "nats-users.json"
    if settings.nats_user or not passwords.exists():
        return settings
    password = json.loads(passwords.read_text()).get(LOCAL_AUDITOR)
    if password is None:
        return settings
    return settings.model_copy(update={"nats_user": LOCAL_AUDITOR, "nats_password": password})


def _trusted_keys(settings: Settings, path: Path | None) -> list[Ed25519PublicKey]:
    """The auditor's own copy of the public key if given, else the deployment's installed
    one (never a key made up here); none if there is none (then every checkpoint counts as
    signed by an unknown key)."""
    from mutasi.log.checkpoints import load_public_key, private_key_path, public_key_path

    path = path or public_key_path(settings)
    if path.exists():
        return [load_public_key(path.read_bytes())]
    if private_key_path(settings).exists():
        from mutasi.log.checkpoints import public_key

        return [public_key(settings)]
    typer.echo(
        f"Peringatan: kunci publik checkpoint tidak ditemukan ({path}); berikan --public-key.",
        err=True,
    )
    return []


def _say_verification(result: dict[str, Any]) -> None:
    chain, cps = result["chain"], result["checkpoints"]
    state = "UTUH" if chain["ok"] else "RUSAK"
    since = result["trusted_from"]
    scope = (
        f"entri baru sejak checkpoint urutan {since['sequence']}"
        if since
        else "entri" + (" (seluruh rantai)" if result["mode"] == "full" else "")
    )
    typer.echo(
        f"Rantai {result['tenant']}: {chain['entries']} {scope} (urutan"
        f" {chain['first_sequence']}–{chain['last_sequence']}) {state}"
        f" [{chain['seconds']} s]"
    )
    if chain["broken"]:
        b = chain["broken"]
        typer.echo(
            f"  Entri rusak pertama: urutan {b['sequence']}, stream {b['stream']},"
            f" versi {b['version']} — {b['reason']}\n  {b['message']}\n  {b['detail']}"
        )
    if result["trusted_now"]:
        typer.echo(
            f"Terverifikasi sampai checkpoint urutan {result['trusted_now']['sequence']};"
            " verifikasi berikutnya mulai dari sana (--full untuk seluruh rantai)."
        )
    typer.echo(
        f"Checkpoint ({cps['source']}): {cps['checked']} diperiksa,"
        f" {'semua cocok' if cps['ok'] else 'TIDAK COCOK'}"
    )
    if cps["broken"]:
        b = cps["broken"]
        typer.echo(
            f"  Checkpoint pertama yang gagal: urutan {b['sequence']} — {b['reason']}"
            f"\n  {b['message']}\n  ditandatangani {b['signed_hash']},"
            f" di log {b['found_hash']}"
        )


@audit_app.command()
def verify(
    tenant: Tenant,
    first: First = None,
    last: Last = None,
    checkpoints: Annotated[
        str, typer.Option(help="db, nats, or a JSON Lines file of checkpoints")
    ] = "nats",
    public_key: Annotated[
        Path | None, typer.Option(help="PEM file of the checkpoint public key you trust")
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="every entry, not only those after the last verified")
    ] = False,
    trust_dir: Annotated[
        Path | None,
        typer.Option(help="where this verifier remembers its verified checkpoints"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the result as JSON")] = False,
) -> None:
    """Recompute the hashes of the tenant's chain and check it against signed checkpoints.
    By default only the entries after the checkpoint up to which this verifier last
    verified are read; --full reads them all. Exit code 1 when anything is broken; the
    first broken entry is named."""
    from mutasi.audit.trust import FileTrust
    from mutasi.audit.verification import as_dict, verify_tenant

    async def work(settings: Settings, pool: asyncpg.Pool) -> dict[str, Any]:
        keys = _trusted_keys(settings, public_key)
        trust = FileTrust(trust_dir or settings.audit_trust_root)
        return as_dict(
            await verify_tenant(
                settings, pool, tenant, first, last, checkpoints, keys, trust=trust, full=full
            )
        )

    result = _with_pool(work)
    if as_json:
        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        _say_verification(result)
    raise typer.Exit(0 if result["ok"] else 1)


@audit_app.command("verify-all")
def verify_all(
    public_key: Annotated[
        Path | None, typer.Option(help="PEM file of the checkpoint public key you trust")
    ] = None,
) -> None:
    """Verify every government's whole chain against the checkpoints kept in the database
    (the scheduled job of deploy/; each result is on /metrics). Exit code 1 if any is broken."""
    from mutasi.audit.verification import verify_tenant

    async def work(settings: Settings, pool: asyncpg.Pool) -> dict[str, bool]:
        keys = _trusted_keys(settings, public_key)
        tenants = [r["tenant"] for r in await pool.fetch("SELECT tenant FROM chain_heads")]
        return {
            tenant: (await verify_tenant(settings, pool, tenant, None, None, "db", keys)).ok
            for tenant in sorted(tenants)
        }

    results = _with_pool(work)
    for tenant, ok in results.items():
        typer.echo(f"{'utuh / intact' if ok else 'RUSAK / BROKEN'}\t{tenant}")
    raise typer.Exit(0 if all(results.values()) else 1)


@audit_app.command()
def trail(
    tenant: Tenant,
    transfer: Annotated[UUID, typer.Option(help="transfer id")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Every logged step of one transfer: when, who, in what role, what, why, and its hash."""
    from mutasi.audit.queries import transfer_trail
    from mutasi.errors import NotFound

    try:
        entries = _with_pool(lambda _, pool: transfer_trail(pool, tenant, transfer))
    except NotFound as exc:
        typer.echo(exc.message_id, err=True)
        raise typer.Exit(1) from exc
    if as_json:
        typer.echo(json.dumps(entries, indent=2, ensure_ascii=False))
        return
    for e in entries:
        typer.echo(
            f"{e['time']}  #{e['sequence']}  {e['action']:<28} {e['actor_id']}"
            f" ({e['role']})  {e['reason'] or '-'}  {e['hash'][:16]}…"
        )


@audit_app.command()
def export(
    tenant: Tenant,
    out: Annotated[Path, typer.Option(help="file to write")],
    fmt: Annotated[str, typer.Option("--format", help="jsonl or csv")] = "jsonl",
    first: First = None,
    last: Last = None,
) -> None:
    """Write the tenant's log (every hashed field and the hash) as JSON Lines or CSV."""
    from mutasi.audit.queries import EXPORT_FORMATS, export_chunks

    if fmt not in EXPORT_FORMATS:
        typer.echo(f"Format harus salah satu dari {', '.join(EXPORT_FORMATS)}", err=True)
        raise typer.Exit(2)

    async def work(_: Settings, pool: asyncpg.Pool) -> int:
        written = 0
        with out.open("wb") as handle:
            async for chunk in export_chunks(pool, tenant, fmt, first, last):
                written += chunk.count(b"\n")
                handle.write(chunk)
        return written

    lines = _with_pool(work)
    typer.echo(f"{lines} baris ditulis ke {out}")


@audit_app.command()
def checkpoints(
    tenant: Tenant, source: Annotated[str, typer.Option(help="db or nats")] = "db"
) -> None:
    """Print the tenant's signed checkpoints as JSON Lines (keep them: they prove history)."""
    from mutasi.audit.verification import load_checkpoints

    found = _with_pool(lambda settings, pool: load_checkpoints(source, tenant, settings, pool))
    for checkpoint in found:
        typer.echo(json.dumps(checkpoint.as_dict(), ensure_ascii=False))


@audit_app.command()
def keygen(
    private_key: Annotated[Path, typer.Option(help="where the relay reads its signing key")],
    public_key: Annotated[Path, typer.Option(help="the public key to publish and install")],
) -> None:
    """Make the checkpoint key pair once, for a deployment (production never makes one on
    its own: two relays would sign with two unknown keys). An existing key is kept."""
    from mutasi.log.checkpoints import generate_key_pair, key_id

    key = generate_key_pair(private_key, public_key)
    typer.echo(f"Kunci checkpoint {key_id(key.public_key())}: {private_key} (0600), {public_key}")


@audit_app.command()
def prove(
    tenant: Annotated[str | None, typer.Option(help="tenant slug (to make a proof)")] = None,
    sequence: Annotated[int | None, typer.Option(help="the entry's sequence")] = None,
    out: Annotated[Path | None, typer.Option(help="write the proof here (JSON)")] = None,
    check: Annotated[
        Path | None, typer.Option(help="check this proof offline instead (no database)")
    ] = None,
    public_key: Annotated[
        Path | None, typer.Option(help="PEM of the checkpoint public key you trust (--check)")
    ] = None,
) -> None:
    """Prove one entry is in the log (RFC 6962), or check such a proof offline.

    With --tenant and --sequence: write the proof (the entry, its audit path, the signed
    tree head). With --check and --public-key: exit 0 if it holds, 1 saying why not."""
    from mutasi.audit.proofs import build_proof, check_proof

    if check is not None:
        if public_key is None:
            typer.echo("--check memerlukan --public-key (kunci yang Anda percayai)", err=True)
            raise typer.Exit(2)
        from mutasi.log.checkpoints import load_public_key

        problems = check_proof(
            json.loads(check.read_text()), load_public_key(public_key.read_bytes())
        )
        for problem in problems:
            typer.echo(f"TIDAK SAH: {problem}", err=True)
        if not problems:
            typer.echo(
                "SAH: entri ini ada di log yang ditandatangani / the entry is in the signed log"
            )
        raise typer.Exit(1 if problems else 0)
    if tenant is None or sequence is None:
        typer.echo("Berikan --tenant dan --sequence, atau --check", err=True)
        raise typer.Exit(2)
    from mutasi.errors import MutasiError

    try:
        document = _with_pool(lambda _, pool: build_proof(pool, tenant, sequence))
    except MutasiError as exc:
        typer.echo(exc.message_id, err=True)
        raise typer.Exit(1) from exc
    text = json.dumps(document, indent=2, ensure_ascii=False)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n")
        typer.echo(f"Bukti ditulis ke {out}")


@audit_app.command()
def watch(
    tenant: Tenant,
    state: Annotated[Path, typer.Option(help="the witness's own directory (kept checkpoints)")],
    public_key: Annotated[Path, typer.Option(help="PEM of the checkpoint key you pinned")],
    interval: Annotated[float, typer.Option(help="seconds between rounds")] = 60.0,
    stale_after_min: Annotated[
        float, typer.Option(help="alert when the log grew but nothing was signed this long")
    ] = 15.0,
    full_every_min: Annotated[
        float, typer.Option(help="re-verify the whole chain this often (else the new part)")
    ] = 60.0,
    webhook: Annotated[str | None, typer.Option(help="POST each alert here (JSON)")] = None,
    once: Annotated[bool, typer.Option(help="one round, then exit (0 quiet, 3 alert)")] = False,
) -> None:
    """Watch one government's log as an independent witness (docs/security.md).

    Follows the signed checkpoints on NATS, keeps each under --state, and every round
    re-checks the log against all it kept. On an alert (edited-entry, deleted-entry, rewrite,
    purge, fork, bad-signature, stale) it logs, posts to --webhook and exits with status 3."""
    from mutasi.audit.witness_run import run_witness
    from mutasi.log.checkpoints import load_public_key
    from mutasi.logging import configure_logging
    from mutasi.settings import get_settings

    configure_logging("INFO", json=False)
    code = asyncio.run(
        run_witness(
            _as_subscriber(get_settings()),
            tenant,
            state,
            load_public_key(public_key.read_bytes()),
            interval_s=interval,
            stale_after_s=stale_after_min * 60,
            full_every_s=full_every_min * 60,
            webhook=webhook,
            once=once,
        )
    )
    raise typer.Exit(code)
