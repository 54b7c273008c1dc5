"""Shenzhen's rules, each checked against the sentence of the source it encodes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from yibao import InputError

SZ = "shenzhen"


def employee(base, **more):
    return {"category": "employee", "tier": 1, "contribution_base": base, **more}


# --- credit_rate ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "credit"),
    [
        # 深圳本地宝: "最多:33666×2%=673.32 / 最少:6733×2%=134.66"
        ("33666", "673.32"),
        ("6733", "134.66"),
        # "现在我们一档的缴费基数是6733-33666元": bases outside the range are held to it
        ("50000", "673.32"),
        ("3000", "134.66"),
        # "缴费基数×2%=划入个账的费用", inside the range
        ("10000", "200.00"),
    ],
)
def test_tier1_credit_is_two_percent_of_the_base_within_the_2025_range(evaluate, base, credit):
    result = evaluate(SZ, employee(base), "2025-07-01")
    assert result.credit.monthly_credit == Decimal(credit)
    assert result.credit.rate == Decimal("0.02")
    assert result.answered_by["credit"] == SZ


def test_2026_limits_from_the_bureau_notice_replace_the_2025_figures(evaluate):
    """Notice of 2025-12-29 (H): "floor 6,727, cap 33,633 yuan/month" for 2026."""
    before = evaluate(SZ, employee("6730"), "2025-12-31")
    after = evaluate(SZ, employee("6730"), "2026-01-01")
    assert before.credit.base_applied == Decimal("6733")  # below the 2025 floor: held up to it
    assert after.credit.base_applied == Decimal("6730")  # above the 2026 floor 6727: as declared
    assert after.credit.monthly_credit == Decimal("134.60")
    top = evaluate(SZ, employee("40000"), "2026-06-30")
    assert top.credit.monthly_credit == Decimal("672.66")  # 33633 x 2% = 672.66


def test_credit_rounds_to_the_fen_half_up(evaluate):
    # 10000.25 x 2% = 200.005 -> 200.01 (half-up), not 200.00 (banker's rounding)
    assert evaluate(SZ, employee("10000.25"), "2026-03-01").credit.monthly_credit == Decimal("200.01")


def test_past_the_last_known_limits_the_2026_values_still_apply_but_are_stale(evaluate):
    result = evaluate(SZ, employee("5000"), "2027-03-01")
    assert result.credit.base_applied == Decimal("6727")
    assert result.credit.stale and result.stale
    data = result.to_dict()
    assert data["stale"] is True and data["credit"]["stale"] is True
    assert any("base_floor" in line and "2026-12-31" in line for line in data["warnings"])
    assert evaluate(SZ, employee("5000"), "2026-12-31").stale is False


def test_tier2_has_no_personal_account(evaluate):
    """深圳本地宝: "缴纳深圳一档职工医保的有个人医保账户,二档没有医保账户。" """
    result = evaluate(SZ, employee("10000", tier=2), "2026-03-01")
    assert result.credit.has_account is False
    assert result.to_dict()["credit"]["monthly_credit"] == "0.00"
    assert result.lapse.account_usable is False


def test_flexible_workers_are_tier1_and_have_an_account(evaluate):
    """深圳本地宝: "灵活就业人员缴纳的是职工一档医保,灵活就业人员也有医保个人账户。" """
    result = evaluate(SZ, {"category": "flexible", "contribution_base": "8000"}, "2026-03-01")
    assert result.credit.has_account is True
    assert result.credit.monthly_credit == Decimal("160.00")
    with pytest.raises(InputError) as raised:
        evaluate(SZ, {"category": "flexible", "tier": 2, "contribution_base": "8000"}, "2026-03-01")
    assert raised.value.path == "tier"


def test_retiree_credit_is_not_modelled(evaluate):
    """Research notes: "Retiree credit amounts: [?]"."""
    result = evaluate(SZ, {"category": "retiree", "pension": "6000"}, "2026-03-01")
    assert result.answered_by["credit"] == SZ
    assert result.credit.monthly_credit is None and result.credit.modelled is False
    data = result.to_dict()["credit"]
    assert data["monthly_credit"] is None and data["modelled"] is False
    assert data["not_modelled"][0]["topic"] == "retiree_credit"
    assert data["citations"], "a not-modelled answer still points to the source that stops short"


def test_before_decree_358_the_credit_is_not_modelled(evaluate):
    """深圳市医疗保障办法 (令第358号) is in force from 2023-10-01 (research notes, H); the
    older regime (three tiers) is not modelled, and the national 2% is not assumed."""
    before = evaluate(SZ, employee("10000", tier=2), "2023-09-30")
    assert before.credit.monthly_credit is None and before.credit.modelled is False
    assert before.to_dict()["credit"]["not_modelled"][0]["topic"] == "tier3"
    after = evaluate(SZ, employee("10000", tier=2), "2023-10-01")
    assert after.credit.has_account is False and after.credit.modelled is True


def test_before_the_source_gives_base_limits_the_base_is_taken_on_trust(evaluate):
    result = evaluate(SZ, employee("50000"), "2025-06-19")
    assert result.credit.monthly_credit == Decimal("1000.00") and result.credit.modelled is False
    assert "base_limits" in {item["topic"] for item in result.to_dict()["credit"]["not_modelled"]}


def test_without_a_base_the_credit_is_not_modelled_rather_than_guessed(evaluate):
    result = evaluate(SZ, {"category": "employee"}, "2026-03-01")
    assert result.credit.monthly_credit is None and not result.credit.modelled
    assert result.credit.has_account is True


# --- lapse_effect --------------------------------------------------------------------


def test_stopping_in_may_ends_pooled_benefits_on_june_1_and_the_balance_stays_usable(evaluate):
    """深圳本地宝: "自中断缴交的次月1日起,停止享受医疗保险统筹基金支付的医疗保险待遇,
    但其个人账户余额可继续使用" and "假如参保人5月停止缴交医保费,那么从6月1日开始……" """
    member = employee("10000", contributions=[{"from": "2024-01", "to": "2026-04"}])
    in_may = evaluate(SZ, member, "2026-05-31")
    in_june = evaluate(SZ, member, "2026-06-01")
    assert in_may.lapse.pooled_benefits is True
    assert in_june.lapse.pooled_benefits is False
    assert in_june.lapse.pooled_benefits_end == date(2026, 6, 1)
    assert in_june.lapse.account_usable is True
    assert in_june.to_dict()["lapse"]["last_paid_month"] == "2026-04"


