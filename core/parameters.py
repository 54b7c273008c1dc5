"""A layer's parameters as dated, cited data, and their values in force on a date.

A parameter file (TOML, ``schemas/region.schema.json``) lists for every parameter its
values with ``from`` and optional ``to`` dates and the citations each value rests on.
Resolving at a date gives :class:`Applied` values; a value whose explicit ``to`` lies
before the date still applies when nothing newer is known, flagged ``stale``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType as MappingProxy
from typing import Any, TypeVar

import attrs

from . import _region_validator
from ._schema_error import JsonSchemaValueException
from .citations import Citation, Dispute, Source
from .errors import InputError, ParameterFileError
from .frozen import ReadOnlyDict
from .jsonform import jsonable
from .reading import read_text
from .tomlcache import dates_as_text as _dates_as_text
from .tomlcache import load as _load_toml
from .tomlcache import parse as _parse_toml

T = TypeVar("T")


def __getattr__(name: str) -> Any:
    """``tomllib`` (or tomli), imported when first asked for: a region file read from the
    cache (:mod:`yibao.tomlcache`) needs neither it nor hashlib."""
    if name == "tomllib":
        if sys.version_info >= (3, 11):
            import tomllib
        else:  # pragma: no cover - exercised on Python < 3.11 only
            import tomli as tomllib
        return tomllib
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
_NUMERIC_UNITS = ("ratio", "yuan")
_INTEGER_UNITS = ("months", "days", "count")


@attrs.frozen
class DatedValue:
    start: date
    end: date | None
    value: Any
    citations: tuple[Citation, ...]
    disputed: tuple[Dispute, ...] = ()
    note: str | None = None
    start_uncertain: bool = False  # no source dates the start: ``start`` is the layer's choice (docs/data.md)


@attrs.frozen
class Applied:
    """A parameter's value in force on a date, with its citations; what hooks read."""

    name: str
    layer: str
    value: Any
    start: date
    end: date | None
    stale: bool
    citations: tuple[Citation, ...]
    disputed: tuple[Dispute, ...] = ()
    note: str | None = None
    start_uncertain: bool = False
    ceiling: bool = False
    hypothetical: bool = False  # supplied by a reform (yibao.reform), not by a source

    _json: dict[str, Any] | None = attrs.field(default=None, init=False, eq=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """``{name, layer, value, from, to, stale}``, with ``from_uncertain``, ``ceiling`` and ``hypothetical``
        (true) only when they hold: built once (an Applied is shared by every member
        evaluated on its date), copied on the way out."""
        found = self._json
        if found is None:
            found = {
                "name": self.name,
                "layer": self.layer,
                "value": jsonable(self.value),
                "from": self.start.isoformat(),
                "to": None if self.end is None else self.end.isoformat(),
                "stale": self.stale,
            }
            if self.start_uncertain:
                found["from_uncertain"] = True
            if self.ceiling:
                found["ceiling"] = True
            if self.hypothetical:
                found["hypothetical"] = True
            object.__setattr__(self, "_json", found)
        out = dict(found)
        if type(out["value"]) is list:
            out["value"] = list(out["value"])
        return out


@attrs.frozen
class Parameter:
    name: str
    description: str
    unit: str
    values: tuple[DatedValue, ...]
    ceiling: bool = False  # the value is an upper bound a source sets ("不超过", "以内"), never the rule itself
    _applied: dict[tuple[int, bool, str], Applied] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    def at(self, day: date, layer: str) -> Applied | None:
        """The value in force on ``day``; ``None`` before the first value or in a gap."""
        found = None
        for candidate in self.values:
            if candidate.start <= day:
                found = candidate
            else:
                break
        if found is None:
            return None
        is_last = found is self.values[-1]
        if found.end is not None and day > found.end and not is_last:
            return None
        stale = found.end is not None and day > found.end
        key = (id(found), stale, layer)
        applied = self._applied.get(key)
        if applied is None:  # one object per value: every day it is in force shares it (setdefault: one winner across threads)
            applied = self._applied.setdefault(
                key,
                Applied(
                    self.name,
                    layer,
                    found.value,
                    found.start,
                    found.end,
                    stale,
                    found.citations,
                    found.disputed,
                    found.note,
                    found.start_uncertain,
                    self.ceiling,
                ),
            )
        return applied


@attrs.frozen
class NotModelled:
    """A topic no source settles, reported instead of an invented value."""

    topic: str
    reason: str
    reason_zh: str | None = None  # the layer's own Chinese wording ([not_modelled_zh]), for --lang zh

    def to_dict(self) -> dict[str, str]:
        out = {"topic": self.topic, "reason": self.reason}
        if self.reason_zh:
            out["reason_zh"] = self.reason_zh
        return out


@attrs.frozen
class RegionData:
    """Everything one parameter file says: who the layer is, its sources, its parameters."""

    code: str
    name_zh: str
    name_en: str
    spec_version: int
    parent: str | None
    description: str | None
    file: str
    sources: Mapping[str, Source]
    parameters: Mapping[str, Parameter]
    not_modelled: Mapping[str, str]
    not_modelled_zh: Mapping[str, str] = attrs.field(factory=dict)
    province: str | None = None  # the province the region lies in (``[region] province``), for moves
    #: ``[rules.<area>]`` tables as written (kind and settings), turned into hooks by yibao.vocabulary
    rules: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict)
    sha256: str = ""  # of the file as read (load_region_file); "" when parsed from text
    _cache: dict[date, dict[str, Applied]] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    def applied(self, day: date) -> dict[str, Applied]:
        """This file's own values in force on ``day`` (memoised per day); gaps left out."""
        found = self._cache.get(day)
        if found is None:
            if len(self._cache) > 4096:
                self._cache.clear()
            found = {}
            for name, parameter in self.parameters.items():
                value = parameter.at(day, self.code)
                if value is not None:
                    found[name] = value
            self._cache[day] = found
        return found


