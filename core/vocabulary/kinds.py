"""What a kind of rule is, and the check of its settings (the shape docs/data.md lists)."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from ..decisions import Decision
    from ..member import Member
    from ..parameters import Params

Rule = Callable[["Member", date, "Params", Mapping[str, Any]], "Decision | None"]
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
#: Setting types: a parameter or topic name, free text, a list of codes, of names, a flag, a table, a list of tables.
TYPES = ("parameter", "parameters", "topic", "topics", "text", "codes", "bool", "table", "tables", "choice", "months")


@attrs.frozen
class Setting:
    """One setting of a kind: its type, whether it must be given, what it means."""

    type: str
    doc: str
    required: bool = False
    fields: Mapping[str, Setting] = attrs.field(factory=dict)  # of a table, or of each table of a list
    choices: tuple[Any, ...] = ()


@attrs.frozen
class Kind:
    """A library rule for one area and the settings it reads from ``[rules.<area>]``."""

    area: str
    name: str
    rule: Rule
    settings: Mapping[str, Setting]
    doc: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.area, self.name)

    def __call__(self, member: Member, as_of: date, params: Params, settings: Mapping[str, Any]) -> Decision | None:
        return self.rule(member, as_of, params, settings)


def check_settings(shape: Mapping[str, Setting], given: Mapping[str, Any], where: str) -> list[tuple[str, str]]:
    """Problems of ``given`` against ``shape``: unknown or missing keys, wrong types."""
    problems = []
    for key in sorted(set(given) - set(shape)):
        close = difflib.get_close_matches(key, list(shape), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        problems.append((f"{where}.{key}", f"unknown setting {key!r}{hint} (allowed: kind, {', '.join(shape)})"))
    for key, setting in shape.items():
        if key not in given:
            if setting.required:
                problems.append((f"{where}.{key}", f"required setting is missing: {setting.doc}"))
            continue
        problems += _check_value(setting, given[key], f"{where}.{key}")
    return problems


def _check_value(setting: Setting, value: Any, where: str) -> list[tuple[str, str]]:
    kind = setting.type
    if kind in ("parameter", "topic"):
        return [] if isinstance(value, str) and _NAME.match(value) else [(where, f"expected a {kind} name (lower_case), got {value!r}")]
    if kind in ("parameters", "topics", "codes"):
        if isinstance(value, list) and all(isinstance(item, str) and _NAME.match(item) for item in value):
            return []
        return [(where, f"expected a list of names (lower_case), got {value!r}")]
    if kind == "months":
        if isinstance(value, list) and value and all(isinstance(m, int) and not isinstance(m, bool) and 1 <= m <= 12 for m in value):
            return []
        return [(where, f"expected a list of months 1-12, got {value!r}")]
    if kind == "text":
        return [] if isinstance(value, str) and value.strip() else [(where, f"expected text, got {value!r}")]
    if kind == "bool":
        return [] if isinstance(value, bool) else [(where, f"expected true or false, got {value!r}")]
    if kind == "choice":
        return [] if value in setting.choices else [(where, f"{value!r} is not one of {', '.join(map(repr, setting.choices))}")]
    if kind == "table":
        if not isinstance(value, dict):
            return [(where, f"expected a table, got {value!r}")]
        return check_settings(setting.fields, value, where)
    if not isinstance(value, list) or not value or not all(isinstance(item, dict) for item in value):
        return [(where, f"expected a list of tables ([[{where}]]), got {value!r}")]
    return [problem for i, item in enumerate(value) for problem in check_settings(setting.fields, item, f"{where}[{i}]")]


def names_in(shape: Mapping[str, Setting], given: Mapping[str, Any], where: str) -> list[tuple[str, str, str]]:
    """(location, "parameter" or "topic", name) of every parameter and topic a table names."""
    out: list[tuple[str, str, str]] = []
    for key, value in given.items():
        setting = shape.get(key)
        if setting is None:
            continue
        at = f"{where}.{key}"
        if setting.type in ("parameter", "topic") and isinstance(value, str):
            out.append((at, setting.type, value))
        elif setting.type in ("parameters", "topics") and isinstance(value, list):
            out += [(f"{at}[{i}]", setting.type[:-1], item) for i, item in enumerate(value) if isinstance(item, str)]
        elif setting.type == "table" and isinstance(value, dict):
            out += names_in(setting.fields, value, at)
        elif setting.type == "tables" and isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    out += names_in(setting.fields, item, f"{at}[{i}]")
    return out
