"""Reading a population file (Parquet, CSV, JSONL) so that a bad cell is its row's problem.

A file that cannot be read at all is one :class:`~yibao.errors.InputError`. A cell that
cannot be read as its field is not: its row carries the message in the hidden column
:data:`ROW_ERROR` (its other cells are read as usual) and every other row is answered.

- CSV has no types: ``tier`` and ``arrears`` are read as text and converted here, cell by
  cell (``tier = x`` is that row's error, not the file's); amounts, categories and JSON
  text are left as text for the member checks.
- JSONL is read by Arrow; where Arrow refuses the file (a line that is not JSON, a value
  of another type than the rest of its column), it is read again line by line: a bad
  line, or a bad value, is that row's error, named by its line number.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import InputError, shown
from ..member import Member
from .arrays import one_chunk

#: A hidden column: a row whose cell here is not null is refused with that message.
ROW_ERROR = "__yibao_row_error__"
AMOUNTS = ("contribution_base", "pension", "balance")
_TEXT_FIELDS = (*AMOUNTS, "contributions", "category", "extensions", "tier", "arrears")
_TRUE, _FALSE = ("1", "True", "TRUE", "true"), ("0", "False", "FALSE", "false")  # what Arrow's CSV reader reads as booleans


def read_file(path: Path) -> pa.Table:
    """A CSV, JSONL (``.jsonl``, ``.ndjson``) or Parquet file, or a directory of Parquet
    files; amounts in CSV are read as text, exactly."""
    suffix = path.suffix.lower()
    if not path.is_file() and not path.is_dir():
        raise InputError(str(path), "no such file")
    try:
        if suffix == ".parquet" or path.is_dir():  # a directory: a Parquet dataset (as Spark writes one)
            import pyarrow.parquet as pq

            return pq.read_table(path)
        if suffix == ".csv":
            return _read_csv(path)
        if suffix in (".jsonl", ".ndjson", ".json"):
            import pyarrow.json as pjson

            try:
                return pjson.read_json(path)
            except pa.ArrowInvalid:
                return _read_json_lines(path)
    except (pa.ArrowException, OSError, ValueError, UnicodeError, MemoryError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(str(path), f"cannot be read as {suffix[1:] or 'parquet'}: {reason}"[:300]) from None
    raise InputError(str(path), "expected a .parquet, .csv or .jsonl file")


def _read_csv(path: Path) -> pa.Table:
    import pyarrow.csv as pcsv

    table = pcsv.read_csv(
        path, convert_options=pcsv.ConvertOptions(column_types=dict.fromkeys(_TEXT_FIELDS, pa.string()), strings_can_be_null=True)
    )
    errors: pa.Array | None = None
    for name, read in (("tier", _tier_cell), ("arrears", _arrears_cell)):
        if name in table.column_names:
            column, found = _convert(table.column(name), read)
            table = table.set_column(table.schema.get_field_index(name), name, column)
            errors = found if errors is None else pc.coalesce(errors, found)
    return table if errors is None or errors.null_count == len(errors) else table.append_column(ROW_ERROR, errors)


def _convert(column: pa.ChunkedArray, read: Callable[[str], tuple[Any, str | None]]) -> tuple[pa.Array, pa.Array]:
    """A text column read cell by cell (once per distinct text): (values, row errors)."""
    encoded = one_chunk(pc.dictionary_encode(column))
    pairs = [read(text) for text in encoded.dictionary.to_pylist()]
    values = pa.array([value for value, _ in pairs] + [None])
    messages = pa.array([message for _, message in pairs] + [None], pa.string())
    index = pc.fill_null(encoded.indices, len(pairs))
    return values.take(index), messages.take(index)


def _tier_cell(text: str) -> tuple[int | None, str | None]:
    try:
        number = float(text)
    except ValueError:
        number = 0.0
    if number in (1.0, 2.0):
        return int(number), None
    return None, f"tier: {shown(text)} is not one of 1, 2"


def _arrears_cell(text: str) -> tuple[bool | None, str | None]:
    if text in _TRUE or text in _FALSE:
        return text in _TRUE, None
    return None, f"arrears: {shown(text)} is not true or false"


def _read_json_lines(path: Path) -> pa.Table:
    """JSONL line by line: each line a row, a bad line or value that row's error."""
    rows: list[dict[str, Any]] = []
    errors: list[str | None] = []
    with open(path, "rb") as stream:
        for number, raw in enumerate(stream, 1):
            if not raw.strip():
                continue  # (as Arrow's reader: a blank line is no row)
            try:
                value = json.loads(raw.decode("utf-8"))
            except (ValueError, RecursionError) as exc:
                rows.append({})
                errors.append(f"line {number}: not JSON text ({_first_line(exc)})"[:300])
                continue
            if type(value) is not dict:
                rows.append({})
                errors.append(f"line {number}: a member is a JSON object, got {type(value).__name__}")
                continue
            rows.append(value)
            errors.append(None)
    names = list(dict.fromkeys(name for row in rows for name in row))
    arrays = [_json_column(name, rows, errors) for name in names]
    table = pa.Table.from_arrays(arrays, names=names) if names else pa.table({"category": pa.nulls(len(rows), pa.string())})
    if any(message is not None for message in errors):
        table = table.append_column(ROW_ERROR, pa.array(errors, pa.string()))
    return table


def _json_column(name: str, rows: list[dict[str, Any]], errors: list[str | None]) -> pa.Array:
    """One field of the JSONL rows as a column; a value that does not fit the column is
    its row's error (the message ``yibao.evaluate`` gives for that row) and a null."""
    values = [row.get(name) for row in rows]
    try:
        return pa.array(values)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        pass
    if name in ("contributions", "extensions"):  # JSON text is one of their forms
        return pa.array([None if v is None else _dumps(v) for v in values], pa.string())
    if name in AMOUNTS:  # exact as text: str() of a float is its repr, which is how a member reads it
        fits: Callable[[Any], bool] = lambda v: type(v) in (int, float, str)  # noqa: E731
        values = [str(v) if fits(v) else v for v in values]
    else:
        fits = {"tier": lambda v: type(v) in (int, float), "arrears": lambda v: type(v) is bool}.get(name, lambda v: type(v) is str)
    cells = []
    for i, value in enumerate(values):
        if value is not None and not fits(value):
            if errors[i] is None:
                errors[i] = _refusal(rows[i], name, value)
            value = None
        cells.append(value)
    try:
        return pa.array(cells)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return pa.array([None if v is None else _dumps(v) for v in cells], pa.string())


def _refusal(row: dict[str, Any], name: str, value: Any) -> str:
    try:
        Member.from_mapping(row)
    except InputError as exc:
        return str(exc)
    return f"{name}: {shown(value)} is not a value of this field"


def _dumps(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (ValueError, RecursionError):
        return "<unreadable>"


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


def row_errors(table: pa.Table) -> np.ndarray | None:
    """Per row, whether it carries a reading error (None: no row does)."""
    if ROW_ERROR not in table.column_names:
        return None
    return one_chunk(pc.is_valid(table.column(ROW_ERROR))).to_numpy(zero_copy_only=False).astype(bool)
