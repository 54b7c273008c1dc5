"""Contribution histories as shapes: each distinct history seen on one date gets a code.

A ``contributions`` column is a list of ``{from, to, ...}`` structs (Arrow, Parquet,
JSONL) or JSON text (CSV). Every shape of history is read here without leaving the fast
path: open ranges (``to`` null or absent: still paying), several ranges, ranges given out
of order, back-paid ranges (``paid``, ``paid_in``), ranges naming a region, and ranges
with their own ``base``, ``tier`` or ``category``.

What a rule may see of a history (docs/batch.md, the batch contract) is what
:func:`yibao.lapse.history` reads, plus the base, tier and category of the range paying
the as-of month (``Member.in_month``). So a row's history is split in two:

- its *key*: every range's months and payment (base, tier, category left out), with the
  first range's start dropped where nothing can depend on it (ranges in order and apart,
  the first not paid back, the span checked first). Each distinct key is read once, in Python, by
  ``yibao.Member`` itself (so a key it refuses, an overlap say, sends its rows to the
  per-member path and its exact message), into its *canonical* history: the runs
  ``lapse.history`` sees, first start dropped; a history with a back payment keeps its
  ranges as read (their months and payment);
- its *cover*: the base, tier and category of the range paying the as-of month, which
  replace the member's own, read vectorised (JSON text: once per distinct text).

A row whose history does not read plainly is left to the per-member path, which gives
``yibao.evaluate``'s message for it.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..errors import InputError
from ..lapse import history as seen_history
from ..member import CATEGORIES, MAX_PERIODS, MAX_SPAN, Member, Period
from ..months import OPEN_END, format_month, month_of
from .arrays import amount_units, np_bool, one_chunk

_MONTH = re.compile(r"((?:19|20|21)[0-9]{2})-(0[1-9]|1[0-2])")  # as the member schema
_REGION = r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)?$"  # as the member schema
_ITEM_FIELDS = ("from", "to", "base", "tier", "category", "paid", "paid_in", "region")
_OPEN = -1  # the end of a range still being paid, in a key
History = tuple[tuple[int, int], ...] | tuple[Period, ...] | None


class Cover:
    """Per row, what the range paying the as-of month gives (``-1``/``False``: nothing)."""

    __slots__ = ("units", "has_base", "tier", "category")

    def __init__(self, n: int) -> None:
        self.units = np.zeros(n, dtype=np.int64)
        self.has_base = np.zeros(n, dtype=bool)
        self.tier = np.full(n, -1, dtype=np.int64)
        self.category = np.full(n, -1, dtype=np.int64)


class Histories:
    """The histories seen on one date, each with a small integer code (``canonical[code]``)."""

    def __init__(self, as_of: date) -> None:
        self.day = as_of
        self.month = month_of(as_of)
        self.canonical: list[History] = []
        #: A member read from a list key, for codes first met there: its ranges are that key's
        #: months and payments only (no base, tier or category), so it can represent the code.
        self.members: dict[int, Member] = {}
        self._codes: dict[Any, int] = {}
        self._keys: dict[Any, int] = {}
        self._texts: dict[str, tuple[int, int, bool, int, int]] = {}
        self._regions: list[str] = []
        self._region_codes: dict[str, int] = {}

    def code_of(self, history: History) -> int:
        code = self._codes.get(history)
        if code is None:
            code = self._codes[history] = len(self.canonical)
            self.canonical.append(history)
        return code

    def member_fields(self, code: int) -> dict[str, Any]:
        """The ``Member`` keyword that gives a representative the history of ``code``."""
        history = self.canonical[code]
        if history and isinstance(history[0], Period):
            return {"periods": history}
        return {"contributions": history}

    def codes(self, column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray, Cover]:
        """(history code per row, plainly valid per row, cover) for a contributions column."""
        n = len(column)
        kind = column.type
        is_null = np_bool(pc.is_null(column))
        none = self.code_of(None)
        if pa.types.is_null(kind):
            return np.full(n, none), np.ones(n, dtype=bool), Cover(n)
        if pa.types.is_string(kind) or pa.types.is_large_string(kind):
            codes, valid, cover = self._texts_of(one_chunk(column), n)
        elif (pa.types.is_list(kind) or pa.types.is_large_list(kind)) and pa.types.is_struct(kind.value_type):
            codes, valid, cover = self._lists_of(one_chunk(column), n)
        else:  # another type: every row with a value is read per member (and refused there)
            return np.full(n, none), is_null.copy(), Cover(n)
        valid = np.where(is_null, True, valid)
        return np.where(is_null, none, codes), valid, cover

    # ---------------------------------------------------------------- list<struct> columns

    def _lists_of(self, lists: pa.Array, n: int) -> tuple[np.ndarray, np.ndarray, Cover]:
        offsets = lists.offsets.to_numpy().astype(np.int64)
        offsets = offsets - offsets[0]
        items = lists.flatten()
        sizes = np.diff(offsets)
        row_of = np.repeat(np.arange(n), sizes)
        fields = {items.type.field(i).name: items.field(i) for i in range(items.type.num_fields)}
        ok = np_bool(pc.is_valid(items)) if len(items) else np.ones(0, dtype=bool)
        for name, values in fields.items():
            if name not in _ITEM_FIELDS:  # not a range field: refused where given (a null is absent)
                ok &= np_bool(pc.is_null(values))
        starts, good = _months(fields.get("from"), len(items), required=True)
        ok &= good
        ends, good = _months(fields.get("to"), len(items), required=False)
        ok &= good
        last = np.where(ends == _OPEN, OPEN_END, ends)
        ok &= last >= starts
        paid, paid_in, region, good = self._payments(fields, len(items))
        ok &= good
        cover_item = (starts <= self.month) & (self.month <= last)
        cover = Cover(n)
        base = fields.get("base")
        if base is not None:
            units, present, good = amount_units(pa.chunked_array([base]))
            ok &= good
            hit = cover_item & present
            cover.units[row_of[hit]], cover.has_base[row_of[hit]] = units[hit], True
        for name, target, read in (("tier", cover.tier, _tiers), ("category", cover.category, _categories)):
            if name in fields:
                values, good = read(fields[name])
                ok &= good
                hit = cover_item & (values >= 0)
                target[row_of[hit]] = values[hit]
        bad = np.zeros(n, dtype=bool)
        bad[row_of[~ok]] = True
        bad |= sizes > MAX_PERIODS
        starts = self._drop_first_starts(starts, last, paid, offsets, sizes, row_of, bad)
        words = np.stack([starts, ends, paid, paid_in, region], axis=1).astype(np.int32)
        key_offsets = (offsets * words.shape[1] * 4).astype(np.int32)
        keys = pa.Array.from_buffers(pa.binary(), n, [None, pa.py_buffer(key_offsets.tobytes()), pa.py_buffer(words.tobytes())])
        encoded = one_chunk(pc.dictionary_encode(keys))
        mapping = np.array([self._from_key(key) for key in encoded.dictionary.to_pylist()], dtype=np.int64)
        codes = mapping[encoded.indices.to_numpy().astype(np.int64)] if len(mapping) else np.zeros(n, dtype=np.int64)
        codes = np.where(bad, -1, codes)
        return np.where(codes >= 0, codes, 0), codes >= 0, cover

    def _payments(self, fields: dict[str, pa.Array], count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(back paid 0/1, paid_in month or -1, region code or -1, plainly valid) per range."""
        ok = np.ones(count, dtype=bool)
        paid = np.zeros(count, dtype=np.int64)
        if "paid" in fields:
            values = fields["paid"]
            if _is_text(values.type):
                back = np_bool(pc.fill_null(pc.equal(values, "back_paid"), False))
                ok &= back | np_bool(pc.fill_null(pc.equal(values, "on_time"), True))
                paid = back.astype(np.int64)
            else:
                ok &= np_bool(pc.is_null(values))
        paid_in, good = _months(fields.get("paid_in"), count, required=False)
        ok &= good
        region = np.full(count, -1, dtype=np.int64)
        if "region" in fields:
            values = fields["region"]
            if _is_text(values.type):
                ok &= np_bool(pc.fill_null(pc.match_substring_regex(values, _REGION), True))
                ok &= np_bool(pc.fill_null(pc.less_equal(pc.utf8_length(values), 64), True))
                encoded = one_chunk(pc.dictionary_encode(values))
                table = np.array([self._region_code(text) for text in encoded.dictionary.to_pylist()] + [-1], dtype=np.int64)
                region = table[pc.fill_null(encoded.indices, len(table) - 1).to_numpy().astype(np.int64)]
            else:
                ok &= np_bool(pc.is_null(values))
        return paid, paid_in, region, ok

    def _region_code(self, text: str) -> int:
        code = self._region_codes.get(text)
        if code is None:
            code = self._region_codes[text] = len(self._regions)
            self._regions.append(text)
        return code

    def _drop_first_starts(
        self,
        starts: np.ndarray,
        last: np.ndarray,
        paid: np.ndarray,
        offsets: np.ndarray,
        sizes: np.ndarray,
        row_of: np.ndarray,
        bad: np.ndarray,
    ) -> np.ndarray:
        """The starts with each row's first one dropped (set to its end, or the as-of month
        if earlier) where no rule can see it: ranges in order and apart, the first on time.
        The span (at most 100 years) is checked here first, as ``Member`` checks it."""
        count = len(starts)
        if not count:
            return starts
        n = len(sizes)
        first = offsets[:-1][sizes > 0]
        rows = row_of[first]
        later = np.ones(count, dtype=bool)
        later[first] = False
        apart = np.ones(count, dtype=bool)
        apart[1:] = starts[1:] > last[:-1]
        keep = np.zeros(n, dtype=bool)  # rows whose first start must stay
        keep[row_of[later & ~apart]] = True
        keep[rows[paid[first] == 1]] = True  # a back payment's months are its own rule's to judge
        seen_last = np.maximum.reduceat(np.where(last == OPEN_END, starts, last), first)
        seen_last = np.maximum(seen_last, np.maximum.reduceat(starts, first))
        bad[rows[~keep[rows] & (seen_last - starts[first] + 1 > MAX_SPAN)]] = True
        s, e = starts[first], last[first]
        dropped = np.where(s > self.month, s, np.minimum(e, self.month))
        out = starts.copy()
        out[first] = np.where(keep[rows], s, dropped)
        return out

    def _from_key(self, key: bytes) -> int:
        found = self._keys.get(key)
        if found is None:
            items = []
            for start, end, paid, paid_in, region in np.frombuffer(key, dtype=np.int32).reshape(-1, 5).tolist():
                item = {"from": format_month(start)}
                if end != _OPEN:
                    item["to"] = format_month(end)
                if paid:
                    item["paid"] = "back_paid"
                if paid_in >= 0:
                    item["paid_in"] = format_month(paid_in)
                if region >= 0:
                    item["region"] = self._regions[region]
                items.append(item)
            try:  # the boundary yibao.evaluate uses, so a key is refused exactly where a member is
                member = Member.from_mapping({"category": "employee", "contributions": items})
            except InputError:
                found = -1  # (an overlap, say): the per-member path gives the message
            else:
                found = self._canonical(member)
                self.members.setdefault(found, member)
            self._keys[key] = found
        return found

    def _canonical(self, member: Member) -> int:
        """The code of what the rules see of ``member``'s history (see the module docstring)."""
        periods = member.periods or ()
        if any(period.paid != "on_time" for period in periods):
            return self.code_of(tuple(period._replace(base=None, tier=None, category=None) for period in periods))
        runs = list(seen_history(member, self.day).runs)
        if runs:
            runs[0] = (runs[0][1], runs[0][1])
        return self.code_of(tuple(runs))

    # ---------------------------------------------------------------- JSON text columns

    def _texts_of(self, texts: pa.Array, n: int) -> tuple[np.ndarray, np.ndarray, Cover]:
        encoded = one_chunk(pc.dictionary_encode(texts))
        read = [self._from_text(text) for text in encoded.dictionary.to_pylist()]
        read.append((-1, 0, False, -1, -1))  # null: set apart by the caller
        index = pc.fill_null(encoded.indices, len(read) - 1).to_numpy().astype(np.int64)
        code, units, has_base, tier, category = (np.array(column)[index] for column in zip(*read))
        cover = Cover(n)
        cover.units, cover.has_base, cover.tier, cover.category = units.astype(np.int64), has_base.astype(bool), tier, category
        return np.where(code >= 0, code, 0), code >= 0, cover

    def _from_text(self, text: str) -> tuple[int, int, bool, int, int]:
        """(code, cover base units, cover has a base, cover tier, cover category) of one
        JSON text, checked by ``Member`` itself; code -1 if it is refused."""
        found = self._texts.get(text)
        if found is None:
            found = (-1, 0, False, -1, -1)
            try:
                items = json.loads(text)
                member = Member.from_mapping({"category": "employee", "contributions": items})
            except (ValueError, RecursionError, InputError):
                pass
            else:
                period = member.period_of(self.month)
                base = None if period is None else period.base
                found = (
                    self._canonical(member),
                    0 if base is None else int(base.scaleb(8)),
                    base is not None,
                    -1 if period is None or period.tier is None else period.tier,
                    -1 if period is None or period.category is None else CATEGORIES.index(period.category),
                )
            if len(self._texts) > 200_000:
                self._texts.clear()
            self._texts[text] = found
        return found


