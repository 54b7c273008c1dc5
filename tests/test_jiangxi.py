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


def test_from_the_reform_the_national_two_percent_credit_applies(evaluate):
    """From 2021-12-30 the reform is in force; its credit is the national layer's
    ("the in-service credit is the individual 2%"): 9,000 x 2% = 180.00."""
    after = evaluate(JX, employee(), "2021-12-30")
    assert after.answered_by["credit"] == "national"
    assert after.credit.monthly_credit == Decimal("9000") * Decimal("0.02") == Decimal("180.00")


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


def test_the_conditions_of_the_2026_premium_are_shown(evaluate):
    """Research notes (M): "To pay a relative's 2026 resident premium the worker must be
    normally insured in Jiangxi, registered for family mutual aid, and the relative
    enrolled in Jiangxi resident insurance for 2025"."""
    family = evaluate(JX, employee(), "2026-03-01").family
    assert set(family.conditions) == {"holder_normally_insured_in_province", "mutual_aid_registered", "relative_in_resident_insurance"}
    assert applied(family, "family_conditions").layer == JX


def test_before_the_notes_date_the_conditions_are_reported_unknown_not_absent(evaluate):
    """The notes are undated; the latest date they mention is 2026-01-10, so the
    conditions start then. Before it, an empty list must not read as "no conditions"."""
    family = evaluate(JX, employee(), "2026-01-09").family
    assert family.conditions == ()
    assert "family_conditions" in topics(family)
    assert evaluate(JX, employee(), "2026-01-10").family.conditions != ()


def test_the_widest_channel_is_reported_and_jiangxis_own_reach_is_kept(evaluate):
    """Jiangxi's own mutual aid reaches relatives "enrolled in Jiangxi resident insurance"
    (research notes, M): the province. The national wallet (September 2025) reaches other
    provinces, so the widest channel is reported, with Jiangxi's value in its basis."""
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
        ("credit", "national"),  # the reform's 2%: no Jiangxi figure of its own
        ("lapse", "national"),  # no Jiangxi source on lapses
        ("family", JX),
        ("transfer", "national"),  # no Jiangxi source on transfers
        ("withdrawal", "national"),  # no Jiangxi source on withdrawals
    ],
)
def test_which_layer_answers_in_2026(evaluate, area, layer):
    assert evaluate(JX, employee(), "2026-03-01").answered_by[area] == layer


def test_a_jiangxi_lapse_follows_the_national_rule(evaluate):
    """With no Jiangxi rule, a 4-month gap gets the national wait: "for a gap > 3 months an
    area may set a waiting period of at most 6 months" (the cap applies): back on the 1st
    of the 7th month after payment resumed (2025-07 -> 2026-01-01)."""
    member = employee(contributions=[{"from": "2024-01", "to": "2025-02"}, {"from": "2025-07", "to": "2026-06"}])
    lapse = evaluate(JX, member, "2026-03-01").lapse
    assert lapse.pooled_benefits_resume == date(2026, 1, 1)
    assert {item.layer for item in lapse.basis} == {"national"}
