"""Reforms: parameter values overridden, every answer resting on one marked hypothetical."""

from __future__ import annotations

from decimal import Decimal

import pytest

import yibao
from yibao.provenance import timeless
from yibao.reform import Reform

FLOOR_2027 = """
# A higher Shenzhen base floor from 2027-01-01 (hypothetical: no notice says so).
[parameters.base_floor]
[[parameters.base_floor.values]]
from = 2027-01-01
value = 9000
"""

MEMBER = {"category": "employee", "tier": 1, "contribution_base": "5000"}


def write(tmp_path, text):
    path = tmp_path / "reform.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_reform_applies_from_its_date_and_is_marked_hypothetical(engine, tmp_path):
    path = write(tmp_path, FLOOR_2027)
    before = engine.evaluate("shenzhen", MEMBER, "2026-06-01", reform=path)
    assert timeless(before.to_dict()) == timeless(engine.evaluate("shenzhen", MEMBER, "2026-06-01").to_dict())  # not in force yet
    after = engine.evaluate("shenzhen", MEMBER, "2027-03-01", reform=path)
    assert after.credit.base_applied == Decimal("9000")
    assert after.credit.monthly_credit == Decimal("180.00")  # 2% of the floor that applies
    floor = next(p for p in after.to_dict()["credit"]["parameters"] if p["name"] == "base_floor")
    assert floor["hypothetical"] is True and floor["value"] == "9000"
    assert all("hypothetical" not in p for p in after.to_dict()["lapse"]["parameters"])  # untouched areas say nothing
    assert "credit: base_floor = 9000 is hypothetical: a reform's value, not a source's" in after.warnings()
    plain = engine.evaluate("shenzhen", MEMBER, "2027-03-01")
    assert plain.credit.base_applied != Decimal("9000")


def test_the_module_api_takes_a_reform_mapping():
    reform = {"parameters": {"credit_rate": {"values": [{"from": "2020-01-01", "value": "0.025"}]}}}
    result = yibao.evaluate("jiangxi", {"category": "employee", "contribution_base": "10000"}, "2026-03-01", reform=reform)
    assert result.credit.monthly_credit == Decimal("250.00")
    assert result.credit.basis[0].hypothetical


def test_a_reform_of_an_unknown_parameter_or_wrong_value_is_refused_by_key(engine, tmp_path):
    with pytest.raises(yibao.InputError, match=r"reform.parameters.base_flor: no layer of 'shenzhen'"):
        engine.evaluate("shenzhen", MEMBER, "2027-03-01", reform=write(tmp_path, FLOOR_2027.replace("base_floor", "base_flor")))
    with pytest.raises(yibao.InputError, match=r"values\[0\].value: expected a number"):
        engine.evaluate("shenzhen", MEMBER, "2027-03-01", reform=write(tmp_path, FLOOR_2027.replace("9000", '"high"')))
    with pytest.raises(yibao.ParameterFileError, match="values overlap"):
        Reform.from_mapping({"parameters": {"x": {"values": [{"from": "2027-01-01", "value": 1}, {"from": "2027-01-01", "value": 2}]}}})
    with pytest.raises(yibao.ParameterFileError, match="invalid TOML"):
        Reform.load(write(tmp_path, "[parameters"))


def test_reform_schema_accepts_the_hypothetical_flag(engine, tmp_path):
    import json

    import jsonschema

    from conftest import ROOT

    schema = json.loads((ROOT / "schemas" / "evaluation.schema.json").read_text(encoding="utf-8"))
    data = engine.evaluate("shenzhen", MEMBER, "2027-03-01", reform=write(tmp_path, FLOOR_2027)).to_dict()
    jsonschema.validate(data, schema)


# --- issue 21: a reform is validated on its own, within its parameter's bounds --------------


def _reform(name, value, start="2027-01-01"):
    return {"parameters": {name: {"values": [{"from": start, "value": value}]}}}


