"""The lapse semantics shared by every layer (core/lapse.py), checked on dates.

Source 000 (深圳本地宝, 2025): "假如参保人5月停止缴交医保费,那么从6月1日开始 ……
将停止享受医疗保险统筹基金支付的医疗保险待遇" — the interruption month is the first
unpaid month and benefits end on the 1st of the month after it.
"""

from __future__ import annotations

from datetime import date

import pytest

from yibao import Member
from yibao.lapse import history, timing


def member(*ranges: tuple[str, str]) -> Member:
    return Member.from_mapping({"category": "employee", "contributions": [{"from": a, "to": b} for a, b in ranges]})


def rule(seen, as_of, long_wait=6):
    return timing(seen, as_of, long_gap=3, short_wait=1, long_wait=long_wait)


def test_stop_paying_in_may_means_no_pooled_benefits_from_june_1():
    """The seed's example: paid up to April, May unpaid -> benefits stop on June 1."""
    m = member(("2024-01", "2025-04"))
    in_may = rule(history(m, date(2025, 5, 20)), date(2025, 5, 20))
    assert in_may.pooled_benefits is True  # still May: benefits last until June 1
    assert in_may.pooled_benefits_end == date(2025, 6, 1)
    on_june_1 = rule(history(m, date(2025, 6, 1)), date(2025, 6, 1))
    assert on_june_1.pooled_benefits is False
    assert on_june_1.pooled_benefits_end == date(2025, 6, 1)
    assert on_june_1.last_paid_month is not None


def test_omitted_contributions_mean_paid_up_to_the_as_of_month():
    seen = history(Member.from_mapping({"category": "employee"}), date(2026, 3, 15))
    result = rule(seen, date(2026, 3, 15))
    assert result.pooled_benefits is True
    assert result.pooled_benefits_end is None and result.pooled_benefits_resume is None
    assert result.continuity_reset is False


def test_months_paid_after_the_as_of_date_are_not_seen():
    m = member(("2024-01", "2025-04"), ("2025-09", "2026-12"))
    seen = history(m, date(2025, 7, 1))
    assert seen.lapsed and seen.gap_months == 3  # May, June, July so far; September is in the future


@pytest.mark.parametrize(
    ("gap_end", "gap", "resume", "reset"),
    [
        ("2025-07", 3, date(2025, 9, 1), False),  # gap May-July (3): short, next month after August
        ("2025-08", 4, date(2026, 3, 1), True),  # gap May-Aug (4): long, R = Sept 2025, R+6 = March 2026
    ],
)
def test_short_and_long_gap_edges(gap_end, gap, resume, reset):
    resumed = {"2025-07": "2025-08", "2025-08": "2025-09"}[gap_end]
    m = member(("2024-01", "2025-04"), (resumed, "2026-12"))
    as_of = date(2026, 6, 1)
    result = rule(history(m, as_of), as_of)
    assert result.gap_months == gap
    assert result.pooled_benefits_resume == resume
    assert result.continuity_reset is reset
    assert result.pooled_benefits_end == date(2025, 6, 1)


def test_pooled_benefits_are_off_until_the_resume_date_and_on_from_it():
    m = member(("2024-01", "2025-04"), ("2025-09", "2026-12"))  # 4-month gap, resume 2026-03-01
    before = date(2026, 2, 28)
    on = date(2026, 3, 1)
    assert rule(history(m, before), before).pooled_benefits is False
    assert rule(history(m, on), on).pooled_benefits is True


def test_unknown_wait_leaves_resume_open_and_says_so():
    m = member(("2024-01", "2025-04"), ("2025-09", "2026-12"))
    result = timing(history(m, date(2026, 6, 1)), date(2026, 6, 1), long_gap=3, short_wait=1, long_wait=None)
    assert result.unknown is True
    assert result.pooled_benefits_resume is None


def test_never_paid_up_to_the_date():
    m = member(("2027-01", "2027-12"))
    result = rule(history(m, date(2026, 6, 1)), date(2026, 6, 1))
    assert result.last_paid_month is None and result.pooled_benefits is False


def test_overlapping_ranges_are_merged_into_one_run():
    m = member(("2024-01", "2024-12"), ("2024-06", "2025-03"), ("2025-04", "2025-06"))
    assert m.contributions is not None and len(m.contributions) == 1
