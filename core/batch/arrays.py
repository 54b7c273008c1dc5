"""Small readers of Arrow columns as NumPy arrays, shared by the batch input modules."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..money import MAX_AMOUNT

UNITS = 10**8  # amounts as integers of 1e-8 yuan: the schema allows eight decimals
FEN_UNITS = 10**6
_AMOUNT_TEXT = r"^[0-9]{1,10}(\.[0-9]{1,8})?$"  # as schemas/member.schema.json


def amount_units(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An amount column as integer 1e-8 yuan: (units, present, plainly valid).

    Integers, floats that are an exact number of fen (as ``Decimal(repr(x))`` reads them),
    decimals and decimal text are read here; anything else is left to the per-member path.
    """
    n = len(column)
    kind = column.type
    present = np_bool(pc.is_valid(column))
    units = np.zeros(n, dtype=np.int64)
    valid = np.ones(n, dtype=bool)
    if pa.types.is_null(kind):
        return units, present, valid
    if pa.types.is_integer(kind):
        values = pc.fill_null(column, 0).to_numpy().astype(np.int64)
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
            valid = np_bool(pc.fill_null(pc.match_substring_regex(column, _AMOUNT_TEXT), True))
            column = pc.if_else(pa.array(valid), column, pa.scalar("0", kind))
        elif kind.scale > 8 or kind.precision - kind.scale > 10:
            valid = np.zeros(n, dtype=bool)  # more digits than the schema allows: checked per member
            return units, present, valid
        scaled = one_chunk(pc.cast(column, pa.decimal128(18, 8)))
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
    valid = np_bool(pc.is_valid(array))
    return np.where(valid & (high == 0), low, np.where(valid, -1, 0))


def one_chunk(values: Any) -> Any:
    """A chunked array as one array (a plain array as it is)."""
    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    return values


def np_bool(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return one_chunk(values).to_numpy(zero_copy_only=False).astype(bool)
