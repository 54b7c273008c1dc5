"""The member: the validated input every hook receives.

``Member.from_mapping`` is the boundary: it checks a plain mapping against
``schemas/member.schema.json`` and converts it to exact types (``Decimal`` yuan, month
ranges as integers). Past the boundary nothing is checked again.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import attrs

from . import _member_validator
from .errors import InputError
from .money import ZERO, format_money, parse_amount
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
    contribution_base: Decimal | None = None
    pension: Decimal | None = None
    contributions: tuple[tuple[int, int], ...] | None = None
    arrears: bool = False
    balance: Decimal = ZERO
    extensions: Mapping[str, Any] = attrs.field(factory=dict, converter=MappingProxyType)

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


def _merge_ranges(items: list[dict[str, str]]) -> tuple[tuple[int, int], ...]:
    ranges = []
    for i, item in enumerate(items):
        start = parse_month(item["from"], f"contributions[{i}].from")
        end = parse_month(item["to"], f"contributions[{i}].to")
        if end < start:
            raise InputError(f"contributions[{i}]", f"'to' ({item['to']}) is before 'from' ({item['from']})")
        ranges.append((start, end))
    ranges.sort()
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1] + 1:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)
