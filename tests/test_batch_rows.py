"""yibao.batch refuses a bad row, never the table (issue 21): each row is validated as
yibao.evaluate validates it, a bad cell is that row's error, every exception a
YibaoError, and the row named is the row read."""

from __future__ import annotations

import json

import pytest

pa = pytest.importorskip("pyarrow")

from test_batch import as_json_row, expected  # noqa: E402

import yibao  # noqa: E402
import yibao.batch  # noqa: E402

AS_OF = "2026-03-01"
GOOD = {"category": "employee", "contribution_base": "10000"}


def answers(engine, table, region="shenzhen"):
    return yibao.batch.evaluate(region, table, AS_OF, engine=engine)


def assert_rows_equal_evaluate(engine, out, members):
    assert out.num_rows == len(members)
    for i, (got, member) in enumerate(zip(out.to_pylist(), members)):
        assert as_json_row(got) == expected(engine, "shenzhen", member, AS_OF), (i, member)


def test_overlapping_ranges_are_refused_as_evaluate_refuses_them(engine):
    members = [
        {**GOOD, "contributions": [{"from": "2020-01", "to": "2025-12"}, {"from": "2024-01", "to": "2026-12"}]},
        {**GOOD, "contributions": [{"from": "2020-01"}, {"from": "2024-01", "to": "2024-02"}]},  # an open range overlaps all after it
        {**GOOD, "contributions": [{"from": "2020-01", "to": "2025-12"}]},
    ]
    out = answers(engine, pa.Table.from_pylist(members))
    errors = out.column("error").to_pylist()
    assert "overlaps" in errors[0] and "overlaps" in errors[1] and errors[2] is None
    assert out.column("credit_monthly_credit")[0].as_py() is None  # was 200.00 before
    assert_rows_equal_evaluate(engine, out, [{k: v for k, v in m.items()} for m in members])


def test_a_row_spanning_more_than_a_hundred_years_is_its_own_error(engine):
    members = [{**GOOD, "contributions": [{"from": "1901-01", "to": "1901-02"}, {"from": "2025-01", "to": "2026-12"}]}, GOOD]
    out = answers(engine, pa.Table.from_pylist(members))
    assert out.column("error")[0].as_py().startswith("contributions: the history spans") and out.column("error")[1].as_py() is None
    assert_rows_equal_evaluate(engine, out, members)


