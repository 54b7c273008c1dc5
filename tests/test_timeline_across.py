"""A timeline that follows a member across regions (issue 8, item 4).

Built from the worked moves of docs/move.md: paid in Shenzhen, then in Zhejiang from
March 2026, with no gap, a 2-month gap and a 5-month gap. The move rules are the
engine's (``yibao.move`` on the 1st of the boundary month), from 医保办发〔2021〕43号:

- "中断缴费3个月(含)以内的,可按转入地规定补缴…缴费当月即可在转入地按规定享受待遇"
  (a gap of up to 3 months: benefits from the payment month);
- "对中断缴费3个月以上的,设置不超过6个月的待遇享受等待期" (a longer gap: a wait of at
  most 6 months, a ceiling; Zhejiang's own rule asks six paid months).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from test_cli import assert_one_line_error, run, write_member

import yibao
from yibao.across import BLOCKED
from yibao.provenance import timeless

START, END = "2025-08", "2026-12"


def member(*ranges: tuple[str, str, str | None], **more: object) -> dict:
    items = []
    for start, end, region in ranges:
        item = {"from": start, "to": end}
        if region is not None:
            item["region"] = region
        items.append(item)
    return {"category": "employee", "contribution_base": "12000", "balance": "3560.20", "contributions": items, **more}


def moved(last_in_shenzhen: str, destination: str = "zhejiang", **more: object) -> dict:
    """Paid in Shenzhen from 2020-01 to ``last_in_shenzhen``, at the destination 2026-03 .. 2026-12."""
    return member(("2020-01", last_in_shenzhen, "shenzhen"), ("2026-03", "2026-12", destination), **more)


def covered(timeline: yibao.Timeline) -> dict[str, bool | None]:
    return {row.label: row.pooled_benefits for row in timeline.months}


def codes(row) -> list[str]:
    return [event.code for event in row.events]


def test_no_gap_each_month_in_its_own_region_and_covered_throughout():
    timeline = yibao.timeline("shenzhen", moved("2026-02"), START, END)
    assert timeline.regions == ("shenzhen", "zhejiang")
    assert [row.region for row in timeline.months] == ["shenzhen"] * 7 + ["zhejiang"] * 10
    assert all(covered(timeline).values())  # 43号: no gap, nothing to wait for
    march = timeline.month("2026-03")
    assert codes(march) == ["moved"]
    assert march.events[0].detail == ("shenzhen -> zhejiang",)
    assert march.layers[1] == "zhejiang" and "shenzhen" not in march.layers  # (the credit: the national layer beneath Zhejiang)
    assert [crossing.month for crossing in timeline.moves] == [march.month]


def test_credits_use_each_months_region():
    """Shenzhen credits 2% of the base, within its base cap (2026: 33,633 yuan); no
    Zhejiang source gives its rate (国办发〔2021〕14号's 2% is a ceiling): not modelled there."""
    history = moved("2026-02")
    history["contribution_base"] = "36000"
    timeline = yibao.timeline("shenzhen", history, START, END)
    february, march = timeline.month("2026-02"), timeline.month("2026-03")
    assert (february.base_applied, february.credit) == (Decimal("33633"), Decimal("672.66"))
    assert march.credit is None and "credit_rate" in march.not_modelled
    assert not any(key.startswith("shenzhen.") for key in march.parameters)
    # the same months judged in Shenzhen alone keep the Shenzhen cap and rate
    alone = yibao.timeline("shenzhen", {**history, "contributions": [{"from": "2020-01", "to": "2026-12"}]}, START, END)
    assert alone.month("2026-03").credit == Decimal("672.66")


@pytest.mark.parametrize("last", ["2026-02", "2025-12", "2025-09"], ids=["no-gap", "2-month-gap", "5-month-gap"])
def test_yearly_totals_are_the_sum_of_their_months(last):
    timeline = yibao.timeline("shenzhen", moved(last), START, END)
    for total in timeline.totals:
        rows = [row for row in timeline.months if row.month // 12 == total.year]
        assert total.credited == sum((row.credit for row in rows if row.credit_known), Decimal("0"))
        assert total.months_paid == sum(row.paid for row in rows)
        assert total.months_covered == sum(row.pooled_benefits is True for row in rows)
        assert total.months_credit_not_modelled == sum(not row.credit_known for row in rows)


def test_an_unpaid_two_month_gap_before_a_move_is_not_treated_as_paid_back():
    """43号: "中断缴费3个月(含)以内的,可按转入地规定补缴…缴费当月即可在转入地按规定享受待遇": the
    payment month is said of a gap *paid back*. The history leaves the gap unpaid, so the
    move's answer (which assumes the back payment) does not cover March: not modelled,
    until six months have run (the longest wait any area may set), then Zhejiang's own
    rule, which has none for a short unpaid gap (issue 16)."""
    history = moved("2025-12")
    timeline = yibao.timeline("shenzhen", history, START, END)
    move = yibao.move("shenzhen", "zhejiang", history, "2026-03-01")
    assert move.pooled_benefits_resume == date(2026, 3, 1)  # the advice: pay the gap back, covered from March
    assert covered(timeline)["2026-02"] is False  # the gap: benefits stopped (Shenzhen's rule, its last paid region)
    for label in ("2026-03", "2026-08"):
        row = timeline.month(label)
        assert row.pooled_benefits is None and "gap_not_paid_back" in row.not_modelled
    assert codes(timeline.month("2026-03"))[:2] == ["payment_resumed", "moved"]


def test_a_two_month_gap_paid_back_at_the_destination_is_covered_from_the_payment_month():
    """The same gap paid back in Zhejiang in March ("中断期间的待遇可追溯享受"): the move's rule,
    43号's, covers the gap and every month after; not Zhejiang's rule for a gap inside it."""
    history = moved("2025-12")
    history["contributions"].insert(
        1, {"from": "2026-01", "to": "2026-02", "region": "zhejiang", "paid": "back_paid", "paid_in": "2026-03"}
    )
    timeline = yibao.timeline("shenzhen", history, START, END)
    assert [timeline.month(f"2026-{m:02d}").state for m in (1, 2, 3)] == ["covered", "covered", "covered"]
    assert timeline.month("2026-01").payment == "back_paid"
    assert all(covered(timeline)[f"2026-{m:02d}"] for m in range(1, 13))


def test_five_month_gap_waits_until_the_moves_resume_date():
    """A gap of 5 months (> 3): Zhejiang's own wait, six paid months: 1 September 2026."""
    history = moved("2025-09")
    timeline = yibao.timeline("shenzhen", history, START, END)
    move = yibao.move("shenzhen", "zhejiang", history, "2026-03-01")
    resume = move.pooled_benefits_resume
    assert (move.gap_months, move.destination_wait_months, resume) == (5, 6, date(2026, 9, 1))
    waiting = [row for row in timeline.months if row.waiting]
    assert [row.label for row in waiting] == ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08"]
    assert {row.pooled_benefits_resume for row in waiting} == {resume}
    first_covered = next(row for row in timeline.months if row.month >= 2026 * 12 + 2 and row.pooled_benefits)
    assert date(first_covered.month // 12, first_covered.month % 12 + 1, 1) == resume
    assert "benefits_resumed" in codes(first_covered)
    assert timeline.moves[0].move.pooled_benefits_resume == resume


def test_a_wait_no_source_gives_is_not_modelled_until_the_ceiling_has_run():
    """To Jiangxi after 5 months: no source gives Jiangxi's wait (43号 only caps it,
    "不超过6个月"): pooled benefits are null, never the national six applied as the rule."""
    timeline = yibao.timeline("shenzhen", moved("2025-09", "jiangxi"), START, END)
    for label in ("2026-03", "2026-05", "2026-08"):
        row = timeline.month(label)
        assert row.pooled_benefits is None and not row.modelled and "transfer_in_wait" in row.not_modelled
    # six paid months on, no area's wait can still run: Jiangxi's own lapse rule answers
    september = timeline.month("2026-09")
    assert "transfer_in_wait" not in september.not_modelled
    assert september.pooled_benefits == yibao.timeline("jiangxi", moved("2025-09", "jiangxi"), START, END).month("2026-09").pooled_benefits


def test_a_blocked_move_says_so_and_invents_nothing():
    """Arrears must be paid before the transfer: the move is blocked."""
    timeline = yibao.timeline("shenzhen", moved("2026-02", arrears=True), START, END)
    march = timeline.month("2026-03")
    assert next(event for event in march.events if event.code == "moved").detail == ("shenzhen -> zhejiang", "blocked: arrears")
    for row in timeline.months[7:]:
        assert row.pooled_benefits is None and BLOCKED in row.not_modelled
    assert timeline.month("2026-02").pooled_benefits is True  # Shenzhen's months are untouched


def test_a_retirees_move_is_blocked_too():
    """43号 Art. 2: "本办法主要适用于职工基本医疗保险参保人员(不含退休人员…)"."""
    history = {"category": "retiree", "pension": "6000", "balance": "800", "contributions": moved("2026-02")["contributions"]}
    timeline = yibao.timeline("shenzhen", history, "2026-01", "2026-06")
    assert timeline.month("2026-03").events[-1].detail == ("shenzhen -> zhejiang", "blocked: retired")
    assert [row.pooled_benefits for row in timeline.months] == [True, True, None, None, None, None]
    assert timeline.moves[0].move.blockers == ("retired",)


def test_a_history_that_comes_back_to_the_first_region():
    history = member(("2020-01", "2025-09", None), ("2025-10", "2026-02", "zhejiang"), ("2026-05", "2026-12", "shenzhen"))
    timeline = yibao.timeline("shenzhen", history, START, END)
    assert timeline.regions == ("shenzhen", "zhejiang")
    assert [(c.move.origin.code, c.move.destination.code) for c in timeline.moves] == [("shenzhen", "zhejiang"), ("zhejiang", "shenzhen")]
    assert [row.region for row in timeline.months] == ["shenzhen"] * 2 + ["zhejiang"] * 7 + ["shenzhen"] * 8
    back = yibao.move("zhejiang", "shenzhen", history, "2026-05-01")
    assert back.gap_months == 2 and back.pooled_benefits_resume == date(2026, 5, 1)  # 43号: a short gap, the payment month
    may = timeline.month("2026-05")  # the gap is not paid back in the history: 43号's payment month assumes it is
    assert may.pooled_benefits is None and "gap_not_paid_back" in may.not_modelled
    assert codes(may)[:2] == ["payment_resumed", "moved"]
    assert timeline.month("2026-05").credit == Decimal("240.00")  # Shenzhen's 2% again
    assert timeline.month("2026-04").region == "zhejiang"  # unpaid: the last paid month's region


def test_naming_the_timelines_own_region_everywhere_changes_nothing():
    plain = {
        "category": "employee",
        "contribution_base": "12000",
        "contributions": [{"from": "2024-01", "to": "2025-06"}, {"from": "2025-12"}],
    }
    named = {**plain, "contributions": [{**item, "region": "zhejiang"} for item in plain["contributions"]]}
    assert timeless(yibao.timeline("zhejiang", named, "2025-01", "2026-12").to_dict()) == timeless(
        yibao.timeline("zhejiang", plain, "2025-01", "2026-12").to_dict()
    )


def test_an_unknown_region_in_the_history_names_its_field():
    history = member(("2020-01", "2025-09", None), ("2026-03", "2026-12", "atlantis"))
    with pytest.raises(yibao.InputError) as caught:
        yibao.timeline("shenzhen", history, START, END)
    assert caught.value.path == "contributions[1].region" and "atlantis" in str(caught.value)
    given_out_of_order = {**history, "contributions": list(reversed(history["contributions"]))}
    with pytest.raises(yibao.InputError) as caught:
        yibao.timeline("shenzhen", given_out_of_order, START, END)
    assert caught.value.path == "contributions[0].region"  # the place in the list as given


def test_unknown_region_at_the_command_line_is_exit_2(tmp_path):
    path = write_member(tmp_path / "m.json", member(("2020-01", "2025-09", None), ("2026-03", "2026-12", "atlantis")))
    result = run(["timeline", "shenzhen", "--member", str(path)], tmp_path)
    assert_one_line_error(result, "contributions[1].region")


def test_json_lists_regions_and_moves_and_matches_the_schema(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    from test_contracts import validator

    data = yibao.timeline("shenzhen", moved("2025-09"), START, END).to_dict()
    assert not list(validator("timeline").iter_errors(data))
    assert data["regions"] == ["shenzhen", "zhejiang"]
    assert data["moves"][0]["month"] == "2026-03" and data["moves"][0]["pooled_benefits_resume"] == "2026-09-01"
    assert data["moves"][0]["citations"]  # the move rules name their sources (43号, Zhejiang's own wait)
    assert {row["region"] for row in data["months"][:7]} == {"shenzhen"}
    march = data["months"][7]
    assert {"code": "moved", "zh": "跨统筹区转移接续", "en": "moved", "detail": ["shenzhen -> zhejiang"]} in march["events"]
    # a document written before cross-region timelines (no region, regions, moves) stays valid
    old = json.loads(json.dumps(data))
    del old["regions"], old["moves"]
    for row in old["months"]:
        del row["region"]
        row["events"] = [event for event in row["events"] if event["code"] != "moved"]
    assert not list(validator("timeline").iter_errors(old))
    assert jsonschema


def test_the_table_marks_the_move_and_csv_has_a_region_column(tmp_path):
    path = write_member(tmp_path / "m.json", moved("2025-09"))
    result = run(["timeline", "shenzhen", "--member", str(path), "--from", START, "--to", END], tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    from yibao.cli.timeline_view import width

    assert max(width(line) for line in lines) <= 80
    assert "moved shenzhen -> zhejiang in 2026-03" in "\n".join(lines[:2])
    assert any("43号" in line for line in lines[lines.index(next(s for s in lines if s.startswith("Sources"))) :])  # the move's source
    marker = lines.index("-- 2026-03: moved shenzhen -> zhejiang; Zhejiang rules from here")
    assert lines[marker + 1].startswith("2026-03")
    result = run(["timeline", "shenzhen", "--member", str(path), "--from", START, "--to", END, "--format", "csv"], tmp_path)
    rows = list(__import__("csv").DictReader(result.stdout.lstrip("\ufeff").splitlines()))
    assert [row["region"] for row in rows] == ["shenzhen"] * 7 + ["zhejiang"] * 10


def test_import_and_evaluate_do_not_load_the_cross_region_walk():
    """``yibao.across`` loads only when a timeline is asked for."""
    import subprocess
    import sys

    code = "import sys, yibao; yibao.evaluate('zhejiang', {'category': 'employee'}, '2026-03-01');print('yibao.across' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


def test_the_chinese_table_fits_80_columns_and_names_the_move(tmp_path):
    path = write_member(tmp_path / "m.json", moved("2025-09"))
    result = run(["timeline", "shenzhen", "--member", str(path), "--from", START, "--to", END, "--lang", "zh"], tmp_path)
    assert result.returncode == 0, result.stderr
    from yibao.cli.timeline_view import width

    lines = result.stdout.splitlines()
    assert max(width(line) for line in lines) <= 80
    assert "2026-03由深圳市转入浙江省" in "\n".join(lines[:2])
    assert "-- 2026-03:由深圳市转入浙江省,此后按浙江省规定" in lines


def test_after_a_new_gap_at_the_destination_its_own_rule_judges():
    """Zhejiang's own rule after a gap of more than 3 months: six paid months
    ("中断超过3个月需重新参保,并连续缴费满6个月后才能恢复待遇")."""
    ranges = [("2020-01", "2026-02"), ("2026-03", "2026-05"), ("2026-11", "2027-12")]
    regions = ["shenzhen", "zhejiang", "zhejiang"]
    history = member(*[(start, end, region) for (start, end), region in zip(ranges, regions)])
    timeline = yibao.timeline("shenzhen", history, "2026-01", "2027-12")
    alone = yibao.timeline("zhejiang", member(*[(start, end, None) for start, end in ranges]), "2026-01", "2027-12")
    later = [label for label in (row.label for row in timeline.months) if label >= "2026-06"]
    assert [timeline.month(label).pooled_benefits for label in later] == [alone.month(label).pooled_benefits for label in later]
    back = [row.label for row in timeline.months if row.label >= "2026-11" and row.pooled_benefits]
    assert back[0] == "2027-05"  # paid 2026-11 .. 2027-04: six months
    assert timeline.month("2027-04").waiting and timeline.month("2027-04").pooled_benefits_resume == date(2027, 5, 1)
