"""The terminal for the people who use it (issue 19): every command in a real 80x24
pseudo-terminal, as a person runs it. Under ``--lang zh`` no printed token is an English
identifier (a code, a parameter, a field, a layer); no line is wider than 80 columns; no
cell cuts a word or a number; unknown money is never summed as 0.00 beside a ``?``."""

from __future__ import annotations

import fcntl
import glob
import os
import pty
import re
import select
import struct
import sys
import termios
import tomllib
from pathlib import Path

import pytest
from rich.cells import cell_len

from conftest import ROOT
from yibao import labels

POLICY = Path(sys.executable).with_name("policy")
EXAMPLES = ROOT / "examples"
ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def in_pty(args: list[str], *, stdin_file: Path | None = None) -> tuple[int, str]:
    """``policy ARGS`` on a pseudo-terminal of 24 rows and 80 columns: (exit code, what it showed)."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal of 80x24, the built-in regions only
        env = {k: v for k, v in os.environ.items() if not k.startswith(("YIBAO_", "LC_", "COLUMNS", "LINES"))}
        env.update(LANG="C.UTF-8", TERM="xterm-256color", YIBAO_LOAD_PLUGINS="")
        if stdin_file is not None:
            os.dup2(os.open(stdin_file, os.O_RDONLY), 0)
        os.execve(str(POLICY), [str(POLICY), *args], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    chunks = []
    while True:
        ready, _, _ = select.select([fd], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    _, status = os.waitpid(pid, 0)
    text = ESCAPE.sub("", b"".join(chunks).decode("utf-8", "replace")).replace("\r\n", "\n")
    return os.waitstatus_to_exitcode(status), text


def identifiers() -> set[str]:
    """Every code a person should never read under zh: region and layer codes, parameter
    and topic names, areas, fields and the codes of every list."""
    names = {"national"}
    for path in [ROOT / "core" / "baseline" / "national.toml", *glob.glob(str(ROOT / "regions" / "*" / "region.toml"))]:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        names.add(data["region"]["code"])
        names.update(data["parameters"])
        names.update(data.get("not_modelled", {}))
    for kind in ("areas", "fields", "relations", "uses", "scopes", "blockers", "grounds", "conditions", "channels", "balance", "events"):
        names.update(labels.table()[kind])
    return {name for name in names if len(name) > 3 and name.isascii()}


CODES = identifiers()


def english_identifiers(text: str, *, codes_column: bool = False) -> list[str]:
    """Codes in ``text``, leaving out what a source says in its own words (“…”: a quote is
    verbatim) and, in ``policy regions``, the code column (what a person types)."""
    text = re.sub(r"“[^”]*”", "", text, flags=re.S)
    if codes_column:
        text = "\n".join(line[11:] if re.match(r"[a-z][a-z0-9_]* ", line) else line for line in text.splitlines())
    words = re.findall(r"(?<![-\w])[a-z][a-z0-9_]*(?![\w-])", text)
    return sorted({word for word in words if word in CODES or "_" in word})


MEMBER = str(EXAMPLES / "member.json")
HISTORY = str(EXAMPLES / "history.json")
MOVED = str(EXAMPLES / "moved.json")
COMMANDS = {
    "compare": ["compare", "shenzhen", "zhejiang", "--as-of", "2026-11-22"],
    "compare-dates": ["compare", "shenzhen@2025-09-01", "shenzhen@2026-03-01", "--member", MEMBER],
    "compare-three": ["compare", "shenzhen", "jiangxi", "zhejiang", "--member", MEMBER, "--as-of", "2026-03-01", "--sources"],
    "evaluate": ["evaluate", "shenzhen", "--as-of", "2026-11-22", "--sources"],
    "evaluate-zhejiang": ["evaluate", "zhejiang", "--member", MEMBER, "--as-of", "2026-11-22"],
    "move": ["move", "shenzhen", "zhejiang", "--member", MEMBER, "--on", "2026-08-01", "--sources"],
    "show": ["show", "shenzhen", "--as-of", "2027-03-01", "--sources"],
    "show-zhejiang": ["show", "zhejiang", "--as-of", "2026-03-01"],
    "timeline": ["timeline", "zhejiang", "--member", HISTORY, "--from", "2025-05", "--to", "2026-07"],
    "timeline-moved": ["timeline", "shenzhen", "--member", MOVED, "--from", "2025-08"],
    "regions": ["regions"],
}


NUMBER = re.compile(r"\d{4}-\d\d(-\d\d)?|\d{1,3}(,\d{3})*\.\d\d")


def parted_number(line: str, after: str) -> bool:
    """A date or an amount that starts at the end of one line and ends on the next."""
    tail, head = re.search(r"[\d,.-]+$", line), re.match(r"[\d,.-]+", after)
    if not (tail and head):
        return False
    return bool(NUMBER.fullmatch(tail.group() + head.group())) and not NUMBER.fullmatch(tail.group())


@pytest.fixture(scope="module")
def shown() -> dict[tuple[str, str], tuple[int, str]]:
    return {(name, lang): in_pty([*args, "--lang", lang]) for name, args in COMMANDS.items() for lang in ("zh", "en")}


@pytest.mark.parametrize("name", COMMANDS)
def test_every_token_under_zh_is_chinese(shown, name):
    code, text = shown[(name, "zh")]
    assert code == 0, text
    assert english_identifiers(text, codes_column=name == "regions") == [], text


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", COMMANDS)
def test_every_line_fits_80_columns_and_no_cell_is_cut(shown, name, lang):
    code, text = shown[(name, lang)]
    assert code == 0, text
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= 80
    assert not any(re.search(r"\S…$", line.rstrip()) for line in lines), "a cell was cut"  # (" …" elides inside a quote)
    for line, after in zip(lines, lines[1:]):  # a number never parts from its unit: "等待 1" / "个月"
        assert not (re.search(r"\d$", line.rstrip()) and re.match(r"\s*(个月|个工作日|元|月)", after)), (line, after)
        assert not parted_number(line.rstrip(), after), (line, after)  # "(202" / "5-06-20)"


def test_the_answer_is_on_the_first_screen(shown):
    """The answer comes first: on 24 rows the compare's differences and the move's answer show."""
    _, text = shown[("compare", "zh")]
    first = text.splitlines()[:24]
    assert any(line.startswith("• 享受统筹基金待遇: 深圳市 是;浙江省 否") for line in first), first
    _, text = shown[("move", "en")]
    assert "Covered again on 2027-02-01" in "\n".join(text.splitlines()[:6])
    _, text = shown[("show", "en")]
    assert text.startswith("Shenzhen on 2027-03-01: ")  # the answer in plain words, no identifier first


def test_unknown_credit_is_never_summed_as_zero(shown):
    """README's own timeline example: credits not modelled are ?, and so is the running total."""
    _, text = shown[("timeline", "en")]
    months = [line for line in text.splitlines() if re.match(r"20\d\d-\d\d  ", line)]
    for line in months:
        cells = line.split()
        if "?" in cells[:4]:
            assert "0.00" not in cells[cells.index("?") + 1 : cells.index("?") + 2], line
    assert any(line.split()[2:4] == ["?", "?"] for line in months)


