"""Credit kinds: what is credited to the account each month.

``rate_on_base``: a rate on the member's contribution base (held within a floor and a
cap when the layer gives them), with the guards the regions need: a parameter that must
be in force first, retirees left to the layer below or not modelled, a tier without an
account, a tier a category may not join. Where no rate is in force, a ceiling a source
sets is shown, never applied.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from .. import rules, tracing
from ..decisions import CreditDecision
from ..errors import InputError
from ..member import Member
from ..money import ZERO, to_fen
from ..parameters import Applied, NotModelled, Params
from . import accounts
from .kinds import Kind, Setting

SETTINGS = {
    "rate": Setting("parameter", "the rate parameter (default credit_rate)"),
    "ceiling": Setting("parameter", "a ceiling shown when no rate is in force (credit_rate_ceiling)"),
    "own_rate_only": Setting("bool", "defer to the layer below unless the rate is this layer's own"),
    "requires": Setting("parameter", "a parameter that must be in force before the rule applies"),
    "before": Setting("topic", "the [not_modelled] topic while `requires` is not in force (omitted: defer)"),
    "retirees": Setting("choice", "retirees' credit: not_modelled (default) or defer", choices=("not_modelled", "defer")),
    "no_account": accounts.SETTING,
    "category_tiers": Setting(
        "table",
        "a category that may not join a tier: {category, tier, parameter, message}",
        fields={
            "category": Setting("choice", "the category", required=True, choices=("employee", "flexible", "retiree")),
            "tier": Setting("choice", "the tier it may not join", required=True, choices=(1, 2)),
            "parameter": Setting("parameter", "a bool parameter: while true the tier is refused", required=True),
            "message": Setting("text", "the input error's reason", required=True),
        },
    ),
    "base_floor": Setting("parameter", "the year's base floor (with base_cap)"),
    "base_cap": Setting("parameter", "the year's base cap (with base_floor)"),
    "limits_of": Setting("text", "whose base limits, for the not-modelled reason when none are known (e.g. Shenzhen)"),
}


def rate_on_base(member: Member, as_of: date, params: Params, settings: Mapping[str, Any]) -> CreditDecision | None:
    """The monthly credit: ``rate`` times the base, at the fen."""
    rate_name = settings.get("rate", "credit_rate")
    ceiling_name = settings.get("ceiling")
    cite = ceiling_name or rate_name
    required = settings.get("requires")
    if required is not None and params[required] is None:
        before = settings.get("before")
        if tracing.recording():
            tracing.step(
                "credit.not_yet",
                en=f"{required} is not in force: {'not modelled' if before else 'the layer below answers'}",
                zh=f"{required}尚未生效",
                params=(required,),
                outcome=None,
            )
        if before is None:
            return None
        return CreditDecision(
            has_account=accounts.has_account(member, params, settings, "credit"),
            monthly_credit=None,
            citations=params.nearest_citations(required),
            not_modelled=(params.not_modelled(before),),
            modelled=False,
        )
    rate = params[rate_name]
    if settings.get("own_rate_only") and (rate is None or rate.layer != params.owner):
        tracing.step("credit.defer", en="no rate of this layer's own: the layer below answers", zh="本层无划入比例", params=(rate_name,))
        return None
    if member.category == "retiree":
        if settings.get("retirees") == "defer":
            tracing.step("credit.retiree", en="a retiree: the layer below answers", zh="退休人员:由下层回答", facts={"category": "retiree"})
            return None
        if not accounts.has_account(member, params, settings, "credit"):
            return _no_account(params, settings)
        tracing.step(
            "credit.retiree",
            en="a retiree's credit is set by the province and not modelled",
            zh="退休人员划入额未建模",
            facts={"category": "retiree"},
            outcome=None,
        )
        return CreditDecision(
            has_account=True,
            monthly_credit=None,
            citations=params.nearest_citations(cite),
            not_modelled=(params.not_modelled("retiree_credit"),),
            modelled=False,
        )
    _refuse_tier(member, params, settings)
    if not accounts.has_account(member, params, settings, "credit"):
        return _no_account(params, settings)
    if rate is None:
        return _no_rate(params, ceiling_name, cite)
    if member.contribution_base is None:
        tracing.step("credit.no_base", en="no contribution base given", zh="未提供缴费基数", facts={"contribution_base": None})
        return CreditDecision(
            has_account=True,
            monthly_credit=None,
            rate=rate.value,
            basis=(rate,),
            not_modelled=(NotModelled("contribution_base", "the member gives no contribution_base to apply the rate to"),),
            modelled=False,
        )
    declared = to_fen(member.contribution_base)  # at the fen, as JSON shows it
    if "base_floor" not in settings and "base_cap" not in settings:
        return _credit(declared, rate, (rate,), (), ())
    floor, cap = params[settings["base_floor"]], params[settings["base_cap"]]
    base, limits, notes = _clamp(declared, floor, cap)
    missing = () if limits else (NotModelled("base_limits", _no_limits(settings, as_of)),)
    return _credit(base, rate, (rate, *limits), notes, missing, declared)


def _credit(
    base: Decimal,
    rate: Applied,
    basis: tuple[Applied, ...],
    notes: tuple[str, ...],
    missing: tuple[NotModelled, ...],
    declared: Decimal | None = None,
) -> CreditDecision:
    credit = to_fen(base * rate.value)
    if tracing.recording():
        tracing.step(
            "credit.rate_on_base",
            en=f"{rate.value} of the base {base} is {credit} a month",
            zh=f"缴费基数{base}的{rate.value}即每月{credit}元",
            facts={"contribution_base": base if declared is None else declared},
            params=tuple(applied.name for applied in basis),
            outcome=credit,
        )
    return CreditDecision(
        has_account=True,
        monthly_credit=credit,
        base_applied=base,
        rate=rate.value,
        basis=basis,
        notes=notes,
        not_modelled=missing,
        modelled=not missing,  # without the year's limits the declared base is taken on trust
    )


def _no_limits(settings: Mapping[str, Any], as_of: date) -> str:
    whose = settings.get("limits_of")
    return f"no {whose + ' ' if whose else ''}base limits known for {as_of.isoformat()}; the base is applied as given"


def _no_rate(params: Params, ceiling_name: str | None, cite: str) -> CreditDecision:
    """No rate in force: the ceiling a source sets is shown, never applied."""
    ceiling = None if ceiling_name is None else params[ceiling_name]
    basis = rules.present(ceiling)
    if tracing.recording():
        tracing.step(
            "credit.no_rate",
            en="no rate in force: not modelled" + (f" (the ceiling {ceiling.value} is shown, not applied)" if ceiling else ""),
            zh="无生效的划入比例:未建模",
            params=(ceiling_name,) if ceiling_name else (),
            outcome=None,
        )
    return CreditDecision(
        has_account=True,
        monthly_credit=None,
        basis=basis,
        citations=() if basis else params.nearest_citations(cite),
        not_modelled=(params.not_modelled("credit_rate"),),
        notes=(f"{ceiling_name} = {ceiling.value} is a ceiling, not the rate: shown, not applied",) if ceiling else (),
        modelled=False,
    )


def _no_account(params: Params, settings: Mapping[str, Any]) -> CreditDecision:
    return CreditDecision(has_account=False, monthly_credit=ZERO, **accounts.evidence(params, settings))


def _refuse_tier(member: Member, params: Params, settings: Mapping[str, Any]) -> None:
    """A category that may not join a tier (flexible workers and Shenzhen's tier 2): bad input."""
    rule = settings.get("category_tiers")
    if rule is None or member.category != rule["category"] or member.tier != rule["tier"]:
        return
    applies = params[rule["parameter"]]
    if applies is not None and applies.value:
        tracing.step("credit.tier_refused", en=rule["message"], zh=rule["message"], facts={"category": member.category, "tier": member.tier})
        raise InputError("tier", rule["message"])


def _clamp(base: Decimal, floor: Applied | None, cap: Applied | None) -> tuple[Decimal, tuple[Applied, ...], tuple[str, ...]]:
    """Hold the declared base within the year's floor and cap, saying so when it moves."""
    if floor is None or cap is None:
        return base, (), ()
    if base < floor.value:
        return floor.value, (floor, cap), (f"declared base {base} is below the floor {floor.value}; the floor applies",)
    if base > cap.value:
        return cap.value, (floor, cap), (f"declared base {base} is above the cap {cap.value}; the cap applies",)
    return base, (floor, cap), ()


RATE_ON_BASE = Kind("credit", "rate_on_base", rate_on_base, SETTINGS, "a rate on the (clamped) contribution base")
