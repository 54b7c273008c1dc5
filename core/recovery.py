"""Library rules for interruptions inside one region: rules (a) and (b) of :mod:`yibao.gaps`.

A rule has the signature ``rule(member, as_of, params, settings) -> Decision | None``
(``settings``: the options a region sets, may be empty), so that a region's
``lapse_effect`` is a one-line call, or a ``[rules.lapse] kind = "recovery"`` table once
the vocabulary registers it. The walk with the standard parameters is
:func:`yibao.lapse.decide`; :func:`recovery` is the kind, with its settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import attrs

from . import tracing
from .decisions import LapseDecision
from .gaps import BACK_PAYMENT_PARAMETERS, LAPSE_PARAMETERS, history
from .lapse import decide
from .member import Member
from .months import format_month
from .parameters import Params
from .rules import present

def recovery(member: Member, as_of: date, params: Params, settings: Mapping[str, Any]) -> LapseDecision | None:
    """Kind ``recovery``: rules (a) resuming after an unpaid gap and (b) paying a gap back,
    from the standard parameters (:data:`~yibao.lapse.LAPSE_PARAMETERS`,
    :data:`~yibao.lapse.BACK_PAYMENT_PARAMETERS`). Settings, all optional:

    - ``layer``: answer only where a recovery parameter in force on the date comes from
      this layer (``None`` otherwise: the layer beneath answers);
    - ``account``: a bool parameter saying whether tier 2 has a personal account
      (``tier2_has_account``); without it every member has one;
    - ``year_starts``: the months (1-12) a medical-insurance year may start in, where the
      region counts interruptions together within a year (Shenzhen: ``[1, 7]``); an
      answer both readings give is given, else ``yearly_gap_total`` is not modelled;
    - ``also``: parameters shown beside the answer (``not_modelled`` when none is in force).
    """
    layer = settings.get("layer")
    if layer is not None and not _own(params, layer):
        return None
    account = settings.get("account")
    has_account = True
    if account is not None and member.tier == 2:
        value = params[account]
        has_account = False if value is None else bool(value.value)
    decision = decide(member, as_of, params, has_account=has_account)
    starts = settings.get("year_starts")
    if starts and member.category != "retiree":
        decision = yearly_total(decision, member, as_of, params, tuple(starts))
    also = tuple(settings.get("also", ()))
    if also:
        values = tuple(params[name] for name in also)
        missing = tuple(params.not_modelled(name) for name, value in zip(also, values) if value is None)
        decision = attrs.evolve(decision, basis=decision.basis + present(*values), not_modelled=decision.not_modelled + missing)
    return decision


def _own(params: Params, layer: str) -> bool:
    names = (*LAPSE_PARAMETERS[:3], *BACK_PAYMENT_PARAMETERS)
    return any((value := params.get(name)) is not None and value.layer == layer for name in names)


# ------------------------------------------------------------------ yearly totals


def gaps(member: Member, as_of: date) -> list[tuple[int, int]]:
    """The interruptions up to ``as_of`` (months not paid on time, back-paid ones included:
    a gap paid back is still an interruption the year counts), as (first, last) months."""
    seen = history(member, as_of)
    found = [(a[1] + 1, b[0] - 1) for a, b in zip(seen.runs, seen.runs[1:])]
    found += [(b.start, b.end) for b in seen.back if b.start not in {start for start, _ in seen.runs}]
    if seen.lapsed:
        found.append((seen.runs[-1][1] + 1, seen.as_of_month))
    return sorted(found)


def yearly_reset(found: list[tuple[int, int]], limit: int, start_month: int) -> bool:
    """Whether the medical-insurance year (starting in ``start_month``) that holds the latest
    interruption counts more than ``limit`` interrupted months (累计中断参保 … 超过3个月)."""
    last = found[-1][1]
    first = last - (last - (start_month - 1)) % 12  # the first month of that year
    months = sum(max(0, min(b, last) - max(a, first) + 1) for a, b in found)
    return months > limit


def yearly_total(decision: LapseDecision, member: Member, as_of: date, params: Params, starts: tuple[int, ...]) -> LapseDecision:
    """Continuity where interruptions count together in a medical-insurance year whose start
    the sources leave open: the answer every reading of ``starts`` gives, else not modelled."""
    if member.contributions is None:
        return decision
    found = gaps(member, as_of)
    if not found:
        return decision
    last = found[-1][1]
    if sum(gap[1] >= last - 11 for gap in found) < 2:  # (those that may share a year with the latest, whatever its start)
        return decision  # one interruption in the latest year: it alone decides, whatever came years before
    limit = params.value("long_gap_months")
    if limit is None:
        return decision
    readings = {start: yearly_reset(found, limit, start) for start in starts}
    answers = set(readings.values())
    if tracing.recording():
        tracing.step(
            "lapse.yearly_total",
            en="; ".join(f"a year from month {start}: {'more' if cut else 'not more'} than {limit} out" for start, cut in readings.items()),
            zh="；".join(f"自 {start} 月起的医保年度:累计中断{'超过' if cut else '未超过'} {limit} 个月" for start, cut in readings.items()),
            facts={"interruptions": [f"{format_month(a)}..{format_month(b)}" for a, b in found]},
            params=("long_gap_months",),
            outcome=next(iter(answers)) if len(answers) == 1 else None,
        )
    if len(answers) == 1:
        reset = answers.pop() or decision.continuity_reset
        note = "interruptions counted together in a medical-insurance year: every reading of the year's start gives the same answer"
        return attrs.evolve(decision, continuity_reset=reset, notes=decision.notes + (note,))
    return attrs.evolve(
        decision,
        not_modelled=decision.not_modelled + (params.not_modelled("yearly_gap_total"),),
        modelled=False,
        notes=decision.notes
        + (
            "interruptions counted together in a medical-insurance year, whose start the sources leave open: "
            "the readings disagree here; continuity_reset is the latest interruption's alone",
        ),
    )

