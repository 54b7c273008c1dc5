"""policy validate (every problem, with its location) and policy new-region (a package
that works as generated). The full install-into-a-fresh-venv run is test_e2e_plugin_package."""

from __future__ import annotations

import importlib
import json
import sys
from datetime import date

import pytest

import yibao
from yibao import InputError
from yibao.checking import check_file
from yibao.scaffold import new_region
from yibao.testing.scenarios import load_scenarios, run_scenario

from conftest import ROOT, built_in_plugins


def test_a_valid_region_file_is_valid():
    report = check_file(str(ROOT / "regions" / "shenzhen" / "region.toml"))
    assert report.ok and report.kind == "region" and "code shenzhen" in report.summary


def test_every_problem_of_a_member_is_listed_with_its_place(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"category": "student", "tier": 3, "contributions": [{"to": "2025-13"}], "tpyo": 1}), encoding="utf-8")
    problems = check_file(str(path)).problems
    places = sorted(problem.split(":")[0] for problem in problems)
    # each names the field itself, as policy evaluate does: "from" missing, "to" malformed, the unknown "tpyo"
    assert places == ["category", "contributions[0].from", "contributions[0].to", "tier", "tpyo"]


def test_checks_beyond_the_schema_are_reported(tmp_path):
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"category": "employee", "contributions": [{"from": "2025-06", "to": "2025-01"}]}), encoding="utf-8")
    (problem,) = check_file(str(path)).problems
    assert problem.startswith("contributions[0]:") and "before" in problem


def test_every_unknown_source_in_a_region_file_is_listed(tmp_path):
    text = (ROOT / "regions" / "shenzhen" / "region.toml").read_text(encoding="utf-8").replace('source = "seed-000"', 'source = "seed-0"')
    path = tmp_path / "region.toml"
    path.write_text(text, encoding="utf-8")
    problems = check_file(str(path)).problems
    assert len(problems) == text.count('source = "seed-0"') > 1
    assert all("unknown source 'seed-0'" in problem for problem in problems)


def test_an_unreadable_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        check_file(str(tmp_path / "missing.json"))


# --- new-region ----------------------------------------------------------------------


@pytest.fixture
def generated(tmp_path, monkeypatch):
    target, written = new_region("demo_town", tmp_path / "pkg", name_zh="演示镇")
    monkeypatch.syspath_prepend(str(target / "src"))
    yield target, written
    sys.modules.pop("yibao_region_demo_town", None)


def test_the_package_has_every_part(generated):
    target, written = generated
    names = {path.relative_to(target).as_posix() for path in written}
    assert names == {
        "pyproject.toml",
        "README.md",
        ".gitignore",
        ".github/workflows/ci.yml",
        "src/yibao_region_demo_town/__init__.py",
        "src/yibao_region_demo_town/region.toml",
        "tests/demo_town.scenarios.toml",
        "tests/test_contract.py",
    }
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert "$code" not in text and "$package" not in text, path
    assert 'demo_town = "yibao_region_demo_town"' in (target / "pyproject.toml").read_text(encoding="utf-8")
    assert "${{ matrix.python }}" in (target / ".github/workflows/ci.yml").read_text(encoding="utf-8")


def test_the_generated_parameter_file_is_valid(generated):
    target, _ = generated
    report = check_file(str(target / "src" / "yibao_region_demo_town" / "region.toml"))
    assert report.ok, report.problems


def test_the_generated_plugin_answers_and_its_scenarios_pass(generated):
    target, _ = generated
    plugin = importlib.import_module("yibao_region_demo_town")
    engine = yibao.PolicyEngine({"demo_town": plugin, **built_in_plugins()}, entry_points=False)  # (its [[move]] comes from shenzhen)
    result = engine.evaluate("demo_town", {"category": "employee", "contribution_base": "10000"}, date(2026, 3, 1))
    assert result.answered_by["credit"] == "demo_town" and result.answered_by["lapse"] == "national"
    assert result.region_name == ("演示镇", "Demo Town")
    for scenario in load_scenarios(target / "tests" / "demo_town.scenarios.toml"):
        run_scenario(scenario, engine)


@pytest.mark.parametrize("code", ["Demo", "1town", "demo-town", "", "demo.town"])
def test_a_bad_code_is_refused(tmp_path, code):
    with pytest.raises(InputError) as raised:
        new_region(code, tmp_path / "x")
    assert raised.value.path == "CODE"


def test_an_existing_non_empty_directory_is_not_overwritten(tmp_path):
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="not an empty directory"):
        new_region("demo", tmp_path)
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_a_unit_that_disagrees_with_the_baseline_is_reported(tmp_path):
    text = (ROOT / "regions" / "shenzhen" / "region.toml").read_text(encoding="utf-8")
    text = text.replace(
        '[parameters.long_gap_wait_months]\ndescription = "(a) After a long unpaid gap, pooled benefits return on the 1st of the month after the month payment resumes."\nunit = "months"',
        '[parameters.long_gap_wait_months]\ndescription = "x"\nunit = "days"',
    )
    path = tmp_path / "region.toml"
    path.write_text(text, encoding="utf-8")
    (problem,) = check_file(str(path)).problems
    assert problem.startswith("parameters.long_gap_wait_months.unit:") and "'months'" in problem


@pytest.mark.parametrize(("option", "names"), [("--name-en", {"name_en": 'Q "Quote"'}), ("--name-zh", {"name_zh": "a\\nb"})])
def test_names_that_would_break_the_generated_files_are_refused(tmp_path, option, names):
    with pytest.raises(InputError) as raised:
        new_region("demo", tmp_path / "x", **names)
    assert raised.value.path == option and not (tmp_path / "x").exists()


def test_an_unwritable_directory_is_an_input_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="cannot write into"):
        new_region("demo", blocker / "pkg")
