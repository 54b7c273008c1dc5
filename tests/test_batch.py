"""yibao.batch: every row equals yibao.evaluate for that member, exact to the fen.

The expected rows are built from ``Evaluation.to_dict()`` (the JSON contract), not from
the batch module's own column readers, so the two paths are checked against each other.
"""

from __future__ import annotations

import importlib
import json
import random
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest

pa = pytest.importorskip("pyarrow")

import yibao  # noqa: E402
import yibao.batch  # noqa: E402
import yibao.batch.inputs  # noqa: E402
from yibao.batch.columns import plain  # noqa: E402
from yibao.batch.shapes import batch_ready  # noqa: E402

from conftest import BUILT_IN  # noqa: E402

REGIONS = BUILT_IN  # every built-in region
DATES = ("2022-06-15", "2024-01-01", "2025-06-01", "2026-03-01", "2026-11-22", "2028-01-01")
AREAS = ("credit", "lapse", "family", "transfer", "withdrawal")


def expected(engine, region, member, as_of, reform=None):
    """The batch row ``yibao.evaluate`` implies for ``member``, from its JSON form."""
    try:
        result = engine.evaluate(region, member, as_of, reform=reform).to_dict()
    except yibao.InputError as exc:
        return {"error": str(exc)}
    row = {"error": None, "stale": result["stale"]}
    for area in AREAS:
        data = result[area]
        for key, value in data.items():
            if key in ("layer", "citations", "disputed", "not_modelled", "notes", "parameters", "stale"):
                continue
            row[f"{area}_{key}"] = value
        row[f"answered_by_{area}"] = data["layer"]
    row["hypothetical"] = any(p.get("hypothetical", False) for area in AREAS for p in result[area]["parameters"])
    return row


def as_json_row(row):
    """A batch output row in the JSON contract's spelling (money "0.00", dates ISO, months YYYY-MM)."""
    out = {}
    for key, value in row.items():
        if isinstance(value, Decimal):
            value = f"{value:.2f}"
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        elif key == "family_channels" and value is not None:
            value = json.loads(value)  # JSON text in the batch, a list in the evaluation's JSON
        out[key] = value
    if out.get("error") is not None:
        return {"error": out["error"]}
    return out


def member_of(record):
    return {key: value for key, value in record.items() if value is not None}


