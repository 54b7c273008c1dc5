"""A decision log, as OPA keeps one: one JSON line per answer, to trace and reproduce it.

``policy serve --decision-log FILE`` appends, for every answer of ``/v1/evaluate``,
``/v1/compare``, ``/v1/timeline``, ``/v1/move`` and ``/v1/regions/{code}/parameters``
(refusals of the answer itself included: 500, 503, 504)::

    {"decision_id": "…", "time": "2026-03-01T08:00:00.123Z", "endpoint": "/v1/evaluate",
     "regions": ["shenzhen"], "status": 200, "input_sha256": "…", "answer_sha256": "…",
     "yibao_version": "…", "provenance": {…}}

The member's data is not written unless ``--log-inputs`` (then ``input`` holds the
request body as sent): the digests alone tie a line to a request the caller kept. The
decision id is also the answer's ``X-Decision-Id`` header. Each line is one ``write``
to a file opened for appending, so several workers can share one file.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from datetime import datetime, timezone
from typing import Any

from .._version import __version__
from ..errors import InputError
from ..plugins import env_flag

PATH_VARIABLE = "YIBAO_SERVE_DECISION_LOG"
INPUTS_VARIABLE = "YIBAO_SERVE_LOG_INPUTS"
HEADER = "X-Decision-Id"


class DecisionLog:
    """An open decision log; :meth:`record` writes one line and returns its decision id."""

    def __init__(self, path: str, log_inputs: bool = False) -> None:
        self.path = path
        self.log_inputs = log_inputs
        try:
            self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            raise InputError("--decision-log", f"cannot open {path} for appending: {exc.strerror or exc}") from None

    def record(self, endpoint: str, regions: list[str], request: bytes, status: int, answer: bytes, json_answer: bool) -> str:
        decision = uuid.uuid4().hex
        line: dict[str, Any] = {
            "decision_id": decision,
            "time": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "endpoint": endpoint,
            "regions": regions,
            "status": status,
            "input_sha256": hashlib.sha256(request).hexdigest(),
            "answer_sha256": hashlib.sha256(answer).hexdigest(),
            "yibao_version": __version__,
        }
        if status == 200 and json_answer:
            line["provenance"] = _provenance(answer)
        if self.log_inputs:
            line["input"] = request.decode("utf-8", "replace")
        os.write(self._fd, json.dumps(line, ensure_ascii=False).encode("utf-8", "backslashreplace") + b"\n")
        return decision

    def close(self) -> None:
        os.close(self._fd)


def _provenance(answer: bytes) -> Any:
    """The answer's ``provenance`` (a comparison's: one per region compared)."""
    data = json.loads(answer)
    if "provenance" in data:
        return data["provenance"]
    results = data.get("results")
    if isinstance(results, dict):
        return {code: result.get("provenance") for code, result in results.items()}
    return None


def from_environment() -> DecisionLog | None:
    """The log ``YIBAO_SERVE_DECISION_LOG`` names (``YIBAO_SERVE_LOG_INPUTS`` for the bodies), or None."""
    path = os.environ.get(PATH_VARIABLE, "").strip()
    if not path:
        return None
    return DecisionLog(path, env_flag(INPUTS_VARIABLE))
