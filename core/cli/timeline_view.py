"""``policy timeline`` for people (a plain-text table) and for spreadsheets (CSV).

The table puts the answer first: one summary line ("Covered from 2026-09-01; 2,880.00
yuan credited in 2026"), then one strip per year a person reads at a glance, then one
line per month (80 columns), the yearly totals and the sources. Plain text, no colour,
East Asian wide characters counted as two columns.

CSV is UTF-8 with a byte-order mark (what Excel needs to open Chinese text correctly,
and what users in China expect), comma-separated, CRLF line ends, one row per month,
the JSON field names as the header; lists are joined with ";".
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from .. import labels
from ..months import format_month, month_of
from ..timelines import Month, Timeline, YearTotal

WIDTH = 80
SYMBOLS = {"covered": "●", "waiting": "◐", "back": "◌", "off": "○", "unknown": "?", "outside": "·"}

_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "covered_from": "Covered from {day}",
        "covered_since": "Covered since {day}",
        "covered_all": "Covered on {day}",
        "not_covered_since": "Not covered since {day}",
        "not_covered": "Not covered on {day}",
        "unknown": "Pooled benefits not modelled on {day}",
        "credited": "{amount} yuan credited in {year}",
        "credit_unknown": "credit in {year} not modelled",
        "not_modelled_months": " ({count} months not modelled)",
        "legend": "● covered  ◐ waiting  ◌ paid back  ○ not covered  ? not modelled  · outside",
        "yes": "yes",
        "no": "no",
        "back": "back",
        "wait": "wait",
        "sources": "Sources (--format json lists each value with its dates and quotes):",
        "months": "months",
        "moved": "moved {origin} -> {destination} in {month}",
        "moved_line": "-- {month}: moved {origin} -> {destination}; {rules} rules from here",
    },
    "zh": {
        "covered_from": "{day}起享受统筹待遇",
        "covered_since": "自{day}起享受统筹待遇",
        "covered_all": "{day}享受统筹待遇",
        "not_covered_since": "自{day}起停止统筹待遇",
        "not_covered": "{day}不享受统筹待遇",
        "unknown": "{day}统筹待遇未建模",
        "credited": "{year}年划入个人账户{amount}元",
        "credit_unknown": "{year}年划入金额未建模",
        "not_modelled_months": "({count}个月未建模)",
        "legend": "● 享受待遇  ◐ 已缴费待恢复  ◌ 补缴、不报销  ○ 无待遇  ? 未建模  · 范围外",
        "yes": "是",
        "no": "否",
        "back": "补缴",
        "wait": "等待",
        "sources": "依据(--format json 列出每个参数的日期与原文):",
        "months": "个月",
        "moved": "{month}由{origin}转入{destination}",
        "moved_line": "-- {month}:由{origin}转入{destination},此后按{rules}规定",
    },
}

_COLUMNS: dict[str, dict[str, list[str]]] = {
    "en": {
        "header": ["month", "paid", "base", "credit", "total", "pooled", "events"],
        "totals": ["year", "paid", "covered", "credited", "not modelled"],
    },
    "zh": {
        "header": ["月份", "缴费", "基数", "划入", "累计", "统筹", "事件"],
        "totals": ["年份", "缴费月", "待遇月", "划入(元)", "未建模月"],
    },
}


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit(text: str, size: int) -> str:
    """``text`` cut to ``size`` columns (with … when cut)."""
    if width(text) <= size:
        return text
    out = ""
    for ch in text:
        if width(out + ch) > size - 1:
            break
        out += ch
    return out + "…"


def pad(text: str, size: int, right: bool = False) -> str:
    gap = " " * max(0, size - width(text))
    return gap + text if right else text + gap


def money(amount: Decimal | None) -> str:
    return "?" if amount is None else f"{amount:,.2f}"


# ------------------------------------------------------------------ the answer


def state(row: Month) -> str:
    """covered / waiting / back / off / unknown: what a month's strip symbol shows
    (``Month.state``; back: paid back later, for continuity, not covered)."""
    return _STATE[row.state]


_STATE = {"covered": "covered", "waiting": "waiting", "paid_back": "back", "uncovered": "off", "not_modelled": "unknown"}


def summary(timeline: Timeline, lang: str, today: date | None = None) -> str:
    """The one line that answers: coverage on today's month (or the last month shown) and
    what was credited in that year."""
    words = _WORDS[lang]
    now = month_of(today or date.today())
    index = min(max(now, timeline.start), timeline.end)
    row = timeline.month(index)
    day = format_month(index) + "-01"
    if row.pooled_benefits is None:
        coverage = words["unknown"].format(day=day)
    elif row.pooled_benefits:
        since = _since(timeline, index, True)
        coverage = words["covered_all"].format(day=day) if since is None else words["covered_since"].format(day=since)
    elif row.pooled_benefits_resume is not None and row.pooled_benefits_resume > date(index // 12, index % 12 + 1, 1):
        coverage = words["covered_from"].format(day=row.pooled_benefits_resume.isoformat())
    else:
        since = _since(timeline, index, False)
        coverage = words["not_covered"].format(day=day) if since is None else words["not_covered_since"].format(day=since)
    year = index // 12
    total = next(total for total in timeline.totals if total.year == year)
    if _unknown_credit(total):
        credited = words["credit_unknown"].format(year=year)
    else:
        credited = words["credited"].format(amount=money(total.credited), year=year)
        if total.months_credit_not_modelled:
            credited += words["not_modelled_months"].format(count=total.months_credit_not_modelled)
    line = f"{coverage}{'; ' if lang == 'en' else ';'}{credited}"
    moved = [crossing for crossing in timeline.moves if timeline.start <= crossing.month <= index]
    if moved:  # the last move up to the month read, when the line has room for it
        last = moved[-1]
        origin, destination = (
            (last.move.origin.name_zh, last.move.destination.name_zh)
            if lang == "zh"
            else (last.move.origin.code, last.move.destination.code)
        )
        text = words["moved"].format(month=format_month(last.month), origin=origin, destination=destination)
        joined = f"{line}{'; ' if lang == 'en' else ';'}{text}"
        line = joined if width(joined) <= WIDTH else f"{line}\n{text}"
    return line


def _unknown_credit(total: YearTotal) -> bool:
    """No paid month of the year has a known credit: the year's sum is not modelled, not 0."""
    return total.months_paid > 0 and total.months_credit_not_modelled == total.months_paid


