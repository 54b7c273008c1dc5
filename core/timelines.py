"""A member's history month by month, each month judged by the rules of that month.

``yibao.timeline(region, member, start, end)`` answers the questions people bring as
histories ("I stopped in May and resumed in September: when am I covered again? how much
was credited this year?"). Each month is judged with the parameters in force on its 1st
day, with the base, tier and category of the range that pays it; a gap is judged by the
recovery rule in force when payment resumed (see :mod:`yibao.lapse`). A row is what
``yibao.evaluate`` answers on the month's 1st day for the credit and lapse areas.

Months refer to the parameter values they applied by id; each value is listed once, in
``Timeline.parameters``, with its dates and citations.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from .decisions import LapseDecision
from .errors import InputError
from .jsonform import jsonable
from .lapse import history
from .member import Member
from .money import ZERO, format_money
from .months import FIRST_YEAR, LAST_YEAR, first_day, format_month, month_index, month_of, parse_date, parse_month
from .parameters import Applied
from .provenance import LayerOrigin, Provenance, now
from .stack import Stack

if TYPE_CHECKING:
    from .across import Crossing, Route
    from .engine import PolicyEngine
    from .explaining import Explanation

#: The areas a month's row needs.
AREAS_ASKED = ("credit", "lapse")
#: A timeline covers at most this many months (100 years).
MAX_MONTHS = 1200
#: What a month was (``Month.state``): a back-paid month is paid for continuity, covered only
#: where the region's rule (b) says so.
STATES = ("covered", "waiting", "paid_back", "uncovered", "not_modelled")
#: Event codes, in the order they are listed within a month.
EVENTS = (
    "payment_began",
    "interruption_began",
    "payment_resumed",
    "moved",
    "back_payment_made",
    "benefits_stopped",
    "benefits_began",
    "benefits_resumed",
    "continuity_reset",
    "rule_changed",
)


@attrs.frozen
class Event:
    """Something that happened in a month: a stable ``code`` and, for ``rule_changed``,
    the parameters whose value changed (for ``back_payment_made``, the months paid back;
    for ``moved``, "origin -> destination" and any blocker)."""

    code: str
    detail: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        from .labels import label

        out: dict[str, Any] = {"code": self.code, "zh": label("events", self.code, "zh"), "en": label("events", self.code, "en")}
        if self.detail:
            out["detail"] = list(self.detail)
        return out


class Month(NamedTuple):
    """One row: the credit and lapse answers on the month's 1st day (a named tuple: a
    120-month timeline builds 120 of them)."""

    month: int
    paid: bool
    payment: str | None  # "on_time" | "back_paid" | None (unpaid)
    has_account: bool
    base_applied: Decimal | None
    rate: Decimal | None
    credit: Decimal | None  # None: not modelled
    credited_total: Decimal
    pooled_benefits: bool | None  # None: not modelled
    pooled_benefits_resume: date | None
    account_usable: bool
    continuity_reset: bool
    gap_months: int | None
    modelled: bool
    not_modelled: tuple[str, ...]
    events: tuple[Event, ...]
    parameters: tuple[str, ...]  # ids into Timeline.parameters
    layers: tuple[str, str]  # (credit, lapse): the layer that answered each
    region: str  # the region whose rules judged the month (see yibao.across)
    credit_known: bool = True  # the credit is a known amount, summed in the totals (not one computed on a base no known limit bounds)

    @property
    def label(self) -> str:
        return format_month(self.month)

    @property
    def waiting(self) -> bool:
        """Paid on time, not covered, with a date benefits come back: the wait after a gap."""
        return self.payment == "on_time" and self.pooled_benefits is False and self.pooled_benefits_resume is not None

    @property
    def state(self) -> str:
        """What the month was, one of :data:`STATES`: covered; waiting (paid on time, benefits
        not back yet); paid_back (paid back later: it counts for continuity, and its costs are
        not reimbursed under the region's back-payment rule); uncovered (unpaid, no
        benefits); not_modelled (no source settles whether it is covered)."""
        if self.pooled_benefits is None:
            return "not_modelled"
        if self.pooled_benefits:
            return "covered"
        if self.payment == "back_paid":
            return "paid_back"
        return "waiting" if self.paid else "uncovered"

    def to_dict(self) -> dict[str, Any]:
        return {
            "month": format_month(self.month),
            "region": self.region,
            "paid": self.paid,
            "payment": self.payment,
            "state": self.state,
            "has_account": self.has_account,
            "base_applied": format_money(self.base_applied),
            "rate": None if self.rate is None else str(self.rate),
            "credit": format_money(self.credit),
            "credited_total": format_money(self.credited_total),
            "credit_known": self.credit_known,
            "pooled_benefits": self.pooled_benefits,
            "pooled_benefits_resume": None if self.pooled_benefits_resume is None else self.pooled_benefits_resume.isoformat(),
            "account_usable": self.account_usable,
            "continuity_reset": self.continuity_reset,
            "gap_months": self.gap_months,
            "modelled": self.modelled,
            "not_modelled": list(self.not_modelled),
            "events": [event.to_dict() for event in self.events],
            "parameters": list(self.parameters),
            "layers": {"credit": self.layers[0], "lapse": self.layers[1]},
        }


@attrs.frozen
class YearTotal:
    """A calendar year of the timeline (only its months inside the window)."""

    year: int
    credited: Decimal
    months: int
    months_paid: int
    months_covered: int
    months_credit_not_modelled: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "credited": format_money(self.credited),
            "months": self.months,
            "months_paid": self.months_paid,
            "months_covered": self.months_covered,
            "months_credit_not_modelled": self.months_credit_not_modelled,
        }


@attrs.frozen
class Timeline:
    """One row per month from ``start`` to ``end`` (month indexes, inclusive)."""

    region: str
    region_name: tuple[str, str]
    start: int
    end: int
    member: Member
    months: tuple[Month, ...]
    parameters: tuple[tuple[str, Applied], ...]  # (id, value applied), each once, in order of first use
    #: Per calendar year: what was credited (the months whose credit is known), months paid,
    #: months with pooled benefits, months whose credit is not modelled.
    totals: tuple[YearTotal, ...] = ()
    #: Each layer's distribution, version and parameter-file hash (set by ``build``).
    origins: tuple[LayerOrigin, ...] = ()
    #: When the timeline was built (UTC); not part of equality.
    evaluated_at: datetime | None = attrs.field(default=None, eq=False)

    @property
    def provenance(self) -> Provenance:
        """What reproduces this answer: yibao's version, each layer's origin, when."""
        return Provenance(self.origins, self.evaluated_at)

    #: The regions whose rules judged a month, in order of first use (the one region of a
    #: single-region history), and the moves at the boundaries (see :mod:`yibao.across`).
    regions: tuple[str, ...] = ()
    moves: tuple[Crossing, ...] = ()

    def month(self, month: str | int) -> Month:
        """The row of ``month`` ("YYYY-MM" or a month index)."""
        index = parse_month(month, "month") if isinstance(month, str) else month
        if not self.start <= index <= self.end:
            raise InputError(
                "month", f"{format_month(index)} is outside the timeline ({format_month(self.start)} .. {format_month(self.end)})"
            )
        return self.months[index - self.start]

    #: The engine that built the timeline (``PolicyEngine.timeline`` sets it): what
    #: :meth:`explain` asks the month's region again. Not part of equality.
    engine: PolicyEngine | None = attrs.field(default=None, eq=False, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without its engine (plugins are code, not data): an unpickled timeline is
        the same answer, and explaining it raises an InputError."""
        return {field.name: getattr(self, field.name) for field in attrs.fields(type(self)) if field.name != "engine"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in {**state, "engine": None}.items():
            object.__setattr__(self, name, value)

    def explain(self, month: str | int) -> Explanation:
        """Why ``month``'s row says what it says: its credit and lapse answers step by step
        (see :mod:`yibao.explaining`), asked again of the engine that built the timeline."""
        from .explaining import explain_month

        return explain_month(self, month)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form described by ``schemas/timeline.schema.json``."""
        from .hookspecs import SPEC_VERSION

        return {
            "region": self.region,
            "region_name": {"zh": self.region_name[0], "en": self.region_name[1]},
            "start": format_month(self.start),
            "end": format_month(self.end),
            "spec_version": SPEC_VERSION,
            "regions": list(self.regions or (self.region,)),
            "moves": [crossing.to_dict() for crossing in self.moves],
            "months": [row.to_dict() for row in self.months],
            "totals": [total.to_dict() for total in self.totals],
            "parameters": [_parameter_dict(key, applied) for key, applied in self.parameters],
            "provenance": self.provenance.to_dict(),
        }


def _parameter_dict(key: str, applied: Applied) -> dict[str, Any]:
    return {
        "id": key,
        "name": applied.name,
        "layer": applied.layer,
        "value": jsonable(applied.value),
        "from": applied.start.isoformat(),
        "to": None if applied.end is None else applied.end.isoformat(),
        "stale": applied.stale,
        "citations": [citation.to_dict() for citation in applied.citations],
        "disputed": [dispute.to_dict() for dispute in applied.disputed],
    }


def parameter_id(applied: Applied) -> str:
    """``layer.name@from``: one value of one parameter, e.g. ``shenzhen.base_cap@2026-01-01``
    (``...@from+stale`` where it is applied past the last date its source covers)."""
    return f"{applied.layer}.{applied.name}@{applied.start.isoformat()}{'+stale' if applied.stale else ''}"


# ------------------------------------------------------------------ the window


def read_month(value: object, path: str) -> int:
    """A month given as "YYYY-MM", "YYYY-MM-DD" or a ``date`` -> month index."""
    if isinstance(value, str) and len(value) == 10:
        return month_of(parse_date(value, path))
    if isinstance(value, date):
        return month_of(parse_date(value, path))
    return parse_month(value, path)


def window(member: Member, start: object = None, end: object = None, *, today: date | None = None) -> tuple[int, int]:
    """The months a timeline covers; see :func:`yibao.timeline` for the defaults.

    Refusals name ``start`` or ``end``: a start after the end, more than 1,200 months,
    a month outside 1900-01 .. 2199-12.
    """
    now = month_of(today or date.today())
    if start is None:
        first = member.contributions[0][0] if member.contributions else None
        first_month = now - 24 if first is None else first
        last = now + 12 if end is None else read_month(end, "end")
        first_month = max(first_month, last - MAX_MONTHS + 1, month_index(FIRST_YEAR, 1))
    else:
        first_month = read_month(start, "start")
    last_month = min(now + 12, month_index(LAST_YEAR, 12)) if end is None else read_month(end, "end")
    if end is None and last_month < first_month:
        last_month = min(first_month + 12, month_index(LAST_YEAR, 12))
    if start is None and first_month > last_month:  # paying starts after the end asked for: the 24 months before it
        first_month = max(last_month - 24, month_index(FIRST_YEAR, 1))
    if first_month > last_month:
        raise InputError("start", f"{format_month(first_month)} is after the end, {format_month(last_month)}")
    if last_month - first_month + 1 > MAX_MONTHS:
        raise InputError(
            "end",
            f"{format_month(first_month)} .. {format_month(last_month)} is {last_month - first_month + 1:,} months; at most {MAX_MONTHS:,} (100 years)",
        )
    return first_month, last_month


# ------------------------------------------------------------------ the walk


def build(stack: Stack, member: Member, start: int, end: int, route: Route | None = None, *, by_runs: bool = True) -> Timeline:
    """Walk ``start`` .. ``end`` (checked month indexes) with ``stack``'s layers, or, with a
    ``route``, with the layers of each month's region and the move rules at its boundaries.

    ``by_runs``: months that share the rules in force, the member as the rules see it and
    the lapse state are judged once (:class:`_Runs`); ``False`` judges every month."""
    ids: dict[int, str] = {}  # id() of an Applied (values are shared across days) -> its parameter id
    listed: dict[str, Applied] = {}
    alive: list[Applied] = []  # every Applied seen, so no id() above is reused during the walk
    rows: list[Month] = []
    total = ZERO
    before = _state(stack, member, start - 1, route) if start > month_index(FIRST_YEAR, 1) else None
    previous_paid = before[0] if before else False
    previous_lapse = before[1] if before else None
    previous_keys: tuple[str, ...] | None = None
    used: dict[tuple[int, ...], tuple[str, ...]] = {}  # ids of the values applied -> their parameter ids
    ever_paid = _paid_before(member, start)
    paid_in = _back_payments(member)
    paying = _periods_by_month(member, start, end)
    new = tuple.__new__  # Month(...) without keyword handling: one per month
    continuous = member.periods is None
    previous_bases: tuple[tuple[Applied, ...], tuple[Applied, ...]] = ((), ())
    keys: tuple[str, ...] = ()
    region = previous_region = stack.code if route is None else route.region(start - 1)
    moved: tuple[str, ...] | None = None
    regions: dict[str, str] = {} if route is not None else {region: region}  # in order of first use
    decide = _Runs(member).decide if by_runs else _each_month
    for month in range(start, end + 1):
        day = first_day(month)
        period = paying.get(month)
        paid = continuous or period is not None
        seen = member if period is None else member.in_period(period)
        here = stack if route is None else route.stack(month)
        (credit_decision, credit_layer), (lapse_decision, lapse_layer) = decide(here, seen, day)
        if route is not None:
            region = regions.setdefault(here.code, here.code)
            lapse_decision, moved = route.adjust(month, lapse_decision)  # type: ignore[arg-type]
        # unpaid or no account: nothing credited; None where the rate is not modelled
        credit = credit_decision.monthly_credit if paid and credit_decision.has_account else ZERO  # type: ignore[attr-defined]
        lapse: LapseDecision = lapse_decision  # type: ignore[assignment]
        # an amount computed on a base no known limit bounds is shown, not known
        known = credit is not None and (credit_decision.modelled or credit == ZERO)
        if known:
            total += credit  # type: ignore[operator]
        bases = (credit_decision.basis, lapse_decision.basis)
        if bases == previous_bases:  # (tuples compare item by item, identity first: the common month is cheap)
            changed: tuple[str, ...] = ()
        else:
            signature = (*map(id, bases[0]), -1, *map(id, bases[1]))
            found = used.get(signature)
            if found is None:
                found = used[signature] = _keys((*bases[0], *bases[1]), ids, listed, alive)
            changed = () if previous_keys is None or region != previous_region else _changed(found, previous_keys, listed)
            keys = found
        back_paid = paid_in.get(month, ()) if paid_in else ()
        if (
            paid is previous_paid
            and moved is None
            and region == previous_region
            and not changed
            and not back_paid
            and previous_lapse is not None
            and lapse.pooled_benefits is previous_lapse.pooled_benefits
            and (lapse.continuity_reset is previous_lapse.continuity_reset or not lapse.continuity_reset)
        ):
            events: tuple[Event, ...] = ()  # the common month: nothing happened
        else:
            events = _events(paid, previous_paid, ever_paid, lapse, previous_lapse, changed, back_paid)
            if moved is not None:
                events = tuple(sorted((*events, Event("moved", moved)), key=lambda event: EVENTS.index(event.code)))
        missing = credit_decision.not_modelled + lapse_decision.not_modelled
        not_modelled = tuple(dict.fromkeys([item.topic for item in missing])) if missing else ()
        rows.append(
            new(
                Month,
                (
                    month,
                    paid,
                    None if not paid else ("on_time" if period is None else period.paid),
                    credit_decision.has_account,  # type: ignore[attr-defined]
                    credit_decision.base_applied if paid else None,  # type: ignore[attr-defined]
                    credit_decision.rate if paid else None,  # type: ignore[attr-defined]
                    credit,
                    total,
                    lapse.pooled_benefits,
                    lapse.pooled_benefits_resume,
                    lapse.account_usable,
                    lapse.continuity_reset,
                    lapse.gap_months,
                    credit_decision.modelled and lapse.modelled,
                    not_modelled,
                    events,
                    keys,
                    (credit_layer, lapse_layer),
                    region,
                    known,
                ),
            )
        )
        ever_paid = ever_paid or paid
        previous_paid, previous_lapse, previous_keys, previous_bases, previous_region = paid, lapse, keys, bases, region
    top = stack.top.data
    return Timeline(
        region=stack.code,
        region_name=(top.name_zh, top.name_en),
        start=start,
        end=end,
        member=member,
        months=tuple(rows),
        parameters=tuple(listed.items()),
        totals=_totals(rows),
        origins=stack.origins if route is None else route.origins(tuple(regions)),
        evaluated_at=now(),
        regions=tuple(regions),
        moves=() if route is None else route.crossings(start, end),
    )


def _each_month(here: Stack, seen: Member, day: date) -> tuple[tuple[Any, str], ...]:
    return here.decide_areas(AREAS_ASKED, seen, day)


class _Runs:
    """The month's credit and lapse decisions, judged once for the months that share what
    the rules see: the parameter values in force (no value starts or ends between them),
    the member as that month's range shows it, and the lapse history up to the month but
    for the paid run's growing end (``yibao.lapse.history``: the earlier runs and the
    start of the run under way). Months of a gap, where the gap's length changes every
    month, are judged one by one.

    A shared decision is reused only on the same side of the date benefits come back
    (``pooled_benefits_resume``), the one date within a paid run the lapse rules compare
    the month to, and on the same side of every back payment's months and of the month it
    was made (``paid_in``): a back-paid month is judged by its own rule, and the months
    after it by what the payment changed. Only yibao-policy's own layers are judged this
    way (a third party's hook
    may read the date in ways no key here sees); the suite checks that the rows equal
    those of a month-by-month walk (tests/test_timeline_runs.py).
    """

    __slots__ = ("_found", "_marks")

    def __init__(self, member: Member) -> None:
        self._found: dict[tuple[Any, ...], tuple[tuple[tuple[Any, str], ...], date, date | None]] = {}
        marks: set[int] = set()
        for period in member.periods or ():
            if period.paid == "back_paid":
                marks.update((period.start, period.last + 1))
            if period.paid_in is not None:
                marks.update((period.paid_in, period.paid_in + 1))
        self._marks = tuple(sorted(marks))  # months where what a back payment changes starts or ends

    def decide(self, here: Stack, seen: Member, day: date) -> tuple[tuple[Any, str], ...]:
        known = _EDGES.get(id(here))
        if known is None or known[0] is not here:
            if len(_EDGES) > 64:
                _EDGES.clear()
            known = _EDGES[id(here)] = (here, _edges(here))  # (the stack kept, so its id stays its own)
        edges = known[1]
        state = None if edges is None else _lapse_state(seen, day)
        if state is None:
            return here.decide_areas(AREAS_ASKED, seen, day)
        # (a month's member differs from the timeline's only in these three, see Member.in_period)
        paid_back = bisect_right(self._marks, month_of(day)) if self._marks else 0
        key = (id(here), bisect_right(edges, day), seen.contribution_base, seen.tier, seen.category, state, paid_back)
        found = self._found.get(key)
        if found is not None:
            decided, first, back = found
            if back is None or (day >= back) is (first >= back):
                return decided
        decided = here.decide_areas(AREAS_ASKED, seen, day)
        self._found[key] = (decided, day, decided[1][0].pooled_benefits_resume)
        return decided


#: id(stack) -> (the stack, its edges): a stack's files do not change once it is built.
_EDGES: dict[int, tuple[Stack, tuple[date, ...] | None]] = {}


def _edges(stack: Stack) -> tuple[date, ...] | None:
    """The days on which some value of the stack's parameter files starts, or ends (the day
    after), sorted; None where the months cannot be shared (a layer not yibao-policy's own)."""
    if not all(layer.trusted for layer in stack.layers) or getattr(stack, "_reform", None):
        return None
    days: set[date] = set()
    for layer in stack.layers:
        for parameter in layer.data.parameters.values():
            for value in parameter.values:
                days.add(value.start)
                if value.end is not None:
                    days.add(value.end + timedelta(days=1))
    return tuple(sorted(days))


def _lapse_state(seen: Member, day: date) -> tuple[Any, ...] | None:
    """What the lapse rules see of a paid month's history, its own month left out: the
    earlier runs, the start of the run under way and the back payments among them; ``()`` before the first payment (nothing
    to see yet); None for a month of a gap."""
    if seen.contributions is None:
        return (0,)  # paid throughout: one run that never ends
    seen_history = history(seen, day)
    runs, month = seen_history.runs, seen_history.as_of_month
    if not runs:
        return ()
    if runs[-1][1] != month:
        return None
    return (runs[:-1], runs[-1][0], seen_history.back)


def _totals(rows: list[Month]) -> tuple[YearTotal, ...]:
    """One pass over the months, a total per calendar year; a credit that is not a known
    amount (not modelled, or computed on a base no known limit bounds) is not summed."""
    years: dict[int, list[Month]] = {}
    for row in rows:
        years.setdefault(row.month // 12, []).append(row)
    return tuple(
        YearTotal(
            year=year,
            credited=sum((row.credit for row in months if row.credit_known and row.credit is not None), ZERO),
            months=len(months),
            months_paid=sum(row.paid for row in months),
            months_covered=sum(row.pooled_benefits is True for row in months),
            months_credit_not_modelled=sum(not row.credit_known for row in months),
        )
        for year, months in years.items()
    )


def _periods_by_month(member: Member, start: int, end: int) -> dict[int, Any]:
    """Month -> the period that pays it, for the months of the window."""
    out: dict[int, Any] = {}
    for period in member.periods or ():
        if period.start > end or period.last < start:
            continue
        for month in range(max(period.start, start), min(period.last, end) + 1):
            out[month] = period
    return out


def _state(stack: Stack, member: Member, month: int, route: Route | None = None) -> tuple[bool, LapseDecision]:
    """Paid, and the lapse answer, for the month before the window (to see what changed)."""
    seen = member.in_month(month)
    if route is None:
        decision, _ = stack.decide("lapse", seen, first_day(month))
    else:
        decision, _ = route.stack(month).decide("lapse", seen, first_day(month))
        decision = route.adjust(month, decision)[0]  # type: ignore[arg-type]
    return member.paid(month), decision  # type: ignore[return-value]


def _paid_before(member: Member, month: int) -> bool:
    if member.contributions is None:
        return True
    return bool(member.contributions) and member.contributions[0][0] < month


def _back_payments(member: Member) -> dict[int, tuple[str, ...]]:
    """Month of a back payment -> the ranges it paid ("2025-06 .. 2025-07")."""
    out: dict[int, tuple[str, ...]] = {}
    for period in member.periods or ():
        if period.paid_in is not None and period.end is not None:
            out[period.paid_in] = (*out.get(period.paid_in, ()), f"{format_month(period.start)} .. {format_month(period.end)}")
    return out


def _keys(basis: tuple[Applied, ...], ids: dict[int, str], listed: dict[str, Applied], alive: list[Applied]) -> tuple[str, ...]:
    """The parameter ids of the values in ``basis`` (each listed once in ``listed``)."""
    keys = []
    for applied in basis:
        key = ids.get(id(applied))
        if key is None:
            key = ids[id(applied)] = parameter_id(applied)
            alive.append(applied)
            listed.setdefault(key, applied)
        keys.append(key)
    return tuple(dict.fromkeys(keys))


def _changed(used: tuple[str, ...], previous: tuple[str, ...], listed: dict[str, Applied]) -> tuple[str, ...]:
    """Parameters applied with another value than the month before (by name): a value that
    only moves to another layer or source, unchanged, changes no answer and is no event."""
    if used == previous:
        return ()
    names_now = {listed[key].name: key for key in used}
    names_before = {listed[key].name: key for key in previous}
    return tuple(
        sorted(
            name
            for name, key in names_now.items()
            if name in names_before and names_before[name] != key and listed[names_before[name]].value != listed[key].value
        )
    )


def _events(
    paid: bool,
    previous_paid: bool,
    ever_paid: bool,
    lapse: LapseDecision,
    previous: LapseDecision | None,
    changed: Iterable[str],
    back_paid: tuple[str, ...],
) -> tuple[Event, ...]:
    events = []
    if paid and not previous_paid:
        events.append(Event("payment_resumed" if ever_paid else "payment_began"))
    if previous_paid and not paid:
        events.append(Event("interruption_began"))
    if back_paid:
        events.append(Event("back_payment_made", back_paid))
    was_covered = None if previous is None else previous.pooled_benefits
    if was_covered is True and lapse.pooled_benefits is False:
        events.append(Event("benefits_stopped"))
    if was_covered is False and lapse.pooled_benefits is True:
        came_before = (
            previous is not None
            and previous.last_paid_month is not None
            and (previous.pooled_benefits_end is not None or previous.gap_months is not None)
        )
        events.append(Event("benefits_resumed" if came_before else "benefits_began"))
    if lapse.continuity_reset and (previous is None or not previous.continuity_reset):
        events.append(Event("continuity_reset"))
    changed = tuple(changed)
    if changed:
        events.append(Event("rule_changed", changed))
    return tuple(events)
