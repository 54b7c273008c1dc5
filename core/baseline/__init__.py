"""The national baseline layer: what applies in every region unless its layer says otherwise.

It is a plugin of the same hooks as any region (as datasette's built-in features are
plugins of its own hooks); its parameters are ``national.toml`` beside this file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .. import arrivals, lapse, rules
from ..arrivals import Origin
from ..decisions import CreditDecision, FamilyDecision, LapseDecision, TransferDecision, TransferInDecision, WithdrawalDecision
from ..hookspecs import hookimpl
from ..member import Member
from ..money import to_fen
from ..parameters import NotModelled, Params

PARAMETERS = Path(__file__).with_name("national.toml")
#: yibao.batch may evaluate this layer by shape (docs/batch.md: amounts only in the credit, contributions only as lapse.history sees them).
BATCH_CONTRACT = 1


@hookimpl
def credit_rate(member: Member, as_of: date, params: Params) -> CreditDecision:
    """The individual contribution (2%) is credited; retirees' amounts are province-set and not modelled."""
    rate = params["credit_rate"]
    base = member.contribution_base
    if member.category != "retiree" and rate is not None and base is not None:
        return CreditDecision(has_account=True, monthly_credit=to_fen(base * rate.value), base_applied=base, rate=rate.value, basis=(rate,))
    if member.category == "retiree":
        missing = params.not_modelled("retiree_credit")
    elif rate is None:
        missing = NotModelled("credit_rate", f"no national credit rate in force on {as_of.isoformat()}")
    else:
        missing = NotModelled("contribution_base", "the member gives no contribution_base to apply the rate to")
    return CreditDecision(
        has_account=True,
        monthly_credit=None,
        citations=params.nearest_citations("credit_rate"),
        not_modelled=(missing,),
        modelled=False,
    )


@hookimpl
def lapse_effect(member: Member, as_of: date, params: Params) -> LapseDecision:
    return lapse.decide(member, as_of, params, has_account=True)


@hookimpl
def family_scope(member: Member, as_of: date, params: Params) -> FamilyDecision:
    return params.once("family", lambda: _family(params))  # the same for every member on a date


def _family(params: Params) -> FamilyDecision:
    scope = params["family_scope"]
    wallet = rules.present(scope, params["wallet_transfer_limit"], params["wallet_transfers_per_day"])
    return rules.family_decision(params, scope=None if scope is None else scope.value, extra=wallet)


@hookimpl
def transfer_rules(member: Member, as_of: date, params: Params) -> TransferDecision:
    return rules.transfer_decision(member, params, has_account=True)


@hookimpl
def withdrawal_conditions(member: Member, as_of: date, params: Params) -> WithdrawalDecision:
    return params.once("withdrawal", lambda: rules.withdrawal_decision(params, also_not_modelled=("withdrawal_other_grounds",)))


@hookimpl
def transfer_in(member: Member, as_of: date, params: Params, origin: Origin) -> TransferInDecision:
    """43号 where the destination is silent: a short gap paid back, benefits from the payment
    month; after a longer gap the wait is the destination's own, not modelled here (the
    national text sets only a ceiling)."""
    return arrivals.decide(member, as_of, params, origin)
