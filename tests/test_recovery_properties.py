"""Properties of recovery inside a region (issue 16, item 5), over generated histories with
unpaid gaps and gaps paid back, in every built-in region:

- within a run of months paid on time, no month is covered before the resume date that
  run shows;
- ``evaluate`` agrees with the timeline's month;
- a back-paid month is never covered unless the region's rule (b) says so with a source
  (the interruption month itself keeps the benefits in force: they end on the 1st of the
  month after it);
- a gap inside one region is never judged by a ``transfer_in`` parameter (43号's rules
  for a move), nor by its ceiling.
"""

from __future__ import annotations

from datetime import date

import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import yibao  # noqa: E402
from yibao.months import first_day, format_month, month_index  # noqa: E402

ENGINE = yibao.PolicyEngine(load=())  # the built-in regions, whatever else is installed
REGIONS = ENGINE.codes()
FIRST, LAST = month_index(2021, 1), month_index(2027, 6)
WINDOW = ("2022-01", "2027-06")
MOVE_RULES = ("transfer_in_", "long_gap_wait_ceiling_months")


@st.composite
def histories(draw):
    """Paid runs with gaps of 1-8 months between them; a gap may be paid back, whole, in
    a month from its last to three months later."""
    start = draw(st.integers(FIRST, FIRST + 24))
    items: list[dict] = []
    for _ in range(draw(st.integers(1, 5))):
        end = min(start + draw(st.integers(1, 18)) - 1, LAST)
        items.append({"from": format_month(start), "to": format_month(end)})
        gap = draw(st.integers(1, 8))
        if end + gap + 1 > LAST:
            break
        if draw(st.booleans()):
            paid_in = end + gap + draw(st.integers(0, 3))
            back = {"from": format_month(end + 1), "to": format_month(end + gap), "paid": "back_paid", "paid_in": format_month(paid_in)}
            items.append(back)
        start = end + gap + 1
    if "paid" not in items[-1] and draw(st.booleans()):
        items[-1].pop("to")  # still paying
    category = draw(st.sampled_from(["employee", "employee", "flexible"]))
    return {"category": category, "contribution_base": "9000", "contributions": items}


@st.composite
def moves(draw):
    """A history of :func:`histories` whose ranges after some point are paid in another region."""
    member = draw(histories())
    items = member["contributions"]
    first, second = draw(st.lists(st.sampled_from(REGIONS), min_size=2, max_size=2, unique=True))
    cut = draw(st.integers(1, max(1, len(items))))
    for i, item in enumerate(items):
        item["region"] = first if i < cut else second
    return first, member


def _runs(timeline):
    """Maximal runs of rows paid on time, as lists of rows."""
    runs, current = [], []
    for row in timeline.months:
        if row.payment == "on_time":
            current.append(row)
        elif current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _listed(timeline):
    return dict(timeline.parameters)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(region=st.sampled_from(REGIONS), member=histories())
def test_no_month_of_a_paid_run_is_covered_before_the_resume_date_it_shows(region, member):
    timeline = ENGINE.timeline(region, member, *WINDOW)
    for run in _runs(timeline):
        shown = {row.pooled_benefits_resume for row in run if row.pooled_benefits_resume is not None and row.month > run[0].month}
        for resume in shown:
            early = [row.label for row in run if row.pooled_benefits is True and first_day(row.month) < resume and row.month > run[0].month]
            assert not early, f"{region}: {early} covered before {resume}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(moved=moves())
def test_across_a_move_no_month_of_a_paid_run_is_covered_before_the_resume_date_it_shows(moved):
    region, member = moved
    timeline = ENGINE.timeline(region, member, *WINDOW)
    for run in _runs(timeline):
        for resume in {row.pooled_benefits_resume for row in run if row.pooled_benefits_resume is not None and row.month > run[0].month}:
            early = [row.label for row in run if row.pooled_benefits is True and first_day(row.month) < resume and row.month > run[0].month]
            assert not early, f"{region}: {early} covered before {resume}"


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    region=st.sampled_from(REGIONS),
    member=histories(),
    month=st.integers(month_index(2022, 1), month_index(2027, 6)),
)
def test_evaluate_agrees_with_the_timeline_month(region, member, month):
    row = ENGINE.timeline(region, member, format_month(month - 2), format_month(month)).month(month)
    lapse = ENGINE.evaluate(region, member, first_day(month)).lapse
    assert (row.pooled_benefits, row.pooled_benefits_resume, row.continuity_reset, row.account_usable) == (
        lapse.pooled_benefits,
        lapse.pooled_benefits_resume,
        lapse.continuity_reset,
        lapse.account_usable,
    )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(region=st.sampled_from(REGIONS), member=histories())
def test_a_back_paid_month_is_covered_only_where_rule_b_says_so_with_a_source(region, member):
    timeline = ENGINE.timeline(region, member, *WINDOW)
    listed = _listed(timeline)
    starts = {month_index(int(item["from"][:4]), int(item["from"][5:])) for item in member["contributions"] if item.get("paid")}
    for row in timeline.months:
        if row.payment != "back_paid" or row.pooled_benefits is not True or row.month in starts:
            continue  # (the interruption month keeps the benefits in force)
        covered = [listed[key] for key in row.parameters if listed[key].name == "back_paid_months_covered"]
        assert covered and covered[0].value is True and covered[0].citations, f"{region} {row.label} covered without rule (b)"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(region=st.sampled_from(REGIONS), member=histories(), as_of=st.dates(min_value=date(2022, 1, 1), max_value=date(2027, 6, 30)))
def test_a_gap_inside_a_region_is_never_judged_by_a_move_rule(region, member, as_of):
    lapse = ENGINE.evaluate(region, member, as_of).lapse
    assert not [value.name for value in lapse.basis if value.name.startswith(MOVE_RULES)]
    timeline = ENGINE.timeline(region, member, format_month(month_index(as_of.year, as_of.month) - 6), as_of.isoformat()[:7])
    assert not [key for row in timeline.months for key in row.parameters if key.split(".", 1)[1].startswith(MOVE_RULES)]


def test_the_properties_see_both_kinds_of_gap():
    """The strategy reaches a back payment that rule (b) judges, and an unpaid gap (a)."""
    member = {
        "category": "employee",
        "contribution_base": "9000",
        "contributions": [
            {"from": "2024-01", "to": "2025-12"},
            {"from": "2026-01", "to": "2026-02", "paid": "back_paid", "paid_in": "2026-03"},
            {"from": "2026-03", "to": "2026-06"},
            {"from": "2026-12"},
        ],
    }
    timeline = ENGINE.timeline("hangzhou", member, "2025-12", "2027-06")
    assert timeline.month("2026-02").state == "paid_back" and timeline.month("2026-03").state == "waiting"
    assert timeline.month("2026-04").state == "covered"
    assert timeline.month("2026-12").state == "waiting"  # a 5-month unpaid gap: Zhejiang's six paid months
    assert timeline.month("2027-06").state == "covered"
