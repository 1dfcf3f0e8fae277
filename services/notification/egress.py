"""Where a webhook may go: public unicast addresses, plus the networks the operator allows.

A tenant's admin chooses the URL, so without this check a subscription could make the
notification service POST to 127.0.0.1, 169.254.169.254 (cloud metadata) or our own
PostgreSQL, NATS and Temporal (SSRF). A URL is checked when it is stored, and again when
it is used: the delivery client connects only through `CheckedBackend`, which resolves the
host, checks every address, and connects to the address it checked — a name re-pointed at
an internal address after it was stored (DNS rebinding) is refused, not followed.

https goes to public addresses (and allowed networks); plain http only to the networks the
operator allows (`webhook_allowed_networks`, their own intranet), because over the internet
it would hand civil servants' data to anyone on the path.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from ipaddress import (
    IPv4Address,
    IPv4Network,
    IPv6Address,
    IPv6Network,
    ip_address,
    ip_network,
)
from typing import Any

import httpcore
import httpx

from mutasi.errors import InvalidInput
from mutasi.logging import get_logger
from mutasi.settings import Settings

log = get_logger(__name__)
Address = IPv4Address | IPv6Address
_NAT64 = IPv6Network("64:ff9b::/96")  # the embedded IPv4 address is where it really goes

# Why a URL is refused: a stable `reason` code, then Indonesian and English.
REASONS = {
    "malformed": ("Alamat webhook tidak valid", "The webhook URL is malformed"),
    "scheme": ("Alamat webhook harus memakai https", "The webhook URL must use https"),
    "userinfo": (
        "Alamat webhook tidak boleh memuat nama pengguna atau kata sandi",
        "The webhook URL must not contain user info (user:password@)",
    ),
    "unresolvable": (
        "Nama host webhook tidak dapat ditemukan di DNS",
        "The webhook host name does not resolve",
    ),
    "address": (
        "Alamat webhook menuju jaringan internal yang tidak diizinkan",
        "The webhook URL points to a non-public address that is not allowed",
    ),
    "plain-http": (
        "http hanya untuk jaringan yang diizinkan operator; gunakan https",
        "Plain http is only allowed to operator-allowed networks; use https",
    ),
}


class WebhookUrlRefused(InvalidInput):
    slug = "webhook-url-refused"

    def __init__(self, reason: str) -> None:
        message_id, message_en = REASONS[reason]
        super().__init__(message_id, message_en, field="url", reason=reason)
        self.reason = reason


class DestinationRefused(Exception):
    """Raised while connecting: the host's address is not one a webhook may go to."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason, self.detail = reason, detail

    @property
    def message(self) -> str:
        """For the delivery's last_error, which the tenant reads: no resolved address in it."""
        message_id, message_en = REASONS[self.reason]
        return f"{message_id} / {message_en}"


def _embedded_ipv4(address: Address) -> Address:
    if isinstance(address, IPv6Address):
        if address.ipv4_mapped or address.sixtofour:
            return address.ipv4_mapped or address.sixtofour  # type: ignore[return-value]
        if address in _NAT64:
            return IPv4Address(int(address) & 0xFFFFFFFF)
    return address


@dataclass(frozen=True)
class Policy:
    """The operator's allowed networks; everything else must be public unicast."""

    allowed: tuple[IPv4Network | IPv6Network, ...] = ()

    @classmethod
    def of(cls, settings: Settings) -> Policy:
        return cls(tuple(ip_network(cidr) for cidr in settings.webhook_allowed_networks))

    def in_allowed_network(self, address: Address) -> bool:
        candidates = {address, _embedded_ipv4(address)}
        return any(a in net for a in candidates for net in self.allowed if a.version == net.version)

    def permits(self, address: Address, *, public_ok: bool = True) -> bool:
        """May a webhook connect here? `public_ok=False` is plain http: allowed networks only."""
        if self.in_allowed_network(address):
            return True
        target = _embedded_ipv4(address)
        # is_global alone lets multicast (and, before Python 3.12, some reserved ranges) pass.
        return (
            public_ok
            and target.is_global
            and not (
                target.is_multicast
                or target.is_reserved
                or target.is_unspecified
                or target.is_loopback
                or target.is_link_local
                or target.is_private
            )
        )


