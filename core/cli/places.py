"""Region names for the terminal: the names of the regions in an answer taught to ``yibao.labels``.

A layer or region is printed by name (深圳市, 国家), never by its code, under ``--lang zh``;
the names come from the regions' parameter files, so a third-party region is named too.
Only the stacks an answer already loaded are read: naming costs no plugin import.
"""

from __future__ import annotations

from collections.abc import Iterable

from .. import labels


def teach(codes: Iterable[str]) -> None:
    """Tell ``labels.place`` the names of every layer of the regions ``codes`` (a compare
    target's ``@date`` is ignored)."""
    from ..engine import default_engine
    from ..errors import YibaoError

    engine = default_engine()
    for code in codes:
        code = code.split("@", 1)[0]
        if code in _taught:
            continue
        _taught.add(code)
        try:
            stack = engine.stack(code)
        except YibaoError:  # a region that failed: its code is all there is to show
            continue
        labels.learn_places({layer.code: {"zh": layer.data.name_zh, "en": layer.data.name_en} for layer in stack.layers})


_taught: set[str] = set()


def target(label: str, lang: str) -> str:
    """A compare target in words: ``shenzhen`` -> 深圳市, ``shenzhen@2025-09-01`` -> 深圳市 @2025-09-01."""
    code, at, day = label.partition("@")
    return labels.place(code, lang) + (f" @{day}" if at else "")


def layers(codes: list[str], lang: str) -> str:
    """``national < shenzhen`` as ``国家 < 深圳市``."""
    return " < ".join(labels.place(code, lang) for code in codes)
