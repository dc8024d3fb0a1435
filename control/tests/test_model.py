"""The model module: metadata read from the file and predictions that are LightGBM's own."""

from __future__ import annotations

import hashlib
from pathlib import Path

import lightgbm
import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.model import Model, ModelLoadError, load_model


def test_the_version_is_sha256_of_the_file_bytes_first_16_hex_characters(regression_model_path: Path) -> None:
    model = load_model(regression_model_path, "model")
    digest = hashlib.sha256(regression_model_path.read_bytes()).hexdigest()
    assert model.version == "sha256:" + digest[:16]


def test_a_regression_model_is_described_with_its_widths(regression_model_path: Path) -> None:
    described = load_model(regression_model_path, "seed").describe()
    outputs = described.pop("outputs")
    assert described == {
        "name": "seed",
        "version": load_model(regression_model_path, "x").version,
        "objective": "regression",
        "num_features": 20,
        "feature_names": [f"Column_{i}" for i in range(20)],
        "num_trees": 20,
        "num_iterations": 20,
        "num_classes": 1,
    }
    assert {kind: spec["width"] for kind, spec in outputs.items()} == {"value": 1, "raw": 1, "leaf": 20, "contrib": 21}
    assert all(spec["returns"] for spec in outputs.values())


def test_a_multiclass_model_keeps_its_objective_line_as_written(multiclass_model_path: Path) -> None:
    described = load_model(multiclass_model_path, "model").describe()
    assert described["objective"] == "multiclass num_class:3"
    assert (described["num_trees"], described["num_iterations"], described["num_classes"]) == (12, 4, 3)
    widths = {kind: spec["width"] for kind, spec in described["outputs"].items()}
    assert widths == {"value": 3, "raw": 3, "leaf": 12, "contrib": 21}


def test_the_model_endpoint_serves_the_description(client: TestClient, regression_model_path: Path) -> None:
    response = client.get("/model")
    assert response.status_code == 200
    assert response.json() == load_model(regression_model_path, "model").describe()


def test_health_and_ready_answer_once_loaded(client: TestClient) -> None:
    assert (client.get("/health").status_code, client.get("/health").json()) == (200, {"status": "ok"})
    assert (client.get("/ready").status_code, client.get("/ready").json()) == (200, {"status": "ready"})


def test_the_width_of_every_output_matches_what_lightgbm_returns(multiclass_model_path: Path) -> None:
    model = load_model(multiclass_model_path, "model")
    X = np.zeros((2, model.num_features))
    for output, spec in model.outputs.items():
        width = spec["width"]
        result = model.predict(X, output, 0, 0)  # type: ignore[arg-type]
        assert result.reshape(2, -1).shape == (2, width)


def test_predict_is_booster_predict_with_the_same_iteration_range(
    regression_model_path: Path, booster: lightgbm.Booster, rows: np.ndarray
) -> None:
    model: Model = load_model(regression_model_path, "model")
    np.testing.assert_array_equal(
        model.predict(rows, "raw", 3, 7), booster.predict(rows, raw_score=True, start_iteration=3, num_iteration=7)
    )


def test_a_file_that_is_not_a_model_fails_to_load_with_its_path(tmp_path: Path) -> None:
    path = tmp_path / "model.txt"
    path.write_text("not a model\n")
    with pytest.raises(
        ModelLoadError,
        match=r'the model file .*model\.txt is malformed: the header, key num_class \(line 1\): no "num_class" line',
    ):
        load_model(path, "model")
