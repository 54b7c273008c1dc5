"""Guangdong (广东省), the province beneath Shenzhen and Guangzhou, and Guangzhou (广州市),
a second city of it: checked against the sentences of the sources they encode."""

from __future__ import annotations

from datetime import date

import yibao

MEMBER = {"category": "employee", "contribution_base": "12000"}
HISTORY = {**MEMBER, "contributions": [{"from": "2019-01", "to": "2026-07"}, {"from": "2026-08"}]}


def test_shenzhen_and_guangzhou_sit_on_guangdong(evaluate):
    assert evaluate("shenzhen", MEMBER, "2026-03-01").layers == ("national", "guangdong", "shenzhen")
    assert evaluate("guangzhou", MEMBER, "2026-03-01").layers == ("national", "guangdong", "guangzhou")


def test_the_in_province_balance_rule_is_guangdongs(evaluate):
    """肇庆本地宝: "个人账户资金跨市使用,不划转、不提现"; 深圳特区报: "…跨市使用、全省通用"."""
    for region in ("shenzhen", "guangzhou"):
        transfer = evaluate(region, MEMBER, "2026-03-01").transfer
        within = next(applied for applied in transfer.basis if applied.name == "transfer_balance_within_province")
        assert (within.layer, within.value, within.start_uncertain) == ("guangdong", "stays", True)
        assert sorted(c.confidence for c in within.citations) == ["L", "L"]


def test_relatives_insured_in_guangdong_may_use_a_guangzhou_account(evaluate):
    """"使用人:配偶、父母、子女等近亲属(需在广东或跨省试点地区参保)": the province channel, and
    beside it the national wallet where that is in force."""
    family = evaluate("guangzhou", MEMBER, "2025-03-01").family
    assert family.channels[0].channel == "province_mutual_aid" and family.channels[0].scope == "province"
    assert family.conditions == ("holder_normally_insured", "relative_insured_in_province")
    later = evaluate("guangzhou", MEMBER, "2026-03-01").family
    assert [channel.channel for channel in later.channels] == ["province_mutual_aid", "wallet"]
    assert later.scope == "nationwide"  # the widest channel's


def test_shenzhen_keeps_its_own_channels(evaluate):
    """Shenzhen's own family table answers for it; Guangdong's is for cities without one."""
    result = evaluate("shenzhen", {**MEMBER, "tier": 1}, "2026-03-01")
    assert result.answered_by["family"] == "shenzhen"
    assert "resident_premium_payment" in [channel.channel for channel in result.family.channels]


def test_guangzhou_pays_out_on_the_guides_four_conditions(evaluate):
    """"1、参保人员死亡;2、参保人员退休前出境定居;3、外国人退休前离境回国;4、参保人员跨统筹地区流动就业无法办理医保个账余额转出手续"."""
    withdrawal = evaluate("guangzhou", MEMBER, "2026-12-10").withdrawal
    assert withdrawal.grounds == ("death", "emigration", "foreigner_departure", "transfer_balance_not_movable")
    assert withdrawal.basis[0].layer == "guangzhou" and withdrawal.basis[0].start == date(2026, 12, 4)
    assert evaluate("guangzhou", MEMBER, "2026-12-03").answered_by["withdrawal"] == "national"  # before the guide was found


def test_no_guangzhou_source_gives_a_credit_so_none_is_invented(evaluate):
    credit = evaluate("guangzhou", MEMBER, "2026-12-10").credit
    assert credit.monthly_credit is None and not credit.modelled
    assert any(applied.ceiling for applied in credit.basis)  # the 2% ceiling shown, not applied


def test_a_move_within_guangdong_keeps_the_balance_and_one_across_moves_it():
    within = yibao.move("shenzhen", "guangzhou", HISTORY, "2026-08-01")
    across = yibao.move("shenzhen", "hangzhou", HISTORY, "2026-08-01")
    assert (within.balance, across.balance) == ("stays", "moves")
