"""Members as columns: reading a table in, and the column checks of the fast path.

A population arrives as an Arrow table (or record batch, pandas or polars frame, or a
CSV, JSONL or Parquet file, see :mod:`yibao.batch.files`) with the member fields of
``schemas/member.schema.json`` as columns. A null cell is an absent field (the member's
default applies). ``contributions`` is a list of ``{from, to, ...}`` structs, or JSON
text (as a CSV holds it); see :mod:`yibao.batch.histories`.

The fast path reads the columns vectorised; a row it is not sure of (a value that is
not plainly valid) goes to the per-member path, which gives exactly the message
``yibao.evaluate`` gives for that member.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import InputError
from ..member import CATEGORIES
from .arrays import FEN_UNITS, UNITS, amount_units, np_bool
from .files import AMOUNTS, ROW_ERROR, read_file, row_errors
from .histories import Histories

__all__ = ["FEN_UNITS", "UNITS", "ROW_ERROR", "Histories", "Parsed", "parse", "read_table", "row_mapping", "amount_units"]

FIELDS = ("category", "tier", "contribution_base", "pension", "contributions", "arrears", "balance", "extensions")


def read_table(members: Any, keep: Sequence[str] = ()) -> pa.Table:
    """The population as an Arrow table whose columns are member fields (and ``keep``).

    A column that is neither a member field nor in ``keep`` is refused by name, so a typo
    (``contribution_bse``) is not silently ignored; so is a name given twice.
    """
    table = _as_table(members)
    twice = [name for name, count in Counter(table.column_names).items() if count > 1]
    if twice:
        raise InputError(twice[0], "the input has two columns of this name; each field is one column")
    unknown = [name for name in table.column_names if name not in FIELDS and name not in keep and name != ROW_ERROR]
    if unknown:
        raise InputError(
            unknown[0],
            f"not a member field (member fields: {', '.join(FIELDS)}); pass keep=[...] (--keep) to carry other columns through",
        )
    missing = [name for name in keep if name not in table.column_names]
    if missing:
        raise InputError(missing[0], "a column to keep is not in the input")
    if "category" not in table.column_names:
        raise InputError("category", "the input has no category column (every member needs one)")
    return table


def _as_table(members: Any) -> pa.Table:
    if isinstance(members, pa.Table):
        return members
    if isinstance(members, pa.RecordBatch):
        return pa.Table.from_batches([members])
    if isinstance(members, (str, Path)):
        return read_file(Path(members))
    module = type(members).__module__.split(".", 1)[0]
    try:
        if module == "pandas":
            return pa.Table.from_pandas(members, preserve_index=False)
        if module == "polars":
            return members.to_arrow()  # type: ignore[no-any-return]
    except (pa.ArrowException, TypeError, ValueError) as exc:
        raise InputError("members", f"the {module} frame cannot be read as columns: {str(exc).splitlines()[0]}"[:300]) from None
    raise InputError("members", f"expected an Arrow table, a pandas or polars DataFrame or a file path, got {type(members).__name__}")


def row_mapping(table: pa.Table, index: int) -> dict[str, Any]:
    """One row as the mapping ``yibao.evaluate`` takes: nulls left out, JSON text read.

    A null field of a range struct is an absent field, as a null cell is. Raises the
    row's reading error (:data:`ROW_ERROR`), if it has one, as an InputError.
    """
    if ROW_ERROR in table.column_names:
        message = table.column(ROW_ERROR)[index].as_py()
        if message is not None:
            raise InputError("", message)
    out = {}
    for name in FIELDS:
        if name in table.column_names:
            value = table.column(name)[index].as_py()
            if value is None:
                continue
            if name in ("contributions", "extensions") and isinstance(value, str):
                try:
                    value = json.loads(value)
                except RecursionError:
                    raise InputError(name, "JSON text nested too deeply to read") from None
                except ValueError:
                    raise InputError(name, f"{value[:40]!r} is not JSON text") from None
            elif name == "contributions" and isinstance(value, list):
                value = [{k: v for k, v in item.items() if v is not None} if isinstance(item, dict) else item for item in value]
            out[name] = value
    return out


class Parsed:
    """The fast path's reading of one table: per row, whether it is on the fast path, and
    its category, tier, arrears, canonical contribution history and base in 1e-8 yuan
    (the category, tier and base as the range paying the as-of month gives them)."""

    __slots__ = ("fast", "category", "tier", "arrears", "history", "units", "has_base")

    def __init__(self, n: int) -> None:
        self.fast = np.ones(n, dtype=bool)
        self.category = np.zeros(n, dtype=np.int64)
        self.tier = np.ones(n, dtype=np.int64)
        self.arrears = np.zeros(n, dtype=np.int64)
        self.history = np.zeros(n, dtype=np.int64)
        self.units = np.zeros(n, dtype=np.int64)
        self.has_base = np.zeros(n, dtype=bool)


def parse(table: pa.Table, histories: Histories) -> Parsed:
    """Read the rule-relevant columns of ``table`` vectorised (see :class:`Parsed`)."""
    n = table.num_rows
    out = Parsed(n)
    names = set(table.column_names)
    bad = row_errors(table)
    if bad is not None:
        out.fast &= ~bad
    category = table.column("category")
    if pa.types.is_string(category.type) or pa.types.is_large_string(category.type) or pa.types.is_dictionary(category.type):
        text = category.cast(pa.string()) if pa.types.is_dictionary(category.type) else category
        codes = np.full(n, -1, dtype=np.int64)
        for i, name in enumerate(CATEGORIES):
            codes[np_bool(pc.fill_null(pc.equal(text, name), False))] = i
        out.category = np.maximum(codes, 0)
        out.fast &= codes >= 0
    else:
        out.fast[:] = False
    if "tier" in names:
        tier = table.column("tier")
        if pa.types.is_integer(tier.type) or pa.types.is_floating(tier.type):  # 1.0 is 1, as the schema reads it
            values = pc.fill_null(tier, 1).to_numpy().astype(np.float64)
            plain = (values == 1) | (values == 2)
            out.tier = np.where(plain, values, 1).astype(np.int64)
            out.fast &= plain
        elif tier.null_count < n:
            out.fast &= np_bool(pc.is_null(tier))
    if "arrears" in names:
        arrears = table.column("arrears")
        if pa.types.is_boolean(arrears.type):
            out.arrears = np_bool(pc.fill_null(arrears, False)).astype(np.int64)
        elif arrears.null_count < n:
            out.fast &= np_bool(pc.is_null(arrears))
    if "extensions" in names:  # region-specific input: read per member
        out.fast &= np_bool(pc.is_null(table.column("extensions")))
    for name in AMOUNTS:
        if name in names:
            units, present, valid = amount_units(table.column(name))
            out.fast &= valid
            if name == "contribution_base":
                out.units, out.has_base = units, present
    if "contributions" in names:
        history, valid, cover = histories.codes(table.column("contributions"))
        out.history = history
        out.fast &= valid
        out.units = np.where(cover.has_base, cover.units, out.units)
        out.has_base |= cover.has_base
        out.tier = np.where(cover.tier > 0, cover.tier, out.tier)
        out.category = np.where(cover.category >= 0, cover.category, out.category)
    else:
        out.history[:] = histories.code_of(None)
    return out
