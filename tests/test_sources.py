"""Every quote in every parameter file is really in the source it names.

The seed pages (shared/seeds) and the research notes (shared/research) sit beside the
repository; a quote may elide with "…" or "……", and white space is ignored.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

from conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

SHARED = Path(os.environ.get("YIBAO_SHARED") or ROOT.parent / "shared")  # beside the clone, or where the variable says
FILES = sorted([ROOT / "core" / "baseline" / "national.toml", *(ROOT / "regions").glob("*/region.toml")])
FOUND = ROOT / "research" / "pages-found.md"  # pages the project's search found, with the passages quoted


def found_pages() -> dict[str, str]:
    """Address -> the passages research/pages-found.md records for it."""
    out: dict[str, str] = {}
    for section in re.split(r"^## ", FOUND.read_text(encoding="utf-8"), flags=re.M)[1:]:
        address, _, body = section.partition("\n")
        out[address.strip()] = "\n".join(line[2:] for line in body.splitlines() if line.startswith("> "))
    return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def corpus_for(source_id: str, source: dict) -> tuple[str, str]:
    """(name, text) of the document a source is quoted from."""
    seed = re.fullmatch(r"seed-(\d{3})", source_id)
    if seed:
        path = next((SHARED / "seeds").glob(f"{seed.group(1)}_*.txt"))
        return path.name, path.read_text(encoding="utf-8")
    if "research notes" in source["publisher"]:
        path = SHARED / "research" / "rules-research.md"
        return path.name, path.read_text(encoding="utf-8")
    recorded = found_pages().get(source.get("url", ""))
    if recorded:
        return FOUND.name, recorded
    raise AssertionError(f"source {source_id!r} is neither a seed page, summarised in the research notes, nor in {FOUND.name}")


def citations(data: dict):
    for name, parameter in data["parameters"].items():
        for i, value in enumerate(parameter["values"]):
            for entry in [*value["citations"], *value.get("disputed", [])]:
                yield f"{name}.values[{i}]", entry


def cases():
    for path in FILES:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for where, entry in citations(data):
            yield pytest.param(data["sources"], entry, id=f"{path.parent.name}:{where}:{entry['source']}")


@pytest.fixture(scope="module", autouse=True)
def _shared_present():
    if not (SHARED / "seeds").is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SHARED} is missing: CI must run with shared/ beside the clone")
        pytest.skip(f"{SHARED} is not beside this checkout")


@pytest.mark.parametrize(("sources", "entry"), list(cases()))
def test_quote_is_in_its_source(sources, entry):
    name, text = corpus_for(entry["source"], sources[entry["source"]])
    haystack = _squash(text)
    position = 0
    for part in re.split(r"…+", entry["quote"]):
        needle = _squash(part)
        if not needle:
            continue
        found = haystack.find(needle, position)
        assert found >= 0, f"{part!r} is not in {name}"
        position = found + len(needle)


def test_every_file_is_checked():
    assert any(path.parent.name == "shenzhen" for path in FILES)
    assert FILES[0].name == "national.toml"


# --- primary sources first (issue 13, item 8) -----------------------------------------

PRIMARY = [
    # (file, parameter, value index, the official text as the research notes quote it, confidence)
    ("core/baseline/national.toml", "credit_rate_ceiling", 0, "原则上控制在本人参保缴费基数的2%以内", "M"),
    ("core/baseline/national.toml", "long_gap_wait_ceiling_months", 0, "设置不超过6个月的待遇享受等待期", "M"),
    ("regions/shenzhen/region.toml", "short_gap_wait_months", 0, "缴交医疗保险费次月1日起享受", "M"),
    ("core/baseline/national.toml", "retirees_transferable", 0, "不含退休人员", "H"),
    ("core/baseline/national.toml", "family_relations", 0, "本人及其配偶、父母、子女", "M"),
    ("core/baseline/national.toml", "family_relations", 1, "支持职工医保个人账户用于支付参保人员近亲属", "M"),
    ("core/baseline/national.toml", "balance_moves_with_relationship", 0, "同时划转职工医保个人账户余额", "M"),
    ("regions/shenzhen/region.toml", "tier1_credit_rate", 0, "一档的,以缴费基数的8%按月缴费", "H"),
    ("regions/shenzhen/region.toml", "flexible_tier1_only", 0, "灵活就业人员参加职工基本医疗保险一档", "H"),
    ("regions/shenzhen/region.toml", "base_floor", 1, "缴费基数下限为6727元", "H"),
    ("regions/shenzhen/region.toml", "base_cap", 1, "上限为33633元", "H"),
]


@pytest.mark.parametrize(("path", "name", "index", "fragment", "confidence"), PRIMARY, ids=lambda v: str(v)[:30])
def test_the_official_text_is_cited_first(path, name, index, fragment, confidence):
    """Where the notes quote an official text, it is the value's first citation, with H or
    M, and the secondary pages stay beside it."""
    data = tomllib.loads((ROOT / path).read_text(encoding="utf-8"))
    cited = data["parameters"][name]["values"][index]["citations"]
    assert fragment in cited[0]["quote"] and cited[0]["confidence"] == confidence
    assert len(cited) > 1, "the secondary sources are kept beside the primary one"