def population(n, seed, *, bases=None):
    """Members of every kind: categories, tiers, arrears, gaps of every length, retirees,
    no contributions at all, ranges after the date, amounts as text with up to 8 decimals."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        category = rng.choice(("employee", "employee", "flexible", "retiree"))
        tier = rng.choice((1, 1, 2)) if category != "flexible" or rng.random() < 0.9 else 1
        kind = rng.random()
        if kind < 0.35:
            contributions = None
        elif kind < 0.4:
            contributions = []
        else:
            start = rng.randrange(2018 * 12, 2027 * 12)
            ranges = []
            month = start
            for _ in range(rng.choice((1, 2, 2, 3))):
                length = rng.randrange(1, 30)
                ranges.append((month, month + length - 1))
                month += length + rng.randrange(1, 12)
            contributions = [{"from": f"{a // 12}-{a % 12 + 1:02d}", "to": f"{b // 12}-{b % 12 + 1:02d}"} for a, b in ranges]
        base = None
        if rng.random() < 0.9:
            base = rng.choice(bases) if bases else _amount(rng)
        rows.append(
            {
                "category": category,
                "tier": tier,
                "contribution_base": base,
                "contributions": contributions,
                "arrears": rng.random() < 0.1,
                "balance": rng.choice((None, "1234.56", "0")),
            }
        )
    return rows


def _amount(rng):
    whole = rng.randrange(0, 60000)
    digits = rng.choice((0, 0, 2, 2, 2, 3, 8))
    return str(whole) if digits == 0 else f"{whole}.{rng.randrange(10**digits):0{digits}d}"


SCHEMA_IN = pa.schema(
    [
        ("category", pa.string()),
        ("tier", pa.int64()),
        ("contribution_base", pa.string()),
        ("contributions", pa.list_(pa.struct([("from", pa.string()), ("to", pa.string())]))),
        ("arrears", pa.bool_()),
        ("balance", pa.string()),
    ]
)


def check_equal(engine, region, rows, as_of, table=None, reform=None):
    table = table if table is not None else pa.Table.from_pylist(rows, schema=SCHEMA_IN)
    out = yibao.batch.evaluate(region, table, as_of, engine=engine, reform=reform)
    assert out.num_rows == len(rows)
    assert out.schema.field("credit_monthly_credit").type == pa.decimal128(12, 2)
    got = out.to_pylist()
    for i, record in enumerate(rows):
        assert as_json_row(got[i]) == expected(engine, region, member_of(record), as_of, reform), (i, record)
    return out


def test_built_in_regions_declare_the_batch_contract(engine):
    assert all(batch_ready(engine.stack(region)) for region in REGIONS)


def test_contract_2_decides_the_lapse_apart_and_a_layer_declaring_1_keeps_shapes_whole(engine):
    """Contract 2 (only lapse_effect reads contributions): the lapse once per history, the
    other areas once per (category, tier, arrears, class). A stack with a layer that
    declares 1 (a rule of another area may read the history) is evaluated by whole shapes.
    Both equal yibao.evaluate row for row."""
    from yibao.batch.shapes import contract_of
    from yibao.money import to_fen

    rows = population(300, 18)
    assert {contract_of(engine.stack(region)) for region in REGIONS} == {2}
    runner = yibao.batch.evaluator("shenzhen", "2026-03-01", engine=engine)
    runner.evaluate(pa.Table.from_pylist(rows, schema=SCHEMA_IN))
    assert runner.stats["lapse_decisions"] > 0 and runner.stats["evaluations"] < runner.stats["lapse_decisions"]
    check_equal(engine, "shenzhen", rows, "2026-03-01")
    older = _jiangxi_with_credit(lambda base, rate: (to_fen(base), to_fen(to_fen(base) * rate)))
    assert contract_of(older.stack("jiangxi")) == 1
    check_equal(older, "jiangxi", rows, "2026-03-01")
    runner = yibao.batch.evaluator("jiangxi", "2026-03-01", engine=older)
    runner.evaluate(pa.Table.from_pylist(rows, schema=SCHEMA_IN))
    assert runner.stats["lapse_decisions"] == 0 and runner.stats["evaluations"] > 0


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("as_of", DATES)
def test_rows_equal_evaluate_on_generated_populations(engine, region, as_of):
    check_equal(engine, region, population(150, hash((region, as_of)) % 1000), as_of)


def test_bases_at_and_around_shenzhen_limits_and_half_fen(engine):
    """Shenzhen clamps the base to the year's floor and cap ("缴费基数 ... 上下限"); the
    credit is 2% of the base applied, to the fen half-up: bases at, one fen and one
    sub-fen step around each limit, and bases whose 2% ends in half a fen."""
    params = engine.stack("shenzhen").params(date(2026, 3, 1))[-1]
    floor, cap = params["base_floor"].value, params["base_cap"].value
    step = Decimal("0.01")
    bases = []
    for limit in (floor, cap):
        for delta in (-step, -Decimal("0.005"), -Decimal("0.001"), 0, Decimal("0.001"), Decimal("0.004"), Decimal("0.005"), step):
            bases.append(str(limit + delta))
    bases += ["10000.25", "10000.75", "12345.25", "3000.005", "9999.995", "0", "1000000000"]
    rows = [
        {"category": "employee", "tier": 1, "contribution_base": b, "contributions": None, "arrears": False, "balance": None} for b in bases
    ]
    out = check_equal(engine, "shenzhen", rows, "2026-03-01")
    credits = dict(zip(bases, out.column("credit_monthly_credit").to_pylist()))
    assert credits["10000.25"] == Decimal("200.01")  # 200.005 -> 200.01, half-up
    assert credits[str(floor - step)] == credits[str(floor)]  # below the floor the floor applies


def test_the_same_bases_as_numbers_and_decimals(engine):
    rows = population(120, 7)
    bases = [None if r["contribution_base"] is None else Decimal(r["contribution_base"]) for r in rows]
    kinds = {
        "decimal": pa.array(bases, pa.decimal128(18, 8)),
        "float": pa.array([None if b is None else float(b) for b in bases], pa.float64()),
        "int": pa.array([None if b is None else int(b) for b in bases], pa.int64()),
    }
    for _kind, column in kinds.items():
        table = pa.Table.from_pylist(rows, schema=SCHEMA_IN).set_column(2, "contribution_base", column)
        records = [dict(r, contribution_base=column[i].as_py()) for i, r in enumerate(rows)]
        check_equal(engine, "shenzhen", records, "2026-03-01", table=table)


def test_bad_rows_are_reported_and_the_others_kept(engine):
    rows = [
        {"category": "employee", "contribution_base": "10000"},
        {"category": "worker", "contribution_base": "10000"},
        {"category": "employee", "contribution_base": "-5"},
        {"category": "employee", "contributions": [{"from": "2025-13", "to": "2026-01"}]},
        {"category": "employee", "contributions": [{"from": "2026-02", "to": "2025-01"}]},
        {"category": "flexible", "tier": 2, "contribution_base": "8000"},
        {"category": "employee", "tier": 3},
        {"category": "employee", "contribution_base": "12.123456789"},
        {"category": "retiree"},
    ]
    table = pa.Table.from_batches([pa.RecordBatch.from_struct_array(pa.array(rows))])  # every row's fields
    out = yibao.batch.evaluate("shenzhen", table, "2026-03-01", engine=engine)
    errors = out.column("error").to_pylist()
    for i, record in enumerate(rows):
        assert as_json_row(out.slice(i, 1).to_pylist()[0]) == expected(engine, "shenzhen", record, "2026-03-01")
    assert errors[0] is None and errors[-1] is None
    assert errors[1].startswith("category:")
    assert errors[3].startswith("contributions[0].from:")
    assert errors[5].startswith("tier:")  # Shenzhen's own rule: flexible workers join tier 1
    assert out.column("credit_monthly_credit")[0].as_py() == Decimal("200.00")


def test_unknown_column_is_refused_by_name_and_keep_carries_it(engine):
    table = pa.table({"category": ["employee"], "contribution_bse": ["1"]})
    with pytest.raises(yibao.InputError, match="contribution_bse"):
        yibao.batch.evaluate("shenzhen", table, "2026-03-01", engine=engine)
    table = pa.table({"id": [7, 8], "category": ["employee", "retiree"]})
    out = yibao.batch.evaluate("shenzhen", table, "2026-03-01", engine=engine, keep=["id"])
    assert out.column_names[0] == "id" and out.column("id").to_pylist() == [7, 8]


def test_files_and_frames(engine, tmp_path):
    rows = population(40, 3)
    table = pa.Table.from_pylist(rows, schema=SCHEMA_IN)
    import json

    import pyarrow.parquet as pq

    pq.write_table(table, tmp_path / "m.parquet")
    (tmp_path / "m.jsonl").write_text("\n".join(json.dumps(member_of(r)) for r in rows), encoding="utf-8")
    reference = yibao.batch.evaluate("zhejiang", table, "2026-03-01", engine=engine)
    (tmp_path / "dataset").mkdir()
    pq.write_table(table.slice(0, 20), tmp_path / "dataset" / "part-0.parquet")
    pq.write_table(table.slice(20), tmp_path / "dataset" / "part-1.parquet")
    for name in ("m.parquet", "m.jsonl", "dataset"):
        assert yibao.batch.evaluate("zhejiang", tmp_path / name, "2026-03-01", engine=engine).equals(reference), name
    csv = tmp_path / "m.csv"
    lines = ["category,tier,contribution_base,contributions,arrears"]
    for r in rows:
        contributions = "" if r["contributions"] is None else '"' + json.dumps(r["contributions"]).replace('"', '""') + '"'
        lines.append(f"{r['category']},{r['tier']},{r['contribution_base'] or ''},{contributions},{str(r['arrears']).lower()}")
    csv.write_text("\n".join(lines), encoding="utf-8")
    from_csv = yibao.batch.evaluate("zhejiang", csv, "2026-03-01", engine=engine)
    assert from_csv.drop_columns(["error"]).equals(reference.drop_columns(["error"]))
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame(rows)
    frame.loc[0, "tier"] = None  # pandas makes the column float: 1.0 and 2.0 read as tiers
    runner = yibao.batch.evaluator("zhejiang", "2026-03-01", engine=engine)
    from_pandas = runner.evaluate(yibao.batch.inputs.read_table(frame))
    assert from_pandas.slice(1).equals(reference.slice(1)) and runner.stats["per_member"] < len(rows) // 2
    polars = pytest.importorskip("polars")
    runner = yibao.batch.evaluator("zhejiang", "2026-03-01", engine=engine)
    assert runner.evaluate(yibao.batch.inputs.read_table(polars.DataFrame(rows))).equals(reference)  # large strings and lists
    assert runner.stats["per_member"] < len(rows) // 2


def test_a_region_without_the_contract_gives_the_same_rows_member_by_member(tmp_path):
    import importlib
    import types

    zhejiang = importlib.import_module("yibao_regions.zhejiang")
    plain = types.ModuleType("plain_zhejiang")
    plain.PARAMETERS = zhejiang.PARAMETERS  # its rules are tables of region.toml; no BATCH_CONTRACT
    engine = yibao.PolicyEngine({"zhejiang": plain}, entry_points=False)
    assert not batch_ready(engine.stack("zhejiang"))
    rows = population(60, 11)
    runner = yibao.batch.evaluator("zhejiang", "2026-03-01", engine=engine)
    runner.evaluate(pa.Table.from_pylist(rows, schema=SCHEMA_IN))
    assert runner.stats["per_member"] == len(rows)
    check_equal(engine, "zhejiang", rows, "2026-03-01")


def test_shapes_are_shared(engine):
    rows = [
        {"category": "employee", "tier": 1, "contribution_base": str(3000 + i), "contributions": None, "arrears": False, "balance": None}
        for i in range(500)
    ]
    runner = yibao.batch.evaluator("shenzhen", "2026-03-01", engine=engine)
    runner.evaluate(pa.Table.from_pylist(rows, schema=SCHEMA_IN))
    assert runner.stats["by_shape"] == 500
    assert runner.stats["evaluations"] <= 4  # limits, then below / within / above the limits


def test_import_yibao_and_the_cli_do_not_import_pyarrow():
    code = (
        "import sys, yibao, yibao.cli; yibao.evaluate('shenzhen', {'category': 'employee'}, '2026-03-01');"
        "print(sorted(m for m in ('pyarrow', 'numpy', 'pandas', 'polars', 'pyspark') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_reform_in_batch_equals_the_reform_member_by_member(engine, tmp_path):
    path = tmp_path / "floor.toml"
    path.write_text("[parameters.base_floor]\n[[parameters.base_floor.values]]\nfrom = 2027-01-01\nvalue = 9000.5\n", encoding="utf-8")
    rows = population(200, 5)
    out = check_equal(engine, "shenzhen", rows, "2027-03-01", reform=path)
    hypothetical = out.column("hypothetical").to_pylist()
    below = [
        i
        for i, r in enumerate(rows)
        if r["contribution_base"] and Decimal(r["contribution_base"]) < 9000 and r["category"] == "employee" and r["tier"] == 1
    ]
    assert below and all(hypothetical[i] for i in below)


def test_yibao_spark_imports_pyspark_only_when_called():
    code = "import sys, yibao.spark, yibao.batch; print('pyspark' in sys.modules, 'pandas' in sys.modules, 'pyarrow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False"]


def test_reform_is_exported():
    assert yibao.Reform is yibao.reform.Reform and "Reform" in yibao.__all__


def _jiangxi_with_credit(credit):
    """Jiangxi's plugin with its own credit hook (a third-party region declaring the contract)."""
    import types

    from yibao import CreditDecision

    jiangxi = importlib.import_module("yibao_regions.jiangxi")
    module = types.ModuleType("jiangxi_variant")
    for name in ("PARAMETERS",):  # its rules are tables of region.toml; credit_rate, below, wins over its table
        setattr(module, name, getattr(jiangxi, name))
    if hasattr(jiangxi, "transfer_in"):
        module.transfer_in = jiangxi.transfer_in
    module.BATCH_CONTRACT = 1

    def credit_rate(member, as_of, params):
        rate = params["credit_rate"]
        if member.category == "retiree" or rate is None or member.contribution_base is None:
            return None
        base, money = credit(member.contribution_base, rate.value)
        return CreditDecision(has_account=True, monthly_credit=money, base_applied=base, rate=rate.value, basis=(rate,))

    module.credit_rate = yibao.hookimpl(credit_rate)
    return yibao.PolicyEngine({"jiangxi": module}, entry_points=False)