def _is_text(kind: pa.DataType) -> bool:
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _months(texts: pa.Array | None, count: int, *, required: bool) -> tuple[np.ndarray, np.ndarray]:
    """Month indexes of a text field, read once per distinct text: (index, plainly valid).
    A null is ``-1`` (absent), and valid unless the field is ``required``."""
    if texts is None:
        return np.full(count, -1, dtype=np.int64), np.full(count, not required, dtype=bool)
    if not _is_text(texts.type):
        return np.full(count, -1, dtype=np.int64), np.zeros(count, dtype=bool) if required else np_bool(pc.is_null(texts))
    encoded = one_chunk(pc.dictionary_encode(texts))
    read = [_month(text) for text in encoded.dictionary.to_pylist()]
    table = np.array([-2 if m is None else m for m in read] + [-1], dtype=np.int64)
    months = table[pc.fill_null(encoded.indices, len(table) - 1).to_numpy().astype(np.int64)]
    valid = (months >= 0) | ((months == -1) & (not required))
    return np.where(months >= 0, months, -1), valid


def _month(text: str) -> int | None:
    found = _MONTH.fullmatch(text)
    return None if found is None else int(found[1]) * 12 + int(found[2]) - 1


def _tiers(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A range's tier: 1 or 2 (an integer column), -1 absent; (tier, plainly valid)."""
    if not pa.types.is_integer(values.type):
        nulls = np_bool(pc.is_null(values))
        return np.full(len(values), -1, dtype=np.int64), nulls
    tiers = pc.fill_null(values, -1).to_numpy().astype(np.int64)
    return tiers, (tiers == -1) | (tiers == 1) | (tiers == 2)


def _categories(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A range's category as its index in ``CATEGORIES``, -1 absent; (code, plainly valid)."""
    nulls = np_bool(pc.is_null(values))
    codes = np.full(len(values), -1, dtype=np.int64)
    if not _is_text(values.type):
        return codes, nulls
    for i, name in enumerate(CATEGORIES):
        codes[np_bool(pc.fill_null(pc.equal(values, name), False))] = i
    return codes, nulls | (codes >= 0)
