"""End to end, for real: ``policy new-region`` writes a package that installs with pip
into a fresh virtual environment beside yibao-policy, passes its own tests and is
evaluated and compared by the ``policy`` of that environment; a second package that
fails at import is reported as failed while every other region keeps working.

Slow (a venv and a pip install from PyPI: tens of seconds); the environment is built
once per module and shared by the small tests below.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

TIMEOUT = 600  # seconds for each venv / pip / pytest step
GOOD, GOOD_DIST = "demo_town", "yibao-region-demo-town"
BROKEN, BROKEN_DIST = "broken_town", "yibao-region-broken-town"
AS_OF = "2026-03-01"
# What pip must not copy from the working tree: VCS data, build leftovers, caches, venvs.
NOT_SHIPPED = shutil.ignore_patterns(".git", "build", "dist", "*.egg-info", "__pycache__", ".*cache", ".venv", ".ci-venv", ".tox")


@attrs.frozen
class Done:
    """A finished command: its exit code and both streams, as text."""

    returncode: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


@attrs.frozen
class Venv:
    root: Path
    env: dict[str, str]
    packages: Path  # where the generated packages are written

    @property
    def bin(self) -> Path:
        return self.root / "bin"

    @property
    def python(self) -> Path:
        return self.bin / "python"

    def run(self, *args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> Done:
        """Run a command of this environment; no traceback may reach stderr, ever."""
        done = run([str(a) for a in args], cwd=cwd, env={**self.env, **(env or {})})
        assert "Traceback" not in done.stderr, f"{args}: traceback on stderr:\n{done.stderr}"
        return done

    def policy(self, *args: str, env: dict[str, str] | None = None) -> Done:
        return self.run(self.bin / "policy", *args, cwd=self.packages, env=env)

    def pip_install(self, *requirements: str | Path) -> None:
        done = self.run(self.python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *requirements)
        assert done.returncode == 0, f"pip install failed:\n{done.stdout}\n{done.stderr}"


def run(args: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> Done:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=TIMEOUT, check=False)
    return Done(done.returncode, done.stdout, done.stderr)


def clean_environment() -> dict[str, str]:
    """This process's environment without anything that would leak into the new venv:
    PYTHONPATH, PYTHONHOME, the active venv and every YIBAO_* control."""
    env = {
        name: value
        for name, value in os.environ.items()
        if name not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV") and not name.startswith("YIBAO_")
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def new_region(code: str, target: Path, env: dict[str, str]) -> None:
    """``policy new-region CODE --dir TARGET`` with the ``policy`` of the interpreter running the tests."""
    policy = Path(sys.executable).with_name("policy")
    done = run([str(policy), "new-region", code, "--dir", str(target)], env=env)
    assert done.returncode == 0 and "Traceback" not in done.stderr, f"new-region {code}:\n{done.stdout}\n{done.stderr}"
    assert (target / "pyproject.toml").is_file()


def by_code(done: Done) -> dict[str, dict]:
    assert done.returncode == 0, done.stderr
    return {row["code"]: row for row in done.json()}


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Venv:
    """A fresh venv (no system site packages) made by the commands of the generated
    ``demo_town`` package's README, holding yibao-policy (from this checkout) and it."""
    if importlib.util.find_spec("venv") is None or importlib.util.find_spec("ensurepip") is None:
        pytest.skip(f"`{sys.executable} -m venv` is unavailable (no venv/ensurepip module): cannot build a fresh environment")
    tmp = tmp_path_factory.mktemp("e2e")
    env = clean_environment()
    # A copy of the working tree, so that pip's in-tree build leaves nothing in the repo.
    source = tmp / "yibao-policy"
    shutil.copytree(ROOT, source, ignore=NOT_SHIPPED)
    packages = tmp / "packages"
    packages.mkdir()
    new_region(GOOD, packages / "pkg-good", env)

    # The generated README's commands, verbatim, as its author would paste them: they make
    # the venv, install the host from YIBAO_POLICY (yibao-policy is not on the index as
    # this checkout), the package with its test extra, and run its tests, validate,
    # evaluate and compare. `python3` is the interpreter running these tests.
    good = packages / "pkg-good"
    commands = readme_commands(good / "README.md")
    assert 'pip install "${YIBAO_POLICY:-yibao-policy}"' in commands and "python -m pytest" in commands
    path = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    done = run(["bash", "-e", "-o", "pipefail", "-c", commands], cwd=good, env={**env, "PATH": path, "YIBAO_POLICY": str(source)})
    assert done.returncode == 0, f"the README's commands failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    assert "Traceback" not in done.stderr, done.stderr
    assert re.search(r"\b\d+ passed\b", done.stdout), done.stdout[-2000:]
    assert "valid region file" in done.stdout

    root = good / ".venv"
    env = {**env, "VIRTUAL_ENV": str(root), "PATH": os.pathsep.join([str(root / "bin"), env.get("PATH", "")])}
    # pyvenv.cfg records the choice: the new venv must not see the test runner's packages.
    assert "include-system-site-packages = false" in (root / "pyvenv.cfg").read_text(encoding="utf-8")
    return Venv(root, env, packages)


