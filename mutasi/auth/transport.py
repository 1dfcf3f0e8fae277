"""How a process reaches Temporal and NATS across the network: TLS, client certificates,
API keys (issue 15, finding 4; docs/security.md "Trust boundaries").

Temporal and NATS are inside the trust boundary only when nobody else can talk to them:
whoever reaches Temporal can start or update workflows, whoever reaches NATS can read every
event. On one machine (`make run`) loopback is that boundary; across a network it is mutual
TLS (or Temporal's API key) with the certificates named in the settings, and production
refuses to start without it (mutasi.auth.production).
"""

from __future__ import annotations

import ssl
from typing import Any

from temporalio.service import TLSConfig

from mutasi.settings import Settings


def temporal_options(settings: Settings) -> dict[str, Any]:
    """`Client.connect` keywords for TLS (mutual, if a client certificate is set) and the
    API key; none on loopback without settings."""
    options: dict[str, Any] = {}
    if settings.temporal_tls_ca_file or settings.temporal_tls_cert_file:
        options["tls"] = TLSConfig(
            server_root_ca_cert=_read(settings.temporal_tls_ca_file),
            client_cert=_read(settings.temporal_tls_cert_file),
            client_private_key=_read(settings.temporal_tls_key_file),
            domain=settings.temporal_tls_server_name,
        )
    if settings.temporal_api_key:
        options["api_key"] = settings.temporal_api_key
        options.setdefault("tls", True)  # a key never travels in the clear
    return options


def nats_tls(settings: Settings) -> ssl.SSLContext | None:
    """The TLS context for NATS: the servers' CA, and this client's certificate if set."""
    if settings.nats_tls_ca_file is None and settings.nats_tls_cert_file is None:
        return None
    context = ssl.create_default_context(
        cafile=str(settings.nats_tls_ca_file) if settings.nats_tls_ca_file else None
    )
    if settings.nats_tls_cert_file:
        context.load_cert_chain(
            str(settings.nats_tls_cert_file),
            str(settings.nats_tls_key_file) if settings.nats_tls_key_file else None,
        )
    return context


def _read(path: Any) -> bytes | None:
    return path.read_bytes() if path else None
