"""Property: whatever member a caller gives, ``evaluate`` and ``compare`` either answer
(and the answer serialises to JSON, every decision passing the field checks of
``yibao.decision_fields``) or raise a ``YibaoError``; never anything else.

Members are drawn as JSON values (what ``json.loads`` gives the CLI, ``NaN`` and
``Infinity`` included), shaped like ``schemas/member.schema.json`` often enough that
most reach the rules: each field is either a plausible value, a near miss (a month
13, a negative amount, a string where a number belongs) or any JSON value at all.
Regions and dates are also fuzzed with any Python value (lists, bytes, datetimes,
sets, NaN decimals, plain objects). Python-only values inside a member
(``Decimal('NaN')``, non-string keys, ``Member(category='x')``) are the member
boundary's tests (tests/test_member.py).
"""

from __future__ import annotations

import json
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import yibao
from yibao import YibaoError
from yibao.decision_fields import problem

REGIONS = ("shenzhen", "jiangxi", "zhejiang")

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
)
json_values = st.recursive(
    json_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=12
)

years = st.integers(min_value=1890, max_value=2210)
months = st.integers(min_value=0, max_value=13)
month_text = st.one_of(st.builds(lambda y, m: f"{y:04d}-{m:02d}", years, months), st.text(max_size=8))
amounts = st.one_of(
    st.integers(min_value=0, max_value=60_000),
    st.integers(min_value=-5, max_value=2 * 10**9),
    st.floats(min_value=-1, max_value=1e12),
    st.decimals(min_value=0, max_value=10**10, places=3, allow_nan=False).map(str),
    st.sampled_from(["6727.245", "0", "-0", "1e3", "12000.00", "NaN", " 100", "１００"]),
)
ranges = st.lists(st.fixed_dictionaries({"from": month_text, "to": month_text}) | json_values, max_size=5)


def field(plausible, near_miss=st.nothing()):
    """Mostly plausible (6 in 8), sometimes a near miss or any JSON value at all."""
    return st.integers(0, 7).flatmap(lambda i: plausible if i < 6 else near_miss | json_values if i == 6 else json_values)


members = st.fixed_dictionaries(
    {"category": field(st.sampled_from(["employee", "flexible", "retiree"]), st.sampled_from(["Employee", "", "retired"]))},
    optional={
        "tier": field(st.sampled_from([1, 2]), st.sampled_from([3, 0, 1.0, True])),
        "contribution_base": field(amounts),
        "pension": field(amounts),
        "balance": field(amounts),
        "contributions": field(ranges),
        "arrears": field(st.booleans()),
        "extensions": field(st.dictionaries(st.sampled_from(REGIONS + ("x",)), json_values, max_size=3)),
    },
)
members = members | st.builds(lambda m, extra: {**m, **extra}, members, st.dictionaries(st.text(max_size=6), json_values, max_size=2))
near = st.dates(min_value=date(2015, 1, 1), max_value=date(2031, 12, 31))
dates = st.one_of(near, near.map(str), st.dates().map(str), st.sampled_from(["2023-09-30", "2026-02-30", "26-3-1", ""]))


@settings(max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(member=members | json_values, day=dates, region=st.sampled_from(REGIONS))
def test_evaluate_answers_or_raises_a_yibao_error(member, day, region):
    try:
        result = yibao.evaluate(region, member, day)
    except YibaoError:
        return
    json.dumps(result.to_dict(), allow_nan=False)
    # yibao-policy's own layers skip the run-time field checks: they are proved here
    assert {area: problem(decision) for area, decision in result.decisions.items()} == dict.fromkeys(result.decisions)


@settings(max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(member=members, day=dates)
def test_compare_answers_or_raises_a_yibao_error(member, day):
    try:
        comparison = yibao.compare(list(REGIONS), member, day)
    except YibaoError:
        return
    json.dumps(comparison.to_dict(), allow_nan=False)
    for reason in comparison.failures.values():
        assert "\n" not in reason


python_values = st.one_of(
    json_values,
    st.binary(max_size=8),
    st.datetimes(),
    st.dates(),
    st.decimals(),
    st.sets(st.integers(), max_size=3),
    st.tuples(st.text(max_size=8)),
    st.builds(object),
)
region_like = st.one_of(st.sampled_from(REGIONS + ("national", "shenzhen.pilot", "Shenzhen", "shenzhen@2026-01-01")), python_values)
VALID = {"category": "employee", "contribution_base": "12000"}


@settings(max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(region=region_like, day=st.one_of(dates, python_values))
def test_any_region_and_date_a_python_caller_gives_is_answered_or_a_yibao_error(region, day):
    try:
        yibao.evaluate(region, VALID, day).to_dict()
    except YibaoError:
        pass


@settings(max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(regions=st.one_of(st.lists(region_like, max_size=4), python_values), day=st.one_of(dates, python_values))
def test_any_regions_a_python_caller_compares_are_answered_or_a_yibao_error(regions, day):
    try:
        yibao.compare(regions, VALID, day).to_dict()
    except YibaoError:
        pass
