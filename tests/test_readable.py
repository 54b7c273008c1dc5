"""Terminal output a person can read (issue 12): the answer first, every line within the
terminal's width, plain text when piped, both languages.

The main checks run ``policy`` in a pseudo-terminal of 80 columns and 24 rows, as a user's
terminal would be, and measure every line in terminal cells (CJK characters count two).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rich.cells import cell_len

import yibao
from yibao import labels

from conftest import ROOT

pty = pytest.importorskip("pty")  # POSIX only
import fcntl  # noqa: E402
import struct  # noqa: E402
import termios  # noqa: E402

SCRIPT = Path(sys.executable).with_name("policy")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-c", "from yibao.cli import main; main()"]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
AS_OF = ["--as-of", "2026-11-22"]


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YIBAO_", "LC_", "COLUMNS", "LINES", "NO_COLOR", "FORCE_COLOR"))}
    env.update(YIBAO_LOAD_PLUGINS="", LANG="C.UTF-8", PYTHONIOENCODING="utf-8", TERM="xterm-256color")
    env.update(extra)
    return env


def in_terminal(args: list[str], columns: int = 80, rows: int = 24, **env: str) -> tuple[int, str]:
    """Run ``policy ARGS`` with its output on a pseudo-terminal of ``columns`` x ``rows``."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    proc = subprocess.Popen(
        COMMAND + args, stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE, env=environment(**env), cwd=ROOT
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    proc.wait(timeout=60)
    assert proc.returncode in (0, 1), proc.stderr.read().decode()
    return proc.returncode, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def piped(args: list[str], **env: str) -> str:
    done = subprocess.run(COMMAND + args, capture_output=True, env=environment(**env), cwd=ROOT, timeout=60)
    assert done.returncode in (0, 1), done.stderr.decode()
    return done.stdout.decode("utf-8")


COMMANDS = {
    "evaluate": ["evaluate", "shenzhen", *AS_OF],
    "evaluate-member": ["evaluate", "zhejiang", "--member", "examples/member.json", *AS_OF, "--sources"],
    "compare": ["compare", "shenzhen", "zhejiang", *AS_OF],
    "compare-3": ["compare", "shenzhen", "zhejiang", "jiangxi", *AS_OF, "--sources"],
    "show": ["show", "shenzhen", "--as-of", "2027-03-01", "--sources"],
    "regions": ["regions"],
    "move": ["move", "shenzhen", "zhejiang", "--on", "2026-11-22", "--sources"],
    "timeline": ["timeline", "zhejiang", "--member", "examples/history.json", "--from", "2025-05", "--to", "2026-07"],
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", COMMANDS)
def test_no_line_is_wider_than_an_80_column_terminal(name, lang):
    _, text = in_terminal([*COMMANDS[name], "--lang", lang])
    lines = ANSI.sub("", text).splitlines()
    assert len(lines) > 3
    too_wide = [line for line in lines if cell_len(line) > 80]
    assert not too_wide, f"{len(too_wide)} lines wider than 80 columns, e.g. {too_wide[0]!r}"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_answer_is_on_the_first_screen_and_the_representative_member_on_the_first_line(lang):
    _, text = in_terminal(["evaluate", "shenzhen", *AS_OF, "--lang", lang])
    screen = ANSI.sub("", text).splitlines()[:24]
    first = labels.label("words", "representative", lang).split("{")[0]
    assert screen[0].startswith(first)
    assert "12,000.00" in screen[0] + screen[1]  # its key facts: the base
    joined = "\n".join(screen)
    if lang == "en":
        assert "Monthly credit 240.00 yuan (2% of 12,000.00)" in joined
        assert "Pooled benefits: covered again since 2026-09-01" in joined
    else:
        assert "每月划入个人账户 240.00 元(2%,基数 12,000.00 元)" in joined


def test_move_answers_on_the_first_screen_and_names_the_representative_member():
    _, text = in_terminal(["move", "shenzhen", "zhejiang", "--on", "2026-11-22"])
    screen = ANSI.sub("", text).splitlines()[:24]
    assert screen[0].startswith("Representative member")
    assert any(line.startswith("• Moves.") for line in screen)
    assert any("Covered" in line for line in screen)


@pytest.mark.parametrize(("lang", "answer"), [("en", "Covered since 2026-06-01"), ("zh", "自2026-06-01起享受统筹待遇")])
def test_timeline_answers_on_its_first_line(lang, answer):
    _, text = in_terminal([*COMMANDS["timeline"], "--lang", lang])
    assert ANSI.sub("", text).splitlines()[0].startswith(answer)


def test_move_speaks_chinese():
    out = piped(["move", "shenzhen", "zhejiang", "--member", "examples/member.json", "--on", "2026-03-01", "--lang", "zh"])
    assert "• 可以转移。医保关系和个人账户余额(3,560.20 元)转入浙江省。" in out
    assert "• 自 2027-02-01 起恢复:浙江省要求中断5个月后连续缴费6个月。" in out
    for english in ("Moves.", "Steps", "disputed", "note:", "Enrol", "Zhejiang's own rule"):
        assert english not in out, english


def test_compare_says_what_differs_on_the_first_screen():
    _, text = in_terminal(["compare", "shenzhen", "zhejiang", *AS_OF])
    screen = "\n".join(ANSI.sub("", text).splitlines()[:24])
    assert "rows differ" in screen
    assert "Benefits resume on: shenzhen 2026-09-01; zhejiang 2027-02-01" in screen


def test_a_member_from_a_file_is_not_called_representative():
    out = piped(["evaluate", "shenzhen", "--member", "examples/member.json", *AS_OF])
    assert "Representative" not in out
    assert out.splitlines()[0].startswith("Shenzhen (shenzhen)")


def test_sources_are_folded_to_numbers_unless_asked_for():
    folded = piped(["evaluate", "shenzhen", *AS_OF])
    full = piped(["evaluate", "shenzhen", *AS_OF, "--sources"])
    assert "add --sources" in folded and "深圳市医疗保障办法" not in folded
    assert "深圳市医疗保障办法(深圳市人民政府令第358号)" in full and "add --sources" not in full
    assert len(full.splitlines()) > len(folded.splitlines()) + 20
    # every number a cell points to is listed
    numbers = {int(n) for n in re.findall(r"^• \[(\d+)\]", full, re.M)}
    assert numbers == set(range(1, max(numbers) + 1))


@pytest.mark.parametrize("name", ["evaluate", "compare", "show", "regions", "move"])
def test_piped_output_is_plain_text_without_escape_codes(name):
    out = piped(COMMANDS[name], FORCE_COLOR="")
    assert "\x1b" not in out
    assert all(line == line.rstrip() for line in out.splitlines())
    assert all(cell_len(line) <= 80 for line in out.splitlines())  # no terminal: 80 columns


def test_no_color_is_honoured_in_a_terminal():
    _, coloured = in_terminal(COMMANDS["evaluate"])
    _, plain = in_terminal(COMMANDS["evaluate"], NO_COLOR="1")
    colour = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-7]|9[0-7]|38;[0-9;]+)m")
    assert colour.search(coloured), "the warning and dim styles use colour on a terminal"
    assert not colour.search(plain)


