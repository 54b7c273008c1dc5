"""Where a rule comes from: sources, the sentence quoted, and readings kept as disputed."""

from __future__ import annotations

from typing import Any

import attrs

from .jsonform import jsonable


@attrs.frozen
class Source:
    """A document cited by the parameter files: title, publisher and date of publication."""

    id: str
    title: str
    publisher: str
    date: str
    url: str | None = None
    note: str | None = None


@attrs.frozen
class Citation:
    """The sentence of a source a value rests on, with how far to trust it (H/M/L)."""

    source: Source
    quote: str
    confidence: str
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "title": self.source.title,
            "publisher": self.source.publisher,
            "date": self.source.date,
            "quote": self.quote,
            "confidence": self.confidence,
        }
        if self.source.url:
            out["url"] = self.source.url
        if self.note:
            out["note"] = self.note
        return out


@attrs.frozen
class Dispute:
    """Another source's reading of a parameter: kept and shown, not applied, with why."""

    parameter: str
    value: Any
    citation: Citation
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {"parameter": self.parameter, "value": jsonable(self.value), **self.citation.to_dict(), "note": self.note}
