"""The national baseline layer: what applies in every region unless its layer says otherwise.

It is a plugin of the same hooks as any region (as datasette's built-in features are
plugins of its own hooks); its parameters are ``national.toml`` beside this file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .. import arrivals, recovery, rules
from ..arrivals import Origin
from ..decisions import CreditDecision, FamilyDecision, LapseDecision, TransferDecision, TransferInDecision, WithdrawalDecision
from ..hookspecs import hookimpl
from ..member import Member
from ..money import to_fen
from ..parameters import Applied, NotModelled, Params

PARAMETERS = Path(__file__).with_name("national.toml")
#: yibao.batch may evaluate this layer by shape (docs/batch.md: amounts only in the credit, contributions only in the lapse).
BATCH_CONTRACT = 2


@hookimpl
def credit_rate(member: Member, as_of: date, params: Params) -> CreditDecision:
    """A layer's ``credit_rate`` times the base. 国办发〔2021〕14号 leaves the rate to each
    province and caps it at 2%: where no layer gives a rate, the ceiling is shown and the
    credit is not modelled. Retirees' amounts are province-set and not modelled."""
    rate = params["credit_rate"]
    base = None if member.contribution_base is None else to_fen(member.contribution_base)  # the base JSON shows is the one applied
    if member.category != "retiree" and rate is not None and base is not None:
        return CreditDecision(has_account=True, monthly_credit=to_fen(base * rate.value), base_applied=base, rate=rate.value, basis=(rate,))
    ceiling = params["credit_rate_ceiling"]
    basis: tuple[Applied, ...] = ()
    notes: tuple[str, ...] = ()
    if member.category == "retiree":
        missing = params.not_modelled("retiree_credit")
    elif rate is None:
        missing = params.not_modelled("credit_rate")
        basis = rules.present(ceiling)
        notes = (f"credit_rate_ceiling = {ceiling.value} is a ceiling, not the rate: shown, not applied",) if ceiling else ()
    else:
        missing = NotModelled("contribution_base", "the member gives no contribution_base to apply the rate to")
        basis = (rate,)
    return CreditDecision(
        has_account=True,
        monthly_credit=None,
        rate=None if rate is None else rate.value,
        basis=basis,
        citations=() if basis else params.nearest_citations("credit_rate_ceiling"),
        not_modelled=(missing,),
        notes=notes,
        modelled=False,
    )


@hookimpl
def lapse_effect(member: Member, as_of: date, params: Params) -> LapseDecision:
    """The shared walk (rules (a) and (b) of :mod:`yibao.lapse`). The national sources set
    neither: a gap inside a region whose own layer is silent is not modelled, never
    judged by 43号's sentences about moves."""
    return recovery.decide(member, as_of, params, has_account=True)


@hookimpl
def family_scope(member: Member, as_of: date, params: Params) -> FamilyDecision:
    return params.once("family", lambda: _family(params))  # the same for every member on a date


def _family(params: Params) -> FamilyDecision:
    scope = params["family_scope"]
    wallet = rules.present(scope, params["wallet_transfer_limit"], params["wallet_transfers_per_day"], params["wallet_conditions"])
    channel = rules.wallet_channel(params)
    return rules.family_decision(
        params,
        scope=None if scope is None else scope.value,
        extra=wallet,
        conditions=() if channel is None else channel.conditions,
        channels=() if channel is None else (channel,),
        also_not_modelled=rules.wallet_unknowns(params),
    )


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
