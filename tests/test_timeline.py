"""yibao.timeline: a member's history month by month, each month by its own rules (issue 7)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

import yibao
from yibao import InputError
from yibao.provenance import timeless
from yibao.timelines import MAX_MONTHS

jsonschema = pytest.importorskip("jsonschema")

from test_contracts import validator  # noqa: E402


def _codes(row) -> list[str]:
    return [event.code for event in row.events]


# Shenzhen base limits (region.toml): 2025 "现在我们一档的缴费基数是6733-33666元" (seed-000, L);
# 2026 "Contribution base limits for 2026: floor 6,727, cap 33,633 yuan/month" (sz-notice-2025-12-29, H);
# rate "Art. 8: tier 1 (一档) contribution is 8% of base (employer 6%, individual 2%)" (Decree 358, H).
HIGH_EARNER = {"category": "employee", "contribution_base": "33650", "contributions": [{"from": "2025-07"}]}


def test_the_credit_of_each_month_uses_the_base_limits_of_its_own_year():
    timeline = yibao.timeline("shenzhen", HIGH_EARNER, "2025-11", "2026-02")
    december, january = timeline.month("2025-12"), timeline.month("2026-01")
    assert december.base_applied == Decimal("33650") and december.credit == Decimal("673.00")  # under 2025's cap 33,666
    assert january.base_applied == Decimal("33633") and january.credit == Decimal("672.66")  # 2026's cap 33,633 applies
    assert "rule_changed" in _codes(january) and "base_cap" in next(e for e in january.events if e.code == "rule_changed").detail
    assert "shenzhen.base_cap@2026-01-01" in january.parameters and "shenzhen.base_cap@2025-06-20" in december.parameters


def test_a_base_change_inside_a_year_changes_the_credit_from_that_month():
    member = {
        "category": "employee",
        "contribution_base": "8000",
        "contributions": [{"from": "2026-01", "to": "2026-06"}, {"from": "2026-07", "to": "2026-12", "base": "10000"}],
    }
    timeline = yibao.timeline("shenzhen", member, "2026-01", "2026-12")
    credits = [row.credit for row in timeline.months]
    assert credits == [Decimal("160.00")] * 6 + [Decimal("200.00")] * 6  # 2% of 8,000 then of 10,000
    (total,) = timeline.totals
    assert total.credited == Decimal("2160.00") == sum(credits) == timeline.months[-1].credited_total
    assert (total.months_paid, total.months_covered) == (12, 12)


def test_a_short_unpaid_gap_inside_zhejiang_is_never_judged_by_43hao():
    """Issue 16: 43号's "缴费当月即可在转入地按规定享受待遇" is said of a move. Before Zhejiang's
    own rules (2025-04-21) and after them, no Zhejiang source gives the rule for a short
    gap left unpaid (its pages speak of paying it back): not modelled, month by month."""
    member = {
        "category": "employee",
        "contribution_base": "9000",
        "contributions": [{"from": "2024-01", "to": "2024-12"}, {"from": "2025-03", "to": "2026-02"}, {"from": "2026-05"}],
    }
    timeline = yibao.timeline("zhejiang", member, "2024-12", "2026-08")
    assert timeline.month("2025-02").pooled_benefits is False
    march = timeline.month("2025-03")
    assert march.pooled_benefits is None and "long_gap_months" in march.not_modelled  # was: covered in the payment month
    assert timeline.month("2026-05").pooled_benefits is None and "short_gap_wait_months" in timeline.month("2026-05").not_modelled
    assert not any(key.startswith("national.transfer_in") for row in timeline.months for key in row.parameters)
    assert "interruption_began" in _codes(timeline.month("2026-03"))


def test_a_long_gap_in_zhejiang_waits_six_paid_months_and_resets_continuity():
    """Zhejiang: after a gap of more than three months, six consecutive paid months."""
    member = {
        "category": "flexible",
        "contribution_base": "7000",
        "contributions": [{"from": "2024-01", "to": "2025-06"}, {"from": "2025-12"}],
    }
    timeline = yibao.timeline("zhejiang", member, "2025-06", "2026-07")
    covered = [row.label for row in timeline.months if row.pooled_benefits]
    assert covered == ["2025-06", "2025-07", "2026-06", "2026-07"]
    assert timeline.month("2025-12").waiting and timeline.month("2025-12").pooled_benefits_resume == date(2026, 6, 1)
    assert any("continuity_reset" in _codes(row) for row in timeline.months)
    # no Zhejiang source gives its credit rate (国办发〔2021〕14号's 2% is a ceiling): not modelled, month by month
    assert timeline.month("2025-12").credit is None and "credit_rate" in timeline.month("2025-12").not_modelled


def test_back_paid_months_count_as_paid_and_the_back_payment_is_an_event():
    """Shenzhen (b): a gap of up to 3 months may be paid back and merged (research notes,
    L: "merged when paid back"); benefits return at once on paying back ("补缴后立即恢复",
    L); no source says whether costs in the gap are reimbursed: those months are not
    modelled, never covered by default (issue 16, item 2)."""
    member = {
        "category": "employee",
        "contribution_base": "6000",
        "contributions": [
            {"from": "2025-01", "to": "2025-04"},
            {"from": "2025-05", "to": "2025-06", "paid": "back_paid", "paid_in": "2025-08"},
            {"from": "2025-07"},
        ],
    }
    timeline = yibao.timeline("shenzhen", member, "2025-01", "2025-09")
    assert [row.payment for row in timeline.months] == ["on_time"] * 4 + ["back_paid"] * 2 + ["on_time"] * 3
    assert all(row.paid and not row.continuity_reset for row in timeline.months)
    states = [row.state for row in timeline.months]
    assert states == ["covered"] * 5 + ["not_modelled", "waiting", "covered", "covered"]
    assert "back_paid_months_covered" in timeline.month("2025-06").not_modelled
    assert timeline.month("2025-07").pooled_benefits_resume == date(2025, 8, 1)  # from the month of the back payment
    event = next(e for e in timeline.month("2025-08").events if e.code == "back_payment_made")
    assert event.detail == ("2025-05 .. 2025-06",)


def test_an_open_range_is_paid_to_the_end_of_any_window():
    member = {"category": "employee", "contribution_base": "10000", "contributions": [{"from": "2026-01"}]}
    timeline = yibao.timeline("shenzhen", member, "2025-11", "2027-03")
    assert [row.paid for row in timeline.months] == [False, False] + [True] * 15
    assert _codes(timeline.month("2026-01"))[:1] == ["payment_began"]
    assert [total.year for total in timeline.totals] == [2025, 2026, 2027]
    assert sum(total.credited for total in timeline.totals) == timeline.months[-1].credited_total


def test_yearly_totals_equal_the_sum_of_their_months():
    member = {
        "category": "employee",
        "contribution_base": "12000",
        "contributions": [{"from": "2019-01", "to": "2025-04"}, {"from": "2025-09"}],
    }
    timeline = yibao.timeline("shenzhen", member, "2022-03", "2026-12")
    for total in timeline.totals:
        rows = [row for row in timeline.months if row.month // 12 == total.year]
        assert total.credited == sum((row.credit for row in rows if row.credit_known), Decimal(0))
        assert total.months_paid == sum(row.paid for row in rows)
        assert total.months_covered == sum(row.pooled_benefits is True for row in rows)
        assert total.months_credit_not_modelled == sum(not row.credit_known for row in rows)
        assert all(row.credit is not None for row in rows if row.credit_known)


def test_a_month_without_a_known_rule_is_not_modelled_alone():
    """Shenzhen's tier-1 credit is known from Decree 358 (2023-10-01); before it, not modelled."""
    member = {"category": "employee", "contribution_base": "10000", "contributions": [{"from": "2023-01"}]}
    timeline = yibao.timeline("shenzhen", member, "2023-08", "2023-11")
    assert [row.credit for row in timeline.months] == [None, None, Decimal("200.00"), Decimal("200.00")]
    assert not timeline.month("2023-09").modelled and "tier3" in timeline.month("2023-09").not_modelled
    # from October the 2% is known, but no base floor is (the first dated limits hold from 2025-06-20): the amounts are
    # shown, not summed as known (issue 16, item 4)
    assert "base_limits" in timeline.month("2023-10").not_modelled and not timeline.month("2023-10").credit_known
    assert timeline.totals[0].months_credit_not_modelled == 4 and timeline.totals[0].credited == Decimal("0.00")


