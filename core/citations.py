"""Where a rule comes from: sources, the sentence quoted, and readings kept as disputed.

Each has two JSON forms: in full (every citation carries its source's title, publisher
and date) and compact (a citation names its source by ``key``; the evaluation lists each
source once under ``sources``). Both are built once per object and copied on the way out,
so ``Evaluation.to_dict()`` costs less than the evaluation it describes.
"""

from __future__ import annotations

from typing import Any

import attrs

from .jsonform import jsonable


@attrs.frozen(cache_hash=True)
class Source:
    """A document cited by the parameter files: title, publisher and date of publication.

    ``layer`` is the code of the layer whose file defines it: two files may use the same
    short id for different documents, so the compact JSON names a source ``layer/id``.
    """

    id: str
    title: str
    publisher: str
    date: str
    url: str | None = None
    note: str | None = None
    layer: str = ""
    _json: dict[str, Any] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        out: dict[str, Any] = {"title": self.title, "publisher": self.publisher, "date": self.date}
        if self.url:
            out["url"] = self.url
        object.__setattr__(self, "_json", out)

    @property
    def key(self) -> str:
        """The id of this source in an evaluation's ``sources`` map."""
        return f"{self.layer}/{self.id}" if self.layer else self.id

    def to_dict(self) -> dict[str, Any]:
        """``{title, publisher, date, url?}``: an entry of the ``sources`` map."""
        return dict(self._json)


@attrs.frozen(cache_hash=True)
class Citation:
    """The sentence of a source a value rests on, with how far to trust it (H/M/L)."""

    source: Source
    quote: str
    confidence: str
    note: str | None = None
    _full: dict[str, Any] = attrs.field(init=False, eq=False, repr=False, hash=False)
    _ref: dict[str, Any] = attrs.field(init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        full: dict[str, Any] = {**self.source._json, "quote": self.quote, "confidence": self.confidence}
        ref: dict[str, Any] = {"source": self.source.key, "quote": self.quote, "confidence": self.confidence}
        if self.note:
            full["note"] = ref["note"] = self.note
        object.__setattr__(self, "_full", full)
        object.__setattr__(self, "_ref", ref)

    def to_dict(self, sources: dict[str, Any] | None = None) -> dict[str, Any]:
        """In full (``sources`` is None), or naming its source, which is added to ``sources``."""
        if sources is None:
            return dict(self._full)
        key = self.source.key
        if key not in sources:
            sources[key] = self.source.to_dict()
        return dict(self._ref)


@attrs.frozen
class Dispute:
    """Another source's reading of a parameter: kept and shown, not applied, with why."""

    parameter: str
    value: Any
    citation: Citation
    note: str
    note_zh: str | None = None  # the layer's own Chinese wording, for --lang zh

    def to_dict(self, sources: dict[str, Any] | None = None) -> dict[str, Any]:
        out = {"parameter": self.parameter, "value": jsonable(self.value), **self.citation.to_dict(sources), "note": self.note}
        if self.note_zh:
            out["note_zh"] = self.note_zh
        return out
