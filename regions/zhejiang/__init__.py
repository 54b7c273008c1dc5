"""Zhejiang (浙江省): after a gap of more than three months pooled benefits return only
after six consecutive paid months; after a shorter gap, the next month. Only the
prior-years part of the account may be shared with relatives insured in Zhejiang.

Parameters with citations are in ``region.toml`` beside this file, with the family rule
as a ``[rules.family]`` table; what it does not define comes from the national baseline
beneath it. No Zhejiang source gives its own rule on credits, transfers or withdrawals:
there is no rule for them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs

from yibao import arrivals, hookimpl, lapse, rules
from yibao.arrivals import Origin
from yibao.decisions import LapseDecision, TransferInDecision
from yibao.member import Member
from yibao.parameters import Params

PARAMETERS = Path(__file__).with_name("region.toml")
#: yibao.batch may evaluate this layer by shape (docs/batch.md: amounts only in the credit, contributions only as lapse.history sees them).
BATCH_CONTRACT = 1
CODE = "zhejiang"


@hookimpl
def lapse_effect(member: Member, as_of: date, params: Params) -> LapseDecision | None:
    wait = params["long_gap_wait_months"]
    if wait is None or wait.layer != CODE:
        return None  # before Zhejiang's own recovery rule (2025-04-21): the national layer answers
    decision = lapse.decide(member, as_of, params, has_account=True)
    lower_rate = params["lower_rate_during_wait"]
    missing = () if lower_rate is not None else (params.not_modelled("lower_rate_during_wait"),)
    return attrs.evolve(decision, basis=decision.basis + rules.present(lower_rate), not_modelled=decision.not_modelled + missing)


@hookimpl
def transfer_in(member: Member, as_of: date, params: Params, origin: Origin) -> TransferInDecision | None:
    """Receiving a member from another region: Zhejiang's own wait after a long gap (its
    lapse rule); the rest is 43号's, from the national layer's parameters."""
    return arrivals.own_rule(member, as_of, params, origin, code=CODE, name="Zhejiang")