SUB_FEN = [f"{base}.{tail}" for base in (3000, 10000, 12345, 49999) for tail in ("005", "004", "0049", "995", "12345678", "5", "25")]


def test_a_credit_that_rounds_the_base_first_is_vectorised_for_sub_fen_bases_too():
    """credit = to_fen(to_fen(base) * rate): the rule the vectorised path computes, so every
    group, sub-fen bases included, goes by shape and equals the stack member by member."""
    from yibao.money import to_fen

    engine = _jiangxi_with_credit(lambda base, rate: (to_fen(base), to_fen(to_fen(base) * rate)))
    rows = [
        {"category": "employee", "tier": 1, "contribution_base": b, "contributions": None, "arrears": False, "balance": None}
        for b in SUB_FEN
    ]
    out = check_equal(engine, "jiangxi", rows, "2026-03-01")
    assert out.column("answered_by_credit").to_pylist() == ["jiangxi"] * len(rows)
    runner = yibao.batch.evaluator("jiangxi", "2026-03-01", engine=engine)
    runner.evaluate(pa.Table.from_pylist(rows, schema=SCHEMA_IN))
    assert runner.stats["per_member"] == 0


@pytest.mark.parametrize(
    "credit",
    [
        lambda base, rate: (to_fen_(base), to_fen_(to_fen_(base) * rate * Decimal("1.5"))),  # not the rate it reports
        lambda base, rate: (to_fen_(base), to_fen_(to_fen_(base) * rate) + Decimal("0.01")),  # not the formula at all
    ],
)
def test_a_credit_the_formula_does_not_reproduce_is_evaluated_member_by_member(credit):
    engine = _jiangxi_with_credit(credit)
    rows = [
        {"category": "employee", "tier": 1, "contribution_base": b, "contributions": None, "arrears": False, "balance": None}
        for b in SUB_FEN
    ]
    out = check_equal(engine, "jiangxi", rows, "2026-03-01")
    assert out.column("answered_by_credit").to_pylist() == ["jiangxi"] * len(rows)
    runner = yibao.batch.evaluator("jiangxi", "2026-03-01", engine=engine)
    runner.evaluate(pa.Table.from_pylist(rows, schema=SCHEMA_IN))
    assert runner.stats["per_member"] > 0


