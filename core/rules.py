"""Rule logic shared by layers: each builds a decision from standard parameter names.

A layer's hook reads what is particular to it and calls one of these; a layer whose
file redefines a parameter (``withdrawal_grounds``, say) changes the answer without
copying the logic. (Lapse rules live in :mod:`yibao.lapse`.)
"""

from __future__ import annotations

from .decisions import FamilyDecision, TransferDecision, WithdrawalDecision
from .member import Member
from .parameters import Applied, NotModelled, Params


def present(*values: Applied | None) -> tuple[Applied, ...]:
    """The parameters that have a value in force, for a decision's ``basis``."""
    return tuple(filter(None, values))  # an Applied is always truthy


#: How far each family-scope code reaches, for picking the widest channel.
SCOPE_REACH = {"pooling_area": 0, "province": 1, "nationwide": 2}


def widest_scope(*scopes: Applied | None) -> Applied | None:
    """The mutual-aid channel that reaches furthest among those in force (the first on a tie).

    A region's own channel (authorisation at institutions in the province, say) and the
    national wallet can both be in force; the area's ``scope`` reports the widest.
    """
    widest = None
    for scope in scopes:
        if scope is not None and (widest is None or SCOPE_REACH[scope.value] > SCOPE_REACH[widest.value]):
            widest = scope
    return widest


def unsettled(params: Params, **values: Applied | None) -> tuple[NotModelled, ...]:
    """A NotModelled entry per parameter with no value in force on the date."""
    if all(value is not None for value in values.values()):
        return ()
    return tuple(NotModelled(name, f"no value in force on {params.day.isoformat()}") for name, value in values.items() if value is None)


def family_decision(
    params: Params,
    *,
    scope: str | None,
    extra: tuple[Applied, ...] = (),
    conditions: tuple[str, ...] = (),
    also_not_modelled: tuple[str, ...] = (),
    notes: tuple[str, ...] = (),
) -> FamilyDecision:
    """Relations and uses from ``family_relations`` / ``family_uses``; the caller settles the scope.

    ``also_not_modelled`` names ``[not_modelled]`` topics to report beside the decision
    (things the sources leave open that do not blank a field).
    """
    relations, uses = params["family_relations"], params["family_uses"]
    basis = present(relations, uses) + extra
    missing = unsettled(params, family_relations=relations, family_uses=uses)
    if scope is None:
        missing += (params.not_modelled("family_scope"),)
    return FamilyDecision(
        relations=() if relations is None else relations.value,
        uses=() if uses is None else uses.value,
        scope=scope,
        conditions=conditions,
        basis=basis,
        citations=() if basis else params.nearest_citations("family_relations"),
        not_modelled=missing + tuple(params.not_modelled(topic) for topic in also_not_modelled),
        modelled=not missing,
        notes=notes,
    )


def family_with_own_channel(
    params: Params, own: Applied | None, *, own_reach: str, also_not_modelled: tuple[str, ...] = ()
) -> FamilyDecision:
    """A region's family decision when it has a mutual-aid channel of its own (``own``,
    e.g. authorisation at designated institutions in the province) beside the national
    wallet (``family_scope``): the widest reach is reported, and a note says so when the
    wallet reaches further. ``own_reach`` describes the region's own channel."""
    wallet = params["family_scope"]
    widest = widest_scope(own, wallet)
    conditions = params["family_conditions"]
    wider = own is not None and widest is not own and widest is wallet
    return family_decision(
        params,
        scope=None if widest is None else widest.value,
        extra=present(own, wallet, conditions),
        conditions=() if conditions is None else conditions.value,
        also_not_modelled=also_not_modelled,
        notes=(
            f"{own_reach}; the national medical-insurance wallet reaches relatives in other provinces, so the widest channel is reported.",
        )
        if wider
        else (),
    )


def transfer_decision(member: Member, params: Params, *, has_account: bool, extra: tuple[Applied, ...] = ()) -> TransferDecision:
    """Blockers under the national transfer measures (医保办发〔2021〕43号) and the layer's own file."""
    retirees = params["retirees_transferable"]
    moves = params["balance_moves_with_relationship"]
    arrears = params["arrears_block_transfer"]
    blockers = []
    if not has_account:
        blockers.append("no_account")
    if member.arrears and arrears is not None and arrears.value:
        blockers.append("arrears")
    if member.category == "retiree" and retirees is not None and not retirees.value:
        blockers.append("retired")
    relationship = "arrears" not in blockers and "retired" not in blockers
    balance = relationship and has_account and (moves is None or bool(moves.value))
    within = params.get("transfer_balance_within_province")  # (get: a stack built before the parameter existed)
    basis = present(retirees, moves, arrears, params["transfer_days_origin"], params["transfer_days_destination"], within) + extra
    missing = unsettled(params, retirees_transferable=retirees, balance_moves_with_relationship=moves, arrears_block_transfer=arrears)
    return TransferDecision(
        relationship_transferable=relationship,
        balance_transferable=balance,
        blockers=tuple(blockers),
        balance_within_province=None if within is None else within.value,
        basis=basis,
        citations=() if basis else params.nearest_citations("retirees_transferable"),
        not_modelled=missing,
        modelled=not missing,
    )


def withdrawal_decision(params: Params, *, extra: tuple[Applied, ...] = (), also_not_modelled: tuple[str, ...] = ()) -> WithdrawalDecision:
    """The grounds listed by ``withdrawal_grounds`` in force on the date."""
    grounds = params["withdrawal_grounds"]
    if grounds is None:
        return WithdrawalDecision(
            grounds=(),
            basis=extra,
            citations=params.nearest_citations("withdrawal_grounds"),
            not_modelled=unsettled(params, withdrawal_grounds=grounds) + tuple(params.not_modelled(topic) for topic in also_not_modelled),
            modelled=False,
        )
    return WithdrawalDecision(
        grounds=grounds.value, basis=(grounds, *extra), not_modelled=tuple(params.not_modelled(topic) for topic in also_not_modelled)
    )
