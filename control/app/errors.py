"""The error catalog: every client-visible error is an `ApiError` with a stable code, a status and a message.

Errors become `{"error": {"code", "message"}}` responses in one place (`install_error_handlers`), including the
ones Starlette raises itself (404, 405), so no error leaves the service in another shape.
"""

from __future__ import annotations

import logging

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

log = logging.getLogger("control")


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers


def invalid_json() -> ApiError:
    return ApiError(400, "invalid_json", "the request body is not valid JSON")


def invalid_request(message: str) -> ApiError:
    return ApiError(400, "invalid_request", message)


def not_found(method: str, path: str) -> ApiError:
    return ApiError(404, "not_found", f"no route for {method} {path}")


def method_not_allowed(method: str, path: str, allow: str | None) -> ApiError:
    headers = {"Allow": allow} if allow else None
    suffix = f"; allowed: {allow}" if allow else ""
    return ApiError(405, "method_not_allowed", f"{method} is not allowed on {path}{suffix}", headers)


def payload_too_large(limit: int) -> ApiError:
    return ApiError(413, "payload_too_large", f"the request body is larger than {limit} bytes")


def unsupported_media_type() -> ApiError:
    return ApiError(415, "unsupported_media_type", "Content-Type must be application/json")


def not_ready() -> ApiError:
    return ApiError(503, "not_ready", "the model is not loaded yet")


def internal_error() -> ApiError:
    return ApiError(500, "internal_error", "the server failed to handle the request")


def error_response(error: ApiError) -> Response:
    body = orjson.dumps({"error": {"code": error.code, "message": error.message}})
    return Response(body, status_code=error.status, media_type="application/json", headers=error.headers)


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
            return error_response(ApiError(exc.status_code, "invalid_request", str(exc.detail)))
        return error_response(internal_error())

    async def on_validation_error(_request: Request, exc: Exception) -> Response:
        # Unused by the routes (they validate bodies themselves) but kept so FastAPI never answers 422.
        return error_response(invalid_request(str(exc)))

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        return error_response(internal_error())

    app.add_exception_handler(ApiError, on_api_error)
    app.add_exception_handler(StarletteHTTPException, on_http_exception)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_unexpected)
