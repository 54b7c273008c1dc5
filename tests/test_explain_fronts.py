"""Explanations of a timeline's month and of a move, and the command line's ``policy
explain``, ``policy timeline --why`` and ``policy move --why`` (real console script)."""

from __future__ import annotations

import json

import pytest
from test_cli import assert_one_line_error, run, write_member
from test_contracts import validator

from yibao.cli.timeline_view import width

SCHEMA = validator("explanation")
#: Paid to 2026-02, then from 2026-08: a gap of five months (2026-03 .. 2026-07).
GAP = {
    "category": "employee",
    "contribution_base": 10000,
    "contributions": [{"from": "2024-01", "to": "2026-02"}, {"from": "2026-08", "to": "2026-12"}],
}


def test_a_months_explanation_ends_where_its_row_does(engine):
    timeline = engine.timeline("zhejiang", GAP, "2026-01", "2027-03")
    for label in ("2026-05", "2026-10", "2027-02"):
        explanation = timeline.explain(label)
        row = timeline.month(label)
        assert explanation.kind == "month" and explanation.answer == row.to_dict()
        lapse = explanation.area("lapse")
        assert lapse.decision.pooled_benefits is row.pooled_benefits
        assert lapse.layer == row.layers[1] and explanation.area("credit").layer == row.layers[0]
        assert [step.code for step in explanation.steps][0] == ("month.paid" if row.paid else "month.unpaid")
        assert not list(SCHEMA.iter_errors(explanation.to_dict()))


def test_a_months_explanation_refuses_a_month_outside_the_timeline(engine):
    from yibao import InputError

    with pytest.raises(InputError, match="outside the timeline"):
        engine.timeline("zhejiang", GAP, "2026-01", "2027-03").explain("2028-01")


def test_a_moves_explanation_shows_both_regions_answers_and_its_own_steps(engine):
    move = engine.move("shenzhen", "zhejiang", GAP, "2026-08-01")
    explanation = move.explain()
    transfer, arriving = explanation.areas
    assert (transfer.area, transfer.region, transfer.decision) == ("transfer", "shenzhen", move.transfer)
    assert (arriving.area, arriving.region, arriving.decision) == ("transfer_in", "zhejiang", move.transfer_in)
    assert [step.code for step in explanation.steps] == [f"move.{step.code}" for step in move.steps]
    assert explanation.answer["pooled_benefits_resume"] == move.to_dict()["pooled_benefits_resume"]
    data = explanation.to_dict()
    assert not list(SCHEMA.iter_errors(data))
    read = {r["name"] for a in data["areas"][1:] for s in a["steps"] for r in s["params"]}
    assert {item.name for item in move.transfer_in.basis} <= read


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_policy_explain_answers_first_within_80_columns(tmp_path, lang):
    member = write_member(tmp_path / "m.json", GAP)
    result = run(["explain", "zhejiang", "--member", str(member), "--as-of", "2026-10-01", "--area", "lapse", "--lang", lang], tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(width(line) for line in lines) <= 80
    assert lines[0].startswith("Why: Zhejiang" if lang == "en" else "为什么: 浙江")
    assert "2027-02-01" in " ".join(lines[1:4])  # the answer (benefits resume) before any step
    assert any("long_gap_wait_months = 6" in line for line in lines)
    assert any(line.startswith(" ×") for line in lines)  # the national layer's own rule, overridden


def test_policy_explain_json_is_the_explanation_document(tmp_path):
    member = write_member(tmp_path / "m.json", GAP)
    result = run(["explain", "shenzhen", "--member", str(member), "--as-of", "2026-10-01", "--format", "json"], tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["format"] == "yibao-explanation/1" and [a["area"] for a in data["areas"]] == ["credit", "lapse", "family", "transfer", "withdrawal"]
    assert not list(SCHEMA.iter_errors(data))


def test_policy_explain_bad_input_is_one_line_and_exit_2(tmp_path):
    assert_one_line_error(run(["explain", "nowhere"], tmp_path), "unknown region 'nowhere'")
    member = write_member(tmp_path / "m.json", {"category": "pilot"})
    assert_one_line_error(run(["explain", "shenzhen", "--member", str(member)], tmp_path), "category")


def test_timeline_why_explains_one_month(tmp_path):
    member = write_member(tmp_path / "m.json", GAP)
    args = ["timeline", "zhejiang", "--member", str(member), "--from", "2026-01", "--to", "2027-03", "--why", "2026-10"]
    result = run(args, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Why: Zhejiang, month 2026-10"
    data = json.loads(run([*args, "--format", "json"], tmp_path).stdout)
    assert data["kind"] == "month" and data["answer"]["month"] == "2026-10"
    assert_one_line_error(run([*args[:-1], "2029-10"], tmp_path), "--why", "outside the timeline")


def test_move_why_explains_the_move(tmp_path):
    member = write_member(tmp_path / "m.json", GAP)
    args = ["move", "shenzhen", "zhejiang", "--member", str(member), "--on", "2026-08-01", "--why"]
    result = run(args, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Why: Shenzhen -> Zhejiang, 2026-08-01"
    assert "transfer_in (transfer_in)" in result.stdout
    data = json.loads(run([*args, "--format", "json"], tmp_path).stdout)
    assert data["kind"] == "move" and [a["area"] for a in data["areas"]] == ["transfer", "transfer_in"]


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from test_explain import BUILT_IN, members  # noqa: E402


@settings(max_examples=40, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(member=members, region=st.sampled_from(BUILT_IN), pick=st.integers(min_value=0, max_value=23))
def test_a_months_explanation_agrees_with_its_row(engine, member, region, pick):
    from yibao import InputError

    try:
        timeline = engine.timeline(region, member, "2025-01", "2026-12")
    except InputError:
        return
    row = timeline.months[pick]
    explanation = timeline.explain(row.month)
    credit, lapse = explanation.area("credit"), explanation.area("lapse")
    assert (credit.layer, lapse.layer) == row.layers
    assert lapse.decision.pooled_benefits is row.pooled_benefits and lapse.decision.pooled_benefits_resume == row.pooled_benefits_resume
    assert credit.decision.has_account is row.has_account
    if row.paid and row.has_account:
        assert credit.decision.monthly_credit == row.credit
    for area in (credit, lapse):
        shown = [read.applied for step in area.steps for read in step.params if read.applied is not None]
        assert all(any(applied is read for read in shown) for applied in area.decision.basis)


def test_timelines_and_moves_pickle_without_their_engine(engine):
    import pickle

    from yibao import InputError

    timeline = engine.timeline("zhejiang", GAP, "2026-01", "2027-03")
    move = engine.move("shenzhen", "zhejiang", GAP, "2026-08-01")
    for answer in (timeline, move):
        again = pickle.loads(pickle.dumps(answer))
        assert again == answer and again.to_dict()["provenance"] == answer.to_dict()["provenance"] and again.engine is None
    with pytest.raises(InputError, match="no engine to ask again"):
        pickle.loads(pickle.dumps(timeline)).explain("2026-10")
