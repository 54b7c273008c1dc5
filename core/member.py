"""The member: the validated input every hook receives.

``Member.from_mapping`` is the boundary: it checks a plain mapping against
``schemas/member.schema.json`` and converts it to exact types (``Decimal`` yuan, month
ranges as integers). Past the boundary nothing is checked again. A ``Member`` built
directly from Python is checked field by field the same way: every bad value raises an
:class:`~yibao.errors.InputError` naming the field, never a ``TypeError``.

A history is kept twice, for two kinds of reader:

- ``contributions``: the months paid as sorted, merged, inclusive ``(start, end)`` month
  indexes (adjacent ranges joined), or ``None`` for "paid continuously". This is what
  hook authors have always read; an open range ("still paying") ends at
  :data:`yibao.months.OPEN_END`.
- ``periods``: the ranges as given, sorted, one :class:`Period` each, with what was
  particular to those months (base, tier, category, paid on time or back, region).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, NamedTuple

import attrs

from . import _member_validator
from .errors import InputError, shown
from .frozen import ReadOnlyDict
from .money import MAX_AMOUNT, ZERO, format_amount, parse_amount, too_fine
from .months import FIRST_YEAR, OPEN_END, format_month
from .validation import check

CATEGORIES = ("employee", "flexible", "retiree")
PAYMENTS = ("on_time", "back_paid")
#: At most this many contribution ranges per member: a hundred years of single months.
MAX_PERIODS = 1200
#: A history may span at most this many months (100 years) from its first paid month to its last.
MAX_SPAN = 1200
#: Nesting depth accepted in ``extensions`` (and any other value a caller passes).
MAX_DEPTH = 32
#: At most this many keys and list items in ``extensions``, all levels together.
MAX_EXTENSION_ITEMS = 10_000
_FIRST_MONTH = FIRST_YEAR * 12
_HUGE = 10**4000  # an integer this large is no input anyone means (str() of it fails past 4,300 digits)
_REGION = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?")  # as schemas/member.schema.json
_MONTH_RE = re.compile(r"((?:19|20|21)[0-9]{2})-(0[1-9]|1[0-2])")
_AMOUNT = re.compile(r"[0-9]{1,10}(\.[0-9]{1,8})?")  # as schemas/member.schema.json
_MONTH_TEXT = "a month written YYYY-MM, between 1900-01 and 2199-12"


class Period(NamedTuple):
    """One contribution range as given: months ``start`` .. ``end`` (month indexes, inclusive).

    ``end`` is ``None`` while still paying. ``base``, ``tier`` and ``category`` are
    ``None`` where the member's own values apply. ``paid`` is ``"on_time"`` or
    ``"back_paid"`` (with ``paid_in``, the month of the back payment, when known);
    ``region`` is the region code given for these months, kept for the readers that
    follow a member across regions.
    """

    start: int
    end: int | None
    base: Decimal | None = None
    tier: int | None = None
    category: str | None = None
    paid: str = "on_time"
    paid_in: int | None = None
    region: str | None = None

    @property
    def last(self) -> int:
        """The last month of the range; :data:`~yibao.months.OPEN_END` while still paying."""
        return OPEN_END if self.end is None else self.end

    def to_dict(self) -> dict[str, Any]:
        """The JSON form of one ``contributions`` item (defaults left out)."""
        out: dict[str, Any] = {"from": format_month(self.start)}
        if self.end is not None:
            out["to"] = format_month(self.end)
        if self.base is not None:
            out["base"] = format_amount(self.base)
        if self.tier is not None:
            out["tier"] = self.tier
        if self.category is not None:
            out["category"] = self.category
        if self.paid != "on_time":
            out["paid"] = self.paid
        if self.paid_in is not None:
            out["paid_in"] = format_month(self.paid_in)
        if self.region is not None:
            out["region"] = self.region
        return out


def _category(value: Any) -> str:
    if type(value) is not str or value not in CATEGORIES:
        raise InputError("category", f"{shown(value)} is not one of {', '.join(map(repr, CATEGORIES))}")
    return value


def _tier(value: Any) -> int:
    if type(value) is not int or value not in (1, 2):
        raise InputError("tier", f"{shown(value)} is not one of 1, 2")
    return value


def _flag(value: Any) -> bool:
    if type(value) is not bool:
        raise InputError("arrears", f"expected boolean, got {type(value).__name__}")
    return value


@attrs.frozen(kw_only=True)
class Member:
    """One insured person.

    ``contributions`` holds the months paid as merged, sorted, inclusive ranges of month
    indexes (see :mod:`yibao.months`), or ``None`` for "paid continuously up to the
    as-of month"; ``periods`` the same ranges as given, with their own base, tier,
    category and payment (see :class:`Period`). Build a member with ``contributions``
    (pairs) or ``periods``, not both; the other is derived. Ranges must not overlap.
    """

    category: str = attrs.field(converter=_category)
    tier: int = attrs.field(default=1, converter=_tier)
    contribution_base: Decimal | None = attrs.field(default=None, converter=lambda v: _amount(v, "contribution_base"))
    pension: Decimal | None = attrs.field(default=None, converter=lambda v: _amount(v, "pension"))
    contributions: tuple[tuple[int, int], ...] | None = attrs.field(default=None, eq=False)  # derived from periods
    arrears: bool = attrs.field(default=False, converter=_flag)
    balance: Decimal = attrs.field(default=ZERO, converter=lambda v: _amount(v, "balance") if v is not None else ZERO)
    extensions: Mapping[str, Any] = attrs.field(factory=dict, converter=lambda value: _frozen_extensions(value), hash=False)
    periods: tuple[Period, ...] | None = attrs.field(default=None)

    def __attrs_post_init__(self) -> None:
        if self.periods is not None:
            if self.contributions is not None:
                raise InputError("contributions", "give contributions (pairs) or periods, not both")
            periods = _checked_periods(self.periods)
        elif self.contributions is not None:
            periods = _pairs_to_periods(self.contributions)
        else:
            return
        object.__setattr__(self, "periods", periods)
        object.__setattr__(self, "contributions", _merge(periods))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Member:
        """Check and convert a mapping shaped like ``schemas/member.schema.json``.

        Raises :class:`~yibao.errors.InputError` naming the first offending field.
        """
        if isinstance(data, Member):
            return data
        if not isinstance(data, Mapping):
            raise InputError("", f"a member must be a JSON object (mapping), got {type(data).__name__}")
        plain = data if type(data) is dict else dict(data)
        quick = _quick(cls, plain)
        if quick is not None:
            return quick
        _check_plain(plain, "", 0)  # what the schema validator cannot be given: odd keys, NaN, huge integers
        items = plain.get("contributions")
        if isinstance(items, list) and len(items) > MAX_PERIODS:
            raise _too_many(len(items))
        check(_member_validator.validate, plain)
        base = plain.get("contribution_base")
        pension = plain.get("pension")
        balance = plain.get("balance")
        periods = None if items is None else _read_items(items, strict=True)
        return _trusted(
            category=plain["category"],
            tier=int(plain.get("tier", 1)),  # JSON Schema lets 1.0 equal 1
            contribution_base=None if base is None else parse_amount(base, "contribution_base"),
            pension=None if pension is None else parse_amount(pension, "pension"),
            periods=periods,
            arrears=plain.get("arrears", False),
            balance=ZERO if balance is None else parse_amount(balance, "balance"),
            extensions=_frozen_extensions(plain.get("extensions", {})),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, as ``schemas/member.schema.json`` reads it back."""
        out: dict[str, Any] = {"category": self.category, "tier": self.tier}
        if self.contribution_base is not None:
            out["contribution_base"] = format_amount(self.contribution_base)
        if self.pension is not None:
            out["pension"] = format_amount(self.pension)
        if self.periods is not None:
            out["contributions"] = [period.to_dict() for period in self.periods]
        out["arrears"] = self.arrears
        out["balance"] = format_amount(self.balance)
        if self.extensions:
            out["extensions"] = _thawed(self.extensions)
        return out

    def extension(self, region: str) -> Mapping[str, Any]:
        """This member's region-specific input for ``region`` (empty if none)."""
        found = self.extensions.get(region)
        return found if isinstance(found, Mapping) else {}

    def period_of(self, month: int) -> Period | None:
        """The range that pays ``month`` (a month index), or ``None`` if that month is unpaid.

        ``None`` also when the member gives no ranges (paid continuously): then every
        month is paid with the member's own values.
        """
        periods = self.periods
        if not periods:
            return None
        low, high = 0, len(periods)
        while low < high:  # the last period starting at or before the month
            middle = (low + high) // 2
            if periods[middle].start <= month:
                low = middle + 1
            else:
                high = middle
        if low and periods[low - 1].last >= month:
            return periods[low - 1]
        return None

    def paid(self, month: int) -> bool:
        """Whether ``month`` is paid (always, for a member paying continuously)."""
        return self.periods is None or self.period_of(month) is not None

    def in_month(self, month: int) -> Member:
        """This member as the rules see them in ``month``: the base, tier and category of the
        range that pays it (the member's own where the range gives none, or the month is unpaid).

        The history is the same object; only those three fields change. Costs a few
        microseconds: no field is checked again.
        """
        period = self.period_of(month)
        return self if period is None else self.in_period(period)

    def in_period(self, period: Period) -> Member:
        """This member with the base, tier and category ``period`` gives (see :meth:`in_month`)."""
        if period.base is None and period.tier is None and period.category is None:
            return self
        return _evolved(
            self,
            contribution_base=self.contribution_base if period.base is None else period.base,
            tier=self.tier if period.tier is None else period.tier,
            category=self.category if period.category is None else period.category,
        )


