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
