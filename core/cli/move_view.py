"""``policy move`` for people: the answer first, then the steps, then the sources.

Plain text wrapped to 80 columns (Chinese characters count as two), or Markdown. It
reads the JSON form of the move only (``Move.to_dict()``), so what people see is what
programs get. Programs use ``--format json``.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from .values import money, show_value

WIDTH = 80


def move_text(data: dict[str, Any], *, markdown: bool = False, width: int = WIDTH, lang: str = "en") -> str:
    """The move as text: headline lines, details, numbered steps, not modelled, sources
    (in Chinese under ``lang="zh"``, as ``policy move --lang zh`` says them)."""
    sources: dict[tuple[str, str, str], int] = {}
    known: dict[tuple[str, str, str], dict[str, Any]] = {}

    def refs(citations: list[dict[str, Any]]) -> str:
        out = []
        for citation in citations:
            key = (citation["title"], citation["quote"], citation["confidence"])
            known[key] = citation
            out.append(f"[{sources.setdefault(key, len(sources) + 1)}]")
        return "".join(out)

    if lang == "zh":
        return _move_text_zh(data, refs, known, sources, markdown=markdown, width=width)
    title = f"{_name(data['origin'])} -> {_name(data['destination'])}, moving on {data['on']}"
    answer = headline(data)
    details = _details(data)
    steps = [f"{step['text']} {refs(step['citations'])}" for step in data["steps"]]
    further = len({(c["title"], c["quote"], c["confidence"]) for c in data["citations"]} - set(sources))
    remarks = [f"not modelled: {item['reason']}" for item in data["not_modelled"]]
    remarks += [
        f"disputed: {item['parameter']} = {show_value(item['parameter'], item['value'], 'en', sep='; ')} per “{item['title']}” "
        f"({item['confidence']}): {item['note']}"
        for item in data["disputed"]
    ]
    remarks += [f"note: {note}" for note in data["notes"]]
    listed = [
        f"[{n}] {known[key]['title']} — {known[key]['publisher']}, {known[key]['date']} ({key[2]}): “{key[1]}”"
        for key, n in sources.items()
    ]
    words = ("Steps:", "Sources:", _further(further) if further else "")
    return _laid_out(title, answer, details, steps, remarks, listed, words, markdown=markdown, width=width)


def _move_text_zh(
    data: dict[str, Any],
    refs: Any,
    known: dict[tuple[str, str, str], dict[str, Any]],
    sources: dict[tuple[str, str, str], int],
    *,
    markdown: bool,
    width: int,
) -> str:
    """The same move in Chinese: moving_zh's sentences, the notes and titles translated."""
    from .. import labels, moving_zh
    from .values import list_sep

    title = f"{data['origin']['name']['zh']} -> {data['destination']['name']['zh']},{data['on']} 转移"
    steps = [f"{moving_zh.step(data, step)} {refs(step['citations'])}" for step in data["steps"]]
    further = len({(c["title"], c["quote"], c["confidence"]) for c in data["citations"]} - set(sources))
    remarks = [f"未建模:{item.get('reason_zh') or labels.note(item['reason'], 'zh')}" for item in data["not_modelled"]]
    remarks += [
        f"有争议:{labels.parameter(item['parameter'], 'zh')} = {show_value(item['parameter'], item['value'], 'zh', sep=list_sep('zh'))}"
        f",见“{labels.source_title(item['title'], 'zh')}”({item['confidence']}):{item.get('note_zh') or item['note']}"
        for item in data["disputed"]
    ]
    remarks += [f"说明:{labels.note(note, 'zh')}" for note in data["notes"]]
    listed = [
        f"[{n}] {labels.source_title(known[key]['title'], 'zh')} — {known[key]['publisher']}, {known[key]['date']} ({key[2]}):“{key[1]}”"
        for key, n in sources.items()
    ]
    words = ("步骤:", "依据:", f"另有 {further} 项依据(两项决定的全部规则):见 --format json。" if further else "")
    return _laid_out(
        title, moving_zh.headline(data), moving_zh.details(data), steps, remarks, listed, words, markdown=markdown, width=width
    )


def _laid_out(
    title: str,
    answer: list[str],
    details: list[tuple[str, str]],
    steps: list[str],
    remarks: list[str],
    listed: list[str],
    words: tuple[str, str, str],
    *,
    markdown: bool,
    width: int,
) -> str:
    """Markdown, or plain text wrapped to ``width``: title, answer, details, steps, remarks, sources."""
    steps_word, sources_word, further = words
    if markdown:
        body = [f"### {title}", "", *[f"**{line}**" if i == 0 else line for i, line in enumerate(answer)], ""]
        body += ["| | |", "|---|---|", *[f"| {label} | {value} |" for label, value in details], ""]
        body += [steps_word, "", *[f"{i}. {step}" for i, step in enumerate(steps, 1)]]
        if remarks:
            body += ["", *[f"- {remark}" for remark in remarks]]
        body += ["", sources_word, "", *[f"{line}  " for line in listed]]
        if further:
            body += ["", further]
        return "\n".join(body)
    lines = wrap(title, width)
    for line in answer:
        lines += wrap(line, width, "", "  ")
    lines.append("")
    size = max(_width(label) for label, _ in details)
    for label, value in details:
        lines += wrap(value, width, f"{label}{' ' * (size - _width(label))}  ", " " * (size + 2))
    lines += ["", steps_word]
    for i, step in enumerate(steps, 1):
        lines += wrap(step, width, f"{i:>2}. ", "    ")
    if remarks:
        lines.append("")
        for remark in remarks:
            lines += wrap(f"- {remark}", width, "", "  ")
    lines += ["", sources_word]
    for line in listed:
        lines += wrap(line, width, "", "    ")
    if further:
        lines += ["", *wrap(further, width)]
    return "\n".join(lines)


