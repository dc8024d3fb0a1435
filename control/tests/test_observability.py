"""/metrics and the JSON logs on a real server: counts match the requests sent, the names, types, labels and
buckets are contract/metrics.json's, and every log line is JSON, request lines joined to their trace."""

from __future__ import annotations

import http.client
import json
import re
from pathlib import Path

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from app.metrics import load_contract
from tests.conftest import NUM_FEATURES, ClientFactory
from tests.test_server_process import request, start_server, stop

ROW = [0.5] * NUM_FEATURES


def scrape(port: int) -> dict[str, object]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/metrics")
        response = connection.getresponse()
        assert response.status == 200
        assert response.getheader("content-type", "").startswith("text/plain; version=")
        return {f.name: f for f in text_string_to_metric_families(response.read().decode())}
    finally:
        connection.close()


def value(families: dict[str, object], sample_name: str, **labels: str) -> float:
    family = families[re.sub(r"_(total|count|sum|bucket)$", "", sample_name)]
    matches = [s.value for s in family.samples if s.name == sample_name and s.labels == labels]  # type: ignore[attr-defined]
    return matches[0] if matches else 0.0


def send_the_mix(port: int) -> None:
    for _ in range(3):
        assert request(port, "POST", "/inference", {"data": [ROW, ROW]})[0] == 200
    assert request(port, "POST", "/inference", {"data": ROW, "output": "leaf"})[0] == 200
    for _ in range(2):
        assert request(port, "POST", "/inference", {"data": ROW[:3]})[0] == 400
    assert request(port, "GET", "/nope")[0] == 404
    assert request(port, "GET", "/health")[0] == 200


def test_metrics_count_the_requests_sent_with_the_contracts_names_labels_and_buckets(
    regression_model_path: Path,
) -> None:
    process, port = start_server(
        {"MODEL_PATH": str(regression_model_path), "MODEL_NAME": "seed", "OTEL_TRACES_EXPORTER": "none"}
    )
    try:
        send_the_mix(port)
        families = scrape(port)
        again = scrape(port)
    finally:
        stop(process)

    requests = "http_requests_total"
    assert value(families, requests, method="POST", route="/inference", status="200") == 4
    assert value(families, requests, method="POST", route="/inference", status="400") == 2
    assert value(families, requests, method="GET", route="unmatched", status="404") == 1
    assert value(families, requests, method="GET", route="/health", status="200") == 1
    assert value(families, requests, method="GET", route="/metrics", status="200") == 0  # counted once answered
    assert value(again, requests, method="GET", route="/metrics", status="200") == 1
    duration = "http_request_duration_seconds_count"
    assert value(families, duration, method="POST", route="/inference", status="400") == 2
    assert value(families, "model_inference_rows_count", model="seed", output="value") == 3
    assert value(families, "model_inference_rows_sum", model="seed", output="value") == 6
    assert value(families, "model_inference_duration_seconds_count", model="seed", output="leaf") == 1
    assert value(families, "http_requests_in_flight") == 1  # the scrape itself
    info = families["model_info"].samples  # type: ignore[attr-defined]
    assert [(s.labels["name"], s.labels["trees"], s.labels["features"], s.value) for s in info] == [
        ("seed", "20", "20", 1.0)
    ]
    assert info[0].labels["version"].startswith("sha256:")

    for name, spec in load_contract().items():
        family = families[name.removesuffix("_total")]
        assert family.type == spec["type"], name  # type: ignore[attr-defined]
        assert family.documentation == spec["help"], name  # type: ignore[attr-defined]
        for sample in family.samples:  # type: ignore[attr-defined]
            assert set(sample.labels) - {"le"} == set(spec["labels"]), name
        if spec["buckets"]:
            les = sorted({float(s.labels["le"]) for s in family.samples if s.name.endswith("_bucket")})  # type: ignore[attr-defined]
            assert les == [*map(float, spec["buckets"]), float("inf")], name
    assert {"process_resident_memory_bytes", "process_cpu_seconds", "python_gc_collections"} <= set(families)


def test_with_two_workers_a_scrape_adds_up_both_workers_counts(regression_model_path: Path) -> None:
    process, port = start_server(
        {"MODEL_PATH": str(regression_model_path), "OTEL_SDK_DISABLED": "true", "WORKERS": "2"}
    )
    try:
        for _ in range(12):  # fresh connections, spread over both workers by the kernel
            assert request(port, "POST", "/inference", {"data": ROW})[0] == 200
        families = scrape(port)
    finally:
        stop(process)
    assert value(families, "http_requests_total", method="POST", route="/inference", status="200") == 12


def test_metrics_enabled_false_serves_no_metrics(make_client: ClientFactory) -> None:
    client: TestClient = make_client(metrics_enabled=False)
    assert client.get("/metrics").status_code == 404


def test_every_log_line_is_json_and_request_lines_carry_their_trace(regression_model_path: Path) -> None:
    process, port = start_server(
        {"MODEL_PATH": str(regression_model_path), "ACCESS_LOG": "true", "OTEL_TRACES_EXPORTER": "none"}
    )
    try:
        send_the_mix(port)
    finally:
        code, output = stop(process)
    assert code == 0
    lines = [json.loads(line) for line in output.splitlines()]  # every line parses
    for line in lines:
        assert set(line) >= {"time", "level", "msg", "service"}
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", line["time"])
        assert line["service"] == "fastapi-control"
    messages = [line["msg"] for line in lines]
    assert messages[0] == "starting"
    loaded = next(line for line in lines if line["msg"] == "model loaded")
    assert loaded["version"].startswith("sha256:") and loaded["load_ms"] > 0 and loaded["trees"] == 20
    assert "shutdown complete" in messages

    access = [line for line in lines if line["msg"] == "request" and line["path"] != "/ready"]  # start_server's
    assert [(a["method"], a["path"], a["status"]) for a in access] == [
        *[("POST", "/inference", 200)] * 4,
        *[("POST", "/inference", 400)] * 2,
        ("GET", "/nope", 404),
        ("GET", "/health", 200),
    ]
    traced = access[:-1]  # health probes are not traced
    assert all(re.fullmatch(r"[0-9a-f]{32}", a["trace_id"]) for a in traced)
    assert all(re.fullmatch(r"[0-9a-f]{16}", a["span_id"]) for a in traced)
    assert len({a["trace_id"] for a in traced}) == len(traced)
    assert "trace_id" not in access[-1]


def test_the_shared_openapi_document_is_served_as_is_with_a_docs_page(client: TestClient) -> None:
    from app.main import OPENAPI_PATH

    response = client.get("/openapi.json")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.content == OPENAPI_PATH.read_bytes()
    assert response.json()["openapi"].startswith("3.1")
    assert {"/inference", "/health", "/ready", "/model", "/metrics"} <= set(response.json()["paths"])
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/openapi.json" in docs.text
