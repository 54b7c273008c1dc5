"""Withdrawal kinds: the grounds on which the balance is paid out in cash.

``grounds``: the list ``withdrawal_grounds`` in force on the date, optionally only when
this layer states it (a city adding a ground of its own), with a tier without an account
having none, and further parameters or open topics reported beside it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from .. import rules, tracing
from ..decisions import WithdrawalDecision
from ..member import Member
from ..parameters import Params
from . import accounts
from .kinds import Kind, Setting

SETTINGS = {
    "own_only": Setting("bool", "defer to the layer below unless withdrawal_grounds is this layer's own"),
    "no_account": accounts.SETTING,
    "no_account_note": Setting("text", "the note when the member's tier has no account"),
    "also": Setting("parameters", "further parameters the answer rests on (shown in its basis)"),
    "also_not_modelled": Setting("topics", "[not_modelled] topics reported beside the grounds"),
}


def grounds(member: Member, as_of: date, params: Params, settings: Mapping[str, Any]) -> WithdrawalDecision | None:
    """The grounds in force (:func:`yibao.rules.withdrawal_decision`)."""
    if settings.get("own_only"):
        listed = params["withdrawal_grounds"]
        if listed is None or listed.layer != params.owner:
            tracing.step("withdrawal.defer", en="no grounds of this layer's own", zh="本层未规定支取情形", params=("withdrawal_grounds",))
            return None
    if not accounts.has_account(member, params, settings, "withdrawal"):
        note = settings.get("no_account_note", "this tier has no personal account: no balance to pay out")
        tracing.step("withdrawal.no_account", en=note, zh="无个人账户:无余额可支取", facts={"tier": member.tier}, outcome=())
        return WithdrawalDecision(grounds=(), **accounts.evidence(params, settings), notes=(note,))
    decision = params.once("withdrawal:grounds", lambda: _grounds(params, settings))  # the same for every member on a date
    if tracing.recording():
        tracing.step(
            "withdrawal.grounds",
            en=f"paid out on: {', '.join(decision.grounds) or 'no ground modelled'}",
            zh=f"可支取情形:{'、'.join(decision.grounds) or '未建模'}",
            params=("withdrawal_grounds",),
            outcome=decision.grounds,
        )
    return decision


def _grounds(params: Params, settings: Mapping[str, Any]) -> WithdrawalDecision:
    extra = rules.present(*(params[name] for name in settings.get("also", ())))
    return rules.withdrawal_decision(params, extra=extra, also_not_modelled=tuple(settings.get("also_not_modelled", ())))


GROUNDS = Kind("withdrawal", "grounds", grounds, SETTINGS, "the grounds listed by withdrawal_grounds")
