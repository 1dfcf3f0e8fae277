"""A log line written inside a trace names it, so logs and traces can be joined."""

from __future__ import annotations

import json

import structlog
from opentelemetry.sdk.trace import TracerProvider

from mutasi.logging import configure_logging, get_logger


def test_a_log_line_inside_a_span_carries_its_trace_and_span_ids(capsys):
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