def _year_credit(total: YearTotal) -> str:
    return "?" if _unknown_credit(total) else money(total.credited)


def _since(timeline: Timeline, index: int, covered: bool) -> str | None:
    """The 1st day of the month the current state began, if it began inside the window."""
    for month in range(index, timeline.start, -1):
        if bool(timeline.month(month - 1).pooled_benefits) != covered:
            return format_month(month) + "-01"
    return None


def strips(timeline: Timeline, lang: str) -> list[str]:
    """One line per year: a symbol per month, then the year's credit."""
    lines = []
    for total in timeline.totals:
        symbols = []
        for month_number in range(12):
            index = total.year * 12 + month_number
            inside = timeline.start <= index <= timeline.end
            symbols.append(SYMBOLS[state(timeline.month(index))] if inside else SYMBOLS["outside"])
        lines.append(f"{total.year} {''.join(symbols)}  {pad(_year_credit(total), 12, right=True)}")
    return lines


def _events(row: Month, lang: str) -> str:
    shown = []
    for event in row.events:
        text = labels.label("events", event.code, lang)
        if event.detail:  # parameter names (a rule changed) or place codes
            details = [_detail(item, lang) for item in event.detail]
            text += f" ({', '.join(details)})" if lang == "en" else f"({';'.join(details)})"
        shown.append(text)
    return ("; " if lang == "en" else ";").join(shown)


def _detail(item: str, lang: str) -> str:
    if lang == "en":
        return item
    named = labels.parameter(item, lang)
    if named != item:
        return named
    return "->".join(labels.place(part.strip(), lang) for part in item.split("->"))


def wrap_cell(text: str, size: int) -> list[str]:
    """``text`` in lines of at most ``size`` columns, broken after "; " or a space, never
    inside a word or a number (Chinese, which has no spaces, breaks between characters)."""
    lines: list[str] = []
    line = ""
    for token in _tokens(text):
        if width(line + token) <= size or not line:
            line += token
            continue
        lines.append(line.rstrip())
        line = token.lstrip()
    lines.append(line.rstrip())
    out: list[str] = []
    for item in lines:  # a token wider than the cell: only a run of Chinese, cut between characters
        while width(item) > size:
            cut = ""
            for ch in item:
                if width(cut + ch) > size:
                    break
                cut += ch
            out.append(cut)
            item = item[len(cut):]
        out.append(item)
    return [item for item in out if item] or [""]


def _tokens(text: str) -> list[str]:
    """Words with the space after them; each Chinese character (and its punctuation) alone."""
    import re

    return re.findall(r"[(\[]*[\u3000-\u9fff\uff00-\uffef][;,:)\]]*|[^\s\u3000-\u9fff\uff00-\uffef]+\s*|\s+", text)


def month_lines(timeline: Timeline, lang: str) -> list[str]:
    words = _WORDS[lang]
    sizes = [7, 4, 10, 8, 10, 6]
    rest = WIDTH - sum(sizes) - 2 * len(sizes)
    header = _COLUMNS[lang]["header"]
    lines = [_line(header, sizes, rest, numeric=False), _line(["-" * s for s in sizes] + ["-" * rest], sizes, rest, numeric=False)]
    moves = {crossing.month: crossing.move for crossing in timeline.moves}
    unknown = False  # a paid month's credit not modelled: the running total is not known from there on
    for row in timeline.months:
        move = moves.get(row.month)
        if move is not None:  # a marker line where the member moved: the rules change from here
            rules = move.destination.name_zh if lang == "zh" else move.destination.name_en
            origin, destination = (move.origin.name_zh, move.destination.name_zh) if lang == "zh" else (move.origin.code, move.destination.code)
            text = words["moved_line"].format(month=row.label, origin=origin, destination=destination, rules=rules)
            lines += wrap_cell(text, WIDTH)
        paid = words["no"] if not row.paid else words["back"] if row.payment == "back_paid" else words["yes"]
        pooled = {"covered": words["yes"], "waiting": words["wait"], "back": words["no"], "off": words["no"], "unknown": "?"}[state(row)]
        unknown = unknown or (row.paid and row.credit is None)
        cells = [
            row.label,
            paid,
            "" if row.base_applied is None else money(row.base_applied),
            money(row.credit),
            "?" if unknown else money(row.credited_total),
            pooled,
            _events(row, lang),
        ]
        first, *more = wrap_cell(cells[-1], rest)
        lines.append(_line([*cells[:-1], first], sizes, rest, numeric=True))
        indent = " " * (sum(sizes) + 2 * len(sizes))
        lines += [indent + item for item in more]  # the events go on under their column, never cut
    return lines


