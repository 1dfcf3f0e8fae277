"""Finding 4: Temporal and NATS are inside the trust boundary only over TLS.

The production NATS nodes accept clients only over TLS, authorise cluster routes by
certificate (mutual TLS) and keep monitoring on loopback; a component reaches NATS over TLS
with the CA of its settings (and only with it); Temporal gets mutual TLS or an API key from
the settings; production refuses a network address of either without TLS.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from nats.errors import Error as NatsError

from mutasi.auth.production import production_refusals
from mutasi.auth.transport import temporal_options
from mutasi.embedded.nats import nats_binary, nats_process, write_nats_config
from mutasi.embedded.process import free_port
from mutasi.messaging.jetstream import connect
from mutasi.settings import Settings

DEPLOY_NATS = Path(__file__).resolve().parents[2] / "deploy" / "nats"


def _certificate(subject: str, issuer_key, issuer_name, key, *, ca: bool):  # noqa: ANN001, ANN202
    now = dt.datetime.now(dt.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if not ca:
        names = [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A cluster CA and one node's certificate (localhost, 127.0.0.1), as PEM files."""
    root = tmp_path_factory.mktemp("pki")
    ca_key, node_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Mutasi NATS CA")])
    ca = _certificate("Mutasi NATS CA", ca_key, ca_name, ca_key, ca=True)
    node = _certificate("localhost", ca_key, ca_name, node_key, ca=False)
    files = {"ca": root / "ca.pem", "cert": root / "node.pem", "key": root / "node-key.pem"}
    files["ca"].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    files["cert"].write_bytes(node.public_bytes(serialization.Encoding.PEM))
    files["key"].write_bytes(
        node_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return files


@pytest.mark.parametrize("node", [1, 2, 3])
def test_each_production_node_config_is_valid_and_keeps_the_boundary(node, pki, tmp_path):
    text = (DEPLOY_NATS / f"nats-{node}.conf").read_text()
    assert re.search(r"^http: 127\.0\.0\.1:\d+$", text, re.MULTILINE)  # monitoring: loopback
    client_tls, cluster = text.split("cluster {", 1)
    assert "tls {" in client_tls  # clients over TLS
    assert re.search(r"tls \{[^}]*verify: true", cluster)  # routes: mutual TLS
    # The server itself checks the file (with this test's certificates in place).
    local = text.replace(f"/etc/nats/tls/nats-{node}-key.pem", str(pki["key"]))
    local = local.replace(f"/etc/nats/tls/nats-{node}.pem", str(pki["cert"]))
    local = local.replace("/etc/nats/tls/ca.pem", str(pki["ca"]))
    local = local.replace("/var/lib/nats/jetstream", str(tmp_path / "js"))
    (tmp_path / "node.conf").write_text(local)
    (tmp_path / "accounts.conf").write_text((DEPLOY_NATS / "accounts.conf").read_text())
    env = os.environ | {
        f"NATS_{user}_PASSWORD": "uji" for user in ("RELAY", "NOTIFICATION", "ADMIN")
    }
    checked = subprocess.run(
        [nats_binary(), "-c", str(tmp_path / "node.conf"), "-t"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


async def test_a_component_reaches_nats_over_tls_only_with_the_ca_it_is_given(pki, tmp_path):
    settings = Settings(
        var_dir=tmp_path,
        nats_url=f"tls://127.0.0.1:{free_port()}",
        nats_monitor_port=free_port(),
        nats_no_auth_user="admin",
    )
    config = write_nats_config(
        tmp_path / "nats" / "nats.conf", settings.keys_dir, "MUTASI", "admin"
    )
    config.write_text(
        config.read_text()
        + f'tls {{\n  cert_file: "{pki["cert"]}"\n  key_file: "{pki["key"]}"\n}}\n'
    )
    port = int(settings.nats_url.rsplit(":", 1)[1])
    server = nats_process(
        tmp_path / "nats", port, settings.nats_monitor_port, tmp_path / "nats.log", config
    ).start()
    try:
        trusted = settings.model_copy(update={"nats_tls_ca_file": pki["ca"]})
        client = await connect(trusted, name="tls-probe", reconnect=False)
        assert client.is_connected
        await client.close()
        for untrusted in (
            settings,
            settings.model_copy(update={"nats_url": f"nats://127.0.0.1:{port}"}),
        ):
            with pytest.raises((NatsError, OSError)):
                await connect(untrusted, name="tls-probe", reconnect=False, connect_timeout=2)
    finally:
        server.stop()


def test_temporal_gets_mutual_tls_or_an_api_key_from_the_settings(pki):
    mutual = temporal_options(
        Settings(
            temporal_tls_ca_file=pki["ca"],
            temporal_tls_cert_file=pki["cert"],
            temporal_tls_key_file=pki["key"],
        )
    )["tls"]
    assert mutual.server_root_ca_cert == pki["ca"].read_bytes()
    assert mutual.client_cert == pki["cert"].read_bytes()
    assert mutual.client_private_key == pki["key"].read_bytes()
    keyed = temporal_options(Settings(temporal_api_key="kunci-api"))
    assert keyed == {"api_key": "kunci-api", "tls": True}
    assert temporal_options(Settings()) == {}  # loopback in development


@pytest.mark.parametrize(
    ("component", "changes", "named"),
    [
        ("worker", {"temporal_address": "temporal.internal:7233"}, "MUTASI_TEMPORAL_ADDRESS"),
        ("relay", {"nats_url": "nats://nats-1.internal:4222"}, "MUTASI_NATS_URL"),
    ],
)
def test_production_refuses_temporal_or_nats_off_loopback_without_tls(component, changes, named):
    settings = Settings(
        env="production",
        jwt_issuer="https://sso.example.go.id/realms/asn",
        db_app_password="aman-dan-panjang",
        nats_user="relay",
        nats_password="aman",
        **changes,
    )
    assert any(named in r for r in production_refusals(settings, component))
    secured = settings.model_copy(
        update={"temporal_tls_ca_file": Path("/ca.pem"), "nats_url": "tls://nats-1.internal:4222"}
    )
    assert not any(named in r for r in production_refusals(secured, component))
