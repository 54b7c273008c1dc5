"""Members as columns: reading a table in, and the column checks of the fast path.

A population arrives as an Arrow table (or record batch, pandas or polars frame, or a
CSV, JSONL or Parquet file) with the member fields of ``schemas/member.schema.json`` as
columns. A null cell is an absent field (the member's default applies). ``contributions``
is a list of ``{from, to}`` structs, or JSON text (as a CSV holds it).

The fast path reads the columns vectorised; a row it is not sure of (a value that is
not plainly valid) goes to the per-member path, which gives exactly the message
``yibao.evaluate`` gives for that member.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import InputError
from ..member import CATEGORIES
from ..money import MAX_AMOUNT

FIELDS = ("category", "tier", "contribution_base", "pension", "contributions", "arrears", "balance", "extensions")
AMOUNTS = ("contribution_base", "pension", "balance")
UNITS = 10**8  # amounts as integers of 1e-8 yuan: the schema allows eight decimals
FEN_UNITS = 10**6
_AMOUNT_TEXT = r"^[0-9]{1,10}(\.[0-9]{1,8})?$"  # as schemas/member.schema.json
_MONTH = re.compile(r"((?:19|20|21)[0-9]{2})-(0[1-9]|1[0-2])")  # as the member schema
_KEY_CHARS = re.compile(r"[0-9|,-]*")


def read_table(members: Any, keep: Sequence[str] = ()) -> pa.Table:
    """The population as an Arrow table whose columns are member fields (and ``keep``).

    A column that is neither a member field nor in ``keep`` is refused by name, so a typo
    (``contribution_bse``) is not silently ignored.
    """
    table = _as_table(members)
    unknown = [name for name in table.column_names if name not in FIELDS and name not in keep]
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
    if module == "pandas":
        return pa.Table.from_pandas(members, preserve_index=False)
    if module == "polars":
        return members.to_arrow()  # type: ignore[no-any-return]
    raise InputError("members", f"expected an Arrow table, a pandas or polars DataFrame or a file path, got {type(members).__name__}")


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
            import pyarrow.csv as pcsv

            types = {name: pa.string() for name in (*AMOUNTS, "contributions", "category", "extensions")}
            return pcsv.read_csv(path, convert_options=pcsv.ConvertOptions(column_types=types, strings_can_be_null=True))
        if suffix in (".jsonl", ".ndjson", ".json"):
            import pyarrow.json as pjson

            return pjson.read_json(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(str(path), f"cannot be read as {suffix[1:]}: {str(exc).splitlines()[0]}") from None
    raise InputError(str(path), "expected a .parquet, .csv or .jsonl file")


def row_mapping(table: pa.Table, index: int) -> dict[str, Any]:
    """One row as the mapping ``yibao.evaluate`` takes: nulls left out, JSON text read."""
    out = {}
    for name in FIELDS:
        if name in table.column_names:
            value = table.column(name)[index].as_py()
            if value is None:
                continue
            if name in ("contributions", "extensions") and isinstance(value, str):
                try:
                    value = json.loads(value)
                except ValueError:
                    raise InputError(name, f"{value[:40]!r} is not JSON text") from None
            out[name] = value
    return out


class Parsed:
    """The fast path's reading of one table: per row, whether it is on the fast path, and
    its category, tier, arrears, canonical contribution history and base in 1e-8 yuan."""

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
    category = table.column("category")
    if pa.types.is_string(category.type) or pa.types.is_large_string(category.type) or pa.types.is_dictionary(category.type):
        codes = np.full(n, -1, dtype=np.int64)
        for i, name in enumerate(CATEGORIES):
            codes[_np_bool(pc.equal(category.cast(pa.string()) if pa.types.is_dictionary(category.type) else category, name))] = i
        out.category = codes
        out.fast &= codes >= 0
    else:
        out.fast[:] = False
    if "tier" in names:
        tier = table.column("tier")
        if pa.types.is_integer(tier.type) or pa.types.is_floating(tier.type):  # 1.0 is 1, as the schema reads it
            values = pc.fill_null(tier, 1).to_numpy().astype(np.float64)
            out.tier = np.where((values == 1) | (values == 2), values, 1).astype(np.int64)
            out.fast &= (values == 1) | (values == 2)
        elif tier.null_count < n:
            out.fast[:] = False
    if "arrears" in names:
        arrears = table.column("arrears")
        if pa.types.is_boolean(arrears.type):
            out.arrears = _np_bool(pc.fill_null(arrears, False)).astype(np.int64)
        elif arrears.null_count < n:
            out.fast[:] = False
    if "extensions" in names:  # region-specific input: read per member
        out.fast &= _np_bool(pc.is_null(table.column("extensions")))
    for name in AMOUNTS:
        if name in names:
            units, present, valid = amount_units(table.column(name))
            out.fast &= valid
            if name == "contribution_base":
                out.units, out.has_base = units, present
    if "contributions" in names:
        history, valid = histories.codes(table.column("contributions"))
        out.history = history
        out.fast &= valid
    else:
        out.history[:] = histories.code_of_key(None)
    return out


def amount_units(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An amount column as integer 1e-8 yuan: (units, present, plainly valid).

    Integers, floats that are an exact number of fen (as ``Decimal(repr(x))`` reads them),
    decimals and decimal text are read here; anything else is left to the per-member path.
    """
    n = len(column)
    kind = column.type
    present = _np_bool(pc.is_valid(column))
    units = np.zeros(n, dtype=np.int64)
    valid = np.ones(n, dtype=bool)
    if pa.types.is_null(kind):
        return units, present, valid
    if pa.types.is_integer(kind):
        values = _np_int(column, 0)
        valid = (values >= 0) & (values <= MAX_AMOUNT)
        units = np.where(valid, values, 0) * UNITS
    elif pa.types.is_floating(kind):
        values = column.to_numpy(zero_copy_only=False).astype(np.float64)
        values = np.where(present, values, 0.0)
        with np.errstate(invalid="ignore"):
            fen = np.round(values * 100.0)
            valid = np.isfinite(values) & (values >= 0) & (values <= MAX_AMOUNT) & (fen / 100.0 == values)
        units = np.where(valid, fen, 0).astype(np.int64) * FEN_UNITS
    elif pa.types.is_decimal(kind) or pa.types.is_string(kind) or pa.types.is_large_string(kind):
        if not pa.types.is_decimal(kind):
            valid = _np_bool(pc.fill_null(pc.match_substring_regex(column, _AMOUNT_TEXT), True))
            column = pc.if_else(pa.array(valid), column, pa.scalar("0", kind))
        elif kind.scale > 8 or kind.precision - kind.scale > 10:
            valid = np.zeros(n, dtype=bool)  # more digits than the schema allows: checked per member
            return units, present, valid
        scaled = pc.cast(column, pa.decimal128(18, 8)).combine_chunks()
        units = _decimal_units(scaled)
        valid &= (units >= 0) & (units <= MAX_AMOUNT * UNITS)
    else:
        valid[:] = False
    valid |= ~present
    return np.where(present & valid, units, 0), present, valid


