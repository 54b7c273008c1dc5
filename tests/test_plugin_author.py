"""The plugin author's first hour (issue 12): validate speaks like evaluate, a ratio of 2
is refused, the generated package works where yibao-policy is not on the index."""

from __future__ import annotations

import ast
import json
import re

import pytest

from yibao.checking import check_file
from yibao.errors import InputError, ParameterFileError
from yibao.parameters import parse_region_text
from yibao.scaffold import new_region

BAD_MEMBERS = [
    {"category": "employe"},
    {"category": "employee", "balanse": 1},
    {"category": "employee", "contribution_base": "abc"},
    {"category": "employee", "contributions": [{"from": "2025-13", "to": "2026-02"}]},
    {"category": "employee", "tier": "1"},
    {"categroy": "employee"},
]


@pytest.mark.parametrize("member", BAD_MEMBERS, ids=[json.dumps(m) for m in BAD_MEMBERS])
def test_validate_says_what_evaluate_says(member, tmp_path, evaluate):
    with pytest.raises(InputError) as caught:
        evaluate("shenzhen", member, "2026-03-01")
    path = tmp_path / "member.json"
    path.write_text(json.dumps(member), encoding="utf-8")
    report = check_file(str(path))
    assert str(caught.value) in report.problems, (str(caught.value), report.problems)


REGION = """
[region]
code = "foshan"
name_zh = "佛山市"
name_en = "Foshan"
spec_version = 1

[sources.notice]
title = "t"
publisher = "p"
date = "2026"

[parameters.credit_rate]
description = "Share of the base credited each month."
unit = "ratio"
[[parameters.credit_rate.values]]
from = 2026-01-01
value = VALUE
[[parameters.credit_rate.values.citations]]
source = "notice"
quote = "q"
confidence = "H"
"""


@pytest.mark.parametrize("value", ["2", "1.5", "-0.02", '"2"'])
def test_a_ratio_outside_0_to_1_is_refused(value, tmp_path):
    """A credit rate of 2 (meaning 2%) would credit twice the base: refused when the file
    loads and by policy validate, with the way to write it."""
    text = REGION.replace("VALUE", value)
    with pytest.raises(ParameterFileError, match=r"between 0 and 1 \(2% is written 0.02\)"):
        parse_region_text(text, "region.toml")
    path = tmp_path / "region.toml"
    path.write_text(text, encoding="utf-8")
    [problem] = check_file(str(path)).problems
    assert problem.startswith("parameters.credit_rate.values[0].value: a ratio lies between 0 and 1")


@pytest.mark.parametrize("value", ["0", "0.02", "1"])
def test_a_ratio_from_0_to_1_loads(value):
    data = parse_region_text(REGION.replace("VALUE", value), "region.toml")
    assert str(data.parameters["credit_rate"].values[0].value) == value


def test_by_default_the_generated_region_is_data_alone(tmp_path):
    """No hook in the module: its credit rule is a [rules.credit] table of region.toml."""
    target, _ = new_region("foshan", tmp_path / "pkg")
    package = target / "src" / "yibao_region_foshan"
    tree = ast.parse((package / "__init__.py").read_text(encoding="utf-8"))
    assert not [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.Import, ast.ImportFrom)) and "yibao" in ast.unparse(node)]
    data = parse_region_text((package / "region.toml").read_text(encoding="utf-8"), "region.toml")
    assert data.rules["credit"]["kind"] == "rate_on_base"


def test_the_generated_hook_module_imports_only_from_top_level_yibao(tmp_path):
    target, _ = new_region("foshan", tmp_path / "pkg", python=True)
    assert "[rules." not in (target / "src" / "yibao_region_foshan" / "region.toml").read_text(encoding="utf-8")
    module = target / "src" / "yibao_region_foshan" / "__init__.py"
    tree = ast.parse(module.read_text(encoding="utf-8"))
    sources = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    sources |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    ours = {name for name in sources if name and name.split(".")[0] == "yibao"}
    assert ours == {"yibao"}, ours
    import yibao

    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module == "yibao" for alias in node.names}
    assert names <= set(yibao.__all__), names - set(yibao.__all__)


def test_the_generated_readme_and_ci_install_the_host_first_from_an_override(tmp_path):
    target, _ = new_region("foshan", tmp_path / "pkg")
    readme = (target / "README.md").read_text(encoding="utf-8")
    block = re.search(r"^```sh\n(.*?)^```", readme, re.S | re.M).group(1).splitlines()
    host = block.index('python -m pip install "${YIBAO_POLICY:-yibao-policy}"')
    assert host < block.index('python -m pip install -e ".[test]"')
    ci = (target / ".github" / "workflows" / "ci.yml").read_text(encoding="utf-8")
    assert ci.index("${YIBAO_POLICY:-yibao-policy}") < ci.index('pip install -e ".[test]"')
    assert "vars.YIBAO_POLICY" in ci
