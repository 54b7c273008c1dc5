"""The destination's side of a move: how a region receives a member from another one.

Shared by every layer's ``transfer_in`` hook so the rule lives once, as :mod:`yibao.lapse`
does for interruptions. The national transfer measures (医保办发〔2021〕43号, Xinhua's
summary) say:

- "职工医保参保人在转移接续前中断缴费3个月(含)以内的,可按转入地规定补缴…缴费当月即可在转入地按规定享受
  待遇,中断期间的待遇可追溯享受": a gap of up to 3 months may be paid back at the destination,
  benefits start in the payment month and the gap is covered;
- "对中断缴费3个月以上的,设置不超过6个月的待遇享受等待期": after a longer gap each area *may*
  set a wait of *at most* six months. That is a ceiling, not a rule: where the
  destination's own wait is not in the sources, ``wait_months`` is ``None`` (not
  modelled) and the ceiling is shown beside it (``wait_ceiling_months``).

A region with a wait of its own for members arriving after a long gap sets
``transfer_in_wait_months`` in its file (rule (c) of :mod:`yibao.lapse`, kept apart from
its rules for a gap inside the region); everything else comes from the parameters every
layer sees (``transfer_in_*`` in the national file). :func:`arrival` is the library rule
(kind ``arrival``); :func:`decide` the answer from the parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import attrs

from . import tracing
from .decisions import TransferInDecision
from .member import Member
from .parameters import Applied, NotModelled, Params
from .rules import present

#: The parameters :func:`decide` reads (besides the wait a region passes).
ARRIVAL_PARAMETERS = (
    "transfer_in_payable_gap_months",
    "transfer_in_short_gap_wait_months",
    "transfer_in_gap_covered",
    "transfer_in_contribution_years_merged",
    "transfer_days_destination",
)

#: The national ceiling on the wait after a long gap (defined by the baseline's lapse data).
CEILING = "long_gap_wait_ceiling_months"
#: A destination's own wait after a gap of more than 3 months before a move (rule (c)).
OWN_WAIT = "transfer_in_wait_months"


@attrs.frozen
class Origin:
    """Where a member moving to the destination comes from, as the ``transfer_in`` hook sees it.

    ``province`` is the origin's ``[region] province`` (or its parent's), ``None`` where
    the region file does not say; ``same_province`` is ``True`` when origin and
    destination lie in the same province, ``None`` when either province is unknown.
    """

    code: str
    province: str | None = None
    name_zh: str = ""
    name_en: str = ""
    same_province: bool | None = None


def decide(
    member: Member,
    as_of: date,
    params: Params,
    origin: Origin,
    *,
    wait: Applied | None = None,
    notes: tuple[str, ...] = (),
) -> TransferInDecision:
    """The destination's answer from the standard parameters, with ``wait`` (the
    destination's own wait after a long gap) where its layer has one.

    Without ``wait`` the wait is not modelled and the national ceiling, when a layer
    defines one, is shown beside it.
    """
    values = {name: params.get(name) for name in ARRIVAL_PARAMETERS}
    ceiling = params.get(CEILING)
    missing = [NotModelled(name, f"no value in force on {as_of.isoformat()}") for name, value in values.items() if value is None]
    if wait is None:
        limit = (
            f" 43号 lets an area set a wait of at most {ceiling.value} months (不超过{ceiling.value}个月): a ceiling, not applied as the rule."
            if ceiling
            else ""
        )
        missing.append(
            NotModelled(
                "transfer_in_wait",
                f"No source gives the destination's own waiting period after a gap of more than 3 months before a move.{limit}",
            )
        )
    extra_notes = notes
    if wait is not None and ceiling is not None and wait.value > ceiling.value:
        extra_notes += (f"the wait of {wait.value} months is longer than the national ceiling of {ceiling.value} months",)
    payable, short, covered, merged, days = (values[name] for name in ARRIVAL_PARAMETERS)
    basis = present(payable, short, covered, wait, ceiling, merged, days)
    return TransferInDecision(
        payable_gap_months=None if payable is None else payable.value,
        short_gap_wait_months=None if short is None else short.value,
        gap_covered=None if covered is None else bool(covered.value),
        wait_months=None if wait is None else wait.value,
        wait_ceiling_months=None if ceiling is None else ceiling.value,
        continuity_merged=None if merged is None else bool(merged.value),
        processing_working_days=None if days is None else days.value,
        basis=basis,
        citations=() if basis else params.nearest_citations("transfer_in_payable_gap_months"),
        not_modelled=tuple(missing),
        modelled=not missing,
        notes=extra_notes,
    )


def own_wait(params: Params, code: str) -> Applied | None:
    """The layer ``code``'s own wait for a member arriving after a long gap
    (``transfer_in_wait_months`` from its file), or ``None`` when the value in force
    comes from another layer or none is."""
    wait = params.get(OWN_WAIT)
    return wait if wait is not None and wait.layer == code else None


def arrival(member: Member, as_of: date, params: Params, settings: Mapping[str, Any]) -> TransferInDecision | None:
    """Kind ``arrival``: the destination's answer with its own wait after a long gap
    (``transfer_in_wait_months``), the rest from 43号's national parameters. Settings:
    ``layer`` (required: the region whose own wait is read; ``None`` before it is in
    force, and the layer beneath answers) and ``name`` (its English name, for notes)."""
    code = settings["layer"]
    wait = own_wait(params, code)
    if tracing.recording():
        tracing.step(
            "transfer_in.wait",
            en=f"{settings.get('name', code)}'s own wait after a gap of more than 3 months before a move: "
            + ("not given" if wait is None else f"{wait.value} months"),
            zh="转入地对中断3个月以上的等待期:" + ("未给出" if wait is None else f"{wait.value}个月"),
            params=(OWN_WAIT,),
            outcome=None if wait is None else wait.value,
        )
    if wait is None:
        return None
    return decide(member, as_of, params, Origin(code), wait=wait, notes=_short_gap_note(params, code, settings.get("name", code)))


def own_rule(member: Member, as_of: date, params: Params, origin: Origin, *, code: str, name: str) -> TransferInDecision | None:
    """``transfer_in`` of a region whose own file sets ``transfer_in_wait_months`` (kept for
    plugins that call it; :func:`arrival` is the library rule)."""
    return arrival(member, as_of, params, {"layer": code, "name": name})


def _short_gap_note(params: Params, code: str, name: str) -> tuple[str, ...]:
    """Where the region's own wait after a short gap inside it differs from 43号's for a
    gap paid back before a move, say which one a move is judged by."""
    own = params.get("short_gap_wait_months")
    if own is None or own.layer != code or own.value == params.value("transfer_in_short_gap_wait_months"):
        return ()
    return (
        f"{name}'s own rule after a short unpaid gap within {name} is a wait of {own.value} month(s); for a gap of up to "
        "3 months before a move, paid back at the destination, 43号 (M) gives benefits from the payment month, which is applied.",
    )
