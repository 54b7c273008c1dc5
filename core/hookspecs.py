"""The five questions a region answers, as pluggy hook specifications.

Every hook is called with keyword arguments only:

``member``  the validated :class:`~yibao.member.Member`;
``as_of``   the :class:`datetime.date` the question is asked for;
``params``  *this layer's own* parameters in force on ``as_of``
            (:class:`~yibao.parameters.Params`).

The sixth hook, ``transfer_in``, is asked of the *destination* of a move and also
receives ``origin`` (:class:`~yibao.arrivals.Origin`: the region the member comes from).

A hook returns its area's decision, or ``None`` to leave the answer to the layer
below (a region defers to its parent, the parent to the national baseline). Which
layer answers is decided by the stack, never by plugin load order.

Spec version 1. Adding an argument or a hook keeps the version (``transfer_in`` was
added within version 1: a plugin that does not implement it defers to the layers below); removing or renaming one, or
changing a return type, makes a new version (see CHANGELOG.md).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from .arrivals import Origin
    from .decisions import CreditDecision, FamilyDecision, LapseDecision, TransferDecision, TransferInDecision, WithdrawalDecision
    from .member import Member
    from .parameters import Params

PROJECT = "yibao"
SPEC_VERSION = 1

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec(firstresult=True)
def credit_rate(member: Member, as_of: date, params: Params) -> CreditDecision | None:
    """What is credited to the personal account each month.

    Example (a 2% credit on the contribution base)::

        @hookimpl
        def credit_rate(member, as_of, params):
            rate = params["credit_rate"]
            if rate is None:          # no value in force on as_of: defer
                return None
            base = to_fen(member.contribution_base)   # money is at the fen
            return CreditDecision(has_account=True, monthly_credit=to_fen(base * rate.value),
                                  base_applied=base,
                                  rate=rate.value, basis=(rate,))
    """


@hookspec(firstresult=True)
def lapse_effect(member: Member, as_of: date, params: Params) -> LapseDecision | None:
    """What stopping and resuming contributions means on ``as_of``.

    Example: ``yibao.recovery.recovery(member, as_of, params, {})`` judges each gap from
    ``member.periods`` with the layer's rules for an unpaid gap and for a gap paid back.
    """


@hookspec(firstresult=True)
def family_scope(member: Member, as_of: date, params: Params) -> FamilyDecision | None:
    """Which relatives may use the account, for what, and how far mutual aid reaches.

    Example::

        @hookimpl
        def family_scope(member, as_of, params):
            relations = params["family_relations"]
            return FamilyDecision(relations=relations.value, uses=("medical_expenses",),
                                  scope="province", basis=(relations,))
    """


@hookspec(firstresult=True)
def transfer_rules(member: Member, as_of: date, params: Params) -> TransferDecision | None:
    """Whether the insurance relationship and the balance move when the member changes city.

    Example: a retiree is blocked with ``blockers=("retired",)``.
    """


@hookspec(firstresult=True)
def withdrawal_conditions(member: Member, as_of: date, params: Params) -> WithdrawalDecision | None:
    """The grounds on which the balance is paid out in cash.

    Example: ``WithdrawalDecision(grounds=params.value("withdrawal_grounds"), basis=(...))``.
    """


@hookspec(firstresult=True)
def transfer_in(member: Member, as_of: date, params: Params, origin: Origin) -> TransferInDecision | None:
    """How the destination of a move receives a member coming from ``origin``.

    Asked of the destination's stack only (``yibao.move``): the wait after a gap before
    the move, whether a short gap may be paid back there, whether contribution years are
    merged, its processing days. ``origin`` is a :class:`~yibao.arrivals.Origin` (code,
    province, ``same_province``).

    Example (a region with a wait of its own after a long gap)::

        @hookimpl
        def transfer_in(member, as_of, params, origin):
            # transfer_in_wait_months from its own file; None before it (the national layer answers)
            return arrivals.arrival(member, as_of, params, {"layer": "myregion", "name": "My region"})
    """
