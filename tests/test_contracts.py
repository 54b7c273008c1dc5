"""The published JSON contracts (``schemas/*.json``) hold for what the code produces and reads.

* every ``Evaluation.to_dict()`` and ``Comparison.to_dict()`` validates against its schema;
* the generated validators in ``core/`` are what ``tools/gen_validators.py`` makes today;
* ``Member.from_mapping`` accepts exactly what ``member.schema.json`` accepts, apart from
  the checks a JSON Schema cannot express, which are listed here one by one;
* every region parameter file validates against ``region.schema.json``.

The reference validator is ``jsonschema`` (Draft 2020-12), independent of the generated
fastjsonschema code the library runs, so the two implementations check each other.
"""

from __future__ import annotations

import decimal
import importlib.util
import json
import math
from pathlib import Path

import pytest

import yibao
from yibao.evaluation import AREA_KEYS
from yibao.parameters import _dates_as_text, tomllib

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")
from jsonschema import Draft202012Validator  # noqa: E402
from referencing import Registry, Resource  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "schemas"
SCHEMA_NAMES = ("member", "evaluation", "comparison", "region", "timeline", "move", "explanation")


def load_schema(name: str) -> dict:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def make_registry() -> Registry:
    """All four schemas, by their ``$id`` (so relative ``$ref``s such as
    ``member.schema.json`` resolve against the referring schema's ``$id``) and by file name."""
    resources = []
    for name in SCHEMA_NAMES:
        schema = load_schema(name)
        resource = Resource.from_contents(schema)
        resources.append((schema["$id"], resource))
        resources.append((f"{name}.schema.json", resource))
    return Registry().with_resources(resources)


REGISTRY = make_registry()


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(load_schema(name), registry=REGISTRY)


def errors(name: str, instance: object) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator(name).iter_errors(instance)]


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_is_a_valid_draft_2020_12_schema(name):
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    assert schema["$id"].endswith(f"/{name}.schema.json")


def test_comparison_schema_refs_resolve():
    """The relative $refs of comparison.schema.json reach the other two schemas."""
    resolver = REGISTRY.resolver(base_uri=load_schema("comparison")["$id"])
    assert resolver.lookup("member.schema.json").contents["title"] == "Member"
    assert resolver.lookup("evaluation.schema.json").contents["title"] == "Evaluation"


# --- 1. evaluations ---------------------------------------------------------------------------

MEMBERS = {
    "employee-tier1": {"category": "employee", "tier": 1, "contribution_base": 10000},
    "employee-tier1-no-base": {"category": "employee", "tier": 1},
    "employee-tier1-high-base": {"category": "employee", "tier": 1, "contribution_base": "98000.50", "balance": 1234.5},
    "employee-tier2": {"category": "employee", "tier": 2, "contribution_base": 8000},
    "flexible": {"category": "flexible", "contribution_base": "6733.50"},
    "retiree": {"category": "retiree", "pension": 4200, "balance": "10500.00"},
    "gap": {
        "category": "employee",
        "contribution_base": 12000,
        "contributions": [{"from": "2019-01", "to": "2025-03"}, {"from": "2025-09", "to": "2027-12"}],
    },
    "long-gap-then-nothing": {"category": "employee", "contribution_base": 9000, "contributions": [{"from": "2015-01", "to": "2021-06"}]},
    "arrears": {"category": "employee", "contribution_base": 7000, "arrears": True, "balance": 88},
}
DATES = ("2022-06-01", "2025-07-01", "2026-03-01", "2027-03-01")


def check_evaluation(data: dict) -> None:
    problems = errors("evaluation", data)
    assert not problems, "\n".join(problems)
    for area in ("credit", "lapse", "family", "transfer", "withdrawal"):
        assert data[area]["citations"], f"{area} has no citations"
        assert data[area]["layer"] in data["layers"], (area, data[area]["layer"], data["layers"])
    assert data["layers"][0] == "national"
    assert data["layers"][-1] == data["region"]


@pytest.fixture(scope="module")
def codes(engine) -> list[str]:
    return engine.codes()


@pytest.mark.parametrize("as_of", DATES)
@pytest.mark.parametrize("member", list(MEMBERS), ids=list(MEMBERS))
def test_evaluation_matches_schema(engine, codes, member, as_of):
    checked = 0
    for code in codes:
        try:
            result = engine.evaluate(code, MEMBERS[member], as_of)
        except yibao.InputError as exc:
            # A region may refuse a member outright (a rule of its own); never for a schema reason.
            assert exc.path not in ("", "category"), f"{code}: {exc}"
            continue
        data = result.to_dict()
        check_evaluation(data)
        # The JSON form is really JSON: it survives a round trip unchanged.
        assert json.loads(json.dumps(data, ensure_ascii=False)) == data
        checked += 1
    assert checked, "no region evaluated this member"