def _further(count: int) -> str:
    return f"{count} more source{'s' if count != 1 else ''} of the two decisions (all their rules): see --format json."


def headline(data: dict[str, Any]) -> list[str]:
    """The short answer: does it move (or what blocks it), and when is the member covered again."""
    origin, destination = data["origin"]["name"]["en"], data["destination"]["name"]["en"]
    amount = f"{money(data['balance_amount'])} yuan"
    if not data["relationship_transferable"]:
        why = []
        if "retired" in data["blockers"]:
            why.append("retirees are outside the national transfer measures")
        if "arrears" in data["blockers"]:
            why.append(f"the unpaid dues in {origin} must be paid first")
        reason = "; ".join(why) or ", ".join(data["blockers"])
        return [f"Blocked: {reason}.", f"The insurance relationship and the balance ({amount}) stay in {origin}."]
    balance = {
        "moves": f"The insurance relationship and the balance ({amount}) move to {destination}.",
        "stays": f"The insurance relationship moves to {destination}; the balance ({amount}) stays in the {origin} "
        "account and is used across cities.",
        "paid_out": f"The insurance relationship moves to {destination}; the balance ({amount}) cannot move and is paid out in cash.",
        "none": f"The insurance relationship moves to {destination}; there is no balance (no personal account in {origin}).",
    }[data["balance"]]
    resume = data["pooled_benefits_resume"]
    gap = data["gap_months"]
    if resume is None:
        ceiling = data["transfer_in"]["wait_ceiling_months"]
        limit = f"; 43号 caps it at {ceiling} months" if ceiling is not None else ""
        covered = f"Covered again: not modelled — {destination}'s wait after a gap of {gap} months is not in the sources{limit}."
    elif not gap:
        covered = f"Covered without a break: pooled benefits in {destination} from {resume}."
    elif data["destination_wait_months"] == data["transfer_in"]["short_gap_wait_months"] and gap <= (
        data["transfer_in"]["payable_gap_months"] or 0
    ):
        covered = f"Covered again on {resume}, once the {gap}-month gap is paid back in {destination} (the gap is covered too)."
    else:
        covered = f"Covered again on {resume}: {destination} asks {data['destination_wait_months']} paid months after a {gap}-month gap."
    return [f"Moves. {balance}", covered]


def _details(data: dict[str, Any]) -> list[tuple[str, str]]:
    origin, destination = data["origin"]["name"]["en"], data["destination"]["name"]["en"]
    days = data["processing_working_days"]
    arriving = data["transfer_in"]
    wait = data["destination_wait_months"]
    ceiling = arriving["wait_ceiling_months"]
    shown_wait = "—" if wait is None else f"{wait} months"
    if ceiling is not None and wait is None:
        shown_wait += f" (not modelled; ceiling {ceiling} months)"
    rows = [
        ("balance", {"moves": "moves", "stays": "stays", "paid_out": "paid out", "none": "none (no account)"}[data["balance"]]),
        ("blockers", ", ".join(data["blockers"]) or "none"),
        (f"last month paid in {origin}", data["last_origin_month"] or "—"),
        (f"first month in {destination}", data["first_destination_month"] + (" (assumed)" if data["destination_start_assumed"] else "")),
        ("gap before the move", "—" if data["gap_months"] is None else f"{data['gap_months']} months"),
        ("wait at the destination", shown_wait),
        ("pooled benefits from", data["pooled_benefits_resume"] or "—"),
        ("contribution years merged", _yes_no(data["continuity_merged"])),
        (
            "processing (working days)",
            f"{origin} {_days(days['origin'])}, {destination} {_days(days['destination'])}",
        ),
        ("answered by", f"{data['answered_by']['transfer']} (leaving), {data['answered_by']['transfer_in']} (arriving)"),
    ]
    return rows


def _name(place: dict[str, Any]) -> str:
    return f"{place['name']['en']} {place['name']['zh']}".strip()


def _yes_no(value: bool | None) -> str:
    return "—" if value is None else ("yes" if value else "no")


def _days(value: int | None) -> str:
    return "—" if value is None else str(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(text: str, width: int = WIDTH, first: str = "", rest: str = "") -> list[str]:
    """Greedy wrapping by display width: breaks at spaces, and inside a run wider than
    the line (Chinese text has no spaces)."""
    lines: list[str] = []
    line, used = first, _width(first)
    for word in text.split(" "):
        if not word:
            continue
        size = _width(word)
        gap = 0 if used == _width(first if not lines else rest) else 1
        if used + gap + size <= width:
            line += (" " if gap else "") + word
            used += gap + size
            continue
        if size <= width - _width(rest):  # the word fits on a line of its own
            lines.append(line.rstrip())
            line, used = rest + word, _width(rest) + size
            continue
        for ch in word:  # a run too wide for any line: break between characters
            ch_size = _width(ch)
            if used + gap + ch_size > width:
                lines.append(line.rstrip())
                line, used, gap = rest, _width(rest), 0
            line += (" " if gap else "") + ch
            used += gap + ch_size
            gap = 0
    lines.append(line.rstrip())
    return [item for item in lines if item.strip()] or [""]
