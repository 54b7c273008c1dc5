"""Money: ``Decimal`` yuan, rounded to the fen (0.01) half-up, never a float."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Context, Decimal, DivisionByZero, InvalidOperation, Overflow

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_AMOUNT = 1_000_000_000  # yuan: far above any base or balance, far below what Decimal rounding can hold

#: The decimal context rules are computed in, whatever the caller's thread uses: a caller
#: who set ``getcontext().prec = 4`` gets the same answers as everyone else (and never an
#: error blamed on a plugin). Hooks run under a fresh copy (see ``yibao.stack``).
CONTEXT = Context(
    prec=28,
    rounding=ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    capitals=1,
    clamp=0,
    flags=[],
    traps=[InvalidOperation, DivisionByZero, Overflow],
)


def to_fen(amount: Decimal) -> Decimal:
    """Round an amount of yuan to the fen, half-up (0.005 -> 0.01), under yibao's own
    decimal context. Anything but a finite ``Decimal`` is an InputError (never a float:
    ``to_fen(0.1 * 3)`` would round a binary approximation)."""
    try:
        fen = amount.quantize(FEN, rounding=ROUND_HALF_UP, context=CONTEXT)
    except (AttributeError, TypeError, InvalidOperation):  # not a Decimal (no quantize), or too large
        fen = None
    if fen is None or not fen.is_finite():
        from .errors import InputError

        if not isinstance(amount, Decimal):
            raise InputError("amount", f"to_fen takes a Decimal, got {type(amount).__name__} {amount!r:.40}")
        raise InputError("amount", f"{amount!r:.40} cannot be rounded to the fen (not a finite amount of yuan)")
    return fen


def parse_amount(value: object, path: str) -> Decimal:
    """Read a non-negative amount of yuan from a JSON number or a decimal string.

    Floats are converted through ``repr`` so ``6733.1`` stays ``6733.1`` and not its
    binary neighbour; booleans, NaN and infinities are refused.
    """
    from .errors import InputError, shown

    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise InputError(path, f"expected an amount in yuan (number or decimal string), got {type(value).__name__}")
    try:
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation:
        raise InputError(path, f"{shown(value)} is not a decimal amount") from None
    if not amount.is_finite():
        raise InputError(path, f"{shown(value)} is not a finite amount")
    if amount < 0:
        raise InputError(path, f"amount must not be negative, got {shown(value)}")
    if amount > MAX_AMOUNT:
        raise InputError(path, f"amount {shown(value)} is above the largest accepted, {MAX_AMOUNT:,} yuan")
    if too_fine(amount):
        raise InputError(path, f"amount {shown(value)} has more than {MAX_PLACES} decimal places")
    return amount.copy_abs() if amount.is_zero() else amount  # -0 becomes 0, whatever the decimal context


#: An input amount has at most this many decimal places (as the member schema's strings):
#: what a member holds, its JSON form writes back exactly.
MAX_PLACES = 8


def too_fine(amount: Decimal) -> bool:
    """More decimal places than an input amount may have."""
    exponent = amount.as_tuple().exponent
    return isinstance(exponent, int) and exponent < -MAX_PLACES


def format_amount(amount: Decimal | None) -> str | None:
    """An input amount exactly as held, in fixed-point with at least two decimals
    (``12000`` -> ``"12000.00"``, ``0.125`` -> ``"0.125"``): a member's JSON form reads
    back as the same member. Money the rules compute is written by :func:`format_money`."""
    if amount is None:
        return None
    text = f"{amount:f}"
    places = len(text.partition(".")[2])
    return text if places >= 2 else f"{amount:.2f}"


def format_money(amount: Decimal | None) -> str | None:
    """The contract's form of money: a string with exactly two decimal places."""
    # str() of an amount quantized to the fen always has exactly two places (and no
    # exponent: amounts are at most MAX_AMOUNT), at a fifth of the cost of format().
    return None if amount is None else str(to_fen(amount))


def grouped(value: object) -> str:
    """``"12000.00"`` -> ``"12,000.00"``, as people read yuan (exact: the Decimal is
    grouped, never a float); anything that is not an amount unchanged."""
    try:
        return f"{Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        return str(value)
