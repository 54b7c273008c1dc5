"""Family kinds: which relatives may use the account, for what, and how far it reaches.

- ``wallet``: the national medical-insurance wallet alone (the baseline);
- ``own_channel``: a region's own mutual-aid channel beside the wallet (a province's
  relatives insured in the province), optionally with a resident-premium channel;
- ``channels``: channels listed one by one, each with its reach, relatives, uses and
  conditions read from parameters (Shenzhen: premiums, institutions, the wallet).

``relations`` and ``uses`` cover every channel; ``scope`` and ``conditions`` are the
widest channel's (:func:`yibao.rules.widest_channel`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import attrs

from .. import rules, tracing
from ..decisions import FamilyChannel, FamilyDecision
from ..member import Member
from ..parameters import Params
from . import accounts
from .kinds import Kind, Setting

_GATE = {
    "requires": Setting("parameter", "a parameter that must be in force before the rule applies"),
    "before": Setting("topic", "the [not_modelled] topic while `requires` is not in force (omitted: defer)"),
}


def _gate(params: Params, settings: Mapping[str, Any]) -> tuple[bool, FamilyDecision | None]:
    """(stop, decision): the rule stops while ``requires`` is not in force, not modelled or deferring."""
    required = settings.get("requires")
    if required is None or params[required] is not None:
        return False, None
    before = settings.get("before")
    tracing.step("family.not_yet", en=f"{required} is not in force", zh=f"{required}尚未生效", params=(required,), outcome=None)
    if before is None:
        return True, None
    return True, FamilyDecision(
        relations=(),
        uses=(),
        scope=None,
        citations=params.nearest_citations(required),
        not_modelled=(params.not_modelled(before),),
        modelled=False,
    )


def _traced(decision: FamilyDecision | None, code: str) -> FamilyDecision | None:
    """Name the step (outside ``Params.once``: every member's explanation has it)."""
    if decision is None or not tracing.recording():
        return decision
    tracing.step(
        code,
        en=f"relatives {', '.join(decision.relations) or 'none'} may use the account, reach {decision.scope or 'not modelled'}",
        zh=f"可使用账户的亲属:{'、'.join(decision.relations) or '无'};范围:{decision.scope or '未建模'}",
        params=tuple(applied.name for applied in decision.basis),
        outcome=decision.scope,
    )
    return decision


# --- wallet ---------------------------------------------------------------------------


def wallet(member: Member, as_of: date, params: Params, settings: Mapping[str, Any]) -> FamilyDecision | None:
    """The national wallet: relatives and uses from ``family_relations`` / ``family_uses``."""
    return _traced(params.once("family:wallet", lambda: _wallet(params)), "family.wallet")  # the same for every member on a date


def _wallet(params: Params) -> FamilyDecision:
    scope = params["family_scope"]
    evidence = rules.present(scope, params["wallet_transfer_limit"], params["wallet_transfers_per_day"], params["wallet_conditions"])
    channel = rules.wallet_channel(params)
    return rules.family_decision(
        params,
        scope=None if scope is None else scope.value,
        extra=evidence,
        conditions=() if channel is None else channel.conditions,
        channels=() if channel is None else (channel,),
        also_not_modelled=rules.wallet_unknowns(params),
    )


# --- own_channel ----------------------------------------------------------------------

OWN_SETTINGS = {
    **_GATE,
    "own": Setting("parameter", "the reach of the region's own channel (e.g. province_mutual_aid_scope)", required=True),
    "own_required": Setting("bool", "defer to the layer below while `own` is not in force"),
    "own_uses_only": Setting("bool", "defer unless family_uses is this layer's own statement"),
    "reach": Setting("text", "one sentence on how far the own channel reaches (the note when the wallet reaches further)", required=True),
    "uses": Setting("codes", "what the own channel pays for, when narrower than family_uses"),
    "also_not_modelled": Setting("topics", "[not_modelled] topics reported beside the answer"),
    "unknown_unless": Setting("parameters", "parameters reported as not modelled (same topic) while not in force"),
    "premium": Setting(
        "table",
        "a resident-premium channel after the own one: {conditions}",
        fields={"conditions": Setting("parameter", "its conditions; the channel exists while in force", required=True)},
    ),
}


def own_channel(member: Member, as_of: date, params: Params, settings: Mapping[str, Any]) -> FamilyDecision | None:
    """A region's own channel beside the wallet (:func:`yibao.rules.family_with_own_channel`)."""
    return _traced(params.once("family:own", lambda: _own(params, settings)), "family.own_channel")  # the same for every member on a date


def _own(params: Params, settings: Mapping[str, Any]) -> FamilyDecision | None:
    stop, decision = _gate(params, settings)
    if stop:
        return decision
    if settings.get("own_uses_only"):
        uses = params["family_uses"]
        if uses is None or uses.layer != params.owner:
            tracing.step("family.defer", en="no statement of the uses of this layer's own", zh="本层未规定用途", params=("family_uses",))
            return None
    own = params[settings["own"]]
    if own is None and settings.get("own_required"):
        tracing.step("family.defer", en=f"{settings['own']} is not in force", zh=f"{settings['own']}尚未生效", params=(settings["own"],))
        return None
    unknown = tuple(name for name in settings.get("unknown_unless", ()) if params[name] is None)
    uses = settings.get("uses")
    decision = rules.family_with_own_channel(
        params,
        own,
        own_reach=settings["reach"],
        also_not_modelled=tuple(settings.get("also_not_modelled", ())) + unknown,
        own_uses=None if uses is None else tuple(uses),
    )
    premium = settings.get("premium")
    conditions = None if premium is None else params[premium["conditions"]]
    if conditions is not None and own is not None:
        relations = params["family_relations"]
        channel = FamilyChannel(
            channel="resident_premium_payment",
            scope=own.value,
            relations=() if relations is None else relations.value,
            uses=("resident_premium",),
            conditions=conditions.value,
        )
        channels = (decision.channels[0], channel, *decision.channels[1:])
        decision = attrs.evolve(decision, channels=channels, basis=decision.basis + (conditions,))
    return decision


# --- channels -------------------------------------------------------------------------

_CHANNEL_FIELDS = {
    "channel": Setting("text", "the channel's code (facility_authorisation, resident_premium_payment...)", required=True),
    "scope": Setting("parameter", "its reach (pooling_area, province, nationwide)"),
    "relations": Setting("parameter", "the relatives it reaches"),
    "uses": Setting("parameter", "what it pays for"),
    "uses_codes": Setting("codes", "what it pays for, fixed"),
    "conditions": Setting("parameter", "its conditions"),
    "unknown": Setting("topic", "a [not_modelled] topic reported while the channel is in force"),
}
CHANNELS_SETTINGS = {
    **_GATE,
    "no_account": accounts.SETTING,
    "no_account_note": Setting("text", "the note when the member's tier has no account"),
    "channels": Setting(
        "tables",
        "each channel: [[rules.family.channels]]",
        required=True,
        fields={
            **_CHANNEL_FIELDS,
            "otherwise": Setting("table", "the channel while `scope` is not in force (reach unknown)", fields=_CHANNEL_FIELDS),
        },
    ),
    "wallet": Setting("bool", "the national wallet is a further channel where in force"),
    "basis": Setting("parameters", "the order the evidence is listed in (default: as the channels read it)"),
}


def channels(member: Member, as_of: date, params: Params, settings: Mapping[str, Any]) -> FamilyDecision | None:
    """Channels one by one, each with its own reach, relatives, uses and conditions."""
    if not accounts.has_account(member, params, settings, "family"):
        return _traced(params.once("family:no-account", lambda: _no_account(params, settings)), "family.no_account")
    return _traced(params.once("family:channels", lambda: _channels(params, settings)), "family.channels")  # the same on a date


def _no_account(params: Params, settings: Mapping[str, Any]) -> FamilyDecision:
    note = settings.get("no_account_note", "this tier has no personal account: no relative can use one")
    return FamilyDecision(relations=(), uses=(), scope=None, **accounts.evidence(params, settings), notes=(note,))


def _channels(params: Params, settings: Mapping[str, Any]) -> FamilyDecision | None:
    stop, decision = _gate(params, settings)
    if stop:
        return decision
    built: list[FamilyChannel] = []
    read: list[str] = []
    unknown: list[str] = []
    for spec in settings["channels"]:
        scope = None if "scope" not in spec else params[spec["scope"]]
        if "scope" in spec and scope is None:
            if "otherwise" not in spec:
                continue
            spec = spec["otherwise"]
        built.append(_channel(params, spec, scope, read))
        if "unknown" in spec:
            unknown.append(spec["unknown"])
    wallet_channel = rules.wallet_channel(params) if settings.get("wallet") else None
    if wallet_channel is not None:
        built.append(wallet_channel)
        read += ["family_scope", "family_relations", "family_uses", "wallet_conditions"]
    reach_unknown = any(channel.scope is None for channel in built)
    widest = None if reach_unknown else rules.widest_channel(tuple(built))
    order = settings.get("basis") or read
    basis = rules.present(*(params[name] for name in _unique(name for name in order if name in read)))
    also = tuple(unknown) + (rules.wallet_unknowns(params) if settings.get("wallet") else ())
    return FamilyDecision(
        relations=_union(channel.relations for channel in built),
        uses=_union(channel.uses for channel in built),
        scope=None if widest is None else widest.scope,
        conditions=() if widest is None else widest.conditions,
        channels=tuple(built),
        basis=basis,
        not_modelled=tuple(params.not_modelled(topic) for topic in also),
        modelled=not reach_unknown,
        notes=(_EACH_CHANNEL,) if len(built) > 1 else (),
    )


_EACH_CHANNEL = "each channel reaches its own relatives on its own conditions (channels); scope and conditions are the widest channel's"


def _channel(params: Params, spec: Mapping[str, Any], scope: Any, read: list[str]) -> FamilyChannel:
    """One channel from its parameters, noting which parameters it read."""

    def codes(name: str | None) -> tuple[str, ...]:
        if name is None:
            return ()
        read.append(name)
        return params.value(name) or ()

    if "scope" in spec:
        read.append(spec["scope"])
    uses = tuple(spec["uses_codes"]) if "uses_codes" in spec else codes(spec.get("uses"))
    return FamilyChannel(
        channel=spec["channel"],
        scope=None if scope is None or "scope" not in spec else scope.value,
        relations=codes(spec.get("relations")),
        uses=uses,
        conditions=codes(spec.get("conditions")),
    )


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def _union(groups: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    """Codes of every group, in first-seen order."""
    seen: dict[str, None] = {}
    for group in groups:
        for code in group:
            seen.setdefault(code)
    return tuple(seen)


WALLET = Kind("family", "wallet", wallet, {}, "the national medical-insurance wallet alone")
OWN_CHANNEL = Kind("family", "own_channel", own_channel, OWN_SETTINGS, "a region's own mutual-aid channel beside the wallet")
CHANNELS = Kind("family", "channels", channels, CHANNELS_SETTINGS, "channels one by one, each with its reach, relatives, uses, conditions")
