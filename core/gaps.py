"""Interruptions of contributions inside one region: when pooled benefits stop and come back.

Three rules are kept apart (issue 16), each with its own parameters, dates and sources;
this module walks the first two, which judge a gap inside one region:

- (a) resuming after an *unpaid* gap (``long_gap_months``, ``short_gap_wait_months``,
  ``long_gap_wait_months``);
- (b) paying a gap back (补缴): whether the region allows it and for how long a gap
  (``back_payment_allowed``, ``back_payment_max_gap_months``),
  whether the months of the gap are covered, their costs reimbursed, or only count for
  continuity (``back_paid_months_covered``), and when cover returns after the back
  payment (``back_payment_wait_months``);
- (c) arriving in another region after a gap (医保办发〔2021〕43号) is :mod:`yibao.arrivals`;
  nothing here reads a ``transfer_in_*`` parameter.

Semantics (the spine's contract and source 000's example, "假如参保人5月停止缴交医保费,那么从6月1日开始 ... 停止享受"):

- the interruption month is the first month not paid on time; pooled benefits end on the
  1st of the month after it;
- (a) when payment resumes in month R after a gap of G unpaid months, benefits come back
  on the 1st of month R + wait, where wait is ``short_wait`` if G <= ``long_gap`` and
  ``long_wait`` otherwise (6 consecutive paid months -> from the 1st of the 7th: wait 6),
  if the months R .. R + wait - 1 are paid; a gap longer than ``long_gap`` resets
  continuous-enrolment time;
- (b) a gap paid back in month P (the range's ``paid_in``) counts for continuity; its
  months after the interruption month are covered only where the region's
  ``back_paid_months_covered`` says so; benefits come back on the 1st of month P +
  ``back_payment_wait_months``. A back payment the region does not allow, or for a
  longer gap than it allows, counts for nothing: the gap is judged as unpaid, by (a);
- an interruption that falls inside a wait starts the wait again, the longer of the two
  applying: benefits that never came back do not stop a second time;
- each gap is judged by the rule in force on the 1st of the month payment resumed (a),
  or of the month it was paid back (b) (``Params.on``), not by the rule of the as-of
  date: a past resume date does not move when the as-of date moves.

The decision built from a layer's parameters is :func:`yibao.lapse.decide`; the library
rule a region names is :func:`yibao.recovery.recovery`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from . import tracing
from .member import Member
from .months import first_day, format_month, month_of


class BackPayment(NamedTuple):
    """Months ``start`` .. ``end`` paid back in month ``paid_in`` (``None``: not given)."""

    start: int
    end: int
    paid_in: int | None


class History(NamedTuple):
    """A member's paid runs as seen on a date (months after it unseen), oldest first."""

    runs: tuple[tuple[int, int], ...]  # inclusive month ranges (paid on time or back), the last clipped to the as-of month
    as_of_month: int
    back: tuple[BackPayment, ...] = ()  # the back-paid ranges among them, adjacent ones joined

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
    return History(runs, month, _back_payments(member, month))


def _back_payments(member: Member, month: int) -> tuple[BackPayment, ...]:
    """The back-paid ranges that start by ``month``, clipped to it; adjacent ones joined
    (one gap paid back in parts), the later payment month kept."""
    out: list[BackPayment] = []
    for period in member.periods or ():
        if period.paid != "back_paid" or period.start > month:
            continue
        end = min(period.last, month)
        if out and out[-1].end + 1 == period.start:
            earlier = out[-1].paid_in
            paid_in = None if earlier is None or period.paid_in is None else max(earlier, period.paid_in)
            out[-1] = BackPayment(out[-1].start, end, paid_in)
        else:
            out.append(BackPayment(period.start, end, period.paid_in))
    return tuple(out)


class Interruption(NamedTuple):
    """One gap: months ``stop`` .. ``last`` not paid on time, payment seen again in ``resume``."""

    stop: int
    last: int
    resume: int
    back_paid: bool = False
    paid_in: int | None = None