class Params(ReadOnlyDict):
    """What a layer's hooks read: parameters in force on one date, the layer's own over
    those of the layers below it (never above).

    ``params["credit_rate"]`` is an :class:`Applied` (value, dates, citations, and the
    layer whose file supplied it) or ``None`` when some layer defines the parameter but
    none has a value in force on that date. A name no layer defines raises ``KeyError``:
    that is a bug in the plugin, not a gap in the sources.

    It is a read-only ``dict`` (every known name, ``None`` where nothing is in force), so
    a lookup on the hot path costs what a dict lookup costs.
    """

    _why = "Params are read-only: a layer's values come from its parameter file"
    __slots__ = ("_owner", "_day", "_known", "_not_modelled", "_reasons", "_once", "_on")

    def __init__(
        self,
        owner: str,
        day: date,
        applied: dict[str, Applied],
        known: Mapping[str, Parameter],
        not_modelled: Mapping[str, str | NotModelled],
        on: Callable[[date], Params] | None = None,
    ) -> None:
        super().__init__(dict.fromkeys(known))
        dict.update(self, applied)  # the one write, before anyone can see it
        self._owner = owner
        self._day = day
        self._known = known
        self._not_modelled = not_modelled
        self._reasons: dict[str, NotModelled] = {}
        self._once: dict[str, Any] = {}
        self._on = on

    @property
    def owner(self) -> str:
        """The layer whose view this is."""
        return self._owner

    @property
    def day(self) -> date:
        """The date the values are in force on."""
        return self._day

    def __missing__(self, name: str) -> Applied | None:
        raise KeyError(f"no layer up to {self.owner!r} defines a parameter {name!r}")

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        return dict.get(self, name, default)

    def __hash__(self) -> int:  # type: ignore[override]
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    def __copy__(self) -> Params:
        return self  # immutable: a copy would be the same

    def __deepcopy__(self, memo: dict[int, Any]) -> Params:
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self),))  # pickles as the plain mapping it shows

    def on(self, day: date) -> Params:
        """The same layer's view of the parameters on another ``day``.

        For a rule that judges a past event by the rules of its own date (a gap that
        ended in 2025 is judged by the recovery rule in force when payment resumed, not
        by the rule in force on the as-of date). A view built outside a stack has no
        other days: it answers for its own day only.
        """
        if day == self._day:
            return self
        if self._on is None:
            return _alone(self, day)
        return self._on(day)

    def once(self, key: str, make: Callable[[], T]) -> T:
        """``make()``, computed once for this date and this layer's view, then reused.

        For an answer that depends on the date's parameters only, never on the member
        (family scope, withdrawal grounds): decisions are immutable, so every member
        evaluated on that date can share it. ``key`` names the answer within the layer.
        """
        try:
            return self._once[key]  # type: ignore[no-any-return]
        except KeyError:
            found = self._once[key] = make()
            return found

    def nearest_citations(self, name: str) -> tuple[Citation, ...]:
        """Citations of the value closest in time to the date, for a parameter with none
        in force: what a "not modelled" answer points to (the source whose dates stop short)."""
        key = "\0nearest:" + name  # memoised with once()'s answers: a view is asked this for every member
        found = self._once.get(key)
        if found is None:
            if name not in self._known:
                raise KeyError(f"no layer up to {self.owner!r} defines a parameter {name!r}")
            values = self._known[name].values
            if not values:  # declared with no value at all (a rule each area sets): nothing to point to
                found = ()
            else:
                later = [value for value in values if value.start > self.day]
                found = (later[0] if later else values[-1]).citations
            self._once[key] = found
        return found  # type: ignore[no-any-return]

    def value(self, name: str) -> Any:
        """The bare value in force, or ``None``."""
        applied = self[name]
        return None if applied is None else applied.value

    def not_modelled(self, topic: str) -> NotModelled:
        """The stated reason (from this layer's file or one below) why ``topic`` is not modelled."""
        found = self._reasons.get(topic)
        if found is not None:
            return found
        try:
            reason = self._not_modelled[topic]
            found = self._reasons[topic] = reason if isinstance(reason, NotModelled) else NotModelled(topic, reason)
            return found
        except KeyError:
            raise KeyError(f"no layer up to {self.owner!r} has a [not_modelled] entry {topic!r}") from None


