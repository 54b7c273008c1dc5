"""A Spark job: the members of a Parquet dataset through one region, the answers to Parquet.

    spark-submit --py-files yibao_policy-0.1.0-py3-none-any.whl \
        examples/batch_spark_job.py members/ answers/ shenzhen 2026-03-01

See docs/batch.md for shipping yibao-policy and its dependencies to the executors.
"""

from __future__ import annotations

import sys


def run(spark, source: str, target: str, region: str, as_of: str) -> None:
    """Read ``source``, evaluate every member in ``region`` on ``as_of``, write ``target``."""
    import yibao.spark

    members = spark.read.parquet(source)
    keep = [name for name in ("id",) if name in members.columns]  # carry an id column through
    answers = yibao.spark.evaluate(members, region, as_of, keep=keep)
    answers.write.mode("overwrite").parquet(target)


if __name__ == "__main__":
    from pyspark.sql import SparkSession

    source, target, region, as_of = sys.argv[1:5]
    session = SparkSession.builder.appName("yibao-batch").getOrCreate()
    try:
        run(session, source, target, region, as_of)
    finally:
        session.stop()