def test_after_a_gap_benefits_return_the_month_after_payment_resumes(evaluate):
    """深圳医保转出有余额要求嘛 (related item): "深圳医保断交后重新缴纳,次月即可使用。" """
    member = employee("10000", contributions=[{"from": "2024-01", "to": "2026-02"}, {"from": "2026-08", "to": "2026-12"}])
    august = evaluate(SZ, member, "2026-08-15")
    september = evaluate(SZ, member, "2026-09-01")
    assert august.lapse.pooled_benefits is False
    assert september.lapse.pooled_benefits is True
    assert september.lapse.pooled_benefits_resume == date(2026, 9, 1)
    assert september.answered_by["lapse"] == SZ


def test_the_six_month_reading_is_kept_as_disputed_not_applied(evaluate):
    """Same page, another item: "需连续缴费满6个月才能恢复" — shown, not applied."""
    member = employee("10000", contributions=[{"from": "2024-01", "to": "2026-02"}, {"from": "2026-08", "to": "2026-12"}])
    lapse = evaluate(SZ, member, "2026-09-01").to_dict()["lapse"]
    six = [d for d in lapse["disputed"] if d["value"] == 6]
    # the 2-month-gap item sits on the short-gap wait, the research notes' disagreement on the long one
    assert {d["parameter"] for d in six} == {"short_gap_wait_months", "long_gap_wait_months"}
    assert any("需连续缴费满6个月才能恢复" in d["quote"] and d["parameter"] == "short_gap_wait_months" for d in six)
    assert lapse["pooled_benefits_resume"] == "2026-09-01"  # the applied reading: next month


