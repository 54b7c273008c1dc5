"""``RegionContract``: checks every region must pass, as a pytest base class."""

from __future__ import annotations

import inspect
from datetime import date
from functools import cache
from typing import Any, ClassVar

import pytest

from .. import hookspecs
from ..areas import AREAS, HOOKS
from ..engine import PolicyEngine
from ..errors import UnknownRegionError
from ..provenance import timeless

#: Members every region is checked with: each category, both tiers, a gap, arrears.
SAMPLE_MEMBERS: dict[str, dict[str, Any]] = {
    "employee": {"category": "employee", "tier": 1, "contribution_base": "10000"},
    "tier2": {"category": "employee", "tier": 2, "contribution_base": "10000"},
    "flexible": {"category": "flexible", "contribution_base": "8000"},
    "retiree": {"category": "retiree", "pension": "6000"},
    "gap": {
        "category": "employee",
        "contribution_base": "12000",
        "contributions": [{"from": "2019-01", "to": "2025-04"}, {"from": "2025-09", "to": "2026-12"}],
    },
    "arrears": {"category": "employee", "contribution_base": "9000", "arrears": True, "balance": "120.50"},
}
SAMPLE_DATES = (date(2022, 6, 1), date(2025, 7, 1), date(2026, 3, 1), date(2027, 3, 1))


def evaluated(code: str) -> str:
    """The region evaluated to test ``code``: an overlay (``shenzhen.pilot``) is tested
    through the region it changes."""
    return code.split(".", 1)[0]


@cache
def engine_for(code: str) -> PolicyEngine:
    """A strict engine that loads the built-ins, the distribution shipping ``code`` and
    those shipping the region it changes and that region's parents; nothing else
    installed on the machine."""
    from ..plugins import discover

    entries = discover()
    if code not in entries:
        raise UnknownRegionError(code, sorted(name for name in entries if "." not in name))
    distributions = {entries[code].distribution}
    scout = PolicyEngine()  # reads parameter files to follow the parent chain
    chain: str | None = evaluated(code)
    while chain and chain in entries:
        distributions.add(entries[chain].distribution)
        chain = scout.layer(chain).data.parent
    return PolicyEngine(load=sorted(d for d in distributions if d), strict=True)


