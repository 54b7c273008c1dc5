"""The ``policy`` command line as a user meets it: the real console script, in a subprocess.

Every test runs the installed ``policy`` script (or, if the venv has none beside the
interpreter, ``yibao.cli.main`` through ``python -c``) with a temporary working
directory, and looks only at what a user sees: the exit code, stdout and stderr.

The contract checked here:

* bad input (a member file, a date, a region) exits 2 with exactly one line on stderr
  that names the problem, and prints nothing on stdout and no traceback;
* a region whose plugin is broken fails alone in ``compare`` (exit 1, the other results
  still printed) and is a one-line error in ``evaluate`` (exit 2);
* ``--help`` of every command shows an example.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

import yibao

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).with_name("policy")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-c", "from yibao.cli import main; main()"]

#: A tier-1 Shenzhen employee on a 10,000-yuan base: inside the 2026 base limits (6,727–33,633).
EMPLOYEE_10000 = {"category": "employee", "tier": 1, "contribution_base": 10000}


def run(
    args: list[str], cwd: Path, *, stdin: str | bytes | None = None, pythonpath: Path | None = None, columns: int = 200
) -> subprocess.CompletedProcess[str]:
    """Run ``policy ARGS`` in ``cwd``; stdout and stderr as UTF-8 text."""
    # Nothing from the caller's environment that changes what is loaded or how it is shown.
    dropped = {"PYTHONPATH", "LANGUAGE", "LC_ALL", "LC_MESSAGES"}
    env = {key: value for key, value in os.environ.items() if key not in dropped and not key.startswith("YIBAO_")}
    env.update(LANG="C.UTF-8", PYTHONIOENCODING="utf-8", COLUMNS=str(columns), NO_COLOR="1", TERM="dumb")
    # the built-ins only, whatever else is installed; with a fake distribution, that one too
    env["YIBAO_LOAD_PLUGINS"] = "" if pythonpath is None else "broken-region"
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    done = subprocess.run(COMMAND + args, cwd=cwd, env=env, input=data, capture_output=True, timeout=60)
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
    )


def assert_no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr


def assert_one_line_error(result: subprocess.CompletedProcess[str], *expected: str) -> str:
    """Exit 2, nothing on stdout, one non-empty line on stderr containing every ``expected``."""
    assert_no_traceback(result)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == "", result.stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].strip(), f"expected exactly one line on stderr, got {result.stderr!r}"
    line = lines[0]
    for text in expected:
        assert text in line, f"{text!r} not in {line!r}"
    return line


def write_member(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


# --- 1. bad input: exit 2, one line that names the problem ------------------------------------

#: (id, files to create {name: bytes}, arguments, stdin, substrings the one error line must contain)
BAD_INPUT = [
    ("member-missing", {}, ["evaluate", "shenzhen", "--member", "missing.json"], None, ["missing.json", "--member"]),
    (
        "member-not-utf8",
        {"latin1.json": '{"category": "employé"}'.encode("latin-1")},
        ["evaluate", "shenzhen", "--member", "latin1.json"],
        None,
        ["latin1.json", "UTF-8"],
    ),
    (
        "member-invalid-json",
        {"broken.json": b'{"category": "employee",\n  "tier": 1,,\n}'},
        ["evaluate", "shenzhen", "--member", "broken.json"],
        None,
        ["broken.json", "not valid JSON", "line 2", "column"],
    ),
    (
        "member-is-a-list",
        {"list.json": b'[{"category": "employee"}]'},
        ["evaluate", "shenzhen", "--member", "list.json"],
        None,
        ["JSON object", "list"],
    ),
    (
        "unknown-field-typo",
        {"typo.json": b'{"category": "employee", "contribution_bas": 10000}'},
        ["evaluate", "shenzhen", "--member", "typo.json"],
        None,
        ["contribution_bas", "did you mean", "contribution_base"],
    ),
    (
        "wrong-type-tier",
        {"tier.json": b'{"category": "employee", "tier": "one"}'},
        ["evaluate", "shenzhen", "--member", "tier.json"],
        None,
        ["tier", "'one'"],
    ),
    (
        "wrong-type-arrears",
        {"arrears.json": b'{"category": "employee", "arrears": "yes"}'},
        ["evaluate", "shenzhen", "--member", "arrears.json"],
        None,
        ["arrears", "boolean"],
    ),
    (
        "impossible-month",
        {"month.json": b'{"category": "employee", "contributions": [{"from": "2025-13", "to": "2026-02"}]}'},
        ["evaluate", "shenzhen", "--member", "month.json"],
        None,
        ["contributions[0].from", "2025-13"],
    ),
    (
        "to-before-from",
        {"order.json": b'{"category": "employee", "contributions": [{"from": "2025-06", "to": "2025-01"}]}'},
        ["evaluate", "shenzhen", "--member", "order.json"],
        None,
        ["contributions[0]", "2025-01", "2025-06", "before"],
    ),
    (
        "negative-amount",
        {"negative.json": b'{"category": "employee", "contribution_base": -5}'},
        ["evaluate", "shenzhen", "--member", "negative.json"],
        None,
        ["contribution_base", "-5", "non-negative"],
    ),
    (
        "member-huge-integer",
        {"huge.json": b'{"category": "employee", "contribution_base": ' + b"9" * 5000 + b"}"},
        ["evaluate", "shenzhen", "--member", "huge.json"],
        None,
        ["huge.json", "--member"],
    ),
    (
        "member-nested-too-deeply",
        {"deep.json": b"[" * 100_000 + b"]" * 100_000},
        ["evaluate", "shenzhen", "--member", "deep.json"],
        None,
        ["deep.json", "--member"],
    ),
    ("as-of-impossible-date", {}, ["evaluate", "shenzhen", "--as-of", "2025-02-30"], None, ["--as-of", "2025-02-30"]),
    ("as-of-bad-form", {}, ["evaluate", "shenzhen", "--as-of", "2025/02/01"], None, ["--as-of", "2025/02/01", "YYYY-MM-DD"]),
    ("show-as-of-impossible-date", {}, ["show", "shenzhen", "--as-of", "2026-04-31"], None, ["--as-of", "2026-04-31"]),
    ("unknown-region-evaluate", {}, ["evaluate", "nowhere"], None, ["'nowhere'", "known:", "shenzhen"]),
    ("unknown-region-show", {}, ["show", "nowhere"], None, ["'nowhere'", "known:", "shenzhen"]),
    ("unknown-region-compare", {}, ["compare", "shenzhen", "nowhere"], None, ["'nowhere'", "known:", "shenzhen"]),
    ("compare-bad-target-date", {}, ["compare", "shenzhen", "shenzhen@2025-02-30"], None, ["shenzhen@2025-02-30", "2025-02-30"]),
    ("compare-target-not-a-region", {}, ["compare", "shenzhen", "Shen Zhen"], None, ["'Shen Zhen'", "REGION"]),
    ("compare-same-target-twice", {}, ["compare", "shenzhen", "shenzhen"], None, ["twice", "shenzhen"]),
    (
        "member-stdin-invalid-json",
        {},
        ["evaluate", "shenzhen", "--member", "-"],
        '{"category": "employee"',
        ["standard input", "not valid JSON"],
    ),
    (
        "compare-member-invalid",
        {"typo.json": b'{"category": "employee", "contribution_bas": 10000}'},
        ["compare", "shenzhen", "shenzhen@2025-01-01", "--member", "typo.json"],
        None,
        ["contribution_bas", "contribution_base"],
    ),
]


@pytest.mark.parametrize(("files", "args", "stdin", "expected"), [case[1:] for case in BAD_INPUT], ids=[case[0] for case in BAD_INPUT])
def test_bad_input_is_one_line_and_exit_2(tmp_path, files, args, stdin, expected):
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
    assert_one_line_error(run(args, tmp_path, stdin=stdin), *expected)


def test_every_bad_input_line_starts_with_the_program_name(tmp_path):
    line = assert_one_line_error(run(["evaluate", "nowhere"], tmp_path), "nowhere")
    assert line.startswith("policy: error: ")


@pytest.mark.parametrize(
    "args",
    [
        ["evaluate", "shenzhen", "--format", "xml"],
        ["compare", "shenzhen", "--format", "xml"],
        ["evaluate", "shenzhen", "--no-such-option"],
        ["evaluate"],
        ["no-such-command"],
    ],
    ids=["evaluate-format-xml", "compare-format-xml", "unknown-option", "missing-region", "unknown-command"],
)
def test_usage_errors_exit_2_without_traceback(tmp_path, args):
    result = run(args, tmp_path)
    assert_no_traceback(result)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == ""
    assert result.stderr.strip()
    if "xml" in args:
        assert "xml" in result.stderr and "--format" in result.stderr


# --- 2. happy paths -------------------------------------------------------------------------


def test_version_is_the_package_version(tmp_path):
    result = run(["--version"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert yibao.__version__ in result.stdout.split()
    assert result.stderr == ""


def test_regions_json_lists_shenzhen_loaded(tmp_path):
    result = run(["regions", "--format", "json"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    statuses = {item["code"]: item for item in json.loads(result.stdout)}
    assert statuses["shenzhen"]["status"] == "loaded"
    assert statuses["shenzhen"]["name_en"] == "Shenzhen"
    assert statuses["shenzhen"]["distribution"] == "yibao-policy"
    for code in ("jiangxi", "zhejiang", "nanchang", "hangzhou"):
        # Listed only once their plugin exists and the install's entry points are current.
        if code in statuses and (ROOT / "regions" / code / "__init__.py").exists():
            assert statuses[code]["status"] == "loaded", statuses[code]


def test_regions_table_lists_shenzhen(tmp_path):
    result = run(["regions"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "shenzhen" in result.stdout and "loaded" in result.stdout


def expected_monthly_credit(base: str, rate: str) -> str:
    """The arithmetic, independent of the code: base × rate, rounded half-up to the fen."""
    return str((Decimal(base) * Decimal(rate)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def test_evaluate_json_credit_for_a_10000_yuan_tier_1_employee(tmp_path):
    write_member(tmp_path / "member.json", EMPLOYEE_10000)
    result = run(["evaluate", "shenzhen", "--member", "member.json", "--as-of", "2026-03-01", "--format", "json"], tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    # Tier 1 credits 2% of the base; 10,000 is within the 2026 limits 6,727–33,633, so no clamping.
    assert 6727 <= 10000 <= 33633
    assert data["credit"]["monthly_credit"] == expected_monthly_credit("10000", "0.02") == "200.00"
    assert data["credit"]["base_applied"] == "10000.00"
    assert data["credit"]["has_account"] is True
    assert data["region"] == "shenzhen" and data["as_of"] == "2026-03-01"


def test_evaluate_reads_the_member_from_standard_input(tmp_path):
    result = run(
        ["evaluate", "shenzhen", "--member", "-", "--as-of", "2026-03-01", "--format", "json"], tmp_path, stdin=json.dumps(EMPLOYEE_10000)
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["credit"]["monthly_credit"] == "200.00"


def test_evaluate_table_in_english(tmp_path):
    write_member(tmp_path / "member.json", EMPLOYEE_10000)
    result = run(["evaluate", "shenzhen", "--member", "member.json", "--as-of", "2026-03-01", "--lang", "en"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Shenzhen" in result.stdout or "深圳" in result.stdout
    assert "Monthly credit" in result.stdout
    assert "200.00" in result.stdout
    assert result.stderr == ""


def test_evaluate_table_default_language(tmp_path):
    write_member(tmp_path / "member.json", EMPLOYEE_10000)
    result = run(["evaluate", "shenzhen", "--member", "member.json", "--as-of", "2026-03-01"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Shenzhen" in result.stdout or "深圳" in result.stdout
    assert "Monthly credit" in result.stdout or "每月划入" in result.stdout


def test_evaluate_table_in_chinese(tmp_path):
    write_member(tmp_path / "member.json", EMPLOYEE_10000)
    result = run(["evaluate", "shenzhen", "--member", "member.json", "--as-of", "2026-03-01", "--lang", "zh"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "深圳" in result.stdout
    assert "每月划入" in result.stdout
    assert "200.00" in result.stdout


def shown_parameters(tmp_path: Path, as_of: str) -> dict[str, dict]:
    result = run(["show", "shenzhen", "--as-of", as_of, "--format", "json"], tmp_path)
    assert result.returncode == 0, result.stderr
    return {p["name"]: p for p in json.loads(result.stdout)["parameters"]}


def test_show_flags_a_value_past_its_last_known_date(tmp_path):
    floor = shown_parameters(tmp_path, "2027-03-01")["base_floor"]
    assert floor["to"] == "2026-12-31"  # the 2026 value, the latest known
    assert floor["stale"] is True


def test_show_does_not_flag_a_value_in_force(tmp_path):
    floor = shown_parameters(tmp_path, "2026-03-01")["base_floor"]
    assert floor["stale"] is False
    assert floor["from"] <= "2026-03-01" <= floor["to"]


def test_show_table(tmp_path):
    result = run(["show", "shenzhen", "--as-of", "2027-03-01"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "base_floor" in result.stdout and "stale" in result.stdout


def test_compare_one_region_on_two_dates_json(tmp_path):
    result = run(["compare", "shenzhen", "shenzhen@2025-01-01", "--format", "json"], tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data["results"]) == {"shenzhen", "shenzhen@2025-01-01"}
    assert data["regions"] == ["shenzhen", "shenzhen@2025-01-01"]
    assert data["results"]["shenzhen@2025-01-01"]["as_of"] == "2025-01-01"
    assert data["failures"] == {}
    assert data["differences"]


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_compare_text_formats(tmp_path, fmt):
    result = run(["compare", "shenzhen", "shenzhen@2025-01-01", "--as-of", "2026-03-01", "--format", fmt, "--lang", "en"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "shenzhen@2025-01-01" in result.stdout
    assert "Monthly credit" in result.stdout


# --- 3. a broken region fails alone -----------------------------------------------------------


@pytest.fixture
def broken_site(tmp_path) -> Path:
    """A fake installed distribution ``broken-region`` whose region ``broken`` raises at import."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "broken_region.py").write_text('raise RuntimeError("boom at import")\n', encoding="utf-8")
    info = site / "broken_region-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-region\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[yibao.regions]\nbroken = broken_region\n", encoding="utf-8")
    return site


