"""Nanchang (南昌市), a city of Jiangxi: a three-month wait after a gap of more than three
months, and none after a short gap paid back (南昌发布 notice, late 2025, M).

The first built-in region with a parent: its stack is national < jiangxi < nanchang.
Only the lapse rule is Nanchang's own; every other area is Jiangxi's answer (or the
national one beneath it), whose hooks see Jiangxi's and the national values only.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from yibao import hookimpl, lapse
from yibao.decisions import LapseDecision
from yibao.member import Member
from yibao.parameters import Params

PARAMETERS = Path(__file__).with_name("region.toml")
CODE = "nanchang"


@hookimpl
def lapse_effect(member: Member, as_of: date, params: Params) -> LapseDecision | None:
    wait = params["long_gap_wait_months"]
    if wait is None or wait.layer != CODE:
        return None  # before the notice: Jiangxi (and the national layer) answer
    return lapse.decide(member, as_of, params, has_account=True)
