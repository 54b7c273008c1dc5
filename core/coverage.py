"""The coverage map: for every installed region and area, on a date, whether the library
models it, which layer answers, how strong the sources are, and what is uncertain.

Why: a user should see where the answers are trustworthy before asking. Each region is
asked for one plain member (a tier-1 employee paying continuously on a base of 12,000
yuan): an area is *modelled* when that answer is (``modelled`` true). For the answer's
evidence it lists the weakest confidence among its passages, the parameters whose start
no source dates, those with a disputed reading, and those past their last known date.
Third-party regions are asked exactly as built-in ones (``policy coverage``,
``GET /v1/coverage``, the page's table; README.md's region list is generated from it).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import attrs

from .areas import AREAS
from .errors import YibaoError

if TYPE_CHECKING:
    from .decisions import Decision
    from .engine import PolicyEngine

#: The member every region is asked for: the representative member, paying without a gap.
MEMBER = {"category": "employee", "tier": 1, "contribution_base": "12000"}
_RANK = {"H": 3, "M": 2, "L": 1}


@attrs.frozen
class AreaCoverage:
    """One area of one region on the date."""

    area: str
    modelled: bool
    layer: str
    confidence: str | None  # the weakest among the answer's passages; None without any
    uncertain_starts: tuple[str, ...] = ()  # parameters whose start no source dates
    disputed: tuple[str, ...] = ()  # parameters with another source's reading kept
    stale: tuple[str, ...] = ()  # parameters past their last known date
    not_modelled: tuple[str, ...] = ()  # topics the answer reports as not modelled

    def to_dict(self) -> dict[str, Any]:
        out = attrs.asdict(self)
        return {key: list(value) if isinstance(value, tuple) else value for key, value in out.items()}


@attrs.frozen
class RegionCoverage:
    """One region: who it is, who ships it, its layers and each area; or why it failed."""

    code: str
    name_zh: str
    name_en: str
    distribution: str
    layers: tuple[str, ...] = ()
    areas: tuple[AreaCoverage, ...] = ()
    failed: str = ""  # the reason, when the region could not be asked

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "distribution": self.distribution,
            "layers": list(self.layers),
            "areas": {area.area: area.to_dict() for area in self.areas},
        }
        if self.failed:
            out["failed"] = self.failed
        return out


@attrs.frozen
class Coverage:
    as_of: date
    regions: tuple[RegionCoverage, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"as_of": self.as_of.isoformat(), "member": dict(MEMBER), "regions": [region.to_dict() for region in self.regions]}


def coverage(engine: PolicyEngine, as_of: date) -> Coverage:
    """Every installed region (overlays aside) asked on ``as_of``; a failing one is listed with its reason."""
    out = []
    for status in engine.regions():
        if status.overlay_of or status.status == "disabled":
            continue
        if status.status != "loaded":
            out.append(RegionCoverage(status.code, status.name_zh, status.name_en, status.distribution, failed=status.reason))
            continue
        try:
            result = engine.evaluate(status.code, MEMBER, as_of)
        except YibaoError as exc:
            out.append(RegionCoverage(status.code, status.name_zh, status.name_en, status.distribution, failed=str(exc)))
            continue
        areas = tuple(_area(area, result.decisions[area], result.answered_by[area]) for area, _, _ in AREAS)
        out.append(RegionCoverage(status.code, status.name_zh, status.name_en, status.distribution, result.layers, areas))
    return Coverage(as_of, tuple(out))


def _area(area: str, decision: Decision, layer: str) -> AreaCoverage:
    confidences = [citation.confidence for citation in decision.all_citations()]
    weakest = min(confidences, key=lambda mark: _RANK.get(mark, 0)) if confidences else None
    return AreaCoverage(
        area=area,
        modelled=decision.modelled,
        layer=layer,
        confidence=weakest,
        uncertain_starts=_names(applied.name for applied in decision.basis if applied.start_uncertain),
        disputed=_names(applied.name for applied in decision.basis if applied.disputed),
        stale=_names(applied.name for applied in decision.basis if applied.stale),
        not_modelled=_names(item.topic for item in decision.not_modelled),
    )


def _names(names: Any) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def cell(area: AreaCoverage, lang: str = "en") -> str:
    """One area in a few words: ``yes · shenzhen · L · 2 undated · 1 disputed``."""
    zh = lang == "zh"
    parts = [("是" if zh else "yes") if area.modelled else ("否" if zh else "no"), area.layer]
    if area.confidence:
        parts.append(area.confidence)
    for count, en, cn in (
        (len(area.uncertain_starts), "undated", "起始未定"),
        (len(area.disputed), "disputed", "有争议"),
        (len(area.stale), "stale", "可能过时"),
    ):
        if count:
            parts.append(f"{count} {cn}" if zh else f"{count} {en}")
    return " · ".join(parts)


def markdown(result: Coverage, lang: str = "en") -> str:
    """The map as a Markdown table, one row per region (README.md's region list)."""
    from .labels import label

    zh = lang == "zh"
    header = ["地区" if zh else "region", *(label("areas", area, lang) for area, _, _ in AREAS)]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for region in result.regions:
        name = f"**{region.code}** ({region.name_zh})"
        if region.failed:
            lines.append(f"| {name} | " + " | ".join(["—"] * len(AREAS)) + " |")
            continue
        lines.append(f"| {name} | " + " | ".join(cell(area, lang) for area in region.areas) + " |")
    legend = (
        f"截至 {result.as_of.isoformat()},一名一档在职职工(基数 12,000 元,连续缴费):是否建模 · 回答的层 · 最弱可信度 (H/M/L) · 起始日期无来源、有争议、可能过时的参数数。"
        if zh
        else f"As of {result.as_of.isoformat()}, for a tier-1 employee paying continuously on 12,000 yuan: modelled? · the layer that "
        "answers · the weakest confidence (H/M/L) of its passages · how many of its values have an undated start, a disputed "
        "reading, or are stale."
    )
    return "\n".join(lines) + "\n\n" + legend + "\n"
