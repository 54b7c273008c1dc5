"""Every evaluation says what produced it: yibao's version, each layer's distribution,
version and parameter-file hash, and when (issue 10, "Provenance")."""

from __future__ import annotations

import hashlib
import pickle
from datetime import datetime, timezone

import pytest
from test_contracts import errors

import yibao
from yibao.provenance import timestamp

from conftest import ROOT

MEMBER = {"category": "employee", "contribution_base": 10000}


def test_each_layer_names_its_distribution_version_and_file_hash():
    result = yibao.evaluate("zhejiang", MEMBER, "2026-03-01")  # through the entry points, as installed
    layers = result.provenance.layers
    assert [layer.code for layer in layers] == list(result.layers) == ["national", "zhejiang"]
    files = {"national": ROOT / "core" / "baseline" / "national.toml", "zhejiang": ROOT / "regions" / "zhejiang" / "region.toml"}
    for layer in layers:
        assert (layer.distribution, layer.version) == ("yibao-policy", yibao.__version__)
        assert layer.parameters_sha256 == hashlib.sha256(files[layer.code].read_bytes()).hexdigest()
    assert result.provenance.yibao_version == yibao.__version__
    assert result.provenance.spec_version == yibao.SPEC_VERSION


def test_the_file_is_hashed_once_at_load_not_per_evaluation(engine, monkeypatch):
    first = engine.evaluate("shenzhen", MEMBER, "2026-03-01")

    import yibao.parameters

    def no_reading(*args, **kwargs):
        raise AssertionError(f"{args} read again during an evaluation")

    monkeypatch.setattr(yibao.parameters, "read_text", no_reading)
    monkeypatch.setattr(yibao.parameters, "load_region_file", no_reading)
    again = engine.evaluate("shenzhen", MEMBER, "2026-04-01")
    assert again.origins is first.origins  # the stack's tuple, built once


def test_evaluated_at_is_the_moment_of_evaluation_in_utc(engine):
    before = datetime.now(timezone.utc)
    result = engine.evaluate("jiangxi", MEMBER, "2026-03-01")
    after = datetime.now(timezone.utc)
    assert before <= result.evaluated_at <= after
    text = result.to_dict()["provenance"]["evaluated_at"]
    assert text.endswith("Z") and datetime.fromisoformat(text.replace("Z", "+00:00")) == result.evaluated_at.replace(
        microsecond=result.evaluated_at.microsecond // 1000 * 1000
    )


def test_the_same_answer_later_is_equal_and_pickles(engine):
    one = engine.evaluate("shenzhen", MEMBER, "2026-03-01")
    two = engine.evaluate("shenzhen", MEMBER, "2026-03-01")
    assert one == two  # evaluated_at is not part of equality
    assert pickle.loads(pickle.dumps(one)).to_dict()["provenance"] == one.to_dict()["provenance"]


def test_provenance_is_in_the_json_and_valid(engine):
    data = engine.evaluate("shenzhen", MEMBER, "2026-03-01").to_dict()
    assert errors("evaluation", data) == []
    assert [layer["code"] for layer in data["provenance"]["layers"]] == data["layers"]
    broken = {**data, "provenance": {**data["provenance"], "layers": [{"code": "x"}]}}
    assert errors("evaluation", broken), "a layer without distribution, version and hash must not validate"


def test_a_directly_registered_plugin_has_no_distribution_but_a_hash(engine):
    layer = engine.evaluate("shenzhen", MEMBER, "2026-03-01").provenance.layers[-1]
    assert layer.distribution == "" and len(layer.parameters_sha256) == 64


@pytest.mark.parametrize(
    ("moment", "text"), [(None, None), (datetime(2026, 11, 26, 5, 50, 12, 123456, timezone.utc), "2026-11-26T05:50:12.123Z")]
)
def test_timestamp_form(moment, text):
    assert timestamp(moment) == text


def test_timeless_blanks_every_moment_and_nothing_else(engine):
    from yibao.provenance import timeless

    data = engine.compare(["shenzhen", "zhejiang"], MEMBER, "2026-03-01").to_dict()
    blank = timeless(data)
    assert all(result["provenance"]["evaluated_at"] is None for result in blank["results"].values())
    assert all(result["provenance"]["evaluated_at"] for result in data["results"].values())  # the original is untouched
    restored = {label: {**result, "provenance": data["results"][label]["provenance"]} for label, result in blank["results"].items()}
    assert {**blank, "results": restored} == data
