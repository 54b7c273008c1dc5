"""Every command's --help fits an 80-column terminal, counting a CJK character as two
columns (click wraps by characters, so Chinese in a help text can push a line over)."""

from __future__ import annotations

import unicodedata

import pytest
from test_cli import run

COMMANDS = ["", "evaluate", "compare", "show", "regions", "timeline", "move", "explain", "coverage", "batch", "serve", "validate", "new-region"]


def width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in line)


@pytest.mark.parametrize("command", COMMANDS)
def test_help_fits_80_columns(command, tmp_path):
    result = run([*([command] if command else []), "--help"], tmp_path, columns=80)
    assert result.returncode == 0, result.stderr
    wide = [line for line in result.stdout.splitlines() if width(line) > 80]
    assert not wide, wide