@pytest.mark.parametrize("code", ["shenzhen", "jiangxi", "zhejiang", "nanchang", "hangzhou", "guangdong", "guangzhou"])
def test_every_built_in_region_evaluates_a_plain_employee(engine, code):
    assert code in engine.codes()
    for as_of in DATES:
        check_evaluation(engine.evaluate(code, MEMBERS["employee-tier1"], as_of).to_dict())


def test_default_api_evaluation_matches_schema():
    check_evaluation(yibao.evaluate("shenzhen", MEMBERS["gap"], "2026-03-01").to_dict())


# --- 2. comparisons ---------------------------------------------------------------------------


def _norm(value: object) -> str:
    """Values compared as the contract means them: lists are sets of codes."""
    if isinstance(value, list):
        return json.dumps(sorted(value, key=json.dumps), sort_keys=True)
    return json.dumps(value, sort_keys=True)


def check_comparison(data: dict) -> None:
    problems = errors("comparison", data)
    assert not problems, "\n".join(problems)
    for _label, result in data["results"].items():
        check_evaluation(result)
    listed = set()
    for entry in data["differences"]:
        values = entry["values"]
        assert set(values) == set(data["results"]), entry
        assert len({_norm(v) for v in values.values()}) > 1, f"listed as a difference but all equal: {entry}"
        listed.add((entry["area"], entry["field"]))
    # ... and nothing that differs is left out.
    results = list(data["results"].values())
    for area in ("credit", "lapse", "family", "transfer", "withdrawal"):
        fields = {key for result in results for key in result[area]} - AREA_KEYS
        for field in fields:
            if len({_norm(result[area].get(field)) for result in results}) > 1:
                assert (area, field) in listed, f"{area}.{field} differs but is not in differences"


def present_codes(engine) -> list[str]:
    return engine.codes()


@pytest.mark.parametrize("member", ["employee-tier1", "gap", "retiree", "arrears"])
def test_comparison_matches_schema(engine, member):
    targets = present_codes(engine) + ["shenzhen@2025-01-01", "shenzhen@2027-03-01"]
    comparison = engine.compare(targets, MEMBERS[member], "2026-03-01")
    data = comparison.to_dict()
    check_comparison(data)
    assert data["regions"] == targets
    assert set(data["results"]) | set(data["failures"]) == set(targets)
    assert data["differences"], "shenzhen on three dates should differ somewhere"


def test_comparison_with_a_failure_matches_schema(engine):
    # A flexible worker on tier 2 is refused by Shenzhen's own rule: a per-target failure.
    comparison = engine.compare(["shenzhen", "shenzhen@2025-01-01"], {"category": "flexible", "tier": 2}, "2026-03-01")
    data = comparison.to_dict()
    check_comparison(data)


def test_default_api_comparison_matches_schema():
    data = yibao.compare(["shenzhen", "shenzhen@2025-01-01"], MEMBERS["gap"], "2026-03-01").to_dict()
    check_comparison(data)
    assert data["differences"]


# --- 3. generated validators ------------------------------------------------------------------


def test_generated_validators_are_current():
    try:
        import fastjsonschema  # noqa: F401
    except ImportError:
        pytest.skip("fastjsonschema is not installed (pip install -e .[test]); cannot regenerate the validators")
    spec = importlib.util.spec_from_file_location("gen_validators", ROOT / "tools" / "gen_validators.py")
    assert spec is not None and spec.loader is not None
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    for name, target in gen.TARGETS.items():
        committed = (ROOT / "core" / target).read_text(encoding="utf-8")
        assert gen.generate(name) == committed, f"core/{target} is stale: run python tools/gen_validators.py"
    assert set(gen.TARGETS) == {"member", "region"}


# --- 4. the member boundary agrees with the schema --------------------------------------------

