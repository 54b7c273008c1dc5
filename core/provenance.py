"""Where an answer came from, so it can be reproduced after a region package updates.

Each layer's origin (code, distribution, version, sha256 of its parameter file) is
fixed when the layer is loaded: the file is hashed once, at load, never per
evaluation. ``evaluated_at`` is the moment the stack evaluated (UTC); a front end that
wants its own clock (a request's arrival time) can build a :class:`Provenance` itself.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import attrs

from ._version import __version__
from .hookspecs import SPEC_VERSION


@attrs.frozen
class LayerOrigin:
    """One layer of a stack as it was installed: enough to find the exact files again."""

    code: str
    distribution: str
    version: str
    parameters_sha256: str

    def to_dict(self) -> dict[str, str]:
        return {
            "code": self.code,
            "distribution": self.distribution,
            "version": self.version,
            "parameters_sha256": self.parameters_sha256,
        }


@attrs.frozen
class Provenance:
    """yibao's version, the hook-spec version, each layer's origin (lowest first), and when."""

    layers: tuple[LayerOrigin, ...]
    evaluated_at: datetime | None = None
    yibao_version: str = __version__
    spec_version: int = SPEC_VERSION

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``$defs/provenance`` of ``schemas/evaluation.schema.json``."""
        return {
            "yibao_version": self.yibao_version,
            "spec_version": self.spec_version,
            "evaluated_at": timestamp(self.evaluated_at),
            "layers": [layer.to_dict() for layer in self.layers],
        }


def now() -> datetime:
    """The current moment in UTC: what ``evaluated_at`` records."""
    return datetime.now(timezone.utc)


def timestamp(moment: datetime | None) -> str | None:
    """``2026-11-26T05:50:12.123Z``: RFC 3339, UTC, milliseconds; ``None`` stays ``None``."""
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def timeless(data: Any) -> Any:
    """A JSON answer with every ``provenance.evaluated_at`` set to ``None``: two answers
    to the same question differ only in that moment, so tests compare them this way."""
    if isinstance(data, dict):
        return {
            key: ({**value, "evaluated_at": None} if key == "provenance" and isinstance(value, dict) else timeless(value))
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [timeless(item) for item in data]
    return data
