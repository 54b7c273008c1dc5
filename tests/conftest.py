"""Shared fixtures. Tests build their own engines from the built-in plugins, so nothing
installed on the machine (a stray third-party region) can change what they see."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

import yibao

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent
BUILT_IN = ("shenzhen", "jiangxi", "zhejiang", "nanchang", "hangzhou", "guangdong", "guangzhou")


def built_in_plugins() -> dict[str, object]:
    return {code: importlib.import_module(f"yibao_regions.{code}") for code in BUILT_IN}


@pytest.fixture(autouse=True, scope="session")
def _entry_point_cache_of_its_own(tmp_path_factory):
    """The entry-point cache (yibao.catalogue) of every process the tests start is kept in
    a temporary directory, never in the user's ~/.cache."""
    import os

    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("xdg-cache"))
    yield
    if saved is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = saved


@pytest.fixture(autouse=True)
def _built_in_regions_only(monkeypatch):
    """yibao.evaluate and friends see the built-in regions only, whatever is installed."""
    import yibao.engine

    monkeypatch.setenv("YIBAO_LOAD_PLUGINS", "")
    monkeypatch.delenv("YIBAO_DISABLE_PLUGINS", raising=False)
    monkeypatch.delenv("YIBAO_STRICT_PLUGINS", raising=False)
    monkeypatch.setattr(yibao.engine, "_default", None)


@pytest.fixture(scope="session")
def engine() -> yibao.PolicyEngine:
    """An engine with exactly the built-in regions, registered directly."""
    return yibao.PolicyEngine(built_in_plugins(), entry_points=False)


@pytest.fixture
def evaluate(engine):
    """``evaluate(region, member, as_of)`` -> Evaluation, on the built-in-only engine."""
    return engine.evaluate
