"""``policy compare --format markdown``: a table that pastes into a document (no terminal library)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from .. import labels
from ..areas import AREAS
from ..comparison import decision_fields
from .sources import Sources
from . import places
from .values import cell_value, shown_differences, word

if TYPE_CHECKING:
    from ..comparison import Comparison


def comparison_markdown(comparison: Comparison, lang: str, *, only_differences: bool = False) -> str:
    """Areas and fields as rows, targets as columns; ≠ marks rows that differ; sources in full."""
    data = comparison.to_dict()
    places.teach(data["regions"])
    labels_ = data["regions"]
    heads = [places.target(label, lang) for label in labels_] if lang == "zh" else list(labels_)
    ok = [label for label in labels_ if label in data["results"]]
    sources = Sources()
    differing = {(d["area"], d["field"]) for d in shown_differences(data, lang)}
    rows: list[list[str]] = []
    for area, _, _ in AREAS:
        fields = decision_fields({label: data["results"][label] for label in ok}, area)
        area_rows = []
        for field in fields:
            if only_differences and (area, field) not in differing:
                continue
            mark = "≠" if (area, field) in differing else ""
            cells = [
                cell_value(field, data["results"][label][area], lang, sep="<br>") if label in ok else "" for label in labels_
            ]
            area_rows.append([labels.label("areas", area, lang), mark, labels.label("fields", field, lang), *cells])
        if not area_rows:
            continue
        refs = []
        for label in labels_:
            if label not in ok:
                refs.append("")
                continue
            result = data["results"][label]
            refs.append(f"{labels.place(result[area]['layer'], lang)} {sources.refs(result[area]['citations'], result.get('sources'))}")
        area_rows.append(["", "", word("sources", lang), *refs])
        rows += area_rows
    failed = [label for label in labels_ if label not in ok]
    if failed:
        rows.append(["", "", word("status", lang), *[word("failed" if label in failed else "ok", lang) for label in labels_]])
    header = [word("area", lang), "", word("field", lang), *heads]
    body = [f"### {word('comparison', lang)} — {word('as_of', lang)} {data['as_of']}", "", _table(header, rows)]
    notes = [
        f"{places.target(label, lang) if lang == 'zh' else label}: {word('failed', lang)} — {labels.error(reason, lang)}"
        for label, reason in data["failures"].items()
    ]
    if notes:
        body += ["", *[f"- {note}" for note in notes]]
    lines = sources.lines(lang)
    if lines:
        heading = word("sources", lang)
        body += ["", heading[:1].upper() + heading[1:] + ":", "", *[f"{line}  " for line in lines]]
    return "\n".join(body)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(str(cell).replace("|", "\\|") for cell in cells) + " |"

    return "\n".join([line(header), line(["---"] * len(header)), *(line(row) for row in rows)])
