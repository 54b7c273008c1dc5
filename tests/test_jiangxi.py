"""Jiangxi's rules, each checked against the sentence of the source it encodes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

JX = "jiangxi"
NEAR_RELATIVES = ("spouse", "parent", "child", "sibling", "grandparent", "grandchild")


def employee(base="9000", **more):
    return {"category": "employee", "contribution_base": base, **more}


def applied(decision, name):
    """The parameter ``name`` as the decision applied it (its layer and value)."""
    found = [item for item in decision.basis if item.name == name]
    assert found, f"{name} is not in the decision's basis"
    return found[0]


def quotes(decision):
    return [citation.quote for citation in decision.all_citations()]


def topics(decision):
    return {item.topic for item in decision.not_modelled}


# --- the reform: 赣府厅发〔2021〕47号 ----------------------------------------------------


def test_before_the_jiangxi_reform_credit_and_family_are_not_modelled(evaluate):
    """Research notes (H): "赣府厅发〔2021〕47号 (2021-12-30) implements the 2021 national reform."
    Before that day the national reform's 2% credit and mutual aid did not yet apply in
    Jiangxi, and no source gives what did: Jiangxi says so instead of showing the national 2%."""
    before = evaluate(JX, employee(), "2021-12-29")
    assert before.answered_by["credit"] == JX
    assert before.credit.monthly_credit is None and before.credit.modelled is False
    assert "credit_before_reform" in topics(before.credit)
    assert any("赣府厅发〔2021〕47号" in quote for quote in quotes(before.credit))
    assert before.answered_by["family"] == JX
    assert before.family.modelled is False and before.family.relations == ()
    assert "family_before_reform" in topics(before.family)


def test_from_the_reform_jiangxis_own_two_percent_credit_applies(evaluate):
    """From 2021-12-30 (赣府厅发〔2021〕47号, H) the reform is in force. The national 2% is a
    ceiling (14号: "原则上控制在本人参保缴费基数的2%以内"); Jiangxi's own value rests on
    "但个人缴纳的2%仍全额计入个人账户" (L): 9,000 x 2% = 180.00, answered by Jiangxi."""
    after = evaluate(JX, employee(), "2021-12-30")
    assert after.answered_by["credit"] == JX
    assert after.credit.monthly_credit == Decimal("9000") * Decimal("0.02") == Decimal("180.00")
    rate = applied(after.credit, "credit_rate")
    assert (rate.layer, rate.start, rate.ceiling) == (JX, date(2021, 12, 30), False)
    assert "个人缴纳的2%仍全额计入个人账户" in " ".join(quotes(after.credit))


def test_a_retiree_credit_in_jiangxi_is_not_modelled(evaluate):
    """14号: retirees' amounts are province-set ("按定额划入"); no Jiangxi amount is known."""
    credit = evaluate(JX, {"category": "retiree", "pension": "4000"}, "2026-03-01").credit
    assert credit.monthly_credit is None and "retiree_credit" in topics(credit)


def test_between_the_reform_and_jiangxis_own_statement_the_national_layer_answers_family(evaluate):
    """Jiangxi's own family rules are first attested on 2025-04-21 (seed page); before
    that, the national lists (spouse, parents, children until July 2024) apply."""
    assert evaluate(JX, employee(), "2022-06-01").answered_by["family"] == "national"
    assert evaluate(JX, employee(), "2022-06-01").family.relations == ("spouse", "parent", "child")
    assert evaluate(JX, employee(), "2025-04-20").answered_by["family"] == "national"
    assert evaluate(JX, employee(), "2025-04-21").answered_by["family"] == JX


# --- family_scope --------------------------------------------------------------------


def test_all_near_relatives_may_use_the_account(evaluate):
    """江西省职工医保可以给家人用吗: "近亲属范围包括: 配偶 父母 子女 兄弟姐妹 祖父母、外祖父母
    孙子女、外孙子女"; research notes (M): "Mutual aid covers all near relatives."."""
    family = evaluate(JX, employee(), "2025-06-01").family
    assert set(family.relations) == set(NEAR_RELATIVES)
    relations = applied(family, "family_relations")
    assert relations.layer == JX and relations.start == date(2025, 4, 21)
    assert any("兄弟姐妹 祖父母、外祖父母 孙子女、外孙子女" in quote for quote in quotes(family))


def test_the_account_pays_relatives_resident_premiums_and_medical_bills(evaluate):
    """ "职工医保个人账户资金可用于支付 近亲属 的城乡居民医疗保险(即居民医保)费用";
    research notes (M): "registered relatives can also use the balance for medical bills."."""
    family = evaluate(JX, employee(), "2025-06-01").family
    assert "resident_premium" in family.uses and "medical_expenses" in family.uses
    assert applied(family, "family_uses").layer == JX


def channel(family, name):
    found = [item for item in family.channels if item.channel == name]
    assert found, f"no channel {name!r} in {family.channels}"
    return found[0]


def test_the_conditions_of_jiangxis_own_channel_are_shown(evaluate):
    """Jiangxi notice mirrored 2025-10-21 (M): the holder normally insured in Jiangxi, the
    relative "在江西省正常参加了2025年度城乡居民基本医疗保险", and "登记完成后,不仅可以给近亲属代缴居民医保"."""
    family = evaluate(JX, employee(), "2026-03-01").family
    own = channel(family, "province_mutual_aid")
    assert own.scope == "province"
    assert set(own.conditions) == {"holder_normally_insured_in_province", "mutual_aid_registered", "relative_in_resident_insurance"}
    assert applied(family, "family_conditions").layer == JX


