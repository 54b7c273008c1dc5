"""Zhejiang's rules, each checked against the sentence of the source it encodes."""

from __future__ import annotations

from datetime import date

import pytest

ZJ = "zhejiang"


def employee(*ranges, **more):
    """An employee who paid the given (from, to) months, inclusive."""
    return {
        "category": "employee",
        "contribution_base": 10000,
        "contributions": [{"from": start, "to": end} for start, end in ranges],
        **more,
    }


def applied(decision, name):
    found = [item for item in decision.basis if item.name == name]
    assert found, f"{name} is not in the decision's basis"
    return found[0]


def topics(decision):
    return {item.topic for item in decision.not_modelled}


# --- lapse_effect: the long gap ------------------------------------------------------

# 浙江医保断交3个月后再续交会有影响吗: "断缴3个月后的续缴需连续缴费满6个月,医保待遇方可恢复";
# research notes (L): "a gap > 3 months needs 6 months of continuous payment before pooled
# benefits resume". Unpaid March–June 2025 (4 months), paid again from July 2025: the six
# paid months are July–December, so benefits come back on the 1st of the 7th, 2026-01-01.
FOUR_MONTH_GAP = employee(("2024-01", "2025-02"), ("2025-07", "2026-06"))


@pytest.mark.parametrize(
    ("as_of", "pooled"),
    [
        ("2025-07-01", False),  # the 1st month paid again
        ("2025-12-31", False),  # the 6th month: six months paid, not yet "满6个月" and past
        ("2026-01-01", True),  # the 1st of the 7th month
    ],
)
def test_after_a_gap_of_more_than_three_months_six_paid_months_come_first(evaluate, as_of, pooled):
    result = evaluate(ZJ, FOUR_MONTH_GAP, as_of)
    assert result.lapse.gap_months == 4
    assert result.lapse.pooled_benefits is pooled
    assert result.lapse.pooled_benefits_resume == date(2026, 1, 1)
    assert result.answered_by["lapse"] == ZJ
    wait = applied(result.lapse, "long_gap_wait_months")
    assert (wait.layer, wait.value) == (ZJ, 6)


# The same resumption (March 2026) after an unpaid gap of exactly three months
# (December–February) and of exactly four (November–February): four is a long gap, six
# paid months first; three is a short one, for which no Zhejiang source gives a rule when
# it is left unpaid (the pages speak of paying it back): not modelled, never 43号's
# "缴费当月" (issue 16).
EXACTLY_3 = employee(("2024-01", "2025-11"), ("2026-03", "2026-12"))
EXACTLY_4 = employee(("2024-01", "2025-10"), ("2026-03", "2026-12"))


@pytest.mark.parametrize(
    ("as_of", "pooled"),
    [("2026-04-01", False), ("2026-08-31", False), ("2026-09-01", True)],  # six paid months March–August, then the 1st of the 7th
)
def test_four_months_is_a_long_gap(evaluate, as_of, pooled):
    lapse = evaluate(ZJ, EXACTLY_4, as_of).lapse
    assert (lapse.gap_months, lapse.pooled_benefits, lapse.pooled_benefits_resume) == (4, pooled, date(2026, 9, 1))
    assert lapse.continuity_reset is True
    assert applied(lapse, "long_gap_months").value == 3


@pytest.mark.parametrize("as_of", ["2026-03-15", "2026-04-01", "2026-12-01"])
def test_a_short_gap_left_unpaid_is_not_modelled(evaluate, as_of):
    lapse = evaluate(ZJ, EXACTLY_3, as_of).lapse
    assert (lapse.gap_months, lapse.pooled_benefits, lapse.continuity_reset) == (3, None, False)
    assert "short_gap_wait_months" in topics(lapse) and not lapse.modelled
    assert "paid back" in next(item.reason for item in lapse.not_modelled if item.topic == "short_gap_wait_months")


# A Zhejiang page (L): "若中断时间超过1个月但未超过3个月,补缴后需连续缴费满3个月才能恢复"; the seed
# item (L, 2025-04-21): "补缴后3个月内无法享受医保报销,需等待至第4个月起恢复报销". December 2025 –
# February 2026 paid back in March 2026: benefits from the 4th month, 2026-06-01.
PAID_BACK = {
    "category": "employee",
    "contribution_base": 10000,
    "contributions": [
        {"from": "2024-01", "to": "2025-11"},
        {"from": "2025-12", "to": "2026-02", "paid": "back_paid", "paid_in": "2026-03"},
        {"from": "2026-03", "to": "2026-12"},
    ],
}


