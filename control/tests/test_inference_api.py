"""POST /inference, request by request: answers must equal LightGBM's own Booster.predict."""

from __future__ import annotations

import lightgbm
import numpy as np
import pytest
from fastapi.testclient import TestClient

from tests.conftest import NUM_FEATURES, to_json_rows


def post(client: TestClient, body: object) -> tuple[int, object]:
    response = client.post("/inference", json=body)
    assert response.headers["content-type"] == "application/json"
    return response.status_code, response.json()


def as_json_values(predictions: np.ndarray, output: str = "value") -> list[object]:
    """LightGBM output as the service should write it: per row a number (values and raw scores of width 1)
    or a list (wider values, and always for leaf indices and contributions), NaN as None."""
    values = predictions.tolist()
    if output not in ("value", "raw"):
        return values
    return [v[0] if isinstance(v, list) and len(v) == 1 else v for v in values]


def test_a_single_row_returns_one_prediction_equal_to_lightgbm(
    client: TestClient, booster: lightgbm.Booster, rows: np.ndarray
) -> None:
    status, body = post(client, {"data": to_json_rows(rows[:1])[0]})
    assert status == 200
    assert body == {"prediction": booster.predict(rows[:1])[0]}


def test_a_single_row_with_nulls_treats_them_as_missing_values(
    client: TestClient, booster: lightgbm.Booster, rows: np.ndarray
) -> None:
    status, body = post(client, {"data": to_json_rows(rows[5:6])[0]})
    assert status == 200
    assert body == {"prediction": booster.predict(rows[5:6])[0]}


def test_a_batch_returns_one_prediction_per_row_equal_to_lightgbm(
    client: TestClient, booster: lightgbm.Booster, rows: np.ndarray
) -> None:
    status, body = post(client, {"data": to_json_rows(rows)})
    assert status == 200
    assert body == {"predictions": booster.predict(rows).tolist()}


def test_a_batch_of_one_row_still_answers_with_a_list(
    client: TestClient, booster: lightgbm.Booster, rows: np.ndarray
) -> None:
    status, body = post(client, {"data": to_json_rows(rows[:1])})
    assert status == 200
    assert body == {"predictions": [booster.predict(rows[:1])[0]]}


def test_integers_are_accepted_as_feature_values(client: TestClient, booster: lightgbm.Booster) -> None:
    status, body = post(client, {"data": list(range(NUM_FEATURES))})
    assert status == 200
    assert body == {"prediction": booster.predict(np.arange(NUM_FEATURES, dtype=np.float64)[None, :])[0]}


def test_a_named_row_maps_names_to_columns_and_absent_names_to_missing(
    client: TestClient, booster: lightgbm.Booster, rows: np.ndarray
) -> None:
    row = rows[0].copy()
    named = {f"Column_{j}": float(row[j]) for j in range(NUM_FEATURES) if j not in (2, 11)}
    named["Column_11"] = None  # type: ignore[assignment]
    row[[2, 11]] = np.nan
    status, body = post(client, {"data": dict(reversed(named.items()))})
    assert status == 200
    assert body == {"prediction": booster.predict(row[None, :])[0]}


def test_an_empty_named_row_predicts_with_every_value_missing(client: TestClient, booster: lightgbm.Booster) -> None:
    status, body = post(client, {"data": {}})
    assert status == 200
    assert body == {"prediction": booster.predict(np.full((1, NUM_FEATURES), np.nan))[0]}


def test_a_batch_may_mix_named_rows_and_array_rows(
    client: TestClient, booster: lightgbm.Booster, rows: np.ndarray
) -> None:
    named = {f"Column_{j}": float(v) for j, v in enumerate(rows[1]) if not np.isnan(v)}
    status, body = post(client, {"data": [to_json_rows(rows[:1])[0], named]})
    assert status == 200
    assert body == {"predictions": booster.predict(rows[:2]).tolist()}


@pytest.mark.parametrize(
    ("output", "flags"),
    [
        ("value", {}),
        ("raw", {"raw_score": True}),
        ("leaf", {"pred_leaf": True}),
        ("contrib", {"pred_contrib": True}),
    ],
)
def test_each_output_kind_equals_the_matching_booster_predict_flag(
    client: TestClient, booster: lightgbm.Booster, rows: np.ndarray, output: str, flags: dict[str, bool]
) -> None:
    expected = booster.predict(rows, **flags)
    status, body = post(client, {"data": to_json_rows(rows), "output": output})
    assert status == 200
    assert body == {"predictions": as_json_values(expected, output)}
    status, single = post(client, {"data": to_json_rows(rows[:1])[0], "output": output})
    assert single == {"prediction": as_json_values(expected[:1], output)[0]}


def test_leaf_indices_are_written_as_integers(client: TestClient) -> None:
    response = client.post("/inference", json={"data": [0.0] * NUM_FEATURES, "output": "leaf"})
    assert all(type(v) is int for v in response.json()["prediction"])
    assert "." not in response.text


def test_output_null_means_the_default_value(client: TestClient, booster: lightgbm.Booster, rows: np.ndarray) -> None:
    status, body = post(client, {"data": to_json_rows(rows[:1])[0], "output": None})
    assert status == 200
    assert body == {"prediction": booster.predict(rows[:1])[0]}


