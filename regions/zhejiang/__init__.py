"""Zhejiang (浙江省): after an unpaid gap of more than three months pooled benefits return
only after six consecutive paid months; after a gap paid back, from the 4th month after
the back payment (a Zhejiang-wide page, against the Hangzhou pages: see hangzhou). Only
the prior-years part of the account may be shared with relatives insured in Zhejiang.

Parameters with citations are in ``region.toml`` beside this file; what it does not
define comes from the national baseline beneath it. No Zhejiang source gives its own
rule on credits, transfers or withdrawals, so those hooks defer.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs

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
from yibao.member import Member
from yibao.parameters import Params

PARAMETERS = Path(__file__).with_name("region.toml")
#: yibao.batch may evaluate this layer by shape (docs/batch.md: amounts only in the credit, contributions only in the lapse).
BATCH_CONTRACT = 2
CODE = "zhejiang"


@hookimpl
def credit_rate(member: Member, as_of: date, params: Params) -> CreditDecision | None:
    return None  # Zhejiang's refinements are not in the sources: the national layer answers


@hookimpl
def lapse_effect(member: Member, as_of: date, params: Params) -> LapseDecision | None:
    return recovery.recovery(member, as_of, params, SETTINGS)  # before Zhejiang's own rules (2025-04-21): the national layer answers


#: The recovery rule's settings: Zhejiang's own values only; whether the wait lowers reimbursement shown beside them.
SETTINGS = {"layer": CODE, "also": ("lower_rate_during_wait",)}


@hookimpl
def family_scope(member: Member, as_of: date, params: Params) -> FamilyDecision | None:
    return params.once("family", lambda: _family(params))  # the same for every member on a date


def _family(params: Params) -> FamilyDecision | None:
    own = params["province_mutual_aid_scope"]
    if own is None:
        return None  # before the Zhejiang statement (2026-01-10): the national layer answers
    decision = rules.family_with_own_channel(
        params,
        own,
        own_reach="Zhejiang's own mutual aid reaches relatives insured in Zhejiang (province), from the prior-years part only",
        also_not_modelled=("prior_years_amount", "family_relations_zhejiang", "vaccination"),
        own_uses=("medical_expenses",),
    )
    premium = params["premium_conditions"]
    if premium is None:
        return decision
    relations = params["family_relations"]
    channel = FamilyChannel(
        channel="resident_premium_payment",
        scope=own.value,
        relations=() if relations is None else relations.value,
        uses=("resident_premium",),
        conditions=premium.value,
    )
    return attrs.evolve(decision, channels=(decision.channels[0], channel, *decision.channels[1:]), basis=decision.basis + (premium,))


@hookimpl
def transfer_rules(member: Member, as_of: date, params: Params) -> TransferDecision | None:
    return None  # no Zhejiang source on transfers: the national layer answers


@hookimpl
def withdrawal_conditions(member: Member, as_of: date, params: Params) -> WithdrawalDecision | None:
    return None  # no Zhejiang source on withdrawals (Hangzhou's settlement is a city rule): the national layer answers


@hookimpl
def transfer_in(member: Member, as_of: date, params: Params, origin: Origin) -> TransferInDecision | None:
    return arrivals.arrival(member, as_of, params, {"layer": CODE, "name": "Zhejiang"})
