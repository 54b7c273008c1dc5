"""Batch speed: a generated population of members through all five areas, exact to the fen.

Reports; does not judge (exit code 0 whatever the figures). Needs the batch extra
(pyarrow, numpy); the Spark figure needs the spark extra; the OpenFisca figure runs in a
virtual environment of its own (never a dependency of this project)::

    python benchmarks/batch_bench.py                      # 1,000,000 members, all figures
    python benchmarks/batch_bench.py --members 200000 --skip spark,openfisca
    python benchmarks/batch_bench.py --openfisca-python /path/to/venv/bin/python
    python benchmarks/batch_bench.py --json

Figures (see benchmarks/README.md):

1. ``yibao.batch.evaluate`` on an in-memory Arrow table, warm (after one run on a few
   rows that loads the plugins), median of ``--repeat`` runs; then a sample of rows
   compared with ``yibao.evaluate`` (``--check``, default 20,000; 0: all rows).
2. The NumPy floor: the Shenzhen credit alone (clamp, 2%, half-up in integer fen).
3. OpenFisca's country template computing one variable (``income_tax``) for the same
   number of persons, in its own interpreter (skipped with a message if unavailable).
4. ``policy batch`` end to end on a Parquet file of the population (a fresh process:
   start-up, reading, evaluating, writing the answers).
5. ``yibao.spark.evaluate`` in Spark local mode on all cores, the answers written to
   Parquet, and the total credit alone; the session start and a first run (Python
   workers starting and importing yibao) are excluded and reported apart.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_OF = "2026-03-01"
REGION = "shenzhen"


def population(n: int, seed: int = 2026):
    """90% paying continuously, 10% with a gap; bases 3,000-50,000 yuan in fen; all three
    categories (flexible workers on tier 1); both tiers."""
    import numpy as np
    import pyarrow as pa

    from yibao.batch.shapes import fen_array

    rng = np.random.default_rng(seed)
    category = rng.choice(np.array(["employee", "flexible", "retiree"]), n, p=[0.7, 0.2, 0.1])
    tier = np.where(category == "flexible", 1, rng.choice([1, 2], n, p=[0.8, 0.2]))
    base = fen_array(rng.integers(300_000, 5_000_001, n), np.ones(n, dtype=bool))
    gap = rng.random(n) < 0.1
    rows = np.flatnonzero(gap)
    start = rng.integers(2010 * 12, 2024 * 12, len(rows))
    stop = rng.integers(2024 * 12, 2026 * 12 + 2, len(rows))
    length = rng.integers(1, 10, len(rows))
    resume = stop + length + 1

    def month(values):
        return [f"{v // 12}-{v % 12 + 1:02d}" for v in values.tolist()]

    froms = np.empty(2 * len(rows), dtype=object)
    tos = np.empty(2 * len(rows), dtype=object)
    froms[0::2], froms[1::2] = month(start), month(resume)
    tos[0::2], tos[1::2] = month(stop), "2027-12"
    offsets = np.zeros(n + 1, dtype=np.int32)
    offsets[1:] = np.cumsum(np.where(gap, 2, 0))
    items = pa.StructArray.from_arrays([pa.array(froms, pa.string()), pa.array(tos, pa.string())], ["from", "to"])
    contributions = pa.ListArray.from_arrays(pa.array(offsets), items, mask=pa.array(~gap))
    return pa.table({"category": category, "tier": tier, "contribution_base": base, "contributions": contributions})


CPU: list[float] = []  # processor seconds of the last timed() runs: less sensitive than wall time to a busy machine


def timed(function, repeat: int) -> list[float]:
    out = []
    CPU.clear()
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        function()
        out.append(time.perf_counter() - started)
        CPU.append(time.process_time() - cpu)
    return out


def batch_figure(table, repeat: int, check: int) -> dict:
    import yibao
    import yibao.batch

    yibao.batch.evaluate(REGION, table.slice(0, 100), AS_OF)  # load the plugins
    result = {}

    def run() -> None:
        result["out"] = yibao.batch.evaluate(REGION, table, AS_OF)

    times = timed(run, repeat)
    out = result["out"]
    n = table.num_rows
    indices = list(range(n)) if check == 0 or check >= n else sorted(random.Random(1).sample(range(n), check))
    members = table.take(indices).to_pylist()
    answers = (
        out.take(indices)
        .select(
            [
                "credit_monthly_credit",
                "credit_base_applied",
                "lapse_pooled_benefits",
                "lapse_pooled_benefits_resume",
                "transfer_blockers",
                "error",
            ]
        )
        .to_pylist()
    )
    engine = yibao.PolicyEngine()
    wrong = 0
    loop_started = time.perf_counter()
    for member, answer in zip(members, answers):
        member = {key: value for key, value in member.items() if value is not None}
        evaluation = engine.evaluate(REGION, member, AS_OF)
        expected = (
            evaluation.credit.monthly_credit,
            None if evaluation.credit.base_applied is None else yibao.to_fen(evaluation.credit.base_applied),
            evaluation.lapse.pooled_benefits,
            evaluation.lapse.pooled_benefits_resume,
            list(evaluation.transfer.blockers),
            None,
        )
        wrong += expected != tuple(answer.values())
    per_member = (time.perf_counter() - loop_started) / max(len(indices), 1)  # evaluate + the comparison: an upper bound
    cpu = list(CPU)
    return {
        "members": n,
        "cpu_median_s": statistics.median(cpu),
        "median_s": statistics.median(times),
        "min_s": min(times),
        "runs": [round(t, 3) for t in times],
        "checked_rows": len(indices),
        "per_member_loop_us": per_member * 1e6,
        "rows_differing": wrong,
    }


def numpy_floor(n: int, repeat: int) -> dict:
    import numpy as np

    rng = np.random.default_rng(1)
    base = rng.integers(300_000, 5_000_001, n)  # fen
    floor, cap = 672_700, 3_363_300

    def credit():
        applied = np.clip(base, floor, cap)
        return (applied * 2 + 50) // 100  # 2%, half-up, in fen

    times = timed(credit, repeat * 3)
    return {"median_s": statistics.median(times), "min_s": min(times)}


OPENFISCA = r"""
import json, sys, time
import numpy as np
from openfisca_core.simulation_builder import SimulationBuilder
from openfisca_country_template import CountryTaxBenefitSystem
n, repeat = int(sys.argv[1]), int(sys.argv[2])
system = CountryTaxBenefitSystem()
times = []
for _ in range(repeat):
    simulation = SimulationBuilder().build_default_simulation(system, count=n)
    simulation.set_input("salary", "2026-03", np.random.default_rng(1).uniform(3000, 50000, n).astype(np.float32))
    started = time.perf_counter()
    simulation.calculate("income_tax", "2026-03")
    times.append(time.perf_counter() - started)
