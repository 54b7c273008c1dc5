"""yibao.batch on every shape of history: open ranges, gaps, back payments, ranges with
their own base, tier or category, ranges out of order; each row equals yibao.evaluate,
and rows that differ only in what no rule sees share one evaluation."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")

from test_batch import as_json_row, expected  # noqa: E402

import yibao  # noqa: E402
import yibao.batch  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _generator():
    spec = importlib.util.spec_from_file_location("population", ROOT / "benchmarks" / "population.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def member_of(row):
    """An input row as the mapping yibao.evaluate takes: null cells and null range fields absent."""
    out = {key: value for key, value in row.items() if value is not None}
    if isinstance(out.get("contributions"), list):
        out["contributions"] = [{k: v for k, v in item.items() if v is not None} for item in out["contributions"]]
    return out


def check_rows(engine, region, table, as_of):
    runner = yibao.batch.evaluator(region, as_of, engine=engine)
    out = runner.evaluate(table)
    for i, (row, got) in enumerate(zip(table.to_pylist(), out.to_pylist())):
        assert as_json_row(got) == expected(engine, region, member_of(row), as_of), (i, row)
    return runner


@pytest.mark.parametrize("region", ["shenzhen", "zhejiang", "nanchang"])
@pytest.mark.parametrize("as_of", ["2026-03-01", "2024-07-15"])
def test_the_benchmark_population_equals_evaluate_row_for_row(engine, region, as_of):
    """The checked-in generator: 40% still paying (open ranges), gaps, back payments,
    ranges with their own base, all categories, both tiers; all by shape."""
    table = _generator().population(600, seed=hash((region, as_of)) % 1000)
    assert table.column("contributions").null_count < 600
    runner = check_rows(engine, region, table, as_of)
    assert runner.stats["per_member"] == 0 and runner.stats["fallbacks"] == 0


def test_still_paying_members_share_one_shape_whatever_month_they_joined(engine):
    rows = [
        {"category": "employee", "contribution_base": str(8000 + i), "contributions": [{"from": f"{2000 + i % 25}-{i % 12 + 1:02d}"}]}
        for i in range(400)
    ]
    table = pa.Table.from_pylist(rows)
    runner = check_rows(engine, "shenzhen", table, "2026-03-01")
    assert runner.stats["by_shape"] == 400 and runner.stats["evaluations"] <= 4
    nulls = pa.Table.from_pylist([dict(r, contributions=[{"from": r["contributions"][0]["from"], "to": None}]) for r in rows])
    assert yibao.batch.evaluate("shenzhen", nulls, "2026-03-01", engine=engine).equals(runner.evaluate(table))


def test_a_range_with_its_own_base_tier_or_category_is_read_by_shape(engine):
    """Member.in_month: the range paying the as-of month gives the base, tier and
    category the rules see; the other ranges' own values are not seen."""
    rows = []
    for i in range(120):
        latest = {"from": "2025-06", "base": str(6000 + 97 * i)}
        if i % 3 == 1:
            latest["tier"] = 2
        if i % 5 == 2:
            latest["category"] = "flexible"
            latest.pop("tier", None)
        earlier = {"from": "2019-01", "to": "2025-02", "base": str(40000 + i), "category": "retiree" if i % 2 else "employee"}
        rows.append({"category": "employee", "tier": 1, "contribution_base": "12000", "contributions": [earlier, latest]})
    rows.append({"category": "flexible", "contributions": [{"from": "2025-01", "tier": 2}]})  # Shenzhen refuses tier 2 for them
    runner = check_rows(engine, "shenzhen", pa.Table.from_pylist(rows), "2026-03-01")
    assert runner.stats["per_member"] == 1  # the refused row: a refusal is read member by member, with its own message
    assert runner.stats["evaluations"] < 40


def test_back_payments_and_regions_are_shapes_too(engine):
    rows = [
        {
            "category": "employee",
            "contribution_base": "9000",
            "contributions": [
                {"from": "2018-01", "to": "2024-05", "region": "shenzhen"},
                {"from": "2024-06", "to": f"2024-{6 + i % 4:02d}", "paid": "back_paid", "paid_in": "2024-12"},
                {"from": f"2024-{7 + i % 4:02d}"},
            ],
        }
        for i in range(40)
    ]
    rows.append({"category": "employee", "contributions": [{"from": "2024-06", "paid": "back_paid"}]})  # refused: no 'to'
    rows.append({"category": "employee", "contributions": [{"from": "2024-06", "to": "2024-08", "paid_in": "2024-12"}]})
    runner = check_rows(engine, "zhejiang", pa.Table.from_pylist(rows), "2026-03-01")
    assert runner.stats["per_member"] == 2 and runner.stats["evaluations"] <= 8


def test_ranges_out_of_order_and_adjacent_ranges(engine):
    rows = [
        {"category": "employee", "contributions": [{"from": "2025-01", "to": None}, {"from": "2019-01", "to": "2024-06"}]},
        {"category": "employee", "contributions": [{"from": "2019-01", "to": "2024-06"}, {"from": "2024-07", "to": None}]},
        {"category": "employee", "contributions": [{"from": "2019-01", "to": None}, {"from": "2024-07", "to": "2025-01"}]},  # overlap
        {"category": "employee", "contributions": []},
        {"category": "retiree", "contributions": [{"from": "1990-01", "to": "2020-12"}]},
    ]
    runner = check_rows(engine, "shenzhen", pa.Table.from_pylist(rows), "2026-03-01")
    assert runner.stats["per_member"] == 1  # the overlap, refused with evaluate's message


def test_histories_as_json_text_as_a_csv_holds_them(engine, tmp_path):
    table = _generator().population(300, seed=5)
    rows = table.to_pylist()
    lines = ["category,tier,contribution_base,contributions,arrears"]
    for row in rows:
        member = member_of(row)
        text = "" if "contributions" not in member else '"' + json.dumps(member["contributions"]).replace('"', '""') + '"'
        lines.append(f"{row['category']},{row['tier']},{row['contribution_base'] or ''},{text},{str(row['arrears']).lower()}")
    path = tmp_path / "m.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    runner = yibao.batch.evaluator("shenzhen", "2026-03-01", engine=engine)
    out = runner.evaluate(yibao.batch.read_table(path))
    assert runner.stats["per_member"] == 0
    assert out.equals(yibao.batch.evaluate("shenzhen", table, "2026-03-01", engine=engine))


def test_shared_texts_are_dictionary_encoded_and_plain_gives_strings(engine):
    from yibao.batch.columns import PLAIN_SCHEMA, SCHEMA, plain

    out = yibao.batch.evaluate("shenzhen", pa.table({"category": ["employee", "retiree"] * 3}), "2026-03-01", engine=engine)
    assert out.schema == SCHEMA
    assert pa.types.is_dictionary(out.schema.field("family_channels").type)
    assert pa.types.is_dictionary(out.schema.field("withdrawal_grounds").type.value_type)
    assert out.schema.field("error").type == pa.string()
    flat = plain(out)
    assert flat.schema == PLAIN_SCHEMA and flat.to_pylist() == out.to_pylist()
    assert isinstance(out.column("answered_by_credit")[0].as_py(), str)
