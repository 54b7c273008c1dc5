"""Region names for the terminal: the installed regions' names taught to ``yibao.labels``.

A layer or region is printed by name (深圳市, 国家), never by its code, under ``--lang zh``;
the names come from the regions' parameter files, so a third-party region is named too.
"""

from __future__ import annotations

from .. import labels


def teach() -> None:
    """Tell ``labels.place`` the name of every loaded region (once per process)."""
    global _taught
    if _taught:
        return
    from ..engine import default_engine

    statuses = default_engine().regions()
    labels.learn_places({s.code: {"zh": s.name_zh or s.code, "en": s.name_en or s.code} for s in statuses if s.status == "loaded"})
    _taught = True


_taught = False


def target(label: str, lang: str) -> str:
    """A compare target in words: ``shenzhen`` -> 深圳市, ``shenzhen@2025-09-01`` -> 深圳市 @2025-09-01."""
    code, at, day = label.partition("@")
    return labels.place(code, lang) + (f" @{day}" if at else "")


def layers(codes: list[str], lang: str) -> str:
    """``national < shenzhen`` as ``国家 < 深圳市``."""
    return " < ".join(labels.place(code, lang) for code in codes)
