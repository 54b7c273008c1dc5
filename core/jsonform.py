"""Values in their JSON form: one leaf module, so data classes never import the evaluation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any


def jsonable(value: Any) -> Any:
    """Parameter values in JSON form: Decimal as a string, dates ISO, tuples as lists."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [jsonable(item) for item in value]
    return value
