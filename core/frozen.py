"""A read-only ``dict``: immutable values that still look up, iterate and pickle as dicts."""

from __future__ import annotations

from typing import Any


class ReadOnlyDict(dict[str, Any]):
    """Every mutator raises ``TypeError`` with the subclass's ``_why``."""

    __slots__ = ()
    _why = "read-only"

    def _read_only(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError(self._why)

    __setitem__ = __delitem__ = __ior__ = update = pop = popitem = clear = setdefault = _read_only  # type: ignore[assignment]
