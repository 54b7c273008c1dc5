"""Issue 9, the command-line side: ``policy`` never prints a traceback.

Faulty plugins are real installed distributions (``fake_dists``) put on the
``PYTHONPATH`` of a real ``policy`` process; streams are closed, full or broken by the
shell exactly as a user would (``<&-``, ``>&-``, ``>/dev/full``, ``| head``).
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from fake_dists import GOOD_HOOKS, make_dist

SCRIPT = Path(sys.executable).with_name("policy")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-c", "from yibao.cli import main; main()"]
AS_OF = "2026-03-01"


def run(
    args: list[str], cwd: Path, *, site: Path | None = None, env: dict[str, str] | None = None, shell: str = "", stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    """``policy ARGS`` in ``cwd``; ``shell`` is a redirection applied by sh (e.g. ``<&-``)."""
    clean = {key: value for key, value in os.environ.items() if key != "PYTHONPATH" and not key.startswith("YIBAO_")}
    clean.update(LANG="C.UTF-8", PYTHONIOENCODING="utf-8", COLUMNS="200", NO_COLOR="1", TERM="dumb")
    if site is not None:
        clean["PYTHONPATH"] = str(site)
    else:
        clean["YIBAO_LOAD_PLUGINS"] = ""
    clean.update(env or {})
    command = COMMAND + args
    if shell:
        command = ["sh", "-c", f"exec {shlex.join(command)} {shell}"]
    done = subprocess.run(command, cwd=cwd, env=clean, input=stdin, capture_output=True, timeout=60)
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
    )


def one_line_error(result: subprocess.CompletedProcess[str], *expected: str, code: int = 2) -> str:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr
    assert result.returncode == code, (result.returncode, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("policy: error: "), result.stderr
    for text in expected:
        assert text in lines[0], (text, lines[0])
    return lines[0]


def no_traceback(result: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in result.stdout + result.stderr, result.stderr


# --- faulty plugins -------------------------------------------------------------------------


@pytest.fixture
def site(tmp_path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    return folder


def test_a_plugin_that_prints_at_import_leaves_the_json_valid(tmp_path, site):
    noisy = "import sys\nprint('{not json')\nprint('debug', file=sys.stderr)\n" + GOOD_HOOKS
    make_dist(site, "yibao-region-noisy", {"noisy": "fake_noisy"}, hooks=noisy)
    for args in (["regions", "--format", "json"], ["evaluate", "noisy", "--as-of", AS_OF, "--format", "json"]):
        result = run(args, tmp_path, site=site)
        no_traceback(result)
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)  # nothing of the plugin's output in it
        if args[0] == "regions":
            noisy_status = next(item for item in data if item["code"] == "noisy")
            assert noisy_status["status"] == "loaded" and any("{not json" in w for w in noisy_status["warnings"])
        warning_lines = [line for line in result.stderr.splitlines() if line.startswith("policy: warning: ")]
        assert len(warning_lines) == 2 and all("yibao-region-noisy" in line for line in warning_lines)


def test_a_plugin_that_prints_in_a_hook_leaves_the_json_valid(tmp_path, site):
    chatty = GOOD_HOOKS.replace("    rate = params", "    print('computing...')\n    rate = params")
    make_dist(site, "yibao-region-chatty", {"chatty": "fake_chatty"}, hooks=chatty)
    result = run(["compare", "shenzhen", "chatty", "--as-of", AS_OF, "--format", "json"], tmp_path, site=site)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["results"]["chatty"]["credit"]["monthly_credit"] == "600.00"
    assert "computing..." in result.stderr  # shown, but not in the answer


@pytest.mark.parametrize("where", ["import", "hook"])
def test_sys_exit_in_a_plugin_does_not_end_the_command(tmp_path, site, where):
    if where == "import":
        hooks = "import sys\nsys.exit(3)\n"
    else:
        hooks = "import sys\nfrom yibao import hookimpl\n@hookimpl\ndef credit_rate(member, as_of, params):\n    sys.exit(3)\n"
    make_dist(site, "yibao-region-exits", {"exits": "fake_exits"}, hooks=hooks)
    result = run(["compare", "shenzhen", "exits", "zhejiang", "--as-of", AS_OF, "--format", "json"], tmp_path, site=site)
    no_traceback(result)
    assert result.returncode == 1, result.stderr  # a region failed; not the plugin's 3
    data = json.loads(result.stdout)
    assert set(data["results"]) == {"shenzhen", "zhejiang"} and "SystemExit(3)" in data["failures"]["exits"]
    listed = run(["regions", "--format", "json"], tmp_path, site=site)
    assert listed.returncode == 0 and {item["code"] for item in json.loads(listed.stdout)} >= {"exits", "shenzhen"}
    one_line_error(run(["evaluate", "exits", "--as-of", AS_OF], tmp_path, site=site), "'exits'", "SystemExit(3)")


def test_a_bad_decision_is_one_line_not_a_traceback(tmp_path, site):
    hooks = "from yibao import *\n@hookimpl\ndef credit_rate(member, as_of, params):\n    return CreditDecision(has_account=True, monthly_credit=1.5, basis=(params['credit_rate'],))\n"
    make_dist(site, "yibao-region-sloppy", {"sloppy": "fake_sloppy"}, hooks=hooks)
    for fmt in ("json", "table"):
        one_line_error(run(["evaluate", "sloppy", "--as-of", AS_OF, "--format", fmt], tmp_path, site=site), "monthly_credit is float 1.5")
    result = run(["compare", "shenzhen", "sloppy", "--as-of", AS_OF, "--format", "json"], tmp_path, site=site)
    assert result.returncode == 1 and "monthly_credit is float" in json.loads(result.stdout)["failures"]["sloppy"]


def test_a_third_party_shenzhen_is_a_warning_and_the_built_in_answers(tmp_path, site):
    make_dist(site, "yibao-region-usurper", {"shenzhen": "fake_usurper"}, rate="0.50")
    result = run(["evaluate", "shenzhen", "--as-of", AS_OF, "--format", "json"], tmp_path, site=site)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["credit"]["rate"] == "0.02"
    assert result.stderr.splitlines() == [
        "policy: warning: region 'shenzhen': also registered by yibao-region-usurper 1.0: ignored, 'shenzhen' is reserved for the "
        "built-in region of yibao-policy"
    ]


def test_evaluate_national_is_refused_like_compare(tmp_path):
    one_line_error(run(["evaluate", "national", "--as-of", AS_OF], tmp_path), "unknown region 'national'", "baseline")
    one_line_error(run(["show", "national"], tmp_path), "unknown region 'national'")
    one_line_error(run(["compare", "shenzhen", "national"], tmp_path), "unknown region 'national'")


# --- streams and sizes ----------------------------------------------------------------------


def test_full_stdout_is_one_line(tmp_path):
    for args in (["regions"], ["compare", "shenzhen", "zhejiang", "--format", "json"]):
        one_line_error(run(args, tmp_path, shell=">/dev/full"), "cannot write the output", "No space left on device")


def test_closed_stdout_is_one_line(tmp_path):
    one_line_error(run(["regions"], tmp_path, shell=">&-"), "standard output is closed")


def test_closed_stdin_is_one_line(tmp_path):
    one_line_error(run(["evaluate", "shenzhen", "--member", "-"], tmp_path, shell="<&-"), "--member", "standard input is closed")


def test_a_reader_that_goes_away_ends_the_command_quietly(tmp_path):
    """``policy compare ... | head -1``: no traceback, no "Exception ignored", exit 1."""
    process = subprocess.Popen(
        COMMAND + ["compare", "shenzhen", "jiangxi", "zhejiang", "--format", "json"],
        cwd=tmp_path,
        env={**os.environ, "YIBAO_LOAD_PLUGINS": ""},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    process.stdout.close()  # before the command writes anything
    stderr = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=60) == 1
    assert stderr == ""


@pytest.mark.parametrize("source", ["/dev/zero", "big.json", "-"])
def test_a_member_larger_than_1_mib_is_refused(tmp_path, source):
    big = b'{"category": "employee", "extensions": {"x": "' + b"a" * (1024 * 1024) + b'"}}'
    (tmp_path / "big.json").write_bytes(big)
    result = run(["evaluate", "shenzhen", "--member", source], tmp_path, stdin=big if source == "-" else None)
    one_line_error(result, "--member", "larger than 1 MiB")


def test_a_member_just_under_the_limit_is_read(tmp_path):
    head = b'{"category": "employee", "contribution_base": 10000, "extensions": {"x": "'
    tail = b'"}}'
    member = head + b"a" * (1024 * 1024 - len(head) - len(tail)) + tail
    (tmp_path / "m.json").write_bytes(member)
    result = run(["evaluate", "shenzhen", "--member", "m.json", "--as-of", AS_OF, "--format", "json"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["credit"]["monthly_credit"] == "200.00"


def test_validate_refuses_an_endless_file(tmp_path):
    one_line_error(run(["validate", "/dev/zero", "--kind", "region"], tmp_path), "FILE", "larger than 1 MiB")


def test_the_limit_is_in_the_help(tmp_path):
    for command in ("evaluate", "compare", "move", "validate"):
        result = run([command, "--help"], tmp_path)
        assert "1 MiB" in result.stdout, command


# --- environment booleans and names ---------------------------------------------------------


def test_a_strict_flag_that_is_not_a_boolean_is_one_line(tmp_path):
    one_line_error(run(["regions"], tmp_path, env={"YIBAO_STRICT_PLUGINS": "maybe"}), "YIBAO_STRICT_PLUGINS", "'maybe' is not a boolean")


@pytest.mark.parametrize(("raw", "code"), [("false", 1), ("On", 2)])  # every spelling: test_hardening_plugins
def test_strict_flag_spellings_at_the_command_line(tmp_path, site, raw, code):
    make_dist(site, "yibao-region-broken", {"broken": "fake_broken"}, hooks="raise ImportError('nope')\n")
    result = run(["compare", "shenzhen", "broken", "--as-of", AS_OF], tmp_path, site=site, env={"YIBAO_STRICT_PLUGINS": raw})
    no_traceback(result)
    assert result.returncode == code, result.stderr  # 1: compared without it; 2: strict, refused


def test_misspelt_distribution_names_are_one_warning_line_each(tmp_path):
    env = {"YIBAO_LOAD_PLUGINS": "yibao-region-guangzou", "YIBAO_DISABLE_PLUGINS": "yibao-polciy"}
    result = run(["evaluate", "shenzhen", "--as-of", AS_OF, "--format", "json"], tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    json.loads(result.stdout)
    assert result.stderr.splitlines() == [
        "policy: warning: YIBAO_LOAD_PLUGINS names 'yibao-region-guangzou', which no installed distribution registers in "
        "yibao.regions; it has no effect",
        "policy: warning: YIBAO_DISABLE_PLUGINS names 'yibao-polciy', which no installed distribution registers in "
        "yibao.regions; it has no effect",
    ]


# --- new-region ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["foshan", "--name-zh", "佛山\x1f市"], "--name-zh"),
        (["foshan", "--name-en", "Fo\x7fshan"], "--name-en"),
        (["foshan", "--name-en", "Fo\u200bshan"], "--name-en"),  # zero-width space: format character
        (["foshan", "--name-en", 'Fo"shan'], "--name-en"),
        (["national"], "reserved"),
        (["shenzhen"], "reserved"),
        (["zhejiang"], "reserved"),
    ],
    ids=["unit-separator", "delete", "zero-width", "quote", "national", "shenzhen", "zhejiang"],
)
def test_new_region_refuses_names_that_break_toml_and_reserved_codes(tmp_path, args, expected):
    one_line_error(run(["new-region", *args, "--dir", "out"], tmp_path), expected)
    assert not (tmp_path / "out").exists()


def test_new_region_writes_valid_toml_for_a_unicode_name(tmp_path):
    if sys.version_info >= (3, 11):
        import tomllib
    else:
        import tomli as tomllib
    result = run(["new-region", "foshan", "--name-zh", "佛山市", "--name-en", "Fóshān City", "--dir", "out"], tmp_path)
    assert result.returncode == 0, result.stderr
    for toml in (tmp_path / "out").rglob("*.toml"):
        tomllib.loads(toml.read_text(encoding="utf-8"))  # every generated TOML file parses
    region = tomllib.loads(next((tmp_path / "out").rglob("region.toml")).read_text(encoding="utf-8"))
    assert region["region"]["name_zh"] == "佛山市" and region["region"]["name_en"] == "Fóshān City"


def test_a_bug_in_yibao_is_one_line_and_exit_70(monkeypatch, capsys):
    """The last resort: an exception no check foresaw is still one line, marked as ours."""
    import yibao.cli

    def broken() -> None:
        raise RuntimeError("an unforeseen state\nwith a second line")

    monkeypatch.setattr(yibao.cli, "app", broken)
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)  # main() installs its own: undone after
    with pytest.raises(SystemExit) as exited:
        yibao.cli.main()
    assert exited.value.code == 70
    out, err = capsys.readouterr()
    assert out == ""
    assert (
        err
        == "policy: error: internal error: RuntimeError: an unforeseen state with a second line (a bug in yibao-policy: please report it)\n"
    )


@pytest.mark.parametrize(
    "member",
    [
        {"category": "employee", "contributions": [{"from": "2025-01", "base": [1]}]},  # was exit 70 (TypeError: unhashable)
        {"category": "employee", "contributions": [{"from": "2025-01", "base": {"a": 1}}]},
        {"category": "employee", "\udfff": 1},
    ],
    ids=["base-list", "base-object", "surrogate-key"],
)
def test_a_wrong_container_or_a_surrogate_in_a_member_file_is_exit_2(tmp_path, member):
    """Issue 21: every bad input is one line and exit 2, for every field."""
    path = tmp_path / "member.json"
    path.write_text(json.dumps(member), encoding="ascii")  # the surrogate as the JSON escape \\udfff
    result = run(["evaluate", "shenzhen", "--member", str(path), "--as-of", AS_OF, "--format", "json"], tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
