"""Scenario files: a member, a date and the expected fields of the decision, as TOML data.

``[[scenario]]`` tables evaluate the member in the file's region; ``[[move]]`` tables
move the member between two regions (``from`` and ``to``, one of them the file's
region by default) and check fields of ``Move.to_dict()``::

    [[move]]
    name = "a 5-month gap: six paid months in Zhejiang first"
    source = "断缴3个月后的续缴需连续缴费满6个月,医保待遇方可恢复"
    from = "shenzhen"                  # "to" defaults to the file's region
    on = 2026-03-01
    member = { category = "employee", contributions = [{ from = "2020-01", to = "2025-09" }, { from = "2026-03", to = "2026-12" }] }
    [move.expect]
    "destination_wait_months" = 6
    "pooled_benefits_resume" = 2026-09-01
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from ..errors import InputError, YibaoError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_SCENARIO_KEYS = {"name", "region", "source", "as_of", "member", "expect", "raises"}
_MOVE_KEYS = {"name", "source", "from", "to", "on", "member", "expect", "raises"}


@attrs.frozen
class Scenario:
    name: str
    region: str
    as_of: date
    member: dict[str, Any]
    expect: dict[str, Any] = attrs.field(factory=dict)
    raises: str | None = None  # the field path of an expected InputError
    source: str | None = None
    file: str = ""
    kind: str = "evaluate"  # "evaluate" ([[scenario]]) or "move" ([[move]])
    origin: str | None = None  # a move's "from"
    destination: str | None = None  # a move's "to"


class ScenarioFailure(AssertionError):
    """What a scenario expected and what it got, field by field."""


def load_scenarios(path: Path) -> list[Scenario]:
    """Read a ``*.scenarios.toml`` file; a malformed one raises ValueError naming the place."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"{path.name}: cannot read scenarios: {exc}") from None
    unknown = set(data) - {"region", "scenario", "move"}
    if unknown:
        raise ValueError(f"{path.name}: unknown top-level key(s) {sorted(unknown)} (allowed: region, scenario, move)")
    default_region = data.get("region")
    out = []
    for i, raw in enumerate(data.get("scenario", [])):
        where = f"{path.name}: scenario[{i}]"
        unknown = set(raw) - _SCENARIO_KEYS
        if unknown:
            raise ValueError(f"{where}: unknown key(s) {sorted(unknown)} (allowed: {', '.join(sorted(_SCENARIO_KEYS))})")
        for key in ("name", "as_of", "member"):
            if key not in raw:
                raise ValueError(f"{where}: {key!r} is required")
        region = raw.get("region", default_region)
        if not region:
            raise ValueError(f"{where}: no region (set it at the top of the file or in the scenario)")
        if not isinstance(raw["as_of"], date) or hasattr(raw["as_of"], "hour"):
            raise ValueError(f"{where}: as_of must be a TOML date such as 2026-03-01")
        if "expect" not in raw and "raises" not in raw:
            raise ValueError(f"{where}: give 'expect' (fields of the evaluation) or 'raises' (a field path)")
        out.append(
            Scenario(
                raw["name"], region, raw["as_of"], raw["member"], raw.get("expect", {}), raw.get("raises"), raw.get("source"), path.name
            )
        )
    out += [_move(path, i, raw, default_region) for i, raw in enumerate(data.get("move", []))]
    if not out:
        raise ValueError(f"{path.name}: no [[scenario]] or [[move]] tables")
    return out


def _move(path: Path, i: int, raw: dict[str, Any], default_region: str | None) -> Scenario:
    """One ``[[move]]`` table: ``from`` and ``to`` (the file's region by default, not both), ``on``, a member."""
    where = f"{path.name}: move[{i}]"
    unknown = set(raw) - _MOVE_KEYS
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {sorted(unknown)} (allowed: {', '.join(sorted(_MOVE_KEYS))})")
    for key in ("name", "on", "member"):
        if key not in raw:
            raise ValueError(f"{where}: {key!r} is required")
    if "from" not in raw and "to" not in raw:
        raise ValueError(f"{where}: give 'from' or 'to' (the other is the file's region)")
    origin, destination = raw.get("from", default_region), raw.get("to", default_region)
    if not origin or not destination:
        raise ValueError(f"{where}: no region to move from or to (set region at the top of the file, or both 'from' and 'to')")
    if not isinstance(raw["on"], date) or hasattr(raw["on"], "hour"):
        raise ValueError(f"{where}: on must be a TOML date such as 2026-03-01")
    if "expect" not in raw and "raises" not in raw:
        raise ValueError(f"{where}: give 'expect' (fields of the move) or 'raises' (a field path)")
    return Scenario(
        raw["name"],
        default_region or origin,
        raw["on"],
        raw["member"],
        raw.get("expect", {}),
        raw.get("raises"),
        raw.get("source"),
        path.name,
        kind="move",
        origin=origin,
        destination=destination,
    )


def run_scenario(scenario: Scenario, engine: Any) -> None:
    """Evaluate and compare; raise ScenarioFailure listing every field that differs.

    An overlay's scenarios (``region = "shenzhen.pilot"``) evaluate the region it changes.
    """
    region = scenario.region.split(".", 1)[0]

    def answer() -> Any:
        if scenario.kind == "move":  # an overlay's file moves members from or to the region it changes
            origin, destination = (str(code).split(".", 1)[0] for code in (scenario.origin, scenario.destination))
            return engine.move(origin, destination, scenario.member, scenario.as_of)
        return engine.evaluate(region, scenario.member, scenario.as_of)

    if scenario.raises is not None:
        try:
            answer()
        except InputError as exc:
            if exc.path != scenario.raises:
                raise ScenarioFailure(f"expected an input error on {scenario.raises!r}, got one on {exc.path!r}: {exc}") from None
            return
        raise ScenarioFailure(f"expected an input error on {scenario.raises!r}, the {scenario.kind} succeeded")
    try:
        data = answer().to_dict()
    except YibaoError as exc:
        raise ScenarioFailure(f"{scenario.kind} failed: {exc}") from None
    wrong = []
    for path, expected in scenario.expect.items():
        got = _lookup(data, path)
        if _plain(expected) != got:
            wrong.append(f"  {path}: expected {_plain(expected)!r}, got {got!r}")
    if wrong:
        raise ScenarioFailure("\n".join(wrong))


def _lookup(data: Any, path: str) -> Any:
    node = data
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return f"<no field {path!r}>"
    return node


def _plain(value: Any) -> Any:
    """TOML values in the evaluation's JSON form (dates as ISO strings)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
