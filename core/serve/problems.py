"""Bad requests as RFC 9457 problem details (``application/problem+json``).

One line of ``detail`` names the problem, field path first, as the CLI's one-line
error does; ``field`` carries the path alone for programs. Nothing here imports the
web stack: the mapping from library errors to statuses is plain data, tested alone.
"""

from __future__ import annotations

import json
from typing import Any

from ..errors import InputError, PluginError, UnknownRegionError, YibaoError

MEDIA_TYPE = "application/problem+json"
_BASE = "https://yibao-policy.invalid/problems/"

#: status -> the HTTP reason phrase used as title of about:blank problems.
TITLES = {
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    408: "Request Timeout",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    422: "Unprocessable Content",
    500: "Internal Server Error",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class Problem(Exception):
    """A request the service refuses, with everything its problem document says."""

    def __init__(self, status: int, kind: str, title: str, detail: str, field: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.type = kind if kind == "about:blank" else _BASE + kind
        self.title = title
        self.detail = detail
        self.field = field
        self.headers: dict[str, str] = {}  # sent with it (the decision log's X-Decision-Id)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type, "title": self.title, "status": self.status, "detail": self.detail}
        if self.field is not None:
            out["field"] = self.field
        return out

    def body(self) -> bytes:
        text = json.dumps(self.to_dict(), ensure_ascii=False)
        try:
            return text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate echoed from the request: JSON's own \ud800 escape
            return json.dumps(self.to_dict()).encode("ascii")


def invalid(field: str, reason: str) -> Problem:
    """422: the body is JSON but a field is wrong; ``detail`` starts with the field path."""
    return Problem(422, "invalid-input", "Invalid input", f"{field}: {reason}" if field else reason, field)


def http(status: int, detail: str) -> Problem:
    """A plain HTTP error (unknown path, method, body too large): type about:blank."""
    return Problem(status, "about:blank", TITLES.get(status, "Error"), detail)


def from_error(exc: YibaoError, prefix: str = "", *, region_field: str = "region", in_path: bool = False) -> Problem:
    """The problem for a library error raised while answering a request.

    ``prefix`` places an ``InputError``'s path inside the request (``member`` for the
    member's fields). An unknown region is 404 where the region is in the URL, 422 naming
    ``region_field`` where it is a field of the body. A failing plugin is the server's
    fault, not the caller's: 500, with the plugin's distribution and reason but no traceback.
    """
    if isinstance(exc, InputError):
        path = exc.path
        if prefix:
            path = prefix if not path else (prefix + path if path.startswith("[") else f"{prefix}.{path}")
        return invalid(path, exc.reason)
    if isinstance(exc, UnknownRegionError):
        if in_path:
            return Problem(404, "unknown-region", "Unknown region", str(exc), "code")
        return Problem(422, "unknown-region", "Unknown region", f"{region_field}: {exc}", region_field)
    if isinstance(exc, PluginError):
        return Problem(500, "plugin-failed", "A region plugin failed", str(exc))
    return invalid(prefix, str(exc))
