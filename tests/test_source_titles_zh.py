"""Under ``--lang zh`` a source is named in Chinese: a title the parameter files write in
English words (a description of a page, in brackets) has its Chinese in labels.toml's
``[source_titles]``; a title in the source's own Chinese words needs none."""

from __future__ import annotations

import glob
import re
import tomllib
from pathlib import Path
from typing import Any

from yibao import labels

ROOT = Path(__file__).resolve().parent.parent


def titles(node: Any) -> set[str]:
    if isinstance(node, dict):
        own = {node["title"]} if isinstance(node.get("title"), str) else set()
        return own.union(*(titles(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(titles(value) for value in node))
    return set()


def test_every_title_in_english_words_has_a_chinese_one():
    files = [ROOT / "core" / "baseline" / "national.toml", *map(Path, glob.glob(str(ROOT / "regions" / "**" / "*.toml"), recursive=True))]
    found = set().union(*(titles(tomllib.loads(path.read_text(encoding="utf-8"))) for path in files))
    english = {title for title in found if re.search(r"[A-Za-z]{3,} [A-Za-z]{2,}", title)}
    assert len(english) > 10  # (the check reads the titles it means to)
    assert sorted(title for title in english if labels.source_title(title, "zh") == title) == []
