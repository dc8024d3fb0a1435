"""uvicorn's httptools protocol with the limits it lacks, and JSON errors for what its parser rejects.

uvicorn has no header-read timeout and no header size limit with httptools: a client that sends its headers a
byte a minute holds a connection forever, and a 100 MB header is buffered whole. This subclass adds:
- HEADERS_TIMEOUT_MS: from a request's first byte (or a new connection's opening) to the end of its headers, and
  REQUEST_TIMEOUT_MS to the end of its body; then 408 request_timeout and the connection is closed (a new
  connection that sent nothing is just closed);
- WRITE_TIMEOUT_MS: a client that stops reading a response (the socket's send buffer full) for that long is
  disconnected, so it cannot hold the reply's memory;
- MAX_HEADER_BYTES: the request line and headers together; above it 414 uri_too_long (still in the request
  line) or 431 headers_too_large, and the connection is closed;
- parser errors answered as JSON from the shared catalog (400 bad_request, 501 not_implemented for an unknown
  method) instead of uvicorn's text/plain 400;
- a drained shutdown: a connection idle at SIGTERM is closed only after a short grace (DRAIN_S), so a request
  already sent but not yet read is served rather than reset.
The request path itself (parsing, the ASGI cycle, writing responses) is uvicorn's, unchanged.
"""

from __future__ import annotations

import asyncio
import re
from functools import cache
from typing import Any

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from . import errors
from .settings import Settings

DRAIN_S = 0.25
_METHOD = re.compile(rb"^[A-Z][A-Z-]{0,19}$")
_BAD_ESCAPE = re.compile(rb"%(?![0-9A-Fa-f]{2})")


@cache
def _settings() -> Settings:
    return Settings.from_env()


class ControlProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        settings = _settings()
        self._headers_timeout = settings.headers_timeout_ms / 1000
        self._request_timeout = settings.request_timeout_ms / 1000
        self._write_timeout = settings.write_timeout_ms / 1000
        self._max_header_bytes = settings.max_header_bytes
        self._request_started = 0.0
        self._write_timer: asyncio.TimerHandle | None = None
        self._head_size = 0  # request line and header bytes of the current request, as parsed
        self._head_bytes = 0  # bytes received since the current request began, until its headers end
        self._in_head = True
        self._head_timer: asyncio.TimerHandle | None = None
        self._any_header = False
        self._refusal: errors.ApiError | None = None  # set by a parser callback that stops the parse
        self._pending: errors.ApiError | None = None  # a refusal waiting for the response in progress

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_head_timer()
        if self._write_timer is not None:
            self._write_timer.cancel()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            # An Upgrade header (websocket, h2c): served as the plain HTTP/1.1 request it also is.
            return
        except httptools.HttpParserInvalidMethodError:
            method = data.split(b" ", 1)[0]
            if self._answering():  # bytes after a body shorter than they said: not a new request at all
                self._refuse(errors.bad_request("the request is not valid HTTP/1.1: bytes after the body"))
            elif _METHOD.match(method):  # a well-formed method we do not know: 501, as Node's clientError mapping
                self._refuse(errors.not_implemented(method.decode("ascii")))
            else:  # not HTTP at all (TLS bytes, binary)
                self._refuse(errors.bad_request("the request is not valid HTTP/1.1: invalid method"))
            return
        except httptools.HttpParserError as exc:
            self._refuse(self._refusal or errors.bad_request(f"the request is not valid HTTP/1.1: {exc}"))
            return
        if self._in_head:  # the head is still incomplete: count what httptools is buffering
            if self._head_timer is None:
                self._arm_head_timer()
            self._head_bytes += len(data)
            if self._head_bytes > self._max_header_bytes:
                self._refuse(self._too_large())

    def _too_large(self) -> errors.ApiError:
        limit = self._max_header_bytes
        return errors.headers_too_large(limit) if self._any_header else errors.uri_too_long(limit)

    def _count_head(self, size: int) -> None:
        """Counts a head that arrived whole in one read; raising stops the parser before the request starts."""
        self._head_size += size
        if self._head_size > self._max_header_bytes:
            self._refusal = self._too_large()
            raise ValueError(self._refusal.message)

    # Parser callbacks (uvicorn's, plus the state of the head).
    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._in_head = True
        self._any_header = False
        self._head_size = 0

    def on_url(self, url: bytes) -> None:
        self._count_head(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._any_header = True
        self._count_head(len(name) + len(value) + 4)
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        if self.parser.get_method() == b"CONNECT":  # a proxy request (authority form): not for this server
            self._refusal = errors.not_implemented("CONNECT")
            raise ValueError(self._refusal.message)
        if b"%" in self.url and _BAD_ESCAPE.search(self.url.partition(b"?")[0]):
            self._refusal = errors.bad_request("the path is not valid percent-encoding")
            raise ValueError(self._refusal.message)
        self._in_head = False
        self._head_bytes = 0
        self._cancel_head_timer()
        # The body has what is left of REQUEST_TIMEOUT_MS, counted from the request's first byte.
        left = self._request_timeout - (self.loop.time() - self._request_started)
        self._head_timer = self.loop.call_later(max(left, 0.0), self._on_body_timeout)
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._cancel_head_timer()
        super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self._pending is not None:  # the request before the bad bytes has had its answer: now refuse
            error, self._pending = self._pending, None
            self._refuse(error)

    def _answering(self) -> bool:
        """A request whose body has all arrived is being answered: bad bytes after it wait for its answer."""
        cycle = self.cycle
        return cycle is not None and not cycle.more_body and not cycle.response_complete

    def pause_writing(self) -> None:
        super().pause_writing()
        if self._write_timer is None:
            self._write_timer = self.loop.call_later(self._write_timeout, self._on_write_timeout)

    def resume_writing(self) -> None:
        if self._write_timer is not None:
            self._write_timer.cancel()
            self._write_timer = None
        super().resume_writing()

    def _on_write_timeout(self) -> None:
        self._write_timer = None
        self.logger.info("closed a connection whose client stopped reading (WRITE_TIMEOUT_MS)")
        self.transport.abort()

    def _on_body_timeout(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            ms = round(self._request_timeout * 1000)
            self._refuse(errors.request_timeout(f"the request did not arrive within REQUEST_TIMEOUT_MS ({ms} ms)"))

    def shutdown(self) -> None:
        if self.cycle is None or self.cycle.response_complete:
            # Idle: give bytes already sent a moment to arrive and start a request before closing.
            self.loop.call_later(DRAIN_S, self._close_if_idle)
        else:
            self.cycle.keep_alive = False

    def _close_if_idle(self) -> None:
        if self.cycle is None or self.cycle.response_complete:
            self.transport.close()
        else:
            self.cycle.keep_alive = False

    def send_400_response(self, msg: str) -> None:
        self._refuse(errors.bad_request(msg))

    def _arm_head_timer(self) -> None:
        self._request_started = self.loop.time()
        self._head_timer = self.loop.call_later(self._headers_timeout, self._on_head_timeout)

    def _cancel_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _on_head_timeout(self) -> None:
        self._head_timer = None
        if not self._in_head or self.transport.is_closing():
            return
        if self._head_bytes == 0 and (self.cycle is None or self.cycle.response_complete):
            self.transport.close()  # nothing of a request arrived: just close, as for an idle keep-alive
        else:
            ms = round(self._headers_timeout * 1000)
            message = f"the request headers did not arrive within HEADERS_TIMEOUT_MS ({ms} ms)"
            self._refuse(errors.request_timeout(message))

    def _refuse(self, error: errors.ApiError) -> None:
        """Answers the error as JSON and closes the connection (the parser's state is no longer usable). A request
        still being answered on this connection gets its answer first."""
        self._cancel_head_timer()
        if self.transport.is_closing():
            return
        if self._answering():
            self._pending = error
            self.transport.pause_reading()
            return
        if self.cycle is not None and self.cycle.response_started and not self.cycle.response_complete:
            self.transport.close()  # an answer is already on its way: it cannot be followed by another
            return
        body = errors.error_body(error)
        reason = _REASONS.get(error.status, "Error")
        head = (
            f"HTTP/1.1 {error.status} {reason}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
        )
        self.transport.write(head.encode("latin-1") + body)
        self.transport.close()


_REASONS = {
    400: "Bad Request",
    408: "Request Timeout",
    414: "URI Too Long",
    431: "Request Header Fields Too Large",
    501: "Not Implemented",
}
