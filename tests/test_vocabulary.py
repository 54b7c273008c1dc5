"""The rule vocabulary: ``[rules.<area>]`` tables become a layer's hooks, their settings
are checked where the file is loaded and by ``policy validate``, and a region can be
data alone.

Toy regions are written here; each rule's figures come from the quote its file cites.
"""

from __future__ import annotations

import types
from decimal import Decimal
from pathlib import Path

import pytest

import yibao
from yibao import CreditDecision, PluginError, hookimpl, tracing
from yibao.checking import check_file
from yibao.vocabulary import KINDS, check

HEAD = """
[region]
code = "toy"
name_zh = "测试市"
name_en = "Toy"
spec_version = 1

[sources.s]
title = "Toy measures"
publisher = "Toy bureau"
date = "2026-01-01"

[parameters.credit_rate]
description = "Share of the base credited each month."
unit = "ratio"
[[parameters.credit_rate.values]]
from = 2026-01-01
value = 0.015
[[parameters.credit_rate.values.citations]]
source = "s"
quote = "按本人缴费基数的1.5%划入个人账户"
confidence = "L"

[parameters.base_floor]
description = "Lowest base."
unit = "yuan"
[[parameters.base_floor.values]]
from = 2026-01-01
value = 3000
[[parameters.base_floor.values.citations]]
source = "s"
quote = "缴费基数下限为3000元"
confidence = "L"

[parameters.base_cap]
description = "Highest base."
unit = "yuan"
[[parameters.base_cap.values]]
from = 2026-01-01
value = 20000
[[parameters.base_cap.values.citations]]
source = "s"
quote = "缴费基数上限为20000元"
confidence = "L"
"""

CREDIT = """
[rules.credit]
kind = "rate_on_base"
base_floor = "base_floor"
base_cap = "base_cap"
"""


def region(tmp_path: Path, rules: str = CREDIT) -> Path:
    path = tmp_path / "region.toml"
    path.write_text(HEAD + rules, encoding="utf-8")
    return path


def data_only(path: Path) -> types.ModuleType:
    """A region module that is nothing but the path of its file."""
    module = types.ModuleType("yibao_region_toy")
    module.PARAMETERS = path  # type: ignore[attr-defined]
    return module


def evaluate(plugin: object, member: dict, day: str = "2026-03-01") -> yibao.Evaluation:
    return yibao.PolicyEngine({"toy": plugin}, entry_points=False).evaluate("toy", member, day)


def test_a_data_only_region_credits_its_cited_rate_on_the_clamped_base(tmp_path):
    """"按本人缴费基数的1.5%划入个人账户", the base held within 3000 and 20000."""
    plugin = data_only(region(tmp_path))
    within = evaluate(plugin, {"category": "employee", "contribution_base": 10000})
    assert within.credit.monthly_credit == Decimal("150.00")
    assert within.answered_by["credit"] == "toy"
    above = evaluate(plugin, {"category": "employee", "contribution_base": 50000})
    assert (above.credit.base_applied, above.credit.monthly_credit) == (Decimal("20000"), Decimal("300.00"))
    below = evaluate(plugin, {"category": "employee", "contribution_base": 1000})
    assert below.credit.monthly_credit == Decimal("45.00")
    assert "below the floor" in below.credit.notes[0]


def test_before_the_rate_the_layer_below_answers_and_areas_without_a_table_defer(tmp_path):
    result = evaluate(data_only(region(tmp_path)), {"category": "employee", "contribution_base": 10000}, "2025-12-01")
    assert result.answered_by["credit"] == "toy"  # the rule answers: no rate in force, not modelled
    assert result.credit.monthly_credit is None and not result.credit.modelled
    assert result.answered_by["family"] == result.answered_by["transfer"] == "national"


def test_a_python_hook_wins_over_the_table_of_its_area_and_the_layer_says_so(tmp_path):
    class Own:
        PARAMETERS = region(tmp_path)

        @hookimpl
        def credit_rate(self, member, as_of, params):
            rate = params["credit_rate"]
            return CreditDecision(has_account=True, monthly_credit=Decimal("1.00"), rate=rate.value, basis=(rate,))

    engine = yibao.PolicyEngine({"toy": Own()}, entry_points=False)
    assert engine.evaluate("toy", {"category": "employee", "contribution_base": 10000}, "2026-03-01").credit.monthly_credit == Decimal("1.00")
    status = next(item for item in engine.regions() if item.code == "toy")
    assert any("[rules.credit] is not used" in note for note in status.warnings)


@pytest.mark.parametrize(
    ("rules", "where", "words"),
    [
        ('[rules.credit]\nkind = "rate_on_bsae"\n', "rules.credit.kind", "no kind 'rate_on_bsae'"),
        ('[rules.credit]\nkind = "rate_on_base"\nbase_flor = "base_floor"\n', "rules.credit.base_flor", "did you mean 'base_floor'"),
        ('[rules.family]\nkind = "own_channel"\nown = "x"\n', "rules.family.reach", "required setting is missing"),
        ('[rules.credit]\nkind = "rate_on_base"\nretirees = "skip"\n', "rules.credit.retirees", "'skip' is not one of"),
        ('[rules.withdrawal]\nkind = "grounds"\nalso = "withdrawal_grounds"\n', "rules.withdrawal.also", "expected a list"),
    ],
)
def test_a_bad_table_is_a_parameter_file_problem_with_its_location(tmp_path, rules, where, words):
    with pytest.raises(PluginError) as raised:
        evaluate(data_only(region(tmp_path, rules)), {"category": "employee"})
    assert where in str(raised.value) and words in str(raised.value)
    report = check_file(str(region(tmp_path, rules)))
    assert not report.ok and any(problem.startswith(where) and words in problem for problem in report.problems)


