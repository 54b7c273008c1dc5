"""yibao.spark in Spark local mode: one small session, the same rows as yibao.batch."""

from __future__ import annotations

import os
import sys

import pytest

pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")

pa = pytest.importorskip("pyarrow")
pyspark = pytest.importorskip("pyspark")

from test_batch import SCHEMA_IN, population  # noqa: E402

import yibao  # noqa: E402
import yibao.batch  # noqa: E402
import yibao.spark  # noqa: E402


def _java() -> bool:
    import shutil

    return bool(os.environ.get("JAVA_HOME") or shutil.which("java"))


@pytest.fixture(scope="module")
def spark():
    """One local Spark session for the module (a JVM start: a few seconds on an idle
    machine), its Python workers on this interpreter, seeing the built-in regions only."""
    from pyspark.sql import SparkSession

    if not _java():
        pytest.skip("Spark needs Java (17) on PATH or JAVA_HOME")
    saved = {key: os.environ.get(key) for key in ("PYSPARK_PYTHON", "YIBAO_LOAD_PLUGINS", "SPARK_LOCAL_IP")}
    os.environ.update(PYSPARK_PYTHON=sys.executable, YIBAO_LOAD_PLUGINS="", SPARK_LOCAL_IP="127.0.0.1")
    session = (
        SparkSession.builder.master("local[1]")
        .appName("yibao-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.execution.arrow.maxRecordsPerBatch", "64")  # several batches per task: one evaluator for all
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    for key, value in saved.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


def test_spark_rows_equal_batch_rows(spark, engine):
    rows = population(300, 21)
    for i, row in enumerate(rows):
        row["id"] = i
    rows[7]["category"] = "worker"  # a bad row travels as an error, the others are answered
    table = pa.Table.from_pylist(rows, schema=SCHEMA_IN.append(pa.field("id", pa.int64())))
    df = spark.createDataFrame(table)
    answers = yibao.spark.evaluate(df, "shenzhen", "2026-03-01", keep=["id"])
    got = sorted(answers.toArrow().to_pylist(), key=lambda row: row["id"])
    want = yibao.batch.evaluate("shenzhen", table, "2026-03-01", keep=["id"], engine=engine).to_pylist()
    assert got == want
    assert got[7]["error"].startswith("category:")
    assert answers.schema["credit_monthly_credit"].dataType.simpleString() == "decimal(12,2)"


def test_spark_refuses_an_unknown_region_on_the_driver(spark):
    df = spark.createDataFrame([("employee",)], "category string")
    with pytest.raises(yibao.UnknownRegionError):
        yibao.spark.evaluate(df, "atlantis", "2026-03-01")


def test_the_example_spark_job_writes_the_answers(spark, tmp_path):
    """examples/batch_spark_job.py, as docs/batch.md submits it, on the local session."""
    import runpy

    import pyarrow.parquet as pq

    from conftest import ROOT

    rows = [{"id": 1, "category": "employee", "tier": 1, "contribution_base": "10000"}, {"id": 2, "category": "retiree"}]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "members.parquet")
    job = runpy.run_path(str(ROOT / "examples" / "batch_spark_job.py"))
    job["run"](spark, str(tmp_path / "members.parquet"), str(tmp_path / "answers"), "shenzhen", "2026-03-01")
    answers = sorted(pq.read_table(tmp_path / "answers").to_pylist(), key=lambda row: row["id"])
    assert [row["id"] for row in answers] == [1, 2]
    assert str(answers[0]["credit_monthly_credit"]) == "200.00"