def test_validation_does_not_depend_on_what_was_validated_before(engine):
    """`1` then `True` for a rate were both accepted: the cache of reformed stacks was
    keyed on equal values (1 == True). True alone was refused; now it always is."""
    assert engine.evaluate("shenzhen", MEMBER, "2027-03-01", reform=_reform("tier1_credit_rate", 1)).credit.monthly_credit
    with pytest.raises(yibao.InputError, match="expected a number for unit 'ratio', got True"):
        engine.evaluate("shenzhen", MEMBER, "2027-03-01", reform=_reform("tier1_credit_rate", True))
    assert Reform.from_mapping(_reform("x", 1)) != Reform.from_mapping(_reform("x", True))
    assert Reform.from_mapping(_reform("x", 1)) == Reform.from_mapping(_reform("x", 1))


@pytest.mark.parametrize(
    ("name", "value", "words"),
    [
        ("base_cap", {"a": 1}, "got a table"),  # an inline table was a TypeError (unhashable)
        ("base_cap", [[1]], "got list"),
        ("base_cap", -1, "a yuan value cannot be negative"),  # gave a credit of -0.02
        ("long_gap_wait_months", -3, "a months value cannot be negative"),
        ("tier1_credit_rate", "1.5", "a ratio lies between 0 and 1"),
        ("base_floor", 50000, "the floor (base_floor 50000) would be above the cap (base_cap 33633)"),
        ("base_cap", 100, "the floor (base_floor 6727) would be above the cap (base_cap 100)"),
        ("transfer_balance_within_province", "nationwide", "'nationwide' is not a code the rules know here (known: moves, stays)"),
    ],
)
def test_a_reform_outside_its_parameters_bounds_is_refused_by_key(engine, name, value, words):
    with pytest.raises((yibao.InputError, yibao.ParameterFileError)) as raised:
        engine.evaluate("shenzhen", MEMBER, "2027-03-01", reform=_reform(name, value))
    assert words in str(raised.value) and name in str(raised.value)


def test_a_reformed_ceiling_stays_a_ceiling_and_the_answer_stays_valid(engine):
    from serve_support import schema_errors

    member = {"category": "employee", "contribution_base": 10000, "contributions": [{"from": "2020-01"}]}
    answer = engine.evaluate("zhejiang", member, "2027-03-01", reform=_reform("credit_rate_ceiling", "0.5")).to_dict()
    assert schema_errors("evaluation.schema.json", answer) == []  # the citations were empty
    ceiling = next(p for p in answer["credit"]["parameters"] if p["name"] == "credit_rate_ceiling")
    assert ceiling["ceiling"] is True and ceiling["hypothetical"] is True
    assert answer["credit"]["monthly_credit"] is None  # a ceiling is not applied as the rule
    cited = answer["credit"]["citations"][0]
    assert cited["confidence"] == "L" and "reform" in cited["note"] and cited["source"] in answer["sources"]


def test_a_reform_file_is_read_within_the_size_limit(tmp_path):
    big = tmp_path / "big.toml"
    big.write_text(FLOOR_2027 + "#" * (2 * 1024 * 1024), encoding="utf-8")
    with pytest.raises(yibao.ParameterFileError, match="larger than"):
        Reform.load(big)
    if __import__("os").path.exists("/dev/zero"):
        with pytest.raises(yibao.ParameterFileError):
            Reform.load("/dev/zero")  # read without limit before


def test_every_reformed_answer_is_valid_against_the_schema(engine):
    """Each parameter of each built-in region reformed to the edges of its unit: the
    answer is valid evaluation.schema.json, or the reform is refused (never a crash)."""
    from serve_support import schema_errors

    edges = {"ratio": ["0", "1", "0.5"], "yuan": [0, "0.01", 1000000], "months": [0, 1, 600], "days": [0, 30], "count": [0, 99]}
    edges |= {"bool": [True, False], "code": ["nationwide"], "codes": [[], ["spouse"]]}
    member = {"category": "employee", "contribution_base": 10000, "arrears": False, "contributions": [{"from": "2026-08"}]}
    answered = refused = 0
    for code in ("shenzhen", "zhejiang", "jiangxi", "nanchang", "hangzhou"):
        stack = engine.stack(code)
        for layer in stack.layers:
            for name, parameter in layer.data.parameters.items():
                for value in edges.get(parameter.unit, []):
                    try:
                        answer = engine.evaluate(code, member, "2027-03-01", reform=_reform(name, value)).to_dict()
                    except yibao.YibaoError:
                        refused += 1
                        continue
                    assert schema_errors("evaluation.schema.json", answer) == [], (code, name, value)
                    answered += 1
    assert answered > 200 and refused < answered
