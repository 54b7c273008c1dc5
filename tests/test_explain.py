"""``yibao.explain``: the steps of an answer (issue 17).

The properties run over generated members and every built-in region: the explanation's
answer is ``evaluate``'s, every parameter an area's answer rests on (``basis``) appears
in a step, every passage a step cites is listed in ``passages`` and its source in ``sources``, and the JSON matches
``schemas/explanation.schema.json``. A test region names its own steps with
``yibao.tracing.step`` (the built-in regions' named steps arrive with other branches).
"""

from __future__ import annotations

import json
import types
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_contracts import validator

import yibao
from yibao import InputError, PluginError, hookimpl, tracing
from yibao.decisions import CreditDecision
from yibao.parameters import Applied, load_region_file

BUILT_IN = ("shenzhen", "jiangxi", "zhejiang", "nanchang", "hangzhou")
SCHEMA = validator("explanation")

months = st.integers(min_value=2016 * 12, max_value=2027 * 12 + 11).map(lambda i: f"{i // 12:04d}-{i % 12 + 1:02d}")
ranges = st.lists(st.tuples(months, months).map(sorted), max_size=3).map(
    lambda pairs: [{"from": a, "to": b} for a, b in _disjoint(pairs)]
)
members = st.fixed_dictionaries(
    {"category": st.sampled_from(["employee", "flexible", "retiree"])},
    optional={
        "tier": st.sampled_from([1, 2]),
        "contribution_base": st.integers(min_value=0, max_value=60_000),
        "contributions": ranges,
        "arrears": st.booleans(),
        "balance": st.integers(min_value=0, max_value=90_000),
    },
)
days = st.dates(min_value=date(2016, 1, 1), max_value=date(2027, 12, 31))


