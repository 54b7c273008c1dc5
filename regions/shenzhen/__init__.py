"""Shenzhen (深圳市): tiers 1 and 2 under Decree 358, the next-month recovery after a gap,
paying relatives' Shenzhen resident premiums and province-wide mutual aid at designated
institutions, and its own withdrawal grounds. A tier-2 member has no account, and every
area says so the same way on every date.

Parameters with citations are in ``region.toml`` beside this file, with the credit,
family, transfer and withdrawal rules as ``[rules.*]`` tables; what it does not define
comes from the national baseline beneath it. The lapse rules are the functions below.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs

from yibao import arrivals, hookimpl, lapse, rules
from yibao.arrivals import Origin
from yibao.decisions import LapseDecision, TransferInDecision
from yibao.member import Member
from yibao.months import month_of
from yibao.parameters import Params
from yibao.vocabulary import accounts

PARAMETERS = Path(__file__).with_name("region.toml")
CODE = "shenzhen"
#: yibao.batch may evaluate this layer by shape (docs/batch.md: amounts only in the credit, contributions only as lapse.history sees them).
BATCH_CONTRACT = 1
NO_ACCOUNT = {"no_account": {"tier": 2, "parameter": "tier2_has_account", "before": "no_account_relationship_transferable"}}


def has_account(member: Member, params: Params) -> bool:
    """Tier 2 (二档) has no personal account, as the ``no_account`` setting of every
    ``[rules.*]`` table in region.toml says (the lapse rule reads it here)."""
    return accounts.has_account(member, params, NO_ACCOUNT, "lapse")


@hookimpl
def lapse_effect(member: Member, as_of: date, params: Params) -> LapseDecision:
    decision = lapse.decide(member, as_of, params, has_account=has_account(member, params))
    decision = rules.show_ceiling(decision, params, "long_gap_wait_months", "long_gap_wait_ceiling_months")  # type: ignore[assignment]
    if member.category == "retiree" or not interruptions_share_a_year(member, as_of):
        return decision
    return attrs.evolve(
        decision,
        not_modelled=decision.not_modelled + (params.not_modelled("yearly_gap_total"),),
        modelled=False,
        notes=decision.notes
        + (
            "more than one interruption within twelve months: Shenzhen counts them together in a medical-insurance year, whose start the sources do not give; continuity_reset is the latest interruption's alone",
        ),
    )


def interruptions_share_a_year(member: Member, as_of: date) -> bool:
    """Whether two interruptions up to ``as_of`` fall within twelve months of each other,
    so that they may lie in one medical-insurance year (累计中断参保 … 合并计算).

    An interruption is a run of unpaid months between paid ones, or the unpaid months
    since the last paid one. Months after ``as_of`` are not seen.
    """
    if member.contributions is None:
        return False
    now = month_of(as_of)
    gaps: list[tuple[int, int]] = []
    previous_end: int | None = None
    for start, end in member.contributions:
        if start > now:
            break
        if previous_end is not None and start > previous_end + 1:
            gaps.append((previous_end + 1, start - 1))
        previous_end = min(end, now)
    if previous_end is not None and previous_end < now:
        gaps.append((previous_end + 1, now))
    return any(later[0] - earlier[1] <= 11 for earlier, later in zip(gaps, gaps[1:]))  # both months in one 12-month window


@hookimpl
def transfer_in(member: Member, as_of: date, params: Params, origin: Origin) -> TransferInDecision | None:
    """Receiving a member from another region: Shenzhen's own wait after a long gap (its
    lapse rule); the rest is 43号's, from the national layer's parameters."""
    return arrivals.own_rule(member, as_of, params, origin, code=CODE, name="Shenzhen")
