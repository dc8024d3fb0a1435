"""The HTTP layer below FastAPI (app/http.py), on a real server over loopback: slow and oversized heads, bad
framing and unknown methods all get a JSON error from the shared catalog, and SIGTERM drains requests."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.settings import DEFAULT_MODEL_PATH
from tests.test_server_process import request, start_server, stop


@pytest.fixture(scope="module")
def server(regression_model_path: Path) -> Iterator[int]:
    process, port = start_server(
        {
            "MODEL_PATH": str(regression_model_path),
            "OTEL_SDK_DISABLED": "true",
            "HEADERS_TIMEOUT_MS": "500",
            "REQUEST_TIMEOUT_MS": "1000",
            "MAX_HEADER_BYTES": "4096",
        }
    )
    yield port
    stop(process)


def raw_exchange(port: int, data: bytes, wait: float = 10.0) -> tuple[int, dict[str, object], float]:
    """Sends raw bytes, reads until the server closes; returns the status, the JSON body and nothing else."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        if data:
            sock.sendall(data)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    assert b"content-type: application/json" in head.lower(), head
    return status, json.loads(body), 0.0


def code_of(port: int, data: bytes) -> tuple[int, str]:
    status, body, _ = raw_exchange(port, data)
    return status, body["error"]["code"]  # type: ignore[index]


def test_headers_that_do_not_arrive_in_time_get_a_408(server: int) -> None:
    status, body, _ = raw_exchange(server, b"POST /inference HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    assert (status, body) == (
        408,
        {
            "error": {
                "code": "request_timeout",
                "message": "the request headers did not arrive within HEADERS_TIMEOUT_MS (500 ms)",
            }
        },
    )


def test_a_body_that_does_not_arrive_in_time_gets_a_408(server: int) -> None:
    head = b"POST /inference HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
    status, body, _ = raw_exchange(server, head + b'{"data": [')
    message = "the request did not arrive within REQUEST_TIMEOUT_MS (1000 ms)"
    assert (status, body) == (408, {"error": {"code": "request_timeout", "message": message}})


def test_a_connection_that_sends_nothing_is_closed_after_the_headers_timeout(server: int) -> None:
    with socket.create_connection(("127.0.0.1", server), timeout=10) as sock:
        assert sock.recv(100) == b""  # closed by the server, not by our 10 s timeout


def test_headers_above_max_header_bytes_get_a_431(server: int) -> None:
    data = b"GET /health HTTP/1.1\r\nHost: x\r\n" + b"X-Big: " + b"a" * 8000 + b"\r\n\r\n"
    assert code_of(server, data) == (431, "headers_too_large")


def test_a_request_line_above_max_header_bytes_gets_a_414(server: int) -> None:
    data = b"GET /health?" + b"a" * 8000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    assert code_of(server, data) == (414, "uri_too_long")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"BREW /inference HTTP/1.1\r\nHost: x\r\n\r\n", (501, "not_implemented")),
        (
            b"POST /inference HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
            (400, "bad_request"),
        ),
        (
            b"POST /inference HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            (400, "bad_request"),
        ),
        (b"POST /inference HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", (400, "bad_request")),
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", (400, "bad_request")),
    ],
    ids=["unknown method", "two content-lengths", "content-length with chunked", "bad chunk", "tls bytes"],
)
def test_what_the_http_parser_rejects_is_a_json_error(server: int, data: bytes, expected: tuple[int, str]) -> None:
    assert code_of(server, data) == expected


def test_a_path_that_is_not_valid_percent_encoding_is_a_400(server: int) -> None:
    status, body, _ = raw_exchange(server, b"GET /inference%zz HTTP/1.1\r\nHost: x\r\n\r\n")
    message = "the path is not valid percent-encoding"
    assert (status, body) == (400, {"error": {"code": "bad_request", "message": message}})


def test_a_body_longer_than_its_content_length_gets_the_first_answer_then_a_400(server: int) -> None:
    head = b"POST /inference HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server), timeout=10) as sock:
        sock.sendall(head + b'{"data": [1,2,3]}')  # 10 bytes are the body; the rest is not a request
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    answers = re.findall(rb"HTTP/1\.1 (\d+) .*?\r\n\r\n(\{.*?\}\})", received, flags=re.S)
    assert [(int(status), json.loads(body)["error"]["code"]) for status, body in answers] == [
        (400, "invalid_json"),  # the first request's own answer: '{"data": [' is not JSON
        (400, "bad_request"),
    ]


def test_a_good_request_still_works_on_the_same_server(server: int) -> None:
    assert request(server, "GET", "/health") == (200, {"status": "ok"})


def http_post(body: bytes) -> bytes:
    head = b"POST /inference HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n"
    return head % len(body) + body


def test_requests_queued_while_the_server_is_busy_at_sigterm_are_answered_not_reset(
    regression_model_path: Path,
) -> None:
    process, port = start_server({"MODEL_PATH": str(regression_model_path), "OTEL_SDK_DISABLED": "true"})
    small = http_post(json.dumps({"data": [0.5] * 20}).encode())
    answers = []
    try:
        # 10,000 rows keep the event loop busy parsing; meanwhile 30 connections queue in the backlog.
        heavy = socket.create_connection(("127.0.0.1", port))
        heavy.sendall(http_post(json.dumps({"data": [[0.5] * 20] * 10_000}).encode()))
        time.sleep(0.01)
        queued = [socket.create_connection(("127.0.0.1", port)) for _ in range(30)]
        for sock in queued:
            sock.sendall(small)
        os.kill(process.pid, signal.SIGTERM)
        for sock in [heavy, *queued]:
            sock.settimeout(30)
            try:
                answers.append(sock.recv(12))
            except OSError as exc:
                answers.append(type(exc).__name__.encode())
            sock.close()
    finally:
        output = process.communicate(timeout=30)[0].decode()  # SIGTERM was sent above
    assert process.returncode == 0, output
    assert answers == [b"HTTP/1.1 200"] * 31


def test_a_client_that_stops_reading_its_response_is_disconnected_after_the_write_timeout() -> None:
    process, port = start_server(
        {
            "MODEL_PATH": str(DEFAULT_MODEL_PATH),
            "OTEL_SDK_DISABLED": "true",
            "WRITE_TIMEOUT_MS": "300",
            "MAX_OUTPUT_VALUES": "10000000",
        }
    )
    try:
        # 10,000 rows of leaf indices of the bundled model's 500 trees: a reply of over 10 MB, more than the
        # kernel's socket buffers hold, to a client that does not read.
        body = json.dumps({"data": [[0.5] * 20] * 10_000, "output": "leaf"}).encode()
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(http_post(body))
        time.sleep(5)  # not reading: the buffers fill, writing pauses, the write timeout fires
        received = b""
        sock.settimeout(10)
        with contextlib.suppress(ConnectionResetError):
            while chunk := sock.recv(1 << 20):
                received += chunk
        sock.close()
        head, _, reply = received.partition(b"\r\n\r\n")
        declared = int(re.search(rb"content-length: (\d+)", head).group(1))  # type: ignore[union-attr]
        assert 0 < len(reply) < declared  # cut short, not all of it
        assert request(port, "GET", "/health")[0] == 200
    finally:
        stop(process)