print(json.dumps({"median_s": sorted(times)[len(times) // 2], "min_s": min(times)}))
"""


def openfisca_figure(n: int, repeat: int, python: str | None) -> dict:
    if not python:
        return {"skipped": "no OpenFisca interpreter: pass --openfisca-python (a venv with openfisca-core and openfisca-country-template)"}
    done = subprocess.run([python, "-c", OPENFISCA, str(n), str(repeat)], capture_output=True, text=True)
    if done.returncode != 0:
        return {"skipped": f"OpenFisca run failed: {(done.stderr.strip().splitlines() or ['?'])[-1]}"}
    return json.loads(done.stdout)


def cli_figure(table, repeat: int) -> dict:
    import pyarrow.parquet as pq

    policy = Path(sys.executable).with_name("policy")
    command = [str(policy)] if policy.exists() else [sys.executable, "-c", "from yibao.cli import main; main()"]
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "members.parquet"
        pq.write_table(table, source)
        args = [*command, "batch", REGION, str(source), "-o", str(Path(folder) / "answers.parquet"), "--as-of", AS_OF, "--no-progress"]
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            done = subprocess.run(args, capture_output=True, text=True)
            times.append(time.perf_counter() - started)
        first = done.stdout.splitlines()[0] if done.stdout else done.stderr.strip()
    return {"median_s": statistics.median(times), "min_s": min(times), "summary": first}


def spark_figure(table, repeat: int) -> dict:
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        return {"skipped": "pyspark is not installed (pip install 'yibao-policy[spark]')"}
    import yibao.spark

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    started = time.perf_counter()
    spark = SparkSession.builder.master("local[*]").config("spark.ui.enabled", "false").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    session = time.perf_counter() - started
    try:
        df = spark.createDataFrame(table).cache()
        df.count()

        def total() -> None:
            yibao.spark.evaluate(df, REGION, AS_OF).agg({"credit_monthly_credit": "sum"}).collect()

        started = time.perf_counter()
        total()  # warm-up: the Python workers start and import yibao
        warm_up = time.perf_counter() - started
        sums = timed(total, repeat)
        with tempfile.TemporaryDirectory() as folder:
            times = timed(lambda: yibao.spark.evaluate(df, REGION, AS_OF).write.mode("overwrite").parquet(folder + "/out"), repeat)
    finally:
        spark.stop()
    return {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "sum_median_s": statistics.median(sums),
        "warm_up_s": warm_up,
        "session_start_s": session,
        "cores": os.cpu_count(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--check", type=int, default=20_000, help="rows compared with yibao.evaluate (0: all)")
    parser.add_argument("--openfisca-python", default=os.environ.get("OPENFISCA_PYTHON"))
    parser.add_argument("--skip", default="", help="comma-separated: openfisca,cli,spark")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    load = os.getloadavg()[0]
    table = population(args.members)
    figures = {
        "load_before": load,
        "batch": batch_figure(table, args.repeat, args.check),
        "numpy_floor": numpy_floor(args.members, args.repeat),
    }
    if "openfisca" not in skip:
        figures["openfisca"] = openfisca_figure(args.members, args.repeat, args.openfisca_python)
    if "cli" not in skip:
        figures["cli"] = cli_figure(table, max(1, args.repeat // 2))
    if "spark" not in skip:
        figures["spark"] = spark_figure(table, max(1, args.repeat // 2))
    figures["load_after"] = os.getloadavg()[0]
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    n = f"{args.members:,}"
    batch = figures["batch"]
    goal = ("PASS" if batch["median_s"] <= 1.5 else "MISS") if args.members == 1_000_000 else "n/a"
    print(f"load average {figures['load_before']:.2f} before, {figures['load_after']:.2f} after (2 cores: above ~1 the figures are slower)")
    print(
        f"1 yibao.batch, {n} members, 5 areas: median {batch['median_s']:.3f} s (min {batch['min_s']:.3f}, CPU {batch['cpu_median_s']:.3f} s)"
    )
    print(f"  [{goal}: goal 1.5 s for 1,000,000 members, median wall time]")
    print(f"  exact: {batch['checked_rows'] - batch['rows_differing']:,} of {batch['checked_rows']:,} sampled rows equal yibao.evaluate")
    loop = batch["per_member_loop_us"]
    print(f"  for scale: yibao.evaluate in a loop, {loop:.0f} µs a member, {loop * args.members / 1e6:.1f} s for {n}")
    floor = figures["numpy_floor"]
    print(f"2 NumPy floor, credit alone: median {floor['median_s'] * 1000:.1f} ms")
    for key, label in (
        ("openfisca", "3 OpenFisca country template, income_tax"),
        ("cli", "4 policy batch, Parquet to Parquet"),
        ("spark", "5 yibao.spark, local mode"),
    ):
        figure = figures.get(key)
        if figure is None:
            continue
        if "skipped" in figure:
            print(f"{label}: skipped ({figure['skipped']})")
        else:
            print(f"{label}: median {figure['median_s']:.3f} s (min {figure['min_s']:.3f})")
            if "session_start_s" in figure:
                print(
                    f"  written to Parquet; the total credit alone (no write) {figure['sum_median_s']:.3f} s;"
                    f" apart: session start {figure['session_start_s']:.1f} s, first run {figure['warm_up_s']:.1f} s"
                )


if __name__ == "__main__":
    main()
