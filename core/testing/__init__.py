"""A conformance kit for region plugins: contract checks and scenario files as data.

In a region package's tests::

    from yibao.testing import RegionContract

    class TestContract(RegionContract):
        region = "foshan"

and scenario files named ``*.scenarios.toml`` are collected as test items by the
``yibao`` pytest plugin (installed with yibao-policy), e.g.::

    region = "foshan"

    [[scenario]]
    name = "tier-1 credit is 2% of the base"
    source = "职工一档医保个人账户划入标准为2%"      # the sentence the case is built from
    as_of = 2026-03-01
    member = { category = "employee", contribution_base = "10000" }
    [scenario.expect]
    "credit.monthly_credit" = "200.00"
    "credit.layer" = "foshan"

Both use an engine that loads the region's own distribution and the built-ins only,
so other plugins installed on the machine never change what a test sees.
"""

from __future__ import annotations

from .contract import RegionContract, engine_for
from .scenarios import Scenario, ScenarioFailure, load_scenarios, run_scenario

__all__ = ["RegionContract", "Scenario", "ScenarioFailure", "engine_for", "load_scenarios", "run_scenario"]
