"""The composition root: `create_app(settings)` wires settings, model, routes, errors and tracing together."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from pathlib import Path

import numpy as np
import orjson
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from starlette.requests import ClientDisconnect
from starlette.responses import Response

from . import errors, telemetry
from .budget import CostModel, calibrate, predict_in_slices, refuse_if_clearly_over
from .metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from .metrics import Metrics
from .model import Model, ModelLoadError, load_model
from .request_observer import RequestObserver
from .requests import JSON_MEDIA_TYPE, parse_inference, parse_json
from .settings import REPO_ROOT, Settings

log = logging.getLogger("control")

_JSON = "application/json"
_HEALTH_BODY = orjson.dumps({"status": "ok"})
_READY_BODY = orjson.dumps({"status": "ready"})
OPENAPI_PATH = REPO_ROOT / "contract" / "openapi.json"
# Requests estimated above this run on a worker thread (Booster.predict releases the GIL), in slices checked
# against MAX_INFERENCE_MS (app/budget.py), so they do not stall the event loop; smaller ones (the benchmark's)
# run inline in one call as before.
OFFLOAD_MS = 5.0


def create_app(settings: Settings, *, tracer_provider: TracerProvider | None = None) -> FastAPI:
    """Build the app. The model is loaded by the lifespan (start-up), so until then /ready answers 503.

    With `tracer_provider` given (tests), the caller owns it; otherwise one is built from the settings and shut
    down (flushing its spans) when the app stops.
    """
    owns_provider = tracer_provider is None
    provider = None if settings.otel_sdk_disabled else tracer_provider or telemetry.build_tracer_provider(settings)
    tracer = provider.get_tracer(telemetry.INSTRUMENTATION_NAME) if provider is not None else None

    loaded: list[_Loaded] = []  # empty until the lifespan has loaded the model
    metrics = Metrics() if settings.metrics_enabled else None
    # One thread for large requests: they queue behind each other instead of sharing the cores.
    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="predict")

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        start = time.perf_counter()
        try:
            model = load_model(settings.model_path, settings.model_name)
        except ModelLoadError as exc:
            log.error("the model was refused", extra={"fields": {"error": str(exc)}})  # then uvicorn exits 3
            raise
        cost = calibrate(model)
        loaded.append(_Loaded(model, cost))
        if metrics is not None:
            metrics.set_model(model.name, model.version, model.num_trees, model.num_features)
        log.info(
            "model loaded",
            extra={
                "fields": {
                    "model": model.name,
                    "version": model.version,
                    "path": str(settings.model_path),
                    "trees": model.num_trees,
                    "features": model.num_features,
                    "load_ms": round((time.perf_counter() - start) * 1000, 1),
                }
            },
        )
        try:
            yield
        finally:
            loaded.clear()
            executor.shutdown(wait=True)
            log.info("shutdown complete")
            if owns_provider and provider is not None:
                provider.shutdown()  # flushes the BatchSpanProcessor

    app = FastAPI(
        title="fastapi-control",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        redirect_slashes=False,
    )
    errors.install_error_handlers(app)
    if metrics is not None or settings.access_log:
        app.add_middleware(RequestObserver, metrics=metrics, access_log=settings.access_log)
    if metrics is not None:

        @app.get("/metrics")
        async def serve_metrics() -> Response:
            return Response(metrics.exposition(), media_type=METRICS_CONTENT_TYPE)

    openapi = _openapi_document(OPENAPI_PATH)
    if openapi is not None:

        @app.get("/openapi.json")
        async def serve_openapi() -> Response:
            return Response(openapi, media_type=_JSON)

        @app.get("/docs")
        async def docs() -> Response:
            # FastAPI's Swagger UI page (its script comes from a CDN, in the reader's browser) on the shared document.
            return get_swagger_ui_html(openapi_url="/openapi.json", title="fastapi-control")

    def ready() -> _Loaded:
        if not loaded:
            raise errors.not_ready()
        return loaded[0]

    @app.api_route("/health", methods=["GET", "HEAD"])
    async def health() -> Response:
        return Response(_HEALTH_BODY, media_type=_JSON)

    @app.api_route("/ready", methods=["GET", "HEAD"])
    async def is_ready() -> Response:
        ready()
        return Response(_READY_BODY, media_type=_JSON)

    @app.api_route("/model", methods=["GET", "HEAD"])
    async def describe_model() -> Response:
        return Response(ready().description, media_type=_JSON)

    @app.post("/inference")
    async def inference(request: Request) -> Response:
        current = ready()
        model = current.model
        content_type = request.headers.get("content-type")
        if content_type is None or not JSON_MEDIA_TYPE.match(content_type):
            raise errors.unsupported_media_type(content_type)
        body = await _read_body(request, settings.max_body_bytes)
        req = parse_inference(parse_json(body), model.feature_index, settings.max_rows)
        n = len(req.rows)
        if req.output == "contrib" and model.linear_trees:
            raise errors.unsupported_output(
                f"contrib is not available for linear-tree models (tree {model.linear_trees[0]} is linear); "
                "LightGBM refuses it too"
            )
        trees = model.trees_used(req.start_iteration, req.num_iteration)
        width = model.width(req.output, trees)
        if n * width > settings.max_output_values:
            raise errors.too_many_values(n, width, req.output, settings.max_output_values)
        estimate_ms = current.cost.estimate_ms(n, req.output, trees)
        refuse_if_clearly_over(estimate_ms, settings.max_inference_ms)

        def predict() -> np.ndarray:
            if estimate_ms <= OFFLOAD_MS:
                return model.predict(req.rows, req.output, req.start_iteration, req.num_iteration)

            def rows_slice(rows: np.ndarray) -> np.ndarray:
                return model.predict(rows, req.output, req.start_iteration, req.num_iteration)

            return predict_in_slices(rows_slice, req.rows, estimate_ms, settings.max_inference_ms)

        start = time.perf_counter()
        if tracer is None:
            result = await _run(predict, estimate_ms, executor)
        else:
            attributes = {
                **current.span_attributes,
                telemetry.ATTR_BATCH_ROWS: n,
                telemetry.ATTR_OUTPUT: req.output,
            }
            # The span records an exception and sets the error status itself before it propagates.
            with tracer.start_as_current_span(telemetry.INFERENCE_SPAN, attributes=attributes):
                result = await _run(predict, estimate_ms, executor)
        if metrics is not None:
            metrics.observe_inference(model.name, req.output, n, time.perf_counter() - start)

        # (n,) or (n, width). Values and raw scores of width 1 answer a number per row; leaf indices and
        # contributions are always arrays, as on the TypeScript side. NaN/Infinity serialise as null.
        single_value = req.output in ("value", "raw") and result.ndim == 2 and result.shape[1] == 1
        values = (result[:, 0] if single_value else result).tolist()
        payload = {"prediction": values[0]} if req.single else {"predictions": values}
        return Response(orjson.dumps(payload), media_type=_JSON)

    if provider is not None:
        # Health probes are not traced (compose polls them every few seconds), as on the TypeScript side.
        FastAPIInstrumentor.instrument_app(
            app,
            tracer_provider=provider,
            exclude_spans=["receive", "send"],
            excluded_urls="/health$,/ready$,/metrics$",
        )
    return app


class _Loaded:
    """The model and what is derived from it once at start-up rather than per request."""

    __slots__ = ("cost", "description", "model", "span_attributes")

    def __init__(self, model: Model, cost: CostModel) -> None:
        self.model = model
        self.cost = cost
        self.description = orjson.dumps(model.describe())
        self.span_attributes: dict[str, str | int] = {
            telemetry.ATTR_MODEL_NAME: model.name,
            telemetry.ATTR_MODEL_VERSION: model.version,
            telemetry.ATTR_NUM_TREES: model.num_trees,
        }


async def _run(predict: Callable[[], np.ndarray], estimate_ms: float, executor: ThreadPoolExecutor) -> np.ndarray:
    """Small requests inline; large ones on the predict thread, so the event loop keeps serving others."""
    if estimate_ms <= OFFLOAD_MS:
        return predict()
    return await asyncio.get_running_loop().run_in_executor(executor, contextvars.copy_context().run, predict)


def _openapi_document(path: Path) -> bytes | None:
    """The shared OpenAPI document (contract/openapi.json), served as is, or None where it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise errors.payload_too_large(limit)
    chunks = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise errors.payload_too_large(limit)
            chunks.append(chunk)
    except ClientDisconnect:  # the client left, or REQUEST_TIMEOUT_MS closed it: nobody to answer, nothing to log
        raise errors.bad_request("the client disconnected before sending the whole body") from None
    return b"".join(chunks)


def create_app_from_env() -> FastAPI:
    """Factory for uvicorn's worker processes (WORKERS > 1): each process reads the environment once."""
    return create_app(Settings.from_env())
