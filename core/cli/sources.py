"""Numbering the citations of one output, so each cell can point to [n] (no terminal library)."""

from __future__ import annotations

from typing import Any


class Sources:
    """Citations numbered in order of first use; the same passage keeps its number."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, str, str], int] = {}
        self.details: dict[tuple[str, str, str], dict[str, Any]] = {}

    def ref(self, citation: dict[str, Any], sources: dict[str, Any] | None) -> int:
        """The number of a citation, compact (``source`` names an entry of ``sources``) or full."""
        found = sources.get(citation["source"], {}) if sources is not None and "source" in citation else citation
        key = (found.get("title", citation.get("source", "")), citation["quote"], citation["confidence"])
        if key not in self.entries:
            self.entries[key] = len(self.entries) + 1
            self.details[key] = {**found, "quote": citation["quote"], "confidence": citation["confidence"]}
        return self.entries[key]

    def refs(self, citations: list[dict[str, Any]], sources: dict[str, Any] | None) -> str:
        """``[1–4] [7]``: runs of numbers as ranges, so a cell stays short and wraps between them."""
        numbers = sorted({self.ref(c, sources) for c in citations})
        runs: list[list[int]] = []
        for n in numbers:
            if runs and n == runs[-1][-1] + 1:
                runs[-1].append(n)
            else:
                runs.append([n])
        return " ".join(f"[{run[0]}]" if len(run) == 1 else f"[{run[0]}–{run[-1]}]" for run in runs)

    def lines(self, lang: str = "en") -> list[str]:
        """``[n] title — publisher, date (H): “quote”`` for each, in number order; the title
        in ``lang`` where the source has one (labels.toml ``[source_titles]``)."""
        from .. import labels

        out = []
        for key, n in self.entries.items():
            item = self.details[key]
            title = labels.source_title(item.get("title", ""), lang)
            out.append(f"[{n}] {title} — {item.get('publisher', '')}, {item.get('date', '')} ({item['confidence']}): “{item['quote']}”")
        return out

    def __len__(self) -> int:
        return len(self.entries)