@pytest.mark.parametrize(("resumed", "reset"), [("2026-06", False), ("2026-07", True)])
def test_continuity_is_reset_only_after_more_than_three_months(evaluate, resumed, reset):
    """深圳医保停缴多久失效: "若断缴不超过3个月,续保后可合并计算连续参保时间,超过3个月则需重新计算年限" """
    member = employee("10000", contributions=[{"from": "2024-01", "to": "2026-02"}, {"from": resumed, "to": "2026-12"}])
    result = evaluate(SZ, member, "2026-10-01")
    assert result.lapse.continuity_reset is reset
    assert result.lapse.gap_months == (3 if not reset else 4)


# --- family_scope --------------------------------------------------------------------


def channel(family, name):
    found = [item for item in family.channels if item.channel == name]
    assert found, f"no channel {name!r} in {family.channels}"
    return found[0]


def test_mutual_aid_reaches_insured_relatives_in_the_province(evaluate):
    """深圳本地宝: "可将其个人账户授权给省内已参保的家庭成员使用" (as of 2025-06-20)."""
    family = evaluate(SZ, employee("10000"), "2025-07-01").family
    facility = channel(family, "facility_authorisation")
    assert facility.scope == "province" and family.scope == "province"
    assert {"relative_insured_in_province", "holder_normally_insured"} <= set(facility.conditions)
    assert facility.uses == ("medical_expenses",)
    assert family.conditions == facility.conditions  # the widest channel's, no other's


def test_the_national_wallet_widens_the_reach_from_september_2025(evaluate):
    result = evaluate(SZ, employee("10000"), "2026-03-01")
    assert result.family.scope == "nationwide"
    assert result.family.conditions == channel(result.family, "wallet").conditions
    layers = {p["name"]: p["layer"] for p in result.to_dict()["family"]["parameters"]}
    assert layers["facility_mutual_aid_scope"] == SZ and layers["family_scope"] == "national"


PREMIUM = "参保人【A】个人账户余额可用于支付配偶、父母、子女参加本市居民基本医疗保险的个人缴费"


@pytest.mark.parametrize("as_of", ["2023-10-01", "2025-07-01", "2026-03-01"])
def test_a_tier1_account_pays_the_shenzhen_resident_premiums_of_spouse_parents_children(evaluate, as_of):
    """深圳本地宝 (research notes, L/M): "参保人【A】个人账户余额可用于支付配偶、父母、子女参加本市居民基本医疗
    保险的个人缴费"; conditions "1.授权人必须为基本医疗保险一档参保人;2.被授权人需已参加深圳市医保;
    3.被授权人的个人账户必须为零或无个人账户;4.进行了社保卡家庭成员关联。" — under Decree 358."""
    family = evaluate(SZ, employee("10000"), as_of).family
    premium = channel(family, "resident_premium_payment")
    assert premium.relations == ("spouse", "parent", "child")
    assert premium.uses == ("resident_premium",) and premium.scope == "pooling_area"
    assert premium.conditions == ("holder_tier_one", "relative_insured_in_pooling_area", "relative_account_empty", "family_link_registered")
    assert "resident_premium" in family.uses
    cited = [c for c in family.all_citations() if c.quote == PREMIUM]
    assert cited and cited[0].confidence == "L"


def test_shenzhen_uses_never_narrow_when_only_a_source_is_missing(evaluate):
    """From Decree 358 on, every date gives at least the premium payment; medical expenses
    join with the province channel (2025-06-20). Uses only ever widen."""
    seen = []
    for as_of in ("2023-10-01", "2024-08-01", "2025-06-19", "2025-06-20", "2025-09-01", "2026-03-01"):
        seen.append(set(evaluate(SZ, employee("10000"), as_of).family.uses))
    assert all(earlier <= later for earlier, later in zip(seen, seen[1:])), seen


