"""The shared bad-request matrix (test/contract/bad-requests.json, also run against the TypeScript endpoint),
against the control on the bundled model with the default limits: the same status and code for every case,
except the Open Inference Protocol's, whose routes only the TypeScript endpoint serves."""

from __future__ import annotations

import contextlib
import http.client
import json
import re
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from app.settings import DEFAULT_MODEL_PATH, REPO_ROOT
from tests.test_server_process import start_server, stop

MATRIX = REPO_ROOT / "test" / "contract" / "bad-requests.json"
CASES: list[dict[str, Any]] = json.loads(MATRIX.read_text())["cases"] if MATRIX.exists() else []


def expand(text: str) -> str:
    """{{TEXT*N}} stands for TEXT repeated N times."""
    return re.sub(r"\{\{(.*?)\*(\d+)\}\}", lambda m: m.group(1) * int(m.group(2)), text, flags=re.S)


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    process, port = start_server({"MODEL_PATH": str(DEFAULT_MODEL_PATH), "OTEL_SDK_DISABLED": "true"})
    yield port
    stop(process)


def over_http(port: int, case: dict[str, Any]) -> tuple[int, bytes]:
    body = expand(case["bodyText"]).encode() if "bodyText" in case else None
    if "body" in case:
        body = json.dumps(case["body"]).encode()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(case["method"], case["path"], body=body, headers=case.get("headers", {}))
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def over_socket(port: int, raw: str) -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        # The server may answer and close before it has read everything: the answer is still there to read.
        with contextlib.suppress(OSError):
            sock.sendall(expand(raw).encode("latin-1"))
        received = b""
        with contextlib.suppress(ConnectionResetError):
            while chunk := sock.recv(65536):
                received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 "), received[:200]
    return int(head.split(b" ", 2)[1]), body


@pytest.mark.skipif(not CASES, reason="test/contract/bad-requests.json is not in this checkout")
@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_the_control_answers_each_bad_request_as_the_typescript_endpoint_does(port: int, case: dict[str, Any]) -> None:
    if case.get("oip"):
        pytest.skip("the Open Inference Protocol is served by the TypeScript endpoint only")
    status, body = over_socket(port, case["raw"]) if "raw" in case else over_http(port, case)
    error = json.loads(body)["error"]
    assert (status, error["code"]) == (case["status"], case["code"]), error["message"]
    assert error["message"]
