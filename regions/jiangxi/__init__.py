"""Jiangxi (江西省): the 2021 reform from 赣府厅发〔2021〕47号, and family mutual aid for
all near relatives, their medical bills and their resident premiums, with the
conditions the province sets.

Parameters with citations are in ``region.toml`` beside this file; what it does not
define comes from the national baseline beneath it. No Jiangxi source gives its own
rule on lapses, transfers or withdrawals, so those hooks defer.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from yibao import hookimpl, rules
from yibao.arrivals import Origin
from yibao.decisions import CreditDecision, FamilyDecision, LapseDecision, TransferDecision, TransferInDecision, WithdrawalDecision
from yibao.member import Member
from yibao.money import to_fen
from yibao.parameters import NotModelled, Params

PARAMETERS = Path(__file__).with_name("region.toml")
#: yibao.batch may evaluate this layer by shape (docs/batch.md: amounts only in the credit, contributions only in the lapse).
BATCH_CONTRACT = 2
CODE = "jiangxi"


@hookimpl
def credit_rate(member: Member, as_of: date, params: Params) -> CreditDecision | None:
    rate = params["credit_rate"]
    if params["reform_implemented"] is not None:
        if member.category == "retiree" or rate is None or rate.layer != CODE:
            return None  # retirees' amounts are province-set and unknown: the national layer says so
        base = None if member.contribution_base is None else to_fen(member.contribution_base)  # at the fen, as JSON shows it
        if base is None:
            return CreditDecision(
                has_account=True,
                monthly_credit=None,
                rate=rate.value,
                basis=(rate,),
                not_modelled=(NotModelled("contribution_base", "the member gives no contribution_base to apply the rate to"),),
                modelled=False,
            )
        return CreditDecision(has_account=True, monthly_credit=to_fen(base * rate.value), base_applied=base, rate=rate.value, basis=(rate,))
    return CreditDecision(
        has_account=True,
        monthly_credit=None,
        citations=params.nearest_citations("reform_implemented"),
        not_modelled=(params.not_modelled("credit_before_reform"),),
        modelled=False,
    )


@hookimpl
def lapse_effect(member: Member, as_of: date, params: Params) -> LapseDecision | None:
    return None  # no Jiangxi source on lapses: the national layer answers


@hookimpl
def family_scope(member: Member, as_of: date, params: Params) -> FamilyDecision | None:
    return params.once("family", lambda: _family(params))  # the same for every member on a date


def _family(params: Params) -> FamilyDecision | None:
    if params["reform_implemented"] is None:
        return FamilyDecision(
            relations=(),
            uses=(),
            scope=None,
            citations=params.nearest_citations("reform_implemented"),
            not_modelled=(params.not_modelled("family_before_reform"),),
            modelled=False,
        )
    uses = params["family_uses"]
    if uses is None or uses.layer != CODE:
        return None  # before Jiangxi's own statement of the uses (2025-04-21): the national layer answers
    own = params["province_mutual_aid_scope"]  # None before 2025-10-21: the wallet's reach alone
    conditions_known = params["family_conditions"] is not None
    return rules.family_with_own_channel(
        params,
        own,
        own_reach="Within Jiangxi the account reaches relatives enrolled in Jiangxi resident insurance (province)",
        also_not_modelled=("premium_amount",) + (() if conditions_known else ("family_conditions",)),
    )


@hookimpl
def transfer_rules(member: Member, as_of: date, params: Params) -> TransferDecision | None:
    return None  # no Jiangxi source on transfers: the national layer answers


@hookimpl
def withdrawal_conditions(member: Member, as_of: date, params: Params) -> WithdrawalDecision | None:
    return None  # no Jiangxi source on withdrawals: the national layer answers


@hookimpl
def transfer_in(member: Member, as_of: date, params: Params, origin: Origin) -> TransferInDecision | None:
    return None  # no Jiangxi source on receiving a transfer: the national layer answers (its wait is not modelled)
