"""Evaluate a population by shape: the rules once per shape, the money vectorised in fen.

Members who differ only in their amounts get the same rule decisions. A *shape* is what
a rule may look at besides the amounts: category, tier, arrears and the contribution
history seen on the date (see :mod:`yibao.batch.histories`). Within a shape the
contribution base falls in one of five *classes*: none, below the floor, within the
limits (a whole number of fen, or with sub-fen digits), above the cap, the limits being
the ``base_floor`` / ``base_cap`` parameters the shape's credit decision applied.

For each (shape, class) one real member of the population, the representative, is
evaluated by the ordinary stack; every member of the group shares its answers. The
money of the "within" class is then computed for each member in integer fen::

    base_applied = clamp(to_fen(base), floor, cap)  # half-up, from 1e-8 yuan
    credit       = to_fen(base_applied * rate)      # half-up, exact rational rate

and checked against the representative's own answer: a group whose representative the
formula does not reproduce is evaluated member by member. Where the limits are whole fen
(they always are in the sources) the members below and above them belong to the
"within" group (the clamp gives them the limit); otherwise their money is their own
group's representative's (the base applied is the limit).

Where every layer declares contract 2 (only ``lapse_effect`` reads the history), the
lapse is decided apart, once per (history, category, tier, arrears), and the groups
above are (category, tier, arrears, class), evaluated for a member paid throughout: each
row joins the two (:func:`yibao.batch.columns.join_part`). A layer declaring 1 keeps
whole shapes (history included) for every area.

Only a stack whose every layer declares ``BATCH_CONTRACT`` 1 or 2 is evaluated this way
(see docs/batch.md for what each promises); any other stack, and any row the columns
cannot read plainly, is evaluated member by member, with the same results.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pyarrow as pa

from ..errors import InputError, YibaoError
from ..evaluation import Evaluation
from ..member import CATEGORIES, Member
from ..stack import Stack
from . import columns
from .inputs import FEN_UNITS, UNITS, Histories, parse, row_mapping

#: The batch contract this module keeps (docs/batch.md): 2 adds, to what 1 promises, that
#: only ``lapse_effect`` reads ``contributions``; a stack whose layers all declare 2 has its
#: lapse decided once per history and its other areas once per (category, tier, arrears, class).
BATCH_CONTRACT = 2
_CONTRACTS = (1, 2)
_LAPSE_PART = columns.part_schema("lapse")
_NULL_PART = dict.fromkeys(_LAPSE_PART.names)
#: (the lapse parts, the part of each row, the rows to evaluate one by one)
_Parts = tuple[list[dict[str, Any]], np.ndarray, np.ndarray]
_NONE, _BELOW, _WITHIN, _SUBFEN, _ABOVE = range(5)
_SLOW, _CONSTANT, _FORMULA = range(3)
_MAX_NUMERATOR = 10**7  # 2 * fen * numerator stays inside int64 for bases up to 1e9 yuan


def batch_ready(stack: Stack) -> bool:
    """Whether every layer of ``stack`` declares the batch contract (docs/batch.md)."""
    return contract_of(stack) is not None


def contract_of(stack: Stack) -> int | None:
    """The batch contract all of ``stack``'s layers keep (the lowest one declared), None
    where a layer declares none (or one this module does not know)."""
    declared = [getattr(layer.plugin, "BATCH_CONTRACT", None) for layer in stack.layers]
    kept = [value for value in declared if value in _CONTRACTS]
    return min(kept) if kept and len(kept) == len(declared) else None


_NO_FLOOR, _NO_CAP = -1, np.iinfo(np.int64).max


class _Template:
    """What every member of one group shares, and how its money is computed (``floor`` and
    ``cap`` in fen: the limits the formula clamps the base to)."""

    __slots__ = ("row", "mode", "credit", "base", "num", "den", "floor", "cap")

    def __init__(
        self,
        row: dict[str, Any],
        mode: int,
        credit: int | None = None,
        base: int | None = None,
        num: int = 0,
        den: int = 1,
        limits: tuple[int, int] = (_NO_FLOOR, _NO_CAP),
    ):
        self.row, self.mode, self.credit, self.base, self.num, self.den = row, mode, credit, base, num, den
        self.floor, self.cap = limits


class BatchEvaluator:
    """One region on one date, for a stream of tables: the shapes' answers are kept, so
    the chunks of a long file (or the batches of a Spark partition) share them.

    ``stats`` counts the rows evaluated by shape and member by member.
    """

    def __init__(self, stack: Stack, as_of: date) -> None:
        self.stack = stack
        self.day = as_of
        contract = contract_of(stack)
        self.ready = contract is not None
        self.split = contract == 2  # the lapse apart: the other areas do not read the history
        self.histories = Histories(as_of)
        self._limits: dict[int, tuple[int, int] | None] = {}
        self._templates: dict[int, _Template] = {}
        self._probes: dict[int, tuple[int, Evaluation | InputError]] = {}
        self._rows: dict[int, Any] = {}  # each decision's part of a row, by identity (columns.row_of)
        self._members: dict[int, Member] = {}  # a member of each history code, to copy (_member)
        self._lapse: dict[int, dict[str, Any] | None] = {}  # the lapse part of each (history, category, tier, arrears)
        self.stats = {"rows": 0, "by_shape": 0, "per_member": 0, "evaluations": 0, "lapse_decisions": 0, "fallbacks": 0}

    def evaluate(self, table: pa.Table) -> pa.Table:
        """The output columns (``columns.SCHEMA``) for the member columns of ``table``.

        Whatever a row holds, it is that row's answer or error: a table whose columns the
        fast path cannot read (a failure of this module, not of the input) is evaluated
        member by member instead, and counted in ``stats["fallbacks"]``.
        """
        n = table.num_rows
        self.stats["rows"] += n
        with _no_cycle_collection():
            if self.ready and n:
                try:
                    return self._by_shape(table, n)
                except (YibaoError, KeyboardInterrupt, MemoryError):
                    raise
                except Exception:
                    self.stats["fallbacks"] += 1
            return self._assemble(table, n, [], np.zeros(n, dtype=np.int64), np.arange(n))

    def _by_shape(self, table: pa.Table, n: int) -> pa.Table:
        parsed = parse(table, self.histories)
        fast = np.flatnonzero(parsed.fast)
        rest = (parsed.category * 2 + (parsed.tier - 1)) * 2 + parsed.arrears
        shape = rest if self.split else parsed.history * 12 + rest
        self._learn_limits(table, parsed, shape, fast)
        group = shape * 5 + self._classes(parsed, shape)
        keys, inverse, first = _unique(group[fast])
        templates = []
        slow_groups = []
        for i, key in enumerate(keys.tolist()):
            template = self._templates.get(key)
            if template is None:
                probe = self._probes.pop(key, None)
                if probe is None:
                    row = int(fast[first[i]])
                    probe = (int(parsed.units[row]), self._answer(parsed, row))
                template = self._templates[key] = self._template(probe[0], probe[1], key % 5, self._limits.get(key // 5))
            templates.append(template)
            if template.mode == _SLOW or (self.split and template.row["error"] is not None):
                slow_groups.append(i)  # (split: a refusal may be the lapse's, for one history; each says its own)
        index = np.zeros(n, dtype=np.int64)
        index[fast] = inverse
        slow_mask = ~parsed.fast
        if slow_groups:
            slow_mask[fast[np.isin(inverse, slow_groups)]] = True
        lapse = None
        if self.split:
            lapse = self._lapse_parts(parsed, rest, fast, n)
            slow_mask |= lapse[2]
        return self._assemble(table, n, templates, index, np.flatnonzero(slow_mask), parsed.units, lapse)

    def _lapse_parts(self, parsed: Any, rest: np.ndarray, fast: np.ndarray, n: int) -> _Parts:
        """(the lapse parts, the part of each row, rows to evaluate one by one): the lapse
        decided once per (history, category, tier, arrears), for a real member of each."""
        keys, inverse, first = _unique(parsed.history[fast] * 12 + rest[fast])
        parts: list[dict[str, Any]] = []
        refused = np.zeros(len(keys), dtype=bool)
        for i, key in enumerate(keys.tolist()):
            if key not in self._lapse:
                self._lapse[key] = self._lapse_part(parsed, int(fast[first[i]]))
            part = self._lapse[key]
            refused[i] = part is None
            parts.append(_NULL_PART if part is None else part)
        index = np.full(n, len(parts), dtype=np.int64)
        parts.append(_NULL_PART)  # rows off the fast path: given their own part by _assemble
        index[fast] = inverse
        slow = np.zeros(n, dtype=bool)
        slow[fast[refused[inverse]]] = True
        return parts, index, slow

    def _lapse_part(self, parsed: Any, row: int) -> dict[str, Any] | None:
        """The lapse columns of ``row``'s (history, category, tier, arrears), as the stack
        decides them for that member (``None``: a rule refused it; its rows go one by one)."""
        member = self._member(parsed, row)
        self.stats["lapse_decisions"] += 1
        try:
            ((decision, layer),) = self.stack.decide_areas(("lapse",), member.in_month(self.histories.month), self.day)
        except InputError:
            return None
        return columns.part_of("lapse", decision, layer)

    def _learn_limits(self, table: pa.Table, parsed: Any, shape: np.ndarray, fast: np.ndarray) -> None:
        """The base limits of each new shape, from the credit decision of one of its members with a base."""
        with_base = fast[parsed.has_base[fast]]
        keys, _, first = _unique(shape[with_base])
        for key, row in zip(keys.tolist(), with_base[first].tolist()):
            if key in self._limits:
                continue
            evaluation = self._answer(parsed, row)
            if isinstance(evaluation, InputError):
                self._limits[key] = None
                continue
            found = {applied.name: applied.value for applied in evaluation.credit.basis if applied.name in ("base_floor", "base_cap")}
            floor, cap = found.get("base_floor"), found.get("base_cap")
            limits = self._limits[key] = None if floor is None or cap is None else (_units(floor), _units(cap))
            units = int(parsed.units[row])
            cls = _SUBFEN if units % FEN_UNITS else _WITHIN
            if limits is not None and (units < limits[0] or units > limits[1]):
                cls = _WITHIN if _whole_fen(limits) else _BELOW if units < limits[0] else _ABOVE
            self._probes[key * 5 + cls] = (units, evaluation)  # this member represents its group too

    def _classes(self, parsed: Any, shape: np.ndarray) -> np.ndarray:
        keys, inverse, _ = _unique(shape)
        limits = [self._limits.get(key) for key in keys.tolist()]
        floor = np.array([-1 if lim is None else lim[0] for lim in limits], dtype=np.int64)[inverse]
        cap = np.array([np.iinfo(np.int64).max if lim is None else lim[1] for lim in limits], dtype=np.int64)[inverse]
        whole = np.array([lim is None or _whole_fen(lim) for lim in limits], dtype=bool)[inverse]
        units = parsed.units
        cls = np.where(units % FEN_UNITS == 0, _WITHIN, _SUBFEN)
        cls = np.where(units < floor, _BELOW, np.where(units > cap, _ABOVE, cls))
        # Limits in whole fen: below and above them the base applied is the limit, which the
        # clamping formula gives; one group, one check (whatever class its representative is in).
        cls = np.where(whole & ((cls == _BELOW) | (cls == _ABOVE)), _WITHIN, cls)
        return np.where(parsed.has_base, cls, _NONE)

    def _member(self, parsed: Any, row: int, *, history: bool = True) -> Member:
        """The representative of ``row``'s group: its category, tier, base and arrears as the
        as-of month sees them, and its group's canonical history (checked once per history,
        then shared: only the four plain fields, already read as valid, are set per group);
        without ``history``, paid throughout (where the lapse is decided apart)."""
        code = int(parsed.history[row]) if history else self.histories.code_of(None)
        shared = self._members.get(code)
        if shared is None:  # (a member already read for the code, else one built from its canonical history)
            shared = self.histories.members.get(code) or Member(category="employee", **self.histories.member_fields(code))
            self._members[code] = shared
        base = Decimal(int(parsed.units[row])).scaleb(-8) if parsed.has_base[row] else None
        return _with(
            shared,
            category=CATEGORIES[parsed.category[row]],
            tier=int(parsed.tier[row]),
            contribution_base=base,
            arrears=bool(parsed.arrears[row]),
        )

    def _answer(self, parsed: Any, row: int) -> Evaluation | InputError:
        """The stack's evaluation of ``row``'s representative, or the InputError a rule raised
        for this member's shape."""
        try:
            return self._evaluate(self._member(parsed, row, history=not self.split))
        except InputError as exc:
            return exc

    def _evaluate(self, member: Member) -> Evaluation:
        self.stats["evaluations"] += 1
        return self.stack.evaluate(member, self.day)

    def _template(self, units: int, evaluation: Evaluation | InputError, cls: int, limits: tuple[int, int] | None) -> _Template:
        """What a group shares, from its representative's evaluation (or refusal) and base.

        The "within" class of a shape whose limits are whole fen holds the members below and
        above them too: its formula clamps the base to the limits, and is checked on its
        representative, whichever side of a limit it is on."""
        if isinstance(evaluation, InputError):
            return _Template(columns.error_row(str(evaluation)), _CONSTANT)
        out = columns.row_of(evaluation, self._rows, flags_without="lapse" if self.split else None)
        credit = evaluation.credit
        fixed = _Template(out, _CONSTANT, columns.money_fen(credit.monthly_credit), columns.money_fen(credit.base_applied))
        if cls not in (_WITHIN, _SUBFEN) or credit.rate is None or credit.base_applied is None or credit.monthly_credit is None:
            return fixed
        num, den = credit.rate.as_integer_ratio()
        if num < 0 or num >= _MAX_NUMERATOR:
            return _Template(out, _SLOW)
        fen_limits = (_NO_FLOOR, _NO_CAP)
        if cls == _WITHIN and limits is not None:
            fen_limits = (limits[0] // FEN_UNITS, limits[1] // FEN_UNITS)
        base = min(max((units + FEN_UNITS // 2) // FEN_UNITS, fen_limits[0]), fen_limits[1])
        expected = (2 * base * num + den) // (2 * den)
        if credit.base_applied != Decimal(base).scaleb(-2) or credit.monthly_credit != Decimal(expected).scaleb(-2):
            # Compared unrounded: a layer that applies a sub-fen base as given (not to_fen(base)
            # first) shows it here, and its members are evaluated one by one.
            return _Template(out, _SLOW)
        return _Template(out, _FORMULA, num=num, den=den, limits=fen_limits)

    def _assemble(
        self,
        table: pa.Table,
        n: int,
        templates: list[_Template],
        index: np.ndarray,
        slow: np.ndarray,
        units: np.ndarray | None = None,
        lapse: _Parts | None = None,
    ) -> pa.Table:
        templates = list(templates)
        for row in slow.tolist():
            index[row] = len(templates)
            templates.append(self._one(table, row))
            if lapse is not None:  # its own answer, whole: its lapse part is its row's, flags already in it
                lapse[1][row] = len(lapse[0])
                own = templates[-1].row
                lapse[0].append({name: own[name] for name in _LAPSE_PART.names} | {"stale": False, "hypothetical": False})
        self.stats["per_member"] += len(slow)
        self.stats["by_shape"] += n - len(slow)
        rows = [template.row for template in templates]
        out = columns.spread(rows, index)
        mode = np.array([t.mode for t in templates] or [0], dtype=np.int64)[index]
        formula = mode == _FORMULA
        if formula.any():
            assert units is not None
            nums = np.array([t.num for t in templates], dtype=np.int64)[index]
            dens = np.array([t.den for t in templates], dtype=np.int64)[index]
            floors = np.array([t.floor for t in templates], dtype=np.int64)[index]
            caps = np.array([t.cap for t in templates], dtype=np.int64)[index]
            base = np.minimum(np.maximum((units + FEN_UNITS // 2) // FEN_UNITS, floors), caps)
            credit = (2 * base * nums + dens) // (2 * dens)
            out = _set_money(out, "credit_base_applied", templates, index, "base", formula, base)
            out = _set_money(out, "credit_monthly_credit", templates, index, "credit", formula, credit)
        if lapse is not None:
            out = columns.join_part(out, lapse[0], lapse[1], _LAPSE_PART)
        return out

    def _one(self, table: pa.Table, row: int) -> _Template:
        """A row the shapes cannot take: read and evaluated exactly as ``yibao.evaluate`` would."""
        try:
            member = Member.from_mapping(row_mapping(table, row))
            evaluation = self._evaluate(member)
        except InputError as exc:
            return _Template(columns.error_row(str(exc)), _SLOW)
        out = columns.row_of(evaluation, self._rows)
        return _Template(out, _SLOW, columns.money_fen(evaluation.credit.monthly_credit), columns.money_fen(evaluation.credit.base_applied))


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cycle collector paused for one table: the evaluations allocate millions of
    small objects while the histories, templates and rows kept for the table stay alive,
    and each full collection walks them all (about 40% of the CPU time of a 200,000-row
    table with 20,000 groups, measured). Nothing here relies on collecting cycles; the
    collector runs again as before once the table is done (and collects what it left)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


_MEMBER_FIELDS = tuple(field.name for field in attrs.fields(Member))


def _with(member: Member, **values: Any) -> Member:
    """``member`` with some fields replaced by values already valid (no check again: the
    history, checked once, is shared)."""
    copy = object.__new__(Member)
    for name in _MEMBER_FIELDS:
        object.__setattr__(copy, name, values[name] if name in values else getattr(member, name))
    return copy


def _unique(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(distinct values, index of each value among them, first position of each) for
    small non-negative integer keys: a lookup table instead of a sort."""
    if not len(values):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    top = int(values.max()) + 1
    if top > 4 * len(values) + 1_000_000:
        keys, first, inverse = np.unique(values, return_index=True, return_inverse=True)
        return keys, inverse.reshape(-1), first
    seen = np.zeros(top, dtype=bool)
    seen[values] = True
    keys = np.flatnonzero(seen)
    rank = np.cumsum(seen) - 1
    position = np.empty(top, dtype=np.int64)
    position[values[::-1]] = np.arange(len(values) - 1, -1, -1)  # the last write is the first occurrence
    return keys, rank[values], position[keys]


def _whole_fen(limits: tuple[int, int]) -> bool:
    return limits[0] % FEN_UNITS == 0 and limits[1] % FEN_UNITS == 0


def _units(amount: Decimal) -> int:
    return int((amount * UNITS).to_integral_value())


def _set_money(
    out: pa.Table, name: str, templates: list[_Template], index: np.ndarray, attr: str, formula: np.ndarray, computed: np.ndarray
) -> pa.Table:
    """Replace a money column: the formula's fen where it applies, the group's constant elsewhere."""
    constants = [getattr(t, attr) for t in templates]
    known = np.array([value is not None for value in constants], dtype=bool)[index]
    fixed = np.array([0 if value is None else value for value in constants], dtype=np.int64)[index]
    fen = np.where(formula, computed, fixed)
    valid = formula | known
    return out.set_column(out.schema.get_field_index(name), name, fen_array(fen, valid))


def fen_array(fen: np.ndarray, valid: np.ndarray) -> pa.Array:
    """Integer fen as ``decimal128(12, 2)`` without a Python object per value."""
    words = np.empty((len(fen), 2), dtype=np.int64)
    words[:, 0] = fen
    words[:, 1] = np.where(fen < 0, -1, 0)
    mask = None if valid.all() else pa.array(valid).buffers()[1]
    return pa.Array.from_buffers(columns.MONEY, len(fen), [mask, pa.py_buffer(words.tobytes())])
