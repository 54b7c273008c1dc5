"""Interruptions inside one region: the lapse decision from a layer's parameters.

The walk (when pooled benefits stop and come back, for unpaid gaps (a) and gaps paid back
(b)) is :mod:`yibao.gaps`; this module reads the standard parameters of a layer's view
(each past gap by the rule of its own month), and builds the
:class:`~yibao.decisions.LapseDecision` with its evidence. Every layer's ``lapse_effect``
can call :func:`decide`, or name the library rule :func:`yibao.recovery.recovery`.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from . import tracing
from .decisions import LapseDecision
from .gaps import (
    BACK_PAYMENT_PARAMETERS,
    LAPSE_PARAMETERS,
    BackPayment,
    BackRule,
    History,
    Interruption,
    Rule,
    Timing,
    history,
    interruptions,
    timing,
)
from .member import Member
from .months import first_day
from .parameters import Applied, NotModelled, Params
from .rules import present

__all__ = [
    "BACK_PAYMENT_PARAMETERS",
    "LAPSE_PARAMETERS",
    "BackPayment",
    "History",
    "Interruption",
    "Timing",
    "decide",
    "history",
    "interruptions",
    "timing",
]

#: The national ceiling on any area's wait after a long gap: bounds a wait not known, never applied.
CEILING = "long_gap_wait_ceiling_months"


def decide(member: Member, as_of: date, params: Params, *, has_account: bool) -> LapseDecision:
    """The lapse decision from the standard parameters in ``params``: rule (a) for unpaid
    gaps, rule (b) for gaps paid back. Retirees, who stop paying by right, are read from
    ``retirees_keep_benefits`` where a layer defines it, and are not modelled elsewhere."""
    if member.category == "retiree":
        return _retiree(member, as_of, params, has_account)
    rules = params.once("yibao.recovery.rules", lambda: _rules(params))  # the same for every member on the date
    seen = history(member, as_of)
    earlier: dict[tuple[str, str, date], Applied] = {}  # rules of past resumptions and back payments, where not today's
    unknown_then: dict[str, NotModelled] = {}  # rules no value settled when a past gap ended
    rule_at = back_rule_at = None
    if len(seen.runs) > 1 or seen.back:  # gaps to judge, each by the rule of its own month
        todays = {id(value) for value in rules.applied if value is not None}

        def remember(then: _Then) -> None:
            for value in then.applied:
                if value is not None and id(value) not in todays:
                    earlier.setdefault((value.name, value.layer, value.start), value)
            for item in then.unknown:
                unknown_then.setdefault(item.topic, item)

        def rule_at(month: int) -> Rule:  # (closures are cheap; they run once per past gap)
            then = _view(params, month)
            remember(then.resume)
            return then.resume.values  # type: ignore[return-value]

        def back_rule_at(month: int) -> BackRule:
            then = _view(params, month)
            remember(then.back)
            return then.back.values  # type: ignore[return-value]

    long_gap, short_wait, long_wait = rules.resume
    result = timing(
        seen,
        as_of,
        long_gap=long_gap,
        short_wait=short_wait,
        long_wait=long_wait,
        rule_at=rule_at,
        back_rule=rules.back,
        back_rule_at=back_rule_at,
        wait_ceiling=rules.ceiling,
    )
    usable = rules.applied[3]
    interrupted = seen.lapsed or len(seen.runs) > 1 or bool(seen.back)
    unknown = result.unknown or (usable is None and interrupted)
    basis = rules.basis + (rules.back_basis if seen.back else ())
    missing: tuple[NotModelled, ...] = ()
    if unknown:
        topics = set(result.topics) | ({"account_usable_during_lapse"} if usable is None and interrupted else set())
        missing = _missing(params, topics, unknown_then)
        if tracing.recording():
            from .labels import parameter

            names = tuple(sorted(topics))
            en, zh = "not modelled: " + ", ".join(names), "未建模:" + "、".join(parameter(name, "zh") for name in names)
            tracing.step("lapse.not_modelled", en=en, zh=zh, params=names, outcome=None)
    return LapseDecision(
        last_paid_month=result.last_paid_month,
        pooled_benefits=result.pooled_benefits,
        pooled_benefits_end=result.pooled_benefits_end,
        pooled_benefits_resume=result.pooled_benefits_resume,
        account_usable=has_account and (not interrupted or usable is None or bool(usable.value)),
        continuity_reset=result.continuity_reset,
        gap_months=result.gap_months,
        basis=basis + tuple(earlier.values()) if earlier else basis,
        citations=() if basis else params.nearest_citations("account_usable_during_lapse"),
        not_modelled=missing,
        modelled=not unknown,
        notes=_notes(result.back_paid, result.last_paid_month),
    )


def _missing(params: Params, topics: set[str], then: dict[str, NotModelled]) -> tuple[NotModelled, ...]:
    """A reason per topic: the layer's stated one, else "no value in force", else the past gap's."""
    out: dict[str, NotModelled] = {}
    for topic in sorted(topics):
        if topic == "back_payment_month":
            out[topic] = NotModelled(topic, "the history does not give the month the gap was paid back (paid_in), from which cover returns")
        elif topic in then and params.get(topic) is not None:  # in force now, not when the gap ended
            out[topic] = then[topic]
        else:
            try:
                out[topic] = params.not_modelled(topic)
            except KeyError:
                out[topic] = NotModelled(topic, f"no value in force on {params.day.isoformat()}")
    return tuple(out.values())


def _notes(inside: bool, last_paid: int | None) -> tuple[str, ...]:
    if last_paid is None:
        return _NEVER_PAID
    if inside:
        return ("a month of a gap paid back: it counts for continuity; whether it is covered is the region's back-payment rule",)
    return ()


_NEVER_PAID = ("no contribution paid up to the as-of month",)


class _Rules(NamedTuple):
    """The recovery parameters of one layer's view on one date, read once for every member."""

    applied: tuple[Applied | None, ...]  # rule (a) and account_usable_during_lapse
    resume: Rule
    back: BackRule
    basis: tuple[Applied, ...]
    back_basis: tuple[Applied, ...]
    ceiling: int | None


