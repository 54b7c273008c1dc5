"""Calendar months as plain integers, so gaps and ranges are exact arithmetic.

A month is ``year * 12 + (month - 1)``; ``month_index(2025, 5) + 1`` is June 2025.
"""

from __future__ import annotations

import re
from datetime import date

from .errors import InputError

_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")  # ASCII digits, as the schemas say
FIRST_YEAR, LAST_YEAR = 1900, 2199  # the years rules are asked about; month arithmetic stays inside date's range
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
#: The end of a range that is still being paid ("to" omitted or null): the last month
#: the library knows. ``Member.contributions`` ends such a range here; anything that reads
#: a history clips it to the month asked about.
OPEN_END = LAST_YEAR * 12 + 11


def month_index(year: int, month: int) -> int:
    return year * 12 + (month - 1)


def month_of(day: date) -> int:
    return day.year * 12 + (day.month - 1)


_FIRST_DAYS: dict[int, date] = {}


def first_day(index: int) -> date:
    """The 1st of a month: when a monthly rule takes effect (memoised: lapse walks and
    timelines ask for the same few hundred months over and over)."""
    found = _FIRST_DAYS.get(index)
    if found is None:
        found = date(index // 12, index % 12 + 1, 1)
        if len(_FIRST_DAYS) < 8192:
            _FIRST_DAYS[index] = found
    return found


def format_month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def parse_month(text: object, path: str) -> int:
    """``"YYYY-MM"`` -> month index; anything else names ``path`` in the error."""
    if not isinstance(text, str):
        raise InputError(path, f'expected a month as "YYYY-MM", got {type(text).__name__}')
    found = _MONTH.fullmatch(text)
    if not found or not 1 <= int(found.group(2)) <= 12:
        raise InputError(path, f"{text!r} is not a month of the form YYYY-MM")
    if not FIRST_YEAR <= int(found.group(1)) <= LAST_YEAR:
        raise InputError(path, f"{text!r} is outside {FIRST_YEAR}-01 .. {LAST_YEAR}-12")
    return month_index(int(found.group(1)), int(found.group(2)))


def parse_date(value: object, path: str = "as_of") -> date:
    """A ``date`` or ``"YYYY-MM-DD"`` -> ``date``; impossible dates (2025-02-30) are refused."""
    if isinstance(value, date) and not hasattr(value, "hour"):
        if not FIRST_YEAR <= value.year <= LAST_YEAR:
            raise InputError(path, f"{value.isoformat()} is outside {FIRST_YEAR}-01-01 .. {LAST_YEAR}-12-31")
        return value
    if not isinstance(value, str):
        raise InputError(path, f'expected a date as "YYYY-MM-DD", got {type(value).__name__}')
    found = _DATE.fullmatch(value)
    if not found:
        raise InputError(path, f"{value!r} is not a date of the form YYYY-MM-DD")
    try:
        day = date(int(found.group(1)), int(found.group(2)), int(found.group(3)))
    except ValueError as exc:
        raise InputError(path, f"{value!r} is not a real date ({exc})") from None
    return parse_date(day, path)
