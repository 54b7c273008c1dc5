"""Following a member across regions in a timeline: which region judges each month, and
what the move rules change at each boundary.

A history whose ``contributions`` items name their ``region`` is walked by
:func:`yibao.timelines.build` with a :class:`Route`:

- a paid month is judged by the stack of its range's region (the timeline's ``region``
  argument where the range names none); an unpaid month by the region of the last paid
  month before it (else the ``region`` argument);
- a **boundary** is the first paid month in a region other than the previous paid
  month's. There the answer of ``yibao.move(origin, destination, member, on=its 1st
  day)`` applies (the engine's move: 医保办发〔2021〕43号 and the destination's
  ``transfer_in``, never re-derived here). From the boundary, while the member keeps
  paying without a break:

  * before the move's ``pooled_benefits_resume``: no pooled benefits (waiting, the row
    shows the resume date); from it on: covered, the move having settled the gap;
  * a gap short enough to be paid back (43号) but shown unpaid in the history is not
    treated as paid back: 43号's "from the payment month" assumes the back payment, so
    pooled benefits are null (``gap_not_paid_back``) until the paid run is as long as the
    ceiling below; then the destination's own lapse rule answers;
  * where the move's wait is not modelled: pooled benefits are null (the move's
    ``not_modelled`` topics) until the paid run since the boundary is as long as the
    longest wait 43号 lets any area set ("设置不超过6个月的待遇享受等待期", the ceiling
    never applied as the wait); then the destination's own lapse rule answers;
  * a blocked move (a retiree, arrears): pooled benefits are null in every month of the
    stretch, ``not_modelled`` says ``transfer_blocked`` and why, never an invented answer.

  After a new gap at the destination its own lapse rule judges the months, as in a
  single-region timeline. Credits always use the month's region's rules.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs

from .decisions import LapseDecision
from .member import Member
from .months import first_day, format_month, month_of
from .parameters import NotModelled

if TYPE_CHECKING:
    from .moving import Move
    from .provenance import LayerOrigin
    from .stack import Stack

#: The ``not_modelled`` topic of the months after a blocked move.
BLOCKED = "transfer_blocked"
#: The ``not_modelled`` topic of the months after a move across a short gap left unpaid.
UNPAID_GAP = "gap_not_paid_back"

Mover = Callable[[str, str, Member, date], "Move"]


def crosses(member: Member) -> bool:
    """Whether any contributions range names its region (the timeline then follows it)."""
    return any(period.region is not None for period in member.periods or ())


@attrs.frozen
class Crossing:
    """A boundary of the timeline: the month the member first paid in ``move.destination``
    after paying in ``move.origin``, and the engine's answer for that move."""

    month: int
    move: Move
    run_end: int  # the last month of the unbroken paid run that begins at ``month``

    def to_dict(self) -> dict[str, Any]:
        move = self.move
        return {
            "month": format_month(self.month),
            "origin": move.origin.code,
            "destination": move.destination.code,
            "blocked": move.blocked,
            "blockers": list(move.blockers),
            "gap_months": move.gap_months,
            "destination_wait_months": move.destination_wait_months,
            "pooled_benefits_resume": None if move.pooled_benefits_resume is None else move.pooled_benefits_resume.isoformat(),
            "not_modelled": [item.to_dict() for item in move.not_modelled],
            "citations": [citation.to_dict() for citation in move.citations()],
        }


