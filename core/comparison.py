"""The same member in several regions (or one region on several dates), side by side."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Protocol

import attrs

from .areas import AREAS
from .errors import InputError, UnknownRegionError, YibaoError
from .evaluation import AREA_KEYS, Evaluation
from .member import Member
from .months import parse_date


class Evaluator(Protocol):
    """What a comparison needs of an engine (``PolicyEngine`` is one); a protocol, so
    this module never imports the engine that imports it."""

    strict: bool

    def codes(self) -> list[str]: ...

    def evaluate(self, region: str, member: Member | Mapping[str, Any], as_of: date | str | None = None) -> Evaluation: ...


_TARGET = re.compile(r"([a-z][a-z0-9_]*)(?:@(.+))?")


@attrs.frozen
class Target:
    """``shenzhen`` or ``shenzhen@2025-09-01``: a region, on the comparison's date or its own."""

    label: str
    region: str
    as_of: date


def parse_target(text: str, default: date) -> Target:
    found = _TARGET.fullmatch(text.strip()) if isinstance(text, str) else None
    if not found:
        raise InputError("regions", f"{text!r} is not REGION or REGION@YYYY-MM-DD")
    day = default if found.group(2) is None else parse_date(found.group(2), f"regions ({text})")
    return Target(text.strip(), found.group(1), day)


@attrs.frozen
class Comparison:
    """Evaluations by target label; targets that failed keep a one-line reason instead."""

    targets: tuple[Target, ...]
    as_of: date
    member: Member
    results: Mapping[str, Evaluation]
    failures: Mapping[str, str]

    def differences(self) -> list[dict[str, Any]]:
        """``{area, field, values: {label: value}}`` wherever the successful targets disagree."""
        dicts = {label: result.to_dict() for label, result in self.results.items()}
        out = []
        for area, _, _ in AREAS:
            for field in decision_fields(dicts, area):
                values = {label: data[area].get(field) for label, data in dicts.items()}
                if len({_key(value) for value in values.values()}) > 1:
                    out.append({"area": area, "field": field, "values": values})
        return out

    def to_dict(self, citations: str = "compact") -> dict[str, Any]:
        """The JSON form of ``schemas/comparison.schema.json``; ``citations`` as in
        :meth:`Evaluation.to_dict` (each result lists its own ``sources``)."""
        return {
            "regions": [target.label for target in self.targets],
            "as_of": self.as_of.isoformat(),
            "member": self.member.to_dict(),
            "results": {label: result.to_dict(citations) for label, result in self.results.items()},
            "failures": dict(self.failures),
            "differences": self.differences(),
        }


def compare(engine: Evaluator, targets: Sequence[str], member: Member | Mapping[str, Any], as_of: date | str | None = None) -> Comparison:
    """Evaluate ``member`` for each target; a broken region fails alone, with its reason.

    Bad input that concerns every target (the member, a date, an unknown region code)
    raises instead, before anything is evaluated.
    """
    if isinstance(targets, (str, bytes)) or not isinstance(targets, Iterable):
        raise InputError("regions", f"expected a list of region codes, e.g. ['shenzhen', 'zhejiang'], got {type(targets).__name__}")
    targets = tuple(targets)
    if len(targets) < 1:
        raise InputError("regions", "give at least one region, e.g. ['shenzhen', 'zhejiang']")
    day = date.today() if as_of is None else parse_date(as_of)
    parsed = tuple(parse_target(text, day) for text in targets)
    labels = [target.label for target in parsed]
    if len(set(labels)) != len(labels):
        raise InputError("regions", f"a region is named twice: {', '.join(labels)}")
    known = engine.codes()
    for target in parsed:
        if target.region not in known:
            raise UnknownRegionError(target.region, known)
    checked = member if type(member) is Member else Member.from_mapping(member)  # type: ignore[arg-type]
    results: dict[str, Evaluation] = {}
    failures: dict[str, str] = {}
    for target in parsed:
        try:
            results[target.label] = engine.evaluate(target.region, checked, target.as_of)
        except YibaoError as exc:
            if engine.strict:  # YIBAO_STRICT_PLUGINS: no partial comparisons
                raise
            failures[target.label] = str(exc)
    return Comparison(parsed, day, checked, results, failures)


def decision_fields(dicts: Mapping[str, Mapping[str, Any]], area: str) -> list[str]:
    """The decision fields of ``area`` across the answers (JSON form), in order of first appearance."""
    names: dict[str, None] = {}
    for data in dicts.values():
        for key in data[area]:
            if key not in AREA_KEYS:
                names.setdefault(key)
    return list(names)


def _key(value: Any) -> str:
    return repr(sorted(value, key=repr)) if isinstance(value, list) else repr(value)  # lists of codes or of channels
