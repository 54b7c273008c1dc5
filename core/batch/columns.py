"""The output columns of a batch run, and one evaluation as one row of them.

The columns are the key fields of the five areas, flat, named ``AREA_FIELD``, then who
answered each area, whether a value is stale or hypothetical, and the ``error`` of a bad
row (``"field.path: reason"``; every other column of that row is null).

Money is ``decimal128(12, 2)``: what ``Evaluation.to_dict()`` shows as ``"200.00"``.
Every text column but ``error``, and the words of the list columns, is dictionary-encoded
(:data:`SHARED_TEXT`: ``to_pylist()``, pandas and Parquet read them as text); ``plain``
gives the same table with plain strings, for a consumer that wants them (Spark, say).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..areas import AREAS
from ..evaluation import Evaluation
from ..money import to_fen
from ..months import format_month

MONEY = pa.decimal128(12, 2)
#: Texts that a few groups share (every text column but ``error``; a family channel's JSON
#: is some 700 bytes, a list of withdrawal grounds some 90): kept once each, with an index
#: per row (per word, in a list). Materialised as plain strings they were most of a run's
#: time and memory (over 1 GB for a million rows, mostly page faults on the first call).
SHARED_TEXT = pa.dictionary(pa.int32(), pa.string())
LIST = pa.list_(SHARED_TEXT)


def _channels(decision: Any) -> str:
    """The family area's channels as their JSON text (nested lists, kept in one flat column)."""
    channels = getattr(decision, "channels", ())
    return json.dumps([channel.to_dict() for channel in channels], ensure_ascii=False, separators=(",", ":"))


def _month(value: int | None) -> str | None:
    return None if value is None else format_month(value)


#: Per area: (column, arrow type, how to read it from the area's decision).
_AREA_COLUMNS: dict[str, tuple[tuple[str, pa.DataType, Callable[[Any], Any]], ...]] = {
    "credit": (
        ("credit_has_account", pa.bool_(), lambda d: d.has_account),
        ("credit_monthly_credit", MONEY, lambda d: _fen(d.monthly_credit)),
        ("credit_base_applied", MONEY, lambda d: _fen(d.base_applied)),
        ("credit_rate", SHARED_TEXT, lambda d: None if d.rate is None else str(d.rate)),
        ("credit_modelled", pa.bool_(), lambda d: d.modelled),
    ),
    "lapse": (
        ("lapse_last_paid_month", SHARED_TEXT, lambda d: _month(d.last_paid_month)),
        ("lapse_pooled_benefits", pa.bool_(), lambda d: d.pooled_benefits),
        ("lapse_pooled_benefits_end", pa.date32(), lambda d: d.pooled_benefits_end),
        ("lapse_pooled_benefits_resume", pa.date32(), lambda d: d.pooled_benefits_resume),
        ("lapse_account_usable", pa.bool_(), lambda d: d.account_usable),
        ("lapse_continuity_reset", pa.bool_(), lambda d: d.continuity_reset),
        ("lapse_gap_months", pa.int32(), lambda d: d.gap_months),
        ("lapse_modelled", pa.bool_(), lambda d: d.modelled),
    ),
    "family": (
        ("family_relations", LIST, lambda d: list(d.relations)),
        ("family_uses", LIST, lambda d: list(d.uses)),
        ("family_scope", SHARED_TEXT, lambda d: d.scope),
        ("family_conditions", LIST, lambda d: list(d.conditions)),
        ("family_channels", SHARED_TEXT, _channels),
        ("family_modelled", pa.bool_(), lambda d: d.modelled),
    ),
    "transfer": (
        ("transfer_relationship_transferable", pa.bool_(), lambda d: d.relationship_transferable),
        ("transfer_balance_transferable", pa.bool_(), lambda d: d.balance_transferable),
        ("transfer_blockers", LIST, lambda d: list(d.blockers)),
        ("transfer_balance_within_province", SHARED_TEXT, lambda d: getattr(d, "balance_within_province", None)),
        ("transfer_modelled", pa.bool_(), lambda d: d.modelled),
    ),
    "withdrawal": (
        ("withdrawal_grounds", LIST, lambda d: list(d.grounds)),
        ("withdrawal_modelled", pa.bool_(), lambda d: d.modelled),
    ),
}

SCHEMA = pa.schema(
    [(name, kind) for area, _, _ in AREAS for name, kind, _ in _AREA_COLUMNS[area]]
    + [(f"answered_by_{area}", SHARED_TEXT) for area, _, _ in AREAS]
    + [("stale", pa.bool_()), ("hypothetical", pa.bool_()), ("error", pa.string())]
)
NAMES = tuple(SCHEMA.names)


def row_of(evaluation: Evaluation, cache: dict[int, Any] | None = None, *, flags_without: str | None = None) -> dict[str, Any]:
    """One evaluation as a row of the output columns (``error`` null).

    ``cache`` keeps each decision's part of the row by identity: decisions that depend on
    the date only (family, withdrawal) are shared by every member, and read once.
    ``flags_without``: an area whose basis is left out of ``stale`` and ``hypothetical``
    (its part is decided apart and joined by :func:`join_part`).
    """
    row: dict[str, Any] = {}
    stale = hypothetical = False
    for area, _, _ in AREAS:
        fields, area_stale, area_hypothetical = _part(area, evaluation.decisions[area], cache)
        row.update(fields)
        row[f"answered_by_{area}"] = evaluation.answered_by[area]
        if area != flags_without:
            stale = stale or area_stale
            hypothetical = hypothetical or area_hypothetical
    row["stale"] = stale
    row["hypothetical"] = hypothetical
    row["error"] = None
    return row


