"""The module-level API: one default engine, configured from the environment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from .comparison import Comparison
from .engine import RegionStatus, default_engine
from .evaluation import Evaluation
from .member import Member

if TYPE_CHECKING:
    from .explaining import Explanation
    from .moving import Move
    from .timelines import Timeline


def evaluate(region: str, member: Member | Mapping[str, Any], as_of: date | str | None = None, *, reform: Any = None) -> Evaluation:
    """Evaluate ``member`` (a mapping as in ``schemas/member.schema.json``, or a
    :class:`~yibao.Member`) in ``region`` on ``as_of`` (a date or "YYYY-MM-DD"; default today).

    Raises a :class:`~yibao.YibaoError` (a ``ValueError``) naming the problem on bad
    input, an unknown region or a broken plugin. ``reform``: parameter values overridden
    (see :mod:`yibao.reform`); every answer resting on one is marked hypothetical.
    """
    return default_engine().evaluate(region, member, as_of, reform=reform)


def explain(region: str, member: Member | Mapping[str, Any], as_of: date | str | None = None, *, area: Any = None) -> Explanation:
    """``evaluate`` with the steps that reached each answer: the layers asked top-down,
    the member facts and parameters each hook read (values, dates, passages), the steps
    rules name, not-modelled topics and disputes where they arise (see docs/explain.md).

    ``area``: explain one area ("credit") or several (a list) instead of all five.
    ``Explanation.to_dict()`` is the JSON form (``schemas/explanation.schema.json``).
    """
    return default_engine().explain(region, member, as_of, area=area)


def compare(regions: Sequence[str], member: Member | Mapping[str, Any], as_of: date | str | None = None) -> Comparison:
    """The same member in each of ``regions`` (codes, or ``code@YYYY-MM-DD`` for a region on
    another date), side by side; a region whose plugin fails is reported in ``failures``."""
    return default_engine().compare(regions, member, as_of)


def regions() -> list[RegionStatus]:
    """Every installed region with its status (``loaded``, ``failed`` and why, ``disabled``)."""
    return default_engine().regions()


def timeline(region: str, member: Member | Mapping[str, Any], start: date | str | None = None, end: date | str | None = None) -> Timeline:
    """``member`` in ``region`` month by month, each month judged by the rules in force on
    its 1st day (see :mod:`yibao.timelines` and ``docs/timeline.md``).

    ``start`` and ``end`` are months ("YYYY-MM") or dates ("YYYY-MM-DD", ``date``: their
    month). Defaults: from the member's first paid month (or 24 months back when the
    member gives no ranges) to 12 months after today. At most 1,200 months; a start
    after the end or a month outside 1900-01 .. 2199-12 raises an ``InputError`` naming
    ``start`` or ``end``.

    Where contributions ranges name their ``region``, the timeline follows the member
    across regions (``region`` is that of the ranges naming none) and applies
    ``yibao.move`` at each boundary (see :mod:`yibao.across`); an unknown region raises an
    ``InputError`` naming ``contributions[i].region``.
    """
    return default_engine().timeline(region, member, start, end)


def move(origin: str, destination: str, member: Member | Mapping[str, Any], on: date | str | None = None) -> Move:
    """``member`` moving from ``origin`` to ``destination`` in the month of ``on`` (a date or
    "YYYY-MM-DD"; default today): whether the relationship and the balance move, what
    blocks them, what the member does, and when pooled benefits resume at the destination.

    ``Move.to_dict()`` is the JSON form (``schemas/move.schema.json``). Raises an
    :class:`~yibao.InputError` for the same region twice or a move before the first paid
    month, an :class:`~yibao.UnknownRegionError` for a region not installed.
    """
    return default_engine().move(origin, destination, member, on)
