"""The service's limits: one frozen record, read from the environment in every worker.

``policy serve`` turns its options into these variables before uvicorn starts its
workers (each worker builds its own app), so one process or four apply the same limits.
Plain Python: no web library. Defaults are stated in docs/serve.md and ``policy serve --help``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import attrs

from ..errors import InputError

DEFAULT_MAX_BODY = 1024 * 1024
#: The hosts a request may name (``Host``) when nothing else is given: this machine.
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@attrs.frozen
class Limits:
    """What one request may cost the service.

    ``request_seconds``: an answer's whole work (a 504 names the region past it);
    ``hook_seconds``: one call of a third-party plugin's hook (its PluginError past it);
    ``header_seconds`` / ``body_seconds``: a client's time to send its headers / its body
    (408 and the connection closed past it); ``max_body`` / ``max_answer``: bytes of a
    request body (413) and of an answer (a 500 naming the region); ``concurrent``: answers
    computed at once per process, off the event loop (the rest wait, within
    ``request_seconds``, then 503);
    ``allowed_hosts``: names the ``Host`` header may give (DNS rebinding), ``*`` for any.
    """

    max_body: int = DEFAULT_MAX_BODY
    max_answer: int = 8 * 1024 * 1024
    request_seconds: float = 10.0
    hook_seconds: float = 5.0
    header_seconds: float = 10.0
    body_seconds: float = 30.0
    concurrent: int = 4
    allowed_hosts: tuple[str, ...] = LOCAL_HOSTS

    def allows(self, host: str) -> bool:
        """Whether a ``Host`` header (port and brackets stripped here) is one of ours."""
        if "*" in self.allowed_hosts:
            return True
        name = host.strip().lower()
        if name.startswith("["):
            name = name[1:].split("]", 1)[0]
        elif name.count(":") == 1:
            name = name.split(":", 1)[0]
        return name.rstrip(".") in self.allowed_hosts


#: field -> (environment variable, kind, option of ``policy serve``).
VARIABLES: Mapping[str, tuple[str, type, str]] = {
    "max_body": ("YIBAO_SERVE_MAX_BODY", int, "--max-body"),
    "max_answer": ("YIBAO_SERVE_MAX_ANSWER", int, "--max-answer"),
    "request_seconds": ("YIBAO_SERVE_REQUEST_SECONDS", float, "--request-timeout"),
    "hook_seconds": ("YIBAO_SERVE_HOOK_SECONDS", float, "--hook-timeout"),
    "header_seconds": ("YIBAO_SERVE_HEADER_SECONDS", float, "--header-timeout"),
    "body_seconds": ("YIBAO_SERVE_BODY_SECONDS", float, "--body-timeout"),
    "concurrent": ("YIBAO_SERVE_CONCURRENT", int, "--concurrent"),
}
HOSTS_VARIABLE = "YIBAO_SERVE_ALLOWED_HOSTS"


def check(field: str, value: float, where: str) -> float:
    """A positive number for ``field`` (else an InputError naming ``where``)."""
    kind = VARIABLES[field][1]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0 or value != value or value == float("inf"):
        unit = "bytes" if field in ("max_body", "max_answer") else "seconds" if kind is float else "answers"
        raise InputError(where, f"{value!r} is not a positive number of {unit}")
    return kind(value)


def from_environment(environ: Mapping[str, str] | None = None) -> Limits:
    """The limits the environment sets (``YIBAO_SERVE_*``), the defaults for the rest."""
    environ = os.environ if environ is None else environ
    given: dict[str, object] = {}
    for field, (variable, kind, _) in VARIABLES.items():
        raw = environ.get(variable, "").strip()
        if raw:
            try:
                number = kind(raw)
            except ValueError:
                raise InputError(variable, f"{raw!r} is not a positive number") from None
            given[field] = check(field, number, variable)
    hosts = environ.get(HOSTS_VARIABLE, "").strip()
    if hosts:
        given["allowed_hosts"] = hosts_of(hosts.split(","), HOSTS_VARIABLE)
    return Limits(**given)  # type: ignore[arg-type]


def hosts_of(names: list[str], where: str) -> tuple[str, ...]:
    """Host names as the ``Host`` header is compared with them (lower case, no brackets)."""
    out = []
    for name in names:
        name = name.strip().lower().strip("[]").rstrip(".")
        if not name:
            continue
        if any(c in name for c in "/ @?#"):
            raise InputError(where, f"{name!r} is not a host name or address")
        out.append(name)
    if not out:
        raise InputError(where, "name at least one host (or * for any)")
    return tuple(dict.fromkeys(out))
