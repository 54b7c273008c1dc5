"""``Explanation``: an answer with the steps that reached it, and its JSON form
(``schemas/explanation.schema.json``, ``"format": "yibao-explanation/1"``).

Each passage a step's parameters rest on is listed once under ``passages`` (by a stable
id: its source's key and a digest of the sentence) and each source once under
``sources``, as the compact JSON of an evaluation lists them; a read names its passages
by id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from ..citations import Citation
from ..decisions import Decision
from ..jsonform import jsonable
from ..parameters import Applied
from ..provenance import LayerOrigin, Provenance
from .recording import FIELDS, Read, Step, fact_json, replay

if TYPE_CHECKING:
    from ..evaluation import Evaluation

#: The format every explanation document declares (programs may rely on it).
FORMAT = "yibao-explanation/1"
#: What was explained.
KINDS = ("evaluation", "month", "move")


@attrs.frozen
class AreaExplanation:
    """One area (or ``transfer_in``) asked of one region: its answer and the steps to it."""

    area: str
    hook: str
    region: str
    layer: str  # the layer that answered
    decision: Decision
    as_of: date
    #: What was recorded while the layers answered (see :mod:`yibao.explaining.recording`).
    events: tuple[tuple[Any, ...], ...] = attrs.field(eq=False, repr=False)
    _steps: list[tuple[Step, ...]] = attrs.field(factory=list, init=False, eq=False, repr=False)

    @property
    def steps(self) -> tuple[Step, ...]:
        """The steps in order (built from the events the first time they are asked for)."""
        if not self._steps:
            self._steps.append(replay(self.events, self.as_of))
        return self._steps[0]

    def to_dict(self, sources: dict[str, Any], passages: dict[str, Any]) -> dict[str, Any]:
        from ..evaluation import area_dict

        full = area_dict(self.decision, self.layer, sources)
        return {
            "area": self.area,
            "hook": self.hook,
            "region": self.region,
            "layer": self.layer,
            "answer": {key: value for key, value in full.items() if key not in _EVIDENCE_KEYS},
            "modelled": self.decision.modelled,
            "citations": full["citations"],
            "disputed": full["disputed"],
            "not_modelled": full["not_modelled"],
            "notes": full["notes"],
            "steps": [step_dict(step, sources, passages) for step in self.steps],
        }


_EVIDENCE_KEYS = frozenset({"layer", "modelled", "stale", "citations", "disputed", "not_modelled", "notes", "parameters"})


@attrs.frozen
class Explanation:
    """An answer (an evaluation, one month of a timeline, a move) and, per area asked,
    the steps that reached it, in order."""

    kind: str
    region: str
    region_name: tuple[str, str]
    as_of: date
    layers: tuple[str, ...]
    areas: tuple[AreaExplanation, ...]
    #: The answer as its own front end gives it (a month's row, a move's fields); for an
    #: evaluation, each area's answer is in ``areas``.
    answer: Mapping[str, Any] = attrs.field(factory=dict)
    #: Steps of the answer outside any area's hooks (a month's or a move's own reasoning).
    steps: tuple[Step, ...] = ()
    origins: tuple[LayerOrigin, ...] = ()
    evaluated_at: datetime | None = attrs.field(default=None, eq=False)
    #: The evaluation the steps reached (kind "evaluation"): equal to ``evaluate``'s.
    evaluation: Evaluation | None = attrs.field(default=None, eq=False, repr=False)

    def area(self, name: str) -> AreaExplanation:
        """The explanation of one area (``KeyError`` naming those explained otherwise)."""
        for found in self.areas:
            if found.area == name:
                return found
        raise KeyError(f"area {name!r} was not explained (explained: {', '.join(a.area for a in self.areas)})")

    def all_steps(self) -> tuple[Step, ...]:
        """Every step: the answer's own, then each area's in order."""
        return self.steps + tuple(step for area in self.areas for step in area.steps)

    def to_dict(self) -> dict[str, Any]:
        """The JSON form described by ``schemas/explanation.schema.json``."""
        from ..hookspecs import SPEC_VERSION

        sources: dict[str, Any] = {}
        passages: dict[str, Any] = {}
        out: dict[str, Any] = {
            "format": FORMAT,
            "kind": self.kind,
            "region": self.region,
            "region_name": {"zh": self.region_name[0], "en": self.region_name[1]},
            "as_of": self.as_of.isoformat(),
            "spec_version": SPEC_VERSION,
            "layers": list(self.layers),
            "answer": jsonish(dict(self.answer)),
            "steps": [step_dict(step, sources, passages) for step in self.steps],
            "areas": [area.to_dict(sources, passages) for area in self.areas],
            "provenance": Provenance(self.origins, self.evaluated_at).to_dict(),
        }
        out["passages"] = passages
        out["sources"] = sources
        return out


def step_dict(step: Step, sources: dict[str, Any], passages: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": step.code,
        "layer": step.layer,
        "named": step.named,
        "overridden": step.overridden,
        "en": step.en,
        "zh": step.zh,
        "facts": [{"path": path, "value": fact_json(path, value) if path in FIELDS else jsonish(value)} for path, value in step.facts],
        "params": [read_dict(read, sources, passages) for read in step.params],
        "outcome": jsonish(step.outcome),
    }
    if step.not_modelled:
        out["not_modelled"] = [item.to_dict() for item in step.not_modelled]
    return out


def read_dict(read: Read, sources: dict[str, Any], passages: dict[str, Any]) -> dict[str, Any]:
    """A parameter read: name, the view it was read in, and (in force) its value, dates,
    flags, the ids of the passages it rests on and the readings kept as disputed."""
    applied: Applied | None = read.applied
    out: dict[str, Any] = {"name": read.name, "seen_by": read.seen_by, "on": read.day.isoformat(), "in_force": applied is not None}
    if applied is None:
        return out
    form = _form(applied)
    out.update(form[1])
    if type(out["value"]) is list:
        out["value"] = list(out["value"])
    out["passages"] = list(form[2])
    out["disputed"] = list(map(dict, form[3]))
    for key, entry in form[4]:
        if key not in passages:
            passages[key] = dict(entry)
    for key, entry in form[5]:
        if key not in sources:
            sources[key] = dict(entry)
    overrides = read.overrides
    if overrides:
        out["overrides"] = [{"layer": layer, "value": jsonish(value)} for layer, value in overrides]
    return out


def passage_id(citation: Citation) -> str:
    """A passage's id: its source's key and a digest of the sentence quoted
    (``shenzhen/sz-decree-358#1a2b3c4d``), the same in every explanation."""
    found = _PASSAGES.get(id(citation))
    if found is None or found[0] is not citation:
        if len(_PASSAGES) > 8192:
            _PASSAGES.clear()
        digest = hashlib.sha256(f"{citation.quote}\0{citation.confidence}\0{citation.note or ''}".encode()).hexdigest()[:8]
        found = _PASSAGES[id(citation)] = (citation, f"{citation.source.key}#{digest}")
    return found[1]


_PASSAGES: dict[int, tuple[Citation, str]] = {}
_Form = tuple[Applied, dict[str, Any], tuple[str, ...], tuple[dict[str, Any], ...], tuple[tuple[str, Any], ...], tuple[tuple[str, Any], ...]]
#: id of an Applied -> (it, kept alive; its JSON; its passage ids; its disputes; the passages and sources they name).
_FORMS: dict[int, _Form] = {}


def _form(applied: Applied) -> _Form:
    """A value's JSON, built once: values are shared objects, read again and again."""
    found = _FORMS.get(id(applied))
    if found is None or found[0] is not applied:
        if len(_FORMS) > 4096:
            _FORMS.clear()
        named: dict[str, Any] = {}
        passages: dict[str, Any] = {}
        base = applied.to_dict()
        base["ceiling"] = applied.ceiling
        base["from_uncertain"] = applied.start_uncertain
        ids = []
        for citation in applied.citations:
            key = passage_id(citation)
            passages[key] = citation.to_dict(named)
            ids.append(key)
        disputed = []
        for dispute in applied.disputed:
            key = passage_id(dispute.citation)
            passages[key] = dispute.citation.to_dict(named)
            entry: dict[str, Any] = {"value": jsonable(dispute.value), "passage": key, "note": dispute.note}
            if dispute.note_zh:
                entry["note_zh"] = dispute.note_zh
            disputed.append(entry)
        found = _FORMS[id(applied)] = (applied, base, tuple(ids), tuple(disputed), tuple(passages.items()), tuple(named.items()))
    return found


def jsonish(value: Any) -> Any:
    """A step's outcome or fact in JSON form (a rule may give any value: the rest as text)."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): jsonish(item) for key, item in value.items()}
    if isinstance(value, (tuple, list, set, frozenset)):
        return [jsonish(item) for item in value]
    if isinstance(value, Decision):  # a layer's answer: its fields, as the evaluation's JSON shows them
        return value.fields()
    if attrs.has(type(value)) and hasattr(value, "to_dict"):
        return jsonish(value.to_dict())
    return str(value)
