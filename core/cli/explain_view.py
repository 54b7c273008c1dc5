"""``policy explain`` (and ``--why``) for people: the answer first, then each area's
steps in order, then the passages they rest on.

Plain text wrapped to 80 columns (Chinese characters count as two), read from the JSON
form only (``Explanation.to_dict()``), so what people see is what programs get. Steps of
an overridden layer are marked ``×``: shown, not applied.
"""

from __future__ import annotations

from typing import Any

from ..labels import field_path, label, parameter, place, source_title
from .move_view import WIDTH, wrap
from .values import list_sep, show_value

_WORDS = {
    "en": {
        "why": "Why",
        "answered_by": "answered by",
        "month": "month",
        "move": "moving to",
        "sources": "Sources",
        "not_modelled": "not modelled",
        "read": "member",
        "disputed": "disputed",
        "overridden": "× = an overridden layer's step: shown, not applied",
    },
    "zh": {
        "why": "为什么",
        "answered_by": "作答层",
        "month": "月份",
        "move": "转往",
        "sources": "来源",
        "not_modelled": "未建模",
        "read": "参保人",
        "disputed": "有争议",
        "overridden": "× = 被覆盖层的步骤:仅展示,未采用",
    },
}


def explanation_text(data: dict[str, Any], lang: str = "en", *, width: int = WIDTH, representative: bool = False) -> str:
    """The explanation as text: the answer, the steps of each area, the passages cited."""
    words = _WORDS["zh" if lang == "zh" else "en"]
    numbers: dict[str, int] = {}

    def refs(ids: list[str]) -> str:
        return "".join(f"[{numbers.setdefault(key, len(numbers) + 1)}]" for key in ids)

    name = data["region_name"]["zh" if lang == "zh" else "en"]
    head = f"{words['why']}: {name} ({data['region']}), {data['as_of']}"
    if data["kind"] == "month":
        head = f"{words['why']}: {name}, {words['month']} {data['answer']['month']}"
    elif data["kind"] == "move":
        destination = data["answer"]["destination"]["name"]["zh" if lang == "zh" else "en"]
        head = f"{words['why']}: {name} -> {destination}, {data['as_of']}"
    if representative:
        head += " (representative member)" if lang != "zh" else "(示例参保人)"
    lines = wrap(head, width)
    if data["kind"] == "month":
        row = data["answer"]
        shown = {key: row[key] for key in _MONTH if row.get(key) is not None}
        lines += wrap(_answer({"answer": shown, "modelled": row["modelled"]}, lang), width, f"  {words['month']}: ", "    ")
    for area in data["areas"]:
        lines += wrap(_answer(area, lang), width, f"  {label('areas', area['area'], lang)}: ", "    ")
    overridden = False
    said: set[tuple[str, str]] = set()
    if data["steps"]:
        lines.append("")
        for number, step in enumerate(data["steps"], 1):
            lines += _step(step, number, lang, width, refs, words, said)
    for area in data["areas"]:
        lines.append("")
        lines += wrap(_heading(area, lang, words), width)
        for number, step in enumerate(area["steps"], 1):
            overridden = overridden or step["overridden"]
            lines += _step(step, number, lang, width, refs, words, said)
        for item in area["not_modelled"]:
            topic = parameter(item["topic"], "zh") if lang == "zh" else item["topic"]
            reason = item.get("reason_zh") if lang == "zh" and item.get("reason_zh") else item["reason"]
            lines += wrap(f"{topic}: {reason}", width, f"  {words['not_modelled']}: ", "    ")
    if overridden:
        lines += ["", *wrap(words["overridden"], width)]
    if numbers:
        lines += ["", words["sources"]]
        for key, number in numbers.items():
            passage = data["passages"][key]
            source = data["sources"].get(passage["source"], {})
            title = source_title(source["title"], lang) if "title" in source else passage["source"]
            text = f"{title}, {source.get('publisher', '')}, {source.get('date', '')}: “{passage['quote']}” ({passage['confidence']})"
            lines += wrap(text, width, f"[{number}] ", "    ")
    return "\n".join(lines)


