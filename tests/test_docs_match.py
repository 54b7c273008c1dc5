"""The guides say what the code does (issue 19): docs/plugins.md's hooks, parameter file
and [[move]] scenario, built into a region as a reader would, answer what the guide says;
docs/batch.md shows what its call returns; the README says why the quote checks skip."""

from __future__ import annotations

import importlib
import re
import sys
from datetime import date

from conftest import ROOT

PLUGINS = (ROOT / "docs" / "plugins.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def block(text: str, lang: str, containing: str) -> str:
    found = [b for b in re.findall(rf"^```{lang}\n(.*?)^```", text, re.S | re.M) if containing in b]
    assert len(found) == 1, f"one ```{lang} block with {containing!r}"
    return found[0]


def test_the_template_defers_retirees_as_the_guide_says():
    template = (ROOT / "core" / "data" / "python_hooks" / "__init__.py.tmpl").read_text(encoding="utf-8")  # new-region --python
    credit = template[template.index("def credit_rate") : template.index("def lapse_effect")]
    assert 'member.category == "retiree"' in credit.split("return None")[0]  # the branch that defers
    assert "not_modelled" not in credit  # the not-modelled answer is the guide's next step, not the template's
    assert "defers retirees" in PLUGINS


def test_the_guides_region_answers_its_move_scenario(tmp_path, monkeypatch):
    """Section 1's package, section 2's parameter, section 3's transfer_in: the [[move]] of
    section 6 expects what the engine answers."""
    import tomllib

    from yibao import PolicyEngine
    from yibao.scaffold import new_region

    target, _ = new_region("foshan", tmp_path / "pkg", name_en="Foshan", name_zh="佛山市", python=True)
    package = target / "src" / "yibao_region_foshan"
    toml = block(PLUGINS, "toml", "[parameters.long_gap_wait_months]") + "\n" + block(PLUGINS, "toml", "[parameters.transfer_in_wait_months]")
    (package / "region.toml").write_text((package / "region.toml").read_text(encoding="utf-8") + "\n" + toml, encoding="utf-8")
    hook = block(PLUGINS, "python", "def transfer_in")
    with open(package / "__init__.py", "a", encoding="utf-8") as handle:
        handle.write("\n\n" + hook.replace('CODE = "foshan"\n', ""))
    monkeypatch.syspath_prepend(str(target / "src"))
    sys.modules.pop("yibao_region_foshan", None)
    module = importlib.import_module("yibao_region_foshan")
    scenario = tomllib.loads(block(PLUGINS, "toml", "[[move]]"))["move"][0]
    engine = PolicyEngine(plugins={"foshan": module}, load=[])  # the built-ins and the guide's region
    data = engine.move(scenario["from"], "foshan", scenario["member"], scenario["on"]).to_dict()
    for path, expected in scenario["expect"].items():
        value = data
        for key in path.split("."):
            value = value[key]
        assert value == (expected.isoformat() if isinstance(expected, date) else expected), path


def test_the_readme_says_why_quote_checks_skip_and_how_to_run_them():
    assert "YIBAO_SHARED" in README and "tests/test_sources.py" in README
    contributing = (ROOT / "docs" / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "YIBAO_SHARED" in contributing


def test_install_lines_work_from_a_clone():
    """Every `pip install "yibao-policy[...]"` in the README says how to install from a clone."""
    for extra in re.findall(r'pip install "yibao-policy\[(\w+)\]"', README):
        assert f'pip install ".[{extra}]"' in README, extra


def test_every_parameter_and_topic_has_a_label():
    """`policy show --lang zh` names every built-in parameter and not-modelled topic in Chinese."""
    import glob
    import tomllib

    from yibao import labels

    for path in [ROOT / "core" / "baseline" / "national.toml", *map(type(ROOT), glob.glob(str(ROOT / "regions" / "*" / "region.toml")))]:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for name in [*data["parameters"], *data.get("not_modelled", {})]:
            assert labels.parameter(name, "zh") != name, f"{path.parent.name}: {name} has no label in labels.toml"
            assert re.search(r"[\u4e00-\u9fff]", labels.parameter(name, "zh")), name
