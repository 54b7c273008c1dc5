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


_CODE_LISTS = ("relations", "uses", "scopes", "blockers", "grounds", "conditions", "balance", "channels")


def note(text: str, lang: str = "en") -> str:
    """A note or reason a hook writes in code (English) in ``lang``: ``[notes]`` in
    labels.toml gives each sentence, or its template with ``{name}`` slots, in Chinese;
    a slot's text is translated in turn (a region's English name becomes its Chinese
    one). Text not listed stays as written."""
    if lang == "en":
        return text
    for pattern, entry in _patterns("notes"):
        found = pattern.fullmatch(text)
        if found:
            return entry[lang].format(**{name: _slot(value, lang) for name, value in found.groupdict().items()})
    return text


def _slot(value: str, lang: str) -> str:
    """A slot of a note: a place name, a parameter name, or a note of its own."""
    named = _place_names().get(value)
    if named is not None:
        return named.get(lang, value)
    if value in table().get("parameters", {}):
        return parameter(value, lang)
    return note(value, lang)


_PLACES: dict[str, dict[str, str]] = {}


def learn_places(places: dict[str, dict[str, str]]) -> None:
    """Region names by code *and* by English name (what notes say), taught by the renderer
    that knows the installed regions, so notes can name a region in Chinese."""
    for code, names in places.items():
        _PLACES[code] = names
        if names.get("en"):
            _PLACES[names["en"]] = names


def _place_names() -> dict[str, dict[str, str]]:
    return _PLACES


def place(code: str, lang: str = "en") -> str:
    """A region's or layer's name: ``national`` -> 国家; a region as it was taught
    (:func:`learn_places`); the code itself otherwise."""
    entry = table().get("layers", {}).get(code) or _PLACES.get(code)
    return entry.get(lang) or code if entry else code


def parameter(name: str, lang: str = "en") -> str:
    """A parameter's (or a not-modelled topic's) label; the name itself if none."""
    entry = table().get("parameters", {}).get(name) or table().get("topics", {}).get(name)
    return entry[lang] if entry else name


def source_title(title: str, lang: str = "en") -> str:
    """A source's title in ``lang``: English descriptions of pages have a Chinese one."""
    entry = table().get("source_titles", {}).get(title)
    return entry[lang] if entry else title


def error(message: str, lang: str = "en") -> str:
    """A one-line error (``path: reason``) in ``lang``: the path in words (``[paths]``),
    the reason from ``[errors]``. A reason not listed stays as written."""
    if lang == "en":
        return message
    path, reason = "", message
    head, sep, rest = message.partition(": ")
    if sep and _is_path(head):
        path, reason = head, rest
    for pattern, entry in _patterns("errors"):
        found = pattern.fullmatch(reason)
        if found:
            reason = entry[lang].format(**found.groupdict())
            break
    return f"{field_path(path, lang)}:{reason}" if path else reason


def _is_path(text: str) -> bool:
    import re

    return bool(re.fullmatch(r"(--[a-z-]+|[a-z_]+(\[\d+\])?(\.[a-z_]+(\[\d+\])?)*)", text))


def field_path(path: str, lang: str = "en") -> str:
    """``member.contributions[0].from`` -> ``参保人缴费时段第1段的“自”``: a field named in words."""
    import re

    words = []
    for part in path.split("."):
        found = re.fullmatch(r"([^\[]+)((?:\[\d+\])*)", part)
        if not found:
            return path
        name, index = found.groups()
        entry = table().get("paths", {}).get(name)
        if entry is None:
            return path
        words.append(entry[lang])
        for n in re.findall(r"\d+", index):
            words.append(table()["paths"]["item"][lang].format(n=int(n) + 1))
    if lang == "zh":
        return "".join(words[:-1]) + ("的" if len(words) > 1 else "") + words[-1]
    if len(words) > 1 and path.startswith("member."):
        words = words[1:]
    return " of ".join(reversed(words))


@lru_cache(maxsize=2)
def _patterns(kind: str) -> list[tuple[Any, dict[str, str]]]:
    """``[notes]`` or ``[errors]`` as regular expressions, a named group per slot."""
    import re

    out = []
    for entry in table().get(kind, {}).values():
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
