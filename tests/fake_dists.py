"""Fake installed distributions for loading tests: a module plus a ``.dist-info`` with
entry points, in a folder put on ``sys.path`` — what pip would leave behind."""

from __future__ import annotations

import textwrap
from pathlib import Path

REGION_TOML = """
[region]
code = "{code}"
name_zh = "{name_zh}"
name_en = "{name_en}"
spec_version = {spec}

[sources.example]
title = "Example source"
publisher = "Tests"
date = "2026-01-01"

[parameters.credit_rate]
description = "Credited share of the base."
unit = "ratio"
[[parameters.credit_rate.values]]
from = 2026-01-01
value = {rate}
[[parameters.credit_rate.values.citations]]
source = "example"
quote = "an example rate"
confidence = "L"
"""

GOOD_HOOKS = """
from yibao import CreditDecision, hookimpl, to_fen

@hookimpl
def credit_rate(member, as_of, params):
    rate = params["credit_rate"]
    return CreditDecision(has_account=True, monthly_credit=to_fen(member.contribution_base * rate.value),
                          rate=rate.value, basis=(rate,))
"""


def make_dist(
    root: Path,
    distribution: str,
    regions: dict[str, str],
    *,
    version: str = "1.0",
    hooks: str = GOOD_HOOKS,
    rate: str = "0.05",
    spec: int = 1,
) -> None:
    """One distribution shipping ``regions`` ({entry-point name: module name}); each module
    is a package with ``hooks`` as its ``__init__`` and a region.toml."""
    info = root / f"{distribution.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {distribution}\nVersion: {version}\n", encoding="utf-8")
    lines = "\n".join(f"{code} = {module}" for code, module in regions.items())
    (info / "entry_points.txt").write_text(f"[yibao.regions]\n{lines}\n", encoding="utf-8")
    for code, module in regions.items():
        package = root / module
        package.mkdir()
        (package / "__init__.py").write_text(textwrap.dedent(hooks), encoding="utf-8")
        toml = REGION_TOML.format(code=code, name_zh="测试", name_en=code.title(), spec=spec, rate=rate)
        (package / "region.toml").write_text(toml, encoding="utf-8")
