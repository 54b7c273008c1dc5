"""The answer to "what are this member's personal-account rules here, on this date?"."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import attrs

from .areas import AREAS
from .decisions import CreditDecision, Decision, FamilyDecision, LapseDecision, TransferDecision, WithdrawalDecision
from .jsonform import jsonable
from .member import Member
from .provenance import LayerOrigin, Provenance

__all__ = ["AREA_KEYS", "Evaluation", "area_dict", "jsonable"]  # jsonable: kept importable from here


@attrs.frozen
class Evaluation:
    """Five decisions, each with the layer of the stack that answered it."""

    region: str
    region_name: tuple[str, str]
    as_of: date
    member: Member
    layers: tuple[str, ...]
    decisions: Mapping[str, Decision]
    answered_by: Mapping[str, str]
    #: Each layer's distribution, version and parameter-file hash (set by the stack).
    origins: tuple[LayerOrigin, ...] = ()
    #: When the stack evaluated (UTC); not part of equality: the same answer later is equal.
    evaluated_at: datetime | None = attrs.field(default=None, eq=False)

    @property
    def provenance(self) -> Provenance:
        """What reproduces this answer: yibao's version, each layer's origin, when."""
        return Provenance(self.origins, self.evaluated_at)

    @property
    def credit(self) -> CreditDecision:
        return self.decisions["credit"]  # type: ignore[return-value]

    @property
    def lapse(self) -> LapseDecision:
        return self.decisions["lapse"]  # type: ignore[return-value]

    @property
    def family(self) -> FamilyDecision:
        return self.decisions["family"]  # type: ignore[return-value]

    @property
    def transfer(self) -> TransferDecision:
        return self.decisions["transfer"]  # type: ignore[return-value]

    @property
    def withdrawal(self) -> WithdrawalDecision:
        return self.decisions["withdrawal"]  # type: ignore[return-value]

    @property
    def stale(self) -> bool:
        return any(decision.stale for decision in self.decisions.values())

    def warnings(self) -> list[str]:
        """One line per stale value (applied past the last date its source covers) and per
        hypothetical one (a reform's)."""
        out = []
        for area, _, _ in AREAS:
            for applied in self.decisions[area].basis:
                if applied.stale:
                    out.append(
                        f"{area}: {applied.name} = {jsonable(applied.value)} is known only up to {applied.end}; "
                        f"applied on {self.as_of} as the latest known value, it may be stale"
                    )
                if getattr(applied, "hypothetical", False):
                    out.append(f"{area}: {applied.name} = {jsonable(applied.value)} is hypothetical: a reform's value, not a source's")
        return out

    def to_dict(self, citations: str = "compact") -> dict[str, Any]:
        """The JSON form described by ``schemas/evaluation.schema.json``.

        ``citations="compact"`` (default): each area's citations name their source by id
        (``"shenzhen/sz-decree-358"``) and the top-level ``sources`` map lists each source
        once. ``citations="full"``: every citation carries its source's title, publisher
        and date, and there is no ``sources`` map (the form before 0.2).
        """
        from .hookspecs import SPEC_VERSION

        if citations not in ("compact", "full"):
            raise ValueError(f"citations must be 'compact' or 'full', not {citations!r}")
        sources: dict[str, Any] | None = {} if citations == "compact" else None

        out: dict[str, Any] = {
            "region": self.region,
            "region_name": {"zh": self.region_name[0], "en": self.region_name[1]},
            "as_of": self.as_of.isoformat(),
            "spec_version": SPEC_VERSION,
            "layers": list(self.layers),
        }
        stale = out["stale"] = any(_evidence(decision).stale for decision in self.decisions.values())
        out["warnings"] = self.warnings() if stale else []
        for area, _, _ in AREAS:
            out[area] = area_dict(self.decisions[area], self.answered_by[area], sources)
        out["provenance"] = self.provenance.to_dict()
        if sources is not None:
            out["sources"] = sources
        return out


#: Keys every area's JSON has besides its own decision fields.
AREA_KEYS = frozenset({"layer", "modelled", "stale", "citations", "disputed", "not_modelled", "notes", "parameters"})


def area_dict(decision: Decision, layer: str, sources: dict[str, Any] | None = None) -> dict[str, Any]:
    """One area's JSON; citations in full, or naming sources added to ``sources``."""
    evidence = _evidence(decision)
    if sources is None:
        citations, disputed = evidence.full, evidence.disputed_full
    else:
        citations, disputed = evidence.refs, evidence.disputed_refs
        for key, entry in evidence.sources:
            if key not in sources:
                sources[key] = entry.copy()
    return {
        **decision.fields(),
        "layer": layer,
        "modelled": decision.modelled,
        "stale": evidence.stale,
        "citations": list(map(dict, citations)),
        "disputed": list(map(dict, disputed)),
        "not_modelled": [item.to_dict() for item in decision.not_modelled] if decision.not_modelled else [],
        "notes": list(decision.notes),
        "parameters": _copies(evidence.parameters, evidence.list_valued),
    }


def _copies(items: tuple[dict[str, Any], ...], list_valued: tuple[int, ...]) -> list[dict[str, Any]]:
    out = list(map(dict, items))
    for i in list_valued:  # a list value is copied too: what a caller changes is its own
        out[i]["value"] = list(out[i]["value"])
    return out


@attrs.frozen
class _Evidence:
    """An area's citations and disputes in JSON form, built once per set of applied values."""

    keep: tuple[Any, ...]  # the objects whose ids key the cache, kept alive so ids stay theirs
    full: tuple[dict[str, Any], ...]
    refs: tuple[dict[str, Any], ...]
    sources: tuple[tuple[str, dict[str, Any]], ...]
    disputed_full: tuple[dict[str, Any], ...]
    disputed_refs: tuple[dict[str, Any], ...]
    parameters: tuple[dict[str, Any], ...]
    list_valued: tuple[int, ...]
    stale: bool


_EVIDENCE: dict[tuple[int, ...], _Evidence] = {}


def _evidence(decision: Decision) -> _Evidence:
    """The JSON of a decision's evidence: the applied values and extra citations are shared
    objects (one per parameter value and date), so the same set recurs member after member."""
    key = (*map(id, decision.basis), 0, *map(id, decision.citations))
    found = _EVIDENCE.get(key)
    if found is None:
        if len(_EVIDENCE) > 4096:
            _EVIDENCE.clear()
        citations = decision.all_citations()
        disputes = decision.disputes()
        sources: dict[str, Any] = {}
        refs = tuple(citation.to_dict(sources) for citation in citations)
        disputed_refs = tuple(dispute.to_dict(sources) for dispute in disputes)
        parameters = tuple(applied.to_dict() for applied in decision.basis)
        found = _EVIDENCE[key] = _Evidence(
            keep=(decision.basis, decision.citations),
            full=tuple(citation.to_dict() for citation in citations),
            refs=refs,
            sources=tuple(sources.items()),
            disputed_full=tuple(dispute.to_dict() for dispute in disputes),
            disputed_refs=disputed_refs,
            parameters=parameters,
            list_valued=tuple(i for i, item in enumerate(parameters) if type(item["value"]) is list),
            stale=decision.stale,
        )
    return found
