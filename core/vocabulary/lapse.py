"""Lapse and arrival kinds: the library rules of :mod:`yibao.recovery` and
:mod:`yibao.arrivals` (issue 16), registered so that a region states them as tables.

- ``lapse`` / ``recovery``: resuming after an unpaid gap and paying a gap back, from the
  standard lapse and back-payment parameters;
- ``transfer_in`` / ``arrival``: receiving a member who moves in, with the region's own
  wait after a long gap (``transfer_in_wait_months``), the rest from 43号.
"""

from __future__ import annotations

from ..arrivals import arrival
from ..recovery import recovery
from .kinds import Kind, Setting

RECOVERY = Kind(
    "lapse",
    "recovery",
    recovery,
    {
        "layer": Setting("text", "answer only where a recovery parameter in force comes from this layer (its code)"),
        "account": Setting("parameter", "a bool parameter: whether tier 2 has a personal account (tier2_has_account)"),
        "year_starts": Setting("months", "the months a medical-insurance year may start in, where interruptions count together"),
        "also": Setting("parameters", "parameters shown beside the answer (not modelled when none is in force)"),
    },
    "resuming after an unpaid gap and paying a gap back (yibao.recovery)",
)
ARRIVAL = Kind(
    "transfer_in",
    "arrival",
    arrival,
    {
        "layer": Setting("text", "the region whose own transfer_in_wait_months is read (its code)", required=True),
        "name": Setting("text", "its English name, for notes"),
    },
    "a member moving in: the region's own wait after a long gap, the rest from 43号 (yibao.arrivals)",
)