@pytest.mark.parametrize(
    ("options", "start", "num"),
    [
        ({"start_iteration": 5}, 5, -1),
        ({"num_iteration": 3}, 0, 3),
        ({"start_iteration": 4, "num_iteration": 6}, 4, 6),
        ({"start_iteration": 15, "num_iteration": 100}, 15, 100),
        ({"num_iteration": 0}, 0, -1),
        ({"num_iteration": -4}, 0, -1),
        ({"num_iteration": None, "start_iteration": None}, 0, -1),
        ({"start_iteration": 2.0, "num_iteration": 5.0}, 2, 5),
    ],
)
@pytest.mark.parametrize("output", ["value", "leaf", "contrib"])
def test_the_iteration_range_matches_lightgbm(
    client: TestClient,
    booster: lightgbm.Booster,
    rows: np.ndarray,
    options: dict[str, object],
    start: int,
    num: int,
    output: str,
) -> None:
    flags = {"value": {}, "leaf": {"pred_leaf": True}, "contrib": {"pred_contrib": True}}[output]
    expected = booster.predict(rows, start_iteration=start, num_iteration=num, **flags)
    status, body = post(client, {"data": to_json_rows(rows), "output": output, **options})
    assert status == 200
    assert body == {"predictions": as_json_values(expected, output)}


def test_a_start_iteration_past_the_end_gives_empty_leaf_lists(client: TestClient) -> None:
    status, body = post(client, {"data": [[0.0] * NUM_FEATURES], "output": "leaf", "start_iteration": 2**53 - 1})
    assert status == 200
    assert body == {"predictions": [[]]}


def test_a_huge_num_iteration_means_all_iterations(
    client: TestClient, booster: lightgbm.Booster, rows: np.ndarray
) -> None:
    status, body = post(client, {"data": to_json_rows(rows), "num_iteration": 2**53 - 1})
    assert status == 200
    assert body == {"predictions": booster.predict(rows).tolist()}


def test_a_multiclass_model_answers_a_probability_array_per_row(
    multiclass_client: TestClient, multiclass_booster: lightgbm.Booster
) -> None:
    X = np.random.default_rng(3).normal(size=(4, 6))
    status, body = post(multiclass_client, {"data": X.tolist()})
    assert status == 200
    assert body == {"predictions": multiclass_booster.predict(X).tolist()}
    status, single = post(multiclass_client, {"data": X[0].tolist()})
    assert single == {"prediction": multiclass_booster.predict(X[:1])[0].tolist()}


@pytest.mark.parametrize(
    ("output", "flags", "width"),
    [("raw", {"raw_score": True}, 3), ("leaf", {"pred_leaf": True}, 12), ("contrib", {"pred_contrib": True}, 21)],
)
def test_a_multiclass_model_answers_every_output_kind_at_its_width(
    multiclass_client: TestClient,
    multiclass_booster: lightgbm.Booster,
    output: str,
    flags: dict[str, bool],
    width: int,
) -> None:
    X = np.random.default_rng(4).normal(size=(3, 6))
    status, body = post(multiclass_client, {"data": X.tolist(), "output": output})
    assert status == 200
    assert body == {"predictions": multiclass_booster.predict(X, **flags).tolist()}
    assert all(len(row) == width for row in body["predictions"])  # type: ignore[index]


def test_a_named_row_works_with_the_model_s_own_feature_names(
    multiclass_client: TestClient, multiclass_booster: lightgbm.Booster
) -> None:
    status, body = post(multiclass_client, {"data": [{"f0": 1.0, "f5": -2.0}]})
    X = np.array([[1.0, np.nan, np.nan, np.nan, np.nan, -2.0]])
    assert status == 200
    assert body == {"predictions": multiclass_booster.predict(X).tolist()}


def test_non_finite_outputs_are_written_as_null(
    client: TestClient, booster: lightgbm.Booster, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_predict = lightgbm.Booster.predict

    def predict_with_nan(self: lightgbm.Booster, *args: object, **kwargs: object) -> np.ndarray:
        result: np.ndarray = real_predict(self, *args, **kwargs)
        result = result.copy()
        result.flat[0] = np.nan
        result.flat[-1] = np.inf
        return result

    monkeypatch.setattr(lightgbm.Booster, "predict", predict_with_nan)
    response = client.post("/inference", json={"data": [[0.0] * NUM_FEATURES] * 3})
    assert response.status_code == 200
    predictions = response.json()["predictions"]
    assert predictions[0] is None and predictions[2] is None and isinstance(predictions[1], float)


def test_numbers_beyond_the_double_range_are_infinite_inputs_not_errors(
    client: TestClient, booster: lightgbm.Booster
) -> None:
    body = '{"data": [1e400, -1e400, ' + ", ".join(["0"] * (NUM_FEATURES - 3)) + ", " + "9" * 400 + "]}"
    response = client.post("/inference", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200
    X = np.zeros((1, NUM_FEATURES))
    X[0, 0], X[0, 1], X[0, -1] = np.inf, -np.inf, np.inf
    assert response.json() == {"prediction": booster.predict(X)[0]}


def test_a_content_type_with_a_charset_parameter_is_json(client: TestClient) -> None:
    response = client.post(
        "/inference",
        content=b'{"data": [' + b",".join([b"1"] * NUM_FEATURES) + b"]}",
        headers={"content-type": "Application/JSON; charset=utf-8"},
    )
    assert response.status_code == 200
