"""The docs say what the code does: hooks documented and tested, codes labelled, examples true."""

from __future__ import annotations

import json
import re
import sys
from datetime import date

import pytest

from yibao import labels
from yibao.areas import HOOKS

from conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HOOK_DOC = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
TESTS = {path.name: path.read_text(encoding="utf-8") for path in (ROOT / "tests").glob("test_*.py") if path.name != "test_docs.py"}


@pytest.mark.parametrize(("area", "hook"), [(area, hook) for area, hook, _ in HOOKS])
def test_every_hook_has_a_reference_section(area, hook):
    section = re.search(rf"^## `{hook}`\n(.*?)(?=^## |\Z)", HOOK_DOC, re.S | re.M)
    assert section, f"docs/hooks.md has no section for {hook}"
    assert "Returns" in section.group(1) and "@hookimpl" in section.group(1), f"the {hook} section needs its return type and an example"


@pytest.mark.parametrize(("area", "hook"), [(area, hook) for area, hook, _ in HOOKS])
def test_every_hook_has_its_precedence_tested(area, hook):
    literal = f'answered_by["{area}"]'
    parametrized = f'("{area}", '  # a row of a table fed to answered_by[area]
    assert any(literal in text or (parametrized in text and "answered_by[area]" in text) for text in TESTS.values()), (
        f"no test checks which layer answers {hook}"
    )


def layer_files():
    return [ROOT / "core" / "baseline" / "national.toml", *sorted((ROOT / "regions").glob("*/region.toml"))]


def codes_in_use():
    found = {"no_account", "arrears", "retired"}  # blockers set by yibao.rules
    for path in layer_files():
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for parameter in data["parameters"].values():
            if parameter["unit"] in ("code", "codes"):
                for value in parameter["values"]:
                    found |= {value["value"]} if isinstance(value["value"], str) else set(value["value"])
    return sorted(found)


@pytest.mark.parametrize("code", codes_in_use())
def test_every_code_in_use_has_chinese_and_english_labels(code):
    kinds = [kind for kind, entries in labels.table().items() if code in entries]
    assert kinds, f"{code!r} has no label in core/data/labels.toml"
    for kind in kinds:
        assert labels.label(kind, code, "zh") and labels.label(kind, code, "en")
        assert labels.label(kind, code, "zh") != code


def test_examples_member_is_the_representative_member():
    shipped = json.loads((ROOT / "core" / "data" / "representative_member.json").read_text(encoding="utf-8"))
    assert json.loads((ROOT / "examples" / "member.json").read_text(encoding="utf-8")) == shipped


def test_what_docs_compare_says_of_the_representative_member(engine):
    """docs/compare.md: on 2026-11-22 Shenzhen's benefits are back since 2026-09-01,
    Zhejiang's return on 2027-02-01."""
    from yibao.cli.inputs import read_member

    comparison = engine.compare(["shenzhen", "zhejiang"], read_member(None), date(2026, 11, 22))
    shenzhen, zhejiang = comparison.results["shenzhen"].lapse, comparison.results["zhejiang"].lapse
    assert (shenzhen.pooled_benefits, shenzhen.pooled_benefits_resume) == (True, date(2026, 9, 1))
    assert (zhejiang.pooled_benefits, zhejiang.pooled_benefits_resume) == (False, date(2027, 2, 1))
    assert shenzhen.gap_months == zhejiang.gap_months == 5
    # "Zhejiang's monthly credit is not modelled … (the ceiling is shown, Shenzhen credits 240.00)"
    zhejiang_credit = comparison.results["zhejiang"].credit
    assert zhejiang_credit.monthly_credit is None and [a.name for a in zhejiang_credit.basis] == ["credit_rate_ceiling"]
    assert str(comparison.results["shenzhen"].credit.monthly_credit) == "240.00"


def test_readme_starts_with_the_two_commands():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    commands = [line for line in lines[:8] if line.startswith("python3 -m venv")]
    assert len(commands) == 2
    assert commands[0].endswith("policy compare shenzhen zhejiang")
    assert commands[1].endswith("python -m pytest")
    assert "python -m pytest" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
