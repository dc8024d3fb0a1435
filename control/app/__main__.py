"""`python -m app`: read the settings once and serve with uvicorn (one process, or WORKERS processes)."""

from __future__ import annotations

import logging
import os
import signal
import sys
import tempfile
from types import FrameType

import uvicorn

from . import logs
from .main import create_app
from .server import DrainingServer
from .settings import Settings, SettingsError

log = logging.getLogger("control")

# uvicorn's httptools protocol with a header-read timeout, a header size limit and JSON errors (app/http.py).
HTTP_PROTOCOL = "app.http:ControlProtocol"
STARTUP_FAILURE = 3


def _stop(_signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


def main() -> int:
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    # uvicorn handles SIGTERM itself (graceful shutdown, spans flushed), then re-raises it with the previous
    # handler restored; with this one the process then exits 0 rather than dying by the signal.
    signal.signal(signal.SIGTERM, _stop)
    logs.configure(settings.log_level, settings.log_format, settings.otel_service_name)
    log.info(
        "starting",
        extra={
            "fields": {"host": settings.host, "port": settings.port, "workers": settings.workers, "pid": os.getpid()}
        },
    )
    common = {
        "host": settings.host,
        "port": settings.port,
        "http": HTTP_PROTOCOL,
        "access_log": False,  # ACCESS_LOG is ours (app/access_log.py), inside the request's span
        "log_config": None,  # uvicorn's loggers go through ours (app/logs.py)
        "lifespan": "on",
        "timeout_keep_alive": settings.keep_alive_timeout_ms / 1000,
        "timeout_graceful_shutdown": settings.shutdown_timeout_ms / 1000,
    }
    if settings.workers == 1:
        server = DrainingServer(uvicorn.Config(create_app(settings), **common))  # type: ignore[arg-type]
        server.run()
        if not server.started:
            return STARTUP_FAILURE  # as uvicorn.run: the lifespan failed (a refused model, for example)
    else:
        # Each worker writes its metrics to files here and a scrape adds them all up (app/metrics.py).
        if settings.metrics_enabled and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="control-metrics-")
        # Worker processes import the app themselves; each reads the (same) environment once.
        uvicorn.run("app.main:create_app_from_env", factory=True, workers=settings.workers, **common)  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