@pytest.mark.parametrize(
    ("as_of", "pooled"),
    [("2025-12-15", True), ("2026-03-15", False), ("2026-05-31", False), ("2026-06-01", True)],
)
def test_a_gap_paid_back_waits_until_the_4th_month_after_the_back_payment(evaluate, as_of, pooled):
    lapse = evaluate(ZJ, PAID_BACK, as_of).lapse
    assert lapse.pooled_benefits is pooled and lapse.continuity_reset is False
    if as_of > "2026-03":
        assert lapse.pooled_benefits_resume == date(2026, 6, 1)
    wait = applied(lapse, "back_payment_wait_months")
    assert (wait.layer, wait.value, wait.start, wait.start_uncertain) == (ZJ, 3, date(2025, 4, 21), True)
    assert [d.value for d in wait.disputed] == [1]  # the Hangzhou pages' next month, kept


def test_whether_the_months_paid_back_are_covered_is_not_modelled_in_zhejiang(evaluate):
    """The Zhejiang pages say when benefits return, not whether costs in the gap are reimbursed."""
    lapse = evaluate(ZJ, PAID_BACK, "2026-01-15").lapse
    assert lapse.pooled_benefits is None and "back_paid_months_covered" in topics(lapse)


def test_before_zhejiangs_own_rules_no_rule_judges_a_gap(evaluate):
    """Before 2025-04-21 the national layer answers: it has no rule for a gap inside a region
    (43号's payment month is said of a move), so the answer is not modelled."""
    early = employee(("2023-01", "2024-09"), ("2025-01", "2025-12"))  # Oct–Dec 2024 unpaid: 3 months
    before = evaluate(ZJ, early, "2025-01-15")
    assert before.answered_by["lapse"] == "national"
    assert before.lapse.pooled_benefits is None and "long_gap_months" in topics(before.lapse)
    assert not any(value.name.startswith("transfer_in") for value in before.lapse.basis)


def test_the_balance_stays_usable_throughout(evaluate):
    """Research notes (L): "the balance stays usable throughout." Paid up to January
    2026, nothing since: February is the first unpaid month, so pooled benefits stopped on
    2026-03-01 (the 1st of the month after it); the balance is still usable in April."""
    lapse = evaluate(ZJ, employee(("2024-01", "2026-01")), "2026-04-15").lapse
    assert lapse.pooled_benefits is False and lapse.pooled_benefits_end == date(2026, 3, 1)
    assert lapse.account_usable is True
    usable = applied(lapse, "account_usable_during_lapse")
    assert (usable.layer, usable.value) == (ZJ, True)


def test_the_other_recoveries_of_the_seed_item_are_kept_as_disputed(evaluate):
    """The same item also says "补缴后3个月内无法享受医保报销,需等待至第4个月起恢复报销" and
    "补缴后3个月内报销比例可能降低(如从90%降至60%)"; the research notes find the lower rate
    "is Fujian's rule … not found for Zhejiang". Neither is applied; both are shown."""
    result = evaluate(ZJ, FOUR_MONTH_GAP, "2026-03-01")
    disputed = {item["parameter"]: item for item in result.to_dict()["lapse"]["disputed"]}
    assert disputed["long_gap_wait_months"]["value"] == 3
    assert "第4个月起恢复报销" in disputed["long_gap_wait_months"]["quote"]
    assert "back_payment_wait_months" in disputed["long_gap_wait_months"]["note"]  # applied there, to a gap paid back
    assert disputed["lower_rate_during_wait"]["value"] is True
    assert "报销比例可能降低" in disputed["lower_rate_during_wait"]["quote"]
    lower = applied(result.lapse, "lower_rate_during_wait")
    assert (lower.layer, lower.value) == (ZJ, False)
    assert result.lapse.pooled_benefits_resume == date(2026, 1, 1)  # six months, not three


def test_the_lower_rate_reading_is_dated_with_zhejiangs_rules_not_the_notes(evaluate):
    """Issue 16, item 4: no value starts on the research notes' date (2026-01-10)."""
    lapse = evaluate(ZJ, FOUR_MONTH_GAP, "2025-12-01").lapse
    lower = applied(lapse, "lower_rate_during_wait")
    assert (lower.start, lower.start_uncertain) == (date(2025, 4, 21), True)
    assert "lower_rate_during_wait" not in topics(lapse)


# --- family_scope --------------------------------------------------------------------


def channel(family, name):
    found = [item for item in family.channels if item.channel == name]
    assert found, f"no channel {name!r} in {family.channels}"
    return found[0]


