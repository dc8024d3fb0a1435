"""Tracing: the tracer provider (BatchSpanProcessor + OTLP over HTTP/protobuf) and the names of our spans.

The FastAPI instrumentation makes the server span; the routes add one child span, `model-inference`, around
LightGBM's predict call. Span and attribute names are defined here only.
"""

from __future__ import annotations

from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, ConsoleSpanExporter, SpanExporter

from .settings import Settings

INFERENCE_SPAN = "model-inference"
ATTR_MODEL_NAME = "model.name"
ATTR_MODEL_VERSION = "model.version"
ATTR_BATCH_ROWS = "model.batch_rows"
ATTR_NUM_TREES = "model.num_trees"
ATTR_OUTPUT = "model.output"

INSTRUMENTATION_NAME = "control"


def build_tracer_provider(settings: Settings) -> TracerProvider | None:
    """The provider the settings ask for, or None when tracing is off (OTEL_SDK_DISABLED=true)."""
    if settings.otel_sdk_disabled:
        return None
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: settings.otel_service_name}))
    exporter: SpanExporter | None = None
    if settings.otel_traces_exporter == "otlp":
        # Imported here: the exporter pulls in requests and protobuf, which a disabled service does not need.
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        exporter = OTLPSpanExporter(endpoint=settings.otel_traces_endpoint)
    elif settings.otel_traces_exporter == "console":
        exporter = ConsoleSpanExporter()
    if exporter is not None:
        provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider
