"""The national baseline read from its sources: ceilings shown as ceilings, values dated
by the earliest source that states them, starts no source gives shown as uncertain.
(Issue 13, items 1, 2 and 8.) Each test quotes the sentence it is built from."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from test_cli import run

MEMBER = {"category": "employee", "contribution_base": "10000"}


def basis(decision):
    return {applied.name: applied for applied in decision.basis}


# --- item 1: a ceiling is not a rule --------------------------------------------------


def test_the_in_service_credit_of_a_province_without_a_source_is_not_modelled(evaluate):
    """国办发〔2021〕14号 (M): the credit "原则上控制在本人参保缴费基数的2%以内", and "个人账户具体划入
    比例或标准,由省级医保部门…确定". Zhejiang has no source of its own for its rate or date
    (research notes: "Not found: … Zhejiang's reform start date"): not modelled, 2% shown."""
    credit = evaluate("zhejiang", MEMBER, "2026-03-01").credit
    assert credit.monthly_credit is None and credit.modelled is False
    assert {item.topic for item in credit.not_modelled} == {"credit_rate"}
    ceiling = basis(credit)["credit_rate_ceiling"]
    assert (ceiling.value, ceiling.ceiling, ceiling.layer) == (Decimal("0.02"), True, "national")
    assert any("2%以内" in c.quote for c in credit.all_citations())


def test_the_credit_ceiling_is_marked_in_the_evaluation_json(evaluate):
    data = evaluate("zhejiang", MEMBER, "2026-03-01").to_dict()["credit"]
    assert data["monthly_credit"] is None and data["rate"] is None
    assert [(p["name"], p.get("ceiling")) for p in data["parameters"]] == [("credit_rate_ceiling", True)]


def test_a_gap_inside_a_region_without_a_source_is_not_modelled_and_no_move_rule_is_shown(evaluate):
    """43号 (Xinhua summary, M): "对中断缴费3个月以上的,设置不超过6个月的待遇享受等待期" is said of a
    gap before a move. Zhejiang's own six months start 2025-04-21 (seed page); before it
    no rule judges a gap inside Zhejiang, and the move ceiling is not shown (issue 16)."""
    member = {**MEMBER, "contributions": [{"from": "2023-01", "to": "2024-06"}, {"from": "2024-11", "to": "2025-12"}]}
    lapse = evaluate("zhejiang", member, "2025-01-15").lapse
    assert lapse.pooled_benefits is None and lapse.modelled is False
    assert "long_gap_wait_ceiling_months" not in basis(lapse)
    assert {item.topic for item in lapse.not_modelled} == {"long_gap_months"}


def test_the_ceiling_appears_only_where_the_wait_is_needed(evaluate):
    """Paid throughout: no gap, no wait to settle, nothing about a ceiling."""
    lapse = evaluate("jiangxi", MEMBER, "2026-03-01").lapse
    assert lapse.modelled is True and "long_gap_wait_ceiling_months" not in basis(lapse)


# --- item 2: dating -------------------------------------------------------------------


def test_near_relatives_from_the_day_the_guidance_was_issued(evaluate):
    """中新网 2024-08-02 (M): "1日,国务院办公厅印发…支持职工医保个人账户用于支付参保人员近亲属参加居民医保的
    个人缴费…": issued 2024-08-01, not 2024-07-01."""
    before = evaluate("zhejiang", MEMBER, "2024-07-31").family
    after = evaluate("zhejiang", MEMBER, "2024-08-01").family
    assert before.relations == ("spouse", "parent", "child") and "resident_premium" not in before.uses
    assert "sibling" in after.relations and "resident_premium" in after.uses
    assert basis(after)["family_relations"].start == date(2024, 8, 1)


def test_a_long_standing_rule_does_not_vanish_before_the_page_that_mentions_it(evaluate):
    """职工医保个人余额可以用来干什么 (2025-03-17): "只有在特定情况下(如出国定居、死亡等)才能提取" — no
    source dates the rule; it is not switched off before the page, its start is shown uncertain."""
    withdrawal = evaluate("jiangxi", MEMBER, "2023-06-01").withdrawal
    assert withdrawal.grounds == ("emigration", "death") and withdrawal.modelled is True
    grounds = basis(withdrawal)["withdrawal_grounds"]
    assert grounds.start_uncertain is True
    assert evaluate("jiangxi", MEMBER, "2023-06-01").to_dict()["withdrawal"]["parameters"][0]["from_uncertain"] is True


def test_the_balance_stays_usable_during_a_lapse_before_2025(evaluate):
    """职工医保停交后里面的钱还能用吗 (2025-04-23): "账户封存期间,个人账户内的资金仍可正常使用" — undated,
    so uncertain from the national lapse rules' date, not absent before the page."""
    member = {**MEMBER, "contributions": [{"from": "2022-01", "to": "2023-03"}]}
    lapse = evaluate("jiangxi", member, "2023-06-01").lapse
    assert lapse.account_usable is True and lapse.pooled_benefits is False
    assert basis(lapse)["account_usable_during_lapse"].start_uncertain is True
    # whether this 3-month gap resets continuity: no rule for a gap inside Jiangxi (issue 16)
    assert not lapse.modelled and {item.topic for item in lapse.not_modelled} == {"long_gap_months"}


