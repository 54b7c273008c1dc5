"""Reforms: parameter values overridden to see what a change would do, before any
notice is published.

A reform is a TOML file in the region format with the citations optional::

    [parameters.base_floor]            # a parameter some layer of the region defines
    [[parameters.base_floor.values]]
    from = 2027-01-01
    value = 3600

On the dates a reform value is in force it replaces the parameter in every layer that
can see it; elsewhere the region's own values apply. Every value a reform supplies is
``Applied.hypothetical`` (``"hypothetical": true`` in the JSON), so any answer resting on
one says so. Units are the region's: a reform cannot change what a parameter is.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .errors import InputError, ParameterFileError
from .parameters import Applied, DatedValue, Parameter

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python < 3.11 only
    import tomli as tomllib

if TYPE_CHECKING:
    from .stack import Stack

_VALUE_KEYS = frozenset({"from", "to", "value", "citations", "note", "disputed"})
_PARAMETER_KEYS = frozenset({"values", "description", "unit"})


@attrs.frozen
class Reform:
    """Parameter values to put in place of a region's; ``name`` says where they came from.

    ``values`` maps a parameter name to its (from, to, raw value) entries, as written:
    they are typed by the region's units when the reform meets a region.
    """

    name: str
    values: tuple[tuple[str, tuple[tuple[date, date | None, Any], ...]], ...]

    @classmethod
    def load(cls, path: str | Path) -> Reform:
        """Read a reform TOML file; any problem is a :class:`~yibao.ParameterFileError` naming its key."""
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ParameterFileError(str(path), "", f"cannot read: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise ParameterFileError(str(path), "", "not UTF-8 text") from None
        try:
            raw = tomllib.loads(text, parse_float=Decimal)
        except tomllib.TOMLDecodeError as exc:
            raise ParameterFileError(str(path), "", f"invalid TOML: {exc}") from None
        return cls.from_mapping(raw, str(path))

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any], name: str = "reform") -> Reform:
        """A reform from the parsed TOML (``{"parameters": {name: {"values": [...]}}}``)."""
        parameters = raw.get("parameters") if isinstance(raw, Mapping) else None
        if not isinstance(parameters, Mapping) or not parameters:
            raise ParameterFileError(name, "parameters", "a reform overrides at least one parameter: [parameters.NAME] with values")
        unknown = set(raw) - {"parameters", "region", "sources", "not_modelled"}
        if unknown:
            raise ParameterFileError(name, sorted(unknown)[0], "not a table of a reform file (parameters, and optionally region, sources)")
        out = []
        for pname, spec in parameters.items():
            key = f"parameters.{pname}"
            if not isinstance(spec, Mapping) or not isinstance(spec.get("values"), list) or not spec["values"]:
                raise ParameterFileError(name, f"{key}.values", "expected a list of values, each with from and value")
            extra = set(spec) - _PARAMETER_KEYS
            if extra:
                raise ParameterFileError(name, f"{key}.{sorted(extra)[0]}", "unknown key (values, description, unit)")
            entries = []
            for i, item in enumerate(spec["values"]):
                where = f"{key}.values[{i}]"
                if not isinstance(item, Mapping) or "from" not in item or "value" not in item:
                    raise ParameterFileError(name, where, "each value needs from and value")
                extra = set(item) - _VALUE_KEYS
                if extra:
                    raise ParameterFileError(name, f"{where}.{sorted(extra)[0]}", "unknown key (from, to, value, citations, note)")
                start = _day(item["from"], name, f"{where}.from")
                end = _day(item["to"], name, f"{where}.to") if "to" in item else None
                if end is not None and end < start:
                    raise ParameterFileError(name, f"{where}.to", f"{end} is before from ({start})")
                entries.append((start, end, _frozen(item["value"])))
            entries.sort(key=lambda entry: entry[0])
            for (s1, e1, _), (s2, _, _) in zip(entries, entries[1:]):
                if s1 == s2 or (e1 is not None and e1 >= s2):
                    raise ParameterFileError(name, f"{key}.values", f"values overlap: one from {s1} and one from {s2}")
            out.append((str(pname), tuple(entries)))
        return cls(name, tuple(out))

    def resolve(self, stack: Stack) -> dict[str, Parameter]:
        """The reform's parameters typed by the units ``stack`` gives them; a name no
        layer of the region defines, or a value of the wrong kind, is refused by key."""
        from .parameters import _typed

        units = {}
        for layer in stack.layers:
            for pname, parameter in layer.data.parameters.items():
                units[pname] = parameter.unit
        resolved = {}
        for pname, entries in self.values:
            if pname not in units:
                raise InputError(f"reform.parameters.{pname}", f"no layer of {stack.code!r} defines a parameter {pname!r}")
            values = []
            for i, (start, end, raw) in enumerate(entries):
                try:
                    plain = list(raw) if isinstance(raw, tuple) else raw
                    value = _typed(plain, units[pname], self.name, f"parameters.{pname}.values[{i}].value")
                except ParameterFileError as exc:
                    raise InputError(f"reform.parameters.{pname}.values[{i}].value", exc.reason) from None
                values.append(DatedValue(start, end, value, ()))
            resolved[pname] = Parameter(pname, f"reform ({self.name})", units[pname], tuple(values))
        return resolved


def as_reform(reform: Reform | str | Path | Mapping[str, Any]) -> Reform:
    """What the API accepts as ``reform=``: a Reform, the path of a reform file, or its parsed TOML."""
    if isinstance(reform, Reform):
        return reform
    if isinstance(reform, (str, Path)):
        return Reform.load(reform)
    if isinstance(reform, Mapping):
        return Reform.from_mapping(reform)
    raise InputError("reform", f"expected a Reform, a file path or a mapping, got {type(reform).__name__}")


def override(
    merged: dict[str, Applied], known: Mapping[str, Parameter], layer: str, reform: Mapping[str, Parameter], day: date
) -> dict[str, Applied]:
    """``merged`` (one layer's view on ``day``) with the reform's values in force put in,
    for the parameters this layer can see, each marked hypothetical."""
    out = dict(merged)
    for pname, parameter in reform.items():
        if pname not in known:
            continue
        found = parameter.at(day, layer)
        if found is None:
            continue
        below = merged.get(pname)
        out[pname] = attrs.evolve(found, layer=below.layer if below is not None else layer, hypothetical=True)
    return out


def _frozen(value: Any) -> Any:
    """Lists as tuples, so a reform is a hashable value (engines cache its stacks)."""
    return tuple(_frozen(item) for item in value) if isinstance(value, list) else value


def _day(value: Any, name: str, key: str) -> date:
    if isinstance(value, date) and not hasattr(value, "hour"):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ParameterFileError(name, key, f"{value!r} is not a date written YYYY-MM-DD")
