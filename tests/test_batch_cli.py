"""``policy batch`` as a user meets it: the real console script in a subprocess."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

pa = pytest.importorskip("pyarrow")
import pyarrow.parquet as pq  # noqa: E402
from test_cli import assert_no_traceback, assert_one_line_error, run  # noqa: E402

import yibao  # noqa: E402

MEMBERS = [
    {"id": 1, "category": "employee", "tier": 1, "contribution_base": "10000"},
    {"id": 2, "category": "employee", "tier": 1, "contribution_base": "5000"},  # below the 2026 floor
    {"id": 3, "category": "employee", "tier": 1, "contribution_base": "10000.25"},  # 200.005 -> 200.01
    {"id": 4, "category": "flexible", "tier": 1, "contribution_base": "8000", "contributions": [{"from": "2020-01", "to": "2025-10"}]},
    {"id": 5, "category": "worker", "contribution_base": "1"},
    {"id": 6, "category": "retiree"},
]


@pytest.fixture
def members(tmp_path):
    path = tmp_path / "members.parquet"
    pq.write_table(pa.Table.from_batches([pa.RecordBatch.from_struct_array(pa.array(MEMBERS))]), path)
    return path


def expected_total(as_of, reform=None):
    engine = yibao.PolicyEngine()
    total = Decimal("0.00")
    for member in MEMBERS:
        data = {k: v for k, v in member.items() if k != "id"}
        try:
            credit = engine.evaluate("shenzhen", data, as_of, reform=reform).credit.monthly_credit
        except yibao.InputError:
            continue
        total += credit or 0
    return total


def test_summary_answer_first_and_the_file_row_for_row(members, tmp_path):
    result = run(["batch", "shenzhen", str(members), "-o", "out.parquet", "--as-of", "2026-03-01", "--keep", "id"], tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 1  # one row refused, the others answered
    first, second = result.stdout.splitlines()[:2]
    assert first == f"{expected_total('2026-03-01'):,.2f} yuan a month credited to 6 members"
    assert second.strip() == "shenzhen on 2026-03-01"
    assert "row 4: category:" in result.stdout
    assert all(len(line) <= 80 for line in result.stdout.splitlines())
    out = pq.read_table(tmp_path / "out.parquet")
    assert out.column("id").to_pylist() == [1, 2, 3, 4, 5, 6]
    assert out.column("credit_monthly_credit")[2].as_py() == Decimal("200.01")
    assert out.column("lapse_pooled_benefits")[3].as_py() is False  # stopped after 2025-10
    assert "without pooled benefits" in result.stdout and result.stdout.split("without pooled benefits")[1].split()[0] == "1"


def test_json_summary_compare_and_reform(members, tmp_path):
    reform = tmp_path / "floor.toml"
    reform.write_text("[parameters.base_floor]\n[[parameters.base_floor.values]]\nfrom = 2027-01-01\nvalue = 9000\n", encoding="utf-8")
    result = run(
        [
            "batch",
            "shenzhen",
            str(members),
            "--as-of",
            "2027-03-01",
            "--reform",
            str(reform),
            "--summary",
            "json",
            "-f",
            "jsonl",
            "--keep",
            "id",
        ],
        tmp_path,
    )
    assert_no_traceback(result)
    report = json.loads(result.stdout)
    assert report["rows"] == 6 and report["errors"] == 1
    assert Decimal(report["total_monthly_credit"]) == expected_total("2027-03-01", reform)
    change = Decimal(report["compare"]["total_monthly_credit_change"])
    assert change == expected_total("2027-03-01", reform) - expected_total("2027-03-01")
    assert change > 0 and report["compare"]["changed"]["credit_monthly_credit"] >= 1
    lines = (tmp_path / "members.policy.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6 and json.loads(lines[0])["hypothetical"] is True
    dated = run(
        ["batch", "shenzhen", str(members), "--as-of", "2026-03-01", "--compare", "shenzhen@2024-03-01", "-o", "x.csv", "--keep", "id"],
        tmp_path,
    )
    assert "Against shenzhen@2024-03-01:" in dated.stdout
    assert (tmp_path / "x.csv").read_text(encoding="utf-8").startswith('"id","credit_has_account"')


def test_bad_input_is_one_line(tmp_path, members):
    assert_one_line_error(run(["batch", "shenzhen", "missing.parquet"], tmp_path), "missing.parquet", "no such file")
    assert_one_line_error(run(["batch", "nowhere", str(members)], tmp_path), "unknown region")
    (tmp_path / "typo.csv").write_text("category,contribution_bse\nemployee,1\n", encoding="utf-8")
    assert_one_line_error(run(["batch", "shenzhen", "typo.csv"], tmp_path), "contribution_bse")
    assert_one_line_error(run(["batch", "shenzhen", str(members), "-o", "x.txt"], tmp_path), "--output")


def test_help_has_examples(tmp_path):
    result = run(["batch", "--help"], tmp_path)
    assert "policy batch shenzhen members.parquet" in result.stdout


def test_progress_bar_goes_to_stderr_only(members, tmp_path):
    result = run(["batch", "shenzhen", str(members), "--keep", "id", "--as-of", "2026-03-01", "--progress", "--summary", "json"], tmp_path)
    assert_no_traceback(result)
    assert json.loads(result.stdout)["rows"] == 6  # stdout stays the summary alone


def test_without_the_batch_extra_one_line_says_what_to_install(tmp_path):
    """pyarrow blocked in a fresh interpreter: exit 2 and the pip command, no traceback."""
    import subprocess
    import sys

    code = "import sys; sys.modules['pyarrow'] = None; sys.argv = ['policy', 'batch', 'shenzhen', 'x.parquet']; from yibao.cli import main; main()"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert (
        done.stderr.strip() == 'policy: error: policy batch needs the batch extra (pyarrow is missing): pip install "yibao-policy[batch]"'
    )


def test_csv_lists_are_json_text():
    import json

    import pyarrow.compute as pc

    from yibao.cli.batch import _json_lists

    values = [["spouse", "parent"], [], None, ['a "quoted" word', "back\\slash"]]
    column = pa.array(values, pa.list_(pa.string()))
    texts = _json_lists(column, pa, pc).to_pylist()
    assert [None if text is None else json.loads(text) for text in texts] == values
    assert texts[0] == '["spouse","parent"]'
