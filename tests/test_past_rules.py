"""Issue 13 item 3: each past event is judged by its own rules.

A gap that ended in 2025 is judged by the recovery rule in force when payment resumed,
not by the rule in force on ``as_of``; its resume date does not move when ``as_of`` moves.
Built on the real Nanchang and national data.
"""

from __future__ import annotations

from datetime import date

import pytest

import yibao
from yibao.parameters import Params

# nanchang/region.toml, long_gap_wait_months = 3 from 2025-12-31 (nc-notice-2025, M):
NANCHANG = "因各种原因中断缴费3个月以上的…待遇享受等待期为3个月。"

# Paid to February 2025, March–July unpaid (a long gap, 5 months), paying again from
# August 2025: before Nanchang's notice, when no rule for a gap in Nanchang (or Jiangxi)
# is in the sources.
LONG_GAP_2025 = {
    "category": "employee",
    "contribution_base": "9000",
    "contributions": [{"from": "2024-01", "to": "2025-02"}, {"from": "2025-08"}],
}


def _long_wait(params: Params) -> int | None:
    value = params["long_gap_wait_months"]
    return None if value is None else value.value


@pytest.mark.parametrize("as_of", ["2025-09-01", "2026-03-01", "2027-06-15"])
def test_a_gap_ended_before_nanchangs_rule_keeps_the_answer_of_its_day(as_of):
    """In August 2025 no rule for the wait was in force: the resumption stays not modelled
    when asked later, although the notice's three months (from 2025-12-31) would say
    2025-11-01. A past gap is never judged by a later rule."""
    lapse = yibao.evaluate("nanchang", LONG_GAP_2025, as_of).lapse
    assert lapse.pooled_benefits_resume is None and lapse.pooled_benefits is None
    assert not lapse.modelled


def test_the_rules_of_each_date_are_the_ones_the_test_assumes():
    stack = yibao.PolicyEngine().stack("nanchang")
    view_then, view_now = stack.params(date(2025, 8, 1))[-1], stack.params(date(2026, 3, 1))[-1]
    assert _long_wait(view_then) is None
    assert _long_wait(view_now) == 3 and NANCHANG in view_now["long_gap_wait_months"].citations[0].quote
    assert view_now.on(date(2025, 8, 1)) is view_then  # Params.on: the same layer's view on another day


def test_the_rule_not_known_then_is_named_beside_the_one_in_force_on_as_of():
    lapse = yibao.evaluate("nanchang", LONG_GAP_2025, "2026-03-01").lapse
    reasons = {item.topic: item.reason for item in lapse.not_modelled}
    assert "2025-08-01" in reasons["long_gap_months"]  # not in force when payment resumed
    assert [(a.layer, a.value) for a in lapse.basis if a.name == "long_gap_wait_months"] == [("nanchang", 3)]


def test_a_later_long_gap_in_nanchang_is_judged_by_the_notice():
    member = {"category": "employee", "contributions": [{"from": "2024-01", "to": "2026-01"}, {"from": "2026-06"}]}
    lapse = yibao.evaluate("nanchang", member, "2026-08-01").lapse
    assert lapse.pooled_benefits_resume == date(2026, 9, 1)  # "待遇享受等待期为3个月": June, July, August paid first


def test_a_gap_whose_rule_was_unknown_then_stops_mattering_after_the_longest_wait():
    """A 2021 gap (before 43号, 2021-11-01: no rule known) is unknown; a later gap, after
    a paid run longer than the longest wait any area may set ("设置不超过6个月的待遇享受等待期"),
    is judged alone. Without a ceiling the unknown would stay."""
    from yibao.lapse import history, timing
    from yibao.member import Member

    member = Member.from_mapping(
        {
            "category": "employee",
            "contributions": [{"from": "2020-01", "to": "2021-01"}, {"from": "2021-03", "to": "2024-06"}, {"from": "2024-08"}],
        }
    )
    seen = history(member, date(2026, 3, 1))
    rules = {2021 * 12 + 2: (None, None, None), 2024 * 12 + 7: (3, 1, 6)}
    judged = timing(seen, date(2026, 3, 1), long_gap=3, short_wait=1, long_wait=6, rule_at=rules.__getitem__, wait_ceiling=6)
    assert (judged.unknown, judged.pooled_benefits, judged.pooled_benefits_resume) == (False, True, date(2024, 9, 1))
    unbounded = timing(seen, date(2026, 3, 1), long_gap=3, short_wait=1, long_wait=6, rule_at=rules.__getitem__)
    assert unbounded.unknown and unbounded.pooled_benefits is None


def test_params_built_by_hand_still_answer_for_another_day():
    data = yibao.PolicyEngine().layer("national").data
    params = Params("national", date(2026, 1, 1), data.applied(date(2026, 1, 1)), data.parameters, {})
    assert params.on(date(2026, 1, 1)) is params
    assert params.on(date(2020, 1, 1))["transfer_in_payable_gap_months"] is None  # 43号 is dated 2021-11-01
    assert params.on(date(2022, 1, 1))["transfer_in_payable_gap_months"].value == 3
    assert params.on(date(2022, 1, 1))["long_gap_months"] is None  # a gap inside a region: no national rule (issue 16)
