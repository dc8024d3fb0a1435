"""Shared fixtures: tiny LightGBM models trained on the spot, settings pointing at them, and test clients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import lightgbm
import numpy as np
import pytest
from fastapi.testclient import TestClient
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from sklearn.datasets import make_classification, make_regression

from app.main import create_app
from app.settings import Settings

NUM_FEATURES = 20


@pytest.fixture(scope="session")
def regression_model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """20 features named Column_0..Column_19, 20 trees, trained with some missing values so NaN paths matter."""
    X, y = make_regression(n_samples=500, n_features=NUM_FEATURES, n_informative=15, noise=0.1, random_state=5)
    X[::7, 3] = np.nan
    booster = lightgbm.train(
        {"objective": "regression", "num_leaves": 15, "verbose": -1, "num_threads": 1},
        lightgbm.Dataset(X, y),
        num_boost_round=20,
    )
    path = tmp_path_factory.mktemp("regression") / "model.txt"
    booster.save_model(str(path))
    return path


@pytest.fixture(scope="session")
def multiclass_model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3 classes on 6 features named f0..f5, 4 iterations (12 trees)."""
    X, y = make_classification(n_samples=300, n_features=6, n_informative=4, n_classes=3, random_state=1)
    booster = lightgbm.train(
        {"objective": "multiclass", "num_class": 3, "num_leaves": 7, "verbose": -1, "num_threads": 1},
        lightgbm.Dataset(X, y, feature_name=[f"f{i}" for i in range(6)]),
        num_boost_round=4,
    )
    path = tmp_path_factory.mktemp("multiclass") / "model.txt"
    booster.save_model(str(path))
    return path


@pytest.fixture(scope="session")
def booster(regression_model_path: Path) -> lightgbm.Booster:
    """The regression model as LightGBM itself loads it: the reference the service must agree with."""
    return lightgbm.Booster(model_file=str(regression_model_path))


@pytest.fixture(scope="session")
def multiclass_booster(multiclass_model_path: Path) -> lightgbm.Booster:
    return lightgbm.Booster(model_file=str(multiclass_model_path))


@pytest.fixture
def settings(regression_model_path: Path) -> Settings:
    return Settings(model_path=regression_model_path, otel_sdk_disabled=False)


@pytest.fixture
def span_exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def tracer_provider(span_exporter: InMemorySpanExporter) -> Iterator[TracerProvider]:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(span_exporter))
    yield provider
    provider.shutdown()


ClientFactory = Callable[..., TestClient]


@pytest.fixture
def make_client(settings: Settings, tracer_provider: TracerProvider) -> Iterator[ClientFactory]:
    """Started (lifespan run, model loaded) clients for the given setting overrides, traced in memory."""
    clients: list[TestClient] = []

    def make(**overrides: object) -> TestClient:
        app = create_app(replace(settings, **overrides), tracer_provider=tracer_provider)  # type: ignore[arg-type]
        client = TestClient(app, raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def client(make_client: ClientFactory) -> TestClient:
    return make_client()


@pytest.fixture
def multiclass_client(make_client: ClientFactory, multiclass_model_path: Path) -> TestClient:
    return make_client(model_path=multiclass_model_path)


@pytest.fixture(scope="session")
def rows() -> np.ndarray:
    """Request rows, float64 as a JSON client sends them, with a few NaN (sent as null)."""
    rng = np.random.default_rng(7)
    X = rng.normal(scale=2.0, size=(8, NUM_FEATURES))
    X[1, 3] = np.nan
    X[5, [0, 3, 19]] = np.nan
    return X


def to_json_rows(X: np.ndarray) -> list[list[float | None]]:
    return [[None if np.isnan(v) else float(v) for v in row] for row in X]
