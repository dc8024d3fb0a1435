"""One pure ASGI middleware around every HTTP request: the HTTP metrics (count, duration, in flight, by method,
route template and status) and, with ACCESS_LOG=true, one access log line. It runs inside the request's server
span, so the line carries its trace_id and span_id."""

from __future__ import annotations

import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .metrics import UNMATCHED, Metrics

access = logging.getLogger("control.access")


class RequestObserver:
    def __init__(self, app: ASGIApp, metrics: Metrics | None, access_log: bool) -> None:
        self.app = app
        self.metrics = metrics
        self.access_log = access_log

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        metrics = self.metrics
        start = time.perf_counter()
        status = 500  # if the app raises before it answers, the server answers 500

        async def send_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        if metrics is not None:
            metrics.in_flight.inc()
        try:
            await self.app(scope, receive, send_status)
        finally:
            seconds = time.perf_counter() - start
            if metrics is not None:
                metrics.in_flight.dec()
                route = scope.get("route")
                metrics.observe_request(scope["method"], getattr(route, "path", UNMATCHED), status, seconds)
            if self.access_log:
                client = scope.get("client")
                fields = {
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round(seconds * 1000, 3),
                    "remote": client[0] if client else None,
                }
                access.info("request", extra={"fields": fields})
