"""One settings object for every process, read once from the environment (prefix MUTASI_)."""

from functools import lru_cache
from ipaddress import ip_network
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote

from pydantic import field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MUTASI_", env_file=".env", extra="ignore")

    # Where `make run` keeps every piece of state (databases, NATS store, keys, mail).
    var_dir: Path = Path("var")
    # "production" refuses development defaults at start-up: the local token issuer, default
    # passwords, a plain-http issuer off loopback, keys generated on the spot
    # (mutasi.auth.production, docs/security.md).
    env: Literal["development", "production"] = "development"
    # Seconds the clock runs ahead (negative: behind) of the real one, for tests and drills on
    # chosen dates (mutasi/clock.py): every dated decision reads that clock. Production: 0.
    clock_offset_s: int = 0

    # PostgreSQL: the application connects as a role that may only INSERT/SELECT the log.
    db_host: str = "127.0.0.1"
    db_port: int = 5432
    db_name: str = "mutasi"
    db_app_user: str = "mutasi_app"
    db_app_password: str = "mutasi_app"
    db_admin_user: str = "postgres"
    db_admin_password: str = ""
    db_pool_min: int = 1
    db_pool_max: int = 10

    temporal_address: str = "127.0.0.1:7233"
    # Temporal is inside the trust boundary only over mutual TLS or with an API key
    # (mutasi.auth.transport): PEM files of the CA to trust, this process's client
    # certificate and key; or a Temporal Cloud / proxy API key.
    temporal_tls_ca_file: Path | None = None
    temporal_tls_cert_file: Path | None = None
    temporal_tls_key_file: Path | None = None
    temporal_tls_server_name: str | None = None
    temporal_api_key: str | None = None
    # The secret the API services seal each caller's claims with and the worker checks them
    # with (mutasi.auth.caller_proof); development generates one under keys_dir.
    caller_proof_secret: str | None = None
    temporal_ui_port: int = 8233
    temporal_namespace: str = "default"
    task_queue: str = "mutasi-transfers"
    # Workflows kept in the worker's memory between tasks. A transfer waits days for its next
    # person; one not cached is replayed from its history (milliseconds) when it moves again,
    # so memory stays flat however many are in flight (bench/memory_bench.py).
    worker_cached_workflows: int = 250

    nats_url: str = "nats://127.0.0.1:4222"
    # TLS to NATS (tls://… URLs): the CA to trust, and a client certificate if the servers
    # ask for one.
    nats_tls_ca_file: Path | None = None
    nats_tls_cert_file: Path | None = None
    nats_tls_key_file: Path | None = None
    nats_monitor_port: int = 8222
    # This process's NATS user; the embedded stack sets one per component (relay,
    # notification) from the passwords it generated under <var>/keys/nats-users.json.
    nats_user: str | None = None
    nats_password: str | None = None
    # Embedded NATS only: the user a client without credentials acts as. None (the default)
    # refuses such clients; the test session sets "admin" for its own probes.
    nats_no_auth_user: str | None = None
    stream_name: str = "MUTASI"
    stream_replicas: int = 1
    stream_duplicate_window_s: float = 600.0
    stream_max_age_days: int = 365
    stream_storage: str = "file"

    # The web application (services/web, SPEC §10): people sign in there; notices link to it.
    web_port: int = 8000
    # Its address as people's browsers reach it (behind a proxy: the https address); links
    # in notices and the OIDC redirect use it. Default: http://<bind_host>:<web_port>.
    web_public_url: str | None = None
    # OIDC sign-in. None: the local demo issuer (mutasi/oidc_local) mounted at <web>/oidc,
    # signing with the development key; a deployment names its identity provider here.
    web_oidc_issuer: str | None = None
    web_oidc_client_id: str = "mutasi-web"
    web_oidc_client_secret: str | None = None
    web_session_hours: float = 8.0  # a session never outlives its access token either
    # Where the web application reaches the three APIs; default: this host's service ports.
    web_proposal_api: str | None = None
    web_approval_api: str | None = None
    web_notification_api: str | None = None
    proposal_port: int = 8001
    approval_port: int = 8002
    notification_port: int = 8003
    bind_host: str = "127.0.0.1"

    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    mail_from: str = "mutasi@localhost"
    # Notifications (issue 6): SMTP login/TLS for a real relay; every e-mail and webhook
    # delivery is retried with exponential backoff and jitter, then dead-lettered.
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    smtp_timeout_s: float = 10.0
    delivery_max_attempts: int = 12
    delivery_backoff_base_s: float = 1.0
    delivery_backoff_max_s: float = 600.0
    webhook_timeout_s: float = 10.0  # one deadline for a whole attempt, answer included
    webhook_response_max_bytes: int = 64 * 1024  # only the status counts; the rest is dropped
    # Deliveries one notification process sends at once per government and channel: a slow
    # receiver of one government never takes every slot, nor holds back its e-mail.
    delivery_per_tenant: int = 4
    webhook_secret_grace_hours: float = 24.0  # the old secret still signs after a rotation
    # Webhooks go only to public unicast addresses (SSRF: no loopback, RFC 1918, link-local,
    # metadata, our own servers). CIDRs listed here are allowed too, and are the only places
    # plain http may go: the operator's intranet receivers. Env: comma-separated (or JSON).
    webhook_allowed_networks: Annotated[list[str], NoDecode] = []

    # Tokens: RS256. In development a local issuer signs with a key generated under var/.
    jwt_issuer: str = "mutasi-local"
    jwt_audience: str = "mutasi"
    jwks_url: str | None = None  # default: discovered from an https issuer's OpenID config
    jwks_cache_s: float = 300.0  # how long the issuer's key set is trusted before a re-fetch
    # A token naming an unknown key re-fetches the set, at most this often (key rotation
    # works; a flood of made-up key ids does not hammer the issuer).
    jwks_refresh_cooldown_s: float = 30.0

    # Rate limits (mutasi.web.ratelimit), per caller and per client address; 0 switches one
    # off. Writes per minute; expensive reads (chain verification, export) per minute;
    # proposals naming another government's employee per hour (each looks into its records).
    rate_limit_writes_per_minute: int = 300
    rate_limit_address_writes_per_minute: int = 3000
    rate_limit_expensive_per_minute: int = 6
    rate_limit_address_expensive_per_minute: int = 30
    rate_limit_cross_government_per_hour: int = 60

    # Largest JSON request body; uploads have their own limits below (413 beyond either).
    request_max_bytes: int = 1024 * 1024

    # Uploads (issue 4): CSV imports of master data, and a transfer's attachments.
    import_max_bytes: int = 5 * 1024 * 1024
    attachment_max_bytes: int = 10 * 1024 * 1024
    attachments_dir: Path | None = None  # default: <var_dir>/attachments

    # The checkpoint key pair (Ed25519). Only the signing process (the relay) needs the
    # private key; the others serve or check with the public one. Default: under keys_dir,
    # generated on first use in development only.
    checkpoint_private_key_file: Path | None = None
    checkpoint_public_key_file: Path | None = None
    checkpoint_every_entries: int = 100
    checkpoint_every_seconds: float = 60.0
    # Where `mutasi audit verify` remembers up to which signed checkpoint it has verified
    # each chain, so the next run reads only newer entries (default: <var_dir>/audit-trust).
    audit_trust_dir: Path | None = None

    log_level: str = "INFO"
    log_json: bool = True

    # Operations (issue 16). `/metrics` of the worker and the relay (the services serve it on
    # their own port); 0 turns it off. Several replicas on one host need a port each.
    worker_metrics_port: int = 9464
    relay_metrics_port: int = 9465
    # How often the relay and the notification service sample state for /metrics (outbox
    # age, checkpoint age, consumer lag, dead letters, transfers by status).
    metrics_sample_interval_s: float = 15.0
    # OpenTelemetry traces over OTLP/HTTP, e.g. http://otel-collector:4318; None: no export.
    otlp_endpoint: str | None = None
    otlp_headers: dict[str, str] = {}  # e.g. {"authorization": "Bearer …"} for a hosted backend
    trace_sample_ratio: float = 1.0  # of new traces; a sampled caller's decision is followed
    trace_export_delay_ms: int = 2000  # spans are batched at most this long before export
    # `mutasi backup`/`restore`: Temporal's PostgreSQL server (its databases temporal and
    # temporal_visibility), e.g. postgresql://temporal:…@temporal-db:5432/temporal. None:
    # the embedded dev server's SQLite file under var_dir, if there is one.
    backup_temporal_dsn: str | None = None

    @field_validator("webhook_allowed_networks", mode="before")
    @classmethod
    def _cidr_list(cls, value: Any) -> list[str]:
        # "10.1.0.0/16,192.168.5.0/24", JSON, or str(list) as the embedded stack passes it to
        # its children (stack.settings_env); a typo fails at start-up.
        if isinstance(value, str):
            value = [part.strip(" []'\"") for part in value.split(",")]
        return [str(ip_network(cidr)) for cidr in value if cidr]

    @property
    def keys_dir(self) -> Path:
        return self.var_dir / "keys"

    @property
    def web_url(self) -> str:
        return (self.web_public_url or f"http://{self.bind_host}:{self.web_port}").rstrip("/")

    @property
    def attachments_root(self) -> Path:
        return self.attachments_dir or self.var_dir / "attachments"

    @property
    def audit_trust_root(self) -> Path:
        return self.audit_trust_dir or self.var_dir / "audit-trust"

    def dsn(self, *, admin: bool = False, database: str | None = None) -> str:
        user = self.db_admin_user if admin else self.db_app_user
        password = self.db_admin_password if admin else self.db_app_password
        # Escaped: a generated password may hold '@', ':', '/', '?', '#' or '%'.
        auth = quote(user, safe="") + (f":{quote(password, safe='')}" if password else "")
        name = quote(database or self.db_name, safe="")
        return f"postgresql://{auth}@{self.db_host}:{self.db_port}/{name}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    from mutasi import clock  # the process's clock follows its settings, set once here

    settings = Settings()
    clock.configure(settings)
    return settings
