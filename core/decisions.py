"""What a hook returns: one typed, frozen decision per area, carrying its own evidence.

A decision names the parameters it applied (``basis``: each with its dates and
citations), any further ``citations``, the topics it could not settle
(``not_modelled``) and free-text ``notes``. The core adds which layer answered.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from .citations import Citation, Dispute
from .money import format_money
from .months import format_month
from .parameters import Applied, NotModelled


@attrs.frozen(kw_only=True)
class Decision:
    """Fields every area shares. ``modelled=False`` whenever a field is null for want of a source."""

    basis: tuple[Applied, ...] = ()
    citations: tuple[Citation, ...] = ()
    not_modelled: tuple[NotModelled, ...] = ()
    notes: tuple[str, ...] = ()
    modelled: bool = True

    def all_citations(self) -> tuple[Citation, ...]:
        """Citations of the applied parameters, then the extra ones, without repeats."""
        seen: dict[Citation, None] = {}
        for applied in self.basis:
            for citation in applied.citations:
                seen.setdefault(citation)
        for citation in self.citations:
            seen.setdefault(citation)
        return tuple(seen)

    def disputes(self) -> tuple[Dispute, ...]:
        return tuple(d for applied in self.basis for d in applied.disputed)

    @property
    def stale(self) -> bool:
        return any(applied.stale for applied in self.basis)

    def fields(self) -> dict[str, Any]:  # overridden per area
        raise NotImplementedError


@attrs.frozen(kw_only=True)
class CreditDecision(Decision):
    """``credit_rate``: what is credited to the personal account each month."""

    has_account: bool
    monthly_credit: Decimal | None
    base_applied: Decimal | None = None
    rate: Decimal | None = None

    def fields(self) -> dict[str, Any]:
        return {
            "has_account": self.has_account,
            "monthly_credit": format_money(self.monthly_credit),
            "base_applied": format_money(self.base_applied),
            "rate": None if self.rate is None else str(self.rate),
        }


@attrs.frozen(kw_only=True)
class LapseDecision(Decision):
    """``lapse_effect``: what stopping and resuming contributions does on the as-of date."""

    last_paid_month: int | None
    pooled_benefits: bool | None  # None only with modelled=False
    pooled_benefits_end: date | None
    pooled_benefits_resume: date | None
    account_usable: bool
    continuity_reset: bool
    gap_months: int | None = None

    def fields(self) -> dict[str, Any]:
        return {
            "last_paid_month": None if self.last_paid_month is None else format_month(self.last_paid_month),
            "pooled_benefits": self.pooled_benefits,
            "pooled_benefits_end": _iso(self.pooled_benefits_end),
            "pooled_benefits_resume": _iso(self.pooled_benefits_resume),
            "account_usable": self.account_usable,
            "continuity_reset": self.continuity_reset,
            "gap_months": self.gap_months,
        }


@attrs.frozen(kw_only=True)
class FamilyChannel:
    """One way the account reaches relatives (the national wallet, a province's own mutual
    aid, a city's premium payment), with its own reach, relatives, uses and conditions, so
    that no answer puts one channel's reach beside another's conditions."""

    channel: str
    scope: str | None
    relations: tuple[str, ...] = ()
    uses: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "channel": self.channel,
            "scope": self.scope,
            "relations": list(self.relations),
            "uses": list(self.uses),
            "conditions": list(self.conditions),
        }


@attrs.frozen(kw_only=True)
class FamilyDecision(Decision):
    """``family_scope``: which relatives may use the account, for what, and how far away.

    ``channels`` lists each way the account reaches relatives; ``scope`` is the widest
    channel's reach and ``conditions`` that channel's conditions (``relations`` and
    ``uses`` cover every channel).
    """

    relations: tuple[str, ...]
    uses: tuple[str, ...]
    scope: str | None
    conditions: tuple[str, ...] = ()
    channels: tuple[FamilyChannel, ...] = ()

    def fields(self) -> dict[str, Any]:
        return {
            "relations": list(self.relations),
            "uses": list(self.uses),
            "scope": self.scope,
            "conditions": list(self.conditions),
            "channels": [channel.to_dict() for channel in self.channels],
        }


@attrs.frozen(kw_only=True)
class TransferDecision(Decision):
    """``transfer_rules``: whether the insurance relationship and the balance move with the member."""

    relationship_transferable: bool
    balance_transferable: bool
    blockers: tuple[str, ...] = ()
    #: What the rules do with a balance when the member moves to another city of the same
    #: province: "moves" (as across provinces) or "stays" (kept and used across cities,
    #: neither transferred nor paid out, as in Guangdong); None where no source says.
    balance_within_province: str | None = None

    def fields(self) -> dict[str, Any]:
        return {
            "relationship_transferable": self.relationship_transferable,
            "balance_transferable": self.balance_transferable,
            "blockers": list(self.blockers),
            "balance_within_province": self.balance_within_province,
        }


@attrs.frozen(kw_only=True)
class TransferInDecision(Decision):
    """``transfer_in``: how the destination of a move receives the member (医保办发〔2021〕43号).

    - ``payable_gap_months``: a gap before the move of at most this many months may be
      paid back at the destination;
    - ``short_gap_wait_months``: after such a gap is paid back, pooled benefits start
      this many months after the payment month (0: the payment month itself);
    - ``gap_covered``: the months of such a gap are covered once paid back;
    - ``wait_months``: the wait after a longer gap, ``None`` where the destination's own
      wait is not in the sources (``wait_ceiling_months`` then shows the national
      ceiling, never applied as the rule);
    - ``continuity_merged``: contribution years at the origin count together with those
      at the destination (累计计算);
    - ``processing_working_days``: the destination's working days to credit the balance.
    """

    payable_gap_months: int | None
    short_gap_wait_months: int | None
    gap_covered: bool | None
    wait_months: int | None
    wait_ceiling_months: int | None = None
    continuity_merged: bool | None = None
    processing_working_days: int | None = None

    def fields(self) -> dict[str, Any]:
        return {
            "payable_gap_months": self.payable_gap_months,
            "short_gap_wait_months": self.short_gap_wait_months,
            "gap_covered": self.gap_covered,
            "wait_months": self.wait_months,
            "wait_ceiling_months": self.wait_ceiling_months,
            "continuity_merged": self.continuity_merged,
            "processing_working_days": self.processing_working_days,
        }


@attrs.frozen(kw_only=True)
class WithdrawalDecision(Decision):
    """``withdrawal_conditions``: the grounds on which the balance is paid out in cash."""

    grounds: tuple[str, ...]

    def fields(self) -> dict[str, Any]:
        return {"grounds": list(self.grounds)}


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
