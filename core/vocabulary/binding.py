"""Turning a layer's ``[rules.<area>]`` tables into its hook implementations.

A table becomes the hook of its area only where the plugin does not implement that hook
itself: where both exist the Python hook wins (an author may override one area of a file
shared with another region), and the layer carries a note saying the table is unused,
shown by ``policy regions``. A table whose kind or settings are wrong is a parameter-file
problem, reported with its location, as ``policy validate`` reports it.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from datetime import date
from typing import Any

from ..errors import ParameterFileError
from ..hookspecs import hookimpl
from ..member import Member
from ..parameters import Params, RegionData
from . import AREA_HOOKS, check, kind_of
from .kinds import Kind


def rule_plugin(data: RegionData, implemented: frozenset[str]) -> tuple[object | None, tuple[str, ...]]:
    """(plugin object with one hook per table not shadowed, or None; notes on shadowed tables)."""
    if not data.rules:
        return None, ()
    problems = check(data.rules)
    if problems:
        key, reason = problems[0]
        raise ParameterFileError(data.file, key, reason)
    hooks: dict[str, Any] = {}
    notes = []
    for area, table in data.rules.items():
        hook = AREA_HOOKS[area]
        if hook in implemented:
            notes.append(f"[rules.{area}] is not used: the module's own {hook} answers {area} (docs/data.md)")
            continue
        kind = kind_of(area, table)
        assert kind is not None  # checked above
        settings = {key: value for key, value in table.items() if key != "kind"}  # a plain dict: read on every call
        hooks[hook] = _hook(kind, settings, area == "transfer_in")
    return (types.SimpleNamespace(**hooks) if hooks else None), tuple(notes)


def _hook(kind: Kind, settings: Mapping[str, Any], with_origin: bool) -> Any:
    """The hook function asking ``kind`` with the table's settings."""
    rule = kind.rule
    if with_origin:

        def transfer_in(member: Member, as_of: date, params: Params, origin: Any) -> Any:
            return rule(member, as_of, params, {**settings, "origin": origin})

        return hookimpl(transfer_in)

    def hook(member: Member, as_of: date, params: Params) -> Any:
        return rule(member, as_of, params, settings)

    return hookimpl(hook)