def test_before_decree_358_the_national_layer_answers_family(evaluate):
    assert evaluate(SZ, employee("10000"), "2023-09-30").answered_by["family"] == "national"


# --- tier 2 reads the same in all five areas (issue 9 / issue 13 item 5) -------------


@pytest.mark.parametrize("as_of", ["2023-09-30", "2023-10-01", "2025-07-01", "2026-03-01"])
@pytest.mark.parametrize("category", ["employee", "retiree"])
def test_tier2_has_no_account_in_every_area_on_every_date(evaluate, as_of, category):
    """深圳本地宝: "缴纳深圳一档职工医保的有个人医保账户,二档没有医保账户。"; before Decree 358, the old
    regime's "无个人账户的参保人 (如二、三档参保人)无法转移个人账户余额". Every area says the same."""
    member = {
        "category": category,
        "tier": 2,
        "contribution_base": "10000",
        "pension": "5000",
        "contributions": [{"from": "2020-01", "to": "2022-12"}],
    }
    result = evaluate(SZ, member, as_of)
    assert result.credit.has_account is False
    assert result.lapse.account_usable is False
    assert "no_account" in result.transfer.blockers and result.transfer.balance_transferable is False
    assert result.family.relations == () and result.family.uses == () and result.family.channels == ()
    assert result.withdrawal.grounds == ()
    if category == "employee" or as_of >= "2023-10-01":
        assert result.to_dict()["credit"]["monthly_credit"] in ("0.00", None)


# --- cumulative interruptions --------------------------------------------------------

# "参保人在医疗保险年度内累计中断参保不超过3个月的,重新缴费后其中断前后的连续参保时间合并计算;超过3个月的,
# 重新计算连续缴费年限。" (research notes, L). The sources do not say when the year starts.


def test_two_interruptions_within_a_year_leave_continuity_not_modelled(evaluate):
    """Two 2-month gaps (Feb–Mar and Jul–Aug 2026): 4 months in twelve. Each alone is
    short; counted together they may exceed 3 months in one medical-insurance year."""
    member = employee(
        "10000",
        contributions=[{"from": "2024-01", "to": "2026-01"}, {"from": "2026-04", "to": "2026-06"}, {"from": "2026-09", "to": "2026-12"}],
    )
    lapse = evaluate(SZ, member, "2026-11-01").lapse
    assert lapse.modelled is False
    assert "yearly_gap_total" in {item.topic for item in lapse.not_modelled}
    assert lapse.pooled_benefits is True  # benefits are not what the rule is about


def test_interruptions_years_apart_are_judged_each_alone(evaluate):
    member = employee(
        "10000",
        contributions=[{"from": "2020-01", "to": "2021-01"}, {"from": "2021-03", "to": "2024-06"}, {"from": "2024-08", "to": "2026-12"}],
    )
    lapse = evaluate(SZ, member, "2026-03-01").lapse
    assert lapse.modelled is True and lapse.continuity_reset is False
    assert "yearly_gap_total" not in {item.topic for item in lapse.not_modelled}


def test_a_single_interruption_is_judged_as_before(evaluate):
    """ "若断缴不超过3个月,续保后可合并计算连续参保时间" — one gap of 2 months: not reset, modelled."""
    member = employee("10000", contributions=[{"from": "2024-01", "to": "2026-01"}, {"from": "2026-04", "to": "2026-12"}])
    lapse = evaluate(SZ, member, "2026-06-01").lapse
    assert lapse.modelled is True and lapse.continuity_reset is False


# --- transfer_rules ------------------------------------------------------------------


def test_arrears_must_be_paid_before_a_transfer(evaluate):
    """深圳医保转出有余额要求嘛: "若存在欠费或参保中断记录,需先补缴或处理欠费后方可申请转移。" """
    result = evaluate(SZ, employee("10000", arrears=True), "2026-03-01")
    assert result.transfer.relationship_transferable is False
    assert result.transfer.balance_transferable is False
    assert "arrears" in result.transfer.blockers


