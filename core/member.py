"""The member: the validated input every hook receives.

``Member.from_mapping`` is the boundary: it checks a plain mapping against
``schemas/member.schema.json`` and converts it to exact types (``Decimal`` yuan, month
ranges as integers). Past the boundary nothing is checked again.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from . import _member_validator
from .errors import InputError
from .frozen import ReadOnlyDict
from .money import MAX_AMOUNT, ZERO, format_money, parse_amount
from .months import format_month, parse_month
from .validation import check

CATEGORIES = ("employee", "flexible", "retiree")


@attrs.frozen(kw_only=True)
class Member:
    """One insured person.

    ``contributions`` holds the months paid as merged, sorted, inclusive ranges of month
    indexes (see :mod:`yibao.months`), or ``None`` for "paid continuously up to the
    as-of month".
    """

    category: str = attrs.field(validator=attrs.validators.in_(CATEGORIES))
    tier: int = attrs.field(default=1, validator=attrs.validators.in_((1, 2)))
    contribution_base: Decimal | None = attrs.field(default=None, converter=lambda v: _amount(v, "contribution_base"))
    pension: Decimal | None = attrs.field(default=None, converter=lambda v: _amount(v, "pension"))
    contributions: tuple[tuple[int, int], ...] | None = attrs.field(default=None, converter=lambda v: _ranges(v))
    arrears: bool = False
    balance: Decimal = attrs.field(default=ZERO, converter=lambda v: _amount(v, "balance") if v is not None else ZERO)
    extensions: Mapping[str, Any] = attrs.field(factory=dict, converter=lambda value: FrozenMapping(value), hash=False)

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
        check(_member_validator.validate, plain)
        base = plain.get("contribution_base")
        pension = plain.get("pension")
        balance = plain.get("balance")
        ranges = plain.get("contributions")
        return cls(
            category=plain["category"],
            tier=int(plain.get("tier", 1)),  # JSON Schema lets 1.0 equal 1
            contribution_base=None if base is None else parse_amount(base, "contribution_base"),
            pension=None if pension is None else parse_amount(pension, "pension"),
            contributions=None if ranges is None else _merge_ranges(ranges),
            arrears=plain.get("arrears", False),
            balance=ZERO if balance is None else parse_amount(balance, "balance"),
            extensions=plain.get("extensions", {}),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON form, as ``schemas/member.schema.json`` reads it back."""
        out: dict[str, Any] = {"category": self.category, "tier": self.tier}
        if self.contribution_base is not None:
            out["contribution_base"] = format_money(self.contribution_base)
        if self.pension is not None:
            out["pension"] = format_money(self.pension)
        if self.contributions is not None:
            out["contributions"] = [{"from": format_month(a), "to": format_month(b)} for a, b in self.contributions]
        out["arrears"] = self.arrears
        out["balance"] = format_money(self.balance)
        if self.extensions:
            out["extensions"] = dict(self.extensions)
        return out

    def extension(self, region: str) -> Mapping[str, Any]:
        """This member's region-specific input for ``region`` (empty if none)."""
        found = self.extensions.get(region)
        return found if isinstance(found, Mapping) else {}


class FrozenMapping(ReadOnlyDict):
    """A read-only copy of the member's ``extensions``: the member stays a value, and
    (unlike a mappingproxy) it pickles, so members travel to worker processes."""

    __slots__ = ()
    _why = "a member's extensions are read-only"

    def __reduce__(self) -> tuple[Any, ...]:
        return (FrozenMapping, (dict(self),))


def _amount(value: Any, path: str) -> Decimal | None:
    """A Member built directly still holds exact Decimal yuan (from_mapping has converted already)."""
    return value if value is None or type(value) is Decimal else parse_amount(value, path)


def _ranges(value: Any) -> tuple[tuple[int, int], ...] | None:
    """Sorted and merged month ranges, whatever order a direct caller gives them in."""
    if value is None:
        return None
    pairs = [(int(start), int(end)) for start, end in value]
    for start, end in pairs:
        if end < start:
            raise InputError("contributions", f"a range ends ({end}) before it starts ({start})")
    return _merge(pairs)


_FIELDS = frozenset({"category", "tier", "contribution_base", "pension", "contributions", "arrears", "balance", "extensions"})
_AMOUNT = re.compile(r"[0-9]{1,10}(\.[0-9]{1,8})?")  # as schemas/member.schema.json
_MONTH = re.compile(r"((?:19|20|21)[0-9]{2})-(0[1-9]|1[0-2])")


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
        elif type(value) is str and _AMOUNT.fullmatch(value) and Decimal(value) <= MAX_AMOUNT:
            amounts.append(Decimal(value))
        else:
            return None
    ranges = plain.get("contributions")
    months = None
    if ranges is not None:
        if type(ranges) is not list:
            return None
        pairs = []
        for item in ranges:
            if type(item) is not dict or len(item) != 2:
                return None
            first, last = item.get("from"), item.get("to")
            if type(first) is not str or type(last) is not str:
                return None
            start, end = _MONTH.fullmatch(first), _MONTH.fullmatch(last)
            if start is None or end is None:
                return None
            pair = (int(start[1]) * 12 + int(start[2]) - 1, int(end[1]) * 12 + int(end[2]) - 1)
            if pair[1] < pair[0]:
                return None
            pairs.append(pair)
        months = _merge(pairs)
    arrears = plain.get("arrears", False)
    extensions = plain.get("extensions", {})
    if type(arrears) is not bool or type(extensions) is not dict:
        return None
    base, pension, balance = amounts
    return cls(
        category=plain["category"],
        tier=tier,
        contribution_base=base,
        pension=pension,
        contributions=months,
        arrears=arrears,
        balance=ZERO if balance is None else balance,
        extensions=extensions,
    )


def _merge_ranges(items: list[dict[str, str]]) -> tuple[tuple[int, int], ...]:
    ranges = []
    for i, item in enumerate(items):
        start = parse_month(item["from"], f"contributions[{i}].from")
        end = parse_month(item["to"], f"contributions[{i}].to")
        if end < start:
            raise InputError(f"contributions[{i}]", f"'to' ({item['to']}) is before 'from' ({item['from']})")
        ranges.append((start, end))
    return _merge(ranges)


def _merge(ranges: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Sorted, with overlapping or adjacent ranges joined."""
    ranges.sort()
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1] + 1:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)
