"""The five areas, their hooks and decision types, in the order they are shown; and
every hook a layer may implement (the five, and ``transfer_in`` for the destination of
a move, which is not an area of an evaluation)."""

from __future__ import annotations

from .decisions import CreditDecision, Decision, FamilyDecision, LapseDecision, TransferDecision, TransferInDecision, WithdrawalDecision

#: (area, hook name, decision type)
AREAS: tuple[tuple[str, str, type[Decision]], ...] = (
    ("credit", "credit_rate", CreditDecision),
    ("lapse", "lapse_effect", LapseDecision),
    ("family", "family_scope", FamilyDecision),
    ("transfer", "transfer_rules", TransferDecision),
    ("withdrawal", "withdrawal_conditions", WithdrawalDecision),
)

#: Hooks asked outside an evaluation: (name the answer is filed under, hook name, decision type).
MOVE_HOOKS: tuple[tuple[str, str, type[Decision]], ...] = (("transfer_in", "transfer_in", TransferInDecision),)

#: Every hook spec, the five areas' first.
HOOKS: tuple[tuple[str, str, type[Decision]], ...] = AREAS + MOVE_HOOKS
