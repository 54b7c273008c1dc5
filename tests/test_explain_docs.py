"""docs/explain.md's worked example is what ``policy explain`` prints: every line the
page shows, in the order printed ("..." stands for lines left out)."""

from __future__ import annotations

import re

from conftest import ROOT
from test_cli import run

PAGE = (ROOT / "docs" / "explain.md").read_text(encoding="utf-8")


def test_the_worked_example_prints_what_the_page_shows(tmp_path):
    command = ["explain", "zhejiang", "--member", str(ROOT / "examples" / "history.json"), "--as-of", "2026-06-01", "--area", "lapse"]
    result = run([*command, "--lang", "en"], tmp_path, columns=80)
    assert result.returncode == 0, result.stderr
    shown = re.search(r"^```text\n(Why: .*?)^```", PAGE, re.S | re.M).group(1).splitlines()
    printed = result.stdout.splitlines()
    assert printed[:6] == shown[:6]  # the answer first, then the area's heading
    at = 0
    for line in shown:
        if line.strip() in ("...", ""):
            continue
        assert line in printed[at:], line
        at = printed.index(line, at) + 1
