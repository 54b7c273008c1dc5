"""Jiangxi (江西省): the 2021 reform from 赣府厅发〔2021〕47号, and family mutual aid for
all near relatives, their medical bills and their resident premiums, with the
conditions the province sets.

Parameters with citations are in ``region.toml`` beside this file, with the credit and
family rules as ``[rules.*]`` tables; what it does not define comes from the national
baseline beneath it. No Jiangxi source gives its own rule on lapses, transfers or
withdrawals: the lapse hooks below defer, and there is no rule for the other two.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from yibao import hookimpl
from yibao.arrivals import Origin
from yibao.decisions import LapseDecision, TransferInDecision
from yibao.member import Member
from yibao.parameters import Params

PARAMETERS = Path(__file__).with_name("region.toml")
#: yibao.batch may evaluate this layer by shape (docs/batch.md: amounts only in the credit, contributions only as lapse.history sees them).
BATCH_CONTRACT = 1
CODE = "jiangxi"


@hookimpl
def lapse_effect(member: Member, as_of: date, params: Params) -> LapseDecision | None:
    return None  # no Jiangxi source on lapses: the national layer answers


@hookimpl
def transfer_in(member: Member, as_of: date, params: Params, origin: Origin) -> TransferInDecision | None:
    return None  # no Jiangxi source on receiving a transfer: the national layer answers (its wait is not modelled)
