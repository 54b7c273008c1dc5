"""Transfer kinds: whether the relationship and the balance move with the member.

``blockers``: the national transfer measures (医保办发〔2021〕43号) read from the layer's
parameters (arrears, retirees, whether the balance moves), a tier without an account
blocking the balance, and further parameters the answer rests on.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from .. import rules, tracing
from ..decisions import TransferDecision
from ..member import Member
from ..parameters import Params
from . import accounts
from .kinds import Kind, Setting

SETTINGS = {
    "no_account": accounts.SETTING,
    "also": Setting("parameters", "further parameters the answer rests on (shown in its basis)"),
    "also_without_account": Setting("parameters", "further parameters shown when the member's tier has no account"),
}


def blockers(member: Member, as_of: date, params: Params, settings: Mapping[str, Any]) -> TransferDecision:
    """Blockers under 43号 and the layer's own file (:func:`yibao.rules.transfer_decision`)."""
    account = accounts.has_account(member, params, settings, "transfer")
    arrears, retired = bool(member.arrears), member.category == "retiree"  # all the rule reads of the member

    def make() -> TransferDecision:
        names = tuple(settings.get("also", ())) + (() if account else tuple(settings.get("also_without_account", ())))
        return rules.transfer_decision(member, params, has_account=account, extra=rules.present(*(params[name] for name in names)))

    # the same for every member of these facts on a date
    decision = params.once(f"transfer:{account:d}{arrears:d}{retired:d}", make)
    if tracing.recording():
        tracing.step(
            "transfer.blockers",
            en=f"blockers: {', '.join(decision.blockers) or 'none'}; the balance {'moves' if decision.balance_transferable else 'stays'}",
            zh=f"阻碍:{'、'.join(decision.blockers) or '无'};余额{'可转移' if decision.balance_transferable else '不转移'}",
            facts={"category": member.category, "arrears": member.arrears, "tier": member.tier},
            params=tuple(applied.name for applied in decision.basis),
            outcome=decision.blockers,
        )
    return decision


BLOCKERS = Kind("transfer", "blockers", blockers, SETTINGS, "43号's blockers from the layer's parameters")