def readme_commands(readme: Path) -> str:
    """The first ```sh block of a generated README."""
    found = re.search(r"^```sh\n(.*?)^```", readme.read_text(encoding="utf-8"), re.S | re.M)
    assert found, f"{readme} has no sh block"
    return found.group(1)


@pytest.fixture(scope="module")
def with_broken(venv: Venv) -> Venv:
    """The same venv, plus a generated ``broken_town`` package whose module raises at import."""
    target = venv.packages / "pkg-broken"
    new_region(BROKEN, target, venv.env)
    module = target / "src" / "yibao_region_broken_town" / "__init__.py"
    text = module.read_text(encoding="utf-8")
    future = "from __future__ import annotations\n"
    assert future in text  # the raise goes after it: a __future__ import must come first
    module.write_text(text.replace(future, future + 'raise ImportError("simulated missing dependency")\n', 1), encoding="utf-8")
    venv.pip_install(target)
    return venv


# --- the generated package, installed ------------------------------------------------


def test_the_generated_package_passes_its_own_tests(venv: Venv):
    done = venv.run(venv.python, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=venv.packages / "pkg-good")
    assert done.returncode == 0, f"{done.stdout}\n{done.stderr}"
    summary = done.stdout.strip().splitlines()[-1]
    assert re.search(r"\b\d+ passed\b", summary), summary
    assert not re.search(r"\b(failed|errors?)\b", summary), summary


def test_policy_regions_lists_it_as_loaded(venv: Venv):
    row = by_code(venv.policy("regions", "--format", "json"))[GOOD]
    assert row["status"] == "loaded", row
    assert row["distribution"] == GOOD_DIST and row["version"] == "0.1.0"
    assert row["spec_version"] == 1 and row["reason"] == ""


def test_policy_evaluate_answers_from_the_new_layer(venv: Venv):
    done = venv.policy("evaluate", GOOD, "--as-of", AS_OF, "--format", "json")
    assert done.returncode == 0, done.stderr
    result = done.json()
    assert result["region"] == GOOD and result["layers"] == ["national", GOOD]
    assert result["credit"]["layer"] == GOOD
    assert result["lapse"]["layer"] == "national"  # the template's other hooks defer


def test_policy_compare_puts_it_beside_a_built_in(venv: Venv):
    done = venv.policy("compare", "shenzhen", GOOD, "--format", "json")
    assert done.returncode == 0, done.stderr
    comparison = done.json()
    assert set(comparison["results"]) == {"shenzhen", GOOD}
    assert not comparison["failures"]


# --- a broken package beside it ----------------------------------------------------


def test_a_failing_import_is_listed_as_failed_with_a_one_line_reason(with_broken: Venv):
    listed = by_code(with_broken.policy("regions", "--format", "json"))
    row = listed[BROKEN]
    assert row["status"] == "failed", row
    assert row["distribution"] == BROKEN_DIST
    assert "ImportError" in row["reason"] and "simulated missing dependency" in row["reason"]
    assert "\n" not in row["reason"]
    assert listed[GOOD]["status"] == "loaded"  # the others keep working
    # The table marks it failed on its line; the reason follows, with the distribution.
    table = with_broken.policy("regions")
    assert table.returncode == 0, table.stderr
    [line] = [line for line in table.stdout.splitlines() if line.startswith(BROKEN)]
    assert BROKEN_DIST in line and "failed" in line and max(map(len, table.stdout.splitlines())) <= 80
    text = " ".join(table.stdout.split())
    assert f"• {BROKEN} ({BROKEN_DIST} 0.1.0): import failed: ImportError: simulated missing dependency" in text


def test_comparisons_without_the_broken_region_are_untouched(with_broken: Venv):
    done = with_broken.policy("compare", "shenzhen", "zhejiang", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert set(done.json()["results"]) == {"shenzhen", "zhejiang"}
    assert done.stderr == ""


def test_comparing_with_the_broken_region_exits_1_and_reports_it(with_broken: Venv):
    done = with_broken.policy("compare", "shenzhen", BROKEN, "--format", "json")
    assert done.returncode == 1, done.stderr
    comparison = done.json()
    assert set(comparison["results"]) == {"shenzhen"}
    assert set(comparison["failures"]) == {BROKEN}
    assert BROKEN_DIST in comparison["failures"][BROKEN] and "ImportError" in comparison["failures"][BROKEN]
    [line] = done.stderr.splitlines()
    assert BROKEN in line and "ImportError" in line


def test_strict_mode_makes_the_failure_fatal(with_broken: Venv):
    done = with_broken.policy("regions", env={"YIBAO_STRICT_PLUGINS": "1"})
    assert done.returncode == 2, done.stdout
    [line] = done.stderr.splitlines()
    assert BROKEN in line and BROKEN_DIST in line and "ImportError" in line


def test_a_disabled_distribution_is_listed_as_disabled(with_broken: Venv):
    done = with_broken.policy("regions", "--format", "json", env={"YIBAO_DISABLE_PLUGINS": BROKEN_DIST})
    listed = by_code(done)
    assert listed[BROKEN]["status"] == "disabled" and listed[BROKEN]["distribution"] == BROKEN_DIST
    assert listed[GOOD]["status"] == "loaded"
    assert done.stderr == ""
