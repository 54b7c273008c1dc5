"""The member boundary after issue 7 and issue 9: rich histories, and no bad input from
Python that ends in anything but an InputError naming the field."""

from __future__ import annotations

import pickle
from decimal import Decimal

import pytest

from yibao import InputError, Member, YibaoError
from yibao.member import MAX_PERIODS, Period
from yibao.months import OPEN_END, month_index, parse_month


def test_items_carry_their_own_base_tier_category_and_payment():
    member = Member.from_mapping(
        {
            "category": "employee",
            "contribution_base": "8000",
            "contributions": [
                {"from": "2025-01", "to": "2025-12", "base": "9000"},
                {"from": "2026-01", "tier": 2, "category": "flexible", "region": "shenzhen"},
                {"from": "2024-10", "to": "2024-12", "paid": "back_paid", "paid_in": "2025-02"},
            ],
        }
    )
    jan_2025, jan_2026 = parse_month("2025-01", "m"), parse_month("2026-01", "m")
    assert member.contributions == ((parse_month("2024-10", "m"), OPEN_END),)  # hook authors' view: one merged run
    assert [p.start for p in member.periods] == sorted(p.start for p in member.periods)
    back = member.periods[0]
    assert (back.paid, back.paid_in) == ("back_paid", parse_month("2025-02", "m"))
    assert member.in_month(jan_2025).contribution_base == Decimal("9000")
    in_2026 = member.in_month(jan_2026)
    assert (in_2026.tier, in_2026.category, in_2026.contribution_base) == (2, "flexible", Decimal("8000"))
    assert member.periods[2].region == "shenzhen"
    assert member.paid(jan_2026 + 120) and not member.paid(parse_month("2024-09", "m"))
    assert Member.from_mapping(member.to_dict()) == member
    assert member.to_dict()["contributions"][2] == {"from": "2026-01", "tier": 2, "category": "flexible", "region": "shenzhen"}


def test_a_history_of_the_most_items_is_read_and_one_more_is_refused():
    items = [
        {"from": f"{1950 + i // 12}-{i % 12 + 1:02d}", "to": f"{1950 + i // 12}-{i % 12 + 1:02d}"} for i in range(0, 2 * MAX_PERIODS, 2)
    ]
    with pytest.raises(InputError) as raised:
        Member.from_mapping({"category": "employee", "contributions": items})  # every other month for 200 years
    assert raised.value.path == "contributions"
    ok = [{"from": f"{1950 + i // 12}-{i % 12 + 1:02d}", "to": f"{1950 + i // 12}-{i % 12 + 1:02d}"} for i in range(MAX_PERIODS)]
    assert len(Member.from_mapping({"category": "employee", "contributions": ok}).periods) == MAX_PERIODS
    with pytest.raises(InputError, match="at most 1,200"):
        Member.from_mapping({"category": "employee", "contributions": ok + ok[:1]})


@pytest.mark.parametrize(
    ("data", "path"),
    [
        ({"category": "employee", 1: 2}, ""),
        ({"category": "employee", "extensions": {1: 2}}, "extensions"),
        ({"category": "employee", "extensions": {"x": {("a",): 1}}}, "extensions.x"),
        ({"category": "employee", "contribution_base": Decimal("NaN")}, "contribution_base"),
        ({"category": "employee", "contribution_base": Decimal("sNaN")}, "contribution_base"),
        ({"category": "employee", "balance": Decimal("Infinity")}, "balance"),
        ({"category": "employee", "contribution_base": 10**5000}, "contribution_base"),
        ({"category": "employee", "tier": 10**5000}, "tier"),
        ({"category": "employee", "extensions": {"x": 10**5000}}, "extensions.x"),
        ({"category": "employee", "extensions": {"x": float("nan")}}, "extensions.x"),
        ({"category": "employee", "extensions": {"x": object()}}, "extensions.x"),
        ({"category": "employee", "contributions": [{"from": ["2025-01"]}]}, "contributions[0].from"),
        ({"category": "employee", "contributions": [{"from": "2025-01", "paid_in": {}}]}, "contributions[0].paid_in"),
    ],
)
def test_whatever_a_python_caller_passes_ends_in_an_input_error_with_its_path(data, path):
    with pytest.raises(InputError) as raised:
        Member.from_mapping(data)
    assert raised.value.path == path


@pytest.mark.parametrize(
    ("fields", "path"),
    [
        ({"category": "x"}, "category"),
        ({"category": "employee", "tier": "1"}, "tier"),
        ({"category": "employee", "tier": True}, "tier"),
        ({"category": "employee", "arrears": "yes"}, "arrears"),
        ({"category": "employee", "contribution_base": Decimal("NaN")}, "contribution_base"),
        ({"category": "employee", "contribution_base": Decimal("sNaN")}, "contribution_base"),
        ({"category": "employee", "balance": [1]}, "balance"),
        ({"category": "employee", "extensions": ["x"]}, "extensions"),
        ({"category": "employee", "extensions": {3: 1}}, "extensions"),
        ({"category": "employee", "contributions": [("a", "b")]}, "contributions[0][0]"),
        ({"category": "employee", "contributions": 5}, "contributions"),
        ({"category": "employee", "contributions": ((24300, 24200),)}, "contributions[0]"),
        ({"category": "employee", "periods": (Period(24300, None), Period(24310, 24311))}, "contributions[1]"),
        ({"category": "employee", "periods": (Period(24300, 24301, category="x"),)}, "periods[0].category"),
        ({"category": "employee", "periods": ((24300, 24301),)}, "periods[0]"),
    ],
)
def test_a_member_built_directly_is_checked_like_one_read_from_a_mapping(fields, path):
    with pytest.raises(YibaoError) as raised:
        Member(**fields)
    assert isinstance(raised.value, InputError) and raised.value.path == path


