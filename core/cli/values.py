"""Values as a person reads them: labels for codes, yes/no, percentages, grouped yuan.

Pure functions of the JSON form, no terminal library: the table renderer, the Markdown
renderer and the summary all use them, so a value reads the same everywhere.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from .. import labels
from ..money import grouped

#: Fields that hold yuan (shown grouped: 12,000.00) and the one that holds a ratio (2%).
MONEY_FIELDS = frozenset({"monthly_credit", "base_applied"})
RATIO_FIELDS = frozenset({"rate"})


def word(key: str, lang: str, **fill: Any) -> str:
    """A word or sentence of the output (``[words]`` in labels.toml), placeholders filled."""
    text = labels.label("words", key, lang)
    return text.format(**fill) if fill else text


def percent(value: Any) -> str:
    """``"0.02"`` -> ``"2%"``; ``"0.025"`` -> ``"2.5%"``; anything else unchanged."""
    try:
        number = Decimal(str(value)) * 100
    except (InvalidOperation, ValueError):
        return str(value)
    return f"{number.normalize():f}%"


def money(value: Any) -> str:
    """``"12000.00"`` -> ``"12,000.00"`` (exact: the Decimal is grouped, never a float)."""
    return grouped(value)


def grouped_yuan(text: str, amount: str) -> str:
    """A sentence's ``3560.20 yuan`` as the rest of the output writes money: ``3,560.20 yuan``."""
    return text.replace(f"{amount} yuan", f"{money(amount)} yuan")


def items(field: str, value: Any, lang: str) -> list[str]:
    """A list field's items as labels; each item stays whole (a label may hold a comma)."""
    kind = labels.field_kind(field)
    return [labels.label(kind, item, lang) if kind else str(item) for item in value]


def show_value(field: str, value: Any, lang: str, *, sep: str = "\n") -> str:
    """One field's JSON value for people. List items are joined by ``sep``: a new line in a
    table cell, ``"; "`` in running text, never ", " (a label may contain a comma)."""
    if value is None:
        return labels.label("values", "none", lang)
    if isinstance(value, bool):
        return labels.label("values", str(value).lower(), lang)
    if field == "channels" and isinstance(value, list):  # each channel with its reach; the rest is in the JSON
        shown = [f"{labels.label('channels', c['channel'], lang)} ({show_value('scope', c['scope'], lang)})" for c in value]
        return sep.join(shown) if shown else labels.label("values", "none", lang)
    if isinstance(value, list):
        shown = items(field, value, lang)
        return sep.join(shown) if shown else labels.label("values", "none", lang)
    if field in RATIO_FIELDS or (field.endswith("_rate") and _is_number(value)):  # credit_rate in a disputed reading
        return percent(value)
    if field in MONEY_FIELDS:
        return money(value)
    kind = labels.field_kind(field)
    return labels.label(kind, value, lang) if kind else plain(value, lang)


def list_sep(lang: str) -> str:
    """Between items in running text: "; " in English, ";" in Chinese, the punctuation of
    every other Chinese sentence printed (、 may be inside a label, so it never separates)."""
    return ";" if lang == "zh" else "; "


#: Fields whose null means "no source settles it" when their area is not modelled
#: (a null resume date means "no date", and stays a dash).
NULL_IS_NOT_MODELLED = frozenset(
    {"monthly_credit", "base_applied", "rate", "pooled_benefits", "account_usable", "scope", "relationship_transferable",
     "balance_transferable", "balance_within_province"}
)


def cell_value(field: str, block: dict[str, Any], lang: str, *, sep: str = "\n") -> str:
    """A decision field of an area's JSON block for people: "not modelled" in words where
    the area is not modelled and the field is null, never a bare dash."""
    value = block.get(field)
    if value is None and block.get("modelled") is False and field in NULL_IS_NOT_MODELLED:
        return labels.label("values", "not_modelled", lang)
    return show_value(field, value, lang, sep=sep)


def plain(value: Any, lang: str) -> str:
    """A value written in code as "English (中文)": under zh the Chinese alone."""
    import re

    if lang == "zh" and isinstance(value, str):
        found = re.fullmatch(r"[ -~]+ \((.*[\u4e00-\u9fff].*)\)", value)
        if found:
            return found.group(1)
    return str(value)


def parameter_value(unit: str, value: Any, lang: str) -> str:
    """A parameter's value in ``policy show``: ratios as percentages, codes as labels."""
    if value is None:
        return labels.label("values", "none", lang)
    if isinstance(value, bool):
        return labels.label("values", str(value).lower(), lang)
    if unit == "ratio":
        return percent(value)
    if unit == "yuan":
        return money(value)
    if unit == "codes" and isinstance(value, list):
        return "\n".join(labels.any_label(item, lang) for item in value) or labels.label("values", "none", lang)
    if unit == "code":
        return labels.any_label(str(value), lang)
    return str(value)


def _is_number(value: Any) -> bool:
    try:
        Decimal(str(value))
    except (InvalidOperation, ValueError):
        return False
    return not isinstance(value, bool)


def shown_differences(data: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """The differences a person can see: rows whose printed values differ (two channel
    lists that differ only in what the table does not print are not reported as different;
    the JSON keeps every difference)."""
    out = []
    for item in data["differences"]:
        shown = set()
        for target in item["values"]:
            block = data["results"][target][item["area"]]
            shown.add(cell_value(item["field"], block, lang))
        if len(shown) > 1:
            out.append(item)
    return out