def test_compare_with_a_broken_region_json(tmp_path, broken_site):
    result = run(["compare", "shenzhen", "broken", "--as-of", "2026-03-01", "--format", "json"], tmp_path, pythonpath=broken_site)
    assert_no_traceback(result)
    assert result.returncode == 1, result.stderr
    data = json.loads(result.stdout)
    assert set(data["results"]) == {"shenzhen"}
    assert data["results"]["shenzhen"]["credit"]["rate"] == "0.02"
    reason = data["failures"]["broken"]
    assert "\n" not in reason
    assert "broken-region" in reason and "boom at import" in reason
    assert "broken" in result.stderr and "boom at import" in result.stderr


def test_compare_with_a_broken_region_table(tmp_path, broken_site):
    result = run(["compare", "shenzhen", "broken", "--as-of", "2026-03-01", "--lang", "en"], tmp_path, pythonpath=broken_site)
    assert_no_traceback(result)
    assert result.returncode == 1, result.stderr
    assert "Monthly credit" in result.stdout  # shenzhen's results are still there
    assert "broken-region" in result.stdout + result.stderr


def test_evaluate_a_broken_region_is_one_line(tmp_path, broken_site):
    result = run(["evaluate", "broken", "--as-of", "2026-03-01"], tmp_path, pythonpath=broken_site)
    assert_one_line_error(result, "'broken'", "broken-region", "boom at import")