def _alone(params: Params, day: date) -> Params:
    """Another day's view for Params built by hand (tests, tools): the known parameters
    at ``day``, all taken as this layer's own (there are no layers below to merge)."""
    applied = {}
    for name, parameter in params._known.items():
        value = parameter.at(day, params.owner)
        if value is not None:
            applied[name] = value
    return Params(params.owner, day, applied, params._known, params._not_modelled)


def load_region_file(path: Path | str, *, display_name: str | None = None) -> RegionData:
    """Read, validate and convert one parameter file; any problem raises ParameterFileError
    (a path that is not a ``str`` or ``Path``: InputError)."""
    if not isinstance(path, (str, Path)):
        raise InputError("path", f"expected the path of a region.toml (str or pathlib.Path), got {type(path).__name__}")
    path = Path(path)
    name = display_name or str(path)
    # at most 1 MiB: a plugin shipping /dev/zero fails, the host does not
    try:
        # The document as parsed (yibao.tomlcache keeps it while the file is unchanged) and
        # the hash of the file as read (UTF-8 decoding is lossless, so these are its bytes):
        # provenance names the exact file.
        plain, digest = _load_toml(os.path.abspath(path), lambda: read_text(str(path), "", name="the file"))
    except InputError as exc:
        raise ParameterFileError(name, "", exc.reason) from None
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise ParameterFileError(name, "", f"invalid TOML: {exc}") from None
    return attrs.evolve(_from_document(plain, name), sha256=digest)


def parse_region_text(text: str, name: str) -> RegionData:
    try:
        plain = _parse_toml(text)
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise ParameterFileError(name, "", f"invalid TOML: {exc}") from None
    return _from_document(plain, name)


def _from_document(plain: dict[str, Any], name: str) -> RegionData:
    """A parsed parameter file (dates as text), checked against the schema and built."""
    try:
        _region_validator.validate(plain)
    except JsonSchemaValueException as exc:
        from .validation import explain

        key, reason = explain(exc)
        raise ParameterFileError(name, key, reason) from None
    return _build(plain, name)


