"""What every request passes before a route sees it: an ASGI wrapper around the app.

- ``Host`` must be one of :attr:`Limits.allowed_hosts` (a page on another site that
  rebinds its DNS name to 127.0.0.1 names its own host): else 400.
- A body is JSON (``application/json`` or ``*/*+json``): else 415, so a cross-site
  "simple" POST (``text/plain``, a form) never reaches a handler.
- ``HEAD`` is answered as ``GET`` without the body (RFC 9110 9.3.2), on every path.
- Every answer forbids framing (``frame-ancestors 'none'``, ``X-Frame-Options``) and
  says its content type once.

Refusals are problem documents, as the routes' are. No web library: plain ASGI.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from .._version import __version__
from .limits import Limits
from .problems import MEDIA_TYPE, Problem, http

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

NO_FRAMES = b"frame-ancestors 'none'"
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def is_json(content_type: bytes) -> bool:
    """``application/json`` or a ``+json`` type, any parameters (``charset=utf-8``)."""
    kind = content_type.split(b";", 1)[0].strip().lower()
    return kind == b"application/json" or (kind.startswith(b"application/") and kind.endswith(b"+json"))


def guarded(app: App, limits: Limits) -> App:
    """``app`` behind the checks above."""

    async def guard(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        host = headers.get(b"host", b"").decode("latin-1")
        if not limits.allows(host):
            shown = host if host.isprintable() and len(host) < 100 else "(unreadable)"
            allowed = ", ".join(limits.allowed_hosts)
            await _refuse(send, http(400, f"Host {shown!r} is not served here (allowed: {allowed}; policy serve --allowed-host)"))
            return
        method = scope["method"]
        if method in _BODY_METHODS and not is_json(headers.get(b"content-type", b"")):
            given = headers.get(b"content-type", b"").decode("latin-1") or "none"
            await _refuse(send, http(415, f"the body must be JSON (Content-Type: application/json), got {given[:80]!r}"))
            return
        if method == "HEAD":
            scope = {**scope, "method": "GET"}
            await app(scope, receive, _headers_only(send))
            return
        await app(scope, receive, _no_frames(send))

    return guard


def _once(content_type: bytes) -> bytes:
    """A media type with each parameter said once (Litestar adds ``charset=utf-8`` to one
    that already has it: ``text/html; charset=utf-8; charset=utf-8``)."""
    parts = [part.strip() for part in content_type.split(b";")]
    return b"; ".join(dict.fromkeys(part for part in parts if part))


def _framing(message: Message) -> None:
    """Add ``frame-ancestors 'none'`` to the response's policy (or as its policy), and
    say its content type once."""
    headers = list(message.get("headers", ()))
    framed = False
    for i, (name, value) in enumerate(headers):
        lower = name.lower()
        if lower == b"content-security-policy":
            framed = True
            if b"frame-ancestors" not in value:
                headers[i] = (name, value + b"; " + NO_FRAMES)
        elif lower == b"content-type" and value.count(b";") > 1:
            headers[i] = (name, _once(value))
    if not framed:
        headers.append((b"content-security-policy", NO_FRAMES))
    headers.append((b"x-frame-options", b"DENY"))
    message["headers"] = headers


def _no_frames(send: Send) -> Send:
    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            _framing(message)
        await send(message)

    return sending


def _headers_only(send: Send) -> Send:
    """The GET answer's status and headers (its Content-Length included), no body."""

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            _framing(message)
            await send(message)
        elif message["type"] == "http.response.body":
            if not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b"", "more_body": False})
        else:
            await send(message)

    return sending


async def _refuse(send: Send, problem: Problem) -> None:
    body = problem.body()
    headers = [
        (b"content-type", MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"x-yibao-version", __version__.encode()),
        (b"x-content-type-options", b"nosniff"),
    ]
    start: Message = {"type": "http.response.start", "status": problem.status, "headers": headers}
    _framing(start)
    await send(start)
    await send({"type": "http.response.body", "body": body})
