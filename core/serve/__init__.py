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
    from .decision_log import DecisionLog
    from .limits import Limits


def create_app(
    engine: PolicyEngine | None = None,
    *,
    max_body: int | None = None,
    limits: Limits | None = None,
    decision_log: DecisionLog | None = None,
) -> Litestar:
    """The ASGI application. ``engine`` defaults to one configured from the environment
    (``YIBAO_LOAD_PLUGINS`` and friends); ``limits`` to the ``YIBAO_SERVE_*`` variables
    (:mod:`yibao.serve.limits`), ``max_body`` overriding its one field; ``decision_log``
    to the one ``YIBAO_SERVE_DECISION_LOG`` names (:mod:`yibao.serve.decision_log`), if any."""
    import attrs

    from . import decision_log as decisions
    from .app import build
    from .limits import check, from_environment

    limits = limits if limits is not None else from_environment()
    if max_body is not None:
        limits = attrs.evolve(limits, max_body=int(check("max_body", max_body, "max_body")))
    return build(engine, limits, decision_log if decision_log is not None else decisions.from_environment())


def run(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int = 1,
    max_body: int | None = None,
    *,
    announce: bool = False,
    limits: dict[str, float] | None = None,
    allowed_hosts: list[str] | None = None,
    decision_log: str | None = None,
    log_inputs: bool = False,
    **uvicorn_options: Any,
) -> None:
    """Serve until interrupted. Binds to 127.0.0.1 unless told otherwise; with
    ``workers > 1`` uvicorn starts that many processes, each building its own app.
    ``limits`` sets fields of :class:`~yibao.serve.limits.Limits` by name; the allowed
    hosts are ``allowed_hosts`` or, by default, localhost and ``host`` itself. With
    ``decision_log`` each answer is a line of that file (``log_inputs``: with its body)."""
    from ..errors import InputError
    from .limits import HOSTS_VARIABLE, LOCAL_HOSTS, VARIABLES, check, hosts_of

    try:
        import uvicorn
    except ImportError:
        raise InputError("serve", 'the web service needs its extra: pip install "yibao-policy[serve]"') from None
    given = {**(limits or {}), **({} if max_body is None else {"max_body": max_body})}
    for field, value in given.items():
        if value is not None:
            os.environ[VARIABLES[field][0]] = str(check(field, value, VARIABLES[field][2]))  # worker processes read them
    if allowed_hosts:
        os.environ[HOSTS_VARIABLE] = ",".join(hosts_of(allowed_hosts, "--allowed-host"))
    elif HOSTS_VARIABLE not in os.environ:
        os.environ[HOSTS_VARIABLE] = ",".join(dict.fromkeys((*LOCAL_HOSTS, host.strip("[]").lower())))
    from . import decision_log as decisions
    from .limits import from_environment

    if decision_log:
        os.environ[decisions.PATH_VARIABLE] = os.path.abspath(decision_log)
        os.environ[decisions.INPUTS_VARIABLE] = "1" if log_inputs else "0"
        decisions.DecisionLog(decision_log).close()  # cannot be opened: one error here, not one per worker
    elif log_inputs:
        raise InputError("--log-inputs", "writes the request bodies into the decision log: give --decision-log FILE too")
    settled = from_environment()  # a bad value fails here, once, not in every worker
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
        http=uvicorn_options.pop("http", "yibao.serve.protocol:Protocol"),
        timeout_keep_alive=uvicorn_options.pop("timeout_keep_alive", min(5, int(settled.header_seconds) or 1)),
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
