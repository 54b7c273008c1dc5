"""Issue 13 item 3: each past event is judged by its own rules.

A gap that ended in 2025 is judged by the recovery rule in force when payment resumed,
not by the rule in force on ``as_of``; its resume date does not move when ``as_of`` moves.
Built on the real Zhejiang and national data.
"""

from __future__ import annotations

from datetime import date

import pytest

import yibao
from yibao.parameters import Params

# national.toml, short_gap_wait_months = 0 from 2021-11-01 (nhsa-2021-43, M):
NATIONAL = "A gap ≤ 3 months can be paid back at the destination with benefits from the payment month and the gap covered"
# zhejiang/region.toml, short_gap_wait_months = 1 from 2026-01-10 (research-zj, L):
ZHEJIANG_2026 = "a gap ≤ 3 months, paid back, restores benefits the next month"

# Paid to May 2025, June and July unpaid (a short gap), paying again from August 2025.
SHORT_GAP_2025 = {
    "category": "employee",
    "contribution_base": "9000",
    "contributions": [{"from": "2024-01", "to": "2025-05"}, {"from": "2025-08"}],
}


def _short_wait(params: Params) -> int:
    return params["short_gap_wait_months"].value


@pytest.mark.parametrize("as_of", ["2025-10-01", "2026-03-01", "2027-06-15"])
def test_a_2025_short_gap_in_zhejiang_keeps_the_2025_rule_whatever_the_as_of_date(as_of):
    """In August 2025 the national rule was in force ("benefits from the payment month"):
    benefits came back on 2025-08-01, and stay dated so when asked in 2026 or 2027,
    although Zhejiang's 2026 rule ("restores benefits the next month") would say 09-01."""
    lapse = yibao.evaluate("zhejiang", SHORT_GAP_2025, as_of).lapse
    assert lapse.pooled_benefits_resume == date(2025, 8, 1)
    assert lapse.pooled_benefits is True and lapse.continuity_reset is False


def test_the_rules_of_each_date_are_the_ones_the_test_assumes():
    stack = yibao.PolicyEngine().stack("zhejiang")
    view_2025, view_2026 = stack.params(date(2025, 8, 1))[-1], stack.params(date(2026, 3, 1))[-1]
    assert _short_wait(view_2025) == 0 and NATIONAL in view_2025["short_gap_wait_months"].citations[0].quote
    assert _short_wait(view_2026) == 1 and ZHEJIANG_2026 in view_2026["short_gap_wait_months"].citations[0].quote
    assert view_2026.on(date(2025, 8, 1)) is view_2025  # Params.on: the same layer's view on another day


def test_the_earlier_rule_is_cited_beside_the_one_in_force_on_as_of():
    lapse = yibao.evaluate("zhejiang", SHORT_GAP_2025, "2026-03-01").lapse
    waits = [(a.layer, a.value) for a in lapse.basis if a.name == "short_gap_wait_months"]
    assert waits == [("zhejiang", 1), ("national", 0)]  # today's rule, then the one that judged the 2025 gap


def test_a_2026_short_gap_in_zhejiang_is_judged_by_the_2026_rule():
    member = {"category": "employee", "contributions": [{"from": "2024-01", "to": "2026-02"}, {"from": "2026-05"}]}
    lapse = yibao.evaluate("zhejiang", member, "2026-08-01").lapse
    assert lapse.pooled_benefits_resume == date(2026, 6, 1)  # "restores benefits the next month"


def test_params_built_by_hand_still_answer_for_another_day():
    data = yibao.PolicyEngine().layer("national").data
    params = Params("national", date(2026, 1, 1), data.applied(date(2026, 1, 1)), data.parameters, {})
    assert params.on(date(2026, 1, 1)) is params
    assert params.on(date(2020, 1, 1))["long_gap_months"] is None  # 43号 is dated 2021-11-01
    assert params.on(date(2022, 1, 1))["long_gap_months"].value == 3