#: A month's row fields shown first (the rest are the areas' answers below them).
_MONTH = ("paid", "credit", "credited_total", "pooled_benefits", "pooled_benefits_resume")


def _heading(area: dict[str, Any], lang: str, words: dict[str, str]) -> str:
    """``lapse (lapse_effect) — answered by zhejiang``; in Chinese by label and name, no code."""
    if lang == "zh":
        return f"{label('areas', area['area'], 'zh')} — {words['answered_by']} {place(area['layer'], 'zh')}"
    return f"{area['area']} ({area['hook']}) — {words['answered_by']} {area['layer']}"


def _answer(area: dict[str, Any], lang: str) -> str:
    shown = [
        f"{_field(key, lang)} {show_value(key, value, lang, sep=list_sep(lang))}"
        for key, value in area["answer"].items()
        if value not in (None, [], {})
    ]
    if not area["modelled"]:
        shown.append("(部分未建模)" if lang == "zh" else "(not fully modelled)")
    return ("；" if lang == "zh" else "; ").join(shown) or "—"


def _field(key: str, lang: str) -> str:
    """A field's label: a month's own (``[row_fields]``) or an area's (``[fields]``)."""
    own = label("row_fields", key, lang)
    return own if own != key else label("fields", key, lang)


def _value(value: Any, lang: str = "en") -> str:
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if _is_period(value):  # as contributions are shown: 2024-01..2025-06
        return f"{value['from']}..{value.get('to') or ''}"
    if isinstance(value, list):  # (an object among others in parentheses, so its fields stay together)
        return ", ".join(f"({_value(item, lang)})" if isinstance(item, dict) and not _is_period(item) else _value(item, lang) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key} {_value(item, lang)}" for key, item in value.items() if item not in (None, [], {}))
    return str(value)


def _is_period(value: Any) -> bool:
    return isinstance(value, dict) and "from" in value and value.keys() <= {"from", "to"}


def _fact(path: str, value: Any, lang: str) -> str:
    """A member fact read: in Chinese the field in words (参保类别 在职职工), in English its
    path as the JSON member writes it (category employee)."""
    if lang != "zh":
        return f"{path} {_value(value, lang)}"
    shown = label("categories", value, "zh") if path == "category" and isinstance(value, str) else _value(value, lang)
    return f"{field_path(path, 'zh')} {shown}"


def _as_read(value: Any, lang: str) -> str:
    """A disputed reading written as the step's own reading of the parameter is
    (``= true``, as the parameter files and the JSON write it), so the two compare."""
    return ("true" if value else "false") if isinstance(value, bool) else _value(value, lang)


def _step(
    step: dict[str, Any], number: int, lang: str, width: int, refs: Any, words: dict[str, str], said: set[tuple[str, str]]
) -> list[str]:
    mark = "×" if step["overridden"] else " "
    text = step["zh"] if lang == "zh" else step["en"]
    cited = "".join(refs(read.get("passages", [])) for read in step["params"])
    lines = wrap(f"{text} {cited}".rstrip(), width, f" {mark}{number:>2}. ", "      ")
    if step["facts"]:
        facts = ", ".join(_fact(fact["path"], fact["value"], lang) for fact in step["facts"])
        lines += wrap(facts, width, f"      {words['read']}: ", "        ")
    if step["code"] == "stack.answered" and isinstance(step["outcome"], dict):
        pass  # (the answer is the area's line at the top)
    elif step["outcome"] is not None and step["named"]:
        lines += wrap(f"→ {_value(step['outcome'], lang)}", width, "      ", "        ")
    for read in step["params"]:
        for dispute in read.get("disputed", []):
            if (read["name"], dispute["passage"]) in said:
                continue  # each reading once: the first step that read the parameter shows it
            said.add((read["name"], dispute["passage"]))
            note = dispute.get("note_zh") if lang == "zh" and dispute.get("note_zh") else dispute["note"]
            lines += wrap(f"{read['name']} = {_as_read(dispute['value'], lang)} {refs([dispute['passage']])}: {note}", width, f"      {words['disputed']}: ", "        ")
    return lines
