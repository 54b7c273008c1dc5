"""Interruptions of contributions and when pooled benefits stop and come back.

Shared by every layer so the logic lives once; layers differ only in their
parameters. Semantics (from the spine's contract and source 000's example, "假如参保人
5月停止缴交医保费,那么从6月1日开始 ... 停止享受"):

- the interruption month is the first unpaid month; pooled benefits end on the 1st of
  the month after it;
- when payment resumes in month R after a gap of G unpaid months, benefits come back on
  the 1st of month R + wait, where wait is ``short_wait`` if G <= ``long_gap`` and
  ``long_wait`` otherwise (6 consecutive paid months -> from the 1st of the 7th month:
  wait 6). Benefits only come back if the months R .. R + wait - 1 are paid;
- an interruption that falls inside such a wait starts the wait again, the longer of
  the two waits applying: benefits that never came back do not stop a second time;
- a gap longer than ``long_gap`` months resets continuous-enrolment time;
- each gap is judged by the recovery rule in force on the 1st of the month payment
  resumed (``Params.on``), not by the rule in force on the as-of date: a past resume
  date does not move when the as-of date moves.

Every interruption is walked in order, so a member who stopped again during a wait is
not reported as covered.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, NamedTuple

from .decisions import LapseDecision
from .member import Member
from .months import first_day, month_of
from .parameters import Applied, NotModelled, Params
from .rules import unsettled


class History(NamedTuple):
    """A member's paid runs as seen on a date (months after it unseen), oldest first."""

    runs: tuple[tuple[int, int], ...]  # inclusive month ranges, the last clipped to the as-of month
    as_of_month: int

    @property
    def last_paid(self) -> int | None:
        return self.runs[-1][1] if self.runs else None

    @property
    def lapsed(self) -> bool:
        """Not paid for the as-of month: an interruption is under way."""
        return bool(self.runs) and self.runs[-1][1] < self.as_of_month


def history(member: Member, as_of: date) -> History:
    """Read the contribution ranges up to ``as_of`` (omitted ranges: paid up to that month)."""
    month = month_of(as_of)
    if member.contributions is None:
        return History(((month, month),), month)  # continuous: no interruption to walk
    ranges = member.contributions
    count = len(ranges)
    while count and ranges[count - 1][0] > month:  # runs that start after the as-of month are unseen
        count -= 1
    runs = ranges[:count]
    if runs and runs[-1][1] > month:
        runs = (*runs[:-1], (runs[-1][0], month))
    return History(runs, month)


class Timing(NamedTuple):
    """The dates a lapse decision reports, before a layer adds its evidence.

    ``unknown`` is true when the answer needed a rule no parameter settles on the date
    (the wait after a gap, or what counts as a long gap); ``pooled_benefits`` is then None.
    """

    last_paid_month: int | None
    pooled_benefits: bool | None
    pooled_benefits_end: date | None
    pooled_benefits_resume: date | None
    continuity_reset: bool
    gap_months: int | None
    unknown: bool = False


#: The recovery rule for one gap: (long_gap, short_wait, long_wait), ``None`` where not known.
Rule = tuple[int | None, int | None, int | None]


