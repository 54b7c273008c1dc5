"""The answer first: a few plain sentences before any table.

Built from the JSON form of an evaluation (``Evaluation.to_dict()``), so it says exactly
what ``--format json`` says, in words. No terminal library here.
"""

from __future__ import annotations

from typing import Any

from .. import labels
from .values import items, list_sep, money, percent, word


def member_line(member: dict[str, Any], lang: str) -> str:
    """``Representative member (no --member given): an employee on tier 1, base 12,000.00
    yuan, paid 2019-01–2026-02, 2026-08–2026-12``: what the numbers below rest on."""
    category = labels.label("categories", member.get("category", ""), lang)
    tier = word("tier", lang, n=member["tier"]) if member.get("tier") else ""
    ranges = member.get("contributions") or []
    paid = word("paid_ranges", lang, ranges=", ".join(f"{r['from']}–{r['to']}" for r in ranges)) if ranges else ""
    base = money(member["contribution_base"]) if member.get("contribution_base") is not None else "—"
    facts = word("member_facts", lang, category=category, tier=tier, base=base, paid=paid).removesuffix(", ").removesuffix(",")
    return word("representative", lang, facts=facts)


def evaluation_lines(data: dict[str, Any], lang: str) -> list[str]:
    """One sentence per area, in the order of the table below."""
    return [
        credit(data["credit"], lang),
        lapse(data["lapse"], lang),
        family(data, lang),
        transfer(data["transfer"], lang),
        withdrawal(data["withdrawal"], lang),
    ]


def credit(area: dict[str, Any], lang: str) -> str:
    if not area["has_account"]:
        return word("credit_none", lang)
    if area["monthly_credit"] is None:
        return word("credit_not_modelled", lang)
    amount = money(area["monthly_credit"])
    if area.get("rate") is not None and area.get("base_applied") is not None:
        return word("credit_amount", lang, amount=amount, rate=percent(area["rate"]), base=money(area["base_applied"]))
    return word("credit_plain", lang, amount=amount)


def lapse(area: dict[str, Any], lang: str) -> str:
    covered, resume, end = area["pooled_benefits"], area.get("pooled_benefits_resume"), area.get("pooled_benefits_end")
    if covered is None:
        return word("benefits_not_modelled", lang)
    if covered:
        return word("benefits_back", lang, date=resume) if resume else word("benefits_covered", lang)
    if resume:
        return word("benefits_until", lang, date=resume)
    return word("benefits_stopped", lang, date=end or "—")


def has_account(data: dict[str, Any]) -> bool:
    """False only where the credit area says the member has no personal account (Shenzhen tier 2)."""
    return bool(data["credit"]["has_account"])


def family(data: dict[str, Any], lang: str) -> str:
    if not has_account(data):
        return word("family_no_account", lang)
    area = data["family"]
    relations = items("relations", area["relations"], lang)
    if not relations:
        return word("family_none", lang)
    uses = items("uses", area["uses"], lang)
    scope = labels.label("scopes", area["scope"], lang) if area.get("scope") else labels.label("values", "not_modelled", lang)
    sep = list_sep(lang)
    joined = "、".join(uses) if lang == "zh" else (" and ".join(uses) if len(uses) <= 2 else ", ".join(uses))
    return word("family_some", lang, relations=sep.join(relations), uses=joined or "—", scope=scope)


def transfer(area: dict[str, Any], lang: str) -> str:
    if area["relationship_transferable"] and area["balance_transferable"]:
        return word("transfer_both", lang)
    if area["relationship_transferable"]:
        return word("transfer_relationship", lang)
    blockers = list_sep(lang).join(items("blockers", area["blockers"], lang)) or "—"
    return word("transfer_none", lang, blockers=blockers)


def withdrawal(area: dict[str, Any], lang: str) -> str:
    grounds = items("grounds", area["grounds"], lang)
    return word("withdrawal_some", lang, grounds=list_sep(lang).join(grounds)) if grounds else word("withdrawal_none", lang)
