"""The module-level API: one default engine, configured from the environment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from .comparison import Comparison
from .engine import RegionStatus, default_engine
from .evaluation import Evaluation
from .member import Member


def evaluate(region: str, member: Member | Mapping[str, Any], as_of: date | str | None = None, *, reform: Any = None) -> Evaluation:
    """Evaluate ``member`` (a mapping as in ``schemas/member.schema.json``, or a
    :class:`~yibao.Member`) in ``region`` on ``as_of`` (a date or "YYYY-MM-DD"; default today).

    Raises a :class:`~yibao.YibaoError` (a ``ValueError``) naming the problem on bad
    input, an unknown region or a broken plugin. ``reform``: parameter values overridden
    (see :mod:`yibao.reform`); every answer resting on one is marked hypothetical.
    """
    return default_engine().evaluate(region, member, as_of, reform=reform)


def compare(regions: Sequence[str], member: Member | Mapping[str, Any], as_of: date | str | None = None) -> Comparison:
    """The same member in each of ``regions`` (codes, or ``code@YYYY-MM-DD`` for a region on
    another date), side by side; a region whose plugin fails is reported in ``failures``."""
    return default_engine().compare(regions, member, as_of)


def regions() -> list[RegionStatus]:
    """Every installed region with its status (``loaded``, ``failed`` and why, ``disabled``)."""
    return default_engine().regions()