def test_not_modelled_is_said_in_words_in_compare(shown):
    _, text = shown[("compare", "en")]
    assert "Monthly credit (yuan): shenzhen 240.00; zhejiang not modelled" in text
    _, text = shown[("compare", "zh")]
    assert "每月划入(元): 深圳市 240.00;浙江省 未建模" in text


def test_each_region_has_its_own_line_for_channels(shown):
    _, text = shown[("compare", "zh")]
    block = text[text.index("• 共济渠道:") :].splitlines()
    assert block[1].strip().startswith("深圳市:") and any(line.strip().startswith("浙江省:") for line in block[1:5])


def test_only_differences_never_lists_equal_values(tmp_path):
    code, text = in_pty(["compare", "shenzhen@2025-09-01", "shenzhen@2026-03-01", "--member", MEMBER, "--only-differences"])
    assert code == 0, text
    for line in text.splitlines():
        if line.startswith("• ") and ": " in line and ";" in line:
            values = [part.split(" ", 1)[-1] for part in line.split(": ", 1)[1].split("; ")]
            assert len(set(values)) > 1, line


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["evaluate", "shenzhen", "--as-of", "2026-13-01"], "policy: 错误:查询日期(--as-of):'2026-13-01' 不是有效日期"),
        (["evaluate", "shenzhen", "--member", "-"], "policy: 错误:缴费时段第1段的“自”:'2025-13' 不是 YYYY-MM 格式的月份"),
        (["move", "shenzhen", "shenzhen"], "policy: 错误:转入地:转入地与转出地相同"),
    ],
)
def test_errors_under_zh_are_chinese(tmp_path, args, expected):
    member = tmp_path / "bad.json"
    member.write_text('{"category": "employee", "contributions": [{"from": "2025-13"}]}', encoding="utf-8")
    code, text = in_pty([*args, "--lang", "zh"], stdin_file=member)
    assert code == 2
    assert text.strip().startswith(expected), text
    assert "\n" not in text.strip()  # one line
