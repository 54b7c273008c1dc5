"""Rule logic shared by layers: each builds a decision from standard parameter names.

A layer's hook reads what is particular to it and calls one of these; a layer whose
file redefines a parameter (``withdrawal_grounds``, say) changes the answer without
copying the logic. (Lapse rules live in :mod:`yibao.lapse`.)
"""

from __future__ import annotations

import attrs

from .decisions import Decision, FamilyChannel, FamilyDecision, TransferDecision, WithdrawalDecision
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


def show_ceiling(decision: Decision, params: Params, name: str, ceiling: str) -> Decision:
    """Where ``decision`` could not settle ``name`` (no value: a rule each area sets), put the
    ceiling a source sets (``ceiling``, a parameter marked ``ceiling = true``) in its basis,
    flagged as such, and give the reason from the ``[not_modelled]`` entry ``name``.

    The ceiling is shown, never applied: the field it bounds stays not modelled.
    """
    if params[name] is not None or not any(item.topic == name for item in decision.not_modelled):
        return decision
    bound = params[ceiling]
    reason = params.not_modelled(name)
    return attrs.evolve(
        decision,
        basis=decision.basis + present(bound),
        not_modelled=tuple(reason if item.topic == name else item for item in decision.not_modelled),
        notes=decision.notes + ((f"{ceiling} = {bound.value} is a ceiling, not {name}: shown, not applied",) if bound else ()),
    )


def family_decision(
    params: Params,
    *,
    scope: str | None,
    extra: tuple[Applied, ...] = (),
    conditions: tuple[str, ...] = (),
    also_not_modelled: tuple[str, ...] = (),
    notes: tuple[str, ...] = (),
    channels: tuple[FamilyChannel, ...] = (),
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
        channels=channels,
        basis=basis,
        citations=() if basis else params.nearest_citations("family_relations"),
        not_modelled=missing + tuple(params.not_modelled(topic) for topic in also_not_modelled),
        modelled=not missing,
        notes=notes,
    )


def wallet_channel(params: Params) -> FamilyChannel | None:
    """The national medical-insurance wallet (医保钱包), where it is in force: relatives in
    any province, the national relatives and uses, the wallet's own conditions."""
    wallet, relations, uses = params["family_scope"], params["family_relations"], params["family_uses"]
    if wallet is None:
        return None
    conditions = params["wallet_conditions"]
    return FamilyChannel(
        channel="wallet",
        scope=wallet.value,
        relations=() if relations is None else relations.value,
        uses=() if uses is None else uses.value,
        conditions=() if conditions is None else conditions.value,
    )


def wallet_unknowns(params: Params) -> tuple[str, ...]:
    """``("wallet_conditions",)`` while the wallet is in force and its conditions are not stated."""
    return ("wallet_conditions",) if params["family_scope"] is not None and params["wallet_conditions"] is None else ()


def widest_channel(channels: tuple[FamilyChannel, ...]) -> FamilyChannel | None:
    """The channel that reaches furthest (the first on a tie); ``None`` without channels."""
    widest = None
    for channel in channels:
        if channel.scope is not None and (widest is None or SCOPE_REACH[channel.scope] > SCOPE_REACH[widest.scope]):  # type: ignore[index]
            widest = channel
    return widest


def family_with_own_channel(
    params: Params,
    own: Applied | None,
    *,
    own_reach: str,
    also_not_modelled: tuple[str, ...] = (),
    channel: str = "province_mutual_aid",
    own_uses: tuple[str, ...] | None = None,
) -> FamilyDecision:
    """A region's family decision when it has a mutual-aid channel of its own (``own``,
    e.g. authorisation at designated institutions in the province) beside the national
    wallet (``family_scope``). Each is reported in ``channels`` with its own reach and
    conditions (the region's ``family_conditions`` belong to its own channel); ``scope``
    and ``conditions`` are the widest channel's, and a note says so when the wallet
    reaches further. ``own_reach`` describes the region's own channel; ``own_uses`` what
    it pays for, when that is narrower than the layer's ``family_uses``."""
    relations, uses, conditions = params["family_relations"], params["family_uses"], params["family_conditions"]
    channels: list[FamilyChannel] = []
    if own is not None:
        channels.append(
            FamilyChannel(
                channel=channel,
                scope=own.value,
                relations=() if relations is None else relations.value,
                uses=own_uses if own_uses is not None else (() if uses is None else uses.value),
                conditions=() if conditions is None else conditions.value,
            )
        )
    wallet = wallet_channel(params)
    if wallet is not None:
        channels.append(wallet)
        also_not_modelled += wallet_unknowns(params)
    widest = widest_channel(tuple(channels))
    wider = own is not None and widest is wallet and wallet is not None
    return family_decision(
        params,
        scope=None if widest is None else widest.scope,
        extra=present(own, params["family_scope"], conditions, params["wallet_conditions"] if wallet else None),
        conditions=() if widest is None else widest.conditions,
        channels=tuple(channels),
        also_not_modelled=also_not_modelled,
        notes=(
            f"{own_reach}; the national medical-insurance wallet reaches relatives in other provinces, so the widest channel is reported (each channel with its own conditions under channels).",
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
