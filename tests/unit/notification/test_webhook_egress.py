"""Where a webhook may go, decided without a server: the address classifier, the URL's form,
and the delivery client refusing (or allowing) a connection as it is made."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_address
from typing import Any

import pytest

from mutasi.settings import Settings
from services.notification import egress

DEFAULT = egress.Policy.of(Settings(webhook_allowed_networks=[]))
INTRANET = egress.Policy.of(Settings(webhook_allowed_networks="10.20.0.0/16, 127.0.0.0/8"))

INTERNAL = [
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.1",
    "172.16.5.4",
    "192.168.1.1",  # loopback, RFC 1918
    "169.254.169.254",
    "169.254.1.1",
    "100.64.0.1",
    "100.127.255.254",  # link-local, CGNAT
    "224.0.0.1",
    "239.255.255.250",
    "0.0.0.0",
    "240.0.0.1",
    "255.255.255.255",  # noqa: S104
    "192.0.2.1",
    "198.51.100.7",
    "203.0.113.10",
    "198.18.0.1",  # documentation, benchmarks
    "::1",
    "::",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "ff02::1",
    "2001:db8::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",  # IPv4-mapped
    "2002:a00:1::1",
    "64:ff9b::a00:1",
    "::7f00:1",  # 6to4, NAT64, IPv4-compatible
]
PUBLIC = [
    "1.1.1.1",
    "93.184.216.34",
    "8.8.8.8",
    "2606:4700:4700::1111",
    "2a00:1450:4001:82b::200e",
    "::ffff:1.1.1.1",
    "64:ff9b::101:101",
]


@pytest.mark.parametrize("address", INTERNAL)
def test_internal_addresses_are_refused_by_default(address: str) -> None:
    assert not DEFAULT.permits(ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_unicast_addresses_are_allowed_over_https_but_not_plain_http(address: str) -> None:
    assert DEFAULT.permits(ip_address(address))
    assert not DEFAULT.permits(ip_address(address), public_ok=False)


def test_the_operators_networks_are_allowed_even_over_plain_http() -> None:
    for address in ("10.20.3.4", "127.0.0.1", "::ffff:10.20.0.9"):
        assert INTRANET.permits(ip_address(address), public_ok=False)
    for address in ("10.21.0.1", "169.254.169.254", "::1", "192.168.1.1"):
        assert not INTRANET.permits(ip_address(address))


def test_allowed_networks_are_read_from_the_environment_and_a_typo_stops_start_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MUTASI_WEBHOOK_ALLOWED_NETWORKS", "10.20.0.0/16,fd00::/8")
    assert Settings().webhook_allowed_networks == ["10.20.0.0/16", "fd00::/8"]
    monkeypatch.setenv("MUTASI_WEBHOOK_ALLOWED_NETWORKS", "['127.0.0.0/8']")  # str(list)
    assert Settings().webhook_allowed_networks == ["127.0.0.0/8"]
    monkeypatch.setenv("MUTASI_WEBHOOK_ALLOWED_NETWORKS", "10.20.1.1/16")
    with pytest.raises(ValueError, match="host bits"):
        Settings()


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://user:secret@1.1.1.1/hook", "userinfo"),
        ("https://token@1.1.1.1/hook", "userinfo"),
        ("ftp://1.1.1.1/hook", "scheme"),
        ("https:///hook", "malformed"),
        ("http://127.0.0.1/hook", "address"),
        ("http://2130706433/hook", "address"),  # 127.0.0.1 as one number
        ("https://[::1]:8443/hook", "address"),
        ("https://[::ffff:169.254.169.254]/latest/meta-data", "address"),
        ("https://localhost/hook", "address"),
        ("http://1.1.1.1/hook", "plain-http"),
        ("https://no-such-host.invalid/hook", "unresolvable"),
    ],
)
async def test_a_url_a_webhook_may_not_go_to_is_refused_with_a_stable_reason(
    url: str, reason: str
) -> None:
    with pytest.raises(egress.WebhookUrlRefused) as refused:
        await egress.check_url(url, DEFAULT, timeout=5)
    assert refused.value.reason == reason
    assert refused.value.status == 422 and refused.value.extra["field"] == "url"
    assert refused.value.type.endswith("/webhook-url-refused")


async def test_a_public_https_url_is_accepted_without_being_contacted() -> None:
    await egress.check_url("https://1.1.1.1:8443/hooks/mutasi", DEFAULT, timeout=5)
    await egress.check_url("http://10.20.0.5/hooks", INTRANET, timeout=5)


class _Receiver(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_POST(self) -> None:  # noqa: N802
        self.rfile.read(int(self.headers.get("content-length", 0)))
        _Receiver.hits.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def loopback_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()
    server.server_close()


async def test_the_delivery_client_checks_the_address_it_connects_to(loopback_url: str) -> None:
    _Receiver.hits.clear()
    async with egress.delivery_client(Settings(webhook_allowed_networks=[])) as client:
        with pytest.raises(egress.DestinationRefused) as refused:
            await client.post(loopback_url, content=b"{}")
        assert refused.value.reason == "address"
        with pytest.raises(egress.DestinationRefused):  # by name: resolved, then checked
            await client.post(loopback_url.replace("127.0.0.1", "localhost"), content=b"{}")
    assert _Receiver.hits == []
    allowed = Settings(webhook_allowed_networks=["127.0.0.0/8", "::1/128"])
    async with egress.delivery_client(allowed) as client:
        assert (await client.post(loopback_url, content=b"{}")).status_code == 204
    assert _Receiver.hits == ["/hook"]


async def test_plain_http_to_a_public_address_is_refused_as_it_connects() -> None:
    async with egress.delivery_client(Settings(webhook_allowed_networks=[])) as client:
        with pytest.raises(egress.DestinationRefused) as refused:
            await client.post("http://1.1.1.1:9/hook", content=b"{}")
    assert refused.value.reason == "plain-http"
