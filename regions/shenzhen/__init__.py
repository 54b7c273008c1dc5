"""Shenzhen (深圳市): tiers 1 and 2 under Decree 358, the next-month recovery after a gap,
paying relatives' Shenzhen resident premiums and province-wide mutual aid at designated
institutions, and its own withdrawal grounds. A tier-2 member has no account, and every
area says so the same way on every date.

Parameters with citations are in ``region.toml`` beside this file; what it does not
define comes from the national baseline beneath it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from yibao import arrivals, hookimpl, recovery, rules
from yibao.arrivals import Origin
from yibao.decisions import (
    CreditDecision,
    FamilyChannel,
    FamilyDecision,
    LapseDecision,
    TransferDecision,
    TransferInDecision,
    WithdrawalDecision,
)
from yibao.errors import InputError
from yibao.member import Member
from yibao.money import ZERO, to_fen
from yibao.parameters import Applied, NotModelled, Params

PARAMETERS = Path(__file__).with_name("region.toml")
CODE = "shenzhen"
#: yibao.batch may evaluate this layer by shape (docs/batch.md: amounts only in the credit, contributions only in the lapse).
BATCH_CONTRACT = 2


def has_account(member: Member, params: Params) -> bool:
    """Tier 2 (二档) has no personal account; tier 1 and flexible workers do.

    Before Decree 358 (no ``tier2_has_account`` in force) tier 2 of the old regime had no
    account either (深圳医保转出有余额要求嘛: "无个人账户的参保人 (如二、三档参保人)"), so
    every area reads the member's tier the same way on every date, retirees included.
    """
    tier2 = params["tier2_has_account"]
    if member.tier != 2:
        return True
    return False if tier2 is None else bool(tier2.value)


def _no_account_evidence(params: Params) -> dict[str, Any]:
    """``basis`` or ``citations`` for "tier 2 has no account" on the date: the Decree-358
    value, or before it the page that speaks of the old regime's tiers 2 and 3."""
    basis = rules.present(params["tier2_has_account"])
    if basis:
        return {"basis": basis}
    return {"citations": params.nearest_citations("no_account_relationship_transferable")}


@hookimpl
def credit_rate(member: Member, as_of: date, params: Params) -> CreditDecision | None:
    rate = params["tier1_credit_rate"]
    if rate is None:  # before Decree 358: tiers 1-3 of the old regime, not modelled (not the national 2%)
        return CreditDecision(
            has_account=has_account(member, params),
            monthly_credit=None,
            citations=params.nearest_citations("tier1_credit_rate"),
            not_modelled=(params.not_modelled("tier3"),),
            modelled=False,
        )
    if member.category == "retiree" and not has_account(member, params):
        return CreditDecision(has_account=False, monthly_credit=ZERO, **_no_account_evidence(params))
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
        return CreditDecision(has_account=False, monthly_credit=ZERO, **_no_account_evidence(params))
    if member.contribution_base is None:
        return CreditDecision(
            has_account=True,
            monthly_credit=None,
            rate=rate.value,
            basis=(rate,),
            not_modelled=(NotModelled("contribution_base", "the member gives no contribution_base to apply the rate to"),),
            modelled=False,
        )
    base, limits, notes = _clamp(to_fen(member.contribution_base), params["base_floor"], params["base_cap"])  # at the fen, as JSON shows it
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
def lapse_effect(member: Member, as_of: date, params: Params) -> LapseDecision | None:
    return recovery.recovery(member, as_of, params, SETTINGS)


#: Tier 2 has no account (as :func:`has_account` reads it); interruptions count together in a
#: medical-insurance year that starts in January or in July (the sources give both readings).
SETTINGS = {"account": "tier2_has_account", "year_starts": (1, 7)}


@hookimpl
def family_scope(member: Member, as_of: date, params: Params) -> FamilyDecision | None:
    if not has_account(member, params):
        return params.once("family-no-account", lambda: _no_account_family(params))
    if params["premium_scope"] is None:
        return None  # before Decree 358: the national layer answers
    return params.once("family", lambda: _family(params))  # the same for every tier-1 member on a date


