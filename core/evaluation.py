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

    def to_dict(self) -> dict[str, Any]:
        """The JSON form described by ``schemas/evaluation.schema.json``."""
        from .hookspecs import SPEC_VERSION

        out: dict[str, Any] = {
            "region": self.region,
            "region_name": {"zh": self.region_name[0], "en": self.region_name[1]},
            "as_of": self.as_of.isoformat(),
            "spec_version": SPEC_VERSION,
            "layers": list(self.layers),
            "stale": self.stale,
            "warnings": self.warnings(),
        }
        for area, _, _ in AREAS:
            out[area] = area_dict(self.decisions[area], self.answered_by[area])
        out["provenance"] = self.provenance.to_dict()
        return out


#: Keys every area's JSON has besides its own decision fields.
AREA_KEYS = frozenset({"layer", "modelled", "stale", "citations", "disputed", "not_modelled", "notes", "parameters"})


def area_dict(decision: Decision, layer: str) -> dict[str, Any]:
    return {
        **decision.fields(),
        "layer": layer,
        "modelled": decision.modelled,
        "stale": decision.stale,
        "citations": [citation.to_dict() for citation in decision.all_citations()],
        "disputed": [dispute.to_dict() for dispute in decision.disputes()],
        "not_modelled": [item.to_dict() for item in decision.not_modelled],
        "notes": list(decision.notes),
        "parameters": [applied.to_dict() for applied in decision.basis],
    }