def _build(raw: dict[str, Any], name: str) -> RegionData:
    sources = {key: Source(id=key, layer=raw["region"]["code"], **fields) for key, fields in raw["sources"].items()}

    def cite(entry: dict[str, Any], key: str) -> Citation:
        source = sources.get(entry["source"])
        if source is None:
            raise ParameterFileError(name, f"{key}.source", f"unknown source {entry['source']!r} (defined: {', '.join(sorted(sources))})")
        return Citation(source, entry["quote"], entry["confidence"], entry.get("note"))

    parameters = {}
    for pname, spec in raw["parameters"].items():
        values = []
        for i, item in enumerate(spec["values"]):
            key = f"parameters.{pname}.values[{i}]"
            start = _day(item["from"], name, f"{key}.from")
            end = _day(item["to"], name, f"{key}.to") if "to" in item else None
            if end is not None and end < start:
                raise ParameterFileError(name, f"{key}.to", f"{item['to']} is before from ({item['from']})")
            value = _typed(item["value"], spec["unit"], name, f"{key}.value")
            citations = tuple(cite(c, f"{key}.citations[{j}]") for j, c in enumerate(item["citations"]))
            disputed = tuple(
                Dispute(
                    pname,
                    _reading(d["value"], spec["unit"], name, f"{key}.disputed[{j}].value"),
                    cite(d, f"{key}.disputed[{j}]"),
                    d["note"],
                    d.get("note_zh"),
                )
                for j, d in enumerate(item.get("disputed", ()))
            )
            values.append(DatedValue(start, end, value, citations, disputed, item.get("note"), bool(item.get("from_uncertain", False))))
        values.sort(key=lambda v: v.start)
        for earlier, later in zip(values, values[1:]):
            if earlier.start == later.start or (earlier.end is not None and earlier.end >= later.start):
                raise ParameterFileError(
                    name, f"parameters.{pname}.values", f"values overlap: one from {earlier.start} and one from {later.start}"
                )
        parameters[pname] = Parameter(pname, spec["description"], spec["unit"], tuple(values), bool(spec.get("ceiling", False)))

    region = raw["region"]
    return RegionData(
        code=region["code"],
        name_zh=region["name_zh"],
        name_en=region["name_en"],
        spec_version=region["spec_version"],
        parent=region.get("parent"),
        description=region.get("description"),
        file=name,
        sources=MappingProxy(sources),
        parameters=MappingProxy(parameters),
        not_modelled=MappingProxy(dict(raw.get("not_modelled", {}))),
        not_modelled_zh=MappingProxy(dict(raw.get("not_modelled_zh", {}))),
        province=region.get("province"),
        rules=MappingProxy({area: MappingProxy(table) for area, table in raw.get("rules", {}).items()}),
    )


def _day(text: str, name: str, key: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ParameterFileError(name, key, f"{text!r} is not a real date") from None


def _reading(value: Any, unit: str, name: str, key: str) -> Any:
    """A disputed reading: typed like the parameter's values, or kept as written when it is
    prose (a reading that is no value of this parameter, e.g. a pre-reform funding rule)."""
    try:
        return _typed(value, unit, name, key)
    except ParameterFileError:
        if isinstance(value, str):
            return value
        raise


def _typed(value: Any, unit: str, name: str, key: str) -> Any:
    """Check a value against its parameter's unit and give it its Python type."""
    if unit in _NUMERIC_UNITS:
        number = None
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            number = Decimal(value)
        elif isinstance(value, str):
            try:
                number = Decimal(value)
            except ArithmeticError:
                pass
        if number is None or not number.is_finite():
            raise ParameterFileError(name, key, f"expected a number for unit {unit!r}, got {value!r}")
        if unit == "ratio" and not 0 <= number <= 1:
            # a share of a whole: 2% is written 0.02, and "2" would credit twice the base
            raise ParameterFileError(name, key, f"a ratio lies between 0 and 1 (2% is written 0.02), got {value!r}")
        return number
    if unit in _INTEGER_UNITS:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ParameterFileError(name, key, f"expected a whole number for unit {unit!r}, got {value!r}")
    if unit == "bool":
        if isinstance(value, bool):
            return value
        raise ParameterFileError(name, key, f"expected true or false, got {value!r}")
    if unit == "code":
        if isinstance(value, str):
            return value
        raise ParameterFileError(name, key, f"expected a code (string), got {value!r}")
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise ParameterFileError(name, key, f"expected a list of codes, got {value!r}")
