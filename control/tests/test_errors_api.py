"""Every client mistake answers a JSON error with the contract's status, code and message, never a 500."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.settings import Settings
from tests.conftest import NUM_FEATURES, ClientFactory

ROW = [0.5] * NUM_FEATURES


def error_of(response: object) -> tuple[int, str, str]:
    status = response.status_code  # type: ignore[attr-defined]
    assert response.headers["content-type"] == "application/json"  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return status, body["error"]["code"], body["error"]["message"]


def with_string_at(row: list[object], index: int) -> list[object]:
    row = list(row)
    row[index] = "1.5"
    return row


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "data is missing"),
        ({"data": None}, "data is missing"),
        ({"data": []}, "data is empty"),
        ({"data": "1,2,3"}, "data must be an array or an object, not a string"),
        ({"data": 3}, "data must be an array or an object, not a number"),
        ({"data": ROW[:19]}, "data has 19 values; the model expects 20"),
        ({"data": [*ROW, 1.0]}, "data has 21 values; the model expects 20"),
        ({"data": with_string_at(ROW, 7)}, "data[7] is a string"),
        ({"data": [*ROW[:19], True]}, "data[19] is a boolean"),
        ({"data": [1.0, [2.0], *ROW[2:]]}, "data[1] is an array"),
        ({"data": [1.0, {"a": 1}, *ROW[2:]]}, "data[1] is an object"),
        ({"data": [ROW, ROW, ROW, ROW[:19]]}, "data[3] has 19 values; the model expects 20"),
        ({"data": [ROW, []]}, "data[1] has 0 values; the model expects 20"),
        ({"data": [with_string_at(ROW, 7)]}, "data[0][7] is a string"),
        ({"data": [ROW, [*ROW[:4], None, False, *ROW[6:]]]}, "data[1][5] is a boolean"),
        ({"data": [ROW, 1.0]}, "data[1] is a number; a row must be an array or an object"),
        ({"data": [ROW, None]}, "data[1] is null; a row must be an array or an object"),
        ({"data": {"Column_0": 1.0, "colour": 2.0}}, 'data has an unknown feature "colour"'),
        ({"data": [ROW, {"Column_99": 1.0}]}, 'data[1] has an unknown feature "Column_99"'),
        ({"data": {"Column_4": "high"}}, "data.Column_4 is a string"),
        ({"data": [{"Column_4": [1]}]}, "data[0].Column_4 is an array"),
        ({"data": ROW, "output": "proba"}, "output must be one of value, raw, leaf, contrib"),
        ({"data": ROW, "output": 1}, "output must be one of value, raw, leaf, contrib"),
        ({"data": ROW, "start_iteration": -1}, "start_iteration must be an integer >= 0"),
        ({"data": ROW, "start_iteration": 1.5}, "start_iteration must be an integer >= 0"),
        ({"data": ROW, "start_iteration": "2"}, "start_iteration must be an integer >= 0"),
        ({"data": ROW, "start_iteration": True}, "start_iteration must be an integer >= 0"),
        ({"data": ROW, "start_iteration": 1e300}, "start_iteration must be an integer >= 0"),
        ({"data": ROW, "start_iteration": 2**53}, "start_iteration must be an integer >= 0"),
        ({"data": ROW, "num_iteration": -1e300}, "num_iteration must be an integer"),
        ({"data": ROW, "num_iteration": "all"}, "num_iteration must be an integer"),
        ({"data": ROW, "num_iteration": 2.5}, "num_iteration must be an integer"),
        (
            {"data": ROW, "num_iterations": 3},
            'unknown field "num_iterations"; the fields are data, output, start_iteration, num_iteration',
        ),
        ([ROW], "the request body must be a JSON object, not an array"),
        ("data", "the request body must be a JSON object, not a string"),
        (None, "the request body must be a JSON object, not null"),
    ],
)
def test_a_malformed_request_is_a_400_invalid_request_naming_the_problem(
    client: TestClient, body: object, message: str
) -> None:
    response = client.post("/inference", content=json.dumps(body), headers={"content-type": "application/json"})
    assert error_of(response) == (400, "invalid_request", message)


@pytest.mark.parametrize(
    "raw",
    [b"", b"{", b'{"data": [1, 2,]}', b"{'data': []}", b'{"data": [NaN]}', b'{"data": [Infinity]}', b"\xff\xfe"],
)
def test_a_body_that_is_not_json_is_a_400_invalid_json(client: TestClient, raw: bytes) -> None:
    response = client.post("/inference", content=raw, headers={"content-type": "application/json"})
    assert error_of(response) == (400, "invalid_json", "the request body is not valid JSON")


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded", "application/jsonx"])
def test_a_body_that_is_not_declared_json_is_a_415(client: TestClient, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/inference", content=b'{"data": []}', headers=headers)
    got = "no Content-Type" if content_type is None else f'"{content_type}"'
    assert error_of(response) == (415, "unsupported_media_type", f"the body must be application/json, got {got}")


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "application/json; charset=utf-8", "Application/JSON", "application/vnd.api+json;v=1"],
)
def test_json_and_any_plus_json_media_type_are_accepted_as_on_the_typescript_side(
    client: TestClient, content_type: str
) -> None:
    response = client.post("/inference", content=json.dumps({"data": ROW}), headers={"content-type": content_type})
    assert response.status_code == 200


def test_a_body_above_max_body_bytes_is_a_413(make_client: ClientFactory) -> None:
    raw = json.dumps({"data": ROW}).encode()
    client = make_client(max_body_bytes=len(raw) - 1)
    response = client.post("/inference", content=raw, headers={"content-type": "application/json"})
    message = f"the body is larger than the limit of {len(raw) - 1} bytes (MAX_BODY_BYTES)"
    assert error_of(response) == (413, "payload_too_large", message)


def test_a_chunked_body_above_max_body_bytes_is_a_413_too(make_client: ClientFactory) -> None:
    client = make_client(max_body_bytes=100)

    def chunks() -> object:
        yield b'{"data": ['
        for _ in range(50):
            yield b"0.5, "
        yield b"0.5]}"

    response = client.post("/inference", content=chunks(), headers={"content-type": "application/json"})
    assert error_of(response) == (
        413,
        "payload_too_large",
        "the body is larger than the limit of 100 bytes (MAX_BODY_BYTES)",
    )


def test_a_body_of_exactly_max_body_bytes_is_accepted(make_client: ClientFactory) -> None:
    raw = b'{"data": [' + b",".join([b"1"] * NUM_FEATURES) + b"]}"
    client = make_client(max_body_bytes=len(raw))
    response = client.post("/inference", content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 200


def test_the_default_body_limit_is_one_mebibyte(client: TestClient) -> None:
    raw = b'{"data": [' + b" " * (1_048_576 - 11) + b"]}"
    assert len(raw) == 1_048_577
    response = client.post("/inference", content=raw, headers={"content-type": "application/json"})
    message = "the body is larger than the limit of 1048576 bytes (MAX_BODY_BYTES)"
    assert error_of(response) == (413, "payload_too_large", message)


@pytest.mark.parametrize("path", ["/", "/predict", "/inference/", "/redoc", "/health/x"])
def test_an_unknown_path_is_a_404_not_found(client: TestClient, path: str) -> None:
    assert error_of(client.get(path)) == (404, "not_found", f"no route for GET {path}")


@pytest.mark.parametrize(
    ("method", "path", "allow"),
    [
        ("GET", "/inference", "POST"),
        ("PUT", "/inference", "POST"),
        ("POST", "/health", "GET, HEAD"),
        ("DELETE", "/model", "GET, HEAD"),
        ("POST", "/ready", "GET, HEAD"),
    ],
)
def test_a_known_path_with_the_wrong_method_is_a_405_with_an_allow_header(
    client: TestClient, method: str, path: str, allow: str
) -> None:
    response = client.request(method, path)
    message = f"{method} is not allowed on {path}; allowed: {allow}"
    assert error_of(response) == (405, "method_not_allowed", message)
    assert response.headers["allow"] == allow


def test_before_the_model_is_loaded_ready_model_and_inference_answer_503(settings: Settings) -> None:
    # Without entering the client's context the lifespan does not run, so the model is not loaded yet.
    client = TestClient(create_app(replace(settings, otel_sdk_disabled=True)), raise_server_exceptions=False)
    assert client.get("/health").json() == {"status": "ok"}
    for response in (client.get("/ready"), client.get("/model"), client.post("/inference", json={"data": ROW})):
        assert error_of(response) == (503, "not_ready", "the model is not loaded yet")


def test_an_unexpected_inference_failure_is_a_500_internal_not_a_crash(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import lightgbm

    def explode(*_args: object, **_kwargs: object) -> None:
        raise lightgbm.basic.LightGBMError("boom")

    monkeypatch.setattr(lightgbm.Booster, "predict", explode)
    response = client.post("/inference", json={"data": ROW})
    assert error_of(response) == (500, "internal", "the server failed to handle the request")
    monkeypatch.undo()
    assert client.post("/inference", json={"data": ROW}).status_code == 200


def test_a_missing_model_file_fails_start_up_with_the_path_in_the_message(tmp_path: Path) -> None:
    from app.model import ModelLoadError

    app = create_app(Settings(model_path=tmp_path / "absent.txt", otel_sdk_disabled=True))
    with (
        pytest.raises(ModelLoadError, match=r"cannot read the model file .*absent\.txt: No such file"),
        TestClient(app),
    ):
        pass
