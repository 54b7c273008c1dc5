"""The five areas, their hooks and decision types, in the order they are shown."""

from __future__ import annotations

from .decisions import CreditDecision, Decision, FamilyDecision, LapseDecision, TransferDecision, WithdrawalDecision

#: (area, hook name, decision type)
AREAS: tuple[tuple[str, str, type[Decision]], ...] = (
    ("credit", "credit_rate", CreditDecision),
    ("lapse", "lapse_effect", LapseDecision),
    ("family", "family_scope", FamilyDecision),
    ("transfer", "transfer_rules", TransferDecision),
    ("withdrawal", "withdrawal_conditions", WithdrawalDecision),
)
