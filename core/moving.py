"""A member moving from one region to another: ``yibao.move`` and :class:`Move`.

Two regions answer: the origin's ``transfer_rules`` (may the relationship and the
balance leave, what blocks them) and the destination's ``transfer_in`` (how a gap
before the move is treated, the wait, whether contribution years are merged). The
member's history is read as the move splits it: months before the month of ``on`` were
paid in the origin, months from it on at the destination. The gap before the move is
the unpaid months between the last month paid in the origin and the first month paid
at the destination (the month of ``on`` when the history shows none yet).

Rules, from 医保办发〔2021〕43号 and the layers' own files:

- a gap of up to 3 months may be paid back at the destination, benefits from the
  payment month, the gap covered ("缴费当月即可在转入地按规定享受待遇,中断期间的待遇可追溯享受");
- after a longer gap the destination's own wait applies; where no source gives it the
  wait and the resume date are null (not modelled) and the national ceiling is shown;
- retirees are outside the measures (Art. 2) and arrears must be paid first: the move
  is blocked, with the reason;
- within one province the balance follows the province's rule (Guangdong: it stays and
  is used across cities, "个人账户资金跨市使用,不划转、不提现"); across provinces it moves.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import attrs

from .arrivals import Origin
from .citations import Citation, Dispute
from .decisions import Decision, TransferDecision, TransferInDecision
from .errors import InputError
from .evaluation import area_dict
from .member import Member
from .money import format_money
from .months import first_day, format_month, month_of, parse_date
from .parameters import NotModelled, Params
from .provenance import LayerOrigin, Provenance, now

if TYPE_CHECKING:
    from .engine import PolicyEngine
    from .explaining import Explanation
    from .stack import Stack

#: What ``Move.balance`` may say.
BALANCE_OUTCOMES = ("moves", "stays", "paid_out", "none")


@attrs.frozen
class Step:
    """One thing the member does (or that happens), in order, with the sources it rests on."""

    code: str
    text: str
    citations: tuple[Citation, ...] = ()

    def to_dict(self, sources: dict[str, Any] | None = None) -> dict[str, Any]:
        """Citations in full, or naming their sources, which are added to ``sources``."""
        return {"code": self.code, "text": self.text, "citations": [citation.to_dict(sources) for citation in self.citations]}


@attrs.frozen
class Place:
    """A region of a move: its code, names and province (``None`` where its file does not say)."""

    code: str
    name_zh: str
    name_en: str
    province: str | None

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "name": {"zh": self.name_zh, "en": self.name_en}, "province": self.province}


@attrs.frozen(kw_only=True)
class Move:
    """The answer to "I am moving from A to B on this date: what moves, what do I do, when am I covered again?"."""

    origin: Place
    destination: Place
    on: date
    member: Member
    relationship_transferable: bool
    balance: str  # one of BALANCE_OUTCOMES
    blockers: tuple[str, ...]
    last_origin_month: int | None
    first_destination_month: int
    destination_start_assumed: bool
    gap_months: int | None
    destination_wait_months: int | None
    pooled_benefits_resume: date | None
    continuity_merged: bool | None
    processing_working_days: dict[str, int | None]
    steps: tuple[Step, ...]
    transfer: TransferDecision
    transfer_in: TransferInDecision
    answered_by: dict[str, str]
    not_modelled: tuple[NotModelled, ...] = ()
    notes: tuple[str, ...] = ()
    #: The origin's layers, then the destination's not already listed (set by ``move``).
    origins: tuple[LayerOrigin, ...] = ()
    #: When the move was worked out (UTC); not part of equality.
    evaluated_at: datetime | None = attrs.field(default=None, eq=False)

    @property
    def provenance(self) -> Provenance:
        """What reproduces this answer: yibao's version, both stacks' layers, when."""
        return Provenance(self.origins, self.evaluated_at)

    @property
    def blocked(self) -> bool:
        """The insurance relationship cannot move (retired, arrears): see ``blockers``."""
        return not self.relationship_transferable

    @property
    def modelled(self) -> bool:
        """False when a field is null for want of a source (the wait after a long gap, say)."""
        return not self.not_modelled

    def citations(self) -> tuple[Citation, ...]:
        """Every citation the answer rests on, the steps' first, without repeats."""
        seen: dict[Citation, None] = {}
        for step in self.steps:
            for citation in step.citations:
                seen.setdefault(citation)
        for decision in (self.transfer, self.transfer_in):
            for citation in decision.all_citations():
                seen.setdefault(citation)
        return tuple(seen)

    def disputes(self) -> tuple[Dispute, ...]:
        """Readings kept beside the applied ones: the origin's, and the destination's where a gap makes its rules matter."""
        arriving = self.transfer_in.disputes() if self.relationship_transferable and self.gap_months else ()
        return tuple(dict.fromkeys((*self.transfer.disputes(), *arriving)))

    #: The engine that worked the move out (``yibao.moving.move`` sets it): what
    #: :meth:`explain` asks again. Not part of equality.
    engine: PolicyEngine | None = attrs.field(default=None, eq=False, repr=False)

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without its engine (plugins are code, not data): an unpickled move is
        the same answer, and explaining it raises an InputError."""
        return {field.name: getattr(self, field.name) for field in attrs.fields(type(self)) if field.name != "engine"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in {**state, "engine": None}.items():
            object.__setattr__(self, name, value)

    def explain(self) -> Explanation:
        """Why the move says what it says: the origin's transfer answer and the
        destination's ``transfer_in`` answer step by step, then the move's own steps (see
        :mod:`yibao.explaining`), asked again of the engine that worked it out."""
        from .explaining import explain_move

        return explain_move(self)

    def to_dict(self, citations: str = "compact") -> dict[str, Any]:
        """The JSON form described by ``schemas/move.schema.json``; ``citations`` as in
        :meth:`Evaluation.to_dict`: compact (default), each source listed once under
        ``sources`` and named by id, or ``"full"`` (every citation carries its source)."""
        from .hookspecs import SPEC_VERSION

        if citations not in ("compact", "full"):
            raise ValueError(f"citations must be 'compact' or 'full', not {citations!r}")
        sources: dict[str, Any] | None = {} if citations == "compact" else None
        out = {
            "origin": self.origin.to_dict(),
            "destination": self.destination.to_dict(),
            "on": self.on.isoformat(),
            "spec_version": SPEC_VERSION,
            "relationship_transferable": self.relationship_transferable,
            "balance": self.balance,
            "balance_amount": format_money(self.member.balance),
            "blockers": list(self.blockers),
            "last_origin_month": None if self.last_origin_month is None else format_month(self.last_origin_month),
            "first_destination_month": format_month(self.first_destination_month),
            "destination_start_assumed": self.destination_start_assumed,
            "gap_months": self.gap_months,
            "destination_wait_months": self.destination_wait_months,
            "pooled_benefits_resume": None if self.pooled_benefits_resume is None else self.pooled_benefits_resume.isoformat(),
            "continuity_merged": self.continuity_merged,
            "processing_working_days": dict(self.processing_working_days),
            "steps": [step.to_dict(sources) for step in self.steps],
            "answered_by": dict(self.answered_by),
            "modelled": self.modelled,
            "citations": [citation.to_dict(sources) for citation in self.citations()],
            "disputed": [dispute.to_dict(sources) for dispute in self.disputes()],
            "not_modelled": [item.to_dict() for item in self.not_modelled],
            "notes": list(self.notes),
            "transfer": area_dict(self.transfer, self.answered_by["transfer"], sources),
            "transfer_in": area_dict(self.transfer_in, self.answered_by["transfer_in"], sources),
            "provenance": self.provenance.to_dict(),
        }
        if sources is not None:
            out["sources"] = sources
        return out


def move(engine: PolicyEngine, origin: str, destination: str, member: Member | Mapping[str, Any], on: date | str | None = None) -> Move:
    """``member`` moving from ``origin`` to ``destination`` in the month of ``on`` (default today).

    Raises :class:`~yibao.InputError` for the same region twice or a move before the first
    paid month, :class:`~yibao.UnknownRegionError` for a region not installed.
    """
    for path, code in (("origin", origin), ("destination", destination)):
        if not isinstance(code, str):
            raise InputError(path, f"expected a region code (string), got {type(code).__name__}")
    if origin == destination:
        raise InputError("destination", f"the destination is the origin ({origin!r}): a move needs two different regions")
    source, target = engine.stack(origin), engine.stack(destination)
    checked = member if isinstance(member, Member) else Member.from_mapping(member)
    day = date.today() if on is None else parse_date(on, "on")
    return attrs.evolve(_move(source, target, checked, day), engine=engine)


def _move(source: Stack, target: Stack, member: Member, on: date) -> Move:
    last_origin, first_destination, assumed = _split(member, on, source.code)
    gap = None if last_origin is None else first_destination - last_origin - 1
    leaving = source.evaluate(member, on)
    transfer = leaving.transfer
    same = None if source.province is None or target.province is None else source.province == target.province
    origin = Origin(source.code, source.province, source.top.data.name_zh, source.top.data.name_en, same)
    arriving, arriving_layer = target.transfer_in(member, on, origin)
    out_view, in_view = source.params(on)[-1], target.params(on)[-1]
    here, there = _place(source), _place(target)

    blocked = not transfer.relationship_transferable
    has_account = "no_account" not in transfer.blockers
    within = transfer.balance_within_province
    if not has_account:
        balance = "none"
    elif blocked:
        balance = "stays"
    elif same and within == "stays":
        balance = "stays"
    elif transfer.balance_transferable:
        balance = "moves"
    elif "transfer_balance_not_movable" in leaving.withdrawal.grounds:
        balance = "paid_out"
    else:
        balance = "stays"

    missing: list[NotModelled] = []
    notes: list[str] = []
    if assumed:
        notes.append(
            f"the history shows no month paid from {format_month(first_destination)} on: payment at the destination "
            f"is taken to start in {format_month(first_destination)}, the month of the move"
        )
    if same is None:
        notes.append("the province of one of the regions is not known: the move is treated as one between provinces")
    wait = resume = merged = None
    if not blocked and gap is not None:
        payable = arriving.payable_gap_months
        if payable is None:
            missing.append(NotModelled("transfer_in_payable_gap_months", f"no rule for a gap before a move in force on {on.isoformat()}"))
        else:
            short = gap <= payable
            wait = (0 if gap == 0 else arriving.short_gap_wait_months) if short else arriving.wait_months
            if wait is None:  # the destination's rule for this gap is not known: say which
                topic = "transfer_in_short_gap_wait_months" if short else "transfer_in_wait"
                missing += [item for item in arriving.not_modelled if item.topic == topic]
        if wait is not None:
            resume = first_day(first_destination + wait)
        merged = arriving.continuity_merged
        if merged is None:
            missing += [item for item in arriving.not_modelled if item.topic == "transfer_in_contribution_years_merged"]
    missing += [item for item in transfer.not_modelled]
    days = {"origin": _value(out_view, "transfer_days_origin"), "destination": arriving.processing_working_days}
    steps = _steps(
        member,
        here,
        there,
        transfer,
        arriving,
        out_view,
        in_view,
        balance=balance,
        gap=gap,
        wait=wait,
        resume=resume,
        last_origin=last_origin,
        first_destination=first_destination,
        same=same,
    )
    return Move(
        origin=here,
        destination=there,
        on=on,
        member=member,
        relationship_transferable=transfer.relationship_transferable,
        balance=balance,
        blockers=transfer.blockers,
        last_origin_month=last_origin,
        first_destination_month=first_destination,
        destination_start_assumed=assumed,
        gap_months=gap,
        destination_wait_months=wait,
        pooled_benefits_resume=resume,
        continuity_merged=merged,
        processing_working_days=days,
        steps=steps,
        transfer=transfer,
        transfer_in=arriving,
        answered_by={"transfer": leaving.answered_by["transfer"], "transfer_in": arriving_layer},
        not_modelled=tuple(dict.fromkeys(missing)),
        notes=tuple(notes) + transfer.notes + (arriving.notes if gap else ()),  # the destination's notes concern a gap
        origins=tuple(dict.fromkeys((*source.origins, *target.origins))),
        evaluated_at=now(),
    )


def _split(member: Member, on: date, origin: str) -> tuple[int | None, int, bool]:
    """(last month paid in the origin, first month paid at the destination, whether that
    first month is assumed because the history shows none from the move on)."""
    month = month_of(on)
    if member.contributions is None:  # paid continuously: no gap
        return month - 1, month, False
    before = [(start, min(end, month - 1)) for start, end in member.contributions if start < month]
    if not before:
        first = member.contributions[0][0] if member.contributions else None
        shown = f"the first paid month is {format_month(first)}" if first is not None else "the history has no paid month"
        raise InputError("on", f"{on.isoformat()} is before any month paid in {origin!r} ({shown}): nothing to move")
    after = [start if start >= month else month for start, end in member.contributions if end >= month]
    if after:
        return before[-1][1], after[0], False
    return before[-1][1], month, True


def _place(stack: Stack) -> Place:
    data = stack.top.data
    return Place(stack.code, data.name_zh, data.name_en, stack.province)


def _value(view: Params, name: str) -> Any:
    applied = view.get(name)
    return None if applied is None else applied.value


def _cite(view: Params, *names: str) -> tuple[Citation, ...]:
    seen: dict[Citation, None] = {}
    for name in names:
        applied = view.get(name)
        if applied is not None:
            for citation in applied.citations:
                seen.setdefault(citation)
    return tuple(seen)


def _basis_citations(decision: Decision, *names: str) -> tuple[Citation, ...]:
    seen: dict[Citation, None] = {}
    for applied in decision.basis:
        if applied.name in names:
            for citation in applied.citations:
                seen.setdefault(citation)
    return tuple(seen)


def _steps(
    member: Member,
    here: Place,
    there: Place,
    transfer: TransferDecision,
    arriving: TransferInDecision,
    out_view: Params,
    in_view: Params,
    *,
    balance: str,
    gap: int | None,
    wait: int | None,
    resume: date | None,
    last_origin: int | None,
    first_destination: int,
    same: bool | None,
) -> tuple[Step, ...]:
    origin, destination = here.name_en, there.name_en
    if not transfer.relationship_transferable:
        blocked: list[Step] = []
        if "retired" in transfer.blockers:
            blocked.append(
                Step(
                    "blocked_retired",
                    f"Retirees are outside the national transfer measures: the insurance relationship stays in {origin}, "
                    f"and so does the balance.",
                    _cite(out_view, "transfer_measures_exclude_retirees", "retirees_transferable"),
                )
            )
        if "arrears" in transfer.blockers:
            blocked.append(
                Step(
                    "pay_arrears",
                    f"Pay the outstanding dues in {origin} first: the transfer cannot be applied for with arrears.",
                    _cite(out_view, "arrears_block_transfer"),
                )
            )
        return _sourced(blocked, transfer)
    steps: list[Step] = []
    if in_view.get("transfer_in_enrol_first") is not None:
        steps.append(
            Step(
                "enrol",
                f"Enrol in employee medical insurance in {destination}: the transfer is applied for once insured there.",
                _cite(in_view, "transfer_in_enrol_first"),
            )
        )
    if gap is not None and gap > 0 and last_origin is not None:
        missed = f"{format_month(last_origin + 1)}" + ("" if gap == 1 else f" to {format_month(first_destination - 1)}")
        payable = arriving.payable_gap_months
        if payable is not None and gap <= payable:
            when = f"from {resume.isoformat()}" if resume is not None else "from a date not modelled"
            steps.append(
                Step(
                    "pay_back_gap",
                    f"Pay back the {gap} missed month{'s' if gap != 1 else ''} ({missed}) in {destination} under its rules: "
                    f"pooled benefits {when}, and the missed months are covered.",
                    _basis_citations(
                        arriving, "transfer_in_payable_gap_months", "transfer_in_short_gap_wait_months", "transfer_in_gap_covered"
                    ),
                )
            )
        elif resume is not None:
            steps.append(
                Step(
                    "wait",
                    f"After a gap of {gap} months ({missed}), pay in {destination} without a break: pooled benefits "
                    f"from {resume.isoformat()}, after {wait} paid month{'s' if wait != 1 else ''}.",
                    _basis_citations(arriving, "transfer_in_wait_months", "transfer_in_payable_gap_months"),
                )
            )
        else:
            ceiling = arriving.wait_ceiling_months
            limit = f" 43号 lets it be at most {ceiling} months." if ceiling is not None else ""
            steps.append(
                Step(
                    "wait",
                    f"After a gap of {gap} months ({missed}), {destination} may set a waiting period before pooled benefits "
                    f"return; its length is not modelled.{limit}",
                    _basis_citations(arriving, "transfer_in_payable_gap_months", "long_gap_wait_ceiling_months"),
                )
            )
    if balance == "stays" and same:
        steps.append(
            Step(
                "balance_stays",
                f"Within the province the balance ({format_money(member.balance)} yuan) is not transferred: it stays in the "
                f"{origin} account and is used across cities.",
                _cite(out_view, "transfer_balance_within_province"),
            )
        )
    days_out = _value(out_view, "transfer_days_origin")
    out_days = f" within {days_out} working days" if days_out is not None else ""
    moving = " and moves the balance" if balance == "moves" else ""
    steps.append(
        Step(
            "apply_transfer",
            f"Apply for the transfer (转移接续): {origin} issues the record of contributions{out_days}{moving}.",
            _cite(
                out_view,
                "transfer_days_origin",
                "balance_moves_with_relationship",
                *(("transfer_balance_within_province",) if same else ()),
            )
            if balance == "moves"
            else _cite(out_view, "transfer_days_origin"),
        )
    )
    if balance == "moves":
        days_in = arriving.processing_working_days
        in_days = f"within {days_in} working days" if days_in is not None else "(processing days not modelled)"
        steps.append(
            Step(
                "balance_credited",
                f"{destination} credits the balance ({format_money(member.balance)} yuan) to the new account {in_days}.",
                _basis_citations(arriving, "transfer_days_destination"),
            )
        )
    elif balance == "paid_out":
        steps.append(
            Step(
                "balance_paid_out",
                f"The balance cannot move to {destination}: {origin} pays it out in cash.",
                _cite(out_view, "withdrawal_grounds", "balance_moves_with_relationship"),
            )
        )
    elif balance == "none":
        steps.append(
            Step(
                "no_balance",
                f"No personal account in {origin}: only the insurance relationship moves.",
                _cite(out_view, "no_account_relationship_transferable", "tier2_has_account"),
            )
        )
    if arriving.continuity_merged:
        steps.append(
            Step(
                "years_merged",
                f"The contribution years in {origin} count together with those in {destination}.",
                _basis_citations(arriving, "transfer_in_contribution_years_merged"),
            )
        )
    return _sourced(steps, transfer)


def _sourced(steps: list[Step], decision: Decision) -> tuple[Step, ...]:
    """Every step names a source: one whose own parameters are not in force cites the decision it follows from."""
    return tuple(step if step.citations else attrs.evolve(step, citations=decision.all_citations()) for step in steps)