def interruptions(seen: History) -> list[Interruption]:
    """Every gap of ``seen`` in order: unpaid gaps between runs, and gaps paid back inside a
    run. A back-paid range that opens a run (part of a longer gap paid back) is not a gap
    of its own: the unpaid months before it are, judged by (a)."""
    runs = seen.runs
    found = [Interruption(a[1] + 1, b[0] - 1, b[0]) for a, b in zip(runs, runs[1:])]
    if seen.back:
        starts = {start for start, _ in runs}
        found += [Interruption(b.start, b.end, b.end + 1, True, b.paid_in) for b in seen.back if b.start not in starts]
        found.sort()
    return found


class Timing(NamedTuple):
    """The dates a lapse decision reports, before a layer adds its evidence.

    ``unknown`` is true when the answer needed a rule no parameter settles on the date;
    ``pooled_benefits`` is then None and ``topics`` names what was missing.
    ``back_paid`` is true when the as-of month is a month of a gap paid back.
    """

    last_paid_month: int | None
    pooled_benefits: bool | None
    pooled_benefits_end: date | None
    pooled_benefits_resume: date | None
    continuity_reset: bool
    gap_months: int | None
    unknown: bool = False
    topics: tuple[str, ...] = ()
    back_paid: bool = False


#: The resume rule (a) for one gap: (long_gap, short_wait, long_wait), ``None`` where not known.
Rule = tuple[int | None, int | None, int | None]
#: The back-payment rule (b): (allowed, max_gap, covered, wait), ``None`` where not known.
BackRule = tuple[bool | None, int | None, bool | None, int | None]
NO_BACK_RULE: BackRule = (None, None, None, None)