def to_fen_(amount):
    from yibao.money import to_fen

    return to_fen(amount)


def test_chunked_columns_and_slices_fed_one_after_another(engine):
    """A table of several chunks, and slices of it through one evaluator (as policy batch
    and Spark feed it), give the rows the whole table gives."""
    rows = population(300, 31)
    parts = [pa.Table.from_pylist(rows[i : i + 100], schema=SCHEMA_IN) for i in range(0, 300, 100)]
    table = pa.concat_tables(parts)
    assert table.column("contributions").num_chunks == 3
    whole = check_equal(engine, "zhejiang", rows, "2026-11-22", table=table)
    runner = yibao.batch.evaluator("zhejiang", "2026-11-22", engine=engine)
    pieces = [runner.evaluate(table.slice(start, 70)) for start in range(0, 300, 70)]
    # (each piece has its own dictionaries of shared texts: compared as the texts they hold)
    assert plain(pa.concat_tables(pieces)).equals(plain(whole))
    assert runner.stats["evaluations"] < 300


def test_members_with_extensions_are_evaluated_one_by_one_and_equal(engine):
    rows = [
        {"category": "employee", "contribution_base": "10000", "extensions": {"shenzhen": {"hukou": "local"}}},
        {"category": "employee", "contribution_base": "10000"},
        {"category": "employee", "contribution_base": "10000", "extensions": {"shenzhen": {"hukou": "other"}}},
    ]
    table = pa.Table.from_batches([pa.RecordBatch.from_struct_array(pa.array(rows))])
    runner = yibao.batch.evaluator("shenzhen", "2026-03-01", engine=engine)
    out = runner.evaluate(table)
    assert runner.stats["per_member"] == 2 and runner.stats["by_shape"] == 1
    for i, record in enumerate(rows):
        assert as_json_row(out.slice(i, 1).to_pylist()[0]) == expected(engine, "shenzhen", record, "2026-03-01")


