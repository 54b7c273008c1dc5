"""Rule coverage in the conformance kit: ``pytest --yibao-coverage`` and
``--yibao-coverage-fail-under PERCENT`` report, per region layer, the parameters and
named steps its scenarios reached and the ones they never did."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

import yibao
from yibao.scaffold import new_region
from yibao.testing.coverage import Coverage, declared_steps, report
from yibao.testing.scenarios import load_scenarios, run_scenario

from conftest import built_in_plugins

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def generated(tmp_path, monkeypatch):
    target, _ = new_region("demo_town", tmp_path / "pkg", name_zh="演示镇")
    monkeypatch.syspath_prepend(str(target / "src"))
    yield target
    sys.modules.pop("yibao_region_demo_town", None)


def test_the_scaffolds_scenarios_reach_its_parameter_and_its_named_step(generated):
    """The scaffold writes a region of data alone: its rule is a library kind, which
    names its own steps, so the region declares none and its parameter is all to reach."""
    plugin = importlib.import_module("yibao_region_demo_town")
    assert declared_steps(plugin) == ()
    engine = yibao.PolicyEngine({"demo_town": plugin, **built_in_plugins()}, entry_points=False)
    coverage = Coverage()
    for scenario in load_scenarios(generated / "tests" / "demo_town.scenarios.toml"):
        run_scenario(scenario, engine)
        coverage.record(engine, scenario)
    figures = {item.layer: item for item in coverage.layers()}
    demo = figures["demo_town"]
    assert demo.parameters == ("credit_rate",) and demo.reached_parameters == {"credit_rate"}
    assert demo.steps == () and demo.percent == 100
    assert "--yibao-coverage-fail-under 100" in (generated / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")


def test_a_parameter_no_scenario_reads_is_listed_as_never_reached(engine):
    coverage = Coverage()
    employee = next(s for s in load_scenarios(ROOT / "tests" / "scenarios" / "shenzhen.scenarios.toml") if not s.raises and s.kind == "evaluate")
    run_scenario(employee, engine)
    coverage.record(engine, employee)
    shenzhen = next(item for item in coverage.layers() if item.layer == "shenzhen")
    parameters, _ = shenzhen.never()
    assert parameters and set(parameters) | shenzhen.reached_parameters == set(shenzhen.parameters)
    assert shenzhen.percent == pytest.approx(100 * len(shenzhen.reached_parameters) / len(shenzhen.parameters))
    lines = report([shenzhen])
    assert lines[0].startswith("shenzhen: ") and any(line.startswith("  never reached: parameters: ") for line in lines)
    assert all(len(line) <= 80 for line in lines)


SCENARIO = """
region = "shenzhen"

[[scenario]]
name = "a tier-1 employee: 2% of the base (no retiree, no gap: some rules never reached)"
as_of = 2026-03-01
member = { category = "employee", contribution_base = "10000" }
[scenario.expect]
"credit.monthly_credit" = "200.00"
"""


@pytest.mark.parametrize(("floor", "code"), [("1", 0), ("100", 1)])
def test_fail_under_fails_the_run_below_the_floor(tmp_path, floor, code):
    (tmp_path / "shenzhen.scenarios.toml").write_text(SCENARIO, encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("YIBAO_") and key != "PYTHONPATH"}
    env["YIBAO_LOAD_PLUGINS"] = ""  # the built-in regions only
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--yibao-coverage-fail-under", floor, str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == code, done.stdout[-2000:] + done.stderr[-2000:]
    assert "yibao rule coverage" in done.stdout and "shenzhen: " in done.stdout and "1 passed" in done.stdout
    assert "never reached: parameters: " in done.stdout
    failed = [line for line in done.stdout.splitlines() if line.startswith("FAIL: below 100%: ")]
    assert bool(failed and "shenzhen" in failed[0]) == (code == 1)