def timing(
    seen: History,
    as_of: date,
    *,
    long_gap: int | None,
    short_wait: int | None,
    long_wait: int | None,
    rule_at: Callable[[int], Rule] | None = None,
    wait_ceiling: int | None = None,
) -> Timing:
    """Walk every interruption in ``seen`` with a recovery rule; ``None`` for a rule not known.

    ``rule_at(month)`` gives the recovery rule in force when payment resumed in ``month``:
    each past gap is judged by its own rule, so its resume date does not move when
    ``as_of`` moves. Without it every gap is judged by the rule given (the as-of rule).
    ``long_gap`` also judges the interruption under way on ``as_of``.

    A rule that is not known makes whatever depends on it unknown (``pooled_benefits``
    None, no resume date), while the latest interruption's length and stop date, which
    do not depend on it, are still reported. ``wait_ceiling`` (the longest wait any area
    may set, 43号's six months) bounds a wait whose rule is not known: once a paid run
    lasts that long, the wait was over whatever it was, and a later gap is judged alone.
    """
    runs = seen.runs
    if not runs:
        return Timing(None, False, None, None, False, None)
    back: date | None = None  # when benefits came (or come) back after the latest interruption
    pending_wait = 0  # the wait in force if benefits had not come back when payment stopped again
    end: date | None = None
    gap: int | None = None
    reset = unknown = False
    for (previous_start, previous_end), (start, _) in zip(runs, runs[1:]):
        if unknown and wait_ceiling is not None and previous_end + 1 - previous_start >= wait_ceiling:
            unknown, back, pending_wait = False, None, 0  # the unknown wait had ended before this interruption
        gap = start - previous_end - 1
        came_back = unknown or back is None or back <= first_day(previous_end + 1)
        if came_back:  # (when unknown: taken to have, so the latest stop is reported)
            end = first_day(previous_end + 2)
            pending_wait, interrupted_reset = 0, False
        else:
            interrupted_reset = reset
        gap_long, gap_short_wait, gap_long_wait = (long_gap, short_wait, long_wait) if rule_at is None else rule_at(start)
        long = None if gap_long is None else gap > gap_long
        reset = bool(long) or interrupted_reset
        wait = None if long is None else (gap_long_wait if long else gap_short_wait)
        if wait is None:
            back, pending_wait, unknown = None, 0, True
            continue
        wait = max(wait, pending_wait)
        back, pending_wait = first_day(start + wait), wait
    last_paid = runs[-1][1]
    if seen.lapsed:  # an interruption under way
        so_far = seen.as_of_month - last_paid
        long_now = long_gap is not None and so_far > long_gap
        stop = first_day(last_paid + 2)
        if as_of >= stop:  # off now, whatever happened before
            were_on = unknown or back is None or back <= first_day(last_paid + 1)
            return Timing(last_paid, False, stop if were_on else end, None, reset or long_now, so_far)
        if unknown:
            return Timing(last_paid, None, stop, None, reset or long_now, so_far, unknown=True)
        if back is None or back <= first_day(last_paid + 1):  # benefits were on: they stop after the interruption month
            return Timing(last_paid, True, stop, None, long_now, so_far)
        return Timing(last_paid, False, end, None, reset or long_now, so_far)  # stopped again before benefits came back
    if unknown:
        return Timing(last_paid, None, end, None, reset, gap, unknown=True)
    return Timing(last_paid, back is None or as_of >= back, end, back, reset, gap)


#: The parameters :func:`decide` reads, by the names every layer uses for them.
LAPSE_PARAMETERS = ("long_gap_months", "short_gap_wait_months", "long_gap_wait_months", "account_usable_during_lapse")


def decide(member: Member, as_of: date, params: Params, *, has_account: bool) -> LapseDecision:
    """The lapse decision from the standard lapse parameters in ``params``.

    Every layer's ``lapse_effect`` can call this: the rule lives here once, and the
    layers differ only in the values (and citations) of ``LAPSE_PARAMETERS``. Retirees,
    who stop paying by right, are read from ``retirees_keep_benefits`` where a layer
    defines it, and are not modelled elsewhere.
    """
    if member.category == "retiree":
        return _retiree(member, as_of, params, has_account)
    rules = params.once("yibao.lapse.rules", lambda: _rules(params))  # the same for every member on the date
    long_gap, short_wait, long_wait, usable = rules.applied
    seen = history(member, as_of)
    runs = seen.runs
    earlier: dict[tuple[str, str, date], Applied] = {}  # rules of past resumptions, where not today's
    unknown_then: dict[str, NotModelled] = {}  # rules no value settled when a past gap ended
    rule_at = None
    if len(runs) > 1:  # gaps to judge, each by the rule of the month payment resumed
        todays = (long_gap, short_wait, long_wait)

        def rule_at(month: int) -> Rule:  # (a closure is cheap; it runs once per past gap)
            then = params.on(first_day(month))
            applied, values, unknown = then.once("yibao.lapse.then", lambda: _then(then))
            for value, today in zip(applied, todays):
                if value is not None and value is not today:  # (one Applied per value: identity is equality)
                    earlier.setdefault((value.name, value.layer, value.start), value)
            for item in unknown:
                unknown_then.setdefault(item.topic, item)
            return values

    gap_value, short_value, long_value = rules.values
    result = timing(
        seen,
        as_of,
        long_gap=gap_value,
        short_wait=short_value,
        long_wait=long_value,
        rule_at=rule_at,
        wait_ceiling=rules.ceiling,
    )
    interrupted = seen.lapsed or len(runs) > 1
    unknown = result.unknown or (usable is None and interrupted)
    return LapseDecision(
        last_paid_month=result.last_paid_month,
        pooled_benefits=result.pooled_benefits,
        pooled_benefits_end=result.pooled_benefits_end,
        pooled_benefits_resume=result.pooled_benefits_resume,
        account_usable=has_account and (not interrupted or usable is None or bool(usable.value)),
        continuity_reset=result.continuity_reset,
        gap_months=result.gap_months,
        basis=rules.basis + tuple(earlier.values()) if earlier else rules.basis,
        citations=rules.citations,
        not_modelled=(rules.missing + tuple(unknown_then.values()) if unknown_then else rules.missing) if unknown else (),
        modelled=not result.unknown and (usable is not None or not interrupted),
        notes=() if result.last_paid_month is not None else _NEVER_PAID,
    )


