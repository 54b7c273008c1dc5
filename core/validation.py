"""Checking plain data against the published schemas, with one clear message per problem.

The checks themselves are generated from ``schemas/`` (see ``tools/gen_validators.py``);
this module turns their first violation into an :class:`~yibao.errors.InputError`
whose path names the field (``contributions[0].from``) and whose reason a person can act on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._schema_error import JsonSchemaValueException
from .errors import InputError

_JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", int: "integer", float: "number", type(None): "null"}


def check(validate: Callable[[Any], Any], data: Any) -> None:
    """Run a generated validator; raise :class:`InputError` naming the first bad field."""
    try:
        validate(data)
    except JsonSchemaValueException as exc:
        path, reason = explain(exc)
        raise InputError(path, reason) from None


def explain(exc: JsonSchemaValueException) -> tuple[str, str]:
    """(field path, reason) for one violation reported by a generated validator."""
    name = exc.name or "data"
    path = name[4:].lstrip(".") if name.startswith("data") else name
    definition = exc.definition if isinstance(exc.definition, dict) else {}
    value = exc.value
    rule = exc.rule
    if rule == "additionalProperties" and isinstance(value, dict):
        allowed = sorted(definition.get("properties", {}))
        unknown = sorted(set(value) - set(allowed))
        key = unknown[0] if unknown else "?"
        hint = _did_you_mean(key, allowed)
        return _join(path, key), f"unknown field {key!r}{hint} (allowed: {', '.join(allowed)})"
    if rule == "required" and isinstance(value, dict):
        missing = sorted(set(definition.get("required", [])) - set(value))
        misspelt = _misspelling(value, definition, missing)
        if misspelt:  # "descripton" present, "description" missing: name the typo
            return _join(path, misspelt[0]), f"unknown field {misspelt[0]!r} (did you mean {misspelt[1]!r}?)"
        return _join(path, missing[0] if missing else "?"), "required field is missing"
    if rule == "enum":
        choices = ", ".join(repr(choice) for choice in definition["enum"])
        return path, f"{value!r} is not one of {choices}"
    if rule == "type":
        expected = definition.get("type")
        return path, f"expected {expected}, got {_JSON_TYPES.get(type(value), type(value).__name__)}"
    described = definition.get("description")
    if rule in ("pattern", "anyOf", "oneOf", "minimum") and described:
        # the schema's shared definitions (amount, month, date) describe what is expected
        return path, f"{value!r} is not {described}"
    message = exc.message.replace(name, path or "value", 1)
    return path, message


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _misspelling(value: dict[str, Any], definition: dict[str, Any], missing: list[str]) -> tuple[str, str] | None:
    import difflib

    known = set(definition.get("properties", {}))
    for key in sorted(set(value) - known):
        close = difflib.get_close_matches(key, missing, n=1)
        if close:
            return key, close[0]
    return None


def _did_you_mean(key: str, allowed: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key, allowed, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""