def test_regions_lists_a_broken_region_as_failed(tmp_path, broken_site):
    result = run(["regions", "--format", "json"], tmp_path, pythonpath=broken_site)
    assert_no_traceback(result)
    assert result.returncode == 0, result.stderr
    statuses = {item["code"]: item for item in json.loads(result.stdout)}
    assert statuses["broken"]["status"] == "failed"
    assert statuses["broken"]["distribution"] == "broken-region"
    assert "boom at import" in statuses["broken"]["reason"]
    assert statuses["shenzhen"]["status"] == "loaded"


# --- 4. help ------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [None, "regions", "evaluate", "show", "compare", "move"], ids=lambda c: c or "root")
def test_help_shows_an_example(tmp_path, command):
    result = run(([command] if command else []) + ["--help"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert_no_traceback(result)
    assert "Example" in result.stdout
    shown = command or "compare"
    examples = [line for line in result.stdout.splitlines() if f"policy {shown} " in line and "Usage:" not in line]
    assert examples, result.stdout


def test_a_plugins_lingering_thread_neither_holds_the_command_nor_writes_into_its_json(tmp_path):
    """A region module that starts a non-daemon thread at import (issue 21: it delayed exit
    by 20 s and wrote into --format json): the command ends when its answer is written."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "broken_region.py").write_text(
        "import threading, time\n"
        "def _linger():\n"
        "    time.sleep(120)\n"
        "    print('a late line from a plugin thread')\n"
        "threading.Thread(target=_linger).start()\n",
        encoding="utf-8",
    )
    info = site / "broken_region-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-region\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[yibao.regions]\nbroken = broken_region\n", encoding="utf-8")
    # run() gives up after 60 s: a command that waited for the thread (120 s) would fail here
    result = run(["compare", "shenzhen", "broken", "--as-of", "2026-03-01", "--format", "json"], tmp_path, pythonpath=site)
    assert_no_traceback(result)
    data = json.loads(result.stdout)  # the answer alone: nothing written after it
    assert set(data["results"]) == {"shenzhen"} and "broken" in data["failures"]
    assert result.returncode == 1
