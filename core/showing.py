"""A region's parameters in force on a date, for ``policy show`` and services alike."""

from __future__ import annotations

from datetime import date
from typing import Any

from .jsonform import jsonable
from .provenance import Provenance, now
from .stack import Stack


def region_parameters(stack: Stack, day: date) -> dict[str, Any]:
    """Every parameter the top layer can see on ``day``, with the layer that supplied it.

    A parameter with no value in force is listed with ``value: null``: the sources say
    nothing for that date. ``ceiling`` marks an upper bound a source sets, never applied
    as the rule; ``from_uncertain`` a start no source dates.
    """
    view = stack.params(day)[-1]
    owners = {}
    for layer in stack.layers:
        for name in layer.data.parameters:
            owners[name] = layer
    parameters = []
    for name in sorted(owners, key=lambda n: (stack.layers.index(owners[n]), n)):
        applied = view[name]
        layer = owners[name]
        spec = layer.data.parameters[name]
        parameters.append(
            {
                "name": name,
                "layer": applied.layer if applied else layer.code,
                "description": spec.description,
                "unit": spec.unit,
                "value": None if applied is None else jsonable(applied.value),
                "from": None if applied is None else applied.start.isoformat(),
                "to": None if applied is None or applied.end is None else applied.end.isoformat(),
                "stale": bool(applied and applied.stale),
                "from_uncertain": bool(applied and applied.start_uncertain),
                "ceiling": spec.ceiling,
                "citations": [c.to_dict() for c in (applied.citations if applied else ())],
                "disputed": [d.to_dict() for d in (applied.disputed if applied else ())],
                "note": None if applied is None else applied.note,
            }
        )
    not_modelled = [
        {"topic": topic, "layer": layer.code, "reason": reason}
        | ({"reason_zh": layer.data.not_modelled_zh[topic]} if topic in layer.data.not_modelled_zh else {})
        for layer in stack.layers
        for topic, reason in layer.data.not_modelled.items()
    ]
    top = stack.top.data
    return {
        "region": stack.code,
        "region_name": {"zh": top.name_zh, "en": top.name_en},
        "as_of": day.isoformat(),
        "layers": [layer.code for layer in stack.layers],
        "parameters": parameters,
        "not_modelled": not_modelled,
        "provenance": Provenance(stack.origins, now()).to_dict(),
    }
