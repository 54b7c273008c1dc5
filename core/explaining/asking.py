"""Asking a stack's layers while recording: the stack's own loop (``Stack._ask``, with its
checks and its errors) given recording views, a watched member and callers that tell the
recorder whose hook runs; then the layers the answer overrode, asked for the record.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import getcontext, setcontext
from typing import Any

from .. import tracing
from ..decisions import Decision
from ..errors import YibaoError
from ..member import Member
from ..money import CONTEXT
from ..parameters import Params
from ..stack import Stack
from .recording import MISSING, Session


def ask(
    stack: Stack, hook: str, kind: type[Any], member: Member, as_of: date, session: Session, extra: dict[str, Any] | None = None
) -> tuple[Decision, str]:
    """The decision the stack gives for ``hook``, and its layer, with every step recorded."""
    callers, absent = _plan(stack, hook)
    views = recording_views(stack, as_of, session)
    seen = session.watch(member)
    asked: list[str] = []

    def wrap(layer_code: str, call: Callable[..., Any]) -> Callable[..., Any]:
        def run(**arguments: Any) -> Any:
            asked.append(layer_code)
            session.enter(layer_code)
            session.host("stack.asked", layer_code, hook)
            decision = call(**arguments)
            if decision is None:
                session.host("stack.passed", layer_code)
            return decision

        return run

    for code in absent:
        session.enter(code)
        session.host("stack.no_rule", code, hook)
    wrapped = tuple((layer, position, wrap(layer.code, call), trusted) for layer, position, call, trusted in callers)
    token = tracing.ACTIVE.set(session)
    caller_context = getcontext()
    setcontext(CONTEXT.copy())
    try:
        decision, layer_code = stack._ask(hook, kind, wrapped, views, seen, as_of, extra)
        session.enter(layer_code)
        missing = tuple(item for item in decision.not_modelled if not _shown(session, item))
        session.host("stack.answered", layer_code, hook, outcome=decision, not_modelled=missing)
        for layer, position, call, _ in callers:
            if layer.code in asked:
                continue
            session.enter(layer.code, overridden=True)
            session.host("stack.overridden", layer.code, layer_code)
            try:
                below = call(member=seen, as_of=as_of, params=views[position], **(extra or {}))
            except (KeyboardInterrupt, YibaoError):
                raise
            except Exception as exc:  # a lower layer that cannot answer this member: say so, it changes nothing
                session.host("stack.overridden_failed", layer.code, exc)
                continue
            if below is not None:
                session.host("stack.overridden_answer", layer.code, outcome=below)
        session.enter(layer_code)
        return decision, layer_code
    finally:
        setcontext(caller_context)
        tracing.ACTIVE.reset(token)


def recording_views(stack: Stack, day: date, session: Session) -> tuple[Params, ...]:
    """Each layer's view on ``day``, recording; ``on(day)`` reaches the same layer's other days."""
    key = (id(stack), day)
    found = session.stacks.get(key)
    if found is None:
        views = stack.params(day)
        found = session.stacks[key] = (
            stack,
            tuple(session.view(view, _viewer(stack, position), views[:position]) for position, view in enumerate(views)),
        )
    return found[1]  # type: ignore[no-any-return]


def _viewer(stack: Stack, position: int) -> Callable[[date], Params]:
    return lambda day: stack.params(day)[position]


#: (id of a stack, hook) -> (the stack, kept alive; its callers; the codes of the layers without the hook, top-down).
_PLANS: dict[tuple[int, str], tuple[Stack, tuple[Any, ...], tuple[str, ...]]] = {}


def _plan(stack: Stack, hook: str) -> tuple[tuple[Any, ...], tuple[str, ...]]:
    found = _PLANS.get((id(stack), hook))
    if found is None or found[0] is not stack:
        if len(_PLANS) > 1024:
            _PLANS.clear()
        callers = _callers(stack, hook)
        implementing = {layer.code for layer, _, _, _ in callers}
        absent = tuple(layer.code for layer in reversed(stack.layers) if layer.code not in implementing)
        found = _PLANS[(id(stack), hook)] = (stack, callers, absent)
    return found[1], found[2]


def _callers(stack: Stack, hook: str) -> tuple[tuple[Any, int, Callable[..., Any], bool], ...]:
    """The layers implementing ``hook``, top-down, as the stack asks them."""
    for _, name, _, callers in stack._plan:
        if name == hook:
            return callers  # type: ignore[no-any-return]
    return tuple(  # transfer_in: not an area of an evaluation
        (layer, position, layer.hooks.transfer_in, layer.trusted)
        for position, layer in reversed(tuple(enumerate(stack.layers)))
        if layer.hooks.transfer_in.get_hookimpls()
    )


def _shown(session: Session, item: Any) -> bool:
    """Whether a hook already asked for ``item`` (``params.not_modelled``): shown where it arose."""
    return any(event[0] == MISSING and event[1] == item for event in session.log)


__all__ = ["ask", "recording_views"]
