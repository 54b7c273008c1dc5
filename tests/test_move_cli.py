"""``policy move`` as a user meets it: the answer first, 80 columns, JSON for programs, bad input exit 2."""

from __future__ import annotations

import json
import unicodedata

import pytest
from test_cli import assert_no_traceback, assert_one_line_error, run, write_member

FIVE_MONTHS = {
    "category": "employee",
    "contribution_base": "12000",
    "balance": "3560.20",
    "contributions": [{"from": "2020-01", "to": "2025-09"}, {"from": "2026-03", "to": "2026-12"}],
}


def width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


@pytest.mark.parametrize("destination", ["zhejiang", "jiangxi"])
def test_the_answer_comes_first_and_fits_80_columns(tmp_path, destination):
    path = write_member(tmp_path / "m.json", FIVE_MONTHS)
    result = run(["move", "shenzhen", destination, "--member", str(path), "--on", "2026-03-01"], tmp_path, columns=80)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Shenzhen 深圳市 -> ")
    assert lines[1].startswith("• Moves. The insurance relationship and the balance (3,560.20 yuan) move")
    covered = " ".join(lines[2:4])
    if destination == "zhejiang":
        assert "Covered again on 2026-09-01" in covered
    else:
        assert "not modelled" in covered
    assert lines.index("Steps") < len(lines) - 1 and lines[-1].endswith("in full: add --sources.")
    too_wide = [line for line in lines if width(line) > 80]
    assert not too_wide, too_wide


def test_a_retiree_reads_blocked_with_the_reason(tmp_path):
    result = run(
        ["move", "shenzhen", "zhejiang", "--member", "-", "--on", "2026-03-01", "--sources"],
        tmp_path,
        stdin='{"category": "retiree", "pension": "5000"}',
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1] == "• Blocked: retirees are outside the national transfer measures."
    assert "不含退休人员" in result.stdout


def test_json_is_the_api_answer(tmp_path):
    import yibao

    path = write_member(tmp_path / "m.json", FIVE_MONTHS)
    result = run(["move", "shenzhen", "zhejiang", "-m", str(path), "--on", "2026-03-01", "--format", "json"], tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    expected = yibao.PolicyEngine(entry_points=True, load=()).move("shenzhen", "zhejiang", FIVE_MONTHS, "2026-03-01").to_dict()
    for answer in (data, expected):  # the moment of evaluation differs, nothing else may
        assert answer["provenance"].pop("evaluated_at")
    assert data == expected
    assert data["pooled_benefits_resume"] == "2026-09-01"


def test_markdown(tmp_path):
    path = write_member(tmp_path / "m.json", FIVE_MONTHS)
    result = run(["move", "shenzhen", "zhejiang", "-m", str(path), "--on", "2026-03-01", "-f", "markdown"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("### Shenzhen 深圳市 -> Zhejiang 浙江省")
    assert "| gap before the move | 5 months |" in result.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["shenzhen", "shenzhen"], ["destination", "two different regions"]),
        (["shenzhen", "atlantis"], ["unknown region 'atlantis'"]),
        (["shenzhen", "zhejiang", "--on", "2019-06-01"], ["on:", "2020-01", "nothing to move"]),
        (["shenzhen", "zhejiang", "--on", "2026-02-30"], ["--on", "not a real date"]),
    ],
    ids=["same-region", "unknown-region", "before-first-paid-month", "impossible-date"],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, args, expected):
    path = write_member(tmp_path / "m.json", FIVE_MONTHS)
    result = run(["move", *args, "--member", str(path)], tmp_path)
    assert_one_line_error(result, *expected)
    assert_no_traceback(result)
