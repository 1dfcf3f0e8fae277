"""A stop (systemd's SIGTERM, Ctrl-C under `mutasi run`) ends each component cleanly and at
once, instead of hanging until the SIGKILL that follows it. A second instance of each runs
beside the session's, as a second replica would in production."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import pytest

from mutasi.embedded.process import free_port
from mutasi.embedded.stack import Stack

STOP_WITHIN_S = 10.0  # ManagedProcess and systemd's TimeoutStopSec wait longer, then SIGKILL
# uvicorn re-raises the SIGTERM it handled once its shutdown is complete; systemd counts an
# exit by SIGTERM as a clean stop, as it does 0.
CLEAN_EXITS = (0, -signal.SIGTERM)


@pytest.mark.parametrize("name", ["proposal", "approval", "notification", "relay"])
def test_a_component_stops_promptly_and_cleanly(stack, name):  # noqa: ANN001
    # A replica beside the session's needs its own port (the relay's for /metrics).
    port_setting = "relay_metrics_port" if name == "relay" else f"{name}_port"
    settings = stack.settings.model_copy(update={port_setting: free_port()})
    process = Stack(settings, temporal_ui=False).component(name)
    log_start = process.log_path.stat().st_size if process.log_path.exists() else 0
    replica = process.start(timeout=90)
    assert replica.proc is not None
    time.sleep(1)  # past start-up: its consumer, loops and connections are running
    os.killpg(replica.proc.pid, signal.SIGTERM)
    try:
        code = replica.proc.wait(STOP_WITHIN_S)
    except subprocess.TimeoutExpired:
        replica.kill()
        code = None
    said = replica.log_path.read_text(errors="replace")[log_start:]
    assert code in CLEAN_EXITS, f"{name} exit {code} within {STOP_WITHIN_S} s: ...{said[-1500:]}"
    if name != "relay":
        assert "Application shutdown complete" in said, said[-1500:]