def _line(cells: Sequence[str], sizes: Sequence[int], rest: int, *, numeric: bool) -> str:
    out = []
    for i, (cell, size) in enumerate(zip(cells, sizes)):
        out.append(pad(fit(cell, size), size, right=numeric and i in (2, 3, 4)))
    out.append(fit(cells[-1], rest))
    return "  ".join(out).rstrip()


def total_lines(timeline: Timeline, lang: str) -> list[str]:
    sizes = [6, 8, 8, 14, 12]
    lines = ["  ".join(pad(word, size) for word, size in zip(_COLUMNS[lang]["totals"], sizes)).rstrip()]
    lines.append("  ".join("-" * size for size in sizes))
    for total in timeline.totals:
        cells = [
            str(total.year),
            str(total.months_paid),
            str(total.months_covered),
            _year_credit(total),
            str(total.months_credit_not_modelled),
        ]
        lines.append("  ".join(pad(cell, size, right=i == 3) for i, (cell, size) in enumerate(zip(cells, sizes))).rstrip())
    return lines


def source_lines(timeline: Timeline, lang: str) -> list[str]:
    """Each source once, numbered, cut to the width; not-modelled topics after them."""
    seen: dict[tuple[str, str, str], None] = {}
    for _, applied in timeline.parameters:
        for citation in applied.citations:
            seen.setdefault((citation.source.title, citation.source.date, citation.confidence))
    for crossing in timeline.moves:  # the move rules applied at a boundary
        for citation in crossing.move.citations():
            seen.setdefault((citation.source.title, citation.source.date, citation.confidence))
    lines = [_WORDS[lang]["sources"]]
    for n, (title, day, confidence) in enumerate(seen, 1):
        mark = f"[{n}] "  # a long title goes on under its own start, never under the number
        body = wrap_cell(f"{labels.source_title(title, lang)}, {day} ({confidence})", WIDTH - len(mark))
        lines += [mark + body[0], *(" " * len(mark) + line for line in body[1:])]
    topics = dict.fromkeys(topic for row in timeline.months for topic in row.not_modelled)
    if topics:
        if lang == "zh":
            lines += wrap_cell(f"{labels.label('words', 'not_modelled', lang)}:{';'.join(labels.parameter(t, lang) for t in topics)}", WIDTH)
        else:
            lines += wrap_cell(f"{labels.label('words', 'not_modelled', lang)}: {', '.join(topics)}", WIDTH)
    return lines


def timeline_text(timeline: Timeline, lang: str, today: date | None = None) -> str:
    name = timeline.region_name[0] if lang == "zh" else f"{timeline.region_name[1]} ({timeline.region})"
    if len(timeline.regions) > 1:  # a history followed across regions: name them all
        name = " -> ".join(labels.place(code, lang) for code in timeline.regions) if lang == "zh" else " -> ".join(timeline.regions)
    span = f"{format_month(timeline.start)} .. {format_month(timeline.end)}"
    head = [
        summary(timeline, lang, today),
        fit(f"{name}, {span}, {len(timeline.months)} {_WORDS[lang]['months']}", WIDTH),
        "",
        *strips(timeline, lang),
        _WORDS[lang]["legend"],
        "",
    ]
    return "\n".join([*head, *month_lines(timeline, lang), "", *total_lines(timeline, lang), "", *source_lines(timeline, lang)])


# ------------------------------------------------------------------ CSV

CSV_FIELDS = (
    "month",
    "paid",
    "payment",
    "state",
    "has_account",
    "base_applied",
    "rate",
    "credit",
    "credited_total",
    "credit_known",
    "pooled_benefits",
    "pooled_benefits_resume",
    "account_usable",
    "continuity_reset",
    "gap_months",
    "modelled",
    "not_modelled",
    "events",
    "parameters",
    "region",  # (last: the columns before it are those of single-region timelines)
)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(item["code"] if isinstance(item, dict) else str(item) for item in value)
    return str(value)


def timeline_csv(timeline: Timeline) -> bytes:
    """UTF-8 with a byte-order mark, CRLF, one row per month (see the module docstring)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for row in timeline.to_dict()["months"]:
        writer.writerow([_cell(row[field]) for field in CSV_FIELDS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
