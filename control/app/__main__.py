"""`python -m app`: read the settings once and serve with uvicorn (one process, or WORKERS processes)."""

from __future__ import annotations

import logging
import signal
import sys
from types import FrameType

import uvicorn

from .main import create_app
from .settings import Settings, SettingsError


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
    logging.basicConfig(level=logging.INFO, format="%(levelname)s:     %(message)s")
    if settings.workers == 1:
        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, access_log=False, lifespan="on")
    else:
        # Worker processes import the app themselves; each reads the (same) environment once.
        uvicorn.run(
            "app.main:create_app_from_env",
            factory=True,
            workers=settings.workers,
            host=settings.host,
            port=settings.port,
            access_log=False,
            lifespan="on",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