def test_the_cycle_collector_is_paused_for_a_table_and_left_as_it_was(engine, monkeypatch):
    """Paused while a table is evaluated (it walked every object kept for the table), then
    as the caller had it: on stays on, off stays off, and an error does not leave it off."""
    import gc

    table = pa.Table.from_pylist(population(20, 7), schema=SCHEMA_IN)
    runner = yibao.batch.evaluator("shenzhen", "2026-03-01", engine=engine)
    during = []
    evaluate = runner._evaluate

    def watched(member):
        during.append(gc.isenabled())
        return evaluate(member)

    monkeypatch.setattr(runner, "_evaluate", watched)
    assert gc.isenabled()
    runner.evaluate(table)
    assert during and not any(during) and gc.isenabled()
    gc.disable()
    try:
        runner.evaluate(pa.Table.from_pylist(population(20, 8), schema=SCHEMA_IN))
        assert not gc.isenabled()
    finally:
        gc.enable()

    def broken(member):
        raise RuntimeError("a failure of this module, not of the input")

    fresh = yibao.batch.evaluator("shenzhen", "2026-03-01", engine=engine)
    monkeypatch.setattr(fresh, "_evaluate", broken)
    with pytest.raises(RuntimeError):
        fresh.evaluate(table)
    assert gc.isenabled()
