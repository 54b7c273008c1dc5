"""``policy timeline`` as a user meets it: the real console script, in a subprocess."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from test_cli import assert_no_traceback, assert_one_line_error, run, write_member

jsonschema = pytest.importorskip("jsonschema")

from test_contracts import validator  # noqa: E402

from yibao.cli.timeline_view import width  # noqa: E402

HISTORY = {
    "category": "employee",
    "contribution_base": "12000",
    "contributions": [{"from": "2024-01", "to": "2026-04"}, {"from": "2026-09", "base": "13000"}],
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_table_answers_first_and_fits_80_columns(tmp_path, lang):
    member = write_member(tmp_path / "h.json", HISTORY)
    result = run(["timeline", "zhejiang", "--member", str(member), "--from", "2025-06", "--to", "2026-12", "--lang", lang], tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(width(line) for line in lines) <= 80
    # (the first line reads the month of today, or the last month shown: the same from 2026-09 on)
    # Zhejiang: after a gap of more than three months, six paid months: Sept 2026 + 6 = 2027-03-01
    assert "2027-03-01" in lines[0]
    # no Zhejiang source gives the credit rate (14号's 2% is a ceiling): the year's credit is not modelled, not 0
    assert ("credit in 2026 not modelled" if lang == "en" else "2026年划入金额未建模") in lines[0]
    assert any(line.startswith("2026 ●●●●●○○○◐◐◐◐") and line.endswith("?") for line in lines), result.stdout
    month_rows = [line for line in lines if re.match(r"[0-9]{4}-[0-9]{2}  ", line)]
    assert len(month_rows) == 19
    assert any(line.startswith("2026-09") and ("payment resumed" if lang == "en" else "恢复缴费") in line for line in lines)


def test_json_matches_the_schema_and_reads_stdin(tmp_path):
    result = run(
        ["timeline", "shenzhen", "--member", "-", "--from", "2025-11", "--to", "2026-02", "--format", "json"],
        tmp_path,
        stdin=json.dumps(HISTORY),
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert not list(validator("timeline").iter_errors(data))
    assert [row["month"] for row in data["months"]] == ["2025-11", "2025-12", "2026-01", "2026-02"]


def test_csv_is_utf8_with_a_byte_order_mark_for_spreadsheets(tmp_path):
    member = write_member(tmp_path / "h.json", HISTORY)
    result = run(["timeline", "shenzhen", "--member", str(member), "--from", "2026-04", "--to", "2026-09", "--format", "csv"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("\ufeffmonth,paid,")
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert [row["month"] for row in rows] == ["2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09"]
    assert rows[1]["events"] == "interruption_began" and rows[5]["credit"] == "260.00" and rows[5]["pooled_benefits"] == "false"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--from", "2026-07", "--to", "2026-06"], ("--from", "after the end")),
        (["--from", "1990-01", "--to", "2100-12"], ("--to", "at most 1,200")),
        (["--from", "1899-12"], ("--from", "outside 1900-01")),
        (["--to", "2026-13"], ("--to", "not a month")),
    ],
)
def test_a_bad_window_is_one_line_naming_the_option(tmp_path, args, expected):
    member = write_member(tmp_path / "h.json", HISTORY)
    assert_one_line_error(run(["timeline", "shenzhen", "--member", str(member), *args], tmp_path), *expected)


def test_a_bad_history_is_one_line_naming_the_range(tmp_path):
    bad = dict(HISTORY, contributions=[{"from": "2024-01", "to": "2026-04"}, {"from": "2026-03"}])
    member = write_member(tmp_path / "h.json", bad)
    assert_one_line_error(run(["timeline", "shenzhen", "--member", str(member)], tmp_path), "contributions[1]", "overlaps")


def test_help_shows_an_example(tmp_path):
    result = run(["timeline", "--help"], tmp_path)
    assert result.returncode == 0
    assert_no_traceback(result)
    assert any("policy timeline zhejiang --member" in line for line in result.stdout.splitlines())


def test_evaluate_and_import_stay_light():
    """The timeline and its view load only when a timeline is asked for."""
    import subprocess
    import sys

    code = (
        "import sys, yibao; yibao.evaluate('zhejiang', {'category': 'employee'}, '2026-03-01');"
        "print(sorted(m for m in ('yibao.timelines', 'yibao.cli.timeline_view', 'hypothesis') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
