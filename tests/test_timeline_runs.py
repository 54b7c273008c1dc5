"""Property (issue 18): a timeline judged by runs (months that share the rules in force, the
member as the rules see it and the lapse state judged once) has the rows of the walk that
judges every month, for every built-in region and any history: gaps, open ranges, ranges
with their own base, tier or category, back payments, moves between regions."""

from __future__ import annotations

import attrs
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import yibao  # noqa: E402
from yibao import across, timelines  # noqa: E402
from yibao.months import format_month, month_index  # noqa: E402

ENGINE = yibao.PolicyEngine(load=())  # the built-in regions, whatever else is installed
REGIONS = ENGINE.codes()
FIRST, LAST = month_index(2015, 1), month_index(2027, 12)
RANGE_FACTS = [{}, {}, {"category": "retiree"}, {"category": "employee", "tier": 2}, {"category": "flexible", "tier": 1}]


@st.composite
def histories(draw, regions=False):
    """Up to six paid ranges with gaps of 0-30 months (0: a new range, no gap), the last
    maybe open; some with their own facts, some paid back later, some in another region."""
    start = draw(st.integers(FIRST, FIRST + 60))
    out = []
    for _ in range(draw(st.integers(0, 6))):
        end = min(start + draw(st.integers(1, 40)) - 1, LAST)
        item = {"from": format_month(start), "to": format_month(end)}
        if draw(st.booleans()):
            item["base"] = str(draw(st.integers(3000, 40000)))
        item.update(draw(st.sampled_from(RANGE_FACTS)))
        if draw(st.integers(0, 4)) == 0:
            item.update(paid="back_paid", paid_in=format_month(min(end + draw(st.integers(0, 6)), LAST)))
        if regions:
            item["region"] = draw(st.sampled_from(REGIONS))
        out.append(item)
        start = end + 1 + draw(st.integers(0, 30))
        if start > LAST:
            break
    if out and "paid" not in out[-1] and draw(st.booleans()):
        del out[-1]["to"]  # still paying
    category = draw(st.sampled_from(["employee", "flexible", "retiree"]))
    member = {"category": category, "tier": draw(st.sampled_from([1, 2])) if category == "employee" else 1, "contribution_base": "9000"}
    if out or draw(st.booleans()):
        member["contributions"] = out
    return member


def _walks(region, given, first, last):
    """The rows by runs and month by month (route as the engine builds it)."""
    member = yibao.Member.from_mapping(given)
    stack = ENGINE.stack(region)
    route = None
    if across.crosses(member):
        stacks = {stack.code: stack, **ENGINE._history_stacks(given, member)}
        route = across.Route(stacks, stack.code, member, lambda o, d, who, on: ENGINE.move(o, d, who, on))
    start, end = month_index(*map(int, first.split("-"))), month_index(*map(int, last.split("-")))
    by_runs = timelines.build(stack, member, start, end, route)
    each = timelines.build(stack, member, start, end, route, by_runs=False)
    return by_runs, each


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(region=st.sampled_from(REGIONS), member=histories(), window=st.sampled_from([("2015-01", "2027-12"), ("2019-07", "2026-12")]))
def test_runs_give_the_rows_of_the_month_by_month_walk(region, member, window):
    by_runs, each = _walks(region, member, *window)
    assert by_runs.months == each.months
    assert by_runs.totals == each.totals and by_runs.parameters == each.parameters


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(region=st.sampled_from(REGIONS), member=histories(regions=True))
def test_runs_give_the_rows_of_the_month_by_month_walk_across_regions(region, member):
    by_runs, each = _walks(region, member, "2015-01", "2027-12")
    assert by_runs.months == each.months and by_runs.moves == each.moves


def test_a_long_paid_run_is_judged_once_per_change_of_its_rules(monkeypatch):
    """Ten years of one open range: far fewer judgements than months, and the same rows."""
    calls = []
    stack = ENGINE.stack("shenzhen")
    real = type(stack).decide_areas

    def counting(self, areas, member, as_of):
        calls.append(as_of)
        return real(self, areas, member, as_of)

    member = yibao.Member.from_mapping({"category": "employee", "tier": 1, "contribution_base": "12000", "contributions": [{"from": "2015-01"}]})
    start, end = month_index(2017, 1), month_index(2026, 12)
    each = timelines.build(stack, member, start, end, by_runs=False)
    monkeypatch.setattr(type(stack), "decide_areas", counting)
    by_runs = timelines.build(stack, member, start, end)
    assert by_runs.months == each.months
    assert len(calls) < 60  # one per span between two dates on which some Shenzhen value starts or ends


def test_a_third_party_layer_is_judged_every_month(monkeypatch):
    """A hook yibao-policy does not ship may read the date in ways no key sees: every month is asked."""
    stack = ENGINE.stack("zhejiang")
    untrusted = type(stack)(tuple(attrs.evolve(layer, trusted=False) for layer in stack.layers), stack.code)
    member = yibao.Member.from_mapping({"category": "employee", "tier": 1, "contribution_base": "9000", "contributions": [{"from": "2020-01"}]})
    calls = []
    real = type(untrusted).decide_areas
    monkeypatch.setattr(type(untrusted), "decide_areas", lambda self, *a: calls.append(a) or real(self, *a))
    timelines.build(untrusted, member, month_index(2021, 1), month_index(2022, 12))
    assert sum(areas == timelines.AREAS_ASKED for areas, *_ in calls) == 24