_NEVER_PAID = ("no contribution paid up to the as-of month",)


class _Rules(NamedTuple):
    """The lapse parameters of one layer's view on one date, read once for every member."""

    applied: tuple[Applied | None, Applied | None, Applied | None, Applied | None]
    values: tuple[int | None, int | None, int | None]
    basis: tuple[Applied, ...]
    citations: tuple[Any, ...]
    missing: tuple[Any, ...]
    ceiling: int | None


def _then(params: Params) -> tuple[tuple[Applied | None, ...], Rule, tuple[NotModelled, ...]]:
    """The recovery rule of a past resumption month (``params`` is that month's view):
    the values applied, the rule, and a NotModelled for each value not in force then."""
    applied = tuple(params[name] for name in LAPSE_PARAMETERS[:3])
    day = params.day.isoformat()
    unknown = tuple(
        NotModelled(name, f"no value in force on {day}, when payment resumed")
        for name, value in zip(LAPSE_PARAMETERS, applied)
        if value is None
    )
    values = tuple(None if value is None else value.value for value in applied)
    return applied, values, unknown  # type: ignore[return-value]


def _rules(params: Params) -> _Rules:
    applied = tuple(params[name] for name in LAPSE_PARAMETERS)
    present = tuple(value for value in applied if value is not None)
    return _Rules(
        applied=applied,  # type: ignore[arg-type]
        values=tuple(None if value is None else value.value for value in applied[:3]),  # type: ignore[arg-type]
        basis=present,
        citations=() if present else params.nearest_citations("long_gap_months"),
        missing=unsettled(params, **dict(zip(LAPSE_PARAMETERS, applied))),
        ceiling=params.value("long_gap_wait_ceiling_months") if "long_gap_wait_ceiling_months" in params else None,
    )


def _retiree(member: Member, as_of: date, params: Params, has_account: bool) -> LapseDecision:
    keeps = params.get("retirees_keep_benefits")
    last_paid = history(member, as_of).last_paid if member.contributions is not None else None
    basis = (keeps,) if keeps is not None else ()
    if keeps is None:
        return LapseDecision(
            last_paid_month=last_paid,
            pooled_benefits=None,
            pooled_benefits_end=None,
            pooled_benefits_resume=None,
            account_usable=has_account,
            continuity_reset=False,
            basis=basis,
            citations=() if basis else params.nearest_citations("long_gap_months"),
            not_modelled=(params.not_modelled("retiree_benefits"),),
            modelled=False,
        )
    return LapseDecision(
        last_paid_month=last_paid,
        pooled_benefits=bool(keeps.value),
        pooled_benefits_end=None,
        pooled_benefits_resume=None,
        account_usable=has_account,
        continuity_reset=False,
        basis=basis,
        notes=("retirees stop paying by right; the member's contribution years are taken to meet the requirement",),
    )