#: (id, member, what the schema and the parser both say: True = valid)
AGREEING = [
    # the schema's maximum now refuses infinity; NaN still passes "maximum" (every comparison is false)
    ("amount-infinity", {"category": "employee", "balance": math.inf}, False),
    ("amount-too-large", {"category": "employee", "balance": 10**12}, False),
    ("amount-string-too-long", {"category": "employee", "balance": "1" * 30}, False),
    ("month-year-0000", {"category": "employee", "contributions": [{"from": "0000-01", "to": "2020-01"}]}, False),
    ("month-year-9999", {"category": "employee", "contributions": [{"from": "2020-01", "to": "9999-12"}]}, False),
    ("minimal", {"category": "employee"}, True),
    (
        "full",
        {
            "category": "employee",
            "tier": 1,
            "contribution_base": 10000,
            "pension": 0,
            "contributions": [{"from": "2020-01", "to": "2026-02"}],
            "arrears": False,
            "balance": "0",
            "extensions": {},
        },
        True,
    ),
    ("tier-2", {"category": "employee", "tier": 2}, True),
    ("flexible", {"category": "flexible", "contribution_base": 6733}, True),
    ("retiree-pension", {"category": "retiree", "pension": "4200.00"}, True),
    ("amount-decimal-string", {"category": "employee", "contribution_base": "12.5"}, True),
    ("amount-float", {"category": "employee", "contribution_base": 12.5}, True),
    ("amount-zero", {"category": "employee", "balance": 0}, True),
    ("contributions-empty", {"category": "employee", "contributions": []}, True),
    (
        "contributions-unordered",
        {"category": "employee", "contributions": [{"from": "2024-01", "to": "2024-12"}, {"from": "2020-01", "to": "2020-06"}]},
        True,
    ),
    ("single-month-range", {"category": "employee", "contributions": [{"from": "2024-01", "to": "2024-01"}]}, True),
    ("extensions", {"category": "employee", "extensions": {"jiangxi": {"mutual_aid_registered": True}, "other": [1, 2]}}, True),
    ("missing-category", {"tier": 1}, False),
    ("unknown-category", {"category": "student"}, False),
    ("unknown-key", {"category": "employee", "contribution_bas": 10000}, False),
    ("tier-string", {"category": "employee", "tier": "one"}, False),
    ("tier-3", {"category": "employee", "tier": 3}, False),
    ("tier-boolean", {"category": "employee", "tier": True}, False),
    ("amount-negative", {"category": "employee", "contribution_base": -5}, False),
    ("amount-negative-string", {"category": "employee", "contribution_base": "-5"}, False),
    ("amount-exponent-string", {"category": "employee", "contribution_base": "1e4"}, False),
    ("amount-trailing-dot", {"category": "employee", "contribution_base": "12."}, False),
    ("amount-comma", {"category": "employee", "contribution_base": "12,000"}, False),
    ("amount-boolean", {"category": "employee", "balance": True}, False),
    ("amount-null", {"category": "employee", "pension": None}, False),
    ("arrears-string", {"category": "employee", "arrears": "yes"}, False),
    ("arrears-int", {"category": "employee", "arrears": 1}, False),
    ("month-13", {"category": "employee", "contributions": [{"from": "2025-13", "to": "2026-01"}]}, False),
    ("month-00", {"category": "employee", "contributions": [{"from": "2025-00", "to": "2026-01"}]}, False),
    ("month-short", {"category": "employee", "contributions": [{"from": "2025-1", "to": "2026-01"}]}, False),
    ("month-is-date", {"category": "employee", "contributions": [{"from": "2025-01-01", "to": "2026-01"}]}, False),
    # issue 7: "to" omitted or null = still paying; items may carry base, tier, category, paid, paid_in, region
    ("range-open", {"category": "employee", "contributions": [{"from": "2025-01"}]}, True),
    ("range-open-null", {"category": "employee", "contributions": [{"from": "2025-01", "to": None}]}, True),
    ("range-missing-from", {"category": "employee", "contributions": [{"to": "2025-01"}]}, False),
    (
        "range-rich",
        {
            "category": "flexible",
            "contributions": [
                {"from": "2024-01", "to": "2024-03", "paid": "back_paid", "paid_in": "2024-06", "base": 7000.5, "region": "zhejiang"},
                {"from": "2024-04", "tier": 2, "category": "employee", "base": "9000", "paid": "on_time"},
            ],
        },
        True,
    ),
    ("range-tier-3", {"category": "employee", "contributions": [{"from": "2025-01", "tier": 3}]}, False),
    ("range-paid-late", {"category": "employee", "contributions": [{"from": "2025-01", "paid": "late"}]}, False),
    ("range-region-upper", {"category": "employee", "contributions": [{"from": "2025-01", "region": "Shenzhen"}]}, False),
    ("range-base-negative", {"category": "employee", "contributions": [{"from": "2025-01", "base": -1}]}, False),
    ("range-too-many", {"category": "employee", "contributions": [{"from": "2025-01", "to": "2025-01"}] * 1201}, False),
    ("range-extra-key", {"category": "employee", "contributions": [{"from": "2025-01", "to": "2025-02", "note": "x"}]}, False),
    ("contributions-object", {"category": "employee", "contributions": {"from": "2025-01", "to": "2025-02"}}, False),
    ("extensions-list", {"category": "employee", "extensions": []}, False),
]

