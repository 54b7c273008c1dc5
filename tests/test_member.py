"""The member boundary: what is accepted, how it is converted, and how refusals read."""

from __future__ import annotations

from decimal import Decimal

import pytest

from yibao import InputError, Member
from yibao.months import format_month, parse_date


def test_amounts_become_exact_decimals():
    member = Member.from_mapping({"category": "employee", "contribution_base": 6733.1, "balance": "3560.20", "pension": 0})
    assert member.contribution_base == Decimal("6733.1")  # through repr, not the binary float
    assert member.balance == Decimal("3560.20")
    assert member.pension == Decimal("0")


def test_defaults():
    member = Member.from_mapping({"category": "retiree"})
    assert (member.tier, member.arrears, member.balance, member.contributions) == (1, False, Decimal("0"), None)


def test_ranges_are_sorted_and_merged_when_adjacent():
    member = Member.from_mapping(
        {
            "category": "employee",
            "contributions": [
                {"from": "2025-03", "to": "2025-06"},
                {"from": "2024-01", "to": "2025-02"},
                {"from": "2025-09", "to": "2025-09"},
            ],
        }
    )
    assert [(format_month(a), format_month(b)) for a, b in member.contributions] == [("2024-01", "2025-06"), ("2025-09", "2025-09")]


def test_round_trip_through_the_json_form():
    data = {
        "category": "flexible",
        "tier": 1,
        "contribution_base": "8000.50",
        "contributions": [{"from": "2024-01", "to": "2025-06"}],
        "arrears": True,
        "balance": "1.00",
        "extensions": {"jiangxi": {"mutual_aid_registered": True}},
    }
    member = Member.from_mapping(data)
    assert Member.from_mapping(member.to_dict()) == member
    assert member.extension("jiangxi") == {"mutual_aid_registered": True}
    assert member.extension("zhejiang") == {}


@pytest.mark.parametrize(
    ("data", "path", "reason"),
    [
        ({}, "category", "required"),
        ({"category": "student"}, "category", "'student' is not one of"),
        ({"category": "employee", "tier": 3}, "tier", "is not one of"),
        ({"category": "employee", "contribution_bas": 1}, "contribution_bas", "did you mean 'contribution_base'"),
        ({"category": "employee", "contribution_base": -5}, "contribution_base", "not an amount in yuan"),
        ({"category": "employee", "contribution_base": True}, "contribution_base", "not an amount in yuan"),
        ({"category": "employee", "contribution_base": "12,000"}, "contribution_base", "not an amount in yuan"),
        (
            {"category": "employee", "contributions": [{"from": "2025-13", "to": "2025-12"}]},
            "contributions[0].from",
            "not a month written YYYY-MM",
        ),
        ({"category": "employee", "contributions": [{"from": "2025-06", "to": "2025-01"}]}, "contributions[0]", "before 'from'"),
        ({"category": "employee", "contributions": [{"to": "2025-06"}]}, "contributions[0].from", "required"),
        (
            {"category": "employee", "contributions": [{"from": "2024-01", "to": "2024-12"}, {"from": "2024-06", "to": "2025-03"}]},
            "contributions[1]",
            "overlaps contributions[0]",
        ),
        # issue 21: a list or an object as a range's base was a TypeError (unhashable), not a refusal
        ({"category": "employee", "contributions": [{"from": "2024-01", "base": [1]}]}, "contributions[0].base", "not an amount"),
        ({"category": "employee", "contributions": [{"from": "2024-01", "base": {}}]}, "contributions[0].base", "not an amount"),
        ({"category": "employee", "arrears": "no"}, "arrears", "expected boolean"),
        ({"category": "employee", "extensions": []}, "extensions", "expected object"),
    ],
)
def test_refusals_name_the_field(data, path, reason):
    with pytest.raises(InputError) as raised:
        Member.from_mapping(data)
    assert raised.value.path == path
    assert reason in raised.value.reason
    assert isinstance(raised.value, ValueError)


def test_a_non_mapping_is_refused():
    with pytest.raises(InputError, match="must be a JSON object"):
        Member.from_mapping(["employee"])  # type: ignore[arg-type]


@pytest.mark.parametrize("text", ["2025-02-30", "2025-13-01", "2025/02/01", "20250201", ""])
def test_impossible_or_malformed_dates_are_refused(text):
    with pytest.raises(InputError) as raised:
        parse_date(text)
    assert raised.value.path == "as_of"


def test_the_direct_constructor_still_checks_category_and_tier():
    with pytest.raises(ValueError):
        Member(category="nobody")


