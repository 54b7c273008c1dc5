"""Chinese and English labels for the stable codes (``data/labels.toml``).

Codes are what programs read and never change with the language; labels are for
people. Loaded on first use, so nothing pays for them unless it displays something.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

LANGUAGES = ("zh", "en")

_KIND_OF_FIELD = {
    "relations": "relations",
    "uses": "uses",
    "scope": "scopes",
    "blockers": "blockers",
    "grounds": "grounds",
    "conditions": "conditions",
    "balance_within_province": "balance",
    "balance": "balance",
}


@lru_cache(maxsize=1)
def table() -> dict[str, dict[str, dict[str, str]]]:
    from .tomlcache import load

    path = Path(__file__).with_name("data") / "labels.toml"
    return load(str(path), lambda: path.read_text(encoding="utf-8"))[0]  # (text only: no dates, no floats)


def label(kind: str, code: str, lang: str = "en") -> str:
    """The label of ``code`` among ``kind`` (areas, fields, relations, …); the code itself if none."""
    entry = table().get(kind, {}).get(code)
    return entry[lang] if entry else code


def any_label(code: str, lang: str = "en") -> str:
    """The label of ``code`` in whichever code list has it (``policy show`` knows only the
    parameter's unit, not the list); the code itself if none."""
    for kind in _CODE_LISTS:
        entry = table().get(kind, {}).get(code)
        if entry:
            return entry[lang]
    return code


_CODE_LISTS = ("relations", "uses", "scopes", "blockers", "grounds", "conditions")


def note(text: str, lang: str = "en") -> str:
    """A note or reason a hook writes in code (English) in ``lang``: ``[notes]`` in
    labels.toml gives each sentence, or its template with ``{name}`` slots, in Chinese;
    a slot's text is translated in turn. Text not listed stays as written."""
    if lang == "en":
        return text
    for pattern, entry in _note_patterns():
        found = pattern.fullmatch(text)
        if found:
            return entry[lang].format(**{name: note(value, lang) for name, value in found.groupdict().items()})
    return text


@lru_cache(maxsize=1)
def _note_patterns() -> list[tuple[Any, dict[str, str]]]:
    import re

    out = []
    for entry in table().get("notes", {}).values():
        parts = re.split(r"\{(\w+)\}", entry["en"])
        regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
        out.append((re.compile(regex, re.S), entry))
    return out


def field_kind(field: str) -> str | None:
    """Which code list a decision field's values come from (``scope`` -> ``scopes``)."""
    return _KIND_OF_FIELD.get(field)


def default_language() -> str:
    """``zh`` when the locale (LC_ALL, LC_MESSAGES, LANG) is Chinese, else ``en``."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"
