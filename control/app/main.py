"""The composition root: `create_app(settings)` wires settings, model, routes, errors and tracing together."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import orjson
from fastapi import FastAPI, Request
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.trace import TracerProvider
from starlette.responses import Response

from . import errors, telemetry
from .model import Model, load_model
from .requests import parse_inference, parse_json
from .settings import Settings

log = logging.getLogger("control")

_JSON = "application/json"
_HEALTH_BODY = orjson.dumps({"status": "ok"})
_READY_BODY = orjson.dumps({"status": "ready"})


def create_app(settings: Settings, *, tracer_provider: TracerProvider | None = None) -> FastAPI:
    """Build the app. The model is loaded by the lifespan (start-up), so until then /ready answers 503.

    With `tracer_provider` given (tests), the caller owns it; otherwise one is built from the settings and shut
    down (flushing its spans) when the app stops.
    """
    owns_provider = tracer_provider is None
    provider = None if settings.otel_sdk_disabled else tracer_provider or telemetry.build_tracer_provider(settings)
    tracer = provider.get_tracer(telemetry.INSTRUMENTATION_NAME) if provider is not None else None

    loaded: list[_Loaded] = []  # empty until the lifespan has loaded the model

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        model = load_model(settings.model_path, settings.model_name)
        loaded.append(_Loaded(model))
        log.info(
            "loaded %s (%s): %d trees, %d features",
            settings.model_path,
            model.version,
            model.num_trees,
            model.num_features,
        )
        try:
            yield
        finally:
            loaded.clear()
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
        content_type = request.headers.get("content-type", "")
        if content_type.partition(";")[0].strip().lower() != _JSON:
            raise errors.unsupported_media_type()
        body = await _read_body(request, settings.max_body_bytes)
        req = parse_inference(parse_json(body), model.feature_index)

        if tracer is None:
            result = model.predict(req.rows, req.output, req.start_iteration, req.num_iteration)
        else:
            attributes = {
                **current.span_attributes,
                telemetry.ATTR_BATCH_ROWS: len(req.rows),
                telemetry.ATTR_OUTPUT: req.output,
            }
            # The span records an exception and sets the error status itself before it propagates.
            with tracer.start_as_current_span(telemetry.INFERENCE_SPAN, attributes=attributes):
                result = model.predict(req.rows, req.output, req.start_iteration, req.num_iteration)

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
            excluded_urls="/health$,/ready$",
        )
    return app


class _Loaded:
    """The model and what is derived from it once at start-up rather than per request."""

    __slots__ = ("description", "model", "span_attributes")

    def __init__(self, model: Model) -> None:
        self.model = model
        self.description = orjson.dumps(model.describe())
        self.span_attributes: dict[str, str | int] = {
            telemetry.ATTR_MODEL_NAME: model.name,
            telemetry.ATTR_MODEL_VERSION: model.version,
            telemetry.ATTR_NUM_TREES: model.num_trees,
        }


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise errors.payload_too_large(limit)
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise errors.payload_too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def create_app_from_env() -> FastAPI:
    """Factory for uvicorn's worker processes (WORKERS > 1): each process reads the environment once."""
    return create_app(Settings.from_env())