VALID = [
    {"category": "employee"},
    {"category": "flexible", "tier": 1, "contribution_base": 8000, "balance": "0.5"},
    {"category": "retiree", "pension": "6000.00", "arrears": True, "extensions": {"x": {"y": 1}}},
    {"category": "employee", "tier": 2, "contributions": [{"from": "2025-03", "to": "2025-06"}, {"from": "2024-01", "to": "2025-02"}]},
    {"category": "employee", "contribution_base": 6733.1, "tier": 1.0},  # float and 1.0: the slow path's
]


@pytest.mark.parametrize("data", VALID)
def test_the_quick_path_builds_the_same_member_as_the_checked_path(monkeypatch, data):
    quick = Member.from_mapping(data)
    monkeypatch.setattr("yibao.member._quick", lambda cls, plain: None)
    assert Member.from_mapping(data) == quick


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"category": "employee", "contribution_base": 10**30}, "contribution_base"),
        ({"category": "employee", "balance": "9" * 41}, "balance"),
        ({"category": "employee", "contributions": [{"from": "0000-01", "to": "2020-01"}]}, "contributions[0].from"),
        ({"category": "employee", "contributions": [{"from": "2020-01", "to": "9999-11"}]}, "contributions[0].to"),
    ],
)
def test_absurd_amounts_and_years_are_refused_at_the_boundary(data, path):
    """Found in review: these reached the hooks and crashed there, blamed on a plugin."""
    with pytest.raises(InputError) as raised:
        Member.from_mapping(data)
    assert raised.value.path == path


def test_minus_zero_is_zero():
    member = Member.from_mapping({"category": "employee", "contribution_base": -0.0})
    assert str(member.contribution_base) == "0.0" and member.to_dict()["contribution_base"] == "0.00"


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"])
def test_dates_outside_the_supported_years_are_refused(text):
    with pytest.raises(InputError, match="outside 1900-01-01 .. 2199-12-31"):
        parse_date(text)


def test_a_member_is_a_value_apart_from_the_mapping_it_came_from():
    extensions = {"jiangxi": {"mutual_aid_registered": True}}
    member = Member.from_mapping({"category": "employee", "extensions": extensions})
    extensions["zhejiang"] = {}
    assert "zhejiang" not in member.extensions
    assert hash(member) == hash(Member.from_mapping({"category": "employee", "extensions": {"x": {}}}))


def test_a_member_built_directly_is_normalised_like_one_read_from_a_mapping():
    """Review finding: unsorted or overlapping ranges and int amounts passed to Member()
    gave negative gaps and crashed to_dict."""
    direct = Member(category="employee", contribution_base=5000, contributions=((24317, 24322), (24288, 24299), (24300, 24316)))
    assert direct.contribution_base == Decimal("5000") and direct.to_dict()["contribution_base"] == "5000.00"
    assert direct.contributions == ((24288, 24322),)  # sorted, adjacent ranges joined
    with pytest.raises(InputError, match="overlaps"):  # changed on purpose (issue 7): overlaps are refused, not merged
        Member(category="employee", contributions=((24315, 24322), (24300, 24316)))
    with pytest.raises(InputError):
        Member(category="employee", contributions=((24300, 24200),))


def test_members_and_evaluations_pickle_for_worker_processes(evaluate):
    import pickle

    member = Member.from_mapping(
        {"category": "employee", "contribution_base": "9000", "extensions": {"jiangxi": {"mutual_aid_registered": True}}}
    )
    assert pickle.loads(pickle.dumps(member)) == member
    result = evaluate("shenzhen", member, "2026-03-01")
    assert pickle.loads(pickle.dumps(result)).to_dict() == result.to_dict()
    with pytest.raises(TypeError, match="read-only"):
        member.extensions["x"] = 1  # type: ignore[index]


def test_a_member_writes_back_its_amounts_exactly():
    """What the API holds is what JSON shows: a declared base of 0.125 yuan is written
    back as "0.125" (not rounded to "0.13"), so the JSON form reads back as the same member."""
    member = Member.from_mapping({"category": "employee", "contribution_base": 0.125, "balance": "12000"})
    assert member.to_dict()["contribution_base"] == "0.125"
    assert member.to_dict()["balance"] == "12000.00"
    assert Member.from_mapping(member.to_dict()) == member


@pytest.mark.parametrize("value", [0.123456789, "0.123456789"])
def test_an_amount_with_more_than_eight_decimal_places_is_refused(value):
    with pytest.raises(InputError, match="contribution_base") as caught:
        Member.from_mapping({"category": "employee", "contribution_base": value})
    assert caught.value.path == "contribution_base"
