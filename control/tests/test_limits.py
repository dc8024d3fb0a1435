"""Bounded work per request: rows, output values and the time budget are refused up front with a named 413/422,
and linear-tree contributions are a 400 unsupported_output, as on the TypeScript side."""

from __future__ import annotations

import json
import re
from pathlib import Path

import lightgbm
import numpy as np
import pytest
from fastapi.testclient import TestClient

from tests.conftest import NUM_FEATURES, ClientFactory
from tests.test_errors_api import error_of

ROW = [0.5] * NUM_FEATURES


def post(client: TestClient, body: object) -> object:
    return client.post("/inference", content=json.dumps(body), headers={"content-type": "application/json"})


def test_more_rows_than_max_rows_is_a_413_naming_the_limit(make_client: ClientFactory) -> None:
    client = make_client(max_rows=3)
    assert post(client, {"data": [ROW] * 3}).status_code == 200  # type: ignore[attr-defined]
    message = "the request has 4 rows; the limit is 3 (MAX_ROWS)"
    assert error_of(post(client, {"data": [ROW] * 4})) == (413, "too_many_rows", message)
    assert error_of(post(client, {"data": [{}] * 4, "output": "contrib"})) == (413, "too_many_rows", message)


def test_rows_times_the_width_of_the_output_kind_above_max_output_values_is_a_413(make_client: ClientFactory) -> None:
    client = make_client(max_output_values=100)  # the regression model: 20 trees, 21 contributions per row
    assert post(client, {"data": [ROW] * 100}).status_code == 200  # type: ignore[attr-defined]
    assert post(client, {"data": [ROW] * 5, "output": "leaf"}).status_code == 200  # type: ignore[attr-defined]
    message = "6 rows of leaf (20 values each) make 120 values; the limit is 100 (MAX_OUTPUT_VALUES)"
    assert error_of(post(client, {"data": [ROW] * 6, "output": "leaf"})) == (413, "too_many_values", message)
    # Fewer iterations, fewer leaf indices per row.
    assert post(client, {"data": [ROW] * 6, "output": "leaf", "num_iteration": 10}).status_code == 200  # type: ignore[attr-defined]
    message = "5 rows of contrib (21 values each) make 105 values; the limit is 100 (MAX_OUTPUT_VALUES)"
    assert error_of(post(client, {"data": [ROW] * 5, "output": "contrib"})) == (413, "too_many_values", message)


def test_a_request_estimated_over_max_inference_ms_is_refused_before_it_runs(make_client: ClientFactory) -> None:
    client = make_client(max_inference_ms=1, max_rows=1_000_000, max_output_values=100_000_000)
    status, code, message = error_of(post(client, {"data": [{}] * 20_000, "output": "contrib"}))
    assert (status, code) == (422, "time_budget_exceeded")
    assert message.startswith("evaluating this request would take about ")
    assert message.endswith(" ms; the budget is 1 ms (MAX_INFERENCE_MS); send fewer rows per request")
    assert post(client, {"data": ROW}).status_code == 200  # type: ignore[attr-defined]


def test_a_large_request_that_spends_its_budget_is_stopped_between_slices(
    make_client: ClientFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app import budget

    client = make_client(max_inference_ms=1)
    monkeypatch.setattr(budget, "CLEARLY_OVER", 1e9)  # no refusal up front: only the slices' checks
    monkeypatch.setattr(budget, "CHUNK_MS", 0.001)  # one-row slices: 2000 predict calls cannot fit in 1 ms
    rows = [[0.5] * NUM_FEATURES] * 2000
    status, code, message = error_of(post(client, {"data": rows, "output": "contrib"}))
    assert (status, code) == (422, "time_budget_exceeded")
    assert re.fullmatch(
        r"evaluating this request took \d+ ms for \d+ of its 2000 rows; the budget is 1 ms \(MAX_INFERENCE_MS\); "
        r"send fewer rows per request",
        message,
    ), message


def test_a_large_legal_request_is_served_off_the_event_loop_with_the_same_answer(
    client: TestClient, booster: lightgbm.Booster
) -> None:
    rows = np.random.default_rng(3).normal(size=(2000, NUM_FEATURES))
    response = post(client, {"data": rows.tolist(), "output": "contrib"})
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert np.array_equal(np.array(response.json()["predictions"]), booster.predict(rows, pred_contrib=True))  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def linear_model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    X = np.random.default_rng(2).normal(size=(200, 4))
    booster = lightgbm.train(
        {"objective": "regression", "linear_tree": True, "verbose": -1, "num_threads": 1},
        lightgbm.Dataset(X, X[:, 0] * 2 + X[:, 1]),
        num_boost_round=3,
    )
    path = tmp_path_factory.mktemp("linear") / "model.txt"
    booster.save_model(str(path))
    return path


def test_contributions_of_a_linear_tree_model_are_a_400_unsupported_output(
    make_client: ClientFactory, linear_model_path: Path
) -> None:
    client = make_client(model_path=linear_model_path)
    message = "contrib is not available for linear-tree models (tree 0 is linear); LightGBM refuses it too"
    assert error_of(post(client, {"data": [0.1] * 4, "output": "contrib"})) == (400, "unsupported_output", message)
    assert post(client, {"data": [0.1] * 4}).status_code == 200  # type: ignore[attr-defined]
    assert client.get("/model").json()["outputs"]["contrib"]["width"] is None
