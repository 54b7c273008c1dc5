"""Plain-text tables for people on a terminal (programs use ``--format json``).

No colour and no rich dependency: start-up stays light and the output pastes anywhere.
East Asian wide characters count as two columns so Chinese labels line up.
"""

from __future__ import annotations

import unicodedata
from typing import Any, Sequence

from .. import labels
from ..areas import AREAS
from ..evaluation import AREA_KEYS, Evaluation


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, size: int) -> str:
    return text + " " * (size - width(text))


def grid(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Columns sized to their widest cell, a rule under the header."""
    sizes = [max(width(str(cell)) for cell in column) for column in zip(header, *rows)]
    lines = ["  ".join(pad(str(cell), size) for cell, size in zip(line, sizes)).rstrip() for line in (header, *rows)]
    lines.insert(1, "  ".join("-" * size for size in sizes))
    return "\n".join(lines)


def show_value(field: str, value: Any, lang: str) -> str:
    """A field's JSON value as a person reads it: labels for codes, yes/no, dashes for nulls."""
    if value is None:
        return labels.label("values", "none", lang)
    if isinstance(value, bool):
        return labels.label("values", str(value).lower(), lang)
    kind = labels.field_kind(field)
    if isinstance(value, list):
        shown = [labels.label(kind, item, lang) if kind else str(item) for item in value]
        return (", " if lang == "en" else "、").join(shown) if shown else labels.label("values", "none", lang)
    if kind:
        return labels.label(kind, value, lang)
    return str(value)


class Sources:
    """Numbers citations in order of first use, so each cell can point to [n]."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str, str], int] = {}

    def ref(self, citation: dict[str, Any]) -> int:
        key = (citation["title"], citation["quote"], citation["confidence"])
        return self.entries.setdefault(key, len(self.entries) + 1)

    def refs(self, citations: list[dict[str, Any]]) -> str:
        return "".join(f"[{self.ref(c)}]" for c in citations)

    def lines(self, data: dict[tuple[str, str, str], dict[str, Any]]) -> list[str]:
        return [f"[{n}] {data[key]['title']} — {data[key]['publisher']}, {data[key]['date']} ({key[2]}): “{key[1]}”" for key, n in self.entries.items()]


def evaluation_text(result: Evaluation, lang: str) -> str:
    data = result.to_dict()
    sources = Sources()
    known: dict[tuple[str, str, str], dict[str, Any]] = {}
    name = data["region_name"][lang]
    head = [
        f"{name} ({data['region']}) — as of {data['as_of']} — layers: {' < '.join(data['layers'])}",
    ]
    head += [f"warning: {line}" for line in data["warnings"]]
    rows: list[list[str]] = []
    extra: list[str] = []
    for area, _, _ in AREAS:
        block = data[area]
        for citation in block["citations"]:
            known[(citation["title"], citation["quote"], citation["confidence"])] = citation
        fields = [key for key in block if key not in AREA_KEYS]
        for i, field in enumerate(fields):
            rows.append(
                [
                    labels.label("areas", area, lang) if i == 0 else "",
                    labels.label("fields", field, lang),
                    show_value(field, block[field], lang),
                    block["layer"] if i == 0 else "",
                    sources.refs(block["citations"]) if i == 0 else "",
                ]
            )
        for item in block["not_modelled"]:
            extra.append(f"{area}: not modelled — {item['topic']}: {item['reason']}")
        for item in block["disputed"]:
            extra.append(f"{area}: disputed — {item['parameter']} = {item['value']} per “{item['title']}” ({item['confidence']}): {item['note']}")
        for note in block["notes"]:
            extra.append(f"{area}: {note}")
    header = ["area", "field", "value", "layer", "sources"] if lang == "en" else ["领域", "项目", "结果", "层", "依据"]
    body = [*head, "", grid(header, rows)]
    if extra:
        body += ["", *extra]
    body += ["", "Sources:" if lang == "en" else "依据:", *sources.lines(known)]
    return "\n".join(body)
