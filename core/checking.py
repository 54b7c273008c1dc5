"""``policy validate``: every problem in a member or region file, each with its location.

The evaluation path stops at the first problem (generated validators, microseconds);
this lists every schema problem, with jsonschema. Once a file matches its schema, the
checks a schema cannot express follow, in stages: cited sources defined (all listed),
then real dates, ranges in order, values not overlapping (the first found), then units
agreeing with the national baseline (all listed).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs

from .errors import InputError, ParameterFileError
from .reading import read_text


@attrs.frozen
class Report:
    file: str
    kind: str  # "member" | "region"
    problems: tuple[str, ...]
    summary: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def check_file(path: str, kind: str | None = None) -> Report:
    """Check ``path`` as ``kind`` ("member" or "region"; guessed from the file when None)."""
    file = Path(path)
    text = read_text(path, "FILE")  # at most 1 MiB
    kind = kind or ("member" if file.suffix.lower() == ".json" else "region")
    if kind == "member":
        return _member(path, text)
    if kind == "region":
        return _region(path, text)
    raise InputError("--kind", f"{kind!r} is not one of 'member', 'region'")


def _problems(schema_name: str, data: Any) -> list[str]:
    from importlib.resources import files

    import jsonschema

    schema = json.loads(files("yibao.schemas").joinpath(f"{schema_name}.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    out = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        where, reason = friendly(error)
        out.append(f"{where or '(top level)'}: {reason}")
    return out


def friendly(error: Any) -> tuple[str, str]:
    """(field path, reason) for a jsonschema error, in the words ``policy evaluate`` uses:
    the error is handed to :func:`yibao.validation.explain` in the shape of the generated
    validators' exception, so both commands say the same thing about the same input."""
    from ._schema_error import JsonSchemaValueException
    from .validation import explain

    path = _path(error.absolute_path)
    name = "data" + ("" if not path else (path if path.startswith("[") else "." + path))
    shaped = JsonSchemaValueException(error.message, value=error.instance, name=name, definition=error.schema, rule=str(error.validator))
    return explain(shaped)  # rules it has no words for keep jsonschema's message


def _path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _member(path: str, text: str) -> Report:
    from .member import Member

    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        return Report(path, "member", (f"(top level): not valid JSON: {exc}",))
    problems = _problems("member", data)
    if not problems:
        try:
            Member.from_mapping(data)
        except InputError as exc:
            problems.append(str(exc))
    return Report(path, "member", tuple(problems), "" if problems else f"a {data['category']}")


def _region(path: str, text: str) -> Report:
    from .parameters import _dates_as_text, parse_region_text, tomllib

    try:
        raw = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        return Report(path, "region", (f"(top level): invalid TOML: {exc}",))
    problems = _problems("region", _dates_as_text(raw))
    if not problems:
        problems = _unknown_sources(raw)
    if not problems:
        try:
            data = parse_region_text(text, path)
        except ParameterFileError as exc:
            problems.append(f"{exc.key or '(top level)'}: {exc.reason}")
        else:
            problems = _units_against_baseline(data) + _rule_problems(data)
            if not problems:
                return Report(
                    path, "region", (), f"code {data.code}, {_count(data.parameters, 'parameter')}, {_count(data.sources, 'source')}"
                )
    return Report(path, "region", tuple(problems))


def _unknown_sources(raw: dict[str, Any]) -> list[str]:
    """Every citation naming a source the file does not define (the loader stops at the first)."""
    defined = set(raw.get("sources", {}))
    out = []
    for name, parameter in raw.get("parameters", {}).items():
        for i, value in enumerate(parameter.get("values", [])):
            for kind in ("citations", "disputed"):
                for j, entry in enumerate(value.get(kind, [])):
                    if entry.get("source") not in defined:
                        out.append(f"parameters.{name}.values[{i}].{kind}[{j}].source: unknown source {entry.get('source')!r}")
    return out


def _units_against_baseline(data: Any) -> list[str]:
    """A parameter the national baseline also defines must keep its unit (else the region fails to load)."""
    from .plugins import BASELINE, baseline_layer

    if data.code == BASELINE:
        return []
    national = baseline_layer().data.parameters
    return [
        f"parameters.{name}.unit: {parameter.unit!r}, but the national baseline defines {name!r} with unit {national[name].unit!r}"
        for name, parameter in data.parameters.items()
        if name in national and national[name].unit != parameter.unit
    ]


def _rule_problems(data: Any) -> list[str]:
    """Each ``[rules.<area>]`` table: a kind the vocabulary has, settings of its shape, and
    parameters and topics this file or the national baseline defines (a layer on a parent
    may name the parent's, which cannot be checked here)."""
    from .plugins import BASELINE, baseline_layer
    from .vocabulary import check, names

    problems = [f"{where}: {reason}" for where, reason in check(data.rules)]
    if problems or data.parent:
        return problems
    national = baseline_layer().data if data.code != BASELINE else data
    known = {"parameter": set(data.parameters) | set(national.parameters), "topic": set(data.not_modelled) | set(national.not_modelled)}
    where_defined = {"parameter": "[parameters]", "topic": "[not_modelled]"}
    return [
        f"{where}: no {what} {name!r} in this file's {where_defined[what]} or the national baseline's"
        for where, what, name in names(data.rules)
        if name not in known[what]
    ]


def _count(items: Any, noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"