def test_the_json_form_matches_the_schema_and_cites_each_value_once():
    timeline = yibao.timeline("shenzhen", HIGH_EARNER, "2025-06", "2026-03")
    data = timeline.to_dict()
    problems = [error.message for error in validator("timeline").iter_errors(data)]
    assert not problems, problems
    ids = [parameter["id"] for parameter in data["parameters"]]
    assert len(ids) == len(set(ids))
    assert {key for month in data["months"] for key in month["parameters"]} == set(ids)
    assert all(parameter["citations"] for parameter in data["parameters"])
    assert json.loads(json.dumps(data)) == data


def test_the_engine_method_and_the_function_agree():
    engine = yibao.PolicyEngine()
    assert timeless(engine.timeline("zhejiang", HIGH_EARNER, "2025-07", "2025-12").to_dict()) == timeless(
        yibao.timeline("zhejiang", HIGH_EARNER, date(2025, 7, 31), "2025-12-01").to_dict()
    )


@pytest.mark.parametrize(
    ("start", "end", "path", "reason"),
    [
        ("2026-05", "2026-01", "start", "after the end"),
        ("1990-01", "2100-12", "end", "at most 1,200"),
        ("1899-12", "1900-06", "start", "outside 1900-01"),
        ("2025-01", "2200-01", "end", "outside 1900-01"),
        ("2025-13", "2026-01", "start", "not a month"),
        ("2025-02-30", "2026-01", "start", "not a real date"),
        (["2025-01"], "2026-01", "start", "expected a month"),
    ],
)
def test_bad_windows_name_the_field(start, end, path, reason):
    with pytest.raises(InputError) as raised:
        yibao.timeline("shenzhen", HIGH_EARNER, start, end)
    assert raised.value.path == path and reason in raised.value.reason


