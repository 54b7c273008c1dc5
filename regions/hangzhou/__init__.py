"""Hangzhou (杭州市), a city of Zhejiang: the balance is settled (paid out) for a member
without Hangzhou household registration who is insured in no other pooling area
(Hangzhou pages, L), beside the national grounds.

Its stack is national < zhejiang < hangzhou: only the withdrawal grounds are Hangzhou's
own; every other area is Zhejiang's answer or the national one beneath it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from yibao import hookimpl, rules
from yibao.decisions import WithdrawalDecision
from yibao.member import Member
from yibao.parameters import Params

PARAMETERS = Path(__file__).with_name("region.toml")
#: yibao.batch may evaluate this layer by shape (docs/batch.md: amounts only in the credit, contributions only as lapse.history sees them).
BATCH_CONTRACT = 1
CODE = "hangzhou"


@hookimpl
def withdrawal_conditions(member: Member, as_of: date, params: Params) -> WithdrawalDecision | None:
    grounds = params["withdrawal_grounds"]
    if grounds is None or grounds.layer != CODE:
        return None  # before the Hangzhou pages: Zhejiang (the national layer) answers
    return params.once("withdrawal", lambda: rules.withdrawal_decision(params, also_not_modelled=("hangzhou_other_grounds",)))