# --- what people see ------------------------------------------------------------------


def test_policy_show_marks_ceilings_and_uncertain_starts(tmp_path):
    result = run(["show", "jiangxi", "--as-of", "2026-03-01", "--format", "json"], tmp_path)
    shown = {p["name"]: p for p in json.loads(result.stdout)["parameters"]}
    assert shown["long_gap_wait_ceiling_months"]["ceiling"] is True
    assert shown["long_gap_wait_months"]["value"] is None
    assert shown["withdrawal_grounds"]["from_uncertain"] is True
    assert shown["long_gap_months"]["from_uncertain"] is False and shown["long_gap_months"]["ceiling"] is False
    table = run(["show", "jiangxi", "--as-of", "2026-03-01"], tmp_path).stdout
    line = next(row for row in table.splitlines() if row.startswith("long_gap_wait_ceiling_months"))
    assert "ceiling" in line
    line = next(row for row in table.splitlines() if row.startswith("withdrawal_grounds"))
    assert "2021-04-13?" in line
    assert "?: no source dates the start" in table


def test_the_evaluation_text_says_ceiling_and_uncertain_start(tmp_path):
    member = {**MEMBER, "contributions": [{"from": "2024-01", "to": "2025-02"}, {"from": "2025-07", "to": "2026-06"}]}
    (tmp_path / "m.json").write_text(json.dumps(member), encoding="utf-8")
    out = run(["evaluate", "jiangxi", "--member", "m.json", "--as-of", "2026-03-01", "--lang", "en"], tmp_path).stdout
    out = " ".join(out.split())  # the notes wrap to the terminal's width
    assert "long_gap_wait_ceiling_months" not in out  # a move's ceiling, not shown for a gap inside Jiangxi (issue 16)
    assert "Withdrawal: start not dated by any source, applied from — withdrawal_grounds 2021-04-13" in out


def test_the_lapse_example_of_the_hook_reference_runs(engine):
    """docs/hooks.md, `lapse_effect`: the example, called with the national view of a
    long-gap member's date, reports the wait not modelled with the 6-month ceiling."""
    import re

    from yibao import Member

    from conftest import ROOT

    doc = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
    section = re.search(r"^## `lapse_effect`\n(.*?)(?=^## )", doc, re.S | re.M).group(1)
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 - the documented example, as a reader would paste it
    member = Member.from_mapping({**MEMBER, "contributions": [{"from": "2024-01", "to": "2025-02"}, {"from": "2025-07", "to": "2026-06"}]})
    params = engine.stack("jiangxi").params(date(2026, 3, 1))[0]  # the national layer's own view
    decision = namespace["lapse_effect"](member=member, as_of=date(2026, 3, 1), params=params)
    assert decision.pooled_benefits is None  # the national view: no rule for a gap inside a region
    assert not any(a.ceiling for a in decision.basis) and "long_gap_months" in {i.topic for i in decision.not_modelled}


# --- invariants over every built-in region, member and date ---------------------------

GRID_MEMBERS = [
    MEMBER,
    {"category": "retiree", "pension": "5000"},
    {"category": "employee", "tier": 2, "contribution_base": "8000"},
    {
        **MEMBER,
        "contributions": [{"from": "2019-01", "to": "2023-02"}, {"from": "2023-08", "to": "2025-01"}, {"from": "2025-07", "to": "2026-12"}],
    },
]
GRID_DATES = ["2021-06-01", "2022-06-01", "2023-10-01", "2024-08-01", "2025-06-20", "2025-10-21", "2026-03-01"]
REACH = {"pooling_area": 0, "province": 1, "nationwide": 2}


def grid(engine):
    for code in engine.codes():
        for member in GRID_MEMBERS:
            for day in GRID_DATES:
                yield code, day, engine.evaluate(code, member, day).to_dict()


def test_an_answer_that_shows_a_ceiling_is_never_modelled_on_it(engine):
    """A ceiling is shown, never applied: wherever a ceiling is among an area's parameters,
    the area says it is not modelled."""
    seen = 0
    for code, day, data in grid(engine):
        for area in ("credit", "lapse", "family", "transfer", "withdrawal"):
            if any(p.get("ceiling") for p in data[area]["parameters"]):
                seen += 1
                assert data[area]["modelled"] is False, (code, day, area)
    assert seen  # the grid does meet ceilings


def test_family_scope_and_conditions_are_those_of_one_channel(engine):
    """Issue 13 item 5: scope and conditions never contradict each other — both are the
    widest channel's; relations and uses cover every channel."""
    for code, day, data in grid(engine):
        family = data["family"]
        channels = family["channels"]
        if family["scope"] is None:
            continue
        assert channels, (code, day)
        widest = max((c for c in channels if c["scope"]), key=lambda c: REACH[c["scope"]])
        assert family["scope"] == widest["scope"] and family["conditions"] == widest["conditions"], (code, day)
        for channel in channels:
            assert set(channel["relations"]) <= set(family["relations"]) and set(channel["uses"]) <= set(family["uses"]), (code, day)