def test_no_minimum_balance_to_transfer(evaluate):
    """ "医保账户余额在转出时 无余额限制" — a zero balance still moves."""
    result = evaluate(SZ, employee("10000", balance="0"), "2026-03-01")
    assert result.transfer.balance_transferable is True and result.transfer.blockers == ()


def test_without_an_account_only_the_relationship_moves(evaluate):
    """ "无个人账户的参保人 (如二、三档参保人)无法转移个人账户余额,但基本医保关系可随本人转移。" """
    result = evaluate(SZ, employee("10000", tier=2), "2026-03-01")
    assert result.transfer.relationship_transferable is True
    assert result.transfer.balance_transferable is False
    assert result.transfer.blockers == ("no_account",)


def test_retirees_cannot_transfer(evaluate):
    """医保办发〔2021〕43号 (research, M): "Retirees are out of its scope (Art. 2)." """
    result = evaluate(SZ, {"category": "retiree", "pension": "5000"}, "2026-03-01")
    assert result.transfer.relationship_transferable is False
    assert "retired" in result.transfer.blockers


# --- withdrawal_conditions -----------------------------------------------------------


def test_withdrawal_grounds_from_the_shenzhen_answer(evaluate):
    """深圳医保账户余额怎么提取: retirement elsewhere ("养老保险待遇或退休金领取地不在深圳"),
    "出国定居或丧失国籍", "参保人死亡"."""
    grounds = evaluate(SZ, employee("10000"), "2026-03-01").withdrawal.grounds
    assert {"retirement_elsewhere", "emigration", "death"} <= set(grounds)


def test_withdrawal_grounds_are_not_switched_off_before_the_page_that_lists_them(evaluate):
    """The grounds are undated (page of 2025-04-19): they apply under Decree 358 from
    2023-10-01 with their start shown uncertain, not "not modelled" until the page."""
    result = evaluate(SZ, employee("10000"), "2024-06-01")
    assert "death" in result.withdrawal.grounds and result.withdrawal.modelled is True
    shown = {p["name"]: p for p in result.to_dict()["withdrawal"]["parameters"]}
    assert shown["withdrawal_grounds"]["from"] == "2023-10-01" and shown["withdrawal_grounds"]["from_uncertain"] is True


# --- the stack -----------------------------------------------------------------------


def test_every_area_is_answered_by_shenzhen_in_2026(evaluate):
    result = evaluate(SZ, employee("10000"), "2026-03-01")
    assert set(result.answered_by.values()) == {SZ}
    assert result.layers == ("national", "guangdong", SZ)  # Guangdong, its province, beneath it (issue 20)


@pytest.mark.parametrize(
    ("area", "as_of", "layer"),
    [
        ("credit", "2023-09-30", SZ),  # before Decree 358: Shenzhen says it is not modelled
        ("credit", "2026-03-01", SZ),
        ("lapse", "2026-03-01", SZ),
        ("family", "2023-09-30", "national"),  # before Decree 358
        ("family", "2023-10-01", SZ),  # paying relatives' premiums under Decree 358
        ("family", "2025-06-20", SZ),
        ("transfer", "2026-03-01", SZ),
        ("withdrawal", "2026-03-01", SZ),
    ],
)
def test_which_layer_answers_each_area(evaluate, area, as_of, layer):
    assert evaluate(SZ, employee("10000"), as_of).answered_by[area] == layer


def test_on_the_day_decree_358_starts_no_use_is_lost(evaluate):
    """国办发〔2021〕14号: the account may pay relatives' costs at designated institutions.
    The Decree adds the premium payment; medical expenses stay, and the reach of mutual aid
    stays unknown (null, not modelled) until the province channel is seen (2025-06-20)."""
    before = evaluate(SZ, employee("10000"), "2023-09-30").family
    after = evaluate(SZ, employee("10000"), "2023-10-01").family
    assert set(before.uses) <= set(after.uses) and set(before.relations) <= set(after.relations)
    assert after.scope is None and after.modelled is False
    assert channel(after, "mutual_aid").uses == ("medical_expenses",)


