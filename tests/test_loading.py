"""Loading third-party regions: failures reported per plugin, controls, laziness, overlays.

Each test installs fake distributions into a temporary folder on ``sys.path`` (see
``fake_dists``), so entry-point discovery sees them exactly as it would see pip's work.
"""

from __future__ import annotations

import importlib
import sys
from decimal import Decimal

import pytest

import yibao
from yibao import PluginError

from fake_dists import make_dist

MEMBER = {"category": "employee", "contribution_base": "10000"}
AS_OF = "2026-03-01"


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A folder on sys.path where fake distributions are 'installed'."""
    monkeypatch.syspath_prepend(str(tmp_path))
    before = set(sys.modules)
    yield tmp_path
    importlib.invalidate_caches()
    for name in set(sys.modules) - before:
        if name.startswith("fake_"):
            del sys.modules[name]


def engine(**options) -> yibao.PolicyEngine:
    return yibao.PolicyEngine(**options)


def statuses(e: yibao.PolicyEngine) -> dict[str, yibao.RegionStatus]:
    return {status.code: status for status in e.regions()}


def test_a_plugin_that_fails_to_import_is_reported_and_the_others_work(site):
    make_dist(site, "yibao-region-broken", {"broken": "fake_broken"}, hooks="raise ImportError('needs numpy 9')")
    make_dist(site, "yibao-region-good", {"good": "fake_good"})
    e = engine()
    listed = statuses(e)
    assert listed["broken"].status == "failed"
    assert listed["broken"].distribution == "yibao-region-broken" and listed["broken"].version == "1.0"
    assert "import failed: ImportError: needs numpy 9" in listed["broken"].reason
    assert listed["good"].status == "loaded" and listed["shenzhen"].status == "loaded"
    assert e.evaluate("good", MEMBER, AS_OF).credit.monthly_credit == Decimal("500.00")
    with pytest.raises(PluginError) as raised:
        e.evaluate("broken", MEMBER, AS_OF)
    assert "yibao-region-broken 1.0" in str(raised.value)


@pytest.mark.parametrize(
    ("hooks", "reason"),
    [
        ("from yibao import hookimpl\n@hookimpl\ndef lapse_efect(member, as_of, params):\n    return None\n", "lapse_efect"),
        ("from yibao import hookimpl\n@hookimpl\ndef credit_rate(member, as_of, params, salary):\n    return None\n", "salary"),
    ],
    ids=["misspelt-hook", "argument-not-in-spec"],
)
def test_a_plugin_that_breaks_the_specs_is_reported_at_load(site, hooks, reason):
    make_dist(site, "yibao-region-typo", {"typo": "fake_typo"}, hooks=hooks)
    listed = statuses(engine())
    assert listed["typo"].status == "failed" and reason in listed["typo"].reason
    assert "\n" not in listed["typo"].reason


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("    raise KeyError('tier')\n", "credit_rate raised KeyError"),
        ("    return 42\n", "returned int, expected CreditDecision"),
    ],
    ids=["raises", "wrong-type"],
)
def test_a_plugin_that_misbehaves_when_called_fails_alone_in_a_comparison(site, body, reason):
    hooks = "from yibao import hookimpl\n@hookimpl\ndef credit_rate(member, as_of, params):\n" + body
    make_dist(site, "yibao-region-bad", {"bad": "fake_bad"}, hooks=hooks)
    comparison = engine().compare(["shenzhen", "bad"], MEMBER, AS_OF)
    assert set(comparison.results) == {"shenzhen"}
    assert reason in comparison.failures["bad"] and "yibao-region-bad 1.0" in comparison.failures["bad"]


def test_an_incompatible_spec_version_is_refused_with_both_versions(site):
    make_dist(site, "yibao-region-future", {"future": "fake_future"}, spec=2)
    reason = statuses(engine())["future"].reason
    assert "hook-spec version 2" in reason and f"version {yibao.SPEC_VERSION}" in reason


def test_strict_mode_makes_failures_fatal(site, monkeypatch):
    make_dist(site, "yibao-region-broken", {"broken": "fake_broken"}, hooks="raise ImportError('nope')")
    with pytest.raises(PluginError, match="nope"):
        engine(strict=True).regions()
    monkeypatch.setenv("YIBAO_STRICT_PLUGINS", "1")
    assert yibao.PolicyEngine.from_environment().strict is True
    hooks = "from yibao import hookimpl\n@hookimpl\ndef credit_rate(member, as_of, params):\n    raise RuntimeError('x')\n"
    make_dist(site, "yibao-region-bad", {"bad": "fake_bad"}, hooks=hooks)
    with pytest.raises(PluginError, match="RuntimeError"):
        engine(strict=True).compare(["shenzhen", "bad"], MEMBER, AS_OF)


def test_the_same_code_from_two_distributions_is_a_reported_conflict(site):
    make_dist(site, "yibao-region-a", {"clash": "fake_a"})
    make_dist(site, "yibao-region-b", {"clash": "fake_b"})
    listed = statuses(engine())
    assert listed["clash"].status == "failed"
    assert "yibao-region-a" in listed["clash"].reason and "yibao-region-b" in listed["clash"].reason


# --- load controls -------------------------------------------------------------------


def test_load_controls_on_the_api(site):
    make_dist(site, "yibao-region-one", {"one": "fake_one"})
    make_dist(site, "Yibao_Region.Two", {"two": "fake_two"})
    assert {"one", "two", "shenzhen"} <= set(engine().codes())
    assert set(engine(load=()).codes()) == {"shenzhen", "jiangxi", "zhejiang", "nanchang", "hangzhou", "guangdong", "guangzhou"}  # built-ins only
    assert set(engine(load=["yibao-region-two"]).codes()) == {"two", "shenzhen", "jiangxi", "zhejiang", "nanchang", "hangzhou", "guangdong", "guangzhou"}
    assert "one" not in engine(disable=["yibao-region-one"]).codes()
    assert statuses(engine(disable=["yibao-region-one"]))["one"].status == "disabled"
    with pytest.raises(PluginError, match="disabled"):
        engine(disable=["yibao-region-one"]).evaluate("one", MEMBER, AS_OF)


@pytest.mark.parametrize(
    ("load", "disable", "expected"),
    [
        (None, "", {"one", "shenzhen"}),
        ("", "", {"shenzhen"}),
        ("yibao-region-one", "", {"one", "shenzhen"}),
        (None, "yibao-region-one", {"shenzhen"}),
        (None, "yibao-policy", {"one"}),
    ],
)
def test_load_controls_from_the_environment(site, monkeypatch, load, disable, expected):
    make_dist(site, "yibao-region-one", {"one": "fake_one"})
    if load is None:
        monkeypatch.delenv("YIBAO_LOAD_PLUGINS", raising=False)
    else:
        monkeypatch.setenv("YIBAO_LOAD_PLUGINS", load)
    monkeypatch.setenv("YIBAO_DISABLE_PLUGINS", disable)
    codes = set(yibao.PolicyEngine.from_environment().codes())
    assert codes & {"one", "shenzhen"} == expected


def test_only_the_regions_used_are_imported(site):
    make_dist(site, "yibao-region-never", {"never": "fake_never"})
    e = engine()
    e.compare(["shenzhen", "zhejiang"], MEMBER, AS_OF)
    assert "fake_never" not in sys.modules
    assert "never" in e.codes()  # discovered all the same


# --- overlays ------------------------------------------------------------------------


def test_an_overlay_sits_on_top_of_its_region(site):
    make_dist(site, "yibao-overlay-pilot", {"shenzhen.pilot": "fake_pilot"}, rate="0.03")
    result = engine().evaluate("shenzhen", MEMBER, AS_OF)
    assert result.layers == ("national", "guangdong", "shenzhen", "shenzhen.pilot")
    assert result.answered_by["credit"] == "shenzhen.pilot"
    assert result.credit.monthly_credit == Decimal("300.00")
    assert result.answered_by["lapse"] == "shenzhen"  # the overlay changes one rule only
    listed = statuses(engine())
    assert listed["shenzhen.pilot"].overlay_of == "shenzhen" and listed["shenzhen.pilot"].status == "loaded"
    assert "shenzhen.pilot" not in engine().codes()
    assert engine(disable=["yibao-overlay-pilot"]).evaluate("shenzhen", MEMBER, AS_OF).layers == ("national", "guangdong", "shenzhen")


def test_an_overlay_does_not_take_over_the_region_it_changes(site):
    make_dist(site, "yibao-overlay-pilot", {"shenzhen.pilot": "fake_pilot"}, rate="0.03")
    e = engine()
    result = e.evaluate("shenzhen", MEMBER, AS_OF)
    assert result.region == "shenzhen" and result.region_name == ("深圳市", "Shenzhen")
    listed = statuses(e)
    assert listed["shenzhen"].name_en == "Shenzhen" and listed["shenzhen"].distribution == "yibao-policy"
