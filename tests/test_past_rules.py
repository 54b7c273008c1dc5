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

# national.toml, short_gap_wait_months = 0 from 2021-11-01 (xinhua-2021-12-03, M):
NATIONAL = "缴费当月即可在转入地按规定享受待遇,中断期间的待遇可追溯享受"
# zhejiang/region.toml, short_gap_wait_months = 1 from 2025-04-19 (hz-2025-04-19, L):
ZHEJIANG_2025 = "补缴后第二个月恢复"

# Paid to December 2024, January and February 2025 unpaid (a short gap), paying again
# from March 2025: before Zhejiang's own next-month rule (2025-04-19).
SHORT_GAP_2025 = {
    "category": "employee",
    "contribution_base": "9000",
    "contributions": [{"from": "2024-01", "to": "2024-12"}, {"from": "2025-03"}],
}


def _short_wait(params: Params) -> int:
    return params["short_gap_wait_months"].value


@pytest.mark.parametrize("as_of", ["2025-06-01", "2026-03-01", "2027-06-15"])
def test_a_short_gap_ended_before_zhejiangs_rule_keeps_the_rule_of_its_day(as_of):
    """In March 2025 the national rule was in force ("缴费当月即可…享受待遇"): benefits came
    back on 2025-03-01, and stay dated so when asked later, although Zhejiang's own rule
    from 2025-04-19 ("补缴后第二个月恢复") would say 2025-04-01."""
    lapse = yibao.evaluate("zhejiang", SHORT_GAP_2025, as_of).lapse
    assert lapse.pooled_benefits_resume == date(2025, 3, 1)
    assert lapse.pooled_benefits is True and lapse.continuity_reset is False


def test_the_rules_of_each_date_are_the_ones_the_test_assumes():
    stack = yibao.PolicyEngine().stack("zhejiang")
    view_then, view_now = stack.params(date(2025, 3, 1))[-1], stack.params(date(2026, 3, 1))[-1]
    assert _short_wait(view_then) == 0 and NATIONAL in view_then["short_gap_wait_months"].citations[0].quote
    assert _short_wait(view_now) == 1 and ZHEJIANG_2025 in view_now["short_gap_wait_months"].citations[0].quote
    assert view_now.on(date(2025, 3, 1)) is view_then  # Params.on: the same layer's view on another day


def test_the_earlier_rule_is_cited_beside_the_one_in_force_on_as_of():
    lapse = yibao.evaluate("zhejiang", SHORT_GAP_2025, "2026-03-01").lapse
    waits = [(a.layer, a.value) for a in lapse.basis if a.name == "short_gap_wait_months"]
    assert waits == [("zhejiang", 1), ("national", 0)]  # today's rule, then the one that judged the March 2025 gap


def test_a_later_short_gap_in_zhejiang_is_judged_by_zhejiangs_rule():
    member = {"category": "employee", "contributions": [{"from": "2024-01", "to": "2026-02"}, {"from": "2026-05"}]}
    lapse = yibao.evaluate("zhejiang", member, "2026-08-01").lapse
    assert lapse.pooled_benefits_resume == date(2026, 6, 1)  # "补缴后第二个月恢复": the month after


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
    assert params.on(date(2020, 1, 1))["long_gap_months"] is None  # 43号 is dated 2021-11-01
    assert params.on(date(2022, 1, 1))["long_gap_months"].value == 3