async def resolve(host: str, port: int, timeout: float | None) -> list[Address]:
    """Every address the host name stands for (an IP literal stands for itself)."""
    infos = await asyncio.wait_for(
        asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM), timeout
    )
    # An IPv6 scope ("fe80::1%eth0") is dropped: the address alone decides.
    return list(dict.fromkeys(ip_address(str(info[4][0]).split("%")[0]) for info in infos))


def parse(url: str) -> httpx.URL:
    """The URL as the delivery client will read it, or a refusal of its form."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError, TypeError):
        raise WebhookUrlRefused("malformed") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise WebhookUrlRefused("malformed" if parsed.scheme in ("http", "https") else "scheme")
    if parsed.userinfo:
        raise WebhookUrlRefused("userinfo")
    return parsed


async def check_url(url: str, policy: Policy, timeout: float) -> None:
    """Refuse (422) a URL a webhook may not go to; resolves its host now."""
    parsed = parse(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        addresses = await resolve(parsed.host, port, timeout)
    except (OSError, TimeoutError, UnicodeError):
        raise WebhookUrlRefused("unresolvable") from None
    if not all(policy.permits(a) for a in addresses):
        log.info("webhook_url_refused", host=parsed.host, addresses=[str(a) for a in addresses])
        raise WebhookUrlRefused("address")
    if parsed.scheme == "http" and not all(policy.in_allowed_network(a) for a in addresses):
        raise WebhookUrlRefused("plain-http")


class CheckedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting only to addresses the policy permits.

    The check and the connection use the same resolved address, so nothing can re-point the
    name between them (pinning). One refused address refuses the host: a name that resolves
    to a public and a private address is not a receiver, it is an attempt.
    """

    def __init__(self, policy: Policy, *, public_ok: bool) -> None:
        self.policy, self.public_ok = policy, public_ok
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await resolve(host, port, timeout)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from None
        except OSError as exc:
            raise httpcore.ConnectError(f"resolving {host}: {exc}") from None
        refused = [a for a in addresses if not self.policy.permits(a, public_ok=self.public_ok)]
        if refused:
            public = all(self.policy.permits(a) for a in refused)  # only http was the problem
            raise DestinationRefused(
                "plain-http" if public else "address", f"{host} -> {', '.join(map(str, refused))}"
            )
        return await self._connect_first(addresses, port, timeout, local_address, socket_options)

    async def _connect_first(
        self,
        addresses: Sequence[Address],
        port: int,
        timeout: float | None,
        local_address: str | None,
        socket_options: Iterable[Any] | None,
    ) -> httpcore.AsyncNetworkStream:
        for index, address in enumerate(addresses):
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout):
                if index == len(addresses) - 1:
                    raise
        raise httpcore.ConnectError("no address")

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise DestinationRefused("address", f"unix socket {path}")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


def _transport(policy: Policy, *, public_ok: bool) -> httpx.AsyncHTTPTransport:
    transport = httpx.AsyncHTTPTransport()
    # httpx has no public hook for the network backend; its httpcore pool has one, so the pool
    # is rebuilt with httpx's own defaults and ours (tests/unit/.../test_webhook_egress.py).
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=httpx.create_ssl_context(),
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=5.0,
        network_backend=CheckedBackend(policy, public_ok=public_ok),
    )
    return transport


def delivery_client(settings: Settings) -> httpx.AsyncClient:
    """The only client webhooks are sent with. No redirects (a 3xx is a failed attempt, not
    a way around the check) and no HTTP(S)_PROXY from the environment (a proxy would
    resolve the name itself, past the check)."""
    policy = Policy.of(settings)
    return httpx.AsyncClient(
        timeout=httpx.Timeout(settings.webhook_timeout_s),
        follow_redirects=False,
        transport=_transport(policy, public_ok=True),
        mounts={"http://": _transport(policy, public_ok=False)},
    )