def _disjoint(pairs: list[list[str]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for start, end in sorted(pairs):
        if not out or start > out[-1][1]:
            out.append((start, end))
    return out


def read_values(explanation: yibao.Explanation, area: str) -> list[Applied]:
    return [read.applied for step in explanation.area(area).steps for read in step.params if read.applied is not None]


@settings(max_examples=120, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(member=members, day=days, region=st.sampled_from(BUILT_IN))
def test_explanation_agrees_with_evaluate_and_shows_its_basis(engine, member, day, region):
    try:
        answer = engine.evaluate(region, member, day)
    except InputError:  # (a flexible worker in Shenzhen's tier 2, say): explain refuses it the same way
        with pytest.raises(InputError):
            engine.explain(region, member, day)
        return
    explanation = engine.explain(region, member, day)
    assert explanation.evaluation == answer
    assert explanation.evaluation.to_dict()["credit"] == answer.to_dict()["credit"]
    for area in explanation.areas:
        assert area.layer == answer.answered_by[area.area]
        shown = read_values(explanation, area.area)
        for applied in answer.decisions[area.area].basis:
            assert any(applied is read for read in shown), f"{area.area}: {applied.name} of the basis is in no step"
    data = explanation.to_dict()
    problems = [error.message for error in SCHEMA.iter_errors(data)]
    assert not problems, problems[:3]
    cited = {key for a in data["areas"] for s in a["steps"] for r in s["params"] for key in r.get("passages", ())}
    cited |= {d["passage"] for a in data["areas"] for s in a["steps"] for r in s["params"] for d in r.get("disputed", ())}
    assert cited <= set(data["passages"])
    assert {data["passages"][key]["source"] for key in cited} <= set(data["sources"])
    json.dumps(data)


def test_each_area_names_the_layers_asked_top_down_and_the_one_that_answered(engine):
    explanation = engine.explain("nanchang", {"category": "employee", "contribution_base": 8000}, "2026-03-01", area="credit")
    steps = explanation.area("credit").steps
    assert [(step.code, step.layer) for step in steps if step.code.startswith("stack.")][:3] == [
        ("stack.no_rule", "nanchang"),  # Nanchang's plugin has no credit rule: Jiangxi's applies
        ("stack.asked", "jiangxi"),
        ("stack.answered", "jiangxi"),
    ]
    answered = [step for step in steps if step.code == "stack.answered"]
    assert len(answered) == 1 and answered[0].layer == explanation.area("credit").layer
    assert answered[0].outcome.monthly_credit == engine.evaluate("nanchang", {"category": "employee", "contribution_base": 8000}, "2026-03-01").credit.monthly_credit


def test_a_layer_below_the_answer_is_shown_overridden_with_its_own_reads(engine):
    member = {"category": "employee", "contribution_base": 10000, "contributions": [{"from": "2024-01", "to": "2026-02"}, {"from": "2026-08", "to": "2026-12"}]}
    area = engine.explain("zhejiang", member, "2026-10-01", area="lapse").area("lapse")
    codes = [step.code for step in area.steps]
    assert codes.index("stack.answered") < codes.index("stack.overridden")
    below = [step for step in area.steps if step.overridden]
    assert below and all(step.layer == "national" for step in below)
    assert not any(step.overridden for step in area.steps[: codes.index("stack.answered") + 1])
    # the national layer has no rule for a gap inside a region (43号 is a move rule): that
    # gap arises at the national layer's step, marked overridden
    gaps = [step for step in below if step.code == "params.not_modelled"]
    assert [item.topic for step in gaps for item in step.not_modelled] == ["long_gap_months"]


def test_a_read_of_a_value_that_overrides_a_lower_layers_names_it(engine):
    area = engine.explain("zhejiang", {"category": "employee"}, "2026-03-01", area="lapse").area("lapse")
    # Zhejiang's own reading of a national value (the balance stays usable during a gap);
    # the national layer sets no rule for a gap inside a region any more (issue 16)
    read = next(read for step in area.steps for read in step.params if read.name == "account_usable_during_lapse" and not step.overridden)
    national = engine.stack("zhejiang").layers[0].data.parameters["account_usable_during_lapse"].at(date(2026, 3, 1), "national")
    assert read.applied.layer == "zhejiang"
    assert read.overrides == (("national", national.value),)


def test_a_ceiling_and_its_source_are_shown_as_read(engine):
    area = engine.explain("zhejiang", {"category": "employee"}, "2026-03-01", area="lapse").to_dict()["areas"][0]
    reads = [read for step in area["steps"] for read in step["params"] if read["name"] == "long_gap_wait_ceiling_months"]
    assert reads and reads[0]["ceiling"] is True and reads[0]["passages"]
    assert "(a ceiling)" in next(step["en"] for step in area["steps"] if reads[0] in step["params"])


def test_member_facts_read_are_recorded(engine):
    area = engine.explain("shenzhen", {"category": "employee", "tier": 2}, "2026-03-01", area="credit").area("credit")
    facts = dict(fact for step in area.steps for fact in step.facts)
    assert facts["tier"] == 2 and facts["category"] == "employee"


def test_area_filter_and_an_unknown_area(engine):
    explanation = engine.explain("shenzhen", {"category": "employee"}, "2026-03-01", area=["withdrawal", "credit"])
    assert [area.area for area in explanation.areas] == ["credit", "withdrawal"]
    assert explanation.evaluation is None
    with pytest.raises(InputError, match="area"):
        engine.explain("shenzhen", {"category": "employee"}, "2026-03-01", area="credits")


def test_tracing_step_is_a_no_op_outside_an_explanation():
    assert tracing.recording() is False
    tracing.step("credit.test", en="x", zh="x", facts={"tier": 1}, params=("credit_rate",), outcome=1)  # nothing to record it
    assert tracing.ACTIVE.get() is None


# ---------------------------------------------------------------- a region naming its own steps

NAMED_TOML = """
[region]
code = "namedtown"
name_zh = "命名镇"
name_en = "Namedtown"
spec_version = 1

[sources.notice]
title = "Namedtown credit notice"
publisher = "Namedtown Healthcare Security Bureau"
date = "2025-12-01"

[parameters.named_rate]
description = "Share of the base credited"
unit = "ratio"
values = [{ from = "2026-01-01", value = "0.025", citations = [{ source = "notice", quote = "按缴费基数的2.5%划入个人账户", confidence = "H" }] }]

[parameters.named_floor]
description = "Lowest base applied"
unit = "yuan"
values = [{ from = "2026-01-01", value = "5000", citations = [{ source = "notice", quote = "缴费基数下限为5000元", confidence = "M" }] }]
"""


def named_plugin() -> types.SimpleNamespace:
    @hookimpl
    def credit_rate(member, as_of, params):
        if member.category == "retiree":
            return None  # the national rule answers for retirees
        rate, floor = params["named_rate"], params["named_floor"]
        base = max(member.contribution_base or floor.value, floor.value)
        tracing.step(
            "credit.base",
            en=f"the base applied is {base} (declared {member.contribution_base}, floor {floor.value})",
            zh=f"适用基数 {base}(申报 {member.contribution_base},下限 {floor.value})",
            facts={"contribution_base": member.contribution_base},
            params=("named_floor",),
            outcome=base,
        )
        credit = (base * rate.value).quantize(floor.value.__class__("0.01"))
        tracing.step("credit.amount", en=f"{base} × {rate.value} = {credit}", zh=f"{base} × {rate.value} = {credit}", params=("named_rate",), outcome=credit)
        return CreditDecision(has_account=True, monthly_credit=credit, base_applied=base, rate=rate.value, basis=(rate, floor))

    return types.SimpleNamespace(credit_rate=credit_rate)


@pytest.fixture
def named_engine(tmp_path: Path) -> yibao.PolicyEngine:
    (tmp_path / "region.toml").write_text(NAMED_TOML, encoding="utf-8")
    plugin = named_plugin()
    plugin.PARAMETERS = tmp_path / "region.toml"
    load_region_file(plugin.PARAMETERS)  # (the file is valid)
    return yibao.PolicyEngine({"namedtown": plugin}, entry_points=False)


def test_a_plugins_named_steps_claim_the_reads_they_name(named_engine):
    area = named_engine.explain("namedtown", {"category": "employee", "contribution_base": 4000}, "2026-03-01", area="credit").area("credit")
    named = [step for step in area.steps if step.named and step.layer == "namedtown"]  # (the national library rule, overridden, names its own)
    assert [step.code for step in named] == ["credit.base", "credit.amount"]
    base, amount = named
    assert [read.name for read in base.params] == ["named_floor"] and str(base.params[0].applied.value) == "5000"
    assert dict(base.facts)["contribution_base"] == 4000
    assert str(base.outcome) == "5000" and str(amount.outcome) == "125.00"
    assert [read.name for read in amount.params] == ["named_rate"]
    # a read a named step claims is not shown again as a read of its own
    assert not [step for step in area.steps if step.code == "params.read" and not step.overridden]
    data = named_engine.explain("namedtown", {"category": "employee", "contribution_base": 4000}, "2026-03-01").to_dict()
    assert not list(SCHEMA.iter_errors(data))
    step = next(s for s in data["areas"][0]["steps"] if s["code"] == "credit.amount")
    passage = data["passages"][step["params"][0]["passages"][0]]
    assert passage["quote"] == "按缴费基数的2.5%划入个人账户" and passage["source"] in data["sources"]
    assert step["outcome"] == "125.00"


def test_the_national_layer_answers_what_the_plugin_passes_down(named_engine):
    area = named_engine.explain("namedtown", {"category": "retiree"}, "2026-03-01", area="credit").area("credit")
    codes = [(step.code, step.layer) for step in area.steps if step.code.startswith("stack.")]
    assert codes[:3] == [("stack.asked", "namedtown"), ("stack.passed", "namedtown"), ("stack.asked", "national")]
    assert area.layer == "national"


def test_a_plugin_that_raises_is_the_plugins_error_in_an_explanation_too(tmp_path):
    @hookimpl
    def credit_rate(member, as_of, params):
        raise ZeroDivisionError("boom")

    (tmp_path / "region.toml").write_text(NAMED_TOML, encoding="utf-8")
    plugin = types.SimpleNamespace(credit_rate=credit_rate, PARAMETERS=tmp_path / "region.toml")
    engine = yibao.PolicyEngine({"namedtown": plugin}, entry_points=False)
    with pytest.raises(PluginError, match="namedtown.*ZeroDivisionError"):
        engine.explain("namedtown", {"category": "employee"}, "2026-03-01")
