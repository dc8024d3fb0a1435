"""The real thing: `python -m app` as a subprocess, real HTTP on loopback, stopped by SIGTERM to its pid."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import lightgbm
import numpy as np
import pytest
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

CONTROL_DIR = Path(__file__).resolve().parents[1]
START_TIMEOUT = 120.0  # importing lightgbm (with scikit-learn and pandas present) can take seconds on a cold disk


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    full_env.update({"HOST": "127.0.0.1", "PORT": str(port), **env})
    process = subprocess.Popen(
        [sys.executable, "-m", "app"], cwd=CONTROL_DIR, env=full_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            pytest.fail(f"the server exited with {process.returncode} before it was ready:\n{output}")
        try:
            if request(port, "GET", "/ready")[0] == 200:
                return process, port
        except OSError:
            pass
        time.sleep(0.1)
    process.kill()
    pytest.fail("the server did not become ready in time")


def request(port: int, method: str, path: str, body: object = None) -> tuple[int, object]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        payload = None if body is None else json.dumps(body)
        headers = {} if body is None else {"Content-Type": "application/json"}
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        return response.status, json.loads(response.read())
    finally:
        connection.close()


def stop(process: subprocess.Popen[bytes]) -> tuple[int, str]:
    os.kill(process.pid, signal.SIGTERM)
    try:
        output, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        pytest.fail("the server did not stop within 30 s of SIGTERM")
    return process.returncode, output.decode()


@pytest.fixture
def collector() -> Iterator[list[tuple[str, str, bytes]]]:
    """A stand-in OTLP/HTTP collector that records (path, content type, body) of every POST."""
    received: list[tuple[str, str, bytes]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((self.path, self.headers["Content-Type"], body))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-protobuf")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    received.append(("port", str(server.server_address[1]), b""))
    yield received
    server.shutdown()
    server.server_close()


def test_the_server_answers_over_real_http_and_exits_cleanly_on_sigterm(
    regression_model_path: Path, booster: lightgbm.Booster
) -> None:
    process, port = start_server({"MODEL_PATH": str(regression_model_path), "OTEL_SDK_DISABLED": "true"})
    try:
        row = [0.5] * 20
        assert request(port, "GET", "/health") == (200, {"status": "ok"})
        assert request(port, "POST", "/inference", {"data": row}) == (
            200,
            {"prediction": booster.predict(np.array([row]))[0]},
        )
        assert request(port, "POST", "/inference", {"data": row[:3]}) == (
            400,
            {"error": {"code": "invalid_request", "message": "data has 3 values; the model expects 20"}},
        )
    finally:
        code, output = stop(process)
    assert code == 0, output
    assert "Application shutdown complete" in output


def test_spans_reach_an_otlp_http_collector_by_the_time_the_server_has_stopped(
    regression_model_path: Path, collector: list[tuple[str, str, bytes]]
) -> None:
    port_of_collector = collector.pop(0)[1]
    process, port = start_server(
        {
            "MODEL_PATH": str(regression_model_path),
            "MODEL_NAME": "seed",
            "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{port_of_collector}",
            "OTEL_SERVICE_NAME": "control-under-test",
            "OTEL_BSP_SCHEDULE_DELAY": "60000",  # so only the shutdown flush can deliver them
        }
    )
    try:
        assert request(port, "POST", "/inference", {"data": [[0.5] * 20] * 4})[0] == 200
    finally:
        code, output = stop(process)
    assert code == 0, output

    assert collector, "no export reached the collector"
    spans = []
    for path, content_type, body in collector:
        assert (path, content_type) == ("/v1/traces", "application/x-protobuf")
        export = ExportTraceServiceRequest.FromString(body)
        for resource_spans in export.resource_spans:
            service = {a.key: a.value.string_value for a in resource_spans.resource.attributes}["service.name"]
            assert service == "control-under-test"
            spans += [span for scope in resource_spans.scope_spans for span in scope.spans]
    by_name = {span.name: span for span in spans}
    assert set(by_name) >= {"POST /inference", "model-inference"}
    inference = by_name["model-inference"]
    assert inference.parent_span_id == by_name["POST /inference"].span_id
    attributes = {a.key: a.value for a in inference.attributes}
    assert attributes["model.name"].string_value == "seed"
    assert attributes["model.batch_rows"].int_value == 4


def test_several_workers_serve_the_same_contract_and_stop_on_sigterm(regression_model_path: Path) -> None:
    process, port = start_server(
        {"MODEL_PATH": str(regression_model_path), "OTEL_SDK_DISABLED": "true", "WORKERS": "2"}
    )
    try:
        for _ in range(6):
            status, body = request(port, "POST", "/inference", {"data": [[0.5] * 20] * 2})
            assert status == 200 and len(body["predictions"]) == 2  # type: ignore[index]
    finally:
        code, output = stop(process)
    assert code == 0, output


def test_a_missing_model_file_stops_start_up_with_a_non_zero_exit(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env.update({"MODEL_PATH": str(tmp_path / "absent.txt"), "OTEL_SDK_DISABLED": "true", "PORT": str(free_port())})
    result = subprocess.run(
        [sys.executable, "-m", "app"], cwd=CONTROL_DIR, env=env, capture_output=True, timeout=START_TIMEOUT
    )
    assert result.returncode != 0
    assert "cannot read the model file" in result.stderr.decode() + result.stdout.decode()


def test_a_bad_setting_stops_start_up_with_exit_code_2() -> None:
    env = {**os.environ, "PORT": "eighty"}
    result = subprocess.run([sys.executable, "-m", "app"], cwd=CONTROL_DIR, env=env, capture_output=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.decode().strip() == "configuration error: PORT must be an integer, got 'eighty'"
