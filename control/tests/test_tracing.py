"""Spans: one FastAPI server span per request and, under it, exactly one `model-inference` span."""

from __future__ import annotations

import lightgbm
import pytest
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

from tests.conftest import NUM_FEATURES, ClientFactory

ROW = [0.25] * NUM_FEATURES


def test_the_inference_span_is_a_child_of_the_server_span_with_the_model_attributes(
    client: TestClient, span_exporter: InMemorySpanExporter, booster: lightgbm.Booster
) -> None:
    model = client.get("/model").json()
    span_exporter.clear()
    assert client.post("/inference", json={"data": [ROW, ROW, ROW], "output": "contrib"}).status_code == 200

    spans = span_exporter.get_finished_spans()
    assert sorted(s.name for s in spans) == ["POST /inference", "model-inference"]  # no receive/send spans
    server = next(s for s in spans if s.name == "POST /inference")
    inference = next(s for s in spans if s.name == "model-inference")
    assert server.kind == SpanKind.SERVER
    assert inference.parent is not None and inference.parent.span_id == server.context.span_id
    assert inference.context.trace_id == server.context.trace_id
    assert dict(inference.attributes or {}) == {
        "model.name": "model",
        "model.version": model["version"],
        "model.batch_rows": 3,
        "model.num_trees": booster.num_trees(),
        "model.output": "contrib",
    }
    assert inference.start_time is not None and server.start_time is not None
    assert server.start_time <= inference.start_time
    assert inference.end_time is not None and server.end_time is not None
    assert inference.end_time <= server.end_time


def test_the_model_name_attribute_follows_the_model_name_setting(
    make_client: ClientFactory, span_exporter: InMemorySpanExporter
) -> None:
    client = make_client(model_name="seed-regressor")
    assert client.get("/model").json()["name"] == "seed-regressor"
    client.post("/inference", json={"data": ROW})
    (inference,) = [s for s in span_exporter.get_finished_spans() if s.name == "model-inference"]
    assert (inference.attributes or {})["model.name"] == "seed-regressor"
    assert (inference.attributes or {})["model.batch_rows"] == 1
    assert (inference.attributes or {})["model.output"] == "value"


def test_a_rejected_request_makes_no_inference_span(client: TestClient, span_exporter: InMemorySpanExporter) -> None:
    assert client.post("/inference", json={"data": ROW[:3]}).status_code == 400
    names = [s.name for s in span_exporter.get_finished_spans()]
    assert names == ["POST /inference"]


def test_an_inference_failure_is_recorded_on_the_span_with_an_error_status(
    client: TestClient, span_exporter: InMemorySpanExporter, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*_args: object, **_kwargs: object) -> None:
        raise lightgbm.basic.LightGBMError("boom")

    monkeypatch.setattr(lightgbm.Booster, "predict", explode)
    assert client.post("/inference", json={"data": ROW}).status_code == 500
    (inference,) = [s for s in span_exporter.get_finished_spans() if s.name == "model-inference"]
    assert inference.status.status_code == StatusCode.ERROR
    assert [e.name for e in inference.events] == ["exception"]
    assert (inference.events[0].attributes or {})["exception.message"] == "boom"


def test_with_the_sdk_disabled_no_spans_are_made(
    make_client: ClientFactory, span_exporter: InMemorySpanExporter
) -> None:
    client = make_client(otel_sdk_disabled=True)
    assert client.post("/inference", json={"data": ROW}).status_code == 200
    assert span_exporter.get_finished_spans() == ()


def test_health_probes_are_not_traced(client: TestClient, span_exporter: InMemorySpanExporter) -> None:
    span_exporter.clear()
    assert client.get("/health").status_code == 200
    assert client.get("/ready").status_code == 200
    assert client.get("/model").status_code == 200
    assert [s.name for s in span_exporter.get_finished_spans()] == ["GET /model"]