def test_the_conditions_apply_from_the_notice_mirrored_2025_10_21(evaluate):
    """Before the notice the conditions of Jiangxi's channel are reported unknown, not absent."""
    before = evaluate(JX, employee(), "2025-10-20").family
    assert "family_conditions" in topics(before)
    assert all(item.channel != "province_mutual_aid" for item in before.channels)
    after = evaluate(JX, employee(), "2025-10-21").family
    assert channel(after, "province_mutual_aid").conditions != ()
    assert applied(after, "family_conditions").start == date(2025, 10, 21)


def test_scope_and_conditions_never_contradict_each_other(evaluate):
    """The nationwide reach is the national wallet's; "relative enrolled in Jiangxi resident
    insurance" is a condition of Jiangxi's own channel, which reaches the province. The
    area's scope and conditions are those of one channel, the widest."""
    family = evaluate(JX, employee(), "2026-03-01").family
    assert family.scope == "nationwide"
    wallet = channel(family, "wallet")
    assert family.conditions == wallet.conditions
    assert "relative_in_resident_insurance" not in family.conditions
    assert {item.scope for item in family.channels} == {"province", "nationwide"}


def test_the_widest_channel_is_reported_and_jiangxis_own_reach_is_kept(evaluate):
    """Jiangxi's own mutual aid reaches relatives "enrolled in Jiangxi resident insurance"
    (province). The national wallet (September 2025) reaches other provinces, so the
    widest channel is reported, with Jiangxi's value in its basis."""
    family = evaluate(JX, employee(), "2026-03-01").family
    assert family.scope == "nationwide"
    own = applied(family, "province_mutual_aid_scope")
    assert (own.layer, own.value) == (JX, "province")
    assert applied(family, "family_scope").layer == "national"
    assert any("(province)" in note for note in family.notes)


def test_before_any_scope_is_known_jiangxi_says_why(evaluate):
    """Between Jiangxi's own statement (2025-04-21) and the national wallet (2025-09-01)
    no source says how far mutual aid reaches: scope is None, with Jiangxi's reason."""
    family = evaluate(JX, employee(), "2025-06-01").family
    assert family.scope is None and family.modelled is False
    reason = {item.topic: item.reason for item in family.not_modelled}["family_scope"]
    assert "Jiangxi" in reason


def test_the_unverified_premium_amount_is_not_used(evaluate):
    """江西怎么帮父母交农村医保: "如350元/人/年" is unverified (research notes: ?): no
    premium amount is a rule; the decision says it is not modelled."""
    family = evaluate(JX, employee(), "2026-03-01").to_dict()["family"]
    reasons = {item["topic"]: item["reason"] for item in family["not_modelled"]}
    assert "350" in reasons["premium_amount"]
    assert not any("350" in str(parameter["value"]) for parameter in family["parameters"])


def test_the_general_item_forbidding_premiums_for_others_is_kept_as_disputed(evaluate):
    """用自己的医保给孩子交城乡医保: "职工医保个人账户的资金只能用于支付参保人本人(职工)的医疗费用 ,
    不能用于为他人(如子女)缴纳城乡居民医保". Jiangxi's own rule is applied; this reading is shown."""
    family = evaluate(JX, employee(), "2026-03-01").to_dict()["family"]
    disputed = [item for item in family["disputed"] if item["parameter"] == "family_uses"]
    assert len(disputed) == 1
    assert disputed[0]["value"] == []  # under that reading relatives get nothing from the account
    assert "不能用于为他人" in disputed[0]["quote"]
    assert "resident_premium" in family["uses"]  # and it is not the reading applied


# --- layer precedence ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("area", "layer"),
    [
        ("credit", JX),  # Jiangxi's own 2% (the national 2% is a ceiling)
        ("lapse", "national"),  # no Jiangxi source on lapses
        ("family", JX),
        ("transfer", "national"),  # no Jiangxi source on transfers
        ("withdrawal", "national"),  # no Jiangxi source on withdrawals
    ],
)
def test_which_layer_answers_in_2026(evaluate, area, layer):
    assert evaluate(JX, employee(), "2026-03-01").answered_by[area] == layer


@pytest.mark.parametrize(
    ("ranges", "as_of"),
    [
        ((("2024-01", "2025-02"), ("2025-07", "2026-06")), "2026-03-01"),  # a 4-month gap
        ((("2024-01", "2025-02"), ("2025-06", "2026-06")), "2025-06-15"),  # a 3-month gap
    ],
    ids=["long", "short"],
)
def test_a_gap_inside_jiangxi_is_not_modelled(evaluate, ranges, as_of):
    """No Jiangxi source on interruptions. 43号 (M) speaks of a gap before a move ("在转移接续前
    中断缴费"), not of a gap inside one area: no national rule judges it (issue 16), and its
    six-month ceiling, about arrivals, is not shown here."""
    member = employee(contributions=[{"from": a, "to": b} for a, b in ranges])
    result = evaluate(JX, member, as_of)
    lapse = result.lapse
    assert lapse.pooled_benefits is None and lapse.pooled_benefits_resume is None and lapse.modelled is False
    reasons = {item.topic: item.reason for item in lapse.not_modelled}
    assert "move" in reasons["long_gap_months"]
    assert not any(a.name.startswith("transfer_in") or a.ceiling for a in lapse.basis)
