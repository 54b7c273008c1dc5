"""Compact JSON (issue 12): each source listed once under ``sources``, areas refer to it by id;
``to_dict(citations="full")`` keeps the form with every citation carrying its source."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from yibao.cli.inputs import read_member

from conftest import ROOT

AREAS = ("credit", "lapse", "family", "transfer", "withdrawal")
SCHEMA = Draft202012Validator(json.loads((ROOT / "schemas" / "evaluation.schema.json").read_text(encoding="utf-8")))


@pytest.fixture
def result(evaluate):
    return evaluate("shenzhen", read_member(None), "2026-11-22")


def refs(data):
    for area in AREAS:
        yield from data[area]["citations"]
        yield from data[area]["disputed"]


def test_every_source_is_listed_once_and_every_reference_resolves(result):
    data = result.to_dict()
    used = [item["source"] for item in refs(data)]
    assert set(used) == set(data["sources"])  # nothing listed that no area cites
    assert len(used) > len(data["sources"])  # some source is cited more than once, and listed once
    assert all("title" not in item for item in refs(data))


def test_compact_and_full_carry_the_same_citations(result):
    compact, full = result.to_dict(), result.to_dict(citations="full")
    assert "sources" not in full
    for area in AREAS:
        for kind in ("citations", "disputed"):
            resolved = []
            for item in compact[area][kind]:
                item = dict(item)
                source = compact["sources"][item.pop("source")]
                resolved.append({**item, **source} if kind == "citations" else {**source, **item})
            assert [sorted(x.items()) for x in resolved] == [sorted(x.items()) for x in full[area][kind]], (area, kind)


def test_both_forms_validate_against_the_schema(result):
    for form in ("compact", "full"):
        problems = [error.message for error in SCHEMA.iter_errors(result.to_dict(citations=form))]
        assert not problems, (form, problems)


def test_a_citation_without_its_source_fails_the_schema(result):
    data = result.to_dict()
    del data["credit"]["citations"][0]["source"]
    assert list(SCHEMA.iter_errors(data))


def test_sources_are_named_by_layer_so_equal_ids_in_two_files_stay_apart(result):
    keys = set(result.to_dict()["sources"])
    assert all("/" in key for key in keys)
    assert {key.split("/")[0] for key in keys} <= set(result.layers)


def test_the_compact_form_is_smaller(result):
    compact = json.dumps(result.to_dict(), ensure_ascii=False)
    full = json.dumps(result.to_dict(citations="full"), ensure_ascii=False)
    assert len(compact.encode()) < 0.92 * len(full.encode())


def test_what_a_caller_changes_in_the_output_is_its_own(result):
    mark = "CHANGED-BY-THE-CALLER"
    first = result.to_dict()
    first["credit"]["citations"][0]["quote"] = mark
    first["family"]["parameters"][0]["value"].append(mark)
    next(iter(first["sources"].values()))["title"] = mark
    again = result.to_dict()
    assert mark not in json.dumps(again)


def test_an_unknown_form_is_refused(result):
    with pytest.raises(ValueError, match="compact"):
        result.to_dict(citations="short")


def test_comparison_results_use_the_same_form(engine):
    comparison = engine.compare(["shenzhen", "zhejiang"], read_member(None), "2026-11-22")
    assert all("sources" in data for data in comparison.to_dict()["results"].values())
    assert all("sources" not in data for data in comparison.to_dict(citations="full")["results"].values())


# ---------------------------------------------------------------- a move (issue 18)


def _move_refs(data):
    """Every citation of a move's JSON: the steps', the answer's, the disputed and the two areas'."""
    for step in data["steps"]:
        yield from step["citations"]
    yield from data["citations"]
    yield from data["disputed"]
    for area in ("transfer", "transfer_in"):
        yield from data[area]["citations"]
        yield from data[area]["disputed"]


@pytest.fixture
def move(engine):
    return engine.move("shenzhen", "zhejiang", read_member(None), "2026-03-01")


def test_a_move_lists_each_source_once_and_every_reference_resolves(move):
    data = move.to_dict()
    used = [item["source"] for item in _move_refs(data)]
    assert set(used) == set(data["sources"])
    assert len(used) > len(data["sources"])  # the steps and the areas cite the same documents
    assert all("title" not in item for item in _move_refs(data))


def test_a_move_in_both_forms_carries_the_same_citations(move):
    compact, full = move.to_dict(), move.to_dict(citations="full")
    assert "sources" not in full
    resolved = [
        sorted(({**item, **compact["sources"][item["source"]]} | {"source": None}).items())
        for item in _move_refs(compact)
    ]
    expected = [sorted(({**item} | {"source": None}).items()) for item in _move_refs(full)]
    assert resolved == expected


def test_a_move_in_both_forms_validates_and_the_compact_one_is_smaller(move):
    from jsonschema import Draft202012Validator
    from test_contracts import REGISTRY

    schema = json.loads((ROOT / "schemas" / "move.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema, registry=REGISTRY)
    compact, full = move.to_dict(), move.to_dict(citations="full")
    for data in (compact, full):
        assert not [error.message for error in validator.iter_errors(data)]
    broken = move.to_dict()
    del broken["steps"][0]["citations"][0]["source"]
    assert list(validator.iter_errors(broken))
    assert len(json.dumps(compact, ensure_ascii=False)) < 0.8 * len(json.dumps(full, ensure_ascii=False))
    with pytest.raises(ValueError, match="compact"):
        move.to_dict(citations="short")
