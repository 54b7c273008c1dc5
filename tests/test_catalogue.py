"""The cached entry-point catalogue (yibao.catalogue): used while current, never stale after
an install, an uninstall or an edit; any trouble with the file falls back to a fresh read."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from yibao import catalogue
from yibao.plugins import GROUP

from conftest import ROOT
from fake_dists import make_dist

OLD = time.time_ns() - 3600 * 10**9  # an hour ago: settled


def age(*paths) -> None:
    for path in paths:
        os.utime(path, ns=(OLD, OLD))


def codes() -> set[str]:
    return {item.point.name for item in catalogue.entries(GROUP)[0]}


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A settled directory on sys.path and a cache directory of this test's own."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setenv("YIBAO_CACHE_DIR", str(tmp_path / "cache"))
    # the repository's own folders on sys.path may have changed a moment ago (an edit);
    # this test's changes are what matter, and they are nanoseconds apart on any real disk
    monkeypatch.setattr(catalogue, "SETTLE_NS", 0)
    age(folder)
    return folder


def cached(site) -> dict:
    path = catalogue.cache_file()
    if not path.exists():
        pytest.skip("a directory on sys.path changed in the last 2 s: nothing is cached until it settles")
    return json.loads(path.read_text(encoding="utf-8"))


def test_the_second_read_comes_from_the_cache(site, monkeypatch):
    first = codes()
    assert {"shenzhen", "jiangxi", "zhejiang"} <= first
    cached(site)
    monkeypatch.setattr(catalogue, "_scan", lambda group: pytest.fail("read the entry points again"))
    assert codes() == first


def test_an_install_is_seen_at_once(site):
    codes()
    cached(site)
    make_dist(site, "yibao-region-newtown", {"newtown": "yibao_region_newtown"})
    assert "newtown" in codes()


def test_an_uninstall_is_seen_at_once(site):
    make_dist(site, "yibao-region-oldtown", {"oldtown": "yibao_region_oldtown"})
    info = site / "yibao_region_oldtown-1.0.dist-info"
    age(info, info / "entry_points.txt", site)
    assert "oldtown" in codes()
    cached(site)
    shutil.rmtree(info)
    assert "oldtown" not in codes()


def test_an_entry_points_file_edited_in_place_is_seen(site):
    make_dist(site, "yibao-region-town", {"town": "yibao_region_town"})
    info = site / "yibao_region_town-1.0.dist-info"
    age(info, info / "entry_points.txt", site)
    assert "town" in codes()
    cached(site)
    (info / "entry_points.txt").write_text("[yibao.regions]\ncity = yibao_region_town\n", encoding="utf-8")
    age(info, site)  # only the file's own time moved
    assert "city" in codes() and "town" not in codes()


def test_a_directory_that_just_changed_is_not_cached(site, monkeypatch):
    monkeypatch.setattr(catalogue, "SETTLE_NS", 2_000_000_000)
    make_dist(site, "yibao-region-fresh", {"fresh": "yibao_region_fresh"})  # site's time is now
    assert "fresh" in codes()
    assert not catalogue.cache_file().exists()


def test_a_corrupt_cache_is_read_again_and_replaced(site):
    expected = codes()
    path = catalogue.cache_file()
    cached(site)
    path.write_text("{not json", encoding="utf-8")
    assert codes() == expected
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == catalogue.FORMAT


def test_an_unwritable_cache_directory_costs_nothing(site, monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("YIBAO_CACHE_DIR", str(blocker / "cache"))  # a folder inside a file
    assert {"shenzhen", "jiangxi", "zhejiang"} <= codes()


def test_an_empty_cache_dir_turns_the_cache_off(monkeypatch):
    monkeypatch.setenv("YIBAO_CACHE_DIR", "")
    assert catalogue.cache_file() is None
    assert {"shenzhen", "jiangxi", "zhejiang"} <= codes()


def test_a_cached_point_loads_what_importlib_would(site):
    codes()
    point = next(item.point for item in catalogue.entries(GROUP)[0] if item.point.name == "shenzhen")
    import yibao_regions.shenzhen

    assert point.load() is yibao_regions.shenzhen


def test_a_warm_cli_never_imports_importlib_metadata(tmp_path):
    """The point of the cache: the second `policy compare` reads one small file instead."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("YIBAO_")}
    env.update(YIBAO_LOAD_PLUGINS="", YIBAO_CACHE_DIR=str(tmp_path / "cache"))
    code = (
        "import sys\n"
        "sys.argv = ['policy', 'compare', 'shenzhen', 'zhejiang', '--format', 'json']\n"
        "from yibao.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('METADATA', 'importlib.metadata' in sys.modules, file=sys.stderr)\n"
    )
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60) for _ in range(2)]
    assert all(run.returncode == 0 for run in runs), runs[-1].stderr
    answers = [json.loads(run.stdout) for run in runs]
    for answer in answers:  # when each was evaluated differs, as it should
        for result in answer["results"].values():
            result.pop("provenance", None)
    assert answers[0] == answers[1]
    if not list((tmp_path / "cache").glob("*.json")):
        pytest.skip("a directory on sys.path changed in the last 2 s: nothing is cached until it settles")
    assert "METADATA True" in runs[0].stderr
    assert "METADATA False" in runs[1].stderr
