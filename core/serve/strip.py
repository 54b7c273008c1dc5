"""The month strip of a timeline as SVG, rendered on the server.

One row per year, one cell per month: covered (pooled-fund benefits on the month's 1st
day), waiting (paid on time, benefits not back yet), paid back (paid later, for
continuity, not covered), not covered (unpaid, no benefits), not modelled (no source
settles it); a dot marks a paid month. Plain SVG from the
timeline's JSON form (``schemas/timeline.schema.json``), no chart library: the page
shows it as an image, so nothing in it runs.
"""

from __future__ import annotations

from html import escape
from typing import Any

CELL, GAP, LABEL, HEAD = 28, 3, 52, 20
COLOURS = {"covered": "#2e7d32", "waiting": "#f2a900", "paid_back": "#9ecae1", "uncovered": "#d9d9d9", "not_modelled": "#ffffff"}
#: The legend's states, in order (every state a month can be in).
LEGEND = ("covered", "waiting", "paid_back", "uncovered", "not_modelled")
WORDS = {
    "zh": {
        "covered": "享受统筹待遇",
        "waiting": "已缴费,待遇未恢复",
        "paid_back": "补缴月份,不予报销",
        "uncovered": "未缴费,无统筹待遇",
        "not_modelled": "未建模",
        "paid": "已缴费",
        "credit": "划入",
        "title": "逐月参保状态",
        "dot": "圆点:当月已缴费",
    },
    "en": {
        "covered": "covered",
        "waiting": "paid, benefits not back yet",
        "paid_back": "paid back later, not covered",
        "uncovered": "not paid, not covered",
        "not_modelled": "not modelled",
        "paid": "paid",
        "credit": "credit",
        "title": "Month by month",
        "dot": "dot: the month was paid",
    },
}


def state(row: dict[str, Any]) -> str:
    """covered | waiting | paid_back | uncovered | not_modelled, for one month row (its
    ``state``, read from the other fields where an older JSON form has none)."""
    if "state" in row:
        return str(row["state"])
    if row["pooled_benefits"] is None:
        return "not_modelled"
    if row["pooled_benefits"]:
        return "covered"
    return "waiting" if row["paid"] else "uncovered"


def render(timeline: dict[str, Any], lang: str = "zh") -> str:
    """The SVG document of ``timeline`` (its ``to_dict()``), labelled in ``lang``."""
    words = WORDS[lang]
    rows = timeline["months"]
    years = sorted({int(row["month"][:4]) for row in rows})
    width = LABEL + 12 * (CELL + GAP)
    legend_top = HEAD + len(years) * (CELL + GAP) + 8
    height = legend_top + (len(LEGEND) + 1) * 20 + 4  # a legend row for each state and one for the dot
    name = timeline["region_name"]["zh" if lang == "zh" else "en"]
    title = f"{name} {timeline['start']} – {timeline['end']}: {words['title']}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
    ]
    for month in range(12):
        x = LABEL + month * (CELL + GAP) + CELL / 2
        out.append(f'<text x="{x:g}" y="14" text-anchor="middle" fill="#555">{month + 1}</text>')
    for i, year in enumerate(years):
        y = HEAD + i * (CELL + GAP)
        out.append(f'<text x="0" y="{y + CELL / 2 + 4:g}" fill="#222">{year}</text>')
    for row in rows:
        year, month = int(row["month"][:4]), int(row["month"][5:7])
        x = LABEL + (month - 1) * (CELL + GAP)
        y = HEAD + years.index(year) * (CELL + GAP)
        kind = state(row)
        tip = f"{row['month']}: {words[kind]}" + (f"; {words['paid']}" if row["paid"] else "")
        if row.get("credit") not in (None, "0.00"):
            tip += f"; {words['credit']} {row['credit']}"
        out.append(
            f'<g class="month {kind}" data-month="{row["month"]}"><title>{escape(tip)}</title>'
            f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="3" fill="{COLOURS[kind]}" stroke="#999"/>'
            + (f'<circle cx="{x + CELL / 2:g}" cy="{y + CELL / 2:g}" r="3.5" fill="#111"/>' if row["paid"] else "")
            + "</g>"
        )
    for i, kind in enumerate(LEGEND):
        y = legend_top + i * 20
        out.append(f'<rect x="0" y="{y}" width="14" height="14" rx="2" fill="{COLOURS[kind]}" stroke="#999"/>')
        out.append(f'<text x="20" y="{y + 11}" fill="#222">{escape(words[kind])}</text>')
    y = legend_top + len(LEGEND) * 20  # the dot: a month paid, whatever its colour
    out.append(f'<rect x="0" y="{y}" width="14" height="14" rx="2" fill="#ffffff" stroke="#999"/>')
    out.append(f'<circle cx="7" cy="{y + 7}" r="3.5" fill="#111"/>')
    out.append(f'<text x="20" y="{y + 11}" fill="#222">{escape(words["dot"])}</text>')
    out.append("</svg>")
    return "\n".join(out)
