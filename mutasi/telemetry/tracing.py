"""OpenTelemetry traces: one trace follows a transfer across every process.

HTTP request (mutasi.web.observe) → Temporal (the SDK's TracingInterceptor carries the
context in workflow, update and activity headers; a transfer's workflow keeps the context it
was started with, so every later step's activities join the proposal's trace and link the
caller's) → the log append (`log.append`, whose context is stored with the outbox row) → the
CloudEvent on NATS (`traceparent`/`tracestate` extension attributes, per the CloudEvents
distributed-tracing extension) → the notification consumer (`consume …`) → each e-mail or
webhook delivery (`deliver …`, from the context stored with the delivery row).

Exported over OTLP/HTTP to `settings.otlp_endpoint` (an OpenTelemetry Collector, Jaeger,
Tempo…). Without an endpoint nothing is recorded: the API's no-op tracer costs nothing, and an
incoming `traceparent` still reaches the log lines (structlog's `trace_id`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from typing import Any

from opentelemetry import context as otel_context
from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from mutasi.settings import Settings

_PROPAGATOR = TraceContextTextMapPropagator()
tracer = trace.get_tracer("mutasi")
_configured = False


def configure_tracing(settings: Settings, component: str) -> bool:
    """Export this process's spans if an OTLP endpoint is set; True if it is."""
    global _configured
    if not settings.otlp_endpoint or _configured:
        return _configured
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor
    from opentelemetry.sdk.trace.sampling import ParentBased, TraceIdRatioBased

    provider = TracerProvider(
        resource=Resource.create(
            {"service.name": f"mutasi-{component}", "service.namespace": "mutasi"}
        ),
        sampler=ParentBased(TraceIdRatioBased(settings.trace_sample_ratio)),
    )
    exporter = OTLPSpanExporter(
        endpoint=settings.otlp_endpoint.rstrip("/") + "/v1/traces",
        headers=dict(settings.otlp_headers),
    )
    provider.add_span_processor(
        BatchSpanProcessor(exporter, schedule_delay_millis=settings.trace_export_delay_ms)
    )
    trace.set_tracer_provider(provider)
    _configured = True
    return True


def shutdown_tracing() -> None:
    """Flush what is buffered (a clean stop; the SDK also does it at interpreter exit)."""
    provider = trace.get_tracer_provider()
    if hasattr(provider, "shutdown"):
        provider.shutdown()


def tracing_enabled() -> bool:
    return _configured


def current_trace_headers() -> dict[str, str]:
    """`traceparent` (and `tracestate`) of the current span; empty outside any trace."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier


def current_traceparent() -> str | None:
    return current_trace_headers().get("traceparent")


def context_from(headers: Mapping[str, Any]) -> otel_context.Context:
    """The context a `traceparent`/`tracestate` pair names (an empty one without them)."""
    carrier = {k: str(v) for k in ("traceparent", "tracestate") if (v := headers.get(k))}
    return _PROPAGATOR.extract(carrier)


@contextmanager
def span_from(
    name: str,
    headers: Mapping[str, Any],
    kind: SpanKind = SpanKind.INTERNAL,
    attributes: Mapping[str, Any] | None = None,
) -> Iterator[Span]:
    """A span continuing the trace named by `headers` (a CloudEvent, a stored row)."""
    with tracer.start_as_current_span(
        name, context=context_from(headers), kind=kind, attributes=attributes
    ) as span:
        yield span


def trace_ids(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: every log line inside a trace names it (`trace_id`, `span_id`)."""
    span_context = trace.get_current_span().get_span_context()
    if span_context.is_valid:
        event_dict["trace_id"] = format(span_context.trace_id, "032x")
        event_dict["span_id"] = format(span_context.span_id, "016x")
    return event_dict
