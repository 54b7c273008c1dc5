"""Tiers without a personal account: a setting every area's kinds share, so that credit,
family, transfer and withdrawal read a member's tier the same way on every date.

``no_account = {tier = 2, parameter = "tier2_has_account", before = "..."}``: a member
of ``tier`` has an account only while ``parameter`` is true; with no value in force (an
older regime) the tier has none either, and the evidence is ``before``'s citations.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import tracing
from ..member import Member
from ..parameters import Params
from .kinds import Setting

SETTING = Setting(
    "table",
    "a tier without a personal account: {tier, parameter, before}",
    fields={
        "tier": Setting("choice", "the tier (1 or 2) that may have no account", required=True, choices=(1, 2)),
        "parameter": Setting("parameter", "a bool parameter: whether that tier has an account", required=True),
        "before": Setting("parameter", "whose citations show the tier had none before `parameter` has a value", required=True),
    },
)


def has_account(member: Member, params: Params, settings: Mapping[str, Any], area: str) -> bool:
    """Whether the member has a personal account under the layer's ``no_account`` setting."""
    rule = settings.get("no_account")
    if rule is None or member.tier != int(rule["tier"]):
        return True
    value = params[rule["parameter"]]
    found = False if value is None else bool(value.value)
    if tracing.recording():
        tracing.step(
            f"{area}.account",
            en=f"tier {member.tier} has {'an' if found else 'no'} personal account",
            zh=f"{member.tier}档{'有' if found else '无'}个人账户",
            facts={"tier": member.tier},
            params=(rule["parameter"],),
            outcome=found,
        )
    return found


def evidence(params: Params, settings: Mapping[str, Any]) -> dict[str, Any]:
    """``basis`` or ``citations`` for "this tier has no account" on the date."""
    rule = settings["no_account"]
    value = params[rule["parameter"]]
    if value is not None:
        return {"basis": (value,)}
    return {"citations": params.nearest_citations(rule["before"])}