def test_only_the_prior_years_part_goes_to_relatives_insured_in_zhejiang(evaluate):
    """Research notes (L): "The account has a current-year part and a prior-years part;
    only the prior-years part may be shared with relatives, who must be insured in
    Zhejiang". Shown as the conditions of Zhejiang's own channel; the split itself is not
    in the member input."""
    result = evaluate(ZJ, employee(("2024-01", "2026-03")), "2026-03-01")
    family = result.family
    assert result.answered_by["family"] == ZJ
    own = channel(family, "province_mutual_aid")
    assert set(own.conditions) == {"prior_years_balance_only", "relative_insured_in_province"}
    assert (own.scope, own.uses) == ("province", ("medical_expenses",))
    scope = applied(family, "province_mutual_aid_scope")
    assert (scope.layer, scope.value, scope.start_uncertain) == (ZJ, "province", True)
    assert family.scope == "nationwide"  # the national wallet reaches further and is reported
    assert family.conditions == channel(family, "wallet").conditions  # the widest channel's own
    assert {"prior_years_amount", "family_relations_zhejiang"} <= topics(family)
    assert applied(family, "family_relations").layer == "national"  # the pages do not list them


def test_paying_a_relatives_premium_has_zhejiangs_own_conditions(evaluate):
    """Zhejiang pages (L): "授权人浙江省职工医保待遇处于正常享受期间,且历年账户结余资金≥2025年度城乡居民医保
    个人缴费标准;授权人已与代缴近亲属办理家庭共济绑定", relatives "参加浙江省基本医疗保险的近亲属"."""
    family = evaluate(ZJ, employee(("2024-01", "2026-03")), "2026-03-01").family
    premium = channel(family, "resident_premium_payment")
    assert premium.uses == ("resident_premium",) and premium.scope == "province"
    assert premium.conditions == (
        "holder_benefits_in_force",
        "prior_years_balance_covers_premium",
        "family_link_registered",
        "relative_insured_in_province",
    )
    assert "resident_premium" in family.uses


def test_vaccines_and_hangzhous_settlement_are_listed_as_not_modelled(evaluate):
    """ "预防性免疫疫苗费用" (prior-years balance) and Hangzhou's "非本市户籍且未在其他统筹地参保的,可按规定办理
    个人账户清算": each named, with the reason it is not encoded."""
    family = evaluate(ZJ, employee(("2024-01", "2026-03")), "2026-03-01").to_dict()["family"]
    reasons = {item["topic"]: item["reason"] for item in family["not_modelled"]}
    assert "预防性免疫疫苗费用" in reasons["vaccination"]
    shown = run_show()
    assert "非本市户籍且未在其他统筹地参保的" in shown["hangzhou_settlement"]


def run_show():
    import yibao
    from yibao.showing import region_parameters

    from conftest import built_in_plugins

    stack = yibao.PolicyEngine(built_in_plugins(), entry_points=False).stack(ZJ)
    return {item["topic"]: item["reason"] for item in region_parameters(stack, date(2026, 3, 1))["not_modelled"]}


def test_zhejiang_family_rules_are_dated_from_the_regime_they_describe_not_the_notes(evaluate):
    """Undated pages (L): "only the prior-years part may be shared with relatives, who must be
    insured in Zhejiang" is 14号's mutual aid (2021-04-13); paying a relative's resident premium
    is the 2024-08-01 guidance's. Both start uncertain; none on the notes' own date."""
    before = evaluate(ZJ, employee(("2020-01", "2021-03")), "2021-04-12")
    assert before.answered_by["family"] == "national"
    result = evaluate(ZJ, employee(("2024-01", "2025-12")), "2025-12-01")
    assert result.answered_by["family"] == ZJ
    starts = {a.name: (a.start, a.start_uncertain) for a in result.family.basis if a.layer == ZJ}
    assert starts["province_mutual_aid_scope"] == (date(2021, 4, 13), True)
    assert starts["premium_conditions"] == (date(2024, 8, 1), True)
    assert all(start != date(2026, 1, 10) for start, _ in starts.values())


# --- layer precedence ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("area", "layer"),
    [
        ("credit", "national"),  # "对划账规则有细化调整" without saying how: the national 2%
        ("lapse", ZJ),
        ("family", ZJ),
        ("transfer", "national"),
        ("withdrawal", "national"),
    ],
)
def test_which_layer_answers_in_2026(evaluate, area, layer):
    assert evaluate(ZJ, FOUR_MONTH_GAP, "2026-03-01").answered_by[area] == layer


def test_before_the_seed_page_the_national_lapse_rule_answers(evaluate):
    """Zhejiang's own recovery rule is attested from the seed page's date, 2025-04-21."""
    member = employee(("2024-01", "2024-08"), ("2025-01", "2025-12"))
    assert evaluate(ZJ, member, "2025-04-20").answered_by["lapse"] == "national"
    assert evaluate(ZJ, member, "2025-04-21").answered_by["lapse"] == ZJ
