"""Structured logs: one JSON line per event on stderr, with the TypeScript side's field names.

`{"time": ISO-8601, "level": "info", "msg": "...", "service": "fastapi-control", "trace_id", "span_id", ...}`:
trace_id and span_id are those of the OpenTelemetry span active when the line is written, so a request's
line leads to its trace in Jaeger. Extra fields are passed as `extra={"fields": {...}}`. The standard logging
module with this formatter on the root logger; uvicorn's loggers propagate to it (it is started with
log_config=None). LOG_FORMAT=pretty writes one readable line instead, for people at a terminal.
"""

from __future__ import annotations

import logging
import sys
import traceback
from datetime import UTC, datetime
from typing import Any

import orjson
from opentelemetry import trace

# Python's level names as the TypeScript side's (pino) labels.
_LEVELS = {"DEBUG": "debug", "INFO": "info", "WARNING": "warn", "ERROR": "error", "CRITICAL": "fatal"}
_FROM_SETTING = {
    "trace": logging.DEBUG,
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warn": logging.WARNING,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "fatal": logging.CRITICAL,
    "silent": logging.CRITICAL + 10,
}


def _fields(record: logging.LogRecord, service: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "level": _LEVELS.get(record.levelname, record.levelname.lower()),
        "msg": record.getMessage(),
        "service": service,
        "logger": record.name,
    }
    context = trace.get_current_span().get_span_context()
    if context.is_valid:
        out["trace_id"] = format(context.trace_id, "032x")
        out["span_id"] = format(context.span_id, "016x")
    extra = getattr(record, "fields", None)
    if isinstance(extra, dict):
        out.update(extra)
    if record.exc_info and record.exc_info[1] is not None:
        exc = record.exc_info[1]
        out["err"] = {
            "type": type(exc).__name__,
            "message": str(exc),
            "stack": "".join(traceback.format_exception(exc)),
        }
    return out


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        return orjson.dumps(_fields(record, self.service), default=str).decode()


class PrettyFormatter(JsonFormatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = _fields(record, self.service)
        time, level, msg = fields.pop("time"), fields.pop("level"), fields.pop("msg")
        err = fields.pop("err", None)
        for key in ("service", "logger"):
            fields.pop(key)
        rest = " ".join(f"{k}={v}" for k, v in fields.items())
        line = f"{time[11:23]} {level.upper():5} {msg}" + (f"  {rest}" if rest else "")
        return line + ("\n" + err["stack"].rstrip() if err else "")


def configure(level: str, fmt: str, service: str) -> None:
    """Sends every logger's records (uvicorn's included) to stderr through one formatter."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(PrettyFormatter(service) if fmt == "pretty" else JsonFormatter(service))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(_FROM_SETTING[level])
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
