"""Parsed TOML files kept between runs (yibao.tomlcache, issue 18): the same region as a
fresh parse, never stale after an edit, any trouble with the cache a fresh parse."""

from __future__ import annotations

import os
import shutil
import time
from decimal import Decimal

import pytest

from yibao import tomlcache
from yibao.errors import ParameterFileError
from yibao.parameters import load_region_file, parse_region_text

from conftest import ROOT

OLD = time.time_ns() - 3600 * 10**9  # an hour ago: settled


@pytest.fixture
def region(tmp_path, monkeypatch):
    """A copy of Shenzhen's parameter file, settled, and a cache directory of this test's own."""
    monkeypatch.setenv("YIBAO_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "region.toml"
    shutil.copy(ROOT / "regions" / "shenzhen" / "region.toml", path)
    os.utime(path, ns=(OLD, OLD))
    return path


def cache_files(path):
    return list((path.parent / "cache").glob("toml-*.marshal"))


def no_parsing(monkeypatch):
    monkeypatch.setattr(tomlcache, "parse", lambda text: pytest.fail("parsed the file again"))


def test_the_second_load_comes_from_the_cache_and_equals_a_fresh_parse(region, monkeypatch):
    first = load_region_file(region)
    assert len(cache_files(region)) == 1
    no_parsing(monkeypatch)
    again = load_region_file(region)
    assert again == first and again.sha256 == first.sha256 != ""
    fresh = parse_region_text(region.read_text(encoding="utf-8"), str(region))
    assert again.parameters == fresh.parameters and again.sources == fresh.sources
    values = [value.value for parameter in again.parameters.values() for value in parameter.values]
    assert Decimal("0.02") in values and any(type(v) is Decimal for v in values)  # Decimals come back as Decimals


def test_an_edited_file_is_parsed_again(region):
    load_region_file(region)
    text = region.read_text(encoding="utf-8").replace('name_en = "Shenzhen"', 'name_en = "Shenzhen (edited)"')
    assert "(edited)" in text
    region.write_text(text, encoding="utf-8")
    os.utime(region, ns=(OLD + 10**9, OLD + 10**9))
    assert load_region_file(region).name_en == "Shenzhen (edited)"


def test_a_file_changed_a_moment_ago_is_not_cached(region):
    os.utime(region)  # now
    load_region_file(region)
    assert cache_files(region) == []


@pytest.mark.parametrize("garbage", [b"", b"\x00\x01not marshal", b"\xe9"])
def test_a_corrupt_cache_file_means_a_fresh_parse(region, garbage):
    first = load_region_file(region)
    for cache in cache_files(region):
        cache.write_bytes(garbage)
    assert load_region_file(region) == first


def test_the_cache_is_off_when_the_variable_is_empty(region, monkeypatch):
    monkeypatch.setenv("YIBAO_CACHE_DIR", "")
    load_region_file(region)
    assert not (region.parent / "cache").exists()


def test_a_cached_file_is_still_checked_against_the_schema(region, monkeypatch):
    """The cache keeps the parse, not the verdict: a check added later still runs."""
    load_region_file(region)
    from yibao import parameters

    def refuse(document):
        raise parameters.JsonSchemaValueException("data.region must be refused", value=None, name="data.region", definition={}, rule="x")

    monkeypatch.setattr(parameters._region_validator, "validate", refuse)
    with pytest.raises(ParameterFileError):
        load_region_file(region)


def test_invalid_toml_is_one_parameter_file_error(tmp_path, monkeypatch):
    monkeypatch.setenv("YIBAO_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "broken.toml"
    path.write_text("[region\n", encoding="utf-8")
    with pytest.raises(ParameterFileError, match="invalid TOML"):
        load_region_file(path)
