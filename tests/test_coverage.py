"""The coverage map: what each region models on a date, and README.md's region list, which
is generated from it (this test keeps the two equal)."""

from __future__ import annotations

import json
import re
from datetime import date

import yibao
from yibao.coverage import coverage, markdown

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_region_list_is_the_coverage_map(engine):
    found = re.search(r"<!-- coverage: policy coverage --as-of (\S+) --format markdown --lang en -->\n(.*?)<!-- /coverage -->", README, re.S)
    assert found, "README.md has no generated coverage block"
    expected = markdown(coverage(engine, date.fromisoformat(found.group(1))), "en")
    assert found.group(2) == expected, "README.md's region list is stale: regenerate it with the command in its marker"


def test_each_area_names_its_layer_confidence_and_uncertainties(engine):
    result = {region.code: region for region in coverage(engine, date(2026, 12, 10)).regions}
    assert set(result) == {"shenzhen", "jiangxi", "zhejiang", "nanchang", "hangzhou", "guangdong", "guangzhou"}
    credit = {area.area: area for area in result["guangzhou"].areas}["credit"]
    assert (credit.modelled, credit.layer, credit.confidence) == (False, "national", "M")  # only the 14号 ceiling: not modelled
    withdrawal = {area.area: area for area in result["guangzhou"].areas}["withdrawal"]
    assert (withdrawal.modelled, withdrawal.layer, withdrawal.confidence) == (True, "guangzhou", "L")
    assert withdrawal.uncertain_starts == ("withdrawal_grounds",)
    shenzhen = {area.area: area for area in result["shenzhen"].areas}
    assert "withdrawal_grounds" in shenzhen["withdrawal"].disputed
    assert result["shenzhen"].layers == ("national", "guangdong", "shenzhen")


def test_a_value_past_its_last_date_is_stale_on_a_later_date(engine):
    """Shenzhen's 2026 base limits run to 2026-12-31 ("自2026年1月1日起至2026年12月31日止")."""
    shenzhen = next(region for region in coverage(engine, date(2027, 3, 1)).regions if region.code == "shenzhen")
    credit = next(area for area in shenzhen.areas if area.area == "credit")
    assert set(credit.stale) == {"base_floor", "base_cap"}


def test_a_third_party_region_is_listed_like_a_built_in(tmp_path):
    from test_vocabulary import data_only, region

    engine = yibao.PolicyEngine({"toy": data_only(region(tmp_path))}, entry_points=False)
    toy = next(item for item in coverage(engine, date(2026, 3, 1)).regions if item.code == "toy")
    credit = next(area for area in toy.areas if area.area == "credit")
    assert (credit.modelled, credit.layer, credit.confidence) == (True, "toy", "L")


def test_the_cli_prints_the_map_in_three_formats(tmp_path):
    from test_cli import run

    table = run(["coverage", "--as-of", "2026-12-10"], tmp_path, columns=80)
    assert table.returncode == 0 and table.stdout.startswith("On 2026-12-10, ")
    assert max(len(line) for line in table.stdout.splitlines()) <= 80
    data = json.loads(run(["coverage", "--as-of", "2026-12-10", "--format", "json"], tmp_path).stdout)
    assert data["as_of"] == "2026-12-10" and {r["code"] for r in data["regions"]} >= {"guangdong", "guangzhou"}
    assert run(["coverage", "--as-of", "2026-12-10", "--format", "markdown", "--lang", "zh"], tmp_path).stdout.startswith("| 地区 |")
    bad = run(["coverage", "--as-of", "2026-13-01"], tmp_path)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and bad.stderr.count("\n") == 1
