"""Nanchang (南昌市), a city of Jiangxi: a three-month wait after a gap of more than three
months, and none after a short gap paid back (南昌发布 notice, late 2025, M).

The first built-in region with a parent: its stack is national < jiangxi < nanchang.
Only the wait is Nanchang's own (for a lapse, and for a member moving in); every other area is Jiangxi's answer (or the
national one beneath it), whose hooks see Jiangxi's and the national values only.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from yibao import arrivals, hookimpl, lapse
from yibao.arrivals import Origin
from yibao.decisions import LapseDecision, TransferInDecision
from yibao.member import Member
from yibao.parameters import Params

PARAMETERS = Path(__file__).with_name("region.toml")
#: yibao.batch may evaluate this layer by shape (docs/batch.md: amounts only in the credit, contributions only as lapse.history sees them).
BATCH_CONTRACT = 1
CODE = "nanchang"


@hookimpl
def lapse_effect(member: Member, as_of: date, params: Params) -> LapseDecision | None:
    wait = params["long_gap_wait_months"]
    if wait is None or wait.layer != CODE:
        return None  # before the notice: Jiangxi (and the national layer) answer
    return lapse.decide(member, as_of, params, has_account=True)


@hookimpl
def transfer_in(member: Member, as_of: date, params: Params, origin: Origin) -> TransferInDecision | None:
    """A member moving to Nanchang: the notice speaks of exactly this case ("在转移接续前中断缴费"),
    so its three-month wait applies; the rest is 43号's, from the national parameters."""
    wait = arrivals.own_wait(params, CODE)
    if wait is None:
        return None  # before the notice: Jiangxi defers to the national layer (wait not modelled)
    return arrivals.decide(member, as_of, params, origin, wait=wait)
