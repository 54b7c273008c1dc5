"""The exception raised by the generated validators (``_member_validator``, ``_region_validator``).

It stands in for fastjsonschema's own, so the generated code needs nothing at run time.
"""

from __future__ import annotations

from typing import Any


class JsonSchemaValueException(ValueError):
    """First schema violation found: ``name`` is the path (``data.contributions[0].from``)."""

    def __init__(self, message: str, value: Any = None, name: str | None = None, definition: Any = None, rule: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.value = value
        self.name = name
        self.definition = definition
        self.rule = rule


JsonSchemaValuesException = JsonSchemaValueException
