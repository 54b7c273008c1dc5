"""The stack: who answers, in what order, and how a broken plugin is reported.

Toy plugins are built here, registered directly on an engine (no entry points), each
with a small parameter file of its own.
"""

from __future__ import annotations

import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import yibao
from yibao import CreditDecision, PluginError, hookimpl

TOY = """
[region]
code = "{code}"
name_zh = "测试"
name_en = "Toy"
spec_version = {spec}
{parent}

[sources.s]
title = "Toy source"
publisher = "Tests"
date = "2026-01-01"

[parameters.credit_rate]
description = "A rate that overrides the national one."
unit = "ratio"
[[parameters.credit_rate.values]]
from = 2026-01-01
value = {rate}
[[parameters.credit_rate.values.citations]]
source = "s"
quote = "the toy rate"
confidence = "L"
"""


def toy_file(tmp_path: Path, code: str, *, rate: str = "0.05", spec: int = 1, parent: str = "") -> Path:
    path = tmp_path / f"{code}.toml"
    path.write_text(TOY.format(code=code, rate=rate, spec=spec, parent=f'parent = "{parent}"' if parent else ""), encoding="utf-8")
    return path


class Credits:
    """Answers credit with its own layer's view of credit_rate; defers everything else."""

    def __init__(self, parameters: Path) -> None:
        self.PARAMETERS = parameters

    @hookimpl
    def credit_rate(self, member, as_of, params):
        rate = params["credit_rate"]
        return CreditDecision(
            has_account=True, monthly_credit=yibao.to_fen(member.contribution_base * rate.value), rate=rate.value, basis=(rate,)
        )


class Silent:
    def __init__(self, parameters: Path) -> None:
        self.PARAMETERS = parameters

    @hookimpl
    def credit_rate(self, member, as_of, params):
        return None


MEMBER = {"category": "employee", "contribution_base": "10000"}


def test_region_answer_wins_over_the_baseline(tmp_path):
    engine = yibao.PolicyEngine({"toy": Credits(toy_file(tmp_path, "toy"))}, entry_points=False)
    result = engine.evaluate("toy", MEMBER, "2026-03-01")
    assert result.answered_by["credit"] == "toy"
    assert result.credit.monthly_credit == Decimal("500.00")  # 5% of 10000, the toy's own rate
    assert result.answered_by["lapse"] == "national"  # the toy is silent there


def test_returning_none_defers_to_the_layer_below(tmp_path):
    engine = yibao.PolicyEngine({"toy": Silent(toy_file(tmp_path, "toy"))}, entry_points=False)
    result = engine.evaluate("toy", MEMBER, "2026-03-01")
    assert result.answered_by["credit"] == "national"
    # the baseline reads only its own layer's values, never the toy's 5% above it: it has
    # no rate of its own (14号's 2% is a ceiling), so the credit is not modelled
    assert result.credit.monthly_credit is None and result.credit.modelled is False
    assert [(a.name, a.ceiling) for a in result.credit.basis] == [("credit_rate_ceiling", True)]


def test_precedence_does_not_depend_on_registration_order(tmp_path):
    plugins = {"a": Credits(toy_file(tmp_path, "a", rate="0.03")), "b": Silent(toy_file(tmp_path, "b"))}
    forward = yibao.PolicyEngine(plugins, entry_points=False)
    backward = yibao.PolicyEngine(dict(reversed(list(plugins.items()))), entry_points=False)
    for engine in (forward, backward):
        engine.stack("b")  # load in different orders
        assert engine.evaluate("a", MEMBER, "2026-03-01").answered_by["credit"] == "a"
        assert engine.evaluate("b", MEMBER, "2026-03-01").answered_by["credit"] == "national"


def test_a_parent_sits_between_the_baseline_and_the_region(tmp_path):
    plugins = {
        "province": Credits(toy_file(tmp_path, "province", rate="0.03")),
        "city": Silent(toy_file(tmp_path, "city", parent="province")),
    }
    engine = yibao.PolicyEngine(plugins, entry_points=False)
    result = engine.evaluate("city", MEMBER, "2026-03-01")
    assert result.layers == ("national", "province", "city")
    assert result.answered_by["credit"] == "province"
    assert result.credit.monthly_credit == Decimal("300.00")


def test_a_region_value_is_not_in_force_before_its_date(tmp_path):
    engine = yibao.PolicyEngine({"toy": Credits(toy_file(tmp_path, "toy"))}, entry_points=False)
    # the toy's rate starts 2026-01-01; before it the merged view falls through to the
    # national layer, which declares credit_rate with no value (its 2% is a ceiling)
    view = engine.stack("toy").params(date(2025, 12, 31))[-1]
    assert view["credit_rate"] is None and view["credit_rate_ceiling"].value == Decimal("0.02")
    assert engine.stack("toy").params(date(2026, 1, 1))[-1]["credit_rate"].value == Decimal("0.05")


# --- failures: each names the plugin and one reason -----------------------------------