#: Checks the parser makes that JSON Schema cannot express: the schema accepts these,
#: ``Member.from_mapping`` refuses them. Each is a deliberate, listed exception.
STRICTER_THAN_SCHEMA = [
    ("range-to-before-from", {"category": "employee", "contributions": [{"from": "2025-06", "to": "2025-01"}]}, "contributions[0]"),
    (
        "range-to-before-from-second",
        {"category": "employee", "contributions": [{"from": "2020-01", "to": "2020-12"}, {"from": "2024-02", "to": "2023-12"}]},
        "contributions[1]",
    ),
    (
        "range-overlap",
        {"category": "employee", "contributions": [{"from": "2020-01", "to": "2020-12"}, {"from": "2020-12", "to": "2021-03"}]},
        "contributions[1]",
    ),
    (
        "range-open-then-more",
        {"category": "employee", "contributions": [{"from": "2020-01"}, {"from": "2021-01", "to": "2021-03"}]},
        "contributions[1]",
    ),
    (
        "paid-in-before-the-months",
        {"category": "employee", "contributions": [{"from": "2020-01", "to": "2020-06", "paid": "back_paid", "paid_in": "2020-03"}]},
        "contributions[0].paid_in",
    ),
    (
        "paid-in-on-time",
        {"category": "employee", "contributions": [{"from": "2020-01", "to": "2020-06", "paid_in": "2020-09"}]},
        "contributions[0].paid_in",
    ),
    ("back-paid-open", {"category": "employee", "contributions": [{"from": "2020-01", "paid": "back_paid"}]}, "contributions[0].to"),
    (
        "history-over-100-years",
        {"category": "employee", "contributions": [{"from": "1950-01", "to": "1950-01"}, {"from": "2050-01", "to": "2050-01"}]},
        "contributions",
    ),
    # json.loads accepts NaN and Infinity; as numbers they pass "minimum": 0, but are no amount.
    ("amount-nan", {"category": "employee", "contribution_base": math.nan}, "contribution_base"),
]


def parser_accepts(data: dict) -> tuple[bool, str]:
    try:
        yibao.Member.from_mapping(data)
    except yibao.InputError as exc:
        return False, str(exc)
    return True, ""


@pytest.mark.parametrize(("data", "valid"), [case[1:] for case in AGREEING], ids=[case[0] for case in AGREEING])
def test_member_parser_agrees_with_schema(data, valid):
    problems = errors("member", data)
    assert (not problems) is valid, f"jsonschema: {problems or 'valid'}"
    accepted, why = parser_accepts(data)
    assert accepted is valid, f"Member.from_mapping: {why or 'accepted'}"
    if valid:
        # What the parser accepts, it writes back in a form the schema accepts and reads the same.
        written = yibao.Member.from_mapping(data).to_dict()
        assert not errors("member", written), errors("member", written)
        assert yibao.Member.from_mapping(written) == yibao.Member.from_mapping(data)


@pytest.mark.parametrize(("data", "path"), [case[1:] for case in STRICTER_THAN_SCHEMA], ids=[case[0] for case in STRICTER_THAN_SCHEMA])
def test_member_parser_is_stricter_than_schema(data, path):
    assert not errors("member", data), "the schema now rejects this too: move the case to AGREEING"
    with pytest.raises(yibao.InputError) as raised:
        yibao.Member.from_mapping(data)
    assert raised.value.path == path, str(raised.value)


def test_member_corpus_is_large_enough():
    assert len(AGREEING) + len(STRICTER_THAN_SCHEMA) >= 25
    assert {valid for _, _, valid in AGREEING} == {True, False}


def test_representative_member_matches_schema():
    data = json.loads((ROOT / "core" / "data" / "representative_member.json").read_text(encoding="utf-8"))
    assert not errors("member", data)
    assert parser_accepts(data)[0]


# --- 5. region parameter files ----------------------------------------------------------------

REGION_FILES = [ROOT / "core" / "baseline" / "national.toml", *sorted((ROOT / "regions").glob("*/region.toml"))]


@pytest.mark.parametrize("path", REGION_FILES, ids=[p.relative_to(ROOT).as_posix() for p in REGION_FILES])
def test_region_file_matches_schema(path):
    raw = tomllib.loads(path.read_text(encoding="utf-8"), parse_float=decimal.Decimal)
    data = _dates_as_text(raw)
    # jsonschema treats Decimal as a number, like the TOML floats it stands for.
    problems = errors("region", data)
    assert not problems, "\n".join(problems)
    # The file's code is its directory's name (the baseline is "national").
    expected = "national" if path.parent.name == "baseline" else path.parent.name
    assert data["region"]["code"] == expected
    # ... and the library's own loader agrees.
    yibao.load_region_file(path)