def test_a_narrow_terminal_folds_the_timeline_to_its_width():
    _, text = in_terminal(COMMANDS["timeline"], columns=50, rows=80)
    lines = ANSI.sub("", text).splitlines()
    assert all(cell_len(line) <= 50 for line in lines), [line for line in lines if cell_len(line) > 50][:3]
    assert lines[0].startswith("Covered since 2026-06-01")


@pytest.mark.parametrize("name", ["evaluate", "compare", "show", "regions", "move"])
def test_a_narrow_terminal_gets_one_field_per_line(name):
    _, text = in_terminal(COMMANDS[name], columns=40, rows=60)
    lines = ANSI.sub("", text).splitlines()
    assert all(cell_len(line) <= 40 for line in lines), [line for line in lines if cell_len(line) > 40][:3]
    assert not any("─" * 30 in line for line in lines)  # no table rule: fields are stacked


def test_columns_is_used_when_there_is_no_terminal():
    out = piped(COMMANDS["compare"], COLUMNS="120")
    assert max(cell_len(line) for line in out.splitlines()) > 80
    assert all(cell_len(line) <= 120 for line in out.splitlines())


def test_rates_print_as_percentages_and_json_keeps_the_ratio():
    out = piped(COMMANDS["evaluate"])
    assert re.search(r"Rate\s+2%", out) and "0.02" not in out
    data = json.loads(piped(["evaluate", "shenzhen", *AS_OF, "--format", "json"]))
    assert data["credit"]["rate"] == "0.02"


def test_no_english_label_reads_as_two_items():
    """Lists are joined with commas in running text, so a label holds none."""
    for kind, entries in labels.table().items():
        if kind in ("words", "notes", "errors", "source_titles", "paths"):  # sentences and titles, not list items
            continue
        for code, entry in entries.items():
            assert "," not in entry["en"] and ";" not in entry["en"], (kind, code, entry["en"])


@pytest.mark.parametrize("name", ["show", "regions"])
def test_show_and_regions_speak_chinese(name):
    out = piped([*COMMANDS[name], "--lang", "zh"])
    heading = {"show": "参数", "regions": "代码"}[name]
    assert heading in out
    if name == "regions":
        assert "已加载" in out and "loaded" not in out