def timing(
    seen: History,
    as_of: date,
    *,
    long_gap: int | None,
    short_wait: int | None,
    long_wait: int | None,
    rule_at: Callable[[int], Rule] | None = None,
    back_rule: BackRule = NO_BACK_RULE,
    back_rule_at: Callable[[int], BackRule] | None = None,
    wait_ceiling: int | None = None,
) -> Timing:
    """Walk every interruption in ``seen``; ``None`` for a rule not known.

    ``rule_at(month)`` gives rule (a) in force when payment resumed in ``month``,
    ``back_rule_at(month)`` rule (b) in force when a gap was paid back in ``month``:
    each past gap is judged by its own rule, so its resume date does not move when
    ``as_of`` moves. Without them every gap is judged by the rules given (the as-of
    rules). ``long_gap`` also judges the interruption under way on ``as_of``.

    A rule that is not known makes whatever depends on it unknown (``pooled_benefits``
    None, no resume date), while the latest interruption's length and stop date, which
    do not depend on it, are still reported. ``wait_ceiling`` (the longest wait any area
    may set, 43号's six months) only bounds a wait whose rule is not known: once a paid
    run lasts that long, the wait was over whatever it was, and a later gap is judged alone.
    """
    runs = seen.runs
    if not runs:
        return Timing(None, False, None, None, False, None)
    trace = tracing.recording()
    back: date | None = None  # when benefits came (or come) back after the latest interruption
    pending_wait = 0  # the wait in force if benefits had not come back when payment stopped again
    end: date | None = None
    gap: int | None = None
    reset = unknown = False
    topics: list[str] = []
    inside: tuple[bool | None, tuple[str, ...]] | None = None  # the as-of month is a back-paid month: its cover
    month = seen.as_of_month
    run_start = runs[0][0]
    for item in interruptions(seen):
        if unknown and wait_ceiling is not None and item.stop - run_start >= wait_ceiling:
            unknown, back, pending_wait, topics = False, None, 0, []  # the unknown wait had ended before this interruption
        run_start = item.resume
        gap = item.last - item.stop + 1
        came_back = unknown or back is None or back <= first_day(item.stop)
        if came_back:  # (when unknown: taken to have, so the latest stop is reported)
            end = first_day(item.stop + 1)
            pending_wait, interrupted_reset = 0, False
        else:
            interrupted_reset = reset
        if trace:
            _trace_gap(item, gap)
        if item.back_paid:
            paid = item.resume if item.paid_in is None else item.paid_in
            rule = back_rule if back_rule_at is None else back_rule_at(paid)
            judged = _paid_back(item, gap, rule, trace)
            if judged is not None:
                covered, wait, missing = judged
                reset = interrupted_reset
                if item.stop <= month <= item.last:  # the as-of month is one of the gap's months
                    inside = _inside(month == item.stop, came_back, covered)
                if wait is None:
                    back, pending_wait, unknown = None, 0, True
                    topics += missing
                    continue
                back = first_day(max(item.paid_in + wait, item.resume + pending_wait))  # type: ignore[operator]
                pending_wait = wait
                if trace:
                    _trace_back(back, "back_payment_wait_months")
                continue
        gap_long, gap_short_wait, gap_long_wait = (long_gap, short_wait, long_wait) if rule_at is None else rule_at(item.resume)
        long = None if gap_long is None else gap > gap_long
        reset = bool(long) or interrupted_reset
        wait = None if long is None else (gap_long_wait if long else gap_short_wait)
        if trace:
            _trace_resume_rule(item, gap, gap_long, long, wait)
        if wait is None:
            back, pending_wait, unknown = None, 0, True
            topics.append("long_gap_months" if long is None else ("long_gap_wait_months" if long else "short_gap_wait_months"))
            continue
        wait = max(wait, pending_wait)
        back, pending_wait = first_day(item.resume + wait), wait
        if trace:
            _trace_back(back, "long_gap_wait_months" if long else "short_gap_wait_months", paid=wait)
    found = tuple(dict.fromkeys(topics))
    last_paid = runs[-1][1]
    if inside is not None:  # a month of a gap paid back: covered or not by rule (b)
        covered, missing = inside
        if covered is None:
            return Timing(last_paid, None, end, None, reset, gap, True, (*found, *missing), back_paid=True)
        resume = None if covered or unknown else back
        return Timing(last_paid, covered, end, resume, reset, gap, unknown and not covered, found, back_paid=True)
    if seen.lapsed:  # an interruption under way
        so_far = month - last_paid
        long_now = long_gap is not None and so_far > long_gap
        stop = first_day(last_paid + 2)
        if long_gap is None and not found:
            found = ("long_gap_months",)  # whether this gap resets continuity is not known
        if as_of >= stop:  # off now, whatever happened before
            were_on = unknown or back is None or back <= first_day(last_paid + 1)
            return Timing(last_paid, False, stop if were_on else end, None, reset or long_now, so_far, long_gap is None, found)
        if unknown:
            return Timing(last_paid, None, stop, None, reset or long_now, so_far, True, found)
        if back is None or back <= first_day(last_paid + 1):  # benefits were on: they stop after the interruption month
            return Timing(last_paid, True, stop, None, long_now, so_far, long_gap is None, found)
        # stopped again before benefits came back
        return Timing(last_paid, False, end, None, reset or long_now, so_far, long_gap is None, found)
    if unknown:
        return Timing(last_paid, None, end, None, reset, gap, True, found)
    return Timing(last_paid, back is None or as_of >= back, end, back, reset, gap)


def _inside(first: bool, came_back: bool, covered: bool | None) -> tuple[bool | None, tuple[str, ...]]:
    """A month of a gap paid back: (covered, missing). The interruption month keeps the
    benefits in force (they stop on the 1st of the month after it); later months are
    covered only where rule (b) says so, and never when benefits had not come back."""
    if not came_back:
        return False, ()
    if first:
        return True, ()
    return covered, () if covered is not None else ("back_paid_months_covered",)


