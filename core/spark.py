"""``yibao.spark``: the batch function on a Spark DataFrame, past one machine.

::

    import yibao.spark
    answers = yibao.spark.evaluate(members_df, "shenzhen", "2026-03-01", keep=["id"])
    answers.write.parquet("answers.parquet")

Each Spark task runs :mod:`yibao.batch` on its partition's Arrow batches through
``DataFrame.mapInArrow``: the same columns, the same answers, row for row, as
``yibao.batch.evaluate`` (one evaluator per task, so the shapes' answers are shared within
a partition). Executors need ``yibao-policy`` installed or shipped (docs/batch.md).

Needs the ``spark`` extra: ``pip install "yibao-policy[spark]"``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from .months import parse_date


def evaluate(df: Any, region: str, as_of: date | str | None = None, *, reform: Any = None, keep: Sequence[str] = ()) -> Any:
    """A DataFrame of the answers (``keep`` columns, then ``yibao.batch.SCHEMA``) for the
    members of ``df``, one row per member, partition by partition.

    The region, date and reform are checked here, on the driver, so a typo fails before
    any task starts; a bad row is reported in its ``error`` column as in ``yibao.batch``.
    """
    import pyarrow as pa
    from pyspark.sql.pandas.types import from_arrow_schema

    from .batch import evaluator, read_table
    from .batch.columns import PLAIN_SCHEMA
    from .reform import as_reform

    day = date.today() if as_of is None else parse_date(as_of)
    plan = None if reform is None else as_reform(reform)  # a value: it travels to the executors
    evaluator(region, day, reform=plan)
    read_table(pa.table({name: pa.nulls(0) for name in df.columns}), keep)  # unknown columns refused now
    kept = [field for field in df.schema.fields if field.name in keep]
    schema = from_arrow_schema(PLAIN_SCHEMA)  # (Spark has no dictionary type: shared texts as plain strings)
    for field in reversed(kept):
        schema.fields.insert(0, field)
    out_schema = type(schema)(schema.fields)
    keep = list(keep)

    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        from .batch import evaluator as make
        from .batch import with_kept
        from .batch.columns import plain

        runner = make(region, day, reform=plan)
        for batch in batches:
            table = read_table(pa.Table.from_batches([batch]), keep)
            yield from plain(with_kept(table, runner.evaluate(table), keep)).to_batches()

    return df.mapInArrow(run, out_schema)