@pytest.mark.parametrize(("second_gap", "shared"), [("2026-01", True), ("2026-02", False)])
def test_twelve_months_is_the_window_two_interruptions_must_share(evaluate, second_gap, shared):
    """A gap ending 2025-02 and one starting 2026-01 both fit one twelve-month year
    (2025-02..2026-01); starting 2026-02 they cannot."""
    from yibao.months import format_month, parse_month

    before = format_month(parse_month(second_gap, "x") - 1)
    member = employee(
        "10000",
        contributions=[
            {"from": "2020-01", "to": "2025-01"},
            {"from": "2025-03", "to": before},
            {"from": format_month(parse_month(second_gap, "x") + 1), "to": "2026-12"},
        ],
    )
    lapse = evaluate(SZ, member, "2026-06-01").lapse
    # two one-month gaps: 2 months in any year, whichever its start (calendar or July): the answer is known
    assert "yearly_gap_total" not in {item.topic for item in lapse.not_modelled}
    assert any("every reading" in note for note in lapse.notes) is shared
    assert lapse.continuity_reset is False and lapse.modelled


# "参保人在医疗保险年度内累计中断参保不超过3个月的……合并计算;超过3个月的,重新计算连续缴费年限" (L);
# the year: a calendar year, or "当年7月1日至次年6月30日" (one page, L). Issue 16: give the answer
# both readings give, and "not modelled" only where they differ.
@pytest.mark.parametrize(
    ("ranges", "reset", "known"),
    [
        # Feb–Mar and Jun–Jul 2025: 4 months in calendar 2025, 1 in the year from July 2025: the readings differ
        ([("2020-01", "2025-01"), ("2025-04", "2025-05"), ("2025-08", "2026-12")], False, False),
        # Feb–Mar and Aug–Sep 2025: 4 in calendar 2025; 2 in the year from July 2025 (Aug–Sep): they differ
        ([("2020-01", "2025-01"), ("2025-04", "2025-07"), ("2025-10", "2026-12")], False, False),
        # Aug–Sep and Nov–Dec 2025: 4 months in calendar 2025 and 4 in the year from July 2025: reset either way
        ([("2020-01", "2025-07"), ("2025-10", "2025-10"), ("2026-01", "2026-12")], True, True),
    ],
)
def test_interruptions_counted_in_a_year_whose_start_is_open(evaluate, ranges, reset, known):
    member = employee("10000", contributions=[{"from": a, "to": b} for a, b in ranges])
    lapse = evaluate(SZ, member, "2026-06-01").lapse
    assert ("yearly_gap_total" not in {item.topic for item in lapse.not_modelled}) is known
    if known:
        assert lapse.continuity_reset is reset and lapse.modelled


def test_interruptions_years_before_do_not_change_the_latest_years_answer(evaluate):
    """ "在医疗保险年度内累计中断参保不超过3个月" counts the interruptions of one year: two close
    gaps in 2005 say nothing of the year that holds a 4-month gap in 2025-26."""
    recent = [{"from": "2026-03", "to": "2026-12"}]
    alone = employee("10000", contributions=[{"from": "2004-01", "to": "2025-10"}, *recent])
    with_old = employee(
        "10000",
        contributions=[{"from": "2004-01", "to": "2005-01"}, {"from": "2005-03", "to": "2005-04"}, {"from": "2005-06", "to": "2025-10"}, *recent],
    )
    answers = [evaluate(SZ, member, "2026-06-01").lapse for member in (alone, with_old)]
    assert answers[0].modelled is True and answers[0].continuity_reset is True  # 4 months > 3: reset
    assert [(a.modelled, a.continuity_reset, a.not_modelled) for a in answers[1:]] == [(True, True, ())]
