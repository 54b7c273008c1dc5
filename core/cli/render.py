"""Plain-text tables for people on a terminal (programs use ``--format json``).

No colour and no rich dependency: start-up stays light and the output pastes anywhere.
East Asian wide characters count as two columns so Chinese labels line up.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

from .. import labels
from ..areas import AREAS
from ..comparison import Comparison
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
    if field == "channels":  # each channel with its reach; its relatives and conditions are in the JSON
        shown = [f"{labels.label('channels', c['channel'], lang)}: {show_value('scope', c['scope'], lang)}" for c in value]
        return "; ".join(shown) if shown else labels.label("values", "none", lang)
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
        return [
            f"[{n}] {data[key]['title']} — {data[key]['publisher']}, {data[key]['date']} ({key[2]}): “{key[1]}”"
            for key, n in self.entries.items()
        ]


def evaluation_text(result: Evaluation, lang: str) -> str:
    data = result.to_dict()
    sources = Sources()
    known: dict[tuple[str, str, str], dict[str, Any]] = {}
    name = data["region_name"][lang]
    head = [
        f"{name} ({data['region']}) — {word('as_of', lang)} {data['as_of']} — {word('layers', lang)}: {' < '.join(data['layers'])}",
    ]
    head += [f"{word('warning', lang)}: {line}" for line in data["warnings"]]
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
            extra.append(f"{area}: {word('not_modelled', lang)} — {item['topic']}: {item['reason']}")
        for item in block["disputed"]:
            extra.append(
                f"{area}: {word('disputed', lang)} — {item['parameter']} = {item['value']} {word('per', lang)} “{item['title']}” ({item['confidence']}): {item['note']}"
            )
        for note in block["notes"]:
            extra.append(f"{area}: {note}")
        extra += _dating_lines(area, block, lang)
    header = [word(key, lang) for key in ("area", "field", "value", "layer", "sources")]
    body = [*head, "", grid(header, rows)]
    if extra:
        body += ["", *extra]
    body += _sources_block(sources, known, lang)
    return "\n".join(body)


def _dating_lines(area: str, block: dict[str, Any], lang: str) -> list[str]:
    """Ceilings and starts no source dates, said as such beside the answer they qualify."""
    out = [f"{area}: {word('ceiling', lang)} — {p['name']} = {p['value']} ({p['layer']})" for p in block["parameters"] if p.get("ceiling")]
    uncertain = [f"{p['name']} {p['from']}" for p in block["parameters"] if p.get("from_uncertain")]
    if uncertain:
        out.append(f"{area}: {word('from_uncertain', lang)} — {', '.join(uncertain)}")
    return out


def comparison_text(comparison: Comparison, lang: str, *, markdown: bool = False, only_differences: bool = False) -> str:
    """Areas and fields as rows, targets as columns; ≠ marks rows that differ."""
    data = comparison.to_dict()
    labels_ = data["regions"]
    ok = [label for label in labels_ if label in data["results"]]
    sources = Sources()
    known: dict[tuple[str, str, str], dict[str, Any]] = {}
    differing = {(d["area"], d["field"]) for d in data["differences"]}
    rows: list[list[str]] = []
    for area, _, _ in AREAS:
        fields: dict[str, None] = {}
        for label in ok:
            for key in data["results"][label][area]:
                if key not in AREA_KEYS:
                    fields.setdefault(key)
        area_rows = []
        for field in fields:
            if only_differences and (area, field) not in differing:
                continue
            mark = "≠" if (area, field) in differing else ""
            cells = [show_value(field, data["results"][label][area].get(field), lang) if label in ok else "" for label in labels_]
            area_rows.append([labels.label("areas", area, lang), mark, labels.label("fields", field, lang), *cells])
        if not area_rows:
            continue
        refs = []
        for label in labels_:
            if label not in ok:
                refs.append("")
                continue
            block = data["results"][label][area]
            for citation in block["citations"]:
                known[(citation["title"], citation["quote"], citation["confidence"])] = citation
            refs.append(f"{block['layer']} {sources.refs(block['citations'])}")
        area_rows.append(["", "", word("sources", lang), *refs])
        rows += area_rows
    failed = [label for label in labels_ if label not in ok]
    if failed:
        rows.append(["", "", word("status", lang), *[word("failed" if label in failed else "ok", lang) for label in labels_]])
    header = [word("area", lang), "", word("field", lang), *labels_]
    title = f"{word('comparison', lang)} — {word('as_of', lang)} {data['as_of']}"
    notes = [f"{label}: {word('failed', lang)} — {reason}" for label, reason in data["failures"].items()]
    if markdown:
        table = _markdown(header, rows)
        body = [f"### {title}", "", table]
        if notes:
            body += ["", *[f"- {note}" for note in notes]]
        body += _sources_block(sources, known, lang, markdown=True)
        return "\n".join(body)
    body = [title, "", grid(header, rows)]
    if notes:
        body += ["", *notes]
    body += _sources_block(sources, known, lang)
    return "\n".join(body)


def _sources_block(sources: Sources, known: dict[tuple[str, str, str], dict[str, Any]], lang: str, *, markdown: bool = False) -> list[str]:
    """The numbered source list under a table; nothing at all when no cell cites anything."""
    lines = sources.lines(known)
    if not lines:
        return []
    heading = word("sources", lang).capitalize() + ":"
    return ["", heading, "", *[f"{line}  " for line in lines]] if markdown else ["", heading, *lines]


def word(key: str, lang: str) -> str:
    return labels.label("words", key, lang)


def _markdown(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |"

    return "\n".join([line(header), line(["---"] * len(header)), *(line(row) for row in rows)])