def _no_account_family(params: Params) -> FamilyDecision:
    """Tier 2 has no account: no relatives and no uses, as credit and transfer say."""
    return FamilyDecision(
        relations=(),
        uses=(),
        scope=None,
        **_no_account_evidence(params),
        notes=("tier 2 (二档) has no personal account: no relative can use one",),
    )


def _family(params: Params) -> FamilyDecision:
    """Each channel with its own reach, relatives, uses and conditions:

    - paying the Shenzhen resident premiums of spouse, parents and children (Decree 358,
      from 2023-10-01; the city: pooling_area);
    - authorising relatives insured in the province at designated institutions (seen in
      force 2025-06-20; the province); before that, the national mutual aid, whose reach
      no source gives (scope null, not modelled);
    - the national wallet (from 2025-09; nationwide).

    ``relations`` and ``uses`` cover every channel; ``scope`` and ``conditions`` are the
    widest channel's.
    """
    relations = params["family_relations"]
    premium = FamilyChannel(
        channel="resident_premium_payment",
        scope=params["premium_scope"].value,  # type: ignore[union-attr]
        relations=params.value("premium_relations") or (),
        uses=("resident_premium",),
        conditions=params.value("premium_conditions") or (),
    )
    channels: list[FamilyChannel] = []
    facility = params["facility_mutual_aid_scope"]
    if facility is not None:
        channels.append(
            FamilyChannel(
                channel="facility_authorisation",
                scope=facility.value,
                relations=() if relations is None else relations.value,
                uses=params.value("facility_uses") or (),
                conditions=params.value("family_conditions") or (),
            )
        )
    else:  # before the article shows the province channel: the national mutual aid, reach unknown
        channels.append(
            FamilyChannel(
                channel="mutual_aid",
                scope=None,
                relations=() if relations is None else relations.value,
                uses=params.value("family_uses") or (),
            )
        )
    channels.append(premium)
    wallet = rules.wallet_channel(params)
    if wallet is not None:
        channels.append(wallet)
    reach_unknown = any(channel.scope is None for channel in channels)
    widest = None if reach_unknown else rules.widest_channel(tuple(channels))
    basis = rules.present(
        params["premium_relations"],
        params["premium_scope"],
        params["premium_conditions"],
        facility,
        params["facility_uses"],
        params["family_conditions"],
        relations,
        params["family_scope"],
        params["family_uses"] if wallet is not None or facility is None else None,
        params["wallet_conditions"] if wallet is not None else None,
    )
    also = (("family_relations_guangdong",) if facility is not None else ("family_scope",)) + rules.wallet_unknowns(params)
    return FamilyDecision(
        relations=_union(channel.relations for channel in channels),
        uses=_union(channel.uses for channel in channels),
        scope=None if widest is None else widest.scope,
        conditions=() if widest is None else widest.conditions,
        channels=tuple(channels),
        basis=basis,
        not_modelled=tuple(params.not_modelled(topic) for topic in also),
        modelled=not reach_unknown,
        notes=("each channel reaches its own relatives on its own conditions (channels); scope and conditions are the widest channel's",)
        if len(channels) > 1
        else (),
    )


def _union(groups: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    """Codes of every group, in first-seen order."""
    seen: dict[str, None] = {}
    for group in groups:
        for code in group:
            seen.setdefault(code)
    return tuple(seen)


@hookimpl
def transfer_rules(member: Member, as_of: date, params: Params) -> TransferDecision:
    account = has_account(member, params)
    extra = rules.present(params["transfer_minimum_balance"], None if account else params["no_account_relationship_transferable"])
    return rules.transfer_decision(member, params, has_account=account, extra=extra)


@hookimpl
def withdrawal_conditions(member: Member, as_of: date, params: Params) -> WithdrawalDecision:
    if not has_account(member, params):
        return WithdrawalDecision(
            grounds=(), **_no_account_evidence(params), notes=("tier 2 (二档) has no personal account: no balance to pay out",)
        )
    return params.once("withdrawal", lambda: rules.withdrawal_decision(params, extra=rules.present(params["withdrawal_working_days"])))


@hookimpl
def transfer_in(member: Member, as_of: date, params: Params, origin: Origin) -> TransferInDecision | None:
    return arrivals.arrival(member, as_of, params, {"layer": CODE, "name": "Shenzhen"})
