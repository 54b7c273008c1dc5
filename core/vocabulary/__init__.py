"""The rule vocabulary: rule shapes the regions share, parameterised by ``[rules.<area>]``
tables in a region.toml, so a region needs Python only for a shape the vocabulary lacks.

A *kind* is a library rule ``rule(member, as_of, params, settings) -> Decision | None``
with a documented settings shape (:class:`Setting`), checked when the file is loaded and
by ``policy validate``. The host turns a layer's ``[rules.credit] kind = "rate_on_base"``
into that layer's ``credit_rate`` hook (:mod:`yibao.vocabulary.binding`). Every kind is
listed in docs/data.md. Adding one is one line in :data:`KINDS`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import credit, family, lapse, transfer, withdrawal
from .kinds import Kind, Setting, check_settings, names_in

#: Every kind, by (area, name). Areas: credit, lapse, family, transfer, withdrawal, transfer_in.
KINDS: dict[tuple[str, str], Kind] = {
    kind.key: kind
    for kind in (
        credit.RATE_ON_BASE,
        family.WALLET,
        family.OWN_CHANNEL,
        family.CHANNELS,
        transfer.BLOCKERS,
        withdrawal.GROUNDS,
        lapse.RECOVERY,
        lapse.ARRIVAL,
    )
}
#: The areas a ``[rules.<area>]`` table may name, with the hook each becomes.
AREA_HOOKS = {
    "credit": "credit_rate",
    "lapse": "lapse_effect",
    "family": "family_scope",
    "transfer": "transfer_rules",
    "withdrawal": "withdrawal_conditions",
    "transfer_in": "transfer_in",
}


def kind_of(area: str, table: Mapping[str, Any]) -> Kind | None:
    """The kind a ``[rules.<area>]`` table names, or ``None`` when the registry has none."""
    return KINDS.get((area, str(table.get("kind"))))


def check(rules: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, str]]:
    """Every problem of a file's ``[rules]`` tables as (location, reason); empty when sound."""
    problems = []
    for area, table in rules.items():
        where = f"rules.{area}"
        kind = kind_of(area, table)
        if kind is None:
            known = ", ".join(sorted(name for a, name in KINDS if a == area)) or "none yet"
            problems.append((f"{where}.kind", f"no kind {table.get('kind')!r} for {area} (known: {known}; docs/data.md)"))
            continue
        settings = {key: value for key, value in table.items() if key != "kind"}
        problems += check_settings(kind.settings, settings, where)
    return problems


def names(rules: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, str, str]]:
    """(location, "parameter" or "topic", name) for every name the tables' settings give."""
    out = []
    for area, table in rules.items():
        kind = kind_of(area, table)
        if kind is not None:
            out += names_in(kind.settings, {key: value for key, value in table.items() if key != "kind"}, f"rules.{area}")
    return out


__all__ = ["AREA_HOOKS", "KINDS", "Kind", "Setting", "check", "kind_of", "names"]