def test_validate_names_a_parameter_the_file_does_not_define(tmp_path):
    report = check_file(str(region(tmp_path, '[rules.credit]\nkind = "rate_on_base"\nbase_floor = "floor"\nbase_cap = "base_cap"\n')))
    assert report.problems == ("rules.credit.base_floor: no parameter 'floor' in this file's [parameters] or the national baseline's",)


def test_an_area_the_vocabulary_does_not_know_is_refused_by_the_schema(tmp_path):
    report = check_file(str(region(tmp_path, '[rules.pension]\nkind = "x"\n')))
    assert not report.ok and "pension" in report.problems[0]


def test_every_kind_is_documented_with_its_settings():
    text = (Path(__file__).resolve().parent.parent / "docs" / "data.md").read_text(encoding="utf-8")
    for (area, name), kind in KINDS.items():
        assert f"`{area}` / `{name}`" in text, f"docs/data.md does not list the kind {area}/{name}"
        for setting in kind.settings:
            assert f"`{setting}`" in text, f"docs/data.md does not describe the setting {setting} of {area}/{name}"


def test_the_built_in_tables_are_sound():
    for path in sorted((Path(__file__).resolve().parent.parent / "regions").glob("*/region.toml")):
        report = check_file(str(path))
        assert report.ok, report.problems
    assert check({"credit": {"kind": "rate_on_base", "rate": "credit_rate"}}) == []


class Steps:
    def __init__(self) -> None:
        self.codes: list[str] = []

    def step(self, code, **_):
        self.codes.append(code)


@pytest.mark.parametrize(
    ("region_code", "member", "expected"),
    [
        ("shenzhen", {"category": "employee", "tier": 1, "contribution_base": 12000}, {"credit.rate_on_base", "family.channels"}),
        ("shenzhen", {"category": "employee", "tier": 2, "contribution_base": 12000}, {"credit.account", "withdrawal.no_account"}),
        ("jiangxi", {"category": "employee", "contribution_base": 8000}, {"credit.rate_on_base", "family.own_channel"}),
        ("zhejiang", {"category": "retiree"}, {"credit.retiree", "transfer.blockers", "withdrawal.grounds"}),
    ],
)
def test_library_rules_name_each_step_they_take(region_code, member, expected):
    steps = Steps()
    token = tracing.ACTIVE.set(steps)
    try:
        yibao.evaluate(region_code, member, "2026-03-01")
    finally:
        tracing.ACTIVE.reset(token)
    assert expected <= set(steps.codes), steps.codes
    assert all(code.split(".")[0] in ("credit", "lapse", "family", "transfer", "withdrawal") for code in steps.codes)


# --- the conformance kit holds a data-only region and a Python one to the same contract ---

from yibao.testing import RegionContract  # noqa: E402

from conftest import built_in_plugins  # noqa: E402


class PythonCredit:
    """The same credit rule as the data-only toy's table, written as a hook."""

    def __init__(self, parameters: Path) -> None:
        self.PARAMETERS = parameters

    @hookimpl
    def credit_rate(self, member, as_of, params):
        rate, floor, cap = params["credit_rate"], params["base_floor"], params["base_cap"]
        if rate is None or member.category == "retiree" or member.contribution_base is None:
            return None
        base = min(max(yibao.to_fen(member.contribution_base), floor.value), cap.value)
        return CreditDecision(
            has_account=True, monthly_credit=yibao.to_fen(base * rate.value), base_applied=base, rate=rate.value, basis=(rate, floor, cap)
        )


def _toy_engine(tmp_path_factory, python: bool) -> yibao.PolicyEngine:
    folder = tmp_path_factory.mktemp("python" if python else "data")
    path = region(folder, "" if python else CREDIT)
    return yibao.PolicyEngine({**built_in_plugins(), "toy": PythonCredit(path) if python else data_only(path)}, entry_points=False)


class TestDataOnlyToy(RegionContract):
    region = "toy"

    @pytest.fixture(scope="class")
    @classmethod
    def engine(cls, tmp_path_factory):
        return _toy_engine(tmp_path_factory, python=False)


class TestPythonToy(RegionContract):
    region = "toy"

    @pytest.fixture(scope="class")
    @classmethod
    def engine(cls, tmp_path_factory):
        return _toy_engine(tmp_path_factory, python=True)


def test_a_table_left_unused_by_a_python_hook_fails_the_contract(tmp_path):
    class Both(PythonCredit):
        pass

    engine = yibao.PolicyEngine({**built_in_plugins(), "toy": Both(region(tmp_path))}, entry_points=False)
    contract = RegionContract()
    contract.region = "toy"  # type: ignore[misc]
    with pytest.raises(AssertionError, match=r"\[rules.credit\] is not used"):
        contract.test_rule_tables_are_sound_and_used(engine)
