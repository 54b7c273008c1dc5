"""Zhejiang (浙江省): after an unpaid gap of more than three months pooled benefits return
only after six consecutive paid months; after a gap paid back, from the 4th month after
the back payment (a Zhejiang-wide page, against the Hangzhou pages: see hangzhou). Only
the prior-years part of the account may be shared with relatives insured in Zhejiang.

Parameters with citations are in ``region.toml`` beside this file, with the family rule
as a ``[rules.family]`` table; what it does not define comes from the national baseline
beneath it. No Zhejiang source gives its own rule on credits, transfers or withdrawals:
there is no rule for them.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path


from yibao import arrivals, hookimpl, recovery
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
    return recovery.recovery(member, as_of, params, SETTINGS)  # before Zhejiang's own rules (2025-04-21): the national layer answers


#: The recovery rule's settings: Zhejiang's own values only; whether the wait lowers reimbursement shown beside them.
SETTINGS = {"layer": CODE, "also": ("lower_rate_during_wait",)}


@hookimpl
def transfer_in(member: Member, as_of: date, params: Params, origin: Origin) -> TransferInDecision | None:
    return arrivals.arrival(member, as_of, params, {"layer": CODE, "name": "Zhejiang"})
