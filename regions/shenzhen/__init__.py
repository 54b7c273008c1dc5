"""Shenzhen (深圳市): tiers 1 and 2 under Decree 358, the next-month recovery after a gap,
paying relatives' Shenzhen resident premiums and province-wide mutual aid at designated
institutions, and its own withdrawal grounds. A tier-2 member has no account, and every
area says so the same way on every date.

Parameters with citations are in ``region.toml`` beside this file, with the credit,
family, transfer and withdrawal rules as ``[rules.*]`` tables; what it does not define
comes from Guangdong and the national baseline beneath it. The lapse and arrival rules
are the library rules called below.
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
CODE = "shenzhen"
#: yibao.batch may evaluate this layer by shape (docs/batch.md: amounts only in the credit, contributions only as lapse.history sees them).
BATCH_CONTRACT = 1


@hookimpl
def lapse_effect(member: Member, as_of: date, params: Params) -> LapseDecision | None:
    return recovery.recovery(member, as_of, params, SETTINGS)


#: Tier 2 has no account (as the tables' ``no_account`` settings read it); interruptions count together in a
#: medical-insurance year that starts in January or in July (the sources give both readings).
SETTINGS = {"account": "tier2_has_account", "year_starts": (1, 7)}


@hookimpl
def transfer_in(member: Member, as_of: date, params: Params, origin: Origin) -> TransferInDecision | None:
    return arrivals.arrival(member, as_of, params, {"layer": CODE, "name": "Shenzhen"})
