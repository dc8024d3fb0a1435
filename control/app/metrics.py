"""Prometheus metrics: the names, types, labels and buckets of `contract/metrics.json`, with prometheus_client.

One `Metrics` per app, on its own registry (with the library's process, platform and GC collectors), so two
apps in one process (the tests) never collide. With several workers (WORKERS > 1) each worker writes its
samples to files in PROMETHEUS_MULTIPROC_DIR (`python -m app` makes a fresh one) and a scrape, whichever worker
answers it, adds them all up (prometheus_client's multiprocess mode); process_* metrics are then the
answering worker's own.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.gc_collector import GCCollector
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

from .settings import REPO_ROOT

CONTRACT_PATH = REPO_ROOT / "contract" / "metrics.json"
CONTENT_TYPE = CONTENT_TYPE_LATEST
UNMATCHED = "unmatched"

del GC_COLLECTOR, PLATFORM_COLLECTOR, PROCESS_COLLECTOR  # the global registry's; each app has its own


def load_contract(path: Any = CONTRACT_PATH) -> dict[str, Any]:
    """name -> {type, labels, help, buckets (resolved)}."""
    document = json.loads(path.read_text(encoding="utf-8"))
    specs = {}
    for metric in document["metrics"]:
        buckets = metric.get("buckets")
        specs[metric["name"]] = {**metric, "buckets": document[buckets] if buckets else None}
    return specs


def _multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


class Metrics:
    def __init__(self, contract: Mapping[str, Any] | None = None) -> None:
        specs = load_contract() if contract is None else contract
        self.registry = CollectorRegistry(auto_describe=True)
        self.multiprocess = _multiprocess_dir() is not None
        if not self.multiprocess:
            ProcessCollector(registry=self.registry)
            PlatformCollector(registry=self.registry)
            GCCollector(registry=self.registry)

        def spec(name: str) -> dict[str, Any]:
            s = specs[name]
            return {"name": name, "documentation": s["help"], "labelnames": s["labels"], "registry": self.registry}

        def histogram(name: str) -> Histogram:
            return Histogram(**spec(name), buckets=specs[name]["buckets"])

        # Names without the _total suffix: prometheus_client adds it to counters.
        counter = spec("http_requests_total")
        counter["name"] = "http_requests"
        self.requests = Counter(**counter)
        self.request_duration = histogram("http_request_duration_seconds")
        self.in_flight = Gauge(**spec("http_requests_in_flight"), multiprocess_mode="livesum")
        self.inference_duration = histogram("model_inference_duration_seconds")
        self.inference_rows = histogram("model_inference_rows")
        self.model_info = Gauge(**spec("model_info"), multiprocess_mode="max")
        self._request_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self._inference_children: dict[tuple[str, str], tuple[Any, Any]] = {}

    def set_model(self, name: str, version: str, trees: int, features: int) -> None:
        self.model_info.labels(name, version, str(trees), str(features)).set(1)

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method, route, status)
        children = self._request_children.get(key)
        if children is None:  # labels() validates and locks: once per label set, not per request
            labels = (method, route, str(status))
            children = (self.requests.labels(*labels), self.request_duration.labels(*labels))
            self._request_children[key] = children
        children[0].inc()
        children[1].observe(seconds)

    def observe_inference(self, model: str, output: str, rows: int, seconds: float) -> None:
        key = (model, output)
        children = self._inference_children.get(key)
        if children is None:
            children = (self.inference_duration.labels(model, output), self.inference_rows.labels(model, output))
            self._inference_children[key] = children
        children[0].observe(seconds)
        children[1].observe(rows)

    def exposition(self) -> bytes:
        if self.multiprocess:
            registry = CollectorRegistry()
            MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            ProcessCollector(registry=registry)
            return generate_latest(registry)
        return generate_latest(self.registry)
