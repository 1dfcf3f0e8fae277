"""A log line written inside a trace names it, so logs and traces can be joined."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import structlog
from opentelemetry.sdk.trace import TracerProvider

from mutasi.logging import configure_logging, get_logger


@pytest.fixture
def logging_undone() -> Iterator[None]:
    """Our logging set-up binds the stderr pytest captures for one test phase only, a file
    closed once it ends: undo it, or every later log line in the session fails."""
    yield
    structlog.reset_defaults()


def test_a_log_line_inside_a_span_carries_its_trace_and_span_ids(capsys, logging_undone):
    configure_logging("INFO", json=True)
    structlog.configure(cache_logger_on_first_use=False)
    tracer = TracerProvider().get_tracer("test")
    with tracer.start_as_current_span("verify") as span:
        get_logger("test").info("step_recorded", step="verify")
        ids = span.get_span_context()
    get_logger("test").info("outside_any_trace")
    inside, outside = [json.loads(line) for line in capsys.readouterr().err.splitlines()[-2:]]
    assert inside["trace_id"] == format(ids.trace_id, "032x")
    assert inside["span_id"] == format(ids.span_id, "016x")
    assert "trace_id" not in outside