_FIELD_NAMES = tuple(field.name for field in attrs.fields(Member))


def _trusted(**values: Any) -> Member:
    """A member from values already checked and converted (the boundary's last step)."""
    member = object.__new__(Member)
    periods = values["periods"]
    values["contributions"] = None if periods is None else _merge(periods)
    for name in _FIELD_NAMES:
        object.__setattr__(member, name, values[name])
    return member


def _evolved(member: Member, **changes: Any) -> Member:
    values = {name: getattr(member, name) for name in _FIELD_NAMES}
    values.update(changes)
    copy = object.__new__(Member)
    for name in _FIELD_NAMES:
        object.__setattr__(copy, name, values[name])
    return copy


class FrozenMapping(ReadOnlyDict):
    """A read-only copy of the member's ``extensions`` (nested mappings too; lists become
    tuples): the member stays a value, no hook can change the caller's data or what
    another region sees in a compare, and (unlike a mappingproxy) it pickles, so members
    travel to worker processes."""

    __slots__ = ()
    _why = "a member's extensions are read-only"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMapping, (dict(self),))


def _frozen_extensions(value: Any) -> FrozenMapping:
    if type(value) is FrozenMapping:
        return value
    if not isinstance(value, Mapping):
        raise InputError("extensions", f"expected object, got {type(value).__name__}")
    return _freeze(value, "extensions", 1, [MAX_EXTENSION_ITEMS])  # type: ignore[return-value]