class Route:
    """The region of each month of a history, and the move rules from each boundary on."""

    def __init__(self, stacks: Mapping[str, Stack], default: str, member: Member, mover: Mover) -> None:
        self._stacks = stacks
        self._default = default
        self._member = member
        self._mover = mover
        periods = member.periods or ()
        self._starts = [period.start for period in periods]
        self._regions = [period.region or default for period in periods]
        # boundaries: (month, origin, destination), in order
        self._boundaries: list[tuple[int, str, str]] = [
            (periods[i].start, self._regions[i - 1], self._regions[i])
            for i in range(1, len(periods))
            if self._regions[i] != self._regions[i - 1]
        ]
        self._boundary_months = [month for month, _, _ in self._boundaries]
        self._crossings: dict[int, Crossing] = {}

    def region(self, month: int) -> str:
        """The region that judges ``month``: its range's, else the last paid month's before it."""
        at = bisect.bisect_right(self._starts, month) - 1  # the last range starting at or before the month
        return self._default if at < 0 else self._regions[at]

    def stack(self, month: int) -> Stack:
        return self._stacks[self.region(month)]

    def origins(self, regions: tuple[str, ...]) -> tuple[LayerOrigin, ...]:
        """Each layer of the regions crossed, once: what reproduces the timeline's answer."""
        found = {origin.code: origin for code in regions for origin in self._stacks[code].origins}
        return tuple(found.values())

    def crossing(self, month: int) -> Crossing | None:
        """The boundary whose stretch ``month`` lies in (``None`` before the first one)."""
        at = bisect.bisect_right(self._boundary_months, month) - 1
        if at < 0:
            return None
        boundary, origin, destination = self._boundaries[at]
        found = self._crossings.get(boundary)
        if found is None:
            move = self._mover(origin, destination, self._member, first_day(boundary))
            run_end = next(end for start, end in self._member.contributions or () if start <= boundary <= end)
            found = self._crossings[boundary] = Crossing(boundary, move, run_end)
        return found

    def crossings(self, start: int, end: int) -> tuple[Crossing, ...]:
        """The boundaries whose stretch meets ``start`` .. ``end``, in order."""
        seen = [self.crossing(start)] + [self.crossing(month) for month in self._boundary_months if start < month <= end]
        return tuple(crossing for crossing in seen if crossing is not None)

    def adjust(self, month: int, lapse: LapseDecision) -> tuple[LapseDecision, tuple[str, ...] | None]:
        """The destination's lapse answer for ``month`` as the move settles it, and the
        detail of the ``moved`` event when ``month`` is a boundary (else ``None``)."""
        crossing = self.crossing(month)
        if crossing is None:
            return lapse, None
        move = crossing.move
        detail = None
        if month == crossing.month:
            detail = (f"{move.origin.code} -> {move.destination.code}", *(f"blocked: {code}" for code in move.blockers if move.blocked))
        if move.blocked:
            why = f"the move {move.origin.code} -> {move.destination.code} in {format_month(crossing.month)} is blocked ({', '.join(move.blockers)})"
            return _unknown(lapse, (NotModelled(BLOCKED, why),)), detail
        if month > crossing.run_end:  # a new gap at the destination: its own rule judges it
            return lapse, detail
        unpaid = _unpaid_short_gap(move)
        resume = None if unpaid else move.pooled_benefits_resume
        if resume is not None:
            if month < month_of(resume):
                return _known(lapse, False, resume), detail
            if lapse.pooled_benefits is True:  # the run shows the move's resume date throughout
                return attrs.evolve(lapse, pooled_benefits_resume=resume), detail
            return _known(lapse, True, resume), detail
        ceiling = move.transfer_in.wait_ceiling_months
        if ceiling is not None and month - crossing.month >= ceiling:
            return lapse, detail  # no area's wait can still run: the destination's own rule answers
        if unpaid:
            why = (
                f"the {move.gap_months}-month gap before the move to {move.destination.code} in {format_month(crossing.month)} "
                "is not paid back in the history: 43号's 'from the payment month' is said of a gap paid back at the destination, "
                "and no source gives the rule for one left unpaid"
            )
            return _unknown(lapse, (NotModelled(UNPAID_GAP, why),)), detail
        return _unknown(lapse, move.not_modelled or (NotModelled("transfer_in_wait", "the wait after the move is not modelled"),)), detail


def _unpaid_short_gap(move: Move) -> bool:
    """A gap before the move short enough to be paid back (43号), shown unpaid in the history:
    the move's "covered from the payment month" assumes a back payment the member did not make."""
    payable = move.transfer_in.payable_gap_months
    return bool(move.gap_months) and payable is not None and move.gap_months <= payable  # type: ignore[operator]


def _known(lapse: LapseDecision, covered: bool, resume: date | None) -> LapseDecision:
    return attrs.evolve(lapse, pooled_benefits=covered, pooled_benefits_resume=resume, modelled=True, not_modelled=())


def _unknown(lapse: LapseDecision, missing: tuple[NotModelled, ...]) -> LapseDecision:
    return attrs.evolve(lapse, pooled_benefits=None, pooled_benefits_resume=None, modelled=False, not_modelled=missing)
