"""Building explanations: of an evaluation, of one month of a timeline, of a move.

Each asks the same layers the answer asked, with the same member as the rules saw it,
on the same day, so the steps end where the answer did (the suite checks that the
explanation's answer equals the answer's own).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from ..areas import AREAS
from ..arrivals import Origin
from ..decisions import Decision, TransferInDecision
from ..errors import InputError
from ..evaluation import Evaluation
from ..member import Member
from ..months import first_day, format_month, month_of
from ..provenance import now
from ..stack import Stack
from .asking import ask
from .model import AreaExplanation, Explanation
from .recording import Session, Step

if TYPE_CHECKING:
    from ..engine import PolicyEngine
    from ..moving import Move
    from ..timelines import Timeline

_AREA_NAMES = tuple(area for area, _, _ in AREAS)


def areas_asked(area: str | Iterable[str] | None) -> tuple[str, ...]:
    """The areas to explain: all five, one (``"credit"``) or several; an unknown one is an InputError."""
    if area is None:
        return _AREA_NAMES
    names = (area,) if isinstance(area, str) else tuple(area)
    for name in names:
        if name not in _AREA_NAMES:
            raise InputError("area", f"{name!r} is not an area (one of {', '.join(_AREA_NAMES)})")
    return tuple(name for name in _AREA_NAMES if name in names)


def explain_area(
    stack: Stack, area: str, member: Member, as_of: date, session: Session | None = None
) -> tuple[AreaExplanation, Decision]:
    """One area asked of ``stack`` with its steps (``member`` as the rules see it)."""
    _, hook, kind = next(entry for entry in AREAS if entry[0] == area)
    session = session or Session()
    decision, layer = ask(stack, hook, kind, member, as_of, session)
    return AreaExplanation(area, hook, stack.code, layer, decision, as_of, session.take()), decision


def explain_evaluation(stack: Stack, member: Member, as_of: date, area: str | Iterable[str] | None = None) -> Explanation:
    """``stack.evaluate(member, as_of)`` with its steps (only ``area``'s, when given)."""
    if type(member) is not Member or type(as_of) is not date:
        raise InputError(
            "member" if type(member) is not Member else "as_of",
            f"explain takes a yibao.Member and a datetime.date (got {type(member).__name__}, {type(as_of).__name__})",
        )
    names = areas_asked(area)
    seen = member.in_month(month_of(as_of))  # as Stack.evaluate gives the hooks
    session = Session()
    explained = [explain_area(stack, name, seen, as_of, session) for name in names]
    top = stack.top.data
    evaluation = None
    if len(names) == len(_AREA_NAMES):
        evaluation = Evaluation(
            region=stack.code,
            region_name=(top.name_zh, top.name_en),
            as_of=as_of,
            member=member,
            layers=tuple(layer.code for layer in stack.layers),
            decisions={name: found[1] for name, found in zip(names, explained)},
            answered_by={name: found[0].layer for name, found in zip(names, explained)},
            origins=stack.origins,
            evaluated_at=now(),
        )
    return Explanation(
        kind="evaluation",
        region=stack.code,
        region_name=(top.name_zh, top.name_en),
        as_of=as_of,
        layers=tuple(layer.code for layer in stack.layers),
        areas=tuple(found[0] for found in explained),
        origins=stack.origins,
        evaluated_at=now(),
        evaluation=evaluation,
    )


def explain_month(timeline: Timeline, month: str | int) -> Explanation:
    """One row of ``timeline`` with the steps of its credit and lapse answers: the region
    that judged the month, asked on its 1st day with the member as the rules saw it."""
    row = timeline.month(month)
    stack = _engine(timeline).stack(row.region)
    member = timeline.member
    day = first_day(row.month)
    period = member.period_of(row.month)
    seen = member if period is None else member.in_period(period)
    label = format_month(row.month)
    steps = [
        Step(
            "month.paid" if row.paid else "month.unpaid",
            "",
            f"{label} is {'paid' if row.paid else 'not paid'}; judged by {row.region}'s rules in force on {day}",
            f"{label} {'已缴费' if row.paid else '未缴费'};按 {row.region} 于 {day} 有效的规则判断",
            facts=(("contributions", member.contributions),),  # (shown as "YYYY-MM..YYYY-MM" ranges)
            outcome=row.paid,
        )
    ]
    areas = []
    session = Session()
    for name in ("credit", "lapse"):
        found, decision = explain_area(stack, name, seen, day, session)
        areas.append(found)
        if name == "lapse" and decision.pooled_benefits is not row.pooled_benefits:  # type: ignore[attr-defined]
            steps.append(
                Step(
                    "month.moved",
                    "",
                    "the move at a region boundary changed the lapse answer (see the timeline's moves)",
                    "跨地区转移改变了中断参保的结论(见时间线的转移)",
                    outcome={"pooled_benefits": row.pooled_benefits},
                )
            )
    if row.paid and not row.has_account:
        steps.append(Step("month.no_account", "", "no personal account: nothing credited", "无个人账户:不划入", outcome="0.00"))
    elif not row.paid:
        steps.append(Step("month.nothing_credited", "", "an unpaid month credits nothing", "未缴费月份不划入", outcome="0.00"))
    top = stack.top.data
    return Explanation(
        kind="month",
        region=row.region,
        region_name=(top.name_zh, top.name_en),
        as_of=day,
        layers=tuple(layer.code for layer in stack.layers),
        areas=tuple(areas),
        answer=row.to_dict(),
        steps=tuple(steps),
        origins=stack.origins,
        evaluated_at=now(),
    )


def explain_move(move: Move) -> Explanation:
    """A move with the steps of the origin's transfer answer and the destination's
    ``transfer_in`` answer, then the move's own steps (what the member does)."""
    engine = _engine(move)
    source, target = engine.stack(move.origin.code), engine.stack(move.destination.code)
    on, member = move.on, move.member
    transfer, _ = explain_area(source, "transfer", member.in_month(month_of(on)), on)
    same = None if source.province is None or target.province is None else source.province == target.province
    origin = Origin(source.code, source.province, source.top.data.name_zh, source.top.data.name_en, same)
    session = Session()
    arriving, layer = ask(target, "transfer_in", TransferInDecision, member, on, session, {"origin": origin})
    transfer_in = AreaExplanation("transfer_in", "transfer_in", target.code, layer, arriving, on, session.take())
    from ..moving_zh import step as in_chinese

    data = move.to_dict()
    own = tuple(Step(f"move.{item['code']}", "", item["text"], in_chinese(data, item)) for item in data["steps"])
    answer = {key: data[key] for key in _MOVE_ANSWER}
    return Explanation(
        kind="move",
        region=source.code,
        region_name=(source.top.data.name_zh, source.top.data.name_en),
        as_of=on,
        layers=tuple(dict.fromkeys((*(l.code for l in source.layers), *(l.code for l in target.layers)))),
        areas=(transfer, transfer_in),
        answer=answer,
        steps=own,
        origins=move.origins,
        evaluated_at=now(),
    )


_MOVE_ANSWER = (
    "origin",
    "destination",
    "on",
    "relationship_transferable",
    "balance",
    "balance_amount",
    "blockers",
    "last_origin_month",
    "first_destination_month",
    "gap_months",
    "destination_wait_months",
    "pooled_benefits_resume",
    "continuity_merged",
    "modelled",
)


def _engine(answer: Timeline | Move) -> PolicyEngine:
    engine = answer.engine
    if engine is None:
        raise InputError(
            "engine",
            f"this {type(answer).__name__} has no engine to ask again (it was unpickled, or not built by"
            " PolicyEngine.timeline or yibao.move): build it again to explain it",
        )
    return engine
