"""Every example in docs/timeline.md runs: the Python blocks as written (their asserts
are the worked histories' answers), and each `policy timeline` line of the shell block."""

from __future__ import annotations

import re

import pytest
from test_cli import run

from conftest import ROOT

DOC = (ROOT / "docs" / "timeline.md").read_text(encoding="utf-8")
PYTHON = re.findall(r"```python\n(.*?)```", DOC, re.S)
SHELL = [line.split("#")[0].strip() for block in re.findall(r"```sh\n(.*?)```", DOC, re.S) for line in block.splitlines()]


def test_the_page_has_its_five_worked_histories():
    assert len(PYTHON) == 6 and all("assert" in block for block in PYTHON[1:])


@pytest.mark.parametrize("block", PYTHON[1:], ids=["short-gap", "long-gap", "base-change", "back-payment", "across-regions"])
def test_worked_history_runs(block, monkeypatch):
    monkeypatch.chdir(ROOT)
    exec(compile(block, "docs/timeline.md", "exec"), {})


def test_the_api_sketch_runs(monkeypatch):
    import json

    monkeypatch.chdir(ROOT)
    member = json.loads((ROOT / "examples" / "history.json").read_text(encoding="utf-8"))
    namespace = {"member": member}
    exec(compile(PYTHON[0], "docs/timeline.md", "exec"), namespace)
    assert namespace["timeline"].month("2026-06").pooled_benefits is True


@pytest.mark.parametrize("line", [line for line in SHELL if line.startswith("policy timeline")])
def test_shell_example_runs(line, tmp_path):
    args = line.split()[1:]
    args = [str(ROOT / arg) if arg.startswith("examples/") else arg for arg in args]
    if ">" in args:
        args = args[: args.index(">")]
    result = run(args, tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout


def test_the_table_shown_is_what_the_command_prints(tmp_path):
    shown = re.search(r"```text\n(.*?)```", DOC, re.S).group(1)
    result = run(
        ["timeline", "zhejiang", "--member", str(ROOT / "examples" / "history.json"), "--from", "2025-05", "--to", "2026-07"], tmp_path
    )
    assert result.stdout.startswith(shown)  # (read on the last month shown: the same on any date after 2026-07)


def test_the_readme_line_runs(monkeypatch):
    import json

    import yibao

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    call = re.search(r"`(yibao\.timeline\([^`]*\))`", readme).group(1)
    member = json.loads((ROOT / "examples" / "history.json").read_text(encoding="utf-8"))
    timeline = eval(call, {"yibao": yibao, "member": member})
    assert [total.year for total in timeline.totals] == [2025, 2026]