def failing(tmp_path, plugin_class, **toy):
    engine = yibao.PolicyEngine({"toy": plugin_class(toy_file(tmp_path, "toy", **toy))}, entry_points=False)
    with pytest.raises(PluginError) as raised:
        engine.evaluate("toy", MEMBER, "2026-03-01")
    assert raised.value.region == "toy"
    assert "\n" not in str(raised.value)
    return raised.value


def test_a_misspelt_hook_name_is_refused(tmp_path):
    class Typo(Silent):
        @hookimpl
        def lapse_efect(self, member, as_of, params):
            return None

    assert "lapse_efect" in failing(tmp_path, Typo).reason


def test_a_hook_argument_the_spec_lacks_is_refused(tmp_path):
    class Extra(Silent):
        @hookimpl
        def credit_rate(self, member, as_of, params, region):
            return None

    assert "region" in failing(tmp_path, Extra).reason


def test_an_exception_inside_a_hook_is_reported_with_the_hook(tmp_path):
    class Raises(Silent):
        @hookimpl
        def credit_rate(self, member, as_of, params):
            raise ZeroDivisionError("boom")

    reason = failing(tmp_path, Raises).reason
    assert "credit_rate" in reason and "ZeroDivisionError" in reason


def test_a_wrong_return_type_is_refused(tmp_path):
    class Wrong(Silent):
        @hookimpl
        def credit_rate(self, member, as_of, params):
            return {"monthly_credit": "1.00"}

    assert "expected CreditDecision" in failing(tmp_path, Wrong).reason


def test_a_decision_without_citations_is_refused(tmp_path):
    class Uncited(Silent):
        @hookimpl
        def credit_rate(self, member, as_of, params):
            return CreditDecision(has_account=True, monthly_credit=Decimal("1.00"))

    assert "without citations" in failing(tmp_path, Uncited).reason


def test_an_incompatible_spec_version_is_refused(tmp_path):
    assert "hook-spec version 2" in failing(tmp_path, Silent, spec=2).reason


def test_a_parameter_file_declaring_another_code_is_refused(tmp_path):
    engine = yibao.PolicyEngine({"toy": Silent(toy_file(tmp_path, "other"))}, entry_points=False)
    with pytest.raises(PluginError, match="declares code 'other'"):
        engine.evaluate("toy", MEMBER, "2026-03-01")


def test_a_redefined_parameter_must_keep_its_unit(tmp_path):
    path = toy_file(tmp_path, "toy")
    path.write_text(path.read_text(encoding="utf-8").replace('unit = "ratio"', 'unit = "yuan"'), encoding="utf-8")
    engine = yibao.PolicyEngine({"toy": Silent(path)}, entry_points=False)
    with pytest.raises(PluginError, match="unit 'yuan'.*'ratio'"):
        engine.evaluate("toy", MEMBER, "2026-03-01")


def test_one_broken_region_leaves_the_others_working(tmp_path):
    class Raises(Silent):
        @hookimpl
        def credit_rate(self, member, as_of, params):
            raise RuntimeError("broken")

    engine = yibao.PolicyEngine({"bad": Raises(toy_file(tmp_path, "bad")), "good": Credits(toy_file(tmp_path, "good"))}, entry_points=False)
    comparison = engine.compare(["good", "bad"], MEMBER, date(2026, 3, 1))
    assert set(comparison.results) == {"good"}
    assert "RuntimeError" in comparison.failures["bad"]
    statuses = {s.code: s.status for s in engine.regions()}
    assert statuses == {"bad": "loaded", "good": "loaded"}  # it loads; it fails when asked


def test_unknown_region_lists_the_known_ones(tmp_path):
    engine = yibao.PolicyEngine({"toy": Silent(toy_file(tmp_path, "toy"))}, entry_points=False)
    with pytest.raises(yibao.UnknownRegionError, match="toy"):
        engine.evaluate("nowhere", MEMBER)


def test_a_stale_value_gives_way_to_a_newer_one_below(tmp_path):
    """A region value past its end date applies only when nothing newer is known."""
    text = textwrap.dedent(
        """
        [region]
        code = "toy"
        name_zh = "测试"
        name_en = "Toy"
        spec_version = 1

        [sources.s]
        title = "Toy"
        publisher = "Tests"
        date = "2020"

        [parameters.family_scope]
        description = "Scope that ended before the national wallet began."
        unit = "code"
        [[parameters.family_scope.values]]
        from = 2020-01-01
        to = 2024-12-31
        value = "pooling_area"
        [[parameters.family_scope.values.citations]]
        source = "s"
        quote = "q"
        confidence = "L"
        """
    )
    path = tmp_path / "toy.toml"
    path.write_text(text, encoding="utf-8")
    engine = yibao.PolicyEngine({"toy": Silent(path)}, entry_points=False)
    stack = engine.stack("toy")
    in_2025 = stack.params(date(2025, 3, 1))[-1]["family_scope"]
    assert in_2025 is not None and in_2025.layer == "toy" and in_2025.stale  # nothing newer below yet
    in_2026 = stack.params(date(2026, 3, 1))[-1]["family_scope"]
    assert in_2026 is not None and in_2026.layer == "national" and in_2026.value == "nationwide"
