"""The lapse semantics shared by every layer (core/lapse.py), checked on dates.

Source 000 (深圳本地宝, 2025): "假如参保人5月停止缴交医保费,那么从6月1日开始 ……
将停止享受医疗保险统筹基金支付的医疗保险待遇" — the interruption month is the first
unpaid month and benefits end on the 1st of the month after it.
"""

from __future__ import annotations

from datetime import date

import pytest

from yibao import InputError, Member
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
    assert seen.lapsed and seen.last_paid is not None
    assert rule(seen, date(2025, 7, 1)).gap_months == 3  # May, June, July so far; September is in the future


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


def test_adjacent_ranges_join_into_one_run_and_overlapping_ones_are_refused():
    """Changed on purpose (issue 7): an overlap used to be merged silently; it is now an
    input error naming the range, since two ranges paying one month is a mistake in the file."""
    m = member(("2024-01", "2024-12"), ("2025-01", "2025-03"), ("2025-04", "2025-06"))
    assert m.contributions is not None and len(m.contributions) == 1
    with pytest.raises(InputError, match=r"contributions\[1\]: .*overlaps contributions\[0\]"):
        member(("2024-01", "2024-12"), ("2024-06", "2025-03"))


ZJ = {"long_wait": 6}  # Zhejiang-like: six paid months after a long gap


def test_stopping_again_during_the_wait_means_benefits_never_came_back():
    """Unpaid May-Aug 2026 (4 months), paid Sept-Oct, then nothing: the six paid months
    were never reached, so there are no pooled benefits in November either."""
    m = member(("2024-01", "2026-04"), ("2026-09", "2026-10"))
    result = rule(history(m, date(2026, 11, 15)), date(2026, 11, 15), **ZJ)
    assert result.pooled_benefits is False
    assert result.pooled_benefits_end == date(2026, 6, 1)  # when they stopped, in the long gap
    assert result.continuity_reset is True
    assert result.gap_months == 1


def test_a_short_gap_inside_the_wait_restarts_the_longer_wait():
    """Long gap, resumed in Sept, a one-month gap in Nov, resumed in Dec: six paid months
    are needed again from December, so benefits return on 2027-06-01."""
    m = member(("2024-01", "2026-04"), ("2026-09", "2026-10"), ("2026-12", "2027-12"))
    in_may = rule(history(m, date(2027, 5, 31)), date(2027, 5, 31), **ZJ)
    in_june = rule(history(m, date(2027, 6, 1)), date(2027, 6, 1), **ZJ)
    assert in_may.pooled_benefits is False and in_june.pooled_benefits is True
    assert in_june.pooled_benefits_resume == date(2027, 6, 1)
    assert in_june.continuity_reset is True  # the interrupted wait came from a long gap


def test_an_earlier_gap_that_healed_does_not_matter():
    """A long gap in 2020, covered again since 2021, then a two-month gap in 2026."""
    m = member(("2018-01", "2019-12"), ("2020-06", "2026-02"), ("2026-05", "2026-12"))
    result = rule(history(m, date(2026, 8, 1)), date(2026, 8, 1), **ZJ)
    assert result.gap_months == 2 and result.continuity_reset is False
    assert result.pooled_benefits_end == date(2026, 4, 1)
    assert result.pooled_benefits_resume == date(2026, 6, 1)  # short gap: the month after May
    assert result.pooled_benefits is True


def test_benefits_that_came_back_stop_again_after_a_new_interruption():
    m = member(("2024-01", "2025-04"), ("2025-09", "2026-06"))  # back on 2026-03-01, unpaid from July
    result = rule(history(m, date(2026, 8, 1)), date(2026, 8, 1), **ZJ)
    assert result.pooled_benefits_end == date(2026, 8, 1) and result.pooled_benefits is False
    assert rule(history(m, date(2026, 7, 31)), date(2026, 7, 31), **ZJ).pooled_benefits is True


def test_retirees_are_not_treated_as_lapsed(evaluate):
    """Retirees stop paying by right: no source makes them 'lapsed'. Shenzhen's page says
    "达到法定退休年龄且缴费年限符合当地规定后,可停止缴费并享受终身医保待遇"; elsewhere it is not modelled."""
    retiree = {"category": "retiree", "pension": "6000", "contributions": [{"from": "1995-01", "to": "2020-12"}]}
    shenzhen = evaluate("shenzhen", retiree, "2026-03-01")
    assert shenzhen.lapse.pooled_benefits is True and shenzhen.lapse.continuity_reset is False
    jiangxi = evaluate("jiangxi", retiree, "2026-03-01").to_dict()["lapse"]
    assert jiangxi["pooled_benefits"] is None and jiangxi["modelled"] is False
    assert jiangxi["continuity_reset"] is False
    assert "retiree_benefits" in {item["topic"] for item in jiangxi["not_modelled"]}


def test_an_unknown_rule_still_reports_the_latest_interruption(evaluate):
    """Review finding: before any lapse rule is in force (2021-11-01), an old short gap
    made the walk stop there and report it instead of the current one."""
    member = {"category": "employee", "contributions": [{"from": "2015-01", "to": "2016-01"}, {"from": "2016-03", "to": "2019-12"}]}
    lapse = evaluate("jiangxi", member, "2020-06-15").to_dict()["lapse"]
    assert (lapse["pooled_benefits"], lapse["pooled_benefits_end"], lapse["gap_months"]) == (False, "2020-02-01", 6)
    resumed = {
        "category": "employee",
        "contributions": [{"from": "2015-01", "to": "2016-01"}, {"from": "2016-03", "to": "2017-12"}, {"from": "2019-01", "to": "2020-06"}],
    }
    lapse = evaluate("jiangxi", resumed, "2020-06-15").to_dict()["lapse"]
    assert lapse["gap_months"] == 12 and lapse["pooled_benefits"] is None and lapse["modelled"] is False


def test_a_member_who_never_stopped_needs_no_lapse_rule_for_the_balance(evaluate):
    lapse = evaluate("jiangxi", {"category": "employee"}, "2023-01-01").to_dict()["lapse"]
    assert lapse["account_usable"] is True and lapse["pooled_benefits"] is True
