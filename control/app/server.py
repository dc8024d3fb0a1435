"""uvicorn's Server with a drained shutdown: on SIGTERM it keeps accepting for a short grace (DRAIN_S) before it
closes the listening socket, so connections already queued in the kernel's backlog, and requests already sent
on them, are served instead of reset. Then uvicorn's own graceful shutdown runs (requests in flight finish
within SHUTDOWN_TIMEOUT_MS). Used with one worker; uvicorn's worker processes (WORKERS > 1) use its plain
Server, so there only connections already accepted are drained (see app/http.py)."""

from __future__ import annotations

import asyncio
import socket

import uvicorn

from .http import DRAIN_S


class DrainingServer(uvicorn.Server):
    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        await asyncio.sleep(DRAIN_S)
        await super().shutdown(sockets)