def _paid_back(item: Interruption, gap: int, rule: BackRule, trace: bool) -> tuple[bool | None, int | None, tuple[str, ...]] | None:
    """Rule (b) for a gap paid back: (months covered, wait after the payment month, what
    is missing), or ``None`` where the back payment counts for nothing (judged by (a))."""
    allowed, most, covered, wait = rule
    if allowed is None:
        if trace:
            _step("lapse.not_modelled", "no source says whether the region allows paying a gap back", "没有来源说明本地区是否允许补缴",
                  ("back_payment_allowed",), None)
        return None, None, ("back_payment_allowed",)
    if not allowed or (most is not None and gap > most):
        if trace:
            why = f"{gap} months is more than the {most} that may be paid back" if allowed else "the region does not allow it"
            _step("lapse.back_payment_refused", f"{why}: the gap is judged as unpaid", "补缴不被认可:按未缴费中断判断",
                  ("back_payment_allowed", "back_payment_max_gap_months"), False)
        return None
    if trace:
        within = "" if most is None else f", within the {most} months that may be"
        _step("lapse.back_payment_window", f"{gap} months paid back{within}: they count for continuity",
              f"补缴 {gap} 个月:计入连续参保", ("back_payment_allowed", "back_payment_max_gap_months"), True)
        _step("lapse.back_paid_covered", _COVERED[covered][0], _COVERED[covered][1], ("back_paid_months_covered",), covered)
    if item.paid_in is None:
        return covered, None, ("back_payment_month",)
    if wait is None:
        return covered, None, ("back_payment_wait_months",)
    return covered, wait, ()


_COVERED = {
    True: ("the months of the gap are covered", "中断期间的待遇可追溯享受"),
    False: ("costs in the months of the gap are not reimbursed", "中断期间发生的医疗费用不予报销"),
    None: ("whether costs in the gap are reimbursed is not modelled", "中断期间费用是否报销未建模"),
}


def _step(code: str, en: str, zh: str, params: tuple[str, ...], outcome: object, facts: dict[str, object] | None = None) -> None:
    tracing.step(code, en=en, zh=zh, facts=facts or {}, params=params, outcome=outcome)


def _trace_gap(item: Interruption, gap: int) -> None:
    kind = "paid back" if item.back_paid else "unpaid"
    span = f"{format_month(item.stop)} to {format_month(item.last)}"
    facts: dict[str, object] = {"gap.from": format_month(item.stop), "gap.to": format_month(item.last)}
    if item.paid_in is not None:
        facts["gap.paid_in"] = format_month(item.paid_in)
    last = format_month(item.stop - 1)
    _step("lapse.gap_length", f"last paid month {last} → a gap of {gap} months ({span}, {kind})",
          f"最后缴费月 {last} → 中断 {gap} 个月({format_month(item.stop)} 至 {format_month(item.last)})", (), gap, facts)


def _trace_resume_rule(item: Interruption, gap: int, long_gap: int | None, long: bool | None, wait: int | None) -> None:
    if long is None:
        _step("lapse.not_modelled", "no source gives the region's rule for resuming after an unpaid gap",
              "没有来源给出本地区中断后恢复缴费的规则", ("long_gap_months",), None)
        return
    size = "long" if long else "short"
    _step(f"lapse.gap_{size}", f"{gap} months is {'more than' if long else 'at most'} {long_gap}: a {size} gap, judged by the "
          "rule for resuming after an unpaid gap in the region", f"{gap} 个月{'超过' if long else '未超过'} {long_gap} 个月",
          ("long_gap_months",), long)
    if wait is None:
        name = f"{size}_gap_wait_months"
        _step("lapse.not_modelled", f"no source gives the wait after a {size} gap ({name})", "等待期未建模", (name,), None)


def _trace_back(back: date, name: str, paid: int | None = None) -> None:
    counted = "" if paid is None else f"; {paid} paid month(s) asked"
    _step("lapse.resume_date", f"covered from {back.isoformat()}{counted}", f"自 {back.isoformat()} 起恢复待遇", (name,), back.isoformat())


#: Rule (a)'s parameters, by the names every layer uses for them (and whether the balance stays usable).
LAPSE_PARAMETERS = ("long_gap_months", "short_gap_wait_months", "long_gap_wait_months", "account_usable_during_lapse")
#: Rule (b)'s parameters, in the order of :data:`BackRule`.
BACK_PAYMENT_PARAMETERS = (
    "back_payment_allowed",
    "back_payment_max_gap_months",
    "back_paid_months_covered",
    "back_payment_wait_months",
)