def _rules(params: Params) -> _Rules:
    applied = tuple(params[name] for name in LAPSE_PARAMETERS)
    back = tuple(params.get(name) for name in BACK_PAYMENT_PARAMETERS)
    return _Rules(
        applied=applied,
        resume=tuple(None if value is None else value.value for value in applied[:3]),  # type: ignore[arg-type]
        back=_back_values(back),
        basis=present(*applied),
        back_basis=present(*back),
        ceiling=params.value(CEILING) if CEILING in params else None,
    )


def _back_values(applied: tuple[Applied | None, ...]) -> BackRule:
    allowed, most, covered, wait = (None if value is None else value.value for value in applied)
    return (None if allowed is None else bool(allowed), most, None if covered is None else bool(covered), wait)


class _Part(NamedTuple):
    applied: tuple[Applied | None, ...]
    values: tuple[Any, ...]
    unknown: tuple[NotModelled, ...]


class _Then(NamedTuple):
    resume: _Part
    back: _Part


def _view(params: Params, month: int) -> _Then:
    """Rules (a) and (b) in force on the 1st of ``month`` (a past resumption or back payment)."""
    then = params.on(first_day(month))
    return then.once("yibao.recovery.then", lambda: _then(then))  # type: ignore[no-any-return]


def _then(params: Params) -> _Then:
    day = params.day.isoformat()
    resume = tuple(params[name] for name in LAPSE_PARAMETERS[:3])
    back = tuple(params.get(name) for name in BACK_PAYMENT_PARAMETERS)

    def unknown(names: tuple[str, ...], values: tuple[Applied | None, ...]) -> tuple[NotModelled, ...]:
        why = f"no value in force on {day}, when the gap ended"
        return tuple(NotModelled(name, why) for name, value in zip(names, values) if value is None)

    return _Then(
        _Part(resume, tuple(None if value is None else value.value for value in resume), unknown(LAPSE_PARAMETERS[:3], resume)),
        _Part(back, _back_values(back), unknown(BACK_PAYMENT_PARAMETERS, back)),
    )


def _retiree(member: Member, as_of: date, params: Params, has_account: bool) -> LapseDecision:
    keeps = params.get("retirees_keep_benefits")
    last_paid = history(member, as_of).last_paid if member.contributions is not None else None
    basis = (keeps,) if keeps is not None else ()
    if keeps is None:
        return LapseDecision(
            last_paid_month=last_paid,
            pooled_benefits=None,
            pooled_benefits_end=None,
            pooled_benefits_resume=None,
            account_usable=has_account,
            continuity_reset=False,
            basis=basis,
            citations=params.nearest_citations("account_usable_during_lapse"),
            not_modelled=(params.not_modelled("retiree_benefits"),),
            modelled=False,
        )
    return LapseDecision(
        last_paid_month=last_paid,
        pooled_benefits=bool(keeps.value),
        pooled_benefits_end=None,
        pooled_benefits_resume=None,
        account_usable=has_account,
        continuity_reset=False,
        basis=basis,
        notes=("retirees stop paying by right; the member's contribution years are taken to meet the requirement",),
    )