def test_extensions_are_deeply_read_only_and_the_callers_data_is_untouched():
    given = {"jiangxi": {"relatives": [{"name": "a"}], "flags": {"x": True}}}
    member = Member.from_mapping({"category": "employee", "extensions": given})
    seen = member.extension("jiangxi")
    with pytest.raises(TypeError):
        seen["flags"]["x"] = False  # type: ignore[index]
    with pytest.raises(TypeError):
        seen["relatives"][0]["name"] = "b"  # type: ignore[index]
    with pytest.raises(AttributeError):
        seen["relatives"].append({})  # a tuple: no append
    given["jiangxi"]["flags"]["x"] = False
    assert member.extension("jiangxi")["flags"]["x"] is True
    assert member.to_dict()["extensions"] == {"jiangxi": {"relatives": [{"name": "a"}], "flags": {"x": True}}}
    assert pickle.loads(pickle.dumps(member)) == member


def test_extensions_are_bounded_in_size():
    from yibao.member import MAX_EXTENSION_ITEMS

    fine = {"x": list(range(MAX_EXTENSION_ITEMS - 1))}  # 1 key + 9,999 items
    assert len(Member.from_mapping({"category": "employee", "extensions": fine}).extensions["x"]) == MAX_EXTENSION_ITEMS - 1
    with pytest.raises(InputError, match="10,000") as raised:
        Member.from_mapping({"category": "employee", "extensions": {"x": [{"a": 1}] * MAX_EXTENSION_ITEMS}})
    assert raised.value.path == "extensions"


def test_an_open_range_is_paid_up_to_any_month_asked_about():
    member = Member.from_mapping({"category": "employee", "contributions": [{"from": "2025-03", "to": None}]})
    assert member.contributions == ((month_index(2025, 3), OPEN_END),)
    assert member.to_dict()["contributions"] == [{"from": "2025-03"}]


def test_no_hook_can_change_what_another_region_sees_in_a_compare(tmp_path):
    """Issue 9: a hook that tries to change nested extensions fails alone (reported as its
    plugin's failure); the other region of the same compare, and the caller, see the data unchanged."""
    from test_stack import MEMBER as BASE
    from test_stack import toy_file

    import yibao
    from yibao import hookimpl
    from yibao.decisions import CreditDecision

    class Meddler:
        def __init__(self, parameters):
            self.PARAMETERS = parameters

        @hookimpl
        def credit_rate(self, member, as_of, params):
            member.extension("shared")["flags"]["seen"] = True  # raises: read-only
            return None

    class Reader:
        seen: list = []

        def __init__(self, parameters):
            self.PARAMETERS = parameters

        @hookimpl
        def credit_rate(self, member, as_of, params):
            Reader.seen.append(dict(member.extension("shared")["flags"]))
            rate = params["credit_rate"]
            return CreditDecision(has_account=True, monthly_credit=yibao.to_fen(member.contribution_base * rate.value), basis=(rate,))

    engine = yibao.PolicyEngine(
        {"meddler": Meddler(toy_file(tmp_path, "meddler")), "reader": Reader(toy_file(tmp_path, "reader"))}, entry_points=False
    )
    given = dict(BASE, extensions={"shared": {"flags": {"seen": False}}})
    comparison = engine.compare(["meddler", "reader"], given, "2026-03-01")
    assert list(comparison.failures) == ["meddler"]
    assert "read-only" in comparison.failures["meddler"]
    assert Reader.seen == [{"seen": False}]
    assert given["extensions"]["shared"]["flags"] == {"seen": False}


hypothesis = pytest.importorskip("hypothesis")
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_ODD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.builds(pow, st.just(10), st.just(5000)),  # an integer of 5,001 digits
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([Decimal("sNaN"), "2025-01", "2025-13", "1899-12", "employee", "back_paid", "on_time", "shenzhen", "6733.50", ""]),
    st.text(max_size=8),
)
_VALUES = st.recursive(
    _ODD,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.one_of(st.text(max_size=8), st.integers(), st.none()), inner, max_size=4)
    ),
    max_leaves=12,
)
_ITEM = st.dictionaries(st.sampled_from(["from", "to", "base", "tier", "category", "paid", "paid_in", "region", "x"]), _VALUES, max_size=5)
_MEMBERS = st.fixed_dictionaries(
    {"category": st.sampled_from(["employee", "flexible", "retiree", "x"])},
    optional={
        "tier": _VALUES,
        "contribution_base": _VALUES,
        "pension": _VALUES,
        "balance": _VALUES,
        "arrears": _VALUES,
        "contributions": st.lists(_ITEM, max_size=4) | _VALUES,
        "extensions": _VALUES,
    },
)


@settings(max_examples=150, deadline=None)
@given(_MEMBERS)
def test_fuzzed_members_are_accepted_or_refused_with_an_input_error(data):
    """Issue 9: whatever a Python caller passes, the boundary answers or raises InputError."""
    try:
        member = Member.from_mapping(data)
    except InputError:
        return
    assert Member.from_mapping(member.to_dict()) == member  # what it accepts, it writes back and reads the same


@settings(max_examples=100, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "category": _VALUES,
            "tier": _VALUES,
            "contribution_base": _VALUES,
            "arrears": _VALUES,
            "contributions": _VALUES,
            "extensions": _VALUES,
            "balance": _VALUES,
        },
    )
)
def test_fuzzed_direct_members_raise_only_input_errors(fields):
    try:
        Member(**fields)
    except InputError:
        pass
    except TypeError as exc:  # only a missing required argument, which is Python's own call check
        assert "category" in str(exc) and "category" not in fields
