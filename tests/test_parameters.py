"""Parameter files: dated values, citations, and loud failures naming file, key and reason."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from yibao import ParameterFileError
from yibao.parameters import parse_region_text

HEAD = """
[region]
code = "toy"
name_zh = "测试"
name_en = "Toy"
spec_version = 1

[sources.s]
title = "Toy source"
publisher = "Tests"
date = "2026"
"""

RATE = """
[parameters.rate]
description = "A dated rate."
unit = "ratio"
[[parameters.rate.values]]
from = 2024-01-01
to = 2024-12-31
value = 0.05
[[parameters.rate.values.citations]]
source = "s"
quote = "five"
confidence = "H"
[[parameters.rate.values]]
from = 2025-01-01
to = 2025-12-31
value = 0.06
[[parameters.rate.values.citations]]
source = "s"
quote = "six"
confidence = "M"
"""


def load(body: str):
    return parse_region_text(HEAD + body, "toy.toml")


def test_value_before_and_after_a_change():
    data = load(RATE)
    assert data.applied(date(2024, 12, 31))["rate"].value == Decimal("0.05")
    assert data.applied(date(2025, 1, 1))["rate"].value == Decimal("0.06")
    assert data.applied(date(2025, 1, 1))["rate"].citations[0].quote == "six"


def test_no_value_before_the_first_date():
    assert "rate" not in load(RATE).applied(date(2023, 12, 31))


def test_past_the_last_known_value_it_still_applies_but_is_stale():
    late = load(RATE).applied(date(2026, 6, 1))["rate"]
    assert late.value == Decimal("0.06") and late.stale is True
    assert load(RATE).applied(date(2025, 12, 31))["rate"].stale is False


def test_decimals_are_exact_not_floats():
    value = load(RATE).applied(date(2025, 6, 1))["rate"].value
    assert isinstance(value, Decimal) and value == Decimal("0.06")


def test_a_gap_between_values_means_no_value():
    body = RATE.replace("from = 2025-01-01", "from = 2025-03-01")
    assert "rate" not in load(body).applied(date(2025, 2, 1))


@pytest.mark.parametrize(
    ("body", "key", "reason"),
    [
        (RATE.replace('confidence = "H"', 'confidence = "X"'), "parameters.rate.values[0].citations[0].confidence", "not"),
        (
            RATE.replace('source = "s"\nquote = "five"', 'source = "nope"\nquote = "five"'),
            "parameters.rate.values[0].citations[0].source",
            "unknown source 'nope'",
        ),
        (RATE.replace("value = 0.05", 'value = "five"'), "parameters.rate.values[0].value", "expected a number"),
        (RATE.replace("to = 2024-12-31", "to = 2025-06-30"), "parameters.rate.values", "overlap"),
        (RATE.replace("to = 2024-12-31", "to = 2023-12-31"), "parameters.rate.values[0].to", "before from"),
        (
            RATE.replace('description = "A dated rate."', 'descripton = "A dated rate."'),
            "parameters.rate.descripton",
            "did you mean 'description'",
        ),
        (RATE.replace('unit = "ratio"', 'unit = "percent"'), "parameters.rate.unit", "'percent' is not one of"),
        (RATE.replace("from = 2024-01-01", 'from = "2024-02-30"'), "parameters.rate.values[0].from", "not a real date"),
    ],
)
def test_bad_files_fail_loudly_with_file_key_and_reason(body, key, reason):
    with pytest.raises(ParameterFileError) as raised:
        load(body)
    error = raised.value
    assert error.file == "toy.toml"
    assert error.key == key
    assert reason in error.reason
    assert str(error).startswith(f"toy.toml: {key}: ")


def test_invalid_toml_names_the_file():
    with pytest.raises(ParameterFileError, match=r"toy.toml: invalid TOML"):
        parse_region_text("[region\ncode=", "toy.toml")


def test_a_missing_region_table_is_named():
    with pytest.raises(ParameterFileError) as raised:
        parse_region_text('[sources.s]\ntitle="t"\npublisher="p"\ndate="2026"\n[parameters]\n', "toy.toml")
    assert raised.value.key == "region"


def test_params_are_a_read_only_view_with_clear_misses():
    data = load(RATE)
    from yibao.parameters import Params

    params = Params("toy", date(2025, 6, 1), data.applied(date(2025, 6, 1)), data.parameters, {})
    assert params["rate"].value == Decimal("0.06") and params.get("nope") is None
    with pytest.raises(KeyError, match="defines a parameter 'nope'"):
        params["nope"]
    with pytest.raises(TypeError, match="read-only"):
        params["rate"] = None
    assert params.once("x", lambda: object()) is params.once("x", lambda: object())


def test_params_cannot_be_changed_behind_other_hooks_backs():
    import copy
    import pickle

    from yibao.parameters import Params

    data = load(RATE)
    params = Params("toy", date(2025, 6, 1), data.applied(date(2025, 6, 1)), data.parameters, {})
    with pytest.raises(TypeError):
        params |= {"rate": None}
    with pytest.raises(AttributeError):
        params.day = date(2000, 1, 1)  # type: ignore[misc]
    assert copy.deepcopy(params) is params and copy.copy(params) is params
    assert pickle.loads(pickle.dumps(params)) == dict(params)
    assert params != dict(params) and not params == dict(params)  # noqa: SIM201 - identity semantics both ways


# --- ceilings and starts no source dates (issue 13) -----------------------------------

CEILING = """
[parameters.wait]
description = "The wait each area sets."
unit = "months"
values = []

[parameters.wait_ceiling]
description = "Most an area may set."
unit = "months"
ceiling = true
[[parameters.wait_ceiling.values]]
from = 2021-11-01
value = 6
[[parameters.wait_ceiling.values.citations]]
source = "s"
quote = "设置不超过6个月的待遇享受等待期"
confidence = "M"

[parameters.usable]
description = "Undated rule."
unit = "bool"
[[parameters.usable.values]]
from = 2021-11-01
from_uncertain = true
value = true
[[parameters.usable.values.citations]]
source = "s"
quote = "仍可正常使用"
confidence = "L"
"""


def test_a_parameter_may_be_declared_without_a_value_and_is_never_in_force():
    data = load(CEILING)
    assert data.parameters["wait"].values == ()
    assert "wait" not in data.applied(date(2026, 1, 1))


def test_a_ceiling_is_marked_as_such_in_the_applied_value_and_its_json():
    """43号: "设置不超过6个月的待遇享受等待期" — an upper bound, flagged so no one reads it as the rule."""
    applied = load(CEILING).applied(date(2026, 1, 1))["wait_ceiling"]
    assert applied.ceiling is True and applied.start_uncertain is False
    assert applied.to_dict()["ceiling"] is True and "from_uncertain" not in applied.to_dict()


def test_a_start_no_source_dates_is_marked_uncertain():
    applied = load(CEILING).applied(date(2022, 1, 1))["usable"]
    assert applied.start_uncertain is True and applied.ceiling is False
    assert applied.to_dict()["from_uncertain"] is True and "ceiling" not in applied.to_dict()


def test_the_flags_are_booleans_in_the_file():
    with pytest.raises(ParameterFileError) as raised:
        load(CEILING.replace("from_uncertain = true", 'from_uncertain = "yes"'))
    assert "from_uncertain" in str(raised.value)