def test_the_longest_window_is_answered():
    timeline = yibao.timeline("zhejiang", {"category": "employee", "contribution_base": 5000}, "1950-01", "2049-12")
    assert len(timeline.months) == MAX_MONTHS


def test_default_window_runs_from_the_first_paid_month_to_a_year_ahead():
    from yibao.member import Member
    from yibao.months import month_index, month_of
    from yibao.timelines import window

    today = date(2026, 11, 26)
    member = Member.from_mapping(HIGH_EARNER)
    assert window(member, today=today) == (month_index(2025, 7), month_of(today) + 12)
    assert window(Member.from_mapping({"category": "employee"}), today=today) == (month_of(today) - 24, month_of(today) + 12)


def test_evaluate_reads_the_range_that_pays_the_as_of_month():
    """A range's own base, tier and category are what the rules see in its months, in
    evaluate as in the timeline; the evaluation keeps the member as given."""
    member = {
        "category": "employee",
        "contribution_base": "8000",
        "contributions": [{"from": "2026-01", "to": "2026-06"}, {"from": "2026-07", "base": "10000", "tier": 2}],
    }
    june, august = yibao.evaluate("shenzhen", member, "2026-06-15"), yibao.evaluate("shenzhen", member, "2026-08-15")
    assert (june.credit.has_account, june.credit.monthly_credit) == (True, Decimal("160.00"))
    assert (august.credit.has_account, august.credit.monthly_credit) == (False, Decimal("0.00"))  # tier 2: no account
    assert august.member.contribution_base == Decimal("8000") and august.member.tier == 1
    row = yibao.timeline("shenzhen", member, "2026-08", "2026-08").month("2026-08")
    assert (row.has_account, row.credit) == (False, Decimal("0.00"))


def test_an_end_before_the_first_paid_month_shows_the_months_before_it():
    from yibao.member import Member
    from yibao.months import month_index
    from yibao.timelines import window

    member = Member.from_mapping({"category": "employee", "contributions": [{"from": "2026-01"}]})
    assert window(member, None, "2025-06") == (month_index(2023, 6), month_index(2025, 6))
    with pytest.raises(InputError) as raised:
        window(member, "2025-07", "2025-06")
    assert raised.value.path == "start"


def test_a_broken_plugin_fails_the_timeline_with_its_name_as_evaluate_does(tmp_path):
    """The timeline asks hooks with evaluate's isolation: SystemExit in a hook, or a decision
    with a bad field, is a PluginError naming the layer, not a crash."""
    import sys

    from test_stack import toy_file

    from yibao import PluginError, hookimpl
    from yibao.decisions import CreditDecision

    class Exits:
        def __init__(self, parameters):
            self.PARAMETERS = parameters

        @hookimpl
        def credit_rate(self, member, as_of, params):
            sys.exit(3)

    class Floats:
        def __init__(self, parameters):
            self.PARAMETERS = parameters

        @hookimpl
        def credit_rate(self, member, as_of, params):
            return CreditDecision(has_account=True, monthly_credit=1.5, basis=(params["credit_rate"],))

    engine = yibao.PolicyEngine(
        {"exits": Exits(toy_file(tmp_path, "exits")), "floats": Floats(toy_file(tmp_path, "floats"))}, entry_points=False
    )
    for code in ("exits", "floats"):
        with pytest.raises(PluginError) as raised:
            engine.timeline(code, {"category": "employee", "contribution_base": "9000"}, "2026-01", "2026-03")
        assert raised.value.region == code