def _freeze(value: Any, path: str, depth: int, budget: list[int]) -> Any:
    """A deeply read-only copy of JSON-like data, or an InputError naming the bad part.
    ``budget`` counts down the keys and items still accepted (a member's size is bounded)."""
    kind = type(value)
    if kind is str or kind is bool or value is None:
        return value
    if kind is int:
        if -_HUGE < value < _HUGE:
            return value
        raise InputError(path, "an integer of thousands of digits is not accepted")
    if kind is float:
        if math.isfinite(value):
            return value
        raise InputError(path, f"{shown(value)} is not a finite number")
    if kind is Decimal:
        if value.is_finite():
            return value
        raise InputError(path, f"{shown(value)} is not a finite number")
    if depth > MAX_DEPTH:
        raise InputError(path, f"nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, (Mapping, list, tuple)):
        budget[0] -= len(value)
        if budget[0] < 0:
            raise InputError("extensions", f"more than {MAX_EXTENSION_ITEMS:,} keys and items in all; a member's size is bounded")
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if type(key) is not str:
                raise InputError(path, f"keys must be strings, got {type(key).__name__} {shown(key)}"[:200])
            out[key] = _freeze(item, f"{path}.{key}", depth + 1, budget)
        return FrozenMapping(out)
    if isinstance(value, (list, tuple)):
        return tuple(_freeze(item, f"{path}[{i}]", depth + 1, budget) for i, item in enumerate(value))
    raise InputError(path, f"expected JSON data (object, array, string, number, boolean or null), got {kind.__name__}")


def _thawed(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {key: _thawed(item) for key, item in value.items()}
    if isinstance(value, tuple):
        return [_thawed(item) for item in value]
    return value


def _check_plain(value: Any, path: str, depth: int) -> None:
    """Refuse, with the field's path, what the generated schema validator would crash on."""
    if isinstance(value, Mapping):
        if depth > MAX_DEPTH:
            raise InputError(path, f"nested more than {MAX_DEPTH} levels deep")
        for key, item in value.items():
            if type(key) is not str:
                raise InputError(path, f"field names must be strings, got {type(key).__name__} {shown(key)}"[:200])
            _check_plain(item, f"{path}.{key}" if path else key, depth + 1)
    elif isinstance(value, (list, tuple)):
        if depth > MAX_DEPTH:
            raise InputError(path, f"nested more than {MAX_DEPTH} levels deep")
        if len(value) > MAX_PERIODS and path == "contributions":
            raise _too_many(len(value))
        for i, item in enumerate(value):
            _check_plain(item, f"{path}[{i}]", depth + 1)
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise InputError(path, f"{shown(value)} is not a finite amount")
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InputError(path, f"{shown(value)} is not a finite amount")
    elif isinstance(value, int) and not isinstance(value, bool):
        if not -_HUGE < value < _HUGE:
            raise InputError(path, "an integer of thousands of digits is not accepted")


def _too_many(count: int) -> InputError:
    return InputError("contributions", f"{count:,} ranges; at most {MAX_PERIODS:,} are accepted (100 years of single months)")


def _amount(value: Any, path: str) -> Decimal | None:
    """A Member built directly still holds exact, finite Decimal yuan within the bounds."""
    return None if value is None else parse_amount(value, path)


# ---------------------------------------------------------------- the history


_MONTHS: dict[str, int] = {}


def _month_table() -> dict[str, int]:
    """Every valid "YYYY-MM" -> its month index (3,600 entries, built on first use):
    reading a month costs one dict lookup, so long histories validate in linear time."""
    global _MONTHS
    if not _MONTHS:  # one assignment of a whole table: another thread never sees half of it
        _MONTHS = {format_month(index): index for index in range(_FIRST_MONTH, OPEN_END + 1)}
    return _MONTHS


_ITEM_FIELDS = frozenset({"from", "to", "base", "tier", "category", "paid", "paid_in", "region"})


def _read_items(items: list[Any], *, strict: bool) -> tuple[Period, ...] | None:
    """The ``contributions`` items as sorted periods; refusals name ``contributions[i]...``.

    With ``strict=False`` (the quick path, before any schema check) an item whose types
    are not plainly right gives ``None``, so the schema validator reports it in its words.
    Ordering, overlap, span and back-payment problems raise :class:`InputError` either way.
    """
    if len(items) > MAX_PERIODS:
        raise _too_many(len(items))
    months = _MONTHS or _month_table()
    read: list[Period] = []
    append = read.append
    new = tuple.__new__  # Period(...) without the keyword handling: this loop runs per range
    nothing = _NOTHING
    for i, item in enumerate(items):
        if type(item) is not dict:
            return None
        first, to = item.get("from"), item.get("to")
        start = months.get(first) if type(first) is str else None
        end = None if to is None else months.get(to) if type(to) is str else None
        if start is None or (to is not None and end is None):
            if strict:  # (cannot happen after the schema check; kept for direct callers)
                raise InputError(f"contributions[{i}].from", f"{shown(item.get('from'))} is not {_MONTH_TEXT}")
            return None
        if end is not None and end < start:
            raise InputError(f"contributions[{i}]", f"'to' ({to}) is before 'from' ({item['from']})")
        size = len(item)
        if size == 1 or (size == 2 and "to" in item):
            period = new(Period, (start, end, None, None, None, "on_time", None, None))
        elif (size == 2 or (size == 3 and "to" in item)) and (given := item.get("base", nothing)) is not nothing:
            # (a list or object is unhashable: no memo lookup, the schema path names it)
            base = (given.__hash__ is not None and _DECIMALS.get((type(given), given))) or _plain_decimal(given)
            if base is None:
                if not strict:
                    return None
                base = parse_amount(given, f"contributions[{i}].base")
            period = new(Period, (start, end, base, None, None, "on_time", None, None))
        else:
            period = _rich_period(item, i, start, end, months, strict)  # type: ignore[assignment]
            if period is None:
                return None
        append(period)
    return _ordered(read)


_NOTHING = object()
_DECIMALS: dict[tuple[type, Any], Decimal] = {}


def _plain_decimal(value: Any) -> Decimal | None:
    """A plainly valid amount (int, finite float, decimal string, within bounds) as
    ``Decimal``, else ``None``. Memoised: a history repeats the same few bases."""
    kind = type(value)
    if kind is not int and kind is not float and kind is not str:
        return None
    key = (kind, value)
    found = _DECIMALS.get(key)
    if found is None:
        if not _plain_amount(value):
            return None
        found = Decimal(repr(value)) if kind is float else Decimal(value)
        if too_fine(found):
            return None  # the schema path names the problem
        if found.is_zero():
            found = found.copy_abs()  # -0.0 is 0
        if len(_DECIMALS) < 4096:
            _DECIMALS[key] = found
    return found


def _rich_period(item: dict[str, Any], i: int, start: int, end: int | None, months: dict[str, int], strict: bool) -> Period | None:
    """An item with more than from/to: each extra field checked (quick path: or ``None``)."""
    if not strict and not _ITEM_FIELDS.issuperset(item):
        return None
    base = item.get("base")
    tier = item.get("tier")
    category = item.get("category")
    paid = item.get("paid", "on_time")
    paid_in = item.get("paid_in")
    region = item.get("region")
    path = f"contributions[{i}]"
    if not strict:
        if base is not None and not _plain_amount(base):
            return None
        if (tier is not None and (type(tier) is not int or tier not in (1, 2))) or (category is not None and category not in CATEGORIES):
            return None
        if paid not in PAYMENTS or (paid_in is not None and (type(paid_in) is not str or paid_in not in months)):
            return None
        if region is not None and (type(region) is not str or len(region) > 64 or not _REGION.fullmatch(region)):
            return None
    paid_month = None if paid_in is None else months[paid_in]
    if paid_month is not None:
        if paid != "back_paid":
            raise InputError(f"{path}.paid_in", 'paid_in is the month of a back payment: give it with "paid": "back_paid"')
        if end is None:
            raise InputError(f"{path}.to", "a back payment pays past months: give the last month it pays")
        if paid_month < end:
            raise InputError(
                f"{path}.paid_in", f"{paid_in} is before the months it pays back (up to {item['to']}): a back payment comes after them"
            )
    elif paid == "back_paid" and end is None:
        raise InputError(f"{path}.to", "a back payment pays past months: give the last month it pays")
    return Period(
        start,
        end,
        None if base is None else parse_amount(base, f"{path}.base"),
        None if tier is None else int(tier),
        category,
        paid,
        paid_month,
        region,
    )


def _plain_amount(value: Any) -> bool:
    kind = type(value)
    if kind is int:
        return 0 <= value <= MAX_AMOUNT
    if kind is float:
        return 0 <= value <= MAX_AMOUNT  # (NaN compares false)
    return kind is str and _AMOUNT.fullmatch(value) is not None and Decimal(value) <= MAX_AMOUNT


def _ordered(given: list[Period]) -> tuple[Period, ...]:
    """Sorted periods; an overlap, or a history longer than 100 years, is refused naming
    the ranges by their place in the list given."""
    order: list[int] | None = None  # original positions, when the list had to be sorted
    if any(later[0] < earlier[0] for earlier, later in zip(given, given[1:])):
        order = sorted(range(len(given)), key=lambda k: given[k][0])
        given = [given[k] for k in order]
    last_end = latest = -1
    for position, period in enumerate(given):
        start, end = period[0], period[1]
        if start <= last_end:
            i, j = (position - 1, position) if order is None else (order[position - 1], order[position])
            raise InputError(
                f"contributions[{j}]",
                f"{_span(period)} overlaps contributions[{i}] ({_span(given[position - 1])}); ranges must not overlap (adjacent ones join)",
            )
        last_end = OPEN_END if end is None else end
        if end is not None and end > latest:
            latest = end
    periods = tuple(given)
    if periods:
        first = periods[0].start
        last = max(periods[-1].start, latest)
        if last - first + 1 > MAX_SPAN:
            raise InputError(
                "contributions",
                f"the history spans {last - first + 1:,} months ({_span(periods[0])} .. {format_month(last)}); "
                f"at most {MAX_SPAN:,} (100 years) are accepted",
            )
    return periods


def _span(period: Period) -> str:
    return f"{format_month(period.start)} .. {'(still paying)' if period.end is None else format_month(period.end)}"


def _checked_periods(value: Any) -> tuple[Period, ...]:
    """Periods given directly: each a :class:`Period` of month indexes in range, its fields checked."""
    if not isinstance(value, (list, tuple)):
        raise InputError("periods", f"expected a sequence of Period, got {type(value).__name__}")
    if len(value) > MAX_PERIODS:
        raise _too_many(len(value))
    read = []
    for i, period in enumerate(value):
        path = f"periods[{i}]"
        if type(period) is not Period:
            raise InputError(path, f"expected a yibao.member.Period, got {type(period).__name__}")
        _check_index(period.start, f"{path}.start")
        if period.end is not None:
            _check_index(period.end, f"{path}.end")
            if period.end < period.start:
                raise InputError(path, f"a range ends ({period.end}) before it starts ({period.start})")
        if period.tier is not None:
            _tier(period.tier)
        if period.category is not None and period.category not in CATEGORIES:
            raise InputError(f"{path}.category", f"{shown(period.category)} is not one of {', '.join(map(repr, CATEGORIES))}")
        if period.paid not in PAYMENTS:
            raise InputError(f"{path}.paid", f"{shown(period.paid)} is not one of {', '.join(map(repr, PAYMENTS))}")
        if period.paid_in is not None:
            _check_index(period.paid_in, f"{path}.paid_in")
            if period.paid != "back_paid" or period.end is None or period.paid_in < period.end:
                raise InputError(f"{path}.paid_in", "the month of a back payment: with paid='back_paid', not before end")
        if period.region is not None and (type(period.region) is not str or not _REGION.fullmatch(period.region)):
            raise InputError(f"{path}.region", f"{shown(period.region)} is not a region code")
        base = None if period.base is None else parse_amount(period.base, f"{path}.base")
        read.append(period._replace(base=base))
    return _ordered(read)


def _pairs_to_periods(value: Any) -> tuple[Period, ...]:
    """``contributions`` given directly as (start, end) month-index pairs."""
    if not isinstance(value, (list, tuple)):
        raise InputError("contributions", f"expected a sequence of (start, end) month indexes, got {type(value).__name__}")
    if len(value) > MAX_PERIODS:
        raise _too_many(len(value))
    read = []
    for i, pair in enumerate(value):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise InputError(f"contributions[{i}]", "expected a (start, end) pair of month indexes")
        start, end = pair
        _check_index(start, f"contributions[{i}][0]")
        _check_index(end, f"contributions[{i}][1]")
        if end < start:
            raise InputError(f"contributions[{i}]", f"a range ends ({end}) before it starts ({start})")
        read.append(Period(start, None if end == OPEN_END else end))
    return _ordered(read)


def _check_index(value: Any, path: str) -> None:
    if type(value) is not int or not _FIRST_MONTH <= value <= OPEN_END:
        raise InputError(path, f"expected a month index (year * 12 + month - 1) within 1900-01 .. 2199-12, got {shown(value)}"[:200])


def _merge(periods: tuple[Period, ...]) -> tuple[tuple[int, int], ...]:
    """Sorted, non-overlapping periods as merged pairs, adjacent ranges joined."""
    merged: list[tuple[int, int]] = []
    run_start = run_end = -2
    for period in periods:
        start, end = period[0], period[1]
        if start != run_end + 1:
            if run_start >= 0:
                merged.append((run_start, run_end))
            run_start = start
        run_end = OPEN_END if end is None else end
    if run_start >= 0:
        merged.append((run_start, run_end))
    return tuple(merged)


# ---------------------------------------------------------------- the hot path

_FIELDS = frozenset({"category", "tier", "contribution_base", "pension", "contributions", "arrears", "balance", "extensions"})


def _quick(cls: type[Member], plain: dict[str, Any]) -> Member | None:
    """One pass that checks and converts the ordinary, valid member (the hot path).

    Anything it is not sure of returns ``None``: the caller then runs the generated
    schema validator, so every refusal still reads exactly as the schema says it.
    The test-suite checks both paths accept the same members.
    """
    if not _FIELDS.issuperset(plain) or plain.get("category") not in CATEGORIES or None in plain.values():
        return None  # (a null is never valid: the schema has the message)
    tier = plain.get("tier", 1)
    if type(tier) is not int or tier not in (1, 2):  # not True, not 1.0
        return None
    amounts: list[Decimal | None] = []
    for key in ("contribution_base", "pension", "balance"):
        value = plain.get(key)
        if value is None:
            amounts.append(None)
        elif type(value) is int and 0 <= value <= MAX_AMOUNT:
            amounts.append(Decimal(value))
        elif type(value) is float and 0 <= value <= MAX_AMOUNT:  # finite (NaN compares false)
            amount = Decimal(repr(value))
            if too_fine(amount):
                return None
            amounts.append(amount.copy_abs() if amount.is_zero() else amount)
        elif type(value) is str and _AMOUNT.fullmatch(value) and Decimal(value) <= MAX_AMOUNT:
            amounts.append(Decimal(value))
        else:
            return None
    items = plain.get("contributions")
    periods = None
    if items is not None:
        if type(items) is not list:
            return None
        periods = _read_items(items, strict=False)
        if periods is None:
            return None
    arrears = plain.get("arrears", False)
    extensions = plain.get("extensions", {})
    if type(arrears) is not bool or type(extensions) is not dict:
        return None
    base, pension, balance = amounts
    return _trusted(
        category=plain["category"],
        tier=tier,
        contribution_base=base,
        pension=pension,
        periods=periods,
        arrears=arrears,
        balance=ZERO if balance is None else balance,
        extensions=_frozen_extensions(extensions),
    )
