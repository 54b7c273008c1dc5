"""Reading request bodies: bytes -> JSON -> the arguments of an API call.

The shapes are ``schemas/service.schema.json`` (``evaluate_request``,
``compare_request``); the member inside is checked by ``Member.from_mapping`` exactly
as the CLI and the API check it. Every refusal is a :class:`~.problems.Problem` whose
``field`` is the path in the body. Plain Python: no web library.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from ..errors import YibaoError
from ..member import Member
from ..months import parse_date
from .problems import Problem, from_error, invalid


def parse_json(raw: bytes) -> Any:
    """The body as JSON; 400 when it is not UTF-8 or not JSON (the same reasons as the CLI)."""
    if not raw.strip():
        raise Problem(400, "malformed-body", "Malformed body", "the body is empty: send a JSON object")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Problem(400, "malformed-body", "Malformed body", "the body is not UTF-8 text") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        detail = f"the body is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        raise Problem(400, "malformed-body", "Malformed body", detail) from None
    except (ValueError, RecursionError) as exc:  # a number too long to convert, nesting too deep
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc).split(";")[0]
        raise Problem(400, "malformed-body", "Malformed body", f"the body cannot be read as JSON: {reason}") from None
    if "\\u" in text and _has_lone_surrogate(data):
        raise Problem(400, "malformed-body", "Malformed body", "the body has a lone surrogate escape (\\ud800-\\udfff): not Unicode text")
    return data


def _has_lone_surrogate(data: Any) -> bool:
    """Whether a key or string anywhere in ``data`` holds half a UTF-16 pair (JSON allows
    the escape; no text can contain it, and it would fail every encoder after us)."""
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    except (ValueError, RecursionError):  # already parsed once: cannot happen, but a refusal is not the place to crash
        return False
    return False


def _object(data: Any, allowed: Sequence[str], required: Sequence[str]) -> Mapping[str, Any]:
    if not isinstance(data, dict):
        raise invalid("", f"the body must be a JSON object with {', '.join(required)}, got {_kind(data)}")
    for key in data:
        if key not in allowed:
            raise invalid(str(key), f"unknown field (expected {', '.join(allowed)})")
    for key in required:
        if key not in data:
            raise invalid(key, "required")
    return data


def _member(value: Any) -> Member:
    if not isinstance(value, dict):
        raise invalid("member", f"expected a JSON object (schemas/member.schema.json), got {_kind(value)}")
    try:
        return Member.from_mapping(value)
    except YibaoError as exc:
        raise from_error(exc, "member") from None


def _as_of(data: Mapping[str, Any]) -> date:
    value = data.get("as_of")
    if value is None:
        return date.today()
    try:
        return parse_date(value, "as_of")
    except YibaoError as exc:
        raise from_error(exc) from None


def _region(value: Any, field: str) -> str:
    if not isinstance(value, str) or not value:
        raise invalid(field, f'expected a region code such as "shenzhen", got {_kind(value)}')
    return value


def evaluate_request(data: Any) -> tuple[str, Member, date]:
    """``{"region", "member", "as_of"?}`` -> the arguments of ``PolicyEngine.evaluate``."""
    body = _object(data, ("region", "member", "as_of"), ("region", "member"))
    return _region(body["region"], "region"), _member(body["member"]), _as_of(body)


def compare_request(data: Any) -> tuple[list[str], Member, date]:
    """``{"regions": [...], "member", "as_of"?}`` -> the arguments of ``PolicyEngine.compare``."""
    body = _object(data, ("regions", "member", "as_of"), ("regions", "member"))
    regions = body["regions"]
    if not isinstance(regions, list):
        raise invalid("regions", f"expected a list of region codes (or REGION@YYYY-MM-DD), got {_kind(regions)}")
    if len(regions) < 2:
        raise invalid("regions", f"compare needs two or more regions (or REGION@YYYY-MM-DD dates), got {len(regions)}")
    codes = [_region(value, f"regions[{i}]") for i, value in enumerate(regions)]
    return codes, _member(body["member"]), _as_of(body)


def timeline_request(data: Any) -> tuple[str, Member, str | None, str | None]:
    """``{"region", "member", "from"?, "to"?}`` -> the arguments of ``PolicyEngine.timeline``
    (months "YYYY-MM" or dates; the API checks them and names ``start``/``end``)."""
    body = _object(data, ("region", "member", "from", "to"), ("region", "member"))
    window = []
    for key in ("from", "to"):
        value = body.get(key)
        if value is not None and not isinstance(value, str):
            raise invalid(key, f'expected a month "YYYY-MM" (or a date), got {_kind(value)}')
        window.append(value)
    return _region(body["region"], "region"), _member(body["member"]), window[0], window[1]


def move_request(data: Any) -> tuple[str, str, Member, date]:
    """``{"origin", "destination", "member", "on"?}`` -> the arguments of ``PolicyEngine.move``."""
    body = _object(data, ("origin", "destination", "member", "on"), ("origin", "destination", "member"))
    origin, destination = _region(body["origin"], "origin"), _region(body["destination"], "destination")
    member = _member(body["member"])
    value = body.get("on")
    try:
        day = date.today() if value is None else parse_date(value, "on")
    except YibaoError as exc:
        raise from_error(exc) from None
    return origin, destination, member, day


_EXPLAIN_FIELDS = ("region", "member", "as_of", "area", "month", "from", "to", "origin", "destination", "on")


def explain_request(data: Any) -> tuple[Any, ...]:
    """``POST /v1/explain``: which answer to explain, from the fields given:

    - ``{"region", "member", "as_of"?, "area"?}`` -> ``("evaluation", region, member, day, area)``
    - ``{"region", "member", "month", "from"?, "to"?}`` -> ``("month", region, member, month, start, end)``
    - ``{"origin", "destination", "member", "on"?}`` -> ``("move", origin, destination, member, day)``
    """
    body = _object(data, _EXPLAIN_FIELDS, ("member",))
    if "origin" in body or "destination" in body:
        _only(body, ("origin", "destination", "member", "on"), "a move")
        origin, destination, member, day = move_request(body)
        return ("move", origin, destination, member, day)
    if "region" not in body:
        raise invalid("region", "required (or origin and destination, to explain a move)")
    if "month" in body:
        _only(body, ("region", "member", "month", "from", "to"), "a month of a timeline")
        if not isinstance(body["month"], str):
            raise invalid("month", f'expected a month "YYYY-MM", got {_kind(body["month"])}')
        region, member, start, end = timeline_request({key: value for key, value in body.items() if key != "month"})
        return ("month", region, member, body["month"], start, end)
    _only(body, ("region", "member", "as_of", "area"), "an evaluation")
    area = body.get("area")
    if area is not None and area not in ("credit", "lapse", "family", "transfer", "withdrawal"):
        raise invalid("area", f"{area!r:.40} is not an area (one of credit, lapse, family, transfer, withdrawal)")
    return ("evaluation", _region(body["region"], "region"), _member(body["member"]), _as_of(body), area)


def _only(body: Mapping[str, Any], allowed: Sequence[str], what: str) -> None:
    for key in body:
        if key not in allowed:
            raise invalid(str(key), f"not a field of {what} (expected {', '.join(allowed)})")


def _kind(value: Any) -> str:
    """What a JSON value is, in JSON's words."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
