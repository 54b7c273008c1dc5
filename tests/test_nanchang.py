"""Nanchang (南昌市), the first built-in city on a province: its own waiting period, the
rest from Jiangxi. Each rule checked against the sentence of the source it encodes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

NC = "nanchang"


def employee(*ranges):
    member = {"category": "employee", "contribution_base": "8000"}
    if ranges:
        member["contributions"] = [{"from": start, "to": end} for start, end in ranges]
    return member


def test_the_stack_is_national_jiangxi_nanchang(evaluate):
    result = evaluate(NC, employee(), "2026-03-01")
    assert result.layers == ("national", "jiangxi", NC)


# 南昌发布 notice (research notes, M): "因各种原因中断缴费3个月以上的…待遇享受等待期为3个月。"
# Unpaid 2026-01..04 (4 months), paid again from May: back on the 1st of the 4th month, 2026-08-01.
LONG_GAP = employee(("2024-01", "2025-12"), ("2026-05", "2026-12"))


@pytest.mark.parametrize(("as_of", "pooled"), [("2026-05-15", False), ("2026-07-31", False), ("2026-08-01", True)])
def test_a_three_month_wait_after_a_gap_of_more_than_three_months(evaluate, as_of, pooled):
    result = evaluate(NC, LONG_GAP, as_of)
    assert result.answered_by["lapse"] == NC
    assert result.lapse.pooled_benefits is pooled
    assert result.lapse.pooled_benefits_resume == date(2026, 8, 1)
    wait = [a for a in result.lapse.basis if a.name == "long_gap_wait_months"][0]
    assert (wait.layer, wait.value, wait.start_uncertain) == (NC, 3, True)


def test_jiangxi_itself_has_no_wait_of_its_own(evaluate):
    """The same member in Jiangxi: the wait is not modelled (43号's 6 months is a ceiling)."""
    lapse = evaluate("jiangxi", LONG_GAP, "2026-08-01").lapse
    assert lapse.pooled_benefits is None and lapse.modelled is False


def test_the_no_wait_text_is_a_move_rule_not_a_rule_for_a_gap_in_the_city(evaluate):
    """ "办理转移接续的职工医保参保人员…在转移接续前中断缴费3个月(含)以内的…补缴后不设待遇享受等待期":
    about members who transfer (issue 16). An unpaid 3-month gap inside Nanchang is not
    modelled; a move to Nanchang after it is answered by 43号 (the payment month)."""
    member = employee(("2024-01", "2025-12"), ("2026-04", "2026-12"))
    lapse = evaluate(NC, member, "2026-04-10").lapse
    assert lapse.gap_months == 3 and lapse.pooled_benefits is None
    assert "short_gap_wait_months" in {item.topic for item in lapse.not_modelled}
    assert not any(a.name == "short_gap_wait_months" for a in lapse.basis)


# The only page on a gap inside Nanchang (L/M): "尽快补交3个月的费用。那么从下个月起,就能正常使用医保服务".
def test_after_paying_a_gap_back_in_the_city_benefits_from_the_next_month(evaluate):
    member = {
        "category": "employee",
        "contribution_base": "8000",
        "contributions": [
            {"from": "2024-01", "to": "2025-12"},
            {"from": "2026-01", "to": "2026-03", "paid": "back_paid", "paid_in": "2026-04"},
            {"from": "2026-04", "to": "2026-12"},
        ],
    }
    april, may = (evaluate(NC, member, day).lapse for day in ("2026-04-10", "2026-05-01"))
    assert (april.pooled_benefits, april.pooled_benefits_resume) == (False, date(2026, 5, 1))
    assert may.pooled_benefits is True and may.continuity_reset is False
    wait = [a for a in may.basis if a.name == "back_payment_wait_months"][0]
    assert (wait.layer, wait.value, [d.value for d in wait.disputed]) == (NC, 1, [0])  # the notice's 0 is a move rule, kept
    # the months of the gap: whether their costs are reimbursed is not in the sources
    assert evaluate(NC, member, "2026-02-15").lapse.pooled_benefits is None


def test_before_the_notice_jiangxi_answers_the_lapse(evaluate):
    result = evaluate(NC, employee(("2024-01", "2025-06"), ("2025-11", "2025-12")), "2025-12-30")
    assert result.answered_by["lapse"] == "national"
    assert result.lapse.modelled is False


@pytest.mark.parametrize(
    ("area", "layer"), [("credit", "jiangxi"), ("family", "jiangxi"), ("transfer", "national"), ("withdrawal", "national")]
)
def test_every_other_area_is_jiangxis_answer(evaluate, area, layer):
    result = evaluate(NC, employee(), "2026-03-01")
    assert result.answered_by[area] == layer
    assert result.credit.monthly_credit == Decimal("160.00")  # Jiangxi's 2% of 8,000


def test_a_member_moving_to_nanchang_waits_three_months_after_a_long_gap(engine):
    """The notice speaks of moves: "在转移接续前中断缴费3个月(含)以内的…补缴后不设待遇享受等待期";
    "因各种原因中断缴费3个月以上的…待遇享受等待期为3个月". Paid to 2025-12, moving in May 2026 (a
    4-month gap): benefits from 2026-08-01. Moving to Jiangxi, the wait is not modelled."""
    member = {"category": "employee", "contribution_base": "8000", "contributions": [{"from": "2020-01", "to": "2025-12"}]}
    into_nanchang = engine.move("zhejiang", NC, member, "2026-05-10")
    assert into_nanchang.answered_by["transfer_in"] == NC
    data = into_nanchang.to_dict()
    assert (data["gap_months"], data["destination_wait_months"], data["pooled_benefits_resume"]) == (4, 3, "2026-08-01")
    into_jiangxi = engine.move("zhejiang", "jiangxi", member, "2026-05-10").to_dict()
    assert into_jiangxi["destination_wait_months"] is None and into_jiangxi["pooled_benefits_resume"] is None