def test_markdown_and_json_do_not_import_the_terminal_renderer():
    code = (
        "import sys, runpy\n"
        "from yibao.cli import main\n"
        "for argv in (['evaluate', 'shenzhen', '--format', 'json'], ['compare', 'shenzhen', 'zhejiang', '--format', 'markdown']):\n"
        "    sys.argv = ['policy', *argv]\n"
        "    try:\n"
        "        main()\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print('RICH', sorted(m for m in sys.modules if m == 'rich' or m.startswith('rich.')), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, env=environment(), cwd=ROOT, timeout=60, text=True)
    assert "RICH []" in done.stderr, done.stderr[-500:]


def test_markdown_keeps_its_meaning():
    out = piped(["compare", "shenzhen", "zhejiang", *AS_OF, "--format", "markdown"])
    assert out.startswith("### Comparison — as of 2026-11-22")
    assert "| Lapse and recovery | ≠ | Pooled-fund benefits | yes | no |" in out
    assert "Sources:" in out and "深圳医保转出有余额要求嘛" in out  # sources in full, as before


# --- Chinese for everything we write ourselves -------------------------------------------------

BUILT_IN = ("shenzhen", "jiangxi", "zhejiang")
MEMBERS = [
    {
        "category": "employee",
        "tier": 1,
        "contribution_base": "12000",
        "contributions": [{"from": "2019-01", "to": "2026-02"}, {"from": "2026-08", "to": "2026-12"}],
    },
    {"category": "employee", "tier": 2, "contribution_base": "5000", "contributions": [{"from": "2019-01", "to": "2026-12"}]},
    {"category": "employee", "tier": 1, "contribution_base": "50000"},
    {"category": "employee", "tier": 1},
    {"category": "flexible", "contribution_base": "8000", "contributions": [{"from": "2027-01", "to": "2027-12"}]},
    {"category": "retiree", "pension": "4000"},
]
DATES = ("2020-06-15", "2023-01-01", "2025-10-01", "2026-03-01", "2026-11-22")


def test_every_reason_and_dispute_of_the_built_in_files_has_its_chinese(engine):
    from yibao.plugins import BASELINE

    for code in (BASELINE, *engine.codes()):
        data = engine.layer(code).data
        assert set(data.not_modelled_zh) == set(data.not_modelled), code
        for parameter in data.parameters.values():
            for value in parameter.values:
                for dispute in value.disputed:
                    assert dispute.note_zh, (code, parameter.name)


def test_every_note_a_hook_writes_reads_in_chinese(engine):
    seen = 0
    for region in engine.codes():
        for member in MEMBERS:
            for day in DATES:
                try:
                    data = engine.evaluate(region, member, day).to_dict()
                except yibao.InputError:
                    continue
                for area in ("credit", "lapse", "family", "transfer", "withdrawal"):
                    for text in data[area]["notes"]:
                        seen += 1
                        assert labels.note(text, "zh") != text, text
                    for item in data[area]["not_modelled"]:
                        seen += 1
                        assert item.get("reason_zh") or labels.note(item["reason"], "zh") != item["reason"], item
    assert seen > 20


def test_no_placeholder_reaches_users():
    for path in [ROOT / "core" / "baseline" / "national.toml", *(ROOT / "regions").glob("*/region.toml")]:
        assert "research notes: ?" not in path.read_text(encoding="utf-8"), path


def test_a_tier_2_member_without_an_account_is_shown_no_relatives(engine):
    from yibao.cli.render import evaluation_parts, render_to_text

    member = {"category": "employee", "tier": 2, "contribution_base": "5000", "contributions": [{"from": "2019-01", "to": "2026-12"}]}
    result = engine.evaluate("shenzhen", member, "2026-11-22")
    assert result.credit.has_account is False
    for lang, absent in (("en", "spouse"), ("zh", "配偶")):
        text = render_to_text(evaluation_parts(result.to_dict(), member, lang, representative=False, show_sources=False, width=80), 80)
        assert absent not in text
        assert labels.label("words", "family_no_account", lang) in text


def test_chinese_output_has_no_english_words_of_ours():
    out = piped(["evaluate", "shenzhen", *AS_OF, "--lang", "zh"])
    for english in ("Monthly credit", "Notes", "disputed", "not modelled", "layer", "Sources", "yes", "no ", "Representative"):
        assert english not in out, english


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("rate", "0.02", "2%"),
        ("rate", "0.025", "2.5%"),
        ("credit_rate", "0.08", "8%"),
        ("credit_rate", "the individual 2% plus 30%", "the individual 2% plus 30%"),
        ("monthly_credit", "12000.00", "12,000.00"),
        ("monthly_credit", None, "—"),
        ("grounds", ["death", "transfer_balance_not_movable"], "death\na cross-province move that leaves the balance behind"),
        ("has_account", False, "no"),
    ],
)
def test_values_read_as_people_write_them(field, value, shown):
    from yibao.cli.values import show_value

    assert show_value(field, value, "en") == shown
