"""Property (issue 7): ``yibao.evaluate(region, member, as_of)`` agrees with the timeline
row of the month that contains ``as_of`` — pooled benefits, account usable, continuity.

A timeline row is the answer on the month's 1st day; ``as_of`` may fall later in the
month, so the property holds where no lapse parameter changes between the 1st and
``as_of`` (Zhejiang's rules of 2026-01-10, say, start mid-month): that is the documented
meaning of "a month is judged by the rules in force on its 1st day".
"""

from __future__ import annotations

from datetime import date

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, assume, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import yibao  # noqa: E402
from yibao.lapse import BACK_PAYMENT_PARAMETERS, LAPSE_PARAMETERS  # noqa: E402
from yibao.months import format_month, month_index, month_of  # noqa: E402

ENGINE = yibao.PolicyEngine(load=())  # the built-in regions, whatever else is installed
REGIONS = ENGINE.codes()
FIRST, LAST = month_index(2019, 1), month_index(2027, 12)


PERIOD_VALUES = [{}, {}, {"category": "retiree"}, {"category": "employee", "tier": 2}, {"category": "flexible", "tier": 1}]


@st.composite
def histories(draw):
    """Up to five paid ranges with gaps of 1-8 months between them, the last maybe open."""
    start = draw(st.integers(FIRST, FIRST + 48))
    items = []
    for _ in range(draw(st.integers(0, 5))):
        length = draw(st.integers(1, 24))
        end = min(start + length - 1, LAST)
        item = {"from": format_month(start)}
        if draw(st.booleans()):
            item["base"] = str(draw(st.integers(3000, 40000)))
        item.update(draw(st.sampled_from(PERIOD_VALUES)))  # what a range may say about its own months
        items.append((item, end))
        start = end + 1 + draw(st.integers(1, 8))
        if start > LAST:
            break
    out = []
    for i, (item, end) in enumerate(items):
        if i < len(items) - 1 or draw(st.booleans()):
            item["to"] = format_month(end)
        out.append(item)
    category = draw(st.sampled_from(["employee", "flexible", "retiree"]))
    member = {"category": category, "tier": draw(st.sampled_from([1, 2])) if category == "employee" else 1, "contribution_base": "9000"}
    if out or draw(st.booleans()):
        member["contributions"] = out
    return member


def _same_rules(stack, first: date, day: date) -> bool:
    return all(a.get(name) is b.get(name) for a, b in zip(stack.params(first), stack.params(day)) for name in (*LAPSE_PARAMETERS, *BACK_PAYMENT_PARAMETERS))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    region=st.sampled_from(REGIONS),
    member=histories(),
    as_of=st.dates(min_value=date(2020, 1, 1), max_value=date(2027, 12, 31)),
)
def test_evaluate_agrees_with_the_timeline_for_the_month_of_as_of(region, member, as_of):
    month = month_of(as_of)
    first = date(as_of.year, as_of.month, 1)
    assume(_same_rules(ENGINE.stack(region), first, as_of))
    row = ENGINE.timeline(region, member, format_month(month - 3), format_month(month)).month(month)
    lapse = ENGINE.evaluate(region, member, as_of).lapse
    assert (row.pooled_benefits, row.account_usable, row.continuity_reset) == (
        lapse.pooled_benefits,
        lapse.account_usable,
        lapse.continuity_reset,
    )
    assert row.pooled_benefits_resume == lapse.pooled_benefits_resume


@settings(max_examples=60, deadline=None)
@given(region=st.sampled_from(REGIONS), member=histories())
def test_a_row_does_not_depend_on_where_the_window_starts(region, member):
    """Each month is judged on its own: a longer window changes no month it shares."""
    short = ENGINE.timeline(region, member, "2025-01", "2026-06")
    long = ENGINE.timeline(region, member, "2021-01", "2026-06")
    for row in short.months:
        other = long.month(row.month)
        assert (row.paid, row.credit, row.pooled_benefits, row.account_usable, row.continuity_reset) == (
            other.paid,
            other.credit,
            other.pooled_benefits,
            other.account_usable,
            other.continuity_reset,
        )
