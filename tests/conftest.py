"""Session fixtures: the real servers (PostgreSQL, NATS, Temporal) and our components,
started once per test session on free ports in a temporary directory."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import asyncpg
import pytest
import pytest_asyncio
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from mutasi import clock
from mutasi.db import create_pool, migrate
from mutasi.embedded.process import free_ports
from mutasi.embedded.stack import Stack
from mutasi.settings import Settings
from tests.otlp_receiver import OtlpReceiver

# Property tests check what holds for every input, not how fast: no time limit per example
# and no "input generation is slow" health check. On the shared 2-core machine (load 10) the
# rule properties' draws took 0.15–0.3 s and Hypothesis failed seven tests for slowness in a
# full run (make test-dates, 2027-03-05), none for a wrong answer. Speed is for bench/.
hypothesis_settings.register_profile(
    "mutasi", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("mutasi")

# Fixtures shared by modules in several folders (SMTP sink, webhook receiver).
pytest_plugins = ["tests.e2e.notification_support"]

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO.parent / "shared" / "data"
COMPONENTS = ("worker", "relay", "proposal", "approval", "notification")
SESSION_BASES = Path(tempfile.gettempdir()) / "mutasi-pytest"


def pytest_configure(config: pytest.Config) -> None:
    """Under root, PostgreSQL runs as another user who must reach its data directory. pytest
    resets /tmp/pytest-of-root to 0700 whenever any session starts, so a server initialised
    mid-session (fault stack, restore drill) failed while another session began. Each
    session gets a base of its own outside that directory; bases of ended sessions go."""
    if config.option.basetemp is not None or os.geteuid() != 0:
        return
    SESSION_BASES.mkdir(exist_ok=True)
    for base in SESSION_BASES.iterdir():
        if base.name.isdigit() and not _alive(int(base.name)):
            shutil.rmtree(base, ignore_errors=True)
    config.option.basetemp = str(SESSION_BASES / str(os.getpid()))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# The session runs on a fixed date, never on today's: the clock of every process the session
# starts (and of this one) is moved there, 09:00 WIB at the start (mutasi/clock.py).
# `MUTASI_TEST_TODAY=2026-12-31 make test` runs the whole suite on another date.
TEST_TODAY = date.fromisoformat(os.environ.get("MUTASI_TEST_TODAY", "2026-11-30"))
CLOCK_OFFSET_S = clock.offset_to(TEST_TODAY)
clock.configure(SimpleNamespace(clock_offset_s=CLOCK_OFFSET_S))  # this process, from the start


def make_settings(var_dir: Path, otlp_endpoint: str | None = None) -> Settings:
    settings = Settings(
        var_dir=var_dir,
        clock_offset_s=CLOCK_OFFSET_S,
        **free_ports(),
        metrics_sample_interval_s=1.0,
        log_level="INFO",
        checkpoint_every_entries=50,
        checkpoint_every_seconds=2.0,
        # NATS requires a user per component; the tests' own probes connect without
        # credentials and act as `admin` (tests/security/test_nats_permissions.py).
        nats_no_auth_user="admin",
        # The tests' webhook receivers listen on loopback, which production refuses (SSRF);
        # ::1 stays refused (tests/integration/test_webhook_ssrf.py).
        webhook_allowed_networks=["127.0.0.0/8"],
        # Every component exports its spans here (tests/integration/test_traces.py reads them).
        otlp_endpoint=otlp_endpoint,
        trace_export_delay_ms=500,
        # The whole suite calls from one address as a few callers, far faster than a person;
        # the limits stay on (the code runs) at rates no test reaches. test_rate_limits.py
        # sets low ones.
        rate_limit_writes_per_minute=100_000,
        rate_limit_address_writes_per_minute=100_000,
        rate_limit_expensive_per_minute=10_000,
        rate_limit_address_expensive_per_minute=10_000,
        rate_limit_cross_government_per_hour=100_000,
    )
    clock.configure(settings)
    return settings


@pytest.fixture(scope="session")
def otlp() -> Iterator[OtlpReceiver]:
    """Where the session's processes send their traces, as to an OpenTelemetry Collector."""
    receiver = OtlpReceiver().start()
    yield receiver
    receiver.stop()


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory, otlp: OtlpReceiver) -> Iterator[Stack]:
    """PostgreSQL, NATS and Temporal, migrated; no components yet."""
    import asyncio

    settings = make_settings(tmp_path_factory.mktemp("mutasi"), otlp.endpoint)
    stack = Stack(settings, temporal_ui=False)
    stack.start_servers()
    try:
        asyncio.run(migrate(stack.settings))
        yield stack
    finally:
        stack.stop()


@pytest.fixture(scope="session")
def seeded(servers: Stack) -> Stack:
    """The five demo governments, with a small staff each."""
    import asyncio

    from mutasi.seed.load import seed_all

    asyncio.run(seed_all(servers.settings, employees_per_tenant=150))
    return servers


@pytest.fixture(scope="session")
def stack(seeded: Stack) -> Iterator[Stack]:
    """The whole system: servers plus worker, relay and the three services."""
    servers = seeded
    for name in COMPONENTS:
        if name not in servers.components or not servers.components[name].alive():
            servers.start_component(name)
    yield servers


@pytest.fixture(scope="session")
def web(stack: Stack) -> str:
    """The web application (services/web) on top of the whole system; its base URL."""
    if "web" not in stack.components or not stack.components["web"].alive():
        stack.start_component("web")
    return stack.settings.web_url


@pytest.fixture(scope="session")
def settings(servers: Stack) -> Settings:
    return servers.settings


@pytest_asyncio.fixture(scope="session")
async def pool(settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(settings)
    yield pool
    await pool.close()


@pytest_asyncio.fixture(scope="session")
async def admin_pool(settings: Settings) -> AsyncIterator[asyncpg.Pool]:
    pool = await create_pool(settings, admin=True, max_size=4)
    yield pool
    await pool.close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last: Playwright's sync API keeps its own event loop running in this
    thread until the session ends, and async fixtures set up after it would find it there."""
    items.sort(key=lambda item: "tests/browser/" in item.nodeid)
