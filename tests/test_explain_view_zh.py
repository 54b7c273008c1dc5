"""``policy explain`` / ``--why`` under ``--lang zh``: the text a Chinese reader gets names
areas, layers and the move's steps in Chinese, and says yes/no as 是/否 (issue 17's
"in both languages"), within 80 columns."""

from __future__ import annotations

import pytest

from yibao import PolicyEngine, labels
from yibao.cli import places
from yibao.cli.explain_view import explanation_text
from yibao.cli.timeline_view import width

#: Paid to 2026-02, then from 2026-08: a gap of five months (2026-03 .. 2026-07).
GAP = {
    "category": "employee",
    "contribution_base": 10000,
    "contributions": [{"from": "2024-01", "to": "2026-02"}, {"from": "2026-08", "to": "2026-12"}],
}


@pytest.fixture(scope="module")
def engine() -> PolicyEngine:
    places.teach(["shenzhen", "zhejiang"])
    return PolicyEngine()


def test_move_why_in_chinese_says_the_moves_own_steps_in_chinese(engine):
    move = engine.move("shenzhen", "zhejiang", GAP, "2026-08-01")
    data = move.explain().to_dict()
    assert [step["zh"] for step in data["steps"]][0] == "在浙江省参加职工医保:参保后申请转移。"  # the JSON's zh is Chinese too
    text = explanation_text(data, "zh")
    assert "在浙江省参加职工医保" in text and "Enrol" not in text
    assert "转入地规则: 可补缴的中断月数" in text  # the destination's answer by label, not transfer_in: payable_gap_months
    assert "转移接续 — 作答层 深圳市" in text and "transfer (transfer_rules)" not in text
    running = " ".join(text.split())  # a disputed reading is written as the reading it disputes
    assert "transfer_in_gap_covered = true(national" in running  # a value read, in its file form
    assert "有争议: balance_moves_with_relationship = false [" in running
    assert max(width(line) for line in text.splitlines()) <= 80
    english = explanation_text(data, "en")
    assert "Enrol in employee medical insurance in Zhejiang" in english and "transfer_in (transfer_in)" in english


def test_lapse_steps_in_chinese_say_yes_and_no_in_chinese(engine):
    text = explanation_text(engine.explain("zhejiang", GAP, "2026-10-01", area="lapse").to_dict(), "zh")
    assert "停缴与恢复 — 作答层 浙江省" in text
    assert "中断 5 个月(2026-03 至 2026-07)" in text  # not "2026-03 to 2026-07"
    outcomes = [line.strip() for line in text.splitlines() if line.strip().startswith("→")]
    assert "→ 是" in outcomes and "→ yes" not in outcomes
    gaps = [line for line in text.splitlines() if "未建模:" in line]  # the national layer: no rule for a gap inside it
    assert gaps and all("long_gap_months" not in line for line in gaps)
    assert any("未建模:" + labels.parameter("long_gap_months", "zh") in line for line in gaps)
    assert "[项目研究笔记:浙江]" in text and "[Project research notes: Zhejiang]" not in text  # sources by their zh title
    running = " ".join(text.split())  # (as wrapped to 80 columns)
    assert "参保人: 参保类别 在职职工, 缴费时段 2024-01..2026-02, 2026-08..2026-12" in running  # the fields in words
    assert "所列缴费时段 2024-01..2026-02, 2026-08..2026-12" in running  # each period as the contributions are shown
    english = " ".join(explanation_text(engine.explain("zhejiang", GAP, "2026-10-01", area="lapse").to_dict(), "en").split())
    assert "member: category employee, contributions 2024-01..2026-02, 2026-08..2026-12" in english


def test_a_months_answer_in_chinese_is_labelled(engine):
    month = engine.timeline("zhejiang", GAP, "2026-01", "2027-03").explain("2026-10").to_dict()
    first = explanation_text(month, "zh").splitlines()[1]
    assert first.startswith("  月份: 已缴费 是；累计划入(元)")
    assert "credited_total" not in explanation_text(month, "zh")