def _decimal_units(array: pa.Array) -> np.ndarray:
    """The unscaled integers of a decimal128(18, 8) array (they fit in 64 bits)."""
    words = np.frombuffer(array.buffers()[1], dtype=np.int64)[2 * array.offset : 2 * (array.offset + len(array))]
    low, high = words[0::2], words[1::2]
    valid = _np_bool(pc.is_valid(array))
    return np.where(valid & (high == 0), low, np.where(valid, -1, 0))


class Histories:
    """Contribution histories seen on one date, each given a small integer code.

    Rows are keyed by their contributions as written; each distinct key is read once, in
    Python, into its *canonical* history: the runs seen on the as-of date (later runs
    dropped, the last clipped to the as-of month) with the first run's start dropped
    (made equal to its end), which is all :func:`yibao.lapse.history` lets a rule see.
    ``None`` (paid continuously) stays apart: a retiree's last paid month depends on it.
    """

    def __init__(self, as_of_month: int) -> None:
        self.month = as_of_month
        self.canonical: list[tuple[tuple[int, int], ...] | None] = []
        self._codes: dict[Any, int] = {}
        self._keys: dict[Any, int] = {}

    def code_of_key(self, history: tuple[tuple[int, int], ...] | None) -> int:
        code = self._codes.get(history)
        if code is None:
            code = self._codes[history] = len(self.canonical)
            self.canonical.append(history)
        return code

    def codes(self, column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
        """(history code per row, plainly valid per row) for a contributions column."""
        n = len(column)
        kind = column.type
        is_null = _np_bool(pc.is_null(column))
        if pa.types.is_null(kind):
            return np.full(n, self.code_of_key(None)), np.ones(n, dtype=bool)
        reader: Any
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            keys, valid = column, np.ones(n, dtype=bool)
            reader = self._from_json
        elif (pa.types.is_list(kind) or pa.types.is_large_list(kind)) and _is_range_struct(kind.value_type):
            keys, valid = self._list_keys(_one_chunk(column))
            reader = self._from_key
        else:
            return np.zeros(n, dtype=np.int64), is_null.copy()
        encoded = _one_chunk(pc.dictionary_encode(keys))
        mapping = np.array([reader(key) for key in encoded.dictionary.to_pylist()] + [-1], dtype=np.int64)
        indices = pc.fill_null(encoded.indices, len(mapping) - 1).to_numpy().astype(np.int64)
        codes = np.where(valid, mapping[indices], -1)
        codes = np.where(is_null, self.code_of_key(None), codes)
        return np.where(codes >= 0, codes, 0), codes >= 0

    def _list_keys(self, lists: pa.Array) -> tuple[pa.Array, np.ndarray]:
        """Per row a binary key of its month ranges (int32 pairs), and whether every month
        in the row reads plainly. Where a row's ranges are in order and apart, the first
        range's start is dropped (set to its end, or the as-of month if earlier), as the
        canonical history drops it: members who joined in different months share a key."""
        n = len(lists)
        offsets = lists.offsets.to_numpy().astype(np.int64)
        offsets = offsets - offsets[0]
        items = lists.flatten()
        count = len(items)
        starts, ok_start = self._months(items.field("from"))
        ends, ok_end = self._months(items.field("to"))
        ok = ok_start & ok_end & _np_bool(pc.is_valid(items)) & (ends >= starts)
        row_of = np.repeat(np.arange(n), np.diff(offsets))
        bad = np.zeros(n, dtype=bool)
        bad[row_of[~ok]] = True
        first = offsets[:-1][np.diff(offsets) > 0]
        if count:
            later = np.ones(count, dtype=bool)
            later[first] = False
            apart = np.ones(count, dtype=bool)
            apart[1:] = starts[1:] > ends[:-1]
            unordered = np.zeros(n, dtype=bool)
            unordered[row_of[later & ~apart]] = True
            rows = row_of[first]
            s, e = starts[first], ends[first]
            dropped = np.where(s > self.month, s, np.minimum(e, self.month))
            starts = starts.copy()
            starts[first] = np.where(unordered[rows], s, dropped)
        pairs = np.empty((count, 2), dtype=np.int32)
        pairs[:, 0], pairs[:, 1] = starts, ends
        data = pa.py_buffer(pairs.tobytes())
        keys = pa.Array.from_buffers(pa.binary(), n, [None, pa.py_buffer((offsets * 8).astype(np.int32).tobytes()), data])
        return keys, ~bad

    def _months(self, texts: pa.Array) -> tuple[np.ndarray, np.ndarray]:
        """Month indexes of a string column, read once per distinct text; (index, plainly valid)."""
        if not (pa.types.is_string(texts.type) or pa.types.is_large_string(texts.type)):
            return np.zeros(len(texts), dtype=np.int64), np.zeros(len(texts), dtype=bool)
        encoded = _one_chunk(pc.dictionary_encode(texts))
        read = [_month(text) for text in encoded.dictionary.to_pylist()]
        table = np.array([-1 if m is None else m for m in read] + [-1], dtype=np.int64)
        months = table[pc.fill_null(encoded.indices, len(table) - 1).to_numpy().astype(np.int64)]
        return np.where(months >= 0, months, 0), months >= 0

    def _from_key(self, key: bytes) -> int:
        found = self._keys.get(key)
        if found is None:
            pairs = np.frombuffer(key, dtype=np.int32).reshape(-1, 2).tolist()
            found = self._keys[key] = self.code_of_key(self._canonical([(a, b) for a, b in pairs]))
        return found

    def _read(self, key: str) -> int:
        count, _, body = key.partition(":")
        if not _KEY_CHARS.fullmatch(body):
            return -1
        items = body.split(",") if body else []
        if len(items) != int(count):
            return -1
        pairs = []
        for item in items:
            parts = item.split("|")
            if len(parts) != 2:
                return -1
            pair = tuple(_month(part) for part in parts)
            if None in pair or pair[1] < pair[0]:  # type: ignore[operator]
                return -1
            pairs.append(pair)
        return self.code_of_key(self._canonical(pairs))  # type: ignore[arg-type]

    def _from_json(self, text: str) -> int:
        found = self._keys.get("json:" + text)
        if found is None:
            try:
                items = json.loads(text)
                ok = type(items) is list and all(type(i) is dict and set(i) == {"from", "to"} for i in items)
                ok = ok and all(type(v) is str for i in items for v in i.values())
                key = f"{len(items)}:" + ",".join(f"{i['from']}|{i['to']}" for i in items) if ok else None
            except (ValueError, TypeError):
                key = None
            found = self._keys["json:" + text] = -1 if key is None else self._read(key)
        return found

    def _canonical(self, pairs: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
        runs = [run for run in _merge(pairs) if run[0] <= self.month]
        if runs:
            runs[-1] = (runs[-1][0], min(runs[-1][1], self.month))
            runs[0] = (runs[0][1], runs[0][1])
        return tuple(runs)


def _one_chunk(values: Any) -> Any:
    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    return values


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, overlapping or adjacent ranges joined: what ``Member`` does to its ranges."""
    ranges.sort()
    merged: list[tuple[int, int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1] + 1:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _month(text: str) -> int | None:
    found = _MONTH.fullmatch(text)
    return None if found is None else int(found[1]) * 12 + int(found[2]) - 1


def _is_range_struct(kind: pa.DataType) -> bool:
    return pa.types.is_struct(kind) and sorted(kind.field(i).name for i in range(kind.num_fields)) == ["from", "to"]


def _np_bool(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    return values.to_numpy(zero_copy_only=False).astype(bool)


def _np_int(column: pa.ChunkedArray, default: int) -> np.ndarray:
    return pc.fill_null(column, default).to_numpy().astype(np.int64)
