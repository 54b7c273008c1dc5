"""Shenzhen (深圳市): tiers 1 and 2 under Decree 358, the next-month recovery after a gap,
province-wide mutual aid at designated institutions, and its own withdrawal grounds.

Parameters with citations are in ``region.toml`` beside this file; what it does not
define comes from the national baseline beneath it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from yibao import arrivals, hookimpl, lapse, rules
from yibao.arrivals import Origin
from yibao.decisions import CreditDecision, FamilyDecision, LapseDecision, TransferDecision, TransferInDecision, WithdrawalDecision
from yibao.errors import InputError
from yibao.member import Member
from yibao.money import ZERO, to_fen
from yibao.parameters import Applied, NotModelled, Params

PARAMETERS = Path(__file__).with_name("region.toml")
CODE = "shenzhen"
#: yibao.batch may evaluate this layer by shape (docs/batch.md: amounts only in the credit, contributions only as lapse.history sees them).
BATCH_CONTRACT = 1


def has_account(member: Member, params: Params) -> bool:
    """Tier 2 (二档) has no personal account; tier 1 and flexible workers do."""
    tier2 = params["tier2_has_account"]
    return not (member.tier == 2 and tier2 is not None and not tier2.value)


@hookimpl
def credit_rate(member: Member, as_of: date, params: Params) -> CreditDecision | None:
    rate = params["tier1_credit_rate"]
    if rate is None:  # before Decree 358: tiers 1-3 of the old regime, not modelled (not the national 2%)
        return CreditDecision(
            has_account=member.tier != 2,
            monthly_credit=None,
            citations=params.nearest_citations("tier1_credit_rate"),
            not_modelled=(params.not_modelled("tier3"),),
            modelled=False,
        )
    if member.category == "retiree":
        return CreditDecision(
            has_account=True,
            monthly_credit=None,
            citations=params.nearest_citations("tier1_credit_rate"),
            not_modelled=(params.not_modelled("retiree_credit"),),
            modelled=False,
        )
    flexible_rule = params["flexible_tier1_only"]
    if member.category == "flexible" and member.tier == 2 and flexible_rule is not None and flexible_rule.value:
        raise InputError("tier", "flexible-employment workers join tier 1 (一档) in Shenzhen; tier 2 is for employees")
    if not has_account(member, params):
        return CreditDecision(has_account=False, monthly_credit=ZERO, basis=(params["tier2_has_account"],))  # type: ignore[arg-type]
    if member.contribution_base is None:
        return CreditDecision(
            has_account=True,
            monthly_credit=None,
            rate=rate.value,
            basis=(rate,),
            not_modelled=(NotModelled("contribution_base", "the member gives no contribution_base to apply the rate to"),),
            modelled=False,
        )
    base, limits, notes = _clamp(member.contribution_base, params["base_floor"], params["base_cap"])
    missing = (
        ()
        if limits
        else (NotModelled("base_limits", f"no Shenzhen base limits known for {as_of.isoformat()}; the base is applied as given"),)
    )
    return CreditDecision(
        has_account=True,
        monthly_credit=to_fen(base * rate.value),
        base_applied=base,
        rate=rate.value,
        basis=(rate, *limits),
        notes=notes,
        not_modelled=missing,
        modelled=not missing,  # without the year's limits the declared base is taken on trust
    )


def _clamp(base: Decimal, floor: Applied | None, cap: Applied | None) -> tuple[Decimal, tuple[Applied, ...], tuple[str, ...]]:
    """Hold the declared base within the year's floor and cap, saying so when it moves."""
    if floor is None or cap is None:
        return base, (), ()
    if base < floor.value:
        return floor.value, (floor, cap), (f"declared base {base} is below the floor {floor.value}; the floor applies",)
    if base > cap.value:
        return cap.value, (floor, cap), (f"declared base {base} is above the cap {cap.value}; the cap applies",)
    return base, (floor, cap), ()


@hookimpl
def lapse_effect(member: Member, as_of: date, params: Params) -> LapseDecision:
    return lapse.decide(member, as_of, params, has_account=has_account(member, params))


@hookimpl
def family_scope(member: Member, as_of: date, params: Params) -> FamilyDecision | None:
    return params.once("family", lambda: _family(params))  # the same for every member on a date


def _family(params: Params) -> FamilyDecision | None:
    facility = params["facility_mutual_aid_scope"]
    if facility is None:
        return None  # before the source's date: the national layer answers
    return rules.family_with_own_channel(
        params,
        facility,
        own_reach="Shenzhen's own channel, authorising relatives at designated institutions, reaches the province",
        also_not_modelled=("resident_premium", "family_relations_guangdong"),
    )


@hookimpl
def transfer_rules(member: Member, as_of: date, params: Params) -> TransferDecision:
    account = has_account(member, params)
    extra = rules.present(params["transfer_minimum_balance"], None if account else params["no_account_relationship_transferable"])
    return rules.transfer_decision(member, params, has_account=account, extra=extra)


@hookimpl
def withdrawal_conditions(member: Member, as_of: date, params: Params) -> WithdrawalDecision:
    return params.once("withdrawal", lambda: rules.withdrawal_decision(params, extra=rules.present(params["withdrawal_working_days"])))


@hookimpl
def transfer_in(member: Member, as_of: date, params: Params, origin: Origin) -> TransferInDecision | None:
    """Receiving a member from another region: Shenzhen's own wait after a long gap (its
    lapse rule); the rest is 43号's, from the national layer's parameters."""
    wait = arrivals.own_wait(params, CODE)
    if wait is None:
        return None  # before Shenzhen's own wait is known: the national layer answers (wait not modelled)
    return arrivals.decide(member, as_of, params, origin, wait=wait, notes=_short_gap_note(params))


def _short_gap_note(params: Params) -> tuple[str, ...]:
    own = params.get("short_gap_wait_months")
    if own is None or own.layer != CODE or own.value == params.value("transfer_in_short_gap_wait_months"):
        return ()
    return (
        f"Shenzhen's own rule after a short interruption within Shenzhen is a wait of {own.value} month(s) (L); for a gap of up to "
        "3 months before a move, paid back at the destination, 43号 (M) gives benefits from the payment month, which is applied.",
    )
