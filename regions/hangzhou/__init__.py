"""Hangzhou (杭州市), a city of Zhejiang: the balance is settled (paid out) for a member
without Hangzhou household registration who is insured in no other pooling area, beside
the national grounds; a gap of up to three months paid back restores benefits the month
after the back payment, and costs incurred during the gap are not reimbursed (Hangzhou
pages, L, disputed).

Its stack is national < zhejiang < hangzhou: only the withdrawal grounds and the
back-payment rule are Hangzhou's own; every other area is Zhejiang's answer or the
national one beneath it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from yibao import hookimpl, recovery, rules
from yibao.decisions import LapseDecision, WithdrawalDecision
from yibao.member import Member
from yibao.parameters import Params

PARAMETERS = Path(__file__).with_name("region.toml")
#: yibao.batch may evaluate this layer by shape (docs/batch.md: amounts only in the credit, contributions only in the lapse).
BATCH_CONTRACT = 2
CODE = "hangzhou"


@hookimpl
def withdrawal_conditions(member: Member, as_of: date, params: Params) -> WithdrawalDecision | None:
    grounds = params["withdrawal_grounds"]
    if grounds is None or grounds.layer != CODE:
        return None  # before the Hangzhou pages: Zhejiang (the national layer) answers
    return params.once("withdrawal", lambda: rules.withdrawal_decision(params, also_not_modelled=("hangzhou_other_grounds",)))


@hookimpl
def lapse_effect(member: Member, as_of: date, params: Params) -> LapseDecision | None:
    return recovery.recovery(member, as_of, params, {"layer": CODE, "also": ("lower_rate_during_wait",)})  # else Zhejiang answers
