"""uvicorn's HTTP protocol with time limits on a client's headers and body.

uvicorn times out an idle keep-alive connection but not a client that sends its
headers a byte a minute, or announces a body and never sends it (each such connection
pins a task and its buffers: 300 of them held 320 MB). Here a connection gets
``Limits.header_seconds`` from its first byte (or from being opened) to the end of its
headers, and ``Limits.body_seconds`` from there to the end of its body; past either it
is answered 408 (when no answer has started) and closed. A request line the parser
refuses is a problem document, not uvicorn's plain text. Used by ``policy serve``
(``uvicorn --http yibao.serve.protocol:Protocol`` for uvicorn's own command).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from .._version import __version__
from .limits import from_environment
from .problems import MEDIA_TYPE, Problem, http

_LIMITS = from_environment()


def raw_problem(problem: Problem) -> bytes:
    """A whole HTTP/1.1 answer for ``problem``, the connection to be closed after it."""
    body = problem.body()
    head = (
        f"HTTP/1.1 {problem.status} {problem.title}\r\ncontent-type: {MEDIA_TYPE}\r\ncontent-length: {len(body)}\r\n"
        f"x-yibao-version: {__version__}\r\nconnection: close\r\n\r\n"
    )
    return head.encode("latin-1") + body


class Protocol(HttpToolsProtocol):
    """:class:`HttpToolsProtocol` with the two timers above."""

    _timer: asyncio.TimerHandle | None = None

    def _arm(self, seconds: float, what: str) -> None:
        self._disarm()
        self._timer = self.loop.call_later(seconds, self._expired, what, seconds)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _expired(self, what: str, seconds: float) -> None:
        self._timer = None
        if self.transport.is_closing():
            return
        cycle = self.cycle
        if cycle is None or not cycle.response_started:
            self.transport.write(raw_problem(http(408, f"the request's {what} did not arrive within {seconds:g} s")))
        self.transport.close()

    def connection_made(self, transport: Any) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(_LIMITS.header_seconds, "headers")

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._arm(_LIMITS.header_seconds, "headers")

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._arm(_LIMITS.body_seconds, "body")

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._disarm()

    def send_400_response(self, msg: str) -> None:
        self._disarm()
        self.transport.write(raw_problem(http(400, f"not an HTTP/1.1 request this server reads: {msg.rstrip('.')}")))
        self.transport.close()
