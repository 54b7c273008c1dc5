"""The TOML examples of docs/data.md are valid parameter files (or fragments of one) and
mean what the text says: a ceiling is flagged, an uncertain start is flagged."""

from __future__ import annotations

import re
from datetime import date

import pytest

from yibao.parameters import parse_region_text

from conftest import ROOT

DOC = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```toml\n(.*?)```", DOC, re.S)


def as_file(block: str) -> str:
    """A fragment gets a [region] table and a source for every id it cites."""
    if block.lstrip().startswith("[region]"):
        return block
    head = '[region]\ncode = "doc"\nname_zh = "文档"\nname_en = "Doc"\nspec_version = 1\n'
    for source in sorted(set(re.findall(r'source = "([^"]+)"', block)) or {"doc"}):
        head += f'\n[sources.{source}]\ntitle = "t"\npublisher = "p"\ndate = "2025"\n'
    if "[parameters." not in block:  # a fragment of [rules] alone
        head += "\n[parameters]\n"
    return head + "\n" + block


def test_the_doc_has_its_examples():
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: b.split("\n", 1)[0])
def test_every_toml_example_loads(block):
    parse_region_text(as_file(block), "docs/data.md")


def test_the_examples_flag_what_the_text_says():
    parsed = [parse_region_text(as_file(block), "docs/data.md") for block in BLOCKS]
    applied = {}
    for data in parsed:
        applied.update(data.applied(date(2026, 3, 1)))
    assert applied["account_usable_during_lapse"].start_uncertain is True
    assert applied["long_gap_wait_ceiling_months"].ceiling is True
    assert "long_gap_wait_months" not in applied  # declared, no value
