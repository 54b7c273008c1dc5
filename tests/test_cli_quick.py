"""``policy evaluate`` and ``policy compare`` without typer (issue 18, cold start): the quick
path takes only plain command lines, and prints, byte for byte, what the typer app prints."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from yibao.cli.quick import _parse, command

ROOT = Path(__file__).resolve().parent.parent
MEMBER = str(ROOT / "examples" / "member.json")

#: Runs ``policy ARGS`` through ``launch``; with ``typer`` as argv[1], the quick path is off.
SCRIPT = (
    "import sys, yibao.cli.launch as launch, yibao.cli.quick as quick\n"
    "if sys.argv.pop(1) == 'typer': quick.command = lambda args: None\n"
    "code = launch._run()\n"
    "sys.stderr.write('TYPER %s\\n' % ('typer' in sys.modules))\n"
    "sys.exit(code)\n"
)


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["regions"],
        ["evaluate"],
        ["evaluate", "shenzhen", "--help"],
        ["evaluate", "shenzhen", "zhejiang"],
        ["evaluate", "shenzhen", "--format", "xml"],
        ["evaluate", "shenzhen", "--format", "markdown"],  # compare's choice, not evaluate's
        ["evaluate", "shenzhen", "--format", "json", "--format", "table"],
        ["evaluate", "shenzhen", "-m"],
        ["evaluate", "shenzhen", "-m=member.json"],
        ["evaluate", "shenzhen", "-mmember.json"],
        ["evaluate", "shenzhen", "--member", "--as-of"],
        ["evaluate", "shenzhen", "--sources=yes"],
        ["evaluate", "shenzhen", "--mem", "member.json"],
        ["evaluate", "-", "--lang", "zh"],
        ["evaluate", "--", "shenzhen"],
        ["evaluate", "shenzhen", "-d"],
        ["compare"],
        ["compare", "--lang", "fr", "shenzhen", "zhejiang"],
        ["--version", "evaluate", "shenzhen"],
    ],
)
def test_what_is_not_plain_goes_to_typer(args):
    assert command(args) is None


def test_plain_command_lines_are_read_as_click_reads_them():
    assert _parse("evaluate", ["shenzhen", "-m", "-", "--as-of=2026-03-01", "-f", "json", "--sources"]) == (
        ["shenzhen"],
        {"member": "-", "as_of": "2026-03-01", "fmt": "json", "sources": True},
    )
    regions, options = _parse("compare", ["--lang", "zh", "a", "b@2025-01-01", "-d", "--format=markdown", "c"])
    assert regions == ["a", "b@2025-01-01", "c"] and options == {"lang": "zh", "only_differences": True, "fmt": "markdown"}
    assert command(["evaluate", "shenzhen", "--member="]) is not None  # an empty value is a value (the command refuses it)
    assert command(["compare", "shenzhen"]) is not None  # one region: the command's own error, on both paths


def policy(path: str, args: list[str], tmp_path: Path, encoding: str = "utf-8") -> tuple[int, bytes, bytes, bool]:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH" and not key.startswith("YIBAO_")}
    env.update(LANG="C.UTF-8", PYTHONIOENCODING=encoding, COLUMNS="100", NO_COLOR="1", TERM="dumb", YIBAO_LOAD_PLUGINS="")
    env["YIBAO_CACHE_DIR"] = str(tmp_path / "cache")
    done = subprocess.run([sys.executable, "-c", SCRIPT, path, *args], cwd=tmp_path, env=env, capture_output=True, timeout=60)
    err, typer_line = done.stderr.rsplit(b"TYPER ", 1)
    out = re.sub(rb'"evaluated_at": ?"[^"]*"', b"", done.stdout)  # the clock, not the path
    return done.returncode, out, err, typer_line.strip() == b"True"


@pytest.mark.parametrize(
    "args",
    [
        ["evaluate", "shenzhen", "--member", MEMBER, "--as-of", "2026-03-01", "--format", "json"],
        ["evaluate", "shenzhen", "--as-of", "2026-11-22", "--lang", "zh", "--sources"],
        ["evaluate", "shenzhen", "--as-of", "2026-13-01"],
        ["evaluate", "atlantis", "--as-of", "2026-03-01"],
        ["evaluate", "shenzhen", "--member", "missing.json"],
        ["compare", "shenzhen", "zhejiang", "--as-of", "2026-11-22"],
        ["compare", "shenzhen", "jiangxi", "zhejiang", "-d", "--format", "markdown", "--as-of", "2026-11-22"],
        ["compare", "shenzhen@2025-09-01", "shenzhen@2026-03-01", "-f", "json"],
        ["compare", "shenzhen", "atlantis", "--as-of", "2026-11-22"],
        ["compare", "shenzhen", "--as-of", "2026-11-22"],
    ],
)
def test_the_quick_path_prints_what_typer_prints(args, tmp_path):
    quick = policy("quick", args, tmp_path)
    typed = policy("typer", args, tmp_path)
    assert typed[3] and not quick[3]  # the quick path did not import typer; the other did
    assert quick[:3] == typed[:3]
    assert quick[0] in (0, 1, 2) and b"Traceback" not in quick[2]


def test_a_stream_click_would_rewrap_is_left_to_click(tmp_path):
    """stdout declared ASCII: click writes through a UTF-8 wrapper of its own; so does the quick path."""
    args = ["compare", "shenzhen", "zhejiang", "--as-of", "2026-11-22", "--format", "markdown", "--lang", "zh"]
    quick, typed = policy("quick", args, tmp_path, "ascii"), policy("typer", args, tmp_path, "ascii")
    assert quick[:3] == typed[:3]
    assert "深圳".encode() in quick[1]