def test_bad_csv_cells_are_their_rows_errors(engine, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(
        "category,tier,arrears,contribution_base\nemployee,1,false,10000\nemployee,x,false,10000\n"
        "employee,2,yes,10000\nflexible,,,8000\nemployee,2.0,TRUE,9000\n",
        encoding="utf-8",
    )
    out = answers(engine, path)
    errors = out.column("error").to_pylist()
    assert errors[1] == "tier: 'x' is not one of 1, 2" and errors[2] == "arrears: 'yes' is not true or false"
    assert errors[0] is errors[3] is errors[4] is None
    members = [
        {**GOOD, "tier": 1, "arrears": False},
        None,
        None,
        {"category": "flexible", "contribution_base": "8000"},
        {"category": "employee", "tier": 2, "arrears": True, "contribution_base": "9000"},
    ]
    for i, member in enumerate(members):
        if member is not None:
            assert as_json_row(out.slice(i, 1).to_pylist()[0]) == expected(engine, "shenzhen", member, AS_OF)


def test_a_bad_jsonl_value_or_line_is_that_rows_error_named_by_its_line(engine, tmp_path):
    lines = [json.dumps({**GOOD, "tier": 1})] * 3000
    lines[1500] = json.dumps({**GOOD, "tier": "x"})
    lines[2000] = '{"category": "employee", '  # cut short
    lines.insert(10, "")  # a blank line: no row (Arrow reads it so too)
    path = tmp_path / "m.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = answers(engine, path)
    assert out.num_rows == 3000
    errors = out.column("error").to_pylist()
    bad = [i for i, e in enumerate(errors) if e is not None]
    assert bad == [1500, 2000]
    assert errors[1500] == expected(engine, "shenzhen", {**GOOD, "tier": "x"}, AS_OF)["error"]
    assert errors[2000].startswith("line 2002: not JSON text")  # line 2002 of the file: the blank line counts
    assert out.column("credit_monthly_credit")[0].as_py() is not None


def test_duplicate_column_names_are_one_clear_error(engine):
    table = pa.Table.from_arrays([pa.array(["employee"]), pa.array(["retiree"])], names=["category", "category"])
    with pytest.raises(yibao.InputError, match="category: the input has two columns of this name"):
        answers(engine, table)


def test_a_contributions_column_of_integers_refuses_its_rows_only(engine):
    table = pa.table({"category": ["employee", "employee"], "contributions": pa.array([5, None], pa.int64())})
    out = answers(engine, table)
    assert out.column("error").to_pylist() == [
        expected(engine, "shenzhen", {"category": "employee", "contributions": 5}, AS_OF)["error"],
        None,
    ]


def test_an_unknown_category_in_every_row(engine):
    out = answers(engine, pa.table({"category": ["worker", "boss", None]}))
    errors = out.column("error").to_pylist()
    assert all(e is not None for e in errors) and errors[0].startswith("category: 'worker'")


def test_deeply_nested_json_text_in_a_cell(engine):
    deep = "[" * 100_000 + "]" * 100_000
    table = pa.table(
        {
            "category": ["employee"] * 3,
            "contributions": [deep, None, '{"a": ' * 50_000 + "1" + "}" * 50_000],
            "extensions": [None, deep, None],
        }
    )
    errors = answers(engine, table).column("error").to_pylist()
    assert errors[0] == "contributions: JSON text nested too deeply to read"
    assert errors[1] == "extensions: JSON text nested too deeply to read"
    assert errors[2] == "contributions: JSON text nested too deeply to read"


ODD = {
    "int": pa.array([1, None], pa.int64()),
    "float": pa.array([float("nan"), 2.5]),
    "text": pa.array(["x", ""], pa.string()),
    "bool": pa.array([True, None]),
    "list_int": pa.array([[1], []], pa.list_(pa.int64())),
    "list_struct_odd": pa.array([[{"from": 1, "to": "x", "base": [1]}], None]),
    "struct": pa.array([{"a": 1}, None]),
    "binary": pa.array([b"\xff", None], pa.binary()),
    "large_text": pa.array(["2025-01", None], pa.large_string()),
    "dictionary": pa.array(["employee", "x"]).dictionary_encode(),
    "date": pa.array([None, None], pa.date32()),
    "decimal": pa.array([None, None], pa.decimal128(38, 20)),
    "nulls": pa.nulls(2),
}


@pytest.mark.parametrize("field", ["category", "tier", "contribution_base", "pension", "contributions", "arrears", "balance", "extensions"])
def test_any_type_in_any_column_gives_rows_or_a_yibao_error(engine, field):
    """Every kind of column a file or frame can hold, in every member field: each row is
    answered or refused, and nothing but a YibaoError is ever raised."""
    for kind, column in ODD.items():
        table = pa.table({field: column}) if field == "category" else pa.table({"category": ["employee", "retiree"], field: column})
        try:
            out = answers(engine, table)
        except yibao.YibaoError:
            continue
        assert out.num_rows == 2, kind
        for i in range(2):
            member = {name: table.column(name)[i].as_py() for name in table.column_names}
            member = {k: v for k, v in member.items() if v is not None}
            got = as_json_row(out.slice(i, 1).to_pylist()[0])
            if kind in ("binary", "dictionary", "date", "large_text", "decimal") or (
                kind == "text" and field in ("contributions", "extensions")
            ):
                continue  # no JSON form (or JSON text in a JSON-text field): answered or refused is what is asked
            assert got == expected(engine, "shenzhen", member, AS_OF), (kind, i, member)
