"""``policy serve``: the same answers over HTTP, with a page for people.

An optional front end (``pip install "yibao-policy[serve]"``): Litestar routes served by
uvicorn. Importing this package imports no web library; :func:`create_app` and
:func:`run` do, when called. Every endpoint is a thin call of the public API
(``PolicyEngine.evaluate``, ``compare``, ``regions``, ``yibao.showing``) and answers in
the form of the CLI's ``--format json``; see docs/serve.md.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from litestar import Litestar

    from ..engine import PolicyEngine

#: Bodies larger than this are refused with 413 before they are read in full.
DEFAULT_MAX_BODY = 1024 * 1024
#: How ``policy serve --max-body`` reaches every worker process.
MAX_BODY_VARIABLE = "YIBAO_SERVE_MAX_BODY"


def max_body_from_environment() -> int:
    """The body limit in bytes: ``YIBAO_SERVE_MAX_BODY`` or 1 MiB."""
    from ..errors import InputError

    raw = os.environ.get(MAX_BODY_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_MAX_BODY
    if not raw.isdigit() or int(raw) < 1:
        raise InputError(MAX_BODY_VARIABLE, f"{raw!r} is not a positive number of bytes")
    return int(raw)


def create_app(engine: PolicyEngine | None = None, *, max_body: int | None = None) -> Litestar:
    """The ASGI application. ``engine`` defaults to one configured from the environment
    (``YIBAO_LOAD_PLUGINS`` and friends); ``max_body`` to :func:`max_body_from_environment`."""
    from .app import build

    return build(engine, max_body if max_body is not None else max_body_from_environment())


def run(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    max_body: int | None = None,
    *,
    announce: bool = False,
    **uvicorn_options: Any,
) -> None:
    """Serve until interrupted. Binds to 127.0.0.1 unless told otherwise; with
    ``workers > 1`` uvicorn starts that many processes, each building its own app."""
    from ..errors import InputError

    try:
        import uvicorn
    except ImportError:
        raise InputError("serve", 'the web service needs its extra: pip install "yibao-policy[serve]"') from None
    if max_body is not None:
        if max_body < 1:
            raise InputError("--max-body", f"{max_body} is not a positive number of bytes")
        os.environ[MAX_BODY_VARIABLE] = str(max_body)  # worker processes read it in create_app
    max_body_from_environment()  # a bad value fails here, once, not in every worker
    if workers < 1:
        raise InputError("--workers", f"{workers} is not a positive number of processes")
    if not 0 <= port <= 65535:
        raise InputError("--port", f"{port} is not a port number (0-65535)")
    _check_address(host, port)
    if announce:
        where = f"[{host}]" if ":" in host else host
        print(f"policy: serving on http://{where}:{port}/ ({workers} worker{'s' if workers != 1 else ''}); Ctrl-C stops", file=sys.stderr)
    uvicorn.run(
        "yibao.serve:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=uvicorn_options.pop("log_level", "warning"),
        server_header=False,
        **uvicorn_options,
    )


def _check_address(host: str, port: int) -> None:
    """One clear error for an address that cannot be bound (in use, not this machine's),
    instead of uvicorn's log line; the socket is closed again before uvicorn binds."""
    import errno
    import socket

    from ..errors import InputError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise InputError("--host", f"{host!r} is not an address of this machine ({exc.strerror})") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            raise InputError(
                "--port" if exc.errno == errno.EADDRINUSE else "--host", f"cannot listen on {host}:{port}: {exc.strerror}"
            ) from None
