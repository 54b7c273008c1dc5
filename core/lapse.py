"""Interruptions of contributions and when pooled benefits stop and come back.

Shared by every layer so the logic lives once; layers differ only in their
parameters. Semantics (from the spine's contract and source 000's example, "假如参保人
5月停止缴交医保费,那么从6月1日开始 ... 停止享受"):

- the interruption month is the first unpaid month; pooled benefits end on the 1st of
  the month after it;
- when payment resumes in month R after a gap of G unpaid months, benefits come back on
  the 1st of month R + wait, where wait is ``short_wait`` if G <= ``long_gap`` and
  ``long_wait`` otherwise (6 consecutive paid months -> from the 1st of the 7th month:
  wait 6);
- a gap longer than ``long_gap`` months resets continuous-enrolment time.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from .decisions import LapseDecision
from .member import Member
from .months import first_day, month_of
from .parameters import NotModelled, Params


class History(NamedTuple):
    """A member's payments as seen on a date: the latest run and the gap before it."""

    last_paid: int | None  # latest month paid, up to the as-of month
    run_start: int | None  # first month of the run that ends at last_paid
    previous_end: int | None  # last month of the run before it, if any
    as_of_month: int

    @property
    def lapsed(self) -> bool:
        """Not paid for the as-of month: an interruption is under way."""
        return self.last_paid is not None and self.last_paid < self.as_of_month

    @property
    def gap_months(self) -> int | None:
        """Unpaid months of the latest interruption (so far, while it lasts)."""
        if self.last_paid is None:
            return None
        if self.lapsed:
            return self.as_of_month - self.last_paid
        if self.previous_end is None or self.run_start is None:
            return None
        return self.run_start - self.previous_end - 1


def history(member: Member, as_of: date) -> History:
    """Read the contribution ranges up to ``as_of`` (omitted ranges: paid up to that month)."""
    month = month_of(as_of)
    if member.contributions is None:
        return History(month, None, None, month)
    ranges = member.contributions
    count = len(ranges)
    while count and ranges[count - 1][0] > month:  # runs that start after the as-of month are unseen
        count -= 1
    if not count:
        return History(None, None, None, month)
    run_start, last_paid = ranges[count - 1]
    previous_end = ranges[count - 2][1] if count > 1 else None
    return History(min(last_paid, month), run_start, previous_end, month)


class Timing(NamedTuple):
    """The dates a lapse decision reports, before a layer adds its evidence.

    ``unknown`` is true when the answer needed a rule no parameter settles on the date
    (the wait after a gap, or what counts as a long gap).
    """

    last_paid_month: int | None
    pooled_benefits: bool
    pooled_benefits_end: date | None
    pooled_benefits_resume: date | None
    continuity_reset: bool
    gap_months: int | None
    unknown: bool = False


def timing(seen: History, as_of: date, *, long_gap: int | None, short_wait: int | None, long_wait: int | None) -> Timing:
    """Apply a recovery rule to a history; ``None`` for a rule not known on the date.

    Where the answer needs an unknown rule, ``pooled_benefits_resume`` is ``None``,
    benefits are reported as not yet back and ``unknown`` is set.
    """
    gap = seen.gap_months
    if seen.last_paid is None:
        return Timing(None, False, None, None, False, None)
    reset = gap is not None and long_gap is not None and gap > long_gap
    if seen.lapsed:
        end = first_day(seen.last_paid + 2)
        return Timing(seen.last_paid, as_of < end, end, None, reset, gap, unknown=long_gap is None)
    if seen.previous_end is None or seen.run_start is None or gap is None:
        return Timing(seen.last_paid, True, None, None, False, None)
    end = first_day(seen.previous_end + 2)
    wait = None if long_gap is None else long_wait if gap > long_gap else short_wait
    if wait is None:
        return Timing(seen.last_paid, False, end, None, reset, gap, unknown=True)
    resume = first_day(seen.run_start + wait)
    return Timing(seen.last_paid, as_of >= resume, end, resume, reset, gap)


#: The parameters :func:`decide` reads, by the names every layer uses for them.
LAPSE_PARAMETERS = ("long_gap_months", "short_gap_wait_months", "long_gap_wait_months", "account_usable_during_lapse")


def decide(member: Member, as_of: date, params: Params, *, has_account: bool) -> LapseDecision:
    """The lapse decision from the standard lapse parameters in ``params``.

    Every layer's ``lapse_effect`` can call this: the rule lives here once, and the
    layers differ only in the values (and citations) of ``LAPSE_PARAMETERS``.
    """
    long_gap, short_wait, long_wait, usable = (
        params["long_gap_months"],
        params["short_gap_wait_months"],
        params["long_gap_wait_months"],
        params["account_usable_during_lapse"],
    )
    result = timing(
        history(member, as_of),
        as_of,
        long_gap=None if long_gap is None else long_gap.value,
        short_wait=None if short_wait is None else short_wait.value,
        long_wait=None if long_wait is None else long_wait.value,
    )
    applied = (long_gap, short_wait, long_wait, usable)
    complete = None not in applied
    missing = (
        ()
        if complete
        else tuple(
            NotModelled(name, f"no value in force on {as_of.isoformat()}") for name, a in zip(LAPSE_PARAMETERS, applied) if a is None
        )
    )
    return LapseDecision(
        last_paid_month=result.last_paid_month,
        pooled_benefits=result.pooled_benefits,
        pooled_benefits_end=result.pooled_benefits_end,
        pooled_benefits_resume=result.pooled_benefits_resume,
        account_usable=has_account and (usable is None or usable.value),
        continuity_reset=result.continuity_reset,
        gap_months=result.gap_months,
        basis=applied if complete else tuple(a for a in applied if a is not None),  # type: ignore[arg-type]
        citations=() if long_gap or short_wait or long_wait or usable else params.nearest_citations("long_gap_months"),
        not_modelled=missing if result.unknown or usable is None else (),
        modelled=not result.unknown,
        notes=() if result.last_paid_month is not None else ("no contribution paid up to the as-of month",),
    )
