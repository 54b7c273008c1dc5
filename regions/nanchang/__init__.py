"""Nanchang (南昌市), a city of Jiangxi: a three-month wait after a gap of more than three
months (南昌发布 notice, late 2025, M), for a gap in the city and for a member moving in;
benefits the month after a gap in the city is paid back (a city page, L/M). The notice's
no-wait text is about members who transfer: 43号's rule for moves, not a rule for a gap
in the city, so a short unpaid gap in the city is not modelled.

The first built-in region with a parent: its stack is national < jiangxi < nanchang.
Only the recovery rules are Nanchang's own; every other area is Jiangxi's answer (or the
national one beneath it), whose hooks see Jiangxi's and the national values only.
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
#: yibao.batch may evaluate this layer by shape (docs/batch.md: amounts only in the credit, contributions only in the lapse).
BATCH_CONTRACT = 2
CODE = "nanchang"


@hookimpl
def lapse_effect(member: Member, as_of: date, params: Params) -> LapseDecision | None:
    return recovery.recovery(member, as_of, params, {"layer": CODE})  # before the notice: Jiangxi (the national layer) answers


@hookimpl
def transfer_in(member: Member, as_of: date, params: Params, origin: Origin) -> TransferInDecision | None:
    return arrivals.arrival(member, as_of, params, {"layer": CODE, "name": "Nanchang"})  # the notice speaks of exactly this case
