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
one says so. Units are the region's: a reform cannot change what a parameter is, nor
leave its bounds (no negative amount or wait; a ratio within 0-1; a floor not above
its cap). Each reform value cites the reform file itself (confidence L: no published
source), so an answer resting on it still names what it rests on.

A reform is validated on its own: two reforms are the same (and share a cached stack)
only when their values are the same with the same types (``1`` is not ``True``).
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .citations import Citation, Source
from .errors import InputError, ParameterFileError
from .parameters import Applied, DatedValue, Parameter
from .reading import read_text

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
    values: tuple[tuple[str, tuple[tuple[date, date | None, Any], ...]], ...] = attrs.field(eq=False)
    #: ``values`` with each scalar's type beside it: what equality and the hash compare
    #: (``1 == True`` in Python; as a rate, one is 100% and the other is refused).
    typed: tuple[Any, ...] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "typed", _typed_key(self.values))

    @classmethod
    def load(cls, path: str | Path) -> Reform:
        """Read a reform TOML file; any problem is a :class:`~yibao.ParameterFileError` naming its key."""
        path = Path(path)
        try:
            text = read_text(str(path), "", name="the file")  # at most 1 MiB, as member files: not /dev/zero
        except InputError as exc:
            raise ParameterFileError(str(path), "", exc.reason) from None
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
                if not _plain(item["value"]):
                    raise ParameterFileError(
                        name, f"{where}.value", f"expected a number, a string, true/false or a list of codes, got {_shown(item['value'])}"
                    )
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

        units, ceilings = {}, {}
        known_codes: dict[str, set[str]] = {}  # a code parameter: the codes its values take in the layers
        vocabulary: set[str] = set()  # every code of every list of codes in the layers
        for layer in stack.layers:
            for pname, parameter in layer.data.parameters.items():
                units[pname] = parameter.unit
                ceilings[pname] = parameter.ceiling  # a reformed ceiling is still a ceiling, never the rule
                for dated in parameter.values:
                    if parameter.unit == "code":
                        known_codes.setdefault(pname, set()).add(dated.value)
                    elif isinstance(dated.value, tuple):
                        vocabulary.update(dated.value)
        resolved = {}
        for pname, entries in self.values:
            if pname not in units:
                raise InputError(f"reform.parameters.{pname}", f"no layer of {stack.code!r} defines a parameter {pname!r}")
            values = []
            for i, (start, end, raw) in enumerate(entries):
                where = f"reform.parameters.{pname}.values[{i}].value"
                try:
                    plain = list(raw) if isinstance(raw, tuple) else raw
                    value = _typed(plain, units[pname], self.name, f"parameters.{pname}.values[{i}].value")
                except ParameterFileError as exc:
                    raise InputError(where, exc.reason) from None
                if units[pname] in _NOT_NEGATIVE and value < 0:
                    raise InputError(where, f"a {units[pname]} value cannot be negative, got {raw!r}")
                unknown = _unknown_codes(value, units[pname], known_codes.get(pname, set()), vocabulary)
                if unknown:
                    known = ", ".join(sorted(known_codes.get(pname, set()) if units[pname] == "code" else vocabulary))
                    raise InputError(where, f"{unknown!r} is not a code the rules know here (known: {known})")
                values.append(DatedValue(start, end, value, (self._citation(pname, start, raw),)))
            resolved[pname] = Parameter(pname, f"reform ({self.name})", units[pname], tuple(values), ceilings.get(pname, False))
        _floors_under_caps(resolved, stack)
        return resolved

    def _citation(self, pname: str, start: date, raw: Any) -> Citation:
        """What a reform value rests on: the reform file, not a published source."""
        source = Source(
            id=Path(self.name).name or "reform",
            title=f"Reform {self.name}",
            publisher="a reform file (hypothetical values)",
            date=start.isoformat(),
            layer="reform",
        )
        shown = list(raw) if isinstance(raw, tuple) else raw
        return Citation(source, f"{pname} = {shown!r} from {start}", "L", "hypothetical: supplied by a reform, no published source")


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


_NOT_NEGATIVE = frozenset({"yuan", "months", "days", "count"})


def _floors_under_caps(resolved: Mapping[str, Parameter], stack: Stack) -> None:
    """A reformed ``X_floor`` above ``X_cap`` (or a cap below the floor) on any date a
    reform value starts is refused: no base could lie between them."""
    for pname in resolved:
        stem = pname.removesuffix("_floor").removesuffix("_cap")
        floor_name, cap_name = f"{stem}_floor", f"{stem}_cap"
        if pname not in (floor_name, cap_name):
            continue
        for value in resolved[pname].values:
            day = value.start
            top = stack.params(day)[-1]
            bounds = []
            for name in (floor_name, cap_name):
                mine = resolved[name].at(day, "reform") if name in resolved else None
                found = mine if mine is not None else (top.get(name) if name in top else None)
                bounds.append(None if found is None else found.value)
            floor, cap = bounds
            if floor is not None and cap is not None and floor > cap:
                raise InputError(
                    f"reform.parameters.{pname}", f"on {day} the floor ({floor_name} {floor}) would be above the cap ({cap_name} {cap})"
                )


def _unknown_codes(value: Any, unit: str, codes: set[str], vocabulary: set[str]) -> str | None:
    """The first code of ``value`` no layer uses: a reform may choose among the rules'
    codes, not invent one the answers' schemas (and readers) do not know."""
    if unit == "code":
        return None if value in codes else value  # type: ignore[no-any-return]
    if isinstance(value, tuple):
        return next((item for item in value if item not in vocabulary), None)
    return None


def _plain(value: Any) -> bool:
    """A TOML value a parameter can have: no table, no date, lists of plain values only."""
    if isinstance(value, list):
        return all(not isinstance(item, list) and _plain(item) for item in value)
    return isinstance(value, (bool, int, str, Decimal))


def _shown(value: Any) -> str:
    return "a table" if isinstance(value, Mapping) else f"{type(value).__name__} {value!r}"[:80]


def _typed_key(node: Any) -> Any:
    """``node`` with every scalar as (type, text): equal only when equal and of one type."""
    if isinstance(node, tuple):
        return tuple(_typed_key(item) for item in node)
    return (type(node).__name__, str(node))


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
