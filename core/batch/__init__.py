"""``yibao.batch``: a whole population at once, as Arrow columns, exact to the fen.

::

    import yibao.batch
    out = yibao.batch.evaluate("shenzhen", "members.parquet", "2026-03-01")
    out.column("credit_monthly_credit")     # decimal128(12, 2), one row per member, in order

Each output row equals ``yibao.evaluate`` for that member (the key fields of the five
areas, see :mod:`yibao.batch.columns`); a bad row carries its field path and reason in
``error`` and nothing else is lost. How it is fast: :mod:`yibao.batch.shapes`.

Needs the ``batch`` extra (pyarrow, numpy): ``pip install "yibao-policy[batch]"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from ..months import parse_date

if TYPE_CHECKING:
    import pyarrow as pa

    from ..engine import PolicyEngine
    from ..reform import Reform

__all__ = ["evaluate", "evaluator", "read_table", "with_kept", "SCHEMA"]


def evaluate(
    region: str,
    members: Any,
    as_of: date | str | None = None,
    *,
    reform: Reform | str | None = None,
    keep: Sequence[str] = (),
    engine: PolicyEngine | None = None,
) -> pa.Table:
    """Evaluate every member of ``members`` in ``region`` on ``as_of`` (default today).

    ``members``: a ``pyarrow.Table`` or ``RecordBatch``, a pandas or polars DataFrame, or
    the path of a CSV, JSONL or Parquet file, with the member fields as columns.
    ``reform``: parameter values overridden (a :class:`yibao.reform.Reform` or the path of
    a reform TOML file); the answers they touch say ``hypothetical``. ``keep``: input
    columns carried into the output first (an id, say). ``engine``: default, the engine
    behind ``yibao.evaluate``.

    Returns one row per input row, in order: ``keep`` columns, then ``yibao.batch.SCHEMA``.
    Raises :class:`yibao.InputError` for a problem of the whole input (unknown column,
    unreadable file) and :class:`yibao.PluginError` for a broken region; a bad row is
    reported in its ``error`` column.
    """
    table = read_table(members, keep)
    runner = evaluator(region, as_of, reform=reform, engine=engine)
    return with_kept(table, runner.evaluate(table), keep)


def evaluator(
    region: str, as_of: date | str | None = None, *, reform: Reform | str | None = None, engine: PolicyEngine | None = None
) -> Any:
    """A :class:`~yibao.batch.shapes.BatchEvaluator` for ``region`` on ``as_of``: feed it
    tables one after another (chunks of a file, batches of a Spark partition)."""
    from ..engine import default_engine
    from .shapes import BatchEvaluator

    chosen = engine or default_engine()
    day = date.today() if as_of is None else parse_date(as_of)
    return BatchEvaluator(chosen.stack(region, reform=reform) if reform is not None else chosen.stack(region), day)


def read_table(members: Any, keep: Sequence[str] = ()) -> pa.Table:
    """``members`` (a table, batch, frame or file path) as an Arrow table of member
    columns and ``keep``; a column that is neither is refused by name (InputError)."""
    from .inputs import read_table as read

    return read(members, keep)


def with_kept(table: pa.Table, out: pa.Table, keep: Sequence[str]) -> pa.Table:
    """The ``keep`` columns of the input before the output's."""
    import pyarrow as pa

    if not keep:
        return out
    return pa.Table.from_arrays([*(table.column(name) for name in keep), *out.columns], names=[*keep, *out.column_names])


def __getattr__(name: str) -> Any:
    if name == "SCHEMA":
        from .columns import SCHEMA

        return SCHEMA
    raise AttributeError(f"module 'yibao.batch' has no attribute {name!r}")
