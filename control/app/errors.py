"""The error catalog: every client-visible error is an `ApiError` with a stable code, a status and a message.

Codes and statuses come from `contract/errors.json`, the one catalog of both services, read once at import: a
code that is not in it cannot be raised (KeyError), and a test checks every constructor below against it.
Errors become `{"error": {"code", "message"}}` responses in one place (`install_error_handlers`), including the
ones Starlette raises itself (404, 405), so no error leaves the service in another shape.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from pathlib import Path

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from .settings import REPO_ROOT

log = logging.getLogger("control")

CATALOG_PATH = REPO_ROOT / "contract" / "errors.json"


def load_catalog(path: Path = CATALOG_PATH) -> Mapping[str, int]:
    """code -> status, from the shared catalog."""
    entries = json.loads(path.read_text(encoding="utf-8"))["errors"]
    return {entry["code"]: int(entry["status"]) for entry in entries}


STATUS: Mapping[str, int] = load_catalog()


class ApiError(Exception):
    def __init__(self, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = STATUS[code]
        self.code = code
        self.message = message
        self.headers = headers


def bad_request(message: str) -> ApiError:
    return ApiError("bad_request", message)


def invalid_json(message: str = "the request body is not valid JSON") -> ApiError:
    return ApiError("invalid_json", message)


def invalid_request(message: str) -> ApiError:
    return ApiError("invalid_request", message)


def unsupported_output(message: str) -> ApiError:
    return ApiError("unsupported_output", message)


def not_found(method: str, path: str) -> ApiError:
    return ApiError("not_found", f"no route for {method} {path}")


def method_not_allowed(method: str, path: str, allow: str | None) -> ApiError:
    headers = {"Allow": allow} if allow else None
    suffix = f"; allowed: {allow}" if allow else ""
    return ApiError("method_not_allowed", f"{method} is not allowed on {path}{suffix}", headers)


def request_timeout(message: str) -> ApiError:
    return ApiError("request_timeout", message)


def payload_too_large(limit: int) -> ApiError:
    return ApiError("payload_too_large", f"the body is larger than the limit of {limit} bytes (MAX_BODY_BYTES)")


def too_many_rows(rows: int, limit: int) -> ApiError:
    return ApiError("too_many_rows", f"the request has {rows} rows; the limit is {limit} (MAX_ROWS)")


def too_many_values(rows: int, width: int, output: str, limit: int) -> ApiError:
    return ApiError(
        "too_many_values",
        f"{rows} rows of {output} ({width} values each) make {rows * width} values; "
        f"the limit is {limit} (MAX_OUTPUT_VALUES)",
    )


def uri_too_long(limit: int) -> ApiError:
    return ApiError("uri_too_long", f"the request line is longer than {limit} bytes")


def unsupported_media_type(content_type: str | None) -> ApiError:
    got = "no Content-Type" if content_type is None else f'"{content_type}"'
    return ApiError("unsupported_media_type", f"the body must be application/json, got {got}")


def time_budget_exceeded(estimate_ms: float, limit_ms: int) -> ApiError:
    return ApiError(
        "time_budget_exceeded",
        f"evaluating this request would take about {estimate_ms:.0f} ms; the budget is {limit_ms} ms "
        "(MAX_INFERENCE_MS); send fewer rows per request",
    )


def time_budget_spent(spent_ms: float, done: int, rows: int, limit_ms: int) -> ApiError:
    return ApiError(
        "time_budget_exceeded",
        f"evaluating this request took {spent_ms:.0f} ms for {done} of its {rows} rows; the budget is {limit_ms} ms "
        "(MAX_INFERENCE_MS); send fewer rows per request",
    )


def headers_too_large(limit: int) -> ApiError:
    return ApiError("headers_too_large", f"the request headers are larger than {limit} bytes")


def internal() -> ApiError:
    return ApiError("internal", "the server failed to handle the request")


def not_implemented(method: str) -> ApiError:
    return ApiError("not_implemented", f"the method {method} is not implemented")


def not_ready(message: str = "the model is not loaded yet") -> ApiError:
    return ApiError("not_ready", message)


def error_body(error: ApiError) -> bytes:
    return orjson.dumps({"error": {"code": error.code, "message": error.message}})


def error_response(error: ApiError) -> Response:
    return Response(error_body(error), status_code=error.status, media_type="application/json", headers=error.headers)


def install_error_handlers(app: FastAPI) -> None:
    async def on_api_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, ApiError)
        return error_response(exc)

    async def on_http_exception(request: Request, exc: Exception) -> Response:
        # Raised by Starlette's router for unknown paths and methods; nothing else in this app raises it.
        assert isinstance(exc, StarletteHTTPException)
        method, path = request.method, request.url.path
        if exc.status_code == 404:
            return error_response(not_found(method, path))
        if exc.status_code == 405:
            allow = (exc.headers or {}).get("Allow")
            if allow:  # Starlette joins a set of methods: put them in a stable order
                allow = ", ".join(sorted(m.strip() for m in allow.split(",")))
            return error_response(method_not_allowed(method, path, allow))
        if exc.status_code < 500:
            return error_response(invalid_request(str(exc.detail)))
        return error_response(internal())

    async def on_validation_error(_request: Request, exc: Exception) -> Response:
        # Unused by the routes (they validate bodies themselves) but kept so FastAPI never answers 422.
        return error_response(invalid_request(str(exc)))

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(internal())

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(StarletteHTTPException, on_http_exception)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_unexpected)
