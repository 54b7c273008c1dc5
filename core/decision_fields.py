"""What a hook returns, checked field by field before anyone relies on it.

A decision of the right class can still hold a float credit, a ``datetime``, a list
where a tuple belongs or a relation the schema does not know; left alone it would
evaluate fine and crash later, in ``to_dict()``, far from the plugin at fault. The stack
calls :func:`problem` on every decision a hook returns and reports the first bad field
as that plugin's failure. The checks are the JSON contract
(``schemas/evaluation.schema.json``) in Python types: money is a finite, non-negative
``Decimal`` already at the fen, so what the API holds is what JSON shows.

Hand-written per class (no reflection): this runs on the hot path, five times per
evaluation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation

from .citations import Citation, Dispute
from .decisions import (
    CreditDecision,
    Decision,
    FamilyDecision,
    LapseDecision,
    TransferDecision,
    TransferInDecision,
    WithdrawalDecision,
)
from .money import CONTEXT, FEN
from .months import FIRST_YEAR, LAST_YEAR, month_index
from .parameters import Applied, NotModelled

RELATIONS = frozenset({"spouse", "parent", "child", "sibling", "grandparent", "grandchild"})
SCOPES = frozenset({"pooling_area", "province", "nationwide"})
_WORD = re.compile(r"[a-z_]+")  # uses, conditions, blockers, grounds: as the schema's pattern
_FIRST_MONTH, _LAST_MONTH = month_index(FIRST_YEAR, 1), month_index(LAST_YEAR, 12)


def problem(decision: Decision) -> str | None:
    """The first field of ``decision`` that breaks the contract, as "field: why", or None.

    A quick pass answers for the usual, sound decision; only a decision it doubts goes
    through the field-by-field pass that words the reason.
    """
    if _sound(decision):
        return None
    return _common(decision) or _CHECKS[type(decision)](decision)  # authoritative: None here means sound


_SOUND_FLAGS = (True, False)
_CENT = Decimal("0.01")


def _sound(d: Decision) -> bool:
    """Quick yes for a sound decision (False means: look closer, not necessarily bad;
    an Applied not seen before, for one, is always looked at closer once)."""
    if type(d.notes) is not tuple or type(d.basis) is not tuple or type(d.citations) is not tuple or type(d.not_modelled) is not tuple:
        return False
    if type(d.modelled) is not bool:
        return False
    for applied in d.basis:
        if type(applied) is not Applied or _SOUND_APPLIED.get(id(applied)) is not applied:
            return False
    for citation in d.citations:
        if type(citation) is not Citation:
            return False
    for missing in d.not_modelled:
        if type(missing) is not NotModelled:
            return False
    for note in d.notes:
        if type(note) is not str:
            return False
    kind = type(d)
    if kind is CreditDecision:
        return _credit(d) is None  # type: ignore[arg-type]
    if kind is LapseDecision:
        month, gap = d.last_paid_month, d.gap_months  # type: ignore[attr-defined]
        return (
            (month is None or (type(month) is int and _FIRST_MONTH <= month <= _LAST_MONTH))
            and (gap is None or (type(gap) is int and gap >= 0))
            and (d.pooled_benefits is None or type(d.pooled_benefits) is bool)  # type: ignore[attr-defined]
            and (d.pooled_benefits_end is None or type(d.pooled_benefits_end) is date)  # type: ignore[attr-defined]
            and (d.pooled_benefits_resume is None or type(d.pooled_benefits_resume) is date)  # type: ignore[attr-defined]
            and type(d.account_usable) is bool  # type: ignore[attr-defined]
            and type(d.continuity_reset) is bool  # type: ignore[attr-defined]
        )
    return _CHECKS[kind](d) is None


def _shown(value: object) -> str:
    text = repr(value) if type(value) in (int, float, str, Decimal, bool) or value is None else type(value).__name__
    return text if len(text) <= 40 else text[:39] + "…"


def _money(name: str, value: object, nullable: bool = True) -> str | None:
    if value is None:
        return None if nullable else f"{name} is None, expected a Decimal amount"
    if type(value) is not Decimal:
        return f"{name} is {type(value).__name__} {_shown(value)}, expected a Decimal at the fen (yibao.to_fen) or None"
    try:
        if not value.is_finite() or value < 0 or value.quantize(FEN, context=CONTEXT) != value:
            return f"{name} is Decimal {_shown(value)}, expected a finite, non-negative amount rounded to the fen (yibao.to_fen)"
    except InvalidOperation:  # too large to hold at the fen
        return f"{name} is Decimal {_shown(value)}, too large an amount"
    return None


def _flag(name: str, value: object, nullable: bool = False) -> str | None:
    if type(value) is bool or (nullable and value is None):
        return None
    return f"{name} is {type(value).__name__} {_shown(value)}, expected True or False{' or None' if nullable else ''}"


def _day(name: str, value: object) -> str | None:
    if value is None or type(value) is date:
        return None
    return f"{name} is {type(value).__name__} {_shown(value)}, expected a datetime.date or None"


def _words(name: str, value: object, allowed: frozenset[str] | None = None) -> str | None:
    if type(value) is not tuple:
        return f"{name} is {type(value).__name__}, expected a tuple of str"
    for i, item in enumerate(value):
        if type(item) is not str:
            return f"{name}[{i}] is {type(item).__name__} {_shown(item)}, expected str"
        if (item not in allowed) if allowed is not None else not _WORD.fullmatch(item):
            expected = f"one of {', '.join(sorted(allowed))}" if allowed is not None else "lower-case letters and _"
            return f"{name}[{i}] is {item!r}, expected {expected}"
    return None


def _items(name: str, value: object, kind: type) -> str | None:
    if type(value) is not tuple:
        return f"{name} is {type(value).__name__}, expected a tuple of {kind.__name__}"
    for i, item in enumerate(value):
        if type(item) is not kind:
            return f"{name}[{i}] is {type(item).__name__}, expected {kind.__name__}"
    return None


#: Applied values already found sound, by identity (kept alive, so an id is never reused):
#: params hand the same Applied to every member on a date, so each is checked once.
_SOUND_APPLIED: dict[int, Applied] = {}
_JSON_SCALARS = (str, int, bool, Decimal, date, type(None))


def _applied(i: int, a: Applied) -> str | None:
    """An Applied a plugin built itself must still serialise: its value and dates."""
    where = f"basis[{i}] ({a.name!r})" if type(a.name) is str else f"basis[{i}]"
    if type(a.name) is not str or type(a.layer) is not str or type(a.stale) is not bool:
        return f"{where}: name and layer must be str, stale a bool"
    if type(a.start) is not date or (a.end is not None and type(a.end) is not date):
        return f"{where}: start and end must be datetime.date (end may be None)"
    if _items("citations", a.citations, Citation) or _items("disputed", a.disputed, Dispute):
        return f"{where}: citations and disputed must be tuples of Citation and Dispute"
    values = [a.value, *(dispute.value for dispute in a.disputed)]
    while values:
        value = values.pop()
        if type(value) in (tuple, list):
            values.extend(value)
        elif type(value) not in _JSON_SCALARS or (type(value) is Decimal and not value.is_finite()):
            return f"{where}: value holds {type(value).__name__} {_shown(value)}, not a JSON value"
    if len(_SOUND_APPLIED) > 4096:
        _SOUND_APPLIED.clear()
    _SOUND_APPLIED[id(a)] = a
    return None


def _common(d: Decision) -> str | None:
    if type(d.notes) is not tuple or any(type(note) is not str for note in d.notes):
        return "notes: expected a tuple of str"
    bad = _items("basis", d.basis, Applied)
    if bad is None:
        for i, applied in enumerate(d.basis):
            bad = bad or _applied(i, applied)
    return (
        bad
        or _items("citations", d.citations, Citation)
        or _items("not_modelled", d.not_modelled, NotModelled)
        or _flag("modelled", d.modelled)
    )


def _credit(d: CreditDecision) -> str | None:  # type: ignore[misc]
    rate = d.rate
    if rate is not None and (type(rate) is not Decimal or not rate.is_finite() or rate < 0 or "E" in str(rate)):
        return f"rate is {type(rate).__name__} {_shown(rate)}, expected a non-negative Decimal (e.g. Decimal('0.02')) or None"
    return _flag("has_account", d.has_account) or _money("monthly_credit", d.monthly_credit) or _money("base_applied", d.base_applied)


def _lapse(d: LapseDecision) -> str | None:  # type: ignore[misc]
    month = d.last_paid_month
    if month is not None and (type(month) is not int or not _FIRST_MONTH <= month <= _LAST_MONTH):
        return f"last_paid_month is {type(month).__name__} {_shown(month)}, expected a month index (yibao.months) or None"
    gap = d.gap_months
    if gap is not None and (type(gap) is not int or gap < 0):
        return f"gap_months is {type(gap).__name__} {_shown(gap)}, expected a non-negative int or None"
    return (
        _flag("pooled_benefits", d.pooled_benefits, nullable=True)
        or _day("pooled_benefits_end", d.pooled_benefits_end)
        or _day("pooled_benefits_resume", d.pooled_benefits_resume)
        or _flag("account_usable", d.account_usable)
        or _flag("continuity_reset", d.continuity_reset)
    )


def _family(d: FamilyDecision) -> str | None:  # type: ignore[misc]
    if d.scope is not None and (type(d.scope) is not str or d.scope not in SCOPES):
        return f"scope is {_shown(d.scope)}, expected one of {', '.join(sorted(SCOPES))} or None"
    return _words("relations", d.relations, RELATIONS) or _words("uses", d.uses) or _words("conditions", d.conditions)


def _transfer(d: TransferDecision) -> str | None:  # type: ignore[misc]
    return (
        _flag("relationship_transferable", d.relationship_transferable)
        or _flag("balance_transferable", d.balance_transferable)
        or _words("blockers", d.blockers)
    )


def _withdrawal(d: WithdrawalDecision) -> str | None:  # type: ignore[misc]
    return _words("grounds", d.grounds)


def _count(name: str, value: object) -> str | None:
    if value is None or (type(value) is int and value >= 0):
        return None
    return f"{name} is {type(value).__name__} {_shown(value)}, expected a non-negative int or None"


def _transfer_in(d: TransferInDecision) -> str | None:  # type: ignore[misc]
    for name in ("payable_gap_months", "short_gap_wait_months", "wait_months", "wait_ceiling_months", "processing_working_days"):
        bad = _count(name, getattr(d, name))
        if bad:
            return bad
    return _flag("gap_covered", d.gap_covered, nullable=True) or _flag("continuity_merged", d.continuity_merged, nullable=True)


_CHECKS: dict[type, Callable[..., str | None]] = {
    CreditDecision: _credit,
    LapseDecision: _lapse,
    FamilyDecision: _family,
    TransferDecision: _transfer,
    WithdrawalDecision: _withdrawal,
    TransferInDecision: _transfer_in,
}