@cache
def _schema_validator() -> Any:
    import json
    from importlib.resources import files

    import jsonschema

    schema = json.loads(files("yibao.schemas").joinpath("evaluation.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


class RegionContract:
    """Subclass in a test module and set ``region``; every test is parametrized over the
    region's areas, sample members and dates. Override ``members`` or ``dates`` to add your
    own cases (say, members with your region's ``extensions``)."""

    region: ClassVar[str] = ""
    members: ClassVar[dict[str, dict[str, Any]]] = SAMPLE_MEMBERS
    dates: ClassVar[tuple[date, ...]] = SAMPLE_DATES

    @pytest.fixture(scope="class")
    @classmethod
    def engine(cls) -> PolicyEngine:
        if not cls.region:
            pytest.fail(f"{cls.__name__}.region is not set")
        return engine_for(cls.region)

    @pytest.fixture(scope="class")
    @classmethod
    def evaluations(cls, engine: PolicyEngine) -> dict[tuple[str, date], Any]:
        """Every sample member on every sample date; a member the region refuses with an
        InputError (a rule of its own, e.g. flexible workers on tier 2) is left out."""
        from ..errors import InputError

        out = {}
        for name, member in cls.members.items():
            for day in cls.dates:
                try:
                    out[(name, day)] = engine.evaluate(evaluated(cls.region), member, day)
                except InputError:
                    continue
        assert out, f"{cls.region} refused every sample member"
        return out

    @pytest.mark.parametrize("area", [area for area, _, _ in AREAS])
    def test_decisions_have_their_types(self, evaluations: dict, area: str) -> None:
        kind = {name: cls for name, _, cls in AREAS}[area]
        for key, result in evaluations.items():
            assert type(result.decisions[area]) is kind, f"{key}: {area} is {type(result.decisions[area]).__name__}"

    def test_output_validates_against_the_schema(self, evaluations: dict) -> None:
        validator = _schema_validator()
        for key, result in evaluations.items():
            problems = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(result.to_dict())]
            assert not problems, f"{key}: " + "; ".join(problems)

    @pytest.mark.parametrize("area", [area for area, _, _ in AREAS])
    def test_every_answer_carries_citations(self, evaluations: dict, area: str) -> None:
        for key, result in evaluations.items():
            data = result.to_dict()[area]
            assert data["citations"], f"{key}: {area} has no citation"
            for citation in data["citations"]:
                assert citation["quote"].strip() and citation["confidence"] in ("H", "M", "L"), f"{key}: {citation}"
            if not data["modelled"]:
                assert data["not_modelled"], f"{key}: {area} is not modelled but says not why"

    def test_answers_are_deterministic(self, engine: PolicyEngine, evaluations: dict) -> None:
        for (name, day), result in evaluations.items():
            again = engine.evaluate(evaluated(self.region), self.members[name], day)
            assert timeless(again.to_dict()) == timeless(result.to_dict()), f"{(name, day)}: two evaluations differ"

    @pytest.mark.parametrize("hook", [hook for _, hook, _ in HOOKS])
    def test_hook_arguments_match_the_specs(self, engine: PolicyEngine, hook: str) -> None:
        layer = engine.layer(self.region)
        spec = set(inspect.signature(getattr(hookspecs, hook)).parameters)
        for impl in getattr(layer.hooks, hook).get_hookimpls():
            extra = set(impl.argnames) - spec
            assert not extra, f"{hook} declares {sorted(extra)}, not in the spec {sorted(spec)}"

    def test_moves_in_are_answered_with_citations(self, engine: PolicyEngine) -> None:
        """Every sample member moving in from another region on every sample date: the
        destination answers ``transfer_in`` with its type and citations, and a "not
        modelled" answer says why (``yibao.move`` is what ``policy move`` shows)."""
        from ..decisions import TransferInDecision
        from ..errors import InputError

        destination = evaluated(self.region)
        origin = next(code for code in engine.codes() if code != destination)
        moved = 0
        for name, member in self.members.items():
            for day in self.dates:
                try:
                    result = engine.move(origin, destination, member, day)
                except InputError:
                    continue  # a member the origin refuses, or a history that starts after the date
                moved += 1
                decision = result.transfer_in
                assert type(decision) is TransferInDecision, f"{(name, day)}: transfer_in is {type(decision).__name__}"
                assert decision.all_citations(), f"{(name, day)}: transfer_in has no citation"
                assert decision.modelled or decision.not_modelled, f"{(name, day)}: not modelled but says not why"
                assert all(step.citations for step in result.steps), f"{(name, day)}: a step without a source"
        assert moved, f"no sample member could move from {origin} to {destination}"

    def test_rule_tables_are_sound_and_used(self, engine: PolicyEngine) -> None:
        """A region of data alone is held to what a Python one is (the checks above ask
        its hooks, whichever wrote them), and its ``[rules.*]`` tables must also be sound:
        a kind the vocabulary has, settings of its shape, every parameter and topic they
        name known to the region's stack, and no table left unused by a Python hook."""
        from ..vocabulary import check, names

        layer = engine.layer(evaluated(self.region))
        problems = [f"{where}: {reason}" for where, reason in check(layer.data.rules)]
        params = engine.stack(evaluated(self.region)).params(self.dates[-1])[-1]
        for where, what, name in names(layer.data.rules):
            if what == "parameter" and name not in params:
                problems.append(f"{where}: no layer of the stack defines a parameter {name!r}")
            if what == "topic":
                try:
                    params.not_modelled(name)
                except KeyError:
                    problems.append(f"{where}: no layer of the stack has a [not_modelled] entry {name!r}")
        problems += [note for note in layer.notes if "is not used" in note]
        assert not problems, "; ".join(problems)

    def test_spec_version_is_supported(self, engine: PolicyEngine) -> None:
        assert engine.layer(self.region).data.spec_version == hookspecs.SPEC_VERSION