def part_of(area: str, decision: Any, layer: str, cache: dict[int, Any] | None = None) -> dict[str, Any]:
    """One area's columns of a row (and who answered it), with its own ``stale`` and
    ``hypothetical``: the part :func:`join_part` lays over rows decided without it."""
    fields, stale, hypothetical = _part(area, decision, cache)
    return {**fields, f"answered_by_{area}": layer, "stale": stale, "hypothetical": hypothetical}


def part_schema(area: str) -> pa.Schema:
    """The columns of :func:`part_of` for ``area``."""
    names = {name for name, _, _ in _AREA_COLUMNS[area]} | {f"answered_by_{area}", "stale", "hypothetical"}
    return pa.schema([field for field in SCHEMA if field.name in names])


def join_part(out: pa.Table, parts: list[dict[str, Any]], index: np.ndarray, schema: pa.Schema) -> pa.Table:
    """``out`` with the columns of ``parts[index[i]]`` in row ``i``: an area's own columns
    replaced, ``stale`` and ``hypothetical`` the row's or the part's (null stays null: a
    refused row's part is all null)."""
    laid = spread(parts, index, schema)
    for field in schema:
        at = out.schema.get_field_index(field.name)
        column = laid.column(field.name)
        if field.name in ("stale", "hypothetical"):
            column = pc.or_(out.column(at), column)
        out = out.set_column(at, field, column)
    return out


def _part(area: str, decision: Any, cache: dict[int, Any] | None) -> tuple[dict[str, Any], bool, bool]:
    hit = None if cache is None else cache.get(id(decision))
    if hit is None or hit[0] is not decision:
        fields = {name: read(decision) for name, _, read in _AREA_COLUMNS[area]}
        hit = (
            decision,
            fields,
            any(applied.stale for applied in decision.basis),
            any(getattr(applied, "hypothetical", False) for applied in decision.basis),
        )
        if cache is not None:
            if len(cache) > 20_000:  # members answered one by one: their decisions are their own
                cache.clear()
            cache[id(decision)] = hit
    return hit[1], hit[2], hit[3]


def error_row(message: str) -> dict[str, Any]:
    """A bad row: the message, and null everywhere else."""
    return dict.fromkeys(NAMES) | {"error": message}


def _fen(amount: Decimal | None) -> Decimal | None:
    """Money as JSON shows it: to the fen, half-up."""
    return None if amount is None else to_fen(amount)


def money_fen(amount: Decimal | None) -> int | None:
    """Money as JSON shows it, in integer fen (what the vectorised path computes)."""
    return None if amount is None else int(to_fen(amount).scaleb(2))


def spread(rows: list[dict[str, Any]], index: np.ndarray, schema: pa.Schema = SCHEMA) -> pa.Table:
    """The table (of ``schema``'s columns) whose row ``i`` is ``rows[index[i]]``.

    Shared texts are taken as indices into the few distinct texts (:data:`SHARED_TEXT`),
    lists as lists of such indices: nothing is copied per row but integers.
    """
    if not rows:
        return schema.empty_table()
    shared = pa.Table.from_pylist(rows, schema=schema)
    take = pa.array(index)
    arrays = []
    for field in schema:
        column = shared.column(field.name).combine_chunks()
        if field.type == SHARED_TEXT:
            arrays.append(pa.DictionaryArray.from_arrays(column.indices.take(take), column.dictionary))
        elif field.type == LIST:
            distinct = {None if row[field.name] is None else tuple(row[field.name]) for row in rows}
            only = distinct.pop() if len(distinct) == 1 else None
            if only is not None:
                arrays.append(_repeat_list(list(only), len(index)))
                continue
            words = column.flatten()  # (a dictionary array: its indices are the codes)
            codes = pa.ListArray.from_arrays(_offsets(column), words.indices, mask=pc.is_null(column))
            taken = codes.take(take)
            values = pa.DictionaryArray.from_arrays(taken.flatten(), words.dictionary)
            arrays.append(pa.ListArray.from_arrays(_offsets(taken), values, type=LIST, mask=pc.is_null(taken)))
        else:
            arrays.append(column.take(take))
    return pa.Table.from_arrays(arrays, schema=schema)


_PLAIN = {SHARED_TEXT: pa.string(), LIST: pa.list_(pa.string())}
PLAIN_SCHEMA = pa.schema([pa.field(f.name, _PLAIN.get(f.type, f.type)) for f in SCHEMA])


def plain(table: pa.Table) -> pa.Table:
    """``table`` with its dictionary-encoded texts as plain strings (lists of them too)."""
    for i, field in enumerate(table.schema):
        if field.type in _PLAIN:
            table = table.set_column(i, pa.field(field.name, _PLAIN[field.type]), table.column(i).cast(_PLAIN[field.type]))
    return table


def _offsets(lists: pa.ListArray) -> pa.Array:
    offsets = lists.offsets
    return offsets if offsets[0].as_py() == 0 else pc.subtract(offsets, offsets[0])


def _repeat_list(words: list[str], n: int) -> pa.Array:
    """``n`` copies of one list of strings: ``n`` times the same few indices."""
    indices = np.tile(np.arange(len(words), dtype=np.int32), n)
    values = pa.DictionaryArray.from_arrays(pa.array(indices), pa.array(words, pa.string()))
    offsets = np.arange(n + 1, dtype=np.int32) * len(words)
    return pa.ListArray.from_arrays(pa.array(offsets), values, type=LIST)
