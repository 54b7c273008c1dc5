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
    # the total covers ids 1-4: row 4 (id 5) is refused, the retiree (id 6) has no account
    assert first == f"{expected_total('2026-03-01'):,.2f} yuan a month credited to 4 members"
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


def _counts(stdout):
    """The summary's labelled counts, by label."""
    out = {}
    for line in stdout.splitlines():
        words = line.split()
        for i, word in enumerate(words):
            if word.replace(",", "").isdigit() and i and not line.startswith("  row "):
                out[" ".join(words[:i])] = int(word.replace(",", ""))
                break
    return out


def test_summary_counts_whom_the_total_covers_and_what_it_leaves_out(members, tmp_path):
    """Issue 19: no account, credit not known, refused, not modelled and stale are each
    counted, beside the members the total covers; nothing is cut."""
    result = run(
        ["batch", "shenzhen", str(members), "-o", "a.parquet", "--as-of", "2026-03-01", "--summary", "json", "--keep", "id"], tmp_path
    )
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    out = pq.read_table(tmp_path / "a.parquet").to_pylist()
    answered = [row for row in out if row["error"] is None]
    assert (report["rows"], report["members_credited"], report["errors"]) == (6, 4, 1)
    assert report["without_account"] == sum(row["credit_has_account"] is False for row in answered)
    credited = [row for row in answered if row["credit_has_account"] and row["credit_monthly_credit"] is not None]
    assert report["members_credited"] == len(credited)
    assert Decimal(report["total_monthly_credit"]) == sum(row["credit_monthly_credit"] for row in credited)
    unknown = [row["id"] for row in answered if row["credit_has_account"] and row["credit_monthly_credit"] is None]
    assert unknown == [6] and report["credit_unknown"] == 1  # the retiree: Shenzhen's credit for retirees is not modelled
    assert report["not_modelled"]["credit"] == sum(row["credit_modelled"] is False for row in answered) >= 1
    assert set(report["not_modelled"]) == {"credit", "lapse", "family", "transfer", "withdrawal"}
    assert report["stale"] == sum(bool(row["stale"]) for row in answered)
    text = run(["batch", "shenzhen", str(members), "-o", "b.parquet", "--as-of", "2026-03-01", "--keep", "id"], tmp_path).stdout
    counts = _counts(text)
    assert (
        counts["without an account"] == report["without_account"]
        and counts["credit not known"] == 1
        and counts["rows refused (error)"] == 1
        and counts["rows read"] == 6
    )
    assert counts["stale answers"] == report["stale"] and "credit not known" in counts
    assert "…" not in text and all(len(line) <= 80 for line in text.splitlines())


def test_a_long_error_is_shown_whole_within_80_columns(tmp_path):
    path = tmp_path / "m.jsonl"
    ranges = [{"from": "1901-01", "to": "1901-02"}, {"from": "2025-01"}]
    path.write_text(json.dumps({"category": "employee", "contributions": ranges}) + "\n", encoding="utf-8")
    result = run(["batch", "shenzhen", str(path), "-o", "a.parquet", "--as-of", "2026-03-01"], tmp_path)
    assert result.returncode == 1
    message = pq.read_table(tmp_path / "a.parquet").column("error")[0].as_py()
    assert message.startswith("contributions: the history spans") and len(message) > 80
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("  row 0:"))
    shown = " ".join(line.strip() for line in lines[start:]).removeprefix("row 0: ")
    assert shown == message and all(len(line) <= 80 for line in lines)


def test_an_existing_answers_file_is_kept_unless_force(members, tmp_path):
    args = ["batch", "shenzhen", str(members), "--as-of", "2026-03-01", "--keep", "id"]
    assert run(args, tmp_path).returncode == 1  # (one row refused) the default file beside the input
    default = members.with_name("members.policy.parquet")
    before = default.read_bytes()
    assert_one_line_error(run(args, tmp_path), "members.policy.parquet exists", "--force")
    assert default.read_bytes() == before
    (tmp_path / "old.parquet").write_bytes(b"precious")
    assert_one_line_error(run([*args, "-o", "old.parquet"], tmp_path), "old.parquet exists")
    assert (tmp_path / "old.parquet").read_bytes() == b"precious"
    assert run([*args, "-o", "old.parquet", "--force"], tmp_path).returncode == 1
    assert pq.read_table(tmp_path / "old.parquet").num_rows == 6
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary file left


def test_the_input_is_never_the_output(members, tmp_path):
    before = members.read_bytes()
    for flags in ([], ["--force"]):
        result = run(["batch", "shenzhen", str(members), "-o", str(members), "--keep", "id", *flags], tmp_path)
        assert_one_line_error(result, "is the input")
        assert members.read_bytes() == before
    folder = tmp_path / "dataset"
    folder.mkdir()
    pq.write_table(pq.read_table(members), folder / "part-0.parquet")
    result = run(["batch", "shenzhen", str(folder), "-o", str(folder / "answers.parquet"), "--keep", "id"], tmp_path)
    assert_one_line_error(result, "is the input")


def test_a_failed_write_leaves_the_old_file_and_no_partial_one(tmp_path):
    """A CSV cannot hold a struct column (kept with --keep): the writer fails midway."""
    path = tmp_path / "m.jsonl"
    path.write_text(json.dumps({"category": "employee", "id": {"a": 1}}) + "\n", encoding="utf-8")
    (tmp_path / "a.csv").write_text("old answers\n", encoding="utf-8")
    result = run(["batch", "shenzhen", str(path), "-o", "a.csv", "--keep", "id", "--force"], tmp_path)
    assert_one_line_error(result, "cannot write", "a.csv")
    assert (tmp_path / "a.csv").read_text(encoding="utf-8") == "old answers\n"
    assert [p.name for p in tmp_path.iterdir()] and not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
def test_a_run_killed_while_writing_leaves_the_old_file(members, tmp_path, signal_name):
    """The writer is slowed (a partial file, then a pause): the signal arrives while the
    answers are half written, and the target keeps its old content."""
    import signal
    import subprocess
    import sys
    import time

    (tmp_path / "a.parquet").write_bytes(b"old answers")
    code = (
        "import sys, time, yibao.cli.batch as b\n"
        "def slow(out, path, fmt, target):\n"
        "    path.write_bytes(b'partial'); print('writing', flush=True); time.sleep(30)\n"
        "b._write = slow\n"
        f"sys.argv = ['policy', 'batch', 'shenzhen', {str(members)!r}, '-o', 'a.parquet', '--force', '--keep', 'id']\n"
        "from yibao.cli import main; main()\n"
    )
    process = subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "writing"
    temporary = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert len(temporary) == 1 and temporary[0].read_bytes() == b"partial"
    process.send_signal(getattr(signal, signal_name))
    process.communicate(timeout=30)
    assert process.returncode != 0
    assert (tmp_path / "a.parquet").read_bytes() == b"old answers"
    deadline = time.monotonic() + 5
    while any(p.name.endswith(".tmp") for p in tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())
