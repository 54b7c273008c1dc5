"""docs/move.md says what the code does: its Python examples run, in order, in one namespace.

(An explicit runner until the project's doc runner covers every page; the blocks hold
their own assertions.)"""

from __future__ import annotations

import re

from conftest import ROOT

PAGE = (ROOT / "docs" / "move.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"^```python\n(.*?)^```", PAGE, re.S | re.M)


def test_the_worked_moves_run():
    assert len(BLOCKS) == 9  # the helper, then no gap, 2 months (and its unpaid history), 5 months, a retiree, tier 2; within and across Guangdong
    namespace: dict = {}
    for block in BLOCKS:
        exec(compile(block, "docs/move.md", "exec"), namespace)


def test_the_shell_example_prints_what_the_page_shows(tmp_path):
    from test_cli import run

    command = re.search(r"^```sh\n(.*?)^```", PAGE, re.S | re.M).group(1)
    member = re.search(r"echo '(.*?)'", command, re.S).group(1)
    result = run(["move", "shenzhen", "zhejiang", "--member", "-", "--on", "2026-03-01"], tmp_path, stdin=member, columns=80)
    assert result.returncode == 0, result.stderr
    shown = re.search(r"^```text\n(.*?)^```", PAGE, re.S | re.M).group(1).splitlines()
    printed = result.stdout.splitlines()
    assert printed[:4] == shown[:4]
    at = 0
    for line in shown:  # every line the page shows, source numbers too, in the order printed ("..." skips lines)
        if line.strip() in ("...", ""):
            continue
        assert line in printed[at:], line
        at = printed.index(line, at) + 1
